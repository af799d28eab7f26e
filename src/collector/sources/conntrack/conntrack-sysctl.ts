/**
 * The two per-namespace sysctls the conntrack source depends on:
 * `net.netfilter.nf_conntrack_acct` (packet/byte counters per entry; without it every record
 * has zero counters) and `net.netfilter.nf_conntrack_timestamp` (entry start time; without it
 * flows that predate the agent get no start time). Both are off by default in the kernel.
 * Read and written through a command prefix so they apply to the namespace the source watches
 * (e.g. `ip netns exec NAME`).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The sysctls checked, by role. */
export const CONNTRACK_SYSCTLS = {
  accounting: 'net.netfilter.nf_conntrack_acct',
  timestamps: 'net.netfilter.nf_conntrack_timestamp',
} as const;

/** `on`/`off`, or `unavailable` when the key does not exist (nf_conntrack not loaded in that namespace) or cannot be read. */
export type SysctlState = 'on' | 'off' | 'unavailable';

/** What the conntrack source found about its kernel settings. */
export interface ConntrackSysctlStatus {
  accounting: SysctlState;
  timestamps: SysctlState;
  /** Human-readable problems, empty when both are on. */
  problems: string[];
}

const procPath = (key: string): string => `/proc/sys/${key.replaceAll('.', '/')}`;

async function run(commandPrefix: readonly string[], args: string[]): Promise<string> {
  const argv = [...commandPrefix, ...args];
  const { stdout } = await execFileAsync(argv[0]!, argv.slice(1), { timeout: 10_000 });
  return stdout;
}

async function readSysctl(commandPrefix: readonly string[], key: string): Promise<SysctlState> {
  try {
    const value = (await run(commandPrefix, ['cat', procPath(key)])).trim();
    return value === '0' ? 'off' : value === '' ? 'unavailable' : 'on';
  } catch {
    return 'unavailable';
  }
}

/** Reads both sysctls in the namespace `commandPrefix` runs in (empty prefix: this process's namespace). */
export async function readConntrackSysctls(commandPrefix: readonly string[] = []): Promise<ConntrackSysctlStatus> {
  const [accounting, timestamps] = await Promise.all([
    readSysctl(commandPrefix, CONNTRACK_SYSCTLS.accounting),
    readSysctl(commandPrefix, CONNTRACK_SYSCTLS.timestamps),
  ]);
  const problems: string[] = [];
  if (accounting !== 'on') {
    problems.push(
      `${CONNTRACK_SYSCTLS.accounting} is ${accounting}: conntrack keeps no packet/byte counters, every record will carry zero counters (counters_valid=false); enable it with --enable-conntrack-sysctls or sysctl -w ${CONNTRACK_SYSCTLS.accounting}=1`,
    );
  }
  if (timestamps !== 'on') {
    problems.push(
      `${CONNTRACK_SYSCTLS.timestamps} is ${timestamps}: flows that existed before the agent started get no start time; enable it with --enable-conntrack-sysctls or sysctl -w ${CONNTRACK_SYSCTLS.timestamps}=1`,
    );
  }
  return { accounting, timestamps, problems };
}

/** Sets both sysctls to 1 (needs CAP_NET_ADMIN in that namespace); rejects with the reason. */
export async function enableConntrackSysctls(commandPrefix: readonly string[] = []): Promise<void> {
  // Plain shell redirection rather than sysctl(8): no dependency on procps.
  const script = `echo 1 > ${procPath(CONNTRACK_SYSCTLS.accounting)} && echo 1 > ${procPath(CONNTRACK_SYSCTLS.timestamps)}`;
  try {
    await run(commandPrefix, ['sh', '-c', script]);
  } catch (err) {
    const stderr = ((err as { stderr?: string }).stderr ?? '').trim();
    throw new Error(`cannot enable conntrack accounting/timestamps: ${stderr || (err as Error).message}`, { cause: err });
  }
}
