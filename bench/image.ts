/**
 * `npm run bench -- image`: builds the container image from the Dockerfile
 * (deploy/image/build-oci-image.sh: buildah, no Docker, no registry), runs every role from it the
 * way the kustomize base runs it, and measures what each one uses. Writes bench/results/image.json.
 *
 * A bench, not a CI test: a cold build (Debian root file systems, clang for the eBPF probe,
 * npm ci) takes longer than CI's budget for one check (see docs/install.md for the figures).
 *
 * What it proves, failing loudly otherwise:
 * - the image runs: `--version`, `explain` on the demo inventory (DENY), non-root by default;
 * - each workload of deploy/kustomize/base starts from the image with the manifest's own
 *   arguments (its `$(VAR)` expanded from the ConfigMap and the downward API), its user,
 *   capabilities, read-only root file system and /tmp, and passes the manifest's own startup,
 *   readiness and liveness probes (httpGet from here, exec probes with `podman exec`);
 * - end to end through the image: a synthetic collector → Kafka → the enricher → Elasticsearch →
 *   the API answers /api/v1/flows with a token from its tokens file; the inventory sync, with
 *   the in-cluster service account of the manifests' RBAC, publishes a real kube-apiserver's
 *   objects; the conntrack collector (root, NET_ADMIN only) reads this host's table;
 * - every role stops on SIGTERM with exit code 0.
 *
 * Measured per role while the pipeline runs (synthetic load, SEGFLOW_IMAGE_BENCH_RATE
 * connections/s): resident memory of the container's process tree (average and peak over the
 * window, and the main process's lifetime peak VmHWM, which includes start-up) and CPU
 * (millicores over the window), from /proc.
 *
 * Needs root, buildah, mmdebstrap, podman with runc, KAFKA_BROKERS and ELASTICSEARCH_URL (the
 * shared dev services), and the kube-apiserver binaries (.local/kube/bin).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { renderKustomization } from '../src/install/render-kustomization.ts';
import type { KubeObject } from '../src/install/kustomize-transforms.ts';
import { projectRoot } from '../src/services/services-config.ts';
import { createKafka } from '../src/runtime/kafka-client.ts';
import { freePort, startKubeCluster, type KubeCluster } from '../test/harness/kube-cluster.ts';
import { waitFor } from '../test/harness/wait-for.ts';

const run = promisify(execFile);
const IMAGE = process.env.SEGFLOW_IMAGE_TAG ?? 'localhost/segflow:dev';
const RATE = Number(process.env.SEGFLOW_IMAGE_BENCH_RATE ?? '200');
const WINDOW_MS = Number(process.env.SEGFLOW_IMAGE_BENCH_WINDOW_MS ?? '60000');
const PODS = Number(process.env.SEGFLOW_IMAGE_BENCH_PODS ?? '500');
// This sandbox cannot raise resource limits (no CAP_SYS_RESOURCE), and podman's defaults try
// to; crun also refuses this host's hybrid cgroup layout, runc does not.
const PODMAN = ['--runtime', 'runc'];
const LIMITS = ['--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096'];

const log = (line: string): void => {
  process.stderr.write(`[image-bench] ${line}\n`);
};

async function podman(args: string[], timeout = 120_000): Promise<string> {
  try {
    return (await run('podman', [...PODMAN, ...args], { timeout, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`podman ${args.slice(0, 3).join(' ')} ...: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

// ---- the process tree of a container, from /proc ------------------------------------------

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return out;
}

function treeOf(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]!));
  return all;
}

function statusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU of a process and of its children it has reaped (ms). */
function cpuMsWithReaped(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / 100;
  } catch {
    return 0;
  }
}

interface Usage { rssKb: number; cpuMs: number }
function usageOf(pid: number): Usage {
  const pids = treeOf(pid);
  // Live children's own CPU plus what the main process reaped (conntrack -L snapshots, etc.).
  return { rssKb: pids.reduce((n, p) => n + statusKb(p, 'VmRSS'), 0), cpuMs: pids.reduce((n, p) => n + cpuMsWithReaped(p), 0) };
}

// ---- the workloads of the base, as containers -----------------------------------------------

