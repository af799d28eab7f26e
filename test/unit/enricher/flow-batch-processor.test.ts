/**
 * The enricher's processing of fetched messages, with the demo inventory and in-memory storage
 * standing in for Elasticsearch (pure logic): DNAT resolution, verdicts and traces in the
 * documents, aggregation, idempotent replays, and dead letters for bad input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../../../src/inventory/inventory.ts';
import { loadResourcePaths } from '../../../src/inventory/loader/load-files.ts';
import { encodeFlowBatch, type FlowBatchData, type FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';
import type { FlowDocument } from '../../../src/contract/flow-fields.ts';
import { DEAD_LETTER_HEADERS, parseDeadLetterHeaders } from '../../../src/enricher/dead-letter.ts';
import { FlowBatchProcessor, type RawMessage } from '../../../src/enricher/flow-batch-processor.ts';
import { MemoryFlowStorage } from '../../../src/enricher/memory-flow-storage.ts';
import { SequenceTracker } from '../../../src/enricher/sequence-tracker.ts';
import { enrichmentInventoryOf } from '../../../src/enricher/transform/inventory-adapter.ts';
import { decodeFlowBatch } from '../../../src/contract/wire/flow-batch-codec.ts';
import { segflow } from '../../../src/contract/wire/generated/flow.js';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

function record(over: Partial<FlowRecordData> & { src: string; dst: string; dport: number; replySrc?: string; replySport?: number }): FlowRecordData {
  const { src, dst, dport, replySrc, replySport, ...rest } = over;
  return {
    source: 'conntrack', nodeName: 'node-1', startTimeUnixNano: ns(T0), endTimeUnixNano: ns(T0 + 5000), ipVersion: 4, protocol: 6,
    original: { srcIp: ipToBytes(src), dstIp: ipToBytes(dst), srcPort: 40000, dstPort: dport },
    reply: { srcIp: ipToBytes(replySrc ?? dst), dstIp: ipToBytes(src), srcPort: replySport ?? dport, dstPort: 40000 },
    originalPackets: 10, originalBytes: 1000, replyPackets: 8, replyBytes: 5000, eventKind: 'new', tcpState: 'ESTABLISHED',
    assured: true, unreplied: false, conntrackId: 1, conntrackMark: 0, dataplaneVerdict: 'unknown', ruleHint: '',
    icmpType: 0, icmpCode: 0, icmpId: 0, countersValid: true, ...rest,
  };
}

function message(batch: Partial<FlowBatchData> & { records: FlowRecordData[] }, offset: number): RawMessage {
  const full: FlowBatchData = { agentId: 'agent-1', bootId: 'boot-1', sequence: 1, sentTimeUnixNano: ns(T0 + 6000), nodeName: 'node-1', ...batch };
  return { partition: 0, offset: String(offset), key: Buffer.from('node-1'), value: Buffer.from(encodeFlowBatch(full)) };
}

async function setup(maxBulkDocuments?: number) {
  const loaded = await loadResourcePaths(['examples/shop']);
  assert.equal(loaded.issues.filter((i) => i.severity === 'error').length, 0);
  const inventory = Inventory.fromResources(loaded.resources);
  const storage = new MemoryFlowStorage();
  const processor = new FlowBatchProcessor(
    { topic: 'flows.raw', indexPrefix: 'segflow-flows', aggregation: { windowMs: 15_000, allowedLevel: 2, deniedLevel: 1 }, maxMessageBytes: 1_000_000, now: () => T0 + 7000, ...(maxBulkDocuments ? { maxBulkDocuments } : {}) },
    enrichmentInventoryOf(inventory),
    new SequenceTracker(),
    storage,
  );
  // The stored documents, as a read-only map view.
  const store = {
    get size(): number {
      return storage.documents.size;
    },
    values: (): FlowDocument[] => [...storage.documents.values()].map((d) => d.document),
    get: (id: string): FlowDocument | undefined => storage.get(id),
  };
  return { processor, store, writes: storage.requests, storage };
}

describe('FlowBatchProcessor', () => {
  it('resolves a Service DNAT to the backend workload and records the Service and the deciding policy', async () => {
    const { processor, store } = await setup();
    // frontend dials the catalog Service 10.96.0.20:80; the node DNATs it to catalog's pod :8080.
    const result = await processor.process([message({ records: [record({ src: '10.244.1.10', dst: '10.96.0.20', dport: 80, replySrc: '10.244.1.20', replySport: 8080 })] }, 0)]);
    assert.equal(result.documentsWritten, 1);
    assert.equal(result.deadLetters.length, 0);
    const doc = [...store.values()][0]!;
    assert.equal(doc.segflow.verdict, 'allow');
    assert.equal(doc.segflow.destination.name, undefined, 'level 2 hides pod names for allowed flows');
    assert.equal(doc.segflow.destination.aggregated_name, 'catalog-5f8b7c-*');
    assert.equal(doc.segflow.destination.namespace, 'shop');
    assert.equal(doc.segflow.destination.service?.name, 'catalog');
    assert.equal(doc.segflow.destination.service?.port, 80);
    assert.equal(doc.destination?.port, 8080, 'policy saw the backend port');
    assert.deepEqual(doc.segflow.policy?.ingress?.enforced_str, ['0|default|np:shop/default.catalog|allow|0']);
    assert.equal(doc.source?.bytes, 1000);
    assert.equal(doc.destination?.bytes, 5000);
    assert.equal(doc.segflow.observed?.outcome, 'established');
    assert.equal(doc.segflow.observed?.mismatch, false);
    assert.equal(doc.segflow.reporter, 'src');
  });

  it('records frontend → postgres as denied on egress at the end of the default tier (ingress never reached)', async () => {
    const { processor, store } = await setup();
    await processor.process([message({ records: [record({ src: '10.244.1.10', dst: '10.244.2.10', dport: 5432, assured: false, tcpState: 'SYN_SENT', replyPackets: 0, replyBytes: 0 })] }, 0)]);
    const doc = [...store.values()][0]!;
    assert.equal(doc.segflow.verdict, 'deny');
    assert.equal(doc.segflow.aggregation?.level, 1, 'denied flows keep their IPs');
    assert.equal(doc.destination?.ip, '10.244.2.10');
    assert.equal(doc.segflow.destination.name, 'postgres-0');
    assert.deepEqual(doc.segflow.policy?.egress?.enforced_str, ['0|platform|gnp:platform.allow-dns|pass|-1', '1|default|np:shop/default.frontend|deny|-1']);
    assert.equal(doc.segflow.policy?.ingress, undefined, 'Calico never evaluates the ingress side of a flow its egress denied');
    assert.equal(doc.rule?.name, 'shop/default.frontend');
    assert.equal(doc.segflow.observed?.outcome, 'unreplied');
    assert.equal(doc.segflow.observed?.mismatch, false);
  });

  it('records an outside address → postgres as denied by the security tier, and flags an established deny as a mismatch', async () => {
    const { processor, store } = await setup();
    await processor.process([message({ records: [record({ src: '203.0.113.5', dst: '10.244.2.10', dport: 5432 })] }, 0)]);
    const doc = [...store.values()][0]!;
    assert.equal(doc.segflow.verdict, 'deny');
    assert.equal(doc.segflow.source.kind, 'public');
    assert.equal(doc.segflow.source.aggregated_name, 'pub');
    assert.deepEqual(doc.segflow.policy?.ingress?.enforced_str, ['0|security|gnp:security.data-access|deny|1']);
    assert.equal(doc.rule?.ruleset, 'security');
    assert.equal(doc.segflow.reporter, 'dst', 'only the destination is on this node');
    assert.equal(doc.segflow.observed?.mismatch, true, 'the conntrack record shows an established connection the policy denies');
  });

  it('aggregates records of one window into one document and counts a replayed batch once', async () => {
    const { processor, store, writes } = await setup();
    const first = message({ sequence: 1, records: [
      record({ src: '10.244.1.10', dst: '10.244.1.30', dport: 8080 }),
      record({ src: '10.244.1.10', dst: '10.244.1.30', dport: 8080, original: { srcIp: ipToBytes('10.244.1.10'), dstIp: ipToBytes('10.244.1.30'), srcPort: 40001, dstPort: 8080 }, reply: { srcIp: ipToBytes('10.244.1.30'), dstIp: ipToBytes('10.244.1.10'), srcPort: 8080, dstPort: 40001 } }),
    ] }, 0);
    const second = message({ sequence: 2, records: [record({ src: '10.244.1.10', dst: '10.244.1.30', dport: 8080, eventKind: 'update', endTimeUnixNano: ns(T0 + 9000) })] }, 1);
    await processor.process([first]);
    await processor.process([second]);
    assert.equal(store.size, 1, 'level 2: source ports and IPs aggregated away, one document per window');
    const doc = [...store.values()][0]!;
    assert.equal(doc.source?.bytes, 3000);
    assert.equal(doc.segflow.aggregation?.records, 3);
    assert.equal(doc.segflow.flows?.started, 2);
    assert.deepEqual(doc.segflow.aggregation?.batches, ['agent-1/boot-1/1', 'agent-1/boot-1/2']);

    const replay = await processor.process([first, second]);
    assert.equal(replay.documentsWritten, 0);
    assert.equal(replay.documentsSkipped, 1);
    assert.equal(replay.sequence.duplicate, 2);
    assert.equal([...store.values()][0]!.source?.bytes, 3000, 'nothing counted twice');
    assert.equal(writes.length, 2, 'the replay sent no bulk request');
  });

  it('takes only the new batches when a fetch mixes replayed and new ones, and counts a batch delivered twice in one fetch once', async () => {
    const { processor, store } = await setup();
    const r = (bytes: number) => record({ src: '10.244.1.10', dst: '10.244.1.30', dport: 8080, originalBytes: bytes, originalPackets: 1 });
    await processor.process([message({ sequence: 1, records: [r(100)] }, 0)]);
    // After a crash before the commit: batch 1 again, then batch 2 twice (a producer retry).
    const result = await processor.process([message({ sequence: 1, records: [r(100)] }, 0), message({ sequence: 2, records: [r(20)] }, 1), message({ sequence: 2, records: [r(20)] }, 2)]);
    assert.equal(result.documentsWritten, 1);
    const doc = [...store.values()][0]!;
    assert.equal(doc.source?.bytes, 120, 'batch 1 once, batch 2 once');
    assert.equal(doc.segflow.aggregation?.records, 2);
    assert.deepEqual(doc.segflow.aggregation?.batches, ['agent-1/boot-1/1', 'agent-1/boot-1/2']);
  });

  it('after a restart (nothing remembered) a replay is read back on conflict and nothing is counted twice', async () => {
    const { processor, storage, store } = await setup();
    const r = (bytes: number) => record({ src: '10.244.1.10', dst: '10.244.1.30', dport: 8080, originalBytes: bytes, originalPackets: 1 });
    await processor.process([message({ sequence: 1, records: [r(100)] }, 0)]);
    const restarted = new FlowBatchProcessor(
      { topic: 'flows.raw', indexPrefix: 'segflow-flows', aggregation: { windowMs: 15_000, allowedLevel: 2, deniedLevel: 1 }, maxMessageBytes: 1_000_000, now: () => T0 + 7000 },
      enrichmentInventoryOf(Inventory.fromResources((await loadResourcePaths(['examples/shop'])).resources)), new SequenceTracker(), storage,
    );
    const requestsBefore = storage.requests.length;
    const result = await restarted.process([message({ sequence: 1, records: [r(100)] }, 0), message({ sequence: 2, records: [r(20)] }, 1)]);
    assert.equal(result.documentsWritten, 1);
    assert.equal(storage.requests.length - requestsBefore, 2, 'a create that conflicts, then the merged write on condition of the version read');
    assert.deepEqual(storage.requests.at(-1)!.map((i) => i.condition), [{ ifSeqNo: 1, ifPrimaryTerm: 1 }]);
    assert.equal([...store.values()][0]!.source?.bytes, 120, 'batch 1 once, batch 2 once');
  });

  it('merges again when another writer changed a document it remembers (no lost update)', async () => {
    const { processor, storage, store } = await setup();
    const other = new FlowBatchProcessor(
      { topic: 'flows.raw', indexPrefix: 'segflow-flows', aggregation: { windowMs: 15_000, allowedLevel: 2, deniedLevel: 1 }, maxMessageBytes: 1_000_000, now: () => T0 + 7000 },
      enrichmentInventoryOf(Inventory.fromResources((await loadResourcePaths(['examples/shop'])).resources)), new SequenceTracker(), storage,
    );
    const r = (bytes: number) => record({ src: '10.244.1.10', dst: '10.244.1.30', dport: 8080, originalBytes: bytes, originalPackets: 1 });
    await processor.process([message({ sequence: 1, records: [r(100)] }, 0)]);
    // Another enricher adds a batch of another agent to the same document...
    await other.process([message({ agentId: 'agent-2', bootId: 'boot-9', sequence: 1, records: [r(70)] }, 0)]);
    // ...so this one's remembered version is stale: its conditional write conflicts and it merges again.
    const result = await processor.process([message({ sequence: 2, records: [r(20)] }, 1)]);
    assert.equal(result.documentsWritten, 1);
    const doc = [...store.values()][0]!;
    assert.equal(store.size, 1);
    assert.equal(doc.source?.bytes, 190, 'all three batches counted once each');
    assert.deepEqual(doc.segflow.aggregation?.batches, ['agent-1/boot-1/1', 'agent-1/boot-1/2', 'agent-2/boot-9/1']);
  });

  it('dead-letters a malformed message with the reason and goes on with the rest', async () => {
    const { processor, store } = await setup();
    const bad: RawMessage = { partition: 0, offset: '5', key: null, value: Buffer.from([0x0a, 0xff, 0xff, 0x01]) };
    const good = message({ records: [record({ src: '10.244.1.10', dst: '10.244.1.20', dport: 8080 })] }, 6);
    const result = await processor.process([bad, good]);
    assert.equal(result.deadLetters.length, 1);
    const headers = result.deadLetters[0]!.headers!;
    assert.equal(String(headers[DEAD_LETTER_HEADERS.stage]), 'decode');
    assert.match(String(headers[DEAD_LETTER_HEADERS.reason]), /./);
    assert.equal(String(headers[DEAD_LETTER_HEADERS.originOffset]), '5');
    assert.equal(store.size, 1, 'the good message after it was processed');
  });

  it('splits a fetched batch into several bulk requests when it holds more documents than one may carry', async () => {
    const { processor, store, writes } = await setup(1);
    const result = await processor.process([message({ records: [
      record({ src: '10.244.1.10', dst: '10.244.1.20', dport: 8080 }),
      record({ src: '10.244.1.10', dst: '10.244.1.30', dport: 8080 }),
      record({ src: '10.244.1.30', dst: '10.244.1.40', dport: 8443 }),
    ] }, 0)]);
    assert.equal(result.documentsWritten, 3);
    assert.equal(writes.length, 3, 'one request per document at maxBulkDocuments = 1');
    assert.equal(store.size, 3);
  });

  it('spreads a large fetch over concurrent bulk requests and settles them all before returning', async () => {
    for (const [bulkConcurrency, expected] of [[2, 2], [1, 1]] as const) {
      const loaded = await loadResourcePaths(['examples/shop']);
      let inFlight = 0;
      let maxInFlight = 0;
      const sizes: number[] = [];
      const processor = new FlowBatchProcessor(
        { topic: 'flows.raw', indexPrefix: 'segflow-flows', aggregation: { windowMs: 15_000, allowedLevel: 0, deniedLevel: 0 }, maxMessageBytes: 4_000_000, bulkConcurrency, now: () => T0 + 7000 },
        enrichmentInventoryOf(Inventory.fromResources(loaded.resources)),
        new SequenceTracker(),
        {
          fetchStored: async () => new Map(),
          write: async (items) => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await new Promise((r) => setTimeout(r, 5));
            inFlight--;
            sizes.push(items.length);
            return { indexed: items.length, rejected: [], conflicts: [], versions: new Map(items.map((i) => [i.id, { seqNo: 1, primaryTerm: 1 }])), requests: 1, retries: 0 };
          },
        },
      );
      // 2,400 connections with distinct source ports: 2,400 documents at level 0.
      const records = Array.from({ length: 2400 }, (_, i) => record({ src: '10.244.1.10', dst: '10.244.1.20', dport: 8080, original: { srcIp: ipToBytes('10.244.1.10'), dstIp: ipToBytes('10.244.1.20'), srcPort: 20_000 + i, dstPort: 8080 }, reply: { srcIp: ipToBytes('10.244.1.20'), dstIp: ipToBytes('10.244.1.10'), srcPort: 8080, dstPort: 20_000 + i } }));
      const result = await processor.process([message({ records }, 0)]);
      assert.equal(result.documentsWritten, 2400, `bulkConcurrency ${bulkConcurrency}: every document settled`);
      assert.equal(sizes.length, expected);
      assert.equal(maxInFlight, expected);
      assert.equal(sizes.reduce((a, b) => a + b, 0), 2400);
    }
  });

  it('counts sequence gaps', async () => {
    const { processor } = await setup();
    const r = record({ src: '10.244.1.10', dst: '10.244.1.20', dport: 8080 });
    const result = await processor.process([message({ sequence: 1, records: [r] }, 0), message({ sequence: 4, records: [r] }, 1)]);
    assert.equal(result.sequence.gap, 1);
    assert.equal(result.sequence.missingBatches, 2);
  });

  describe('ingest bounds and dead letters', () => {
    // Bytes as a producer that skips the codec's checks (protoc, another language) would send them.
    const wire = (batch: Partial<FlowBatchData> & { records: FlowRecordData[] }): Buffer => {
      const valid = record({ src: '10.244.1.10', dst: '10.244.1.20', dport: 8080 });
      const placeholders = batch.records.map(() => valid);
      const decoded = segflow.v1.FlowBatch.decode(encodeFlowBatch({ agentId: 'agent-1', bootId: 'boot-1', sequence: 1, sentTimeUnixNano: ns(T0 + 6000), nodeName: 'node-1', ...batch, records: placeholders }));
      // Overwrite the placeholders' times and counters with the test's (unchecked) values.
      batch.records.forEach((r, i) => {
        const w = decoded.records[i]!;
        Object.assign(w, {
          startTimeUnixNano: r.startTimeUnixNano.toString(), endTimeUnixNano: r.endTimeUnixNano.toString(),
          originalBytes: r.originalBytes, originalPackets: r.originalPackets, replyBytes: r.replyBytes, replyPackets: r.replyPackets,
          original: r.original, reply: r.reply,
        });
      });
      return Buffer.from(segflow.v1.FlowBatch.encode(decoded).finish());
    };
    const good = (sport: number) => record({ src: '10.244.1.10', dst: '10.244.1.20', dport: 8080, original: { srcIp: ipToBytes('10.244.1.10'), dstIp: ipToBytes('10.244.1.20'), srcPort: sport, dstPort: 8080 }, reply: { srcIp: ipToBytes('10.244.1.20'), dstIp: ipToBytes('10.244.1.10'), srcPort: 8080, dstPort: sport } });

    it('indexes the good records of a message and dead-letters each bad one on its own, with every reason and its field', async () => {
      const { processor, store } = await setup();
      const in1970 = { ...good(40001), startTimeUnixNano: 0n, endTimeUnixNano: ns(1000) };
      const huge = { ...good(40002), originalBytes: Number.MAX_SAFE_INTEGER, originalPackets: Number.MAX_SAFE_INTEGER, endTimeUnixNano: ns(Date.parse('2200-01-01T00:00:00Z')) };
      const result = await processor.process([{ partition: 3, offset: '17', key: Buffer.from('node-1'), value: wire({ records: [good(40000), in1970, huge] }), headers: { 'segflow-schema': Buffer.from('segflow.v1.FlowBatch') } }]);
      assert.equal(result.records, 1);
      assert.equal(store.size, 1);
      assert.equal([...store.values()][0]!.segflow.aggregation?.records, 1);
      assert.equal(result.deadLetters.length, 2, 'one dead letter per rejected record');
      const [first, second] = result.deadLetters.map((d) => ({ info: parseDeadLetterHeaders(d.headers), value: d.value as Buffer }));
      assert.deepEqual([first!.info.stage, first!.info.topic, first!.info.partition, first!.info.offset, first!.info.record], ['validate', 'flows.raw', 3, '17', 1]);
      assert.equal(first!.info.reason, 'time_too_old');
      assert.deepEqual(first!.info.problems.map((p) => p.field), ['records[1].end_time_unix_nano']);
      assert.equal(second!.info.record, 2);
      assert.equal(second!.info.reason, 'time_in_future,counter_too_large,packets_exceed_bytes');
      assert.deepEqual(second!.info.problems.map((p) => `${p.code} ${p.field}`), [
        'time_in_future records[2].end_time_unix_nano', 'counter_too_large records[2].original_bytes', 'packets_exceed_bytes records[2].original_packets',
      ]);
      assert.equal(second!.info.problemsTotal, 3);
      assert.match(second!.info.error ?? '', /records\[2\]\.end_time_unix_nano: 2200-01-01T00:00:00\.000Z is after now/);
      const alone = decodeFlowBatch(second!.value, { maxBytes: 1_000_000 });
      assert.equal(alone.records.length, 1, 'the payload is a FlowBatch of the rejected record alone');
      assert.equal(alone.records[0]!.originalBytes, Number.MAX_SAFE_INTEGER);
      assert.deepEqual(result.rejected.records, { time_too_old: 1, time_in_future: 1, counter_too_large: 1, packets_exceed_bytes: 1 });
      assert.equal(result.rejected.messagesRejected, 0);
    });

    it('rejects a message naming a schema it does not know, without decoding it, and names the missing key too', async () => {
      const { processor, store } = await setup();
      const result = await processor.process([{ partition: 0, offset: '5', key: null, value: wire({ records: [good(40000)] }), headers: { 'segflow-schema': Buffer.from('segflow.v2.FlowBatch') } }]);
      assert.equal(store.size, 0, 'nothing indexed as v1');
      assert.equal(result.records, 0);
      assert.equal(result.sequence.first, 0, 'not even its sequence was read');
      assert.equal(result.deadLetters.length, 1);
      const info = parseDeadLetterHeaders(result.deadLetters[0]!.headers);
      assert.equal(info.stage, 'validate');
      assert.equal(info.reason, 'missing_key,unknown_schema');
      assert.deepEqual(info.problems.map((p) => p.field), ['(key)', '(header) segflow-schema']);
      assert.equal(info.originalHeaders['segflow-schema'], 'segflow.v2.FlowBatch', 'the original headers are kept');
      assert.deepEqual(result.rejected, { messagesRejected: 1, messages: { missing_key: 1, unknown_schema: 1 }, records: {} });
    });

    it('rejects a message without a key whole, listing its records\' problems as well', async () => {
      const { processor, store } = await setup();
      const in1970 = { ...good(40001), startTimeUnixNano: 0n, endTimeUnixNano: ns(1000) };
      const result = await processor.process([{ partition: 0, offset: '8', key: Buffer.alloc(0), value: wire({ records: [good(40000), in1970] }) }]);
      assert.equal(store.size, 0);
      const info = parseDeadLetterHeaders(result.deadLetters[0]!.headers);
      assert.equal(info.reason, 'missing_key,time_too_old');
      assert.deepEqual(info.problems.map((p) => p.field), ['(key)', 'records[1].end_time_unix_nano']);
      assert.equal(info.record, undefined, 'a message-level dead letter');
    });

    it('decodes a message without the schema header as v1, and dead-letters tombstones and batches with bad batch fields', async () => {
      const { processor, store } = await setup();
      const result = await processor.process([
        { partition: 0, offset: '1', key: Buffer.from('node-1'), value: wire({ records: [good(40000)] }) },
        { partition: 0, offset: '2', key: Buffer.from('node-1'), value: null },
        { partition: 0, offset: '3', key: Buffer.from('node-1'), value: Buffer.from(segflow.v1.FlowBatch.encode({ agentId: '', bootId: 'b', sequence: 0, records: [] }).finish()) },
      ]);
      assert.equal(store.size, 1);
      assert.deepEqual(result.deadLetters.map((d) => parseDeadLetterHeaders(d.headers)).map((i) => [i.offset, i.stage, i.reason]), [
        ['2', 'validate', 'tombstone'], ['3', 'validate', 'invalid_batch'],
      ]);
      assert.deepEqual(parseDeadLetterHeaders(result.deadLetters[1]!.headers).problems.map((p) => p.field), ['agent_id', 'sequence']);
      assert.equal(String(result.deadLetters[0]!.headers![DEAD_LETTER_HEADERS.problemsTotal]), '1');
    });

    it('dead-letters a record the engine refuses (stage enrich) on its own, and uses the rest of its message', async () => {
      // No validated record reaches this path with the real engine; a refusing engine stands in (pure logic).
      const loaded = await loadResourcePaths(['examples/shop']);
      const real = enrichmentInventoryOf(Inventory.fromResources(loaded.resources));
      const refusing = { ...real, explain: (flow: Parameters<typeof real.explain>[0]) => {
        if (flow.srcIp === '10.244.1.11') throw new Error('invalid source IP "10.244.1.11"');
        return real.explain(flow);
      } };
      const storage = new MemoryFlowStorage();
      const processor = new FlowBatchProcessor({ topic: 'flows.raw', indexPrefix: 'segflow-flows', aggregation: { windowMs: 15_000, allowedLevel: 2, deniedLevel: 1 }, maxMessageBytes: 1_000_000, now: () => T0 + 7000 }, refusing, new SequenceTracker(), storage);
      const refused = record({ src: '10.244.1.11', dst: '10.244.1.20', dport: 8080 });
      const result = await processor.process([{ ...message({ records: [good(40000), refused] }, 4), partition: 2 }]);
      assert.equal(result.records, 1);
      assert.equal(storage.documents.size, 1);
      assert.equal(result.deadLetters.length, 1);
      const info = parseDeadLetterHeaders(result.deadLetters[0]!.headers);
      assert.deepEqual([info.stage, info.reason, info.partition, info.offset, info.record], ['enrich', 'enrich_failed', 2, '4', 1]);
      assert.deepEqual(info.problems, [{ code: 'enrich_failed', field: 'records[1]', message: 'invalid source IP "10.244.1.11"' }]);
      assert.equal(info.error, 'Error: invalid source IP "10.244.1.11"');
      assert.deepEqual(result.rejected.records, { enrich_failed: 1 });
    });
  });
});
