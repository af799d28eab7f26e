/**
 * A realistic enriched flow document (the abridged example of docs/flow-document-design.md
 * in segflow's field names), typed as FlowDocument so the compiler checks it against the table.
 */
import type { FlowDocument } from '../../../src/contract/flow-fields.ts';

export function sampleFlowDocument(overrides: { sourceIp?: string; windowStart?: string; verdict?: 'allow' | 'deny' } = {}): FlowDocument {
  const start = overrides.windowStart ?? '2026-09-01T10:15:15.000Z';
  const end = new Date(Date.parse(start) + 15_000).toISOString();
  const verdict = overrides.verdict ?? 'deny';
  return {
    '@timestamp': end,
    ecs: { version: '8.17.0' },
    tags: ['aggregated'],
    event: {
      kind: 'event', category: ['network'], type: ['connection', verdict === 'deny' ? 'denied' : 'allowed'], action: 'network_flow',
      outcome: verdict === 'deny' ? 'failure' : 'success', reason: verdict === 'deny' ? 'policy_denied' : undefined,
      start, end, duration: 15_000_000_000, dataset: 'segflow.flow', module: 'segflow', id: 'doc-id', ingested: end, sequence: 4182,
    },
    agent: { id: 'node-7', ephemeral_id: 'boot-1', version: '0.1.0' },
    source: { ip: overrides.sourceIp ?? '10.244.1.60', port: 44916, packets: 3, bytes: 180 },
    destination: { ip: '10.244.1.5', port: 8080, packets: 0, bytes: 0 },
    network: { transport: 'tcp', type: 'ipv4', iana_number: '6', direction: 'ingress', bytes: 180, packets: 3, community_id: '1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=' },
    related: { ip: [overrides.sourceIp ?? '10.244.1.60', '10.244.1.5', '10.96.12.7'], hosts: ['cart-7c9f-abcde', 'api-5d7-xyz'] },
    host: { name: 'node-7' },
    observer: { hostname: 'node-7', type: 'sensor', product: 'segflow', vendor: 'segflow', version: '0.1.0' },
    orchestrator: { type: 'kubernetes', cluster: { name: 'prod-eu-1' } },
    rule: { name: 'default-deny', id: 'gnp:default-deny', ruleset: 'platform', category: 'GlobalNetworkPolicy', version: '4182', uuid: 'gnp:default-deny:ingress:-1' },
    flow: { id: 'EQwA', final: false },
    segflow: {
      verdict, pending_verdict: 'deny', reporter: 'dst', capture_source: 'synthetic',
      source: { kind: 'workload', name: 'cart-7c9f-abcde', aggregated_name: 'cart-7c9f-*', namespace: 'shop', labels: { app: 'cart', 'app.kubernetes.io/part-of': 'shop' }, service_account: 'cart', node: 'node-3' },
      destination: {
        kind: 'workload', name: 'api-5d7-xyz', aggregated_name: 'api-5d7-*', namespace: 'payments', labels: { app: 'payments-api', tier: 'backend' }, service_account: 'payments', node: 'node-7',
        service: { ip: '10.96.12.7', port: 80, port_name: 'http', name: 'payments-api', namespace: 'payments' },
      },
      policy: {
        egress: {
          verdict: 'allow',
          enforced: [{ policy_index: 0, tier: 'default', kind: 'np', namespace: 'shop', name: 'cart-egress', action: 'allow', rule_index: 0 }],
          enforced_str: ['0|default|np:shop/cart-egress|allow|0'],
        },
        ingress: {
          verdict,
          enforced: [
            { policy_index: 0, tier: 'security', kind: 'gnp', name: 'quarantine', action: 'pass', rule_index: 1 },
            { policy_index: 1, tier: 'platform', kind: 'gnp', name: 'default-deny', action: 'deny', rule_index: -1, trigger: 'gnp:default-deny' },
          ],
          enforced_str: ['0|security|gnp:quarantine|pass|1', '1|platform|gnp:default-deny|deny|-1'],
          pending_verdict: 'deny',
          pending: [{ policy_index: 0, tier: 'platform', kind: 'sgnp', name: 'lockdown', action: 'deny', rule_index: 2 }],
          pending_str: ['0|platform|sgnp:lockdown|deny|2'],
        },
      },
      observed: { outcome: 'unreplied', dataplane_verdict: 'unknown', mismatch: false },
      flows: { count: 1, started: 1, completed: 0 },
      aggregation: { level: 1, interval_s: 15, records: 2 },
      inventory: { revision: 'v1834' },
      ct: { state: 'SYN_SENT', flags: ['unreplied'], mark: 0 },
    },
  };
}