interface Probe { httpGet?: { path: string; port: string | number }; exec?: { command: string[] }; periodSeconds?: number; failureThreshold?: number }
interface ContainerSpec {
  name: string; args: string[]; env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } } }>;
  ports?: Array<{ name: string; containerPort: number }>;
  startupProbe?: Probe; readinessProbe?: Probe; livenessProbe?: Probe;
  securityContext?: { runAsUser?: number; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[]; add?: string[] } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface Workload { kind: string; name: string; container: ContainerSpec; podRunAsUser?: number }

function workloadsOf(objects: KubeObject[]): Workload[] {
  return objects.filter((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet').map((o) => {
    const pod = (o as { spec: { template: { spec: { containers: ContainerSpec[]; securityContext?: { runAsUser?: number } } } } }).spec.template.spec;
    if (pod.containers.length !== 1) throw new Error(`${String(o.metadata?.name)}: the bench runs one container per workload`);
    return { kind: String(o.kind), name: String(o.metadata?.name), container: pod.containers[0]!, ...(pod.securityContext?.runAsUser !== undefined ? { podRunAsUser: pod.securityContext.runAsUser } : {}) };
  });
}

/** Kubernetes' `$(VAR)` expansion of args. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
}

interface Running {
  workload: string; container: string; pid: number; ports: Map<number, number>;
  probes: { startup?: Probe; readiness?: Probe; liveness?: Probe };
  samples: Usage[]; startedAt: number; readyAfterMs?: number;
}

async function runProbe(r: Running, probe: Probe): Promise<boolean> {
  if (probe.httpGet) {
    const port = typeof probe.httpGet.port === 'number' ? probe.httpGet.port : [...r.ports.values()][0]!;
    try {
      const res = await fetch(`http://127.0.0.1:${r.ports.get(port as number) ?? port}${probe.httpGet.path}`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      return res.status >= 200 && res.status < 400;
    } catch {
      return false;
    }
  }
  if (probe.exec) {
    const command = probe.exec.command.map((part) => [...r.ports].reduce((text, [from, to]) => text.replaceAll(`/${from}`, `/${to}`), part));
    try {
      await podman(['exec', r.container, ...command], 10_000);
      return true;
    } catch {
      return false;
    }
  }
  throw new Error(`${r.workload}: a probe with neither httpGet nor exec`);
}

export async function runImageBench(): Promise<object> {
  const problems: string[] = [];
  for (const tool of ['buildah', 'podman', 'runc', 'mmdebstrap']) {
    try {
      await run('sh', ['-c', `command -v ${tool}`]);
    } catch {
      problems.push(`${tool} is not installed (Debian: apt-get install ${tool})`);
    }
  }
  if (process.getuid?.() !== 0) problems.push('must run as root (buildah and podman storage, the collector as root)');
  const brokers = process.env.KAFKA_BROKERS;
  const esUrl = process.env.ELASTICSEARCH_URL;
  if (!brokers || !esUrl) problems.push('KAFKA_BROKERS and ELASTICSEARCH_URL must name running services (the shared dev ones: 127.0.0.1:9092, http://127.0.0.1:9200)');
  if (problems.length > 0) throw new Error(`image bench cannot run:\n  ${problems.join('\n  ')}`);

  // ---- build ------------------------------------------------------------------------------
  log(`building ${IMAGE} (deploy/image/build-oci-image.sh)`);
  const buildStarted = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [path.join(projectRoot, 'deploy', 'image', 'build-oci-image.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, SEGFLOW_IMAGE_TAG: IMAGE } });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build-oci-image.sh exited with ${code}`))));
  });
  const buildMs = Date.now() - buildStarted;
  const inspect = JSON.parse(await podman(['image', 'inspect', IMAGE])) as Array<{ Size: number; Config: { User?: string; Entrypoint?: string[] } }>;
  const image = { tag: IMAGE, sizeMB: Math.round(inspect[0]!.Size / 1e6), user: inspect[0]!.Config.User, entrypoint: inspect[0]!.Config.Entrypoint, buildSeconds: Math.round(buildMs / 1000) };
  const archive = path.join(projectRoot, '.local', 'image', 'segflow.oci.tar');
  const archiveMB = existsSync(archive) ? Math.round(Number((await run('stat', ['-c', '%s', archive])).stdout) / 1e6) : undefined;
  log(`image ${JSON.stringify(image)}`);

  // ---- smoke ------------------------------------------------------------------------------
  const oneShot = (args: string[], extra: string[] = []): Promise<string> => podman(['run', '--rm', ...LIMITS, '--network', 'host', '--read-only', '--tmpfs', '/tmp', ...extra, IMAGE, ...args], 180_000);
  const smokeStarted = Date.now();
  const version = (await oneShot(['--version'])).trim();
  const coldStartMs = Date.now() - smokeStarted;
  const uid = (await oneShot([], ['--entrypoint', 'id'])).trim();
  const explain = await oneShot(['explain', '--resources', '/app/examples/shop', '--src', '10.244.1.10', '--dst', '10.244.2.10', '--protocol', 'tcp', '--dst-port', '5432']);
  if (version !== '0.1.0') throw new Error(`--version printed ${JSON.stringify(version)}`);
  if (!uid.startsWith('uid=65532')) throw new Error(`the image's default user is not 65532: ${uid}`);
  if (!explain.startsWith('DENY: 10.244.1.10 -> 10.244.2.10 tcp port 5432')) throw new Error(`explain in the image printed:\n${explain}`);
  const ldd = await podman(['run', '--rm', ...LIMITS, '--entrypoint', 'sh', IMAGE, '-c', 'ldd /app/.local/ebpf/segflow-ebpf && command -v conntrack ip']);
  if (/not found/.test(ldd) || !ldd.includes('/usr/sbin/conntrack')) throw new Error(`the eBPF loader or conntrack is incomplete in the image:\n${ldd}`);
  log(`smoke: --version ${version} (${coldStartMs} ms cold), ${uid.split(' ')[0]}, explain DENY, loader libraries and conntrack present`);

  // ---- services, cluster, work folder -----------------------------------------------------
  const id = `bench${randomBytes(3).toString('hex')}`;
  const work = path.join(projectRoot, '.local', 'image-bench', id);
  await mkdir(work, { recursive: true });
  const topics = { raw: `${id}.flows.raw`, dead: `${id}.flows.dead-letter`, shop: `${id}.inventory.shop`, sync: `${id}.inventory.sync` };
  const indexPrefix = `${id}-flows`;
  const containers: string[] = [];
  let cluster: KubeCluster | undefined;
  const running: Running[] = [];
  const exits: Record<string, number | string> = {};
  try {
    cluster = await startKubeCluster({ authorization: 'RBAC' });
    const base = await renderKustomization(path.join(projectRoot, 'deploy', 'kustomize', 'base'));
    await cluster.applyObjects(base.filter((o) => ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(String(o.kind))));
    // A cluster to sync: namespaces, pods with addresses (as a kubelet would set them), services.
    for (let n = 0; n < 10; n++) await cluster.createNamespace(`team-${n}`, { team: `t${n}` });
    for (let i = 0; i < PODS; i++) {
      const ns = `team-${i % 10}`;
      await cluster.call('POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `app-${i}`, labels: { app: `app-${i % 25}` } }, spec: { containers: [{ name: 'c', image: 'example' }] } });
      await cluster.setPodStatus(ns, `app-${i}`, { podIP: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, phase: 'Running' });
    }
    for (let s = 0; s < 25; s++) await cluster.call('POST', `/api/v1/namespaces/team-${s % 10}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${s}` }, spec: { selector: { app: `app-${s}` }, ports: [{ port: 80 }] } });
    // The sync's in-cluster service account, exactly as the kubelet mounts it.
    const saDir = path.join(work, 'serviceaccount');
    await mkdir(saDir, { recursive: true });
    const token = await cluster.call<{ status: { token: string } }>('POST', '/api/v1/namespaces/segflow/serviceaccounts/segflow-inventory-sync/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });
    await writeFile(path.join(saDir, 'token'), token.status.token, { mode: 0o644 });
    await copyFile(cluster.caFile, path.join(saDir, 'ca.crt'));
    await writeFile(path.join(saDir, 'namespace'), 'segflow');
    const apiserverPort = new URL(cluster.url).port;

    // The API's Secret, as the installer makes it (sha256 entry: no token in the file).
    const apiToken = randomBytes(24).toString('hex');
    const secretDir = path.join(work, 'api-secret');
    await mkdir(secretDir, { recursive: true });
    await writeFile(path.join(secretDir, 'tokens.yaml'), `tokens:\n  - name: bench\n    sha256: "${createHash('sha256').update(apiToken).digest('hex')}"\n    role: admin\n`, { mode: 0o644 });
    const cursorSecret = randomBytes(32).toString('base64');
    const spoolDir = path.join(work, 'spool');
    await mkdir(spoolDir, { recursive: true });

    // The shop inventory for the enricher and the API, published from the image.
    await oneShot(['inventory', 'apply', '-f', '/app/examples/shop', `--brokers=${brokers}`, `--topic=${topics.shop}`]);

    const settings = (base.find((o) => o.kind === 'ConfigMap') as { data: Record<string, string> }).data;
    const envFor = (workload: string): Record<string, string> => ({
      ...settings, KAFKA_BROKERS: brokers!, ELASTICSEARCH_URL: esUrl!, SEGFLOW_CLUSTER_NAME: 'bench',
      SEGFLOW_INVENTORY_TOPIC: workload === 'segflow-inventory-sync' ? topics.sync : topics.shop,
    });
    /** Test-only arguments appended after the manifest's (the last occurrence of an option wins). */
    const isolation: Record<string, string[]> = {
      'segflow-collector': [`--topic=${topics.raw}`],
      'segflow-enricher': [`--raw-topic=${topics.raw}`, `--dead-letter-topic=${topics.dead}`, `--group=${id}-enricher`, `--index-prefix=${indexPrefix}`, '--window=5'],
      'segflow-api': [`--index-prefix=${indexPrefix}`],
      'segflow-inventory-sync': [],
    };

    const start = async (w: Workload, variant: { suffix?: string; spool?: string; seccompProfile?: string } = {}): Promise<Running> => {
      const c = w.container;
      const env = envFor(w.name);
      const dynamic: Record<string, string> = { NODE_NAME: os.hostname(), POD_NAMESPACE: 'segflow' };
      const secretEnv: Record<string, string> = {};
      for (const e of c.env ?? []) {
        if (e.value !== undefined) env[e.name] = e.value;
        else if (e.valueFrom?.fieldRef) env[e.name] = dynamic[e.name] ?? '';
        else if (e.valueFrom?.secretKeyRef?.key === 'cursor-secret') secretEnv[e.name] = cursorSecret;
        else throw new Error(`${w.name}: env ${e.name}: the bench does not know where it comes from`);
      }
      // Every port the manifest names moves to a free one here (host network, shared machine).
      const ports = new Map<number, number>();
      for (const p of c.ports ?? []) ports.set(p.containerPort, await freePort());
      const probePorts = [c.startupProbe, c.readinessProbe, c.livenessProbe].flatMap((p) => (p?.exec ? p.exec.command.join(' ').match(/\/dev\/tcp\/127\.0\.0\.1\/(\d+)/g) ?? [] : []));
      for (const m of probePorts) {
        const port = Number(m.split('/').pop());
        if (!ports.has(port)) ports.set(port, await freePort());
      }
      const named = new Map((c.ports ?? []).map((p) => [p.name, p.containerPort]));
      const fixProbe = (p?: Probe): Probe | undefined => (p?.httpGet && typeof p.httpGet.port === 'string' ? { ...p, httpGet: { ...p.httpGet, port: named.get(p.httpGet.port)! } } : p);
      let args = c.args.map((a) => expand(a, { ...env, ...dynamic }));
      args = args.map((a) => a.replace(/^(--[a-z-]*port=)(\d+)$/, (whole, flag: string, port: string) => (ports.has(Number(port)) ? `${flag}${ports.get(Number(port))}` : whole)));
      args.push(...(isolation[w.name] ?? []));
      const unexpanded = args.filter((a) => /\$\(/.test(a));
      if (unexpanded.length > 0) throw new Error(`${w.name}: unexpanded arguments ${unexpanded.join(' ')}`);
      const envFile = path.join(work, `${w.name}${variant.suffix ?? ''}.env`);
      await writeFile(envFile, Object.entries({ ...env, ...secretEnv }).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
      const sc = c.securityContext ?? {};
      const user = sc.runAsUser ?? w.podRunAsUser;
      const container = `${id}-${w.name}${variant.suffix ?? ''}`;
      const flags = ['run', '-d', '--name', container, '--network', 'host', ...LIMITS, '--env-file', envFile];
      if (variant.seccompProfile) flags.push('--security-opt', `seccomp=${variant.seccompProfile}`);
      if (user !== undefined) flags.push('--user', `${user}:${user}`);
      if (sc.readOnlyRootFilesystem) flags.push('--read-only');
      if (sc.allowPrivilegeEscalation === false) flags.push('--security-opt', 'no-new-privileges');
      for (const cap of sc.capabilities?.drop ?? []) flags.push('--cap-drop', cap);
      for (const cap of sc.capabilities?.add ?? []) flags.push('--cap-add', cap);
      for (const m of c.volumeMounts ?? []) {
        if (m.name === 'tmp') flags.push('--tmpfs', `${m.mountPath}:rw,size=64m,mode=1777`);
        else if (m.name === 'spool') flags.push('--volume', `${variant.spool ?? spoolDir}:${m.mountPath}`);
        else if (m.name === 'btf') flags.push('--volume', `/sys/kernel/btf:${m.mountPath}:ro`);
        else if (m.name === 'api-secret') flags.push('--volume', `${secretDir}:${m.mountPath}:ro`);
        else throw new Error(`${w.name}: volume ${m.name}: the bench does not provide it`);
      }
      if (w.name === 'segflow-inventory-sync') {
        flags.push('--volume', `${saDir}:/var/run/secrets/kubernetes.io/serviceaccount:ro`, '--env', 'KUBERNETES_SERVICE_HOST=127.0.0.1', '--env', `KUBERNETES_SERVICE_PORT=${apiserverPort}`);
      }
      containers.push(container);
      await podman([...flags, IMAGE, ...args]);
      const pid = Number((await podman(['inspect', '-f', '{{.State.Pid}}', container])).trim());
      log(`${container}: started (pid ${pid}): segflow ${args.join(' ')}`);
      const probes = { ...(c.startupProbe ? { startup: fixProbe(c.startupProbe)! } : {}), ...(c.readinessProbe ? { readiness: fixProbe(c.readinessProbe)! } : {}), ...(c.livenessProbe ? { liveness: fixProbe(c.livenessProbe)! } : {}) };
      return { workload: w.name, container, pid, ports, probes, samples: [], startedAt: Date.now() };
    };

    const workloads = workloadsOf(base);
    if (workloads.length !== 4) throw new Error(`expected 4 workloads in the base, found ${workloads.map((w) => w.name).join(', ')}`);
    for (const w of workloads) running.push(await start(w));

    // The load: synthetic traffic between the shop's endpoints, from the image too.
    const loadContainer = `${id}-load`;
    containers.push(loadContainer);
    await podman(['run', '-d', '--name', loadContainer, '--network', 'host', ...LIMITS, '--read-only', '--tmpfs', '/tmp:rw,size=64m,mode=1777', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
      IMAGE, 'collect', `--brokers=${brokers}`, `--topic=${topics.raw}`, '--source', 'synthetic', '--resources', '/app/examples/shop', `--synthetic-rate=${RATE}`, '--node-name=bench-node', '--no-http', '--spool-dir=/tmp/spool']);
    const load: Running = { workload: 'load (synthetic collector)', container: loadContainer, pid: Number((await podman(['inspect', '-f', '{{.State.Pid}}', loadContainer])).trim()), ports: new Map(), probes: {}, samples: [], startedAt: Date.now() };

    // ---- the manifests' probes ---------------------------------------------------------------
    for (const r of running) {
      const p = r.probes.startup;
      if (!p) throw new Error(`${r.workload}: no startup probe in the manifest`);
      const budget = (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3) * 1000;
      await waitFor(`${r.workload}: startup probe (budget ${budget / 1000} s)`, async () => ((await runProbe(r, p)) ? true : undefined), budget, 1000).catch(async (err: Error) => {
        throw new Error(`${err.message}\n--- logs ---\n${(await podman(['logs', '--tail', '30', r.container]).catch(() => '')).trim()}`);
      });
      r.readyAfterMs = Date.now() - r.startedAt;
      log(`${r.workload}: startup probe passed after ${(r.readyAfterMs / 1000).toFixed(1)} s`);
    }
    for (const r of running) {
      for (const kind of ['readiness', 'liveness'] as const) {
        const p = r.probes[kind];
        if (p) await waitFor(`${r.workload}: ${kind} probe`, async () => ((await runProbe(r, p)) ? true : undefined), 60_000, 1000);
      }
    }

    // ---- end to end through the image -------------------------------------------------------
    const api = running.find((r) => r.workload === 'segflow-api')!;
    const apiPort = [...api.ports.values()][0]!;
    let lastAnswer = '';
    const flows = await waitFor('flows through collector → Kafka → enricher → Elasticsearch → API', async () => {
      const res = await fetch(`http://127.0.0.1:${apiPort}/api/v1/flows?from=now-15m&limit=5`, { headers: { authorization: `Bearer ${apiToken}` } });
      const text = await res.text();
      lastAnswer = `${res.status} ${text.slice(0, 300)}`;
      const count = res.status === 200 ? ((JSON.parse(text) as { flows?: unknown[] }).flows?.length ?? 0) : 0;
      return count > 0 ? { status: res.status, documents: count } : undefined;
    }, 120_000, 2000).catch((err: Error) => {
      throw new Error(`${err.message}; the API's last answer: ${lastAnswer}`);
    });
    const anonymous = await fetch(`http://127.0.0.1:${apiPort}/api/v1/flows?from=now-15m`);
    if (anonymous.status !== 401) throw new Error(`the API answered ${anonymous.status} without a token`);
    const syncRunning = running.find((r) => r.workload === 'segflow-inventory-sync')!;
    const synced = await waitFor('the sync published the cluster', async () => {
      const listed = await oneShot(['inventory', 'list', `--brokers=${brokers}`, `--topic=${topics.sync}`]);
      const lines = listed.trim().split('\n').filter(Boolean);
      return lines.filter((l) => l.startsWith('Pod/')).length >= PODS ? lines.length : undefined;
    }, 180_000, 5000);
    log(`end to end: API returned ${flows.documents} flow documents; the sync published ${synced} resources (${PODS} pods)`);

    // ---- the example overlay's eBPF collector ------------------------------------------------
    // Its capabilities (NET_ADMIN, BPF, PERFMON) and the BTF mount, under a seccomp profile with
    // containerd's rule for them (bpf() with CAP_BPF, perf_event_open() with CAP_PERFMON); the
    // rest of the profile is podman's default (containers-common's, which allows both only with
    // CAP_SYS_ADMIN).
    const overlay = await renderKustomization(path.join(projectRoot, 'deploy', 'kustomize', 'overlays', 'example'));
    const ebpfCollector = workloadsOf(overlay).find((w) => w.kind === 'DaemonSet')!;
    if (!ebpfCollector.container.args.includes('ebpf')) throw new Error('the example overlay no longer turns eBPF on');
    const profile = JSON.parse(readFileSync('/usr/share/containers/seccomp.json', 'utf8')) as { syscalls: Array<{ names: string[] } & Record<string, unknown>> };
    const gated = new Set(['bpf', 'perf_event_open']);
    profile.syscalls = profile.syscalls.map((r) => ({ ...r, names: r.names.filter((n) => !gated.has(n)) })).filter((r) => r.names.length > 0);
    profile.syscalls.push({ names: ['bpf'], action: 'SCMP_ACT_ALLOW', args: [], includes: { caps: ['CAP_BPF'] }, excludes: {} });
    profile.syscalls.push({ names: ['perf_event_open'], action: 'SCMP_ACT_ALLOW', args: [], includes: { caps: ['CAP_PERFMON'] }, excludes: {} });
    const profileFile = path.join(work, 'seccomp-containerd-rules.json');
    await writeFile(profileFile, JSON.stringify(profile));
    const ebpfSpool = path.join(work, 'spool-ebpf');
    await mkdir(ebpfSpool, { recursive: true });
    const ebpfRunning = await start(ebpfCollector, { suffix: '-ebpf', spool: ebpfSpool, seccompProfile: profileFile });
    const ebpfPort = [...ebpfRunning.ports.values()][0]!;
    const ebpfState = await waitFor('the overlay collector\'s eBPF source', async () => {
      const res = await fetch(`http://127.0.0.1:${ebpfPort}/status`).catch(() => undefined);
      if (res?.status !== 200) return undefined;
      const status = (await res.json()) as { sources?: Record<string, { ebpf?: { state: string; reason?: string } }> };
      const ebpf = Object.values(status.sources ?? {}).find((src) => src.ebpf)?.ebpf;
      return ebpf && ebpf.state !== 'starting' && ebpf.state !== 'created' ? ebpf : undefined;
    }, 90_000, 2000);
    if (ebpfState.state !== 'running') throw new Error(`the overlay's eBPF collector: ${ebpfState.state}: ${ebpfState.reason ?? ''}`);
    await podman(['stop', '-t', '30', ebpfRunning.container], 60_000);
    exits['segflow-collector (overlay, eBPF)'] = Number((await podman(['inspect', '-f', '{{.State.ExitCode}}', ebpfRunning.container])).trim());
    log('the example overlay\'s collector runs its eBPF source with NET_ADMIN, BPF and PERFMON only');

    // ---- measure ------------------------------------------------------------------------------
    log(`measuring for ${WINDOW_MS / 1000} s under ${RATE} synthetic connections/s`);
    const measured = [...running, load];
    const first = measured.map((r) => usageOf(r.pid));
    const t0 = Date.now();
    // A light query load on the API meanwhile: a search and a troubleshooting page, in turn.
    let apiRequests = 0;
    let apiFailures = 0;
    const queries = (async () => {
      const paths = ['/api/v1/flows?from=now-15m&limit=100', '/api/v1/denied?from=now-15m'];
      while (Date.now() - t0 < WINDOW_MS) {
        const res = await fetch(`http://127.0.0.1:${apiPort}${paths[apiRequests % 2]}`, { headers: { authorization: `Bearer ${apiToken}` } }).catch(() => undefined);
        await res?.arrayBuffer();
        apiRequests++;
        if (res?.status !== 200) apiFailures++;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    while (Date.now() - t0 < WINDOW_MS) {
      for (const r of measured) r.samples.push(usageOf(r.pid));
      await new Promise((res) => setTimeout(res, 2000));
    }
    await queries;
    const elapsed = Date.now() - t0;
    if (apiFailures > 0) throw new Error(`${apiFailures} of ${apiRequests} API queries failed during the measurement`);
    const indexed = (await (await fetch(`${esUrl}/${indexPrefix}-*/_count`)).json()) as { count: number };
    const last = measured.map((r) => usageOf(r.pid));
    const roles = measured.map((r, i) => {
      const rss = r.samples.map((s) => s.rssKb / 1024);
      return {
        role: r.workload,
        rssMiB: { avg: Math.round(rss.reduce((a, b) => a + b, 0) / rss.length), max: Math.round(Math.max(...rss)) },
        mainProcessPeakMiB: Math.round(statusKb(r.pid, 'VmHWM') / 1024),
        cpuMillicores: Math.round(((last[i]!.cpuMs - first[i]!.cpuMs) / elapsed) * 1000),
        ...(r.readyAfterMs !== undefined ? { startupSeconds: Math.round(r.readyAfterMs / 100) / 10 } : {}),
      };
    });
    for (const r of roles) log(`${r.role}: ${JSON.stringify(r)}`);
    void syncRunning;

    // ---- stop: SIGTERM, exit 0 within the grace period ------------------------------------
    for (const r of [...running, load]) {
      await podman(['stop', '-t', '30', r.container], 60_000);
      const code = (await podman(['inspect', '-f', '{{.State.ExitCode}}', r.container])).trim();
      exits[r.workload] = Number(code);
    }
    const unclean = Object.entries(exits).filter(([, code]) => code !== 0);
    if (unclean.length > 0) throw new Error(`roles that did not exit 0 on SIGTERM: ${JSON.stringify(Object.fromEntries(unclean))}`);

    const result = {
      at: new Date().toISOString(),
      image: { ...image, ...(archiveMB !== undefined ? { ociArchiveMB: archiveMB } : {}), coldVersionMs: coldStartMs },
      load: { syntheticConnectionsPerSecond: RATE, windowSeconds: Math.round(elapsed / 1000), apiQueries: apiRequests, clusterPods: PODS, resourcesSynced: synced, flowDocumentsIndexed: indexed.count },
      roles,
      ebpfOverlayCollector: ebpfState.state,
      exitCodesOnSigterm: exits,
      host: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10) },
    };
    await mkdir(path.join(projectRoot, 'bench', 'results'), { recursive: true });
    await writeFile(path.join(projectRoot, 'bench', 'results', 'image.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    for (const c of containers) await podman(['rm', '-f', '-t', '5', c]).catch(() => undefined);
    await cluster?.stop().catch(() => undefined);
    await fetch(`${esUrl}/${indexPrefix}-*`, { method: 'DELETE' }).catch(() => undefined);
    const admin = createKafka(brokers!, 'segflow-image-bench').admin();
    await admin.connect().then(() => admin.deleteTopics({ topics: Object.values(topics) })).catch(() => undefined).finally(() => admin.disconnect());
    await rm(work, { recursive: true, force: true });
  }
}
