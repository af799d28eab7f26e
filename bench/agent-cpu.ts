/**
 * Agent CPU at 10,000 flows/s (`npm run bench -- agent-cpu`), issue 16 item 6. Goal ≤ 0.1 core.
 *
 * This 2-core machine cannot make 10,000 real connections a second (and forward them through a
 * node namespace) while measuring anything, so the rate comes from a replay of a real stream:
 *
 * 1. Recorded (real): short TCP connections between two pod namespaces through a node namespace
 *    (test/harness/netns-topology.ts), as fast as the client manages; the node's conntrack
 *    events are read at the same time by both of the agent's readers with exactly the command
 *    lines it runs: segflow-conntrack-reader (`events`, binary records; the default, `netlink`)
 *    and the conntrack tool (`conntrack -E -e NEW,DESTROY -o extended,id,timestamp`, `cli`).
 *    Each reader process's own CPU for these real events is reported (per 1000 events), and again
 *    for a burst of 20,000 real UDP flows and a table flush (a high event rate, where a reader
 *    reads many events per wake-up, as at 10,000 flows/s). The tool misses events under load
 *    (DESTROYs above all), so it needs fewer whole connections (500) than the reader (1000); a
 *    recording where either saw fewer is made again, up to 3 times (`recordingAttempts`).
 * 2. Replayed: the agent (`segflow collect --source conntrack`, defaults, sending to real Kafka)
 *    runs once per reader, given a stand-in that replays that reader's recording at 10,000
 *    connections/s (= 20,000 events/s: a NEW and a DESTROY each), looping with renumbered entry
 *    ids: `--conntrack-reader netlink --conntrack-reader-path` → bench/fixtures/conntrack-reader-replay.mjs,
 *    `--conntrack-reader cli --conntrack-path` → bench/fixtures/conntrack-replay.mjs. Its CPU time
 *    (its process and its children except the replayer) over a steady window, and the records its
 *    source produced meanwhile (its metrics), are measured.
 * 3. Baselines, same replays, same window: a process that runs the same reader command line and
 *    decodes every record (netlink) or parses every line (cli) with the agent's code and drops it
 *    (bench/agent-cpu-baseline.ts) — the least a conntrack agent in Node.js spends on that reader.
 *    All are reported as CPU ms per 1000 flows handled (a flow = a connection: a NEW and a DESTROY
 *    record) — counted as the replayer wrote them, which waits on the pipe where the agent cannot
 *    keep the offered pace. `agentVsBaseline` is agent ÷ the cli baseline (the figure this bench always
 *    reported), `netlinkVsCli` the agent's netlink figure ÷ its cli figure.
 *    `agentCoresAt10kFlowsPerSecond` projects the agent's figure (netlink, the default) to the
 *    goal's rate; `agentWithReaderCoresAt10kFlowsPerSecond` adds the reader process's own cost
 *    (its burst figure).
 * 4. A busy node's table: the recording keeps a connection in the table for well under a second
 *    (its TIME_WAIT was shortened to record it), but a node at 10,000 connections/s with the
 *    kernel's 120 s TIME_WAIT holds 1.2 million entries, which the agent tracks. The netlink
 *    agent runs twice more per round with that table held open by the stand-in: with its
 *    defaults (`busyTable`: every 10 s a refresh looks up the entries still open, the whole
 *    table is listed every 300 s) and listing the whole table every 10 s
 *    (`busyTableListingEverySnapshot`, `--conntrack-resync-interval 1`: what it did before
 *    refreshes). The stand-in answers listings and lookups without a kernel, so the reader's
 *    own cost on such a table is measured apart, on a real one (bench/conntrack-busy-table.ts:
 *    a namespace filled with 1.2 million TIME_WAIT entries; a listing of it, 100,000 lookups in
 *    it), and `busyTableTotal` adds up agent, event reader, lookups and listings for both.
 * Agents and baselines alternate for SEGFLOW_BENCH_AGENT_CPU_ROUNDS rounds (default 3: a true median on a noisy machine) of
 * SEGFLOW_BENCH_AGENT_CPU_SECONDS (default 15) after a 5 s warm-up; medians reported.
 * Needs root, conntrack, gcc/make (the reader). Writes bench/results/agent-cpu.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureConntrackReader } from '../src/collector/sources/conntrack/conntrack-reader-build.ts';
import { CONNTRACK_RECORD_SIZE, decodeConntrackRecord } from '../src/collector/sources/conntrack/conntrack-record-decoder.ts';
import { createKafka } from '../src/runtime/kafka-client.ts';
import { freePort } from '../test/harness/free-port.ts';
import { NetnsTopology } from '../test/harness/netns-topology.ts';
import { deleteTopics } from '../test/harness/pipeline-resources.ts';
import { processCpuMs } from './cpu-time.ts';
import { measureReaderOnBusyTable } from './conntrack-busy-table.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const work = join(root, '.local', 'bench-agent-cpu');
const RATE = 10_000;
const WARMUP_MS = 5000;
/** UDP flows of the burst that costs the readers at a high event rate. */
const BURST = 20_000;
/**
 * Entries a node's table holds at RATE short connections a second: each stays in TIME_WAIT for
 * the kernel's default 120 s (nf_conntrack_tcp_timeout_time_wait) after it closed. The agent
 * tracks every one and lists the table every 10 s (its default snapshot interval).
 */
