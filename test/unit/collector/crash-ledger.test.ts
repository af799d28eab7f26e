/**
 * What a killed collector lost, told by the next start: the crash ledger's figures, the spool
 * lock of a dead holder taken at once, a live holder's lock waited for with a log line and a
 * 503 /healthz naming the reason, and the `segflow-previous-boot` header.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { Collector } from '../../../src/collector/collector.ts';
import { CollectorMetrics } from '../../../src/collector/collector-metrics.ts';
import { CrashLedger, previousRunOf, readPreviousRun } from '../../../src/collector/sinks/crash-ledger.ts';
import { acquireSpoolLock, type SpoolLockWait } from '../../../src/collector/sinks/spool-lock.ts';
import { parsePreviousBootHeader, PREVIOUS_BOOT_HEADER, previousBootHeaderValue } from '../../../src/contract/wire/previous-boot-header.ts';
import type { FlowRecordHandler, FlowSource } from '../../../src/collector/sources/flow-source.ts';
import { waitFor } from '../../harness/wait-for.ts';

class IdleSource implements FlowSource {
  readonly name = 'idle';
  async start(_: FlowRecordHandler): Promise<void> {}
  async stop(): Promise<void> {}
  status(): Record<string, unknown> {
    return { running: true };
  }
}

describe('crash ledger', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-ledger-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a run that died says what it held: batches built but not settled, records not yet batched, open connections', async () => {
    let open = 12;
    const ledger = new CrashLedger({ directory: dir, agentId: 'a', bootId: 'b1', minIntervalMs: 0, openConnections: () => open });
    ledger.pending(30);
    ledger.built(1, 30, 0);
    ledger.settled(1, 30);
    ledger.pending(7);
    ledger.built(2, 7, 0);
    ledger.built(3, 5, 0);
    ledger.settled(2, 7);
    open = 3;
    ledger.pending(4);
    // No close(): the process "died" here.
    assert.deepEqual(readPreviousRun(dir), {
      agentId: 'a', bootId: 'b1', lastSequenceBuilt: 3, clean: false,
      lostBatches: 1, lostBatchedRecords: 5, lostUnbatchedRecords: 4, openConnections: 3, lastWriteAt: readPreviousRun(dir)!.lastWriteAt,
    });
  });

  it('a clean stop leaves nothing to report; an unreadable ledger reports nothing', async () => {
    const ledger = new CrashLedger({ directory: dir, agentId: 'a', bootId: 'b1', minIntervalMs: 0 });
    ledger.built(1, 3, 0);
    ledger.close(true);
    const previous = readPreviousRun(dir)!;
    assert.equal(previous.clean, true);
    assert.equal(previous.lostBatches + previous.lostBatchedRecords + previous.lostUnbatchedRecords, 0);
    assert.equal(previousRunOf('{"bootId": 1'), undefined);
    assert.equal(previousRunOf('{}'), undefined);
  });

  it('writes at most once per interval but never loses the last change', async () => {
    const ledger = new CrashLedger({ directory: dir, agentId: 'a', bootId: 'b1', minIntervalMs: 50 });
    for (let i = 1; i <= 100; i++) ledger.pending(i);
    // The last change reaches the file once the interval has passed: awaited, not slept for.
    await waitFor('the last change written', async () => (readPreviousRun(dir)?.lostUnbatchedRecords === 100 ? true : undefined), 10_000, 5);
    assert.equal(readPreviousRun(dir)!.lostUnbatchedRecords, 100);
    ledger.close(false);
  });

  it('a restarted collector counts its predecessor\'s loss, takes its lock at once and names it to the enricher', async () => {
    // The predecessor: its ledger unclean, its lock held by a pid that no longer exists on this host.
    const dead = new CrashLedger({ directory: dir, agentId: 'node-1', bootId: 'old-boot', minIntervalMs: 0, openConnections: () => 2 });
    dead.built(1, 10, 0);
    dead.built(2, 6, 3);
    dead.settled(1, 10);
    await writeFile(path.join(dir, 'spool.lock'), JSON.stringify({ owner: `${os.hostname()}/pid 999999999/x`, host: os.hostname(), pid: 999_999_999, pidNamespace: readlinkSync('/proc/self/ns/pid') }));
    const metrics = new CollectorMetrics();
    const lines: Array<{ msg: string; lostBatches?: number }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) });
    const collector = new Collector(
      { nodeName: 'node-1', kafka: { brokers: ['127.0.0.1:9'], ensureTopic: false }, spool: { directory: dir, lockStaleMs: 60_000 }, http: null },
      { sources: [new IdleSource()], metrics, logger },
    );
    const began = Date.now();
    await collector.start();
    try {
      assert.ok(Date.now() - began < 5000, 'a dead holder\'s lock is not waited for');
      assert.equal(await metrics.valueOf(metrics.recordsDropped, { reason: 'crash' }), 6 + 3);
      assert.equal(await metrics.valueOf(metrics.batchesDropped, { reason: 'crash' }), 1);
      assert.equal(await metrics.valueOf(metrics.crashOpenConnections), 2);
      const report = lines.find((l) => /did not stop cleanly/.test(l.msg));
      assert.ok(report, 'one line says what was lost');
      assert.match(report.msg, /9 records lost in memory \(1 batches built but neither sent nor spooled, 3 records not yet batched\); the last deltas of 2 open connections are lost/);
      // This boot's ledger replaced the old one.
      assert.equal(readPreviousRun(dir)!.bootId, collector.bootId);
    } finally {
      await collector.stop(100);
    }
    assert.equal(readPreviousRun(dir)!.clean, true, 'a clean stop is recorded');
  });

  it('waits for a live holder\'s lock, telling once why, and /healthz answers 503 with the reason meanwhile', async () => {
    // A live holder elsewhere (another host): only its lease can tell. It refreshed just now.
    const lockFile = path.join(dir, 'spool.lock');
    await writeFile(lockFile, JSON.stringify({ owner: 'other-host/pid 1/x', host: 'other-host', pid: 1 }));
    const waits: SpoolLockWait[] = [];
    const lock = await acquireSpoolLock(dir, 600, { onWait: (w) => waits.push(w) });
    await lock.release();
    assert.equal(waits.length, 1);
    assert.equal(waits[0]!.holder, 'other-host/pid 1/x');
    assert.ok(waits[0]!.waitMs > 0 && waits[0]!.waitMs <= 600);

    await writeFile(lockFile, JSON.stringify({ owner: 'other-host/pid 1/y', host: 'other-host', pid: 1 }));
    const t = new Date();
    await utimes(lockFile, t, t);
    const collector = new Collector(
      { nodeName: 'node-2', kafka: { brokers: ['127.0.0.1:9'], ensureTopic: false }, spool: { directory: dir, lockStaleMs: 2500 }, http: { host: '127.0.0.1', port: 0 } },
      { sources: [new IdleSource()], metrics: new CollectorMetrics(), logger: pino({ level: 'silent' }) },
    );
    const starting = collector.start();
    let health: { status: number; body: { reasons: string[] } } | undefined;
    for (let i = 0; i < 40 && !health; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const port = collector.httpPort;
      if (port === null) continue;
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      const body = (await res.json()) as { reasons: string[] };
      if (body.reasons.some((r) => r.includes('waiting'))) health = { status: res.status, body };
    }
    await starting;
    try {
      assert.ok(health, '/healthz answered while the collector waited');
      assert.equal(health.status, 503);
      assert.match(health.body.reasons.join('; '), /waiting up to \d+ s for the spool directory .* locked by other-host\/pid 1\/y/);
      const now = await fetch(`http://127.0.0.1:${collector.httpPort}/healthz`);
      assert.equal(now.status, 200, 'healthy once started');
    } finally {
      await collector.stop(100);
    }
  });
});

describe('segflow-previous-boot header', () => {
  it('round-trips, and anything malformed is ignored rather than trusted', () => {
    const value = previousBootHeaderValue({ agentId: 'a', bootId: 'new', previousBootId: 'old', previousLastSequence: 41 });
    assert.deepEqual(parsePreviousBootHeader({ [PREVIOUS_BOOT_HEADER]: Buffer.from(value) }), { agentId: 'a', bootId: 'new', previousBootId: 'old', previousLastSequence: 41 });
    assert.equal(parsePreviousBootHeader({}), undefined);
    assert.equal(parsePreviousBootHeader({ [PREVIOUS_BOOT_HEADER]: 'not json' }), undefined);
    assert.equal(parsePreviousBootHeader({ [PREVIOUS_BOOT_HEADER]: JSON.stringify({ agentId: 'a', bootId: 'n', previousBootId: 'o', previousLastSequence: -1 }) }), undefined);
  });
});
