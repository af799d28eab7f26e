/**
 * The netlink reader's event records are read in place by the tracker (observeIpv4Record, no
 * entry object). These tests hold that path to the decoded one: the same record stream through
 * both gives the same flow records, field for field, across NEW/UPDATE/DESTROY, every presence
 * bit, the records it leaves to the decoder (IPv6, no id), and the snapshot paths after it; a
 * table listing streamed in place gives what the decoded listing gives.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONNTRACK_RECORD_SIZE,
  ConntrackRecordKind as K,
  ConntrackRecordPresence as P,
  ConntrackRecordStream,
  decodeConntrackRecord,
  type ConntrackReaderMessage,
} from '../../../src/collector/sources/conntrack/conntrack-record-decoder.ts';
import { ConntrackFlowTracker } from '../../../src/collector/sources/conntrack/conntrack-flow-tracker.ts';
import type { ConntrackEntry } from '../../../src/collector/sources/conntrack/conntrack-event-parser.ts';
import type { FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { SeededRandom } from '../../../src/collector/sources/synthetic/seeded-random.ts';

/** Deterministic draws (the synthetic source's mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  const r = new SeededRandom(seed);
  return () => r.next();
}

/** The kernel's code for TCP SYN_SENT (a record's state byte): a connection just opened. */
const TCP_SYN_SENT = 1;

const u64 = (b: Buffer, o: number, v: number): void => {
  b.writeUInt32LE(v % 4294967296, o);
  b.writeUInt32LE(Math.floor(v / 4294967296), o + 4);
};

/** A sound entry record with random fields, laid out as conntrack-reader/conntrack_record.h says. */
function randomRecord(next: () => number, flows: number, timeUs: number, ipVersion: 4 | 6 = next() < 0.1 ? 6 : 4): Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const b = Buffer.alloc(CONNTRACK_RECORD_SIZE);
  const protocol = pick([6, 6, 6, 17, 1, 58, 132, 250]);
  const l4 = protocol === 1 || protocol === 58 ? P.icmp : protocol === 250 ? 0 : P.ports;
  let presence = l4 | (next() < 0.9 ? P.id : 0);
  for (const bit of [P.status, P.timeout, P.mark, P.zone, P.state, P.countersOriginal, P.countersReply]) if (next() < 0.6) presence |= bit;
  const tsStart = next() < 0.5;
  if (tsStart) presence |= P.tsStart | (next() < 0.5 ? P.tsStop : 0);
  b[0] = pick([K.new, K.new, K.update, K.destroy, K.destroy, K.listed]);
  b[1] = ipVersion;
  b[2] = protocol;
  b[3] = Math.floor(next() * 14); // past the names too
  b.writeUInt32LE(presence, 4);
  u64(b, 8, timeUs);
  // Few ids and addresses, so events meet the flows of earlier ones.
  const flow = Math.floor(next() * flows);
  b.writeUInt32LE(flow + 1, 16);
  b.writeUInt32LE(pick([0, 1 << 1, (1 << 1) | (1 << 2), 1 << 3, (1 << 14) | (1 << 2), 1 << 15]), 20);
  b.writeUInt32LE(Math.floor(next() * 500), 24);
  b.writeUInt32LE(pick([0, 42, 0xffffffff]), 28);
  b.writeUInt16LE(pick([0, 3]), 32);
  const started = Math.floor(timeUs / 1e6) - Math.floor(next() * 100);
  b.writeUInt32LE(started, 36);
  b.writeUInt32LE(started + Math.floor(next() * 50), 40);
  const addressLength = ipVersion === 4 ? 4 : 16;
  for (const [at, counters, swap] of [[48, 128, false], [88, 144, true]] as const) {
    const client = at + (swap ? 16 : 0);
    const server = at + (swap ? 0 : 16);
    b[client] = 10;
    b[client + addressLength - 1] = 1 + (flow % 3);
    b[server] = 10;
    b[server + 1] = 244;
    b[server + addressLength - 1] = 2;
    if (l4 === P.ports) {
      b.writeUInt16LE(swap ? 5432 : 40000 + (flow % 7), at + 32);
      b.writeUInt16LE(swap ? 40000 + (flow % 7) : 5432, at + 34);
    }
    if (l4 === P.icmp) {
      b[at + 36] = swap ? 0 : 8;
      b[at + 37] = 0;
      b.writeUInt16LE(flow % 5, at + 38);
    }
    u64(b, counters, Math.floor(next() * 1000) + (next() < 0.05 ? 2 ** 40 : 0));
    u64(b, counters + 8, Math.floor(next() * 1e6));
  }
  return b;
}

const entryOf = (m: ConntrackReaderMessage): ConntrackEntry => (m.kind === 'entry' ? m.entry : assert.fail(`not an entry: ${m.kind}`));

