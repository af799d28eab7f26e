/**
 * Bounded on-disk FIFO of encoded flow batches, used while Kafka is unreachable.
 *
 * Layout: a directory of segment files `segment-<16 digits>.spool`, appended to in order, plus
 * `cursor.json` (the first entry not yet delivered). Each entry is
 * `[u32 payload length][u32 crc32 of payload][u32 record count][payload]` (big endian).
 * Every append is fsync'd before it returns (a batch the collector took off its hands survives a
 * crash); the cursor is replaced atomically (write + fsync + rename) on every acknowledgement.
 *
 * Bounds: the total size of the segment files never exceeds `maxBytes`. When an append would
 * exceed it, whole oldest segments are deleted first and what they still held (batches, records,
 * bytes) is reported to the caller, which counts it — data is never dropped silently.
 *
 * Recovery: on open, segments are scanned; a torn or corrupt tail (crash in the middle of an
 * append) is truncated away and reported, entries before the cursor are skipped.
 *
 * One spool per directory: open takes `spool.lock` (spool-lock.ts) and close releases it; a
 * second collector pointed at the same directory fails to open instead of corrupting it.
 *
 * Not thread-safe by design: one owner (the delivery loop) calls it sequentially.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { acquireSpoolLock, type SpoolLock, type SpoolLockWait } from './spool-lock.ts';

const HEADER_BYTES = 12;
const SEGMENT_PATTERN = /^segment-(\d{16})\.spool$/;

/** Options of {@link DiskSpool.open}. */
export interface DiskSpoolOptions {
  /** Directory holding the segment files (created if missing). One spool per directory. */
  directory: string;
  /** Cap on the total size of all segment files, bytes. The oldest data is dropped to stay under it. */
  maxBytes: number;
  /** A segment is closed and a new one started once it reaches this size (default: maxBytes / 8, at least 64 KiB). */
  segmentBytes?: number;
  /** fsync every append and cursor update (default true; tests may turn it off for speed). */
  fsync?: boolean;
  /**
   * Lease of the directory lock, ms (default 15 000): a collector that died without closing
   * the spool leaves a lock that lapses this long after its last refresh.
   */
  lockStaleMs?: number;
  /** Told once when the directory's lock is held and open waits for it (see spool-lock.ts). */
  onLockWait?: (wait: SpoolLockWait) => void;
}

/** What had to be thrown away. */
export interface SpoolDropReport {
  batches: number;
  records: number;
  bytes: number;
}

/** One spooled batch. */
export interface SpoolEntry {
  payload: Buffer;
  records: number;
}

interface EntryInfo {
  offset: number;
  length: number;
  records: number;
}

interface Segment {
  id: number;
  file: string;
  size: number;
  entries: EntryInfo[];
}

const segmentName = (id: number): string => `segment-${String(id).padStart(16, '0')}.spool`;

/** Bounded, crash-safe, on-disk FIFO of byte payloads; see the module comment. */
export class DiskSpool {
  /** Segments oldest first; the last one is appended to. */
  private segments: Segment[] = [];
  /** Index, in segments[0], of the first undelivered entry. */
  private readIndex = 0;
  private writeHandle: FileHandle | null = null;
  private lock: SpoolLock | null = null;
  private readonly segmentBytes: number;
  private readonly fsync: boolean;
  /** Loss found while recovering (torn/corrupt tails); reported once by {@link takeRecoveryLoss}. */
  private recoveryLoss: SpoolDropReport = { batches: 0, records: 0, bytes: 0 };

  private constructor(private readonly options: DiskSpoolOptions) {
    if (!(options.maxBytes > 0)) throw new Error(`spool maxBytes must be > 0, got ${options.maxBytes}`);
    this.segmentBytes = Math.min(options.maxBytes, options.segmentBytes ?? Math.max(64 * 1024, Math.floor(options.maxBytes / 8)));
    this.fsync = options.fsync ?? true;
  }

  /**
   * Opens (or creates) the spool in `options.directory`, recovering what a previous run left.
   * Throws SpoolLockError when another live collector holds the directory.
   */
  static async open(options: DiskSpoolOptions): Promise<DiskSpool> {
    const spool = new DiskSpool(options);
    await mkdir(options.directory, { recursive: true });
    spool.lock = await acquireSpoolLock(options.directory, options.lockStaleMs, options.onLockWait ? { onWait: options.onLockWait } : {});
    try {
      await spool.recover();
    } catch (err) {
      await spool.close();
      throw err;
    }
    return spool;
  }

