/** `segflow services up|down|status`: the local Kafka and Elasticsearch, without Docker. */
import { InvalidArgumentError, type Command } from 'commander';
import { LocalServices } from './local-services.ts';
import { loadServicesConfig } from './services-config.ts';
import { readServicesLayout, writeServicesLayout } from './services-layout.ts';

interface LayoutOptions {
  kafkaBrokers?: number;
  elasticsearchNodes?: number;
}

function nodeCount(flag: string): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 9) throw new InvalidArgumentError(`${flag} must be a whole number from 1 to 9, got '${raw}'`);
    return value;
  };
}

/**
 * The services to act on: counts from the flags, else (for down and status) what `up` last
 * started in this services folder, else the environment (SEGFLOW_KAFKA_BROKER_COUNT,
 * SEGFLOW_ES_NODE_COUNT; one of each by default).
 */
function localServices(opts: LayoutOptions, useRecordedLayout: boolean): LocalServices {
  const base = loadServicesConfig();
  const recorded = useRecordedLayout ? readServicesLayout(base.baseDir) : undefined;
  const env = { ...process.env };
  const brokers = opts.kafkaBrokers ?? recorded?.kafkaBrokers;
  const nodes = opts.elasticsearchNodes ?? recorded?.elasticsearchNodes;
  if (brokers !== undefined) env.SEGFLOW_KAFKA_BROKER_COUNT = String(brokers);
  if (nodes !== undefined) env.SEGFLOW_ES_NODE_COUNT = String(nodes);
  return new LocalServices(loadServicesConfig(env));
}

function printStartFailure(err: unknown): void {
  const errors = err instanceof AggregateError ? err.errors : [err];
  for (const e of errors) process.stderr.write(`${(e as Error).message}\n\n`);
}

export function registerServicesCommand(program: Command): void {
  const services = program.command('services').description('run the local Kafka (KRaft) and Elasticsearch on this machine\'s JDK, from Maven Central artifacts');

  services.command('up')
    .description('start Kafka and Elasticsearch (if not already running) and wait until both answer')
    .option('--kafka-brokers <n>', 'Kafka brokers, each broker + KRaft controller; with 3, topics get 3 replicas and min.insync.replicas 2 (env SEGFLOW_KAFKA_BROKER_COUNT; default 1)', nodeCount('--kafka-brokers'))
    .option('--elasticsearch-nodes <n>', 'Elasticsearch nodes in one cluster (env SEGFLOW_ES_NODE_COUNT; default 1)', nodeCount('--elasticsearch-nodes'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean } & LayoutOptions) => {
      const local = localServices(opts, false);
      writeServicesLayout(local.config.baseDir, { kafkaBrokers: local.config.kafka.brokers, elasticsearchNodes: local.config.elasticsearch.nodes });
      try {
        const report = await local.up();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(report)}\n`);
          return;
        }
        for (const s of report.services) {
          const how = s.alreadyRunning ? 'already running' : `started in ${(s.startupMs / 1000).toFixed(1)} s`;
          process.stdout.write(`${s.name.padEnd(14)} ${s.endpoint.padEnd(24)} pid ${s.pid} (${how}), version ${s.version}\n${''.padEnd(15)}log: ${s.logFile}\n`);
        }
        const otherNodes = report.elasticsearchUrls.length > 1 ? `  # also ${report.elasticsearchUrls.slice(1).join(', ')}` : '';
        process.stdout.write(`\nKAFKA_BROKERS=${report.kafkaBrokers}\nELASTICSEARCH_URL=${report.elasticsearchUrl}${otherNodes}\nready after ${(report.totalMs / 1000).toFixed(1)} s\n`);
      } catch (err) {
        printStartFailure(err);
        process.exitCode = 1;
      }
    });

  services.command('down')
    .description('stop the Kafka and Elasticsearch processes that `services up` started (by PID)')
    .option('--kafka-brokers <n>', 'brokers to stop (default: as many as `up` last started)', nodeCount('--kafka-brokers'))
    .option('--elasticsearch-nodes <n>', 'nodes to stop (default: as many as `up` last started)', nodeCount('--elasticsearch-nodes'))
    .action(async (opts: LayoutOptions) => {
      const results = await localServices(opts, true).down();
      for (const r of results) {
        const what = r.outcome === 'not-running' ? 'was not running' : `pid ${r.pid} ${r.outcome}`;
        process.stdout.write(`${r.name.padEnd(14)} ${what}\n`);
      }
    });

  services.command('status')
    .description('tell whether the local Kafka and Elasticsearch run')
    .option('--kafka-brokers <n>', 'brokers to look at (default: as many as `up` last started)', nodeCount('--kafka-brokers'))
    .option('--elasticsearch-nodes <n>', 'nodes to look at (default: as many as `up` last started)', nodeCount('--elasticsearch-nodes'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean } & LayoutOptions) => {
      const statuses = await localServices(opts, true).status();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(statuses)}\n`);
      } else {
        for (const s of statuses) {
          process.stdout.write(`${s.name.padEnd(14)} ${s.running ? `running  pid ${s.pid}  ${s.endpoint}` : 'stopped'}  (log: ${s.logFile})\n`);
        }
      }
      // Scripts can test `segflow services status` for "everything runs".
      if (!statuses.every((s) => s.running)) process.exitCode = 3;
    });
}