/** Both paths over the same stream: records of each, and how many records the in-place path took. */
function bothPaths(stream: Buffer, nowMs: number): { inPlace: FlowRecordData[]; decoded: FlowRecordData[]; taken: number; a: ConntrackFlowTracker; b: ConntrackFlowTracker } {
  const a = new ConntrackFlowTracker({ nodeName: 'node-1' });
  const b = new ConntrackFlowTracker({ nodeName: 'node-1' });
  for (const t of [a, b]) {
    t.snapshotStarted(nowMs - 1);
    t.handleSnapshot([], nowMs - 1, nowMs - 1);
  }
  const inPlace: FlowRecordData[] = [];
  const decoded: FlowRecordData[] = [];
  let taken = 0;
  const errors: string[] = [];
  const records = new ConntrackRecordStream(
    (m) => a.handleEventInto(entryOf(m), nowMs, inPlace),
    (e) => errors.push(e.message),
    (buffer, o) => {
      const took = a.handleRecordInto(buffer, o, nowMs, inPlace);
      if (took) taken++;
      return took;
    },
  );
  // Cut at odd places: records straddling chunks go through the in-place path too.
  for (let o = 0; o < stream.length; o += 1000) records.push(stream.subarray(o, Math.min(stream.length, o + 1000)));
  records.end();
  for (let o = 0; o < stream.length; o += CONNTRACK_RECORD_SIZE) b.handleEventInto(entryOf(decodeConntrackRecord(stream, o)), nowMs, decoded);
  assert.deepEqual(errors, []);
  return { inPlace, decoded, taken, a, b };
}

