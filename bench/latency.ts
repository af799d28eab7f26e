/**
 * Kernel → searchable latency (`npm run bench -- latency`), issue 16 item 6, on real conntrack.
 *
 * Two pod namespaces wired through a node namespace (test/harness/netns-topology.ts); the
 * catalog pod opens short TCP connections to postgres:5432 at a steady rate, each from its own
 * local port. The collector (`segflow collect --source conntrack --netns <node>`, default batch
 * delay and snapshot interval) and the enricher (`segflow enrich`, default 15 s window, default
 * index template with its 5 s refresh interval) run as separate processes against real Kafka and
 * Elasticsearch. The enricher aggregates at level 0 (5-tuple; the staged lockdown policy makes
 * these flows count as denied-pending, so both levels are set) so every connection
 * is found by its source port; that changes how many documents there are, not when they are
 * written.
 *
 * Per connection, four times (epoch ms, one clock):
 * - closed: the client saw its socket close;
 * - destroy: the node's conntrack reported the entry's DESTROY (an independent
 *   `conntrack -E -o timestamp` in the node namespace: the event's own timestamp) — the kernel
 *   event the collector turns into the record carrying the connection's end and final counters;
 * - searchable: first seen by a plain search (no refresh forced) as a document with the
 *   connection's source port and `event.type: end`, polled every 250 ms (+≤ 0.25 s);
 * - opened / first seen: the same for the connection's start (its NEW record).
 * Reported: destroy → searchable (the goal: p95 ≤ 20 s), close → searchable, close → destroy
 * (TIME_WAIT in the node: the namespace's nf_conntrack_tcp_timeout_time_wait is set to 1 s as
 * in the end-to-end tests; the kernel default is 120 s, by which a closed connection's end is
 * delayed on a real node whatever the pipeline does), open → searchable.
 *
 * Needs root (network namespaces) and conntrack. Sizes: SEGFLOW_BENCH_LATENCY_CONNECTIONS
 * (default 240) at SEGFLOW_BENCH_LATENCY_RATE per second (default 4). Writes
 * bench/results/latency.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createElasticsearchClient } from '../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../src/runtime/kafka-client.ts';
import { NetnsTopology } from '../test/harness/netns-topology.ts';
import { deleteFlowIndices, deleteTopics } from '../test/harness/pipeline-resources.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const CLIENT = { name: 'catalg', ip: '10.244.1.20' };
const SERVER = { name: 'pgsql', ip: '10.244.2.10', port: 5432 };
const FIRST_LOCAL_PORT = 40_000;
const POLL_MS = 250;
/** After the last close, how long connections may take to become searchable before they count as missing. */
const SETTLE_TIMEOUT_MS = 120_000;

interface Connection { port: number; openedAt: number; closedAt: number; received: number; destroyAt?: number; newAt?: number; firstSeenAt?: number; endSeenAt?: number }

export interface Distribution { n: number; p50: number; p95: number; max: number }

/** Nearest-rank percentiles, seconds with 2 decimals. */
export function distribution(valuesMs: readonly number[]): Distribution {
  const sorted = [...valuesMs].sort((a, b) => a - b);
  const rank = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  const s = (ms: number): number => Math.round(ms / 10) / 100;
  return { n: sorted.length, p50: s(rank(0.5)), p95: s(rank(0.95)), max: s(sorted.at(-1) ?? Number.NaN) };
}