const BUSY_TABLE = RATE * 120;
/** The busy table's window: three listings (one every 10 s), each a burst of work. */
const BUSY_SECONDS = 30;
/** After the busy table is open (its NEW records replayed at once): two snapshots before measuring. */
const BUSY_WARMUP_MS = 25_000;
/** The agent's default resync interval (a listing of the whole table), s. */
const RESYNC_SECONDS = 300;
/** The agent's snapshot interval, s. */
const SNAPSHOT_SECONDS = 10;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** `pid` and its descendants, except processes whose command line contains `exclude` (and theirs). */
function processTree(pid: number, exclude: string): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const visit = (p: number): void => {
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(exclude)) return;
    } catch {
      return;
    }
    out.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return out;
}

function treeCpuMs(pids: number[]): number {
  return pids.reduce((sum, p) => {
    try {
      return sum + processCpuMs(p);
    } catch {
      return sum;
    }
  }, 0);
}

/** Lines the replayer has written so far (its last progress line). */
function replayWritten(report: string): number {
  if (!existsSync(report)) return 0;
  const last = readFileSync(report, 'utf8').trim().split('\n').pop();
  return last ? (JSON.parse(last) as { written: number }).written : 0;
}

interface Recording {
  file: string;
  events: number;
  conntrackCpuMsPer1000Events: number;
  recordedPerSecond: number;
  readerFile: string;
  readerEvents: number;
  readerCpuMsPer1000Events: number;
  burst: { events: number; newEventsPerSecond: number; seenByReader: number; seenByTool: number; readerCpuMsPer1000Events: number; toolCpuMsPer1000Events: number };
}

/** The reader's records of whole connections to `port` (NEW and DESTROY both seen), and how many entries it wrote in all. */
function wholeReaderConnections(output: Buffer, port: number): { records: Buffer[]; entries: number } {
  const kept: Array<{ id: number | null; bytes: Buffer }> = [];
  let entries = 0;
  for (let o = 0; o + CONNTRACK_RECORD_SIZE <= output.length; o += CONNTRACK_RECORD_SIZE) {
    const message = decodeConntrackRecord(output, o);
    if (message.kind !== 'entry') continue;
    entries++;
    if (message.entry.original.dport === port) kept.push({ id: message.entry.id, bytes: output.subarray(o, o + CONNTRACK_RECORD_SIZE) });
  }
  const seen = new Map<number | null, number>();
  for (const k of kept) seen.set(k.id, (seen.get(k.id) ?? 0) + 1);
  return { records: kept.filter((k) => seen.get(k.id) === 2).map((k) => k.bytes), entries };
}

/** Whole connections (NEW and DESTROY seen) a recording needs from each reader. */
const MIN_READER_CONNECTIONS = 1000;
const MIN_TOOL_CONNECTIONS = 500;
/** Recordings tried before the bench gives up (each on a fresh topology). */
const RECORDING_ATTEMPTS = 3;

/** A recording in which a reader saw too few whole connections: worth another attempt. */
class RecordingTooShort extends Error {}

