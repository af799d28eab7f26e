/**
 * The enricher role: a consumer group on the raw topic that turns FlowBatch messages into
 * enriched flow documents in Elasticsearch. Lifecycle, the same as every role's: the config is
 * resolved (`new Enricher(config, dependencies)`, see enricher-config.ts), the clients and the
 * processing pieces are built (`build()`, see enricher-build.ts; clients may be handed in), then
 * `start()` (inventory loaded, template installed, consuming) and `stop()`.
 *
 * ```ts
 * const enricher = new Enricher({ brokers: '127.0.0.1:9092', metricsPort: 0 }, { elasticsearch: client });
 * await enricher.start();
 * ...
 * await enricher.stop();
 * ```
 *
 * The batch half (the group member: fetched batches enriched, written, committed; Kafka and
 * Elasticsearch outages; rejoining through a moved coordinator) is flow-batch-consumer.ts; this
 * class is the role's lifecycle around it (topics, inventory, template, lag, retention, HTTP).
 */
import type { Admin, Producer } from 'kafkajs';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { Inventory } from '../inventory/inventory.ts';
import { InventoryTopicFollower } from '../inventory/topic/inventory-follower.ts';
import { ensureInventoryTopic } from '../inventory/topic/inventory-topic.ts';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { describeKafkaFailure, isKafkaClientError, type KafkaFailure } from '../runtime/kafka-errors.ts';
import { createLogger, type Logger } from '../runtime/logger.ts';
import { readPartitionLags } from './consumer-lag.ts';
import { ConsumerKafkaOutage } from './consumer-kafka-outage.ts';
import { DEAD_LETTER_HEADERS } from './dead-letter.ts';
import { FlowIndexRetention } from './elasticsearch/flow-index-retention.ts';
import { SummaryAudit } from './summary/summary-audit.ts';
import { installFlowIndexTemplate } from './elasticsearch/flow-index-template.ts';
import { buildEnricherParts, type EnricherDependencies, type EnricherParts } from './enricher-build.ts';
import { resolveEnricherConfig, type EnricherConfig, type EnricherConfigInput } from './enricher-config.ts';
import { startEnricherHttpServer, type EnricherHttpServer } from './enricher-http-server.ts';
import { EnricherMetrics } from './enricher-metrics.ts';
import { FlowBatchConsumer, type SettledBatch } from './flow-batch-consumer.ts';
import { SequenceTracker } from './sequence-tracker.ts';
import { randomUUID } from 'node:crypto';
import { agentReportIndexPrefix } from '../contract/flow-index-names.ts';
import { buildLagReport } from './agent-reports/lag-report.ts';

export { ENRICHER_REBALANCE_TIMEOUT_MS, ENRICHER_SESSION_TIMEOUT_MS } from './flow-batch-consumer.ts';

/** How long `stop()` lets batches being written settle and commit before leaving the group anyway. */
const STOP_SETTLE_MS = 1500;
/** How often the consumer lag is read from Kafka (end offsets vs committed offsets). */
const LAG_INTERVAL_MS = 5000;

export class Enricher {
  readonly config: EnricherConfig;
  readonly inventory = new Inventory();
  readonly registry = new Registry();
  readonly metrics: EnricherMetrics;
  private readonly log: Logger;
  /** The built clients and processing pieces (see build()). */
  private parts: EnricherParts | undefined;
  private building: Promise<EnricherParts> | undefined;
  private follower: InventoryTopicFollower | undefined;
  /** The batch half: the group member on the raw topic. */
  private batches: FlowBatchConsumer | undefined;
  private lagAdmin: Admin | undefined;
  private lagLoop: Promise<void> | undefined;
  private deadLetterProducer: Producer | undefined;
  private retention: FlowIndexRetention | undefined;
  private summaryAudit: SummaryAudit | undefined;
  /** The agent report indices (`<prefix>.reports-*`) expire with the flows they describe. */
  private reportRetention: FlowIndexRetention | undefined;
  private server: EnricherHttpServer | undefined;
  /** This process in the agent reports' `reporter.id` (one group has several enrichers). */
  private readonly instanceId = `${randomUUID()}`;
  private readonly sequences = new SequenceTracker();
  private ready = false;
  private stopping = false;
  private stopCalled: Promise<void> | undefined;
  private resolveJoined: (at: number) => void = () => undefined;
  /**
   * Settles (with `performance.now()`) when the consumer first joins its group and holds
   * partitions: from then on it fetches. Benchmarks time a backlog's consumption from here.
   */
  readonly joined = new Promise<number>((resolve) => {
    this.resolveJoined = resolve;
  });
  /** Kafka down: one line each way (see consumer-kafka-outage.ts). */
  private readonly kafkaOutage: ConsumerKafkaOutage;
  private readonly stopped = new AbortController();

