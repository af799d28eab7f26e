/**
 * Fault suite (`npm run bench -- faults`), issue 16 item 3: steady traffic with exact ground
 * truth through the real roles, one fault at a time, and what each fault cost.
 *
 * Setup: a PRIVATE Kafka and Elasticsearch from the local runner (src/services), on free ports
 * and their own data folder (`.local/faults-services`, wiped first) — never the shared dev
 * services, since the suite kills them. Roles run as child processes: `segflow enrich` (level-0
 * aggregation, so every record is its own document) and three agents (bench/fault-agent.ts: the
 * real Collector with its spool and crash ledger, fed a numbered source whose produced count is
 * on disk at every tick). Every fault gets fresh topics, group and index prefix.
 *
 * Faults, injected one at a time after a warm-up:
 *   es-stop        Elasticsearch SIGSTOPped for the outage, then SIGCONTed (a hung cluster)
 *   es-kill        Elasticsearch SIGKILLed, started again at once
 *   kafka-stop     Kafka stopped (SIGTERM) for the outage, then started again
 *   kafka-kill     Kafka SIGKILLed, started again at once
 *   enricher-kill  two enrichers share the partitions; one is SIGKILLed (rebalance)
 *   collector-kill one agent SIGKILLed and started again at once on the same spool
 *   spool-full     Kafka stopped for the outage while the agents have a tiny spool (it overflows)
 *
 * Figures per fault: `sent` (records the sources produced: the truth files), `indexed`
 * (distinct records in Elasticsearch: documents), `lost` = sent − indexed, `lostCounted`
 * (records the agents counted as lost: segflow_collector_records_dropped_total, all reasons,
 * crash included, read from the agents running at the end — a restarted agent counts what its
 * killed predecessor lost), `duplicated` (packets counted beyond one per record), `recoverySeconds` (from
 * the service answering again — or from the kill, for the enricher; from the restart, for the
 * agent — to the first newly indexed document, or for the enricher kill until every partition
 * commits again), `manualActionNeeded` (a role exited, or the stream did not drain by itself),
 * and the enricher's warn/error log lines during the fault. Results: bench/results/faults.json.
 *
 * Environment: SEGFLOW_FAULTS (comma list, default all), SEGFLOW_FAULTS_OUTAGE_SECONDS
 * (default 60), SEGFLOW_FAULTS_RATE (records/s per agent, default 50), SEGFLOW_FAULTS_LOG_LEVEL
 * (the roles' log level, default info; their logs are kept next to the truth files).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@elastic/elasticsearch';
import { AssignerProtocol, type Kafka } from 'kafkajs';
import { publishInventory } from '../src/inventory/topic/inventory-publisher.ts';
import { decodeFlowBatch } from '../src/contract/wire/flow-batch-codec.ts';
import { readResourceDocuments } from '../src/inventory/topic/resource-documents.ts';
import type { LocalElasticsearch } from '../src/services/elasticsearch-runner.ts';
import type { LocalKafka } from '../src/services/kafka-runner.ts';
import type { LocalService } from '../src/services/local-service.ts';
import { LocalServices } from '../src/services/local-services.ts';
import { isPortListening } from '../src/services/process-control.ts';
import { loadServicesConfig } from '../src/services/services-config.ts';
import { createElasticsearchClient } from '../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../src/runtime/kafka-client.ts';
import { processCpuMs } from './cpu-time.ts';
import { producedSoFar, type FaultAgentOptions } from './fault-agent.ts';
import { balancedNodeNames } from './pipeline.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

export const FAULTS = ['es-stop', 'es-kill', 'kafka-stop', 'kafka-kill', 'enricher-kill', 'collector-kill', 'spool-full'] as const;
/** Faults of a member of a cluster (bench/faults-multinode.ts): they need 3 brokers and 3 nodes. */
export const CLUSTER_FAULTS = ['broker-kill', 'coordinator-kill', 'es-node-kill'] as const;
export type FaultName = (typeof FAULTS)[number] | (typeof CLUSTER_FAULTS)[number];

/** How many Kafka brokers and Elasticsearch nodes the suite runs. */
export interface ClusterLayout {
  readonly kafkaBrokers: number;
  readonly elasticsearchNodes: number;
}

const SINGLE_NODE: ClusterLayout = { kafkaBrokers: 1, elasticsearchNodes: 1 };

const DESCRIPTIONS: Record<FaultName, string> = {
  'es-stop': 'Elasticsearch SIGSTOP for the outage, then SIGCONT',
  'es-kill': 'Elasticsearch SIGKILL, restarted at once',
  'kafka-stop': 'Kafka stopped (SIGTERM) for the outage, then started',
  'kafka-kill': 'Kafka SIGKILL, restarted at once',
  'enricher-kill': 'two enrichers, one SIGKILLed mid-stream (rebalance)',
  'collector-kill': 'one agent SIGKILLed and restarted on the same spool',
  'spool-full': 'Kafka stopped for the outage; agents with a 120 kB spool (it overflows)',
  'broker-kill': 'one of 3 Kafka brokers SIGKILLed mid-stream (of those not coordinating the enricher group, the one leading most raw partitions); started again after the steady period',
  'coordinator-kill': 'one of 3 Kafka brokers SIGKILLed mid-stream: the enricher group\'s coordinator; started again after the steady period',
  'es-node-kill': 'one of 3 Elasticsearch nodes SIGKILLed mid-stream (one holding a flow shard, not the enricher\'s entry node); started again after the steady period',
};

/** Which raw partitions each member of the enricher group holds. */
export interface GroupMemberAssignment {
  readonly memberId: string;
  readonly clientId: string;
  readonly partitions: number[];
}

