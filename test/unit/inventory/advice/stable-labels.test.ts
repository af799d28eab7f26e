/** Stable identity labels and peer selectors: table cases. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identityLabels, isVolatileLabel, peerSelector, sameIdentity, stableLabels } from '../../../../src/inventory/advice/stable-labels.ts';

describe('stable labels', () => {
  const volatile: [string, boolean][] = [
    ['pod-template-hash', true], ['controller-revision-hash', true], ['statefulset.kubernetes.io/pod-name', true],
    ['apps.kubernetes.io/pod-index', true], ['job-name', true], ['batch.kubernetes.io/job-name', true],
    ['batch.kubernetes.io/controller-uid', true], ['controller-uid', true], ['pod-template-generation', true],
    ['projectcalico.org/namespace', true], ['pcns.team', true], ['app.kubernetes.io/version', true],
    ['app', false], ['app.kubernetes.io/name', false], ['tier', false], ['k8s-app', false],
  ];
  for (const [key, expected] of volatile) {
    it(`${key} is ${expected ? '' : 'not '}volatile`, () => assert.equal(isVolatileLabel(key), expected));
  }

  it('stableLabels drops the volatile ones and accepts a Map', () => {
    const labels = new Map([['app', 'postgres'], ['statefulset.kubernetes.io/pod-name', 'postgres-0'], ['controller-revision-hash', 'postgres-5d8'], ['tier', 'db']]);
    assert.deepEqual(stableLabels(labels), { app: 'postgres', tier: 'db' });
  });

  const identity: { name: string; labels: Record<string, string>; expected: Record<string, string> }[] = [
    { name: 'app.kubernetes.io/name with refiners', labels: { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/component': 'web', 'app.kubernetes.io/instance': 'prod', 'pod-template-hash': 'x', team: 'a' }, expected: { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/component': 'web', 'app.kubernetes.io/instance': 'prod' } },
    { name: 'app wins over the rest', labels: { app: 'frontend', tier: 'web', 'pod-template-hash': '7c9' }, expected: { app: 'frontend' } },
    { name: 'k8s-app', labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '1' }, expected: { 'k8s-app': 'kube-dns' } },
    { name: 'no app key: every stable label', labels: { role: 'db', team: 'data', 'job-name': 'j-1' }, expected: { role: 'db', team: 'data' } },
    { name: 'only volatile labels: none', labels: { 'job-name': 'j-1', 'batch.kubernetes.io/job-name': 'j-1' }, expected: {} },
  ];
  for (const c of identity) it(`identityLabels: ${c.name}`, () => assert.deepEqual(identityLabels(c.labels), c.expected));

  it('peerSelector builds sorted matchLabels and the Calico selector', () => {
    const p = peerSelector({ namespace: 'shop', labels: { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/component': 'db', 'pod-template-hash': 'abc' } });
    assert.deepEqual(p, {
      namespace: 'shop',
      labels: { 'app.kubernetes.io/component': 'db', 'app.kubernetes.io/name': 'shop' },
      selector: "app.kubernetes.io/component == 'db' && app.kubernetes.io/name == 'shop'",
    });
  });

  it('peerSelector of an endpoint without identity labels selects the namespace', () => {
    assert.deepEqual(peerSelector({ namespace: 'batch', labels: { 'job-name': 'x' } }), { namespace: 'batch', labels: {}, selector: 'all()' });
  });

  it('peerSelector of a host endpoint is cluster-scoped', () => {
    assert.deepEqual(peerSelector({ namespace: null, labels: { 'kubernetes.io/hostname': 'node-1', role: 'ingress' } }), {
      namespace: null, labels: { 'kubernetes.io/hostname': 'node-1', role: 'ingress' }, selector: "kubernetes.io/hostname == 'node-1' && role == 'ingress'",
    });
  });
});

describe('sameIdentity', () => {
  const cases: { name: string; a: { namespace: string | null; labels: Record<string, string>; ip?: string }; b: { namespace: string | null; labels: Record<string, string>; ip?: string }; same: boolean }[] = [
    { name: 'two replicas of one deployment', a: { namespace: 'shop', labels: { app: 'web', 'pod-template-hash': 'a' } }, b: { namespace: 'shop', labels: { app: 'web', 'pod-template-hash': 'b' } }, same: true },
    { name: 'same app in another namespace', a: { namespace: 'shop', labels: { app: 'web' } }, b: { namespace: 'dev', labels: { app: 'web' } }, same: false },
    { name: 'different apps', a: { namespace: 'shop', labels: { app: 'web' } }, b: { namespace: 'shop', labels: { app: 'api' } }, same: false },
    { name: 'unlabelled: by address', a: { namespace: null, labels: {}, ip: '203.0.113.5' }, b: { namespace: null, labels: {}, ip: '203.0.113.5' }, same: true },
    { name: 'unlabelled, other address', a: { namespace: null, labels: {}, ip: '203.0.113.5' }, b: { namespace: null, labels: {}, ip: '203.0.113.6' }, same: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(sameIdentity(c.a, c.b), c.same));
});
