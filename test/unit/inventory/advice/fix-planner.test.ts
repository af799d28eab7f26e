/**
 * The smallest change allowing a denied flow: table cases over one small cluster, each adding the
 * policies that make the case (end of a tier with several policies, a shadowing deny, a Pass out
 * of a tier, both sides denying, a Kubernetes NetworkPolicy, a staged policy, named ports, host
 * endpoints). Every case checks where each edit goes, the rule written, and that the edited
 * inventory allows the flow with the expected trace.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planFix, type FixPlan } from '../../../../src/inventory/advice/fix-planner.ts';
import { planYaml, renderChanges, stagedTrialVerdict } from '../../../../src/inventory/advice/fix-output.ts';
import { stagedVariant, unifiedDiff } from '../../../../src/inventory/advice/policy-yaml.ts';
import { keyOf, type FlowInput, type Resource } from '../../../../src/inventory/index.ts';
import { resourceDocumentsFromText } from '../../../../src/inventory/topic/resource-documents.ts';

// node-1 has a named host endpoint (no profiles: default deny); the pods run on node-2.
const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: data}
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {addresses: [{type: InternalIP, address: 192.168.0.11}]}
---
apiVersion: v1
kind: Node
metadata: {name: node-2}
status: {addresses: [{type: InternalIP, address: 192.168.0.12}]}
---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: node-1-eth0, labels: {host-endpoint: "true", role: ingress-node}}
spec: {node: node-1, interfaceName: eth0}
---
apiVersion: v1
kind: Pod
metadata: {name: frontend-7d9c5b-x2k4p, namespace: shop, labels: {app: frontend, pod-template-hash: 7d9c5b}}
spec: {nodeName: node-2, containers: [{name: web, ports: [{name: http, containerPort: 8080, protocol: TCP}]}]}
status: {podIP: 10.0.1.10}
---
apiVersion: v1
kind: Pod
metadata: {name: api-5f8b7c-q8r2m, namespace: shop, labels: {app: api, pod-template-hash: 5f8b7c}}
spec: {nodeName: node-2}
status: {podIP: 10.0.1.20}
---
apiVersion: v1
kind: Pod
metadata: {name: postgres-0, namespace: data, labels: {app: postgres, statefulset.kubernetes.io/pod-name: postgres-0, controller-revision-hash: postgres-6d9}}
spec: {nodeName: node-2, containers: [{name: pg, ports: [{name: pg, containerPort: 5432, protocol: TCP}]}]}
status: {podIP: 10.0.2.10}
---
apiVersion: v1
kind: Pod
metadata: {name: redis-0, namespace: data, labels: {app: redis}}
spec: {nodeName: node-2, containers: [{name: redis, ports: [{name: redis, containerPort: 6379, protocol: TCP}]}]}
status: {podIP: 10.0.2.20}
`;

const IP = { frontend: '10.0.1.10', api: '10.0.1.20', postgres: '10.0.2.10', redis: '10.0.2.20', node1: '192.168.0.11' } as const;

const POSTGRES_ALLOWS_API = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: default.postgres, namespace: data}
spec:
  order: 100
  selector: app == 'postgres'
  types: [Ingress]
  ingress:
  - {action: Allow, protocol: TCP, source: {namespaceSelector: "projectcalico.org/name == 'shop'", selector: "app == 'api'"}, destination: {ports: [5432]}}
`;

const FROM_FRONTEND = { selector: "app == 'frontend'", namespaceSelector: "projectcalico.org/name == 'shop'" };

interface ExpectedEdit {
  policy: string;
  side: 'egress' | 'ingress';
  scope?: 'enforced' | 'pending';
  action: 'Allow' | 'Pass';
  index: number;
  rule?: Record<string, unknown>;
  created?: boolean;
}

interface Case {
  name: string;
  extra: string;
  flow: FlowInput;
  edits: ExpectedEdit[];
  /** The fixed verdict's traces (enforced egress, ingress). */
  trace?: { egress?: string[]; ingress?: string[]; pendingIngress?: string[] };
  notes?: RegExp;
}

