/**
 * Refreshes (conntrack-flow-tracker.ts): between listings, the tracker looks up only the entries
 * still open, through the reader's `query` mode. These tests hold the tracker against a model of
 * the kernel's table that answers its QUERY records as the reader does (FOUND as the table holds
 * the entry, GONE for an entry the table no longer shows, FOUND then GONE for another id under
 * the same tuple): random opens, traffic, expiries, destroys, lost events, refreshes and
 * listings, with the invariants that make refreshes safe to use instead of listings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONNTRACK_RECORD_SIZE,
  ConntrackRecordKind as K,
  ConntrackRecordPresence as P,
  ConntrackRecordStream,
} from '../../../src/collector/sources/conntrack/conntrack-record-decoder.ts';
import { ConntrackFlowTracker } from '../../../src/collector/sources/conntrack/conntrack-flow-tracker.ts';
import type { FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { SeededRandom } from '../../../src/collector/sources/synthetic/seeded-random.ts';

const TCP_SYN_SENT = 1;
const TCP_ESTABLISHED = 3;
const TCP_TIME_WAIT = 7;
const ENOENT = 2;

/** An entry of the model table. */
interface Entry {
  id: number;
  v6: boolean;
  protocol: 6 | 17;
  zone: number | null;
  client: number;
  sport: number;
  state: number;
  /** original packets, original bytes, reply packets, reply bytes */
  counters: [number, number, number, number];
  /** Expired: the kernel hides it from listings and lookups until it reaps it (DESTROY). */
  hidden: boolean;
  /** Whether its DESTROY event will be lost. */
  destroyLost: boolean;
}

const address = (v6: boolean, last: number): number[] => (v6 ? [0x20, 0x01, 0x0d, 0xb8, ...Array(10).fill(0), last >> 8, last & 255] : [10, 244, last >> 8, last & 255]);

const u64 = (b: Buffer, o: number, v: number): void => {
  b.writeUInt32LE(v % 4294967296, o);
  b.writeUInt32LE(Math.floor(v / 4294967296), o + 4);
};

/** The entry as the reader writes it: an event (`kind`), a listed line or a lookup's answer. */
function entryRecord(kind: number, e: Entry, timeUs: number, counters = true): Buffer {
  const b = Buffer.alloc(CONNTRACK_RECORD_SIZE);
  b[0] = kind;
  b[1] = e.v6 ? 6 : 4;
  b[2] = e.protocol;
  b[3] = e.protocol === 6 ? e.state : 0;
  const presence = P.id | P.status | P.ports | (e.protocol === 6 ? P.state : 0) | (e.zone !== null ? P.zone : 0) | (counters ? P.countersOriginal | P.countersReply : 0);
  b.writeUInt32LE(presence, 4);
  u64(b, 8, timeUs);
  b.writeUInt32LE(e.id, 16);
  b.writeUInt32LE(e.counters[2] > 0 ? (1 << 1) | (1 << 2) : 0, 20);
  if (e.zone !== null) b.writeUInt16LE(e.zone, 32);
  const client = address(e.v6, e.client);
  const server = address(e.v6, 1);
  for (const [at, src, dst, sport, dport] of [[48, client, server, e.sport, 5432], [88, server, client, 5432, e.sport]] as const) {
    Buffer.from(src).copy(b, at);
    Buffer.from(dst).copy(b, at + 16);
    b.writeUInt16LE(sport, at + 32);
    b.writeUInt16LE(dport, at + 34);
  }
  if (counters) for (let i = 0; i < 4; i++) u64(b, 128 + i * 8, e.counters[i]!);
  return b;
}

/** The model kernel: its table, and its answers to QUERY records as `segflow-conntrack-reader query` gives them. */
class ModelTable {
  readonly entries = new Map<number, Entry>();

