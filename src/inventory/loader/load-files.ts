/**
 * Resource files and directories → resources. The only module of the inventory that touches the
 * file system. Directories are walked recursively; `.yaml`, `.yml` and `.json` files are read in
 * name order so loading is deterministic.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeIssue } from './errors.ts';
import { loadResourceText, type LoadResult } from './load-text.ts';

const EXTENSIONS = /\.(ya?ml|json)$/i;

async function filesUnder(path: string): Promise<string[]> {
  const st = await stat(path);
  if (!st.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const p = join(path, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (EXTENSIONS.test(e.name)) out.push(p);
  }
  return out;
}

/** Loads files and directories (recursively). Unreadable paths become error issues. */
export async function loadResourcePaths(paths: readonly string[]): Promise<LoadResult> {
  const result: LoadResult = { resources: [], issues: [] };
  for (const path of paths) {
    let files: string[];
    try {
      files = await filesUnder(path);
    } catch (err) {
      result.issues.push(makeIssue('error', path, 0, '', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
      continue;
    }
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        result.issues.push(makeIssue('error', file, 0, '', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
        continue;
      }
      const r = loadResourceText(text, file);
      result.resources.push(...r.resources);
      result.issues.push(...r.issues);
    }
  }
  return result;
}