const tcp = (src: string, dst: string, port: number): FlowInput => ({ srcIp: src, dstIp: dst, protocol: 6, dstPort: port, srcPort: 40000 });

const CASES: Case[] = [
  {
    name: 'end-of-tier deny in a tier with several policies: the endpoint\'s own policy, not the global one the hit names',
    extra: `${POSTGRES_ALLOWS_API}---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: default.metrics}
spec:
  order: 10
  selector: all()
  types: [Ingress]
  ingress: [{action: Allow, protocol: TCP, destination: {ports: [9090]}}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: default.audit}
spec:
  order: 500
  selector: has(app)
  types: [Ingress]
  ingress: [{action: Log}]
`,
    flow: tcp(IP.frontend, IP.postgres, 5432),
    edits: [{ policy: 'NetworkPolicy/data/default.postgres', side: 'ingress', action: 'Allow', index: 1, rule: { action: 'Allow', protocol: 'TCP', source: FROM_FRONTEND, destination: { ports: ['pg'] } } }],
    trace: { ingress: ['0|default|np:data/default.postgres|allow|1'] },
  },
  {
    name: 'a deny rule that would shadow the allow: the rule goes before it',
    extra: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: default.postgres, namespace: data}
spec:
  order: 100
  selector: app == 'postgres'
  types: [Ingress]
  ingress:
  - {action: Allow, protocol: TCP, source: {namespaceSelector: "projectcalico.org/name == 'shop'", selector: "app == 'api'"}, destination: {ports: [5432]}}
  - {action: Deny}
`,
    flow: tcp(IP.frontend, IP.postgres, 5432),
    edits: [{ policy: 'NetworkPolicy/data/default.postgres', side: 'ingress', action: 'Allow', index: 1 }],
    trace: { ingress: ['0|default|np:data/default.postgres|allow|1'] },
  },
  {
    name: 'a tier that passes approved traffic on: Pass out of it, then allow in the tier that owns the decision',
    extra: `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.data-guard}
spec:
  tier: security
  order: 10
  selector: app == 'postgres'
  types: [Ingress]
  ingress:
  - {action: Pass, source: {namespaceSelector: "projectcalico.org/name == 'shop'", selector: "app == 'api'"}}
  - {action: Deny}
---
${POSTGRES_ALLOWS_API}`,
    flow: tcp(IP.frontend, IP.postgres, 5432),
    edits: [
      { policy: 'GlobalNetworkPolicy//security.data-guard', side: 'ingress', action: 'Pass', index: 1, rule: { action: 'Pass', protocol: 'TCP', source: FROM_FRONTEND, destination: { ports: ['pg'] } } },
      { policy: 'NetworkPolicy/data/default.postgres', side: 'ingress', action: 'Allow', index: 1 },
    ],
    trace: { ingress: ['0|security|gnp:security.data-guard|pass|1', '1|default|np:data/default.postgres|allow|1'] },
  },
  {
    name: 'both sides deny: egress of the source, then ingress of the destination',
    extra: `${POSTGRES_ALLOWS_API}---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: default.frontend, namespace: shop}
spec:
  order: 100
  selector: app == 'frontend'
  types: [Egress]
  egress: [{action: Allow, protocol: TCP, destination: {selector: "app == 'api'", ports: [8080]}}]
