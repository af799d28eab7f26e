import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isConntrackNoiseLine, parseConntrackLine } from '../../../src/collector/sources/conntrack/conntrack-event-parser.ts';
import { EbpfFlowAssembler } from '../../../src/collector/sources/ebpf/ebpf-flow-assembler.ts';
import { decodeEbpfStream, type EbpfFlowRecord, type EbpfRecord } from '../../../src/collector/sources/ebpf/ebpf-record-parser.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { bytesToIp, ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../testdata/ebpf');
const loaderRecords = decodeEbpfStream(readFileSync(path.join(dataDir, 'loader-output.bin')));
const conntrack = readFileSync(path.join(dataDir, 'conntrack-list.txt'), 'utf8')
  .split('\n')
  .filter((l) => !isConntrackNoiseLine(l))
  .map(parseConntrackLine);

const name = (r: FlowRecordData): string => {
  const icmp = r.protocol === 1 || r.protocol === 58;
  return `${r.protocol} ${bytesToIp(r.original.srcIp)}:${icmp ? `#${r.icmpId}` : r.original.srcPort} > ${bytesToIp(r.original.dstIp)}:${icmp ? '' : r.original.dstPort}`;
};
const total = (records: FlowRecordData[]) =>
  records.reduce((a, r) => ({ op: a.op + r.originalPackets, ob: a.ob + r.originalBytes, rp: a.rp + r.replyPackets, rb: a.rb + r.replyBytes }), { op: 0, ob: 0, rp: 0, rb: 0 });

