import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Long from 'long';
import {
  decodeFlowBatch,
  encodeFlowBatch,
  FlowBatchDecodeError,
  FlowBatchEncodeError,
  FlowBatchTooLargeError,
  type FlowBatchData,
  type FlowRecordData,
} from '../../../src/contract/wire/flow-batch-codec.ts';
import { bytesToIp, ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';
import { segflow } from '../../../src/contract/wire/generated/flow.js';

function record(overrides: Partial<FlowRecordData> = {}): FlowRecordData {
  return {
    source: 'conntrack',
    nodeName: 'node-a',
    startTimeUnixNano: 1_795_764_753_598_757_000n,
    endTimeUnixNano: 1_795_764_760_315_280_123n,
    ipVersion: 4,
    protocol: 6,
    original: { srcIp: ipToBytes('10.231.0.1'), dstIp: ipToBytes('10.231.1.10'), srcPort: 34030, dstPort: 80 },
    reply: { srcIp: ipToBytes('10.231.0.2'), dstIp: ipToBytes('10.231.0.1'), srcPort: 8080, dstPort: 34030 },
    originalPackets: 5,
    originalBytes: 1268,
    replyPackets: 3,
    replyBytes: 164,
    eventKind: 'destroy',
    tcpState: 'TIME_WAIT',
    assured: true,
    unreplied: false,
    conntrackId: 3_228_271_537,
    conntrackMark: 0x4000,
    dataplaneVerdict: 'unknown',
    ruleHint: '',
    icmpType: 0,
    icmpCode: 0,
    icmpId: 0,
    countersValid: true,
    ...overrides,
  };
}

function batch(overrides: Partial<FlowBatchData> = {}): FlowBatchData {
  return {
    agentId: 'node-a',
    bootId: '0b6f3a52-5c8e-4d7e-9f0a-1c2d3e4f5a6b',
    sequence: 42,
    records: [record()],
    sentTimeUnixNano: 1_795_764_761_000_000_001n,
    nodeName: 'node-a',
    ...overrides,
  };
}

describe('flow batch codec', () => {
  it('round-trips every field, including 64-bit timestamps beyond 2^53 and IPv6 tuples', () => {
    const v6 = record({
      ipVersion: 6,
      protocol: 58,
      original: { srcIp: ipToBytes('fd00:231::1'), dstIp: ipToBytes('fd00:231::2'), srcPort: 0, dstPort: 0 },
      reply: { srcIp: ipToBytes('fd00:231::2'), dstIp: ipToBytes('fd00:231::1'), srcPort: 0, dstPort: 0 },
      tcpState: 'unspecified',
      eventKind: 'update',
      icmpType: 128,
      icmpCode: 0,
      icmpId: 8781,
      dataplaneVerdict: 'deny',
      ruleHint: 'DPI|default/deny-all',
      source: 'ebpf',
      unreplied: true,
      assured: false,
    });
    const input = batch({ records: [record(), v6] });
    const decoded = decodeFlowBatch(encodeFlowBatch(input));
    assert.equal(decoded.records[0]!.endTimeUnixNano, 1_795_764_760_315_280_123n);
    assert.equal(decoded.sentTimeUnixNano, 1_795_764_761_000_000_001n);
    // Decoded bytes are Buffers (a Uint8Array subclass): compare contents, not classes.
    const normalize = (v: unknown): unknown =>
      v instanceof Uint8Array
        ? Array.from(v)
        : Array.isArray(v)
          ? v.map(normalize)
          : v !== null && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]))
            : v;
    assert.deepEqual(normalize(decoded), normalize(input));
    assert.equal(bytesToIp(decoded.records[1]!.original.srcIp), 'fd00:231::1');
    assert.equal(bytesToIp(decoded.records[0]!.reply.srcIp), '10.231.0.2');
  });

  it('uses the field numbers of flow.proto on the wire (a reader of the generated code sees the same values)', () => {
    const wire = segflow.v1.FlowBatch.decode(encodeFlowBatch(batch()));
    assert.equal(wire.agentId, 'node-a');
    assert.equal(Long.fromValue(wire.sequence).toNumber(), 42);
    assert.equal(wire.records[0]!.eventKind, segflow.v1.FlowEventKind.FLOW_EVENT_KIND_DESTROY);
    assert.equal(wire.records[0]!.tcpState, segflow.v1.TcpState.TCP_STATE_TIME_WAIT);
    assert.equal(wire.records[0]!.source, segflow.v1.FlowSource.FLOW_SOURCE_CONNTRACK);
    assert.equal(wire.records[0]!.includesStart, false, 'absent unless set');
    const both = segflow.v1.FlowBatch.decode(encodeFlowBatch(batch({ records: [record({ includesStart: true })] })));
    assert.equal(both.records[0]!.includesStart, true);
    assert.equal(decodeFlowBatch(encodeFlowBatch(batch({ records: [record({ includesStart: true })] }))).records[0]!.includesStart, true);
  });

  it('rejects an empty message and garbage with the reason', () => {
    assert.throws(() => decodeFlowBatch(new Uint8Array(0)), (e: unknown) => e instanceof FlowBatchDecodeError && /empty/.test(e.message));
    assert.throws(
      () => decodeFlowBatch(Uint8Array.from([0x0a, 0xff, 0x01, 0x41])),
      (e: unknown) => e instanceof FlowBatchDecodeError && e.field === '(message)' && /not a valid protobuf FlowBatch/.test(e.message),
    );
  });

  it('rejects a truncated message', () => {
    const bytes = encodeFlowBatch(batch());
    assert.throws(() => decodeFlowBatch(bytes.subarray(0, bytes.length - 7)), FlowBatchDecodeError);
  });

  it('names the offending field of a structurally valid but semantically wrong message', () => {
    const wire = segflow.v1.FlowBatch.encode({
      agentId: 'a',
      bootId: 'b',
      sequence: 1,
      sentTimeUnixNano: 1,
      records: [
        {
          source: 1,
          nodeName: 'n',
          endTimeUnixNano: 5,
          ipVersion: 4,
          protocol: 6,
          eventKind: 1,
          original: { srcIp: Uint8Array.from([10, 0, 0, 1]), dstIp: Uint8Array.from([10, 0, 0, 2, 9]) },
          reply: { srcIp: Uint8Array.from([10, 0, 0, 2]), dstIp: Uint8Array.from([10, 0, 0, 1]) },
        },
      ],
    }).finish();
    assert.throws(
      () => decodeFlowBatch(wire),
      (e: unknown) =>
        e instanceof FlowBatchDecodeError && e.field === 'records[0].original.dst_ip' && /has 5 bytes, IPv4 needs 4/.test(e.message),
    );
  });

  it('rejects unknown enum values, a zero sequence and a missing reply tuple', () => {
    const base = {
      agentId: 'a',
      bootId: 'b',
      sequence: 1,
      sentTimeUnixNano: 1,
    };
    const rec = {
      source: 1,
      nodeName: 'n',
      endTimeUnixNano: 5,
      ipVersion: 4,
      protocol: 17,
      eventKind: 2,
      original: { srcIp: Uint8Array.from([10, 0, 0, 1]), dstIp: Uint8Array.from([10, 0, 0, 2]) },
      reply: { srcIp: Uint8Array.from([10, 0, 0, 2]), dstIp: Uint8Array.from([10, 0, 0, 1]) },
    };
    const enc = (m: segflow.v1.FlowBatch.$Properties) => segflow.v1.FlowBatch.encode(m).finish();
    assert.doesNotThrow(() => decodeFlowBatch(enc({ ...base, records: [rec] })));
    assert.throws(() => decodeFlowBatch(enc({ ...base, records: [{ ...rec, source: 9 as segflow.v1.FlowSource }] })), /records\[0\]\.source: source 9 is not a known value/);
    assert.throws(() => decodeFlowBatch(enc({ ...base, records: [{ ...rec, eventKind: 0 }] })), /records\[0\]\.event_kind/);
    assert.throws(() => decodeFlowBatch(enc({ ...base, sequence: 0, records: [rec] })), /sequence: must be an integer >= 1/);
    assert.throws(() => decodeFlowBatch(enc({ ...base, records: [rec, { ...rec, reply: null }] })), /records\[1\]\.reply: is missing/);
    assert.throws(() => decodeFlowBatch(enc({ ...base, records: [{ ...rec, originalBytes: Long.fromString('18446744073709551615', true) }] })), /original_bytes: value 18446744073709551615 exceeds 2\^53-1/);
  });

  it('enforces the size limit on both sides', () => {
    const many = batch({ records: Array.from({ length: 200 }, () => record()) });
    const size = encodeFlowBatch(many).length;
    assert.throws(
      () => encodeFlowBatch(many, { maxBytes: size - 1 }),
      (e: unknown) => e instanceof FlowBatchTooLargeError && e.sizeBytes === size && e.maxBytes === size - 1,
    );
    const bytes = encodeFlowBatch(many);
    assert.throws(() => decodeFlowBatch(bytes, { maxBytes: size - 1 }), new RegExp(`size ${size} bytes exceeds the limit of ${size - 1} bytes`));
    assert.equal(decodeFlowBatch(bytes, { maxBytes: size }).records.length, 200);
  });

  it('refuses to encode what a consumer would reject', () => {
    assert.throws(
      () => encodeFlowBatch(batch({ records: [record({ eventKind: 'update', includesStart: true })] })),
      (e: unknown) => e instanceof FlowBatchEncodeError && e.field === 'records[0].includes_start',
    );
    assert.throws(() => encodeFlowBatch(batch({ agentId: '' })), (e: unknown) => e instanceof FlowBatchEncodeError && e.field === 'agent_id');
    assert.throws(
      () => encodeFlowBatch(batch({ records: [record({ originalBytes: -1 })] })),
      (e: unknown) => e instanceof FlowBatchEncodeError && e.field === 'records[0].original_bytes',
    );
    assert.throws(
      () => encodeFlowBatch(batch({ records: [record({ startTimeUnixNano: 10n ** 19n, endTimeUnixNano: 10n ** 19n - 1n })] })),
      /start_time_unix_nano/,
    );
  });
});

describe('ip address bytes', () => {
  it('converts IPv4 and IPv6 both ways and rejects junk', () => {
    assert.deepEqual(Array.from(ipToBytes('10.231.0.1')), [10, 231, 0, 1]);
    assert.equal(ipToBytes('fd00:231::2').length, 16);
    assert.equal(bytesToIp(ipToBytes('fd00:0231:0000::0002')), 'fd00:231::2');
    assert.throws(() => ipToBytes('10.231.0'), /not an IP address/);
    assert.throws(() => bytesToIp(new Uint8Array(5)), /4 or 16 bytes/);
  });
});