`,
    flow: tcp(IP.frontend, IP.postgres, 5432),
    edits: [
      { policy: 'NetworkPolicy/shop/default.frontend', side: 'egress', action: 'Allow', index: 1, rule: { action: 'Allow', protocol: 'TCP', destination: { selector: "app == 'postgres'", namespaceSelector: "projectcalico.org/name == 'data'", ports: ['pg'] } } },
      { policy: 'NetworkPolicy/data/default.postgres', side: 'ingress', action: 'Allow', index: 1 },
    ],
    trace: { egress: ['0|default|np:shop/default.frontend|allow|1'], ingress: ['0|default|np:data/default.postgres|allow|1'] },
  },
  {
    name: 'a port the destination does not declare stays a number',
    extra: POSTGRES_ALLOWS_API,
    flow: tcp(IP.frontend, IP.postgres, 5433),
    edits: [{ policy: 'NetworkPolicy/data/default.postgres', side: 'ingress', action: 'Allow', index: 1, rule: { action: 'Allow', protocol: 'TCP', source: FROM_FRONTEND, destination: { ports: [5433] } } }],
  },
  {
    name: 'a Kubernetes NetworkPolicy in the default tier is edited as Kubernetes YAML, with the named port',
    extra: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: redis, namespace: data}
spec:
  podSelector: {matchLabels: {app: redis}}
  policyTypes: [Ingress]
  ingress:
  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}, podSelector: {matchLabels: {app: api}}}]
    ports: [{protocol: TCP, port: 6379}]
`,
    flow: tcp(IP.frontend, IP.redis, 6379),
    edits: [{
      policy: 'KubernetesNetworkPolicy/data/redis', side: 'ingress', action: 'Allow', index: 1,
      rule: { from: [{ podSelector: { matchLabels: { app: 'frontend' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }], ports: [{ protocol: 'TCP', port: 'redis' }] },
    }],
    trace: { ingress: ['0|default|knp:data/redis|allow|1'] },
  },
  {
    name: 'a staged policy in play: the enforced policy is fixed, then the staged one so the fix survives its enforcement',
    extra: `${POSTGRES_ALLOWS_API}---
apiVersion: projectcalico.org/v3
kind: StagedNetworkPolicy
metadata: {name: default.lockdown, namespace: data}
spec:
  order: 50
  selector: app == 'postgres'
  types: [Ingress]
  ingress:
  - {action: Allow, protocol: TCP, source: {namespaceSelector: "projectcalico.org/name == 'shop'", selector: "app == 'api'"}}
  - {action: Deny}
`,
    flow: tcp(IP.frontend, IP.postgres, 5432),
    edits: [
      { policy: 'NetworkPolicy/data/default.postgres', side: 'ingress', action: 'Allow', index: 1 },
      { policy: 'StagedNetworkPolicy/data/default.lockdown', side: 'ingress', scope: 'pending', action: 'Allow', index: 1 },
    ],
    trace: { ingress: ['0|default|np:data/default.postgres|allow|1'], pendingIngress: ['0|default|snp:data/default.lockdown|allow|1'] },
  },
  {
    name: 'a staged policy in the denying tier is never the one edited for the enforced verdict',
    extra: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: default.metrics}
spec:
  order: 10
  selector: all()
  types: [Ingress]
  ingress: [{action: Allow, protocol: TCP, destination: {ports: [9090]}}]
---
apiVersion: projectcalico.org/v3
kind: StagedNetworkPolicy
metadata: {name: default.postgres-next, namespace: data}
spec:
  order: 50
  selector: app == 'postgres'
  types: [Ingress]
  ingress: [{action: Allow, protocol: TCP, source: {namespaceSelector: "projectcalico.org/name == 'shop'", selector: "app == 'api'"}}]
`,
    flow: tcp(IP.frontend, IP.postgres, 5432),
    edits: [{ policy: 'GlobalNetworkPolicy//default.metrics', side: 'ingress', action: 'Allow', index: 1, rule: { action: 'Allow', protocol: 'TCP', source: FROM_FRONTEND, destination: { ports: ['pg'] } } }],
    trace: { ingress: ['0|default|gnp:default.metrics|allow|1'], pendingIngress: ['0|default|gnp:default.metrics|allow|1'] },
  },
  {
    name: 'host endpoint as destination of a global policy: peers carry their namespace',
    extra: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: default.hosts}
spec:
  order: 100
  selector: host-endpoint == 'true'
  types: [Ingress]
  ingress: [{action: Allow, protocol: TCP, source: {nets: [192.168.0.0/24]}, destination: {ports: [22]}}]
`,
    flow: tcp(IP.frontend, IP.node1, 10250),
    edits: [{ policy: 'GlobalNetworkPolicy//default.hosts', side: 'ingress', action: 'Allow', index: 1, rule: { action: 'Allow', protocol: 'TCP', source: FROM_FRONTEND, destination: { ports: [10250] } } }],
    trace: { ingress: ['0|default|gnp:default.hosts|allow|1'] },
  },
  {
    name: 'host endpoint with no policy and no profile, as the peer of a namespaced egress policy: global() peer, new global policy',
    extra: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: default.frontend, namespace: shop}