  private find(q: Buffer, o: number): Entry | undefined {
    const presence = q.readUInt32LE(o + 4);
    const zone = presence & P.zone ? q.readUInt16LE(o + 32) : 0;
    const length = q[o + 1] === 6 ? 16 : 4;
    for (const e of this.entries.values()) {
      if (e.hidden || (e.v6 ? 6 : 4) !== q[o + 1] || e.protocol !== q[o + 2] || (e.zone ?? 0) !== zone) continue;
      if (!Buffer.from(address(e.v6, e.client)).equals(q.subarray(o + 48, o + 48 + length))) continue;
      if (q.readUInt16LE(o + 80) !== e.sport || q.readUInt16LE(o + 82) !== 5432) continue;
      return e;
    }
    return undefined;
  }

  answer(queries: Buffer, timeUs: number): Buffer {
    const out: Buffer[] = [];
    for (let o = 0; o < queries.length; o += CONNTRACK_RECORD_SIZE) {
      assert.equal(queries[o], K.query);
      const e = this.find(queries, o);
      if (e !== undefined) out.push(entryRecord(K.found, e, timeUs));
      if (e === undefined || e.id !== queries.readUInt32LE(o + 16)) {
        const gone = Buffer.from(queries.subarray(o, o + CONNTRACK_RECORD_SIZE));
        gone[0] = K.gone;
        u64(gone, 8, timeUs);
        gone.writeUInt32LE(ENOENT, 24);
        out.push(gone);
      }
    }
    const end = Buffer.alloc(CONNTRACK_RECORD_SIZE);
    end[0] = K.queryEnd;
    end.writeUInt32LE(queries.length / CONNTRACK_RECORD_SIZE, 16);
    out.push(end);
    return Buffer.concat(out);
  }
}

/** Feeds reader output to the tracker as the conntrack source does: in place when it can, decoded otherwise. */
function feed(tracker: ConntrackFlowTracker, bytes: Buffer, atMs: number, out: FlowRecordData[], as: 'event' | 'listed'): { queryEnds: number } {
  let queryEnds = 0;
  const stream = new ConntrackRecordStream(
    (m) => {
      if (m.kind === 'entry') {
        if (as === 'event') tracker.handleEventInto(m.entry, atMs, out);
        else tracker.listedEntryInto(m.entry, atMs, out);
      } else if (m.kind === 'gone') {
        assert.equal(m.error, ENOENT);
        tracker.refreshGoneInto(m.entry, atMs);
      } else if (m.kind === 'query-end') {
        queryEnds++;
      }
    },
    (err) => assert.fail(err.message),
    (b, o) => (as === 'event' ? tracker.handleRecordInto(b, o, atMs, out) : tracker.listedRecordInto(b, o, atMs, out)),
  );
  // Odd chunk sizes: a record may straddle two chunks, as on the pipe.
  for (let o = 0; o < bytes.length; o += 1000) stream.push(bytes.subarray(o, o + 1000));
  stream.end();
  return { queryEnds };
}

const SETTLED = new Set(['TIME_WAIT', 'CLOSE']);

