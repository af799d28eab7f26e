/**
 * CLI start benchmark (`npm run bench -- cli`), issue 18 "CLI start". How long a user waits for
 * `segflow --help` and for a verdict from `segflow explain` on the demo shop, as a ratio against
 * `node -e 0` (the cost of starting Node itself) measured in the same run, in interleaved rounds
 * so each round's three runs see the same machine load. Targets: `--help` ≤ 0.3 s, explain
 * ≤ 0.5 s (absolute medians, reported beside the ratios).
 *
 * The runs are `node bin/segflow.js ...` as a user starts it, on the compiled dist/ (built at the
 * start). bin/segflow.js falls back to tsx when src/ changed after the build; a sample is kept
 * only when dist/ was current before and after it, otherwise dist/ is rebuilt and the sample taken
 * again. For comparison, a few runs of the tsx path (the sources compiled at start, tsx's cache
 * warm) are reported as `tsxFallback`.
 *
 * Rounds: SEGFLOW_BENCH_CLI_ROUNDS (default 15). Writes bench/results/cli.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildCli, builtCliIsCurrent } from '../scripts/build-cli.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ROUNDS = Number(process.env.SEGFLOW_BENCH_CLI_ROUNDS ?? 15);
const MAX_REBUILDS = 30;
const TARGET_MS = { help: 300, explain: 500 };

const EXPLAIN_ARGS = ['explain', '--resources', 'examples/shop', '--src', '10.244.1.10', '--dst', '10.244.2.10', '--protocol', 'tcp', '--dst-port', '5432'];
const SEGFLOW = join(root, 'bin', 'segflow.js');

/** Wall time of one process from spawn to exit; throws when it fails or prints nothing expected. */
function timeRun(args: readonly string[], expect: RegExp): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - started;
  if (r.status !== 0 || !expect.test(r.stdout)) {
    throw new Error(`\`node ${args.join(' ')}\` exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`);
  }
  return ms;
}

let rebuilds = 0;
/** One run of bin/segflow.js on a current dist/ (rebuilding and retrying when src/ changed under it). */
async function timeBuiltCli(args: readonly string[], expect: RegExp): Promise<number> {
  for (;;) {
    if (builtCliIsCurrent()) {
      const ms = timeRun([SEGFLOW, ...args], expect);
      if (builtCliIsCurrent()) return ms;
    }
    if (++rebuilds > MAX_REBUILDS) throw new Error(`src/ changed during ${MAX_REBUILDS} samples in a row: no run on a current dist/ could be measured`);
    await buildCli();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The tsx path bin/segflow.js takes on a stale dist/: register tsx, import the sources. */
function tsxRunArgs(cliArgs: readonly string[]): string[] {
  const script = "import { register } from 'tsx/esm/api'; register(); " +
    "const { main } = await import('./src/cli/main.ts'); await main(['node', 'segflow', ...JSON.parse(process.argv[1])]);";
  return ['--input-type=module', '-e', script, JSON.stringify(cliArgs)];
}

export async function runCliBench(): Promise<unknown> {
  const buildStarted = performance.now();
  const sources = await buildCli();
  const buildMs = performance.now() - buildStarted;

  const baseline: number[] = [];
  const help: number[] = [];
  const explain: number[] = [];
  // One unmeasured round first: the page cache holds node, the sources and node_modules after it.
  timeRun(['-e', '0'], /^$/);
  await timeBuiltCli(['--help'], /Usage: segflow/);
  await timeBuiltCli(EXPLAIN_ARGS, /deny/);
  for (let i = 0; i < ROUNDS; i++) {
    baseline.push(timeRun(['-e', '0'], /^$/));
    help.push(await timeBuiltCli(['--help'], /Usage: segflow/));
    explain.push(await timeBuiltCli(EXPLAIN_ARGS, /deny/));
  }
  const tsxRounds = Math.min(5, ROUNDS);
  const tsxHelp: number[] = [];
  const tsxExplain: number[] = [];
  timeRun(tsxRunArgs(['--help']), /Usage: segflow/); // fills tsx's compile cache
  for (let i = 0; i < tsxRounds; i++) {
    tsxHelp.push(timeRun(tsxRunArgs(['--help']), /Usage: segflow/));
    tsxExplain.push(timeRun(tsxRunArgs(EXPLAIN_ARGS.slice()), /deny/));
  }

  const nodeMs = median(baseline);
  const helpMs = median(help);
  const explainMs = median(explain);
  const result = {
    helpVsNodeStart: round2(helpMs / nodeMs),
    explainVsNodeStart: round2(explainMs / nodeMs),
    medianMs: { nodeStart: round1(nodeMs), help: round1(helpMs), explain: round1(explainMs) },
    withinTarget: { help: helpMs <= TARGET_MS.help, explain: explainMs <= TARGET_MS.explain },
    targetMs: TARGET_MS,
    tsxFallback: {
      medianMs: { help: round1(median(tsxHelp)), explain: round1(median(tsxExplain)) },
      helpVsNodeStart: round2(median(tsxHelp) / nodeMs),
      explainVsNodeStart: round2(median(tsxExplain) / nodeMs),
      rounds: tsxRounds,
    },
    samplesMs: { nodeStart: baseline.map(round1), help: help.map(round1), explain: explain.map(round1) },
    setup: {
      rounds: ROUNDS,
      build: { sources, ms: Math.round(buildMs) },
      rebuildsForSourceChanges: rebuilds,
      explain: `segflow ${EXPLAIN_ARGS.join(' ')}`,
      node: process.version,
    },
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'cli.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
