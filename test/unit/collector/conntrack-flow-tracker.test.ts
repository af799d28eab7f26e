import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isConntrackNoiseLine, parseConntrackLine, type ConntrackEntry } from '../../../src/collector/sources/conntrack/conntrack-event-parser.ts';
import { ConntrackFlowTracker } from '../../../src/collector/sources/conntrack/conntrack-flow-tracker.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { bytesToIp } from '../../../src/contract/wire/ip-address-bytes.ts';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../testdata/conntrack');
const parseFile = (file: string): ConntrackEntry[] =>
  readFileSync(path.join(dataDir, file), 'utf8')
    .split('\n')
    .filter((l) => !isConntrackNoiseLine(l))
    .map(parseConntrackLine);

const events = parseFile('events.txt');
const snapshot1 = parseFile('list-1.txt');
const snapshot2 = parseFile('list-2.txt');
// The snapshots were taken 1 s and 3 s after the last NEW event (see capture.sh), before the flush.
const lastNew = Math.max(...events.filter((e) => e.eventType === 'new').map((e) => e.timestamp!)) * 1000;
const S1 = lastNew + 1000;
const S2 = lastNew + 3000;
/** Wire time of snapshot 1's sightings (the replay ends it at S1 + 20; records carry µs). */
const S1_END_NANO = BigInt(Math.round((S1 + 20) * 1000)) * 1000n;

/** Replays the capture in time order: NEW events, snapshot 1, snapshot 2, DESTROY events. */
function replayCapture(tracker: ConntrackFlowTracker): FlowRecordData[] {
  const out: FlowRecordData[] = [];
  for (const e of events.filter((x) => x.eventType === 'new')) out.push(...tracker.handleEvent(e, 0));
  out.push(...tracker.handleSnapshot(snapshot1, S1, S1 + 20));
  out.push(...tracker.handleSnapshot(snapshot2, S2, S2 + 20));
  for (const e of events.filter((x) => x.eventType === 'destroy')) out.push(...tracker.handleEvent(e, 0));
  return out;
}

const recordsOf = (records: FlowRecordData[], id: number) => records.filter((r) => r.conntrackId === id);
const sum = (records: FlowRecordData[], f: 'originalPackets' | 'originalBytes' | 'replyPackets' | 'replyBytes') =>
  records.reduce((acc, r) => acc + r[f], 0);

