/**
 * `npm run bench -- <name>...`: runs the named benchmarks (all when none is given), each of
 * which writes `bench/results/<name>.json`, and prints the JSON results. Throughput figures are
 * always ratios against a baseline measured in the same run: this machine is small and noisy.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { provideBenchServices, type BenchService } from './bench-services.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Benchmark name → module in bench/ and the function it exports. */
const BENCHMARKS: Record<string, { module: string; run: string; services?: readonly BenchService[] }> = {
  policy: { module: 'policy.ts', run: 'runPolicyBench' },
  pipeline: { module: 'pipeline.ts', run: 'runPipelineBench', services: ['kafka', 'elasticsearch'] },
  api: { module: 'api.ts', run: 'runApiBench', services: ['elasticsearch'] },
  ebpf: { module: 'ebpf.ts', run: 'runEbpfBench' },
  image: { module: 'image.ts', run: 'runImageBench', services: ['kafka', 'elasticsearch'] },
  'k8s-sync': { module: 'k8s-sync.ts', run: 'runK8sSyncBench', services: ['kafka'] },
  faults: { module: 'faults.ts', run: 'runFaultsBench' },
  multinode: { module: 'faults-multinode.ts', run: 'runMultinodeBench' },
  cli: { module: 'cli.ts', run: 'runCliBench' },
  latency: { module: 'latency.ts', run: 'runLatencyBench', services: ['kafka', 'elasticsearch'] },
  'agent-cpu': { module: 'agent-cpu.ts', run: 'runAgentCpuBench', services: ['kafka'] },
  goldmane: { module: 'goldmane.ts', run: 'runGoldmaneBench', services: ['kafka', 'elasticsearch'] },
};

async function main(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}\n`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(BENCHMARKS).filter((n) => existsSync(path.join(here, BENCHMARKS[n]!.module)));
  // Services first, for all selected benchmarks: a missing one stops the run at once, in one line.
  const needed = new Set(selected.flatMap((n) => BENCHMARKS[n]!.services ?? []));
  let services;
  try {
    services = await provideBenchServices(needed, (line) => process.stderr.write(`bench: ${line}\n`));
  } catch (err) {
    process.stderr.write(`bench: ${selected.filter((n) => (BENCHMARKS[n]!.services ?? []).length > 0).join(', ')} cannot run: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    return await runSelected(selected);
  } finally {
    await services.stop();
  }
}

async function runSelected(selected: readonly string[]): Promise<number> {
  for (const name of selected) {
    const spec = BENCHMARKS[name]!;
    const file = path.join(here, spec.module);
    if (!existsSync(file)) {
      process.stderr.write(`benchmark ${name}: ${spec.module} does not exist yet\n`);
      return 1;
    }
    const mod = (await import(file)) as Record<string, () => Promise<unknown>>;
    const run = mod[spec.run];
    if (typeof run !== 'function') throw new Error(`${spec.module} does not export ${spec.run}()`);
    process.stderr.write(`benchmark ${name}: running\n`);
    let result;
    try {
      result = await run();
    } catch (err) {
      // One line; SEGFLOW_LOG_LEVEL=debug adds the stack.
      process.stderr.write(`benchmark ${name} failed: ${(err as Error).message}\n`);
      if (process.env.SEGFLOW_LOG_LEVEL === 'debug') process.stderr.write(`${(err as Error).stack ?? ''}\n`);
      return 1;
    }
    process.stdout.write(`${JSON.stringify({ benchmark: name, result }, null, 2)}\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