/** {@link recordOnce}, again (up to RECORDING_ATTEMPTS in all) while a reader saw too few whole connections; says which attempt made it. */
async function recordRealStream(connections: number, perSecond: number): Promise<Recording & { attempts: string[] }> {
  const failures: string[] = [];
  for (;;) {
    try {
      return { ...(await recordOnce(connections, perSecond)), attempts: [...failures, 'kept'] };
    } catch (err) {
      if (!(err instanceof RecordingTooShort) || failures.length + 1 >= RECORDING_ATTEMPTS) {
        throw new Error(`${(err as Error).message}${failures.length > 0 ? ` (earlier attempts: ${failures.join('; ')})` : ''}`, { cause: err });
      }
      failures.push(err.message);
      process.stderr.write(`agent-cpu: ${err.message}; recording again\n`);
    }
  }
}

async function recordOnce(connections: number, perSecond: number): Promise<Recording> {
  const readerPath = await ensureConntrackReader();
  const topology = await NetnsTopology.create('sfcpu');
  try {
    await topology.addPod({ name: 'catalg', ip: '10.244.1.20' });
    await topology.addPod({ name: 'pgsql', ip: '10.244.2.10' });
    await topology.inNode(['sysctl', '-qw', 'net.netfilter.nf_conntrack_tcp_timeout_time_wait=1']);
    await topology.inNode(['sysctl', '-qw', 'net.netfilter.nf_conntrack_tcp_timeout_close=1']);
    const server = topology.spawnIn(topology.namespaceOf('pgsql'), process.execPath, [join(root, 'test/e2e/fixtures/traffic-peer.mjs'), 'tcp-server', '5432', '200']);
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once('data', () => resolve());
      server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const lines: string[] = [];
    let destroys = 0;
    const watcher = topology.spawnIn(topology.nodeNs, 'conntrack', ['-E', '-e', 'NEW,DESTROY', '-o', 'extended,id,timestamp', '--buffer-size', '8388608']);
    let toolLines = 0;
    createInterface({ input: watcher.stdout! }).on('line', (line) => {
      toolLines++;
      if (!line.includes('dport=5432')) return;
      lines.push(line);
      if (line.includes('[DESTROY]')) destroys++;
    });
    // The agent's default reader, on the same real events.
    const reader = topology.spawnIn(topology.nodeNs, readerPath, ['events', '--buffer-size', '8388608']);
    const readerChunks: Buffer[] = [];
    let readerBytes = 0;
    reader.stdout!.on('data', (chunk: Buffer) => {
      readerChunks.push(chunk);
      readerBytes += chunk.length;
    });
    await sleep(500);
    const began = Date.now();
    const client = topology.spawnIn(topology.namespaceOf('catalg'), process.execPath, [join(here, 'fixtures/latency-client.mjs'), '10.244.2.10', '5432', String(connections), String(perSecond), '100', '20000']);
    // The client prints {done} once every connection closed; one stuck in SYN retries must not hold the bench.
    let closed = 0;
    createInterface({ input: client.stdout! }).on('line', () => closed++);
    const deadline = Date.now() + (connections / perSecond) * 1000 + 30_000;
    while (closed < connections + 1 && Date.now() < deadline) await sleep(250);
    const clientSeconds = (Date.now() - began) / 1000;
    client.kill('SIGKILL');
    // The node reaps expired entries (DESTROY) in its own time, in rounds seconds apart: wait
    // until every NEW has its DESTROY, or the count has not grown for 20 s.
    const news = (): number => lines.length - destroys;
    for (let last = -1, quietSince = Date.now(); destroys < news() && Date.now() - quietSince < 20_000; await sleep(500)) {
      if (destroys !== last) [last, quietSince] = [destroys, Date.now()];
    }
    const conntrackCpu = processCpuMs(watcher.pid!);
    const readerCpu = processCpuMs(reader.pid!);

    // A burst of real events faster than the TCP client can make them (the readers' cost per
    // event depends on the rate: at a few hundred a second each one is a wake-up of its own):
    // BURST UDP flows through the node as fast as one socket sends them (NEW events), then the
    // node's table flushed (as many DESTROY events, at once).
    const readerEvents = (): number => readerBytes / CONNTRACK_RECORD_SIZE;
    const [toolCpu0, readerCpu0, toolLines0, readerEvents0] = [processCpuMs(watcher.pid!), processCpuMs(reader.pid!), toolLines, readerEvents()];
    const burstScript = `const u = require('node:dgram').createSocket('udp4'); let left = ${BURST}; for (let i = 0; i < ${BURST}; i++) u.send(Buffer.alloc(8), 20000 + (i % 40000), '10.244.2.10', () => { if (--left === 0) { console.log('sent'); u.close(); } });`;
    const burstBegan = Date.now();
    const sender = topology.spawnIn(topology.namespaceOf('catalg'), process.execPath, ['-e', burstScript]);
    await new Promise((r) => sender.once('exit', r));
    for (const until = Date.now() + 20_000; readerEvents() - readerEvents0 < BURST && Date.now() < until; ) await sleep(200);
    const burstSendSeconds = (Date.now() - burstBegan) / 1000;
    await topology.inNode(['conntrack', '-F']).catch(() => undefined);
    for (const until = Date.now() + 20_000; readerEvents() - readerEvents0 < 2 * BURST && Date.now() < until; ) await sleep(200);
    await sleep(1000);
    const burst = {
      events: BURST * 2,
      newEventsPerSecond: Math.round(BURST / burstSendSeconds),
      seenByReader: Math.round(readerEvents() - readerEvents0),
      seenByTool: toolLines - toolLines0,
      readerCpuMsPer1000Events: Math.round(((processCpuMs(reader.pid!) - readerCpu0) / Math.max(1, readerEvents() - readerEvents0)) * 1000 * 100) / 100,
      toolCpuMsPer1000Events: Math.round(((processCpuMs(watcher.pid!) - toolCpu0) / Math.max(1, toolLines - toolLines0)) * 1000 * 100) / 100,
    };
    watcher.kill('SIGTERM');
    const readerClosed = new Promise((r) => reader.once('close', r));
    reader.kill('SIGTERM');
    await readerClosed;
    const binary = wholeReaderConnections(Buffer.concat(readerChunks), 5432);
    // Only connections whose NEW and DESTROY were both seen: a pass of the replay is whole connections.
    const idOf = (line: string): string | undefined => / id=(\d+)/.exec(line)?.[1];
    const seen = new Map<string, number>();
    for (const line of lines) seen.set(idOf(line) ?? '', (seen.get(idOf(line) ?? '') ?? 0) + 1);
    const whole = lines.filter((line) => seen.get(idOf(line) ?? '') === 2);
    // The tool misses events under load (its DESTROYs above all: it formats each as text while
    // the node reaps hundreds at once), so it is held to fewer whole connections than the
    // netlink reader: its replay loops over what it saw, as the agent's cli path would.
    if (whole.length < 2 * MIN_TOOL_CONNECTIONS) throw new RecordingTooShort(`recording: the conntrack tool saw only ${whole.length / 2} complete connections of ${connections} (${lines.length} events)`);
    mkdirSync(work, { recursive: true });
    const file = join(work, 'recording.txt');
    writeFileSync(file, `${whole.join('\n')}\n`);
    if (binary.records.length < 2 * MIN_READER_CONNECTIONS) throw new RecordingTooShort(`recording: the netlink reader saw only ${binary.records.length / 2} complete connections (${binary.entries} entries)`);
    const readerFile = join(work, 'recording.bin');
    writeFileSync(readerFile, Buffer.concat(binary.records));
    return {
      file, events: whole.length, conntrackCpuMsPer1000Events: Math.round((conntrackCpu / lines.length) * 1000 * 100) / 100, recordedPerSecond: Math.round(whole.length / 2 / clientSeconds),
      readerFile, readerEvents: binary.records.length, readerCpuMsPer1000Events: Math.round((readerCpu / binary.entries) * 1000 * 100) / 100, burst,
    };
  } finally {
    await topology.destroy();
  }
}