describe('conntrack flow tracker on the captured event stream and snapshots', () => {
  const records = replayCapture(new ConntrackFlowTracker({ nodeName: 'node-a' }));

  it('reports the long-lived connection as new at the first snapshot after its NEW, an update with the growth since, destroy with the rest', () => {
    const flow = recordsOf(records, 2016324409);
    assert.deepEqual(
      flow.map((r) => [r.eventKind, r.originalPackets, r.originalBytes, r.replyPackets, r.replyBytes, r.tcpState]),
      [
        ['new', 3, 1164, 2, 112, 'ESTABLISHED'],
        ['update', 1, 4052, 1, 52, 'ESTABLISHED'],
        ['destroy', 2, 104, 1, 52, 'TIME_WAIT'],
      ],
    );
    assert.equal(flow[0]!.startTimeUnixNano, BigInt(Math.round(events.find((e) => e.eventType === 'new' && e.id === 2016324409)!.timestamp! * 1e6)) * 1000n, 'started when its NEW event says');
    assert.equal(flow[0]!.endTimeUnixNano, S1_END_NANO);
    // 5000 bytes of payload + headers: the deltas add up to the kernel's final counters.
    assert.equal(sum(flow, 'originalBytes'), 5320);
    assert.equal(sum(flow, 'replyBytes'), 216);
  });

  it('for every flow, the deltas add up to the final counters of its DESTROY event', () => {
    for (const destroyed of events.filter((e) => e.eventType === 'destroy')) {
      const flow = recordsOf(records, destroyed.id!);
      assert.ok(flow[0]!.eventKind === 'new' || flow[0]!.includesStart === true, `flow ${destroyed.id}: its first record says it started`);
      assert.ok(flow.slice(1).every((r) => r.eventKind !== 'new' && r.includesStart !== true), `flow ${destroyed.id}: only once`);
      assert.equal(flow.filter((r) => r.eventKind === 'destroy').length, 1, `flow ${destroyed.id} ends once`);
      assert.equal(sum(flow, 'originalPackets'), destroyed.original.packets);
      assert.equal(sum(flow, 'originalBytes'), destroyed.original.bytes);
      assert.equal(sum(flow, 'replyPackets'), destroyed.reply.packets);
      assert.equal(sum(flow, 'replyBytes'), destroyed.reply.bytes);
    }
  });

  it('reports a TCP connection ended when a listing first shows it settled, and nothing more after', () => {
    // The first TCP connection was already closed (TIME_WAIT, final counters) at snapshot 1:
    // snapshot 1 reports its end with its counters; snapshot 2 and its DESTROY event, 2 s
    // later (120 s with the kernel's TIME_WAIT), have nothing new to say.
    const flow = recordsOf(records, 38671004);
    // Its NEW event's start waited for that first report: one record says both.
    assert.deepEqual(flow.map((r) => [r.eventKind, r.includesStart, r.tcpState, r.originalBytes, r.endTimeUnixNano]), [['destroy', true, 'TIME_WAIT', 5268, S1_END_NANO]]);
  });

  it('ends with the DESTROY event only the connections no listing showed settled', () => {
    const settledAtS1 = snapshot1.filter((e) => e.protocol === 6 && (e.state === 'TIME_WAIT' || e.state === 'CLOSE')).map((e) => e.id);
    assert.equal(settledAtS1.length, 3, 'the capture: three connections closed before snapshot 1');
    const ends = records.filter((r) => r.eventKind === 'destroy');
    assert.equal(ends.length, events.filter((e) => e.eventType === 'destroy').length, 'one end per connection');
    for (const end of ends) {
      const inS1 = settledAtS1.includes(end.conntrackId);
      assert.equal(end.endTimeUnixNano === S1_END_NANO, inS1, `connection ${end.conntrackId}: ended at snapshot 1 exactly when it was settled there`);
    }
  });

  it('keeps DNAT visible: original destination is the service, reply source the backend', () => {
    const [created] = recordsOf(records, 1472689141);
    assert.ok(created);
    assert.equal(bytesToIp(created.original.dstIp), '10.231.1.10');
    assert.equal(created.original.dstPort, 80);
    assert.equal(bytesToIp(created.reply.srcIp), '10.231.0.2');
    assert.equal(created.reply.srcPort, 8080);
  });

  it('carries times, flags, ICMP fields and validity into the records', () => {
    const flow = recordsOf(records, 3058942792);
    assert.deepEqual(flow.map((r) => r.eventKind), ['new', 'destroy']);
    const [created, destroyed] = [flow[0]!, flow[1]!];
    assert.equal(created.startTimeUnixNano, 1_795_764_753_950_667_000n);
    assert.equal(destroyed.startTimeUnixNano, created.startTimeUnixNano);
    assert.equal(destroyed.endTimeUnixNano, 1_795_764_760_315_223_000n);
    assert.equal(created.unreplied, false, 'answered by snapshot 1');
    assert.deepEqual([created.protocol, created.icmpType, created.icmpCode, created.icmpId], [1, 8, 0, 8761]);
    assert.deepEqual([created.originalPackets, created.replyPackets, created.countersValid], [2, 2, true]);
    assert.deepEqual([destroyed.originalPackets, destroyed.replyPackets, destroyed.countersValid], [0, 0, true]);
    const udp = recordsOf(records, 3740173957).at(-1)!;
    assert.equal(udp.unreplied, true);
    assert.equal(udp.tcpState, 'unspecified');
  });

  it('produces records the wire codec accepts', () => {
    const bytes = encodeFlowBatch({ agentId: 'a', bootId: 'b', sequence: 1, records, sentTimeUnixNano: 1n, nodeName: 'node-a' });
    assert.ok(bytes.length > 0);
    // Snapshot 1 reports all 8 started (3 of them settled: start and end in one record),
    // snapshot 2 one more; the DESTROY events of those 3 have nothing left to report.
    assert.equal(records.length, 8 + 1 + 8 - 3);
    assert.equal(records.filter((r) => r.includesStart).length, 3);
  });
});

