/**
 * Kafka sink for encoded flow batches: kafkajs idempotent producer, acks=all, Kafka's zstd
 * (level 1, runtime/kafka-zstd-codec.ts: ~60 % of gzip's CPU for two thirds of its bytes), message key
 * = node name (all of a node's batches land in one partition, in order), header
 * `segflow-schema: segflow.v1.FlowBatch`. Connects lazily and tears the producer down after any
 * failure, so the next send starts from a fresh connection; every send is bounded by
 * `sendTimeoutMs` so an unreachable cluster turns into an error quickly (the caller spools).
 * Kafka failures are rethrown with their described message (kafka-errors.ts); fatal ones (TLS,
 * SASL, ACL: retrying cannot help) are also reported to `onFatal`, so the collector can stop.
 */
import { CompressionTypes, logLevel, type Kafka, type KafkaConfig, type Message, type Producer } from 'kafkajs';
import { createSecureKafka } from '../../runtime/kafka-client.ts';
import { describeKafkaFailure, isKafkaClientError, type KafkaFailure, type KafkaFailureContext } from '../../runtime/kafka-errors.ts';
import { PLAINTEXT, type KafkaSecurity } from '../../runtime/kafka-security.ts';
import type { Logger } from '../../runtime/logger.ts';
import { FLOW_BATCH_SCHEMA, FLOW_BATCH_SCHEMA_HEADER } from '../../contract/wire/flow-batch-headers.ts';

/** Options of {@link KafkaFlowSink}. */
export interface KafkaFlowSinkOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Topic the batches go to (default `flows.raw`). */
  topic: string;
  /** Kafka client id. */
  clientId: string;
  /** Message key: the node name. */
  key: string;
  /** Upper bound on connect + send, ms; past it the send counts as failed. */
  sendTimeoutMs: number;
  /** Create the topic when it does not exist (with `topicPartitions` partitions). */
  ensureTopic: boolean;
  /** Partitions for a topic this sink creates. */
  topicPartitions: number;
  /** Extra kafkajs client settings (socketFactory, ...). */
  clientOverrides?: Partial<KafkaConfig>;
  /** TLS / mutual TLS / SASL. Default PLAINTEXT. */
  security?: KafkaSecurity;
  /** Told of each fatal failure (TLS, SASL, ACL) with its described message. */
  onFatal?: (failure: KafkaFailure) => void;
  /** Headers added to every message besides the schema header (e.g. `segflow-previous-boot`). */
  extraHeaders?: Readonly<Record<string, string>>;
  logger?: Logger;
}

/** One payload to publish. */
export interface OutgoingFlowBatch {
  payload: Uint8Array;
}

/** The sink interface the delivery loop uses (a Kafka producer in production). */
export interface FlowBatchSink {
  /** Publishes the batches in order; resolves when all are acknowledged, rejects otherwise. */
  send(batches: readonly OutgoingFlowBatch[]): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** kafkajs-backed {@link FlowBatchSink}; see the module comment. */
export class KafkaFlowSink implements FlowBatchSink {
  private producer: Producer | null = null;
  private topicReady = false;
  private generation = 0;
  private readonly context: KafkaFailureContext;

  private constructor(private readonly options: KafkaFlowSinkOptions, private readonly kafka: Kafka) {
    this.context = { brokers: options.brokers, security: options.security ?? PLAINTEXT, topics: [options.topic] };
  }

  /** Reads and checks the security settings' files (throws KafkaSecurityError) and builds the client. */
  static async create(options: KafkaFlowSinkOptions): Promise<KafkaFlowSink> {
    const kafka = await createSecureKafka(options.brokers, options.clientId, options.security ?? PLAINTEXT, {
      connectionTimeout: Math.min(3000, options.sendTimeoutMs),
      requestTimeout: options.sendTimeoutMs,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
      // kafkajs logs every failed connection attempt at error level, several per second during
      // an outage; the delivery loop reports outages itself (one line each way, errors_total).
      logLevel: logLevel.NOTHING,
      ...options.clientOverrides,
    }, options.logger ? { logger: options.logger } : {});
    return new KafkaFlowSink(options, kafka);
  }

  async send(batches: readonly OutgoingFlowBatch[]): Promise<void> {
    if (batches.length === 0) return;
    const messages: Message[] = batches.map((b) => ({
      key: this.options.key,
      value: Buffer.from(b.payload.buffer, b.payload.byteOffset, b.payload.byteLength),
      headers: { ...this.options.extraHeaders, [FLOW_BATCH_SCHEMA_HEADER]: FLOW_BATCH_SCHEMA },
    }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Kafka send timed out after ${this.options.sendTimeoutMs} ms`)), this.options.sendTimeoutMs);
    });
    try {
      await Promise.race([this.sendNow(messages), timeout]);
    } catch (err) {
      await this.reset();
      if (!isKafkaClientError(err)) throw err;
      const failure = describeKafkaFailure(err, this.context);
      if (failure.fatal) this.options.onFatal?.(failure);
      throw failure.kind === 'other' ? err : new Error(failure.message, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  private async sendNow(messages: Message[]): Promise<void> {
    // A send that timed out keeps running in the background; the generation tells it that it
    // was abandoned, so it cannot install a producer the next send would then share.
    const generation = this.generation;
    if (!this.topicReady && this.options.ensureTopic) await this.ensureTopic();
    let producer = this.producer;
    if (!producer) {
      producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      if (generation !== this.generation) {
        await producer.disconnect().catch(() => undefined);
        throw new Error('abandoned Kafka send');
      }
      this.producer = producer;
    }
    await producer.send({ topic: this.options.topic, acks: -1, compression: CompressionTypes.ZSTD, messages });
  }

  private async ensureTopic(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      if (!topics.includes(this.options.topic)) {
        await admin.createTopics({ topics: [{ topic: this.options.topic, numPartitions: this.options.topicPartitions }], waitForLeaders: true });
        this.options.logger?.info({ topic: this.options.topic, partitions: this.options.topicPartitions }, 'created Kafka topic');
      }
      this.topicReady = true;
    } catch (err) {
      // Another agent may have created it at the same moment.
      if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
      this.topicReady = true;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async reset(): Promise<void> {
    this.generation++;
    const producer = this.producer;
    this.producer = null;
    if (producer) await producer.disconnect().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.reset();
  }
}
