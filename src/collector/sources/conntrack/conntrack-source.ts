/**
 * Flow source reading the kernel connection tracking table of one network namespace through
 * Debian's `conntrack` tool (package `conntrack`):
 *
 * - `conntrack -E -e NEW,DESTROY -o extended,id,timestamp` runs for the source's lifetime
 *   (restarted if it dies) and yields NEW and DESTROY events;
 * - every `snapshotIntervalMs`, `conntrack -L -f ipv4` and `-f ipv6` (`-o extended,id`) list the
 *   table, which gives long-lived flows their periodic `update` with counter deltas and repairs
 *   what lost events (ENOBUFS) missed;
 * - at start it checks `nf_conntrack_acct` / `nf_conntrack_timestamp`, logs a warning and
 *   reports them in {@link ConntrackSource.status} and the metrics when they are off, and turns
 *   them on when `enableSysctls` is set.
 *
 * `commandPrefix` runs every command elsewhere, e.g. `['ip', 'netns', 'exec', 'node1']` to
 * watch another namespace than the agent's own.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../../../runtime/logger.ts';
import type { FlowRecordData } from '../../../contract/wire/flow-batch-codec.ts';
import type { CollectorMetrics } from '../../collector-metrics.ts';
import type { FlowRecordHandler, FlowSource } from '../flow-source.ts';
import { isConntrackNoiseLine, parseConntrackLine, type ConntrackEntry } from './conntrack-event-parser.ts';
import { ConntrackFlowTracker } from './conntrack-flow-tracker.ts';
import { enableConntrackSysctls, readConntrackSysctls, type ConntrackSysctlStatus } from './conntrack-sysctl.ts';

/** Options of {@link ConntrackSource}. */
export interface ConntrackSourceOptions {
  /** Node name written into every record. */
  nodeName: string;
  /** Interval between table snapshots, ms: the report interval of long-lived flows. */
  snapshotIntervalMs: number;
  /** Path or name of the `conntrack` executable. */
  conntrackPath: string;
  /** Prefix for every command (e.g. `ip netns exec NAME`); empty for the agent's own namespace. */
  commandPrefix: readonly string[];
  /** Turn on `nf_conntrack_acct` and `nf_conntrack_timestamp` at start if they are off. */
  enableSysctls: boolean;
  /** Netlink receive buffer for the event socket, bytes (`conntrack -E --buffer-size`). */
  eventBufferBytes: number;
  metrics: CollectorMetrics;
  logger: Logger;
}

/** State reported by {@link ConntrackSource.status}. */
export interface ConntrackSourceStatus extends Record<string, unknown> {
  running: boolean;
  accounting: ConntrackSysctlStatus['accounting'];
  timestamps: ConntrackSysctlStatus['timestamps'];
  problems: string[];
  trackedFlows: number;
  snapshots: number;
  lastSnapshotAt: string | null;
  eventProcessRestarts: number;
}

const EVENT_RESTART_DELAY_MS = 1000;

/** The conntrack flow source; see the module comment. */
export class ConntrackSource implements FlowSource {
  readonly name = 'conntrack';
  private readonly tracker: ConntrackFlowTracker;
  private onRecords: FlowRecordHandler | null = null;
  private events: ChildProcessWithoutNullStreams | null = null;
  private eventsClosed: Promise<void> | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private snapshotRunning: Promise<void> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private running = false;
  private sysctls: ConntrackSysctlStatus = { accounting: 'unavailable', timestamps: 'unavailable', problems: [] };
  private snapshots = 0;
  private lastSnapshotAt: Date | null = null;
  private eventProcessRestarts = 0;

  constructor(private readonly options: ConntrackSourceOptions) {
    this.tracker = new ConntrackFlowTracker({ nodeName: options.nodeName });
  }

  /**
   * Checks (and optionally enables) the sysctls, starts the event stream and takes a first
   * snapshot. Rejects when the `conntrack` tool cannot list the table at all.
   */
  async start(onRecords: FlowRecordHandler): Promise<void> {
    this.onRecords = onRecords;
    await this.checkSysctls();
    this.running = true;
    this.startEventProcess();
    // The first snapshot reports every flow already in the table; it also proves the tool works.
    await this.snapshot(true);
    this.snapshotTimer = setInterval(() => void this.snapshot(false), this.options.snapshotIntervalMs);
  }

  /** Stops the event process and the snapshots; a last snapshot reports the final deltas. */
  async stop(): Promise<void> {
    if (!this.running) return;
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.snapshotRunning;
    await this.snapshot(false).catch(() => undefined);
    this.running = false;
    const events = this.events;
    if (events && events.exitCode === null) {
      events.kill('SIGTERM');
      await this.eventsClosed;
    }
    // Entries still waiting for a DESTROY will not get one through us any more: close them.
    this.emit(this.tracker.closeVanished(Date.now()));
  }

  status(): ConntrackSourceStatus {
    return {
      running: this.running,
      accounting: this.sysctls.accounting,
      timestamps: this.sysctls.timestamps,
      problems: this.sysctls.problems,
      trackedFlows: this.tracker.size,
      snapshots: this.snapshots,
      lastSnapshotAt: this.lastSnapshotAt?.toISOString() ?? null,
      eventProcessRestarts: this.eventProcessRestarts,
    };
  }