export interface FaultRow {
  readonly fault: FaultName;
  readonly description: string;
  readonly outageSeconds: number;
  readonly sent: number;
  readonly indexed: number;
  readonly lost: number;
  readonly lostCounted: number;
  readonly duplicated: number;
  readonly recoverySeconds: number | null;
  readonly recoveryFrom: string;
  readonly manualActionNeeded: boolean;
  readonly manualActionReasons: string[];
  /** Agent batches the enricher saw missing (segflow_enricher_missing_batches_total). */
  readonly enricherMissingBatches: number;
  /** Agent batches the enricher counted as seen twice (batch_sequence_total{kind="duplicate"}). */
  readonly enricherDuplicateBatches: number;
  /**
   * Agent batches the raw topic really holds twice (read back and decoded): an agent's send
   * that reached Kafka but whose acknowledgement was lost is spooled and sent again.
   */
  readonly kafkaDuplicateBatches: number;
  /** The enricher's consumer lag gauge (sum) just before the service came back; null when not an outage. */
  readonly lagDuringOutage: number | null;
  /** Share of one core the enricher used during the outage (null when not an outage). */
  readonly enricherCpuDuringOutage: number | null;
  /** warn/error lines the enricher(s) logged from the fault to the end of the run. */
  readonly enricherLogLines: { warn: number; error: number; messages: string[] };
  /** warn/error lines of the agents, and the crash report of a restarted agent. */
  readonly agentLogLines: { warn: number; error: number; messages: string[] };
  /** Seconds from SIGTERM to exit of the (surviving) enricher at the end. */
  readonly enricherStopSeconds: number | null;
  /** Cluster faults: the member killed. */
  readonly killed?: string;
  /** Cluster faults: seconds from starting the killed member again until the cluster is whole (ISR full / health green). */
  readonly rejoinSeconds?: number | null;
  /**
   * Cluster faults whose stream did not move on the remaining members: seconds from starting the
   * killed member again until every raw partition committed past its end at the kill.
   */
  readonly recoveryAfterRestartSeconds?: number | null;
  /** The enricher group's assignment just before the fault (cluster runs: three members share the partitions). */
  readonly assignment?: GroupMemberAssignment[];
}

export interface FaultsOptions {
  readonly faults?: readonly FaultName[];
  readonly outageSeconds?: number;
  /** Records per second per agent. */
  readonly ratePerAgent?: number;
  /** Steady traffic before the fault and after recovery, seconds. */
  readonly steadySeconds?: number;
  /**
   * Cluster faults: how long the killed member stays down waiting for the stream to move on the
   * remaining members before the fault counts as stalled (default 90 s). Recovery *times* are the
   * bench's figures; a test may wait longer on a loaded machine without proving less, since the
   * member is only started again once the stream moved or this limit passed.
   */
  readonly clusterRecoveryLimitMs?: number;
  readonly servicesDir?: string;
  readonly log?: (line: string) => void;
  /** Brokers and nodes to run (one of each by default). */
  readonly layout?: ClusterLayout;
  /** Enrichers sharing the group (default 1; the enricher-kill fault runs 2). */
  readonly enrichers?: number;
  /**
   * Seconds of the CPU windows taken during the first fault's run (0: none): idle (services and
   * enrichers up, no traffic) and steady traffic, both before the fault is injected.
   */
  readonly cpuWindowSeconds?: number;
  /** Receives the CPU measurement when `cpuWindowSeconds` > 0. */
  readonly onCpu?: (cpu: RoleCpu) => void;
}

/** CPU per role over the steady window, and over the idle window before it. */
export interface RoleCpu {
  readonly idleSeconds: number;
  readonly steadySeconds: number;
  /** Records the agents produced during the steady window. */
  readonly records: number;
  readonly recordsPerSecond: number;
  /** Bytes the raw topic grew by per record, on one broker (one replica; gzip batches as the agents send them). */
  readonly kafkaBytesPerRecordPerReplica: number;
  /** Primary store bytes per flow document at the end of the window (one copy; before merges settle). */
  readonly elasticsearchBytesPerDocument: number;
  readonly roles: Record<'collector' | 'enricher' | 'kafkaBroker' | 'elasticsearchNode', {
    readonly instances: number;
    /** CPU (all instances) during the steady window, ms. */
    readonly cpuMs: number;
    /** Share of one core the role used (all instances) while idle; null for agents (not running then). */
    readonly idleCores: number | null;
    /** Share of one core the role used (all instances) under the steady traffic. */
    readonly steadyCores: number;
    /** CPU ms per 1,000 records, everything the role did during the window. */
    readonly cpuMsPer1000Records: number;
    /** The same less the idle rate: what the records themselves cost. */
    readonly netCpuMsPer1000Records: number;
  }>;
}

interface LogLine {
  readonly at: number;
  readonly level: number;
  readonly msg: string;
  readonly component: string;
}

/** A role or agent child process with its JSON log lines. */
class RoleProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  private buffer = '';

  constructor(readonly name: string, command: string[], readonly logFile: string) {
    // SEGFLOW_FAULTS_LOG_LEVEL=debug (with KAFKAJS_LOG_LEVEL=info for kafkajs' own lines) profiles a fault from the roles' logs.
    this.child = spawn(process.execPath, command, { cwd: root, env: { ...process.env, SEGFLOW_LOG_LEVEL: process.env.SEGFLOW_FAULTS_LOG_LEVEL ?? 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (chunk: Buffer): void => {
      writeFileSync(logFile, chunk, { flag: 'a' });
      this.buffer += chunk.toString();
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const text = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        try {
          const j = JSON.parse(text) as { time?: number; level?: number; msg?: string; component?: string };
          this.lines.push({ at: j.time ?? Date.now(), level: j.level ?? 30, msg: j.msg ?? '', component: j.component ?? '' });
        } catch {
          this.lines.push({ at: Date.now(), level: 30, msg: text, component: 'stdout' });
        }
      }
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
    children.add(this);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when a log line matches `pattern`; rejects if the process exits first or after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.some((l) => pattern.test(l.msg))) {
      if (!this.running) throw new Error(`${this.name} exited before logging ${pattern}; log: ${this.logFile}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not log ${pattern} within ${timeoutMs} ms; log: ${this.logFile}`);
      await sleep(100);
    }
  }

  /** SIGTERM; resolves with the seconds until it exited (SIGKILL after `graceMs`). */
  async stop(graceMs = 30_000): Promise<number> {
    if (!this.running) return 0;
    const t0 = Date.now();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const { at } = await this.exited;
    clearTimeout(timer);
    return (at - t0) / 1000;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  warnLines(since: number): LogLine[] {
    return this.lines.filter((l) => l.at >= since && l.level >= 40);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Every child started, so a fault that fails half-way leaves none behind. */
const children = new Set<RoleProcess>();

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function scrape(port: number): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(3000) });
    return await res.text();
  } catch {
    return '';
  }
}

