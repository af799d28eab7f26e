/**
 * Builds segflow-conntrack-reader (`conntrack-reader/Makefile`) on demand into a git-ignored
 * folder, `.local/conntrack-reader/` by default — what `npm run build:conntrack-reader` does.
 * Rebuilt when missing or older than a source in `conntrack-reader/`. Needs gcc, make and the
 * Linux uapi headers (Debian: gcc make libc6-dev linux-libc-dev); the image ships it prebuilt.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is src/collector/sources/conntrack/). */
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The C source and Makefile. */
export const CONNTRACK_READER_SOURCE_DIR = path.join(projectRoot, 'conntrack-reader');
/** Default build output folder. */
export const DEFAULT_CONNTRACK_READER_BUILD_DIR = path.join(projectRoot, '.local', 'conntrack-reader');
/** The reader's file name inside the build folder. */
export const CONNTRACK_READER_NAME = 'segflow-conntrack-reader';

const inFlight = new Map<string, Promise<string>>();

async function mtimeMs(file: string): Promise<number | null> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

async function isUpToDate(binary: string): Promise<boolean> {
  const built = await mtimeMs(binary);
  if (built === null) return false;
  let names: string[];
  try {
    names = await readdir(CONNTRACK_READER_SOURCE_DIR);
  } catch {
    return true; // an install without the sources: the shipped binary is all there is
  }
  for (const name of names) {
    if (!/\.(c|h)$|^Makefile$/.test(name)) continue;
    const m = await mtimeMs(path.join(CONNTRACK_READER_SOURCE_DIR, name));
    if (m !== null && m > built) return false;
  }
  return true;
}

/**
 * Returns the path of an up-to-date reader, building it first if needed. Rejects with a message
 * naming what is missing and make's last lines when the build fails. Concurrent calls share one build.
 */
export function ensureConntrackReader(buildDir = DEFAULT_CONNTRACK_READER_BUILD_DIR): Promise<string> {
  const dir = path.resolve(buildDir);
  let p = inFlight.get(dir);
  if (!p) {
    p = (async () => {
      const binary = path.join(dir, CONNTRACK_READER_NAME);
      if (await isUpToDate(binary)) return binary;
      await new Promise<void>((resolve, reject) => {
        execFile('make', ['-C', CONNTRACK_READER_SOURCE_DIR, `OUT=${dir}`], { timeout: 120_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
          if (err) {
            const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-10).join('\n');
            reject(new Error(`building the netlink conntrack reader failed (make -C ${CONNTRACK_READER_SOURCE_DIR} OUT=${dir}; it needs make, gcc and the Linux uapi headers: Debian packages make gcc libc6-dev linux-libc-dev): ${(err as Error).message}\n${output}`, { cause: err }));
          } else resolve();
        });
      });
      return binary;
    })().finally(() => inFlight.delete(dir));
    inFlight.set(dir, p);
  }
  return p;
}
