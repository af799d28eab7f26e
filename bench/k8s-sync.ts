/**
 * `npm run bench -- k8s-sync`: `segflow inventory sync` against a real kube-apiserver (the test
 * harness's etcd + apiserver) holding 10,000 pods in 100 namespaces and 2,000 policies (half
 * Kubernetes NetworkPolicies, half Calico policies in Calico's backend CRD form).
 *
 * Measures, in one run:
 * - start → first complete publish: the sync process spawned until its /readyz says the whole
 *   cluster is on the topic (checked by reading the topic back: every expected key present);
 * - sustained changes: a writer PATCHes pod labels as fast as the apiserver takes them; the
 *   baseline is that write rate (the sync cannot publish faster than changes happen), the figure
 *   is the sync's publish rate over the same interval as a ratio, plus its catch-up time after
 *   the writer stops;
 * - change → verdict visible in an enricher-equivalent follower (the enricher's own
 *   InventoryTopicFollower + Inventory, in this process): a pod label flips a deny policy on,
 *   timed from the PATCH until `explain` returns the new verdict; p50/p95 over the probes;
 * - memory of the sync process (VmHWM, peak RSS) after the initial sync and at the end.
 *
 * Sizes: SEGFLOW_BENCH_K8S_PODS (10000), SEGFLOW_BENCH_K8S_NAMESPACES (100),
 * SEGFLOW_BENCH_K8S_POLICIES (2000). Kafka: KAFKA_BROKERS (default the dev services).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inventory } from '../src/inventory/inventory.ts';
import type { FlowInput } from '../src/inventory/policy/verdict-engine.ts';
import { InventoryTopicFollower } from '../src/inventory/topic/inventory-follower.ts';
import { readInventorySnapshot } from '../src/inventory/topic/inventory-snapshot.ts';
import { createKafka } from '../src/runtime/kafka-client.ts';
import { createLogger } from '../src/runtime/logger.ts';
import { freePort, startKubeCluster, type KubeCluster } from '../test/harness/kube-cluster.ts';
import { processCpuMs } from './cpu-time.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

const PODS = Number(process.env.SEGFLOW_BENCH_K8S_PODS ?? 10_000);
const NAMESPACES = Number(process.env.SEGFLOW_BENCH_K8S_NAMESPACES ?? 100);
const POLICIES = Number(process.env.SEGFLOW_BENCH_K8S_POLICIES ?? 2000);
const WRITE_SECONDS = 20;
const PROBES = 40;

const nsName = (i: number): string => `bench-ns-${i}`;
const podIp = (i: number): string => `10.${100 + Math.floor(i / 65_536)}.${Math.floor(i / 256) % 256}.${i % 256}`;

/** Runs `tasks` with at most `width` in flight. */
async function pool<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function peakRssBytes(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

async function metricValue(url: string, name: string): Promise<number> {
  const { text } = await get(url);
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name) && !line.startsWith('#')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

async function loadCluster(cluster: KubeCluster): Promise<{ expectedKeys: Set<string>; loadMs: number }> {
  const started = Date.now();
  const expectedKeys = new Set<string>();
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => i);
  await pool(namespaces, 8, async (i) => {
    await cluster.createNamespace(nsName(i), { team: `team-${i % 10}` });
    expectedKeys.add(`Namespace//${nsName(i)}`);
  });
  const pods = Array.from({ length: PODS }, (_, i) => i);
  await pool(pods, 24, async (i) => {
    const ns = nsName(i % NAMESPACES);
    const name = `app-${i % 50}-${i}`;
    await cluster.call('POST', `/api/v1/namespaces/${ns}/pods`, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, labels: { app: `app-${i % 50}`, tier: i % 3 === 0 ? 'frontend' : 'backend' } },
      spec: { nodeName: `node-${i % 20}`, containers: [{ name: 'main', image: 'registry.example/app:1', ports: [{ name: 'http', containerPort: 8080 }] }] },
    });
    await cluster.setPodStatus(ns, name, { podIP: podIp(i), phase: 'Running' });
    expectedKeys.add(`Pod/${ns}/${name}`);
  });
  const policies = Array.from({ length: POLICIES }, (_, i) => i);
  await pool(policies, 24, async (i) => {
    const ns = nsName(i % NAMESPACES);
    if (i % 2 === 0) {
      await cluster.call('POST', `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`, {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `knp-${i}` },
        spec: { podSelector: { matchLabels: { app: `app-${i % 50}` } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }] },
      });
      expectedKeys.add(`KubernetesNetworkPolicy/${ns}/knp-${i}`);
    } else {
      await cluster.call('POST', `/apis/crd.projectcalico.org/v1/namespaces/${ns}/networkpolicies`, {
        apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: `default.cnp-${i}` },
        spec: { tier: 'default', order: 100 + (i % 50), selector: `app == 'app-${i % 50}'`, types: ['Ingress', 'Egress'], ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: `tier == 'frontend'` }, destination: { ports: [8080] } }], egress: [{ action: 'Allow' }] },
      });
    }
  });
  return { expectedKeys, loadMs: Date.now() - started };
}

