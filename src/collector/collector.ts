/**
 * The node agent's lifecycle root: sources → {@link FlowBatcher} → {@link FlowBatchDelivery}
 * (Kafka, or the {@link DiskSpool} while Kafka is down), plus metrics and the health endpoint.
 *
 * ```ts
 * const collector = new Collector({ nodeName: 'node1', kafka: { brokers: ['127.0.0.1:9092'] } });
 * await collector.start();
 * ...
 * await collector.stop();   // flushes: pending records are sent or spooled, never dropped
 * ```
 */
import { randomUUID } from 'node:crypto';
import type { KafkaFailure } from '../runtime/kafka-errors.ts';
import type { Logger } from '../runtime/logger.ts';
import { createLogger } from '../runtime/logger.ts';
import { startCollectorHttpServer, type CollectorHttpServer } from './collector-http-server.ts';
import { CollectorMetrics } from './collector-metrics.ts';
import { resolveCollectorConfig, type CollectorConfig, type CollectorConfigInput } from './collector-config.ts';
import { FlowBatcher } from './flow-batcher.ts';
import { LossTally } from './loss-tally.ts';
import { CrashLedger, readPreviousRun, type PreviousRun } from './sinks/crash-ledger.ts';
import { DiskSpool } from './sinks/disk-spool.ts';
import { PREVIOUS_BOOT_HEADER, previousBootHeaderValue } from '../contract/wire/previous-boot-header.ts';
import { FlowBatchDelivery, type DeliveryStatus } from './sinks/flow-batch-delivery.ts';
import { KafkaFlowSink, type FlowBatchSink } from './sinks/kafka-flow-sink.ts';
import { ConntrackSource } from './sources/conntrack/conntrack-source.ts';
import { withEbpfSource } from './sources/ebpf/ebpf-collector-wiring.ts';
import { createSyntheticSource } from './sources/synthetic/synthetic-flow-source.ts';
import type { FlowSource } from './sources/flow-source.ts';

/** Full status document of a collector (`GET /status`). */
export interface CollectorStatus {
  nodeName: string;
  agentId: string;
  bootId: string | null;
  state: 'created' | 'starting' | 'running' | 'stopping' | 'stopped';
  nextSequence: number | null;
  pendingRecords: number;
  delivery: DeliveryStatus | null;
  sources: Record<string, Record<string, unknown>>;
}

/** Things a test or an embedding program may substitute. */
export interface CollectorDependencies {
  /** Sources to run instead of the ones named in the config (tests). */
  sources?: FlowSource[];
  logger?: Logger;
  metrics?: CollectorMetrics;
}

/** The node agent; see the module comment. */
export class Collector {
  /** The resolved configuration (defaults filled in). */
  readonly config: CollectorConfig;
  readonly metrics: CollectorMetrics;
  private readonly logger: Logger;
  private state: CollectorStatus['state'] = 'created';
  private sources: FlowSource[] = [];
  private batcher: FlowBatcher | null = null;
  private delivery: FlowBatchDelivery | null = null;
  private sink: FlowBatchSink | null = null;
  private spool: DiskSpool | null = null;
  private http: CollectorHttpServer | null = null;
  private ledger: CrashLedger | null = null;
  /** This boot's losses, reported in every batch; ring-buffer drops are read from the sources. */
  private readonly losses = new LossTally({ readTotals: () => this.sourceLossTotals() });
  /** While start() waits for the spool directory's lock: why (for /healthz). */
  private waitingFor: string | null = null;
  private fatal: KafkaFailure | null = null;
  private resolveFatal: (failure: KafkaFailure) => void = () => undefined;
  /**
   * Settles (never rejects) with the first fatal Kafka failure (TLS, SASL, ACL): retrying cannot
   * fix it, so the command stops the collector (what is queued goes to the spool and is replayed
   * by the next start) and exits 1 with `message` (already logged once here).
   */
  readonly fatalKafkaFailure = new Promise<KafkaFailure>((resolve) => {
    this.resolveFatal = resolve;
  });