  private async checkSysctls(): Promise<void> {
    const { commandPrefix, enableSysctls, logger, metrics } = this.options;
    let status = await readConntrackSysctls(commandPrefix);
    if (enableSysctls && status.problems.length > 0) {
      try {
        await enableConntrackSysctls(commandPrefix);
        logger.info('enabled net.netfilter.nf_conntrack_acct and nf_conntrack_timestamp');
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'could not enable conntrack accounting/timestamps');
      }
      status = await readConntrackSysctls(commandPrefix);
    }
    this.sysctls = status;
    this.tracker.accountingEnabled = status.accounting === 'on';
    const gaugeValue = (s: string): number => (s === 'on' ? 1 : s === 'off' ? 0 : -1);
    metrics.conntrackAccounting.set(gaugeValue(status.accounting));
    metrics.conntrackTimestamps.set(gaugeValue(status.timestamps));
    for (const problem of status.problems) logger.warn(problem);
  }

  private emit(records: FlowRecordData[]): void {
    this.options.metrics.conntrackTrackedFlows.set(this.tracker.size);
    if (records.length === 0) return;
    this.options.metrics.recordsRead.inc({ source: this.name }, records.length);
    this.onRecords?.(records);
  }

  private parse(line: string): ConntrackEntry | null {
    if (isConntrackNoiseLine(line)) return null;
    try {
      return parseConntrackLine(line);
    } catch (err) {
      this.options.metrics.conntrackParseErrors.inc();
      this.options.logger.warn({ err: (err as Error).message }, 'unparsable conntrack line');
      return null;
    }
  }

  private command(args: string[]): { file: string; args: string[] } {
    const argv = [...this.options.commandPrefix, this.options.conntrackPath, ...args];
    return { file: argv[0]!, args: argv.slice(1) };
  }

  private startEventProcess(): void {
    const { file, args } = this.command([
      '-E',
      '-e',
      'NEW,DESTROY',
      '-o',
      'extended,id,timestamp',
      '--buffer-size',
      String(this.options.eventBufferBytes),
    ]);
    // Own process group: a Ctrl-C or a group-wide SIGTERM reaches the agent, which then stops
    // conntrack itself, instead of killing conntrack first (which would look like a crash).
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true }) as unknown as ChildProcessWithoutNullStreams;
    this.events = child;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const entry = this.parse(line);
      if (entry) this.emit(this.tracker.handleEvent(entry, Date.now()));
    });
    const errors = createInterface({ input: child.stderr });
    errors.on('line', (line) => {
      if (isConntrackNoiseLine(line)) return;
      if (line.startsWith('NOTICE:')) {
        this.options.logger.debug({ line }, 'conntrack -E');
        return;
      }
      if (/ENOBUFS|losing events/i.test(line)) {
        this.options.metrics.conntrackEventOverflows.inc();
        this.options.logger.warn({ line }, 'conntrack event socket overflowed: events lost until the next snapshot');
      } else {
        this.options.metrics.errors.inc({ component: 'conntrack' });
        this.options.logger.warn({ line }, 'conntrack -E');
      }
    });
    this.eventsClosed = new Promise((resolve) => {
      child.on('error', (err) => {
        this.options.metrics.errors.inc({ component: 'conntrack' });
        this.options.logger.error({ err: err.message, command: [file, ...args].join(' ') }, 'cannot run conntrack -E');
      });
      child.on('close', (code, signal) => {
        lines.close();
        errors.close();
        resolve();
        if (!this.running) return;
        this.options.metrics.errors.inc({ component: 'conntrack' });
        this.options.logger.error({ code, signal }, `conntrack -E exited; restarting in ${EVENT_RESTART_DELAY_MS} ms`);
        this.restartTimer = setTimeout(() => {
          this.restartTimer = null;
          if (!this.running) return;
          this.eventProcessRestarts++;
          this.startEventProcess();
        }, EVENT_RESTART_DELAY_MS);
      });
    });
  }

  /** Lists the table (both families) and hands the tracker's records over. */
  private snapshot(throwOnFailure: boolean): Promise<void> {
    if (this.snapshotRunning) return this.snapshotRunning;
    const run = async (): Promise<void> => {
      const startedAt = Date.now();
      const entries: ConntrackEntry[] = [];
      try {
        for (const family of ['ipv4', 'ipv6']) await this.listFamily(family, entries);
      } catch (err) {
        this.options.metrics.errors.inc({ component: 'conntrack' });
        this.options.logger.error({ err: (err as Error).message }, 'conntrack snapshot failed');
        if (throwOnFailure) throw err;
        return;
      }
      this.snapshots++;
      this.lastSnapshotAt = new Date();
      this.emit(this.tracker.handleSnapshot(entries, startedAt, Date.now()));
    };
    this.snapshotRunning = run().finally(() => {
      this.snapshotRunning = null;
    });
    return this.snapshotRunning;
  }

  private listFamily(family: string, into: ConntrackEntry[]): Promise<void> {
    const { file, args } = this.command(['-L', '-f', family, '-o', 'extended,id']);
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 4096) stderr += chunk.toString();
      });
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const entry = this.parse(line);
        if (entry) into.push(entry);
      });
      child.on('error', (err) => reject(new Error(`cannot run ${file}: ${err.message}`, { cause: err })));
      child.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`${[file, ...args].join(' ')} exited with ${code}: ${stderr.trim()}`));
      });
    });
  }
}