/** Sum of a metric's samples whose labels match `labels` (all samples when none). */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const labelText = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

/** Distinct free ports (a port just probed free could be handed out again). */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** The private Kafka and Elasticsearch of the suite, with the handles faults need. */
class PrivateServices {
  private constructor(readonly services: LocalServices, readonly brokers: string, readonly esUrl: string) {}

  /** One broker and one node, or clusters of `layout`'s sizes (each broker and node on its own free ports). */
  static async start(dir: string, log: (line: string) => void, layout: ClusterLayout = SINGLE_NODE): Promise<PrivateServices> {
    const { kafkaBrokers: brokers, elasticsearchNodes: nodes } = layout;
    const ports = await freePorts(2 * brokers + 2 * nodes);
    const list = (from: number, count: number): string => ports.slice(from, from + count).join(',');
    const clustered = brokers > 1 || nodes > 1;
    const config = loadServicesConfig({
      ...process.env,
      SEGFLOW_SERVICES_DIR: dir,
      SEGFLOW_KAFKA_BROKER_COUNT: String(brokers), SEGFLOW_ES_NODE_COUNT: String(nodes),
      SEGFLOW_KAFKA_PORTS: list(0, brokers), SEGFLOW_KAFKA_CONTROLLER_PORTS: list(brokers, brokers),
      SEGFLOW_ES_PORTS: list(2 * brokers, nodes), SEGFLOW_ES_TRANSPORT_PORTS: list(2 * brokers + nodes, nodes),
      // The machine is shared: a slow start is not a failure of the suite.
      SEGFLOW_SERVICES_TIMEOUT_MS: process.env.SEGFLOW_SERVICES_TIMEOUT_MS || '600000',
      // A cluster's members take the runner's small per-member heaps; one of each gets a little more.
      ...(clustered ? {} : { SEGFLOW_KAFKA_HEAP: process.env.SEGFLOW_KAFKA_HEAP || '512m', SEGFLOW_ES_HEAP: process.env.SEGFLOW_ES_HEAP || '1g' }),
    });
    const services = new LocalServices(config);
    if ((await services.status()).some((s) => s.running)) await services.down();
    rmSync(dir, { recursive: true, force: true });
    log(`starting a private Kafka (${brokers} broker(s): ${config.kafka.ports.join(', ')}) and Elasticsearch (${nodes} node(s): ${config.elasticsearch.ports.join(', ')}) in ${dir}`);
    try {
      const report = await services.up();
      return new PrivateServices(services, report.kafkaBrokers, report.elasticsearchUrl);
    } catch (err) {
      await services.down().catch(() => undefined);
      throw err;
    }
  }

  /** The PID of a running broker or node. */
  async memberPid(member: LocalService): Promise<number> {
    const status = await member.status();
    if (status.pid === undefined || !status.running) throw new Error(`${member.name} is not running`);
    return status.pid;
  }

  /** PIDs of every running broker and node, by role. */
  async memberPids(): Promise<{ kafka: number[]; elasticsearch: number[] }> {
    const pids = async (members: readonly LocalService[]) => (await Promise.all(members.map((m) => m.status()))).flatMap((s) => (s.running && s.pid !== undefined ? [s.pid] : []));
    return { kafka: await pids(this.services.kafkaBrokers), elasticsearch: await pids(this.services.elasticsearchNodes) };
  }

  async pid(name: 'kafka' | 'elasticsearch'): Promise<number> {
    const status = await (name === 'kafka' ? this.services.kafka : this.services.elasticsearch).status();
    if (status.pid === undefined || !status.running) throw new Error(`${name} is not running`);
    return status.pid;
  }

  /**
   * Starts a service again and waits until it is ready; resolves with when it first answered
   * (epoch ms): for Elasticsearch the first cluster health answer (polled every 100 ms, beside
   * the runner's own readiness wait), for Kafka the runner's metadata answer.
   */
  async restart(name: 'kafka' | 'elasticsearch', member?: LocalKafka | LocalElasticsearch): Promise<number> {
    const service = member ?? (name === 'kafka' ? this.services.kafka : this.services.elasticsearch);
    // A SIGKILLed JVM takes a moment to be gone and to free its ports.
    const ports = service.listenPorts;
    for (let i = 0; i < 300; i++) {
      const busy = (await service.status()).running || (await Promise.all(ports.map((p) => isPortListening(p)))).some(Boolean);
      if (!busy) break;
      await sleep(100);
    }
    // Polled beside the runner's own readiness wait (which looks every 500 ms): when it first answered.
    let done = false;
    const probe = name === 'elasticsearch' ? () => this.elasticsearchHealthy() : () => this.kafkaAnswersOnce();
    const answered = (async () => {
      while (!done) {
        if (await probe()) return Date.now();
        await sleep(100);
      }
      return Date.now();
    })();
    await service.start();
    await service.waitReady(Date.now() + 300_000);
    const at = await answered;
    done = true;
    return at;
  }

  private async elasticsearchHealthy(): Promise<boolean> {
    try {
      const res = await fetch(`${this.esUrl}/_cluster/health`, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json()) as { status?: string };
      return res.ok && (body.status === 'yellow' || body.status === 'green');
    } catch {
      return false;
    }
  }

