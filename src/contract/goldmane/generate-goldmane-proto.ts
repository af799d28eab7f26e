/**
 * Generates the static protobufjs code for segflow's subset of Goldmane's API
 * (`proto/goldmane/api.proto`) into `src/contract/wire/generated/goldmane.{js,d.ts}` (next to the
 * wire schema's generated code, which lint and the build already treat as generated).
 * `npm run proto:gen:goldmane` runs this file; a unit test regenerates into a temporary
 * directory and compares with the committed files.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const GOLDMANE_PROTO = 'proto/goldmane/api.proto';
export const GOLDMANE_GENERATED_DIR = path.join(REPO_ROOT, 'src/contract/wire/generated');

export function goldmaneGeneratedPaths(outDir: string): { js: string; dts: string } {
  return { js: path.join(outDir, 'goldmane.js'), dts: path.join(outDir, 'goldmane.d.ts') };
}

function cliScript(name: 'pbjs' | 'pbts'): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('protobufjs-cli/package.json')), 'bin', name);
}

/** Runs pbjs and pbts on the Goldmane subset; rejects with their stderr on failure. */
export async function generateGoldmaneProtoCode(outDir: string = GOLDMANE_GENERATED_DIR): Promise<{ js: string; dts: string }> {
  await mkdir(outDir, { recursive: true });
  const out = goldmaneGeneratedPaths(outDir);
  const run = async (script: 'pbjs' | 'pbts', args: string[]): Promise<void> => {
    try {
      await execFileAsync(process.execPath, [cliScript(script), ...args], { cwd: REPO_ROOT });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(`${script} failed: ${stderr.trim() || (err as Error).message}`, { cause: err });
    }
  };
  // No service stubs: the gRPC client (grpc-js) only needs the message codecs.
  await run('pbjs', ['-t', 'static-module', '-w', 'es6', '--no-service', '--alt-comment', '-o', out.js, path.join(REPO_ROOT, GOLDMANE_PROTO)]);
  await run('pbts', ['-o', out.dts, out.js]);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await generateGoldmaneProtoCode(process.argv[2] ? path.resolve(process.argv[2]) : GOLDMANE_GENERATED_DIR);
  process.stdout.write(`generated ${path.relative(REPO_ROOT, out.js)} and ${path.relative(REPO_ROOT, out.dts)}\n`);
}
