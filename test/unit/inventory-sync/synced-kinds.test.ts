/**
 * Which kinds the sync follows, from discovery: projectcalico.org/v3 when it serves the kind
 * (never both forms), the backend CRDs otherwise, absent kinds skipped, and a kind whose preferred
 * API could not be asked left undecided rather than switched to the other form.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectionPath, resolveKinds, WANTED_KINDS, type GroupVersionDiscovery } from '../../../src/inventory-sync/synced-kinds.ts';

const served = (...resources: Array<[string, string, boolean]>): GroupVersionDiscovery => ({
  state: 'served', resources: resources.map(([name, kind, namespaced]) => ({ name, kind, namespaced, verbs: ['get', 'list', 'watch'] })),
});
const tier = WANTED_KINDS.filter((w) => w.family === 'calico/Tier' || w.family === 'core/Pod');

describe('resolveKinds', () => {
  it('prefers v3, falls back to the backend CRDs, skips what is not served', () => {
    const both = new Map<string, GroupVersionDiscovery>([
      ['v1', served(['pods', 'Pod', true], ['pods/status', 'Pod', true])],
      ['projectcalico.org/v3', served(['tiers', 'Tier', false])],
      ['crd.projectcalico.org/v1', served(['tiers', 'Tier', false])],
    ]);
    const r = resolveKinds(both, tier);
    assert.deepEqual(r.map((x) => (x.state === 'served' ? `${x.served.group}/${x.served.version}/${x.served.resource}` : x.state)), ['/v1/pods', 'projectcalico.org/v3/tiers']);
    assert.equal(r[0]?.state === 'served' && collectionPath(r[0].served), '/api/v1/pods');

    const backendOnly = new Map(both).set('projectcalico.org/v3', { state: 'absent' });
    const b = resolveKinds(backendOnly, tier)[1];
    assert.equal(b?.state === 'served' && collectionPath(b.served), '/apis/crd.projectcalico.org/v1/tiers');

    const none = new Map(backendOnly).set('crd.projectcalico.org/v1', { state: 'absent' });
    assert.deepEqual(resolveKinds(none, tier)[1], { state: 'absent', wanted: tier[1], tried: 'projectcalico.org/v3, crd.projectcalico.org/v1' });
  });

  it('an unanswered preferred API leaves the kind undecided (no flip to the backend form)', () => {
    const flaky = new Map<string, GroupVersionDiscovery>([
      ['projectcalico.org/v3', { state: 'unknown', reason: '503 service unavailable' }],
      ['crd.projectcalico.org/v1', served(['tiers', 'Tier', false])],
    ]);
    const r = resolveKinds(flaky, tier.slice(1));
    assert.equal(r[0]?.state, 'unknown');
  });

  it('a resource without list and watch is not followed', () => {
    const d = new Map<string, GroupVersionDiscovery>([['v1', { state: 'served', resources: [{ name: 'pods', kind: 'Pod', namespaced: true, verbs: ['get'] }] }]]);
    assert.equal(resolveKinds(d, tier.slice(0, 1))[0]?.state, 'absent');
  });
});
