/**
 * kubeconfig parsing: the context kubectl would use (or --context), cluster server and CA, the
 * user's token / token file / client certificate, relative paths against the file's folder,
 * every problem reported at once (exec plugins named as unsupported), and in-cluster settings.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { inClusterSpec, KubeConfigError, loadConnection, parseKubeconfig, resolveConnectionSpec } from '../../../src/inventory-sync/kube-config.ts';

const file = '/etc/segflow/kubeconfig';
const base64 = (s: string): string => Buffer.from(s).toString('base64');

const config = `
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster:
    server: https://10.0.0.1:6443/
    certificate-authority-data: ${base64('CA PEM')}
- name: lab
  cluster:
    server: https://lab:6443
    certificate-authority: certs/lab-ca.crt
    insecure-skip-tls-verify: false
users:
- name: robot
  user:
    token: s3cret
- name: lab-user
  user:
    client-certificate: certs/client.crt
    client-key-data: ${base64('KEY PEM')}
- name: sa
  user:
    tokenFile: /var/run/token
contexts:
- name: prod
  context: {cluster: prod-cluster, user: robot, namespace: segflow}
- name: lab
  context: {cluster: lab, user: lab-user}
- name: lab-sa
  context: {cluster: lab, user: sa}
`;

describe('parseKubeconfig', () => {
  it('uses current-context: server (trailing slash dropped), inline CA, static token, namespace, cluster name', () => {
    const spec = parseKubeconfig([{ file, text: config }]);
    assert.equal(spec.server, 'https://10.0.0.1:6443');
    assert.deepEqual(spec.ca, { kind: 'inline', pem: Buffer.from('CA PEM') });
    assert.deepEqual(spec.token, { kind: 'static', value: 's3cret' });
    assert.equal(spec.namespace, 'segflow');
    assert.equal(spec.clusterName, 'prod-cluster');
    assert.equal(spec.insecureSkipTlsVerify, false);
    assert.ok(!spec.description.includes('s3cret'), 'the description never carries the token');
  });

  it('--context picks another context; relative files resolve against the kubeconfig folder', () => {
    const spec = parseKubeconfig([{ file, text: config }], 'lab');
    assert.equal(spec.server, 'https://lab:6443');
    assert.deepEqual(spec.ca, { kind: 'file', path: '/etc/segflow/certs/lab-ca.crt' });
    assert.deepEqual(spec.clientCertificate, { kind: 'file', path: '/etc/segflow/certs/client.crt' });
    assert.deepEqual(spec.clientKey, { kind: 'inline', pem: Buffer.from('KEY PEM') });
    assert.equal(spec.token, undefined);
    assert.deepEqual(parseKubeconfig([{ file, text: config }], 'lab-sa').token, { kind: 'file', path: '/var/run/token' });
  });

  it('merges a KUBECONFIG list: the first file naming an entry wins', () => {
    const first = 'current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {token: one}}]\n';
    const second = 'clusters: [{name: c, cluster: {server: "https://c:1"}}]\nusers: [{name: u, user: {token: two}}]\n';
    const spec = parseKubeconfig([{ file: '/a', text: first }, { file: '/b', text: second }]);
    assert.equal(spec.server, 'https://c:1');
    assert.deepEqual(spec.token, { kind: 'static', value: 'one' });
  });

  it('reports every problem of the chosen context at once, exec plugins as not supported', () => {
    const bad = `
current-context: x
clusters: [{name: c, cluster: {server: "not a url", certificate-authority-data: "%%%"}}]
users: [{name: u, user: {exec: {command: aws}, client-certificate-data: ${base64('x')}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
`;
    assert.throws(() => parseKubeconfig([{ file, text: bad }]), (err: unknown) => {
      assert.ok(err instanceof KubeConfigError);
      const text = err.problems.join('\n');
      assert.match(text, /clusters\[c\]\.cluster\.server: not a URL: "not a url"/);
      assert.match(text, /certificate-authority-data: expected base64 text/);
      assert.match(text, /users\[u\]\.user\.exec: exec credential plugins are not supported/);
      assert.match(text, /client-certificate and client-key must be given together/);
      assert.equal(err.problems.length, 4);
      return true;
    });
  });

  it('names a missing context, cluster or user', () => {
    assert.throws(() => parseKubeconfig([{ file, text: config }], 'nope'), /context "nope" not found \(contexts: prod, lab, lab-sa\)/);
    const dangling = 'current-context: x\ncontexts: [{name: x, context: {cluster: gone, user: missing}}]\n';
    assert.throws(() => parseKubeconfig([{ file, text: dangling }]), (err: unknown) => {
      assert.ok(err instanceof KubeConfigError);
      assert.deepEqual(err.problems.map((p) => p.replace(/^.*: context "x": /, '')), ['cluster "gone" not found', 'user "missing" not found']);
      return true;
    });
    assert.throws(() => parseKubeconfig([{ file, text: 'clusters: []\n' }]), /no current-context set and no --context given/);
  });
});

describe('in-cluster and connection choice', () => {
  it('in a pod: https to KUBERNETES_SERVICE_HOST:PORT with the service account CA and token file', () => {
    const spec = inClusterSpec({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, '/sa', 'kube-system');
    assert.ok(spec);
    assert.equal(spec.server, 'https://[fd00::1]:443');
    assert.deepEqual(spec.ca, { kind: 'file', path: '/sa/ca.crt' });
    assert.deepEqual(spec.token, { kind: 'file', path: '/sa/token' });
    assert.equal(spec.clusterName, 'in-cluster');
    assert.equal(spec.namespace, 'kube-system');
    assert.equal(inClusterSpec({}), undefined);
  });

  it('resolves --kubeconfig before KUBECONFIG before in-cluster, and reads the files it names', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-kubeconfig-'));
    await writeFile(path.join(dir, 'ca.crt'), 'CA FROM FILE');
    await writeFile(path.join(dir, 'token'), 'tok\n');
    await writeFile(path.join(dir, 'namespace'), 'ops');
    const kc = path.join(dir, 'config');
    await writeFile(kc, 'current-context: a\nclusters: [{name: c, cluster: {server: "https://x:1", certificate-authority: ca.crt}}]\nusers: [{name: u, user: {tokenFile: token}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n');
    const podEnv = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
    const explicit = await resolveConnectionSpec({ kubeconfig: kc, env: { ...podEnv, KUBECONFIG: '/nonexistent' } });
    assert.equal(explicit.server, 'https://x:1');
    const fromEnv = await resolveConnectionSpec({ env: { ...podEnv, KUBECONFIG: `/nonexistent${path.delimiter}${kc}` } });
    assert.equal(fromEnv.server, 'https://x:1');
    const inPod = await resolveConnectionSpec({ env: podEnv, serviceAccountDir: dir });
    assert.equal(inPod.server, 'https://10.0.0.1:443');
    assert.equal(inPod.namespace, 'ops');
    const loaded = await loadConnection(explicit);
    assert.equal(loaded.ca?.toString(), 'CA FROM FILE');
    await assert.rejects(resolveConnectionSpec({ env: {}, home: dir }), /no Kubernetes connection: give --kubeconfig PATH or KUBECONFIG/);
    await assert.rejects(loadConnection({ ...explicit, ca: { kind: 'file', path: path.join(dir, 'missing.crt') } }), /certificate authority .*missing\.crt: cannot read: ENOENT/);
  });
});