  constructor(
    config: CollectorConfigInput,
    private readonly dependencies: CollectorDependencies = {},
  ) {
    this.config = resolveCollectorConfig(config);
    this.logger = dependencies.logger ?? createLogger('collector');
    this.metrics = dependencies.metrics ?? new CollectorMetrics({ defaultMetrics: true });
  }

  /** The port of the health/metrics endpoint once started (null when disabled or not started). */
  get httpPort(): number | null {
    return this.http?.port ?? null;
  }

  /** The boot id of this run (null before start). */
  get bootId(): string | null {
    return this.batcher?.bootId ?? null;
  }

  /**
   * Opens the spool (replaying what a previous run left), connects the pipeline, starts the
   * HTTP endpoint and the sources. Rejects (after undoing what it started) when a source cannot
   * start, e.g. the `conntrack` tool is missing or lacks the privileges.
   */
  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`collector cannot start from state ${this.state}`);
    this.state = 'starting';
    const { config, metrics, logger } = this;
    const bootId = randomUUID();
    try {
      // Health first: a start that waits (for a killed predecessor's spool lock) answers 503 with the reason.
      if (config.http) this.http = await startCollectorHttpServer(config.http.host, config.http.port, this.httpHandlers());
      this.spool = await DiskSpool.open({
        ...config.spool,
        onLockWait: (wait) => {
          this.waitingFor = `waiting up to ${Math.ceil(wait.waitMs / 1000)} s for the spool directory ${wait.directory}, locked by ${wait.holder} (refreshed ${Math.round(wait.refreshedAgoMs / 1000)} s ago): a collector that was killed leaves its lock until the lease lapses`;
          logger.warn({ directory: wait.directory, holder: wait.holder, refreshedAgoSeconds: Math.round(wait.refreshedAgoMs / 1000), waitSeconds: Math.ceil(wait.waitMs / 1000) }, 'spool directory locked by another collector (or one that was killed): waiting for its lease to lapse');
        },
      });
      if (this.waitingFor) logger.info({ directory: config.spool.directory }, 'spool directory lock taken over');
      this.waitingFor = null;
      // The spool's lock is ours: so is the ledger next to it. What the previous run left says what it lost.
      const previous = readPreviousRun(config.spool.directory);
      if (previous) this.reportPreviousRun(previous);
      const ledger = new CrashLedger({ directory: config.spool.directory, agentId: config.agentId, bootId, openConnections: () => this.openConnections() });
      this.ledger = ledger;
      this.sink = await KafkaFlowSink.create({
        brokers: config.kafka.brokers,
        topic: config.kafka.topic,
        clientId: config.kafka.clientId,
        key: config.nodeName,
        sendTimeoutMs: config.kafka.sendTimeoutMs,
        ensureTopic: config.kafka.ensureTopic,
        topicPartitions: config.kafka.topicPartitions,
        clientOverrides: config.kafka.clientOverrides,
        security: config.kafkaSecurity,
        onFatal: (failure) => this.failFatally(failure),
        ...(previous && previous.agentId === config.agentId
          ? { extraHeaders: { [PREVIOUS_BOOT_HEADER]: previousBootHeaderValue({ agentId: config.agentId, bootId, previousBootId: previous.bootId, previousLastSequence: previous.lastSequenceBuilt }) } }
          : {}),
        logger,
      });
      const losses = this.losses;
      const delivery = new FlowBatchDelivery({
        sink: this.sink, spool: this.spool, metrics, logger, onSettled: (batch) => ledger.settled(batch.sequence, batch.records),
        onLoss: (cause, loss) => losses.count(cause, loss.records, loss.batches),
        onDrained: () => this.batcher?.reportLossesSoon(),
      });
      this.delivery = delivery;
      delivery.start();
      const batcher = new FlowBatcher(
        { agentId: config.agentId, nodeName: config.nodeName, bootId, ...config.batch, lossTally: losses, metrics, logger },
        (batch) => {
          ledger.built(batch.sequence, batch.records, this.batcher?.pendingRecords ?? 0);
          delivery.enqueue(batch);
        },
      );
      this.batcher = batcher;
      // A loss goes out at once while batches go straight to Kafka; during an outage the batch
      // after it (or the replay's end) carries it — an empty batch would only churn a full spool.
      losses.onCount(() => {
        if (delivery.direct) batcher.reportLossesSoon();
      });
      if (delivery.direct) batcher.reportLossesSoon(); // a killed predecessor's loss
      this.sources = this.dependencies.sources ?? this.createSources();
      for (const source of this.sources) {
        await source.start((records) => {
          batcher.add(records);
          ledger.pending(batcher.pendingRecords);
        });
      }
      this.state = 'running';
      logger.info(
        { nodeName: config.nodeName, agentId: config.agentId, bootId: batcher.bootId, sources: this.sources.map((s) => s.name), topic: config.kafka.topic, httpPort: this.httpPort, spool: config.spool.directory },
        'collector started',
      );
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'collector failed to start');
      await this.shutdown();
      throw err;
    }
  }

  /**
   * The previous run of this spool directory did not stop cleanly (SIGKILL, OOM kill, power
   * cut): count and say what it held in memory. Its spooled batches are replayed as usual.
   */
  private reportPreviousRun(previous: PreviousRun): void {
    if (previous.clean) return;
    const lostRecords = previous.lostBatchedRecords + previous.lostUnbatchedRecords;
    const { metrics } = this;
    if (previous.lostBatches > 0) metrics.batchesDropped.inc({ reason: 'crash' }, previous.lostBatches);
    if (lostRecords > 0) metrics.recordsDropped.inc({ reason: 'crash' }, lostRecords);
    if (previous.openConnections > 0) metrics.crashOpenConnections.inc(previous.openConnections);
    // Reported in this boot's first batch: the enricher's completeness figure names the crash.
    this.losses.count('crash', lostRecords, previous.lostBatches);
    this.logger.warn(
      {
        previousBootId: previous.bootId, lastWriteAt: previous.lastWriteAt, lostBatches: previous.lostBatches, lostBatchedRecords: previous.lostBatchedRecords,
        lostUnbatchedRecords: previous.lostUnbatchedRecords, openConnections: previous.openConnections, lastSequence: previous.lastSequenceBuilt,
      },
      `the previous run (boot ${previous.bootId}) did not stop cleanly: ${lostRecords} records lost in memory (${previous.lostBatches} batches built but neither sent nor spooled, ${previous.lostUnbatchedRecords} records not yet batched); the last deltas of ${previous.openConnections} open connections are lost`,
    );
  }

  /**
   * Losses the sources count themselves since they started: events the kernel's eBPF ring
   * buffer dropped (`ringbufFull`), events discarded when the eBPF loader restarted, and
   * conntrack events the kernel dropped on the netlink reader's full socket
   * (`kernelDroppedEvents`) — a kernel buffer that overflowed, too, so also `ring_buffer`.
   */
  private sourceLossTotals(): { ring_buffer?: { records: number; batches: number }; other?: { records: number; batches: number } } {
    let ring = 0;
    let other = 0;
    for (const source of this.sources) {
      const status = source.status();
      // eBPF alone reports them at the top; merged with conntrack, under `ebpf`.
      for (const s of [status, status.ebpf, status.conntrack]) {
        if (typeof s !== 'object' || s === null) continue;
        const { ringbufFull, lostOnRestart, kernelDroppedEvents } = s as { ringbufFull?: unknown; lostOnRestart?: unknown; kernelDroppedEvents?: unknown };
        if (typeof ringbufFull === 'number') ring += ringbufFull;
        if (typeof kernelDroppedEvents === 'number') ring += kernelDroppedEvents;
        if (typeof lostOnRestart === 'number') other += lostOnRestart;
      }
    }
    return { ...(ring > 0 ? { ring_buffer: { records: ring, batches: 0 } } : {}), ...(other > 0 ? { other: { records: other, batches: 0 } } : {}) };
  }

  /** Connections the sources track as open (for the crash ledger). */
  private openConnections(): number {
    let n = 0;
    for (const source of this.sources) {
      const tracked = source.status().trackedFlows;
      if (typeof tracked === 'number') n += tracked;
    }
    return n;
  }

  /**
   * Stops the sources (they report their last deltas), flushes the batcher, and gives the
   * delivery up to `drainTimeoutMs` to send what is queued; whatever Kafka has not acknowledged
   * by then stays in the spool for the next start.
   */
  async stop(drainTimeoutMs = 5000): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    await this.shutdown(drainTimeoutMs);
    this.logger.info('collector stopped');
  }

  /** Current status (also served at `/status`). */
  status(): CollectorStatus {
    return {
      nodeName: this.config.nodeName,
      agentId: this.config.agentId,
      bootId: this.bootId,
      state: this.state,
      nextSequence: this.batcher?.sequence ?? null,
      pendingRecords: this.batcher?.pendingRecords ?? 0,
      delivery: this.delivery?.status() ?? null,
      sources: Object.fromEntries(this.sources.map((s) => [s.name, s.status()])),
    };
  }

  /**
   * Waits until every batch built so far is acknowledged by Kafka (memory queue and spool
   * empty); rejects after `timeoutMs`. Flushes the batcher first.
   */
  async drained(timeoutMs: number): Promise<void> {
    this.batcher?.flush();
    if (this.delivery) await this.delivery.drained(timeoutMs);
  }

  private createSources(): FlowSource[] {
    const { config } = this;
    const sources = config.sources.filter((name) => name !== 'ebpf').map((name): FlowSource => {
      switch (name) {
        case 'conntrack':
          return new ConntrackSource({ nodeName: config.nodeName, ...config.conntrack, metrics: this.metrics, logger: this.logger });
        case 'synthetic':
          return createSyntheticSource({ nodeName: config.nodeName, ...config.synthetic, logger: this.logger, metrics: this.metrics });
        default:
          throw new Error(`unknown flow source ${String(name)}`);
      }
    });
    // eBPF joins conntrack (one merged source, so a flow both see is counted once) or runs alone.
    return withEbpfSource(sources, config.nodeName, {
      enabled: config.sources.includes('ebpf'),
      reportIntervalMs: config.conntrack.snapshotIntervalMs,
      commandPrefix: config.conntrack.commandPrefix,
      ...config.ebpf,
    }, { metrics: this.metrics, logger: this.logger });
  }

  private httpHandlers() {
    return {
      registry: this.metrics.registry,
      status: () => this.status(),
      health: () => {
        const reasons: string[] = [];
        if (this.state !== 'running') reasons.push(`collector is ${this.state}`);
        if (this.waitingFor) reasons.push(this.waitingFor);
        for (const source of this.sources) {
          const s = source.status();
          if (s.running === false) reasons.push(`source ${source.name} is not running`);
        }
        // Kafka being down is not unhealthy: the spool covers it (and /status shows it). A
        // failure retrying cannot fix is.
        if (this.fatal) reasons.push(this.fatal.message);
        return { healthy: reasons.length === 0, reasons };
      },
    };
  }

  private failFatally(failure: KafkaFailure): void {
    if (this.fatal) return;
    this.fatal = failure;
    this.logger.error({ kind: failure.kind }, failure.message);
    this.resolveFatal(failure);
  }

  private async shutdown(drainTimeoutMs = 0): Promise<void> {
    for (const source of this.sources) {
      await source.stop().catch((err: Error) => this.logger.error({ err: err.message, source: source.name }, 'source stop failed'));
    }
    this.batcher?.stop();
    if (this.delivery && drainTimeoutMs > 0) {
      await this.delivery.drained(drainTimeoutMs).catch((err: Error) => this.logger.warn({ err: err.message }, 'stopping with undelivered batches: they stay in the spool'));
    }
    await this.delivery?.stop();
    // Everything built is sent or spooled now: nothing of this boot can be lost any more.
    this.ledger?.close(true);
    this.ledger = null;
    await this.sink?.close();
    await this.spool?.close();
    await this.http?.close();
    this.http = null;
    this.state = 'stopped';
  }
}
