/**
 * Policy index and verdict engine beyond the acceptance cases: incremental maintenance, ordering
 * rules, cache invalidation by revision, selector/notSelector on addresses, services, IPv6,
 * profiles and host endpoints, and the hit-string format.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Inventory, loadResourceText, parseHitString, type FlowInput, type Resource } from '../../../src/inventory/index.ts';

function load(text: string): Resource[] {
  const r = loadResourceText(text, 'test.yaml');
  assert.deepEqual(r.issues.map((i) => i.message), []);
  return r.resources;
}

const BASE = `apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {env: prod}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod, labels: {app: web}}
spec: {serviceAccountName: web}
status: {podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: prod, labels: {app: api}}
spec:
  serviceAccountName: api
  containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]
status: {podIPs: [{ip: 10.0.0.2}, {ip: "fd00::2"}]}
`;

const tcp = (srcIp: string, dstIp: string, dstPort: number): FlowInput => ({ srcIp, dstIp, protocol: 6, dstPort, srcPort: 40000 });

function inventory(extra: string): Inventory {
  return Inventory.fromResources(load(`${BASE}---\n${extra}`));
}

describe('policy index maintenance', () => {
  it('a label change moves an endpoint between policies; the revision bump invalidates cached verdicts', () => {
    const inv = inventory(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-quarantined}
spec:
  selector: "quarantine == 'true'"
  ingress: [{action: Deny}]
`);
    const flow = tcp('10.0.0.1', '10.0.0.2', 8080);
    const before = inv.explain(flow);
    assert.equal(before.verdict, 'allow');
    assert.equal(inv.explain(flow), before, 'cached');
    const [api] = load(`apiVersion: v1
kind: Pod
metadata: {name: api, namespace: prod, labels: {app: api, quarantine: "true"}}
status: {podIP: 10.0.0.2}
`);
    inv.apply(api as Resource);
    const after = inv.explain(flow);
    assert.equal(after.verdict, 'deny');
    assert.deepEqual(after.ingress.trace, ['0|default|gnp:deny-quarantined|deny|0']);
    assert.deepEqual(inv.policies.applicableTo('Pod/prod/api').map((p) => p.policy.name), ['deny-quarantined']);
    inv.delete('GlobalNetworkPolicy//deny-quarantined');
    assert.deepEqual(inv.policies.applicableTo('Pod/prod/api'), []);
    assert.equal(inv.explain(flow).verdict, 'allow');
  });

  it('uncached verdicts of an unchanged endpoint follow policy and tier changes (plans kept on snapshots)', () => {
    const inv = inventory(`apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 10, defaultAction: Pass}
`);
    const flow = tcp('10.0.0.1', '10.0.0.2', 8080);
    const ingress = (): readonly string[] => inv.engine.explainUncached(flow).ingress.trace;
    assert.deepEqual(ingress(), ['0|__PROFILE__|pro:kns.prod|allow|0']);
    const apply = (yaml: string): void => {
      for (const r of load(yaml)) inv.apply(r);
    };
    apply(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-api}
spec: {selector: "app == 'api'", ingress: [{action: Deny}]}
`);
    assert.deepEqual(ingress(), ['0|default|gnp:deny-api|deny|0'], 'a new policy reaches a plan made before it');
    apply(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-api}
spec: {selector: "app == 'api'", ingress: [{action: Log}, {action: Deny}]}
`);
    assert.deepEqual(ingress(), ['0|default|gnp:deny-api|deny|1'], 'and so does an updated one');
    apply(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.guard-api}
spec: {tier: security, selector: "app == 'api'", types: [Ingress]}
`);
    assert.deepEqual(ingress(), ['0|security|gnp:security.guard-api|pass|-1', '1|default|gnp:deny-api|deny|1']);
    apply(`apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 10, defaultAction: Deny}
`);
    assert.deepEqual(ingress(), ['0|security|gnp:security.guard-api|deny|-1'], 'a tier change alone re-derives the plan');
    inv.delete('GlobalNetworkPolicy//security.guard-api');
    inv.delete('GlobalNetworkPolicy//deny-api');
    assert.deepEqual(ingress(), ['0|__PROFILE__|pro:kns.prod|allow|0']);
  });

  it('replicas with the same policies share one plan; a label change gives one its own', () => {
    const replica = (name: string, ip: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: prod, labels: {app: api${extra}}}
status: {podIP: ${ip}}
`;
    const inv = inventory(`${replica('api-2', '10.0.0.3')}---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-quarantined}
spec: {selector: "quarantine == 'true'", ingress: [{action: Deny}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: allow-api}
spec: {selector: "app == 'api'", ingress: [{action: Allow}]}
`);
    const endpoint = (ip: string) => inv.endpoints.endpointAt(ip)!;
    assert.equal(inv.policies.planFor(endpoint('10.0.0.2')), inv.policies.planFor(endpoint('10.0.0.3')), 'one plan for both replicas');
    for (const r of load(replica('api-2', '10.0.0.3', ', quarantine: "true"'))) inv.apply(r);
    assert.notEqual(inv.policies.planFor(endpoint('10.0.0.2')), inv.policies.planFor(endpoint('10.0.0.3')));
    const ingress = (dst: string): readonly string[] => inv.engine.explainUncached(tcp('10.0.0.1', dst, 8080)).ingress.trace;
    assert.deepEqual(ingress('10.0.0.2'), ['0|default|gnp:allow-api|allow|0']);
    assert.deepEqual(ingress('10.0.0.3'), ['0|default|gnp:allow-api|allow|0'], 'ordered by name: allow-api before deny-quarantined');
    for (const r of load(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-quarantined}
spec: {order: 1, selector: "quarantine == 'true'", ingress: [{action: Deny}]}
`)) inv.apply(r);
    assert.deepEqual(ingress('10.0.0.2'), ['0|default|gnp:allow-api|allow|0']);
    assert.deepEqual(ingress('10.0.0.3'), ['0|default|gnp:deny-quarantined|deny|0']);
  });

  it('tiers: ordered by order (nil reads as 1,000,000, as Calico ≥ 3.30 does) then name; a tier referenced but not defined comes after all defined ones', () => {
    const inv = inventory(`apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: b}
spec: {order: 10, defaultAction: Pass}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: a}
spec: {order: 10, defaultAction: Pass}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: unordered}
spec: {defaultAction: Pass}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: pa}
spec: {tier: a, selector: "app == 'api'", ingress: [{action: Pass}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: pb}
spec: {tier: b, selector: "app == 'api'", ingress: [{action: Log}, {action: Pass}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: pu}
spec: {tier: unordered, selector: "app == 'api'", ingress: [{action: Pass, protocol: UDP}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: pm}
spec: {tier: missing, selector: "app == 'api'", ingress: [{action: Allow, protocol: UDP}]}
`);
    assert.deepEqual(inv.policies.tiers().map((t) => t.name), ['a', 'b', 'adminnetworkpolicy', 'kube-admin', 'default', 'unordered', 'baselineadminnetworkpolicy', 'kube-baseline', 'missing']);
    const v = inv.explain(tcp('10.0.0.1', '10.0.0.2', 8080));
    // unordered: defaultAction Pass (end-of-tier pass); missing: no Tier resource → Deny.
    assert.deepEqual(v.ingress.trace, ['0|a|gnp:pa|pass|0', '1|b|gnp:pb|pass|1', '2|unordered|gnp:pu|pass|-1', '3|missing|gnp:pm|deny|-1']);
    assert.equal(v.ingress.action, 'end-of-tier-deny');
  });

  it('within a tier: order, then "name/namespace/Kind" byte-wise (GNP same before NP prod/same)', () => {
    const inv = inventory(`apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: same, namespace: prod}
spec: {order: 5, selector: "app == 'api'", ingress: [{action: Deny}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: same}
spec: {order: 5, selector: "app == 'api'", ingress: [{action: Allow}]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: first}
spec: {order: 1, selector: "app == 'api'", ingress: [{action: Allow, protocol: UDP}]}
`);
    assert.deepEqual(inv.explain(tcp('10.0.0.1', '10.0.0.2', 80)).ingress.trace, ['0|default|gnp:same|allow|0']);
  });
});

describe('rule matching on addresses', () => {
  it('notSelector alone matches unknown hosts; selector "!(X)" does not', () => {
    const inv = inventory(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  selector: "app == 'api'"
  ingress:
  - {action: Deny, source: {notSelector: "app == 'web'"}}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: h}
spec:
  order: 1
  selector: "app == 'api'"
  ingress:
  - {action: Allow, protocol: UDP, source: {selector: "!(app == 'web')"}}
`);
    assert.deepEqual(inv.explain(tcp('8.8.8.8', '10.0.0.2', 80)).ingress.trace, ['0|default|gnp:g|deny|0']);
    assert.deepEqual(inv.explain({ ...tcp('8.8.8.8', '10.0.0.2', 80), protocol: 17 }).ingress.trace, ['0|default|gnp:g|deny|0'], 'unknown host is not in the IP set of !(app == web)');
    assert.deepEqual(inv.explain(tcp('10.0.0.1', '10.0.0.2', 80)).ingress.trace, ['0|default|gnp:g|deny|-1']);
  });

  it('named ports on egress resolve against the destination endpoint; IPv6 flows use IPv6 addresses', () => {
    const inv = inventory(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: out}
spec:
  selector: "app == 'web'"
  types: [Egress]
  egress:
  - {action: Allow, protocol: TCP, destination: {selector: "app == 'api'", ports: [http]}}
  - {action: Deny, ipVersion: 6}
`);
    assert.deepEqual(inv.explain(tcp('fd00::1', 'fd00::2', 8080)).egress.trace, ['0|default|gnp:out|allow|0']);
    assert.deepEqual(inv.explain(tcp('fd00::1', 'fd00::2', 8081)).egress.trace, ['0|default|gnp:out|deny|1']);
    assert.deepEqual(inv.explain(tcp('10.0.0.1', '10.0.0.2', 8081)).egress.trace, ['0|default|gnp:out|deny|-1']);
    assert.equal(inv.explain(tcp('10.0.0.1', '10.0.0.2', 8080)).source.name, 'web');
  });

  it('destination services match EndpointSlice backends, not the cluster IP', () => {
    const inv = inventory(`apiVersion: v1
kind: Service
metadata: {name: api, namespace: prod}
spec: {clusterIP: 10.96.0.20, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: api-1, namespace: prod, labels: {kubernetes.io/service-name: api}}
addressType: IPv4
endpoints: [{addresses: [10.0.0.2]}]
ports: [{port: 8080, protocol: TCP}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: to-api, namespace: prod}
spec:
  selector: "app == 'web'"
  types: [Egress]
  egress: [{action: Allow, destination: {services: {name: api}}}]
`);
    assert.equal(inv.explain(tcp('10.0.0.1', '10.0.0.2', 8080)).egress.action, 'allow');
    assert.equal(inv.explain(tcp('10.0.0.1', '10.0.0.2', 9090)).egress.action, 'end-of-tier-deny');
    assert.equal(inv.explain(tcp('10.0.0.1', '10.96.0.20', 80)).egress.action, 'end-of-tier-deny');
  });
});

describe('profiles and host endpoints', () => {
  it('a host endpoint without profiles: no-profile deny, written differently in the pending trace', () => {
    const inv = inventory(`apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: h, labels: {role: node}}
spec: {node: n1, interfaceName: eth0, expectedIPs: [192.168.1.1]}
`);
    // Port 80: tcp/22 would be a failsafe port, accepted before any policy (host-endpoint-path.test.ts).
    const v = inv.explain(tcp('10.0.0.1', '192.168.1.1', 80));
    assert.equal(v.destination.kind, 'host');
    assert.equal(v.ingress.action, 'profile-deny');
    assert.deepEqual(v.ingress.trace, ['0|__PROFILE__|pro:__NO_MATCH__|deny|0']);
    assert.deepEqual(v.ingress.pending.trace, ['0|__PROFILE__|pro:__PROFILE__|deny|-1']);
    assert.equal(v.verdict, 'deny');
    assert.equal(v.decidedBy, 'ingress');
  });

  it('explicit Profile resources: rules in order, a Pass rule denies; labelsToApply are inherited', () => {
    const inv = inventory(`apiVersion: projectcalico.org/v3
kind: Profile
metadata: {name: edge}
spec:
  labelsToApply: {zone: edge}
  ingress: [{action: Allow, protocol: TCP, destination: {ports: [443]}}, {action: Pass}]
---
apiVersion: projectcalico.org/v3
kind: WorkloadEndpoint
metadata: {name: vm-1, namespace: prod, labels: {app: vm}}
spec: {node: n1, ipNetworks: [10.0.0.9/32], profiles: [edge]}
`);
    assert.equal(inv.endpointAt('10.0.0.9')?.labels.get('zone'), 'edge');
    assert.deepEqual(inv.explain(tcp('10.0.0.1', '10.0.0.9', 443)).ingress.trace, ['0|__PROFILE__|pro:edge|allow|0']);
    const denied = inv.explain(tcp('10.0.0.1', '10.0.0.9', 80));
    assert.deepEqual([denied.ingress.action, denied.ingress.trace], ['profile-deny', ['0|__PROFILE__|pro:edge|deny|1']]);
  });

  it('the egress side is decided first: a source deny means the ingress side is not reached', () => {
    const inv = inventory(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: lock}
spec: {selector: all(), types: [Ingress, Egress]}
`);
    const v = inv.explain(tcp('10.0.0.1', '10.0.0.2', 80));
    assert.equal(v.verdict, 'deny');
    assert.equal(v.decidedBy, 'egress');
    assert.equal(v.ingress.reached, false);
    assert.deepEqual(v.egress.decidingHit, { index: 0, tier: 'default', kind: 'gnp', namespace: null, name: 'lock', action: 'deny', ruleIndex: -1, endOfTier: true, l7Unevaluated: false });
  });
});

describe('raw documents', () => {
  it('applyObject applies, stagedAction Delete removes the staged policy, deleteDocument maps raw kinds', () => {
    const inv = inventory('apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n');
    const staged = { apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name: 's', namespace: 'prod' }, spec: { selector: "app == 'api'" } };
    assert.deepEqual(inv.applyObject(staged), []);
    assert.equal(inv.explain(tcp('10.0.0.1', '10.0.0.2', 80)).ingress.pending.action, 'end-of-tier-deny');
    assert.deepEqual(inv.applyObject({ ...staged, spec: { ...staged.spec, stagedAction: 'Delete' } }), []);
    assert.equal(inv.get('StagedNetworkPolicy/prod/s'), undefined);
    assert.equal(inv.explain(tcp('10.0.0.1', '10.0.0.2', 80)).ingress.pending.action, 'profile-allow');
    inv.applyObject({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'k' }, spec: { podSelector: {} } });
    assert.ok(inv.get('KubernetesNetworkPolicy/default/k'));
    assert.equal(inv.deleteDocument('networking.k8s.io/v1', 'NetworkPolicy', undefined, 'k'), true);
    assert.equal(inv.deleteDocument('v1', 'ConfigMap', 'x', 'y'), false);
  });
});

describe('hit strings', () => {
  it('parse back into structured hits', () => {
    assert.deepEqual(parseHitString('1|default|np:prod/allow-fe|allow|0'), { index: 1, tier: 'default', kind: 'np', namespace: 'prod', name: 'allow-fe', action: 'allow', ruleIndex: 0 });
    assert.deepEqual(parseHitString('0|__PROFILE__|pro:kns.prod|allow|0')?.name, 'kns.prod');
    assert.equal(parseHitString('0|t|gnp:x|allow|0|extra'), null);
    assert.equal(parseHitString('0|t|np:ns/|allow|0'), null);
    assert.equal(parseHitString('0|t|GNP:x|allow|0'), null);
  });
});
