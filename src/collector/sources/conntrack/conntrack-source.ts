/**
 * Flow source reading the kernel connection tracking table of one network namespace, through
 * one of two readers (`reader`):
 *
 * - `netlink` (default): segflow-conntrack-reader (conntrack-reader/), which speaks ctnetlink
 *   itself and writes fixed-size binary records (conntrack-record-decoder.ts).
 *   `segflow-conntrack-reader events` runs for the source's lifetime (restarted if it dies) and
 *   yields NEW and DESTROY events, plus a LOSS record whenever the kernel dropped events
 *   (ENOBUFS), counted as lost records in every batch's loss report; `... dump` lists the table.
 * - `cli`: Debian's `conntrack` tool (package `conntrack`), whose text is parsed:
 *   `conntrack -E -e NEW,DESTROY -o extended,id,timestamp` for events, `conntrack -L -f ipv4`
 *   and `-f ipv6` (`-o extended,id`) for the table. Costs ~10x the CPU (the tool formats every
 *   event as text, the agent parses it again).
 *
 * Either way, every `snapshotIntervalMs` long-lived flows get their periodic `update` with counter
 * deltas:
 * - `cli`: the table is listed every time, which also repairs what lost events missed;
 * - `netlink`: the table is listed at start, after the kernel dropped events or the event reader
 *   restarted, at least every `resyncIntervalMs`, and whenever more than half of it is open;
 *   other snapshots are *refreshes*: a long-lived `segflow-conntrack-reader query` looks up the
 *   entries still open (conntrack-flow-tracker.ts). A busy node's table is mostly connections
 *   waiting out TIME_WAIT: listing 1.2 million entries costs the kernel ~2 µs each, every time;
 *   looking up the ~100,000 opened since the last snapshot costs ~4 µs each.
 *
 * And:
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
import { ensureConntrackReader } from './conntrack-reader-build.ts';
import type { ConntrackReaderKind } from './conntrack-reader-kind.ts';
import { CONNTRACK_RECORD_VERSION, ConntrackRecordStream, type ConntrackReaderMessage } from './conntrack-record-decoder.ts';
import { enableConntrackSysctls, readConntrackSysctls, type ConntrackSysctlStatus } from './conntrack-sysctl.ts';
import { conntrackQueryEnd } from './conntrack-query-record.ts';

/** Options of {@link ConntrackSource}. */
export interface ConntrackSourceOptions {
  /** Which reader (see the module comment). Default `netlink`. */
  reader?: ConntrackReaderKind;
  /** The netlink reader executable (`reader: 'netlink'`). Default: built on demand into `.local/conntrack-reader`. */
  readerPath?: string;
  /** Node name written into every record. */
  nodeName: string;
  /** Interval between table snapshots, ms: the report interval of long-lived flows. */
  snapshotIntervalMs: number;
  /** Netlink reader: the longest time between two listings of the whole table, ms (see the module comment; default 300 000). */
  resyncIntervalMs?: number;
  /** Path or name of the `conntrack` executable (`reader: 'cli'`). */
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
  /** Of those, entries missing from the table (a listing, a lookup) that wait for their DESTROY event. */
  waitingForDestroy: number;
  /** Listings of the whole table. */
  snapshots: number;
  lastSnapshotAt: string | null;
  /** Refreshes: lookups of the entries still open (netlink reader). */
  refreshes: number;
  lastRefreshAt: string | null;
  eventProcessRestarts: number;
  reader: ConntrackReaderKind;
  /** Events the kernel dropped because the event socket's buffer was full (netlink reader; the `cli` one cannot count them). */
  kernelDroppedEvents: number;
  /** Times the event socket overflowed (ENOBUFS). */
  eventOverflows: number;
}

const EVENT_RESTART_DELAY_MS = 1000;
const ENOENT = 2;
/**
 * A snapshot refreshes when at most this share of the tracked entries is open: a lookup costs
 * the kernel about twice what a listed line does.
 */
const REFRESH_SHARE = 0.5;

/** Why a reader that wrote READY with `version` cannot serve this agent, or null when it can. */
function readerVersionProblem(command: string, version: number): Error | null {
  if (version === CONNTRACK_RECORD_VERSION) return null;
  return new Error(`${command} writes record version ${version}, this agent reads version ${CONNTRACK_RECORD_VERSION}: rebuild it (npm run build:conntrack-reader)`);
}