function startRole(args: string[], name: string): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [join(root, 'bin/segflow.js'), ...args], { cwd: root, env: { ...process.env, SEGFLOW_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      if (/enricher consuming|collector started/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready:\n${output.slice(-3000)}`)));
  });
  return { child, ready, output: () => output };
}

/** Watches the node's conntrack events for the bench's connections: NEW and DESTROY times by client port. */
function watchConntrack(topology: NetnsTopology, onEvent: (kind: 'NEW' | 'DESTROY', port: number, atMs: number) => void): ChildProcess {
  const child = topology.spawnIn(topology.nodeNs, 'conntrack', ['-E', '-e', 'NEW,DESTROY', '-o', 'timestamp', '-p', 'tcp', '--orig-src', CLIENT.ip, '--orig-dst', SERVER.ip]);
  // e.g. "[1796170803.283412]	    [NEW] tcp      6 120 SYN_SENT src=10.244.1.20 dst=10.244.2.10 sport=40000 dport=5432 ..."
  const line = /^\[(\d+)\.(\d+)\]\s+\[(NEW|DESTROY)\].*? sport=(\d+) dport=(\d+)/;
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const m = line.exec(text);
    if (m && Number(m[5]) === SERVER.port) onEvent(m[3] as 'NEW' | 'DESTROY', Number(m[4]), Number(m[1]) * 1000 + Math.floor(Number(`0.${m[2]}`) * 1000));
  });
  return child;
}

export async function runLatencyBench(): Promise<unknown> {
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const esUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
  const count = Number(process.env.SEGFLOW_BENCH_LATENCY_CONNECTIONS ?? 240);
  const rate = Number(process.env.SEGFLOW_BENCH_LATENCY_RATE ?? 4);
  const run = `bench-latency-${Date.now().toString(36)}`;
  const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
  const prefix = `${run}-flows`;
  const spoolDir = join(root, '.local', 'bench-spool', run);
  const kafka = createKafka(brokers, 'bench-latency');
  const es = createElasticsearchClient(esUrl);
  const topology = await NetnsTopology.create('sflat');
  const roles: ChildProcess[] = [];
  try {
    await topology.addPod(CLIENT);
    await topology.addPod(SERVER);
    // TIME_WAIT and CLOSE of 1 s in the node, as in the end-to-end tests (kernel default: 120 s and 10 s).
    await topology.inNode(['sysctl', '-qw', 'net.netfilter.nf_conntrack_tcp_timeout_time_wait=1']);
    await topology.inNode(['sysctl', '-qw', 'net.netfilter.nf_conntrack_tcp_timeout_close=1']);
    const server = topology.spawnIn(topology.namespaceOf(SERVER.name), process.execPath, [join(root, 'test/e2e/fixtures/traffic-peer.mjs'), 'tcp-server', String(SERVER.port), '2000']);
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once('data', () => resolve());
      server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });

    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.raw, numPartitions: 2 }, { topic: topics.dlq, numPartitions: 1 }] });
    await admin.disconnect();
    const apply = spawn(process.execPath, [join(root, 'bin/segflow.js'), 'inventory', 'apply', '-f', 'examples/shop', '--brokers', brokers, '--topic', topics.inventory], { cwd: root, stdio: 'ignore' });
    if ((await new Promise((r) => apply.once('exit', r))) !== 0) throw new Error('segflow inventory apply failed');

    const enricher = startRole(['enrich', '--brokers', brokers, '--elasticsearch', esUrl, '--raw-topic', topics.raw, '--dead-letter-topic', topics.dlq, '--inventory-topic', topics.inventory, '--group', `${run}-enricher`, '--index-prefix', prefix, '--retention-days', '0', '--metrics-port', '0', '--allowed-level', '0', '--denied-level', '0'], 'enricher');
    roles.push(enricher.child);
    await enricher.ready;
    const collector = startRole(['collect', '--brokers', brokers, '--source', 'conntrack', '--netns', topology.nodeNs, '--node-name', 'node-1', '--topic', topics.raw, '--no-http', '--spool-dir', spoolDir], 'collector');
    roles.push(collector.child);
    await collector.ready;

    const byPort = new Map<number, Connection>();
    const kernel = new Map<number, { newAt?: number; destroyAt?: number }>();
    const watcher = watchConntrack(topology, (kind, port, at) => {
      const k = kernel.get(port) ?? {};
      if (kind === 'NEW') k.newAt ??= at;
      else k.destroyAt ??= at;
      kernel.set(port, k);
    });
    await new Promise((r) => setTimeout(r, 500)); // the watcher's netlink socket is open once conntrack runs; it prints nothing until then

    const client = topology.spawnIn(topology.namespaceOf(CLIENT.name), process.execPath, [join(here, 'fixtures/latency-client.mjs'), SERVER.ip, String(SERVER.port), String(count), String(rate), '300', String(FIRST_LOCAL_PORT)]);
    let clientDone = false;
    createInterface({ input: client.stdout! }).on('line', (text) => {
      const c = JSON.parse(text) as Connection & { done?: boolean };
      if (c.done) clientDone = true;
      else byPort.set(c.port, c);
    });

    // Poll until every closed connection's end is searchable, or the settle timeout after the last close.
    let lastCloseAt = Date.now();
    const firstSeen = new Map<number, number>();
    let polls = 0;
    for (;;) {
      // Connections not closed yet are searched for too (their start may be indexed already).
      const ports = Array.from({ length: count }, (_, i) => FIRST_LOCAL_PORT + i).filter((port) => byPort.get(port)?.endSeenAt === undefined);
      if (clientDone && ports.length === 0) break;
      for (const c of byPort.values()) lastCloseAt = Math.max(lastCloseAt, c.closedAt);
      if (clientDone && Date.now() - lastCloseAt > SETTLE_TIMEOUT_MS) break;
      // A daily index just created has no started shard for a moment: that search finds nothing yet.
      const hits = await es.search<{ source?: { port?: number }; event?: { type?: string[] } }>({
        index: `${prefix}-*`, size: 10_000, ignore_unavailable: true, allow_no_indices: true, _source: ['source.port', 'event.type'],
        query: { bool: { filter: [{ terms: { 'source.port': ports } }] } },
      }).then((res) => res.hits.hits, () => []);
      const now = Date.now();
      polls++;
      for (const hit of hits) {
        const port = hit._source?.source?.port ?? -1;
        if (!firstSeen.has(port)) firstSeen.set(port, now);
        const c = byPort.get(port);
        if (c && hit._source?.event?.type?.includes('end')) c.endSeenAt ??= now;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    watcher.kill('SIGTERM');
    if ([...byPort.values()].some((c) => c.endSeenAt === undefined)) {
      const docs = await es.search({ index: `${prefix}-*`, size: 3, ignore_unavailable: true, allow_no_indices: true }).then((r) => r.hits.hits.map((h) => JSON.stringify(h._source).slice(0, 1500)), (err: Error) => [err.message]);
      process.stderr.write(`latency: connections not searchable; documents in ${prefix}-*: ${docs.join('\n')}\ncollector:\n${collector.output().slice(-3000)}\nenricher:\n${enricher.output().slice(-3000)}\n`);
    }

    const connections = [...byPort.values()].map((c) => ({ ...c, ...kernel.get(c.port), firstSeenAt: firstSeen.get(c.port) }));
    const complete = connections.filter((c) => c.endSeenAt !== undefined && c.destroyAt !== undefined);
    const failedConnections = connections.filter((c) => c.received !== 2000).length;
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10 },
      what: 'real TCP connections between two network namespaces, forwarded by a third whose conntrack table the collector reads; real Kafka and Elasticsearch; times from one clock',
      settings: {
        connections: count, perSecond: rate, enricherWindowSeconds: 15, collectorBatchMaxDelayMs: 1000, collectorSnapshotIntervalSeconds: 10,
        elasticsearchRefreshInterval: '5s (template default)', aggregationLevel: 0, pollIntervalMs: POLL_MS, nodeTimeWaitSeconds: 1,
      },
      connectionsClosed: connections.length,
      connectionsWithoutFullReply: failedConnections,
      missing: { endNotSearchable: connections.filter((c) => c.endSeenAt === undefined).length, noDestroyEvent: connections.filter((c) => c.destroyAt === undefined).length },
      polls,
      destroyToSearchableSeconds: distribution(complete.map((c) => c.endSeenAt! - c.destroyAt!)),
      closeToSearchableSeconds: distribution(connections.filter((c) => c.endSeenAt !== undefined).map((c) => c.endSeenAt! - c.closedAt)),
      closeToDestroySeconds: distribution(connections.filter((c) => c.destroyAt !== undefined).map((c) => c.destroyAt! - c.closedAt)),
      newToFirstSearchableSeconds: distribution(connections.filter((c) => c.firstSeenAt !== undefined && c.newAt !== undefined).map((c) => c.firstSeenAt! - c.newAt!)),
      goal: 'destroy → searchable p95 ≤ 20 s',
    };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'latency.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    for (const role of roles) role.kill('SIGTERM');
    await Promise.all(roles.map((role) => (role.exitCode === null && role.signalCode === null ? new Promise((r) => role.once('exit', r)) : undefined)));
    await topology.destroy();
    await deleteTopics(kafka, Object.values(topics)).catch(() => undefined);
    await deleteFlowIndices(es, prefix).catch(() => undefined);
    await es.close();
    rmSync(spoolDir, { recursive: true, force: true });
  }
}
