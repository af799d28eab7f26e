/**
 * `segflow inventory sync` against a real kube-apiserver that serves Calico's
 * `projectcalico.org/v3` CRDs next to the backend `crd.projectcalico.org/v1` ones (a cluster
 * migrating to native v3 CRDs has both) and the shared Kafka: the sync follows v3 for every Calico
 * kind and never both forms (an object that exists only in the backend form is not published);
 * objects created, updated and deleted through v3 reach the topic with the keys and documents
 * `inventory apply` gives the same v3 YAML. The switch-over when the v3 CRDs are installed after
 * the start is in inventory-sync-cluster.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Consumer } from 'kafkajs';
import { InventorySync } from '../../src/inventory-sync/inventory-sync.ts';
import { resourceDocumentsFromText } from '../../src/inventory/topic/resource-documents.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { startKubeCluster, type KubeCluster } from '../harness/kube-cluster.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const brokers = requireKafkaBrokers();
const topic = uniqueName('inventory-sync-v3');

interface TopicMessage { key: string; value: { document: Record<string, unknown>; origin: string } | null; offset: number }

class TopicRecorder {
  readonly messages: TopicMessage[] = [];
  private consumer: Consumer | undefined;
  async start(): Promise<void> {
    this.consumer = createKafka(brokers, 'inventory-sync-v3-test').consumer({ groupId: uniqueName('inventory-sync-v3-reader') });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        this.messages.push({ key: message.key?.toString() ?? '', value: message.value === null ? null : JSON.parse(message.value.toString()) as TopicMessage['value'], offset: Number(message.offset) });
      },
    });
  }
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
  last(key: string): TopicMessage | undefined {
    return this.messages.findLast((m) => m.key === key);
  }
  async until(what: string, key: string, check: (m: TopicMessage | undefined) => boolean, ms = 20_000): Promise<TopicMessage | undefined> {
    await waitFor(what, async () => (check(this.last(key)) ? true : undefined), ms, 50).catch((err: Error) => {
      throw new Error(`${err.message}; last message of ${key}: ${JSON.stringify(this.last(key))}`);
    });
    return this.last(key);
  }
}

describe('inventory sync: Calico v3 CRDs beside the backend CRDs', () => {
  let cluster: KubeCluster;
  let sync: InventorySync;
  const recorder = new TopicRecorder();
  const ns = `v3-${Date.now().toString(36)}`;
  const v3 = '/apis/projectcalico.org/v3';

  before(async () => {
    cluster = await startKubeCluster({ crds: ['calico', 'calicoV3'] });
    await cluster.createNamespace(ns);
    // Before the start: one object in each form, under different names.
    await cluster.call('POST', '/apis/crd.projectcalico.org/v1/tiers', { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'backend-only' }, spec: { order: 300 } });
    await cluster.call('POST', `${v3}/tiers`, { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100, defaultAction: 'Deny' } });
    sync = new InventorySync({
      kubeconfig: await cluster.kubeconfigFor(cluster.adminToken, 'v3lab'), brokers, topic, leaderElection: false, leaseName: 'unused',
      healthHost: '127.0.0.1', healthPort: 0, resyncPeriodMs: 0, env: {}, rediscoverEveryMs: 5000,
    });
    await sync.start();
    await waitFor('sync ready', async () => (sync.readiness().ready ? true : undefined), 60_000, 100);
    await recorder.start();
  });

  after(async () => {
    await sync?.stop();
    await recorder.stop();
    await cluster?.stop();
    const admin = createKafka(brokers, 'inventory-sync-v3-admin').admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('follows v3 for every Calico kind, never the backend form', async () => {
    const text = await (await fetch(`http://127.0.0.1:${sync.healthPort}/metrics`)).text();
    const followed = [...text.matchAll(/segflow_inventory_sync_objects\{kind="([^"]+)"\}/g)].map((m) => m[1]!);
    for (const kind of ['Tier', 'GlobalNetworkPolicy', 'NetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedKubernetesNetworkPolicy', 'GlobalNetworkSet', 'NetworkSet', 'HostEndpoint']) {
      assert.ok(followed.includes(`projectcalico.org/v3/${kind}`), `${kind} followed as v3 (followed: ${followed.join(', ')})`);
    }
    assert.deepEqual(followed.filter((k) => k.startsWith('crd.projectcalico.org/')), [], 'no backend form followed');
    const security = await recorder.until('v3 tier published', 'Tier//security', (x) => x?.value != null);
    assert.match(security!.value!.origin, /^kubernetes:v3lab:projectcalico\.org\/v3\/Tier\/\/security@\d+$/);
    assert.equal(recorder.last('Tier//backend-only'), undefined, 'the backend-only object is not published');
  });

  it('objects created, updated and deleted through v3 reach the topic as inventory apply would publish them', async () => {
    const yaml = [
      'apiVersion: projectcalico.org/v3', 'kind: NetworkPolicy', 'metadata:', '  name: allow-web', `  namespace: ${ns}`, 'spec:', '  tier: security', '  order: 10',
      "  selector: app == 'web'", '  types: [Ingress]', '  ingress:', '    - action: Allow', '      protocol: TCP', '      destination:', '        ports: [80]',
      '---', 'apiVersion: projectcalico.org/v3', 'kind: GlobalNetworkSet', 'metadata:', '  name: blocklist', '  labels: {list: bad}', 'spec:', '  nets: [198.51.100.0/24]',
      '---', 'apiVersion: projectcalico.org/v3', 'kind: GlobalNetworkPolicy', 'metadata:', '  name: deny-bad', 'spec:', '  selector: all()', '  types: [Ingress]',
      "  ingress:", "    - action: Deny", "      source: {selector: list == 'bad'}",
      '---', 'apiVersion: projectcalico.org/v3', 'kind: HostEndpoint', 'metadata:', '  name: node1-eth0', 'spec:', '  node: node1', '  interfaceName: eth0', '  expectedIPs: [192.0.2.10]', '',
    ].join('\n');
    const { documents, issues } = resourceDocumentsFromText(yaml, 'v3.yaml');
    assert.deepEqual(issues.filter((i) => i.severity === 'error'), []);
    const paths: Record<string, string> = {
      NetworkPolicy: `${v3}/namespaces/${ns}/networkpolicies`, GlobalNetworkSet: `${v3}/globalnetworksets`,
      GlobalNetworkPolicy: `${v3}/globalnetworkpolicies`, HostEndpoint: `${v3}/hostendpoints`,
    };
    for (const d of documents) await cluster.call('POST', paths[String(d.document.kind)]!, d.document);
    for (const d of documents) {
      const m = await recorder.until(`${d.key} published`, d.key, (x) => x?.value != null);
      const published = m!.value!.document as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec: Record<string, unknown> };
      assert.equal(published.apiVersion, 'projectcalico.org/v3');
      assert.match(m!.value!.origin, new RegExp(`^kubernetes:v3lab:projectcalico\\.org/v3/${String(d.document.kind)}/`));
      const want = d.document as { spec: Record<string, unknown>; metadata: { labels?: Record<string, string> } };
      for (const [field, v] of Object.entries(want.spec)) assert.deepEqual(published.spec[field], v, `${d.key}: spec.${field}`);
      for (const [label, v] of Object.entries(want.metadata.labels ?? {})) assert.equal(published.metadata.labels?.[label], v);
    }
    // The keys are the ones `inventory apply` gives the same YAML (NetworkPolicy/<ns>/allow-web, ...).
    assert.deepEqual(documents.map((d) => d.key).sort(), [`NetworkPolicy/${ns}/allow-web`, 'GlobalNetworkPolicy//deny-bad', 'GlobalNetworkSet//blocklist', 'HostEndpoint//node1-eth0'].sort());
    // Calico's defaults: the tier label on tiered policies (as the v3 CRDs' admission policy sets it).
    assert.equal((recorder.last(`NetworkPolicy/${ns}/allow-web`)!.value!.document.metadata as { labels: Record<string, string> }).labels['projectcalico.org/tier'], 'security');

    const gns = await cluster.call<Record<string, unknown>>('GET', `${paths.GlobalNetworkSet}/blocklist`);
    (gns.spec as { nets: string[] }).nets = ['198.51.100.0/25'];
    await cluster.call('PUT', `${paths.GlobalNetworkSet}/blocklist`, gns);
    await recorder.until('update published', 'GlobalNetworkSet//blocklist', (x) => JSON.stringify(x?.value?.document.spec ?? {}).includes('198.51.100.0/25'));

    for (const d of documents) await cluster.call('DELETE', `${paths[String(d.document.kind)]}/${(d.document.metadata as { name: string }).name}`);
    for (const d of documents) await recorder.until(`${d.key} deleted`, d.key, (x) => x !== undefined && x.value === null);
    // The backend form still holds its object; the sync did not look (no key appeared meanwhile).
    assert.equal(recorder.last('Tier//backend-only'), undefined);
  });
});
