/**
 * Resource loading: what is accepted and how it is converted, and — above all — that every
 * error says where (file, document, field path) and why, with the column for selectors.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalString } from '../../../src/inventory/selector/canonical.ts';
import {
  loadResourcePaths, loadResourceText, type EndpointResource, type LoadIssue, type Namespace, type Policy, type Resource,
} from '../../../src/inventory/index.ts';

function only(text: string): { resources: Resource[]; issues: LoadIssue[] } {
  return loadResourceText(text, 'cluster.yaml');
}

function policy(text: string): Policy {
  const r = only(text);
  assert.deepEqual(r.issues.map((i) => i.message), []);
  assert.equal(r.resources.length, 1);
  return r.resources[0] as Policy;
}

function errorOf(text: string): LoadIssue {
  const r = only(text);
  const errors = r.issues.filter((i) => i.severity === 'error');
  assert.equal(errors.length, 1, `expected one error, got ${JSON.stringify(r.issues.map((i) => i.message))}`);
  return errors[0] as LoadIssue;
}

describe('loader error messages', () => {
  it('a selector error names file, document, field path, column and reason', () => {
    const e = errorOf(`apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: p, namespace: prod}
spec:
  selector: all()
  ingress:
  - action: Allow
    source:
      selector: "app == 'a' && role = 'x'"
`);
    assert.equal(e.file, 'cluster.yaml');
    assert.equal(e.document, 2);
    assert.equal(e.path, 'spec.ingress[0].source.selector');
    assert.equal(e.column, 20);
    assert.match(e.reason, /^invalid selector "app == 'a' && role = 'x'" at column 20: /);
    assert.match(e.message, /^cluster\.yaml: document 2: spec\.ingress\[0\]\.source\.selector: invalid selector .* at column 20: /);
  });

  it('a policy selector error gives its column', () => {
    const e = errorOf(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  selector: "has(app"
`);
    assert.equal(e.path, 'spec.selector');
    assert.equal(typeof e.column, 'number');
    assert.match(e.message, /^cluster\.yaml: document 1: spec\.selector: invalid selector "has\(app" at column \d+: /);
  });

  it('global() outside a rule namespaceSelector is rejected with its column', () => {
    const e = errorOf(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  selector: "a == 'b' || global()"
`);
    assert.equal(e.column, 13);
    assert.match(e.message, /spec\.selector: invalid selector .* at column 13: global\(\) is only allowed as a whole rule namespaceSelector/);
  });

  const cases: [string, string, string, RegExp][] = [
    ['bad action', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  ingress: [{action: allow}]`, 'spec.ingress[0].action', /invalid action "allow" \(one of Allow, Deny, Pass, Log\)/],
    ['bad port range', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  ingress: [{action: Allow, protocol: TCP, destination: {ports: ["90:80"]}}]`, 'spec.ingress[0].destination.ports[0]', /port range "90:80" has min > max/],
    ['port out of range', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  egress: [{action: Allow, protocol: UDP, destination: {ports: [70000]}}]`, 'spec.egress[0].destination.ports[0]', /port must be 0–65535, got 70000/],
    ['numeric ports without protocol', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  ingress: [{action: Allow, destination: {ports: [80]}}]`, 'spec.ingress[0].destination.ports', /ports require protocol TCP, UDP or SCTP/],
    ['bad CIDR', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: s}
spec:
  nets: [10.0.0.0/33]`, 'spec.nets[0]', /invalid CIDR "10\.0\.0\.0\/33"/],
    ['mixed families', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  ingress: [{action: Deny, source: {nets: [10.0.0.0/8]}, destination: {nets: ["fd00::/8"]}}]`, 'spec.ingress[0]', /must not mix IPv4 and IPv6/],
    ['notNets 0.0.0.0/0', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  ingress: [{action: Deny, source: {notNets: [0.0.0.0/0]}}]`, 'spec.ingress[0].source.notNets[0]', /must not contain 0\.0\.0\.0\/0/],
    ['bad protocol', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  ingress: [{action: Deny, protocol: TCPX}]`, 'spec.ingress[0].protocol', /invalid protocol string "TCPX"/],
    ['icmp without ICMP protocol', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  ingress: [{action: Allow, protocol: TCP, icmp: {type: 8}}]`, 'spec.ingress[0].icmp', /requires protocol ICMP or ICMPv6/],
    ['bad types', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  types: [Ingress, Sideways]`, 'spec.types[1]', /invalid type "Sideways"/],
    ['bad tier defaultAction', `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: t}
spec: {order: 1, defaultAction: Allow}`, 'spec.defaultAction', /invalid defaultAction "Allow" \(Deny or Pass\)/],
    ['order not a number', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec: {order: first}`, 'spec.order', /expected a number, got string "first"/],
    ['pod IP invalid', `apiVersion: v1
kind: Pod
metadata: {name: p}
status: {podIP: 10.0.0.300}`, 'status.podIP', /invalid IP address "10\.0\.0\.300"/],
    ['label value not a string', `apiVersion: v1
kind: Namespace
metadata: {name: n, labels: {tier: 1}}`, 'metadata.labels.tier', /label value must be a string, got number 1 \(quote it\)/],
    ['label key __proto__', `apiVersion: v1
kind: Pod
metadata: {name: p, labels: {__proto__: x}}`, 'metadata.labels.__proto__', /invalid label key "__proto__": its name must be 1-63 letters, digits, "-", "_" or "\.", starting and ending with a letter or digit/],
    ['label key with two slashes', `apiVersion: v1
kind: Namespace
metadata: {name: n, labels: {a.io/b/c: x}}`, 'metadata.labels.a.io/b/c', /invalid label key "a\.io\/b\/c": its name must be/],
    ['label key with an upper-case prefix', `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: s, labels: {Example.com/zone: x}}
spec: {nets: [10.0.0.0/8]}`, 'metadata.labels.Example.com/zone', /its prefix \(before "\/"\) must be a DNS subdomain/],
    ['label key name over 63', `apiVersion: v1
kind: Pod
metadata: {name: p, labels: {${'a'.repeat(64)}: x}}`, `metadata.labels.${'a'.repeat(64)}`, /invalid label key "a{64}"/],
    ['k8s NetworkPolicy matchExpressions bad key', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: k}
spec:
  podSelector:
    matchExpressions: [{key: -app, operator: Exists}]`, 'spec.podSelector.matchExpressions[0].key', /invalid label key "-app"/],
    ['missing name', `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {}`, 'metadata.name', /required field is missing/],
    ['k8s NetworkPolicy bad operator', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: k}
spec:
  podSelector:
    matchExpressions: [{key: app, operator: Equals, values: [a]}]`, 'spec.podSelector.matchExpressions[0].operator', /invalid operator "Equals"/],
    ['services on the wrong side', `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: p, namespace: prod}
spec:
  ingress: [{action: Allow, destination: {services: {name: db}}}]`, 'spec.ingress[0].destination.services', /only allowed on ingress source/],
  ];
  for (const [name, yaml, path, reason] of cases) {
    it(`${name}: ${path}`, () => {
      const e = errorOf(yaml);
      assert.equal(e.path, path);
      assert.match(e.reason, reason);
      assert.equal(e.message, `cluster.yaml: document 1: ${path}: ${e.reason}`);
    });
  }

  it('label keys as Kubernetes accepts them: prefixed, dotted, underscores inside, 63-character names', () => {
    const keys = ['app', 'app.kubernetes.io/name', 'pod-template-hash', 'A_b.c-9', 'x.y-z.example.com/a', 'a'.repeat(63)];
    const r = only(`apiVersion: v1
kind: Pod
metadata: {name: p, labels: {${keys.map((k) => `${k}: v`).join(', ')}}}`);
    assert.deepEqual(r.issues, []);
    assert.deepEqual([...(r.resources[0] as EndpointResource).labels.keys()].filter((k) => !k.startsWith('projectcalico.org/')), keys);
  });

  it('a YAML syntax error names the document and line', () => {
    const r = only('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: [\n');
    assert.equal(r.resources.length, 1, 'the good document still loads');
    const e = r.issues[0] as LoadIssue;
    assert.equal(e.document, 2);
    assert.match(e.message, /^cluster\.yaml: document 2: YAML syntax error \(line \d+, column \d+\)/);
  });

  it('unknown kinds are warnings and skipped; the rest loads', () => {
    const r = only(`apiVersion: v1
kind: ConfigMap
metadata: {name: c}
---
apiVersion: v1
kind: Namespace
metadata: {name: a}
`);
    assert.equal(r.resources.length, 1);
    assert.deepEqual(r.issues.map((i) => [i.severity, i.message]), [['warning', 'cluster.yaml: document 1: kind: unknown kind "ConfigMap" (apiVersion v1), skipped']]);
  });

  it('errors inside a List name the item', () => {
    const e = errorOf(`apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata: {name: ok}
- apiVersion: projectcalico.org/v3
  kind: GlobalNetworkPolicy
  metadata: {name: g}
  spec: {selector: "a =="}
`);
    assert.equal(e.path, 'items[1].spec.selector');
    assert.match(e.message, /^cluster\.yaml: document 1: items\[1\]\.spec\.selector: invalid selector "a ==" at column \d+: /);
  });

  it('unreadable paths are reported', async () => {
    const r = await loadResourcePaths(['/nonexistent/segflow']);
    assert.match((r.issues[0] as LoadIssue).message, /^\/nonexistent\/segflow: cannot read: ENOENT$/);
  });
});

describe('loader conversions', () => {
  it('kind: List, multi-document files and directories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segflow-loader-'));
    try {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n');
      writeFileSync(join(dir, 'sub', 'c.yml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: d}\n');
      writeFileSync(join(dir, 'sub', 'ignored.txt'), 'not yaml');
      const r = await loadResourcePaths([dir]);
      assert.deepEqual(r.issues, []);
      assert.deepEqual(r.resources.map((x) => x.name), ['a', 'b', 'c', 'd']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('namespaced resources without a namespace belong to default; namespaces get kubernetes.io/metadata.name', () => {
    const r = only(`apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: x}}
spec: {serviceAccountName: sa}
status: {podIP: 10.1.2.3}
---
apiVersion: v1
kind: Namespace
metadata: {name: n}
`);
    const pod = r.resources[0] as EndpointResource;
    assert.equal(pod.namespace, 'default');
    assert.deepEqual(Object.fromEntries(pod.labels), {
      'app': 'x', 'projectcalico.org/namespace': 'default', 'projectcalico.org/orchestrator': 'k8s', 'projectcalico.org/serviceaccount': 'sa',
    });
    assert.deepEqual(pod.profiles, ['kns.default', 'ksa.default.sa']);
    assert.equal((r.resources[1] as Namespace).labels.get('kubernetes.io/metadata.name'), 'n');
  });

  it('NetworkPolicy selector and rule selectors are namespaced; namespaceSelector is pcns-prefixed', () => {
    const p = policy(`apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: p, namespace: prod}
spec:
  selector: "app == 'b'"
  ingress:
  - action: Allow
    source: {selector: "app == 'a'"}
  - action: Allow
    source: {namespaceSelector: "env == 'dev'", selector: "app == 'a'"}
  - action: Allow
    source: {notSelector: "app == 'x'"}
  - action: Allow
    source: {namespaceSelector: global()}
  - action: Allow
    source: {serviceAccounts: {names: [api, web], selector: "team == 't'"}}
`);
    assert.equal(canonicalString(p.selector.ast), '(app == "b" && projectcalico.org/namespace == "prod")');
    const src = p.ingress.map((r) => r.source.selector && canonicalString(r.source.selector.ast));
    assert.deepEqual(src, [
      '(projectcalico.org/namespace == "prod" && app == "a")',
      '(pcns.env == "dev" && app == "a")',
      'projectcalico.org/namespace == "prod"',
      '!has(projectcalico.org/namespace)',
      '(projectcalico.org/namespace == "prod" && (pcsa.team == "t" && projectcalico.org/serviceaccount in {"api", "web"}))',
    ]);
    assert.equal(p.ingress[2]?.source.notSelector?.text, "app == 'x'");
    assert.deepEqual(p.types, { ingress: true, egress: false });
  });

  it('GlobalNetworkPolicy namespaceSelector replaces all() with has(projectcalico.org/namespace)', () => {
    const p = policy(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec:
  selector: all()
  namespaceSelector: "env == 'prod'"
  egress: [{action: Allow}]
`);
    assert.equal(canonicalString(p.selector.ast), '(has(projectcalico.org/namespace) && pcns.env == "prod")');
    assert.deepEqual(p.types, { ingress: false, egress: true });
    assert.equal(p.tier, 'default');
    assert.equal(p.order, null);
  });

  it('Kubernetes NetworkPolicy: one rule per protocol × peer, protocols sorted, order 1000, tier default', () => {
    const p = policy(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: k, namespace: prod}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: api}}
    - namespaceSelector: {}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports:
    - {port: 5432}
    - {protocol: UDP, port: 53}
    - {port: 6000, endPort: 6010}
  egress:
  - {}
`);
    assert.equal(p.kind, 'KubernetesNetworkPolicy');
    assert.equal(p.order, 1000);
    assert.equal(p.tier, 'default');
    assert.deepEqual(p.types, { ingress: true, egress: true });
    assert.equal(canonicalString(p.selector.ast), '((projectcalico.org/orchestrator == "k8s" && app == "db") && projectcalico.org/namespace == "prod")');
    assert.deepEqual(p.ingress.map((r) => r.protocol), [6, 6, 6, 17, 17, 17]);
    const first = p.ingress[0];
    assert.deepEqual(first?.destination.ports, [{ kind: 'range', min: 5432, max: 5432 }, { kind: 'range', min: 6000, max: 6010 }]);
    assert.equal(first?.source.selector && canonicalString(first.source.selector.ast), '(projectcalico.org/namespace == "prod" && (projectcalico.org/orchestrator == "k8s" && app == "api"))');
    const nsPeer = p.ingress[1];
    assert.equal(nsPeer?.source.selector && canonicalString(nsPeer.source.selector.ast), '(has(projectcalico.org/namespace) && projectcalico.org/orchestrator == "k8s")');
    const block = p.ingress[2];
    assert.deepEqual([block?.source.nets.map((c) => c.text), block?.source.notNets.map((c) => c.text), block?.source.selector], [['10.0.0.0/8'], ['10.1.0.0/16'], null]);
    assert.equal(p.egress.length, 1);
    assert.equal(p.egress[0]?.protocol, null);
  });

  it('StagedNetworkPolicy with stagedAction Delete is not loaded', () => {
    const r = only(`apiVersion: projectcalico.org/v3
kind: StagedNetworkPolicy
metadata: {name: s, namespace: prod}
spec: {stagedAction: Delete, selector: all()}
`);
    assert.deepEqual([r.resources, r.issues], [[], []]);
  });
});
