/**
 * `segflow inventory sync` under exactly the RBAC segflow ships: the ClusterRole, Role and
 * bindings of deploy/kustomize/base/inventory-sync/ as src/install/render-kustomization.ts renders
 * the base, against a real kube-apiserver with --authorization-mode=RBAC, as the ServiceAccount
 * segflow:segflow-inventory-sync with a token from the TokenRequest API (in a kubeconfig file,
 * never on the command line), writing to the shared Kafka. Every kind is synced — the Kubernetes
 * kinds, Calico's backend CRDs, the admin policy CRDs, and Calico's v3 CRDs once they are
 * installed — the Lease is taken and renewed, and nothing is forbidden.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderKustomization } from '../../src/install/render-kustomization.ts';
import { readInventorySnapshot } from '../../src/inventory/topic/inventory-snapshot.ts';
import { ensureInventoryTopic } from '../../src/inventory/topic/inventory-topic.ts';
import { projectRoot } from '../../src/services/services-config.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { freePort, startKubeCluster, type KubeCluster } from '../harness/kube-cluster.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const brokers = requireKafkaBrokers();
const topic = uniqueName('inventory-sync-rbac-shipped');
const NAMESPACE = 'segflow';
const SERVICE_ACCOUNT = 'segflow-inventory-sync';
const kafka = createKafka(brokers, 'inventory-sync-rbac-shipped-test');

type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: unknown };

/** The objects one kind of each the sync follows (backend Calico form), and their topic keys. */
function objectsOfEveryKind(ns: string): Array<{ path: string; object: KubeObject; key: string }> {
  const calico = (plural: string, kind: string, name: string, spec: unknown, namespaced: boolean, key: string) => ({
    path: `/apis/crd.projectcalico.org/v1/${namespaced ? `namespaces/${ns}/` : ''}${plural}`,
    object: { apiVersion: 'crd.projectcalico.org/v1', kind, metadata: { name, ...(namespaced ? { namespace: ns } : {}) }, spec }, key,
  });
  return [
    { path: `/api/v1/namespaces/${ns}/pods`, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: ns }, spec: { containers: [{ name: 'c', image: 'x' }] } }, key: `Pod/${ns}/web` },
    { path: `/api/v1/namespaces/${ns}/serviceaccounts`, object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: ns } }, key: `ServiceAccount/${ns}/robot` },
    { path: `/api/v1/namespaces/${ns}/services`, object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }, key: `Service/${ns}/web` },
    { path: '/api/v1/nodes', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${ns}` } }, key: `Node//node-${ns}` },
    { path: `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, object: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', namespace: ns, labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.5'] }], ports: [{ port: 80, protocol: 'TCP' }] }, key: `EndpointSlice/${ns}/web-1` },
    { path: `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`, object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: ns }, spec: { podSelector: {} } }, key: `KubernetesNetworkPolicy/${ns}/deny` },
    { path: '/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies', object: { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'guard' }, spec: { priority: 10, subject: { namespaces: {} }, ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }] } }, key: 'AdminNetworkPolicy//guard' },
    { path: '/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies', object: { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: { namespaces: {} }, ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }] } }, key: 'BaselineAdminNetworkPolicy//default' },
    { path: '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies', object: { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'isolate' }, spec: { tier: 'Admin', priority: 5, subject: { namespaces: {} }, ingress: [{ name: 'deny-in', action: 'Deny', from: [{ namespaces: {} }] }] } }, key: 'ClusterNetworkPolicy//isolate' },
    calico('tiers', 'Tier', 'security', { order: 100 }, false, 'Tier//security'),
    calico('globalnetworkpolicies', 'GlobalNetworkPolicy', 'gnp', { selector: 'all()', types: ['Ingress'] }, false, 'GlobalNetworkPolicy//gnp'),
    calico('networkpolicies', 'NetworkPolicy', 'np', { selector: 'all()', types: ['Ingress'] }, true, `NetworkPolicy/${ns}/np`),
    calico('stagedglobalnetworkpolicies', 'StagedGlobalNetworkPolicy', 'sgnp', { selector: 'all()', types: ['Ingress'] }, false, 'StagedGlobalNetworkPolicy//sgnp'),
    calico('stagednetworkpolicies', 'StagedNetworkPolicy', 'snp', { selector: 'all()', types: ['Ingress'] }, true, `StagedNetworkPolicy/${ns}/snp`),
    calico('stagedkubernetesnetworkpolicies', 'StagedKubernetesNetworkPolicy', 'sknp', { stagedAction: 'Set', podSelector: {}, policyTypes: ['Ingress'] }, true, `StagedKubernetesNetworkPolicy/${ns}/sknp`),
    calico('globalnetworksets', 'GlobalNetworkSet', 'gns', { nets: ['198.51.100.0/24'] }, false, 'GlobalNetworkSet//gns'),
    calico('networksets', 'NetworkSet', 'ns-set', { nets: ['203.0.113.0/24'] }, true, `NetworkSet/${ns}/ns-set`),
    calico('hostendpoints', 'HostEndpoint', 'hep', { node: 'node1', interfaceName: 'eth0', expectedIPs: ['192.0.2.10'] }, false, 'HostEndpoint//hep'),
  ];
}

describe('inventory sync under the shipped RBAC (ServiceAccount, TokenRequest token)', () => {
  let cluster: KubeCluster;
  let sync: ChildProcess | undefined;
  let stderr = '';
  let healthPort = 0;
  const ns = `shop-${Date.now().toString(36)}`;

  const logLines = (): Array<{ level: number; msg: string; [k: string]: unknown }> =>
    stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string });
  const metrics = async (): Promise<string> => (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
  const readyz = async (): Promise<{ status: number; body: { ready: boolean; leader: boolean; reasons: string[] } }> => {
    const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
    return { status: res.status, body: (await res.json()) as { ready: boolean; leader: boolean; reasons: string[] } };
  };
  const snapshotKeys = async (): Promise<Map<string, string>> => {
    const snapshot = await readInventorySnapshot(kafka, topic);
    return new Map([...snapshot].map(([k, r]) => [k, r.origin]));
  };

  before(async () => {
    cluster = await startKubeCluster({ authorization: 'RBAC', crds: ['calico', 'networkPolicyApi'] });
    // The shipped base, rendered; only the sync's identity and permissions (and their namespace) are applied.
    const rendered = await renderKustomization(path.join(projectRoot, 'deploy', 'kustomize', 'base')) as KubeObject[];
    const rbacKinds = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
    const shipped = rendered.filter((o) => (o.kind === 'Namespace' && o.metadata.name === NAMESPACE)
      || (o.kind === 'ServiceAccount' && o.metadata.name === SERVICE_ACCOUNT)
      || (rbacKinds.has(o.kind) && o.metadata.labels?.['app.kubernetes.io/component'] === 'inventory-sync'));
    assert.deepEqual(shipped.map((o) => o.kind).sort(), ['ClusterRole', 'ClusterRoleBinding', 'Namespace', 'Role', 'RoleBinding', 'ServiceAccount'], 'the base ships the sync\'s RBAC');
    assert.ok(shipped.every((o) => o.kind === 'Namespace' || o.kind.startsWith('Cluster') || o.metadata.namespace === NAMESPACE));
    await cluster.applyObjects(shipped);

    await cluster.createNamespace(ns);
    for (const o of objectsOfEveryKind(ns)) await cluster.call('POST', o.path, o.object);
    await cluster.call('PATCH', `/api/v1/nodes/node-${ns}/status`, { status: { addresses: [{ type: 'InternalIP', address: '192.0.2.77' }] } }, { contentType: 'application/merge-patch+json' });

    const tokenRequest = await cluster.call<{ status: { token: string } }>('POST', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/${SERVICE_ACCOUNT}/token`, {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 },
    });
    const kubeconfig = await cluster.kubeconfigFor(tokenRequest.status.token, 'shipped');

    const admin = kafka.admin();
    await admin.connect();
    await ensureInventoryTopic(admin, topic);
    await admin.disconnect();
    healthPort = await freePort();
    sync = spawn(process.execPath, [
      'bin/segflow.js', 'inventory', 'sync', '--kubeconfig', kubeconfig, '--cluster-name', 'shipped', '--brokers', brokers, '--topic', topic,
      '--lease-namespace', NAMESPACE, '--health-host', '127.0.0.1', '--health-port', String(healthPort),
    ], { cwd: projectRoot, env: { ...process.env, POD_NAME: 'sync-shipped', SEGFLOW_LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] });
    sync.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  });

  after(async () => {
    if (sync && sync.exitCode === null) {
      const exited = new Promise((r) => sync!.once('exit', r));
      sync.kill('SIGTERM');
      const timer = setTimeout(() => sync!.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await cluster?.stop();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('runs as the ServiceAccount, leads through the Lease, syncs every kind, nothing forbidden', async () => {
    await waitFor('ready and leading', async () => {
      const r = await readyz().catch(() => undefined);
      return r?.status === 200 && r.body.leader ? true : undefined;
    }, 90_000, 200).catch((err: Error) => {
      throw new Error(`${err.message}\n${stderr.slice(-4000)}`);
    });
    assert.deepEqual((await readyz()).body.reasons, []);
    const connecting = logLines().find((l) => l.msg === 'connecting to the Kubernetes API');
    assert.equal(connecting?.user, `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`, 'the sync knows who it is (SelfSubjectReview allowed)');

    const expected = [`Namespace//${ns}`, ...objectsOfEveryKind(ns).map((o) => o.key)];
    await waitFor('every kind on the topic', async () => {
      const keys = await snapshotKeys();
      return expected.every((k) => keys.has(k)) ? true : undefined;
    }, 30_000, 250).catch(async (err: Error) => {
      const keys = await snapshotKeys();
      throw new Error(`${err.message}: missing ${expected.filter((k) => !keys.has(k)).join(', ')}`);
    });
    const origins = await snapshotKeys();
    for (const key of expected) assert.match(origins.get(key)!, /^kubernetes:shipped:/, key);
    assert.match(origins.get('Tier//security')!, /:crd\.projectcalico\.org\/v1\/Tier\//, 'Calico kinds read from the backend CRDs');

    // The Lease: created by the ServiceAccount and renewed (get + update on its name).
    const leasePath = `/apis/coordination.k8s.io/v1/namespaces/${NAMESPACE}/leases/segflow-inventory-sync`;
    const first = await cluster.call<{ spec: { holderIdentity: string; renewTime: string } }>('GET', leasePath);
    assert.equal(first.spec.holderIdentity, 'sync-shipped');
    await waitFor('the lease renewed', async () => ((await cluster.call<{ spec: { renewTime: string } }>('GET', leasePath)).spec.renewTime !== first.spec.renewTime ? true : undefined), 20_000, 500);
  });

  it('Calico\'s v3 CRDs installed later: followed as v3 under the same role', async () => {
    await cluster.installCrds('calicoV3');
    const v3 = '/apis/projectcalico.org/v3';
    const created: Array<[string, string, Record<string, unknown>]> = [
      [`${v3}/tiers`, 'Tier//v3-tier', { kind: 'Tier', metadata: { name: 'v3-tier' }, spec: { order: 200 } }],
      [`${v3}/globalnetworkpolicies`, 'GlobalNetworkPolicy//v3-gnp', { kind: 'GlobalNetworkPolicy', metadata: { name: 'v3-gnp' }, spec: { selector: 'all()', types: ['Ingress'] } }],
      [`${v3}/namespaces/${ns}/networkpolicies`, `NetworkPolicy/${ns}/v3-np`, { kind: 'NetworkPolicy', metadata: { name: 'v3-np', namespace: ns }, spec: { selector: 'all()', types: ['Ingress'] } }],
      [`${v3}/stagedglobalnetworkpolicies`, 'StagedGlobalNetworkPolicy//v3-sgnp', { kind: 'StagedGlobalNetworkPolicy', metadata: { name: 'v3-sgnp' }, spec: { selector: 'all()', types: ['Ingress'] } }],
      [`${v3}/namespaces/${ns}/stagednetworkpolicies`, `StagedNetworkPolicy/${ns}/v3-snp`, { kind: 'StagedNetworkPolicy', metadata: { name: 'v3-snp', namespace: ns }, spec: { selector: 'all()', types: ['Ingress'] } }],
      [`${v3}/namespaces/${ns}/stagedkubernetesnetworkpolicies`, `StagedKubernetesNetworkPolicy/${ns}/v3-sknp`, { kind: 'StagedKubernetesNetworkPolicy', metadata: { name: 'v3-sknp', namespace: ns }, spec: { stagedAction: 'Set', podSelector: {}, policyTypes: ['Ingress'] } }],
      [`${v3}/globalnetworksets`, 'GlobalNetworkSet//v3-gns', { kind: 'GlobalNetworkSet', metadata: { name: 'v3-gns' }, spec: { nets: ['198.51.100.0/24'] } }],
      [`${v3}/namespaces/${ns}/networksets`, `NetworkSet/${ns}/v3-ns`, { kind: 'NetworkSet', metadata: { name: 'v3-ns', namespace: ns }, spec: { nets: ['203.0.113.0/24'] } }],
      [`${v3}/hostendpoints`, 'HostEndpoint//v3-hep', { kind: 'HostEndpoint', metadata: { name: 'v3-hep' }, spec: { node: 'node1', interfaceName: 'eth1', expectedIPs: ['192.0.2.11'] } }],
    ];
    for (const [p, , body] of created) await cluster.call('POST', p, { apiVersion: 'projectcalico.org/v3', ...body });
    await waitFor('every v3 kind on the topic, from v3', async () => {
      const keys = await snapshotKeys();
      return created.every(([, key]) => keys.get(key)?.startsWith('kubernetes:shipped:projectcalico.org/v3/')) ? true : undefined;
    }, 60_000, 250).catch(async (err: Error) => {
      const keys = await snapshotKeys();
      throw new Error(`${err.message}: ${created.map(([, k]) => `${k}=${keys.get(k) ?? 'missing'}`).join(', ')}\n${stderr.slice(-3000)}`);
    });
    assert.match(await metrics(), /segflow_inventory_sync_forbidden_kinds 0\b/);
    assert.doesNotMatch(await metrics(), /reason="forbidden"/, 'no watch ended forbidden');
    assert.deepEqual((await readyz()).body.reasons, []);
    const problems = logLines().filter((l) => l.level >= 50 || /forbidden|403/i.test(l.msg));
    assert.deepEqual(problems.map((l) => l.msg), [], 'no error and nothing forbidden in the whole run');
  });
});
