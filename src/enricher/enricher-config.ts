/**
 * Configuration of the enricher role (`segflow enrich`). Every option has a default that works
 * on one machine with `segflow services up`; flags and environment variables override them.
 */
import { DEFAULT_INVENTORY_TOPIC } from '../inventory/topic/inventory-topic.ts';
import type { ElasticsearchConnection } from '../runtime/elasticsearch-security.ts';
import { PLAINTEXT, type KafkaSecurity } from '../runtime/kafka-security.ts';
import { DEFAULT_FLOW_INDEX_PREFIX } from '../contract/flow-index-names.ts';
import { DEFAULT_MAX_CLOCK_SKEW_MS, DEFAULT_MAX_LINK_BITS_PER_SECOND } from './ingest/record-bounds.ts';
import { DEFAULT_AGGREGATION, type AggregationConfig } from './transform/flow-aggregation.ts';

export interface EnricherConfig {
  /** Kafka bootstrap servers. Env: KAFKA_BROKERS. */
  readonly brokers: string;
  /** TLS / mutual TLS / SASL to Kafka. Default PLAINTEXT. */
  readonly kafkaSecurity: KafkaSecurity;
  /** Elasticsearch URL. Env: ELASTICSEARCH_URL. */
  readonly elasticsearchUrl: string;
  /** The resolved connection (https CA, credentials); when set it is used instead of elasticsearchUrl. */
  readonly elasticsearch?: ElasticsearchConnection;
  /** Topic of raw FlowBatch messages. */
  readonly rawTopic: string;
  /** Partitions of the raw topic when the enricher creates it (scale enrichers up to this many). */
  readonly rawTopicPartitions: number;
  /** Where undecodable messages and rejected documents go, with the reason in headers. */
  readonly deadLetterTopic: string;
  /** Compacted inventory topic to read whole at start and follow. */
  readonly inventoryTopic: string;
  /** Consumer group: every enricher replica of one deployment shares it. */
  readonly groupId: string;
  /** Daily flow indices are `<prefix>-YYYY.MM.DD`. */
  readonly indexPrefix: string;
  /** Days of flow indices kept; 0 disables the retention job. */
  readonly retentionDays: number;
  readonly aggregation: AggregationConfig;
  /** Largest raw message accepted (bigger ones are dead-lettered). */
  readonly maxMessageBytes: number;
  /** Most bytes fetched per partition at once: bounds the memory one batch can take. */
  readonly maxFetchBytesPerPartition: number;
  /**
   * Partitions processed at the same time: while one batch waits for Elasticsearch, another is
   * enriched. Memory stays bounded by this × maxFetchBytesPerPartition (times the expansion of
   * records into documents). Default 2.
   */
  readonly partitionsConcurrently: number;
  /**
   * Most documents per bulk request (a flow document is 1.5-3 KB of JSON, so 5,000 stay well
   * under Elasticsearch's 100 MB request limit); a fetched batch with more is written in several
   * requests, all settled before its offsets are committed.
   */
  readonly maxBulkDocuments: number;
  /**
   * Bulk requests one fetched batch may have in flight at once. A batch of more than 1,000
   * documents is split over up to this many requests (one per started 1,000) so Elasticsearch
   * indexes them on several write threads; the batch still settles as a unit (offsets committed
   * after every item of every request). 1 = one request per batch (up to maxBulkDocuments).
   * Default 2.
   */
  readonly bulkConcurrency: number;
  /**
   * Documents remembered with their version after writing them: a later fetch adding to one
   * writes it on condition of that version without reading it back. Default 20 000.
   */
  readonly writtenDocuments: number;
  /** Port of the /metrics and /healthz endpoint; 0 = none. */
  readonly metricsPort: number;
  /** Address it listens on: loopback by default (a laptop), 0.0.0.0 in a pod. */
  readonly metricsHost: string;
  /**
   * Oldest record end accepted, as an age in ms. Unset: the retention (retentionDays), or 7 days
   * when retention is off; with retention on, never more than it (see ingest/record-bounds.ts).
   */
  readonly maxRecordAgeMs?: number;
  /** How far ahead of the enricher's clock a record may end (node clocks run ahead). Default 5 min. */
  readonly maxClockSkewMs: number;
  /** Fastest link a node may have, bits/s: bounds a record's bytes by its duration. Default 400 Gbit/s. */
  readonly maxLinkBitsPerSecond: number;
  /**
   * Time between audits of recent summary blocks (summary/summary-audit.ts), ms; the first runs
   * after min(60 s, this). 0 = no audits. Default 10 min.
   */
  readonly summaryAuditIntervalMs: number;
  /** How far back the audit looks, ms. Default 3 h. */
  readonly summaryAuditLookbackMs: number;
}

