/**
 * The completeness figure through the real pipeline: a real collector (its Kafka connections
 * through a proxy the test cuts) whose small disk spool overflows while Kafka is unreachable,
 * real Kafka, the real enricher writing agent reports into Elasticsearch, and the API's
 * `/flows`, `/flows/stats` and `/denied` answers. The figure must say exactly what the collector
 * counted: the records its spool dropped (by cause) and the batches that never arrived
 * (sequence gaps) — and name a node that fell silent.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { TopicInventorySource } from '../../src/api/inventory/topic-inventory-source.ts';
import { ApiServer } from '../../src/api/server.ts';
import { Collector } from '../../src/collector/collector.ts';
import type { FlowRecordHandler, FlowSource } from '../../src/collector/sources/flow-source.ts';
import type { Completeness } from '../../src/contract/api/completeness.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka, parseBrokerList } from '../../src/runtime/kafka-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { CuttableKafkaProxy } from '../harness/cuttable-kafka-proxy.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('complete');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const TOKEN = 'admin-token-0123456789';
const NODE = 'spool-node';

/** An in-process source the test drives. */
class ScriptedSource implements FlowSource {
  readonly name = 'conntrack';
  private handler: FlowRecordHandler | null = null;
  private next = 0;
  async start(onRecords: FlowRecordHandler): Promise<void> {
    this.handler = onRecords;
  }
  async stop(): Promise<void> {
    this.handler = null;
  }
  status(): Record<string, unknown> {
    return { running: this.handler !== null };
  }
  /** `n` records of distinct connections frontend → catalog. */
  emit(n: number): void {
    const records: FlowRecordData[] = [];
    for (let i = 0; i < n; i++, this.next++) records.push({ ...tcpRecord('10.244.1.10', '10.244.1.20', 8080, { sport: 20000 + this.next }), nodeName: NODE });
    this.handler?.(records);
  }
}

