/**
 * segflow-conntrack-reader on the real kernel: two network namespaces (a client whose conntrack
 * table is watched, a server), real TCP and UDP connections with known payloads.
 *
 * - The reader's events and table dump agree with what the `conntrack` tool prints for the same
 *   entries (tuples, ids, counters, state, flags) and carry the kernel's counters.
 * - An event socket too small for a burst, with the reader stopped meanwhile, reports the
 *   kernel's drops in a LOSS record: received + dropped = events the burst caused.
 * - With the agent's default socket buffer, a burst of 20,000 flows and a flush of the table lose
 *   no event (the reader keeps draining while it gathers a hand-over).
 * - Drops the kernel makes after its one ENOBUFS (until the queue is empty; the reader held
 *   there by strace) reach a later LOSS record: the count equals the kernel's (/proc/net/netlink).
 * - The collector run with `--conntrack-reader netlink` and with `cli` on the same traffic
 *   publishes the same records to real Kafka.
 * - The collector with a tiny event socket, under a burst, reports the events the kernel dropped
 *   in its batches' loss report (`ring_buffer`): records published + dropped = the burst.
 *
 * Needs root (network namespaces, iptables), gcc/make (the reader is built on demand), the
 * `conntrack` tool and strace; fails with the reason when they are missing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Collector } from '../../src/collector/collector.ts';
import { parseConntrackLine, type ConntrackEntry } from '../../src/collector/sources/conntrack/conntrack-event-parser.ts';
import { ensureConntrackReader } from '../../src/collector/sources/conntrack/conntrack-reader-build.ts';
import { CONNTRACK_RECORD_SIZE, CONNTRACK_RECORD_VERSION, ConntrackRecordStream, type ConntrackReaderMessage } from '../../src/collector/sources/conntrack/conntrack-record-decoder.ts';
import { conntrackQueryEnd, TupleShape, writeConntrackQuery } from '../../src/collector/sources/conntrack/conntrack-query-record.ts';
import { tupleOfEntry } from '../../src/collector/sources/conntrack/conntrack-observation.ts';
import { decodeFlowBatch, type FlowBatchData, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { createKafka, parseBrokerList } from '../../src/runtime/kafka-client.ts';
import { NetnsPair, requireConntrackTool } from '../harness/netns-pair.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { sh } from '../harness/shell.ts';
import { waitUntil } from '../harness/wait-for.ts';

const run = promisify(execFile);
const CLIENT_IP = '10.233.0.1';
const SERVER_IP = '10.233.0.2';
const REQUEST_BYTES = 20_000;
const RESPONSE_BYTES = 3_000;
let pair: NetnsPair | null = null;
const netns = (): NetnsPair => {
  if (!pair) throw new Error('the network namespaces were not created (see the before hook\'s error)');
  return pair;
};
const inClient = (...args: string[]): string[] => netns().inClient(...args);

const SERVER_SCRIPT = `
const net = require('node:net');
const dgram = require('node:dgram');
net.createServer((s) => {
  let got = 0;
  s.on('data', (d) => { got += d.length; if (got >= ${REQUEST_BYTES}) s.end(Buffer.alloc(${RESPONSE_BYTES}, 1)); });
  s.on('error', () => {});
}).listen(8080, '${SERVER_IP}', () => {
  const u = dgram.createSocket('udp4');
  u.on('message', (m, r) => u.send(Buffer.alloc(100, 3), r.port, r.address));
  u.bind(5353, '${SERVER_IP}', () => console.log('listening'));
});
`;
/** `n` TCP connections (request/response) and `n` UDP exchanges to the server. */
const trafficScript = (n: number): string => `
const net = require('node:net');
const dgram = require('node:dgram');
const tcp = () => new Promise((resolve, reject) => {
  const s = net.connect(8080, '${SERVER_IP}', () => s.write(Buffer.alloc(${REQUEST_BYTES}, 2)));
  let got = 0;
  s.on('data', (d) => { got += d.length; });
  s.on('end', () => { s.end(); resolve(got); });
  s.on('error', reject);
});
const udp = () => new Promise((resolve, reject) => {
  const u = dgram.createSocket('udp4');
  u.on('message', (m) => { u.close(); resolve(m.length); });
  u.on('error', reject);
  u.send(Buffer.alloc(200, 4), 5353, '${SERVER_IP}');
});
(async () => { for (let i = 0; i < ${n}; i++) { await tcp(); await udp(); } console.log('ok'); })().catch((e) => { console.error(e.message); process.exit(1); });
`;
/** A burst of `n` UDP datagrams from distinct source ports, no replies awaited: n NEW events. */
const burstScript = (n: number, port = 9999): string => `
const dgram = require('node:dgram');
let left = ${n};
for (let i = 0; i < ${n}; i++) {
  const u = dgram.createSocket('udp4');
  u.send(Buffer.alloc(10), ${port}, '${SERVER_IP}', () => { u.close(); if (--left === 0) console.log('sent'); });
}
`;

