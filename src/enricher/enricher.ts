/**
 * The enricher role: a consumer group on the raw topic that turns FlowBatch messages into
 * enriched flow documents in Elasticsearch. Lifecycle: `new Enricher(config)`, `start()`
 * (inventory loaded, template installed, consuming), `stop()`.
 *
 * Delivery: at-least-once in, exactly-once out. Offsets are committed only after every
 * document of a fetched batch is settled in Elasticsearch and every dead letter is acknowledged
 * by Kafka; document ids are deterministic and stored documents remember which agent batches
 * they contain, so a replay after a crash overwrites nothing twice and duplicates nothing.
 * Memory is bounded by design: per partition, one batch being written and the next one being
 * enriched (each at most `maxBytesPerPartition` fetched); a third is not fetched before the
 * first has settled.
 */
import http from 'node:http';
import type { Client } from '@elastic/elasticsearch';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { Inventory } from '../inventory/inventory.ts';
import { InventoryTopicFollower } from '../inventory/topic/inventory-follower.ts';
import { ensureInventoryTopic } from '../inventory/topic/inventory-topic.ts';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { createElasticsearchClient } from '../shared/elasticsearch-client.ts';
import { createSecureKafka } from '../shared/kafka-client.ts';
import { describeKafkaFailure, isKafkaClientError, type KafkaFailure } from '../shared/kafka-errors.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { DEAD_LETTER_HEADERS } from './dead-letter.ts';
import type { FlowDocument } from './documents/flow-fields.ts';
import { bulkRequestFromClient, FlowBulkWriter } from './elasticsearch/flow-bulk-writer.ts';
import { FlowIndexRetention } from './elasticsearch/flow-index-retention.ts';
import { installFlowIndexTemplate } from './elasticsearch/flow-index-template.ts';
import { DEFAULT_ENRICHER_CONFIG, type EnricherConfig } from './enricher-config.ts';
import { EnricherMetrics } from './enricher-metrics.ts';
import { FlowBatchProcessor, type ProcessResult } from './flow-batch-processor.ts';
import { SequenceTracker } from './sequence-tracker.ts';
import { effectiveMaxRecordAgeMs } from './ingest/record-bounds.ts';
import type { VersionedFlowDocument } from './written-flow-documents.ts';
import { enrichmentInventoryOf } from './transform/inventory-adapter.ts';

export class Enricher {
  readonly config: EnricherConfig;
  readonly inventory = new Inventory();
  readonly registry = new Registry();
  readonly metrics: EnricherMetrics;
  private readonly log: Logger;
  private kafka: Kafka | undefined;
  private readonly es: Client;
  private follower: InventoryTopicFollower | undefined;
  private consumer: Consumer | undefined;
  private deadLetterProducer: Producer | undefined;
  private retention: FlowIndexRetention | undefined;
  private server: http.Server | undefined;
  private processor: FlowBatchProcessor | undefined;
  private ready = false;
  private stopping = false;
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
  /** Batches that failed in a row (any partition): sets the backoff and keeps a persistent failure to one log line. */
  private consecutiveFailures = 0;
  private lastFailureLogged: string | undefined;
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

