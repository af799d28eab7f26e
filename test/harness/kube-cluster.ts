/**
 * A real Kubernetes API server for tests: etcd + kube-apiserver built from the Go module proxy
 * (services/kubernetes/build-kube-binaries.sh, into .local/kube/bin), started privately per test
 * file on free loopback ports, with the real CRDs vendored in test/testdata/kubernetes/crds/.
 *
 * A bare apiserver has no controller manager, scheduler or kubelet: nothing runs pods, deleted
 * namespaces stay Terminating, so tests set pod status themselves (as a kubelet would, see
 * {@link KubeCluster.setPodStatus}) and use unique namespace names.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { projectRoot } from '../../src/services/services-config.ts';
import { freePort } from './free-port.ts';
import { waitFor } from './wait-for.ts';

// Tests that start a cluster usually need more free ports for what they run beside it.
export { freePort };

export const KUBE_BIN_DIR = process.env.SEGFLOW_KUBE_BIN ?? path.join(projectRoot, '.local', 'kube', 'bin');
export const CRD_DIR = path.join(projectRoot, 'test', 'testdata', 'kubernetes', 'crds');

/** The CRD sets a test can install (files in {@link CRD_DIR}). */
export const CRD_SETS = {
  /** Calico's backend CRDs (`crd.projectcalico.org/v1`, and ClusterNetworkPolicy), manifests/crds.yaml. */
  calico: 'calico-crds.yaml',
  /** Calico's `projectcalico.org/v3` CRDs (recent Calico serves v3 from CRDs). */
  calicoV3: 'calico-v3-crds.yaml',
  /** AdminNetworkPolicy / BaselineAdminNetworkPolicy (network-policy-api v0.1.7). */
  networkPolicyApi: 'network-policy-api-crds.yaml',
} as const;
export type CrdSet = keyof typeof CRD_SETS;

export interface KubeUser {
  readonly name: string;
  readonly token: string;
  readonly groups?: readonly string[];
}

export interface KubeClusterOptions {
  /** `AlwaysAllow` (default) or `RBAC` (to prove a ClusterRole sufficient and minimal). */
  readonly authorization?: 'AlwaysAllow' | 'RBAC';
  /** Extra static-token users (besides the admin, who is in `system:masters`). */
  readonly users?: readonly KubeUser[];
  /** CRD sets installed (and Established) before the start resolves. */
  readonly crds?: readonly CrdSet[];
  /** Extra kube-apiserver flags (e.g. `--watch-cache=false`). */
  readonly extraApiserverArgs?: readonly string[];
}

export interface KubeResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** A running etcd + kube-apiserver. */
export interface KubeCluster {
  /** `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** The apiserver's self-signed serving certificate: the CA a client trusts. */
  readonly caFile: string;
  readonly adminToken: string;
  /** A kubeconfig for the admin (token in the file, never on a command line). */
  readonly kubeconfig: string;
  /** Folder of this cluster's data, certificates and logs. */
  readonly dir: string;
  readonly etcdUrl: string;
  /** Writes a kubeconfig for `token` (cluster name `name`) and returns its path. */
  kubeconfigFor(token: string, name?: string): Promise<string>;
  /** A REST call as the admin (or `token`); JSON in, JSON out; never throws for an HTTP status. */
  request<T = unknown>(method: string, apiPath: string, body?: unknown, options?: { token?: string; contentType?: string }): Promise<KubeResponse<T>>;
  /** Like {@link request} but throws unless the status is 2xx. */
  call<T = unknown>(method: string, apiPath: string, body?: unknown, options?: { token?: string; contentType?: string }): Promise<T>;
  /** Creates (or replaces) every object of a multi-document YAML file or list; CRDs are waited for until Established. */
  applyObjects(objects: readonly Record<string, unknown>[]): Promise<void>;
  installCrds(set: CrdSet): Promise<string[]>;
  createNamespace(name: string, labels?: Record<string, string>): Promise<void>;
  /** PATCHes a pod's status subresource as a kubelet would (podIP, podIPs, phase). */
  setPodStatus(namespace: string, name: string, status: { podIP?: string | null; phase?: string }): Promise<void>;
  /** SIGKILLs the apiserver (etcd keeps running). */
  killApiserver(): Promise<void>;
  /** Starts the apiserver again on the same port, with the same data. */
  startApiserver(): Promise<void>;
  /** Current etcd revision. */
  etcdRevision(): Promise<number>;
  /** Compacts etcd at its current revision: watches resumed from older resource versions get 410 Gone. */
  compactEtcd(): Promise<number>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Fails with the reason (and the way out) when the binaries are not built. */
export function requireKubeBinaries(): { apiserver: string; etcd: string; kubectl: string } {
  const apiserver = path.join(KUBE_BIN_DIR, 'kube-apiserver');
  const etcd = path.join(KUBE_BIN_DIR, 'etcd');
  const kubectl = path.join(KUBE_BIN_DIR, 'kubectl');
  const missing = [apiserver, etcd, kubectl].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(`kube-apiserver/etcd/kubectl not built (${missing.join(', ')} missing): run \`bash services/kubernetes/build-kube-binaries.sh\` (npm test runs it when integration tests are selected)`);
  }
  return { apiserver, etcd, kubectl };
}

