/**
 * Where the Kubernetes API is and how to authenticate to it: a kubeconfig file (the context
 * `kubectl` would use, or `--context`) or the in-cluster service account. Parsing is pure (text in,
 * connection settings or every problem out); reading the referenced files is separate.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** How requests authenticate: a bearer token (fixed, or a file re-read as it rotates) and/or a client certificate. */
export type KubeToken =
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'file'; readonly path: string };

/** Where a PEM comes from: inline (kubeconfig `*-data`, base64-decoded) or a file. */
export type PemSource = { readonly kind: 'inline'; readonly pem: Buffer } | { readonly kind: 'file'; readonly path: string };

/** Connection settings resolved from a kubeconfig or the pod's service account (files not yet read). */
export interface KubeConnectionSpec {
  /** Base URL of the API server, e.g. `https://127.0.0.1:6443` (no trailing slash). */
  readonly server: string;
  readonly ca?: PemSource;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  readonly clientCertificate?: PemSource;
  readonly clientKey?: PemSource;
  readonly token?: KubeToken;
  /** The kubeconfig cluster name, or `in-cluster`: the default cluster name in record origins. */
  readonly clusterName: string;
  /** The context's namespace (or the service account's), if any. */
  readonly namespace?: string;
  /** For messages: `kubeconfig /path (context x)` or `in-cluster service account`. */
  readonly description: string;
}

/** Connection settings with every PEM read into memory (tokens stay as they are: files are re-read). */
export interface KubeConnection extends Omit<KubeConnectionSpec, 'ca' | 'clientCertificate' | 'clientKey'> {
  readonly ca?: Buffer;
  readonly clientCertificate?: Buffer;
  readonly clientKey?: Buffer;
}

