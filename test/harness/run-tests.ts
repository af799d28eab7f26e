/**
 * The test command (`npm test`): finds the test files by kind, provides Kafka and Elasticsearch
 * once when any selected kind needs them, runs everything in one `node --test` process tree,
 * and stops the services at the end even when tests fail or the run is interrupted.
 *
 *   npm test                      unit + integration + e2e + browser
 *   npm test -- unit              only unit tests (no services are started)
 *   npm test -- integration e2e   the kinds given
 *   npm test -- test/unit/x.test.ts   particular files (services started if any is not a unit test)
 *
 * A file whose first line is `// segflow-test-requires: goldmane` needs a binary the package
 * registries cannot provide (test/harness/goldmane.ts says where it is looked for). Without it,
 * a kind-wide run leaves the file out and ends with a NOT RUN list naming the file, the reason
 * and how to run it — never counted as passed; with SEGFLOW_REQUIRE_ALL_SUITES=1 (CI) or when
 * the file is named explicitly, the file runs and fails with that reason instead.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { requireSupportedNode } from '../../src/cli/required-node.ts';
import { projectRoot } from '../../src/services/services-config.ts';
import { provisionServices, type ProvisionedServices } from './provision-services.ts';
import { buildKubeBinaries } from './kube-binaries.ts';
import { readFile } from 'node:fs/promises';
import { requireGoldmaneBinary } from './goldmane.ts';

const KINDS = ['unit', 'integration', 'e2e', 'browser'] as const;
type Kind = (typeof KINDS)[number];

async function findTests(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => path.relative(projectRoot, path.join(e.parentPath, e.name)))
    .sort();
}

function log(line: string): void {
  process.stdout.write(`[segflow-test] ${line}\n`);
}

/** External requirements a file declares on its first line, and how to check each. */
const REQUIREMENTS: Record<string, (file: string) => string | undefined> = {
  goldmane: (file) => {
    try {
      requireGoldmaneBinary(file);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  },
};

/** Files whose declared requirement is missing, with the reason; the rest run. */
async function splitRunnable(files: readonly string[]): Promise<{ run: string[]; notRun: Array<{ file: string; reason: string }> }> {
  const run: string[] = [];
  const notRun: Array<{ file: string; reason: string }> = [];
  for (const file of files) {
    const first = (await readFile(path.join(projectRoot, file), 'utf8')).split('\n', 1)[0] ?? '';
    const requirement = /^\/\/ segflow-test-requires: (\S+)/.exec(first)?.[1];
    const check = requirement === undefined ? undefined : REQUIREMENTS[requirement];
    if (requirement !== undefined && check === undefined) throw new Error(`${file}: unknown test requirement ${requirement}`);
    const reason = check?.(file);
    if (reason === undefined) run.push(file);
    else notRun.push({ file, reason });
  }
  return { run, notRun };
}

async function main(args: string[]): Promise<number> {
  const explicitFiles = args.filter((a) => a.endsWith('.ts'));
  const kinds = args.filter((a): a is Kind => (KINDS as readonly string[]).includes(a));
  const unknown = args.filter((a) => !a.endsWith('.ts') && !(KINDS as readonly string[]).includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument(s): ${unknown.join(' ')} (expected ${KINDS.join(', ')} or test file paths)\n`);
    return 2;
  }
  const selected = explicitFiles.length > 0 ? explicitFiles : (await Promise.all((kinds.length ? kinds : KINDS).map((k) => findTests(path.join(projectRoot, 'test', k))))).flat();
  // Named files always run (and fail with the reason); CI asks for every suite to run.
  const strict = explicitFiles.length > 0 || process.env.SEGFLOW_REQUIRE_ALL_SUITES === '1';
  const { run: files, notRun } = strict ? { run: selected, notRun: [] } : await splitRunnable(selected);
  const reportNotRun = (): void => {
    if (notRun.length === 0) return;
    log(`NOT RUN (${notRun.length} file${notRun.length === 1 ? '' : 's'}, not counted as passed):`);
    for (const n of notRun) log(`  ${n.file}: ${n.reason}`);
  };
  if (notRun.length > 0) reportNotRun();
  if (files.length === 0) {
    process.stderr.write('no test files found\n');
    return 1;
  }
  const needsServices = files.some((f) => !f.startsWith(path.join('test', 'unit')) && !f.includes(`${path.sep}unit${path.sep}`));

  let services: ProvisionedServices | undefined;
  let stopping: Promise<void> | undefined;
  const stopServices = (): Promise<void> => (stopping ??= services ? services.stop() : Promise.resolve());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping services`);
      void stopServices().finally(() => process.exit(130));
    });
  }

  try {
    // The API's overload guard answers 503 when its event loop stalls 2 s, which a loaded 2-core
    // machine causes on its own; no test is about that guard, so the API processes of tests keep it off.
    const env: NodeJS.ProcessEnv = { SEGFLOW_API_MAX_EVENT_LOOP_DELAY_MS: '0', ...process.env };
    if (needsServices) {
      // Tests against a real kube-apiserver need it built from the Go module proxy (once; skipped when current).
      await buildKubeBinaries(log);
      services = await provisionServices(log);
      log(`Kafka ${services.kafkaBrokers}, Elasticsearch ${services.elasticsearchUrl} (${services.origin}: ${services.detail})`);
      env.KAFKA_BROKERS = services.kafkaBrokers;
      env.ELASTICSEARCH_URL = services.elasticsearchUrl;
    } else {
      log('only unit tests selected: no services started');
    }
    log(`running ${files.length} test files`);
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [
        '--import', 'tsx', '--test', '--test-reporter=spec',
        // Integration tests share one broker and one cluster; one file at a time keeps them honest and the 2-core machine responsive.
        '--test-concurrency=1', '--test-timeout=300000',
        ...files,
      ], { stdio: 'inherit', env, cwd: projectRoot });
      child.on('exit', (code, signal) => {
        reportNotRun(); // again at the end, where a reader of the run's tail looks
        resolve(code ?? (signal ? 1 : 0));
      });
    });
  } catch (err) {
    process.stderr.write(`test run could not start: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await stopServices();
  }
}

// Every test file runs in a child of this process's Node (process.execPath), so this one check
// covers the whole run.
requireSupportedNode();
process.exitCode = await main(process.argv.slice(2));