describe('conntrack flow tracker edge cases', () => {
  it('reports entries first seen in a snapshot as new, with full counters and a start from delta-time', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n' });
    const finished = 1_795_764_757_000;
    const records = tracker.handleSnapshot(snapshot2, finished - 50, finished);
    assert.equal(records.length, snapshot2.length);
    const long = recordsOf(records, 2016324409)[0]!;
    assert.equal(long.eventKind, 'new');
    assert.deepEqual([long.originalPackets, long.originalBytes], [4, 5216]);
    assert.equal(long.startTimeUnixNano, BigInt(finished - 3000) * 1_000_000n);
  });

  it('ignores a snapshot line that raced with the DESTROY event of its entry', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n' });
    const destroy = events.find((e) => e.eventType === 'destroy' && e.id === 2016324409)!;
    tracker.handleEvent(events.find((e) => e.eventType === 'new' && e.id === 2016324409)!, 0);
    assert.equal(tracker.handleEvent(destroy, 0).length, 1);
    const stale = tracker.handleSnapshot([snapshot2.find((e) => e.id === 2016324409)!], S2, S2 + 10);
    assert.deepEqual(stale, []);
    assert.equal(tracker.size, 0);
  });

  it('with listings reported (snapshotStarted), ignores a line that raced with a DESTROY handled during that listing', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n' });
    const id = 2016324409;
    const destroy = events.find((e) => e.eventType === 'destroy' && e.id === id)!;
    const destroyAt = destroy.timestamp! * 1000;
    tracker.snapshotStarted(destroyAt - 500);
    tracker.handleEvent(events.find((e) => e.eventType === 'new' && e.id === id)!, 0);
    assert.equal(tracker.handleEvent(destroy, 0).length, 1, 'the DESTROY arrives while the listing runs');
    // Many later events: pruning must keep the key while its listing is pending.
    for (let i = 0; i < 50; i++) {
      const n = { ...events.find((e) => e.eventType === 'new')!, id: 10_000 + i, timestamp: destroy.timestamp! + 2 + i };
      tracker.handleEvent(n, 0);
      tracker.handleEvent({ ...n, eventType: 'destroy' }, 0);
    }
    assert.deepEqual(tracker.handleSnapshot([snapshot2.find((e) => e.id === id)!], destroyAt - 500, destroyAt + 60_000), [], 'the stale line is ignored');
    assert.equal(tracker.size, 0);
  });

  it('with listings reported, still ignores a late DESTROY of an entry closed as vanished, after many events', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n', vanishedGraceMs: 1000 });
    const entry = snapshot2.find((e) => e.id === 2016324409)!;
    tracker.snapshotStarted(0);
    tracker.handleSnapshot([entry], 0, 10);
    tracker.snapshotStarted(20);
    tracker.handleSnapshot([], 20, 30);
    tracker.snapshotStarted(5000);
    const closed = tracker.handleSnapshot([], 5000, 5010);
    assert.deepEqual(closed.map((r) => [r.conntrackId, r.eventKind]), [[2016324409, 'destroy']]);
    for (let i = 0; i < 50; i++) {
      const n = { ...events.find((e) => e.eventType === 'new')!, id: 10_000 + i, timestamp: 6 + i };
      tracker.handleEvent(n, 0);
      tracker.handleEvent({ ...n, eventType: 'destroy' }, 0);
    }
    assert.deepEqual(tracker.handleEvent({ ...entry, eventType: 'destroy', timestamp: 58 }, 0), [], 'no second destroy record');
  });

  it('waits for the DESTROY of entries missing from a snapshot and takes the final counters from it', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n', vanishedGraceMs: 60_000 });
    tracker.handleSnapshot(snapshot1, S1, S1 + 10);
    const gone = snapshot1.find((e) => e.id !== 2016324409 && e.original.bytes !== undefined)!;
    const onlyLong = snapshot2.filter((e) => e.id === 2016324409);
    const records = tracker.handleSnapshot(onlyLong, S2, S2 + 10);
    assert.equal(records.filter((r) => r.eventKind === 'destroy').length, 0, 'expired entries are hidden from listings before they are reaped: not closed yet');
    assert.equal(tracker.size, snapshot1.length);
    // The DESTROY that follows the reaping carries the final counters.
    const destroy = { ...gone, eventType: 'destroy' as const, original: { ...gone.original, bytes: (gone.original.bytes ?? 0) + 100, packets: (gone.original.packets ?? 0) + 1 } };
    const [closed] = tracker.handleEvent(destroy, S2 + 20);
    assert.equal(closed?.eventKind, 'destroy');
    assert.equal(closed?.originalBytes, 100, 'the growth since the last snapshot is reported, not lost');
    assert.equal(tracker.size, snapshot1.length - 1);
  });

  it('closes entries that vanished and never got a DESTROY event after the grace period, with zero deltas', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n', vanishedGraceMs: 1000 });
    tracker.handleSnapshot(snapshot1, S1, S1 + 10);
    // A NEW event processed while the next snapshot was being read: not in the snapshot, but alive.
    const lateNew = { ...events.find((e) => e.eventType === 'new')!, id: 999, timestamp: (S2 + 5) / 1000 };
    tracker.handleEvent(lateNew, 0);
    const onlyLong = snapshot2.filter((e) => e.id === 2016324409);
    const first = tracker.handleSnapshot(onlyLong, S2, S2 + 10);
    assert.equal(recordsOf(first, 2016324409)[0]!.originalBytes, 5216 - 1164);
    assert.equal(first.filter((r) => r.eventKind === 'destroy').length, 0);
    const later = tracker.handleSnapshot(onlyLong, S2 + 5000, S2 + 5010);
    const closed = later.filter((r) => r.eventKind === 'destroy');
    // The three settled at snapshot 1 had their ends reported there: closing them says nothing.
    assert.equal(closed.length, snapshot1.length - 1 - 3);
    assert.ok(closed.every((r) => r.tcpState !== 'TIME_WAIT'));
    assert.ok(closed.every((r) => r.originalBytes === 0 && r.replyBytes === 0), 'no invented traffic');
    assert.equal(tracker.size, 2); // the long-lived connection and the late NEW
  });

  it('after a settled connection\'s end, reports only counter growth, as updates, up to its DESTROY', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n' });
    const id = 38671004;
    const settled = snapshot1.find((e) => e.id === id)!;
    tracker.handleEvent(events.find((e) => e.eventType === 'new' && e.id === id)!, 0);
    const [end] = tracker.handleSnapshot([settled], S1, S1 + 10);
    assert.deepEqual([end?.eventKind, end?.originalPackets, end?.originalBytes], ['destroy', 5, 5268]);
    assert.equal(tracker.refreshDue, 0, 'settled: no lookups');
    // A stray ACK in TIME_WAIT: the next listing reports the growth, not another end.
    const ack = { ...settled, original: { ...settled.original, packets: 6, bytes: 5320 } };
    assert.deepEqual(tracker.handleSnapshot([ack], S2, S2 + 10).map((r) => [r.eventKind, r.originalPackets, r.originalBytes]), [['update', 1, 52]]);
    assert.deepEqual(tracker.handleSnapshot([ack], S2 + 100, S2 + 110), [], 'unchanged: nothing');
    // Its DESTROY with one more packet: that packet, as an update; none, and nothing is said.
    const destroy = { ...ack, eventType: 'destroy' as const, timestamp: (S2 + 200) / 1000, original: { ...ack.original, packets: 7, bytes: 5372 } };
    assert.deepEqual(tracker.handleEvent(destroy, 0).map((r) => [r.eventKind, r.originalPackets, r.originalBytes]), [['update', 1, 52]]);
    assert.equal(tracker.size, 0);
    assert.equal(tracker.slotsInUse, 0);
    const quiet = new ConntrackFlowTracker({ nodeName: 'n' });
    quiet.handleSnapshot([settled], S1, S1 + 10);
    assert.deepEqual(quiet.handleEvent({ ...settled, eventType: 'destroy', timestamp: (S2 + 200) / 1000 }, 0), []);
  });

  it('reports the end of a settled entry first seen by a listing at once, and never again when it vanishes or the agent stops', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n', vanishedGraceMs: 1000 });
    const settled = snapshot1.filter((e) => e.protocol === 6 && e.state === 'TIME_WAIT');
    const first = tracker.handleSnapshot(settled, S1, S1 + 10);
    assert.deepEqual(first.map((r) => r.eventKind), settled.map(() => 'destroy'));
    assert.deepEqual(first.map((r) => r.originalBytes), settled.map((e) => e.original.bytes), 'with their whole counters');
    tracker.handleSnapshot([], S2, S2 + 10); // expired: set aside to wait for their DESTROY
    assert.equal(tracker.waitingForDestroy, settled.length);
    assert.deepEqual(tracker.handleSnapshot([], S2 + 5000, S2 + 5010), [], 'past the grace period: closed without a second end');
    const again = new ConntrackFlowTracker({ nodeName: 'n' });
    again.handleSnapshot(settled, S1, S1 + 10);
    again.handleSnapshot([], S2, S2 + 10);
    assert.deepEqual(again.closeVanished(S2 + 20), [], 'stopping: nothing left to end');
  });

  it('reports a connection that starts and ends between two reads of the table in one record, its start when the agent stops', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n' });
    const id = 2016324409;
    const created = events.find((e) => e.eventType === 'new' && e.id === id)!;
    assert.deepEqual(tracker.handleEvent(created, 0), []);
    const [whole] = tracker.handleEvent(events.find((e) => e.eventType === 'destroy' && e.id === id)!, 0);
    assert.deepEqual([whole?.eventKind, whole?.includesStart, whole?.originalBytes, whole?.replyBytes], ['destroy', true, 5320, 216]);
    assert.equal(whole!.startTimeUnixNano, BigInt(Math.round(created.timestamp! * 1e6)) * 1000n);
    // Accounting on: the NEW's zero counters are real, so a start reported alone says valid.
    const other = { ...created, id: 77 };
    tracker.handleEvent(other, 0);
    const stopped = tracker.reportPendingStarts(created.timestamp! * 1000 + 500);
    assert.deepEqual(stopped.map((r) => [r.conntrackId, r.eventKind, r.includesStart, r.originalPackets, r.countersValid, r.tcpState]), [[77, 'new', false, 0, true, 'SYN_SENT']]);
    assert.deepEqual(tracker.reportPendingStarts(created.timestamp! * 1000 + 600), [], 'reported once');
    // Set aside and closed without its DESTROY: that one record includes the start too.
    const aside = new ConntrackFlowTracker({ nodeName: 'n', vanishedGraceMs: 1000 });
    aside.handleEvent(created, 0);
    aside.handleSnapshot([], created.timestamp! * 1000 + 10, created.timestamp! * 1000 + 20);
    const closed = aside.handleSnapshot([], created.timestamp! * 1000 + 5000, created.timestamp! * 1000 + 5010);
    assert.deepEqual(closed.map((r) => [r.eventKind, r.includesStart]), [['destroy', true]]);
  });

  it('takes an entry back when a later listing shows it again', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n', vanishedGraceMs: 1000 });
    const entry = snapshot2.find((e) => e.id === 2016324409)!;
    tracker.handleSnapshot([entry], 0, 10);
    tracker.handleSnapshot([], 20, 30);
    const again = tracker.handleSnapshot([entry], 40, 50);
    assert.deepEqual(again, [], 'unchanged, so nothing to report');
    assert.deepEqual(tracker.handleSnapshot([entry], 5000, 5010), [], 'and it is not closed by the grace period');
    assert.equal(tracker.closeVanished(6000).length, 0);
  });

  it('marks counters invalid and zero when accounting is off', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n', accountingEnabled: false });
    const [rec] = tracker.handleSnapshot(parseFile('list-acct-off.txt'), 1000, 1010);
    assert.ok(rec);
    assert.equal(rec.countersValid, false);
    assert.deepEqual([rec.originalPackets, rec.originalBytes, rec.replyPackets, rec.replyBytes], [0, 0, 0, 0]);
    assert.deepEqual(tracker.handleEvent(events.find((e) => e.eventType === 'new')!, 0), [], 'its start waits for its first report');
    const [created] = tracker.reportPendingStarts(2000);
    assert.equal(created!.eventKind, 'new');
    assert.equal(created!.countersValid, false, 'a NEW record is not valid either when the kernel counts nothing');
  });

  it('treats counters that went down (conntrack -Z) as a fresh start instead of a negative delta', () => {
    const tracker = new ConntrackFlowTracker({ nodeName: 'n' });
    const entry = snapshot2.find((e) => e.id === 2016324409)!;
    tracker.handleSnapshot([entry], 0, 10);
    const zeroed = { ...entry, original: { ...entry.original, packets: 1, bytes: 52 }, reply: { ...entry.reply, packets: 0, bytes: 0 } };
    const [rec] = tracker.handleSnapshot([zeroed], 20, 30);
    assert.deepEqual([rec!.originalPackets, rec!.originalBytes, rec!.replyPackets], [1, 52, 0]);
  });
});