export class KubeConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems:\n  ${problems.join('\n  ')}`);
    this.name = 'KubeConfigError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface NamedEntry { readonly name: string; readonly body: Obj; readonly file: string }

/** One kubeconfig file's named entries of a section (`clusters`, `users`, `contexts`), problems noted. */
function namedEntries(config: Obj, section: 'clusters' | 'users' | 'contexts', field: 'cluster' | 'user' | 'context', file: string, problems: string[]): NamedEntry[] {
  const list = config[section];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.push(`${file}: ${section}: expected a list`);
    return [];
  }
  const out: NamedEntry[] = [];
  for (const [i, item] of list.entries()) {
    if (!isObj(item) || typeof item.name !== 'string' || item.name === '') {
      problems.push(`${file}: ${section}[${i}].name: required string is missing`);
      continue;
    }
    const body = item[field] ?? {};
    if (!isObj(body)) {
      problems.push(`${file}: ${section}[${i}].${field}: expected a map`);
      continue;
    }
    out.push({ name: item.name, body, file });
  }
  return out;
}

/** A kubeconfig file's text, with the path it was read from (relative paths in it resolve against its folder). */
export interface KubeconfigText { readonly file: string; readonly text: string }

function pemSource(body: Obj, dataField: string, fileField: string, where: string, baseDir: string, problems: string[]): PemSource | undefined {
  const data = body[dataField];
  const file = body[fileField];
  if (data !== undefined) {
    if (typeof data !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(data)) {
      problems.push(`${where}.${dataField}: expected base64 text`);
      return undefined;
    }
    return { kind: 'inline', pem: Buffer.from(data, 'base64') };
  }
  if (file !== undefined) {
    if (typeof file !== 'string' || file === '') {
      problems.push(`${where}.${fileField}: expected a file path`);
      return undefined;
    }
    return { kind: 'file', path: path.resolve(baseDir, file) };
  }
  return undefined;
}

/**
 * The connection of a context in one or more kubeconfig files (the KUBECONFIG list: the first file
 * that names an entry wins, as kubectl merges them). `context` defaults to `current-context`.
 * Throws a {@link KubeConfigError} listing every problem found in what the context uses.
 */
export function parseKubeconfig(files: readonly KubeconfigText[], context?: string): KubeConnectionSpec {
  const problems: string[] = [];
  const clusters = new Map<string, NamedEntry>();
  const users = new Map<string, NamedEntry>();
  const contexts = new Map<string, NamedEntry>();
  let current: string | undefined;
  for (const { file, text } of files) {
    let config: unknown;
    try {
      config = parseYaml(text);
    } catch (err) {
      problems.push(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    if (config === null || config === undefined) continue;
    if (!isObj(config)) {
      problems.push(`${file}: expected a kubeconfig map`);
      continue;
    }
    const add = (into: Map<string, NamedEntry>, entries: NamedEntry[]) => entries.forEach((e) => (into.has(e.name) ? undefined : into.set(e.name, e)));
    add(clusters, namedEntries(config, 'clusters', 'cluster', file, problems));
    add(users, namedEntries(config, 'users', 'user', file, problems));
    add(contexts, namedEntries(config, 'contexts', 'context', file, problems));
    const cc = config['current-context'];
    if (current === undefined && typeof cc === 'string' && cc !== '') current = cc;
  }
  const where = files.map((f) => f.file).join(':');
  const contextName = context ?? current;
  if (contextName === undefined) problems.push(`${where}: no current-context set and no --context given`);
  const ctx = contextName === undefined ? undefined : contexts.get(contextName);
  if (contextName !== undefined && ctx === undefined) problems.push(`${where}: context "${contextName}" not found (contexts: ${[...contexts.keys()].join(', ') || 'none'})`);
  if (ctx === undefined) throw new KubeConfigError(problems);

  const ctxWhere = `${ctx.file}: context "${ctx.name}"`;
  const clusterName = ctx.body.cluster;
  const userName = ctx.body.user;
  if (typeof clusterName !== 'string' || clusterName === '') problems.push(`${ctxWhere}: context.cluster: required string is missing`);
  const cluster = typeof clusterName === 'string' ? clusters.get(clusterName) : undefined;
  if (typeof clusterName === 'string' && clusterName !== '' && cluster === undefined) problems.push(`${ctxWhere}: cluster "${clusterName}" not found`);
  const user = typeof userName === 'string' && userName !== '' ? users.get(userName) : undefined;
  if (typeof userName === 'string' && userName !== '' && user === undefined) problems.push(`${ctxWhere}: user "${userName}" not found`);

  let server = '';
  let ca: PemSource | undefined;
  let insecureSkipTlsVerify = false;
  let tlsServerName: string | undefined;
  if (cluster !== undefined) {
    const cw = `${cluster.file}: clusters[${cluster.name}].cluster`;
    const dir = path.dirname(cluster.file);
    const s = cluster.body.server;
    if (typeof s !== 'string' || s === '') problems.push(`${cw}.server: required string is missing`);
    else {
      try {
        const url = new URL(s);
        if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push(`${cw}.server: expected an http(s) URL, got "${s}"`);
        server = s.replace(/\/+$/, '');
      } catch {
        problems.push(`${cw}.server: not a URL: "${s}"`);
      }
    }
    ca = pemSource(cluster.body, 'certificate-authority-data', 'certificate-authority', cw, dir, problems);
    const insecure = cluster.body['insecure-skip-tls-verify'];
    if (insecure !== undefined && typeof insecure !== 'boolean') problems.push(`${cw}.insecure-skip-tls-verify: expected true or false`);
    insecureSkipTlsVerify = insecure === true;
    if (typeof cluster.body['tls-server-name'] === 'string') tlsServerName = cluster.body['tls-server-name'];
    if (cluster.body['proxy-url'] !== undefined) problems.push(`${cw}.proxy-url: proxies are not supported`);
  }

  let token: KubeToken | undefined;
  let clientCertificate: PemSource | undefined;
  let clientKey: PemSource | undefined;
  if (user !== undefined) {
    const uw = `${user.file}: users[${user.name}].user`;
    const dir = path.dirname(user.file);
    const b = user.body;
    if (b.exec !== undefined) problems.push(`${uw}.exec: exec credential plugins are not supported (use a token, a token file or a client certificate, e.g. a ServiceAccount token)`);
    if (b['auth-provider'] !== undefined) problems.push(`${uw}.auth-provider: auth providers are not supported (use a token, a token file or a client certificate)`);
    if (b.username !== undefined || b.password !== undefined) problems.push(`${uw}.username/password: basic authentication is not supported`);
    if (b.token !== undefined) {
      if (typeof b.token !== 'string' || b.token === '') problems.push(`${uw}.token: expected a non-empty string`);
      else token = { kind: 'static', value: b.token };
    } else if (b.tokenFile !== undefined) {
      if (typeof b.tokenFile !== 'string' || b.tokenFile === '') problems.push(`${uw}.tokenFile: expected a file path`);
      else token = { kind: 'file', path: path.resolve(dir, b.tokenFile) };
    }
    clientCertificate = pemSource(b, 'client-certificate-data', 'client-certificate', uw, dir, problems);
    clientKey = pemSource(b, 'client-key-data', 'client-key', uw, dir, problems);
    if ((clientCertificate === undefined) !== (clientKey === undefined)) problems.push(`${uw}: client-certificate and client-key must be given together`);
  }
  if (problems.length > 0) throw new KubeConfigError(problems);
  const namespace = typeof ctx.body.namespace === 'string' && ctx.body.namespace !== '' ? ctx.body.namespace : undefined;
  return {
    server, ca, insecureSkipTlsVerify, tlsServerName, clientCertificate, clientKey, token,
    clusterName: String(clusterName), namespace, description: `kubeconfig ${where} (context "${ctx.name}")`,
  };
}

/** The pod's service account files (paths overridable for tests). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * In-cluster settings from KUBERNETES_SERVICE_HOST/PORT and the mounted service account, or
 * undefined when not running in a pod. The token is a file: bound tokens rotate, so it is re-read.
 */
export function inClusterSpec(env: NodeJS.ProcessEnv, dir = SERVICE_ACCOUNT_DIR, namespace?: string): KubeConnectionSpec | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    server: `https://${hostPart}:${port}`,
    ca: { kind: 'file', path: path.join(dir, 'ca.crt') },
    insecureSkipTlsVerify: false,
    token: { kind: 'file', path: path.join(dir, 'token') },
    clusterName: 'in-cluster',
    namespace,
    description: 'in-cluster service account',
  };
}

