/**
 * The enricher against real Kafka and real Elasticsearch: inventory from the inventory topic,
 * FlowBatch messages on a raw topic, enriched documents in daily indices; a malformed message
 * lands in the dead-letter topic with its reason while the stream goes on; re-consuming the
 * whole topic (a replay, as after a crash before the commit) changes no document.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { Enricher } from '../../src/enricher/enricher.ts';
import { DEAD_LETTER_HEADERS } from '../../src/enricher/dead-letter.ts';
import type { FlowDocument } from '../../src/contract/flow-fields.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('enr');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const now = Date.now();

describe('enricher pipeline (real Kafka + Elasticsearch)', () => {
  const kafka: Kafka = createKafka(brokers, 'enricher-pipeline-test');
  const es = createElasticsearchClient(esUrl);
  let enricher: Enricher | undefined;

  async function searchAll(): Promise<FlowDocument[]> {
    await es.indices.refresh({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
    const res = await es.search<FlowDocument>({ index: `${prefix}-*`, size: 1000, ignore_unavailable: true, allow_no_indices: true });
    return res.hits.hits.map((h) => h._source!);
  }

  before(async () => {
    await createPipelineTopics(kafka, topics, 2);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const batch = (sequence: number, records: FlowRecordData[]) => Buffer.from(encodeFlowBatch({ agentId: 'agent-node-1', bootId: 'boot-a', sequence, records, sentTimeUnixNano: msToNanos(now), nodeName: 'node-1' }));
    await producer.send({ topic: topics.raw, acks: -1, messages: [
      { key: 'node-1', value: batch(1, [
        tcpRecord('10.244.1.10', '10.96.0.20', 80, { replySrc: '10.244.1.20', replySport: 8080 }), // frontend → catalog Service → catalog pod
        tcpRecord('10.244.1.30', '10.244.1.40', 8443, { bytes: 1234 }), // checkout → payments
      ]) },
      { key: 'node-1', value: Buffer.from('this is not a protobuf FlowBatch') },
      { key: 'node-1', value: batch(2, [tcpRecord('10.244.1.20', '10.244.1.40', 8443, { denied: true })]) }, // catalog → payments: denied
    ] });
    await producer.disconnect();
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-group`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0 });
    await enricher.start();
  });

  after(async () => {
    await enricher?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  it('indexes enriched documents with workloads, the Service, verdicts and the deciding policy', async () => {
    const docs = await waitFor('three flow documents', async () => {
      const all = await searchAll();
      return all.length >= 3 ? all : undefined;
    });
    assert.equal(docs.length, 3);
    const viaService = docs.find((d) => d.segflow.destination.service?.name === 'catalog');
    assert.ok(viaService, 'the DNATed flow names the Service');
    assert.equal(viaService.segflow.destination.aggregated_name, 'catalog-5f8b7c-*');
    assert.equal(viaService.segflow.source.aggregated_name, 'frontend-7d9c5b-*');
    assert.equal(viaService.segflow.verdict, 'allow');
    assert.equal(viaService.segflow.inventory?.revision, String(enricher!.inventory.revision));

    const payments = docs.find((d) => d.segflow.destination.aggregated_name === 'payments-84b6f7-*' && d.segflow.verdict === 'allow');
    assert.equal(payments?.source?.bytes, 1234);
    assert.deepEqual(payments?.segflow.policy?.ingress?.enforced_str, ['0|default|np:shop/default.payments|allow|0']);

    const denied = docs.find((d) => d.segflow.verdict === 'deny');
    assert.ok(denied);
    assert.equal(denied.segflow.source.name, 'catalog-5f8b7c-q8r2m', 'denied flows keep pod names (level 1)');
    assert.deepEqual(denied.segflow.policy?.ingress?.enforced_str, ['0|default|np:shop/default.payments|deny|-1']);
    assert.equal(denied.segflow.observed?.outcome, 'unreplied');
  });

  it('sends the malformed message to the dead-letter topic with the reason and its origin', async () => {
    const consumer = kafka.consumer({ groupId: `${run}-dlq-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.dlq, fromBeginning: true });
    const dead = await new Promise<{ value: string; headers: Record<string, string> }>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        resolve({ value: message.value?.toString() ?? '', headers });
      } });
    });
    await consumer.disconnect();
    assert.equal(dead.value, 'this is not a protobuf FlowBatch', 'the original bytes are kept');
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.stage], 'decode');
    assert.equal(dead.headers[DEAD_LETTER_HEADERS.originTopic], topics.raw);
    assert.ok((dead.headers[DEAD_LETTER_HEADERS.reason] ?? '').length > 10, 'a reason is given');
  });

  it('changes nothing when the whole raw topic is consumed again (replay)', async () => {
    const before = (await searchAll()).map((d) => [d.event.id, d.source?.bytes, d.segflow.aggregation?.records] as const).sort();
    await enricher!.stop();
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-replay-group`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0 });
    await enricher.start();
    await waitFor('the replay to be consumed', async () => {
      const metric = await enricher!.registry.getSingleMetric('segflow_enricher_documents_total')?.get();
      const skipped = metric?.values.find((v) => v.labels.result === 'already_stored')?.value ?? 0;
      return skipped >= 3 ? skipped : undefined;
    });
    const afterReplay = (await searchAll()).map((d) => [d.event.id, d.source?.bytes, d.segflow.aggregation?.records] as const).sort();
    assert.deepEqual(afterReplay, before);
  });
});
