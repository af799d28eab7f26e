/**
 * The enricher keeps the stats summaries itself (real Kafka, real Elasticsearch, the real
 * enricher): flow batches whose records ended in a block that has already closed get that block
 * summarised shortly after they settle, with the fingerprint of the documents written; a late
 * batch into the same block gets it summarised again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kafka, Producer } from 'kafkajs';
import { Enricher } from '../../src/enricher/enricher.ts';
import { blockStartOf, dailySummaryIndexName, summaryDocumentId, SUMMARY_BLOCK_MS, type FlowSummaryDocument } from '../../src/contract/flow-summary.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('sumpipe');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
// Records that ended in a block closed well over the grace ago.
const block = blockStartOf(Date.now()) - 3 * SUMMARY_BLOCK_MS;
const endMs = block + 100_000;

describe('enricher writes stats summaries (real Kafka + Elasticsearch)', () => {
  const kafka: Kafka = createKafka(brokers, 'stats-summaries-pipeline-test');
  const es = createElasticsearchClient(esUrl);
  let enricher: Enricher | undefined;
  let producer: Producer;
  const batch = (sequence: number, records: FlowRecordData[]) => Buffer.from(encodeFlowBatch({ agentId: 'agent-node-1', bootId: 'boot-a', sequence, records, sentTimeUnixNano: msToNanos(Date.now()), nodeName: 'node-1' }));

  async function summary(): Promise<FlowSummaryDocument | undefined> {
    const r = await es.get<FlowSummaryDocument>({ index: dailySummaryIndexName(block, prefix), id: summaryDocumentId(block) }, { ignore: [404] });
    return r.found ? r._source : undefined;
  }
  async function countedFlows(): Promise<{ flows: number; records: number }> {
    await es.indices.refresh({ index: `${prefix}-*` });
    const r = await es.search({
      index: `${prefix}-*`, size: 0, track_total_hits: true,
      query: { bool: { filter: [{ term: { 'segflow.primary_report': true } }, { range: { '@timestamp': { gte: block, lt: block + SUMMARY_BLOCK_MS, format: 'epoch_millis' } } }] } },
      aggs: { records: { sum: { field: 'segflow.aggregation.records' } } },
    });
    return { flows: (r.hits.total as { value: number }).value, records: (r.aggregations?.records as { value: number }).value };
  }

  before(async () => {
    await createPipelineTopics(kafka, topics, 1);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: batch(1, [
      tcpRecord('10.244.1.10', '10.96.0.20', 80, { replySrc: '10.244.1.20', replySport: 8080, endMs }),
      tcpRecord('10.244.1.30', '10.244.1.40', 8443, { bytes: 1234, endMs }),
      tcpRecord('10.244.1.20', '10.244.1.40', 8443, { denied: true, endMs }),
    ]) }] });
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-group`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0 });
    await enricher.start();
  });

  after(async () => {
    await producer?.disconnect();
    await enricher?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  it('summarises a closed block the enricher wrote into, with the fingerprint of its flows', async () => {
    const doc = await waitFor('the block summary', summary, 90_000, 1_000);
    const counted = await countedFlows();
    assert.ok(counted.flows > 0, 'the block has counted flows');
    assert.equal(doc.fingerprint.flows, counted.flows);
    assert.equal(doc.fingerprint.records, counted.records);
    assert.equal(doc.timeline.reduce((n, t) => n + t.flows, 0), counted.flows, 'the timeline holds every counted flow');
    assert.ok(doc.pairs.length > 0, 'the denied pair is kept');
    assert.ok(doc.hits.length > 0, 'the policy rule hits are kept');
  });

  it('summarises the block again after a late batch into it', async () => {
    const first = (await summary())!;
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: batch(2, [tcpRecord('10.244.1.30', '10.244.1.40', 8443, { bytes: 999, endMs: endMs + 5_000 })]) }] });
    const again = await waitFor('the block summarised again', async () => {
      const doc = await summary();
      return doc && doc.rolled_up_at > first.rolled_up_at ? doc : undefined;
    }, 90_000, 1_000);
    const counted = await countedFlows();
    assert.deepEqual([again.fingerprint.flows, again.fingerprint.records], [counted.flows, counted.records]);
    // The late record went into a document of the block (counted once or not, by its reporter).
    await es.indices.refresh({ index: `${prefix}-*` });
    const all = await es.search({ index: `${prefix}-*`, size: 0, query: { range: { '@timestamp': { gte: block, lt: block + SUMMARY_BLOCK_MS, format: 'epoch_millis' } } }, aggs: { records: { sum: { field: 'segflow.aggregation.records' } } } });
    assert.equal((all.aggregations?.records as { value: number }).value, 4, 'three records, then the late one');
  });
});
