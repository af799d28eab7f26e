/**
 * The identity → representative endpoint resolver the replay and the Goldmane source share:
 * workloads by owner prefix or exact name and every stored label, hosts by name, network sets by
 * (namespace and) name to an address inside their nets, pub/pvt never; the choice is the first
 * match by resource key whatever order the inventory lists endpoints in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory, loadResourceText, parseCidr } from '../../../src/inventory/index.ts';
import { addressInside, RepresentativeEndpoints, type EndIdentity } from '../../../src/inventory/endpoints/representative-endpoints.ts';

const pod = (name: string, ns: string, ip: string, labels: Record<string, string>, generateName?: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: ${JSON.stringify(labels)}${generateName ? `, generateName: ${generateName}` : ''}}
spec: {nodeName: node-1}
status: {podIP: ${ip}}
`;

const CLUSTER = [
  pod('frontend-7d9c5b-xk2lp', 'shop', '10.0.1.7', { app: 'frontend', 'pod-template-hash': '7d9c5b', track: 'canary' }),
  pod('frontend-7d9c5b-ab3cd', 'shop', '10.0.1.5', { app: 'frontend', 'pod-template-hash': '7d9c5b' }),
  pod('frontend-7d9c5b-zz9zz', 'other', '10.0.9.5', { app: 'frontend', 'pod-template-hash': '7d9c5b' }),
  pod('postgres-0', 'data', '10.0.2.10', { app: 'postgres' }),
  pod('postgres-1', 'data', '10.0.2.11', { app: 'postgres' }),
  pod('batch-run-q8x', 'jobs', '10.0.3.3', { app: 'batch' }, 'batch-run-'),
  pod('toolbox', 'ops', '10.0.4.4', { app: 'toolbox' }),
  `apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: node-1-eth0, labels: {role: gateway}}
spec: {node: node-1, interfaceName: eth0, expectedIPs: [192.168.0.11]}
`,
  `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: partners, labels: {kind: partner}}
spec: {nets: [203.0.113.0/24, 198.51.100.7/32]}
`,
  `apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata: {name: registry, namespace: shop}
spec: {nets: [2001:db8::/64]}
`,
  `apiVersion: projectcalico.org/v3
kind: NetworkSet
metadata: {name: empty, namespace: shop}
spec: {nets: []}
`,
].join('---\n');

function inventory(text: string): Inventory {
  const r = loadResourceText(text, 'cluster.yaml');
  assert.deepEqual(r.issues.filter((i) => i.severity === 'error').map((i) => i.message), []);
  return Inventory.fromResources(r.resources);
}

function resolverOf(inv: Inventory, reverse = false): RepresentativeEndpoints {
  return new RepresentativeEndpoints({
    endpoints: () => (reverse ? [...inv.endpoints.allEndpoints()].reverse() : inv.endpoints.allEndpoints()),
    networkSets: () => inv.endpoints.allNetworkSets(),
    revision: () => inv.revision,
  });
}

const id = (kind: string, namespace: string | null, name: string, labels: Record<string, string> = {}): EndIdentity => ({ kind, namespace, name, labels: Object.entries(labels) });

type Expect = { ip: string; key: string } | { code: string; reason: RegExp };
const CASES: { name: string; end: EndIdentity; expect: Expect }[] = [
  { name: 'workload by owner prefix: first by resource key', end: id('workload', 'shop', 'frontend-7d9c5b-*', { app: 'frontend' }), expect: { ip: '10.0.1.5', key: 'Pod/shop/frontend-7d9c5b-ab3cd' } },
  { name: 'workload by owner prefix: the stored labels narrow the choice', end: id('workload', 'shop', 'frontend-7d9c5b-*', { app: 'frontend', track: 'canary' }), expect: { ip: '10.0.1.7', key: 'Pod/shop/frontend-7d9c5b-xk2lp' } },
  { name: 'workload by owner prefix: the namespace counts', end: id('workload', 'other', 'frontend-7d9c5b-*', { app: 'frontend' }), expect: { ip: '10.0.9.5', key: 'Pod/other/frontend-7d9c5b-zz9zz' } },
  { name: 'StatefulSet prefix', end: id('workload', 'data', 'postgres-*', { app: 'postgres' }), expect: { ip: '10.0.2.10', key: 'Pod/data/postgres-0' } },
  { name: 'generateName prefix', end: id('workload', 'jobs', 'batch-run-*'), expect: { ip: '10.0.3.3', key: 'Pod/jobs/batch-run-q8x' } },
  { name: 'workload by exact name', end: id('workload', 'ops', 'toolbox', { app: 'toolbox' }), expect: { ip: '10.0.4.4', key: 'Pod/ops/toolbox' } },
  { name: 'workload by exact replica name', end: id('workload', 'data', 'postgres-1'), expect: { ip: '10.0.2.11', key: 'Pod/data/postgres-1' } },
  { name: 'host endpoint by name (no namespace)', end: id('host', null, 'node-1-eth0', { role: 'gateway' }), expect: { ip: '192.168.0.11', key: 'HostEndpoint//node-1-eth0' } },
  { name: 'global network set: an address inside its first net', end: id('networkset', null, 'partners'), expect: { ip: '203.0.113.1', key: 'GlobalNetworkSet//partners' } },
  { name: 'namespaced network set, IPv6', end: id('networkset', 'shop', 'registry'), expect: { ip: '2001:db8::1', key: 'NetworkSet/shop/registry' } },
  { name: 'network set in another namespace is not it', end: id('networkset', 'data', 'registry'), expect: { code: 'not-in-inventory', reason: /^no network set data\/registry in the inventory$/ } },
  { name: 'network set without nets', end: id('networkset', 'shop', 'empty'), expect: { code: 'no-address', reason: /network set shop\/empty has no nets/ } },
  { name: 'public network: unresolvable', end: id('public', null, 'pub'), expect: { code: 'no-address', reason: /^public network ends \(pub\) are stored without an address$/ } },
  { name: 'private network: unresolvable', end: id('private', null, 'pvt'), expect: { code: 'no-address', reason: /^private network ends \(pvt\)/ } },
  { name: 'label mismatch', end: id('workload', 'shop', 'frontend-7d9c5b-*', { app: 'frontend', track: 'stable' }), expect: { code: 'label-mismatch', reason: /^no workload shop\/frontend-7d9c5b-\* in the inventory carries the labels app=frontend,track=stable$/ } },
  { name: 'unknown owner prefix', end: id('workload', 'shop', 'ghost-*'), expect: { code: 'not-in-inventory', reason: /^no workload shop\/ghost-\* in the inventory$/ } },
  { name: 'a workload name is not a host', end: id('host', null, 'toolbox'), expect: { code: 'not-in-inventory', reason: /^no host toolbox in the inventory$/ } },
  { name: 'unknown kind', end: id('service', 'shop', 'web'), expect: { code: 'unknown-kind', reason: /endpoint kind "service"/ } },
];

describe('RepresentativeEndpoints', () => {
  const inv = inventory(CLUSTER);
  for (const c of CASES) {
    it(c.name, () => {
      const r = resolverOf(inv).resolve(c.end);
      if ('key' in c.expect) assert.deepEqual(r, c.expect);
      else {
        assert.equal(r.ip, null, JSON.stringify(r));
        if (r.ip !== null) return;
        assert.equal(r.code, c.expect.code);
        assert.match(r.reason, c.expect.reason);
      }
    });
  }

  it('the choice does not depend on the order endpoints are listed in', () => {
    for (const c of CASES) assert.deepEqual(resolverOf(inv, true).resolve(c.end), resolverOf(inv).resolve(c.end), c.name);
  });

  it('follows inventory changes (rebuilt when the revision moves)', () => {
    const live = inventory(CLUSTER);
    const ends = resolverOf(live);
    const end = id('workload', 'shop', 'frontend-7d9c5b-*', { app: 'frontend' });
    assert.equal(ends.resolve(end).ip, '10.0.1.5');
    assert.ok(live.delete('Pod/shop/frontend-7d9c5b-ab3cd'));
    assert.deepEqual(ends.resolve(end), { ip: '10.0.1.7', key: 'Pod/shop/frontend-7d9c5b-xk2lp' });
  });

  it('the representative evaluates like the endpoint it stands for', () => {
    const r = resolverOf(inv).resolve(id('workload', 'data', 'postgres-*', { app: 'postgres' }));
    assert.ok(r.ip !== null);
    const ref = inv.resolve(r.ip);
    assert.deepEqual([ref.kind, ref.namespace, ref.labels.app], ['workload', 'data', 'postgres']);
    const set = resolverOf(inv).resolve(id('networkset', null, 'partners'));
    assert.ok(set.ip !== null);
    assert.deepEqual([inv.resolve(set.ip).kind, inv.resolve(set.ip).name], ['networkset', 'partners']);
  });
});

describe('addressInside', () => {
  const cases: [string, string][] = [['10.0.0.0/8', '10.0.0.1'], ['10.1.2.3/32', '10.1.2.3'], ['10.1.2.2/31', '10.1.2.2'], ['10.1.2.4/30', '10.1.2.5'], ['2001:db8::/32', '2001:db8::1'], ['2001:db8::5/128', '2001:db8::5'], ['0.0.0.0/0', '0.0.0.1']];
  for (const [net, want] of cases) it(`${net} → ${want}`, () => assert.equal(addressInside(parseCidr(net)!), want));
});