  /** Batches waiting to be delivered. */
  get pendingBatches(): number {
    return this.segments.reduce((n, s, i) => n + s.entries.length - (i === 0 ? this.readIndex : 0), 0);
  }

  /** Records in the batches waiting to be delivered. */
  get pendingRecords(): number {
    let n = 0;
    this.segments.forEach((s, i) => s.entries.forEach((e, j) => (n += i === 0 && j < this.readIndex ? 0 : e.records)));
    return n;
  }

  /** Bytes the segment files take on disk (delivered entries of the oldest segment included). */
  get diskBytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  /** True when nothing waits for delivery. */
  get isEmpty(): boolean {
    return this.pendingBatches === 0;
  }

  /** Returns and resets what recovery had to discard (corrupt or torn entries). */
  takeRecoveryLoss(): SpoolDropReport {
    const loss = this.recoveryLoss;
    this.recoveryLoss = { batches: 0, records: 0, bytes: 0 };
    return loss;
  }

  /**
   * Appends one payload (fsync'd before the promise resolves). When the cap would be exceeded,
   * the oldest segments are deleted first; the returned report says what was lost (all zero
   * when nothing was). Throws if a single payload cannot fit under the cap at all.
   */
  async append(payload: Uint8Array, records: number): Promise<SpoolDropReport> {
    const entryBytes = HEADER_BYTES + payload.length;
    if (entryBytes > this.segmentBytes) {
      throw new Error(`spool entry of ${entryBytes} bytes is larger than a segment (${this.segmentBytes} bytes)`);
    }
    const dropped: SpoolDropReport = { batches: 0, records: 0, bytes: 0 };
    let current = this.segments.at(-1);
    if (!current || current.size + entryBytes > this.segmentBytes) current = await this.startSegment();
    while (this.diskBytes + entryBytes > this.options.maxBytes && this.segments.length > 1) {
      const lost = await this.dropOldestSegment();
      dropped.batches += lost.batches;
      dropped.records += lost.records;
      dropped.bytes += lost.bytes;
    }
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32BE(payload.length, 0);
    header.writeUInt32BE(crc32(payload), 4);
    header.writeUInt32BE(records, 8);
    const handle = this.writeHandle!;
    await handle.writev([header, payload], current.size);
    if (this.fsync) await handle.datasync();
    current.entries.push({ offset: current.size, length: payload.length, records });
    current.size += entryBytes;
    return dropped;
  }

  /** Reads up to `max` of the oldest undelivered entries, oldest first, without removing them. */
  async peek(max = 1): Promise<SpoolEntry[]> {
    const out: SpoolEntry[] = [];
    for (let si = 0; si < this.segments.length && out.length < max; si++) {
      const segment = this.segments[si]!;
      const from = si === 0 ? this.readIndex : 0;
      if (from >= segment.entries.length) continue;
      const wanted = segment.entries.slice(from, from + (max - out.length));
      const first = wanted[0]!;
      const last = wanted.at(-1)!;
      const handle = await open(segment.file, 'r');
      try {
        const length = last.offset + HEADER_BYTES + last.length - first.offset;
        const buf = Buffer.alloc(length);
        await handle.read(buf, 0, length, first.offset);
        for (const e of wanted) {
          const start = e.offset - first.offset + HEADER_BYTES;
          out.push({ payload: buf.subarray(start, start + e.length), records: e.records });
        }
      } finally {
        await handle.close();
      }
    }
    return out;
  }

  /** Marks the `count` oldest entries delivered: persists the cursor and deletes finished segments. */
  async ack(count: number): Promise<void> {
    let remaining = Math.min(count, this.pendingBatches);
    while (remaining > 0) {
      const oldest = this.segments[0]!;
      const step = Math.min(remaining, oldest.entries.length - this.readIndex);
      this.readIndex += step;
      remaining -= step;
      if (this.readIndex >= oldest.entries.length && this.segments.length > 1) {
        this.segments.shift();
        this.readIndex = 0;
        await rm(oldest.file, { force: true });
      }
    }
    await this.writeCursor();
  }

