/**
 * Builds a native helper of the collector (the eBPF loader, the netlink conntrack reader) with
 * its Makefile on demand into a git-ignored folder: rebuilt when the binary is missing or older
 * than a C source, header or Makefile of its folder. Concurrent calls for one output folder
 * share one build; a failed build rejects with make's last lines and what the build needs.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** One native helper: where its sources are, what it is called, what a build needs. */
export interface NativeHelper {
  /** Folder with the C sources and the Makefile (`make -C <dir> OUT=<build dir>`). */
  readonly sourceDir: string;
  /** The binary's file name inside the build folder. */
  readonly binaryName: string;
  /** What it is, for messages ("the eBPF loader"). */
  readonly what: string;
  /** What a build needs, for the failure message. */
  readonly needs: string;
  readonly timeoutMs: number;
  /** make's last lines kept in a failure message. */
  readonly outputLines: number;
  /**
   * True when an install without the sources counts as up to date (the shipped binary is all
   * there is); false when missing sources make the check fail.
   */
  readonly sourcesOptional: boolean;
}

const inFlight = new Map<string, Promise<string>>();

async function mtimeMs(file: string): Promise<number | null> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

async function isUpToDate(helper: NativeHelper, binary: string): Promise<boolean> {
  const built = await mtimeMs(binary);
  if (built === null) return false;
  let names: string[];
  try {
    names = await readdir(helper.sourceDir);
  } catch (err) {
    if (helper.sourcesOptional) return true;
    throw err;
  }
  for (const name of names) {
    if (!/\.(c|h)$|^Makefile$/.test(name)) continue;
    const m = await mtimeMs(path.join(helper.sourceDir, name));
    if (m !== null && m > built) return false;
  }
  return true;
}

/** The path of an up-to-date binary of `helper` in `buildDir`, building it first if needed. */
export function ensureNativeHelper(helper: NativeHelper, buildDir: string): Promise<string> {
  const dir = path.resolve(buildDir);
  const key = `${helper.binaryName}\0${dir}`;
  let p = inFlight.get(key);
  if (!p) {
    p = (async () => {
      const binary = path.join(dir, helper.binaryName);
      if (await isUpToDate(helper, binary)) return binary;
      await new Promise<void>((resolve, reject) => {
        execFile('make', ['-C', helper.sourceDir, `OUT=${dir}`], { timeout: helper.timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
          if (err) {
            const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-helper.outputLines).join('\n');
            reject(new Error(`building ${helper.what} failed (make -C ${helper.sourceDir} OUT=${dir}${helper.needs ? `; ${helper.needs}` : ''}): ${(err as Error).message}\n${output}`, { cause: err }));
          } else resolve();
        });
      });
      return binary;
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
  }
  return p;
}
