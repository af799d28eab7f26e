/**
 * `segflow explain` through the real CLI: bad input exits 2 with one line on stderr; load
 * errors name file/document/path; the human form says what decided each side.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const work = mkdtempSync(join(tmpdir(), 'segflow-explain-'));
after(() => rmSync(work, { recursive: true, force: true }));

const good = join(work, 'good.yaml');
writeFileSync(good, `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod, labels: {app: web}}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: prod, labels: {app: api}}
status: {podIP: 10.0.0.2}
---
apiVersion: projectcalico.org/v3
kind: StagedNetworkPolicy
metadata: {name: lock, namespace: prod}
spec: {selector: "app == 'api'"}
`);
// A host endpoint, an admin policy Calico converts with a note, and documents segflow skips.
const skipped = join(work, 'skipped.yaml');
writeFileSync(skipped, `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod, labels: {app: web}}
spec: {nodeName: node-1}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: dev}
spec: {nodeName: node-1}
status: {podIP: 10.0.0.9}
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {addresses: [{type: InternalIP, address: 192.168.0.1}]}
---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: node-1-eth0}
spec: {node: node-1, interfaceName: eth0}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: web-only}
spec:
  priority: 1
  subject: {namespaces: {}}
  ingress: [{name: web, action: Deny, from: [{namespaces: {}}], ports: [{namedPort: web}]}]
---
apiVersion: example.com/v1
kind: MeshNetworkPolicy
metadata: {name: m}
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata: {name: default}
`);
const bad = join(work, 'bad.yaml');
writeFileSync(bad, `apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: g}
spec: {selector: "app = 'x'"}
`);

function explain(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/segflow.js'), 'explain', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('segflow explain', () => {
  const badInputs: [string, string[], RegExp][] = [
    ['bad source IP', ['--resources', good, '--src', '10.0.0.300', '--dst', '10.0.0.2', '--protocol', 'tcp'], /--src is not an IP address: "10\.0\.0\.300"/],
    ['bad protocol', ['--resources', good, '--src', '10.0.0.1', '--dst', '10.0.0.2', '--protocol', 'tcpx'], /--protocol must be tcp, udp, icmp, icmpv6, sctp or a number/],
    ['port out of range', ['--resources', good, '--src', '10.0.0.1', '--dst', '10.0.0.2', '--protocol', 'tcp', '--dst-port', '65536'], /--dst-port must be an integer 0–65535/],
    ['ports with icmp', ['--resources', good, '--src', '10.0.0.1', '--dst', '10.0.0.2', '--protocol', 'icmp', '--dst-port', '80'], /need protocol tcp, udp or sctp, not icmp/],
    ['mixed IP versions', ['--resources', good, '--src', '10.0.0.1', '--dst', 'fd00::2', '--protocol', 'tcp'], /different IP versions/],
    ['bad time', ['--resources', good, '--src', '10.0.0.1', '--dst', '10.0.0.2', '--protocol', 'tcp', '--time', 'yesterday'], /--time must be an ISO 8601 timestamp/],
    ['missing option', ['--resources', good, '--dst', '10.0.0.2', '--protocol', 'tcp'], /required option '--src <ip>' not specified/],
    ['invalid resource file', ['--resources', bad, '--src', '10.0.0.1', '--dst', '10.0.0.2', '--protocol', 'tcp'], /bad\.yaml: document 2: spec\.selector: invalid selector "app = 'x'" at column 5: /],
    ['missing resource path', ['--resources', join(work, 'nope.yaml'), '--src', '10.0.0.1', '--dst', '10.0.0.2', '--protocol', 'tcp'], /nope\.yaml: cannot read: ENOENT/],
  ];
  for (const [name, args, reason] of badInputs) {
    it(`${name}: exit 2, one line on stderr`, () => {
      const r = explain(...args);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, `stderr: ${r.stderr}`);
      assert.match(r.stderr, reason);
    });
  }

  it('prints JSON with the contract fields', () => {
    const r = explain('--resources', good, '--src', '10.0.0.1', '--dst', '10.0.0.2', '--protocol', '6', '--dst-port', '80', '--output', 'json');
    assert.equal(r.status, 0, r.stderr);
    const v = JSON.parse(r.stdout) as Record<string, unknown> & { ingress: { pending: { action: string; trace: string[]; hits: unknown } } };
    assert.equal(v.verdict, 'allow');
    assert.deepEqual(v.source, { kind: 'workload', name: 'web', namespace: 'prod', labels: { app: 'web' }, ip: '10.0.0.1', node: null, serviceAccount: 'default' });
    assert.deepEqual(v.ingress.pending, { action: 'end-of-tier-deny', trace: ['0|default|snp:prod/lock|deny|-1'], hits: v.ingress.pending.hits, decidingHit: 0 });
  });

  it('JSON carries the load warnings, and caveats for what this verdict depended on', () => {
    const r = explain('--resources', skipped, '--src', '192.168.0.1', '--dst', '10.0.0.1', '--protocol', 'tcp', '--dst-port', '80', '--output', 'json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'with --output json the warnings are in the object, not on stderr');
    const v = JSON.parse(r.stdout) as { verdict: string; warnings: string[]; caveats: string[]; ingress: { stage: string; trace: string[] } };
    assert.deepEqual(v.warnings, [
      `${skipped}: document 5: spec: AdminNetworkPolicy ingress rule 0 (web): namedPort "web" is read as every port, as Calico 3.29–3.31 convert it (the rule matches any protocol and port)`,
      `${skipped}: document 6: kind: unknown kind "MeshNetworkPolicy" (apiVersion example.com/v1), skipped`,
      `${skipped}: document 7: kind: unknown kind "BGPConfiguration" (apiVersion projectcalico.org/v3), skipped`,
    ]);
    // The node's own traffic to its pod: not policed, so the admin policy is not hit.
    assert.equal(v.verdict, 'allow');
    assert.equal(v.ingress.stage, 'host-to-local-workload');
    assert.deepEqual(v.caveats, [`1 policy document(s) of kinds segflow does not know were skipped (${skipped}: document 6): the verdict may differ from Calico's`]);
    // From elsewhere the admin policy decides, and its conversion note becomes a caveat.
    const denied = JSON.parse(explain('--resources', skipped, '--src', '10.0.0.9', '--dst', '10.0.0.1', '--protocol', 'tcp', '--dst-port', '80', '--output', 'json').stdout) as typeof v;
    assert.deepEqual(denied.ingress.trace, ['0|adminnetworkpolicy|kanp:web-only|deny|0']);
    assert.equal(denied.caveats[0], 'kanp:web-only: AdminNetworkPolicy ingress rule 0 (web): namedPort "web" is read as every port, as Calico 3.29–3.31 convert it (the rule matches any protocol and port)');
    assert.equal(denied.caveats.length, 2);
  });

  it('the readable form names the deciding stage and prints warnings on stderr', () => {
    const r = explain('--resources', skipped, '--src', '203.0.113.5', '--dst', '192.168.0.1', '--protocol', 'tcp', '--dst-port', '22');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ALLOW: 203\.0\.113\.5 -> 192\.168\.0\.1 tcp port 22\n/);
    assert.match(r.stdout, /ingress of the destination: allow — allowed by a failsafe port of the host endpoint/);
    assert.match(r.stdout, /stage host ingress of HostEndpoint\/\/node-1-eth0: failsafe/);
    assert.match(r.stdout, /caveat: 1 policy document\(s\) of kinds segflow does not know were skipped/);
    assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('warning: ')).length, 3);
  });

  it('prints a readable explanation without --output json', () => {
    const r = explain('--resources', good, '--src', '10.0.0.1', '--dst', '10.0.0.2', '--protocol', 'tcp', '--dst-port', '80');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ALLOW: 10\.0\.0\.1 -> 10\.0\.0\.2 tcp port 80\n/);
    assert.match(r.stdout, /source: {6}workload prod\/web 10\.0\.0\.1/);
    assert.match(r.stdout, /ingress of the destination: profile-allow/);
    assert.match(r.stdout, /profile kns\.prod rule 0 -> allow {2}<- decided/);
    assert.match(r.stdout, /pending \(staged policies as enforced\): end-of-tier-deny\n {4}0\. tier default: snp:prod\/lock end of tier -> deny/);
  });
});
