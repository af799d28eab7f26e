/**
 * The test harness's real kube-apiserver does what the Kubernetes tests rely on: the real Calico
 * and network-policy-api CRDs install and serve, pod status can be set as a kubelet would, the
 * apiserver can be killed and restarted with its data, and compacting etcd makes a watch from an
 * older resourceVersion end with 410 Gone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKubeCluster, type KubeCluster } from '../harness/kube-cluster.ts';

describe('kube test cluster (real etcd + kube-apiserver)', () => {
  let cluster: KubeCluster;
  before(async () => {
    cluster = await startKubeCluster({ crds: ['calico', 'networkPolicyApi'] });
  });
  after(async () => {
    await cluster?.stop();
  });

  it('serves the Calico backend CRDs and the admin network policy CRDs', async () => {
    const calico = await cluster.call<{ resources: Array<{ kind: string }> }>('GET', '/apis/crd.projectcalico.org/v1');
    const kinds = calico.resources.map((r) => r.kind);
    for (const kind of ['GlobalNetworkPolicy', 'NetworkPolicy', 'StagedNetworkPolicy', 'Tier', 'GlobalNetworkSet', 'NetworkSet', 'HostEndpoint']) {
      assert.ok(kinds.includes(kind), `crd.projectcalico.org/v1 serves ${kind} (got ${kinds.join(', ')})`);
    }
    const anp = await cluster.call<{ resources: Array<{ name: string; kind: string }> }>('GET', '/apis/policy.networking.k8s.io/v1alpha1');
    // Subresources (`x/status`) repeat their parent's kind.
    assert.deepEqual(anp.resources.filter((r) => !r.name.includes('/')).map((r) => r.kind).sort(), ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);
  });

  it('validates objects against the real CRD schema', async () => {
    const bad = await cluster.request('POST', '/apis/crd.projectcalico.org/v1/globalnetworkpolicies', {
      apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'default.bad' }, spec: { order: 'first' },
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
  });

  it('lets a test set pod status as a kubelet would', async () => {
    await cluster.createNamespace('harness-pods');
    await cluster.call('POST', '/api/v1/namespaces/harness-pods/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    await cluster.setPodStatus('harness-pods', 'web', { podIP: '10.244.0.7', phase: 'Running' });
    const pod = await cluster.call<{ status: { podIP: string; podIPs: Array<{ ip: string }>; phase: string } }>('GET', '/api/v1/namespaces/harness-pods/pods/web');
    assert.equal(pod.status.podIP, '10.244.0.7');
    assert.deepEqual(pod.status.podIPs, [{ ip: '10.244.0.7' }]);
    assert.equal(pod.status.phase, 'Running');
  });

  it('survives an apiserver SIGKILL and restart with its data', async () => {
    await cluster.createNamespace('harness-restart');
    await cluster.killApiserver();
    await assert.rejects(cluster.request('GET', '/api/v1/namespaces/harness-restart'));
    await cluster.startApiserver();
    const ns = await cluster.call<{ metadata: { name: string } }>('GET', '/api/v1/namespaces/harness-restart');
    assert.equal(ns.metadata.name, 'harness-restart');
  });

  it('answers 410 Gone to a watch from a resourceVersion compacted away', async () => {
    const list = await cluster.call<{ metadata: { resourceVersion: string } }>('GET', '/api/v1/namespaces');
    for (let i = 0; i < 3; i++) await cluster.createNamespace(`harness-compact-${i}`);
    await cluster.compactEtcd();
    // The watch cache may still hold the old window: restart so the watch goes to etcd.
    await cluster.killApiserver();
    await cluster.startApiserver();
    const res = await cluster.request<{ type?: string; object?: { code?: number } } | string>('GET', `/api/v1/namespaces?watch=1&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=2`);
    const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
    assert.ok(res.status === 410 || /"code":410/.test(text), `expected 410 Gone, got ${res.status}: ${text.slice(0, 300)}`);
  });
});