export const DEFAULT_ENRICHER_CONFIG: EnricherConfig = {
  brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  kafkaSecurity: PLAINTEXT,
  elasticsearchUrl: process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200',
  rawTopic: 'flows.raw',
  rawTopicPartitions: 6,
  deadLetterTopic: 'flows.dead-letter',
  inventoryTopic: DEFAULT_INVENTORY_TOPIC,
  groupId: 'segflow-enricher',
  indexPrefix: DEFAULT_FLOW_INDEX_PREFIX,
  retentionDays: 7,
  aggregation: DEFAULT_AGGREGATION,
  maxMessageBytes: 4 * 1024 * 1024,
  // Compressed protobuf expands ~20-50× into JSON documents at aggregation level 0.
  maxFetchBytesPerPartition: 1024 * 1024,
  partitionsConcurrently: 2,
  maxBulkDocuments: 5000,
  bulkConcurrency: 2,
  writtenDocuments: 20_000,
  metricsPort: 9464,
  metricsHost: '127.0.0.1',
  maxClockSkewMs: DEFAULT_MAX_CLOCK_SKEW_MS,
  maxLinkBitsPerSecond: DEFAULT_MAX_LINK_BITS_PER_SECOND,
  summaryAuditIntervalMs: 600_000,
  summaryAuditLookbackMs: 3 * 3_600_000,
};

/** A configuration where anything may be left out (tests, `segflow up`, the command). */
export type EnricherConfigInput = Partial<Omit<EnricherConfig, 'aggregation'>> & { readonly aggregation?: Partial<AggregationConfig> };

/**
 * Merges `input` over the defaults (fields given as undefined keep theirs) and checks the
 * values; throws one error naming every bad option.
 */
export function resolveEnricherConfig(input: EnricherConfigInput = {}): EnricherConfig {
  const d = DEFAULT_ENRICHER_CONFIG;
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<EnricherConfig>;
  const config: EnricherConfig = { ...d, ...given, aggregation: { ...d.aggregation, ...input.aggregation } };
  const problems: string[] = [];
  const integer = (name: string, value: number, min: number, max?: number): void => {
    if (Number.isInteger(value) && value >= min && (max === undefined || value <= max)) return;
    problems.push(`${name} must be an integer ${max === undefined ? `of at least ${min}` : `within ${min}..${max}`}, got ${value}`);
  };
  const positive = (name: string, value: number): void => {
    if (!Number.isFinite(value) || value <= 0) problems.push(`${name} must be a positive number, got ${value}`);
  };
  if (config.brokers.trim() === '') problems.push('brokers is empty');
  for (const [name, topic] of [['rawTopic', config.rawTopic], ['deadLetterTopic', config.deadLetterTopic], ['inventoryTopic', config.inventoryTopic], ['groupId', config.groupId], ['indexPrefix', config.indexPrefix]] as const) {
    if (topic.trim() === '') problems.push(`${name} is empty`);
  }
  integer('rawTopicPartitions', config.rawTopicPartitions, 1);
  integer('retentionDays', config.retentionDays, 0);
  integer('aggregation.windowMs', config.aggregation.windowMs, 1);
  integer('maxMessageBytes', config.maxMessageBytes, 1);
  integer('maxFetchBytesPerPartition', config.maxFetchBytesPerPartition, 1);
  integer('partitionsConcurrently', config.partitionsConcurrently, 1);
  integer('maxBulkDocuments', config.maxBulkDocuments, 1);
  integer('bulkConcurrency', config.bulkConcurrency, 1);
  integer('writtenDocuments', config.writtenDocuments, 0);
  integer('metricsPort', config.metricsPort, 0, 65535);
  integer('maxClockSkewMs', config.maxClockSkewMs, 0);
  positive('maxLinkBitsPerSecond', config.maxLinkBitsPerSecond);
  integer('summaryAuditIntervalMs', config.summaryAuditIntervalMs, 0);
  positive('summaryAuditLookbackMs', config.summaryAuditLookbackMs);
  if (config.maxRecordAgeMs !== undefined) positive('maxRecordAgeMs', config.maxRecordAgeMs);
  if (problems.length > 0) throw new Error(`enricher config: ${problems.join('; ')}`);
  return config;
}
