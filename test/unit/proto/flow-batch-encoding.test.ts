/**
 * The flow batch encoder writes the wire bytes itself (one buffer per batch); these tests hold
 * it to the bytes the generated protobufjs code writes for the same message, which is what the
 * enricher's decoder (and any other reader of flow.proto) was built against.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Long from 'long';
import {
  decodeFlowBatch,
  encodeFlowBatch,
  encodeValidFlowRecords,
  recordProblems,
  type FlowBatchData,
  type FlowRecordData,
  type FlowTupleData,
} from '../../../src/contract/wire/flow-batch-codec.ts';
import { lossReportToWire } from '../../../src/contract/wire/loss-report.ts';
import { segflow } from '../../../src/contract/wire/generated/flow.js';

const pb = segflow.v1;

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SOURCES = ['conntrack', 'ebpf', 'synthetic'] as const;
const EVENTS = ['new', 'update', 'destroy'] as const;
const STATES = ['unspecified', 'NONE', 'SYN_SENT', 'ESTABLISHED', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'] as const;
const VERDICTS = ['unknown', 'allow', 'deny'] as const;

function randomRecord(next: () => number): FlowRecordData {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  // Zero often: a default is left out of the wire, and that is where encoders differ.
  const int = (max: number): number => (next() < 0.3 ? 0 : Math.floor(next() * (max + 1)));
  const u64 = (): bigint => (next() < 0.2 ? 0n : (BigInt(Math.floor(next() * 2 ** 32)) << 32n) | BigInt(Math.floor(next() * 2 ** 32)));
  const ipVersion = next() < 0.7 ? 4 : 6;
  const ip = (): Uint8Array => Uint8Array.from({ length: ipVersion === 4 ? 4 : 16 }, () => int(255));
  const tuple = (): FlowTupleData => ({ srcIp: ip(), dstIp: ip(), srcPort: int(65535), dstPort: int(65535) });
  const counter = (): number => (next() < 0.5 ? int(1000) : Math.floor(next() * Number.MAX_SAFE_INTEGER));
  let start = u64();
  let end = u64();
  if (end === 0n) end = 1n;
  if (start > end) [start, end] = [end, start];
  return {
    source: pick(SOURCES),
    // Multi-byte UTF-8, and names long enough that a record's length takes two varint bytes.
    nodeName: pick(['node-1', 'wörker-ß-🚀', 'n'.repeat(150)]),
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    ipVersion,
    protocol: int(255),
    original: tuple(),
    reply: tuple(),
    originalPackets: counter(),
    originalBytes: counter(),
    replyPackets: counter(),
    replyBytes: counter(),
    eventKind: pick(EVENTS),
    tcpState: pick(STATES),
    assured: next() < 0.5,
    unreplied: next() < 0.5,
    conntrackId: int(0xffffffff),
    conntrackMark: int(0xffffffff),
    dataplaneVerdict: pick(VERDICTS),
    ruleHint: pick(['', 'DPI|default/deny-all', 'é'.repeat(300)]),
    icmpType: int(255),
    icmpCode: int(255),
    icmpId: int(65535),
    countersValid: next() < 0.5,
  };
}

const toLong = (v: bigint): Long => Long.fromString(v.toString(), true);

/** The same batch through the generated protobufjs encoder: the reference bytes. */
function protobufjsBytes(batch: FlowBatchData): Uint8Array {
  const SOURCE = { conntrack: 1, ebpf: 2, synthetic: 3 };
  const EVENT = { new: 1, update: 2, destroy: 3 };
  const VERDICT = { unknown: 0, allow: 1, deny: 2 };
  const tuple = (t: FlowTupleData): segflow.v1.FlowTuple.$Properties => ({ srcIp: t.srcIp, dstIp: t.dstIp, srcPort: t.srcPort, dstPort: t.dstPort });
  return pb.FlowBatch.encode({
    agentId: batch.agentId,
    bootId: batch.bootId,
    sequence: batch.sequence,
    records: batch.records.map((r) => ({
      source: SOURCE[r.source],
      nodeName: r.nodeName,
      startTimeUnixNano: toLong(r.startTimeUnixNano),
      endTimeUnixNano: toLong(r.endTimeUnixNano),
      ipVersion: r.ipVersion,
      protocol: r.protocol,
      original: tuple(r.original),
      reply: tuple(r.reply),
      originalPackets: r.originalPackets,
      originalBytes: r.originalBytes,
      replyPackets: r.replyPackets,
      replyBytes: r.replyBytes,
      eventKind: EVENT[r.eventKind],
      tcpState: r.tcpState === 'unspecified' ? 0 : pb.TcpState[`TCP_STATE_${r.tcpState}`],
      assured: r.assured,
      unreplied: r.unreplied,
      conntrackId: r.conntrackId,
      conntrackMark: r.conntrackMark,
      dataplaneVerdict: VERDICT[r.dataplaneVerdict],
      ruleHint: r.ruleHint,
      icmpType: r.icmpType,
      icmpCode: r.icmpCode,
      icmpId: r.icmpId,
      countersValid: r.countersValid,
    })),
    sentTimeUnixNano: toLong(batch.sentTimeUnixNano),
    nodeName: batch.nodeName,
    loss: lossReportToWire(batch.loss) ?? null,
    heartbeatIntervalMs: batch.heartbeatIntervalMs ?? 0,
  }).finish();
}

