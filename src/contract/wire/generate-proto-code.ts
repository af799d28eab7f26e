/**
 * Generates the static protobufjs code for the wire schema (`proto/segflow/v1/*.proto`) into
 * `src/contract/wire/generated/`: `pbjs -t static-module -w es6` for the JavaScript and `pbts` for its
 * type declarations. `npm run proto:gen` runs this file; the drift test calls
 * {@link generateProtoCode} with a temporary directory and compares the result with the
 * committed files.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The .proto files that make up the wire schema, relative to the repository root. */
export const PROTO_FILES = ['proto/segflow/v1/flow.proto'] as const;

/** Where the committed generated code lives. */
export const GENERATED_DIR = path.join(REPO_ROOT, 'src/contract/wire/generated');

/** Base name of the generated files (`flow.js` and `flow.d.ts`). */
export const GENERATED_BASENAME = 'flow';

/** Paths of the generated files inside `outDir`. */
export function generatedFilePaths(outDir: string): { js: string; dts: string } {
  return { js: path.join(outDir, `${GENERATED_BASENAME}.js`), dts: path.join(outDir, `${GENERATED_BASENAME}.d.ts`) };
}

function cliScript(name: 'pbjs' | 'pbts'): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('protobufjs-cli/package.json')), 'bin', name);
}

/**
 * Runs pbjs and pbts on {@link PROTO_FILES} and writes `flow.js` and `flow.d.ts` into `outDir`
 * (created if missing). `--alt-comment` keeps the `//` comments of the .proto as JSDoc, so the
 * field documentation reaches the editor. Rejects with pbjs/pbts's stderr on failure.
 */
export async function generateProtoCode(outDir: string = GENERATED_DIR): Promise<{ js: string; dts: string }> {
  await mkdir(outDir, { recursive: true });
  const out = generatedFilePaths(outDir);
  const protos = PROTO_FILES.map((p) => path.join(REPO_ROOT, p));
  const run = async (script: 'pbjs' | 'pbts', args: string[]): Promise<void> => {
    try {
      await execFileAsync(process.execPath, [cliScript(script), ...args], { cwd: REPO_ROOT });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(`${script} failed: ${stderr.trim() || (err as Error).message}`, { cause: err });
    }
  };
  await run('pbjs', ['-t', 'static-module', '-w', 'es6', '--alt-comment', '-o', out.js, ...protos]);
  await run('pbts', ['-o', out.dts, out.js]);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await generateProtoCode(process.argv[2] ? path.resolve(process.argv[2]) : GENERATED_DIR);
  process.stdout.write(`generated ${path.relative(REPO_ROOT, out.js)} and ${path.relative(REPO_ROOT, out.dts)}\n`);
}