  /** True when the broker answers a metadata request with a controller (as the runner checks). */
  private async kafkaAnswersOnce(): Promise<boolean> {
    const admin = createKafka(this.brokers, 'segflow-faults-probe', { logLevel: 0, retry: { retries: 0 }, connectionTimeout: 500 }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Waits until Elasticsearch answers a request again (after SIGCONT). */
  async elasticsearchAnswers(): Promise<number> {
    for (;;) {
      try {
        const res = await fetch(`${this.esUrl}/_cluster/health`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return Date.now();
      } catch {
        // not yet
      }
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    await this.services.down();
  }
}

interface FaultContext {
  readonly fault: FaultName;
  readonly run: string;
  readonly services: PrivateServices;
  readonly kafka: Kafka;
  readonly es: Client;
  readonly workDir: string;
  readonly inventoryTopic: string;
  readonly options: Required<Pick<FaultsOptions, 'outageSeconds' | 'ratePerAgent' | 'steadySeconds' | 'clusterRecoveryLimitMs'>>;
  readonly log: (line: string) => void;
  readonly enrichers: number;
  readonly cpuWindowSeconds: number;
  readonly onCpu?: (cpu: RoleCpu) => void;
}

const AGENTS = 3;
/** How long the stream may take to move on the remaining members of a cluster before it counts as stalled (default). */
const CLUSTER_RECOVERY_LIMIT_MS = 90_000;
const RAW_PARTITIONS = 3;

async function runFault(ctx: FaultContext): Promise<FaultRow> {
  const { fault, run, services, kafka, es, workDir, options, log } = ctx;
  const raw = `${run}-raw`;
  const dlq = `${run}-dlq`;
  const group = `${run}-enricher`;
  const prefix = `${run}-flows`;
  const dir = path.join(workDir, run);
  mkdirSync(dir, { recursive: true });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: raw, numPartitions: RAW_PARTITIONS }, { topic: dlq, numPartitions: 1 }] });
  await admin.disconnect();

  const enricherPorts: number[] = [];
  const startEnricher = async (name: string): Promise<RoleProcess> => {
    const port = await freePort();
    enricherPorts[Number(name.split('-')[1]) - 1] = port;
    const role = new RoleProcess(name, [path.join(root, 'bin/segflow.js'), 'enrich', '--brokers', services.brokers, '--elasticsearch', services.esUrl,
      '--raw-topic', raw, '--dead-letter-topic', dlq, '--inventory-topic', ctx.inventoryTopic, '--group', group, '--index-prefix', prefix,
      '--retention-days', '0', '--metrics-port', String(port), '--allowed-level', '0', '--denied-level', '0'], path.join(dir, `${name}.log`));
    await role.waitFor(/enricher consuming/);
    return role;
  };
  const enricherCount = fault === 'enricher-kill' ? Math.max(2, ctx.enrichers) : ctx.enrichers;
  const enrichers: RoleProcess[] = await Promise.all(Array.from({ length: enricherCount }, (_, i) => startEnricher(`enricher-${i + 1}`)));
  const clusterFault = (CLUSTER_FAULTS as readonly string[]).includes(fault);

  // Spread over the partitions as the producer's partitioner hashes them (each fault has its own topics and indices).
  const nodeNames = balancedNodeNames(AGENTS, RAW_PARTITIONS);
  const smallSpool = fault === 'spool-full';
  const agentOptions: FaultAgentOptions[] = [];
  for (const nodeName of nodeNames) {
    agentOptions.push({
      brokers: services.brokers, topic: raw, nodeName, spoolDir: path.join(dir, `spool-${nodeName}`),
      spoolMaxBytes: smallSpool ? 120_000 : 64 * 1024 * 1024, batchMaxBytes: smallSpool ? 20_000 : 900_000, batchMaxDelayMs: 500,
      httpPort: await freePort(), ratePerSecond: options.ratePerAgent, truthFile: path.join(dir, `truth-${nodeName}`),
    });
  }
  const startAgent = (o: FaultAgentOptions, incarnation: number): RoleProcess =>
    new RoleProcess(`agent ${o.nodeName}#${incarnation}`, ['--import', 'tsx', path.join(here, 'fault-agent.ts'), JSON.stringify(o)], path.join(dir, `agent-${o.nodeName}.log`));
  // Idle CPU: services and enrichers up, no traffic yet.
  const cpuPids = async (): Promise<Record<keyof RoleCpu['roles'], number[]>> => ({
    collector: agents.filter((a) => a.running).map((a) => a.pid), enricher: enrichers.filter((e) => e.running).map((e) => e.pid),
    kafkaBroker: (await services.memberPids()).kafka, elasticsearchNode: (await services.memberPids()).elasticsearch,
  });
  const agents: RoleProcess[] = [];
  let idleCpu: Record<string, number> | undefined;
  if (ctx.cpuWindowSeconds > 0) {
    log(`${fault}: idle CPU window, ${ctx.cpuWindowSeconds} s`);
    idleCpu = await cpuOverWindow(await cpuPids(), ctx.cpuWindowSeconds);
  }
  agents.push(...agentOptions.map((o) => startAgent(o, 1)));
  for (const a of agents) await a.waitFor(/collector started/);
  const allAgents = [...agents];

