/**
 * Issue 16's reports, end to end on the real enricher, Kafka and Elasticsearch: records ending in
 * 1970 or 2200 create no daily index; a record of 2^53-1 bytes leaves the stored totals exact;
 * and a document merged across enricher restarts (read back from Elasticsearch, tuple set and
 * all) counts its distinct 5-tuples exactly — count 2 for two tuples, started/completed never
 * above count, assured winning over unreplied — and a replay of the whole topic changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import Long from 'long';
import { Enricher } from '../../src/enricher/enricher.ts';
import type { FlowDocument } from '../../src/contract/flow-fields.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { segflow } from '../../src/contract/wire/generated/flow.js';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitForGroupAtTopicEnd } from '../harness/consumer-group-offsets.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('enrbounds');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
// One 15 s window, well inside it, so both batches land in the same documents.
const windowStart = Math.floor((Date.now() - 60_000) / 15_000) * 15_000;
const at = (ms: number) => windowStart + ms;

describe('enricher bounds and exact aggregates (real Kafka + Elasticsearch)', () => {
  const kafka: Kafka = createKafka(brokers, 'enricher-bounds-test');
  const es = createElasticsearchClient(esUrl);
  let enricher: Enricher | undefined;
  let sequence = 0;
  let readBack = 0;
  const documentsMetric = async (result: string): Promise<number> =>
    (await enricher!.registry.getSingleMetric('segflow_enricher_documents_total')?.get())?.values.find((v) => v.labels.result === result)?.value ?? 0;

  const start = async (group: string): Promise<void> => {
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: group, indexPrefix: prefix, retentionDays: 0, metricsPort: 0 });
    await enricher.start();
  };
  const send = async (records: FlowRecordData[], overwrite: Record<number, Partial<segflow.v1.FlowRecord.$Properties>> = {}): Promise<void> => {
    const wire = segflow.v1.FlowBatch.decode(encodeFlowBatch({ agentId: 'agent-node-1', bootId: 'boot-bounds', sequence: ++sequence, records, sentTimeUnixNano: msToNanos(at(0)), nodeName: 'node-1' }));
    for (const [i, fields] of Object.entries(overwrite)) Object.assign(wire.records[Number(i)]!, fields);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(segflow.v1.FlowBatch.encode(wire).finish()), headers: { 'segflow-schema': 'segflow.v1.FlowBatch' } }] });
    await producer.disconnect();
  };
  const documents = async (): Promise<FlowDocument[]> => {
    await es.indices.refresh({ index: `${prefix}-*` });
    return (await es.search<FlowDocument>({ index: `${prefix}-*`, size: 100 })).hits.hits.map((h) => h._source!);
  };
  const checkout = (sport: number, over: Partial<FlowRecordData>) => ({ ...tcpRecord('10.244.1.30', '10.244.1.40', 8443, { sport, endMs: at(1000) }), ...over });

  before(async () => {
    await createPipelineTopics(kafka, topics, 1);
    await start(`${run}-group`);
    // Batch 1: tuple A opens (unreplied so far), plus records from 1970, 2200 and of 2^53-1 bytes.
    await send([
      checkout(42000, { eventKind: 'new', tcpState: 'SYN_SENT', assured: false, unreplied: true, originalPackets: 1, originalBytes: 60, replyPackets: 0, replyBytes: 0, endTimeUnixNano: msToNanos(at(1000)) }),
      checkout(42001, {}), checkout(42002, {}), checkout(42003, {}),
    ], {
      1: { startTimeUnixNano: 0, endTimeUnixNano: 1_000_000_000 },
      2: { startTimeUnixNano: Long.fromString(String(msToNanos(Date.parse('2199-12-31T23:59:59Z'))), true), endTimeUnixNano: Long.fromString(String(msToNanos(Date.parse('2200-01-01T00:00:00Z'))), true) },
      3: { originalBytes: Number.MAX_SAFE_INTEGER, originalPackets: Number.MAX_SAFE_INTEGER, replyBytes: Number.MAX_SAFE_INTEGER, replyPackets: 1 },
    });
    await waitForGroupAtTopicEnd(kafka, `${run}-group`, topics.raw);
    // A restart: the next merge reads the document back from Elasticsearch (create → 409 → mget).
    await enricher!.stop();
    await start(`${run}-group`);
    // Batch 2: tuple B opens and ends. Batch 3, in a fetch of its own: tuple A becomes assured
    // and ends. (Merging counts with max, as before, said 1 here.)
    await send([
      checkout(42010, { eventKind: 'new', endTimeUnixNano: msToNanos(at(2000)) }),
      checkout(42010, { eventKind: 'destroy', endTimeUnixNano: msToNanos(at(4000)) }),
    ]);
    await waitForGroupAtTopicEnd(kafka, `${run}-group`, topics.raw);
    readBack = await documentsMetric('read_back');
    await send([checkout(42000, { eventKind: 'destroy', tcpState: 'TIME_WAIT', assured: true, unreplied: false, endTimeUnixNano: msToNanos(at(3000)) })]);
    await waitForGroupAtTopicEnd(kafka, `${run}-group`, topics.raw);
  });

  after(async () => {
    await enricher?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  it('creates no daily index for records ending in 1970 or 2200', async () => {
    const indices = Object.keys(await es.indices.get({ index: `${prefix}-*` })).sort();
    const day = new Date(windowStart).toISOString().slice(0, 10).replaceAll('-', '.');
    assert.deepEqual(indices, [`${prefix}-${day}`]);
  });

  it('counts the distinct 5-tuples of a document merged across a restart exactly, with started and completed within the count', async () => {
    const docs = await documents();
    assert.equal(docs.length, 1, 'one allowed level-2 document for checkout → payments in the window');
    const doc = docs[0]!;
    assert.equal(readBack, 1, 'after the restart, the document was read back from Elasticsearch and merged');
    assert.deepEqual(doc.segflow.aggregation?.batches, ['agent-node-1/boot-bounds/1', 'agent-node-1/boot-bounds/2', 'agent-node-1/boot-bounds/3']);
    assert.equal(doc.segflow.aggregation?.records, 4, 'A twice, B twice; the three rejected records nowhere');
    assert.deepEqual(doc.segflow.flows && { count: doc.segflow.flows.count, started: doc.segflow.flows.started, completed: doc.segflow.flows.completed, exact: doc.segflow.flows.exact }, { count: 2, started: 2, completed: 2, exact: true });
    assert.deepEqual(doc.segflow.ct?.flags, ['assured'], 'assured wins over unreplied');
    assert.equal(doc.segflow.ct?.state, 'TIME_WAIT', 'the state of the latest record');
    assert.deepEqual(doc.event.type, ['connection', 'allowed', 'start', 'end']);
  });

  it('keeps byte totals exact: the 2^53-1 record never reached a document', async () => {
    const sums = await es.search({ index: `${prefix}-*`, size: 0, aggs: { out: { sum: { field: 'source.bytes' } }, back: { sum: { field: 'destination.bytes' } } } });
    const aggs = sums.aggregations as Record<string, { value: number }>;
    assert.equal(aggs.out!.value, 60 + 500 + 500 + 500, 'A (60 + 500) and B (500 + 500)');
    assert.equal(aggs.back!.value, 0 + 2000 + 2000 + 2000);
  });

  it('changes nothing when the whole topic is consumed again by another group (a replay)', async () => {
    const before = await documents();
    await enricher!.stop();
    await start(`${run}-replay`);
    await waitForGroupAtTopicEnd(kafka, `${run}-replay`, topics.raw);
    const afterReplay = await documents();
    const strip = (docs: FlowDocument[]) => docs.map((d) => ({ ...d, event: { ...d.event, ingested: '' } }));
    assert.deepEqual(strip(afterReplay), strip(before));
  });
});