  constructor(config: Partial<EnricherConfig> = {}) {
    this.config = { ...DEFAULT_ENRICHER_CONFIG, ...config };
    this.log = createLogger('enricher');
    this.es = createElasticsearchClient(this.config.elasticsearch ?? this.config.elasticsearchUrl);
    this.metrics = new EnricherMetrics(this.registry);
    collectDefaultMetrics({ register: this.registry, prefix: 'segflow_enricher_' });
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
    this.kafka = await createSecureKafka(config.brokers, 'segflow-enricher', config.kafkaSecurity, {}, { onFatal: (failure) => this.failFatally(failure) });
    const admin = this.kafka.admin();
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

    this.follower = new InventoryTopicFollower(this.kafka, config.inventoryTopic, {
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

    const template = await installFlowIndexTemplate(this.es, { prefix: config.indexPrefix });
    this.log.info({ template, prefix: config.indexPrefix }, 'flow index template installed');

    const writer = new FlowBulkWriter({ bulk: bulkRequestFromClient(this.es), registry: this.registry, logger: this.log });
    this.processor = new FlowBatchProcessor(
      { topic: config.rawTopic, indexPrefix: config.indexPrefix, aggregation: config.aggregation, maxMessageBytes: config.maxMessageBytes, maxBulkDocuments: config.maxBulkDocuments, bulkConcurrency: config.bulkConcurrency, writtenDocuments: config.writtenDocuments,
        bounds: { maxRecordAgeMs: effectiveMaxRecordAgeMs(config.retentionDays, config.maxRecordAgeMs), maxClockSkewMs: config.maxClockSkewMs, maxLinkBitsPerSecond: config.maxLinkBitsPerSecond } },
      enrichmentInventoryOf(this.inventory),
      new SequenceTracker(),
      { fetchStored: (refs) => this.fetchStored(refs), write: (items) => writer.write(items) },
    );

    this.deadLetterProducer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.deadLetterProducer.connect();

    this.consumer = this.kafka.consumer({ groupId: config.groupId, maxBytesPerPartition: config.maxFetchBytesPerPartition, sessionTimeout: 45_000, heartbeatInterval: 3000 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: config.rawTopic, fromBeginning: true });
    // Partitions may have moved: documents remembered as written may have changed since.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.processor?.forgetWrittenDocuments();
      this.resolveJoined(performance.now());
    });
    await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: config.partitionsConcurrently, eachBatch: (payload) => this.handleBatch(payload) });

    if (config.retentionDays > 0) {
      this.retention = new FlowIndexRetention({ client: this.es, prefix: config.indexPrefix, retentionDays: config.retentionDays, logger: this.log });
      this.retention.start();
    }
    this.ready = true;
    this.log.info({ rawTopic: config.rawTopic, group: config.groupId, inventoryRevision: this.inventory.revision }, 'enricher consuming');
  }

  /**
   * One fetched batch, pipelined: it is enriched while the partition's previous batch is still
   * being written, then written once that one has settled and committed. Offsets are committed
   * in order and only after every document of the batch is settled; the next batch is fetched
   * as soon as this one is handed to the writer (resolveOffset), so Elasticsearch and the
   * enricher's CPU work at the same time. At most two batches per partition are in memory.
   */
  private async handleBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    if (this.stopping || !isRunning() || isStale() || batch.messages.length === 0 || !this.processor) return;
    const processor = this.processor;
    const prepared = processor.prepare(batch.messages.map((m) => ({ partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers })));
    const previous = this.settling.get(batch.partition);
    if (previous) {
      try {
        await previous;
      } catch {
        // The previous batch failed and the partition was sought back to it: this batch comes again.
        return;
      }
    }
    if (this.stopping || !isRunning() || isStale()) return;
    const first = batch.messages[0]!.offset;
    const last = batch.messages[batch.messages.length - 1]!.offset;
    const settle: Promise<void> = (async (): Promise<void> => {
      // Heartbeats keep the group membership while a slow Elasticsearch holds the batch.
      const beat = setInterval(() => void heartbeat().catch(() => undefined), 3000);
      try {
        const result = await processor.settle(prepared);
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
        // Heartbeats continue through the backoff, so a long outage does not cost the partitions.
        await this.backOffAfterFailure(error, batch.partition, first, last);
        throw error;
      } finally {
        clearInterval(beat);
      }
    })().catch((error: unknown) => {
      // Nothing of the batch is committed: consume it again from its first offset (documents
      // already written take only the agent batches they do not hold yet). A batch of the
      // partition fetched meanwhile sees this failure and steps aside; the one sought back to
      // must not, so the failure is forgotten here.
      this.log.debug({ error: error instanceof Error ? error.message : String(error), partition: batch.partition, from: first, to: last }, 'batch not settled; consuming it again');
      processor.forgetWrittenDocuments();
      if (this.settling.get(batch.partition) === settle) this.settling.delete(batch.partition);
      if (!this.stopping) {
        try {
          this.consumer?.seek({ topic: batch.topic, partition: batch.partition, offset: first });
        } catch (seekError) {
          this.log.error({ error: seekError instanceof Error ? seekError.message : String(seekError), partition: batch.partition }, 'could not seek back; the batch comes again after the next rebalance or restart');
        }
      }
      throw error;
    });
    settle.catch(() => undefined); // observed by the partition's next batch and by stop()
    this.settling.set(batch.partition, settle);
    // With auto-resolve off, kafkajs fetches from the last *resolved* offset: without this it
    // would fetch the same batch again and again (harmless for the documents, fatal for speed).
    resolveOffset(last);
  }

  /**
   * After a batch failed: log the failure (once while it stays the same: a revoked key or an
   * untrusted certificate fails every batch the same way) and wait before the batch is consumed
   * again, doubling from 250 ms up to 10 s, so a rejecting Elasticsearch is not hammered.
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
    if (this.consecutiveFailures > 0) this.log.info({ failedAttempts: this.consecutiveFailures }, 'batches settle again');
    this.consecutiveFailures = 0;
    this.lastFailureLogged = undefined;
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
    m.documents.inc({ result: 'written' }, result.documentsWritten);
    m.documents.inc({ result: 'already_stored' }, result.documentsSkipped);
    m.documents.inc({ result: 'read_back' }, result.documentsReadBack);
    for (const kind of ['first', 'next', 'gap', 'duplicate', 'restart'] as const) if (result.sequence[kind]) m.sequence.inc({ kind }, result.sequence[kind]);
    if (result.sequence.missingBatches) {
      m.missingBatches.inc(result.sequence.missingBatches);
      this.log.warn({ missing: result.sequence.missingBatches }, 'agent batches missing (sequence gap)');
    }
    m.lag.set({ partition: String(partition) }, Number(lag));
  }

  private async fetchStored(refs: ReadonlyArray<{ index: string; id: string }>): Promise<Map<string, VersionedFlowDocument>> {
    const out = new Map<string, VersionedFlowDocument>();
    const response = await this.es.mget<FlowDocument>({ docs: refs.map((r) => ({ _index: r.index, _id: r.id })) });
    for (const doc of response.docs) {
      if ('found' in doc && doc.found && doc._source) {
        if (doc._seq_no === undefined || doc._primary_term === undefined) throw new Error(`mget ${doc._id}: no _seq_no/_primary_term in the answer`);
        out.set(doc._id, { document: doc._source, version: { seqNo: doc._seq_no, primaryTerm: doc._primary_term } });
      }
      // A missing index answers per doc with an error of type index_not_found: nothing stored yet.
      else if ('error' in doc && doc.error.type !== 'index_not_found_exception') throw new Error(`mget ${doc._id}: ${doc.error.type}: ${doc.error.reason}`);
    }
    return out;
  }

  private startHttp(): Promise<void> {
    this.server = http.createServer((req, res) => {
      if (req.url === '/metrics') {
        void this.registry.metrics().then((body) => {
          res.writeHead(200, { 'content-type': this.registry.contentType });
          res.end(body);
        });
      } else if (req.url === '/healthz') {
        res.writeHead(this.ready ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ready: this.ready, inventoryRevision: this.inventory.revision, inventory: this.follower?.stats }));
      } else {
        res.writeHead(404).end();
      }
    });
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.config.metricsPort, '127.0.0.1', () => resolve());
    });
  }

  /** Stops consuming (the batch in hand is finished and committed first), then everything else. */
  async stop(): Promise<void> {
    this.ready = false;
    // Let the batches being written settle and commit; no new one starts, none waits out a backoff.
    this.stopping = true;
    this.stopped.abort();
    for (;;) {
      const pending = [...this.settling.values()];
      await Promise.allSettled(pending);
      if ([...this.settling.values()].every((p) => pending.includes(p))) break;
    }
    await this.consumer?.disconnect();
    await this.deadLetterProducer?.disconnect();
    await this.follower?.stop();
    await this.retention?.stop();
    await this.es.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