spec:
  order: 100
  selector: app == 'frontend'
  types: [Egress]
  egress: [{action: Allow, protocol: TCP, destination: {selector: "app == 'api'", ports: [8080]}}]
`,
    flow: tcp(IP.frontend, IP.node1, 10250),
    edits: [
      { policy: 'NetworkPolicy/shop/default.frontend', side: 'egress', action: 'Allow', index: 1, rule: { action: 'Allow', protocol: 'TCP', destination: { selector: "host-endpoint == 'true' && role == 'ingress-node'", namespaceSelector: 'global()', ports: [10250] } } },
      { policy: 'GlobalNetworkPolicy//default.segflow-fix-true-ingress', side: 'ingress', action: 'Allow', index: 0, created: true },
    ],
    trace: { egress: ['0|default|np:shop/default.frontend|allow|1'], ingress: ['0|default|gnp:default.segflow-fix-true-ingress|allow|0'] },
    notes: /is new: once a policy selects node-1-eth0/,
  },
];

function inventoryOf(extra: string): { resources: Resource[]; documents: Map<string, Record<string, unknown>> } {
  const { documents, issues } = resourceDocumentsFromText(`${CLUSTER}---\n${extra}`, 'case');
  const errors = issues.filter((i) => i.severity === 'error');
  assert.deepEqual(errors, [], 'the case loads');
  const resources = documents.flatMap((d) => d.resources);
  return { resources, documents: new Map(documents.flatMap((d) => d.resources.map((r) => [keyOf(r), d.document] as const))) };
}

describe('fix planner', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { resources, documents } = inventoryOf(c.extra);
      const plan = planFix({ resources, documents, flow: c.flow });
      assert.equal(plan.before.verdict, 'deny', 'the case starts denied');
      assert.equal(plan.allowed, true, `fixed (notes: ${plan.notes.join('; ')})`);
      assert.deepEqual(plan.edits.map((e) => ({
        policy: e.key, side: e.side, action: e.action, index: e.index,
        ...(c.edits.some((x) => x.scope) ? { scope: e.scope } : {}),
      })), c.edits.map((e) => ({ policy: e.policy, side: e.side, action: e.action, index: e.index, ...(c.edits.some((x) => x.scope) ? { scope: e.scope ?? 'enforced' } : {}) })));
      c.edits.forEach((e, i) => {
        if (e.rule) assert.deepEqual(plan.edits[i]?.rule, e.rule, `edit ${i} rule`);
        assert.equal(plan.edits[i]?.created, e.created ?? false, `edit ${i} created`);
      });
      if (c.trace?.egress) assert.deepEqual(plan.after.egress.trace, c.trace.egress);
      if (c.trace?.ingress) assert.deepEqual(plan.after.ingress.trace, c.trace.ingress);
      if (c.trace?.pendingIngress) assert.deepEqual(plan.after.ingress.pending.trace, c.trace.pendingIngress);
      if (c.notes) assert.match(plan.notes.join('\n'), c.notes);
      // Every change is a whole document that loads on its own, one per policy touched.
      assert.equal(plan.changes.length, new Set(plan.edits.map((e) => e.key)).size);
      assert.equal(plan.resources.length, plan.changes.length);
    });
  }

  it('an allowed flow needs no change', () => {
    const { resources, documents } = inventoryOf(POSTGRES_ALLOWS_API);
    const plan = planFix({ resources, documents, flow: tcp(IP.api, IP.postgres, 5432) });
    assert.equal(plan.before.verdict, 'allow');
    assert.deepEqual(plan.edits, []);
    assert.match(plan.notes.join(), /allowed already/);
  });

  it('an admin policy is named, not edited', () => {
    const { resources, documents } = inventoryOf(`apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: guard}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: data}}}
  ingress: [{name: no-shop, action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}]}]
