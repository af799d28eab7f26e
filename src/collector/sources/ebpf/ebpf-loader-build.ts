/**
 * Builds the eBPF probe and its loader (`ebpf/Makefile`) on demand into a git-ignored folder,
 * `.local/ebpf/` by default, the same thing `npm run build:ebpf` does.
 *
 * The binary is rebuilt when it is missing or older than any source in `ebpf/`. A build needs
 * Debian's clang, llvm, libbpf-dev, bpftool, libelf-dev, zlib1g-dev, pkg-config, make and gcc,
 * plus the kernel's BTF (`/sys/kernel/btf/vmlinux`) for `vmlinux.h`.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is src/collector/sources/ebpf/). */
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The C sources and Makefile. */
export const EBPF_SOURCE_DIR = path.join(projectRoot, 'ebpf');
/** Default build output folder. */
export const DEFAULT_EBPF_BUILD_DIR = path.join(projectRoot, '.local', 'ebpf');
/** The loader's file name inside the build folder. */
export const EBPF_LOADER_NAME = 'segflow-ebpf';

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
  for (const name of await readdir(EBPF_SOURCE_DIR)) {
    if (!/\.(c|h)$|^Makefile$/.test(name)) continue;
    const m = await mtimeMs(path.join(EBPF_SOURCE_DIR, name));
    if (m !== null && m > built) return false;
  }
  return true;
}

/**
 * Returns the path of an up-to-date loader, building it first if needed. Rejects with make's
 * output when the build fails (missing packages, no BTF). Concurrent calls share one build.
 */
export function ensureEbpfLoader(buildDir = DEFAULT_EBPF_BUILD_DIR): Promise<string> {
  const dir = path.resolve(buildDir);
  let p = inFlight.get(dir);
  if (!p) {
    p = (async () => {
      const binary = path.join(dir, EBPF_LOADER_NAME);
      if (await isUpToDate(binary)) return binary;
      await new Promise<void>((resolve, reject) => {
        execFile('make', ['-C', EBPF_SOURCE_DIR, `OUT=${dir}`], { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
          if (err) {
            const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n');
            reject(new Error(`building the eBPF loader failed (make -C ${EBPF_SOURCE_DIR} OUT=${dir}): ${(err as Error).message}\n${output}`, { cause: err }));
          } else resolve();
        });
      });
      return binary;
    })().finally(() => inFlight.delete(dir));
    inFlight.set(dir, p);
  }
  return p;
}
