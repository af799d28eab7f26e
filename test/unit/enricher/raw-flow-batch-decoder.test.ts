/**
 * The enricher's FlowBatch decoder collects every problem of every record (the shared codec
 * stops at the first) and agrees with the codec: the same data for valid batches, and for a
 * batch the codec rejects, the codec's field among the problems found.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Long from 'long';
import { segflow } from '../../../src/contract/wire/generated/flow.js';
import { decodeFlowBatch, encodeFlowBatch, FlowBatchDecodeError, type FlowBatchData, type FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';
import { decodeRawFlowBatch, encodeSingleRecordBatch, UndecodableFlowBatch } from '../../../src/enricher/ingest/raw-flow-batch-decoder.ts';
import { SeededRandom } from '../../../src/collector/sources/synthetic/seeded-random.ts';

const seededRandom = (seed: number): (() => number) => {
  const random = new SeededRandom(seed);
  return () => random.next();
};

const pb = segflow.v1;
const T = 1_780_000_000_000;
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

function record(rand: () => number, i: number): FlowRecordData {
  const v6 = rand() < 0.2;
  const ip = (n: number) => ipToBytes(v6 ? `fd00::${n.toString(16)}` : `10.0.${n >> 8}.${n & 255}`);
  const end = T + Math.floor(rand() * 60_000);
  const kinds = ['new', 'update', 'destroy'] as const;
  const states = ['unspecified', 'NONE', 'SYN_SENT', 'ESTABLISHED', 'TIME_WAIT', 'CLOSE'] as const;
  const eventKind = kinds[Math.floor(rand() * 3)]!;
  return {
    source: rand() < 0.5 ? 'conntrack' : 'ebpf', nodeName: `node-${i % 3}`, startTimeUnixNano: rand() < 0.2 ? 0n : ns(end - 5000), endTimeUnixNano: ns(end),
    ipVersion: v6 ? 6 : 4, protocol: rand() < 0.7 ? 6 : 17,
    original: { srcIp: ip(1 + i), dstIp: ip(500), srcPort: 30000 + i, dstPort: 80 }, reply: { srcIp: ip(500), dstIp: ip(1 + i), srcPort: 80, dstPort: 30000 + i },
    originalPackets: Math.floor(rand() * 100), originalBytes: Math.floor(rand() * 100_000), replyPackets: Math.floor(rand() * 100), replyBytes: Math.floor(rand() * 100_000),
    eventKind, tcpState: states[Math.floor(rand() * states.length)]!, assured: rand() < 0.5, unreplied: rand() < 0.2,
    conntrackId: Math.floor(rand() * 1e6), conntrackMark: Math.floor(rand() * 16), dataplaneVerdict: rand() < 0.1 ? 'deny' : 'unknown', ruleHint: rand() < 0.1 ? 'x' : '',
    icmpType: 0, icmpCode: 0, icmpId: 0, countersValid: rand() < 0.9,
    ...(eventKind === 'destroy' && rand() < 0.5 ? { includesStart: true } : {}),
  };
}

const wireRecord = (over: Partial<segflow.v1.FlowRecord.$Properties> = {}): segflow.v1.FlowRecord.$Properties => ({
  source: pb.FlowSource.FLOW_SOURCE_CONNTRACK, nodeName: 'node-1', startTimeUnixNano: Long.fromString(String(ns(T)), true), endTimeUnixNano: Long.fromString(String(ns(T + 1000)), true),
  ipVersion: 4, protocol: 6, original: { srcIp: ipToBytes('10.0.0.1'), dstIp: ipToBytes('10.0.0.2'), srcPort: 1, dstPort: 2 }, reply: { srcIp: ipToBytes('10.0.0.2'), dstIp: ipToBytes('10.0.0.1'), srcPort: 2, dstPort: 1 },
  eventKind: pb.FlowEventKind.FLOW_EVENT_KIND_NEW, countersValid: true, ...over,
});
const wireBatch = (records: segflow.v1.FlowRecord.$Properties[], over: Partial<segflow.v1.FlowBatch.$Properties> = {}) =>
  pb.FlowBatch.encode({ agentId: 'a', bootId: 'b', sequence: 1, nodeName: 'node-1', records, ...over }).finish();

describe('raw FlowBatch decoder', () => {
  it('decodes valid batches exactly as the shared codec does (200 random batches)', () => {
    const rand = seededRandom(11);
    for (let n = 0; n < 200; n++) {
      const batch: FlowBatchData = { agentId: `agent-${n}`, bootId: 'boot', sequence: 1 + n, sentTimeUnixNano: ns(T), nodeName: 'node-1', records: Array.from({ length: Math.floor(rand() * 8) }, (_, i) => record(rand, i)) };
      const bytes = encodeFlowBatch(batch);
      const decoded = decodeRawFlowBatch(bytes, { maxBytes: 1_000_000 });
      assert.deepEqual(decoded.problems, []);
      assert.deepEqual(decoded.records.flatMap((r) => r.problems), []);
      const codec = decodeFlowBatch(bytes);
      assert.deepEqual({ ...decoded.batch, records: decoded.records.map((r) => r.data) }, codec);
    }
  });

  it('names every problem of every record, with its field path', () => {
    const bad = wireRecord({
      source: 9 as segflow.v1.FlowSource, ipVersion: 5, protocol: 300, eventKind: 0, nodeName: '', endTimeUnixNano: 0,
      originalBytes: Long.fromString('9007199254740993', true), original: { srcIp: new Uint8Array(3), dstIp: ipToBytes('10.0.0.2'), srcPort: 70000, dstPort: 1 }, reply: null,
    });
    const decoded = decodeRawFlowBatch(wireBatch([wireRecord(), bad]), { maxBytes: 1_000_000 });
    assert.deepEqual(decoded.records[0]!.problems, []);
    assert.deepEqual(decoded.records[1]!.problems.map((p) => `${p.code} ${p.field}`), [
      'invalid_field records[1].ip_version',
      'invalid_field records[1].source',
      'invalid_field records[1].original.src_port',
      'invalid_field records[1].reply',
      'invalid_field records[1].original_bytes',
      'invalid_field records[1].event_kind',
      'invalid_field records[1].node_name',
      'invalid_field records[1].protocol',
      'invalid_field records[1].end_time_unix_nano',
    ]);
    const startOnUpdate = decodeRawFlowBatch(wireBatch([wireRecord({ eventKind: pb.FlowEventKind.FLOW_EVENT_KIND_UPDATE, includesStart: true }), wireRecord({ eventKind: pb.FlowEventKind.FLOW_EVENT_KIND_DESTROY, includesStart: true })]), { maxBytes: 1_000_000 });
    assert.deepEqual(startOnUpdate.records.map((r) => r.problems.map((p) => `${p.code} ${p.field}`)), [['invalid_field records[0].includes_start'], []]);
    assert.equal(startOnUpdate.records[1]!.data.includesStart, true);
    const endBeforeStart = decodeRawFlowBatch(wireBatch([wireRecord({ startTimeUnixNano: Long.fromString(String(ns(T + 5000)), true) })]), { maxBytes: 1_000_000 });
    assert.deepEqual(endBeforeStart.records[0]!.problems.map((p) => `${p.code} ${p.field}`), ['end_before_start records[0].end_time_unix_nano']);
  });

  it('reports every problem of the batch fields', () => {
    const decoded = decodeRawFlowBatch(wireBatch([wireRecord()], { agentId: '', bootId: '', sequence: 0 }), { maxBytes: 1_000_000 });
    assert.deepEqual(decoded.problems.map((p) => `${p.code} ${p.field}`), ['invalid_batch agent_id', 'invalid_batch boot_id', 'invalid_batch sequence']);
  });

  it('finds the field the codec rejects, among all it finds (random single-field corruptions)', () => {
    const rand = seededRandom(5);
    const corruptions: Array<(r: segflow.v1.FlowRecord.$Properties) => void> = [
      (r) => { r.ipVersion = 7; }, (r) => { r.protocol = 256; }, (r) => { r.nodeName = ''; }, (r) => { r.tcpState = 99 as segflow.v1.TcpState; }, (r) => { r.dataplaneVerdict = 5 as segflow.v1.DataplaneVerdict; },
      (r) => { r.icmpType = 300; }, (r) => { r.icmpId = 70000; }, (r) => { r.endTimeUnixNano = 0; }, (r) => { r.original = { ...r.original!, dstIp: new Uint8Array(16) }; },
      (r) => { r.replyPackets = Long.fromString('18446744073709551615', true); }, (r) => { r.source = 0; }, (r) => { r.reply = { ...r.reply!, dstPort: 65536 }; },
    ];
    for (let n = 0; n < 100; n++) {
      const records = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => wireRecord());
      const victim = Math.floor(rand() * records.length);
      corruptions[Math.floor(rand() * corruptions.length)]!(records[victim]!);
      const bytes = wireBatch(records);
      let codecField: string | undefined;
      try {
        decodeFlowBatch(bytes);
      } catch (error) {
        assert.ok(error instanceof FlowBatchDecodeError);
        codecField = error.field;
      }
      assert.ok(codecField, 'the codec rejects the corrupted batch');
      const decoded = decodeRawFlowBatch(bytes, { maxBytes: 1_000_000 });
      const fields = decoded.records.flatMap((r) => r.problems.map((p) => p.field));
      assert.ok(fields.includes(codecField!), `${codecField} among ${fields.join(', ')}`);
      assert.deepEqual(decoded.records.filter((r) => r.problems.length > 0).map((r) => r.index), [victim], 'only the corrupted record has problems');
    }
  });

  it('throws for what is no FlowBatch at all, and packs one record into a batch of its own', () => {
    assert.throws(() => decodeRawFlowBatch(new Uint8Array(0), { maxBytes: 10 }), (e: unknown) => e instanceof UndecodableFlowBatch && e.problem.code === 'undecodable');
    assert.throws(() => decodeRawFlowBatch(new Uint8Array(11), { maxBytes: 10 }), (e: unknown) => e instanceof UndecodableFlowBatch && e.problem.code === 'too_large');
    assert.throws(() => decodeRawFlowBatch(Buffer.from('this is not a protobuf FlowBatch'), { maxBytes: 100 }), (e: unknown) => e instanceof UndecodableFlowBatch && /not a valid protobuf/.test(e.message));
    const decoded = decodeRawFlowBatch(wireBatch([wireRecord(), wireRecord({ protocol: 17 })], { sequence: 42, sentTimeUnixNano: Long.fromString(String(ns(T)), true) }), { maxBytes: 1_000_000 });
    const alone = decodeFlowBatch(encodeSingleRecordBatch(decoded, decoded.records[1]!));
    assert.deepEqual({ ...alone, records: [] }, { agentId: 'a', bootId: 'b', sequence: 42, sentTimeUnixNano: ns(T), nodeName: 'node-1', records: [] });
    assert.deepEqual(alone.records, [decoded.records[1]!.data]);
  });
});