  await sleep(options.steadySeconds * 1000);
  let assignment: GroupMemberAssignment[] | undefined;
  if (clusterFault) {
    // One replica per flow index: the enricher's template asks for none (a single node could never allocate one).
    await waitFlowDocuments(es, prefix, 60_000);
    await es.indices.putSettings({ index: `${prefix}-*`, settings: { index: { number_of_replicas: 1 } } });
    if ((await waitHealthGreen(es, 180_000)) === null) throw new Error(`${prefix}-* did not get its replica (health green) within 180 s`);
    assignment = await groupAssignment(kafka, group, enrichers.length);
    log(`${fault}: group assignment ${JSON.stringify(assignment.map((m) => m.partitions))}`);
  }
  if (ctx.cpuWindowSeconds > 0 && idleCpu) {
    log(`${fault}: steady CPU window, ${ctx.cpuWindowSeconds} s`);
    const produced = (): number => agentOptions.reduce((n, o) => n + producedSoFar(o.truthFile), 0);
    const records0 = produced();
    const topicBytes0 = topicBytesOnDisk(services.services.kafka.dataDir, raw);
    const steadyCpu = await cpuOverWindow(await cpuPids(), ctx.cpuWindowSeconds);
    const records = produced() - records0;
    const topicBytes = topicBytesOnDisk(services.services.kafka.dataDir, raw) - topicBytes0;
    const stats = await es.indices.stats({ index: `${prefix}-*`, metric: ['store', 'docs'] });
    const primaries = stats._all.primaries;
    const storage = { kafkaBytesPerRecordPerReplica: Math.round(topicBytes / records), elasticsearchBytesPerDocument: Math.round((primaries?.store?.size_in_bytes ?? 0) / Math.max(1, primaries?.docs?.count ?? 0)) };
    ctx.onCpu?.({ ...roleCpu(idleCpu, steadyCpu, await cpuPids(), ctx.cpuWindowSeconds, records), ...storage });
  }
  const faultAt = Date.now();
  let killed: string | undefined;
  let rejoinSeconds: number | null | undefined;
  let answeringAt = faultAt;
  let recoveryFrom = 'service answering again';
  let cpuDuringOutage: number | null = null;
  const outageMs = options.outageSeconds * 1000;
  // The enricher's lag gauge, sampled every second while the service is away: its largest value.
  let lagDuringOutage: number | null = null;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const text = await scrape(enricherPorts[0]!);
      if (text) lagDuringOutage = Math.max(lagDuringOutage ?? 0, metricSum(text, 'segflow_enricher_consumer_lag'));
      await sleep(1000);
    }
  })();
  const measureOutage = async (during: () => Promise<void>): Promise<void> => {
    const pid = enrichers[0]!.pid;
    const cpu0 = cpuSeconds(pid);
    const t0 = Date.now();
    await during();
    cpuDuringOutage = Math.round(((cpuSeconds(pid) - cpu0) / ((Date.now() - t0) / 1000)) * 1000) / 1000;
    sampling = false;
    await sampler;
  };
  log(`${fault}: injecting`);
  switch (fault) {
    case 'es-stop': {
      const pid = await services.pid('elasticsearch');
      process.kill(pid, 'SIGSTOP');
      await measureOutage(() => sleep(outageMs));
      process.kill(pid, 'SIGCONT');
      answeringAt = await services.elasticsearchAnswers();
      break;
    }
    case 'es-kill': {
      process.kill(await services.pid('elasticsearch'), 'SIGKILL');
      await measureOutage(async () => {
        answeringAt = await services.restart('elasticsearch');
      });
      break;
    }
    case 'kafka-stop':
    case 'spool-full': {
      await services.services.kafka.stop();
      await measureOutage(() => sleep(outageMs));
      answeringAt = await services.restart('kafka');
      break;
    }
    case 'kafka-kill': {
      process.kill(await services.pid('kafka'), 'SIGKILL');
      await measureOutage(async () => {
        answeringAt = await services.restart('kafka');
      });
      break;
    }
    case 'enricher-kill': {
      recoveryFrom = 'the kill, until every partition commits again';
      const before = await committedOffsets(kafka, group, raw);
      enrichers[0]!.kill();
      await enrichers[0]!.exited;
      answeringAt = faultAt;
      const advancedAt = await waitAllPartitionsAdvance(progressProbe(services.brokers), group, raw, before, 120_000);
      (ctx as { enricherKillRecovery?: number }).enricherKillRecovery = advancedAt === null ? undefined : (advancedAt - faultAt) / 1000;
      break;
    }
    case 'broker-kill':
    case 'coordinator-kill':
    case 'es-node-kill': {
      recoveryFrom = 'the kill, until every raw partition commits past its end at the kill';
      const brokers = services.services.kafkaBrokers;
      const coordinator = await groupCoordinator(kafka, group, brokers);
      const victim = fault === 'broker-kill' ? await brokerLeadingMost(kafka, raw, brokers.filter((b) => b !== coordinator))
        : fault === 'coordinator-kill' ? coordinator : await nodeHoldingShard(es, prefix, services.services.elasticsearchNodes);
      killed = victim.name;
      const ends = await topicEnds(kafka, raw);
      log(`${fault}: SIGKILL ${victim.name} (group coordinator: ${coordinator.name})`);
      process.kill(await services.memberPid(victim), 'SIGKILL');
      const advancedAt = await waitAllPartitionsAdvance(progressProbe(services.brokers), group, raw, ends, options.clusterRecoveryLimitMs);
      (ctx as { clusterRecovery?: number }).clusterRecovery = advancedAt === null ? undefined : (advancedAt - faultAt) / 1000;
      if (advancedAt === null) log(`${fault}: the stream did not move on the remaining members within ${options.clusterRecoveryLimitMs / 1000} s`);
      // The stream runs on the remaining members for the steady period; then the member's supervisor would start it again.
      await sleep(options.steadySeconds * 1000);
      const restartAt = Date.now();
      await services.restart(fault === 'es-node-kill' ? 'elasticsearch' : 'kafka', victim);
      if (advancedAt === null) {
        const movedAt = await waitAllPartitionsAdvance(progressProbe(services.brokers), group, raw, ends, 180_000);
        (ctx as { recoveryAfterRestart?: number | null }).recoveryAfterRestart = movedAt === null ? null : Math.round((movedAt - restartAt) / 100) / 10;
      }
      const whole = fault === 'es-node-kill' ? await waitHealthGreen(es, 180_000) : await waitIsrFull(kafka, raw, 180_000);
      rejoinSeconds = whole === null ? null : Math.round((whole - restartAt) / 100) / 10;
      answeringAt = faultAt;
      break;
    }
    case 'collector-kill': {
      recoveryFrom = 'the restart, to its first newly indexed document';
      agents[0]!.kill();
      await agents[0]!.exited;
      const restarted = startAgent(agentOptions[0]!, 2);
      answeringAt = Date.now();
      agents[0] = restarted;
      allAgents.push(restarted);
      await restarted.waitFor(/collector started/);
      break;
    }
  }
  sampling = false;
  await sampler;
  if (!['es-stop', 'es-kill', 'kafka-stop', 'kafka-kill', 'spool-full'].includes(fault)) lagDuringOutage = null;
  log(`${fault}: service answering again; steady traffic for ${options.steadySeconds} s`);
  await sleep(options.steadySeconds * 1000 + (fault === 'enricher-kill' ? 0 : 5000));

  // Drain: every agent's queue and spool empty, then stop them (orderly: nothing left behind).
  const manualActionReasons: string[] = [];
  for (const [i, a] of agents.entries()) {
    const drained = await waitAgentDrained(agentOptions[i]!.httpPort, 120_000);
    if (!drained) manualActionReasons.push(`${a.name} did not deliver its spool within 120 s`);
  }
  // What the agents counted as lost (spool overflow, a predecessor's crash, ...), before they exit.
  let lostCounted = 0;
  for (const o of agentOptions) lostCounted += metricSum(await scrape(o.httpPort), 'segflow_collector_records_dropped_total');
  for (const a of agents) await a.stop();
  const survivors = enrichers.filter((e) => e.running);
  if (survivors.length === 0) manualActionReasons.push('no enricher running at the end');
  for (const e of enrichers) if (!e.running && !(fault === 'enricher-kill' && e === enrichers[0])) manualActionReasons.push(`${e.name} exited: ${JSON.stringify(await e.exited)}`);
  for (const a of allAgents) {
    const ended = a.child.exitCode;
    if (ended !== null && ended !== 0) manualActionReasons.push(`${a.name} exited with ${ended}`);
  }
  const settled = await waitGroupAtEnd(kafka, group, raw, 180_000);
  if (!settled) manualActionReasons.push('the enricher group did not reach the end of the raw topic within 180 s');

  // Figures.
  const survivorPort = enricherPorts[enrichers.indexOf(survivors[0]!)] ?? enricherPorts[0]!;
  const enricherMetrics = await scrape(survivorPort);
  const sent = agentOptions.reduce((n, o) => n + producedSoFar(o.truthFile), 0);
  await es.indices.refresh({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
  const counted = await es.search({
    index: `${prefix}-*`, size: 0, track_total_hits: true, ignore_unavailable: true, allow_no_indices: true,
    aggs: { packets: { sum: { field: 'source.packets' } }, firstAfter: { filter: { range: { 'event.ingested': { gte: new Date(answeringAt).toISOString() } } }, aggs: { first: { min: { field: 'event.ingested' } } } } },
  });
  const indexed = typeof counted.hits.total === 'number' ? counted.hits.total : (counted.hits.total?.value ?? 0);
  const aggs = counted.aggregations as { packets: { value: number }; firstAfter: { first: { value: number | null } } };
  const packets = aggs.packets.value;
  const firstIngested = aggs.firstAfter.first.value;
  let recoverySeconds: number | null = firstIngested === null ? null : Math.round((firstIngested - answeringAt) / 100) / 10;
  if (fault === 'enricher-kill') {
    const r = (ctx as { enricherKillRecovery?: number }).enricherKillRecovery;
    recoverySeconds = r === undefined ? null : Math.round(r * 10) / 10;
  }
  if (clusterFault) {
    const r = (ctx as { clusterRecovery?: number }).clusterRecovery;
    recoverySeconds = r === undefined ? null : Math.round(r * 10) / 10;
    if (r === undefined) manualActionReasons.push(`a raw partition did not commit past its end at the kill within ${ctx.options.clusterRecoveryLimitMs / 1000} s on the remaining members: it moved again only once ${killed} was started again`);
    if (rejoinSeconds === null) manualActionReasons.push(`${killed} did not rejoin within 180 s of its restart`);
  }
  const enricherStopSeconds = survivors.length > 0 ? Math.round((await survivors[0]!.stop()) * 10) / 10 : null;
  for (const e of survivors.slice(1)) await e.stop();
  const lines = (ps: RoleProcess[]) => {
    const all = ps.flatMap((p) => p.warnLines(faultAt));
    return { warn: all.filter((l) => l.level === 40).length, error: all.filter((l) => l.level >= 50).length, messages: [...new Set(all.map((l) => `${l.level >= 50 ? 'error' : 'warn'}: ${l.msg}`))].slice(0, 12) };
  };
  const row: FaultRow = {
    fault, description: DESCRIPTIONS[fault], outageSeconds: ['es-stop', 'kafka-stop', 'spool-full'].includes(fault) ? options.outageSeconds : 0,
    sent, indexed, lost: sent - indexed, lostCounted, duplicated: packets - indexed, recoverySeconds, recoveryFrom,
    manualActionNeeded: manualActionReasons.length > 0, manualActionReasons,
    enricherMissingBatches: metricSum(enricherMetrics, 'segflow_enricher_missing_batches_total'),
    enricherDuplicateBatches: metricSum(enricherMetrics, 'segflow_enricher_batch_sequence_total', { kind: 'duplicate' }),
    kafkaDuplicateBatches: await repeatedBatchesOnTopic(kafka, raw),
    lagDuringOutage, enricherCpuDuringOutage: cpuDuringOutage,
    enricherLogLines: lines(enrichers), agentLogLines: lines(allAgents), enricherStopSeconds,
    ...(clusterFault ? { killed, rejoinSeconds, assignment, recoveryAfterRestartSeconds: (ctx as { recoveryAfterRestart?: number | null }).recoveryAfterRestart } : {}),
  };
  log(`${fault}: ${JSON.stringify({ sent: row.sent, indexed: row.indexed, lost: row.lost, lostCounted: row.lostCounted, duplicated: row.duplicated, recoverySeconds: row.recoverySeconds, manual: row.manualActionReasons })}`);
  return row;
}

/** CPU ms each process of each role used over `seconds` (a process gone meanwhile counts what it used until then). */
async function cpuOverWindow(pids: Record<string, number[]>, seconds: number): Promise<Record<string, number>> {
  const read = (pid: number): number => {
    try {
      return processCpuMs(pid);
    } catch {
      return Number.NaN;
    }
  };
  const before = Object.fromEntries(Object.entries(pids).map(([role, list]) => [role, list.map(read)]));
  await sleep(seconds * 1000);
  return Object.fromEntries(Object.entries(pids).map(([role, list]) => [role, list.reduce((sum, pid, i) => {
    const used = read(pid) - before[role]![i]!;
    return sum + (Number.isFinite(used) ? used : 0);
  }, 0)]));
}

/** Waits until the flow index exists with its primary started and holds a document (a fresh index answers searches only then). */
async function waitFlowDocuments(es: Client, prefix: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await es.count({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true })).count > 0) return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`no flow document in ${prefix}-* within ${timeoutMs} ms`);
    await sleep(500);
  }
}