async function readPem(source: PemSource | undefined, what: string, problems: string[]): Promise<Buffer | undefined> {
  if (source === undefined) return undefined;
  if (source.kind === 'inline') return source.pem;
  try {
    return await readFile(source.path);
  } catch (err) {
    problems.push(`${what} ${source.path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return undefined;
  }
}

/** Reads the PEM files a spec refers to (and checks a token file is readable); every problem reported. */
export async function loadConnection(spec: KubeConnectionSpec): Promise<KubeConnection> {
  const problems: string[] = [];
  const ca = await readPem(spec.ca, 'certificate authority', problems);
  const clientCertificate = await readPem(spec.clientCertificate, 'client certificate', problems);
  const clientKey = await readPem(spec.clientKey, 'client key', problems);
  if (spec.token?.kind === 'file') {
    try {
      if ((await readFile(spec.token.path, 'utf8')).trim() === '') problems.push(`token file ${spec.token.path}: empty`);
    } catch (err) {
      problems.push(`token file ${spec.token.path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new KubeConfigError(problems.map((p) => `${spec.description}: ${p}`));
  return { ...spec, ca, clientCertificate, clientKey };
}

export interface ConnectionChoice {
  /** `--kubeconfig`. */
  readonly kubeconfig?: string;
  /** `--context`. */
  readonly context?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Home directory for the `~/.kube/config` default. */
  readonly home?: string;
  /** Service account folder (tests). */
  readonly serviceAccountDir?: string;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KubeConfigError([`kubeconfig ${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
}

/**
 * Picks the connection as kubectl and client-go do: `--kubeconfig`, else KUBECONFIG (a path
 * list), else in-cluster when running in a pod, else `~/.kube/config`.
 */
export async function resolveConnectionSpec(choice: ConnectionChoice): Promise<KubeConnectionSpec> {
  const explicit = choice.kubeconfig;
  if (explicit !== undefined) {
    const text = await readIfExists(explicit);
    if (text === undefined) throw new KubeConfigError([`kubeconfig ${explicit}: file not found`]);
    return parseKubeconfig([{ file: explicit, text }], choice.context);
  }
  if (choice.env.KUBECONFIG) {
    const files: KubeconfigText[] = [];
    for (const file of choice.env.KUBECONFIG.split(path.delimiter).filter(Boolean)) {
      const text = await readIfExists(file);
      if (text !== undefined) files.push({ file, text });
    }
    if (files.length === 0) throw new KubeConfigError([`KUBECONFIG=${choice.env.KUBECONFIG}: none of its files exists`]);
    return parseKubeconfig(files, choice.context);
  }
  const saDir = choice.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const inCluster = inClusterSpec(choice.env, saDir, (await readIfExists(path.join(saDir, 'namespace')))?.trim());
  if (inCluster !== undefined) {
    if (choice.context !== undefined) throw new KubeConfigError(['--context needs a kubeconfig (--kubeconfig or KUBECONFIG); running in-cluster']);
    return inCluster;
  }
  const home = choice.home ?? choice.env.HOME;
  const fallback = home ? path.join(home, '.kube', 'config') : undefined;
  const text = fallback === undefined ? undefined : await readIfExists(fallback);
  if (fallback === undefined || text === undefined) {
    throw new KubeConfigError(['no Kubernetes connection: give --kubeconfig PATH or KUBECONFIG, or run in a pod (KUBERNETES_SERVICE_HOST is not set)']);
  }
  return parseKubeconfig([{ file: fallback, text }], choice.context);
}
