/**
 * The eBPF flow source against the real kernel: builds and loads the probe, attaches it to the
 * host side of two "pod" veths in a "node" namespace that routes between them with DROP rules,
 * generates allowed and dropped traffic, and checks what comes out:
 *
 * - drops arrive as `deny` records with the packet's 5-tuple and `kfree_skb:NETFILTER_DROP`;
 * - allowed-flow byte counts from eBPF agree with `conntrack -L` (nf_conntrack_acct=1) within 1%;
 * - merged with the conntrack source, every byte is counted once;
 * - a stopped loader leaves no tc filter behind; a killed one is restarted;
 * - without the privileges, the source says so once and start() still resolves.
 *
 * Needs root (network namespaces, eBPF). Uses only addresses inside namespaces it creates
 * (10.233.1.2, 10.233.2.2, wired by test/harness/netns-topology.ts) and removes them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { CollectorMetrics } from '../../src/collector/collector-metrics.ts';
import { isConntrackNoiseLine, parseConntrackLine, type ConntrackEntry } from '../../src/collector/sources/conntrack/conntrack-event-parser.ts';
import { ConntrackSource } from '../../src/collector/sources/conntrack/conntrack-source.ts';
import { ensureEbpfLoader } from '../../src/collector/sources/ebpf/ebpf-loader-build.ts';
import { EbpfFlowSource, type EbpfSourceOptions } from '../../src/collector/sources/ebpf/ebpf-source.ts';
import { MergedFlowSource } from '../../src/collector/sources/ebpf/merged-flow-source.ts';
import type { FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { bytesToIp } from '../../src/contract/wire/ip-address-bytes.ts';
import { NetnsTopology } from '../harness/netns-topology.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The node and its two pods come from the shared topology (Calico-style wiring); a prefix of
// our own, fixed so a crashed run's leftovers are removed by the next run's create().
const PREFIX = 'ebpfe2e';
let topology: NetnsTopology;
interface Pod { readonly ns: string; readonly hostIf: string; readonly ip: string }
let POD_A: Pod;
let POD_B: Pod;
const inNode = (...args: string[]): Promise<string> => topology.inNode(args);

async function createTopology(): Promise<void> {
  topology = await NetnsTopology.create(PREFIX);
  await topology.addPod({ name: 'a', ip: '10.233.1.2' });
  await topology.addPod({ name: 'b', ip: '10.233.2.2' });
  POD_A = { ns: topology.namespaceOf('a'), hostIf: topology.hostInterfaceOf('a'), ip: '10.233.1.2' };
  POD_B = { ns: topology.namespaceOf('b'), hostIf: topology.hostInterfaceOf('b'), ip: '10.233.2.2' };
  // The enforced policy: a -> b tcp/9090 and udp/9091 are dropped.
  await topology.denyForward(POD_A.ip, POD_B.ip, 'tcp', 9090);
  await topology.denyForward(POD_A.ip, POD_B.ip, 'udp', 9091);
}

/** Runs a Node.js script inside a namespace; resolves with its stdout. */
function nodeIn(ns: string, script: string, onLine?: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of d.toString().split('\n')) if (line) onLine?.(line);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`script in ${ns} exited ${code}: ${err}`))));
  });
}

/** One TCP connection a -> b:port from a fixed source port: `send` bytes up, `reply` bytes back. */
async function tcpExchange(port: number, localPort: number, send: number, reply: number): Promise<void> {
  let ready!: () => void;
  const listening = new Promise<void>((r) => (ready = r));
  const server = nodeIn(
    POD_B.ns,
    `const s = require('net').createServer((c) => { s.close(); c.on('data', () => {}); c.on('end', () => c.end(Buffer.alloc(${reply}, 7))); }).listen(${port}, '${POD_B.ip}', () => console.log('ready'));`,
    (line) => line === 'ready' && ready(),
  );
  await Promise.race([listening, server]);
  await nodeIn(
    POD_A.ns,
    `let n = 0; const c = require('net').connect({ host: '${POD_B.ip}', port: ${port}, localAddress: '${POD_A.ip}', localPort: ${localPort} }, () => c.end(Buffer.alloc(${send}, 1)));
     c.on('data', (d) => (n += d.length)); c.on('close', () => { if (n !== ${reply}) { console.error('got', n); process.exit(1); } });`,
  );
  await server;
}

/** A connection attempt a -> b:port that the node drops (gives up after `ms`). */
const tcpDropped = (port: number, localPort: number, ms: number) =>
  nodeIn(POD_A.ns, `const c = require('net').connect({ host: '${POD_B.ip}', port: ${port}, localAddress: '${POD_A.ip}', localPort: ${localPort} }); c.on('error', () => {}); setTimeout(() => process.exit(0), ${ms});`);

/** `count` UDP datagrams of `size` bytes a -> b:port. */
const udpSend = (port: number, localPort: number, count: number, size: number) =>
  nodeIn(
    POD_A.ns,
    `const s = require('dgram').createSocket('udp4'); s.bind(${localPort}, '${POD_A.ip}', async () => { for (let i = 0; i < ${count}; i++) await new Promise((r) => s.send(Buffer.alloc(${size}), ${port}, '${POD_B.ip}', r)); s.close(); });`,
  );

