/**
 * A small, consistent world for API tests: resources (namespaces, pods, a tier, policies) and
 * enriched flow documents for a handful of connections, shaped exactly as the enricher writes
 * them (typed as FlowDocument, so the compiler checks them against the field table), with both
 * reporter halves where Calico's model produces both.
 *
 *   shop/frontend   10.244.1.10  node-1  app=frontend
 *   shop/cart       10.244.1.11  node-1  app=cart
 *   payments/api    10.244.2.20  node-2  app=payments-api, tier=backend
 *   infra/dns       10.244.3.30  node-3  app=dns
 *
 * payments/default.allow-from-cart selects app=='payments-api' and allows ingress tcp/8080 from
 * app=='cart' (rule 0) and tcp/9090 from namespace infra (rule 1, never matched by the fixture
 * flows); everything else to the api pod ends in the default tier's end-of-tier deny.
 */
import type { FlowDocument, PolicyHitDocument } from '../../../src/contract/flow-fields.ts';
import { flowDocumentId } from '../../../src/contract/flow-document-id.ts';
import { dailyFlowIndexName } from '../../../src/contract/flow-index-names.ts';
import type { FlowBulkItem } from '../../../src/enricher/elasticsearch/flow-bulk-writer.ts';

/** Resource YAML of the world (loads with the inventory loader). */
export const FIXTURE_RESOURCES_YAML = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop, team: web}}
---
apiVersion: v1
kind: Namespace
metadata: {name: payments, labels: {kubernetes.io/metadata.name: payments, team: pay}}
---
apiVersion: v1
kind: Namespace
metadata: {name: infra, labels: {kubernetes.io/metadata.name: infra}}
---
apiVersion: v1
kind: Pod
metadata: {name: frontend-7d9c5b-abcde, namespace: shop, labels: {app: frontend}}
spec: {nodeName: node-1, serviceAccountName: frontend, containers: [{name: app, image: "frontend:1"}]}
status: {phase: Running, podIP: 10.244.1.10, podIPs: [{ip: 10.244.1.10}]}
---
apiVersion: v1
kind: Pod
metadata: {name: cart-7c9f4-abcde, namespace: shop, labels: {app: cart}}
spec: {nodeName: node-1, serviceAccountName: cart, containers: [{name: app, image: "cart:1"}]}
status: {phase: Running, podIP: 10.244.1.11, podIPs: [{ip: 10.244.1.11}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-5d7c8-xyzab, namespace: payments, labels: {app: payments-api, tier: backend}}
spec: {nodeName: node-2, serviceAccountName: payments, containers: [{name: app, image: "api:1"}]}
status: {phase: Running, podIP: 10.244.2.20, podIPs: [{ip: 10.244.2.20}]}
---
apiVersion: v1
kind: Pod
metadata: {name: dns-6f7d8-qqqqq, namespace: infra, labels: {app: dns}}
spec: {nodeName: node-3, serviceAccountName: dns, containers: [{name: app, image: "dns:1"}]}
status: {phase: Running, podIP: 10.244.3.30, podIPs: [{ip: 10.244.3.30}]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: default.allow-from-cart, namespace: payments}
spec:
  tier: default
  order: 100
  selector: app == 'payments-api'
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    source: {selector: app == 'cart', namespaceSelector: kubernetes.io/metadata.name == 'shop'}
    destination: {ports: [8080]}
  - action: Allow
    protocol: TCP
    source: {namespaceSelector: kubernetes.io/metadata.name == 'infra'}
    destination: {ports: [9090]}
`;

/** A candidate that also lets the frontend reach the payments API (for preview tests). */
export const FIXTURE_CANDIDATE_YAML = `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: default.allow-from-cart, namespace: payments}
spec:
  tier: default
  order: 100
  selector: app == 'payments-api'
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    source:
      selector: "app in {'cart', 'frontend'}"
      namespaceSelector: kubernetes.io/metadata.name == 'shop'
    destination: {ports: [8080]}
