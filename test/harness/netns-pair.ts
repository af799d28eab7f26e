/**
 * Two network namespaces joined by a veth pair, for tests of the kernel's conntrack table: a
 * "client" whose table is watched (a conntrack rule in it makes the kernel track its
 * connections) and a "server" reached at `serverIp`. Names carry `tag` (keep it ≤ 12
 * characters: interface names are `${tag}a` / `${tag}b`); `destroy()` removes both namespaces.
 *
 * Needs root and iproute2/iptables; fails with the reason when either is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { sh } from './shell.ts';

export interface NetnsPairOptions {
  readonly tag: string;
  readonly clientIp: string;
  readonly serverIp: string;
}

export class NetnsPair {
  readonly clientNs: string;
  readonly serverNs: string;
  private readonly children = new Set<ChildProcess>();

  private constructor(readonly options: NetnsPairOptions) {
    this.clientNs = `${options.tag}-cli`;
    this.serverNs = `${options.tag}-srv`;
  }

  /** Creates both namespaces (removing leftovers of a crashed run with the same tag first). */
  static async create(options: NetnsPairOptions): Promise<NetnsPair> {
    if (process.getuid?.() !== 0) throw new Error('this test needs root (it creates network namespaces and iptables rules)');
    const pair = new NetnsPair(options);
    const { tag, clientIp, serverIp } = options;
    await pair.removeNamespaces();
    await sh('ip', 'netns', 'add', pair.clientNs);
    await sh('ip', 'netns', 'add', pair.serverNs);
    await sh('ip', 'link', 'add', `${tag}a`, 'type', 'veth', 'peer', 'name', `${tag}b`);
    await sh('ip', 'link', 'set', `${tag}a`, 'netns', pair.clientNs);
    await sh('ip', 'link', 'set', `${tag}b`, 'netns', pair.serverNs);
    await sh('ip', '-n', pair.clientNs, 'addr', 'add', `${clientIp}/24`, 'dev', `${tag}a`);
    await sh('ip', '-n', pair.serverNs, 'addr', 'add', `${serverIp}/24`, 'dev', `${tag}b`);
    for (const [ns, dev] of [[pair.clientNs, `${tag}a`], [pair.serverNs, `${tag}b`]] as const) {
      await sh('ip', '-n', ns, 'link', 'set', 'lo', 'up');
      await sh('ip', '-n', ns, 'link', 'set', dev, 'up');
    }
    // Conntrack exists in a namespace only once a netfilter rule uses it.
    await sh(...pair.inClient('iptables', '-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW,ESTABLISHED', '-j', 'ACCEPT'));
    return pair;
  }

  /** The argv that runs `args` inside the client namespace. */
  inClient(...args: string[]): string[] {
    return ['ip', 'netns', 'exec', this.clientNs, ...args];
  }

  /** Starts `node -e script` in the server namespace; resolves once it wrote its first output (its "listening"). */
  async startServer(script: string): Promise<ChildProcess> {
    const server = spawn('ip', ['netns', 'exec', this.serverNs, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.children.add(server);
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once('data', () => resolve());
      server.once('exit', (code) => reject(new Error(`test server exited with ${code}`)));
    });
    return server;
  }

  /** Kills the servers started here and deletes both namespaces (the veth goes with them). */
  async destroy(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    this.children.clear();
    await this.removeNamespaces();
  }

  private async removeNamespaces(): Promise<void> {
    for (const ns of [this.clientNs, this.serverNs]) await sh('ip', 'netns', 'del', ns).catch(() => undefined);
  }
}

/** Fails with the reason when Debian's `conntrack` tool is missing. */
export async function requireConntrackTool(): Promise<void> {
  await sh('conntrack', '--version').catch((err: Error) => {
    throw new Error(`the conntrack tool is missing (Debian package "conntrack"): ${err.message}`);
  });
}
