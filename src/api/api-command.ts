/**
 * `segflow api`: runs the query API until SIGINT/SIGTERM, then shuts down gracefully.
 *
 *   segflow api --elasticsearch URL --port 8080 --tokens FILE --resources PATH...
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ApiServer } from './server.ts';
import { DEFAULT_INVENTORY_TOPIC } from '../inventory/topic/inventory-topic.ts';
import { createKafka } from '../shared/kafka-client.ts';
import { createLogger } from '../shared/logger.ts';
import { TopicInventorySource } from './inventory/topic-inventory-source.ts';

interface ApiOptions {
  elasticsearch?: string;
  host?: string;
  port?: number;
  indexPrefix?: string;
  tokens?: string;
  resources?: string[];
  brokers?: string;
  inventoryTopic?: string;
  rateLimit?: number;
  queryTimeout?: number;
  sharedPitMaxAge?: number;
  cors?: string[];
  cursorSecret?: string;
  docs?: boolean;
}

function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`${name} must be an integer ${min}-${max}`);
    return Number(value);
  };
}

/** Registers `segflow api` on the program. */
export function registerApiCommand(program: Command): void {
  program.command('api')
    .description('serve the query API (flow search, stats, denied-flow troubleshooting, explain/preview) over Elasticsearch')
    .option('--elasticsearch <url>', 'Elasticsearch URL (default $ELASTICSEARCH_URL or http://127.0.0.1:9200)')
    .option('--host <address>', 'listen address (default 127.0.0.1; anything else needs --tokens)')
    .option('--port <n>', 'listen port (default 8080)', integer('--port', 0, 65535))
    .option('--index-prefix <prefix>', 'flow index prefix (default segflow-flows)')
    .option('--tokens <file>', 'bearer tokens file (YAML/JSON: tokens: [{name, token|sha256, role, namespaces?}])')
    .option('--resources <paths...>', 'Calico/Kubernetes resource files or directories for the inventory (instead of the inventory topic)')
    .option('--brokers <list>', 'Kafka bootstrap servers: follow the inventory topic the enricher uses (default $KAFKA_BROKERS)')
    .option('--inventory-topic <name>', `inventory topic to follow (default ${DEFAULT_INVENTORY_TOPIC})`)
    .option('--rate-limit <n>', 'requests per minute per token (default 600)', integer('--rate-limit', 1, 1_000_000))
    .option('--query-timeout <ms>', 'Elasticsearch query budget in ms (default 15000)', integer('--query-timeout', 100, 600_000))
    .option('--shared-pit-max-age <ms>', 'new searches share a point in time up to this old (default 1000; 0: one per search)', integer('--shared-pit-max-age', 0, 60_000))
    .option('--cors <origins...>', 'allow these browser origins (CORS is off by default)')
    .option('--cursor-secret <secret>', 'shared secret signing pagination cursors (same on every replica; default $SEGFLOW_API_CURSOR_SECRET or random)')
    .option('--no-docs', 'do not serve /docs')
    .action(async (opts: ApiOptions) => {
      const secret = opts.cursorSecret ?? process.env.SEGFLOW_API_CURSOR_SECRET;
      // The inventory: files when given, else the topic the enricher follows (when Kafka is known).
      const brokers = opts.brokers ?? process.env.KAFKA_BROKERS;
      const inventory = opts.resources === undefined && brokers
        ? new TopicInventorySource(createKafka(brokers, 'segflow-api'), opts.inventoryTopic ?? DEFAULT_INVENTORY_TOPIC, createLogger('api:inventory'))
        : undefined;
      const server = new ApiServer({
        elasticsearchUrl: opts.elasticsearch ?? process.env.ELASTICSEARCH_URL,
        host: opts.host, port: opts.port, indexPrefix: opts.indexPrefix, tokensFile: opts.tokens, resources: opts.resources ?? [],
        ...(opts.rateLimit !== undefined ? { rateLimit: { max: opts.rateLimit, windowMs: 60_000 } } : {}),
        timeouts: {
          ...(opts.queryTimeout !== undefined ? { queryMs: opts.queryTimeout } : {}),
          ...(opts.sharedPitMaxAge !== undefined ? { sharedPitMaxAgeMs: opts.sharedPitMaxAge } : {}),
        },
        corsOrigins: opts.cors ?? [], docs: opts.docs !== false,
        ...(secret !== undefined ? { cursorSecret: secret } : {}),
      }, inventory ? { inventory } : {});
      await server.start();
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.stop().finally(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