describe('conntrack reader records read in place by the tracker', () => {
  for (const seed of [1, 2, 3]) {
    it(`gives the decoded path's records, field for field (random stream, seed ${seed})`, () => {
      const next = random(seed);
      const base = 1_795_764_760_315_280;
      const parts: Buffer[] = [];
      for (let i = 0; i < 3000; i++) parts.push(randomRecord(next, 40, base + i * 997));
      const stream = Buffer.concat(parts);
      const { inPlace, decoded, taken, a, b } = bothPaths(stream, 1_795_764_800_000);
      assert.ok(decoded.length > 1000, `the stream yields records (${decoded.length})`);
      assert.ok(taken > 2000 && taken < 3000, `most records are read in place, IPv6 and id-less ones decoded (${taken} of 3000)`);
      assert.deepEqual(inPlace, decoded);
      // What the two trackers remember is the same too: a listing that misses every flow, then
      // the grace period, closes them with the same records.
      const at = 1_795_764_900_000;
      for (const t of [a, b]) t.snapshotStarted(at);
      assert.deepEqual(a.handleSnapshot([], at, at), b.handleSnapshot([], at, at));
      const later = at + 200_000;
      for (const t of [a, b]) t.snapshotStarted(later);
      const closedA = a.handleSnapshot([], later, later);
      assert.ok(closedA.length > 0, 'vanished flows are closed');
      assert.deepEqual(closedA, b.handleSnapshot([], later, later));
      assert.equal(a.size, 0);
      assert.equal(a.slotsInUse, 0, 'every flow state slot was given back');
    });
  }

  for (const seed of [4, 5]) {
    it(`streams a listing in place as the decoded listing goes, and sets aside the same flows (seed ${seed})`, () => {
      const next = random(seed);
      const base = 1_795_764_760_315_280;
      const events: Buffer[] = [];
      for (let i = 0; i < 2000; i++) events.push(randomRecord(next, 60, base + i * 997));
      const { inPlace, decoded, a, b } = bothPaths(Buffer.concat(events), 1_795_764_800_000);
      assert.deepEqual(inPlace, decoded);
      // A listing of some of those flows (and new ones), every line a LISTED record.
      const listing: Buffer[] = [];
      for (let i = 0; i < 400; i++) {
        const line = randomRecord(next, 90, base + 3_000_000_000);
        line[0] = K.listed;
        listing.push(line);
      }
      const stream = Buffer.concat(listing);
      const at = 1_795_764_900_000;
      const streamed: FlowRecordData[] = [];
      let taken = 0;
      a.beginListing(at);
      const records = new ConntrackRecordStream(
        (m) => a.listedEntryInto(entryOf(m), at + 5, streamed),
        (e) => assert.fail(e.message),
        (buffer, o) => {
          const took = a.listedRecordInto(buffer, o, at + 5, streamed);
          if (took) taken++;
          return took;
        },
      );
      for (let o = 0; o < stream.length; o += 1000) records.push(stream.subarray(o, Math.min(stream.length, o + 1000)));
      records.end();
      a.endListing(at, at + 5, streamed);
      b.snapshotStarted(at);
      const whole = b.handleSnapshot(
        listing.map((line) => entryOf(decodeConntrackRecord(line))),
        at,
        at + 5,
      );
      assert.ok(taken > 250 && taken < 400, `most lines are read in place (${taken} of 400)`);
      assert.ok(whole.some((r) => r.eventKind === 'update') && whole.some((r) => r.eventKind === 'new'), 'the listing reports growth and unseen flows');
      assert.deepEqual(streamed, whole);
      // Both set the same flows aside: after the grace period an empty listing closes the same ones.
      const later = at + 200_000;
      for (const t of [a, b]) t.snapshotStarted(later);
      const closedA = a.handleSnapshot([], later, later);
      assert.ok(closedA.length > 0, 'flows the listing did not show are closed after the grace period');
      assert.deepEqual(closedA, b.handleSnapshot([], later, later));
      for (const t of [a, b]) assert.equal(t.slotsInUse, t.size, 'one flow state slot per tracked entry');
    });
  }

  it('finds a flow a listing set aside by its identity again: a later listing takes it back, its DESTROY closes it', () => {
    const next = random(11);
    const tracker = new ConntrackFlowTracker({ nodeName: 'node-1' });
    const opened: Buffer[] = [];
    const out: FlowRecordData[] = [];
    for (let i = 0; i < 2; i++) {
      const b = randomRecord(next, 1, 1_795_764_760_000_000, 4);
      b[0] = K.new;
      b[2] = 6;
      b[3] = TCP_SYN_SENT;
      b.writeUInt32LE(P.id | P.ports | P.status | P.state, 4);
      b.writeUInt32LE(100 + i, 16);
      assert.equal(tracker.handleRecordInto(b, 0, 0, out), true);
      opened.push(b);
    }
    assert.equal(out.length, 0, 'their starts wait for their first reports');
    // A listing that shows neither sets both aside.
    const at = 1_795_764_800_000;
    tracker.beginListing(at);
    tracker.endListing(at, at + 5, out);
    assert.equal(out.length, 0, 'nothing closed yet: they wait for their DESTROY');
    const withCounters = (b: Buffer, kind: number, bytes: number): Buffer => {
      const r = Buffer.from(b);
      r[0] = kind;
      r.writeUInt32LE(P.id | P.ports | P.status | P.state | P.countersOriginal | P.countersReply, 4);
      u64(r, 128, 3);
      u64(r, 136, bytes);
      u64(r, 144, 2);
      u64(r, 152, 200);
      u64(r, 8, 1_795_764_810_000_000);
      return r;
    };
    // The first is listed again: taken back, its start reported with its growth.
    tracker.beginListing(at + 1000);
    assert.equal(tracker.listedRecordInto(withCounters(opened[0]!, K.listed, 300), 0, at + 1001, out), true);
    tracker.endListing(at + 1000, at + 1005, out);
    assert.deepEqual(out.map((r) => [r.conntrackId, r.eventKind, r.originalBytes]), [[100, 'new', 300]]);
    // Both DESTROYs meet their flows: the start time is the NEW's, the counters the growth since
    // the last report; the second never had one, so its end includes its start.
    for (const [b, bytes] of [[opened[0]!, 350], [opened[1]!, 900]] as const) assert.equal(tracker.handleRecordInto(withCounters(b, K.destroy, bytes), 0, 0, out), true);
    const closes = out.slice(1);
    const startOf = (b: Buffer): bigint => b.readBigUInt64LE(8) * 1000n;
    assert.deepEqual(closes.map((r) => [r.conntrackId, r.eventKind, r.includesStart, r.originalBytes, r.startTimeUnixNano]), [
      [100, 'destroy', false, 50, startOf(opened[0]!)],
      [101, 'destroy', true, 900, startOf(opened[1]!)],
    ]);
    assert.equal(tracker.size, 0);
    assert.equal(tracker.slotsInUse, 0);
  });

  it('meets the decoded listing of a flow it saw in place (same key), reporting only the growth', () => {
    const next = random(7);
    const spec = randomRecord(next, 1, 1_795_764_760_000_000, 4);
    spec[0] = K.new;
    spec[2] = 6;
    spec[3] = TCP_SYN_SENT;
    spec.writeUInt32LE(P.id | P.ports | P.status | P.state, 4);
    const { inPlace, taken, a } = bothPaths(spec, 1_795_764_800_000);
    assert.equal(taken, 1);
    assert.equal(inPlace.length, 0, 'its start waits for its first report');
    const listed = Buffer.from(spec);
    listed[0] = K.listed;
    listed.writeUInt32LE(P.id | P.ports | P.status | P.state | P.countersOriginal | P.countersReply, 4);
    u64(listed, 128, 5);
    u64(listed, 136, 500);
    u64(listed, 144, 3);
    u64(listed, 152, 300);
    const at = 1_795_764_801_000;
    a.snapshotStarted(at);
    const records = a.handleSnapshot([entryOf(decodeConntrackRecord(listed))], at, at);
    assert.deepEqual(records.map((r) => [r.eventKind, r.originalPackets, r.originalBytes, r.replyPackets, r.replyBytes]), [['new', 5, 500, 3, 300]]);
    assert.equal(a.size, 1);
  });
});