  private fatal: KafkaFailure | undefined;
  private resolveFatal: (failure: KafkaFailure) => void = () => undefined;
  /**
   * Settles (never rejects) with the first fatal Kafka failure: TLS, SASL or ACL failures, or a
   * consumer kafkajs gave up on. Retrying cannot fix these: the role has stopped consuming and
   * its command stops it and exits 1 with `message` (already logged once here).
   */
  readonly fatalKafkaFailure = new Promise<KafkaFailure>((resolve) => {
    this.resolveFatal = resolve;
  });

  constructor(
    config: EnricherConfigInput = {},
    private readonly dependencies: EnricherDependencies = {},
  ) {
    this.config = resolveEnricherConfig(config);
    this.log = dependencies.logger ?? createLogger('enricher');
    this.kafkaOutage = new ConsumerKafkaOutage(this.log);
    this.metrics = new EnricherMetrics(this.registry);
    collectDefaultMetrics({ register: this.registry, prefix: 'segflow_enricher_' });
  }

  /**
   * Creates the Kafka and Elasticsearch clients (unless handed in) and the processing pieces,
   * connecting nothing; idempotent. `start()` calls it.
   */
  build(): Promise<EnricherParts> {
    this.building ??= buildEnricherParts(this.config, this.dependencies, { inventory: this.inventory, sequences: this.sequences, registry: this.registry, log: this.log }, {
      onFatal: (failure) => this.failFatally(failure),
      onTransient: (message) => { if (!this.stopping) this.kafkaOutage.trouble(message); },
    }).then((parts) => (this.parts = parts));
    return this.building;
  }

  /**
   * Starts consuming. A Kafka failure rejects with its described message (see kafka-errors.ts):
   * "Kafka denied SASL user "enricher" access to topic 'flows.raw' [TOPIC_AUTHORIZATION_FAILED]...".
   */
  async start(): Promise<void> {
    try {
      await this.startConsuming();
    } catch (error) {
      if (!isKafkaClientError(error)) throw error;
      throw new Error(describeKafkaFailure(error, this.kafkaContext()).message, { cause: error });
    }
  }

  /** What a Kafka failure of this role concerns, for its message. */
  private kafkaContext(topics: readonly string[] = [this.config.rawTopic, this.config.deadLetterTopic, this.config.inventoryTopic]) {
    return { brokers: this.config.brokers.split(','), security: this.config.kafkaSecurity, topics, groupId: this.config.groupId };
  }

  private failFatally(failure: KafkaFailure): void {
    if (this.fatal) return;
    this.fatal = failure;
    this.ready = false;
    this.stopping = true; // no further batches: each would fail the same way
    this.batches?.halt();
    this.log.error({ kind: failure.kind }, failure.message);
    this.resolveFatal(failure);
  }

