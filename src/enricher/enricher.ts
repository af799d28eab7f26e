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
 * Delivery: at-least-once in, exactly-once out. Offsets are committed only after every
 * document of a fetched batch is settled in Elasticsearch and every dead letter is acknowledged
 * by Kafka; document ids are deterministic and stored documents remember which agent batches
 * they contain, so a replay after a crash overwrites nothing twice and duplicates nothing.
 * Memory is bounded by design: per partition, one batch being written and the next one being
 * enriched (each at most `maxBytesPerPartition` fetched); a third is not fetched before the
 * first has settled.
 */
import { errors as elasticsearchErrors } from '@elastic/elasticsearch';
import type { Admin, Consumer, EachBatchPayload, Producer, RetryOptions } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { Inventory } from '../inventory/inventory.ts';
import { InventoryTopicFollower } from '../inventory/topic/inventory-follower.ts';
import { ensureInventoryTopic } from '../inventory/topic/inventory-topic.ts';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { describeKafkaFailure, isKafkaClientError, type KafkaFailure } from '../runtime/kafka-errors.ts';
import { createLogger, type Logger } from '../runtime/logger.ts';
import { parsePreviousBootHeader } from '../contract/wire/previous-boot-header.ts';
import { readPartitionLags } from './consumer-lag.ts';
import { DEAD_LETTER_HEADERS } from './dead-letter.ts';
import { ElasticsearchOutage } from './elasticsearch-outage.ts';
import { FlowBulkIncompleteError } from './elasticsearch/flow-bulk-writer.ts';
import { FlowIndexRetention } from './elasticsearch/flow-index-retention.ts';
import { installFlowIndexTemplate } from './elasticsearch/flow-index-template.ts';
import { buildEnricherParts, type EnricherDependencies, type EnricherParts } from './enricher-build.ts';
import { resolveEnricherConfig, type EnricherConfig, type EnricherConfigInput } from './enricher-config.ts';
import { startEnricherHttpServer, type EnricherHttpServer } from './enricher-http-server.ts';
import { EnricherMetrics } from './enricher-metrics.ts';
import type { ProcessResult } from './flow-batch-processor.ts';
import { isCoordinatorGone, isRebalanceRefusal } from './kafka-group-errors.ts';
import { SequenceTracker } from './sequence-tracker.ts';
import { randomUUID } from 'node:crypto';
import { agentReportIndexPrefix } from '../contract/flow-index-names.ts';
import { buildLagReport } from './agent-reports/lag-report.ts';

/**
 * Group membership: a member that stops heartbeating (killed, frozen) loses its partitions
 * after this long. Shorter moves a killed enricher's partitions sooner; too short and a busy
 * machine's pauses (GC, a slow event loop) would cost the partitions of a live one. 6 s with a
 * heartbeat every second (five missed heartbeats), the floor brokers allow by default
 * (group.min.session.timeout.ms).
 */
export const ENRICHER_SESSION_TIMEOUT_MS = 6000;
const HEARTBEAT_INTERVAL_MS = 1000;
/**
 * How long a rebalance waits for the group's members to join again. After a broker restart
 * kafkajs (with a single broker) drops the consumer and starts it again as a new member, and the
 * restarted coordinator still lists the old one: the rebalance waits for it until this timeout
 * (or its session timeout) — 60 s by default, 3 s here, so the enricher fetches again within
 * ~5 s of Kafka answering. The cost: a live member that cannot rejoin within 3 s (eachBatch
 * busy that long) is dropped from that generation and joins the next one.
 */
export const ENRICHER_REBALANCE_TIMEOUT_MS = 3000;
/**
 * Retries of the consumer's fetch loop while Kafka does not answer: each failure it retries
 * keeps the member (no rejoin), for up to ~1 min.
 */
