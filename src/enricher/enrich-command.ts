/**
 * `segflow enrich`: run the enricher role until SIGINT/SIGTERM.
 *
 *   segflow enrich --config enricher.yaml
 *   segflow enrich --brokers kafka:9093 --kafka-ca-file ca.pem --kafka-sasl-mechanism scram-sha-512 \
 *     --kafka-sasl-username enricher --kafka-sasl-password-file /run/secrets/kafka \
 *     --elasticsearch https://es:9200 --elasticsearch-ca-file es-ca.pem --elasticsearch-api-key-file /run/secrets/es-key
 */
import { Option, type Command } from 'commander';
import { openElasticsearchConnection, type ElasticsearchConnection } from '../runtime/elasticsearch-security.ts';
import type { KafkaSecurity } from '../runtime/kafka-security.ts';
import { createLogger } from '../runtime/logger.ts';
import { addElasticsearchConnectionOptions } from '../runtime/role-config/elasticsearch-connection-options.ts';
import { addKafkaConnectionOptions } from '../runtime/role-config/kafka-connection-options.ts';
import { addRoleConfigOptions, roleAction } from '../runtime/role-config/role-command.ts';
import { exitCodeFor, untilStopped } from '../runtime/role-config/run-until-stopped.ts';
import { DEFAULT_ENRICHER_CONFIG, type EnricherConfigInput } from './enricher-config.ts';
import { Enricher } from './enricher.ts';
import type { AggregationLevel } from './transform/flow-aggregation.ts';
import { DEFAULT_MAX_TUPLES_PER_DOCUMENT } from './transform/flow-tuple-set.ts';

function int(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${value}'`);
    return n;
  };
}

function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got '${value}'`);
    return n;
  };
}

function level(value: string): AggregationLevel {
  if (!['0', '1', '2', '3'].includes(value)) throw new Error(`aggregation level must be 0, 1, 2 or 3, got '${value}'`);
  return Number(value) as AggregationLevel;
}

export interface EnrichOptions {
  brokers: string; elasticsearch: string; rawTopic: string; deadLetterTopic: string; inventoryTopic: string; group: string; indexPrefix: string;
  window: number; allowedLevel: AggregationLevel; deniedLevel: AggregationLevel; retentionDays: number; metricsPort: number; metricsHost: string; bulkConcurrency: number;
  maxClockSkew: number; maxRecordAge?: number; maxLinkGbps: number; maxFlowTuples: number;
}

/** The enricher's configuration from the command's merged options and resolved connections. */
export function enrichOptionsToConfig(opts: EnrichOptions, connections: { elasticsearch: ElasticsearchConnection; kafkaSecurity: KafkaSecurity }): EnricherConfigInput {
  return {
    brokers: opts.brokers, elasticsearchUrl: connections.elasticsearch.url, elasticsearch: connections.elasticsearch, rawTopic: opts.rawTopic, deadLetterTopic: opts.deadLetterTopic,
    inventoryTopic: opts.inventoryTopic, groupId: opts.group, indexPrefix: opts.indexPrefix, retentionDays: opts.retentionDays,
    metricsPort: opts.metricsPort, metricsHost: opts.metricsHost, bulkConcurrency: opts.bulkConcurrency,
    maxClockSkewMs: opts.maxClockSkew * 1000, maxLinkBitsPerSecond: opts.maxLinkGbps * 1e9,
    ...(opts.maxRecordAge !== undefined ? { maxRecordAgeMs: opts.maxRecordAge * 86_400_000 } : {}),
    aggregation: { windowMs: opts.window * 1000, allowedLevel: opts.allowedLevel, deniedLevel: opts.deniedLevel, maxTuplesPerDocument: opts.maxFlowTuples },
    kafkaSecurity: connections.kafkaSecurity,
  };
}

export function registerEnrichCommand(program: Command): void {
  const d = DEFAULT_ENRICHER_CONFIG;
  const command = program.command('enrich')
    .description('consume raw flow batches, enrich them with endpoints and policy verdicts, index them in Elasticsearch')
    .addOption(new Option('--brokers <list>', 'Kafka bootstrap servers').env('KAFKA_BROKERS').default('127.0.0.1:9092'));
  addKafkaConnectionOptions(command);
  addElasticsearchConnectionOptions(command);
  addRoleConfigOptions(command)
    .option('--raw-topic <name>', 'raw flow topic', d.rawTopic)
    .option('--dead-letter-topic <name>', 'dead-letter topic', d.deadLetterTopic)
    .addOption(new Option('--inventory-topic <name>', 'inventory topic').env('SEGFLOW_INVENTORY_TOPIC').default(d.inventoryTopic))
    .option('--group <id>', 'consumer group (shared by replicas)', d.groupId)
    .option('--index-prefix <prefix>', 'daily flow index prefix', d.indexPrefix)
    .option('--window <seconds>', 'aggregation window', int('window'), d.aggregation.windowMs / 1000)
    .option('--allowed-level <0-3>', 'aggregation level for allowed flows', level, d.aggregation.allowedLevel)
    .option('--denied-level <0-3>', 'aggregation level for flows with a deny', level, d.aggregation.deniedLevel)
    .option('--retention-days <days>', 'days of flow indices kept (0 = keep all)', int('retention-days'), d.retentionDays)
    .option('--metrics-port <port>', '/metrics and /healthz port (0 = off)', int('metrics-port'), d.metricsPort)
    .option('--metrics-host <address>', '/metrics and /healthz address (0.0.0.0 in a pod, so the kubelet and Prometheus reach it)', d.metricsHost)
    .option('--bulk-concurrency <n>', 'bulk requests one large fetched batch may have in flight (1 = one request per batch)', int('bulk-concurrency'), d.bulkConcurrency)
    .option('--max-clock-skew <seconds>', 'how far ahead of this clock a record may end (node clocks run ahead)', int('max-clock-skew'), d.maxClockSkewMs / 1000)
    .option('--max-record-age <days>', 'oldest record accepted, in days (default: --retention-days, or 7 when that is 0)', positive('max-record-age'))
    .option('--max-link-gbps <gbit/s>', 'fastest node link: a record may not carry more bytes than it could in its duration', positive('max-link-gbps'), d.maxLinkBitsPerSecond / 1e9)
    .option('--max-flow-tuples <n>', 'distinct 5-tuples a document counts exactly (beyond: estimates, segflow.flows.exact false)', int('max-flow-tuples'), DEFAULT_MAX_TUPLES_PER_DOCUMENT)
    .action(roleAction<EnrichOptions>({ role: 'enrich', kafka: true, elasticsearch: true }, async (prepared, opts) => {
      if (opts.window < 1) throw new Error('--window must be at least 1 second');
      if (opts.bulkConcurrency < 1) throw new Error('--bulk-concurrency must be at least 1');
      if (opts.maxFlowTuples < 1) throw new Error('--max-flow-tuples must be at least 1');
      const elasticsearch = await openElasticsearchConnection(prepared.elasticsearch!);
      const logger = createLogger('enricher');
      const enricher = new Enricher(enrichOptionsToConfig(opts, { elasticsearch, kafkaSecurity: prepared.kafkaSecurity }), { logger });
      try {
        await enricher.start();
      } catch (error) {
        // Whatever started (inventory follower, metrics port) must not keep a failed role alive.
        await enricher.stop().catch(() => undefined);
        throw error;
      }
      const stop = await untilStopped(enricher.fatalKafkaFailure);
      await enricher.stop();
      exitCodeFor(stop);
    }));
}