describe('flow batch encoding', () => {
  it('writes the bytes protobufjs writes, for 300 random batches of every field shape', () => {
    const next = random(16);
    for (let n = 0; n < 300; n++) {
      const batch: FlowBatchData = {
        agentId: n % 7 === 0 ? 'a'.repeat(200) : 'agent-1',
        bootId: '0b6f3a52-5c8e-4d7e-9f0a-1c2d3e4f5a6b',
        sequence: n % 5 === 0 ? Number.MAX_SAFE_INTEGER - n : n + 1,
        records: Array.from({ length: Math.floor(next() * 20) }, () => randomRecord(next)),
        sentTimeUnixNano: n % 11 === 0 ? 0n : 1_795_764_761_000_000_001n + BigInt(n),
        nodeName: 'node-1',
        ...(n % 3 === 0 ? { loss: { sincePrevious: { encode: { records: 2, batches: 0 } }, sinceBoot: { encode: { records: 5, batches: 0 }, spool_full: { records: 2 ** 40, batches: 3 } } } } : {}),
        ...(n % 2 === 0 ? { heartbeatIntervalMs: 30_000 } : {}),
      };
      const ours = encodeFlowBatch(batch);
      assert.deepEqual(Buffer.from(ours), Buffer.from(protobufjsBytes(batch)), `batch ${n} differs from protobufjs's bytes`);
      assert.equal(decodeFlowBatch(ours).records.length, batch.records.length);
    }
  });

  it('reuses its buffer without leaking one batch into the next', () => {
    const next = random(7);
    const big: FlowBatchData = { agentId: 'a', bootId: 'b', sequence: 1, sentTimeUnixNano: 5n, nodeName: 'n', records: Array.from({ length: 2000 }, () => randomRecord(next)) };
    const small: FlowBatchData = { ...big, sequence: 2, records: big.records.slice(0, 1) };
    const first = encodeFlowBatch(big);
    const firstCopy = Buffer.from(first);
    const second = encodeFlowBatch(small);
    assert.deepEqual(Buffer.from(first), firstCopy, 'an earlier payload is not overwritten by the next encode');
    assert.deepEqual(Buffer.from(second), Buffer.from(protobufjsBytes(small)));
  });

  it('leaves out invalid records, naming every problem of each, and keeps the rest in order', () => {
    const next = random(3);
    const good = (id: number): FlowRecordData => ({ ...randomRecord(next), conntrackId: id });
    const base = good(2);
    const bad: FlowRecordData = { ...base, protocol: 300, originalBytes: -1, reply: { ...base.reply, srcPort: 70_000 }, eventKind: 'later' as FlowRecordData['eventKind'] };
    const batch: FlowBatchData = { agentId: 'a', bootId: 'b', sequence: 1, sentTimeUnixNano: 5n, nodeName: 'n', records: [good(1), bad, good(3)] };
    const { payload, rejected } = encodeValidFlowRecords(batch);
    assert.deepEqual(decodeFlowBatch(payload).records.map((r) => r.conntrackId), [1, 3]);
    assert.deepEqual(rejected.map((r) => r.index), [1]);
    assert.deepEqual(
      rejected[0]!.problems.map((p) => p.field),
      ['event_kind', 'protocol', 'reply.src_port', 'original_bytes'],
    );
    assert.match(rejected[0]!.problems[1]!.reason, /300 is not an IP protocol number/);
    assert.throws(() => encodeFlowBatch(batch), /records\[1\]\.event_kind: unknown event kind "later"/);
  });

  it('finds nothing wrong with a valid record and names an IP version problem once', () => {
    const r = randomRecord(random(9));
    assert.equal(recordProblems(r), null);
    const problems = recordProblems({ ...r, ipVersion: 5 as 4 });
    assert.deepEqual(problems, [{ field: 'ip_version', reason: 'must be 4 or 6, got 5' }]);
  });

  it('takes no inherited property name for an enum value', () => {
    // Names every object inherits (toString, constructor, __proto__) are not wire enum values.
    const r = randomRecord(random(11));
    const problems = recordProblems({
      ...r, source: 'toString' as FlowRecordData['source'], eventKind: 'constructor' as FlowRecordData['eventKind'],
      tcpState: '__proto__' as FlowRecordData['tcpState'], dataplaneVerdict: 'hasOwnProperty' as FlowRecordData['dataplaneVerdict'],
    });
    assert.deepEqual(problems?.map((p) => p.field), ['source', 'event_kind', 'tcp_state', 'dataplane_verdict']);
  });
});