interface Round {
  cpuMs: number; seconds: number; cores: number; flowsPerSecond: number; cpuMsPer1000Flows: number;
  /** The agent's garbage collections in the window, per 10 s (its Node.js metrics), by kind. */
  gcPer10s?: { major: number; minor: number };
  /** The measured process's resident memory at the end of the window, MiB. */
  rssMiB?: number;
  /** Entries the agent looked up (refreshes) per flow in the window. */
  lookupsPerFlow?: number;
}

/** Resident memory of `pid`, MiB (0 once it is gone). */
function rssMiB(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

/**
 * Node.js's garbage collections so far by kind, from a `/metrics` text (prom-client's
 * `nodejs_gc_duration_seconds`, whose series for a kind appears with its first collection).
 */
function gcCounts(metrics: string): { major: number; minor: number } {
  if (!/^# TYPE \S*nodejs_gc_duration_seconds histogram$/m.test(metrics)) throw new Error("the agent's /metrics has no nodejs_gc_duration_seconds");
  const count = (kind: string): number => Number(new RegExp(`^\\S*nodejs_gc_duration_seconds_count\\{kind="${kind}"\\}\\s+(\\S+)$`, 'm').exec(metrics)?.[1] ?? 0);
  return { major: count('major'), minor: count('minor') };
}

/** What a measured process has done so far: flows handled, its garbage collections and conntrack lookups when it reports them. */
interface Progress { flows: number; gc?: { major: number; minor: number }; lookups?: number }

/**
 * CPU of `child`'s tree (the replayer excepted) over `seconds` after the warm-up, and the flows
 * (connections: a NEW and a DESTROY each) it handled meanwhile, counted by `progress()`.
 */
async function measure(child: ChildProcess, seconds: number, progress: () => Promise<Progress>, warmupMs = WARMUP_MS): Promise<Round> {
  await sleep(warmupMs);
  const [cpu0, p0, t0] = [treeCpuMs(processTree(child.pid!, '-replay.mjs')), await progress(), Date.now()];
  await sleep(seconds * 1000);
  const [cpu1, p1, t1] = [treeCpuMs(processTree(child.pid!, '-replay.mjs')), await progress(), Date.now()];
  const wall = (t1 - t0) / 1000;
  const cpuMs = cpu1 - cpu0;
  const flows = p1.flows - p0.flows;
  const per10s = (a: number, b: number): number => Math.round(((b - a) / wall) * 10 * 10) / 10;
  return {
    cpuMs: Math.round(cpuMs), seconds: Math.round(wall * 10) / 10, cores: Math.round((cpuMs / 1000 / wall) * 1000) / 1000,
    flowsPerSecond: Math.round(flows / wall), cpuMsPer1000Flows: Math.round((cpuMs / Math.max(1, flows)) * 1000 * 100) / 100,
    ...(p0.gc && p1.gc ? { gcPer10s: { major: per10s(p0.gc.major, p1.gc.major), minor: per10s(p0.gc.minor, p1.gc.minor) } } : {}),
    rssMiB: rssMiB(child.pid!),
    ...(p0.lookups !== undefined && p1.lookups !== undefined ? { lookupsPerFlow: Math.round(((p1.lookups - p0.lookups) / Math.max(1, flows)) * 1000) / 1000 } : {}),
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

type ReaderKind = 'netlink' | 'cli';
/** Steps of the agent's path after the netlink reader, each measured on its own (agent-cpu-baseline.ts). */
const STAGES = ['track', 'encode'] as const;
type Stage = (typeof STAGES)[number];

export async function runAgentCpuBench(): Promise<unknown> {
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const rounds = Number(process.env.SEGFLOW_BENCH_AGENT_CPU_ROUNDS ?? 3);
  const seconds = Number(process.env.SEGFLOW_BENCH_AGENT_CPU_SECONDS ?? 15);
  rmSync(work, { recursive: true, force: true });
  const recording = await recordRealStream(3000, 300);
  // Stand-ins for the two readers, each replaying its own recording.
  const wrappers: Record<ReaderKind, string> = { cli: join(work, 'conntrack'), netlink: join(work, 'segflow-conntrack-reader') };
  writeFileSync(wrappers.cli, `#!/bin/sh\nexec "${process.execPath}" "${join(here, 'fixtures/conntrack-replay.mjs')}" "$@"\n`);
  writeFileSync(wrappers.netlink, `#!/bin/sh\nexec "${process.execPath}" "${join(here, 'fixtures/conntrack-reader-replay.mjs')}" "$@"\n`);
  for (const w of Object.values(wrappers)) chmodSync(w, 0o755);
  const replayFile: Record<ReaderKind, string> = { cli: recording.file, netlink: recording.readerFile };

  const run = `bench-agent-cpu-${Date.now().toString(36)}`;
  const topic = `${run}-raw`;
  const kafka = createKafka(brokers, 'bench-agent-cpu');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
  await admin.disconnect();

  const agent: Record<ReaderKind, Round[]> = { netlink: [], cli: [] };
  const baseline: Record<ReaderKind, Round[]> = { netlink: [], cli: [] };
  const stages: Record<Stage, Round[]> = { track: [], encode: [] };
  const busy: Round[] = [];
  const busyListing: Round[] = [];
  const replayEnv = (reader: ReaderKind, report: string): NodeJS.ProcessEnv => ({
    ...process.env, SEGFLOW_LOG_LEVEL: 'warn', SEGFLOW_REPLAY_FILE: replayFile[reader], SEGFLOW_REPLAY_CONNECTIONS_PER_S: String(RATE), SEGFLOW_REPLAY_REPORT: report,
  });

  /**
   * The agent at RATE with the recording's short-lived table (`live` 0) or with `live` entries
   * held open (fixtures/conntrack-reader-replay.mjs), which its listings then show.
   */
  const measureAgent = async (reader: ReaderKind, round: number, live = 0, extraArgs: string[] = []): Promise<Round> => {
    const port = await freePort();
    const report = join(work, `replay-${reader}-${round}${live > 0 ? `-busy${extraArgs.length}` : ''}.jsonl`);
    const busyEnv = live > 0 ? { SEGFLOW_REPLAY_LIVE_CONNECTIONS: String(live), SEGFLOW_REPLAY_STATE: join(work, `replay-state-${round}`) } : {};
    const readerArgs = reader === 'netlink' ? ['--conntrack-reader', 'netlink', '--conntrack-reader-path', wrappers.netlink] : ['--conntrack-reader', 'cli', '--conntrack-path', wrappers.cli];
    const collector = spawn(
      process.execPath,
      [join(root, 'bin/segflow.js'), 'collect', '--brokers', brokers, '--source', 'conntrack', ...readerArgs, '--node-name', 'node-1', '--topic', topic, '--http-host', '127.0.0.1', '--http-port', String(port), '--spool-dir', join(work, `spool-${reader}-${round}-${live}-${extraArgs.length}`), ...extraArgs],
      { cwd: root, env: { ...replayEnv(reader, report), ...busyEnv }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    collector.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    // Flows as the replayer wrote them (a NEW and a DESTROY each; it waits on the pipe when
    // the agent lags), not the records the agent made: a short connection is one record now,
    // a longer one several. From one read of its metrics: its garbage collections and lookups.
    const agentProgress = async (): Promise<Progress> => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const sum = (name: string): number => [...text.matchAll(new RegExp(`^\\S*${name}(?:\\{[^}]*\\})?\\s+(\\S+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
      return { flows: replayWritten(report) / 2, gc: gcCounts(text), lookups: sum('conntrack_lookups_total') };
    };
    try {
      for (let waited = 0; ; waited += 250) {
        if (await agentProgress().then(() => true, () => false)) break;
        if (collector.exitCode !== null || waited > 60_000) throw new Error(`collector (${reader}) did not start: ${stderr}`);
        await sleep(250);
      }
      if (live === 0) return await measure(collector, seconds, agentProgress);
      // The replayer opens the table first and reports once it paces; listings add `update`
      // records, so flows are counted where they are offered (it waits when the agent lags).
      for (let waited = 0; !existsSync(report); waited += 500) {
        if (collector.exitCode !== null || waited > 300_000) throw new Error(`collector (${reader}, ${live} live entries) did not take the table: ${stderr}`);
        await sleep(500);
      }
      return await measure(collector, BUSY_SECONDS, agentProgress, BUSY_WARMUP_MS);
    } finally {
      await stop(collector);
    }
  };

  const measureBaseline = async (reader: ReaderKind, round: number, stage: 'decode' | Stage = 'decode'): Promise<Round> => {
    const mode = stage === 'decode' ? reader : `netlink-${stage}`;
    const report = join(work, `replay-baseline-${mode}-${round}.jsonl`);
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'agent-cpu-baseline.ts'), mode, wrappers[reader]], { cwd: root, env: replayEnv(reader, report), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    try {
      // The reader keeps pace (its pipe never stays full): what the replayer wrote, it decoded.
      return await measure(child, seconds, async () => ({ flows: replayWritten(report) / 2 }));
    } finally {
      await stop(child);
    }
  };

  try {
    for (let round = 0; round < rounds; round++) {
      for (const reader of ['netlink', 'cli'] as const) agent[reader].push(await measureAgent(reader, round));
      for (const reader of ['netlink', 'cli'] as const) baseline[reader].push(await measureBaseline(reader, round));
      for (const stage of STAGES) stages[stage].push(await measureBaseline('netlink', round, stage));
      busy.push(await measureAgent('netlink', round, BUSY_TABLE));
      busyListing.push(await measureAgent('netlink', round, BUSY_TABLE, ['--conntrack-resync-interval', '1']));
    }
  } finally {
    await deleteTopics(kafka, [topic]).catch(() => undefined);
  }

  // The reader on a real table of the same size: a listing of it, and a refresh's lookups.
  const readerOnBusyTable = await measureReaderOnBusyTable(join(work, 'busy-table'), BUSY_TABLE, 100_000);

  const per1000 = (rs: Round[]): number => median(rs.map((r) => r.cpuMsPer1000Flows));
  const cores = (msPer1000: number): number => Math.round(((msPer1000 * RATE) / 1000 / 1000) * 1000) / 1000;
  const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
  const agentNetlink = per1000(agent.netlink);
  const agentCli = per1000(agent.cli);
  const baselineNetlink = per1000(baseline.netlink);
  const baselineCli = per1000(baseline.cli);
  // A flow is two events (NEW, DESTROY) for the reader process; its cost per event at a high
  // rate (the burst) is the one that holds at 10,000 flows/s.
  const readerPer1000Flows = recording.burst.readerCpuMsPer1000Events * 2;
  const toolPer1000Flows = recording.burst.toolCpuMsPer1000Events * 2;
  function busyTableTotal() {
    const flowsPer = (seconds: number): number => (RATE * seconds) / 1000; // thousands of flows
    const agentListingMs = Math.max(0, (per1000(busyListing) - per1000(busy)) * flowsPer(SNAPSHOT_SECONDS));
    const lookupsMs = median(busy.map((r) => r.lookupsPerFlow ?? 0)) * readerOnBusyTable.lookupCpuMsPer1000;
    const refreshParts = {
      agent: per1000(busy),
      eventReader: readerPer1000Flows,
      lookups: Math.round(lookupsMs * 100) / 100,
      listingEvery300s: Math.round(((readerOnBusyTable.listingCpuMs + agentListingMs) / flowsPer(RESYNC_SECONDS)) * 100) / 100,
    };
    const listingParts = {
      agent: per1000(busyListing),
      eventReader: readerPer1000Flows,
      readerListingEvery10s: Math.round((readerOnBusyTable.listingCpuMs / flowsPer(SNAPSHOT_SECONDS)) * 100) / 100,
    };
    const sum = (parts: Record<string, number>): number => Object.values(parts).reduce((a, b) => a + b, 0);
    return {
      refreshes: { cpuMsPer1000Flows: refreshParts, cores: cores(sum(refreshParts)) },
      listingEverySnapshot: { cpuMsPer1000Flows: listingParts, cores: cores(sum(listingParts)) },
      refreshesVsListing: ratio(sum(refreshParts), sum(listingParts)),
    };
  }
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10 },
    real: `real TCP connections through a node namespace, their events read by both of the agent's readers at once, each with the agent's own command line: the netlink reader saw ${recording.readerEvents / 2} of them whole (NEW and DESTROY), the conntrack tool ${recording.events / 2} (it lost the others' events; ${recording.recordedPerSecond} connections/s by its count)`,
    replayed: `each recording offered at ${RATE} connections/s (${RATE * 2} events/s) through a stand-in for its reader, entry ids renumbered per pass; the agent sends to real Kafka. Where the agent cannot keep pace the replayer waits on the pipe, so CPU is reported per 1000 flows handled and projected to ${RATE}/s`,
    baselineIs: "the same reader command line read and decoded (netlink: the agent's record decoder; cli: line by line with the agent's text parser), then dropped (no tracking, batching, encoding, spooling, sending)",
    readerCpuMsPer1000RealEvents: { netlink: recording.readerCpuMsPer1000Events, cli: recording.conntrackCpuMsPer1000Events },
    readerBurstIs: `${BURST} real UDP flows through the node as fast as one socket sends them (NEW events), then the node's table flushed (${BURST} DESTROY events at once), read by both readers at the same time: their cost per event at a high rate, where the TCP recording (a few hundred events/s) pays a wake-up per event`,
    readerBurst: recording.burst,
    recordingAttempts: recording.attempts,
    conntrackToolCpuMsPer1000RealEvents: recording.conntrackCpuMsPer1000Events,
    agent,
    baseline,
    stagesAre: "where the agent's CPU goes, per 1000 flows (medians): the netlink baseline (read and decode), then a process that also runs the agent's tracker, then one that also encodes every record into batches (the agent's batcher, its default limits; batches dropped), then the agent (which also hands batches to Kafka, keeps its crash ledger, metrics and health server, lists the table). Each step's cost is the difference to the one before",
    stages: {
      decode: baselineNetlink,
      track: per1000(stages.track),
      encode: per1000(stages.encode),
      agent: agentNetlink,
      steps: {
        track: Math.round((per1000(stages.track) - baselineNetlink) * 100) / 100,
        encode: Math.round((per1000(stages.encode) - per1000(stages.track)) * 100) / 100,
        deliverAndRest: Math.round((agentNetlink - per1000(stages.encode)) * 100) / 100,
      },
      rounds: stages,
    },
    agentKeptPace: { netlink: agent.netlink.every((r) => r.flowsPerSecond >= RATE * 0.95), cli: agent.cli.every((r) => r.flowsPerSecond >= RATE * 0.95) },
    agentCpuMsPer1000Flows: agentNetlink,
    agentCliCpuMsPer1000Flows: agentCli,
    baselineCpuMsPer1000Flows: baselineCli,
    baselineNetlinkCpuMsPer1000Flows: baselineNetlink,
    agentVsBaseline: ratio(agentNetlink, baselineCli),
    agentVsNetlinkBaseline: ratio(agentNetlink, baselineNetlink),
    agentCliVsBaseline: ratio(agentCli, baselineCli),
    netlinkVsCli: ratio(agentNetlink, agentCli),
    agentCoresAt10kFlowsPerSecond: cores(agentNetlink),
    agentCliCoresAt10kFlowsPerSecond: cores(agentCli),
    agentWithReaderCoresAt10kFlowsPerSecond: { netlink: cores(agentNetlink + readerPer1000Flows), cli: cores(agentCli + toolPer1000Flows) },
    busyTableIs: `the agent (netlink) at ${RATE} connections/s with ${BUSY_TABLE} entries in the table, as a node's would be with the kernel's 120 s TIME_WAIT: each DESTROY closes the connection opened ${BUSY_TABLE} before it, and the agent's listings (every 10 s, its default) show them all, closed, with their final counters (each gets an update record once). ${BUSY_SECONDS} s windows; flows counted as the replayer offered them; resident memory at the end`,
    busyTable: {
      liveEntries: BUSY_TABLE,
      cpuMsPer1000Flows: per1000(busy),
      coresAt10kFlowsPerSecond: cores(per1000(busy)),
      vsShortLivedTable: ratio(per1000(busy), agentNetlink),
      lookupsPerFlow: median(busy.map((r) => r.lookupsPerFlow ?? 0)),
      rssMiB: median(busy.map((r) => r.rssMiB ?? 0)),
      rounds: busy,
    },
    busyTableListingEverySnapshotIs: `the same busy table, the agent listing the whole table every ${SNAPSHOT_SECONDS} s (--conntrack-resync-interval 1), as it did before refreshes`,
    busyTableListingEverySnapshot: {
      cpuMsPer1000Flows: per1000(busyListing),
      coresAt10kFlowsPerSecond: cores(per1000(busyListing)),
      rssMiB: median(busyListing.map((r) => r.rssMiB ?? 0)),
      rounds: busyListing,
    },
    readerOnBusyTableIs: `segflow-conntrack-reader on a real table of ${BUSY_TABLE} TIME_WAIT entries (bench/conntrack-busy-table.ts): its CPU (user + system: the kernel fills the dump or answers the lookups in the reader's time) for one listing of the whole table, and per 1000 lookups; medians of 3 runs`,
    readerOnBusyTable,
    busyTableTotalIs: `cores at ${RATE} connections/s on the busy table, everything the agent's pod spends: the agent, its event reader (burst figure), and for refreshes (the default) the lookups (lookupsPerFlow × the real reader's cost) plus one listing of the whole table every ${RESYNC_SECONDS} s (the real reader's listing, and the agent's share estimated as what listing every snapshot costs it over refreshing); for listing every snapshot, the real reader's listing every ${SNAPSHOT_SECONDS} s`,
    busyTableTotal: busyTableTotal(),

    goal: 'agent ≤ 0.1 core at 10,000 flows/s (= 10 ms CPU per 1000 flows)',
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'agent-cpu.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