async function conntrackTable(): Promise<ConntrackEntry[]> {
  const out = await inNode('conntrack', '-L', '-f', 'ipv4', '-o', 'extended,id');
  return out.split('\n').filter((l) => !isConntrackNoiseLine(l)).map(parseConntrackLine);
}

const tupleOf = (r: FlowRecordData) => `${r.protocol} ${bytesToIp(r.original.srcIp)}:${r.original.srcPort} > ${bytesToIp(r.original.dstIp)}:${r.original.dstPort}`;
const sum = (records: FlowRecordData[], f: 'originalBytes' | 'replyBytes' | 'originalPackets' | 'replyPackets') => records.reduce((a, r) => a + r[f], 0);

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

async function tcFilters(hostIf: string): Promise<string> {
  return (await inNode('tc', 'filter', 'show', 'dev', hostIf, 'ingress')) + (await inNode('tc', 'filter', 'show', 'dev', hostIf, 'egress'));
}

describe('eBPF flow source on the real kernel', { concurrency: false }, () => {
  let loaderPath: string;
  const sourceOptions = (logger: EbpfSourceOptions['logger']): EbpfSourceOptions => ({
    nodeName: 'node1',
    interfaces: [POD_A.hostIf, POD_B.hostIf],
    reportIntervalMs: 1000,
    commandPrefix: ['ip', 'netns', 'exec', topology.nodeNs],
    loaderPath,
    logger,
  });

  before(async () => {
    if (process.getuid?.() !== 0) throw new Error('the eBPF end-to-end test needs root (network namespaces, CAP_BPF, CAP_NET_ADMIN): run the test suite as root');
    loaderPath = await ensureEbpfLoader();
    await createTopology();
  });
  after(() => topology?.destroy());

  it('reports netfilter drops with their 5-tuple, and allowed bytes that agree with conntrack within 1%', async () => {
    const { logger } = capturingLogger();
    const records: FlowRecordData[] = [];
    const source = new EbpfFlowSource(sourceOptions(logger));
    await source.start((r) => records.push(...r));
    try {
      assert.equal(source.status().state, 'running');
      assert.deepEqual(source.status().interfaces, [POD_A.hostIf, POD_B.hostIf].sort());
      await tcpExchange(8080, 41001, 3_000_000, 400_000);
      await tcpExchange(8081, 41002, 20_000, 1_000_000);
      await udpSend(5353, 41003, 20, 500);
      await tcpDropped(9090, 41004, 1500);
      await udpSend(9091, 41005, 3, 50);
      await sleep(1200);
    } finally {
      await source.stop();
    }
    assert.equal(source.status().state, 'stopped');
    assert.equal(await tcFilters(POD_A.hostIf), '', 'no filter left after a clean stop');
    assert.equal(await tcFilters(POD_B.hostIf), '');

    // Drops: the right 5-tuple, the netfilter reason, the packets' IP bytes.
    const denies = records.filter((r) => r.dataplaneVerdict === 'deny');
    const tcpDeny = denies.filter((r) => tupleOf(r) === `6 ${POD_A.ip}:41004 > ${POD_B.ip}:9090`);
    assert.ok(tcpDeny.length >= 1, `no deny record for the dropped TCP connection; denies: ${denies.map(tupleOf).join(', ')}`);
    assert.ok(tcpDeny.every((r) => r.ruleHint === 'kfree_skb:NETFILTER_DROP' && r.source === 'ebpf'));
    assert.ok(sum(tcpDeny, 'originalPackets') >= 2, 'SYN and at least one retransmit within 1.5 s');
    assert.equal(tcpDeny[0]!.eventKind, 'new');
    const udpDeny = denies.filter((r) => tupleOf(r) === `17 ${POD_A.ip}:41005 > ${POD_B.ip}:9091`);
    assert.equal(sum(udpDeny, 'originalPackets'), 3);
    assert.equal(sum(udpDeny, 'originalBytes'), 3 * (20 + 8 + 50));
    assert.ok(denies.every((r) => r.original.dstPort === 9090 || r.original.dstPort === 9091), 'only the dropped flows are denied');

    // Allowed flows: eBPF and conntrack count the same IP bytes.
    const table = await conntrackTable();
    const compared: string[] = [];
    for (const [port, localPort, proto] of [
      [8080, 41001, 'tcp'],
      [8081, 41002, 'tcp'],
      [5353, 41003, 'udp'],
    ] as const) {
      const entry = table.find((e) => e.protocolName === proto && e.original.sport === localPort && e.original.dport === port);
      assert.ok(entry, `conntrack has no ${proto} ${localPort} -> ${port}`);
      const mine = records.filter((r) => r.dataplaneVerdict === 'unknown' && tupleOf(r) === `${proto === 'tcp' ? 6 : 17} ${POD_A.ip}:${localPort} > ${POD_B.ip}:${port}`);
      const ebpf = { original: sum(mine, 'originalBytes'), reply: sum(mine, 'replyBytes') };
      const ct = { original: entry.original.bytes!, reply: entry.reply.bytes! };
      for (const dir of ['original', 'reply'] as const) {
        const diff = Math.abs(ebpf[dir] - ct[dir]) / Math.max(1, ct[dir]);
        assert.ok(diff <= 0.01, `${proto} ${localPort}->${port} ${dir}: eBPF ${ebpf[dir]} B vs conntrack ${ct[dir]} B (${(diff * 100).toFixed(2)}%)`);
      }
      compared.push(`${proto} ${localPort}->${port}: eBPF ${ebpf.original}/${ebpf.reply} B, conntrack ${ct.original}/${ct.reply} B`);
    }
    assert.ok(records.find((r) => tupleOf(r) === `6 ${POD_A.ip}:41001 > ${POD_B.ip}:8080`)!.originalBytes > 3_000_000);
    process.stdout.write(`# byte agreement: ${compared.join('; ')}\n`);
  });

  it('merged with the conntrack source, counts every allowed byte once and adds the drops', async () => {
    const { logger } = capturingLogger();
    const metrics = new CollectorMetrics();
    const conntrack = new ConntrackSource({ nodeName: 'node1', snapshotIntervalMs: 1000, conntrackPath: 'conntrack', commandPrefix: ['ip', 'netns', 'exec', topology.nodeNs], enableSysctls: false, eventBufferBytes: 4 << 20, metrics, logger });
    const merged = new MergedFlowSource(conntrack, new EbpfFlowSource({ ...sourceOptions(logger), metrics }), { graceMs: 1500 });
    const records: FlowRecordData[] = [];
    await merged.start((r) => records.push(...r));
    try {
      await tcpExchange(8082, 42001, 500_000, 100_000);
      await tcpDropped(9090, 42004, 1200);
      await sleep(1500);
    } finally {
      await merged.stop();
    }

    const allowed = records.filter((r) => tupleOf(r) === `6 ${POD_A.ip}:42001 > ${POD_B.ip}:8082`);
    assert.ok(allowed.length > 0 && allowed.every((r) => r.source === 'conntrack'), `allowed flow records by source: ${allowed.map((r) => r.source).join(',')}`);
    assert.ok(sum(allowed, 'originalBytes') > 500_000);
    const denied = records.filter((r) => tupleOf(r) === `6 ${POD_A.ip}:42004 > ${POD_B.ip}:9090`);
    assert.ok(denied.length > 0, 'the drop is reported');
    const show = (r: FlowRecordData) => `${r.source}/${r.dataplaneVerdict}/${r.eventKind} ${r.originalPackets} pkts ${r.originalBytes} B @${r.endTimeUnixNano}`;
    assert.ok(denied.every((r) => r.source === 'ebpf' && r.dataplaneVerdict === 'deny'), `and only as a deny record, not also as eBPF accounting: ${denied.map(show).join('; ')}`);
    const status = merged.status() as { running: boolean; merge: { ebpfSuppressedTracked: number; ebpfSuppressedDropped: number } };
    assert.ok(status.merge.ebpfSuppressedTracked >= 1);
    assert.ok(status.merge.ebpfSuppressedDropped >= 1);
    assert.equal(await metrics.valueOf(metrics.recordsRead, { source: 'ebpf' }) > 0, true);
  });

  it('restarts a loader that was killed, replacing the filters it left', async () => {
    const { logger, lines } = capturingLogger();
    const source = new EbpfFlowSource({ ...sourceOptions(logger), restartInitialDelayMs: 200 });
    await source.start(() => undefined);
    try {
      const pid = source.status().loaderPid!;
      process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 15_000;
      while (!(source.status().restarts === 1 && source.status().state === 'running')) {
        assert.ok(Date.now() < deadline, `not restarted: ${JSON.stringify(source.status())}`);
        await sleep(100);
      }
      assert.notEqual(source.status().loaderPid, pid);
      // tc prints a header line and a detail line per filter; the details name our handle.
      const filters = (await tcFilters(POD_A.hostIf)).split('\n').filter((l) => l.includes('handle 0x5e9f'));
      assert.equal(filters.length, 2, `one filter per direction, replaced: ${filters.join(' / ')}`);
      assert.ok(lines.some((l) => l.msg === 'eBPF loader exited; restarting'));
    } finally {
      await source.stop();
    }
    assert.equal(await tcFilters(POD_A.hostIf), '');
  });

  it('without the privileges for eBPF, says so once and starts anyway (the agent runs on conntrack alone)', async () => {
    const { logger, lines } = capturingLogger();
    const source = new EbpfFlowSource({
      ...sourceOptions(logger),
      // The same loader as an unprivileged user: no CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN.
      commandPrefix: ['ip', 'netns', 'exec', topology.nodeNs, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'],
    });
    await source.start(() => undefined);
    const status = source.status();
    assert.equal(status.state, 'unavailable');
    assert.match(status.reason ?? '', /not permitted|needs CAP/i);
    assert.equal(source.available, false);
    await sleep(1500);
    const warnings = lines.filter((l) => String(l.msg).includes('unavailable'));
    assert.equal(warnings.length, 1, 'said once, no retries');
    assert.equal(status.restarts, 0);
    await source.stop();
  });
});