describe('eBPF flow assembler on captured loader output', () => {
  const records = new EbpfFlowAssembler({ nodeName: 'node1' }).handle(loaderRecords);
  const accounting = records.filter((r) => r.dataplaneVerdict === 'unknown');
  const denies = records.filter((r) => r.dataplaneVerdict === 'deny');

  it('produces valid wire records (source ebpf, node name, IPv4 and IPv6)', () => {
    assert.ok(records.length > 0);
    assert.ok(records.every((r) => r.source === 'ebpf' && r.nodeName === 'node1' && r.countersValid));
    encodeFlowBatch({ agentId: 'a', bootId: 'b', sequence: 1, nodeName: 'node1', sentTimeUnixNano: 1n, records });
  });

  it('reports each conntrack-tracked connection once per interval, oriented like conntrack, with the same byte and packet counts', () => {
    const workload = conntrack.filter((e) => e.original.src.startsWith('10.232.1.') || e.original.src.startsWith('fd00:232:1::2'));
    const seen = workload.filter((e) => e.original.dst !== 'fd00:232:1::1'); // the ping to the node came before the loader started
    assert.equal(seen.length, 5);
    for (const e of seen) {
      const mine = accounting.filter(
        (r) =>
          bytesToIp(r.original.srcIp) === e.original.src &&
          bytesToIp(r.original.dstIp) === e.original.dst &&
          (r.protocol === 1 || r.protocol === 58 ? r.icmpId === e.original.icmpId : r.original.srcPort === e.original.sport && r.original.dstPort === e.original.dport),
      );
      assert.ok(mine.length > 0, `no eBPF record for ${e.protocolName} ${e.original.src} > ${e.original.dst}`);
      const t = total(mine);
      // Both count IP bytes of the same skbs; the 1% of the contract holds with room to spare.
      assert.deepEqual(t, { op: e.original.packets, ob: e.original.bytes, rp: e.reply.packets, rb: e.reply.bytes }, `${e.protocolName} ${e.original.src} > ${e.original.dst}`);
      assert.equal(mine[0]!.eventKind, 'new');
      // The reply tuple is the original reversed (no NAT here), as conntrack has it.
      assert.equal(bytesToIp(mine[0]!.reply.srcIp), e.reply.src);
      assert.equal(mine[0]!.reply.srcPort, e.reply.sport ?? 0);
    }
  });

  it('orients TCP by the SYN even though the reply direction was drained first, and closes it after FIN from both sides', () => {
    const tcp = accounting.filter((r) => name(r) === '6 10.232.1.2:40001 > 10.232.2.2:8080');
    assert.deepEqual(
      tcp.map((r) => r.eventKind),
      ['new', 'destroy'],
    );
    assert.deepEqual(total(tcp), { op: 5, ob: 5268, rp: 3, rb: 164 });
    assert.equal(tcp[0]!.assured, true);
    assert.equal(tcp[0]!.unreplied, false);
    assert.ok(tcp[0]!.startTimeUnixNano > 0n && tcp[0]!.startTimeUnixNano <= tcp[0]!.endTimeUnixNano);
  });

  it('pairs ICMP echo requests with their replies by identifier; the request side is original', () => {
    const icmp = accounting.filter((r) => r.protocol === 1);
    // The echo identifiers are whatever ping picked during the capture: conntrack recorded them.
    const idOf = (proto: string, dst: string) => conntrack.find((e) => e.protocolName === proto && e.original.dst === dst)!.original.icmpId;
    assert.equal(icmp.length, 1);
    assert.equal(name(icmp[0]!), `1 10.232.1.2:#${idOf('icmp', '10.232.2.2')} > 10.232.2.2:`);
    assert.equal(icmp[0]!.icmpType, 8);
    assert.equal(icmp[0]!.original.srcPort, 0);
    const icmp6 = accounting.filter((r) => r.protocol === 58);
    assert.deepEqual(
      icmp6.map((r) => [name(r), r.icmpType, r.replyPackets]),
      [[`58 fd00:232:1::2:#${idOf('icmpv6', 'fd00:232:2::2')} > fd00:232:2::2:`, 128, 2]],
    );
  });

  it('leaves IPv6 neighbour discovery and MLD out', () => {
    const assembler = new EbpfFlowAssembler({ nodeName: 'node1' });
    const out = assembler.handle(loaderRecords);
    assert.ok(assembler.skippedControl > 5);
    assert.ok(!out.some((r) => bytesToIp(r.original.dstIp).startsWith('ff02:')));
  });

  it('turns drops into deny records per 5-tuple and interval, named by the drop reason', () => {
    assert.deepEqual(
      denies.map((r) => [name(r), r.eventKind, r.originalPackets, r.originalBytes, r.replyPackets, r.ruleHint]),
      [
        ['6 10.232.1.2:40004 > 10.232.2.2:9090', 'new', 1, 60, 0, 'kfree_skb:NETFILTER_DROP'],
        ['6 10.232.1.2:40004 > 10.232.2.2:9090', 'update', 1, 60, 0, 'kfree_skb:NETFILTER_DROP'],
        ['17 10.232.1.2:40005 > 10.232.2.2:9091', 'new', 2, 156, 0, 'kfree_skb:NETFILTER_DROP'],
        ['6 fd00:232:1::2:40006 > fd00:232:2::2:9090', 'new', 1, 80, 0, 'kfree_skb:NETFILTER_DROP'],
        ['6 fd00:232:1::2:40006 > fd00:232:2::2:9090', 'update', 1, 80, 0, 'kfree_skb:NETFILTER_DROP'],
      ],
    );
    assert.ok(denies.every((r) => r.unreplied && r.conntrackId === 0 && r.startTimeUnixNano <= r.endTimeUnixNano));
  });

  it('discards the half interval of a loader that died', () => {
    const assembler = new EbpfFlowAssembler({ nodeName: 'node1' });
    const cut = loaderRecords.findIndex((r) => r.type === 'drop');
    assembler.handle(loaderRecords.slice(0, cut + 1));
    assert.equal(assembler.discardPending(), 1);
  });
});