const CONSUMER_RETRY: RetryOptions = { initialRetryTime: 300, maxRetryTime: 2000, retries: 30 };
/** How long `stop()` lets batches being written settle and commit before leaving the group anyway. */
const STOP_SETTLE_MS = 1500;
/** Kafka answering this long without new trouble ends an outage (one line each way, not one per flap). */
const KAFKA_RECOVERED_MS = 5000;
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
  private consumer: Consumer | undefined;
  private lagAdmin: Admin | undefined;
  private lagLoop: Promise<void> | undefined;
  private deadLetterProducer: Producer | undefined;
  private retention: FlowIndexRetention | undefined;
  /** The agent report indices (`<prefix>.reports-*`) expire with the flows they describe. */
  private reportRetention: FlowIndexRetention | undefined;
  private server: EnricherHttpServer | undefined;
  /** This process in the agent reports' `reporter.id` (one group has several enrichers). */
  private readonly instanceId = `${randomUUID()}`;
  private readonly sequences = new SequenceTracker();
  /** Partitions of the raw topic this member holds (from its last group join). */
  private assigned = new Set<number>();
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
  /** Per partition: the settle (write + commit) of its last batch handed to the writer. */
  private readonly settling = new Map<number, Promise<void>>();
  /** Set while the consumer is stopped and run again to find a new group coordinator. */
  private rejoining: Promise<void> | undefined;
  /** Batches that failed in a row for reasons other than Elasticsearch: sets the backoff and keeps a persistent failure to one log line. */
  private consecutiveFailures = 0;
  private lastFailureLogged: string | undefined;
  /** Elasticsearch down: the raw topic is paused and probed on a backoff (see elasticsearch-outage.ts). */
  private readonly outage = new ElasticsearchOutage();
  private paused = false;
  /** Kafka down (connections refused or closed): when it began, for one line each way. */
  private kafkaUnavailableSince: number | undefined;
  /** When Kafka answered again; the outage is declared over once it stays so for KAFKA_RECOVERED_MS. */
  private kafkaAnsweredAt: number | undefined;
  private kafkaRecovery: NodeJS.Timeout | undefined;
  private readonly stopped = new AbortController();
  private readonly stoppedSignal = new Promise<void>((resolve) => this.stopped.signal.addEventListener('abort', () => resolve(), { once: true }));

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
      onTransient: (message) => this.kafkaTrouble(message),
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
    this.log.error({ kind: failure.kind }, failure.message);
    this.resolveFatal(failure);
  }

  private async startConsuming(): Promise<void> {
    const { config } = this;
    if (config.metricsPort > 0) await this.startHttp();
    const { kafka, elasticsearch, reports } = await this.build();
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

    this.consumer = kafka.consumer({
      groupId: config.groupId, maxBytesPerPartition: config.maxFetchBytesPerPartition,
      sessionTimeout: ENRICHER_SESSION_TIMEOUT_MS, heartbeatInterval: HEARTBEAT_INTERVAL_MS, rebalanceTimeout: ENRICHER_REBALANCE_TIMEOUT_MS,
      // Stopping waits for the fetch under way: a short long-poll keeps `stop()` short.
      maxWaitTimeInMs: 1000, retry: CONSUMER_RETRY,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: config.rawTopic, fromBeginning: true });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      // Partitions may have moved: documents remembered as written may have changed since, and
      // whatever was fetched but not committed comes again.
      this.parts?.processor.forgetWrittenDocuments();
      this.sequences.rewindAll();
      this.assigned = new Set(payload.memberAssignment[config.rawTopic] ?? []);
      this.metrics.lag.reset();
      this.kafkaAnswers();
      this.resolveJoined(performance.now());
    });
    // What a commit confirms, only once Kafka took it: kafkajs skips a commit silently when its
    // consumer is being restarted (a broker restart), and then that fetch comes again.
    this.consumer.on(this.consumer.events.COMMIT_OFFSETS, ({ payload }) => {
      for (const t of payload.topics) {
        if (t.topic !== config.rawTopic) continue;
        for (const p of t.partitions) this.sequences.committed(p.partition, (BigInt(p.offset) - 1n).toString());
      }
      this.kafkaAnswers();
    });
    await this.runConsumer();

    this.lagAdmin = kafka.admin();
    await this.lagAdmin.connect();
    this.lagLoop = this.followLag(this.lagAdmin);

    if (config.retentionDays > 0) {
      this.retention = new FlowIndexRetention({ client: elasticsearch, prefix: config.indexPrefix, retentionDays: config.retentionDays, logger: this.log });
      this.retention.start();
      this.reportRetention = new FlowIndexRetention({ client: elasticsearch, prefix: agentReportIndexPrefix(config.indexPrefix), retentionDays: config.retentionDays, logger: this.log });
      this.reportRetention.start();
    }
    this.ready = true;
    this.log.info({ rawTopic: config.rawTopic, group: config.groupId, inventoryRevision: this.inventory.revision }, 'enricher consuming');
  }

  private async runConsumer(): Promise<void> {
    await this.consumer!.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: this.config.partitionsConcurrently, eachBatch: (payload) => this.handleBatch(payload) });
  }

  /**
   * kafkajs finds the group's coordinator when the consumer joins and keeps it: when that
   * broker leaves a multi-broker cluster, every commit fails ("Broker N not found in the cached
   * metadata") and nothing makes kafkajs look again, so the enricher would retry the same batch
   * until that broker returns. Stopping and running the consumer again joins the group through
   * the coordinator the remaining brokers name (the uncommitted batches come again, skipped
   * where stored). Started off the batch's own promise: stop() waits for eachBatch, which waits
   * for that promise.
   */
  private rejoinGroup(error: unknown): void {
    if (this.rejoining !== undefined || this.stopping || !this.consumer) return;
    const consumer = this.consumer;
    this.log.warn({ error: error instanceof Error ? error.message : String(error) }, 'Kafka: the consumer group\'s coordinator left the cluster; rejoining the group through the brokers that remain');
    this.metrics.kafkaRejoins.inc();
    this.rejoining = (async () => {
      await consumer.stop();
      if (!this.stopping) await this.runConsumer();
    })().catch((rejoinError: unknown) => {
      this.log.error({ error: rejoinError instanceof Error ? rejoinError.message : String(rejoinError) }, 'could not rejoin the consumer group; restart the enricher');
    }).finally(() => {
      this.rejoining = undefined;
    });
  }

  /**
   * One fetched batch, pipelined: it is enriched while the partition's previous batch is still
   * being written, then written once that one has settled and committed. Offsets are committed
   * in order and only after every document of the batch is settled; the next batch is fetched
   * as soon as this one is handed to the writer (resolveOffset), so Elasticsearch and the
   * enricher's CPU work at the same time. At most two batches per partition are in memory.
   */
  private async handleBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    if (this.stopping || !isRunning() || isStale() || batch.messages.length === 0 || !this.parts) return;
    const first = batch.messages[0]!.offset;
    const last = batch.messages[batch.messages.length - 1]!.offset;
    if (this.paused) {
      // Fetched before the partitions were paused for an Elasticsearch outage: not enriched now
      // (that is the work the pause saves); it is fetched again when they resume.
      this.seekBack(batch.topic, batch.partition, first);
      return;
    }
    const processor = this.parts.processor;
    for (const m of batch.messages) {
      const note = parsePreviousBootHeader(m.headers);
      if (note) this.sequences.notePredecessor(note);
    }
    const prepared = this.sequences.observing(batch.partition, last, () =>
      processor.prepare(batch.messages.map((m) => ({ partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers }))));
    const previous = this.settling.get(batch.partition);
    if (previous) {
      try {
        // Stopping does not wait for a write that may be stuck in an outage.
        await Promise.race([previous, this.stoppedSignal]);
      } catch {
        // The previous batch failed and the partition was sought back to it: this batch comes again.
        return;
      }
    }
    if (this.stopping || !isRunning() || isStale()) return;
    const settle: Promise<void> = (async (): Promise<void> => {
      // Heartbeats keep the group membership while a slow Elasticsearch holds the batch.
      const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
      try {
        let result: ProcessResult;
        try {
          result = await processor.settle(prepared);
        } catch (error) {
          if (isElasticsearchFailure(error)) this.elasticsearchFailed(error);
          throw error;
        }
        if (result.deadLetters.length > 0) {
          await this.deadLetterProducer!.send({ topic: this.config.deadLetterTopic, acks: -1, compression: CompressionTypes.GZIP, messages: result.deadLetters });
        }
        await this.consumer!.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        this.record(result, batch.partition, batch.offsetLag());
        this.noteSettled();
      } catch (error) {
        // The dead-letter topic or the group denied, a certificate no longer trusted: stop, do not retry.
        if (isKafkaClientError(error)) {
          const failure = describeKafkaFailure(error, this.kafkaContext([this.config.deadLetterTopic]));
          if (failure.fatal) {
            this.failFatally(failure);
            throw error;
          }
        }
        // A commit refused because the group moved on (a rebalance: a member joined or died) is
        // routine: the batch comes again to whoever holds the partition now, skipped where stored.
        if (isCoordinatorGone(error)) {
          setImmediate(() => this.rejoinGroup(error));
          throw error;
        }
        if (isRebalanceRefusal(error)) {
          this.log.debug({ error: error instanceof Error ? error.message : String(error), partition: batch.partition }, 'commit refused by a rebalance; the batch is consumed again');
          throw error;
        }
        // Elasticsearch down: the partitions are paused and probed (no wait here). Anything
        // else waits a backoff; heartbeats continue through it, so the partitions stay ours.
        if (!this.outage.active) await this.backOffAfterFailure(error, batch.partition, first, last);
        throw error;
      } finally {
        clearInterval(beat);
      }
    })().catch((error: unknown) => {
      // Nothing of the batch is committed: consume it again from its first offset (documents
      // already written take only the agent batches they do not hold yet). A batch of the
      // partition fetched meanwhile sees this failure and steps aside; the one sought back to
      // must not, so the failure is forgotten here. What the sequence checks saw of them is
      // undone: seeing them again is not a duplicate.
      this.log.debug({ error: error instanceof Error ? error.message : String(error), partition: batch.partition, from: first, to: last }, 'batch not settled; consuming it again');
      processor.forgetWrittenDocuments();
      this.sequences.rewind(batch.partition);
      if (this.settling.get(batch.partition) === settle) this.settling.delete(batch.partition);
      this.seekBack(batch.topic, batch.partition, first);
      throw error;
    });
    settle.catch(() => undefined); // observed by the partition's next batch and by stop()
    this.settling.set(batch.partition, settle);
    // With auto-resolve off, kafkajs fetches from the last *resolved* offset: without this it
    // would fetch the same batch again and again (harmless for the documents, fatal for speed).
    resolveOffset(last);
  }

  private seekBack(topic: string, partition: number, offset: string): void {
    if (this.stopping) return;
    try {
      this.consumer?.seek({ topic, partition, offset });
    } catch (seekError) {
      this.log.error({ error: seekError instanceof Error ? seekError.message : String(seekError), partition }, 'could not seek back; the batch comes again after the next rebalance or restart');
    }
  }

  /**
   * A batch failed because Elasticsearch did not take it: the first failure of an outage logs
   * one line and pauses the raw topic (nothing more is fetched or enriched); a probe on a
   * backoff resumes it once Elasticsearch answers. The outage ends when a batch settles.
   */
  private elasticsearchFailed(error: unknown): void {
    if (this.outage.failed(Date.now())) {
      const since = new Date(this.outage.since!).toISOString();
      this.log.warn(
        { error: error instanceof Error ? error.message : String(error), since, retryMaxSeconds: this.outage.maxMs / 1000 },
        `Elasticsearch unavailable since ${since}, retrying every ${this.outage.maxMs / 1000} s at most; nothing committed`,
      );
    }
    if (this.paused || this.stopping) return;
    this.paused = true;
    this.consumer?.pause([{ topic: this.config.rawTopic }]);
    void this.probeElasticsearch();
  }

  private async probeElasticsearch(): Promise<void> {
    while (!this.stopping) {
      await sleepFor(this.outage.nextProbeDelayMs(), undefined, { signal: this.stopped.signal }).catch(() => undefined);
      if (this.stopping) return;
      try {
        await this.parts!.elasticsearch.ping(undefined, { requestTimeout: 2000, maxRetries: 0 });
        break;
      } catch {
        // still down
      }
    }
    this.paused = false;
    this.consumer?.resume([{ topic: this.config.rawTopic }]);
  }

  /**
   * kafkajs reported a transient failure (its own line went to debug): a connection refused or
   * closed begins a Kafka outage, said once. kafkajs keeps retrying; nothing is committed
   * meanwhile, so nothing is lost.
   */
  private kafkaTrouble(message: string): void {
    if (this.stopping || !/ECONNREFUSED|ECONNRESET|Connection error|Closed connection|Connection timeout|NumberOfRetriesExceeded|No broker available/i.test(message)) return;
    if (this.kafkaUnavailableSince !== undefined) {
      // Trouble again soon after it answered (a broker shutting down answers for a while): same outage.
      clearTimeout(this.kafkaRecovery);
      this.kafkaRecovery = undefined;
      this.kafkaAnsweredAt = undefined;
      return;
    }
    this.kafkaUnavailableSince = Date.now();
    const since = new Date(this.kafkaUnavailableSince).toISOString();
    this.log.warn({ error: message, since }, `Kafka unavailable since ${since}; the client retries (nothing is committed meanwhile, nothing is lost)`);
  }

  /** The group was joined or a commit went through: a Kafka outage is over once that lasts. */
  private kafkaAnswers(): void {
    if (this.kafkaUnavailableSince === undefined || this.kafkaAnsweredAt !== undefined) return;
    this.kafkaAnsweredAt = Date.now();
    this.kafkaRecovery = setTimeout(() => {
      const since = this.kafkaUnavailableSince!;
      const seconds = Math.round((this.kafkaAnsweredAt! - since) / 100) / 10;
      this.log.info({ since: new Date(since).toISOString(), outageSeconds: seconds }, `Kafka available again after ${seconds} s; consuming`);
      this.kafkaUnavailableSince = undefined;
      this.kafkaAnsweredAt = undefined;
      this.kafkaRecovery = undefined;
    }, KAFKA_RECOVERED_MS);
    this.kafkaRecovery.unref();
  }

  /**
   * After a batch failed for another reason than Elasticsearch (a commit Kafka refused while it
   * restarts, documents that kept changing): log the failure (once while it stays the same) and
   * wait before the batch is consumed again, doubling from 250 ms up to 10 s.
   */
  private async backOffAfterFailure(error: unknown, partition: number, from: string, to: string): Promise<void> {
    this.consecutiveFailures++;
    const message = error instanceof Error ? error.message : String(error);
    // The same failure of different batches differs only in counts and offsets.
    const kind = message.replace(/\b\d+\b/g, 'N');
    if (kind !== this.lastFailureLogged) {
      this.lastFailureLogged = kind;
      this.log.error({ error: message, partition, from, to }, 'batch not settled: nothing of it committed; it is consumed again until it settles');
    }
    const delayMs = Math.min(10_000, 250 * 2 ** Math.min(this.consecutiveFailures - 1, 10));
    await sleepFor(delayMs, undefined, { signal: this.stopped.signal }).catch(() => undefined);
  }

  private noteSettled(): void {
    const outage = this.outage.settled(Date.now());
    if (outage) {
      this.log.info(
        { since: new Date(outage.sinceMs).toISOString(), outageSeconds: Math.round(outage.durationMs / 100) / 10, probes: outage.probes, retries: outage.retries },
        `Elasticsearch available again after ${Math.round(outage.durationMs / 100) / 10} s; batches settle again`,
      );
    }
    if (this.consecutiveFailures > 0) this.log.info({ failedAttempts: this.consecutiveFailures }, 'batches settle again');
    this.consecutiveFailures = 0;
    this.lastFailureLogged = undefined;
  }

  /** Keeps the lag gauge current from Kafka's offsets, also while nothing settles. */
  private async followLag(admin: Admin): Promise<void> {
    while (!this.stopping) {
      try {
        const lags = await readPartitionLags(admin, this.config.groupId, this.config.rawTopic, this.assigned);
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

  private record(result: ProcessResult, partition: number, lag: string): void {
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
      health: () => ({ ready: this.ready, inventoryRevision: this.inventory.revision, inventory: this.follower?.stats, elasticsearchUnavailableSince: this.outage.since === undefined ? null : new Date(this.outage.since).toISOString() }),
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
    this.log.info({ inFlightBatches: this.settling.size }, 'enricher stopping');
    this.ready = false;
    this.stopping = true;
    this.stopped.abort();
    clearTimeout(this.kafkaRecovery);
    // The inventory reader waits out its fetch under way: let it do so meanwhile.
    const followerStopped = this.follower?.stop();
    const pending = [...this.settling.values()];
    let timer: NodeJS.Timeout | undefined;
    const settledInTime = await Promise.race([
      Promise.allSettled(pending).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_SETTLE_MS))),
    ]);
    clearTimeout(timer);
    await Promise.allSettled([
      this.consumer?.disconnect(),
      followerStopped,
      this.deadLetterProducer?.disconnect(),
      this.lagAdmin?.disconnect(),
      this.retention?.stop(),
      this.reportRetention?.stop(),
    ]);
    await this.lagLoop;
    if (this.parts?.ownsElasticsearch) await this.parts.elasticsearch.close();
    await this.server?.close();
    this.log.info({ tookMs: Math.round(performance.now() - began), unsettledBatches: settledInTime ? 0 : pending.length }, 'enricher stopped');
  }
}

/** A settle failure that is Elasticsearch's: a write or read it did not take (down, refusing, timing out). */
function isElasticsearchFailure(error: unknown): boolean {
  return error instanceof FlowBulkIncompleteError || error instanceof elasticsearchErrors.ElasticsearchClientError;
}