/** Runs the reader in the client namespace and collects what it writes. */
function startReader(reader: string, args: string[]): { child: ChildProcess; messages: ConntrackReaderMessage[]; problems: string[]; stderr: () => string } {
  const child = spawn('ip', ['netns', 'exec', netns().clientNs, reader, ...args], { stdio: [args[0] === 'query' ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const messages: ConntrackReaderMessage[] = [];
  const problems: string[] = [];
  let stderr = '';
  const stream = new ConntrackRecordStream((m) => messages.push(m), (e) => problems.push(e.message));
  child.stdout!.on('data', (c: Buffer) => stream.push(c));
  child.stdout!.on('end', () => stream.end());
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return { child, messages, problems, stderr: () => stderr };
}

/**
 * The kernel's own count of events dropped on the client namespace's conntrack event sockets
 * (netlink family 12 with groups subscribed): the `Drops` column of /proc/net/netlink.
 */
async function kernelEventSocketDrops(): Promise<number> {
  const lines = (await sh(...inClient('cat', '/proc/net/netlink'))).split('\n').filter((l) => l.trim());
  const columns = lines[0]!.trim().split(/\s+/);
  const [eth, groups, drops] = ['Eth', 'Groups', 'Drops'].map((c) => columns.indexOf(c));
  if (eth! < 0 || groups! < 0 || drops! < 0) throw new Error(`/proc/net/netlink: unexpected header ${lines[0]}`);
  const sockets = lines.slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f[eth!] === '12' && Number.parseInt(f[groups!]!, 16) !== 0);
  if (sockets.length !== 1) throw new Error(`expected one conntrack event socket in /proc/net/netlink, found ${sockets.length}:\n${lines.join('\n')}`);
  return Number(sockets[0]![drops!]);
}

const entries = (messages: ConntrackReaderMessage[]): ConntrackEntry[] => messages.flatMap((m) => (m.kind === 'entry' ? [m.entry] : []));

/** The fields both readers must agree on. */
function comparable(e: ConntrackEntry): unknown {
  const t = (x: ConntrackEntry['original']) => ({ src: x.src, dst: x.dst, sport: x.sport, dport: x.dport, packets: x.packets, bytes: x.bytes, icmpType: x.icmpType });
  return { eventType: e.eventType, ipVersion: e.ipVersion, protocol: e.protocol, protocolName: e.protocolName, state: e.state, original: t(e.original), reply: t(e.reply), assured: e.assured, unreplied: e.unreplied, id: e.id, mark: e.mark ?? 0, zone: e.zone };
}

/** Every batch of `topic` (its producer has stopped: the topic is final). */
async function readTopic(brokers: string[], topic: string): Promise<FlowBatchData[]> {
  const kafka = createKafka(brokers, 'conntrack-reader-test');
  const admin = kafka.admin();
  await admin.connect();
  const high = Number((await admin.fetchTopicOffsets(topic))[0]!.high);
  await admin.disconnect();
  const batches: FlowBatchData[] = [];
  let seen = 0;
  const consumer = kafka.consumer({ groupId: uniqueName('ct-reader-test') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        batches.push(decodeFlowBatch(message.value ?? new Uint8Array(0)));
        seen = Number(message.offset) + 1;
      },
    });
    await waitUntil(`every batch of ${topic}`, 30_000, () => seen >= high);
  } finally {
    await consumer.disconnect();
  }
  return batches;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('close', r));
  child.kill('SIGTERM');
  await exited;
}