describe('conntrack refreshes against a model table', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: deltas add up to the kernel's counters after every refresh and at every DESTROY; lookups only for flows not settled`, () => {
      const next = ((r) => () => r.next())(new SeededRandom(seed));
      const tracker = new ConntrackFlowTracker({ nodeName: 'n', vanishedGraceMs: 60_000 });
      const table = new ModelTable();
      /** Per conntrack id: the sums of the deltas reported, and the TCP state of the last report. */
      const reported = new Map<number, { sums: [number, number, number, number]; tcpState: string; ends: number }>();
      const take = (records: FlowRecordData[]): void => {
        for (const r of records) {
          const first = !reported.has(r.conntrackId);
          const start = r.eventKind === 'new' || r.includesStart === true;
          assert.equal(start, first, `flow ${r.conntrackId}: its first record, and no other, says it started`);
          const seen = reported.get(r.conntrackId) ?? { sums: [0, 0, 0, 0], tcpState: 'unspecified', ends: 0 };
          if (seen.ends > 0) {
            assert.equal(r.eventKind, 'update', `flow ${r.conntrackId}: after its end, only updates`);
            assert.ok(r.originalPackets + r.replyPackets > 0, `flow ${r.conntrackId}: an update after the end carries growth`);
          }
          seen.sums = [seen.sums[0] + r.originalPackets, seen.sums[1] + r.originalBytes, seen.sums[2] + r.replyPackets, seen.sums[3] + r.replyBytes];
          seen.tcpState = r.tcpState;
          if (r.eventKind === 'destroy') seen.ends++;
          reported.set(r.conntrackId, seen);
        }
        records.length = 0;
      };
      /** A TCP connection the table shows settled has had its end reported, once. */
      const endedIfSettled = (e: Entry): void => {
        if (e.protocol !== 6 || e.state !== TCP_TIME_WAIT) return;
        assert.equal(reported.get(e.id)?.ends, 1, `flow ${e.id}: seen in TIME_WAIT, its end reported once`);
        settledEnds++;
      };
      let settledEnds = 0;
      const out: FlowRecordData[] = [];
      let nowMs = 1_800_000_000_000;
      let nextId = 1000;
      let refreshes = 0;
      let lookups = 0;
      let gone = 0;
      let checkedAfterRefresh = 0;
      let checkedAtDestroy = 0;
      const pick = (): Entry | undefined => {
        const all = [...table.entries.values()];
        return all.length === 0 ? undefined : all[Math.floor(next() * all.length)];
      };
      for (let step = 0; step < 4000; step++) {
        nowMs += 100;
        const us = nowMs * 1000;
        const roll = next();
        if (roll < 0.3 || table.entries.size < 5) {
          const tcp = next() < 0.7;
          const e: Entry = {
            id: nextId++, v6: next() < 0.1, protocol: tcp ? 6 : 17, zone: next() < 0.2 ? 3 : null, client: 2 + Math.floor(next() * 300), sport: 20000 + Math.floor(next() * 40000),
            state: TCP_SYN_SENT, counters: [0, 0, 0, 0], hidden: false, destroyLost: next() < 0.05,
          };
          // Tuples stay unique among live entries, as the kernel's are (ids alone may repeat).
          if ([...table.entries.values()].some((x) => x.v6 === e.v6 && x.client === e.client && x.sport === e.sport && x.protocol === e.protocol && (x.zone ?? 0) === (e.zone ?? 0))) continue;
          table.entries.set(e.id, e);
          if (next() >= 0.05) feed(tracker, entryRecord(K.new, e, us, false), nowMs, out, 'event'); // else: the NEW was lost
        } else if (roll < 0.6) {
          const e = pick();
          if (e === undefined || e.hidden) continue;
          // TIME_WAIT takes no more than a stray ACK.
          const grow = e.state === TCP_TIME_WAIT ? [next() < 0.2 ? 1 : 0, 0, 0, 0] : [1 + Math.floor(next() * 5), Math.floor(next() * 5000), Math.floor(next() * 5), Math.floor(next() * 9000)];
          for (let i = 0; i < 4; i++) e.counters[i as 0 | 1 | 2 | 3] += grow[i]!;
          if (e.protocol === 6 && e.state !== TCP_TIME_WAIT) e.state = next() < 0.3 ? TCP_TIME_WAIT : TCP_ESTABLISHED;
        } else if (roll < 0.67) {
          const e = pick();
          if (e !== undefined) e.hidden = true;
        } else if (roll < 0.8) {
          // The kernel reaps (hidden entries first, as its garbage collector would) and says so.
          const e = [...table.entries.values()].find((x) => x.hidden) ?? pick();
          if (e === undefined) continue;
          table.entries.delete(e.id);
          if (e.destroyLost) continue;
          feed(tracker, entryRecord(K.destroy, e, us), nowMs, out, 'event');
          take(out);
          assert.deepEqual(reported.get(e.id)?.sums, e.counters, `flow ${e.id}: its deltas add up to the final counters at its DESTROY`);
          assert.equal(reported.get(e.id)?.ends, 1, `flow ${e.id}: one end reported by its DESTROY`);
          checkedAtDestroy++;
        } else if (roll < 0.97) {
          // A refresh: the flows whose last report was not settled are looked up.
          const expectedQueries = tracker.refreshDue;
          const open = [...reported.entries()].filter(([, r]) => !SETTLED.has(r.tcpState)).map(([id]) => id);
          tracker.beginRefresh(nowMs);
          const chunks: Buffer[] = [];
          const written = tracker.writeRefreshQueries((chunk) => chunks.push(Buffer.from(chunk)), 7);
          const queries = Buffer.concat(chunks);
          assert.equal(written, expectedQueries);
          assert.equal(queries.length, written * CONNTRACK_RECORD_SIZE);
          for (let o = 0; o < queries.length; o += CONNTRACK_RECORD_SIZE) {
            const id = queries.readUInt32LE(o + 16);
            assert.ok(!SETTLED.has(reported.get(id)?.tcpState ?? 'unspecified'), `flow ${id} was last reported settled: no lookup`);
          }
          lookups += written;
          const answers = table.answer(queries, us + 50_000);
          for (let o = 0; o < answers.length; o += CONNTRACK_RECORD_SIZE) if (answers[o] === K.gone) gone++;
          const aside = tracker.waitingForDestroy;
          assert.equal(feed(tracker, answers, nowMs + 50, out, 'listed').queryEnds, 1);
          // Hidden, or reaped with its DESTROY lost.
          const missing = new Set<number>();
          for (let o = 0; o < queries.length; o += CONNTRACK_RECORD_SIZE) {
            const id = queries.readUInt32LE(o + 16);
            if (table.entries.get(id)?.hidden !== false) missing.add(id);
          }
          assert.equal(tracker.waitingForDestroy - aside, missing.size, 'every flow the table does not show is set aside by its GONE answer, no other');
          const waiting = tracker.waitingForDestroy;
          tracker.endRefresh(nowMs + 100, out);
          assert.ok(tracker.waitingForDestroy <= waiting);
          take(out);
          refreshes++;
          for (const id of open) {
            const e = table.entries.get(id);
            if (e === undefined || e.hidden) continue;
            assert.deepEqual(reported.get(id)!.sums, e.counters, `flow ${id}: after a refresh its deltas add up to the table's counters`);
            endedIfSettled(e);
            checkedAfterRefresh++;
          }
        } else {
          // A listing of the whole table, in scattered order.
          tracker.beginListing(nowMs);
          const shown = [...table.entries.values()].filter((e) => !e.hidden).sort(() => next() - 0.5);
          feed(tracker, Buffer.concat(shown.map((e) => entryRecord(K.listed, e, 0))), nowMs + 30, out, 'listed');
          tracker.endListing(nowMs, nowMs + 60, out);
          take(out);
          for (const e of shown) {
            assert.deepEqual(reported.get(e.id)?.sums, e.counters, `flow ${e.id}: after a listing its deltas add up to the table's counters`);
            endedIfSettled(e);
          }
        }
        assert.equal(tracker.slotsInUse, tracker.size, 'no flow state leaks');
        assert.equal(tracker.refreshDue, tracker.refreshDueByScan, 'the flows due for lookups, kept as they change, are those a scan finds');
      }
      assert.ok(refreshes > 500 && lookups > 5000 && gone > 50, `refreshes ${refreshes}, lookups ${lookups}, of them gone ${gone}`);
      assert.ok(checkedAfterRefresh > 5000 && checkedAtDestroy > 300 && settledEnds > 500, `checked ${checkedAfterRefresh} flows after refreshes, ${checkedAtDestroy} at their DESTROY, ${settledEnds} ended when seen settled`);
    });
  }
});