export async function runK8sSyncBench(): Promise<unknown> {
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const topic = `bench-k8s-sync-${Date.now().toString(36)}`;
  const kafka = createKafka(brokers, 'bench-k8s-sync');
  const cluster = await startKubeCluster({ crds: ['calico'] });
  let sync: ChildProcess | undefined;
  let follower: InventoryTopicFollower | undefined;
  try {
    process.stderr.write(`k8s-sync: loading ${PODS} pods in ${NAMESPACES} namespaces and ${POLICIES} policies into ${cluster.url}\n`);
    const { expectedKeys, loadMs } = await loadCluster(cluster);
    process.stderr.write(`k8s-sync: loaded in ${(loadMs / 1000).toFixed(1)} s\n`);

    // Start → first complete publish.
    const healthPort = await freePort();
    const health = `http://127.0.0.1:${healthPort}`;
    const started = Date.now();
    sync = spawn(process.execPath, [path.join(root, 'bin', 'segflow.js'), 'inventory', 'sync',
      '--kubeconfig', cluster.kubeconfig, '--cluster-name', 'bench', '--brokers', brokers, '--topic', topic,
      '--no-leader-election', '--health-host', '127.0.0.1', '--health-port', String(healthPort)], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    sync.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    const syncPid = sync.pid!;
    for (;;) {
      if (sync.exitCode !== null) throw new Error(`the sync exited with ${sync.exitCode}: ${stderr}`);
      const ready = await get(`${health}/readyz`).catch(() => ({ status: 0, text: '' }));
      if (ready.status === 200) break;
      if (Date.now() - started > 300_000) throw new Error(`the sync was not ready after 300 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const firstCompletePublishMs = Date.now() - started;
    const snapshot = await readInventorySnapshot(kafka, topic);
    const missing = [...expectedKeys].filter((k) => !snapshot.has(k));
    if (missing.length > 0) throw new Error(`ready, but ${missing.length} expected keys are not on the topic (e.g. ${missing.slice(0, 3).join(', ')})`);
    const publishedAtReady = snapshot.size;
    const rssAfterSyncBytes = peakRssBytes(syncPid);
    const cpuAfterSyncMs = processCpuMs(syncPid);
    process.stderr.write(`k8s-sync: first complete publish after ${firstCompletePublishMs} ms (${publishedAtReady} keys)\n`);

    // An enricher-equivalent follower: the enricher's own topic follower feeding an Inventory.
    const inventory = new Inventory();
    follower = new InventoryTopicFollower(kafka, topic, {
      upsert: (r) => inventory.apply(r),
      remove: (key) => inventory.delete(key),
    }, createLogger('bench-follower'));
    await follower.start();

    // Sustained changes: label PATCHes as fast as the apiserver takes them.
    const published0 = await metricValue(`${health}/metrics`, 'segflow_inventory_sync_messages_published_total');
    const writeStart = Date.now();
    let writes = 0;
    let writer = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (Date.now() - writeStart < WRITE_SECONDS * 1000) {
        const i = (writer++ * 7919) % PODS;
        await cluster.call('PATCH', `/api/v1/namespaces/${nsName(i % NAMESPACES)}/pods/app-${i % 50}-${i}`, { metadata: { labels: { generation: String(writer) } } }, { contentType: 'application/merge-patch+json' });
        writes++;
      }
    }));
    const writeMs = Date.now() - writeStart;
    const publishedDuring = (await metricValue(`${health}/metrics`, 'segflow_inventory_sync_messages_published_total')) - published0;
    // Catch-up: until the publish counter stops moving for 1 s.
    let last = publishedDuring;
    let stableSince = Date.now();
    const catchUpStart = Date.now();
    while (Date.now() - stableSince < 1000 && Date.now() - catchUpStart < 60_000) {
      await new Promise((r) => setTimeout(r, 100));
      const now = (await metricValue(`${health}/metrics`, 'segflow_inventory_sync_messages_published_total')) - published0;
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      }
    }
    const catchUpMs = Math.max(0, stableSince - catchUpStart);
    const writeRate = writes / (writeMs / 1000);
    const publishRate = publishedDuring / (writeMs / 1000);

    // Change → verdict visible: a GlobalNetworkPolicy denies ingress from pods labelled quarantine=true.
    await cluster.call('POST', '/apis/crd.projectcalico.org/v1/globalnetworkpolicies', {
      apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'default.bench-quarantine' },
      spec: { tier: 'default', order: 1, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Deny', source: { selector: `quarantine == 'true'` } }, { action: 'Pass' }] },
    });
    const quarantineKey = 'GlobalNetworkPolicy//default.bench-quarantine';
    for (let t = Date.now(); !inventory.get(quarantineKey) && inventory.get('GlobalNetworkPolicy//bench-quarantine') === undefined; ) {
      if (Date.now() - t > 30_000) throw new Error('the quarantine policy never reached the follower');
      await new Promise((r) => setTimeout(r, 20));
    }
    const latencies: number[] = [];
    const dst = podIp(1);
    for (let p = 0; p < PROBES; p++) {
      const i = 3 + p * 97;
      const src = podIp(i);
      const flow: FlowInput = { srcIp: src, dstIp: dst, protocol: 6, dstPort: 8080, time: Date.now() };
      const before = inventory.explain(flow).verdict;
      const t0 = performance.now();
      await cluster.call('PATCH', `/api/v1/namespaces/${nsName(i % NAMESPACES)}/pods/app-${i % 50}-${i}`, { metadata: { labels: { quarantine: 'true' } } }, { contentType: 'application/merge-patch+json' });
      for (;;) {
        const v = inventory.explain({ ...flow, time: Date.now() }).verdict;
        if (v !== before) break;
        if (performance.now() - t0 > 30_000) throw new Error(`probe ${p}: the verdict for ${src} never changed from ${before}`);
        await new Promise((r) => setTimeout(r, 2));
      }
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);

    const result = {
      firstCompletePublishMs,
      firstCompletePublishGoalMs: 10_000,
      sustained: {
        writerChangesPerSec: Math.round(writeRate),
        publishedPerSec: Math.round(publishRate),
        publishedVsWritten: Number((publishRate / writeRate).toFixed(3)),
        catchUpAfterWriterStopsMs: catchUpMs,
        writes,
        writeSeconds: Number((writeMs / 1000).toFixed(1)),
      },
      changeToVerdictMs: { p50: Math.round(percentile(latencies, 50)), p95: Math.round(percentile(latencies, 95)), max: Math.round(latencies.at(-1)!), probes: latencies.length, goalP95: 2000 },
      syncProcess: {
        peakRssAfterInitialSyncMiB: Math.round(rssAfterSyncBytes / 1048576),
        peakRssAtEndMiB: Math.round(peakRssBytes(syncPid) / 1048576),
        cpuForInitialSyncMs: Math.round(cpuAfterSyncMs),
        cpuTotalMs: Math.round(processCpuMs(syncPid)),
      },
      setup: { pods: PODS, namespaces: NAMESPACES, policies: POLICIES, keysOnTopicAtReady: publishedAtReady, loadIntoApiserverMs: loadMs, apiserver: 'kube-apiserver v1.37.2 + etcd v3.6.16 (test harness)' },
      node: process.version,
      loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
      note: 'baseline for the sustained figure = the rate the writer got the apiserver to accept label PATCHes in the same run; change → verdict uses the enricher\'s InventoryTopicFollower + Inventory in the bench process',
    };
    mkdirSync(path.join(here, 'results'), { recursive: true });
    writeFileSync(path.join(here, 'results', 'k8s-sync.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await follower?.stop().catch(() => undefined);
    if (sync && sync.exitCode === null) {
      const exited = new Promise((r) => sync!.once('exit', r));
      sync.kill('SIGTERM');
      const timer = setTimeout(() => sync!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    const admin = kafka.admin();
    await admin.connect().then(() => admin.deleteTopics({ topics: [topic] })).catch(() => undefined).finally(() => admin.disconnect());
    await cluster.stop();
  }
}
