/**
 * Builds the eBPF probe and its loader (`ebpf/Makefile`) on demand into a git-ignored folder,
 * `.local/ebpf/` by default, the same thing `npm run build:ebpf` does.
 *
 * The binary is rebuilt when it is missing or older than any source in `ebpf/`. A build needs
 * Debian's clang, llvm, libbpf-dev, bpftool, libelf-dev, zlib1g-dev, pkg-config, make and gcc,
 * plus the kernel's BTF (`/sys/kernel/btf/vmlinux`) for `vmlinux.h`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNativeHelper, type NativeHelper } from '../native-build.ts';

/** The repository root (this file is src/collector/sources/ebpf/). */
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The C sources and Makefile. */
export const EBPF_SOURCE_DIR = path.join(projectRoot, 'ebpf');
/** Default build output folder. */
export const DEFAULT_EBPF_BUILD_DIR = path.join(projectRoot, '.local', 'ebpf');
/** The loader's file name inside the build folder. */
export const EBPF_LOADER_NAME = 'segflow-ebpf';

const LOADER: NativeHelper = {
  sourceDir: EBPF_SOURCE_DIR, binaryName: EBPF_LOADER_NAME, what: 'the eBPF loader', needs: '',
  timeoutMs: 300_000, outputLines: 15, sourcesOptional: false,
};

/**
 * Returns the path of an up-to-date loader, building it first if needed. Rejects with make's
 * output when the build fails (missing packages, no BTF). Concurrent calls share one build.
 */
export function ensureEbpfLoader(buildDir = DEFAULT_EBPF_BUILD_DIR): Promise<string> {
  return ensureNativeHelper(LOADER, buildDir);
}
