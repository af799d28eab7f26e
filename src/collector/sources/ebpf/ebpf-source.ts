/**
 * The eBPF flow source: runs the `segflow-ebpf` loader (ebpf/loader.c), supervises it, and
 * turns its records into flow records ({@link EbpfFlowAssembler}).
 *
 * - The loader is built on demand ({@link ensureEbpfLoader}) unless `loaderPath` is given.
 * - `commandPrefix` runs it in another network namespace (e.g. `ip netns exec node1`): the
 *   namespace whose workload interfaces it attaches to and whose drops it keeps.
 * - A loader that dies after it started is restarted with exponential backoff (1 s doubling to
 *   60 s; back to 1 s once a run lasted a minute). The records of its unfinished interval are
 *   lost and counted.
 * - **Where eBPF is not available** (no BTF, no CAP_BPF/CAP_NET_ADMIN, the verifier refuses,
 *   the toolchain to build it is missing) the source logs the reason once, reports
 *   `state: 'unavailable'` with the reason in its status, and `start()` still resolves: the
 *   agent runs on with conntrack alone. It does not retry: the cause is not transient.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { Logger } from '../../../runtime/logger.ts';
import type { FlowRecordData } from '../../../contract/wire/flow-batch-codec.ts';
import type { CollectorMetrics } from '../../collector-metrics.ts';
import type { FlowRecordHandler, FlowSource } from '../flow-source.ts';
import { EbpfFlowAssembler } from './ebpf-flow-assembler.ts';
import { ensureEbpfLoader } from './ebpf-loader-build.ts';
import { EbpfFrameDecoder, type EbpfRecord } from './ebpf-record-parser.ts';

/** Options of {@link EbpfFlowSource}. */
export interface EbpfSourceOptions {
  /** Node name written into every record. */
  nodeName: string;
  /** Interfaces to attach to (host side of workload veths). */
  interfaces?: readonly string[];
  /** Attach to every interface whose name starts with one of these (e.g. `cali`); rescanned every interval. */
  interfacePrefixes?: readonly string[];
  /** Report interval, ms (default 10 000). */
  reportIntervalMs?: number;
  /** Prefix of the loader command, e.g. `['ip', 'netns', 'exec', 'node1']`. */
  commandPrefix?: readonly string[];
  /** Keep drops of every network namespace, not only the loader's own. */
  allNetns?: boolean;
  /** A prebuilt loader; default: build `ebpf/` into `buildDir` if needed. */
  loaderPath?: string;
  /** Build folder (default `.local/ebpf`). */
  buildDir?: string;
  /** Flow map capacity per generation (default 65 536). */
  flowEntries?: number;
  /** How long the loader may take to load and attach, ms (default 30 000). */
  startTimeoutMs?: number;
  /** Restart backoff, ms (default 1000 doubling to 60 000). */
  restartInitialDelayMs?: number;
  restartMaxDelayMs?: number;
  /** Flow-tracking options of the assembler. */
  idleTimeoutMs?: number;
  metrics?: CollectorMetrics;
  logger: Logger;
  /** Sees every decoded loader record (tests, the benchmark). */
  onLoaderRecords?: (records: readonly EbpfRecord[]) => void;
}

/** What {@link EbpfFlowSource.status} reports. */
export interface EbpfSourceStatus extends Record<string, unknown> {
  state: 'created' | 'starting' | 'running' | 'restarting' | 'unavailable' | 'stopped';
  /** Why eBPF is not used (state `unavailable`), or the last loader failure. */
  reason: string | null;
  loaderPid: number | null;
  interfaces: string[];
  intervals: number;
  lastIntervalAt: string | null;
  restarts: number;
  dropsByReason: Record<string, number>;
  ringbufFull: number;
  flowMapFull: number;
  dropUnparsed: number;
  connections: number;
  lostOnRestart: number;
}

const STABLE_RUN_MS = 60_000;

