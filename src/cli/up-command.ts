/** `segflow up`: the whole pipeline on this machine, until Ctrl-C. */
import type { Command } from 'commander';
import { LocalStack } from './local-stack.ts';

export function registerUpCommand(program: Command): void {
  program.command('up')
    .description('run everything on this machine: local Kafka + Elasticsearch, inventory, collectors, enricher, API and web UI (demo shop and traffic unless --resources is given)')
    .option('--resources <paths...>', 'Calico/Kubernetes resource files or directories (default: the demo shop in examples/shop)')
    .option('--demo-traffic', 'generate synthetic traffic for the given resources too (on by default for the demo shop)')
    .option('--no-demo-traffic', 'no synthetic traffic')
    .option('--demo-rate <n>', 'synthetic connections per second', '20')
    .option('--host-conntrack <mode>', "read this host's conntrack table: auto, on, off", 'auto')
    .option('--api-port <port>', 'API and web UI port', '8080')
    .option('--keep-services', 'leave Kafka and Elasticsearch running on exit')
    .action(async (opts: { resources?: string[]; demoTraffic?: boolean; demoRate: string; hostConntrack: string; apiPort: string; keepServices?: boolean }) => {
      if (!['auto', 'on', 'off'].includes(opts.hostConntrack)) throw new Error(`--host-conntrack must be auto, on or off, got '${opts.hostConntrack}'`);
      const rate = Number(opts.demoRate);
      const port = Number(opts.apiPort);
      if (!(rate > 0)) throw new Error(`--demo-rate must be a positive number, got '${opts.demoRate}'`);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--api-port must be a port number, got '${opts.apiPort}'`);
      const stack = new LocalStack({
        resources: opts.resources, demoTraffic: opts.demoTraffic, demoRate: rate, apiPort: port,
        hostConntrack: opts.hostConntrack as 'auto' | 'on' | 'off', stopServices: !opts.keepServices,
      });
      let info;
      try {
        info = await stack.start();
      } catch (err) {
        process.stderr.write(`segflow up failed: ${(err as Error).message}\n`);
        await stack.stop();
        process.exitCode = 1;
        return;
      }
      const out = process.stdout;
      out.write(`\nsegflow is up (${(info.startupMs / 1000).toFixed(1)} s)\n\n`);
      out.write(`  web UI and API   ${info.apiUrl}/   (API docs: ${info.apiUrl}/docs)\n`);
      out.write(`  Elasticsearch    ${info.elasticsearchUrl}   (flow indices segflow-flows-*)\n`);
      out.write(`  Kafka            ${info.kafkaBrokers}   (topics flows.raw, flows.dead-letter, segflow.inventory)\n`);
      out.write(`  inventory        ${info.inventory} (${info.resources} resources)\n`);
      for (const c of info.collectors) out.write(`  collector        ${c}\n`);
      out.write(`  enricher         ${info.enricherMetrics}\n\n`);
      out.write(`Try: curl -s '${info.apiUrl}/api/v1/denied' | head\n     npx segflow explain --resources ${info.inventory.split(', ')[0]} --src 10.244.1.10 --dst 10.244.2.10 --protocol tcp --dst-port 5432\n\nCtrl-C stops everything.\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      out.write('stopping...\n');
      await stack.stop();
    });
}