async function tail(file: string, lines = 30): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function startProcess(bin: string, args: string[], logFile: string): ChildProcess {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  void (async () => {
    const { createWriteStream } = await import('node:fs');
    const out = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  })();
  return child;
}

async function killProcess(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
  // The apiserver often ignores SIGTERM.
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function jsonRequest(url: URL, method: string, body: string | undefined, headers: Record<string, string>, agent: HttpsAgent | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method, headers: { ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body).toString() } : {}) }, ...(agent ? { agent } : {}), timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The REST path of an object's collection, from its apiVersion and kind (namespaced when it has a namespace). */
function collectionPath(apiVersion: string, plural: string, namespace?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`;
}

/** Starts etcd and the apiserver; resolves when `/readyz` answers and the requested CRDs are Established. */
export async function startKubeCluster(options: KubeClusterOptions = {}): Promise<KubeCluster> {
  const bins = requireKubeBinaries();
  const dir = path.join(projectRoot, '.local', 'test-kube', `${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`);
  await mkdir(path.join(dir, 'certs'), { recursive: true });
  const [etcdPort, etcdPeerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const adminToken = randomBytes(24).toString('hex');
  const tokens = [`${adminToken},admin,admin-uid,system:masters`];
  for (const u of options.users ?? []) tokens.push(`${u.token},${u.name},${u.name}-uid${u.groups?.length ? `,"${u.groups.join(',')}"` : ''}`);
  await writeFile(path.join(dir, 'tokens.csv'), `${tokens.join('\n')}\n`, { mode: 0o600 });
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(path.join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(path.join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

  const etcdArgs = [
    '--name', 'default', '--data-dir', path.join(dir, 'etcd'),
    '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl,
    '--listen-peer-urls', `http://127.0.0.1:${etcdPeerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeerPort}`,
    '--initial-cluster', `default=http://127.0.0.1:${etcdPeerPort}`, '--unsafe-no-fsync', '--log-level', 'warn',
  ];
  const apiArgs = [
    `--etcd-servers=${etcdUrl}`, '--bind-address=127.0.0.1', `--secure-port=${apiPort}`, '--advertise-address=127.0.0.1',
    `--cert-dir=${path.join(dir, 'certs')}`, '--service-cluster-ip-range=10.0.0.0/24',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${path.join(dir, 'sa.pub')}`, `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
    `--token-auth-file=${path.join(dir, 'tokens.csv')}`, `--authorization-mode=${options.authorization ?? 'AlwaysAllow'}`,
    '--endpoint-reconciler-type=none',
    // No controller manager creates each namespace's `default` ServiceAccount, which the admission plugin would demand.
    '--disable-admission-plugins=ServiceAccount', '--v=1',
    ...(options.extraApiserverArgs ?? []),
  ];
  const etcdLog = path.join(dir, 'etcd.log');
  const apiLog = path.join(dir, 'kube-apiserver.log');
  let etcd: ChildProcess | undefined = startProcess(bins.etcd, etcdArgs, etcdLog);
  let apiserver: ChildProcess | undefined;
  const url = `https://127.0.0.1:${apiPort}`;
  const caFile = path.join(dir, 'certs', 'apiserver.crt');
  // One keep-alive pool: loading thousands of objects must not pay a TLS handshake each.
  let agent: HttpsAgent | undefined;

  const raw = async (method: string, apiPath: string, body: unknown, opts: { token?: string; contentType?: string } = {}): Promise<KubeResponse> => {
    agent ??= new HttpsAgent({ ca: await readFile(caFile), keepAlive: true, maxSockets: 32 });
    const text = body === undefined ? undefined : JSON.stringify(body);
    const res = await jsonRequest(new URL(apiPath, url), method, text, {
      authorization: `Bearer ${opts.token ?? adminToken}`, accept: 'application/json',
      ...(text !== undefined ? { 'content-type': opts.contentType ?? 'application/json' } : {}),
    }, agent);
    let parsed: unknown = res.text;
    try {
      parsed = JSON.parse(res.text);
    } catch {
      // Not JSON (e.g. /readyz): keep the text.
    }
    return { status: res.status, body: parsed };
  };

  const etcdPost = async (apiPath: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await jsonRequest(new URL(apiPath, etcdUrl), 'POST', JSON.stringify(body), { 'content-type': 'application/json' }, undefined);
    if (res.status !== 200) throw new Error(`etcd ${apiPath}: ${res.status} ${res.text}`);
    return JSON.parse(res.text) as Record<string, unknown>;
  };

  const startApiserver = async (): Promise<void> => {
    // Pooled connections to a killed apiserver are dead.
    agent?.destroy();
    agent = undefined;
    apiserver = startProcess(bins.apiserver, apiArgs, apiLog);
    const started = apiserver;
    await waitFor('kube-apiserver /readyz', async () => {
      if (started.exitCode !== null) throw new Error(`kube-apiserver exited with ${started.exitCode}:\n${await tail(apiLog)}`);
      if (!existsSync(caFile)) return undefined;
      const res = await raw('GET', '/readyz', undefined);
      return res.status === 200 ? true : undefined;
    }, 60_000, 250).catch(async (err: Error) => {
      throw new Error(`${err.message}\n--- kube-apiserver log (${apiLog}) ---\n${await tail(apiLog)}`);
    });
  };

  const stop = async (): Promise<void> => {
    agent?.destroy();
    await killProcess(apiserver, 2000);
    await killProcess(etcd, 3000);
    apiserver = undefined;
    etcd = undefined;
    if (process.env.SEGFLOW_KEEP_KUBE_DIR !== '1') await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitFor('etcd', async () => {
      if (etcd?.exitCode !== null) throw new Error(`etcd exited:\n${await tail(etcdLog)}`);
      const res = await jsonRequest(new URL('/health', etcdUrl), 'GET', undefined, {}, undefined);
      return res.status === 200 ? true : undefined;
    }, 30_000, 200);
    await startApiserver();
  } catch (err) {
    await stop();
    throw err;
  }

  const call = async <T>(method: string, apiPath: string, body?: unknown, opts?: { token?: string; contentType?: string }): Promise<T> => {
    const res = await raw(method, apiPath, body, opts);
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${apiPath}: ${res.status} ${typeof res.body === 'string' ? res.body : JSON.stringify(res.body)}`);
    return res.body as T;
  };

  /** Resource name (plural) of a kind, from discovery (cached per group/version). */
  const pluralCache = new Map<string, Map<string, { name: string; namespaced: boolean }>>();
  const resourceOf = async (apiVersion: string, kind: string): Promise<{ name: string; namespaced: boolean }> => {
    let kinds = pluralCache.get(apiVersion);
    if (!kinds?.has(kind)) {
      const list = await call<{ resources: Array<{ name: string; kind: string; namespaced: boolean }> }>('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
      kinds = new Map(list.resources.filter((r) => !r.name.includes('/')).map((r) => [r.kind, { name: r.name, namespaced: r.namespaced }]));
      pluralCache.set(apiVersion, kinds);
    }
    const found = kinds.get(kind);
    if (!found) throw new Error(`the apiserver serves no ${kind} in ${apiVersion}`);
    return found;
  };

  const applyObjects = async (objects: readonly Record<string, unknown>[]): Promise<void> => {
    const crdNames: string[] = [];
    for (const obj of objects) {
      const apiVersion = String(obj.apiVersion);
      const kind = String(obj.kind);
      const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
      const resource = await resourceOf(apiVersion, kind);
      const collection = collectionPath(apiVersion, resource.name, resource.namespaced ? meta.namespace ?? 'default' : undefined);
      const created = await raw('POST', collection, obj);
      if (created.status === 409) {
        const current = await call<{ metadata: { resourceVersion: string } }>('GET', `${collection}/${meta.name}`);
        await call('PUT', `${collection}/${meta.name}`, { ...obj, metadata: { ...meta, resourceVersion: current.metadata.resourceVersion } });
      } else if (created.status < 200 || created.status > 299) {
        throw new Error(`create ${kind} ${meta.name}: ${created.status} ${JSON.stringify(created.body)}`);
      }
      if (kind === 'CustomResourceDefinition') crdNames.push(String(meta.name));
    }
    for (const name of crdNames) {
      await waitFor(`CRD ${name} Established`, async () => {
        const crd = await call<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
      }, 30_000, 200);
    }
    if (crdNames.length > 0) pluralCache.clear();
  };

  const cluster: KubeCluster = {
    url, caFile, adminToken, dir, etcdUrl,
    kubeconfig: '',
    async kubeconfigFor(token: string, name = 'segflow-test') {
      const file = path.join(dir, `kubeconfig-${randomBytes(4).toString('hex')}.yaml`);
      const text = [
        'apiVersion: v1', 'kind: Config', `current-context: ${name}`,
        'clusters:', `- name: ${name}`, '  cluster:', `    server: ${url}`, `    certificate-authority: ${caFile}`,
        'users:', `- name: ${name}-user`, '  user:', `    token: ${token}`,
        'contexts:', `- name: ${name}`, '  context:', `    cluster: ${name}`, `    user: ${name}-user`, '',
      ].join('\n');
      await writeFile(file, text, { mode: 0o600 });
      return file;
    },
    request: (method, apiPath, body, opts) => raw(method, apiPath, body, opts) as Promise<KubeResponse<never>>,
    call,
    applyObjects,
    async installCrds(set) {
      const text = await readFile(path.join(CRD_DIR, CRD_SETS[set]), 'utf8');
      const objects = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown> | null).filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object');
      await applyObjects(objects);
      return objects.map((o) => String((o.metadata as { name?: string }).name));
    },
    async createNamespace(name, labels) {
      await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } });
    },
    async setPodStatus(namespace, name, status) {
      const patch: Record<string, unknown> = {};
      if (status.phase !== undefined) patch.phase = status.phase;
      if (status.podIP !== undefined) {
        patch.podIP = status.podIP;
        patch.podIPs = status.podIP === null ? null : [{ ip: status.podIP }];
      }
      await call('PATCH', `/api/v1/namespaces/${namespace}/pods/${name}/status`, { status: patch }, { contentType: 'application/merge-patch+json' });
    },
    async killApiserver() {
      await killProcess(apiserver, 0);
      apiserver = undefined;
    },
    startApiserver,
    async etcdRevision() {
      const res = await etcdPost('/v3/kv/range', { key: Buffer.from('/').toString('base64'), limit: 1 });
      return Number((res.header as { revision: string }).revision);
    },
    async compactEtcd() {
      const revision = await cluster.etcdRevision();
      await etcdPost('/v3/kv/compaction', { revision: String(revision), physical: true });
      return revision;
    },
    stop,
  };
  (cluster as { kubeconfig: string }).kubeconfig = await cluster.kubeconfigFor(adminToken, 'segflow-test-admin');
  try {
    for (const set of options.crds ?? []) await cluster.installCrds(set);
  } catch (err) {
    await stop();
    throw err;
  }
  return cluster;
}
