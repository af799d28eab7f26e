/** `segflow enrich`: run the enricher role until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { DEFAULT_ENRICHER_CONFIG } from './enricher-config.ts';
import { Enricher } from './enricher.ts';
import type { AggregationLevel } from './transform/flow-aggregation.ts';

function int(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${value}'`);
    return n;
  };
}

function level(value: string): AggregationLevel {
  if (!['0', '1', '2', '3'].includes(value)) throw new Error(`aggregation level must be 0, 1, 2 or 3, got '${value}'`);
  return Number(value) as AggregationLevel;
}

export function registerEnrichCommand(program: Command): void {
  const d = DEFAULT_ENRICHER_CONFIG;
  program.command('enrich')
    .description('consume raw flow batches, enrich them with endpoints and policy verdicts, index them in Elasticsearch')
    .option('--brokers <list>', 'Kafka bootstrap servers', d.brokers)
    .option('--elasticsearch <url>', 'Elasticsearch URL', d.elasticsearchUrl)
    .option('--raw-topic <name>', 'raw flow topic', d.rawTopic)
    .option('--dead-letter-topic <name>', 'dead-letter topic', d.deadLetterTopic)
    .option('--inventory-topic <name>', 'inventory topic', d.inventoryTopic)
    .option('--group <id>', 'consumer group (shared by replicas)', d.groupId)
    .option('--index-prefix <prefix>', 'daily flow index prefix', d.indexPrefix)
    .option('--window <seconds>', 'aggregation window', int('window'), d.aggregation.windowMs / 1000)
    .option('--allowed-level <0-3>', 'aggregation level for allowed flows', level, d.aggregation.allowedLevel)
    .option('--denied-level <0-3>', 'aggregation level for flows with a deny', level, d.aggregation.deniedLevel)
    .option('--retention-days <days>', 'days of flow indices kept (0 = keep all)', int('retention-days'), d.retentionDays)
    .option('--metrics-port <port>', '/metrics and /healthz port (0 = off)', int('metrics-port'), d.metricsPort)
    .option('--bulk-concurrency <n>', 'bulk requests one large fetched batch may have in flight (1 = one request per batch)', int('bulk-concurrency'), d.bulkConcurrency)
    .action(async (opts: { brokers: string; elasticsearch: string; rawTopic: string; deadLetterTopic: string; inventoryTopic: string; group: string; indexPrefix: string; window: number; allowedLevel: AggregationLevel; deniedLevel: AggregationLevel; retentionDays: number; metricsPort: number; bulkConcurrency: number }) => {
      if (opts.window < 1) throw new Error('--window must be at least 1 second');
      if (opts.bulkConcurrency < 1) throw new Error('--bulk-concurrency must be at least 1');
      const enricher = new Enricher({
        brokers: opts.brokers, elasticsearchUrl: opts.elasticsearch, rawTopic: opts.rawTopic, deadLetterTopic: opts.deadLetterTopic,
        inventoryTopic: opts.inventoryTopic, groupId: opts.group, indexPrefix: opts.indexPrefix, retentionDays: opts.retentionDays,
        metricsPort: opts.metricsPort, bulkConcurrency: opts.bulkConcurrency,
        aggregation: { windowMs: opts.window * 1000, allowedLevel: opts.allowedLevel, deniedLevel: opts.deniedLevel },
      });
      await enricher.start();
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await enricher.stop();
    });
}
