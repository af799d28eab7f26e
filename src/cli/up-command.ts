/**
 * `segflow up`: the whole pipeline on this machine, until Ctrl-C. The services it starts run in
 * sessions of their own, so the terminal's Ctrl-C reaches segflow alone, which stops the roles
 * first and the services after (a second Ctrl-C quits at once).
 */
import type { Command } from 'commander';
import { LocalStack, StartInterruptedError } from './local-stack.ts';

export function registerUpCommand(program: Command): void {
  program.command('up')
    .description('run everything on this machine: local Kafka + Elasticsearch, inventory, collectors, enricher, API and web UI (demo shop and traffic unless --resources is given)')
    .option('--resources <paths...>', 'Calico/Kubernetes resource files or directories (default: the demo shop in examples/shop)')
    .option('--demo-traffic', 'generate synthetic traffic for the given resources too (on by default for the demo shop)')
    .option('--no-demo-traffic', 'no synthetic traffic')
    .option('--demo-rate <n>', 'synthetic connections per second', '20')
    .option('--host-conntrack <mode>', "read this host's conntrack table: auto, on, off", 'auto')
    .option('--api-port <port>', 'API and web UI port', '8080')
    .option('--metrics-port <port>', "the enricher's Prometheus metrics port (0: any free port)", '9464')
    .option('--keep-services', 'leave Kafka and Elasticsearch running on exit')
    .action(async (opts: { resources?: string[]; demoTraffic?: boolean; demoRate: string; hostConntrack: string; apiPort: string; metricsPort: string; keepServices?: boolean }) => {
      if (!['auto', 'on', 'off'].includes(opts.hostConntrack)) throw new Error(`--host-conntrack must be auto, on or off, got '${opts.hostConntrack}'`);
      const rate = Number(opts.demoRate);
      const port = Number(opts.apiPort);
      if (!(rate > 0)) throw new Error(`--demo-rate must be a positive number, got '${opts.demoRate}'`);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--api-port must be a port number, got '${opts.apiPort}'`);
      const metricsPort = Number(opts.metricsPort);
      if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) throw new Error(`--metrics-port must be a port number, got '${opts.metricsPort}'`);
      const out = process.stdout;
      const stack = new LocalStack({
        resources: opts.resources, demoTraffic: opts.demoTraffic, demoRate: rate, apiPort: port, enricherMetricsPort: metricsPort,
        hostConntrack: opts.hostConntrack as 'auto' | 'on' | 'off', stopServices: !opts.keepServices,
        progress: (line) => out.write(`${line}\n`),
      });
      // Handlers from the start: a Ctrl-C during start-up stops what has started, in order.
      let signalled = false;
      let started = false;
      let onSignal: () => void = () => undefined;
      const stopRequested = new Promise<void>((resolve) => {
        onSignal = () => {
          if (signalled) {
            process.stderr.write('second interrupt: quitting now (services may be left running: segflow services down)\n');
            process.exit(130);
          }
          signalled = true;
          if (!started) out.write('interrupt: stopping once the current start-up step ends (Ctrl-C again quits at once)\n');
          stack.interrupt();
          resolve();
        };
      });
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let info;
      try {
        info = await stack.start();
        started = true;
      } catch (err) {
        if (err instanceof StartInterruptedError) {
          out.write('interrupted: stopping what has started (roles first, then services)\n');
        } else {
          process.stderr.write(`segflow up failed: ${(err as Error).message}\n`);
          process.exitCode = 1;
        }
        await stack.stop();
        return;
      }
      out.write(`\nsegflow is up (${(info.startupMs / 1000).toFixed(1)} s)\n\n`);
      out.write(`  web UI and API   ${info.apiUrl}/   (API docs: ${info.apiUrl}/docs)\n`);
      out.write(`  Elasticsearch    ${info.elasticsearchUrl}   (flow indices segflow-flows-*)\n`);
      out.write(`  Kafka            ${info.kafkaBrokers}   (topics flows.raw, flows.dead-letter, segflow.inventory)\n`);
      out.write(`  inventory        ${info.inventory} (${info.resources} resources)\n`);
      for (const c of info.collectors) out.write(`  collector        ${c}\n`);
      out.write(`  enricher         ${info.enricherMetrics}\n\n`);
      out.write(`Try: curl -s '${info.apiUrl}/api/v1/denied' | head\n     npx segflow explain --resources ${info.inventory.split(', ')[0]} --src 10.244.1.10 --dst 10.244.2.10 --protocol tcp --dst-port 5432\n\nCtrl-C stops everything.\n`);
      await stopRequested;
      out.write('stopping: roles first, then services (Ctrl-C again quits at once)\n');
      await stack.stop();
      out.write('segflow stopped\n');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
}