  /** Closes the file handle and releases the directory; the spool stays on disk for the next {@link DiskSpool.open}. */
  async close(): Promise<void> {
    await this.writeHandle?.close();
    this.writeHandle = null;
    await this.lock?.release();
    this.lock = null;
  }

  private async startSegment(): Promise<Segment> {
    const id = (this.segments.at(-1)?.id ?? 0) + 1;
    await this.writeHandle?.close();
    const file = path.join(this.options.directory, segmentName(id));
    this.writeHandle = await open(file, 'w');
    if (this.fsync) this.syncDirectory();
    const segment: Segment = { id, file, size: 0, entries: [] };
    this.segments.push(segment);
    return segment;
  }

  private async dropOldestSegment(): Promise<SpoolDropReport> {
    const oldest = this.segments.shift()!;
    const undelivered = oldest.entries.slice(this.readIndex);
    this.readIndex = 0;
    await rm(oldest.file, { force: true });
    await this.writeCursor();
    return {
      batches: undelivered.length,
      records: undelivered.reduce((n, e) => n + e.records, 0),
      bytes: undelivered.reduce((n, e) => n + HEADER_BYTES + e.length, 0),
    };
  }

  private get cursorFile(): string {
    return path.join(this.options.directory, 'cursor.json');
  }

  private async writeCursor(): Promise<void> {
    const oldest = this.segments[0];
    const cursor = { segment: oldest?.id ?? 0, entry: this.readIndex };
    const tmp = `${this.cursorFile}.tmp`;
    await writeFile(tmp, JSON.stringify(cursor));
    if (this.fsync) {
      const fd = openSync(tmp, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    await rename(tmp, this.cursorFile);
  }

  private syncDirectory(): void {
    const fd = openSync(this.options.directory, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private async recover(): Promise<void> {
    let cursor = { segment: 0, entry: 0 };
    try {
      const parsed = JSON.parse(await readFile(this.cursorFile, 'utf8')) as { segment?: unknown; entry?: unknown };
      if (typeof parsed.segment === 'number' && typeof parsed.entry === 'number') cursor = { segment: parsed.segment, entry: parsed.entry };
    } catch {
      // no cursor yet (fresh spool) or unreadable: deliver everything present (at-least-once)
    }
    const ids = (await readdir(this.options.directory))
      .map((f) => SEGMENT_PATTERN.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    for (const id of ids) {
      const file = path.join(this.options.directory, segmentName(id));
      if (id < cursor.segment) {
        await rm(file, { force: true }); // fully delivered before the crash, not yet deleted
        continue;
      }
      this.segments.push(await this.scanSegment(id, file));
    }
    if (this.segments[0]?.id === cursor.segment) this.readIndex = Math.min(cursor.entry, this.segments[0].entries.length);
    // Drop leading segments that hold nothing undelivered, keep appending to a fresh one.
    while (this.segments.length > 0 && this.readIndex >= this.segments[0]!.entries.length) {
      await rm(this.segments.shift()!.file, { force: true });
      this.readIndex = 0;
    }
    if (this.segments.length > 0) {
      const last = this.segments.at(-1)!;
      this.writeHandle = await open(last.file, 'r+');
    }
    await this.writeCursor();
  }

  private async scanSegment(id: number, file: string): Promise<Segment> {
    const data = await readFile(file);
    const entries: EntryInfo[] = [];
    let offset = 0;
    while (offset + HEADER_BYTES <= data.length) {
      const length = data.readUInt32BE(offset);
      const sum = data.readUInt32BE(offset + 4);
      const records = data.readUInt32BE(offset + 8);
      const end = offset + HEADER_BYTES + length;
      if (end > data.length || crc32(data.subarray(offset + HEADER_BYTES, end)) !== sum) break;
      entries.push({ offset, length, records });
      offset = end;
    }
    if (offset < data.length) {
      // Torn or corrupt tail: everything from here on is unreadable.
      this.recoveryLoss.batches += 1;
      this.recoveryLoss.bytes += data.length - offset;
      await truncate(file, offset);
    }
    const size = (await stat(file)).size;
    return { id, file, size, entries };
  }
}
