/**
 * eBPF probe benchmark (`npm run bench -- ebpf`, needs root): the same traffic in network
 * namespaces once with no probe attached (baseline) and once with the eBPF source running, and
 * what the loader and the agent sustain meanwhile.
 *
 * Workloads, each for DURATION_MS, between two "pods" routed by a "node" namespace:
 * - `dropFlood`: small UDP datagrams that the node's iptables drops, as fast as one sender can -
 *   every packet is a kfree_skb event through the ring buffer, the loader and the agent (the
 *   per-packet path, the probe's worst case);
 * - `manyFlows`: allowed UDP datagrams from 2,000 source ports round-robin - the tc accounting
 *   path and per-interval draining of thousands of map entries;
 * - `tcpBulk`: one allowed TCP stream (bytes/s, the common case).
 *
 * Reported per workload: the sender's rate without and with the probe (overhead = baseline /
 * probe rate, 1.0 = none), drop events and flow records per second that reached the agent,
 * ring-buffer losses, and the CPU of the loader (from /proc/<pid>/stat) and of the agent
 * process (process.cpuUsage), in % of one core. `dropFloodLoaderOnly` repeats the drop flood with
 * the loader attached but its output discarded, which separates the kernel + loader cost from
 * the agent's (decoding and aggregating every drop in Node). The machine is small and shared: figures are
 * from one run, ratios are the meaningful part. Writes bench/results/ebpf.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { ensureEbpfLoader } from '../src/collector/sources/ebpf/ebpf-loader-build.ts';
import { EbpfFlowSource } from '../src/collector/sources/ebpf/ebpf-source.ts';
import type { FlowRecordData } from '../src/contract/wire/flow-batch-codec.ts';
// Test infrastructure, shared so the benchmark measures the same topology the tests check.
import { NetnsTopology } from '../test/harness/netns-topology.ts';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION_MS = Number(process.env.EBPF_BENCH_DURATION_MS ?? 4000);
// Fixed names: a run that crashed leaves them behind, and the next run removes them first.
const PREFIX = 'ebpfbench';
const ROUNDS = Number(process.env.EBPF_BENCH_ROUNDS ?? 3);
interface Pod { ns: string; hostIf: string; ip: string }
const A: Pod = { ns: '', hostIf: '', ip: '10.234.1.2' };
const B: Pod = { ns: '', hostIf: '', ip: '10.234.2.2' };
let topology: NetnsTopology | undefined;
const CLK_TCK = 100; // Linux USER_HZ on every architecture Node runs on

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function destroy(): Promise<void> {
  await topology?.destroy();
}

/** The same Calico-style node and pods the end-to-end tests use; UDP 9091 from A to B is dropped. */
async function create(): Promise<NetnsTopology> {
  const t = await NetnsTopology.create(PREFIX);
  topology = t;
  for (const [name, pod] of [['a', A], ['b', B]] as const) {
    await t.addPod({ name, ip: pod.ip });
    pod.ns = t.namespaceOf(name);
    pod.hostIf = t.hostInterfaceOf(name);
  }
  await t.denyForward(A.ip, B.ip, 'udp', 9091);
  return t;
}