describe('completeness figure over the real pipeline', { timeout: 240_000 }, () => {
  const kafka = createKafka(brokers, 'completeness-test');
  const es = createElasticsearchClient(esUrl);
  const [host, port] = parseBrokerList(brokers)[0]!.split(':') as [string, string];
  const proxy = new CuttableKafkaProxy(host, Number(port));
  let enricher: Enricher | undefined;
  let server: ApiServer | undefined;
  let collector: Collector | undefined;
  let app: FastifyInstance;
  let spoolDir = '';

  const completenessOf = async (url: string): Promise<Completeness> => {
    const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json() as { completeness?: Completeness };
    assert.ok(body.completeness, `${url} answers with a completeness object: ${r.body.slice(0, 300)}`);
    return body.completeness;
  };

  before(async () => {
    spoolDir = await mkdtemp(path.join(os.tmpdir(), 'segflow-completeness-'));
    await proxy.open();
    await createPipelineTopics(kafka, topics);
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-g`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0 });
    await enricher.start();
    const tokens = parseTokenConfig({ tokens: [{ name: 'admin', token: TOKEN, role: 'admin' }] });
    server = new ApiServer({ port: 0, elasticsearchUrl: esUrl, indexPrefix: prefix, logLevel: 'warn' }, { tokens, inventory: new TopicInventorySource(kafka, topics.inventory, createLogger('test')) });
    app = await server.ready();
  });

  after(async () => {
    await collector?.stop(100).catch(() => undefined);
    await proxy.cut();
    await server?.stop();
    await enricher?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
    await rm(spoolDir, { recursive: true, force: true });
  });

  it('says exactly how many records the spool dropped and how many batches never arrived', async () => {
    const source = new ScriptedSource();
    // Batches of 10 records (~1 KB); segments of 2100 bytes hold 2, the 6300-byte cap 3 segments.
    collector = new Collector({
      nodeName: NODE,
      kafka: { brokers: parseBrokerList(brokers), topic: topics.raw, sendTimeoutMs: 3000, ensureTopic: false, clientOverrides: { socketFactory: proxy.socketFactory() } },
      batch: { maxRecords: 10, maxDelayMs: 50, maxBytes: 2000, heartbeatMs: 5000 },
      spool: { directory: spoolDir, maxBytes: 6300, segmentBytes: 2100 },
      http: null,
    }, { sources: [source], logger: createLogger('collector', 'warn') });
    await collector.start();
    const metrics = collector.metrics;

    source.emit(30); // delivered while Kafka answers
    await collector.drained(30_000);
    await proxy.cut();
    for (let i = 0; i < 20; i++) {
      source.emit(10);
      await waitFor(`batch ${i + 1} spooled`, async () => ((await metrics.valueOf(metrics.batchesSpooled)) >= i + 1 ? true : undefined), 30_000, 50);
    }
    const droppedRecords = await metrics.valueOf(metrics.recordsDropped, { reason: 'spool_full' });
    const droppedBatches = await metrics.valueOf(metrics.batchesDropped, { reason: 'spool_full' });
    assert.ok(droppedBatches >= 10 && droppedRecords === droppedBatches * 10, `the spool overflowed: ${droppedBatches} batches / ${droppedRecords} records dropped`);
    await proxy.open();
    source.emit(20); // after the outage
    await collector.drained(60_000);
    const built = collector.status().nextSequence! - 1;
    const receivedBatches = built - droppedBatches;
    const receivedRecords = 30 + 200 + 20 - droppedRecords;

    // The enricher writes reports after the documents: wait until the figure has every batch.
    let last: Completeness | undefined;
    const figure = await waitFor('the completeness figure to count every batch that arrived', async () => {
      await es.indices.refresh({ index: `${prefix}.reports-*`, allow_no_indices: true, ignore_unavailable: true });
      last = await completenessOf('/api/v1/flows/stats?from=now-30m&view=top_talkers');
      return last.batches.received === receivedBatches ? last : undefined;
    }, 90_000).catch((error: unknown) => assert.fail(`${(error as Error).message}; last figure ${JSON.stringify(last)}; expected ${receivedBatches} batches`));

    assert.equal(figure.status, 'incomplete');
    assert.equal(figure.batches.missing, droppedBatches, 'every batch the spool dropped is a sequence gap');
    assert.equal(figure.records.dropped, droppedRecords);
    assert.deepEqual(figure.records.dropped_by_cause, { spool_full: droppedRecords });
    assert.equal(figure.records.received, receivedRecords);
    assert.equal(figure.nodes.reporting, 1);
    assert.equal(figure.nodes.silent, 0);
    assert.equal(figure.ratio, Math.round(Math.min(receivedRecords / (receivedRecords + droppedRecords), receivedBatches / (receivedBatches + droppedBatches)) * 10_000) / 10_000);
    assert.match(figure.reasons.join('\n'), new RegExp(`${droppedBatches} agent batches never arrived`));
    assert.match(figure.reasons.join('\n'), new RegExp(`${droppedRecords} records dropped by the agents \\(${droppedRecords} spool full\\)`));

    // The same figure on the other answers.
    for (const url of ['/api/v1/flows?from=now-30m&limit=1', '/api/v1/denied?from=now-30m']) {
      const other = await completenessOf(url);
      assert.deepEqual({ ...other.batches, ...other.records }, { ...figure.batches, ...figure.records }, url);
    }
  });

  it('names a node that reported before the range and fell silent in it', async () => {
    // A node agent's heartbeat 15 minutes ago, then nothing.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const payload = encodeFlowBatch({ agentId: 'gone-node', bootId: 'boot-g', sequence: 1, records: [], nodeName: 'gone-node', sentTimeUnixNano: msToNanos(Date.now() - 15 * 60_000), heartbeatIntervalMs: 30_000 });
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'gone-node', value: Buffer.from(payload) }] });
    await producer.disconnect();
    let last: Completeness | undefined;
    const figure = await waitFor('the silent node in the figure', async () => {
      await es.indices.refresh({ index: `${prefix}.reports-*`, allow_no_indices: true, ignore_unavailable: true });
      last = await completenessOf('/api/v1/flows/stats?from=now-10m&view=top_talkers');
      return last.nodes.silent === 1 ? last : undefined;
    }, 60_000).catch((error: unknown) => assert.fail(`${(error as Error).message}; last figure ${JSON.stringify(last)}`));
    assert.equal(figure.nodes.silent_nodes?.[0]?.node, 'gone-node');
    assert.equal(figure.nodes.reporting, 1, 'the collector of the first test still reports');
    assert.match(figure.reasons.join('\n'), /1 node silent in the range: gone-node/);
  });
});
