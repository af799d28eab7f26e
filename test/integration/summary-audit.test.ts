/**
 * The enricher's summary audit (real Kafka, real Elasticsearch, real enrichers): a block whose
 * writer stopped before rolling it up gets its summary from another member of the group, and a
 * summary that no longer matches its flows is rolled up again — without anyone writing into
 * the block again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kafka, Producer } from 'kafkajs';
import { Enricher } from '../../src/enricher/enricher.ts';
import { blockStartOf, dailySummaryIndexName, summaryDocumentId, SUMMARY_BLOCK_MS, type FlowSummaryDocument } from '../../src/contract/flow-summary.ts';
import { encodeFlowBatch } from '../../src/contract/wire/flow-batch-codec.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('sumaudit');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const block = blockStartOf(Date.now()) - 3 * SUMMARY_BLOCK_MS;
const endMs = block + 100_000;

describe('summary audit (real Kafka + Elasticsearch + enrichers)', { timeout: 300_000 }, () => {
  const kafka: Kafka = createKafka(brokers, 'summary-audit-test');
  const es = createElasticsearchClient(esUrl);
  const enrichers: Enricher[] = [];
  let producer: Producer;
  const summaryId = { index: dailySummaryIndexName(block, prefix), id: summaryDocumentId(block) };
  const enricher = (summaryAuditIntervalMs: number): Enricher => {
    const e = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-group`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0, summaryAuditIntervalMs });
    enrichers.push(e);
    return e;
  };
  async function summary(): Promise<FlowSummaryDocument | undefined> {
    const r = await es.get<FlowSummaryDocument>(summaryId, { ignore: [404] });
    return r.found ? r._source : undefined;
  }
  async function liveFingerprint(): Promise<[number, number]> {
    await es.indices.refresh({ index: `${prefix}-*` });
    const r = await es.search({
      index: `${prefix}-*`, size: 0, track_total_hits: true,
      query: { bool: { filter: [{ term: { 'segflow.primary_report': true } }, { range: { '@timestamp': { gte: block, lt: block + SUMMARY_BLOCK_MS, format: 'epoch_millis' } } }] } },
      aggs: { records: { sum: { field: 'segflow.aggregation.records' } } },
    });
    return [(r.hits.total as { value: number }).value, (r.aggregations?.records as { value: number }).value];
  }

  before(async () => {
    await createPipelineTopics(kafka, topics, 1);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  after(async () => {
    await producer?.disconnect();
    for (const e of enrichers) await e.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.indices.delete({ index: `${prefix}.summaries-*`, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
    await es.close();
  });

  it('summarises a block its writer left without a summary, from another member', async () => {
    // The writer, without audits, is stopped as soon as its flows are stored; whatever rollup it
    // may have managed is removed, which is the state a writer killed before its rollup leaves.
    const writer = enricher(0);
    await writer.start();
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'agent-node-1', bootId: 'boot-a', sequence: 1, sentTimeUnixNano: msToNanos(Date.now()), nodeName: 'node-1', records: [
      tcpRecord('10.244.1.30', '10.244.1.40', 8443, { bytes: 1234, endMs }),
      tcpRecord('10.244.1.20', '10.244.1.40', 8443, { denied: true, endMs }),
    ] })) }] });
    const live = await waitFor('the flows stored', async () => {
      const fp = await liveFingerprint();
      return fp[0] > 0 ? fp : undefined;
    }, 60_000, 500);
    await writer.stop();
    await es.delete({ ...summaryId, refresh: true }, { ignore: [404] });
    assert.equal(await summary(), undefined);

    await enricher(2_000).start();
    const doc = await waitFor('the audited block summarised', summary, 60_000, 500);
    assert.deepEqual([doc.fingerprint.flows, doc.fingerprint.records], live);
    assert.equal(doc.timeline.reduce((n, t) => n + t.flows, 0), live[0], 'the timeline holds every counted flow');
  });

  it('rolls up again a summary that no longer matches its flows', async () => {
    const before = (await summary())!;
    // As if flows had changed after the rollup and their writer had stopped before the next one.
    await es.update({ ...summaryId, doc: { fingerprint: { ...before.fingerprint, records: before.fingerprint.records + 1 } }, refresh: true });
    const again = await waitFor('the stale summary rolled up again', async () => {
      const doc = await summary();
      return doc && doc.rolled_up_at > before.rolled_up_at ? doc : undefined;
    }, 60_000, 500);
    assert.deepEqual([again.fingerprint.flows, again.fingerprint.records], await liveFingerprint());
  });
});
