/**
 * A public tutorial as a test case: Calico's "stars" policy demo (test/testdata/stars, with
 * attribution). Its traffic with no policy in place is recommended on per namespace, and the
 * recommendation is compared, flow by flow over a probe matrix, with the policies the tutorial
 * publishes. docs/recommendations.md explains the differences asserted here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { enforcedDocuments, recommendPolicies, type ObservedEndpoint, type ObservedFlow, type RecommendationOutput } from '../../../../src/inventory/advice/policy-recommender.ts';
import { Inventory, loadResourceText, parseDocument, parseProtocol, type EndpointRef, type Resource } from '../../../../src/inventory/index.ts';

const DIR = path.resolve(import.meta.dirname, '../../../testdata/stars');
const load = (file: string): Resource[] => {
  const r = loadResourceText(readFileSync(path.join(DIR, file), 'utf8'), file);
  assert.deepEqual(r.issues.map((i) => i.message), [], file);
  return r.resources;
};
const topology = load('topology.yaml');
const published = load('published-policies.yaml');
const traffic = (parse(readFileSync(path.join(DIR, 'traffic.yaml'), 'utf8')) as { connections: [string, string, string, number][] }).connections;

const NAMES: Record<string, string> = {
  '10.48.0.10': 'ui', '10.48.0.20': 'frontend', '10.48.0.30': 'backend', '10.48.0.40': 'client', '10.48.0.2': 'dns', '198.51.100.7': 'browser',
};
const PODS = ['10.48.0.10', '10.48.0.20', '10.48.0.30', '10.48.0.40'];
const PORTS = [80, 6379, 9000, 9001];
const label = (src: string, dst: string, protocol: string, port: number): string => `${NAMES[src]}→${NAMES[dst]}:${protocol}/${port}`;

/** Every pod and the browser to every pod on every demo port, and every pod to the DNS. */
const MATRIX: [string, string, string, number][] = [
  ...[...PODS, '198.51.100.7'].flatMap((src) => PODS.flatMap((dst) => PORTS.map((p) => [src, dst, 'tcp', p] as [string, string, string, number]))),
  ...PODS.map((src) => [src, '10.48.0.2', 'udp', 53] as [string, string, string, number]),
];

const verdictOf = (inv: Inventory, [src, dst, protocol, port]: [string, string, string, number]): 'allow' | 'deny' =>
  inv.explain({ srcIp: src, dstIp: dst, protocol: parseProtocol(protocol)!, dstPort: port, srcPort: 40000 }).verdict;
const allowedSet = (inv: Inventory): Set<string> => new Set(MATRIX.filter((c) => verdictOf(inv, c) === 'allow').map((c) => label(...c)));

/** A stored flow's ends, as the enricher writes them (what the endpoint resolved to). */
const observedEnd = (e: EndpointRef): ObservedEndpoint => ({ kind: e.kind, ip: e.ip, namespace: e.namespace, name: e.name, labels: e.labels });

/** The allowed connections of `connections` under `inventory`, as observed flows. */
function observe(inventory: Inventory, connections: readonly [string, string, string, number][]): ObservedFlow[] {
  return connections.flatMap(([src, dst, protocol, port]) => {
    const v = inventory.explain({ srcIp: src, dstIp: dst, protocol: parseProtocol(protocol)!, dstPort: port, srcPort: 40000 });
    return v.verdict === 'allow' ? [{ source: observedEnd(v.source), destination: observedEnd(v.destination), protocol: parseProtocol(protocol)!, dstPort: port, count: 1 }] : [];
  });
}

function recommendAll(flows: readonly ObservedFlow[], output: RecommendationOutput): Record<string, unknown>[] {
  return ['client', 'management-ui', 'stars'].flatMap((namespace) => enforcedDocuments(recommendPolicies(flows, { namespace, output, tier: 'default' }).documents));
}

function inventoryWith(docs: readonly Record<string, unknown>[]): Inventory {
  const resources: Resource[] = [];
  docs.forEach((d, i) => {
    const r = parseDocument(d, { file: 'recommendation', document: i + 1 });
    assert.deepEqual(r.issues.filter((x) => x.severity === 'error').map((x) => x.message), []);
    resources.push(...r.resources);
  });
  return Inventory.fromResources([...topology, ...resources]);
}