describe('segflow-conntrack-reader on a real kernel', () => {
  let reader = '';
  before(async () => {
    if (process.getuid?.() !== 0) throw new Error('this test needs root (it creates network namespaces and iptables rules)');
    await requireConntrackTool();
    reader = await ensureConntrackReader();
    pair = await NetnsPair.create({ tag: `sfn${process.pid % 100000}`, clientIp: CLIENT_IP, serverIp: SERVER_IP });
    await sh(...inClient('sysctl', '-qw', 'net.netfilter.nf_conntrack_acct=1'));
    await sh(...inClient('sysctl', '-qw', 'net.netfilter.nf_conntrack_timestamp=1'));
    await pair.startServer(SERVER_SCRIPT);
  });

  after(async () => {
    await pair?.destroy();
  });

  it('reports the same NEW/DESTROY events and table as the conntrack tool, with the kernel counters', async () => {
    await sh(...inClient('conntrack', '-F')).catch(() => undefined);
    const events = startReader(reader, ['events', '--buffer-size', '4194304']);
    const cliLines: string[] = [];
    const cli = spawn('ip', ['netns', 'exec', netns().clientNs, 'conntrack', '-E', '-e', 'NEW,DESTROY', '-o', 'extended,id,timestamp'], { stdio: ['ignore', 'pipe', 'ignore'] });
    createInterface({ input: cli.stdout! }).on('line', (l) => cliLines.push(l));
    try {
      await waitUntil('the READY record', 10_000, () => events.messages.some((m) => m.kind === 'ready'));
      const ready = events.messages.find((m) => m.kind === 'ready') as Extract<ConntrackReaderMessage, { kind: 'ready' }>;
      assert.equal(ready.version, CONNTRACK_RECORD_VERSION);
      assert.ok(ready.receiveBufferBytes >= 4_194_304, `receive buffer granted: ${ready.receiveBufferBytes}`);
      await new Promise((r) => setTimeout(r, 500)); // the tool subscribes in its own time
      assert.equal((await sh(...inClient(process.execPath, '-e', trafficScript(3)))).trim(), 'ok');

      // The table while the connections sit in TIME_WAIT / UDP's timeout: dump vs `conntrack -L`.
      const dump = startReader(reader, ['dump']);
      const dumpCode = await new Promise((r) => dump.child.once('close', r));
      assert.equal(dumpCode, 0, `dump exit: ${dump.stderr()}`);
      assert.deepEqual(dump.problems, []);
      const listed = (await sh(...inClient('conntrack', '-L', '-o', 'extended,id'))).split('\n').filter((l) => l.trim()).map(parseConntrackLine);
      const dumped = entries(dump.messages);
      assert.equal(dumped.length, 6, 'three TCP and three UDP entries in the table');
      assert.equal(dump.messages.at(-1)?.kind, 'dump-end');
      const byId = (list: ConntrackEntry[]) => new Map(list.map((e) => [e.id, comparable(e)]));
      assert.deepEqual(byId(dumped), byId(listed), 'the dump lists what conntrack -L lists');
      for (const e of dumped.filter((x) => x.protocol === 6)) {
        assert.equal(e.original.src, CLIENT_IP);
        assert.equal(e.original.dport, 8080);
        assert.ok(e.original.bytes! >= REQUEST_BYTES && e.reply.bytes! >= RESPONSE_BYTES, 'the kernel counters of a finished request/response');
        assert.equal(e.state, 'TIME_WAIT');
        assert.ok(e.deltaTimeSeconds !== null && e.deltaTimeSeconds >= 0 && e.deltaTimeSeconds < 60);
      }
      for (const e of dumped.filter((x) => x.protocol === 17)) {
        assert.deepEqual([e.original.packets, e.original.bytes, e.reply.packets, e.reply.bytes], [1, 228, 1, 128], 'one 200-byte datagram each way (plus 28 bytes of IP+UDP)');
      }

      await sh(...inClient('conntrack', '-F')); // DESTROY events with the final counters
      await waitUntil('12 events from the reader and the tool', 15_000, () => entries(events.messages).length >= 12 && cliLines.length >= 12);
      await new Promise((r) => setTimeout(r, 300));
      const binary = entries(events.messages);
      const text = cliLines.map(parseConntrackLine);
      assert.equal(binary.length, 12);
      assert.deepEqual(events.problems, []);
      const key = (e: ConntrackEntry) => `${e.id}|${e.eventType}`;
      assert.deepEqual(new Map(binary.map((e) => [key(e), comparable(e)])), new Map(text.map((e) => [key(e), comparable(e)])), 'the same events as conntrack -E');
      for (const e of binary) {
        const twin = text.find((t) => key(t) === key(e))!;
        assert.ok(Math.abs(e.timestamp! - twin.timestamp!) < 1, 'receive times within a second of the tool');
        if (e.eventType === 'destroy') assert.equal(e.deltaTimeSeconds, twin.deltaTimeSeconds);
      }
      assert.equal(events.messages.filter((m) => m.kind === 'loss').length, 0, 'no loss at this rate');
    } finally {
      cli.kill('SIGTERM');
      await stopChild(events.child);
    }
    assert.equal(events.child.exitCode, 0, `the reader ends cleanly on SIGTERM: ${events.stderr()}`);
  });

  it('answers lookups in order: FOUND as the table holds the entry, GONE (ENOENT) for another id, another zone or no such tuple', async () => {
    await sh(...inClient('conntrack', '-F')).catch(() => undefined);
    assert.equal((await sh(...inClient(process.execPath, '-e', trafficScript(2)))).trim(), 'ok');
    // What the traffic does not make: an entry in another zone, an IPv6 one, an ICMP one.
    await sh(...inClient('conntrack', '-I', '-p', 'tcp', '-s', '10.99.0.1', '-d', '10.99.0.2', '--sport', '1000', '--dport', '2000', '--state', 'ESTABLISHED', '-t', '600', '-u', 'SEEN_REPLY,ASSURED', '-w', '7'));
    await sh(...inClient('conntrack', '-I', '-p', 'udp', '-s', '2001:db8::1', '-d', '2001:db8::2', '--sport', '1000', '--dport', '53', '-t', '600'));
    await sh(...inClient('conntrack', '-I', '-p', 'icmp', '-s', '10.99.0.1', '-d', '10.99.0.3', '--icmp-type', '8', '--icmp-code', '0', '--icmp-id', '77', '-t', '600'));
    const dump = startReader(reader, ['dump']);
    assert.equal(await new Promise((r) => dump.child.once('close', r)), 0, `dump exit: ${dump.stderr()}`);
    const listed = entries(dump.messages);
    assert.equal(listed.length, 7, 'two TCP and two UDP exchanges, and the three inserted entries');
    assert.deepEqual(new Set(listed.map((e) => `${e.ipVersion}/${e.protocolName}/${e.zone ?? 0}`)), new Set(['4/tcp/0', '4/udp/0', '4/tcp/7', '6/udp/0', '4/icmp/0']));

    const shapeOf = (e: ConntrackEntry): number => (e.original.sport !== undefined ? TupleShape.ports : e.original.icmpType !== undefined ? TupleShape.icmp : TupleShape.none);
    const query = (e: ConntrackEntry, change: { id?: number; zone?: number; dport?: number } = {}): Buffer => {
      const b = Buffer.alloc(CONNTRACK_RECORD_SIZE);
      const original = tupleOfEntry(e.original);
      if (change.dport !== undefined) original.dstPort = change.dport;
      writeConntrackQuery(b, 0, e.ipVersion, e.protocol, shapeOf(e), change.id ?? e.id ?? -1, change.zone ?? e.zone ?? -1, original, e.original.icmpType ?? 0, e.original.icmpCode ?? 0, e.original.icmpId ?? 0);
      return b;
    };
    const tcp = listed.find((e) => e.protocol === 6 && e.zone === null)!;
    const zoned = listed.find((e) => e.zone === 7)!;
    const misses = [query(tcp, { id: (tcp.id! + 1) % 2 ** 32 }), query(zoned, { zone: -1 }), query(tcp, { dport: 1 })];
    const lookups = startReader(reader, ['query']);
    try {
      await waitUntil('the READY record', 10_000, () => lookups.messages.some((m) => m.kind === 'ready'));
      // Written in two parts, the end marker apart: the reader answers what it has in any case.
      lookups.child.stdin!.write(Buffer.concat(listed.map((e) => query(e))));
      lookups.child.stdin!.write(Buffer.concat([...misses, conntrackQueryEnd()]));
      await waitUntil('the QUERY_END answer', 10_000, () => lookups.messages.some((m) => m.kind === 'query-end'));
      const answers = lookups.messages.filter((m) => m.kind !== 'ready');
      assert.deepEqual(lookups.problems, []);
      // Each listed entry found as listed; the kernel looks up by tuple alone, so the wrong id
      // finds the entry under that tuple, then says the one asked for is gone.
      const kindOf = (m: ConntrackReaderMessage): string => (m.kind === 'gone' ? `gone:${m.error}` : m.kind);
      assert.deepEqual(answers.map(kindOf), [...listed.map(() => 'entry'), 'entry', 'gone:2', 'gone:2', 'gone:2', 'query-end']);
      listed.forEach((e, i) => assert.deepEqual(comparable((answers[i] as { entry: ConntrackEntry }).entry), comparable(e), `answer ${i}: the entry as the dump listed it`));
      assert.deepEqual(comparable((answers[listed.length] as { entry: ConntrackEntry }).entry), comparable(tcp), 'the entry under the tuple asked for with another id');
      const gone = answers.slice(listed.length + 1, -1);
      assert.deepEqual(gone.map((m) => (m.kind === 'gone' ? [m.entry.id, m.entry.zone, m.entry.original.dport] : null)), [[(tcp.id! + 1) % 2 ** 32, null, tcp.original.dport], [zoned.id, null, 2000], [tcp.id, null, 1]], 'a GONE answer is its query again');
      assert.deepEqual(answers.at(-1), { kind: 'query-end', answered: listed.length + misses.length });
      lookups.child.stdin!.end();
      await new Promise((r) => lookups.child.once('close', r));
      assert.equal(lookups.child.exitCode, 0, `the query reader ends at the end of its stdin: ${lookups.stderr()}`);
    } finally {
      await stopChild(lookups.child);
    }
  });

  it('counts the events the kernel dropped on a full socket (ENOBUFS) in a LOSS record', async () => {
    await sh(...inClient('conntrack', '-F')).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const events = startReader(reader, ['events', '--buffer-size', '4096']);
    try {
      await waitUntil('the READY record', 10_000, () => events.messages.some((m) => m.kind === 'ready'));
      events.child.kill('SIGSTOP'); // its socket fills while it sleeps
      const burst = 400;
      assert.equal((await sh(...inClient(process.execPath, '-e', burstScript(burst)))).trim(), 'sent');
      events.child.kill('SIGCONT');
      await waitUntil('a LOSS record', 10_000, () => events.messages.some((m) => m.kind === 'loss'));
      await new Promise((r) => setTimeout(r, 500));
      const kernelDrops = await kernelEventSocketDrops();
      const losses = events.messages.filter((m) => m.kind === 'loss') as Array<Extract<ConntrackReaderMessage, { kind: 'loss' }>>;
      const last = losses.at(-1)!;
      const received = entries(events.messages).filter((e) => e.eventType === 'new' && e.original.dport === 9999).length;
      assert.ok(last.overruns >= 1);
      assert.ok(last.droppedEvents > 0, 'the kernel dropped events');
      assert.equal(last.droppedEvents, kernelDrops, 'the last LOSS record carries every drop the kernel counted on the socket');
      assert.equal(received + last.droppedEvents, burst, `every NEW event either arrived or is counted as dropped (received ${received}, dropped ${last.droppedEvents})`);
    } finally {
      await stopChild(events.child);
    }
  });

  it('loses no event of a 20,000-entry burst and table flush on the agent\'s default socket buffer', async () => {
    // The reader hands its records over every 50 ms but must keep draining the socket meanwhile:
    // a flush queues thousands of DESTROY events within a few ms (a reader that paused 50 ms
    // before draining lost ~6,900 of these 20,000).
    await sh(...inClient('conntrack', '-F')).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const events = startReader(reader, ['events', '--buffer-size', String(8 * 1024 * 1024)]); // the agent's default
    const flows = 20_000;
    const ours = (e: ConntrackEntry): boolean => e.protocol === 17 && (e.original.dport ?? 0) >= 20_000 && (e.original.dport ?? 0) < 20_000 + flows;
    const count = (type: 'new' | 'destroy'): number => entries(events.messages).filter((e) => e.eventType === type && ours(e)).length;
    try {
      await waitUntil('the READY record', 10_000, () => events.messages.some((m) => m.kind === 'ready'));
      // One socket, one datagram to each of 20,000 ports: 20,000 entries as fast as it sends.
      const script = `const u = require('node:dgram').createSocket('udp4'); let left = ${flows}; for (let i = 0; i < ${flows}; i++) u.send(Buffer.alloc(8), 20000 + i, '${SERVER_IP}', () => { if (--left === 0) { console.log('sent'); u.close(); } });`;
      assert.equal((await sh(...inClient(process.execPath, '-e', script))).trim(), 'sent');
      await waitUntil('every NEW event', 30_000, () => count('new') >= flows).catch(() => undefined);
      await sh(...inClient('conntrack', '-F'));
      await waitUntil('every DESTROY event', 30_000, () => count('destroy') >= flows).catch(() => undefined);
      const losses = events.messages.filter((m) => m.kind === 'loss') as Array<Extract<ConntrackReaderMessage, { kind: 'loss' }>>;
      assert.deepEqual(losses.map((l) => l.droppedEvents), [], 'no LOSS record: the kernel dropped nothing');
      assert.equal(count('new'), flows, 'every NEW event arrived');
      assert.equal(count('destroy'), flows, 'every DESTROY event of the flush arrived');
    } finally {
      await stopChild(events.child);
    }
    assert.deepEqual(events.problems, []);
  });

  it('also reports the drops the kernel makes after its ENOBUFS, until the queue is empty', async () => {
    // The kernel reports ENOBUFS once per overrun and then drops every event until the reader
    // has emptied the queue. strace holds the reader for 3 s after each getsockopt (the
    // ENOBUFS's drop count is read by then) and a second burst comes meanwhile: the window a
    // loaded machine opens by descheduling the reader there.
    await run('strace', ['-V']).catch((err: Error) => {
      throw new Error(`this test needs strace (Debian package strace) to delay the reader: ${err.message}`);
    });
    await sh(...inClient('conntrack', '-F')).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const strace = ['-qq', '-o', '/dev/null', '-e', 'trace=getsockopt', '-e', 'inject=getsockopt:delay_exit=3000000'];
    const events = startReader('strace', [...strace, reader, 'events', '--buffer-size', '4096']);
    const readerPids = async (): Promise<number[]> =>
      (await readFile(`/proc/${events.child.pid}/task/${events.child.pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean).map(Number);
    /** Whether the reader sits in a tracing stop (held by strace after a getsockopt). */
    const readerHeld = async (): Promise<boolean> => {
      const [pid] = await readerPids();
      const stat = pid ? await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '') : '';
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 't';
    };
    // SIGTERM goes to the reader itself (strace's child), which ends strace too.
    const stopReader = async (): Promise<void> => {
      for (const pid of await readerPids()) process.kill(pid, 'SIGTERM');
      await stopChild(events.child);
    };
    try {
      await waitUntil('the READY record', 15_000, () => events.messages.some((m) => m.kind === 'ready'));
      const first = 300;
      const second = 300; // to another port: a source port reused from the first burst would match its entry, no NEW
      // NEW events of both bursts that reached the reader.
      const received = (): number => entries(events.messages).filter((e) => e.eventType === 'new' && (e.original.dport === 9999 || e.original.dport === 9998)).length;
      const burst = first + second;
      assert.equal((await sh(...inClient(process.execPath, '-e', burstScript(first)))).trim(), 'sent');
      // The overrun's ENOBUFS made the reader read the drop count: strace now holds it there.
      await waitUntil('the reader held after reading the drop count', 10_000, async () => (await kernelEventSocketDrops()) > 0 && (await readerHeld()));
      assert.equal((await sh(...inClient(process.execPath, '-e', burstScript(second, 9998)))).trim(), 'sent');
      await waitUntil('a LOSS record', 15_000, () => events.messages.some((m) => m.kind === 'loss'));
      await waitUntil('every burst event received or reported', 15_000, async () => {
        const losses = events.messages.filter((m) => m.kind === 'loss') as Array<Extract<ConntrackReaderMessage, { kind: 'loss' }>>;
        return received() + (losses.at(-1)?.droppedEvents ?? 0) >= burst;
      }).catch(() => undefined); // the assertions below say what is missing
      await new Promise((r) => setTimeout(r, 500));
      const kernelDrops = await kernelEventSocketDrops();
      const losses = events.messages.filter((m) => m.kind === 'loss') as Array<Extract<ConntrackReaderMessage, { kind: 'loss' }>>;
      const receivedNow = received();
      assert.ok(losses[0]!.droppedEvents < kernelDrops, `the kernel went on dropping after the first ENOBUFS (first LOSS ${losses[0]!.droppedEvents}, kernel ${kernelDrops}): otherwise this test tests nothing`);
      assert.equal(losses.at(-1)!.droppedEvents, kernelDrops, `the last LOSS record carries every drop the kernel counted (LOSS records: ${losses.map((l) => `${l.overruns}/${l.droppedEvents}`).join(', ')})`);
      assert.equal(receivedNow + kernelDrops, burst, `every NEW event either arrived or is counted as dropped (received ${receivedNow}, dropped ${kernelDrops})`);
    } finally {
      await stopReader();
    }
    assert.deepEqual(events.problems, []);
  });

  it('fails with a precise message outside CAP_NET_ADMIN', async () => {
    const r = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', reader, 'events']).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^unavailable: subscribing to the conntrack NEW\/DESTROY event groups \(needs CAP_NET_ADMIN and nf_conntrack_netlink\): Operation not permitted/);
  });

  it('ends when the process that started it is killed (no reader left behind by a SIGKILLed agent)', async () => {
    const parent = spawn('sh', ['-c', `ip netns exec ${netns().clientNs} ${reader} events >/dev/null & echo $!; sleep 60`], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (c: Buffer) => resolve(c.toString().trim()))));
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(alive(), 'the reader runs while its parent does');
    parent.kill('SIGKILL');
    await waitUntil('the reader to end after its parent was killed', 5000, () => !alive());
  });

  it('the collector publishes the same records with --conntrack-reader netlink as with cli', async () => {
    const brokers = parseBrokerList(requireKafkaBrokers());
    await sh(...inClient('conntrack', '-F')).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const spool = await mkdtemp(path.join(os.tmpdir(), 'segflow-ct-reader-'));
    const topics = { netlink: uniqueName('flows-raw-ct-netlink'), cli: uniqueName('flows-raw-ct-cli') };
    const collectors = (['netlink', 'cli'] as const).map(
      (reader) =>
        new Collector({
          nodeName: 'ct-reader-node',
          conntrack: { reader, commandPrefix: ['ip', 'netns', 'exec', netns().clientNs], snapshotIntervalMs: 600_000 },
          kafka: { brokers, topic: topics[reader], topicPartitions: 1 },
          batch: { maxDelayMs: 100 },
          spool: { directory: path.join(spool, reader) },
          http: null,
        }),
    );
    try {
      for (const c of collectors) await c.start();
      await new Promise((r) => setTimeout(r, 500)); // `conntrack -E` subscribes in its own time
      assert.equal((await sh(...inClient(process.execPath, '-e', trafficScript(4)))).trim(), 'ok');
      await sh(...inClient('conntrack', '-F'));
      const tracked = (c: Collector) => (c.status().sources.conntrack as { trackedFlows: number }).trackedFlows;
      await waitUntil('both collectors saw every DESTROY', 15_000, () => collectors.every((c) => tracked(c) === 0));
      for (const c of collectors) await c.drained(30_000);
    } finally {
      for (const c of collectors) await c.stop();
      await rm(spool, { recursive: true, force: true });
    }

    const read = async (topic: string): Promise<FlowRecordData[]> => (await readTopic(brokers, topic)).flatMap((b) => b.records);
    const netlink = await read(topics.netlink);
    const cli = await read(topics.cli);
    // Times come from each reader's own receive clock: compared apart, within a second.
    const strip = (r: FlowRecordData) => ({ ...r, startTimeUnixNano: 0n, endTimeUnixNano: 0n });
    const sort = (rs: FlowRecordData[]) => [...rs].sort((a, b) => a.conntrackId - b.conntrackId || a.eventKind.localeCompare(b.eventKind));
    // No read of the table came between (snapshots every 600 s): each connection's one record is
    // its end, including its start.
    assert.equal(netlink.length, 8, 'one record for each of 4 TCP and 4 UDP connections');
    assert.ok(netlink.every((r) => r.eventKind === 'destroy' && r.includesStart === true), 'each an end that includes the start');
    assert.deepEqual(sort(netlink).map(strip), sort(cli).map(strip), 'identical records from both readers');
    const [n, c] = [sort(netlink), sort(cli)];
    n.forEach((r, i) => {
      assert.ok(Math.abs(Number(r.endTimeUnixNano - c[i]!.endTimeUnixNano)) < 1e9, `end times within a second (${r.conntrackId} ${r.eventKind})`);
      assert.ok(Math.abs(Number(r.startTimeUnixNano - c[i]!.startTimeUnixNano)) < 1e9);
    });
    assert.ok(netlink.filter((r) => r.eventKind === 'destroy' && r.protocol === 6).every((r) => r.originalBytes >= REQUEST_BYTES && r.replyBytes >= RESPONSE_BYTES));
  });

  it('the collector counts the events the kernel dropped in its batches\' loss report', async () => {
    const brokers = parseBrokerList(requireKafkaBrokers());
    await sh(...inClient('conntrack', '-F')).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const spool = await mkdtemp(path.join(os.tmpdir(), 'segflow-ct-loss-'));
    const topic = uniqueName('flows-raw-ct-loss');
    const burst = 2000;
    // A socket of a few events: the reader's 5 ms pause after a wake-up alone overflows it.
    const collector = new Collector({
      nodeName: 'ct-loss-node',
      conntrack: { reader: 'netlink', commandPrefix: ['ip', 'netns', 'exec', netns().clientNs], snapshotIntervalMs: 600_000, eventBufferBytes: 4096 },
      kafka: { brokers, topic, topicPartitions: 1 },
      batch: { maxDelayMs: 100 },
      spool: { directory: spool },
      http: null,
    });
    type Status = { kernelDroppedEvents: number; eventOverflows: number; trackedFlows: number };
    let kernelDrops: number | undefined;
    let fromEvents: number | undefined;
    try {
      await collector.start();
      assert.equal((await sh(...inClient(process.execPath, '-e', burstScript(burst)))).trim(), 'sent');
      await waitUntil('a reported overflow', 10_000, () => (collector.status().sources.conntrack as Status).eventOverflows > 0);
      await new Promise((r) => setTimeout(r, 1000));
      await collector.drained(30_000);
      kernelDrops = await kernelEventSocketDrops(); // the burst is over: no more drops
      // The flows whose NEW event arrived, their starts held for their first record (no read of
      // the table since the start's, which found the table empty).
      fromEvents = (collector.status().sources.conntrack as Status).trackedFlows;
    } finally {
      await collector.stop();
      await rm(spool, { recursive: true, force: true });
    }
    const status = collector.status().sources.conntrack as Status;
    // The kernel keeps dropping after its one ENOBUFS until the reader empties the queue: those
    // late drops must reach the count too (the reader reports them when drained and at exit).
    assert.equal(status.kernelDroppedEvents, kernelDrops, 'the collector counts every drop the kernel counted on the event socket');
    const batches = await readTopic(brokers, topic);
    const news = batches.flatMap((b) => b.records).filter((r) => r.eventKind === 'new' && r.original.dstPort === 9999 && r.protocol === 17);
    // The stop's last snapshot (a listing: events were lost) reports the held starts, and finds
    // the entries whose NEW was dropped and reports them too, with the start the kernel kept.
    const lastLoss = batches.filter((b) => b.loss).at(-1)?.loss;
    assert.ok(status.kernelDroppedEvents > 0, 'the kernel dropped events');
    assert.equal(lastLoss?.sinceBoot.ring_buffer?.records, status.kernelDroppedEvents, 'the loss report carries every dropped event');
    assert.equal(fromEvents! + status.kernelDroppedEvents, burst, `NEW events read ${fromEvents} + dropped ${status.kernelDroppedEvents} = the burst`);
    assert.equal(news.length, burst, 'the last snapshot reported every start, those whose NEW was dropped too');
    assert.equal(new Set(news.map((r) => r.original.srcPort)).size, burst, 'each once');
  });
});
