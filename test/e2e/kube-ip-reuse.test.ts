/**
 * A live cluster end to end: `segflow inventory sync` (a child process, as deployed) watches a
 * real kube-apiserver and publishes to the inventory topic; the enricher follows it and indexes
 * flows into Elasticsearch. Pod A holds IP X, is deleted, and pod B gets IP X: records stamped
 * while A held the address are attributed to A in the indexed documents, records stamped after B
 * got it to B — the change times travel with the topic into the enricher's per-IP history.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Enricher } from '../../src/enricher/enricher.ts';
import type { FlowDocument } from '../../src/contract/flow-fields.ts';
import { encodeFlowBatch } from '../../src/contract/wire/flow-batch-codec.ts';
import { projectRoot } from '../../src/services/services-config.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { freePort, startKubeCluster, type KubeCluster } from '../harness/kube-cluster.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('kreuse');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const ns = 'reuse';
const X = '10.77.0.5';
const DB = '10.77.0.9';

function pod(name: string, app: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } }, spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'registry.example/app:1' }] } };
}

describe('live cluster → sync → enricher → Elasticsearch: pod IP reuse', () => {
  const kafka = createKafka(brokers, 'kube-ip-reuse-test');
  const es = createElasticsearchClient(esUrl);
  let cluster: KubeCluster;
  let sync: ChildProcess | undefined;
  let syncLog = '';
  let enricher: Enricher | undefined;

  const owner = (ip: string, time?: number): string | null => enricher!.inventory.endpointAt(ip, time)?.resource.name ?? null;

  before(async () => {
    cluster = await startKubeCluster({ crds: ['calico'] });
    await createPipelineTopics(kafka, topics, 1);
    const healthPort = await freePort();
    sync = spawn(process.execPath, [path.join(projectRoot, 'bin', 'segflow.js'), 'inventory', 'sync',
      '--kubeconfig', cluster.kubeconfig, '--cluster-name', 'reuse-test', '--brokers', brokers, '--topic', topics.inventory,
      '--no-leader-election', '--health-host', '127.0.0.1', '--health-port', String(healthPort)], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    sync.stderr?.on('data', (c: Buffer) => (syncLog = (syncLog + c.toString()).slice(-8000)));
    await waitFor('the sync to be ready', async () => {
      if (sync!.exitCode !== null) throw new Error(`sync exited ${sync!.exitCode}: ${syncLog}`);
      const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    }, 60_000, 100);
    enricher = new Enricher({
      brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory,
      groupId: `${run}-group`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0,
      // Level 0 keeps pod names in the documents, so the attribution is visible.
      aggregation: { windowMs: 15_000, allowedLevel: 0, deniedLevel: 0 },
    });
    await enricher.start();
  });

  after(async () => {
    await enricher?.stop();
    if (sync && sync.exitCode === null) {
      const exited = new Promise((r) => sync!.once('exit', r));
      sync.kill('SIGTERM');
      await exited;
    }
    await cluster?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  it('attributes records to the pod that held the IP at the record\'s time', async () => {
    await cluster.createNamespace(ns);
    await cluster.call('POST', `/api/v1/namespaces/${ns}/pods`, pod('db-0', 'db'));
    await cluster.setPodStatus(ns, 'db-0', { podIP: DB, phase: 'Running' });
    await cluster.call('POST', `/api/v1/namespaces/${ns}/pods`, pod('alpha', 'alpha'));
    await cluster.setPodStatus(ns, 'alpha', { podIP: X, phase: 'Running' });
    await waitFor('pod alpha to own X in the enricher', async () => (owner(X) === 'alpha' && owner(DB) === 'db-0' ? true : undefined), 30_000, 50);

    // Records must end after the owner's creation (second-precision creationTimestamp) and before the change.
    await new Promise((r) => setTimeout(r, 2000));
    const whileAlpha = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    await cluster.call('DELETE', `/api/v1/namespaces/${ns}/pods/alpha`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
    await waitFor('alpha deleted in the enricher', async () => (owner(X) === null ? true : undefined), 30_000, 50);
    await cluster.call('POST', `/api/v1/namespaces/${ns}/pods`, pod('beta', 'beta'));
    await cluster.setPodStatus(ns, 'beta', { podIP: X, phase: 'Running' });
    await waitFor('pod beta to own X in the enricher', async () => (owner(X) === 'beta' ? true : undefined), 30_000, 50);
    const whileBeta = Date.now();

    // The history, as the enricher holds it.
    assert.equal(owner(X, whileAlpha), 'alpha', 'the enricher\'s history says X was alpha\'s at the earlier time');
    assert.equal(owner(X, whileBeta), 'beta');

    // Both records arrive after the reuse, in one batch: only the times tell them apart.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({
      agentId: 'agent-node-1', bootId: 'boot-a', sequence: 1, nodeName: 'node-1', sentTimeUnixNano: msToNanos(Date.now()),
      records: [
        tcpRecord(X, DB, 5432, { endMs: whileAlpha, sport: 40001 }),
        tcpRecord(X, DB, 5432, { endMs: whileBeta, sport: 40002 }),
      ],
    })) }] });
    await producer.disconnect();

    const docs = await waitFor('two flow documents', async () => {
      await es.indices.refresh({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
      const res = await es.search<FlowDocument>({ index: `${prefix}-*`, size: 100, ignore_unavailable: true, allow_no_indices: true });
      const all = res.hits.hits.map((h) => h._source!);
      return all.length >= 2 ? all : undefined;
    }, 60_000);
    const byPort = new Map(docs.map((d) => [d.source?.port, d]));
    assert.equal(byPort.get(40001)?.segflow.source.name, 'alpha', `the record stamped while alpha held ${X}`);
    assert.deepEqual(byPort.get(40001)?.segflow.source.labels, { app: 'alpha' });
    assert.equal(byPort.get(40002)?.segflow.source.name, 'beta', `the record stamped after beta got ${X}`);
    assert.equal(byPort.get(40002)?.segflow.source.namespace, ns);
    assert.equal(docs.length, 2);
  });
});