describe('eBPF flow assembler rules', () => {
  const flow = (over: Partial<EbpfFlowRecord> & { src: string; dst: string; sport: number; dport: number; protocol?: number }): EbpfFlowRecord => ({
    type: 'flow',
    firstUnixNano: over.firstUnixNano ?? 1000n,
    lastUnixNano: over.lastUnixNano ?? 2000n,
    packets: over.packets ?? 1,
    bytes: over.bytes ?? 100,
    ifindex: 2,
    tcpFlags: over.tcpFlags ?? 0,
    direction: 'ingress',
    icmpType: over.icmpType ?? 0,
    icmpCode: 0,
    tuple: { family: 4, protocol: over.protocol ?? 6, src: ipToBytes(over.src), dst: ipToBytes(over.dst), sport: over.sport, dport: over.dport },
  });
  const interval = (seconds: number): EbpfRecord => ({ type: 'interval', timeUnixNano: BigInt(seconds) * 1_000_000_000n, sequence: seconds, flowsDrained: 0, ringbufFullTotal: 0, flowMapFullTotal: 0, dropUnparsedTotal: 0, tcUnparsedTotal: 0, dropReasons: [] });

  it('takes the SYN sender as original even when the other side was seen first, and keeps it across intervals', () => {
    const a = new EbpfFlowAssembler({ nodeName: 'n' });
    const out1 = a.handle([
      flow({ src: '10.0.0.2', sport: 80, dst: '10.0.0.1', dport: 5555, tcpFlags: 0x12, firstUnixNano: 10n }),
      flow({ src: '10.0.0.1', sport: 5555, dst: '10.0.0.2', dport: 80, tcpFlags: 0x02, firstUnixNano: 20n }),
      interval(1),
    ]);
    assert.deepEqual(
      out1.map((r) => [name(r), r.eventKind]),
      [['6 10.0.0.1:5555 > 10.0.0.2:80', 'new']],
    );
    // Later intervals have no SYN and the server speaks first: orientation is remembered.
    const out2 = a.handle([flow({ src: '10.0.0.2', sport: 80, dst: '10.0.0.1', dport: 5555, tcpFlags: 0x18, packets: 4, bytes: 4000 }), interval(2)]);
    assert.deepEqual(
      out2.map((r) => [name(r), r.eventKind, r.originalBytes, r.replyBytes]),
      [['6 10.0.0.1:5555 > 10.0.0.2:80', 'update', 0, 4000]],
    );
  });

  it('reports RST as destroy and forgets the connection', () => {
    const a = new EbpfFlowAssembler({ nodeName: 'n' });
    a.handle([flow({ src: '10.0.0.1', sport: 1, dst: '10.0.0.2', dport: 2, tcpFlags: 0x02 }), interval(1)]);
    const out = a.handle([flow({ src: '10.0.0.2', sport: 2, dst: '10.0.0.1', dport: 1, tcpFlags: 0x14 }), interval(2)]);
    assert.deepEqual(
      out.map((r) => [name(r), r.eventKind, r.replyPackets]),
      [['6 10.0.0.1:1 > 10.0.0.2:2', 'destroy', 1]],
    );
    assert.equal(a.size, 0);
  });

  it('without SYN or echo types, the first packet decides; idle connections end with a zero-delta destroy', () => {
    const a = new EbpfFlowAssembler({ nodeName: 'n', idleTimeoutMs: 30_000 });
    const out = a.handle([
      flow({ protocol: 17, src: '10.0.0.2', sport: 53, dst: '10.0.0.1', dport: 4444, firstUnixNano: 20n }),
      flow({ protocol: 17, src: '10.0.0.1', sport: 4444, dst: '10.0.0.2', dport: 53, firstUnixNano: 10n }),
      interval(1),
    ]);
    assert.deepEqual(
      out.map((r) => [name(r), r.eventKind]),
      [['17 10.0.0.1:4444 > 10.0.0.2:53', 'new']],
    );
    assert.deepEqual(a.handle([interval(20)]), []);
    const expired = a.handle([interval(40)]);
    assert.deepEqual(
      expired.map((r) => [name(r), r.eventKind, r.originalPackets, r.replyPackets]),
      [['17 10.0.0.1:4444 > 10.0.0.2:53', 'destroy', 0, 0]],
    );
  });

  it('forgets the least recently seen connections beyond maxConnections', () => {
    const a = new EbpfFlowAssembler({ nodeName: 'n', maxConnections: 2 });
    const out = a.handle([...[1, 2, 3].map((i): EbpfRecord => flow({ protocol: 17, src: '10.0.0.1', sport: i, dst: '10.0.0.2', dport: 53 })), interval(1)]);
    assert.equal(a.size, 2);
    assert.deepEqual(
      out.filter((r) => r.eventKind === 'destroy').map(name),
      ['17 10.0.0.1:1 > 10.0.0.2:53'],
    );
  });
});