/** Bytes of `topic`'s log segments a broker holds (all its partitions of it). */
function topicBytesOnDisk(dataDir: string, topic: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    const partitionFolder = entry.isDirectory() && entry.name.startsWith(`${topic}-`) && /^\d+$/.test(entry.name.slice(topic.length + 1));
    if (!partitionFolder) continue;
    for (const file of readdirSync(path.join(dataDir, entry.name))) if (file.endsWith('.log')) bytes += statSync(path.join(dataDir, entry.name, file)).size;
  }
  return bytes;
}

function roleCpu(idle: Record<string, number>, steady: Record<string, number>, pids: Record<keyof RoleCpu['roles'], number[]>, seconds: number, records: number): Omit<RoleCpu, 'kafkaBytesPerRecordPerReplica' | 'elasticsearchBytesPerDocument'> {
  const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
  const roles = Object.fromEntries((Object.keys(pids) as Array<keyof RoleCpu['roles']>).map((role) => {
    const cpuMs = steady[role] ?? 0;
    const idleMs = role === 'collector' ? 0 : (idle[role] ?? 0);
    return [role, {
      instances: pids[role].length,
      cpuMs: Math.round(cpuMs),
      idleCores: role === 'collector' ? null : round(idleMs / 1000 / seconds, 3),
      steadyCores: round(cpuMs / 1000 / seconds, 3),
      cpuMsPer1000Records: round((cpuMs / records) * 1000),
      netCpuMsPer1000Records: round((Math.max(0, cpuMs - idleMs) / records) * 1000),
    }];
  })) as RoleCpu['roles'];
  return { idleSeconds: seconds, steadySeconds: seconds, records, recordsPerSecond: round(records / seconds), roles };
}

