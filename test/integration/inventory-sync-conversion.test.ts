/**
 * Conversion of objects read back from a REAL kube-apiserver (the schemas, defaults and pruning
 * of the real Calico and network-policy-api CRDs apply): Calico's backend form
 * (crd.projectcalico.org/v1, written as Calico's Kubernetes backend writes it), the v3 form
 * (projectcalico.org/v3 CRDs) and Kubernetes kinds become documents the loader accepts, and an
 * Inventory fed with them gives the verdicts Calico would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKubeCluster, type KubeCluster } from '../harness/kube-cluster.ts';
import { inventoryDocumentOf, type KubeObject } from '../../src/inventory-sync/convert/inventory-document.ts';
import { calicoUidOf } from '../../src/inventory-sync/convert/calico-uid.ts';
import { Inventory } from '../../src/inventory/inventory.ts';
import { documentKey } from '../../src/inventory/topic/resource-documents.ts';

type Obj = Record<string, unknown>;
interface Listed { items: Array<Obj & { metadata: Obj & { name: string; uid: string } }> }

const SHOP = 'conv-shop';
const V3NS = 'conv-v3';
const TCP = 6;

/** The metadata annotation Calico's backend writes (resources.go ConvertCalicoResourceToK8sResource). */
const calicoMetadata = (v3: Obj): Record<string, string> => ({ 'projectcalico.org/metadata': JSON.stringify(v3) });

