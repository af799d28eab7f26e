/** `segflow services up|down|status`: the local Kafka and Elasticsearch, without Docker. */
import type { Command } from 'commander';
import { LocalServices } from './local-services.ts';

function printStartFailure(err: unknown): void {
  const errors = err instanceof AggregateError ? err.errors : [err];
  for (const e of errors) process.stderr.write(`${(e as Error).message}\n\n`);
}

export function registerServicesCommand(program: Command): void {
  const services = program.command('services').description('run the local Kafka (KRaft) and Elasticsearch on this machine\'s JDK, from Maven Central artifacts');

  services.command('up')
    .description('start Kafka and Elasticsearch (if not already running) and wait until both answer')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const local = new LocalServices();
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
        process.stdout.write(`\nKAFKA_BROKERS=${report.kafkaBrokers}\nELASTICSEARCH_URL=${report.elasticsearchUrl}\nready after ${(report.totalMs / 1000).toFixed(1)} s\n`);
      } catch (err) {
        printStartFailure(err);
        process.exitCode = 1;
      }
    });

  services.command('down')
    .description('stop the Kafka and Elasticsearch processes that `services up` started (by PID)')
    .action(async () => {
      const results = await new LocalServices().down();
      for (const r of results) {
        const what = r.outcome === 'not-running' ? 'was not running' : `pid ${r.pid} ${r.outcome}`;
        process.stdout.write(`${r.name.padEnd(14)} ${what}\n`);
      }
    });

  services.command('status')
    .description('tell whether the local Kafka and Elasticsearch run')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const statuses = await new LocalServices().status();
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