`;

interface Endpoint {
  kind: 'workload' | 'public';
  ip: string;
  name?: string;
  aggregatedName: string;
  namespace?: string;
  labels?: Record<string, string>;
  node?: string;
}

/** The endpoints of the world. */
export const ENDPOINTS = {
  frontend: { kind: 'workload', ip: '10.244.1.10', name: 'frontend-7d9c5b-abcde', aggregatedName: 'frontend-7d9c5b-*', namespace: 'shop', labels: { app: 'frontend' }, node: 'node-1' },
  cart: { kind: 'workload', ip: '10.244.1.11', name: 'cart-7c9f4-abcde', aggregatedName: 'cart-7c9f4-*', namespace: 'shop', labels: { app: 'cart' }, node: 'node-1' },
  api: { kind: 'workload', ip: '10.244.2.20', name: 'api-5d7c8-xyzab', aggregatedName: 'api-5d7c8-*', namespace: 'payments', labels: { app: 'payments-api', tier: 'backend' }, node: 'node-2' },
  dns: { kind: 'workload', ip: '10.244.3.30', name: 'dns-6f7d8-qqqqq', aggregatedName: 'dns-6f7d8-*', namespace: 'infra', labels: { app: 'dns' }, node: 'node-3' },
  internet: { kind: 'public', ip: '203.0.113.7', aggregatedName: 'pub' },
  resolver: { kind: 'public', ip: '8.8.8.8', aggregatedName: 'pub' },
} as const satisfies Record<string, Endpoint>;

const profileAllow = (ns: string): PolicyHitDocument => ({ policy_index: 0, tier: '__PROFILE__', kind: 'pro', name: `kns.${ns}`, action: 'allow', rule_index: 0 });
const paymentsHit = (action: 'allow' | 'deny', rule: number): PolicyHitDocument => ({
  policy_index: 0, tier: 'default', kind: 'np', namespace: 'payments', name: 'default.allow-from-cart', action, rule_index: rule,
  ...(rule === -1 ? { trigger: 'np:payments/default.allow-from-cart' } : {}),
});
const hitStr = (h: PolicyHitDocument): string => `${h.policy_index}|${h.tier}|${h.kind}:${h.namespace ? `${h.namespace}/` : ''}${h.name}|${h.action}|${h.rule_index}`;

/** One connection of the world and how it was decided. */
export interface FixtureConnection {
  readonly id: string;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly transport: 'tcp' | 'udp';
  readonly dstPort: number;
  readonly egress: PolicyHitDocument | undefined;
  readonly ingress: PolicyHitDocument | undefined;
  /** Which halves exist (src only when the destination is no endpoint, dst only when the source is none). */
  readonly reporters: readonly ('src' | 'dst')[];
  readonly bytes: number;
}

/** The connections, each seen in every window. */
export const CONNECTIONS: readonly FixtureConnection[] = [
  { id: 'frontend-cart', src: ENDPOINTS.frontend, dst: ENDPOINTS.cart, transport: 'tcp', dstPort: 8080, egress: profileAllow('shop'), ingress: profileAllow('shop'), reporters: ['src', 'dst'], bytes: 1000 },
  { id: 'cart-api', src: ENDPOINTS.cart, dst: ENDPOINTS.api, transport: 'tcp', dstPort: 8080, egress: profileAllow('shop'), ingress: paymentsHit('allow', 0), reporters: ['src', 'dst'], bytes: 5000 },
  { id: 'frontend-api', src: ENDPOINTS.frontend, dst: ENDPOINTS.api, transport: 'tcp', dstPort: 8080, egress: profileAllow('shop'), ingress: paymentsHit('deny', -1), reporters: ['src', 'dst'], bytes: 60 },
  { id: 'internet-frontend', src: ENDPOINTS.internet, dst: ENDPOINTS.frontend, transport: 'tcp', dstPort: 443, egress: undefined, ingress: profileAllow('shop'), reporters: ['dst'], bytes: 20000 },
  { id: 'dns-resolver', src: ENDPOINTS.dns, dst: ENDPOINTS.resolver, transport: 'udp', dstPort: 53, egress: profileAllow('infra'), ingress: undefined, reporters: ['src'], bytes: 300 },
  { id: 'dns-api', src: ENDPOINTS.dns, dst: ENDPOINTS.api, transport: 'tcp', dstPort: 5432, egress: profileAllow('infra'), ingress: paymentsHit('deny', -1), reporters: ['src', 'dst'], bytes: 120 },
];

function endpointFields(e: Endpoint): FlowDocument['segflow']['source'] {
  return {
    kind: e.kind, aggregated_name: e.aggregatedName,
    ...(e.name !== undefined ? { name: e.name } : {}),
    ...(e.namespace !== undefined ? { namespace: e.namespace } : {}),
    ...(e.labels !== undefined ? { labels: { ...e.labels } } : {}),
    ...(e.node !== undefined ? { node: e.node } : {}),
  };
}

/** The document one reporter writes for one connection in the window starting at `windowStartMs`. */
export function fixtureDocument(c: FixtureConnection, reporter: 'src' | 'dst', windowStartMs: number, sourcePort = 40000): FlowDocument {
  const start = new Date(windowStartMs).toISOString();
  const end = new Date(windowStartMs + 15_000).toISOString();
  const egressVerdict = c.egress?.action === 'deny' ? 'deny' : 'allow';
  const ingressVerdict = c.ingress?.action === 'deny' ? 'deny' : 'allow';
  const verdict = egressVerdict === 'deny' || ingressVerdict === 'deny' ? 'deny' : 'allow';
  const deciding = verdict === 'deny' ? (egressVerdict === 'deny' ? c.egress : c.ingress) : c.ingress ?? c.egress;
  const direction = verdict === 'deny' && egressVerdict !== 'deny' ? 'ingress' : 'egress';
  const node = reporter === 'src' ? c.src.node : c.dst.node;
  const proto = c.transport === 'tcp' ? '6' : '17';
  const id = flowDocumentId([c.id, reporter, sourcePort], windowStartMs);
  return {
    '@timestamp': end,
    ecs: { version: '8.17.0' },
    event: {
      kind: 'event', category: ['network'], type: ['connection', verdict === 'deny' ? 'denied' : 'allowed'], action: 'network_flow',
      outcome: verdict === 'deny' ? 'failure' : 'success', ...(verdict === 'deny' ? { reason: 'policy_denied' } : {}),
      start, end, duration: 15_000_000_000, dataset: 'segflow.flow', module: 'segflow', id,
    },
    source: { ip: c.src.ip, port: sourcePort, bytes: c.bytes, packets: 10 },
    destination: { ip: c.dst.ip, port: c.dstPort, bytes: verdict === 'deny' ? 0 : c.bytes * 2, packets: verdict === 'deny' ? 0 : 10 },
    network: { transport: c.transport, type: 'ipv4', iana_number: proto, direction: reporter === 'src' ? 'egress' : 'ingress', bytes: verdict === 'deny' ? c.bytes : c.bytes * 3, packets: verdict === 'deny' ? 10 : 20 },
    related: { ip: [c.src.ip, c.dst.ip] },
    ...(node !== undefined ? { host: { name: node }, observer: { hostname: node } } : {}),
    ...(deciding !== undefined ? {
      rule: {
        name: `${deciding.namespace ? `${deciding.namespace}/` : ''}${deciding.name}`, id: `${deciding.kind}:${deciding.namespace ? `${deciding.namespace}/` : ''}${deciding.name}`,
        ruleset: deciding.tier, uuid: `${deciding.kind}:${deciding.namespace ? `${deciding.namespace}/` : ''}${deciding.name}:${direction}:${deciding.rule_index}`,
      },
    } : {}),
    segflow: {
      verdict, reporter, capture_source: 'synthetic',
      source: endpointFields(c.src),
      destination: endpointFields(c.dst),
      policy: {
        ...(c.egress ? { egress: { verdict: egressVerdict, enforced: [c.egress], enforced_str: [hitStr(c.egress)] } } : {}),
        ...(c.ingress ? { ingress: { verdict: ingressVerdict, enforced: [c.ingress], enforced_str: [hitStr(c.ingress)] } } : {}),
      },
      observed: { outcome: verdict === 'deny' ? 'unreplied' : 'established', mismatch: false },
      flows: { count: 1, started: 1, completed: 1 },
      aggregation: { level: 0, interval_s: 15, records: 1 },
    },
  };
}

/** Bulk items for every connection, every reporter half, in `windows` consecutive 15 s windows from `firstWindowMs`. */
export function fixtureItems(prefix: string, firstWindowMs: number, windows: number, sourcePort = 40000): FlowBulkItem[] {
  const items: FlowBulkItem[] = [];
  for (let w = 0; w < windows; w++) {
    const windowStart = firstWindowMs + w * 15_000;
    for (const c of CONNECTIONS) {
      for (const reporter of c.reporters) {
        const document = fixtureDocument(c, reporter, windowStart, sourcePort);
        items.push({ id: document.event.id as string, index: dailyFlowIndexName(windowStart, prefix), document });
      }
    }
  }
  return items;
}
