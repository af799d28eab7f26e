/**
 * The host endpoint packet path (docs/calico-semantics.md §2): failsafe ports, untracked
 * (doNotTrack), pre-DNAT, normal and applyOnForward stages in Felix's order, and a node's
 * traffic to its own workloads. Table-driven: each case adds policies (or a FelixConfiguration)
 * to one two-node cluster and checks flows: verdict, the deciding stage per side, traces.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Inventory, loadResourceText, type DecidingStage, type FlowInput, type Resource } from '../../../src/inventory/index.ts';

// node-1: a named host endpoint (eth0, the Node's address, no profiles: default deny);
// node-2: an all-interfaces host endpoint with the allow-all profile; node-3: no host endpoint.
const CLUSTER = `apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {addresses: [{type: InternalIP, address: 192.168.0.11}]}
---
apiVersion: v1
kind: Node
metadata: {name: node-2}
status: {addresses: [{type: InternalIP, address: 192.168.0.12}]}
---
apiVersion: v1
kind: Node
metadata: {name: node-3}
status: {addresses: [{type: InternalIP, address: 192.168.0.13}]}
---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: node-1-eth0, labels: {host-endpoint: "true", hostname: node-1}}
spec: {node: node-1, interfaceName: eth0}
---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: node-2-all, labels: {host-endpoint: "true", hostname: node-2}}
spec: {node: node-2, interfaceName: "*", expectedIPs: [192.168.0.12], profiles: [projectcalico-default-allow]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-a, namespace: prod, labels: {app: web}}
spec: {nodeName: node-1}
status: {podIP: 10.244.1.10}
---
apiVersion: v1
kind: Pod
metadata: {name: dev-d, namespace: dev, labels: {app: dev}}
spec: {nodeName: node-1}
status: {podIP: 10.244.1.20}
---
apiVersion: v1
kind: Pod
metadata: {name: web-b, namespace: prod, labels: {app: web}}
spec: {nodeName: node-2}
status: {podIP: 10.244.2.10}
---
apiVersion: v1
kind: Pod
metadata: {name: web-c, namespace: prod, labels: {app: web}}
spec: {nodeName: node-3}
status: {podIP: 10.244.3.10}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: prod}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

const IP = {
  node1: '192.168.0.11', node2: '192.168.0.12', node3: '192.168.0.13', a: '10.244.1.10', d: '10.244.1.20', b: '10.244.2.10', c: '10.244.3.10',
  ext: '203.0.113.5', bad: '198.51.100.7',
} as const;
type Where = keyof typeof IP;

interface Flow {
  from: Where; to: Where; proto?: 'tcp' | 'udp'; port: number; verdict: 'allow' | 'deny';
  egress?: { stage?: DecidingStage | null; trace?: string[] };
  ingress?: { stage?: DecidingStage | null; trace?: string[]; stages?: string[] };
}
interface Case { name: string; source: string; extra?: string; flows: Flow[] }

const gnp = (name: string, spec: string): string => `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}`;

const CASES: Case[] = [
  {
    name: 'failsafe ports: inbound tcp/22 and outbound udp/53 accepted before any policy; other ports meet the host endpoint\'s default deny',
    source: 'felix/config/config_params.go FailsafeInboundHostPorts/FailsafeOutboundHostPorts defaults; felix/rules/static.go failsafeInChain',
    flows: [
      { from: 'ext', to: 'node1', port: 22, verdict: 'allow', ingress: { stage: 'failsafe', trace: [] } },
      { from: 'ext', to: 'node1', port: 80, verdict: 'deny', ingress: { stage: 'host', trace: ['0|__PROFILE__|pro:__NO_MATCH__|deny|0'] } },
      { from: 'node1', to: 'ext', proto: 'udp', port: 53, verdict: 'allow', egress: { stage: 'failsafe', trace: [] } },
      { from: 'node1', to: 'ext', port: 443, verdict: 'deny', egress: { stage: 'host' } },
      // Outbound failsafe on the source is not inbound failsafe on the destination: node-1 → node-2:6443 passes both anyway.
      { from: 'node1', to: 'node2', port: 6443, verdict: 'allow', egress: { stage: 'failsafe' }, ingress: { stage: 'failsafe' } },
    ],
  },
  {
    name: 'FelixConfiguration default replaces the inbound list; node.<name> overrides it for one node; net restricts the source',
    source: 'api/pkg/apis/projectcalico/v3/felixconfig.go FailsafeInboundHostPorts (ProtoPort protocol/port/net)',
    extra: `apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata: {name: default}
spec: {failsafeInboundHostPorts: [{protocol: TCP, port: 2222}]}
---
apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata: {name: node.node-2}
spec: {failsafeInboundHostPorts: [{port: 22, net: 10.244.0.0/16}]}
`,
    flows: [
      { from: 'ext', to: 'node1', port: 22, verdict: 'deny', ingress: { stage: 'host' } },
      { from: 'ext', to: 'node1', port: 2222, verdict: 'allow', ingress: { stage: 'failsafe' } },
      { from: 'a', to: 'node2', port: 22, verdict: 'allow', ingress: { stage: 'failsafe' } },
      { from: 'ext', to: 'node2', port: 22, verdict: 'allow', ingress: { stage: 'host', trace: ['0|__PROFILE__|pro:projectcalico-default-allow|allow|0'] } },
    ],
  },
  {
    name: 'a node\'s traffic to its own pods is never policed (default-deny ingress or not); to another node\'s pod it meets its host endpoint egress',
    source: 'felix/rules/static.go filterOutputChain; felix/fv/hostendpoints_test.go "should block all traffic except pod-to-pod and host-to-own-pod traffic"; https://kubernetes.io/docs/concepts/services-networking/network-policies/',
    extra: gnp('aof-deny', '  selector: has(host-endpoint)\n  applyOnForward: true\n  ingress: [{action: Deny}]\n  egress: [{action: Deny}]\n'),
    flows: [
      { from: 'node1', to: 'a', port: 8080, verdict: 'allow', egress: { stage: 'host-to-local-workload', trace: [] }, ingress: { stage: 'host-to-local-workload', trace: [] } },
      { from: 'node3', to: 'c', port: 8080, verdict: 'allow', ingress: { stage: 'host-to-local-workload' } },
      { from: 'node1', to: 'b', port: 8080, verdict: 'deny', egress: { stage: 'host', trace: ['0|default|gnp:aof-deny|deny|0'] } },
    ],
  },
  {
    name: 'pod-to-pod across nodes is forwarded traffic: allowed by default, denied by an applyOnForward ingress policy of the receiving node',
    source: 'felix/fv/hostendpoints_test.go "should deny forwarded traffic from felixes[0] to felixes[1] if an AOF policy denies it"; felix/rules/endpoints.go "Allow forwarded traffic by default"',
    // As in the Felix test: node-2's forward ingress admits only its own pods' packets (app web).
    extra: gnp('aof-node-2', "  selector: hostname == 'node-2'\n  applyOnForward: true\n  ingress: [{action: Allow, source: {selector: app == 'web'}}]\n  egress: [{action: Allow}]\n"),
    flows: [
      {
        from: 'd', to: 'b', port: 8080, verdict: 'deny',
        ingress: { stage: 'forward', trace: ['0|default|gnp:aof-node-2|deny|-1'], stages: ['untracked:continue', 'pre-dnat:continue', 'forward:deny'] },
      },
      // The other way: node-2's all-interfaces endpoint sees b's packet come in from b and go out (both allowed); node-1 has no AoF policy.
      { from: 'b', to: 'd', port: 8080, verdict: 'allow', egress: { stage: 'forward', trace: ['0|__PROFILE__|pro:kns.prod|allow|0', '1|default|gnp:aof-node-2|allow|0', '2|default|gnp:aof-node-2|allow|0'] }, ingress: { stage: 'workload' } },
      { from: 'ext', to: 'd', port: 8080, verdict: 'allow' },
    ],
  },
  {
    name: 'normal host endpoint policy never applies to forwarded traffic; failsafe ports do not protect it either',
    source: 'felix/fv/hostendpoints_test.go "Forwarded traffic to containers.Felix[1] is allowed"; endpoints.go HostEndpointToFilterChains ("No fail-safe chains for forward traffic")',
    extra: gnp('normal-deny', '  selector: has(host-endpoint)\n  ingress: [{action: Deny}]\n') + '---\n'
      + gnp('aof-ssh', '  selector: has(host-endpoint)\n  applyOnForward: true\n  order: 1\n  ingress: [{action: Deny, protocol: TCP, destination: {ports: [22]}}, {action: Allow, protocol: TCP, destination: {ports: [8080]}}]\n'),
    flows: [
      { from: 'ext', to: 'd', port: 8080, verdict: 'allow', ingress: { trace: ['0|default|gnp:aof-ssh|allow|1', '1|__PROFILE__|pro:kns.dev|allow|0'] } },
      { from: 'ext', to: 'd', port: 22, verdict: 'deny', ingress: { stage: 'forward', trace: ['0|default|gnp:aof-ssh|deny|0'] } },
      { from: 'ext', to: 'node1', port: 22, verdict: 'allow', ingress: { stage: 'failsafe' } },
      // An applyOnForward policy is a normal policy too: it decides host-bound traffic before normal-deny.
      { from: 'ext', to: 'node1', port: 8080, verdict: 'allow', ingress: { stage: 'host', trace: ['0|default|gnp:aof-ssh|allow|1'] } },
      { from: 'ext', to: 'node1', port: 8081, verdict: 'deny', ingress: { stage: 'host', trace: ['0|default|gnp:normal-deny|deny|0'] } },
      // An applyOnForward policy in the default tier (defaultAction Deny) denies what it does not allow.
      { from: 'ext', to: 'd', port: 8081, verdict: 'deny', ingress: { stage: 'forward', trace: ['0|default|gnp:aof-ssh|deny|-1'] } },
    ],
  },
  {
    name: 'pre-DNAT: a deny drops external traffic to a pod before anything else; an allow opens the host and skips its normal policy',
    source: 'felix/fv/pre_dnat_test.go "external client can connect to 32010 but not 32011"; felix/rules/static.go StaticManglePreroutingChain, acceptAlreadyAccepted',
    extra: gnp('prednat', "  selector: has(host-endpoint)\n  preDNAT: true\n  applyOnForward: true\n  order: 10\n  ingress:\n  - {action: Deny, source: {nets: [198.51.100.0/24]}}\n  - {action: Allow, protocol: TCP, destination: {ports: [32010]}}\n"),
    flows: [
      { from: 'bad', to: 'd', port: 8080, verdict: 'deny', ingress: { stage: 'pre-dnat', trace: ['0|default|gnp:prednat|deny|0'] } },
      { from: 'ext', to: 'node1', port: 32010, verdict: 'allow', ingress: { stage: 'pre-dnat', trace: ['0|default|gnp:prednat|allow|1'], stages: ['untracked:continue', 'pre-dnat:allow', 'host:skipped'] } },
      { from: 'ext', to: 'node1', port: 32011, verdict: 'deny', ingress: { stage: 'host', trace: ['0|__PROFILE__|pro:__NO_MATCH__|deny|0'] } },
      // A pre-DNAT allow of forwarded traffic still leaves the pod's own ingress policy (default deny in prod).
      { from: 'ext', to: 'a', port: 32010, verdict: 'deny', ingress: { stage: 'workload', trace: ['0|default|gnp:prednat|allow|1', '1|default|knp:prod/default-deny|deny|-1'] } },
      // Failsafe ports skip the pre-DNAT stage (and are accepted by the normal one).
      { from: 'bad', to: 'node1', port: 22, verdict: 'allow', ingress: { stage: 'failsafe' } },
    ],
  },
  {
    name: 'doNotTrack: untracked deny drops in the raw table; untracked allow skips normal policy (host) but not the pod\'s own policy',
    source: 'felix/fv/donottrack_test.go "should implement untracked policy correctly"; felix/rules/endpoints.go chainTypeUntracked (NOTRACK on allow), static.go StaticRawPreroutingChain',
    extra: gnp('untracked', "  selector: has(host-endpoint)\n  doNotTrack: true\n  applyOnForward: true\n  order: 5\n  ingress:\n  - {action: Deny, protocol: TCP, destination: {ports: [6379]}}\n  - {action: Allow, protocol: TCP, destination: {ports: [9100]}}\n  egress:\n  - {action: Allow, protocol: TCP, destination: {ports: [9100]}}\n"),
    flows: [
      { from: 'ext', to: 'node1', port: 6379, verdict: 'deny', ingress: { stage: 'untracked', trace: ['0|default|gnp:untracked|deny|0'] } },
      { from: 'ext', to: 'node1', port: 9100, verdict: 'allow', ingress: { stage: 'untracked', stages: ['untracked:allow', 'pre-dnat:skipped', 'host:skipped'] } },
      { from: 'ext', to: 'a', port: 9100, verdict: 'deny', ingress: { stage: 'workload', trace: ['0|default|gnp:untracked|allow|1', '1|default|knp:prod/default-deny|deny|-1'] } },
      { from: 'ext', to: 'd', port: 6379, verdict: 'deny', ingress: { stage: 'untracked' } },
      { from: 'node1', to: 'ext', port: 9100, verdict: 'allow', egress: { stage: 'untracked', trace: ['0|default|gnp:untracked|allow|0'] } },
    ],
  },
];

function load(text: string): Resource[] {
  const r = loadResourceText(text, 'test.yaml');
  assert.deepEqual(r.issues.map((i) => i.message), []);
  return r.resources;
}

describe('host endpoint packet path', () => {
  for (const c of CASES) {
    it(`${c.name} (${c.source})`, () => {
      const inv = Inventory.fromResources(load(c.extra ? `${CLUSTER}---\n${c.extra}` : CLUSTER));
      for (const f of c.flows) {
        const flow: FlowInput = { srcIp: IP[f.from], dstIp: IP[f.to], protocol: f.proto === 'udp' ? 17 : 6, dstPort: f.port, srcPort: 40000 };
        const where = `${f.from} -> ${f.to} ${f.proto ?? 'tcp'}/${f.port}`;
        const v = inv.explain(flow);
        assert.equal(v.verdict, f.verdict, `${where}: verdict`);
        for (const side of ['egress', 'ingress'] as const) {
          const e = f[side];
          if (!e) continue;
          if (e.stage !== undefined) assert.equal(v[side].stage, e.stage, `${where}: ${side} stage`);
          if (e.trace) assert.deepEqual(v[side].trace, e.trace, `${where}: ${side} trace`);
          if (side === 'ingress' && f.ingress?.stages) assert.deepEqual(v.ingress.stages.map((s) => `${s.stage}:${s.outcome}`), f.ingress.stages, `${where}: stages`);
        }
        const cold = inv.engine.explainUncached(flow);
        assert.deepEqual([cold.verdict, cold.egress.trace, cold.ingress.trace], [v.verdict, v.egress.trace, v.ingress.trace], `${where}: uncached`);
      }
    });
  }

  it('FelixConfiguration: bad entries are errors with their path; fields other than the failsafes are a warning', () => {
    const r = loadResourceText(`apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata: {name: default}
spec: {failsafeInboundHostPorts: [{protocol: ICMP, port: 1}]}
---
apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata: {name: default}
spec: {failsafeOutboundHostPorts: [{port: 53, net: 10.0.0.0/33}]}
---
apiVersion: projectcalico.org/v3
kind: FelixConfiguration
metadata: {name: default}
spec: {logSeverityScreen: Info, bpfEnabled: true, failsafeInboundHostPorts: []}
`, 'felix.yaml');
    assert.deepEqual(r.issues.map((i) => [i.severity, i.message]), [
      ['error', 'felix.yaml: document 1: spec.failsafeInboundHostPorts[0].protocol: invalid protocol string "ICMP" (TCP, UDP or SCTP)'],
      ['error', 'felix.yaml: document 2: spec.failsafeOutboundHostPorts[0].net: invalid CIDR "10.0.0.0/33"'],
      ['warning', 'felix.yaml: document 3: spec: FelixConfiguration default: only the failsafe port lists are evaluated; ignored: bpfEnabled, logSeverityScreen'],
    ]);
    // An empty list disables the failsafes ("To disable all inbound host ports, use the value []").
    const inv = Inventory.fromResources([...load(CLUSTER), ...r.resources]);
    assert.equal(inv.explain({ srcIp: IP.ext, dstIp: IP.node1, protocol: 6, dstPort: 22 }).verdict, 'deny');
    assert.equal(inv.delete('FelixConfiguration//default'), true);
    assert.equal(inv.explain({ srcIp: IP.ext, dstIp: IP.node1, protocol: 6, dstPort: 22 }).verdict, 'allow', 'back to the defaults');
  });

  it('host endpoint stages are only Calico\'s for host endpoints: a preDNAT or doNotTrack policy selecting a pod does nothing to it', () => {
    const inv = Inventory.fromResources(load(`${CLUSTER}---\n${gnp('pods-prednat', "  selector: app == 'dev'\n  preDNAT: true\n  applyOnForward: true\n  ingress: [{action: Deny}]\n")}`));
    const v = inv.explain({ srcIp: IP.ext, dstIp: IP.d, protocol: 6, dstPort: 80 });
    assert.equal(v.verdict, 'allow');
    assert.deepEqual(v.ingress.trace, ['0|__PROFILE__|pro:kns.dev|allow|0']);
  });
});
