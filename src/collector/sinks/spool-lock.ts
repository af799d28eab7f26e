/**
 * One collector per spool directory. Two collectors appending to and deleting the same segment
 * files would lose and duplicate batches, so the spool holds `spool.lock` while open.
 *
 * The lock is a lease, not a pid check: collectors run in containers, where a pid means nothing
 * across pid namespaces and a restarted container is pid 1 again. The holder refreshes the
 * file's mtime every `staleMs / 3`; a lock not refreshed for `staleMs` belongs to a process that
 * is gone (crashed, killed) and is taken over. A live holder keeps it fresh, and a second
 * collector waits one lease period, then fails with an error naming the directory and holder.
 *
 * One shortcut: the lock names its holder's host, pid and pid namespace. A holder on this host,
 * in this pid namespace, whose pid no longer exists is provably gone (a collector restarted
 * after a SIGKILL outside a container), so its lock is taken over at once instead of after the
 * lease. In any other case (another namespace: a restarted container) the lease decides, and
 * the caller hears once that it is waiting (`onWait`) so it can say so.
 */
import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
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

/** What the caller is told when a lock it wants is held by someone that may be alive. */
export interface SpoolLockWait {
  readonly directory: string;
  readonly holder: string;
  /** How long ago the holder last refreshed the lock. */
  readonly refreshedAgoMs: number;
  /** Longest the wait can take before the lock lapses (or the holder is found alive). */
  readonly waitMs: number;
}

export interface AcquireSpoolLockOptions {
  /** Called once, when the lock is held and the wait for it begins. */
  readonly onWait?: (wait: SpoolLockWait) => void;
}

/** This process's pid namespace (`pid:[4026531836]`), or undefined where /proc does not say. */
function pidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock of `directory` (which must exist). Waits up to one lease period for a lock that
 * may belong to a process that just died; throws SpoolLockError if its holder keeps it fresh.
 */
export async function acquireSpoolLock(directory: string, staleMs = DEFAULT_SPOOL_LOCK_STALE_MS, options: AcquireSpoolLockOptions = {}): Promise<SpoolLock> {
  // Wall-clock time: it is compared with the lock file's mtime.
  const now = Date.now;
  const file = path.join(directory, LOCK_FILE);
  const host = os.hostname();
  const namespace = pidNamespace();
  const owner = `${host}/pid ${process.pid}/${randomUUID()}`;
  const content = `${JSON.stringify({ owner, host, pid: process.pid, pidNamespace: namespace ?? null, acquired: new Date(now()).toISOString() })}\n`;
  const deadline = now() + staleMs + Math.min(1_000, staleMs);
  let told = false;
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
    const holderGone = held.host === host && namespace !== undefined && held.pidNamespace === namespace
      && held.pid !== undefined && held.pid !== process.pid && !processExists(held.pid);
    if (holderGone || now() - held.refreshedMs > staleMs) {
      // Lapsed: its holder is gone. Replace it atomically, then check that our claim survived
      // (two collectors taking over the same lapsed lock: the last rename wins, the other retries).
      const temp = `${file}.${process.pid}.${randomUUID()}`;
      await writeFile(temp, content);
      await rename(temp, file);
      if ((await lockState(file))?.owner === owner) return heldLock(file, owner, staleMs);
      continue;
    }
    if (!told) {
      told = true;
      options.onWait?.({ directory, holder: held.owner, refreshedAgoMs: Math.max(0, now() - held.refreshedMs), waitMs: Math.max(0, Math.min(deadline, held.refreshedMs + staleMs) - now()) });
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

interface LockState {
  owner: string;
  refreshedMs: number;
  host?: string;
  pid?: number;
  pidNamespace?: string;
}

async function lockState(file: string): Promise<LockState | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const state: LockState = { owner: 'an unknown collector', refreshedMs: info.mtimeMs };
    try {
      const parsed = JSON.parse(text) as { owner?: unknown; host?: unknown; pid?: unknown; pidNamespace?: unknown };
      state.owner = String(parsed.owner ?? state.owner);
      if (typeof parsed.host === 'string') state.host = parsed.host;
      if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0) state.pid = parsed.pid;
      if (typeof parsed.pidNamespace === 'string') state.pidNamespace = parsed.pidNamespace;
    } catch {
      // A holder that died while writing it: the mtime still decides.
    }
    return state;
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
