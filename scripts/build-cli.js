#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm ci` runs it): compiles the server-side sources in
 * src/ to JavaScript in dist/, one file per source at the same depth (src/cli/main.ts →
 * dist/cli/main.js), so paths computed from import.meta.url (the repository root, examples/,
 * kibana/) mean the same in both trees. Packages stay imports of node_modules; nothing is
 * bundled. bin/segflow.js runs dist/ when it is up to date, else the sources through tsx.
 *
 * Plain JavaScript on purpose: bin/segflow.js imports `builtCliIsCurrent` before anything can
 * compile TypeScript.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
export const DIST = path.join(ROOT, 'dist');
const BUILD_INFO = 'build-info.json';
// The browser app is bundled from its TypeScript by src/ui/ui-plugin.ts at run time; it is
// not part of the server-side build.
const BROWSER_APP = path.join(SRC, 'ui', 'app');

/** Every source the build compiles: .ts (not .d.ts) and .js under src/, but the browser app. */
function compiledSources() {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !file.startsWith(BROWSER_APP + path.sep))
    .sort();
}

/** FNV-1a of the sources' paths: a source renamed or replaced by another changes it. */
function pathsHash(files) {
  let hash = 0x811c9dc5;
  for (const file of files) {
    const rel = path.relative(SRC, file);
    for (let i = 0; i < rel.length; i++) hash = Math.imul(hash ^ rel.charCodeAt(i), 0x01000193) >>> 0;
    hash = Math.imul(hash ^ 10, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * What dist/ was built from: the sources' paths and the newest modification among them. mtime,
 * not ctime: an image layer copy (Dockerfile `COPY --from`) keeps mtimes but renews ctimes.
 */
function sourceFingerprint(files) {
  let newest = 0;
  for (const file of files) newest = Math.max(newest, statSync(file).mtimeMs);
  return { sources: files.length, paths: pathsHash(files), newestModifiedMs: newest };
}

/** True when dist/ exists and was built from the sources as they are now. */
export function builtCliIsCurrent() {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(path.join(DIST, BUILD_INFO), 'utf8'));
  } catch {
    return false;
  }
  const now = sourceFingerprint(compiledSources());
  return recorded.sources === now.sources && recorded.paths === now.paths && recorded.newestModifiedMs === now.newestModifiedMs;
}

/** Compiles src/ into a fresh directory and swaps it in place of dist/. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const files = compiledSources();
  // Taken before compiling: a source edited during the build leaves dist/ marked stale.
  const fingerprint = sourceFingerprint(files);
  const staging = `${DIST}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  await build({
    entryPoints: files,
    outdir: staging,
    outbase: SRC,
    // "Bundling" with every import external only to rewrite `./x.ts` specifiers to `./x.js`;
    // each output file holds exactly its own source.
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node24',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [{
      name: 'relative-imports-to-js',
      setup(b) {
        b.onResolve({ filter: /^\.\.?\// }, (args) => (
          { path: args.path.replace(/\.ts$/, '.js'), external: true }
        ));
      },
    }],
  });
  writeFileSync(path.join(staging, BUILD_INFO), `${JSON.stringify(fingerprint)}\n`);
  rmSync(DIST, { recursive: true, force: true });
  renameSync(staging, DIST);
  return files.length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const count = await buildCli();
  if (!existsSync(path.join(DIST, 'cli', 'main.js'))) throw new Error('build: dist/cli/main.js was not written');
  process.stdout.write(`build: ${count} sources compiled to dist/ in ${Math.round(performance.now() - started)} ms\n`);
}
