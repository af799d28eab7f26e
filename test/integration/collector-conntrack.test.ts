/**
 * The collector on a real kernel conntrack table and real Kafka: two network namespaces created
 * here (client + "node" whose table is watched, and a server), a DNAT rule that makes a
 * "service IP" lead to the server, TCP traffic with known payload sizes. The batches on the
 * topic must decode, be numbered 1..n, and carry the flow with both tuples (DNAT visible), the
 * kernel's counters as deltas that add up, and new → ... → destroy.
 *
 * Needs root (network namespaces, iptables) and the `conntrack` and `iptables` tools; it fails
 * with the reason when they are missing. Uses only addresses inside the namespaces it creates.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Collector } from '../../src/collector/collector.ts';
import { parseConntrackLine, type ConntrackEntry } from '../../src/collector/sources/conntrack/conntrack-event-parser.ts';
import { readConntrackSysctls } from '../../src/collector/sources/conntrack/conntrack-sysctl.ts';
import { decodeFlowBatch, type FlowBatchData, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { bytesToIp } from '../../src/contract/wire/ip-address-bytes.ts';
import { createKafka, parseBrokerList } from '../../src/runtime/kafka-client.ts';
import { NetnsPair, requireConntrackTool } from '../harness/netns-pair.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { sh } from '../harness/shell.ts';
import { waitUntil } from '../harness/wait-for.ts';

const CLIENT_IP = '10.232.0.1';
const SERVER_IP = '10.232.0.2';
const SERVICE_IP = '10.232.1.10';
const REQUEST_BYTES = 20_000;
const RESPONSE_BYTES = 3_000;

const SERVER_SCRIPT = `
const net = require('node:net');
net.createServer((s) => {
  let got = 0;
  s.on('data', (d) => { got += d.length; if (got >= ${REQUEST_BYTES}) s.end(Buffer.alloc(${RESPONSE_BYTES}, 1)); });
  s.on('error', () => {});
}).listen(8080, '${SERVER_IP}', () => console.log('listening'));
`;
const CLIENT_SCRIPT = `
const net = require('node:net');
const s = net.connect(80, '${SERVICE_IP}', () => s.write(Buffer.alloc(${REQUEST_BYTES}, 2)));
let got = 0;
s.on('data', (d) => { got += d.length; });
s.on('end', () => { s.end(); console.log(got); });
s.on('error', (e) => { console.error(e.message); process.exit(1); });
`;

/** Sends 1000 bytes every 400 ms for ~4 s on one connection, then closes it. */
const LONG_LIVED_CLIENT_SCRIPT = `
const net = require('node:net');
const s = net.connect(80, '${SERVICE_IP}', async () => {
  for (let i = 0; i < 10; i++) { s.write(Buffer.alloc(1000, 2)); await new Promise((r) => setTimeout(r, 400)); }
  s.end();
});
s.on('close', () => console.log('done'));
s.on('error', (e) => { console.error(e.message); process.exit(1); });
`;