describe('inventory documents from a real kube-apiserver', () => {
  let cluster: KubeCluster;
  const documents = new Map<string, Obj>();
  const warnings = new Map<string, readonly string[]>();
  const served = new Map<string, Obj>();

  async function list(path: string): Promise<Listed['items']> {
    return (await cluster.call<Listed>('GET', path)).items;
  }

  /** Converts every object of a collection (read back from the API), expecting success. */
  async function convertAll(path: string, apiVersion: string, kind: string): Promise<void> {
    for (const item of await list(path)) {
      const object = { ...item, apiVersion, kind } as KubeObject;
      const result = inventoryDocumentOf(object);
      if (!result.ok) assert.fail(`${kind} ${item.metadata.name}: ${result.errors.join('; ')}`);
      const key = documentKey(result.document);
      assert.ok(key, `${kind} ${item.metadata.name} has a topic key`);
      documents.set(key, result.document);
      warnings.set(key, result.warnings);
      served.set(key, item);
    }
  }

  before(async () => {
    cluster = await startKubeCluster({ crds: ['calico', 'calicoV3', 'networkPolicyApi'] });
    await cluster.createNamespace(SHOP, { team: 'shop' });
    await cluster.createNamespace(V3NS);
    const pod = (ns: string, name: string, app: string, ports: Obj[] = []): Obj => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app } },
      spec: { nodeName: 'node1', serviceAccountName: 'default', containers: [{ name: 'c', image: 'x', ports }] },
    });
    await cluster.applyObjects([
      pod(SHOP, 'api', 'api'), pod(SHOP, 'db', 'db', [{ name: 'pg', containerPort: 5432 }]), pod(SHOP, 'web', 'web'), pod(V3NS, 'target', 'target'),
      // Calico's backend form, as written by libcalico-go's Kubernetes backend.
      { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'security', annotations: calicoMetadata({ creationTimestamp: '2026-01-01T00:00:00Z' }) }, spec: { order: 100 } },
      { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'unordered' }, spec: {} },
      {
        // Calico ≥ 3.30: the v3 name is in the annotation.
        apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy',
        metadata: { name: 'isolate-db', labels: { 'projectcalico.org/tier': 'security' }, annotations: calicoMetadata({ name: 'isolate-db', creationTimestamp: '2026-01-02T00:00:00Z', labels: { owner: 'platform' } }) },
        spec: { tier: 'security', order: 10, selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Pass', source: { selector: "app == 'api'" } }], bogus: 'pruned by the schema' },
      },
      {
        // Calico < 3.30: backend name with the tier prefix, annotation without a name; spec.tier left to the CRD default.
        apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy',
        metadata: { name: 'default.allow-api', namespace: SHOP, annotations: calicoMetadata({ creationTimestamp: '2025-06-01T00:00:00Z' }) },
        spec: { selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: "app == 'api'" }, destination: { ports: ['pg'] } }] },
      },
      {
        // Written straight into the CRD (no Calico client defaulted its types): Felix applies it both ways.
        apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy',
        metadata: { name: 'web-ingress-only', namespace: SHOP },
        spec: { tier: 'default', selector: "app == 'web'", ingress: [{ action: 'Allow' }] },
      },
      { apiVersion: 'crd.projectcalico.org/v1', kind: 'StagedKubernetesNetworkPolicy', metadata: { name: 'try-lockdown', namespace: SHOP }, spec: { podSelector: { matchLabels: { app: 'api' } }, egress: [{ to: [{ podSelector: {} }] }] } },
      { apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkSet', metadata: { name: 'partners', labels: { kind: 'partner' } }, spec: { nets: ['198.51.100.0/24'] } },
      { apiVersion: 'crd.projectcalico.org/v1', kind: 'HostEndpoint', metadata: { name: 'node1-eth0' }, spec: { node: 'node1', interfaceName: 'eth0', expectedIPs: ['192.0.2.1'] } },
      // projectcalico.org/v3 CRDs.
      { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'deny-ingress', namespace: V3NS }, spec: { tier: 'default', selector: 'all()', types: ['Ingress'] } },
      { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'v3-tier' }, spec: {} },
      // Kubernetes admin policy.
      { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'guard' }, spec: { priority: 10, subject: { namespaces: {} }, ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }] } },
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1', labels: { zone: 'z1' } }, spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] } },
    ]);
    for (const [ns, name, ip] of [[SHOP, 'api', '10.244.1.10'], [SHOP, 'db', '10.244.1.20'], [SHOP, 'web', '10.244.1.30'], [V3NS, 'target', '10.244.2.10']] as const) {
      await cluster.setPodStatus(ns, name, { podIP: ip, phase: 'Running' });
    }
    await cluster.call('PATCH', '/api/v1/nodes/node1/status', { status: { addresses: [{ type: 'InternalIP', address: '192.0.2.1' }], conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'KubeletReady', message: 'ok' }] } }, { contentType: 'application/merge-patch+json' });

    await convertAll('/api/v1/namespaces', 'v1', 'Namespace');
    await convertAll('/api/v1/pods', 'v1', 'Pod');
    await convertAll('/api/v1/nodes', 'v1', 'Node');
    for (const [plural, kind] of [['tiers', 'Tier'], ['globalnetworkpolicies', 'GlobalNetworkPolicy'], ['networkpolicies', 'NetworkPolicy'], ['stagedkubernetesnetworkpolicies', 'StagedKubernetesNetworkPolicy'], ['globalnetworksets', 'GlobalNetworkSet'], ['hostendpoints', 'HostEndpoint']]) {
      await convertAll(`/apis/crd.projectcalico.org/v1/${plural}`, 'crd.projectcalico.org/v1', kind as string);
    }
    await convertAll('/apis/projectcalico.org/v3/networkpolicies', 'projectcalico.org/v3', 'NetworkPolicy');
    await convertAll('/apis/projectcalico.org/v3/tiers', 'projectcalico.org/v3', 'Tier');
    await convertAll('/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies', 'policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy');
  });

  after(async () => {
    await cluster?.stop();
  });

  it('backend policies get their v3 names, Calico\'s UID, the annotation metadata, and pruned specs', () => {
    const gnp = documents.get('GlobalNetworkPolicy//isolate-db');
    assert.ok(gnp, `documents: ${[...documents.keys()].join(', ')}`);
    const stored = served.get('GlobalNetworkPolicy//isolate-db') as { metadata: { uid: string } };
    assert.deepEqual(gnp.metadata, {
      name: 'isolate-db', uid: calicoUidOf(stored.metadata.uid), creationTimestamp: '2026-01-02T00:00:00Z',
      labels: { owner: 'platform', 'projectcalico.org/tier': 'security' },
    });
    assert.equal((gnp.spec as Obj).bogus, undefined, 'the CRD schema pruned the unknown field');
    const old = documents.get(`NetworkPolicy/${SHOP}/allow-api`);
    assert.ok(old, 'default.allow-api (written before Calico 3.30) is NetworkPolicy allow-api');
    assert.equal((old.spec as Obj).tier, 'default', 'the CRD schema defaulted spec.tier');
    assert.equal((old.metadata as Obj).creationTimestamp, '2025-06-01T00:00:00Z');
    assert.equal(documents.has(`NetworkPolicy/${SHOP}/default.allow-api`), false);
  });

  it('Calico\'s read-side defaults are in the documents: tier order/action, unset policy types', () => {
    assert.deepEqual(documents.get('Tier//unordered')?.spec, { order: 1_000_000, defaultAction: 'Deny' });
    assert.deepEqual(documents.get('Tier//security')?.spec, { order: 100, defaultAction: 'Deny' });
    assert.deepEqual(documents.get('Tier//v3-tier')?.spec, { defaultAction: 'Deny', order: 1_000_000 }, 'the v3 CRD defaults defaultAction, Calico the order');
    assert.deepEqual((documents.get(`NetworkPolicy/${SHOP}/web-ingress-only`)?.spec as Obj).types, []);
    assert.match(warnings.get(`NetworkPolicy/${SHOP}/web-ingress-only`)?.join('\n') ?? '', /spec\.types: not set/);
    assert.deepEqual((documents.get(`StagedKubernetesNetworkPolicy/${SHOP}/try-lockdown`)?.spec as Obj).policyTypes, ['Ingress']);
  });

  it('v3 objects and Kubernetes kinds: identity kept, churn dropped', () => {
    const v3 = documents.get(`NetworkPolicy/${V3NS}/deny-ingress`);
    const v3Stored = served.get(`NetworkPolicy/${V3NS}/deny-ingress`) as { metadata: { uid: string } };
    assert.equal((v3?.metadata as Obj).uid, v3Stored.metadata.uid, 'a v3 object keeps its own UID');
    const db = documents.get(`Pod/${SHOP}/db`) as Obj;
    assert.deepEqual(db.spec, { nodeName: 'node1', serviceAccountName: 'default', containers: [{ name: 'c', ports: [{ name: 'pg', containerPort: 5432, protocol: 'TCP' }] }] });
    assert.deepEqual(db.status, { phase: 'Running', podIP: '10.244.1.20', podIPs: [{ ip: '10.244.1.20' }] });
    assert.deepEqual(Object.keys(db.metadata as Obj).sort(), ['creationTimestamp', 'labels', 'name', 'namespace', 'uid']);
    assert.deepEqual((documents.get(`Namespace//${SHOP}`)?.metadata as Obj).labels, { 'kubernetes.io/metadata.name': SHOP, team: 'shop' });
    assert.deepEqual(documents.get('Node//node1')?.status, { addresses: [{ type: 'InternalIP', address: '192.0.2.1' }] });
    assert.ok(documents.has('AdminNetworkPolicy//guard'));
  });

  it('no-op changes through the API (status heartbeats, pod conditions) convert to identical documents', async () => {
    const nodeBefore = documents.get('Node//node1');
    await cluster.call('PATCH', '/api/v1/nodes/node1/status', { status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:10Z', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'KubeletReady', message: 'ok' }] } }, { contentType: 'application/merge-patch+json' });
    const podBefore = documents.get(`Pod/${SHOP}/db`);
    await cluster.call('PATCH', `/api/v1/namespaces/${SHOP}/pods/db/status`, { status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:05Z' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 1, image: 'x', imageID: '', state: { running: { startedAt: '2026-01-01T00:00:04Z' } } }] } }, { contentType: 'application/merge-patch+json' });
    const node = await cluster.call<Obj & { metadata: { resourceVersion: string } }>('GET', '/api/v1/nodes/node1');
    const pod = await cluster.call<Obj & { metadata: { resourceVersion: string } }>('GET', `/api/v1/namespaces/${SHOP}/pods/db`);
    assert.notEqual(node.metadata.resourceVersion, (served.get('Node//node1') as { metadata: { resourceVersion: string } }).metadata.resourceVersion);
    const nodeAfter = inventoryDocumentOf({ ...node, apiVersion: 'v1', kind: 'Node' } as KubeObject);
    const podAfter = inventoryDocumentOf({ ...pod, apiVersion: 'v1', kind: 'Pod' } as KubeObject);
    assert.ok(nodeAfter.ok && podAfter.ok);
    assert.equal(JSON.stringify(nodeAfter.document), JSON.stringify(nodeBefore));
    assert.equal(JSON.stringify(podAfter.document), JSON.stringify(podBefore));
  });

  it('an Inventory fed with the documents gives Calico\'s verdicts', () => {
    const inventory = new Inventory({ cacheSize: 0 });
    for (const [key, document] of documents) {
      const errors = inventory.applyObject(document, { file: key, document: 1 }).filter((i) => i.severity === 'error');
      assert.deepEqual(errors.map((e) => e.message), [], key);
    }
    const flow = (src: string, dst: string, dstPort: number) => inventory.explain({ srcIp: src, dstIp: dst, protocol: TCP, srcPort: 40000, dstPort, time: Date.now() });
    // security tier passes api→db, the pre-3.30 default-tier policy (named port pg) allows it.
    const apiToDb = flow('10.244.1.10', '10.244.1.20', 5432);
    assert.equal(apiToDb.verdict, 'allow', JSON.stringify(apiToDb.ingress.trace));
    assert.equal(apiToDb.ingress.decidingHit?.name, 'allow-api', JSON.stringify(apiToDb.ingress));
    // Other port: not the named port → the default tier's end-of-tier deny.
    assert.equal(flow('10.244.1.10', '10.244.1.20', 5433).verdict, 'deny');
    // web → db: end of the security tier (isolate-db selects db, passes only api).
    const webToDb = flow('10.244.1.30', '10.244.1.20', 5432);
    assert.equal(webToDb.verdict, 'deny');
    assert.equal(webToDb.ingress.decidingHit?.tier, 'security');
    // web's policy has no stored types: Felix applies it to egress too, where it has no rule → deny.
    const webOut = flow('10.244.1.30', '10.244.1.10', 80);
    assert.equal(webOut.verdict, 'deny', JSON.stringify(webOut.egress.trace));
    assert.equal(webOut.decidedBy, 'egress');
    assert.equal(webOut.egress.decidingHit?.name, 'web-ingress-only');
    // The v3 policy denies ingress to its namespace's pods.
    const toV3 = flow('10.244.1.10', '10.244.2.10', 80);
    assert.equal(toV3.verdict, 'deny');
    assert.equal(toV3.ingress.decidingHit?.name, 'deny-ingress');
  });
});
