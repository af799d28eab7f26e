/**
 * `segflow inventory sync` against a real kube-apiserver + etcd and the shared Kafka: Calico CRDs
 * installed after the start are followed without a restart; every kind created, updated and
 * deleted through the API reaches the topic (keys, documents, tombstones, observation timestamps);
 * Nodes (a kubelet heartbeat alone publishes nothing) and the admin policy kinds (their CRDs, too,
 * installed after the start) likewise; Calico's v3 CRDs installed later switch every Calico kind
 * to v3 in one step (no tombstone for what v3 keeps, none left stale);
 * a connection cut (TCP proxy) while objects change and etcd is compacted ends in 410 Gone, a
 * relist and a reconcile (the object deleted meanwhile gets its tombstone); an apiserver killed and
 * restarted loses no change made right after it came back.
 *
 * The apiserver runs with --watch-cache=false so that a watch resumed from a compacted revision
 * really gets 410 (the watch cache would otherwise serve it from memory).
 */
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Consumer } from 'kafkajs';
import { InventorySync } from '../../src/inventory-sync/inventory-sync.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { startKubeCluster, type KubeCluster } from '../harness/kube-cluster.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const brokers = requireKafkaBrokers();
const topic = uniqueName('inventory-sync');

interface TopicMessage { key: string; value: { document: Record<string, unknown>; origin: string; appliedAt: string; writer: string } | null; timestamp: number; offset: number }

/** Every message of the topic, in order, as it arrives. */
class TopicRecorder {
  readonly messages: TopicMessage[] = [];
  private consumer: Consumer | undefined;

  async start(): Promise<void> {
    const kafka = createKafka(brokers, 'inventory-sync-test-reader');
    this.consumer = kafka.consumer({ groupId: uniqueName('inventory-sync-reader') });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        this.messages.push({
          key: message.key?.toString() ?? '', value: message.value === null ? null : JSON.parse(message.value.toString()) as TopicMessage['value'],
          timestamp: Number(message.timestamp), offset: Number(message.offset),
        });
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** The latest message of a key (undefined: never published). */
  last(key: string): TopicMessage | undefined {
    return this.messages.findLast((m) => m.key === key);
  }

  /** Waits until the key's latest message satisfies `check`. */
  async until(what: string, key: string, check: (m: TopicMessage | undefined) => boolean, ms = 20_000): Promise<TopicMessage | undefined> {
    await waitFor(what, async () => (check(this.last(key)) ? true : undefined), ms, 50).catch((err: Error) => {
      throw new Error(`${err.message}; last message of ${key}: ${JSON.stringify(this.last(key))}`);
    });
    return this.last(key);
  }
}

/** A TCP pass-through to the apiserver that the test can cut (every connection dropped, new ones refused) and restore. */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(port = 0): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      // One side gone = both gone, as a real connection through a dead server would be.
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
    this.server = undefined;
  }
}

const kindsCreated: Array<{ key: string; path: string; object: Record<string, unknown>; update: (o: Record<string, unknown>) => void; check: (doc: Record<string, unknown>) => void }> = [];