`);
    const plan = planFix({ resources, documents, flow: tcp(IP.frontend, IP.postgres, 5432) });
    assert.equal(plan.before.verdict, 'deny');
    assert.equal(plan.allowed, false);
    assert.deepEqual(plan.edits, []);
    assert.match(plan.notes.join(), /admin policy .*guard.*does not edit admin policies/);
  });
});

describe('fix output', () => {
  function bothSides(): { plan: FixPlan; resources: Resource[] } {
    const c = CASES[3] as Case;
    const { resources, documents } = inventoryOf(c.extra);
    return { plan: planFix({ resources, documents, flow: c.flow }), resources };
  }

  it('renders whole documents with a diff that adds only the new rule', () => {
    const { plan } = bothSides();
    const [egress] = renderChanges(plan, false);
    assert.ok(egress);
    assert.equal(egress.apply_with, 'calicoctl');
    assert.match(egress.yaml, /^apiVersion: projectcalico.org\/v3\nkind: NetworkPolicy\nmetadata:/);
    const added = egress.diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    const removed = egress.diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
    assert.deepEqual(removed, []);
    assert.deepEqual(added, [
      '+    - action: Allow', '+      protocol: TCP', '+      destination:', "+        selector: app == 'postgres'",
      "+        namespaceSelector: projectcalico.org/name == 'data'", '+        ports:', '+          - pg',
    ]);
    assert.match(egress.diff, /^--- a\/NetworkPolicy\/shop\/default.frontend.yaml\n\+\+\+ b\/NetworkPolicy\/shop\/default.frontend.yaml\n@@ /);
  });

  it('a staged trial: staged variants of the same name whose pending verdict allows the flow, enforced unchanged', () => {
    const { plan, resources } = bothSides();
    const rendered = renderChanges(plan, true);
    assert.match(rendered[0]?.staged_yaml ?? '', /kind: StagedNetworkPolicy\nmetadata:\n {2}name: default.frontend\n {2}namespace: shop/);
    assert.match(rendered[0]?.staged_yaml ?? '', /order: 99.999/);
    const trial = stagedTrialVerdict(resources, plan, CASES[3]!.flow);
    assert.equal(trial.verdict, 'deny', 'the enforced verdict is unchanged by staged policies');
    assert.equal(trial.egress.pending.action, 'allow');
    assert.equal(trial.ingress.pending.action, 'allow');
    assert.equal(planYaml(plan, true).split('---\n').length, 2);
  });

  it('stagedVariant: Kubernetes → StagedKubernetesNetworkPolicy, nil order sorts just before', () => {
    assert.deepEqual(stagedVariant({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'r', namespace: 'd' }, spec: { podSelector: {} } }),
      { apiVersion: 'projectcalico.org/v3', kind: 'StagedKubernetesNetworkPolicy', metadata: { name: 'r', namespace: 'd' }, spec: { podSelector: {} } });
    assert.deepEqual(stagedVariant({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'g' }, spec: { selector: 'all()' } }),
      { apiVersion: 'projectcalico.org/v3', kind: 'StagedGlobalNetworkPolicy', metadata: { name: 'g' }, spec: { selector: 'all()', order: 1e9 } });
  });

  it('unifiedDiff: hunks with context, new files from /dev/null, equal texts give nothing', () => {
    assert.equal(unifiedDiff('a\nb\nc\n', 'a\nb\nc\n', 'x', 'y'), '');
    assert.equal(unifiedDiff('1\n2\n3\n4\n5\n6\n7\n8\n', '1\n2\n3\n4\nnew\n5\n6\n7\n8\n', 'a/p', 'b/p'), '--- a/p\n+++ b/p\n@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+new\n 5\n 6\n 7\n');
    assert.equal(unifiedDiff('', 'x\ny\n', '/dev/null', 'b/p'), '--- /dev/null\n+++ b/p\n@@ -0,0 +1,2 @@\n+x\n+y\n');
    assert.equal(unifiedDiff('a\nb\n', 'a\nc\n', 'a/p', 'b/p'), '--- a/p\n+++ b/p\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n');
  });
});
