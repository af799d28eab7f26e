/**
 * The source's progress across its own restarts: the newest flow start and end it published, in
 * a small JSON file (`--state-file`). Without it a restarted source still misses nothing Goldmane
 * holds (it asks for the whole history, and replays are idempotent), but it cannot tell whether
 * it was away longer than Goldmane's retention; with it, it can say so.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResumeState } from './goldmane-resume.ts';

/** Reads the file; an absent file is a fresh start, an unreadable one an error naming it. */
export async function readProgress(file: string): Promise<ResumeState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { newestStart: undefined, newestEnd: undefined };
    throw new Error(`--state-file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = JSON.parse(text) as { newestStart?: unknown; newestEnd?: unknown };
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (!ok(parsed.newestStart) || !ok(parsed.newestEnd)) throw new Error(`--state-file ${file}: expected {"newestStart": <unix s>, "newestEnd": <unix s>}, got ${text.slice(0, 200)}`);
  return { newestStart: parsed.newestStart, newestEnd: parsed.newestEnd };
}

/** Replaces the file atomically (write, then rename). */
export async function writeProgress(file: string, state: ResumeState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ newestStart: state.newestStart, newestEnd: state.newestEnd })}\n`);
  await rename(tmp, file);
}