  private async startConsuming(): Promise<void> {
    const { config } = this;
    if (config.metricsPort > 0) await this.startHttp();
    const { kafka, elasticsearch, reports, processor, summaries } = await this.build();
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      const missing = [config.rawTopic, config.deadLetterTopic].filter((t) => !topics.includes(t));
      if (missing.length > 0) {
        await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: topic === config.rawTopic ? config.rawTopicPartitions : 1 })) })
          .catch((err: Error) => { if (!/already exists/i.test(err.message)) throw err; });
      }
      await ensureInventoryTopic(admin, config.inventoryTopic);
    } finally {
      await admin.disconnect();
    }

    this.follower = new InventoryTopicFollower(kafka, config.inventoryTopic, {
      upsert: (resource, at) => {
        this.inventory.apply(resource, { at });
        this.metrics.inventoryRevision.set(this.inventory.revision);
      },
      remove: (key, at) => {
        this.inventory.delete(key, { at });
        this.metrics.inventoryRevision.set(this.inventory.revision);
      },
    }, this.log);
    await this.follower.start();

    const template = await installFlowIndexTemplate(elasticsearch, { prefix: config.indexPrefix });
    this.log.info({ template, prefix: config.indexPrefix }, 'flow index template installed');
    await reports.installTemplate();

    this.deadLetterProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.deadLetterProducer.connect();

    this.batches = new FlowBatchConsumer({
      kafka, config, processor, elasticsearch, sequences: this.sequences, deadLetterProducer: this.deadLetterProducer, kafkaOutage: this.kafkaOutage, log: this.log,
      onBatchSettled: (settled) => this.batchSettled(settled),
      onJoined: (at) => {
        this.metrics.lag.reset();
        this.resolveJoined(at);
      },
      onRejoin: () => this.metrics.kafkaRejoins.inc(),
      isFatal: (error) => this.isFatalKafkaFailure(error),
    });
    await this.batches.start();

    this.lagAdmin = kafka.admin();
    await this.lagAdmin.connect();
    this.lagLoop = this.followLag(this.lagAdmin);

    if (config.retentionDays > 0) {
      this.retention = new FlowIndexRetention({ client: elasticsearch, prefix: config.indexPrefix, retentionDays: config.retentionDays, logger: this.log });
      this.retention.start();
      this.reportRetention = new FlowIndexRetention({ client: elasticsearch, prefix: agentReportIndexPrefix(config.indexPrefix), retentionDays: config.retentionDays, logger: this.log });
      this.reportRetention.start();
    }
    if (config.summaryAuditIntervalMs > 0) {
      this.summaryAudit = new SummaryAudit({
        client: elasticsearch, prefix: config.indexPrefix, enqueue: (blocks) => summaries.queue(blocks),
        isAuditor: () => this.batches?.assigned.has(0) === true,
        intervalMs: config.summaryAuditIntervalMs, firstDelayMs: Math.min(60_000, config.summaryAuditIntervalMs), lookbackMs: config.summaryAuditLookbackMs,
        logger: this.log.child({ component: 'summary-audit' }),
      });
      this.summaryAudit.start();
    }
    this.ready = true;
    this.log.info({ rawTopic: config.rawTopic, group: config.groupId, inventoryRevision: this.inventory.revision }, 'enricher consuming');
  }

  /**
   * A Kafka failure of a batch (dead letters, commit) that retrying cannot fix: the
   * dead-letter topic or the group denied, a certificate no longer trusted. Stops the role.
   */
  private isFatalKafkaFailure(error: unknown): boolean {
    if (!isKafkaClientError(error)) return false;
    const failure = describeKafkaFailure(error, this.kafkaContext([this.config.deadLetterTopic]));
    if (failure.fatal) this.failFatally(failure);
    return failure.fatal;
  }

  /** Keeps the lag gauge current from Kafka's offsets, also while nothing settles. */
  private async followLag(admin: Admin): Promise<void> {
    while (!this.stopping) {
      try {
        const lags = await readPartitionLags(admin, this.config.groupId, this.config.rawTopic, this.batches?.assigned ?? new Set());
        for (const { partition, lag } of lags) {
          this.metrics.lag.set({ partition: String(partition) }, lag);
        }
        // The completeness figure's "enricher lag" (agent-report-document.ts); best effort.
        await this.parts?.reports.writeLag(buildLagReport(this.config.groupId, this.instanceId, lags, Date.now()))
          .catch((error: unknown) => this.log.debug({ error: error instanceof Error ? error.message : String(error) }, 'lag report not written (Elasticsearch unavailable?)'));
      } catch (error) {
        this.log.debug({ error: error instanceof Error ? error.message : String(error) }, 'consumer lag not read (Kafka unavailable?)');
      }
      await sleepFor(LAG_INTERVAL_MS, undefined, { signal: this.stopped.signal }).catch(() => undefined);
    }
  }

  /**
   * A batch settled and was committed (the seam for what follows a settled batch): its
   * figures go to the metrics.
   */
  private batchSettled({ result, partition, offsetLag: lag }: SettledBatch): void {
    const m = this.metrics;
    const deadByStage = new Map<string, number>();
    for (const dl of result.deadLetters) {
      const stage = String(dl.headers?.[DEAD_LETTER_HEADERS.stage] ?? 'unknown');
      deadByStage.set(stage, (deadByStage.get(stage) ?? 0) + 1);
    }
    for (const [stage, n] of deadByStage) m.deadLetters.inc({ stage }, n);
    m.messages.inc({ result: 'ok' }, result.messages - result.rejected.messagesRejected);
    m.messages.inc({ result: 'dead_letter' }, result.rejected.messagesRejected);
    for (const [reason, n] of Object.entries(result.rejected.records)) m.rejectedRecords.inc({ reason }, n);
    for (const [reason, n] of Object.entries(result.rejected.messages)) m.rejectedMessages.inc({ reason }, n);
    m.records.inc(result.records);
    if (result.goldmane.flows > 0) {
      m.goldmaneFlows.inc({ evaluation: 'agrees' }, result.goldmane.agrees);
      m.goldmaneFlows.inc({ evaluation: 'disagrees' }, result.goldmane.disagreements);
      m.goldmaneFlows.inc({ evaluation: 'unresolved' }, result.goldmane.unresolved);
    }
    m.documents.inc({ result: 'written' }, result.documentsWritten);
    m.documents.inc({ result: 'already_stored' }, result.documentsSkipped);
    m.documents.inc({ result: 'read_back' }, result.documentsReadBack);
    for (const kind of ['first', 'next', 'gap', 'duplicate', 'restart'] as const) if (result.sequence[kind]) m.sequence.inc({ kind }, result.sequence[kind]);
    if (result.sequence.missingBatches) {
      m.missingBatches.inc(result.sequence.missingBatches);
      this.log.warn({ missing: result.sequence.missingBatches, partition }, 'agent batches missing (sequence gap): lost between agent and enricher, or with a killed agent');
    }
    m.lag.set({ partition: String(partition) }, Number(lag));
  }

  /** `/healthz` and `/metrics`, the same endpoint shape as the collector and the inventory sync. */
  private async startHttp(): Promise<void> {
    this.server = await startEnricherHttpServer(this.config.metricsHost, this.config.metricsPort, {
      registry: this.registry,
      health: () => ({ ready: this.ready, inventoryRevision: this.inventory.revision, inventory: this.follower?.stats, elasticsearchUnavailableSince: this.batches?.elasticsearchUnavailableSince === undefined ? null : new Date(this.batches.elasticsearchUnavailableSince).toISOString() }),
    });
  }

  /**
   * Stops within ~2 s: batches being written get STOP_SETTLE_MS to settle and commit (what does
   * not is consumed again by whoever holds the partition next, and skipped where already
   * stored), then the consumer leaves the group (its partitions move at once, no session
   * timeout), and everything else is closed.
   */
  stop(): Promise<void> {
    this.stopCalled ??= this.stopNow();
    return this.stopCalled;
  }

  private async stopNow(): Promise<void> {
    const began = performance.now();
    const inFlightBatches = this.batches?.inFlightBatches ?? 0;
    this.log.info({ inFlightBatches }, 'enricher stopping');
    this.ready = false;
    this.stopping = true;
    this.stopped.abort();
    this.kafkaOutage.halt();
    this.batches?.halt();
    // The inventory reader waits out its fetch under way: let it do so meanwhile.
    const followerStopped = this.follower?.stop();
    const settledInTime = (await this.batches?.settle(STOP_SETTLE_MS)) ?? true;
    await Promise.allSettled([
      this.batches?.disconnect(),
      followerStopped,
      this.deadLetterProducer?.disconnect(),
      this.lagAdmin?.disconnect(),
      this.retention?.stop(),
      this.reportRetention?.stop(),
      this.summaryAudit?.stop(),
      this.parts?.summaries.stop(),
    ]);
    await this.lagLoop;
    if (this.parts?.ownsElasticsearch) await this.parts.elasticsearch.close();
    await this.server?.close();
    this.log.info({ tookMs: Math.round(performance.now() - began), unsettledBatches: settledInTime ? 0 : inFlightBatches }, 'enricher stopped');
  }
}