describe('Calico stars demo: recommendation from traffic with no policies vs the published policies', () => {
  const open = Inventory.fromResources(topology);
  const observed = observe(open, traffic);
  const publishedInv = Inventory.fromResources([...topology, ...published]);
  const P = allowedSet(publishedInv);
  const observedLabels = new Set(traffic.map((c) => label(...c)));

  it('with no policies every demo connection is allowed (the traffic the recommendation learns from)', () => {
    assert.equal(observed.length, traffic.length);
  });

  for (const output of ['kubernetes', 'calico'] as const) {
    it(`${output}: allows exactly what was observed plus DNS, nothing else`, () => {
      const R = allowedSet(inventoryWith(recommendAll(observed, output)));
      const dnsNotObserved = PODS.map((p) => label(p, '10.48.0.2', 'udp', 53)).filter((l) => !observedLabels.has(l));
      assert.deepEqual(dnsNotObserved, ['ui→dns:udp/53'], 'the UI\'s lookups were not captured');
      const expected = new Set([...[...observedLabels].filter((l) => MATRIX.some((c) => label(...c) === l)), ...dnsNotObserved]);
      assert.deepEqual([...R].sort(), [...expected].sort());
    });
  }

  it('differs from the published policies exactly where docs/recommendations.md says', () => {
    const R = allowedSet(inventoryWith(recommendAll(observed, 'kubernetes')));
    // 1. Observed before isolation, forbidden by the tutorial: the probes talk to everything.
    const onlyRecommended = [...R].filter((l) => !P.has(l)).sort();
    assert.deepEqual(onlyRecommended, [
      'backend→backend:tcp/6379', 'backend→client:tcp/9000', 'backend→frontend:tcp/80',
      'client→backend:tcp/6379', 'frontend→client:tcp/9000', 'frontend→frontend:tcp/80',
    ]);
    // 2. Allowed by the tutorial, never observed: the UI's any-port access, and the UI's own
    //    namespace, which the tutorial leaves without policy.
    const onlyPublished = [...P].filter((l) => !R.has(l)).sort();
    const uiOtherPorts = ['frontend', 'backend', 'client'].flatMap((to) => PORTS.map((p) => `ui→${to}:tcp/${p}`)).filter((l) => !observedLabels.has(l));
    const intoUi = [...Object.values(NAMES).filter((n) => ['ui', 'frontend', 'backend', 'client', 'browser'].includes(n))]
      .flatMap((from) => PORTS.map((p) => `${from}→ui:tcp/${p}`)).filter((l) => l !== 'browser→ui:tcp/9001');
    assert.deepEqual(onlyPublished, [...uiOtherPorts, ...intoUi].sort());
    // 3. Where they agree: the tutorial's intended paths are among the observed ones.
    for (const l of ['frontend→backend:tcp/6379', 'client→frontend:tcp/80', 'ui→frontend:tcp/80', 'ui→backend:tcp/6379', 'ui→client:tcp/9000']) {
      assert.ok(R.has(l) && P.has(l), l);
    }
  });

  it('learned from the traffic the published policies let through, the recommendation is never broader than them', () => {
    const underPublished = observe(publishedInv, traffic);
    assert.equal(underPublished.length, traffic.length - 6, 'the six connections the tutorial forbids are denied');
    const R2 = allowedSet(inventoryWith(recommendAll(underPublished, 'kubernetes')));
    assert.deepEqual([...R2].filter((l) => !P.has(l)), []);
  });

  it('the recommended documents for stars are the ones docs/recommendations.md shows', () => {
    const rec = recommendPolicies(observed, { namespace: 'stars', output: 'kubernetes' });
    assert.deepEqual(rec.workloads.map((w) => [w.policy, w.selector, w.ingressRules, w.egressRules]), [
      ['recommended-backend', "role == 'backend'", 4, 5],
      ['recommended-frontend', "role == 'frontend'", 4, 5],
    ]);
    const frontend = rec.documents[1] as unknown as { spec: { ingress: { from: unknown[]; ports: unknown[] }[] } };
    assert.deepEqual(frontend.spec.ingress.map((r) => r.from), [
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'client' } }, podSelector: { matchLabels: { role: 'client' } } }],
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'management-ui' } }, podSelector: { matchLabels: { role: 'management-ui' } } }],
      [{ podSelector: { matchLabels: { role: 'backend' } } }],
      [{ podSelector: { matchLabels: { role: 'frontend' } } }],
    ]);
  });
});