/**
 * The group's members and the partitions each holds (decoded from the group's member
 * assignments), once the group is stable with `members` members (what it is after 60 s else).
 */
async function groupAssignment(kafka: Kafka, group: string, members: number): Promise<GroupMemberAssignment[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { groups } = await admin.describeGroups([group]);
      const assignment = (groups[0]?.members ?? []).map((m) => {
        const decoded = m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
        return { memberId: m.memberId, clientId: m.clientId, partitions: Object.values(decoded?.assignment ?? {}).flat().sort((a, b) => a - b) };
      }).sort((a, b) => (a.partitions[0] ?? 99) - (b.partitions[0] ?? 99));
      if ((groups[0]?.state === 'Stable' && assignment.length === members) || Date.now() > deadline) return assignment;
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}

async function topicEnds(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Java's String.hashCode, as Kafka hashes a group id onto a __consumer_offsets partition. */
function javaStringHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/** The broker coordinating `group`: the leader of its __consumer_offsets partition (abs(hash) mod partitions). */
async function groupCoordinator(kafka: Kafka, group: string, brokers: readonly LocalKafka[]): Promise<LocalKafka> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] });
    const partitions = topics[0]?.partitions ?? [];
    const partition = (javaStringHash(group) & 0x7fffffff) % partitions.length;
    const leader = partitions.find((p) => p.partitionId === partition)?.leader;
    const broker = brokers.find((b) => b.index + 1 === leader);
    if (!broker) throw new Error(`no broker leads __consumer_offsets partition ${partition} (leader ${leader})`);
    return broker;
  } finally {
    await admin.disconnect();
  }
}

/** Of `brokers`, the one that leads most of `topic`'s partitions (ties: the lowest id). */
async function brokerLeadingMost(kafka: Kafka, topic: string, brokers: readonly LocalKafka[]): Promise<LocalKafka> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const led = new Map<number, number>();
    for (const b of brokers) led.set(b.index + 1, 0);
    for (const p of topics[0]?.partitions ?? []) if (led.has(p.leader)) led.set(p.leader, led.get(p.leader)! + 1);
    const [leader] = [...led].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [1];
    // Broker node ids are index + 1 (src/services/kafka-runner.ts).
    return brokers.find((b) => b.index + 1 === leader) ?? brokers[0]!;
  } finally {
    await admin.disconnect();
  }
}

/**
 * A node holding a copy of a flow shard, never the first (the enricher's only URL: it takes one
 * node, so killing that one is an outage of the entry point, not of a cluster member). A node
 * holding a primary is preferred: its loss makes the cluster promote a replica.
 */
async function nodeHoldingShard(es: Client, prefix: string, nodes: readonly LocalElasticsearch[]): Promise<LocalElasticsearch> {
  const shards = await es.cat.shards({ index: `${prefix}-*`, format: 'json', h: 'index,shard,prirep,state,node' }) as Array<{ prirep?: string; node?: string }>;
  const candidates = nodes.slice(1);
  const holding = (kind: string) => candidates.find((n) => shards.some((s) => s.prirep === kind && s.node === n.nodeName));
  const victim = holding('p') ?? holding('r');
  if (!victim) throw new Error(`no flow shard on ${candidates.map((n) => n.nodeName).join(' or ')}: ${JSON.stringify(shards)}`);
  return victim;
}

/** When every partition of `topic` has all its replicas in sync again (epoch ms), or null. */
async function waitIsrFull(kafka: Kafka, topic: string, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      if (partitions.length > 0 && partitions.every((p) => p.isr.length === p.replicas.length)) return Date.now();
    } catch {
      // a broker still coming back
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await sleep(500);
  }
  return null;
}

/** When the cluster's health is green again (epoch ms), or null. */
async function waitHealthGreen(es: Client, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const health = await es.cluster.health({ wait_for_status: 'green', timeout: '2s' }, { requestTimeout: 10_000 });
      if (health.status === 'green' && !health.timed_out) return Date.now();
    } catch {
      // not yet
    }
    await sleep(500);
  }
  return null;
}

