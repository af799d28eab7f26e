/**
 * The policy.networking.k8s.io admin policy kinds, converted as Calico converts them and
 * evaluated in their tiers: AdminNetworkPolicy / BaselineAdminNetworkPolicy (Calico 3.29–3.31,
 * tiers adminnetworkpolicy / baselineadminnetworkpolicy, libcalico-go conversion.go) and
 * ClusterNetworkPolicy (Calico 3.32, tiers kube-admin / kube-baseline, clusternetworkpolicy.go).
 * Table-driven: each case is a set of admin policies over one small cluster and flows with the
 * verdict and trace Calico gives. Also: identity and field errors, conversion notes as warnings
 * and verdict caveats, and the topic follower counting identical warnings once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  Inventory, documentResourceKey, keyOf, loadResourceText, type FlowInput, type Policy, type Resource,
} from '../../../src/inventory/index.ts';
import { InventoryChangeApplier, type ChangeLog } from '../../../src/inventory/topic/inventory-change-applier.ts';
import { resourceDocumentsFromText } from '../../../src/inventory/topic/resource-documents.ts';

// Three namespaces as in the network-policy-api conformance suite, one pod each (with named
// ports), a host endpoint, and a Kubernetes NetworkPolicy in ravenclaw.
const CLUSTER = ['gryffindor', 'slytherin', 'hufflepuff', 'ravenclaw'].map((house, i) => `apiVersion: v1
kind: Namespace
metadata: {name: ${house}, labels: {conformance-house: ${house}}}
---
apiVersion: v1
kind: Pod
metadata: {name: ${house}-0, namespace: ${house}, labels: {app: ${house}}}
spec:
  nodeName: node-1
  containers: [{name: c, ports: [{name: web, containerPort: 80}, {name: dns, containerPort: 53, protocol: UDP}]}]
status: {podIP: 10.0.0.${i + 1}}
`).join('---\n') + `---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: node-1-eth0, labels: {conformance-house: gryffindor}}
spec: {node: node-2, interfaceName: eth0, expectedIPs: [192.168.0.1], profiles: [projectcalico-default-allow]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-gryffindor, namespace: ravenclaw}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {matchLabels: {conformance-house: gryffindor}}}]}]
`;
const IP = { gryffindor: '10.0.0.1', slytherin: '10.0.0.2', hufflepuff: '10.0.0.3', ravenclaw: '10.0.0.4', host: '192.168.0.1' } as const;

function load(text: string): Resource[] {
  const r = loadResourceText(text, 'test.yaml');
  assert.deepEqual(r.issues.filter((i) => i.severity === 'error').map((i) => i.message), []);
  return r.resources;
}

const anp = (name: string, priority: number, spec: string): string =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  priority: ${priority}\n${spec}`;
const banp = (spec: string): string => `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n${spec}`;
const cnp = (name: string, tier: string, priority: number, spec: string): string =>
  `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  tier: ${tier}\n  priority: ${priority}\n${spec}`;
const SUBJECT_G = '  subject: {namespaces: {matchLabels: {conformance-house: gryffindor}}}\n';
const FROM_S = "[{namespaces: {matchLabels: {conformance-house: slytherin}}}]";

interface Flow { from: keyof typeof IP; to: keyof typeof IP; proto?: number; port: number; verdict: 'allow' | 'deny'; egress?: string[]; ingress?: string[] }
interface Case { name: string; source: string; policies: string[]; flows: Flow[] }

const CASES: Case[] = [
  {
    name: 'ANP Deny: ingress to gryffindor from slytherin denied in tier adminnetworkpolicy; other peers fall through to the profile',
    source: 'network-policy-api v0.1.7 conformance AdminNetworkPolicyIngressTCP; conversion.go K8sAdminNetworkPolicyToCalico',
    policies: [anp('deny-slytherin', 10, `${SUBJECT_G}  ingress: [{name: deny, action: Deny, from: ${FROM_S}}]\n`)],
    flows: [
      { from: 'slytherin', to: 'gryffindor', port: 80, verdict: 'deny', ingress: ['0|adminnetworkpolicy|kanp:deny-slytherin|deny|0'] },
      // The tier's default action Pass, attributed to the policy that selected the pod (rule -1).
      { from: 'hufflepuff', to: 'gryffindor', port: 80, verdict: 'allow', ingress: ['0|adminnetworkpolicy|kanp:deny-slytherin|pass|-1', '1|__PROFILE__|pro:kns.gryffindor|allow|0'] },
    ],
  },
  {
    name: 'priority: the lower number is evaluated first (Allow at 5 wins over Deny at 10)',
    source: 'network-policy-api v0.1.7 conformance AdminNetworkPolicyPriorityField',
    policies: [
      anp('deny-slytherin', 10, `${SUBJECT_G}  ingress: [{action: Deny, from: ${FROM_S}}]\n`),
      anp('allow-slytherin', 5, `${SUBJECT_G}  ingress: [{action: Allow, from: ${FROM_S}}]\n`),
    ],
    flows: [{ from: 'slytherin', to: 'gryffindor', port: 80, verdict: 'allow', ingress: ['0|adminnetworkpolicy|kanp:allow-slytherin|allow|0'] }],
  },
  {
    name: 'ANP Pass hands over to the default tier (a NetworkPolicy), BANP after it is never reached',
    source: 'network-policy-api v0.1.7 conformance AdminNetworkPolicyIntegration (standard-anp-np-banp.yaml)',
    policies: [
      anp('pass-example', 10, '  subject: {namespaces: {matchLabels: {conformance-house: ravenclaw}}}\n  ingress: [{action: Pass, from: [{namespaces: {}}]}]\n'),
      banp('  subject: {namespaces: {matchLabels: {conformance-house: ravenclaw}}}\n  ingress: [{action: Allow, from: [{namespaces: {}}]}]\n'),
    ],
    flows: [
      { from: 'gryffindor', to: 'ravenclaw', port: 80, verdict: 'allow', ingress: ['0|adminnetworkpolicy|kanp:pass-example|pass|0', '1|default|knp:ravenclaw/only-gryffindor|allow|0'] },
      { from: 'slytherin', to: 'ravenclaw', port: 80, verdict: 'deny', ingress: ['0|adminnetworkpolicy|kanp:pass-example|pass|0', '1|default|knp:ravenclaw/only-gryffindor|deny|-1'] },
    ],
  },
  {
    name: 'BANP applies after the default tier when no NetworkPolicy selects the pod; egress to the BANP peer denied',
    source: 'network-policy-api v0.1.7 conformance BaselineAdminNetworkPolicyEgressTCP; conversion.go K8sBaselineAdminNetworkPolicyToCalico (order 1000)',
    policies: [banp(`${SUBJECT_G}  egress: [{action: Deny, to: ${FROM_S}, ports: [{portNumber: {protocol: TCP, port: 80}}]}]\n`)],
    flows: [
      { from: 'gryffindor', to: 'slytherin', port: 80, verdict: 'deny', egress: ['0|baselineadminnetworkpolicy|kbanp:default|deny|0'] },
      { from: 'gryffindor', to: 'slytherin', port: 81, verdict: 'allow', egress: ['0|baselineadminnetworkpolicy|kbanp:default|pass|-1', '1|__PROFILE__|pro:kns.gryffindor|allow|0'] },
    ],
  },
  {
    name: 'ports: portNumber, portRange and UDP make one rule per protocol (sorted), unmatched ports fall through',
    source: 'network-policy-api v0.1.7 conformance AdminNetworkPolicyIngressUDP; conversion.go unpackANPPorts',
    policies: [anp('ports', 1, `${SUBJECT_G}  ingress: [{action: Deny, from: ${FROM_S}, ports: [{portNumber: {protocol: UDP, port: 53}}, {portRange: {protocol: TCP, start: 8000, end: 8100}}]}]\n`)],
    flows: [
      { from: 'slytherin', to: 'gryffindor', port: 8080, verdict: 'deny', ingress: ['0|adminnetworkpolicy|kanp:ports|deny|0'] },
      { from: 'slytherin', to: 'gryffindor', proto: 17, port: 53, verdict: 'deny', ingress: ['0|adminnetworkpolicy|kanp:ports|deny|1'] },
      { from: 'slytherin', to: 'gryffindor', port: 53, verdict: 'allow' },
    ],
  },
  {
    name: 'egress networks peer; a nodes peer Calico cannot convert makes a Deny rule deny-all (fail closed)',
    source: 'network-policy-api v0.1.7 conformance AdminNetworkPolicyEgressInlineCIDRPeers; conversion.go k8sANPHandleFailedRules',
    policies: [
      anp('cidr', 3, `${SUBJECT_G}  egress: [{action: Deny, to: [{networks: [10.0.0.2/32]}]}]\n`),
      anp('nodes', 4, '  subject: {namespaces: {matchLabels: {conformance-house: hufflepuff}}}\n  egress: [{action: Deny, to: [{nodes: {matchLabels: {a: b}}}]}]\n'),
    ],
    flows: [
      { from: 'gryffindor', to: 'slytherin', port: 80, verdict: 'deny', egress: ['0|adminnetworkpolicy|kanp:cidr|deny|0'] },
      { from: 'gryffindor', to: 'ravenclaw', port: 80, verdict: 'allow', egress: ['0|adminnetworkpolicy|kanp:cidr|pass|-1', '1|__PROFILE__|pro:kns.gryffindor|allow|0'] },
      { from: 'hufflepuff', to: 'slytherin', port: 80, verdict: 'deny', egress: ['0|adminnetworkpolicy|kanp:nodes|deny|0'] },
    ],
  },
  {
    name: 'ClusterNetworkPolicy: Admin tier kube-admin (after adminnetworkpolicy at the same order), Baseline tier kube-baseline; Accept is Allow',
    source: 'clusternetworkpolicy.go K8sClusterNetworkPolicyToCalico; libcalico-go/lib/names/policy.go KubeAdminTierName',
    policies: [
      anp('pass-all', 1, `${SUBJECT_G}  ingress: [{action: Pass, from: [{namespaces: {}}]}]\n`),
      cnp('admin-accept', 'Admin', 1, `${SUBJECT_G}  ingress: [{action: Accept, from: ${FROM_S}}]\n`),
      cnp('baseline-deny', 'Baseline', 1, `${SUBJECT_G}  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n`),
    ],
    flows: [
      { from: 'slytherin', to: 'gryffindor', port: 80, verdict: 'allow', ingress: ['0|adminnetworkpolicy|kanp:pass-all|pass|0', '1|kube-admin|kcnp:admin-accept|allow|0'] },
      { from: 'hufflepuff', to: 'gryffindor', port: 80, verdict: 'deny', ingress: ['0|adminnetworkpolicy|kanp:pass-all|pass|0', '1|kube-admin|kcnp:admin-accept|pass|-1', '2|kube-baseline|kcnp:baseline-deny|deny|0'] },
    ],
  },
  {
    name: 'ClusterNetworkPolicy destinationNamedPort resolves on the destination pod; protocols tcp/udp destinationPort',
    source: 'clusternetworkpolicy.go k8sCNPPortToCalicoFields (named port without protocol)',
    policies: [cnp('named', 'Admin', 2, `${SUBJECT_G}  egress: [{action: Deny, to: ${FROM_S}, protocols: [{destinationNamedPort: web}, {udp: {destinationPort: {number: 53}}}]}]\n`)],
    flows: [
      { from: 'gryffindor', to: 'slytherin', port: 80, verdict: 'deny', egress: ['0|kube-admin|kcnp:named|deny|0'] },
      { from: 'gryffindor', to: 'slytherin', port: 81, verdict: 'allow' },
      { from: 'gryffindor', to: 'slytherin', proto: 17, port: 53, verdict: 'deny', egress: ['0|kube-admin|kcnp:named|deny|1'] },
    ],
  },
  {
    name: 'a namespaces subject selects pods only: the host endpoint with the same labels is not selected',
    source: 'conversion.go: "Make sure projectcalico.org/orchestrator == \'k8s\' label is added to exclude heps"',
    policies: [anp('deny-all-in', 1, `${SUBJECT_G}  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n`)],
    flows: [
      { from: 'slytherin', to: 'host', port: 8080, verdict: 'allow', ingress: ['0|__PROFILE__|pro:projectcalico-default-allow|allow|0'] },
      { from: 'slytherin', to: 'gryffindor', port: 8080, verdict: 'deny', ingress: ['0|adminnetworkpolicy|kanp:deny-all-in|deny|0'] },
    ],
  },
];

describe('admin policies evaluated in their tiers', () => {
  for (const c of CASES) {
    it(`${c.name} (${c.source})`, () => {
      const inv = Inventory.fromResources(load([CLUSTER, ...c.policies].join('---\n')));
      for (const f of c.flows) {
        const flow: FlowInput = { srcIp: IP[f.from], dstIp: IP[f.to], protocol: f.proto ?? 6, dstPort: f.port, srcPort: 40000 };
        const v = inv.explain(flow);
        const where = `${f.from} -> ${f.to} ${f.proto ?? 6}/${f.port}`;
        assert.equal(v.verdict, f.verdict, `${where}: verdict`);
        if (f.egress) assert.deepEqual(v.egress.trace, f.egress, `${where}: egress trace`);
        if (f.ingress) assert.deepEqual(v.ingress.trace, f.ingress, `${where}: ingress trace`);
        const cold = inv.engine.explainUncached(flow);
        assert.deepEqual([cold.egress.trace, cold.ingress.trace], [v.egress.trace, v.ingress.trace], `${where}: uncached`);
      }
    });
  }
});

describe('admin policy conversion', () => {
  it('keys, tiers, orders, types and legacy names as Calico sets them; no warning for what converts as written', () => {
    const r = loadResourceText([
      anp('a', 7, `${SUBJECT_G}  egress: [{action: Allow, to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: x}}}}]}]\n`),
      banp(`${SUBJECT_G}  ingress: [{action: Deny, from: [{namespaces: {}}]}]\n`),
      cnp('c', 'Baseline', 3, '  subject: {pods: {namespaceSelector: {}, podSelector: {}}}\n  ingress: [{action: Accept, from: [{namespaces: {}}]}]\n'),
    ].join('---\n'), 'admin.yaml');
    assert.deepEqual(r.issues, []);
    const ps = r.resources as Policy[];
    assert.deepEqual(ps.map(keyOf), ['AdminNetworkPolicy//a', 'BaselineAdminNetworkPolicy//default', 'ClusterNetworkPolicy//c']);
    assert.deepEqual(ps.map((p) => [p.tier, p.order, p.types.ingress, p.types.egress]), [
      ['adminnetworkpolicy', 7, false, true],
      ['baselineadminnetworkpolicy', 1000, true, false],
      ['kube-baseline', 3, true, false],
    ]);
    assert.equal(documentResourceKey('policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', 'ns-ignored', 'x'), 'ClusterNetworkPolicy//x');
    assert.equal(documentResourceKey('policy.networking.k8s.io/v1alpha2', 'AdminNetworkPolicy', undefined, 'x'), null, 'other versions stay unknown');
  });

  it('what Calico does not convert as written is a warning, and a verdict the policy decides carries it as a caveat', () => {
    const text = [
      anp('named', 1, `${SUBJECT_G}  ingress: [{name: web, action: Deny, from: ${FROM_S}, ports: [{namedPort: web}]}]\n`),
      anp('nodes-allow', 2, `${SUBJECT_G}  egress: [{action: Allow, to: [{nodes: {matchLabels: {a: b}}}]}]\n`),
    ].join('---\n');
    const r = loadResourceText(text, 'admin.yaml');
    assert.deepEqual(r.issues.map((i) => [i.severity, i.message]), [
      ['warning', 'admin.yaml: document 1: spec: AdminNetworkPolicy ingress rule 0 (web): namedPort "web" is read as every port, as Calico 3.29–3.31 convert it (the rule matches any protocol and port)'],
      ['warning', 'admin.yaml: document 2: spec: AdminNetworkPolicy egress rule 0: dropped, as Calico drops it (nodes peers are not converted by Calico)'],
    ]);
    const inv = Inventory.fromResources(load([CLUSTER, text].join('---\n')));
    // The named port matches every port (here 9999, which no pod names).
    const v = inv.explain({ srcIp: IP.slytherin, dstIp: IP.gryffindor, protocol: 6, dstPort: 9999 });
    assert.equal(v.verdict, 'deny');
    assert.deepEqual(v.caveats, ['kanp:named: AdminNetworkPolicy ingress rule 0 (web): namedPort "web" is read as every port, as Calico 3.29–3.31 convert it (the rule matches any protocol and port)']);
    assert.deepEqual(inv.explain({ srcIp: IP.hufflepuff, dstIp: IP.slytherin, protocol: 6, dstPort: 80 }).caveats, [], 'no caveat when the policy is not hit');
  });

  it('bad documents: every problem named with its path', () => {
    const r = loadResourceText([
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {}\nspec: {priority: 1}\n',
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: other}\nspec: {}\n',
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: p}\nspec: {priority: 1001}\n',
      'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: c}\nspec: {tier: Middle, priority: 1}\n',
      anp('noprio', 1, SUBJECT_G).replace('  priority: 1\n', ''),
      anp('both', 1, '  subject: {namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}\n'),
      anp('act', 1, `${SUBJECT_G}  ingress: [{action: Accept, from: ${FROM_S}}]\n`),
      banp(`${SUBJECT_G}  ingress: [{action: Pass, from: ${FROM_S}}]\n`),
      anp('peer', 1, `${SUBJECT_G}  ingress: [{action: Deny, from: [{namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}]}]\n`),
      anp('port', 1, `${SUBJECT_G}  ingress: [{action: Deny, from: ${FROM_S}, ports: [{portRange: {start: 9, end: 3}}]}]\n`),
      cnp('nopeer', 'Admin', 1, `${SUBJECT_G}  egress: [{action: Deny, to: []}]\n`),
    ].join('---\n'), 'bad.yaml');
    assert.deepEqual(r.resources, []);
    assert.deepEqual(r.issues.map((i) => i.message), [
      'bad.yaml: document 1: metadata.name: required field is missing',
      'bad.yaml: document 2: metadata.name: a BaselineAdminNetworkPolicy must be named "default", got "other"',
      'bad.yaml: document 3: spec.priority: expected an integer 0–1000, got number 1001',
      'bad.yaml: document 4: spec.tier: invalid tier "Middle" (Admin or Baseline)',
      'bad.yaml: document 5: spec.priority: required field is missing',
      'bad.yaml: document 6: spec.subject: exactly one of namespaces or pods, got namespaces, pods',
      'bad.yaml: document 7: spec.ingress[0].action: invalid action "Accept" (Allow, Deny, Pass)',
      'bad.yaml: document 8: spec.ingress[0].action: invalid action "Pass" (Allow, Deny)',
      'bad.yaml: document 9: spec.ingress[0].from[0]: a peer sets exactly one field, got namespaces, pods',
      'bad.yaml: document 10: spec.ingress[0].ports[0].portRange.end: end 3 is below start 9',
      'bad.yaml: document 11: spec.egress[0].to: at least one peer is required',
    ]);
  });

  it('the inventory evaluates them, counts them and deletes them by key (the verdict follows)', () => {
    const policy = anp('deny-slytherin', 10, `${SUBJECT_G}  ingress: [{action: Deny, from: ${FROM_S}}]\n`);
    const inv = Inventory.fromResources(load([CLUSTER, policy].join('---\n')));
    const flow = { srcIp: IP.slytherin, dstIp: IP.gryffindor, protocol: 6, dstPort: 80 };
    assert.equal(inv.explain(flow).verdict, 'deny');
    assert.equal(inv.counts().AdminNetworkPolicy, 1);
    assert.equal(inv.deleteDocument('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', undefined, 'deny-slytherin'), true);
    assert.equal(inv.explain(flow).verdict, 'allow');
  });

  it('inventory apply publishes them under their keys, without warnings', () => {
    const { documents, issues } = resourceDocumentsFromText([
      anp('a', 1, SUBJECT_G), banp(SUBJECT_G), cnp('c', 'Admin', 1, SUBJECT_G),
    ].join('---\n'), 'admin.yaml');
    assert.deepEqual(documents.map((d) => d.key), ['AdminNetworkPolicy//a', 'BaselineAdminNetworkPolicy//default', 'ClusterNetworkPolicy//c']);
    assert.deepEqual(issues, []);
  });
});

describe('follower warnings', () => {
  // Every one of these carries the same conversion note (a named port Calico 3.29–3.31 read as every port).
  const NAMED_PORT_RULE = { name: 'web', action: 'Allow', from: [{ namespaces: {} }], ports: [{ namedPort: 'http' }] };
  function anpDoc(i: number): Record<string, unknown> {
    return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: `anp-${i}` }, spec: { priority: i % 1000, subject: { namespaces: {} }, ingress: [NAMED_PORT_RULE] } };
  }
  const NOTE = 'AdminNetworkPolicy ingress rule 0 (web): namedPort "http" is read as every port, as Calico 3.29–3.31 convert it (the rule matches any protocol and port)';
  const BANP_NOTE = 'BaselineAdminNetworkPolicy ingress rule 0 (web): namedPort "http" is read as every port, as Calico 3.29–3.31 convert it (the rule matches any protocol and port)';

  it('500 admin policies with the same conversion note on the topic give one warning line at start (with the count), not 500', () => {
    const warnings: Array<{ fields: object; message: string }> = [];
    const log: ChangeLog = { warn: (fields, message) => warnings.push({ fields, message }), error: () => assert.fail('no errors expected') };
    const stored: Resource[] = [];
    const applier = new InventoryChangeApplier('inv', { upsert: (r) => stored.push(r), remove: () => undefined }, log, () => 0);
    for (let i = 0; i < 500; i++) {
      applier.apply({ key: `AdminNetworkPolicy//anp-${i}`, record: { document: anpDoc(i), origin: 't', appliedAt: '' }, offset: String(i), timestamp: i });
    }
    const unknown = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    applier.apply({ key: 'Widget//w', record: { document: unknown, origin: 't', appliedAt: '' }, offset: '500', timestamp: 500 });
    assert.equal(warnings.length, 0, 'nothing logged while reading the topic to its end');
    applier.caughtUp();
    assert.equal(stored.length, 500);
    assert.equal(applier.stats.warnings, 501);
    assert.deepEqual(warnings.map((w) => w.message), [
      `inventory records: ${NOTE} (500 records)`,
      'inventory records: unknown kind "Widget" (apiVersion example.com/v1), skipped',
    ]);
    assert.deepEqual(warnings[0]!.fields, { records: 500, examples: ['AdminNetworkPolicy//anp-0', 'AdminNetworkPolicy//anp-1', 'AdminNetworkPolicy//anp-2'], topic: 'inv' });
    // Following: a known warning is only counted; a new one is logged once.
    applier.apply({ key: 'AdminNetworkPolicy//anp-500', record: { document: anpDoc(500), origin: 't', appliedAt: '' }, offset: '501', timestamp: 501 });
    assert.equal(warnings.length, 2);
    const banp = { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: { namespaces: {} }, ingress: [NAMED_PORT_RULE] } };
    applier.apply({ key: 'BaselineAdminNetworkPolicy//default', record: { document: banp, origin: 't', appliedAt: '' }, offset: '502', timestamp: 502 });
    applier.apply({ key: 'BaselineAdminNetworkPolicy//default', record: { document: banp, origin: 't', appliedAt: '' }, offset: '503', timestamp: 503 });
    assert.deepEqual(warnings.slice(2).map((w) => w.message), [`inventory records: ${BANP_NOTE}`]);
    assert.equal(applier.warningCounts().get(NOTE), 501);
    assert.equal(applier.warningCounts().get(BANP_NOTE), 2);
  });
});
