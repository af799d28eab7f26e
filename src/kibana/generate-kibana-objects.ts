/**
 * Writes the Kibana saved objects (`kibana/*.ndjson`) from {@link buildKibanaObjectFiles}.
 * `npm run kibana:gen` runs this file; the drift test renders the same content in memory and
 * compares it with the committed files, so the files can never fall behind the field table.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKibanaObjectFiles } from './flow-dashboards.ts';
import { toNdjson } from './kibana-saved-objects.ts';

/** Where the committed saved objects live (`<repo>/kibana`). */
export const KIBANA_OBJECTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../kibana');

/** File name → ndjson text of every generated file. */
export function renderKibanaObjectFiles(): Map<string, string> {
  return new Map([...buildKibanaObjectFiles()].map(([name, objects]) => [name, toNdjson(objects)]));
}

/** Writes every generated file into `outDir`; returns the paths written. */
export async function generateKibanaObjects(outDir: string = KIBANA_OBJECTS_DIR): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of renderKibanaObjectFiles()) {
    const file = path.join(outDir, name);
    await writeFile(file, text);
    written.push(file);
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await generateKibanaObjects(process.argv[2] ? path.resolve(process.argv[2]) : KIBANA_OBJECTS_DIR);
  for (const file of written) process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