/** Agent batches (agent/boot/sequence) that appear more than once on `topic`, read from its start to its end. */
async function repeatedBatchesOnTopic(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]));
  const seen = new Set<string>();
  let repeats = 0;
  if (remaining.size === 0) return 0;
  const groupId = `faults-reader-${topic}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (message.value) {
          try {
            const b = decodeFlowBatch(message.value);
            const id = `${b.agentId}/${b.bootId}/${b.sequence}`;
            if (seen.has(id)) repeats++;
            else seen.add(id);
          } catch {
            // not a FlowBatch: not ours to count
          }
        }
        if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
        if (remaining.size === 0) resolve();
      },
    });
  });
  await consumer.disconnect();
  return repeats;
}

async function committedOffsets(kafka: Kafka, group: string, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = (await admin.fetchOffsets({ groupId: group, topics: [topic] })).find((t) => t.topic === topic)?.partitions ?? [];
    return new Map(offsets.map((p) => [p.partition, BigInt(p.offset === '-1' ? '0' : p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * A client for polling the group's progress while a member of the cluster is down: it fails
 * fast and is asked again 200 ms later. The suite's own client backs off up to seconds per
 * attempt on a dead seed broker or coordinator, which would count as recovery time.
 */
function progressProbe(brokers: string): Kafka {
  return createKafka(brokers, 'segflow-faults-progress', { logLevel: 0, retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 }, connectionTimeout: 1000, requestTimeout: 5000 });
}

async function waitAllPartitionsAdvance(kafka: Kafka, group: string, topic: string, before: Map<number, bigint>, timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = await committedOffsets(kafka, group, topic).catch(() => new Map<number, bigint>());
    if ([...before].every(([p, o]) => (now.get(p) ?? 0n) > o)) return Date.now();
    await sleep(200);
  }
  return null;
}

async function waitGroupAtEnd(kafka: Kafka, group: string, topic: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const ends = await admin.fetchTopicOffsets(topic);
        const committed = await committedOffsets(kafka, group, topic);
        if (ends.every((e) => (committed.get(e.partition) ?? 0n) >= BigInt(e.high))) return true;
      } finally {
        await admin.disconnect();
      }
    } catch {
      // Kafka still coming back
    }
    await sleep(500);
  }
  return false;
}

async function waitAgentDrained(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(2000) });
      const status = (await res.json()) as { delivery?: { queuedBatches: number; spooledBatches: number } };
      if (status.delivery && status.delivery.queuedBatches === 0 && status.delivery.spooledBatches === 0) return true;
    } catch {
      // starting or gone
    }
    await sleep(500);
  }
  return false;
}

/** Runs the faults and returns one row each; the services are stopped at the end whatever happens. */
export async function runFaults(options: FaultsOptions = {}): Promise<FaultRow[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[faults] ${line}\n`));
  const faults = options.faults ?? FAULTS;
  const settings = { outageSeconds: options.outageSeconds ?? 60, ratePerAgent: options.ratePerAgent ?? 50, steadySeconds: options.steadySeconds ?? 10, clusterRecoveryLimitMs: options.clusterRecoveryLimitMs ?? CLUSTER_RECOVERY_LIMIT_MS };
  const servicesDir = options.servicesDir ?? path.join(root, '.local', 'faults-services');
  const workDir = path.join(servicesDir, 'work');
  const clusterFaults = faults.filter((f) => (CLUSTER_FAULTS as readonly string[]).includes(f));
  const layout = options.layout ?? SINGLE_NODE;
  if (clusterFaults.length > 0 && (layout.kafkaBrokers < 3 || layout.elasticsearchNodes < 3)) {
    throw new Error(`${clusterFaults.join(', ')} need 3 Kafka brokers and 3 Elasticsearch nodes (layout ${JSON.stringify(layout)})`);
  }
  const services = await PrivateServices.start(servicesDir, log, layout);
  mkdirSync(workDir, { recursive: true });
  const kafka = createKafka(services.brokers, 'segflow-faults-bench');
  const es = createElasticsearchClient(services.esUrl);
  const rows: FaultRow[] = [];
  try {
    const inventoryTopic = 'faults-inventory';
    const { documents } = await readResourceDocuments([path.join(root, 'examples', 'shop')]);
    // A cluster just formed may not know a topic created a moment ago on every broker yet.
    for (let attempt = 1; ; attempt++) {
      try {
        await publishInventory(kafka, inventoryTopic, documents);
        break;
      } catch (err) {
        if (attempt >= 5) throw err;
        log(`publishing the inventory failed (${(err as Error).message}); again in 2 s`);
        await sleep(2000);
      }
    }
    for (const [i, fault] of faults.entries()) {
      log(`fault ${i + 1}/${faults.length}: ${fault} (${DESCRIPTIONS[fault]})`);
      try {
        rows.push(await runFault({
          fault, run: `f${i + 1}-${fault}-${Date.now().toString(36)}`, services, kafka, es, workDir, inventoryTopic, options: settings, log,
          enrichers: options.enrichers ?? 1, cpuWindowSeconds: i === 0 ? (options.cpuWindowSeconds ?? 0) : 0, onCpu: options.onCpu,
        }));
      } finally {
        await Promise.all([...children].map((c) => c.stop(15_000)));
        children.clear();
      }
    }
  } finally {
    await es.close().catch(() => undefined);
    await services.stop();
  }
  return rows;
}

/** `npm run bench -- faults`: writes bench/results/faults.json. */
export async function runFaultsBench(): Promise<unknown> {
  const env = process.env;
  const faults = env.SEGFLOW_FAULTS ? (env.SEGFLOW_FAULTS.split(',').map((f) => f.trim()) as FaultName[]) : [...FAULTS];
  const unknown = faults.filter((f) => !(FAULTS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new Error(`SEGFLOW_FAULTS: unknown fault(s) ${unknown.join(', ')}; known: ${FAULTS.join(', ')}`);
  const outageSeconds = Number(env.SEGFLOW_FAULTS_OUTAGE_SECONDS ?? 60);
  const ratePerAgent = Number(env.SEGFLOW_FAULTS_RATE ?? 50);
  const started = new Date().toISOString();
  const rows = await runFaults({ faults, outageSeconds, ratePerAgent });
  const result = { started, finished: new Date().toISOString(), agents: AGENTS, ratePerAgent, rawPartitions: RAW_PARTITIONS, outageSeconds, rows };
  mkdirSync(path.join(here, 'results'), { recursive: true });
  writeFileSync(path.join(here, 'results', 'faults.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
