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