describe('collector on a real conntrack table (network namespaces, real Kafka)', () => {
  const brokers = parseBrokerList(requireKafkaBrokers());
  const topic = uniqueName('flows-raw-conntrack');
  const kafka = createKafka(brokers, 'collector-conntrack-test');
  let pair: NetnsPair | null = null;
  let spoolDir = '';
  const inClient = (...args: string[]): string[] => {
    if (!pair) throw new Error('the network namespaces were not created (see the before hook\'s error)');
    return pair.inClient(...args);
  };

  before(async () => {
    if (process.getuid?.() !== 0) throw new Error('this test needs root (it creates network namespaces and iptables rules)');
    await requireConntrackTool();
    spoolDir = await mkdtemp(path.join(os.tmpdir(), 'segflow-collector-ct-'));
    pair = await NetnsPair.create({ tag: `sfc${process.pid % 100000}`, clientIp: CLIENT_IP, serverIp: SERVER_IP });
    await sh('ip', '-n', pair.clientNs, 'route', 'add', '10.232.1.0/24', 'via', SERVER_IP);
    await sh(...inClient('iptables', '-t', 'nat', '-A', 'OUTPUT', '-d', `${SERVICE_IP}/32`, '-p', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', `${SERVER_IP}:8080`));
    await pair.startServer(SERVER_SCRIPT);
  });

  /** Every record of `name` (its producer has stopped: reading settles at the topic's end). */
  const readWholeTopic = async (name: string): Promise<FlowRecordData[]> => {
    const admin = kafka.admin();
    await admin.connect();
    const end = new Map((await admin.fetchTopicOffsets(name)).map((p) => [p.partition, Number(p.high)]));
    await admin.disconnect();
    const read = new Map<number, number>();
    const batches: FlowBatchData[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('collector-ct-refresh-reader') });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: name, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          batches.push(decodeFlowBatch(message.value ?? new Uint8Array(0)));
          read.set(partition, Number(message.offset) + 1);
        },
      });
      await waitUntil(`every batch of ${name} read`, 30_000, () => [...end].every(([p, high]) => (read.get(p) ?? 0) >= high));
    } finally {
      await consumer.disconnect();
    }
    return batches.flatMap((b) => b.records);
  };

  after(async () => {
    await pair?.destroy();
    if (spoolDir) await rm(spoolDir, { recursive: true, force: true });
  });

  it('reports accounting and timestamps of a fresh namespace as off, with the reason', async () => {
    const prefix = inClient();
    const before = await readConntrackSysctls(prefix);
    assert.equal(before.accounting, 'off', 'accounting is off by default in a new namespace');
    assert.equal(before.problems.length, 2);
    assert.match(before.problems[0]!, /nf_conntrack_acct is off/);
  });

  it('between listings, refreshes look up only the open connections: a long-lived one reports its growth, closed ones once', async () => {
    const refreshTopic = uniqueName('flows-raw-conntrack-refresh');
    const collector = new Collector({
      nodeName: 'ct-refresh-node',
      conntrack: { commandPrefix: inClient(), enableSysctls: true, snapshotIntervalMs: 500, resyncIntervalMs: 600_000 },
      kafka: { brokers, topic: refreshTopic, topicPartitions: 1 },
      batch: { maxDelayMs: 100 },
      spool: { directory: path.join(spoolDir, 'refresh') },
      http: null,
    });
    const conntrackStatus = () => collector.status().sources.conntrack as { snapshots: number; refreshes: number; trackedFlows: number };
    await sh(...inClient('conntrack', '-F')).catch(() => undefined);
    await collector.start();
    let kernel: ConntrackEntry[];
    let listingsWhileRunning: number;
    let flushedAtMs: number;
    try {
      // A busy node's table is mostly closed connections waiting out TIME_WAIT: with as many open
      // as closed, a listing costs the kernel less than lookups, and the collector lists. (Made
      // while the collector listens: the kernel sends no events for entries made before an event
      // listener was there, nf_conntrack_events=2.)
      for (let i = 0; i < 20; i++) {
        await sh(...inClient('conntrack', '-I', '-p', 'tcp', '-s', '10.232.9.1', '-d', '10.232.9.2', '--sport', String(30000 + i), '--dport', '443', '--state', 'TIME_WAIT', '-t', '600', '-u', 'SEEN_REPLY,ASSURED'));
      }
      for (let i = 0; i < 3; i++) assert.equal((await sh(...inClient(process.execPath, '-e', CLIENT_SCRIPT))).trim(), String(RESPONSE_BYTES));
      // One connection open for ~4 s, sending 1000 bytes every 400 ms.
      const longLived = sh(...inClient(process.execPath, '-e', LONG_LIVED_CLIENT_SCRIPT));
      const refreshesBefore = conntrackStatus().refreshes;
      assert.equal((await longLived).trim(), 'done');
      assert.ok(conntrackStatus().refreshes >= refreshesBefore + 4, `refreshes while the connection was open: ${conntrackStatus().refreshes - refreshesBefore}`);
      const reads = conntrackStatus().refreshes;
      await waitUntil('two refreshes after the connection closed', 30_000, () => conntrackStatus().refreshes >= reads + 2);
      listingsWhileRunning = conntrackStatus().snapshots;
      kernel = (await sh(...inClient('conntrack', '-L', '-p', 'tcp', '--orig-dst', SERVICE_IP, '-o', 'extended,id')))
        .split('\n')
        .filter((l) => l.trim())
        .map(parseConntrackLine);
      assert.equal(kernel.length, 4, 'the four connections wait out TIME_WAIT');
      assert.ok(kernel.every((e) => e.state === 'TIME_WAIT'));
      flushedAtMs = Date.now();
      await sh(...inClient('conntrack', '-F'));
      await waitUntil('every DESTROY handled', 30_000, () => conntrackStatus().trackedFlows === 0).catch((err) => { throw new Error(`${err.message}: ${JSON.stringify(conntrackStatus())}`); });
      await collector.drained(30_000);
    } finally {
      await collector.stop();
    }
    assert.equal(listingsWhileRunning, 1, 'the table was listed once, at start: every other read was a refresh');

    const records = (await readWholeTopic(refreshTopic)).filter((r) => bytesToIp(r.original.dstIp) === SERVICE_IP && r.protocol === 6);
    const byConnection = new Map<number, FlowRecordData[]>();
    for (const r of records) byConnection.set(r.conntrackId, [...(byConnection.get(r.conntrackId) ?? []), r]);
    assert.equal(byConnection.size, 4);
    for (const e of kernel) {
      const flow = byConnection.get(e.id!) ?? [];
      const sum = (f: 'originalBytes' | 'replyBytes' | 'originalPackets' | 'replyPackets'): number => flow.reduce((n, r) => n + r[f], 0);
      assert.deepEqual([sum('originalPackets'), sum('originalBytes'), sum('replyPackets'), sum('replyBytes')], [e.original.packets, e.original.bytes, e.reply.packets, e.reply.bytes], `connection ${e.id}: deltas add up to the kernel counters`);
      // Started by its first record (a `new`, or the end that includes it), ended once.
      assert.ok(flow[0]!.eventKind === 'new' || flow[0]!.includesStart === true, `connection ${e.id}: its first record says the start`);
      assert.ok(flow.slice(1).every((r) => r.eventKind !== 'new' && r.includesStart !== true), `connection ${e.id}: started once`);
      // Its end: reported once, by the first refresh that found it in TIME_WAIT, not 120 s
      // later by the DESTROY event (here: of the flush), which had nothing left to say.
      const ends = flow.filter((r) => r.eventKind === 'destroy');
      assert.equal(ends.length, 1, `connection ${e.id}: one end`);
      assert.equal(ends[0]!.tcpState, 'TIME_WAIT');
      assert.ok(Number(ends[0]!.endTimeUnixNano / 1_000_000n) < flushedAtMs!, `connection ${e.id}: ended by a refresh while it waited out TIME_WAIT`);
      assert.ok(flow.every((r) => r.tcpState !== 'TIME_WAIT' || r.eventKind === 'destroy'), `connection ${e.id}: nothing reported in TIME_WAIT but its end`);
    }
    // The long-lived one: growth reported while it was open, by refreshes.
    const longLivedFlow = [...byConnection.values()].find((flow) => flow.reduce((n, r) => n + r.originalBytes, 0) < REQUEST_BYTES)!;
    const whileOpen = longLivedFlow.filter((r) => r.eventKind === 'update' && r.tcpState === 'ESTABLISHED' && r.originalBytes > 0);
    assert.ok(whileOpen.length >= 3, `updates with growth while the connection was open: ${whileOpen.length}`);
  });

  it('publishes the DNATed TCP flow with counter deltas that add up to the kernel counters, in numbered batches', async () => {
    const collector = new Collector({
      nodeName: 'ct-test-node',
      conntrack: { commandPrefix: inClient(), enableSysctls: true, snapshotIntervalMs: 500 },
      kafka: { brokers, topic, topicPartitions: 1 },
      batch: { maxDelayMs: 100 },
      spool: { directory: spoolDir },
      http: null,
    });
    await collector.start();
    let kernel: ConntrackEntry;
    try {
      const status = collector.status().sources.conntrack as { accounting: string; timestamps: string; problems: string[] };
      assert.deepEqual([status.accounting, status.timestamps, status.problems], ['on', 'on', []], 'the collector enabled both sysctls');

      const conntrackStatus = () => collector.status().sources.conntrack as { snapshots: number; refreshes: number; trackedFlows: number };
      const tableReads = (): number => conntrackStatus().snapshots + conntrackStatus().refreshes;
      const client = await sh(...inClient(process.execPath, '-e', CLIENT_SCRIPT));
      assert.equal(client.trim(), String(RESPONSE_BYTES));
      // At least two reads of the table (listings or refreshes) while the entry sits in TIME_WAIT.
      const readsAtClose = tableReads();
      await waitUntil('two table reads after the connection closed', 30_000, () => tableReads() >= readsAtClose + 2);
      const listed = (await sh(...inClient('conntrack', '-L', '-p', 'tcp', '--orig-dst', SERVICE_IP, '-o', 'extended,id')))
        .split('\n')
        .filter((l) => l.trim())
        .map(parseConntrackLine);
      assert.equal(listed.length, 1, 'exactly one conntrack entry for the service connection');
      kernel = listed[0]!;
      assert.equal(conntrackStatus().trackedFlows, 1, 'the collector tracks the one connection');
      await sh(...inClient('conntrack', '-F')); // DESTROY event with the final counters
      await waitUntil('the DESTROY event handled (the entry no longer tracked)', 30_000, () => conntrackStatus().trackedFlows === 0);
      await collector.drained(30_000);
    } finally {
      await collector.stop();
    }

    const batches: FlowBatchData[] = [];
    // The collector has stopped: the topic is final. Reading settles at its end, so a late extra
    // batch (a duplicate, a stray record) cannot slip by a fixed wait.
    const admin = kafka.admin();
    await admin.connect();
    const topicEnd = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    await admin.disconnect();
    const consumedTo = new Map<number, number>();
    const consumer = kafka.consumer({ groupId: uniqueName('collector-ct-reader') });
    await consumer.connect();
    const flowRecords = (): FlowRecordData[] =>
      batches.flatMap((b) => b.records).filter((r) => bytesToIp(r.original.dstIp) === SERVICE_IP && r.protocol === 6);
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          assert.equal(message.key?.toString(), 'ct-test-node');
          batches.push(decodeFlowBatch(message.value ?? new Uint8Array(0)));
          consumedTo.set(partition, Number(message.offset) + 1);
        },
      });
      await waitUntil('every batch on the topic read', 30_000, () => [...topicEnd].every(([p, high]) => (consumedTo.get(p) ?? 0) >= high));
      assert.ok(flowRecords().some((r) => r.eventKind === 'destroy'), 'the destroy record of the service connection');
    } finally {
      await consumer.disconnect();
    }

    assert.deepEqual(batches.map((b) => b.sequence), batches.map((_, i) => i + 1), 'sequence numbers 1..n, in order');
    assert.equal(new Set(batches.map((b) => b.bootId)).size, 1);
    const flow = flowRecords();
    // Its start is said by its first record: a `new` if a read of the table found it open, else
    // its end (the first refresh that found it in TIME_WAIT) includes it.
    assert.ok(flow[0]!.eventKind === 'new' || flow[0]!.includesStart === true, `first record ${flow[0]!.eventKind} says the start`);
    assert.ok(flow.slice(1).every((r) => r.eventKind !== 'new' && r.includesStart !== true), 'started once');
    const ends = flow.filter((r) => r.eventKind === 'destroy');
    assert.equal(ends.length, 1, 'ended once');
    assert.ok(flow.slice(flow.indexOf(ends[0]!) + 1).every((r) => r.eventKind === 'update' && r.originalPackets + r.replyPackets > 0), 'after its end only growth, as updates');
    const first = flow[0]!;
    assert.equal(bytesToIp(first.original.srcIp), CLIENT_IP);
    assert.equal(first.original.dstPort, 80);
    assert.equal(bytesToIp(first.reply.srcIp), SERVER_IP, 'DNAT: the reply comes from the backend');
    assert.equal(first.reply.srcPort, 8080);
    assert.ok(flow.every((r) => r.source === 'conntrack' && r.nodeName === 'ct-test-node' && r.conntrackId === kernel.id));
    const sum = (f: 'originalBytes' | 'replyBytes' | 'originalPackets' | 'replyPackets'): number => flow.reduce((n, r) => n + r[f], 0);
    assert.equal(sum('originalBytes'), kernel.original.bytes, 'deltas add up to the kernel counter (original bytes)');
    assert.equal(sum('replyBytes'), kernel.reply.bytes, 'deltas add up to the kernel counter (reply bytes)');
    assert.equal(sum('originalPackets'), kernel.original.packets);
    assert.equal(sum('replyPackets'), kernel.reply.packets);
    // Payload plus at most 80 bytes of IP+TCP headers per packet.
    assert.ok(sum('originalBytes') >= REQUEST_BYTES && sum('originalBytes') <= REQUEST_BYTES + 80 * sum('originalPackets'));
    assert.ok(sum('replyBytes') >= RESPONSE_BYTES && sum('replyBytes') <= RESPONSE_BYTES + 80 * sum('replyPackets'));
    const last = ends[0]!;
    assert.equal(last.assured, true);
    assert.equal(last.countersValid, true);
    assert.ok(['TIME_WAIT', 'CLOSE', 'LAST_ACK', 'FIN_WAIT', 'CLOSE_WAIT'].includes(last.tcpState), `closing state, got ${last.tcpState}`);
    assert.ok(last.endTimeUnixNano > first.startTimeUnixNano && first.startTimeUnixNano > 0n);
  });
});
