/**
 * Builds segflow-conntrack-reader (`conntrack-reader/Makefile`) on demand into a git-ignored
 * folder, `.local/conntrack-reader/` by default — what `npm run build:conntrack-reader` does.
 * Rebuilt when missing or older than a source in `conntrack-reader/`. Needs gcc, make and the
 * Linux uapi headers (Debian: gcc make libc6-dev linux-libc-dev); the image ships it prebuilt.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNativeHelper, type NativeHelper } from '../native-build.ts';

/** The repository root (this file is src/collector/sources/conntrack/). */
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The C source and Makefile. */
export const CONNTRACK_READER_SOURCE_DIR = path.join(projectRoot, 'conntrack-reader');
/** Default build output folder. */
export const DEFAULT_CONNTRACK_READER_BUILD_DIR = path.join(projectRoot, '.local', 'conntrack-reader');
/** The reader's file name inside the build folder. */
export const CONNTRACK_READER_NAME = 'segflow-conntrack-reader';

const READER: NativeHelper = {
  sourceDir: CONNTRACK_READER_SOURCE_DIR, binaryName: CONNTRACK_READER_NAME, what: 'the netlink conntrack reader',
  needs: 'it needs make, gcc and the Linux uapi headers: Debian packages make gcc libc6-dev linux-libc-dev',
  timeoutMs: 120_000, outputLines: 10, sourcesOptional: true,
};

/**
 * Returns the path of an up-to-date reader, building it first if needed. Rejects with a message
 * naming what is missing and make's last lines when the build fails. Concurrent calls share one build.
 */
export function ensureConntrackReader(buildDir = DEFAULT_CONNTRACK_READER_BUILD_DIR): Promise<string> {
  return ensureNativeHelper(READER, buildDir);
}
