import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FlowBatcher, type EncodedFlowBatch } from '../../../src/collector/flow-batcher.ts';
import { CollectorMetrics } from '../../../src/collector/collector-metrics.ts';
import { decodeFlowBatch, type FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';
import { waitFor } from '../../harness/wait-for.ts';
import type { Logger } from '../../../src/runtime/logger.ts';

const record = (id: number, ruleHint = ''): FlowRecordData => ({
  source: 'conntrack',
  nodeName: 'node-a',
  startTimeUnixNano: 1n,
  endTimeUnixNano: 2n,
  ipVersion: 4,
  protocol: 17,
  original: { srcIp: ipToBytes('10.0.0.1'), dstIp: ipToBytes('10.0.0.2'), srcPort: 1000, dstPort: 53 },
  reply: { srcIp: ipToBytes('10.0.0.2'), dstIp: ipToBytes('10.0.0.1'), srcPort: 53, dstPort: 1000 },
  originalPackets: 1,
  originalBytes: 60,
  replyPackets: 1,
  replyBytes: 90,
  eventKind: 'new',
  tcpState: 'unspecified',
  assured: false,
  unreplied: false,
  conntrackId: id,
  conntrackMark: 0,
  dataplaneVerdict: 'unknown',
  ruleHint,
  icmpType: 0,
  icmpCode: 0,
  icmpId: 0,
  countersValid: true,
});

describe('FlowBatcher', () => {
  it('closes a batch at maxRecords and numbers batches 1, 2, 3 with one boot id', () => {
    const out: EncodedFlowBatch[] = [];
    const batcher = new FlowBatcher({ agentId: 'a', nodeName: 'node-a', maxRecords: 3, maxDelayMs: 60_000 }, (b) => out.push(b));
    batcher.add([1, 2, 3, 4, 5, 6, 7].map((i) => record(i)));
    assert.equal(out.length, 2);
    assert.equal(batcher.pendingRecords, 1);
    batcher.stop();
    const decoded = out.map((b) => decodeFlowBatch(b.payload));
    assert.deepEqual(decoded.map((d) => d.sequence), [1, 2, 3]);
    assert.deepEqual(decoded.map((d) => d.records.map((r) => r.conntrackId)), [[1, 2, 3], [4, 5, 6], [7]]);
    assert.ok(decoded.every((d) => d.bootId === batcher.bootId && d.agentId === 'a' && d.nodeName === 'node-a'));
    assert.deepEqual(out.map((b) => b.records), [3, 3, 1]);
  });

  it('closes a batch after maxDelayMs even when it is not full', async () => {
    const out: EncodedFlowBatch[] = [];
    const batcher = new FlowBatcher({ agentId: 'a', nodeName: 'n', maxRecords: 1000, maxDelayMs: 30 }, (b) => out.push(b));
    batcher.add([record(1)]);
    assert.equal(out.length, 0);
    await waitFor('the batch closed by its delay', async () => (out.length > 0 ? true : undefined), 10_000, 1);
    assert.equal(out.length, 1);
    assert.equal(decodeFlowBatch(out[0]!.payload).records.length, 1);
    batcher.stop();
  });

  it('splits a batch that would encode beyond maxBytes, keeping order and contiguous sequences', () => {
    const out: EncodedFlowBatch[] = [];
    const batcher = new FlowBatcher({ agentId: 'a', nodeName: 'n', maxRecords: 100, maxDelayMs: 60_000, maxBytes: 2000 }, (b) => out.push(b));
    batcher.add(Array.from({ length: 40 }, (_, i) => record(i + 1, 'x'.repeat(50))));
    batcher.stop();
    assert.ok(out.length > 1, 'split into several batches');
    assert.ok(out.every((b) => b.payload.length <= 2000));
    const decoded = out.map((b) => decodeFlowBatch(b.payload));
    assert.deepEqual(decoded.map((d) => d.sequence), decoded.map((_, i) => i + 1));
    assert.deepEqual(decoded.flatMap((d) => d.records.map((r) => r.conntrackId)), Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('drops and counts a record the schema rejects, keeping the rest of the batch', async () => {
    const metrics = new CollectorMetrics();
    const out: EncodedFlowBatch[] = [];
    const batcher = new FlowBatcher({ agentId: 'a', nodeName: 'n', maxRecords: 10, maxDelayMs: 60_000, metrics }, (b) => out.push(b));
    batcher.add([record(1), { ...record(2), protocol: 300 }, record(3)]);
    batcher.stop();
    assert.deepEqual(out.flatMap((b) => decodeFlowBatch(b.payload).records.map((r) => r.conntrackId)), [1, 3]);
    assert.equal(await metrics.valueOf(metrics.recordsDropped, { reason: 'encode' }), 1);
  });

  it('drops many rejected records in one pass over the batch, not one re-encode per bad record', async () => {
    const metrics = new CollectorMetrics();
    const out: EncodedFlowBatch[] = [];
    const batcher = new FlowBatcher({ agentId: 'a', nodeName: 'n', maxRecords: 1000, maxDelayMs: 60_000, metrics }, (b) => out.push(b));
    // Every look at a record's source is counted: re-encoding the batch once per bad record would look ~250,000 times.
    let looks = 0;
    const watched = (r: FlowRecordData): FlowRecordData => {
      const { source, ...rest } = r;
      return Object.defineProperty(rest, 'source', { enumerable: true, get: () => (looks++, source) }) as FlowRecordData;
    };
    batcher.add(Array.from({ length: 1000 }, (_, i) => watched(i % 2 === 0 ? { ...record(i + 1), protocol: 300 } : record(i + 1))));
    batcher.stop();
    assert.deepEqual(out.flatMap((b) => decodeFlowBatch(b.payload).records.map((r) => r.conntrackId)), Array.from({ length: 500 }, (_, i) => 2 * i + 2));
    assert.equal(await metrics.valueOf(metrics.recordsDropped, { reason: 'encode' }), 500);
    assert.ok(looks <= 4 * 1000, `records looked at ${looks} times for 1000 records`);
  });

  it('logs rejected records once a minute at most while counting every one', async () => {
    const metrics = new CollectorMetrics();
    const lines: Array<{ fields: Record<string, unknown>; msg: string }> = [];
    const logger = { error: (fields: Record<string, unknown>, msg: string) => lines.push({ fields, msg }) } as unknown as Logger;
    const out: EncodedFlowBatch[] = [];
    const batcher = new FlowBatcher({ agentId: 'a', nodeName: 'n', maxRecords: 100, maxDelayMs: 60_000, metrics, logger }, (b) => out.push(b));
    batcher.add(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? { ...record(i + 1), protocol: 300 } : record(i + 1))));
    batcher.stop();
    assert.equal(await metrics.valueOf(metrics.recordsDropped, { reason: 'encode' }), 10, 'every rejected record counted');
    assert.equal(out.flatMap((b) => decodeFlowBatch(b.payload).records).length, 10, 'the valid ones sent');
    assert.equal(lines.length, 1, `one line, not one per record: ${JSON.stringify(lines)}`);
    assert.match(lines[0]!.msg, /logged once a minute at most/);
  });
});