/** The eBPF flow source; see the module comment. */
export class EbpfFlowSource implements FlowSource {
  readonly name = 'ebpf';
  private readonly assembler: EbpfFlowAssembler;
  private onRecords: FlowRecordHandler | null = null;
  private child: ChildProcessByStdio<null, Readable, Readable> | null = null;
  private childClosed: Promise<void> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private loaderPath: string | null = null;
  private consecutiveFailures = 0;
  private readonly st: EbpfSourceStatus = {
    state: 'created',
    reason: null,
    loaderPid: null,
    interfaces: [],
    intervals: 0,
    lastIntervalAt: null,
    restarts: 0,
    dropsByReason: {},
    ringbufFull: 0,
    flowMapFull: 0,
    dropUnparsed: 0,
    connections: 0,
    lostOnRestart: 0,
  };
  private readonly interfaces = new Map<number, string>();

  constructor(private readonly options: EbpfSourceOptions) {
    this.assembler = new EbpfFlowAssembler({ nodeName: options.nodeName, ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}) });
  }

  /** True once the loader runs (false when eBPF turned out to be unavailable). */
  get available(): boolean {
    return this.st.state === 'running' || this.st.state === 'restarting';
  }

  /**
   * Builds (if needed) and starts the loader, resolving once it has loaded and attached. Never
   * rejects for lack of eBPF support: see the module comment.
   */
  async start(onRecords: FlowRecordHandler): Promise<void> {
    if (this.st.state !== 'created' && this.st.state !== 'stopped') throw new Error(`ebpf source cannot start from state ${this.st.state}`);
    this.onRecords = onRecords;
    this.stopping = false;
    this.st.state = 'starting';
    try {
      this.loaderPath = this.options.loaderPath ?? (await ensureEbpfLoader(this.options.buildDir));
    } catch (err) {
      this.unavailable(`the eBPF loader cannot be built: ${(err as Error).message}`);
      return;
    }
    const outcome = await this.launch();
    if (outcome.ok) {
      this.st.state = 'running';
      this.options.logger.info({ pid: this.st.loaderPid, interfaces: this.st.interfaces }, 'eBPF flow probe running');
    } else {
      this.unavailable(outcome.reason);
    }
  }

  /** Stops the loader: it reports its last interval and detaches before it exits. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await this.childClosed;
      clearTimeout(timer);
    }
    if (this.st.state !== 'unavailable') this.st.state = 'stopped';
  }

  status(): EbpfSourceStatus {
    return { ...this.st, connections: this.assembler.size, interfaces: [...this.interfaces.values()].sort() };
  }

  private unavailable(reason: string): void {
    this.st.state = 'unavailable';
    this.st.reason = reason;
    this.options.logger.warn({ reason }, 'eBPF flow source unavailable: running without it (conntrack only)');
  }

  private args(): string[] {
    const o = this.options;
    const args = ['--interval-ms', String(o.reportIntervalMs ?? 10_000)];
    for (const name of o.interfaces ?? []) args.push('--iface', name);
    for (const prefix of o.interfacePrefixes ?? []) args.push('--iface-prefix', prefix);
    if (o.allNetns) args.push('--all-netns');
    if (o.flowEntries) args.push('--flow-entries', String(o.flowEntries));
    return args;
  }

  /** Spawns the loader and waits for its hello (ok) or its exit/timeout before that (not ok). */
  private launch(): Promise<{ ok: true } | { ok: false; reason: string }> {
    const argv = [...(this.options.commandPrefix ?? []), this.loaderPath!, ...this.args()];
    const startedAt = Date.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const decoder = new EbpfFrameDecoder();
    const stderrTail: string[] = [];
    let unavailableLine: string | null = null;
    let hello = false;

    return new Promise((resolve) => {
      let settled = false;
      const settle = (v: { ok: true } | { ok: false; reason: string }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => {
        settle({ ok: false, reason: `the loader did not attach within ${this.options.startTimeoutMs ?? 30_000} ms${stderrTail.length ? `: ${stderrTail.join(' | ')}` : ''}` });
        child.kill('SIGKILL');
      }, this.options.startTimeoutMs ?? 30_000);

      createInterface({ input: child.stderr }).on('line', (line) => {
        const m = /unavailable: (.*)$/.exec(line);
        if (m) unavailableLine = m[1]!;
        stderrTail.push(line);
        if (stderrTail.length > 8) stderrTail.shift();
        if (hello) this.options.logger.warn({ line }, 'segflow-ebpf');
      });
      child.stdout.on('data', (chunk: Buffer) => {
        let records: EbpfRecord[];
        try {
          records = decoder.push(chunk);
        } catch (err) {
          this.options.metrics?.errors.inc({ component: 'ebpf' });
          this.options.logger.error({ err: (err as Error).message }, 'corrupt output from the eBPF loader: restarting it');
          child.stdout.removeAllListeners('data');
          child.kill('SIGTERM');
          return;
        }
        if (!hello && records.some((r) => r.type === 'hello')) {
          hello = true;
          this.st.loaderPid = child.pid ?? null;
          settle({ ok: true });
        }
        this.handle(records);
      });
      this.childClosed = new Promise((closed) => {
        child.on('error', (err) => {
          stderrTail.push(err.message);
          settle({ ok: false, reason: `cannot run the eBPF loader: ${err.message}` });
        });
        child.on('close', (code, signal) => {
          closed();
          this.child = null;
          this.st.loaderPid = null;
          const tail = stderrTail.join(' | ');
          if (!hello) {
            settle({ ok: false, reason: unavailableLine ?? `the loader exited with ${code ?? signal} before it attached${tail ? `: ${tail}` : ''}` });
          }
          const lost = this.assembler.discardPending();
          if (this.stopping) return;
          if (!hello) return; // start() or restart() handles a loader that never attached
          this.st.lostOnRestart += lost;
          this.options.metrics?.errors.inc({ component: 'ebpf' });
          this.consecutiveFailures = Date.now() - startedAt > STABLE_RUN_MS ? 0 : this.consecutiveFailures + 1;
          const initial = this.options.restartInitialDelayMs ?? 1000;
          const delay = Math.min(this.options.restartMaxDelayMs ?? 60_000, initial * 2 ** Math.max(0, this.consecutiveFailures - 1));
          this.st.state = 'restarting';
          this.st.reason = `loader exited with ${code ?? signal}${tail ? `: ${tail}` : ''}`;
          this.options.logger.error({ code, signal, stderr: tail, restartInMs: delay }, 'eBPF loader exited; restarting');
          this.restartTimer = setTimeout(() => void this.restart(), delay);
        });
      });
    });
  }

  private async restart(): Promise<void> {
    this.restartTimer = null;
    if (this.stopping) return;
    this.st.restarts++;
    const outcome = await this.launch();
    if (outcome.ok) {
      this.st.state = 'running';
      this.options.logger.info({ pid: this.st.loaderPid }, 'eBPF loader restarted');
    } else if (!this.stopping) {
      // It failed before attaching this time: keep trying with backoff.
      this.consecutiveFailures++;
      const delay = Math.min(this.options.restartMaxDelayMs ?? 60_000, (this.options.restartInitialDelayMs ?? 1000) * 2 ** this.consecutiveFailures);
      this.st.reason = outcome.reason;
      this.options.logger.error({ reason: outcome.reason, restartInMs: delay }, 'eBPF loader restart failed');
      this.restartTimer = setTimeout(() => void this.restart(), delay);
    }
  }

  private handle(records: EbpfRecord[]): void {
    if (records.length === 0) return;
    this.options.onLoaderRecords?.(records);
    for (const r of records) {
      if (r.type === 'iface') {
        if (r.attached) this.interfaces.set(r.ifindex, r.name);
        else this.interfaces.delete(r.ifindex);
      } else if (r.type === 'interval') {
        this.st.intervals++;
        this.st.lastIntervalAt = new Date(Number(r.timeUnixNano / 1_000_000n)).toISOString();
        this.st.ringbufFull = r.ringbufFullTotal;
        this.st.flowMapFull = r.flowMapFullTotal;
        this.st.dropUnparsed = r.dropUnparsedTotal;
        for (const d of r.dropReasons) this.st.dropsByReason[d.name] = (this.st.dropsByReason[d.name] ?? 0) + d.count;
      }
    }
    const out: FlowRecordData[] = this.assembler.handle(records);
    if (out.length === 0) return;
    this.options.metrics?.recordsRead.inc({ source: this.name }, out.length);
    this.onRecords?.(out);
  }
}
