/**
 * `npm run bench -- <name>...`: runs the named benchmarks (all when none is given), each of
 * which writes `bench/results/<name>.json`, and prints the JSON results. Throughput figures are
 * always ratios against a baseline measured in the same run: this machine is small and noisy.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Benchmark name → module in bench/ and the function it exports. */
const BENCHMARKS: Record<string, { module: string; run: string }> = {
  policy: { module: 'policy.ts', run: 'runPolicyBench' },
  pipeline: { module: 'pipeline.ts', run: 'runPipelineBench' },
  api: { module: 'api.ts', run: 'runApiBench' },
  ebpf: { module: 'ebpf.ts', run: 'runEbpfBench' },
  image: { module: 'image.ts', run: 'runImageBench' },
  'k8s-sync': { module: 'k8s-sync.ts', run: 'runK8sSyncBench' },
};

async function main(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}\n`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(BENCHMARKS).filter((n) => existsSync(path.join(here, BENCHMARKS[n]!.module)));
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
    const result = await run();
    process.stdout.write(`${JSON.stringify({ benchmark: name, result }, null, 2)}\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
