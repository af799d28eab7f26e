/**
 * A fetched batch whose bulk request Elasticsearch refuses is not committed and is consumed
 * again (the enricher seeks the partition back to it), while batches are pipelined: nothing is
 * lost and nothing counted twice. Elasticsearch is real; an HTTP proxy in front of it refuses
 * the first bulk request with 403, which the bulk writer does not retry (a configuration error
 * is not about any one document), so the batch fails as a whole.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { Enricher } from '../../src/enricher/enricher.ts';
import { encodeFlowBatch } from '../../src/contract/wire/flow-batch-codec.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';

const brokers = requireKafkaBrokers();
const esUrl = new URL(requireElasticsearchUrl());
const run = uniqueName('enrfail');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const now = Date.now();
const BATCHES = 6;

/** Forwards to Elasticsearch, refusing the first `refuse` bulk requests with 403. */
function startProxy(refuse: number): Promise<{ url: string; refused: () => number; bulks: () => number; close: () => Promise<void> }> {
  let refused = 0;
  let bulks = 0;
  const server = http.createServer((req, res) => {
    if (req.url?.includes('_bulk')) {
      bulks++;
      if (refused < refuse) {
        refused++;
        req.resume();
        res.writeHead(403, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        res.end(JSON.stringify({ error: { type: 'security_exception', reason: 'refused by the test proxy' }, status: 403 }));
        return;
      }
    }
    const upstream = http.request({ host: esUrl.hostname, port: esUrl.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => res.destroy(err));
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused: () => refused,
    bulks: () => bulks,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  })));
}

describe('enricher: a batch Elasticsearch refuses is consumed again (real Kafka + Elasticsearch)', () => {
  const kafka: Kafka = createKafka(brokers, 'enricher-bulk-failure-test');
  const es = createElasticsearchClient(esUrl.toString());
  let enricher: Enricher | undefined;
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;

  before(async () => {
    await createPipelineTopics(kafka, topics);
    // Several batches, each adding to the same flow document (checkout → payments) and one of its own.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let sequence = 1; sequence <= BATCHES; sequence++) {
      const records = [tcpRecord('10.244.1.30', '10.244.1.40', 8443, { bytes: 100 * sequence, sport: 45_000, endMs: now }), tcpRecord('10.244.1.10', '10.244.1.20', 8080, { bytes: 100, sport: 30_000 + sequence, endMs: now })];
      await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'agent-node-1', bootId: 'boot-f', sequence, records, sentTimeUnixNano: msToNanos(now), nodeName: 'node-1' })) }] });
    }
    await producer.disconnect();
    proxy = await startProxy(1);
    enricher = new Enricher({
      brokers, elasticsearchUrl: proxy.url, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-group`,
      indexPrefix: prefix, retentionDays: 0, metricsPort: 0, aggregation: { windowMs: 15_000, allowedLevel: 0, deniedLevel: 0 },
    });
    await enricher.start();
  });

  after(async () => {
    await enricher?.stop();
    await proxy?.close();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  it('commits nothing of the refused batch, consumes it again, and counts every record once', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor('every batch committed', async () => {
        const [committed] = await admin.fetchOffsets({ groupId: `${run}-group`, topics: [topics.raw] });
        const offset = Number(committed?.partitions[0]?.offset ?? -1);
        return offset === BATCHES ? offset : undefined;
      });
    } finally {
      await admin.disconnect();
    }
    assert.equal(proxy!.refused(), 1, 'the first bulk request was refused');
    assert.ok(proxy!.bulks() >= 2, 'the refused batch was written again');
    await es.indices.refresh({ index: `${prefix}-*` });
    const hits = (await es.search<{ segflow: { aggregation?: { records?: number; batches?: string[] } }; source?: { bytes?: number } }>({ index: `${prefix}-*`, size: 100 })).hits.hits.map((h) => h._source!);
    const records = hits.reduce((n, d) => n + (d.segflow.aggregation?.records ?? 0), 0);
    assert.equal(records, 2 * BATCHES, 'every record counted once');
    const shared = hits.filter((d) => (d.segflow.aggregation?.batches?.length ?? 0) > 1);
    assert.equal(shared.length, 1, 'the checkout → payments document took every batch');
    assert.equal(shared[0]!.source?.bytes, Array.from({ length: BATCHES }, (_, i) => 100 * (i + 1)).reduce((a, b) => a + b), 'its bytes are the sum over the batches, none twice');
  });
});
