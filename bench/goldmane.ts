/**
 * Goldmane benchmark (`npm run bench -- goldmane`): Calico flows per second from the real
 * Goldmane through the source role (Flows.Stream with history) → Kafka → enricher →
 * Elasticsearch, against the plain bulk ceiling of the same documents measured in the same run
 * (this machine is small and shared: only the ratio means something).
 *
 * 1. Goldmane (v3.32.1; test/harness/goldmane.ts finds it) is filled the way Felix fills it:
 *    SEGFLOW_BENCH_GOLDMANE_FLOWS flows (default 3000), distinct keys over the shop workloads
 *    (so every flow is resolved and evaluated against the demo inventory) spread over the last
 *    ~25 minutes of buckets, pushed one FlowUpdate at a time, each waiting for its receipt.
 * 2. An enricher is started and joined to its group; then the clock starts, a Goldmane source
 *    role starts (history first) and the clock stops when Elasticsearch counts every flow.
 * 3. Baseline: the same documents (read back) plain-bulk loaded into other indices with the same
 *    template, 500 to a request.
 *
 * Services: KAFKA_BROKERS, ELASTICSEARCH_URL (bench/run.ts provides them). Writes
 * bench/results/goldmane.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { GoldmaneFlow } from '../src/contract/goldmane/goldmane-flow.ts';
import { Enricher } from '../src/enricher/enricher.ts';
import { bulkRequestFromClient } from '../src/enricher/elasticsearch/flow-bulk-writer.ts';
import { installFlowIndexTemplate } from '../src/enricher/elasticsearch/flow-index-template.ts';
import { GoldmaneRole } from '../src/goldmane/goldmane-role.ts';
import { createElasticsearchClient } from '../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../src/runtime/kafka-client.ts';
import { createLogger } from '../src/runtime/logger.ts';
import { PLAINTEXT_KAFKA } from '../src/runtime/role-config/kafka-security-contract.ts';
import { FelixLikePusher, requireGoldmaneBinary, startGoldmane } from '../test/harness/goldmane.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../test/harness/pipeline-resources.ts';

const here = dirname(fileURLToPath(import.meta.url));

const PAIRS: ReadonlyArray<readonly [string, string, string, string, string, string]> = [
  ['checkout-66c4d9-*', 'shop', 'app=checkout', 'payments-84b6f7-*', 'shop', 'app=payments'],
  ['catalog-5f8b7c-*', 'shop', 'app=catalog', 'payments-84b6f7-*', 'shop', 'app=payments'],
  ['frontend-7d9c5b-*', 'shop', 'app=frontend', 'catalog-5f8b7c-*', 'shop', 'app=catalog'],
  ['frontend-7d9c5b-*', 'shop', 'app=frontend', 'postgres-*', 'data', 'app=postgres'],
];

function benchFlows(n: number): GoldmaneFlow[] {
  const now = Math.floor(Date.now() / 1000);
  const newest = now - (now % 15) - 60;
  const flows: GoldmaneFlow[] = [];
  for (let i = 0; i < n; i++) {
    const [src, srcNs, srcLabel, dst, dstNs, dstLabel] = PAIRS[i % PAIRS.length]!;
    const start = newest - 15 * (Math.floor(i / 40) % 100);
    flows.push({
      key: {
        sourceName: src, sourceNamespace: srcNs, sourceType: 1, destName: dst, destNamespace: dstNs, destType: 1, destPort: 1024 + (i % 20_000),
        destServiceName: '', destServiceNamespace: '', destServicePortName: '', destServicePort: 0, proto: 'tcp', reporter: 2, action: 2,
        enforced: [{ kind: 1, namespace: dstNs, name: `default.${dst.split('-')[0]}`, tier: 'default', action: 2, policyIndex: 0, ruleIndex: -1, trigger: null }], pending: [],
      },
      startTime: start, endTime: start + 15, sourceLabels: [srcLabel], destLabels: [dstLabel],
      packetsIn: 1 + (i % 7), packetsOut: 0, bytesIn: 60 * (1 + (i % 7)), bytesOut: 0, connectionsStarted: 1, connectionsCompleted: 0, connectionsLive: 0,
    });
  }
  return flows;
}

export async function runGoldmaneBench(): Promise<unknown> {
  const binary = requireGoldmaneBinary('bench/goldmane.ts');
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const esUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
  const n = Number(process.env.SEGFLOW_BENCH_GOLDMANE_FLOWS ?? 3000);
  const run = `bench-goldmane-${process.pid}-${Date.now().toString(36)}`;
  const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
  const prefix = `${run}-flows`;
  const plainPrefix = `${run}-plain`;
  const kafka = createKafka(brokers, 'bench-goldmane');
  const es = createElasticsearchClient(esUrl);
  const goldmane = await startGoldmane(binary);
  let enricher: Enricher | undefined;
  let role: GoldmaneRole | undefined;
  try {
    const flows = benchFlows(n);
    const pusher = new FelixLikePusher(goldmane.address);
    const pushStarted = performance.now();
    await pusher.pushAll(flows);
    const pushSeconds = (performance.now() - pushStarted) / 1000;
    pusher.close();

    await createPipelineTopics(kafka, topics);
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-g`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0 });
    await enricher.start();
    await enricher.joined;
    const count = async (index: string): Promise<number> => {
      await es.indices.refresh({ index, allow_no_indices: true, ignore_unavailable: true });
      return (await es.count({ index, allow_no_indices: true, ignore_unavailable: true })).count;
    };
    const started = performance.now();
    role = new GoldmaneRole({ address: goldmane.address, brokers, topic: topics.raw, kafkaSecurity: PLAINTEXT_KAFKA, sourceName: 'bench', http: null }, createLogger('bench-goldmane'));
    await role.start();
    let stored = 0;
    const deadline = Date.now() + 300_000;
    // A daily index just created may not have its shard yet: that poll counts as nothing so far.
    while ((stored = await count(`${prefix}-*`).catch(() => 0)) < n) {
      if (Date.now() > deadline) throw new Error(`only ${stored} of ${n} Goldmane flows indexed after 300 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const e2eSeconds = (performance.now() - started) / 1000;
    const received = (await role.registry.getSingleMetric('segflow_goldmane_flows_received_total')!.get()).values[0]?.value ?? 0;

    // The plain bulk ceiling: the same documents, same template, other indices.
    const docs = (await es.search({ index: `${prefix}-*`, size: n, query: { match_all: {} } })).hits.hits;
    await installFlowIndexTemplate(es, { prefix: plainPrefix });
    const bulk = bulkRequestFromClient(es);
    const plainStarted = performance.now();
    for (let i = 0; i < docs.length; i += 500) {
      const operations: string[] = [];
      for (const h of docs.slice(i, i + 500)) operations.push(JSON.stringify({ index: { _index: plainPrefix + h._index.slice(prefix.length), _id: h._id } }), JSON.stringify(h._source));
      const response = await bulk(operations);
      if (response.errors) throw new Error('plain bulk load refused a document');
    }
    const plainSeconds = (performance.now() - plainStarted) / 1000;
    if ((await count(`${plainPrefix}-*`)) !== n) throw new Error('plain bulk stored a different number of documents');

    const result = {
      flows: n,
      goldmaneReceived: received,
      pushToGoldmaneSeconds: Number(pushSeconds.toFixed(2)),
      e2eSeconds: Number(e2eSeconds.toFixed(2)),
      e2eFlowsPerSec: Math.round(n / e2eSeconds),
      plainBulkSeconds: Number(plainSeconds.toFixed(2)),
      plainBulkPerSec: Math.round(n / plainSeconds),
      e2eVsPlainBulk: Number((plainSeconds / e2eSeconds).toFixed(3)),
      notes: 'e2e: from the source role\'s start (history stream) until Elasticsearch counts every flow (polled every 100 ms with a refresh); plain bulk: the same documents, 500 per request',
      // The machine is shared: the load at the end says how much of it this run had.
      machine: { cpus: os.cpus().length, node: process.version, loadAverage1m: Number(os.loadavg()[0]!.toFixed(1)) },
      measuredAt: new Date().toISOString(),
    };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'goldmane.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`goldmane: ${result.e2eFlowsPerSec} flows/s end to end, plain bulk ${result.plainBulkPerSec}/s (ratio ${result.e2eVsPlainBulk})\n`);
    return result;
  } finally {
    await role?.stop();
    await enricher?.stop();
    await goldmane.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await deleteFlowIndices(es, plainPrefix);
    await es.close();
  }
}
