import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DiskSpool } from '../../../src/collector/sinks/disk-spool.ts';
import { SpoolLockError } from '../../../src/collector/sinks/spool-lock.ts';

const payload = (i: number, size = 100): Buffer => {
  const b = Buffer.alloc(size, i % 256);
  b.writeUInt32BE(i, 0);
  return b;
};
const idOf = (b: Buffer): number => b.readUInt32BE(0);

describe('DiskSpool', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-spool-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns entries in append order across segments and deletes delivered segments', async () => {
    const spool = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20, segmentBytes: 1000 });
    for (let i = 1; i <= 30; i++) await spool.append(payload(i), i);
    assert.equal(spool.pendingBatches, 30);
    assert.equal(spool.pendingRecords, (30 * 31) / 2);
    const segmentsBefore = (await readdir(dir)).filter((f) => f.endsWith('.spool')).length;
    assert.ok(segmentsBefore >= 4, `expected several segments, got ${segmentsBefore}`);
    const seen: number[] = [];
    while (!spool.isEmpty) {
      const entries = await spool.peek(4);
      seen.push(...entries.map((e) => idOf(e.payload)));
      assert.deepEqual(entries.map((e) => e.records), entries.map((e) => idOf(e.payload)));
      await spool.ack(entries.length);
    }
    assert.deepEqual(seen, Array.from({ length: 30 }, (_, i) => i + 1));
    assert.equal((await readdir(dir)).filter((f) => f.endsWith('.spool')).length, 1, 'only the segment being written remains');
    await spool.close();
  });

  it('peek does not consume: the same entries come back until acknowledged', async () => {
    const spool = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20 });
    await spool.append(payload(1), 1);
    await spool.append(payload(2), 1);
    assert.deepEqual((await spool.peek(1)).map((e) => idOf(e.payload)), [1]);
    assert.deepEqual((await spool.peek(5)).map((e) => idOf(e.payload)), [1, 2]);
    await spool.ack(1);
    assert.deepEqual((await spool.peek(5)).map((e) => idOf(e.payload)), [2]);
    await spool.close();
  });

  it('stays under the byte cap by dropping the oldest segments, and reports exactly what was dropped', async () => {
    const maxBytes = 4000;
    const spool = await DiskSpool.open({ directory: dir, maxBytes, segmentBytes: 1000 });
    let droppedBatches = 0;
    let droppedRecords = 0;
    for (let i = 1; i <= 100; i++) {
      const dropped = await spool.append(payload(i), 3);
      droppedBatches += dropped.batches;
      droppedRecords += dropped.records;
      assert.ok(spool.diskBytes <= maxBytes, `disk usage ${spool.diskBytes} over the cap after append ${i}`);
    }
    const files = (await readdir(dir)).filter((f) => f.endsWith('.spool'));
    const onDisk = (await Promise.all(files.map((f) => stat(path.join(dir, f))))).reduce((n, s) => n + s.size, 0);
    assert.ok(onDisk <= maxBytes, `files take ${onDisk} bytes`);
    const kept = await spool.peek(1000);
    assert.equal(droppedBatches + kept.length, 100, 'every batch is either kept or counted as dropped');
    assert.equal(droppedRecords, droppedBatches * 3);
    // The newest survive, the oldest went: what is kept is a contiguous tail ending at 100.
    const ids = kept.map((e) => idOf(e.payload));
    assert.equal(ids.at(-1), 100);
    assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => 100 - ids.length + 1 + i));
    await spool.close();
  });

  it('does not count already delivered entries as dropped', async () => {
    const spool = await DiskSpool.open({ directory: dir, maxBytes: 2000, segmentBytes: 1000 });
    for (let i = 1; i <= 8; i++) await spool.append(payload(i), 1); // 112 bytes each: 8 per segment
    await spool.ack(5);
    let dropped = 0;
    // Segment 2 holds 9-16 (1792 bytes in all), 17 starts segment 3 (1904), 18 would make 2016 > 2000.
    for (let i = 9; i <= 17; i++) dropped += (await spool.append(payload(i), 1)).batches;
    assert.equal(dropped, 0);
    dropped += (await spool.append(payload(18), 1)).batches;
    assert.equal(dropped, 3, 'entries 6, 7, 8 were still pending in the dropped segment; 1-5 were delivered');
    assert.deepEqual((await spool.peek(100)).map((e) => idOf(e.payload)), [9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    await spool.close();
  });

  it('recovers after a restart: undelivered entries in order, delivered ones not again', async () => {
    const first = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20, segmentBytes: 500 });
    for (let i = 1; i <= 10; i++) await first.append(payload(i), 2);
    await first.ack(4);
    await first.close();

    const second = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20, segmentBytes: 500 });
    assert.equal(second.pendingBatches, 6);
    assert.equal(second.pendingRecords, 12);
    await second.append(payload(11), 2);
    assert.deepEqual((await second.peek(100)).map((e) => idOf(e.payload)), [5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(second.takeRecoveryLoss(), { batches: 0, records: 0, bytes: 0 });
    await second.close();
  });

  it('truncates a torn tail left by a crash in the middle of an append and reports it', async () => {
    const first = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20 });
    for (let i = 1; i <= 3; i++) await first.append(payload(i), 1);
    await first.close();
    const segment = (await readdir(dir)).find((f) => f.endsWith('.spool'))!;
    // Header of a 100-byte entry followed by only 10 bytes of it.
    const torn = Buffer.alloc(22);
    torn.writeUInt32BE(100, 0);
    await appendFile(path.join(dir, segment), torn);

    const second = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20 });
    assert.deepEqual((await second.peek(10)).map((e) => idOf(e.payload)), [1, 2, 3]);
    assert.deepEqual(second.takeRecoveryLoss(), { batches: 1, records: 0, bytes: 22 });
    await second.append(payload(4), 1);
    await second.close();
    const third = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20 });
    assert.deepEqual((await third.peek(10)).map((e) => idOf(e.payload)), [1, 2, 3, 4], 'appends continue after the truncated tail');
    await third.close();
  });

  it('rejects a payload that cannot fit in a segment', async () => {
    const spool = await DiskSpool.open({ directory: dir, maxBytes: 1000, segmentBytes: 500 });
    await assert.rejects(spool.append(Buffer.alloc(600), 1), /larger than a segment/);
    await spool.close();
  });

  describe('directory lock', () => {
    it('refuses a second spool on a held directory after one lease, naming the holder; the holder goes on', async () => {
      const holder = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20, lockStaleMs: 300 });
      await holder.append(payload(1), 1);
      // The holder refreshes its lease, so the second open waits it out and fails.
      await assert.rejects(
        DiskSpool.open({ directory: dir, maxBytes: 1 << 20, lockStaleMs: 300 }),
        (err: unknown) => err instanceof SpoolLockError && err.message.includes(`spool directory ${dir} is in use by ${os.hostname()}/pid ${process.pid}/`) && /each collector needs its own spool directory/.test(err.message),
      );
      await holder.append(payload(2), 1);
      assert.deepEqual((await holder.peek(10)).map((e) => idOf(e.payload)), [1, 2]);
      await holder.close();
    });

    it('releases the directory on close: the next spool opens at once', { timeout: 10_000 }, async () => {
      const first = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20 });
      await first.append(payload(1), 1);
      await first.close();
      assert.ok(!(await readdir(dir)).includes('spool.lock'));
      // A lock left behind would make this wait its whole 60 s lease (past the test's timeout).
      const second = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20, lockStaleMs: 60_000 });
      assert.deepEqual((await second.peek(10)).map((e) => idOf(e.payload)), [1]);
      await second.close();
    });

    it('takes over the lock of a collector that died without closing, once its lease lapses', async () => {
      const first = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20 });
      await first.append(payload(7), 1);
      await first.close();
      // What a killed collector (another container: another host name, pid 1) leaves behind.
      await writeFile(path.join(dir, 'spool.lock'), JSON.stringify({ owner: 'collector-old/pid 1/dead' }));
      const second = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20, lockStaleMs: 300 });
      const lock = JSON.parse(await readFile(path.join(dir, 'spool.lock'), 'utf8')) as { owner: string };
      assert.match(lock.owner, new RegExp(`^${os.hostname()}/pid ${process.pid}/`));
      assert.deepEqual((await second.peek(10)).map((e) => idOf(e.payload)), [7], 'the dead collector\'s batches are delivered');
      await second.close();
    });

    it('takes over a lapsed lock at once, even one whose content is torn', { timeout: 10_000 }, async () => {
      const file = path.join(dir, 'spool.lock');
      await writeFile(file, '{"own');
      const old = new Date(Date.now() - 120_000);
      await utimes(file, old, old);
      const spool = await DiskSpool.open({ directory: dir, maxBytes: 1 << 20, lockStaleMs: 60_000 });
      assert.match((JSON.parse(await readFile(file, 'utf8')) as { owner: string }).owner, new RegExp(`/pid ${process.pid}/`));
      await spool.close();
    });
  });
});
