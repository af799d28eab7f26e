/**
 * One collector per spool directory. Two collectors appending to and deleting the same segment
 * files would lose and duplicate batches, so the spool holds `spool.lock` while open.
 *
 * The lock is a lease, not a pid check: collectors run in containers, where a pid means nothing
 * across pid namespaces and a restarted container is pid 1 again. The holder refreshes the
 * file's mtime every `staleMs / 3`; a lock not refreshed for `staleMs` belongs to a process that
 * is gone (crashed, killed) and is taken over. A live holder keeps it fresh, and a second
 * collector waits one lease period, then fails with an error naming the directory and holder.
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Default lease: a crashed collector's lock lapses this long after its last refresh. */
export const DEFAULT_SPOOL_LOCK_STALE_MS = 15_000;

/** Another live collector holds the spool directory. */
export class SpoolLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpoolLockError';
  }
}

/** A held lock: refreshed in the background until released. */
export interface SpoolLock {
  /** Who holds it (host, pid and a random id: unique per acquisition). */
  readonly owner: string;
  /** Stops refreshing and removes the lock file if it is still ours. */
  release(): Promise<void>;
}

const LOCK_FILE = 'spool.lock';

/**
 * Takes the lock of `directory` (which must exist). Waits up to one lease period for a lock that
 * may belong to a process that just died; throws SpoolLockError if its holder keeps it fresh.
 */
export async function acquireSpoolLock(directory: string, staleMs = DEFAULT_SPOOL_LOCK_STALE_MS): Promise<SpoolLock> {
  // Wall-clock time: it is compared with the lock file's mtime.
  const now = Date.now;
  const file = path.join(directory, LOCK_FILE);
  const owner = `${os.hostname()}/pid ${process.pid}/${randomUUID()}`;
  const content = `${JSON.stringify({ owner, acquired: new Date(now()).toISOString() })}\n`;
  const deadline = now() + staleMs + Math.min(1_000, staleMs);
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      return heldLock(file, owner, staleMs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = await lockState(file);
    if (held === undefined) continue; // released between our attempt and the look
    if (now() - held.refreshedMs > staleMs) {
      // Lapsed: its holder is gone. Replace it atomically, then check that our claim survived
      // (two collectors taking over the same lapsed lock: the last rename wins, the other retries).
      const temp = `${file}.${process.pid}.${randomUUID()}`;
      await writeFile(temp, content);
      await rename(temp, file);
      if ((await lockState(file))?.owner === owner) return heldLock(file, owner, staleMs);
      continue;
    }
    if (now() >= deadline) {
      throw new SpoolLockError(
        `spool directory ${directory} is in use by ${held.owner} (lock refreshed ${Math.round((now() - held.refreshedMs) / 1000)} s ago); `
        + 'each collector needs its own spool directory (spool.directory)',
      );
    }
    await new Promise((r) => setTimeout(r, Math.max(10, Math.min(staleMs / 10, 500))));
  }
}

async function lockState(file: string): Promise<{ owner: string; refreshedMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    let owner = 'an unknown collector';
    try {
      owner = String((JSON.parse(text) as { owner?: unknown }).owner ?? owner);
    } catch {
      // A holder that died while writing it: the mtime still decides.
    }
    return { owner, refreshedMs: info.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function heldLock(file: string, owner: string, staleMs: number): SpoolLock {
  const refresh = setInterval(() => {
    const t = new Date();
    utimes(file, t, t).catch(() => undefined); // a missed refresh is retried at the next tick
  }, Math.max(10, Math.floor(staleMs / 3)));
  refresh.unref();
  return {
    owner,
    release: async () => {
      clearInterval(refresh);
      if ((await lockState(file))?.owner === owner) await rm(file, { force: true });
    },
  };
}