/** The netlink reader's `query` process, kept between refreshes. */
interface QueryProcess {
  child: ChildProcessWithoutNullStreams;
  /** Settles when it is ready for queries (READY) or died before. */
  ready: Promise<void>;
  /** The refresh waiting for its QUERY_END answer. */
  waiting: { resolve: () => void; reject: (err: Error) => void } | null;
  /** Set once the process is gone (the error says how). */
  failure: Error | null;
}

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
  private refreshes = 0;
  private lastRefreshAt: Date | null = null;
  /** A listing of the whole table is due at the next snapshot (events were lost, or the event reader restarted). */
  private listingWanted = true;
  private queryProcess: QueryProcess | null = null;
  private eventProcessRestarts = 0;
  private readonly reader: ConntrackReaderKind;
  /** The netlink reader executable, once resolved (built) at start. */
  private readerPath: string | null = null;
  /** Drops of reader processes that ended, plus the running one's last report. */
  private droppedBefore = 0;
  private droppedNow = 0;
  private overflows = 0;
  /** Settles when the running reader subscribed to the events (READY) or died before it. */
  private readerReady: Promise<void> | null = null;

  constructor(private readonly options: ConntrackSourceOptions) {
    this.tracker = new ConntrackFlowTracker({ nodeName: options.nodeName });
    this.reader = options.reader ?? 'netlink';
  }

  /**
   * Checks (and optionally enables) the sysctls, starts the event stream and takes a first
   * snapshot. Rejects when the `conntrack` tool cannot list the table at all.
   */
  async start(onRecords: FlowRecordHandler): Promise<void> {
    this.onRecords = onRecords;
    if (this.reader === 'netlink') {
      try {
        this.readerPath = this.options.readerPath ?? (await ensureConntrackReader());
      } catch (err) {
        throw new Error(`the netlink conntrack reader is not available: ${(err as Error).message}\n(--conntrack-reader cli reads through the conntrack tool instead, at several times the CPU)`, { cause: err });
      }
    }
    await this.checkSysctls();
    this.running = true;
    this.startEventProcess();
    if (this.readerReady) {
      try {
        await this.readerReady;
      } catch (err) {
        await this.stopEvents();
        throw err;
      }
    }
    // The first snapshot reports every flow already in the table; it also proves the tool works.
    await this.snapshot(true);
    this.snapshotTimer = setInterval(() => void this.snapshot(false), this.options.snapshotIntervalMs);
  }

  /** Whether the next snapshot lists the whole table (else it refreshes; see the module comment). */
  private wantsListing(): boolean {
    if (this.reader !== 'netlink' || this.listingWanted || this.lastSnapshotAt === null) return true;
    if (Date.now() - this.lastSnapshotAt.getTime() >= (this.options.resyncIntervalMs ?? 300_000)) return true;
    return this.tracker.refreshDue > REFRESH_SHARE * this.tracker.size;
  }

  /** Stops the event process and the snapshots; a last snapshot reports the final deltas. */
  async stop(): Promise<void> {
    if (!this.running) return;
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.snapshotRunning;
    await this.snapshot(false).catch(() => undefined);
    await this.stopEvents();
    this.stopQueryProcess();
    // Entries still waiting for a DESTROY will not get one through us any more: close them;
    // starts no read of the table reported yet are reported now.
    this.emit(this.tracker.closeVanished(Date.now()));
    this.emit(this.tracker.reportPendingStarts(Date.now()));
  }

  private async stopEvents(): Promise<void> {
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const events = this.events;
    if (events && events.exitCode === null && events.signalCode === null) {
      events.kill('SIGTERM');
      await this.eventsClosed;
    }
  }

  status(): ConntrackSourceStatus {
    return {
      running: this.running,
      accounting: this.sysctls.accounting,
      timestamps: this.sysctls.timestamps,
      problems: this.sysctls.problems,
      trackedFlows: this.tracker.size,
      waitingForDestroy: this.tracker.waitingForDestroy,
      snapshots: this.snapshots,
      lastSnapshotAt: this.lastSnapshotAt?.toISOString() ?? null,
      refreshes: this.refreshes,
      lastRefreshAt: this.lastRefreshAt?.toISOString() ?? null,
      eventProcessRestarts: this.eventProcessRestarts,
      reader: this.reader,
      kernelDroppedEvents: this.droppedBefore + this.droppedNow,
      eventOverflows: this.overflows,
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
    if (this.reader === 'netlink') {
      this.startReaderEvents();
      return;
    }
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
        this.restartEventsLater('conntrack -E', code, signal);
      });
    });
  }

  /** The netlink reader's event process: binary records on stdout, diagnostics on stderr. */
  private startReaderEvents(): void {
    const { logger, metrics } = this.options;
    const file = this.readerPath!;
    const argv = [...this.options.commandPrefix, file, 'events', '--buffer-size', String(this.options.eventBufferBytes)];
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true }) as unknown as ChildProcessWithoutNullStreams;
    this.events = child;
    this.droppedBefore += this.droppedNow;
    this.droppedNow = 0;
    let stderrTail = '';
    let settleReady: ((err?: Error) => void) | null = null;
    this.readerReady = new Promise<void>((resolve, reject) => {
      settleReady = (err) => {
        settleReady = null;
        if (err) reject(err);
        else resolve();
      };
    });
    this.readerReady.catch(() => undefined); // awaited by start() only; a restart's failure is logged below
    const onMessage = (message: ConntrackReaderMessage): void => {
      switch (message.kind) {
        case 'entry':
          this.tracker.handleEventInto(message.entry, chunk.atMs, chunk.records);
          return;
        case 'loss': {
          const newOverflows = Math.max(0, message.overruns - this.overflowsOfThisProcess);
          this.overflowsOfThisProcess = message.overruns;
          this.overflows += newOverflows;
          metrics.conntrackEventOverflows.inc(newOverflows);
          const grew = message.droppedEvents - this.droppedNow;
          this.droppedNow = message.droppedEvents;
          if (grew > 0) {
            metrics.conntrackEventsDropped.inc(grew);
            // Lost NEW or DESTROY events: only a listing of the whole table finds what they said.
            this.listingWanted = true;
          }
          const dropped = { droppedEvents: this.droppedBefore + this.droppedNow, overflows: this.overflows };
          // A LOSS record without a new overrun is the reader's recount once its socket drained:
          // the same overflow, with the drops the kernel made after reporting it.
          if (newOverflows > 0) logger.warn(dropped, 'conntrack event socket overflowed (ENOBUFS): the kernel dropped events; they are counted as lost records, and the next snapshot repairs the flows still open');
          else if (grew > 0) logger.info(dropped, 'conntrack event socket drained after its overflow: the kernel dropped more events meanwhile; counted as lost records');
          return;
        }
        case 'ready': {
          const versionProblem = readerVersionProblem(file, message.version);
          if (versionProblem) {
            settleReady?.(versionProblem);
            child.kill('SIGTERM');
            return;
          }
          logger.debug({ receiveBufferBytes: message.receiveBufferBytes }, 'conntrack netlink reader subscribed');
          settleReady?.();
          return;
        }
        default:
          return;
      }
    };
    this.overflowsOfThisProcess = 0;
    const records = new ConntrackRecordStream(
      onMessage,
      (err) => {
        metrics.conntrackParseErrors.inc();
        logger.warn({ err: err.message }, 'invalid conntrack reader record');
      },
      // Event records are read in place (no entry object per event); the rare others are decoded.
      (b, o) => this.tracker.handleRecordInto(b, o, chunk.atMs, chunk.records),
    );
    const chunk = this.handOverPerChunk(child.stdout, records);
    const errors = createInterface({ input: child.stderr });
    errors.on('line', (line) => {
      stderrTail = `${stderrTail}${line}\n`.slice(-2000);
      metrics.errors.inc({ component: 'conntrack' });
      logger.error({ line }, 'conntrack netlink reader');
    });
    this.eventsClosed = new Promise((resolve) => {
      child.on('error', (err) => {
        metrics.errors.inc({ component: 'conntrack' });
        logger.error({ err: err.message, command: argv.join(' ') }, 'cannot run the conntrack netlink reader');
        settleReady?.(new Error(`cannot run the netlink conntrack reader (${argv.join(' ')}): ${err.message}`));
      });
      child.on('close', (code, signal) => {
        records.end();
        errors.close();
        settleReady?.(new Error(`the netlink conntrack reader (${argv.join(' ')}) exited with ${code ?? signal} before subscribing to conntrack events: ${stderrTail.trim() || 'no message'}`));
        resolve();
        this.restartEventsLater('the conntrack netlink reader', code, signal);
      });
    });
  }

  private overflowsOfThisProcess = 0;

  /**
   * Feeds the reader's output to `records` chunk by chunk; the flow records of a whole chunk
   * (up to a few hundred events, or thousands of listed entries) go on together: one hand-over,
   * one metrics update and one clock read per chunk instead of per record. The returned state
   * is what `records`' callbacks write into: the chunk's arrival time and its records so far.
   */
  private handOverPerChunk(output: NodeJS.ReadableStream, records: ConntrackRecordStream): { atMs: number; records: FlowRecordData[] } {
    const chunk = { atMs: Date.now(), records: [] as FlowRecordData[] };
    output.on('data', (data: Buffer) => {
      chunk.atMs = Date.now();
      records.push(data);
      if (chunk.records.length === 0) return;
      const out = chunk.records;
      chunk.records = [];
      this.emit(out);
    });
    return chunk;
  }

  /** After the event process (`what`) died while the source runs: count it, log it, start a new one after a pause. */
  private restartEventsLater(what: string, code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.running) return;
    this.options.metrics.errors.inc({ component: 'conntrack' });
    this.options.logger.error({ code, signal }, `${what} exited; restarting in ${EVENT_RESTART_DELAY_MS} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.running) return;
      this.eventProcessRestarts++;
      // Events while no reader ran are lost: list the whole table next time.
      this.listingWanted = true;
      this.startEventProcess();
    }, EVENT_RESTART_DELAY_MS);
  }

  /**
   * Lists the table with the netlink reader (`dump`: both families, then a DUMP_END record),
   * handing each entry to the tracker as its chunk arrives (read in place, no entry objects: a
   * busy node lists hundreds of thousands every snapshot) and each chunk's records on.
   */
  private listWithReader(): Promise<void> {
    const argv = [...this.options.commandPrefix, this.readerPath!, 'dump'];
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stderr = '';
      let ended = false;
      const problems: string[] = [];
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 4096) stderr += chunk.toString();
      });
      const records = new ConntrackRecordStream(
        (message) => {
          if (message.kind === 'entry') this.tracker.listedEntryInto(message.entry, chunk.atMs, chunk.records);
          else if (message.kind === 'dump-end') ended = true;
        },
        (err) => {
          this.options.metrics.conntrackParseErrors.inc();
          if (problems.length < 5) problems.push(err.message);
        },
        (b, o) => this.tracker.listedRecordInto(b, o, chunk.atMs, chunk.records),
      );
      const chunk = this.handOverPerChunk(child.stdout, records);
      child.on('error', (err) => reject(new Error(`cannot run ${argv.join(' ')}: ${err.message}`, { cause: err })));
      child.on('close', (code) => {
        records.end();
        if (problems.length > 0) this.options.logger.warn({ problems }, 'invalid conntrack reader records in a table dump');
        if (code === 0 && ended) resolve();
        else reject(new Error(`${argv.join(' ')} exited with ${code}${ended ? '' : ' before the end of the dump'}: ${stderr.trim()}`));
      });
    });
  }

  /** Lists the table (both families) or refreshes ({@link wantsListing}), and hands the tracker's records over. */
  private snapshot(throwOnFailure: boolean): Promise<void> {
    if (this.snapshotRunning) return this.snapshotRunning;
    const run = async (): Promise<void> => {
      if (!this.wantsListing()) return this.refresh();
      const startedAt = Date.now();
      // Events lost from here on are not known to be in this listing: they ask for the next.
      this.listingWanted = false;
      this.tracker.beginListing(startedAt);
      const entries: ConntrackEntry[] = [];
      try {
        if (this.reader === 'netlink') await this.listWithReader();
        else for (const family of ['ipv4', 'ipv6']) await this.listFamily(family, entries);
      } catch (err) {
        this.listingWanted = true;
        this.options.metrics.errors.inc({ component: 'conntrack' });
        this.options.logger.error({ err: (err as Error).message }, 'conntrack snapshot failed');
        if (throwOnFailure) throw err;
        return;
      }
      this.snapshots++;
      this.lastSnapshotAt = new Date();
      this.options.metrics.conntrackTableReads.inc({ kind: 'listing' });
      const finishedAt = Date.now();
      const records: FlowRecordData[] = [];
      for (const entry of entries) this.tracker.listedEntryInto(entry, finishedAt, records);
      this.tracker.endListing(startedAt, finishedAt, records);
      this.emit(records);
    };
    this.snapshotRunning = run().finally(() => {
      this.snapshotRunning = null;
    });
    return this.snapshotRunning;
  }

  /**
   * Looks up the entries still open through the reader's `query` process (started on first
   * need, kept, started again after it died); their answers reach the tracker as they arrive.
   * A refresh that fails asks for a listing next time.
   */
  private async refresh(): Promise<void> {
    const { metrics, logger } = this.options;
    let proc = this.queryProcess;
    if (proc === null || proc.failure !== null) proc = this.queryProcess = this.startQueryProcess();
    try {
      await proc.ready;
      this.tracker.beginRefresh(Date.now());
      const answered = new Promise<void>((resolve, reject) => {
        proc.waiting = { resolve, reject };
      });
      const stdin = proc.child.stdin;
      // Written at once (the stream buffers what the pipe cannot take yet): the queries are a
      // copy of who is open now, while events go on changing the tracker's flows.
      this.tracker.writeRefreshQueries((chunk) => stdin.write(chunk));
      stdin.write(conntrackQueryEnd());
      await answered;
      this.refreshes++;
      this.lastRefreshAt = new Date();
      metrics.conntrackTableReads.inc({ kind: 'refresh' });
    } catch (err) {
      this.listingWanted = true;
      metrics.errors.inc({ component: 'conntrack' });
      logger.error({ err: (err as Error).message }, 'conntrack refresh failed; the next snapshot lists the table');
    } finally {
      proc.waiting = null;
      const records: FlowRecordData[] = [];
      this.tracker.endRefresh(Date.now(), records);
      this.emit(records);
    }
  }

  /** Starts `segflow-conntrack-reader query`: QUERY records in, FOUND / GONE answers and QUERY_END out. */
  private startQueryProcess(): QueryProcess {
    const { logger, metrics } = this.options;
    const argv = [...this.options.commandPrefix, this.readerPath!, 'query'];
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], detached: true }) as unknown as ChildProcessWithoutNullStreams;
    let settleReady: ((err?: Error) => void) | null = null;
    const ready = new Promise<void>((resolve, reject) => {
      settleReady = (err) => {
        settleReady = null;
        if (err) reject(err);
        else resolve();
      };
    });
    ready.catch(() => undefined); // awaited by refresh(), which reports it
    const proc: QueryProcess = { child, ready, waiting: null, failure: null };
    let stderrTail = '';
    let gone = 0;
    let failed = 0;
    const records = new ConntrackRecordStream(
      (message) => {
        switch (message.kind) {
          case 'entry':
            this.tracker.listedEntryInto(message.entry, chunk.atMs, chunk.records);
            return;
          case 'gone':
            if (message.error === ENOENT) {
              gone++;
              this.tracker.refreshGoneInto(message.entry, chunk.atMs);
            } else if (failed++ === 0) {
              logger.warn({ errno: message.error, protocol: message.entry.protocol, src: message.entry.original.src, dst: message.entry.original.dst }, 'conntrack lookup failed (further failures of this refresh are only counted)');
            }
            return;
          case 'query-end':
            metrics.conntrackLookups.inc({ result: 'found' }, Math.max(0, message.answered - gone - failed));
            if (gone > 0) metrics.conntrackLookups.inc({ result: 'gone' }, gone);
            if (failed > 0) metrics.conntrackLookups.inc({ result: 'error' }, failed);
            gone = failed = 0;
            proc.waiting?.resolve();
            return;
          case 'ready': {
            const versionProblem = readerVersionProblem(argv.join(' '), message.version);
            if (versionProblem) {
              settleReady?.(versionProblem);
              child.kill('SIGTERM');
              return;
            }
            settleReady?.();
            return;
          }
          default:
            return;
        }
      },
      (err) => {
        metrics.conntrackParseErrors.inc();
        logger.warn({ err: err.message }, 'invalid conntrack reader record');
      },
      (b, o) => this.tracker.listedRecordInto(b, o, chunk.atMs, chunk.records),
    );
    const chunk = this.handOverPerChunk(child.stdout, records);
    child.stdin.on('error', () => undefined); // a reader that died: its close says how
    child.stderr.on('data', (data: Buffer) => {
      stderrTail = `${stderrTail}${data.toString()}`.slice(-2000);
    });
    const fail = (err: Error): void => {
      proc.failure ??= err;
      settleReady?.(err);
      proc.waiting?.reject(err);
    };
    child.on('error', (err) => fail(new Error(`cannot run ${argv.join(' ')}: ${err.message}`)));
    child.on('close', (code, signal) => {
      records.end();
      fail(new Error(`${argv.join(' ')} exited with ${code ?? signal}: ${stderrTail.trim() || 'no message'}`));
    });
    return proc;
  }

  /** Ends the `query` process (it exits at the end of its stdin). */
  private stopQueryProcess(): void {
    const proc = this.queryProcess;
    this.queryProcess = null;
    if (proc !== null && proc.failure === null) proc.child.stdin.end();
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