/** Runs a Node.js script in a namespace; resolves with the last line it printed (a JSON result). */
function nodeIn(ns: string, script: string, onReady?: () => void): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) onReady?.();
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench script in ${ns} exited ${code}: ${err}`));
      const last = out.trim().split('\n').at(-1) ?? '{}';
      resolve(last.startsWith('{') ? (JSON.parse(last) as Record<string, number>) : {});
    });
  });
}

/** UDP sender: `ports` sockets round-robin, `size`-byte datagrams, for `ms`; prints {packets}. */
const udpSender = (dport: number, ports: number, size: number, ms: number) => `
const dgram = require('dgram');
const socks = []; let bound = 0;
for (let i = 0; i < ${ports}; i++) { const s = dgram.createSocket('udp4'); s.bind(30000 + i, '${A.ip}', () => { if (++bound === ${ports}) go(); }); socks.push(s); }
const buf = Buffer.alloc(${size});
async function go() {
  let packets = 0; const end = Date.now() + ${ms};
  while (Date.now() < end) {
    await new Promise((r) => { let left = 64; for (let i = 0; i < 64; i++) socks[(packets + i) % socks.length].send(buf, ${dport}, '${B.ip}', () => { if (--left === 0) r(); }); });
    packets += 64;
  }
  for (const s of socks) s.close();
  console.log(JSON.stringify({ packets }));
}`;

/** TCP bulk: the receiver counts bytes for `ms`; prints {bytes}. */
async function tcpBulk(ms: number): Promise<number> {
  let ready!: () => void;
  const listening = new Promise<void>((r) => (ready = r));
  const receiver = nodeIn(
    B.ns,
    `let bytes = 0; const s = require('net').createServer((c) => { s.close(); c.on('data', (d) => (bytes += d.length)); c.on('close', () => console.log(JSON.stringify({ bytes }))); }).listen(5201, '${B.ip}', () => console.log('ready'));`,
    () => ready(),
  );
  await Promise.race([listening, receiver]);
  await nodeIn(
    A.ns,
    `const c = require('net').connect({ host: '${B.ip}', port: 5201 }, () => { const buf = Buffer.alloc(65536); const end = Date.now() + ${ms}; const pump = () => { while (Date.now() < end) { if (!c.write(buf)) return c.once('drain', pump); } c.end(); }; pump(); });`,
  );
  return (await receiver).bytes ?? 0;
}

function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14, 15)
}

interface Phase {
  rate: number;
  seconds: number;
  loaderCpuPct?: number;
  agentCpuPct?: number;
  dropEventsPerSec?: number;
  flowRecordsPerSec?: number;
  accountedPacketsPerSec?: number;
  ringbufLost?: number;
}

/** Runs one workload, measuring the probe's processes when `source` is given. */
async function measure(workload: () => Promise<number>, source: EbpfFlowSource | null, seen: { drops: number; flows: number; packets: number }): Promise<Phase> {
  const pid = source?.status().loaderPid ?? null;
  const lostBefore = source?.status().ringbufFull ?? 0;
  seen.drops = seen.flows = seen.packets = 0;
  const loader0 = pid ? procCpuSeconds(pid) : 0;
  const agent0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const amount = await workload();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (source) await sleep(1500); // the interval that holds the last packets
  const phase: Phase = { rate: Math.round(amount / seconds), seconds: Number(seconds.toFixed(2)) };
  if (source && pid) {
    const agent = process.cpuUsage(agent0);
    const wall = seconds + 1.5;
    phase.loaderCpuPct = Number(((100 * (procCpuSeconds(pid) - loader0)) / wall).toFixed(1));
    phase.agentCpuPct = Number(((100 * (agent.user + agent.system)) / 1e6 / wall).toFixed(1));
    phase.dropEventsPerSec = Math.round(seen.drops / seconds);
    phase.flowRecordsPerSec = Math.round(seen.flows / seconds);
    phase.accountedPacketsPerSec = Math.round(seen.packets / seconds);
    phase.ringbufLost = (source.status().ringbufFull ?? 0) - lostBefore;
  }
  return phase;
}

/** Runs a workload with the loader attached but its output going to /dev/null. */
async function measureLoaderOnly(loaderPath: string, workload: () => Promise<number>): Promise<Phase> {
  const loader = spawn('ip', ['netns', 'exec', topology!.nodeNs, loaderPath, '--iface', A.hostIf, '--iface', B.hostIf, '--interval-ms', '1000'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await sleep(1500); // loaded and attached
  const cpu0 = procCpuSeconds(loader.pid!);
  const t0 = process.hrtime.bigint();
  const amount = await workload();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const loaderCpuPct = Number(((100 * (procCpuSeconds(loader.pid!) - cpu0)) / seconds).toFixed(1));
  const exited = new Promise((r) => loader.once('exit', r));
  loader.kill('SIGTERM');
  await exited;
  return { rate: Math.round(amount / seconds), seconds: Number(seconds.toFixed(2)), loaderCpuPct };
}

/** Field-wise median of the rounds' phases. */
function median(phases: Phase[]): Phase {
  const out: Record<string, number> = {};
  for (const key of Object.keys(phases[0]!)) {
    const values = phases.map((p) => (p as unknown as Record<string, number>)[key]!).sort((a, b) => a - b);
    out[key] = values[Math.floor(values.length / 2)]!;
  }
  return out as unknown as Phase;
}

export async function runEbpfBench(): Promise<object> {
  if (process.getuid?.() !== 0) throw new Error('the eBPF benchmark needs root (network namespaces, eBPF)');
  const loaderPath = await ensureEbpfLoader();
  const loadAverage = os.loadavg().map((l) => Number(l.toFixed(2)));
  await create();
  try {
    const workloads: Record<string, { unit: string; run: () => Promise<number> }> = {
      dropFlood: { unit: 'packets/s sent (all dropped)', run: async () => (await nodeIn(A.ns, udpSender(9091, 1, 16, DURATION_MS))).packets ?? 0 },
      manyFlows: { unit: 'packets/s sent (2,000 allowed UDP flows)', run: async () => (await nodeIn(A.ns, udpSender(5353, 2000, 16, DURATION_MS))).packets ?? 0 },
      tcpBulk: { unit: 'bytes/s received', run: () => tcpBulk(DURATION_MS) },
    };
    const seen = { drops: 0, flows: 0, packets: 0 };
    const count = (records: FlowRecordData[]): void => {
      for (const r of records) {
        if (r.dataplaneVerdict === 'deny') seen.drops += r.originalPackets;
        else {
          seen.flows++;
          seen.packets += r.originalPackets + r.replyPackets;
        }
      }
    };
    // Baseline and probe phases alternate, ROUNDS times; medians smooth out the neighbours' load.
    const baselineRuns: Record<string, Phase[]> = {};
    const loaderOnlyRuns: Phase[] = [];
    const probeRuns: Record<string, Phase[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, w] of Object.entries(workloads)) (baselineRuns[name] ??= []).push(await measure(w.run, null, seen));
      loaderOnlyRuns.push(await measureLoaderOnly(loaderPath, workloads.dropFlood!.run));
      const source = new EbpfFlowSource({
        nodeName: 'bench',
        interfaces: [A.hostIf, B.hostIf],
        reportIntervalMs: 1000,
        commandPrefix: ['ip', 'netns', 'exec', topology!.nodeNs],
        loaderPath,
        logger: pino({ level: 'warn' }, pino.destination(2)),
      });
      await source.start(count);
      try {
        if (!source.available) throw new Error(`eBPF unavailable: ${source.status().reason}`);
        for (const [name, w] of Object.entries(workloads)) (probeRuns[name] ??= []).push(await measure(w.run, source, seen));
      } finally {
        await source.stop();
      }
    }
    const baseline = Object.fromEntries(Object.entries(baselineRuns).map(([k, v]) => [k, median(v)]));
    const loaderOnly = median(loaderOnlyRuns);
    const probe = Object.fromEntries(Object.entries(probeRuns).map(([k, v]) => [k, median(v)]));

    const result = {
      kernel: os.release(),
      cpus: os.cpus().length,
      durationMsPerPhase: DURATION_MS,
      rounds: ROUNDS,
      loadAverageAtStart: loadAverage,
      reportIntervalMs: 1000,
      workloads: Object.fromEntries(
        Object.keys(workloads).map((name) => [
          name,
          {
            unit: workloads[name]!.unit,
            baseline: baseline[name],
            withProbe: probe[name],
            overheadRatio: Number((baseline[name]!.rate / Math.max(1, probe[name]!.rate)).toFixed(3)),
          },
        ]),
      ),
      dropFloodLoaderOnly: {
        what: 'dropFlood with the probe attached and the loader running, its output discarded (no agent): the kernel + loader share of the overhead',
        ...loaderOnly,
        overheadRatio: Number((baseline.dropFlood!.rate / Math.max(1, loaderOnly.rate)).toFixed(3)),
      },
      notes:
        'Medians over the rounds. overheadRatio = baseline rate / rate with the probe (1.0 = no overhead). CPU in % of one core over the phase plus the 1.5 s drain. ' +
        'accountedPacketsPerSec counts what tc accounting saw (in dropFlood: the dropped packets, which the merger subtracts because they are in deny records). ' +
        'Sender, kernel forwarding, loader and agent share the same 2 cores, so the probe CPU also competes with the traffic it measures.',
    };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'ebpf.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await destroy();
  }
}