describe('inventory sync against a real API server', () => {
  let cluster: KubeCluster;
  let proxy: CuttableProxy;
  let sync: InventorySync;
  const recorder = new TopicRecorder();
  const ns = `sync-${Date.now().toString(36)}`;

  before(async () => {
    cluster = await startKubeCluster({ extraApiserverArgs: ['--watch-cache=false'] });
    proxy = new CuttableProxy({ host: '127.0.0.1', port: Number(new URL(cluster.url).port) });
    await proxy.open();
    const kubeconfig = path.join(cluster.dir, 'via-proxy.yaml');
    await writeFile(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: lab',
      'clusters:', '- name: lab', '  cluster:', `    server: https://127.0.0.1:${proxy.port}`, `    certificate-authority: ${cluster.caFile}`,
      'users:', '- name: admin', '  user:', `    token: ${cluster.adminToken}`,
      'contexts:', '- name: lab', '  context: {cluster: lab, user: admin}', '',
    ].join('\n'), { mode: 0o600 });
    await cluster.createNamespace(ns, { team: 'shop' });
    sync = new InventorySync({
      kubeconfig, brokers, topic, leaderElection: false, leaseName: 'unused', healthHost: '127.0.0.1', healthPort: 0,
      resyncPeriodMs: 0, env: {}, rediscoverEveryMs: 5000, watchTimeoutSeconds: () => 30,
    });
    await sync.start();
    await waitFor('sync ready', async () => (sync.readiness().ready ? true : undefined), 30_000, 100);
    await recorder.start();
  });

  after(async () => {
    await sync?.stop();
    await recorder.stop();
    await proxy?.cut();
    await cluster?.stop();
    const admin = createKafka(brokers, 'inventory-sync-test-admin').admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('publishes the namespace that existed before the start, stamped and attributed', async () => {
    const m = await recorder.until('namespace published', `Namespace//${ns}`, (x) => x?.value !== null && x !== undefined);
    assert.ok(m?.value);
    assert.equal((m.value.document.metadata as { labels?: Record<string, string> }).labels?.team, 'shop');
    assert.match(m.value.origin, new RegExp(`^kubernetes:lab:v1/Namespace//${ns}@\\d+$`));
    assert.ok(m.timestamp > Date.now() - 120_000 && m.timestamp <= Date.now(), 'Kafka timestamp = observation time');
    const res = await fetch(`http://127.0.0.1:${sync.healthPort}/readyz`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { leader: boolean }).leader, true);
  });

  it('follows Calico CRDs installed after the start without a restart', async () => {
    await cluster.installCrds('calico');
    // The CRD watch triggers discovery; the Tier reflector may need a moment (429 until its cache is ready).
    await waitFor('Tier followed', async () => {
      const text = await (await fetch(`http://127.0.0.1:${sync.healthPort}/metrics`)).text();
      return /segflow_inventory_sync_objects\{kind="crd.projectcalico.org\/v1\/Tier"\}/.test(text) ? true : undefined;
    }, 30_000, 200);
    await cluster.call('POST', '/apis/crd.projectcalico.org/v1/tiers', { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100 } });
    const m = await recorder.until('tier published', 'Tier//security', (x) => x?.value != null);
    assert.equal(m?.value?.document.apiVersion, 'projectcalico.org/v3', 'the backend object is published in its v3 form');
    assert.equal((m?.value?.document.spec as { order?: number }).order, 100);
  });

  it('every kind created, updated and deleted through the API reaches the topic', async () => {
    const nsPath = (plural: string, group = '') => `${group ? `/apis/${group}` : '/api/v1'}/namespaces/${ns}/${plural}`;
    const add = (key: string, p: string, object: Record<string, unknown>, update: (o: Record<string, unknown>) => void, check: (d: Record<string, unknown>) => void) => kindsCreated.push({ key, path: p, object, update, check });
    const labels = (o: Record<string, unknown>) => ((o.metadata as { labels?: Record<string, string> }).labels ??= {});
    const spec = (o: Record<string, unknown>) => o.spec as Record<string, unknown>;
    add(`Pod/${ns}/web-1`, nsPath('pods'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: ns, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      (o) => (labels(o).version = 'v2'), (d) => assert.equal((d.metadata as { labels: Record<string, string> }).labels.version, 'v2'));
    add(`ServiceAccount/${ns}/robot`, nsPath('serviceaccounts'), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: ns } },
      (o) => (labels(o).role = 'x'), (d) => assert.equal((d.metadata as { labels: Record<string, string> }).labels.role, 'x'));
    add(`Service/${ns}/web`, nsPath('services'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
      (o) => (spec(o).ports = [{ port: 8080 }]), (d) => assert.equal(((d.spec as { ports: Array<{ port: number }> }).ports[0])?.port, 8080));
    add(`EndpointSlice/${ns}/web-abc`, nsPath('endpointslices', 'discovery.k8s.io/v1'), { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', namespace: ns, labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.5'] }], ports: [{ port: 80, protocol: 'TCP' }] },
      (o) => (o.endpoints = [{ addresses: ['10.244.0.6'] }]), (d) => assert.deepEqual((d.endpoints as Array<{ addresses: string[] }>)[0]?.addresses, ['10.244.0.6']));
    add(`KubernetesNetworkPolicy/${ns}/deny`, nsPath('networkpolicies', 'networking.k8s.io/v1'), { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
      (o) => (spec(o).podSelector = { matchLabels: { app: 'web' } }), (d) => assert.deepEqual((d.spec as { podSelector: unknown }).podSelector, { matchLabels: { app: 'web' } }));
    const calico = (plural: string, kind: string, name: string, body: Record<string, unknown>, namespaced: boolean, key: string, update: (o: Record<string, unknown>) => void, check: (d: Record<string, unknown>) => void) =>
      add(key, namespaced ? nsPath(plural, 'crd.projectcalico.org/v1') : `/apis/crd.projectcalico.org/v1/${plural}`,
        { apiVersion: 'crd.projectcalico.org/v1', kind, metadata: { name, ...(namespaced ? { namespace: ns } : {}) }, spec: body }, update, check);
    const selectorIs = (want: string) => (d: Record<string, unknown>) => assert.equal((d.spec as { selector: string }).selector, want);
    calico('globalnetworkpolicies', 'GlobalNetworkPolicy', 'deny-all', { tier: 'default', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Deny' }] }, false, 'GlobalNetworkPolicy//deny-all',
      (o) => (spec(o).selector = "app == 'web'"), selectorIs("app == 'web'"));
    calico('networkpolicies', 'NetworkPolicy', 'allow-web', { tier: 'default', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Allow' }] }, true, `NetworkPolicy/${ns}/allow-web`,
      (o) => (spec(o).selector = "app == 'db'"), selectorIs("app == 'db'"));
    calico('stagedglobalnetworkpolicies', 'StagedGlobalNetworkPolicy', 'try-deny', { tier: 'default', selector: 'all()', types: ['Egress'], egress: [{ action: 'Deny' }] }, false, 'StagedGlobalNetworkPolicy//try-deny',
      (o) => (spec(o).selector = "app == 'x'"), selectorIs("app == 'x'"));
    calico('stagednetworkpolicies', 'StagedNetworkPolicy', 'try-allow', { tier: 'default', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Allow' }] }, true, `StagedNetworkPolicy/${ns}/try-allow`,
      (o) => (spec(o).selector = "app == 'y'"), selectorIs("app == 'y'"));
    calico('stagedkubernetesnetworkpolicies', 'StagedKubernetesNetworkPolicy', 'try-isolate', { stagedAction: 'Set', podSelector: {}, policyTypes: ['Ingress'] }, true, `StagedKubernetesNetworkPolicy/${ns}/try-isolate`,
      (o) => (spec(o).podSelector = { matchLabels: { app: 'db' } }), (d) => assert.deepEqual((d.spec as { podSelector: unknown }).podSelector, { matchLabels: { app: 'db' } }));
    calico('globalnetworksets', 'GlobalNetworkSet', 'blocklist', { nets: ['198.51.100.0/24'] }, false, 'GlobalNetworkSet//blocklist',
      (o) => (spec(o).nets = ['198.51.100.0/25']), (d) => assert.deepEqual((d.spec as { nets: string[] }).nets, ['198.51.100.0/25']));
    calico('networksets', 'NetworkSet', 'partners', { nets: ['203.0.113.0/24'] }, true, `NetworkSet/${ns}/partners`,
      (o) => (spec(o).nets = ['203.0.113.0/25']), (d) => assert.deepEqual((d.spec as { nets: string[] }).nets, ['203.0.113.0/25']));
    calico('hostendpoints', 'HostEndpoint', 'node1-eth0', { node: 'node1', interfaceName: 'eth0', expectedIPs: ['192.0.2.10'] }, false, 'HostEndpoint//node1-eth0',
      (o) => (spec(o).expectedIPs = ['192.0.2.11']), (d) => assert.deepEqual((d.spec as { expectedIPs: string[] }).expectedIPs, ['192.0.2.11']));
    calico('tiers', 'Tier', 'platform', { order: 50 }, false, 'Tier//platform',
      (o) => (spec(o).order = 60), (d) => assert.equal((d.spec as { order: number }).order, 60));

    const started = Date.now();
    for (const k of kindsCreated) await cluster.call('POST', k.path, k.object);
    for (const k of kindsCreated) {
      const m = await recorder.until(`${k.key} created`, k.key, (x) => x?.value != null);
      assert.ok(m!.timestamp >= started - 1000, `${k.key}: timestamp is when the sync saw it`);
    }
    for (const k of kindsCreated) {
      const name = (k.object.metadata as { name: string }).name;
      const current = await cluster.call<Record<string, unknown>>('GET', `${k.path}/${name}`);
      k.update(current);
      await cluster.call('PUT', `${k.path}/${name}`, current);
    }
    for (const k of kindsCreated) {
      const m = await recorder.until(`${k.key} updated`, k.key, (x) => {
        if (x?.value == null) return false;
        try {
          k.check(x.value.document);
          return true;
        } catch {
          return false;
        }
      });
      assert.match(m!.value!.origin, /^kubernetes:lab:/);
    }

    // Pod IP lifecycle: the kubelet-style status change is published.
    await cluster.setPodStatus(ns, 'web-1', { podIP: '10.244.0.5', phase: 'Running' });
    await recorder.until('pod IP published', `Pod/${ns}/web-1`, (x) => JSON.stringify(x?.value?.document ?? {}).includes('10.244.0.5'));

    // A no-op update (only resourceVersion/annotations change) publishes nothing.
    const countBefore = recorder.messages.filter((m) => m.key === `Pod/${ns}/web-1`).length;
    const pod = await cluster.call<Record<string, unknown>>('GET', `${nsPath('pods')}/web-1`);
    ((pod.metadata as { annotations?: Record<string, string> }).annotations ??= {}).touched = 'yes';
    await cluster.call('PUT', `${nsPath('pods')}/web-1`, pod);

    for (const k of kindsCreated) await cluster.call('DELETE', `${k.path}/${(k.object.metadata as { name: string }).name}`);
    for (const k of kindsCreated) await recorder.until(`${k.key} deleted`, k.key, (x) => x !== undefined && x.value === null);
    assert.equal(recorder.messages.filter((m) => m.key === `Pod/${ns}/web-1`).length, countBefore + 1, 'the annotation-only update was not published (only the tombstone followed)');
    const tomb = recorder.last(`Pod/${ns}/web-1`)!;
    assert.ok(tomb.timestamp >= started && tomb.timestamp <= Date.now(), 'the tombstone carries the observation time');
  });

  it('Nodes: created, addresses changed, a heartbeat-only status change publishes nothing, deleted', async () => {
    const name = `node-${ns}`;
    const key = `Node//${name}`;
    const nodePath = `/api/v1/nodes/${name}`;
    const heartbeat = (at: string) => ({ status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: at, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] } });
    const patchStatus = (body: unknown) => cluster.call('PATCH', `${nodePath}/status`, body, { contentType: 'application/merge-patch+json' });
    await cluster.call('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': 'z1' } }, spec: { podCIDR: '10.244.7.0/24', podCIDRs: ['10.244.7.0/24'] } });
    const created = await recorder.until('node published', key, (x) => x?.value != null);
    assert.deepEqual((created!.value!.document.spec as { podCIDRs: string[] }).podCIDRs, ['10.244.7.0/24']);
    assert.equal(created!.value!.document.apiVersion, 'v1');

    await patchStatus({ status: { addresses: [{ type: 'InternalIP', address: '192.0.2.70' }, { type: 'Hostname', address: name }], ...heartbeat('2026-01-01T00:00:00Z').status } });
    const addressed = await recorder.until('node addresses published', key, (x) => JSON.stringify(x?.value?.document ?? {}).includes('192.0.2.70'));
    assert.deepEqual((addressed!.value!.document.status as { addresses: unknown }).addresses, [{ type: 'InternalIP', address: '192.0.2.70' }, { type: 'Hostname', address: name }]);
    assert.ok(!JSON.stringify(addressed!.value!.document).includes('lastHeartbeatTime'), 'conditions are not part of the document');

    // A kubelet heartbeat (only the condition times change), then a real change: only the real one is published.
    const countBefore = recorder.messages.filter((m) => m.key === key).length;
    await patchStatus(heartbeat('2026-01-01T00:00:10Z'));
    await patchStatus(heartbeat('2026-01-01T00:00:20Z'));
    await patchStatus({ status: { addresses: [{ type: 'InternalIP', address: '192.0.2.71' }] } });
    await recorder.until('node address change published', key, (x) => JSON.stringify(x?.value?.document ?? {}).includes('192.0.2.71'));
    assert.equal(recorder.messages.filter((m) => m.key === key).length, countBefore + 1, 'the heartbeats published nothing');

    await cluster.call('DELETE', nodePath);
    await recorder.until('node tombstone', key, (x) => x !== undefined && x.value === null);
  });

  it('admin policy kinds (CRDs installed after the start): created, updated, deleted', async () => {
    await cluster.installCrds('networkPolicyApi');
    const metrics = async () => (await fetch(`http://127.0.0.1:${sync.healthPort}/metrics`)).text();
    await waitFor('admin policy kinds followed', async () => {
      const text = await metrics();
      return ['policy.networking.k8s.io/v1alpha1/AdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1/BaselineAdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha2/ClusterNetworkPolicy']
        .every((k) => text.includes(`segflow_inventory_sync_objects{kind="${k}"}`)) ? true : undefined;
    }, 30_000, 200);
    const group = '/apis/policy.networking.k8s.io';
    const policies = [
      {
        key: `AdminNetworkPolicy//guard-${ns}`, path: `${group}/v1alpha1/adminnetworkpolicies`,
        object: { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: `guard-${ns}` }, spec: { priority: 10, subject: { namespaces: {} }, ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }] } },
        update: (spec: Record<string, unknown>) => (spec.priority = 11),
        updated: (spec: Record<string, unknown>) => spec.priority === 11,
      },
      {
        key: 'BaselineAdminNetworkPolicy//default', path: `${group}/v1alpha1/baselineadminnetworkpolicies`,
        object: { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: { namespaces: {} }, ingress: [{ name: 'deny-rest', action: 'Deny', from: [{ namespaces: {} }] }] } },
        update: (spec: Record<string, unknown>) => (spec.ingress = [{ name: 'allow-rest', action: 'Allow', from: [{ namespaces: {} }] }]),
        updated: (spec: Record<string, unknown>) => JSON.stringify(spec.ingress).includes('allow-rest'),
      },
      {
        key: `ClusterNetworkPolicy//isolate-${ns}`, path: `${group}/v1alpha2/clusternetworkpolicies`,
        object: { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: `isolate-${ns}` }, spec: { tier: 'Admin', priority: 5, subject: { namespaces: { matchLabels: { team: 'shop' } } }, ingress: [{ name: 'deny-in', action: 'Deny', from: [{ namespaces: {} }] }] } },
        update: (spec: Record<string, unknown>) => (spec.tier = 'Baseline'),
        updated: (spec: Record<string, unknown>) => spec.tier === 'Baseline',
      },
    ];
    const uids = new Map<string, string>();
    for (const p of policies) uids.set(p.key, (await cluster.call<{ metadata: { uid: string } }>('POST', p.path, p.object)).metadata.uid);
    for (const p of policies) {
      const m = await recorder.until(`${p.key} created`, p.key, (x) => x?.value != null);
      const { metadata, ...rest } = m!.value!.document as { metadata: { name: string; uid: string } };
      assert.deepEqual(rest, { apiVersion: p.object.apiVersion, kind: p.object.kind, spec: p.object.spec }, `${p.key}: the document is the object as applied`);
      assert.equal(metadata.name, p.object.metadata.name);
      assert.equal(metadata.uid, uids.get(p.key));
      assert.match(m!.value!.origin, new RegExp(`^kubernetes:lab:${p.object.apiVersion.replace(/\./g, '\\.')}/${p.object.kind}//${p.object.metadata.name}@\\d+$`));
    }
    for (const p of policies) {
      const current = await cluster.call<Record<string, unknown>>('GET', `${p.path}/${p.object.metadata.name}`);
      p.update(current.spec as Record<string, unknown>);
      await cluster.call('PUT', `${p.path}/${p.object.metadata.name}`, current);
    }
    for (const p of policies) await recorder.until(`${p.key} updated`, p.key, (x) => x?.value != null && p.updated(x.value.document.spec as Record<string, unknown>));
    for (const p of policies) await cluster.call('DELETE', `${p.path}/${p.object.metadata.name}`);
    for (const p of policies) await recorder.until(`${p.key} deleted`, p.key, (x) => x !== undefined && x.value === null);
  });

  it('a connection cut across an etcd compaction ends in 410, a relist and a reconcile', async () => {
    const pods = `/api/v1/namespaces/${ns}/pods`;
    const mk = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await cluster.call('POST', pods, mk('keep'));
    await cluster.call('POST', pods, mk('doomed'));
    await recorder.until('doomed published', `Pod/${ns}/doomed`, (x) => x?.value != null);
    const metricValue = async (re: RegExp): Promise<number> => Number(re.exec(await (await fetch(`http://127.0.0.1:${sync.healthPort}/metrics`)).text())?.[1] ?? 0);
    const relistsBefore = await metricValue(/segflow_inventory_sync_relists_total\{kind="v1\/Pod"\} (\d+)/);

    const port = proxy.port;
    await proxy.cut();
    await cluster.call('DELETE', `${pods}/doomed`);
    await cluster.call('POST', pods, mk('born-while-away'));
    const keep = await cluster.call<Record<string, unknown>>('GET', `${pods}/keep`);
    (keep.metadata as { labels?: Record<string, string> }).labels = { changed: 'while-away' };
    await cluster.call('PUT', `${pods}/keep`, keep);
    await cluster.compactEtcd();
    await new Promise((r) => setTimeout(r, 1000));
    await proxy.open(port);

    await recorder.until('tombstone for the pod deleted while away', `Pod/${ns}/doomed`, (x) => x !== undefined && x.value === null, 60_000);
    await recorder.until('pod created while away', `Pod/${ns}/born-while-away`, (x) => x?.value != null);
    await recorder.until('pod changed while away', `Pod/${ns}/keep`, (x) => JSON.stringify(x?.value?.document ?? {}).includes('while-away'));
    assert.ok(await metricValue(/segflow_inventory_sync_relists_total\{kind="v1\/Pod"\} (\d+)/) > relistsBefore, 'the pods were listed again');
    assert.ok(await metricValue(/segflow_inventory_sync_watch_restarts_total\{kind="v1\/Pod",reason="gone"\} (\d+)/) >= 1, 'after a 410');
  });

  it('an apiserver killed and restarted: the changes made right after it is back arrive', async () => {
    const pods = `/api/v1/namespaces/${ns}/pods`;
    await cluster.killApiserver();
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await fetch(`http://127.0.0.1:${sync.healthPort}/healthz`)).status, 200, 'the sync stays alive while the API is down');
    await cluster.startApiserver();
    await cluster.call('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'after-restart', namespace: ns }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await cluster.call('DELETE', `${pods}/keep`);
    await recorder.until('pod created after the restart', `Pod/${ns}/after-restart`, (x) => x?.value != null, 60_000);
    await recorder.until('pod deleted after the restart', `Pod/${ns}/keep`, (x) => x !== undefined && x.value === null, 60_000);
  });

  /*
   * What is right when v3 appears: v3 is then what Calico's API serves, so the sync follows it
   * alone, in one step per kind. A key the v3 list also holds is not tombstoned on the way (its
   * document is replaced by the v3 one, origin and all); a key only the backend form held is
   * tombstoned (it is not in Calico's API any more: no stale key); later changes of the backend
   * objects are ignored (never both forms). The v3 objects are created while the sync cannot
   * reach the apiserver, as a migration would have copied them by the time it looks.
   */
  it('v3 CRDs installed after the start: each Calico kind switches to v3 in one step, no tombstone for what v3 keeps, none stale', async () => {
    const backend = '/apis/crd.projectcalico.org/v1';
    const v3 = '/apis/projectcalico.org/v3';
    const objects = {
      tier: { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'migrating' }, spec: { order: 40 } },
      gns: { apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkSet', metadata: { name: 'stays', labels: { list: 'a' } }, spec: { nets: ['192.0.2.0/24'] } },
      policy: { apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'not-copied', namespace: ns }, spec: { tier: 'default', selector: 'all()', types: ['Ingress'] } },
    };
    await cluster.call('POST', `${backend}/tiers`, objects.tier);
    await cluster.call('POST', `${backend}/globalnetworksets`, objects.gns);
    await cluster.call('POST', `${backend}/namespaces/${ns}/networkpolicies`, objects.policy);
    const keys = { tier: 'Tier//migrating', gns: 'GlobalNetworkSet//stays', policy: `NetworkPolicy/${ns}/not-copied`, added: `NetworkSet/${ns}/new-in-v3` };
    for (const key of [keys.tier, keys.gns, keys.policy]) {
      const m = await recorder.until(`${key} published from the backend form`, key, (x) => x?.value != null);
      assert.match(m!.value!.origin, /^kubernetes:lab:crd\.projectcalico\.org\/v1\//);
    }

    const port = proxy.port;
    await proxy.cut();
    await cluster.installCrds('calicoV3');
    const asV3 = (o: { metadata: Record<string, unknown>; spec: unknown; kind: string }) => ({ apiVersion: 'projectcalico.org/v3', kind: o.kind, metadata: o.metadata, spec: o.spec });
    await cluster.call('POST', `${v3}/tiers`, asV3(objects.tier));
    await cluster.call('POST', `${v3}/globalnetworksets`, asV3(objects.gns));
    await cluster.call('POST', `${v3}/namespaces/${ns}/networksets`, { apiVersion: 'projectcalico.org/v3', kind: 'NetworkSet', metadata: { name: 'new-in-v3', namespace: ns }, spec: { nets: ['203.0.113.0/24'] } });
    const offsetBefore = recorder.messages.at(-1)?.offset ?? -1;
    await proxy.open(port);

    await recorder.until('the key only the backend form had is tombstoned', keys.policy, (x) => x !== undefined && x.value === null, 60_000);
    await recorder.until('the v3-only object is published', keys.added, (x) => x?.value?.origin.includes(':projectcalico.org/v3/NetworkSet/') === true);
    for (const key of [keys.tier, keys.gns]) await recorder.until(`${key} now from v3`, key, (x) => x?.value?.origin.startsWith('kubernetes:lab:projectcalico.org/v3/') === true, 30_000);
    const since = recorder.messages.filter((m) => m.offset > offsetBefore);
    // Tier//security (from the CRD test above) was not copied either.
    assert.deepEqual(since.filter((m) => m.value === null).map((m) => m.key).sort(), [keys.policy, 'Tier//security'].sort(), 'tombstones only for the keys v3 does not have');
    for (const key of [keys.tier, keys.gns]) assert.equal(since.filter((m) => m.key === key).length, 1, `${key}: replaced once, no tombstone in between`);
    assert.deepEqual((recorder.last(keys.gns)!.value!.document.spec as { nets: string[] }).nets, ['192.0.2.0/24']);

    // The backend form is no longer followed: its changes publish nothing; v3's do.
    const countBefore = recorder.messages.length;
    const old = await cluster.call<Record<string, unknown>>('GET', `${backend}/globalnetworksets/stays`);
    (old.spec as { nets: string[] }).nets = ['192.0.2.0/25'];
    await cluster.call('PUT', `${backend}/globalnetworksets/stays`, old);
    await cluster.call('POST', `${backend}/tiers`, { ...objects.tier, metadata: { name: 'backend-after-switch' } });
    const current = await cluster.call<Record<string, unknown>>('GET', `${v3}/tiers/migrating`);
    (current.spec as { order: number }).order = 41;
    await cluster.call('PUT', `${v3}/tiers/migrating`, current);
    await recorder.until('the v3 change is published', keys.tier, (x) => (x?.value?.document.spec as { order?: number } | undefined)?.order === 41);
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(recorder.messages.slice(countBefore).map((m) => m.key), [keys.tier], 'only the v3 change was published');
    const metrics = await (await fetch(`http://127.0.0.1:${sync.healthPort}/metrics`)).text();
    assert.doesNotMatch(metrics, /segflow_inventory_sync_objects\{kind="crd\.projectcalico\.org\//, 'no backend kind followed any more');
    assert.match(metrics, /segflow_inventory_sync_objects\{kind="projectcalico\.org\/v3\/Tier"\} 1\b/, 'v3 Tiers: migrating alone');
  });
});
