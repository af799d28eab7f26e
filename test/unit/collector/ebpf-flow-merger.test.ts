import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isConntrackNoiseLine, parseConntrackLine } from '../../../src/collector/sources/conntrack/conntrack-event-parser.ts';
import { ConntrackFlowTracker } from '../../../src/collector/sources/conntrack/conntrack-flow-tracker.ts';
import { EbpfFlowAssembler } from '../../../src/collector/sources/ebpf/ebpf-flow-assembler.ts';
import { FlowMerger } from '../../../src/collector/sources/ebpf/ebpf-flow-merger.ts';
import { decodeEbpfStream } from '../../../src/collector/sources/ebpf/ebpf-record-parser.ts';
import type { FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { bytesToIp, ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../testdata/ebpf');
const ebpfRecords = new EbpfFlowAssembler({ nodeName: 'node1' }).handle(decodeEbpfStream(readFileSync(path.join(dataDir, 'loader-output.bin'))));
const conntrackRecords = new ConntrackFlowTracker({ nodeName: 'node1' }).handleSnapshot(
  readFileSync(path.join(dataDir, 'conntrack-list.txt'), 'utf8')
    .split('\n')
    .filter((l) => !isConntrackNoiseLine(l))
    .map(parseConntrackLine),
  1000,
  1010,
);

const name = (r: FlowRecordData): string => `${r.protocol} ${bytesToIp(r.original.srcIp)}:${r.original.srcPort} > ${bytesToIp(r.original.dstIp)}:${r.original.dstPort}`;

function record(over: Partial<FlowRecordData> & { src: string; sport: number; dst: string; dport: number; replySrc?: string; replySport?: number }): FlowRecordData {
  const src = ipToBytes(over.src);
  const dst = ipToBytes(over.dst);
  const replySrc = over.replySrc ? ipToBytes(over.replySrc) : dst;
  return {
    source: 'ebpf',
    nodeName: 'n',
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    ipVersion: 4,
    protocol: 6,
    original: { srcIp: src, dstIp: dst, srcPort: over.sport, dstPort: over.dport },
    reply: { srcIp: replySrc, dstIp: src, srcPort: over.replySport ?? over.dport, dstPort: over.sport },
    originalPackets: 1,
    originalBytes: 60,
    replyPackets: 0,
    replyBytes: 0,
    eventKind: 'new',
    tcpState: 'unspecified',
    assured: false,
    unreplied: true,
    conntrackId: 0,
    conntrackMark: 0,
    dataplaneVerdict: 'unknown',
    ruleHint: '',
    icmpType: 0,
    icmpCode: 0,
    icmpId: 0,
    countersValid: true,
    ...over,
  };
}

describe('flow merger on the captured conntrack table and loader output', () => {
  const merger = new FlowMerger({ graceMs: 2000 });
  const out: FlowRecordData[] = [];
  out.push(...merger.conntrack(conntrackRecords, 0));
  const immediate = merger.ebpf(ebpfRecords, 100);
  out.push(...immediate);
  const early = merger.release(1000);
  out.push(...early, ...merger.release(2100));

  it('passes conntrack records untouched and eBPF deny records at once', () => {
    assert.deepEqual(out.filter((r) => r.source === 'conntrack'), conntrackRecords);
    assert.ok(immediate.length > 0 && immediate.every((r) => r.dataplaneVerdict === 'deny'));
    assert.equal(early.length, 0, 'accounting is held for the grace period');
  });

  it('keeps no eBPF accounting for flows conntrack tracks (TCP, UDP, ICMP, IPv6)', () => {
    const ebpfAccounting = out.filter((r) => r.source === 'ebpf' && r.dataplaneVerdict !== 'deny');
    assert.deepEqual(ebpfAccounting.map(name), [], 'the dropped flows are in deny records, the allowed ones in conntrack records');
    const stats = merger.stats();
    assert.equal(stats.held, 0);
    assert.ok(stats.ebpfSuppressedTracked >= 6, `suppressed tracked: ${stats.ebpfSuppressedTracked}`);
    assert.equal(stats.ebpfSuppressedDropped, 5, 'the accounting of the 5 dropped-packet intervals');
  });

  it('counts every byte once: conntrack for allowed flows, deny records for dropped packets', () => {
    const allowed = out.filter((r) => r.source === 'conntrack' && bytesToIp(r.original.srcIp) === '10.232.1.2' && r.original.dstPort === 8080);
    assert.equal(allowed.reduce((a, r) => a + r.originalBytes, 0), 5268);
    const denied = out.filter((r) => r.dataplaneVerdict === 'deny');
    assert.equal(denied.reduce((a, r) => a + r.originalBytes, 0), 60 + 60 + 156 + 80 + 80);
  });
});

describe('flow merger rules', () => {
  it('lets through eBPF flows conntrack never reported (untracked)', () => {
    const m = new FlowMerger({ graceMs: 1000 });
    m.ebpf([record({ src: '10.1.0.1', sport: 1000, dst: '10.1.0.2', dport: 80 })], 0);
    assert.deepEqual(m.release(999), []);
    assert.deepEqual(m.release(1000).map(name), ['6 10.1.0.1:1000 > 10.1.0.2:80']);
    assert.equal(m.stats().ebpfUntrackedRecords, 1);
  });

  it('matches conntrack in either direction, and both halves of a DNATed connection', () => {
    const m = new FlowMerger({ graceMs: 0 });
    // conntrack: client 10.1.0.1:1000 -> service 10.96.0.10:80, DNAT to backend 10.1.0.2:8080.
    m.conntrack([record({ source: 'conntrack', src: '10.1.0.1', sport: 1000, dst: '10.96.0.10', dport: 80, replySrc: '10.1.0.2', replySport: 8080 })], 0);
    // eBPF at tc ingress sees client -> service (pre-DNAT) and backend -> client (pre-reverse-NAT).
    m.ebpf(
      [
        record({ src: '10.1.0.1', sport: 1000, dst: '10.96.0.10', dport: 80 }),
        record({ src: '10.1.0.2', sport: 8080, dst: '10.1.0.1', dport: 1000 }),
        record({ src: '10.96.0.10', sport: 80, dst: '10.1.0.1', dport: 1000 }),
      ],
      0,
    );
    assert.deepEqual(m.release(0), []);
    assert.equal(m.stats().ebpfSuppressedTracked, 3);
  });

  it('subtracts dropped packets from untracked accounting and keeps what passed', () => {
    const m = new FlowMerger({ graceMs: 0 });
    const deny = record({ src: '10.1.0.1', sport: 1000, dst: '10.1.0.2', dport: 80, dataplaneVerdict: 'deny', originalPackets: 2, originalBytes: 120 });
    assert.deepEqual(m.ebpf([deny], 0), [deny]);
    m.ebpf([record({ src: '10.1.0.1', sport: 1000, dst: '10.1.0.2', dport: 80, originalPackets: 5, originalBytes: 700, replyPackets: 1, replyBytes: 40 })], 0);
    const [rest] = m.release(0);
    assert.deepEqual([rest?.originalPackets, rest?.originalBytes, rest?.replyPackets, rest?.replyBytes], [3, 580, 1, 40]);
    // The drops were used up: the next interval's accounting is untouched.
    m.ebpf([record({ src: '10.1.0.1', sport: 1000, dst: '10.1.0.2', dport: 80, originalPackets: 1, originalBytes: 60 })], 1);
    assert.equal(m.release(1)[0]?.originalPackets, 1);
  });

  it('forgets tracked connections after the retention, and flushes everything held on demand', () => {
    const m = new FlowMerger({ graceMs: 5000, trackedRetentionMs: 1000 });
    m.conntrack([record({ source: 'conntrack', src: '10.1.0.1', sport: 1, dst: '10.1.0.2', dport: 2 })], 0);
    m.release(2000);
    assert.equal(m.stats().trackedConnections, 0);
    m.ebpf([record({ src: '10.1.0.1', sport: 1, dst: '10.1.0.2', dport: 2 })], 2000);
    assert.equal(m.release(2001, true).length, 1);
  });
});
