/**
 * The recommendation generator on table cases: one workload, a whole namespace, external
 * addresses grouped into suggested network sets, DNS kept when not observed, port collapsing,
 * both output kinds, stable labels, deterministic order — and the generated policies replayed by
 * the real verdict engine (observed flows allowed, unobserved ones denied).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLUSTER_DNS, collapsePorts, enforcedDocuments, recommendPolicies, RecommendationError,
  type ObservedEndpoint, type ObservedFlow, type RecommendationOptions,
} from '../../../../src/inventory/advice/policy-recommender.ts';
import { Inventory, loadResourceText, parseDocument, type Resource } from '../../../../src/inventory/index.ts';

const pod = (namespace: string, name: string, labels: Record<string, string>, ip: string | null = null): ObservedEndpoint => ({ kind: 'workload', ip, namespace, name, labels });
const ext = (ip: string | null, kind: 'public' | 'private' = 'public'): ObservedEndpoint => ({ kind, ip, namespace: null, name: kind === 'public' ? 'pub' : 'pvt', labels: {} });
const host = (ip: string): ObservedEndpoint => ({ kind: 'host', ip, namespace: null, name: 'node-1', labels: {} });
const flow = (source: ObservedEndpoint, destination: ObservedEndpoint, dstPort: number | null, protocol = 6, count = 1): ObservedFlow => ({ source, destination, protocol, dstPort, count });

const PG = pod('data', 'postgres-*', { app: 'postgres', tier: 'data', 'statefulset.kubernetes.io/pod-name': 'postgres-0', 'controller-revision-hash': 'postgres-5d8f' });
const REDIS = pod('data', 'redis-*', { app: 'redis', tier: 'data' });
const CHECKOUT = pod('shop', 'checkout-66c4d9-*', { app: 'checkout', tier: 'api', 'pod-template-hash': '66c4d9' });
const CATALOG = pod('shop', 'catalog-5f8b7c-*', { app: 'catalog', tier: 'api', 'pod-template-hash': '5f8b7c' });
const STAGED: RecommendationOptions = { namespace: 'data', output: 'staged', tier: 'security' };

type Spec = { selector?: string; podSelector?: unknown; types?: string[]; ingress: Record<string, unknown>[]; egress: Record<string, unknown>[] };
const specOf = (doc: Record<string, unknown>): Spec => doc.spec as Spec;

describe('recommendPolicies', () => {
  it('one workload: ingress from a peer namespace by stable labels, egress with DNS, as a staged policy in the named tier', () => {
    const rec = recommendPolicies([flow(CHECKOUT, PG, 5432, 6, 7), flow(CATALOG, PG, 5432)], { ...STAGED, order: 500 });
    assert.deepEqual(rec.documents, [{
      apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy',
      metadata: { name: 'security.recommended-postgres', namespace: 'data' },
      spec: {
        stagedAction: 'Set', tier: 'security', order: 500, selector: "app == 'postgres'", types: ['Ingress', 'Egress'],
        ingress: [
          { action: 'Allow', protocol: 'TCP', source: { namespaceSelector: "kubernetes.io/metadata.name == 'shop'", selector: "app == 'catalog'" }, destination: { ports: [5432] } },
          { action: 'Allow', protocol: 'TCP', source: { namespaceSelector: "kubernetes.io/metadata.name == 'shop'", selector: "app == 'checkout'" }, destination: { ports: [5432] } },
        ],
        egress: [
          { action: 'Allow', protocol: 'TCP', destination: { namespaceSelector: "kubernetes.io/metadata.name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] } },
          { action: 'Allow', protocol: 'UDP', destination: { namespaceSelector: "kubernetes.io/metadata.name == 'kube-system'", selector: "k8s-app == 'kube-dns'", ports: [53] } },
        ],
      },
    }]);
    assert.deepEqual(rec.workloads.map((w) => [w.name, w.policy, w.ingressRules, w.egressRules, w.flows]), [['postgres', 'security.recommended-postgres', 2, 2, 8]]);
    assert.equal(rec.dns.kept, true);
    assert.equal(rec.dns.observedFlows, 0);
    assert.match(rec.dns.note, /no DNS flows were observed in the range/);
  });

  it('a namespace: one policy per workload, same-namespace peers without a namespace selector, out-of-scope flows counted', () => {
    const APP = pod('data', 'loader-*', { app: 'loader' });
    const flows = [flow(APP, PG, 5432), flow(APP, REDIS, 6379), flow(CHECKOUT, REDIS, 6379, 6, 3), flow(CHECKOUT, CATALOG, 8080, 6, 5)];
    const rec = recommendPolicies(flows, { ...STAGED, dns: null });
    assert.deepEqual(rec.documents.map((d) => d.metadata.name), ['security.recommended-loader', 'security.recommended-postgres', 'security.recommended-redis']);
    const loader = specOf(rec.documents[0]!);
    assert.deepEqual(loader.ingress, []);
    assert.deepEqual(loader.egress, [
      { action: 'Allow', protocol: 'TCP', destination: { selector: "app == 'postgres'", ports: [5432] } },
      { action: 'Allow', protocol: 'TCP', destination: { selector: "app == 'redis'", ports: [6379] } },
    ]);
    const redis = specOf(rec.documents[2]!);
    assert.deepEqual(redis.ingress.map((r) => r.source), [{ selector: "app == 'loader'" }, { namespaceSelector: "kubernetes.io/metadata.name == 'shop'", selector: "app == 'checkout'" }]);
    assert.deepEqual(redis.egress, [], 'dns: null adds no DNS rule');
    assert.equal(rec.excluded.outOfScope, 5);
    assert.match(rec.dns.note, /no DNS rule was added/);
  });

  it('is deterministic: the same flows in any order give the same documents', () => {
    const flows = [flow(CHECKOUT, PG, 5432), flow(CATALOG, PG, 5433), flow(PG, ext('203.0.113.9'), 443), flow(PG, ext('198.51.100.2'), 443), flow(CHECKOUT, REDIS, 6379)];
    const a = recommendPolicies(flows, STAGED);
    const b = recommendPolicies([...flows].reverse(), STAGED);
    const c = recommendPolicies([flows[2]!, flows[0]!, flows[4]!, flows[1]!, flows[3]!], STAGED);
    assert.deepEqual(b, a);
    assert.deepEqual(c, a);
  });

  it('one workload of the namespace, and a precise error for an unknown one', () => {
    const rec = recommendPolicies([flow(CHECKOUT, PG, 5432), flow(CHECKOUT, REDIS, 6379)], { ...STAGED, workload: 'redis' });
    assert.deepEqual(rec.documents.map((d) => d.metadata.name), ['security.recommended-redis']);
    assert.throws(() => recommendPolicies([flow(CHECKOUT, PG, 5432)], { ...STAGED, workload: 'mysql' }),
      (e: unknown) => e instanceof RecommendationError && /workload: no observed workload "mysql" in namespace data \(observed: postgres\)/.test(e.message));
  });

  it('reports every bad option at once', () => {
    assert.throws(() => recommendPolicies([], { namespace: 'Data!', output: 'staged', tier: 'Sec Tier', order: -1 }),
      (e: unknown) => e instanceof RecommendationError && e.problems.length === 3
        && /namespace: "Data!"/.test(e.message) && /tier: "Sec Tier"/.test(e.message) && /order: -1/.test(e.message));
    assert.throws(() => recommendPolicies([], { namespace: 'data', output: 'kubernetes', networkSetScope: 'global' }), /Kubernetes NetworkPolicy has no network sets/);
  });

  describe('external peers become exact addresses in suggested network sets, grouped by the ports they were reached on', () => {
    const flows = [
      flow(PG, ext('203.0.113.9'), 443), flow(PG, ext('198.51.100.2'), 443), // same ports → one set
      flow(PG, ext('10.9.0.1', 'private'), 9000), flow(PG, ext('10.9.0.1', 'private'), 9001), // another set
      flow(ext('192.0.2.50'), PG, 5432), // an external client: an ingress set
      flow(host('172.18.0.2'), PG, 5432), // a node: nets in the rule, no set
    ];
    it('namespaced NetworkSets (Calico)', () => {
      const rec = recommendPolicies(flows, { ...STAGED, dns: null });
      assert.deepEqual(rec.networkSets, [
        { name: 'postgres-ingress-external', namespace: 'data', nets: ['192.0.2.50/32'] },
        { name: 'postgres-egress-external-1', namespace: 'data', nets: ['198.51.100.2/32', '203.0.113.9/32'] },
        { name: 'postgres-egress-external-2', namespace: 'data', nets: ['10.9.0.1/32'] },
      ]);
      assert.deepEqual(rec.documents.slice(0, 3).map((d) => [d.kind, d.metadata.name, d.metadata.labels, (d.spec as { nets: string[] }).nets]), [
        ['NetworkSet', 'postgres-ingress-external', { 'segflow.io/network-set': 'postgres-ingress-external' }, ['192.0.2.50/32']],
        ['NetworkSet', 'postgres-egress-external-1', { 'segflow.io/network-set': 'postgres-egress-external-1' }, ['198.51.100.2/32', '203.0.113.9/32']],
        ['NetworkSet', 'postgres-egress-external-2', { 'segflow.io/network-set': 'postgres-egress-external-2' }, ['10.9.0.1/32']],
      ]);
      const spec = specOf(rec.documents[3]!);
      assert.deepEqual(spec.ingress, [
        { action: 'Allow', protocol: 'TCP', source: { nets: ['172.18.0.2/32'] }, destination: { ports: [5432] } },
        { action: 'Allow', protocol: 'TCP', source: { selector: "segflow.io/network-set == 'postgres-ingress-external'" }, destination: { ports: [5432] } },
      ]);
      assert.deepEqual(spec.egress, [
        { action: 'Allow', protocol: 'TCP', destination: { selector: "segflow.io/network-set == 'postgres-egress-external-1'", ports: [443] } },
        { action: 'Allow', protocol: 'TCP', destination: { selector: "segflow.io/network-set == 'postgres-egress-external-2'", ports: ['9000:9001'] } },
      ]);
    });
    it('GlobalNetworkSets when asked, selected with global()', () => {
      const rec = recommendPolicies(flows, { ...STAGED, dns: null, networkSetScope: 'global' });
      assert.ok(rec.documents.slice(0, 3).every((d) => d.kind === 'GlobalNetworkSet' && d.metadata.namespace === undefined));
      assert.deepEqual(specOf(rec.documents[3]!).egress[0]!.destination, { namespaceSelector: 'global()', selector: "segflow.io/network-set == 'postgres-egress-external-1'", ports: [443] });
    });
    it('ipBlocks in a Kubernetes NetworkPolicy (no sets there)', () => {
      const rec = recommendPolicies(flows, { namespace: 'data', output: 'kubernetes', dns: null });
      assert.deepEqual(rec.networkSets, []);
      assert.equal(rec.documents.length, 1);
      assert.deepEqual(specOf(rec.documents[0]!).egress, [
        { to: [{ ipBlock: { cidr: '198.51.100.2/32' } }, { ipBlock: { cidr: '203.0.113.9/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
        { to: [{ ipBlock: { cidr: '10.9.0.1/32' } }], ports: [{ protocol: 'TCP', port: 9000, endPort: 9001 }] },
      ]);
    });
    it('an external peer whose address was aggregated away gets no rule, and says so', () => {
      const rec = recommendPolicies([flow(PG, ext(null), 443, 6, 4)], { ...STAGED, dns: null });
      assert.equal(rec.excluded.noAddress, 4);
      assert.deepEqual(specOf(rec.documents[0]!).egress, []);
      assert.ok(rec.warnings.some((w) => /aggregated away/.test(w)));
    });
  });

  describe('ports collapsed to what was seen', () => {
    const table: { ports: number[]; runs: [number, number][] }[] = [
      { ports: [], runs: [] },
      { ports: [80], runs: [[80, 80]] },
      { ports: [8082, 80, 8080, 8081, 80], runs: [[80, 80], [8080, 8082]] },
      { ports: [1, 3, 5], runs: [[1, 1], [3, 3], [5, 5]] },
    ];
    for (const c of table) it(`${JSON.stringify(c.ports)} → ${JSON.stringify(c.runs)}`, () => assert.deepEqual(collapsePorts(c.ports), c.runs));
    it('one rule per peer and protocol, ranges for runs; a flow without a port opens the protocol and warns', () => {
      const flows = [8080, 8081, 8082, 9090].map((p) => flow(CHECKOUT, PG, p)).concat([flow(CHECKOUT, PG, 53, 17), flow(CATALOG, PG, null), flow(CATALOG, PG, null, 1)]);
      const rec = recommendPolicies(flows, { ...STAGED, dns: null });
      assert.deepEqual(specOf(rec.documents[0]!).ingress, [
        { action: 'Allow', protocol: 'ICMP', source: { namespaceSelector: "kubernetes.io/metadata.name == 'shop'", selector: "app == 'catalog'" } },
        { action: 'Allow', protocol: 'TCP', source: { namespaceSelector: "kubernetes.io/metadata.name == 'shop'", selector: "app == 'catalog'" } },
        { action: 'Allow', protocol: 'TCP', source: { namespaceSelector: "kubernetes.io/metadata.name == 'shop'", selector: "app == 'checkout'" }, destination: { ports: ['8080:8082', 9090] } },
        { action: 'Allow', protocol: 'UDP', source: { namespaceSelector: "kubernetes.io/metadata.name == 'shop'", selector: "app == 'checkout'" }, destination: { ports: [53] } },
      ]);
      assert.ok(rec.warnings.some((w) => /tcp flows carry no destination port/.test(w)), rec.warnings.join('\n'));
    });
  });

  it('Kubernetes NetworkPolicy output: matchLabels from stable labels, namespace by its name label, DNS on both protocols', () => {
    const rec = recommendPolicies([flow(CHECKOUT, PG, 5432), flow(PG, REDIS, 6379), flow(PG, pod('kube-system', 'coredns-*', { 'k8s-app': 'kube-dns', 'pod-template-hash': 'x' }), 53, 17)], { namespace: 'data', output: 'kubernetes', workload: 'postgres' });
    assert.deepEqual(rec.documents, [{
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'recommended-postgres', namespace: 'data' },
      spec: {
        podSelector: { matchLabels: { app: 'postgres' } }, policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'checkout' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
        egress: [
          { to: [{ podSelector: { matchLabels: { app: 'redis' } } }], ports: [{ protocol: 'TCP', port: 6379 }] },
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'TCP', port: 53 }] },
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] },
        ],
      },
    }]);
    assert.equal(rec.dns.observedFlows, 1, 'the observed DNS flow merges into the cluster DNS rule');
    assert.match(rec.dns.note, /1 DNS report\(s\) observed/);
  });

  it('stable labels: volatile labels never reach a selector; replicas of one workload share one policy', () => {
    const a = pod('shop', 'web-1', { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'blue', 'pod-template-hash': 'aaa', 'app.kubernetes.io/version': '1.2' });
    const b = pod('shop', 'web-2', { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'blue', 'pod-template-hash': 'bbb', 'app.kubernetes.io/version': '1.3' });
    const job = pod('shop', 'migrate-28391-*', { 'job-name': 'migrate-28391', 'batch.kubernetes.io/controller-uid': 'u', 'controller-uid': 'u' });
    const rec = recommendPolicies([flow(a, CATALOG, 8080), flow(b, CATALOG, 8080), flow(job, a, 80)], { namespace: 'shop', output: 'calico', tier: 'default', dns: null });
    const texts = JSON.stringify(rec.documents);
    for (const volatile of ['pod-template-hash', 'app.kubernetes.io/version', 'job-name', 'controller-uid']) assert.ok(!texts.includes(volatile), volatile);
    assert.deepEqual(rec.workloads.map((w) => [w.name, w.selector]), [
      ['migrate', 'all()'],
      ['web-blue', "app.kubernetes.io/instance == 'blue' && app.kubernetes.io/name == 'web'"],
      ['catalog', "app == 'catalog'"],
    ]);
    assert.equal(rec.documents[0]!.kind, 'NetworkPolicy');
    assert.ok(rec.warnings.some((w) => /workload migrate has no identity labels/.test(w)));
  });

  it('enforcedDocuments turns staged policies into the policies they stage', () => {
    const rec = recommendPolicies([flow(CHECKOUT, PG, 5432)], STAGED);
    const [enforced] = enforcedDocuments(rec.documents);
    assert.equal(enforced!.kind, 'NetworkPolicy');
    assert.equal((enforced!.spec as Record<string, unknown>).stagedAction, undefined);
    assert.equal(rec.documents[0]!.kind, 'StagedNetworkPolicy', 'the input is left as it was');
  });
});

describe('recommended policies replayed by the verdict engine', () => {
  const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: data, labels: {kubernetes.io/metadata.name: data}}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system, labels: {kubernetes.io/metadata.name: kube-system}}
---
apiVersion: v1
kind: Pod
metadata: {name: postgres-0, namespace: data, labels: {app: postgres, statefulset.kubernetes.io/pod-name: postgres-0}}
spec: {nodeName: node-1}
status: {podIP: 10.244.2.10}
---
apiVersion: v1
kind: Pod
metadata: {name: checkout-66c4d9-h7t5w, namespace: shop, labels: {app: checkout, pod-template-hash: 66c4d9}}
spec: {nodeName: node-1}
status: {podIP: 10.244.1.30}
---
apiVersion: v1
kind: Pod
metadata: {name: catalog-5f8b7c-q8r2m, namespace: shop, labels: {app: catalog, pod-template-hash: 5f8b7c}}
spec: {nodeName: node-1}
status: {podIP: 10.244.1.20}
---
apiVersion: v1
kind: Pod
metadata: {name: coredns-abc-xyz, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec: {nodeName: node-1}
status: {podIP: 10.244.0.10}
`;
  const base = (): Resource[] => {
    const r = loadResourceText(CLUSTER, 'cluster.yaml');
    assert.deepEqual(r.issues.map((i) => i.message), []);
    return r.resources;
  };
  const withDocuments = (docs: readonly unknown[]): Inventory => {
    const extra: Resource[] = [];
    docs.forEach((d, i) => {
      const r = parseDocument(d, { file: 'recommendation', document: i + 1 });
      assert.deepEqual(r.issues.filter((x) => x.severity === 'error').map((x) => x.message), []);
      extra.push(...r.resources);
    });
    return Inventory.fromResources([...base(), ...extra]);
  };
  const observed = [
    flow(pod('shop', 'checkout-66c4d9-*', { app: 'checkout', 'pod-template-hash': '66c4d9' }, '10.244.1.30'), pod('data', 'postgres-*', { app: 'postgres' }, '10.244.2.10'), 5432),
    flow(pod('data', 'postgres-*', { app: 'postgres' }, '10.244.2.10'), ext('203.0.113.9'), 443),
  ];
  const verdict = (inv: Inventory, src: string, dst: string, port: number, protocol = 6): string => inv.explain({ srcIp: src, dstIp: dst, protocol, dstPort: port, srcPort: 40000 }).verdict;

  for (const output of ['calico', 'kubernetes'] as const) {
    it(`${output}: observed flows stay allowed, DNS works, what was not observed is denied`, () => {
      const rec = recommendPolicies(observed, { namespace: 'data', output, tier: 'default' });
      const inv = withDocuments(enforcedDocuments(rec.documents));
      assert.equal(verdict(inv, '10.244.1.30', '10.244.2.10', 5432), 'allow', 'checkout → postgres:5432 (observed)');
      assert.equal(verdict(inv, '10.244.2.10', '203.0.113.9', 443), 'allow', 'postgres → 203.0.113.9:443 (observed)');
      assert.equal(verdict(inv, '10.244.2.10', '10.244.0.10', 53, 17), 'allow', 'postgres → cluster DNS (kept, not observed)');
      assert.equal(verdict(inv, '10.244.1.20', '10.244.2.10', 5432), 'deny', 'catalog → postgres (never observed)');
      assert.equal(verdict(inv, '10.244.1.30', '10.244.2.10', 5433), 'deny', 'checkout → postgres on another port');
      assert.equal(verdict(inv, '10.244.2.10', '203.0.113.10', 443), 'deny', 'postgres → a neighbouring address');
      assert.equal(verdict(inv, '10.244.1.30', '10.244.1.20', 8080), 'allow', 'flows outside the namespace are untouched');
    });
  }

  it('a staged recommendation decides nothing: the enforced verdicts stay as they were', () => {
    const rec = recommendPolicies(observed, { namespace: 'data', output: 'staged', tier: 'default' });
    const inv = withDocuments(rec.documents);
    assert.equal(verdict(inv, '10.244.1.20', '10.244.2.10', 5432), 'allow');
    assert.deepEqual(CLUSTER_DNS.ports.map((p) => p.port), [53, 53]);
  });
});
