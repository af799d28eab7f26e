import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EbpfFrameDecoder, EbpfRecordError, decodeEbpfFrame, decodeEbpfStream, type EbpfDropRecord, type EbpfRecord } from '../../../src/collector/sources/ebpf/ebpf-record-parser.ts';
import { bytesToIp } from '../../../src/contract/wire/ip-address-bytes.ts';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../testdata/ebpf');
const capture = readFileSync(path.join(dataDir, 'loader-output.bin'));

const describeTuple = (r: { tuple: { protocol: number; src: Uint8Array; sport: number; dst: Uint8Array; dport: number } }): string =>
  `${r.tuple.protocol} ${bytesToIp(r.tuple.src)}:${r.tuple.sport} > ${bytesToIp(r.tuple.dst)}:${r.tuple.dport}`;

describe('eBPF loader record decoder on captured output', () => {
  const records = decodeEbpfStream(capture);

  it('starts with hello and the attached interfaces, in the loader namespace', () => {
    const hello = records[0];
    assert.equal(hello?.type, 'hello');
    if (hello?.type !== 'hello') return;
    assert.equal(hello.netfilterDropReason, 12, 'SKB_DROP_REASON_NETFILTER_DROP on kernel 6.18');
    assert.equal(hello.intervalMs, 1000);
    assert.ok(hello.netnsInode > 0);
    const ifaces = records.filter((r) => r.type === 'iface');
    assert.deepEqual(
      ifaces.map((r) => r.type === 'iface' && [r.name, r.attached]),
      [
        ['sfcapa', true],
        ['sfcapb', true],
      ],
    );
  });

  it('ends every interval with an interval record, sequence 1, 2, 3, ... and flow counts that match', () => {
    let flows = 0;
    let expected = 1;
    for (const r of records) {
      if (r.type === 'flow') flows++;
      if (r.type === 'interval') {
        assert.equal(r.sequence, expected++);
        assert.equal(r.flowsDrained, flows, `interval ${r.sequence}`);
        assert.equal(r.ringbufFullTotal, 0);
        assert.equal(r.flowMapFullTotal, 0);
        flows = 0;
      }
    }
    assert.ok(expected > 3);
    assert.equal(records.at(-1)?.type, 'interval', 'the final drain at SIGTERM');
  });

  it('reports every netfilter drop with its 5-tuple, IP bytes and TCP flags', () => {
    const drops = records.filter((r): r is EbpfDropRecord => r.type === 'drop');
    assert.ok(drops.every((d) => d.reason === 12));
    const byTuple = new Map<string, EbpfDropRecord[]>();
    for (const d of drops) byTuple.set(describeTuple(d), [...(byTuple.get(describeTuple(d)) ?? []), d]);
    assert.deepEqual([...byTuple.keys()].sort(), ['17 10.232.1.2:40005 > 10.232.2.2:9091', '6 10.232.1.2:40004 > 10.232.2.2:9090', '6 fd00:232:1::2:40006 > fd00:232:2::2:9090']);
    const syn4 = byTuple.get('6 10.232.1.2:40004 > 10.232.2.2:9090')!;
    assert.equal(syn4.length, 2, 'SYN and its retransmit');
    assert.ok(syn4.every((d) => d.bytes === 60 && d.tcpFlags === 0x02 && d.tuple.family === 4));
    const udp = byTuple.get('17 10.232.1.2:40005 > 10.232.2.2:9091')!;
    assert.deepEqual(
      udp.map((d) => d.bytes),
      [78, 78],
      '20 IP + 8 UDP + 50 payload',
    );
    const syn6 = byTuple.get('6 fd00:232:1::2:40006 > fd00:232:2::2:9090')!;
    assert.ok(syn6.every((d) => d.bytes === 80 && d.tuple.family === 6 && d.tuple.src.length === 16));
    assert.ok(drops.every((d) => d.ifindex > 0 && d.timeUnixNano > 1_700_000_000_000_000_000n));
  });

  it('counts the other drop reasons by name, and NETFILTER_DROP among them', () => {
    const totals = new Map<string, number>();
    for (const r of records) if (r.type === 'interval') for (const d of r.dropReasons) totals.set(d.name, (totals.get(d.name) ?? 0) + d.count);
    assert.equal(totals.get('NETFILTER_DROP'), 6);
    assert.ok([...totals.keys()].every((name) => /^[A-Z0-9_]+$/.test(name)));
  });

  it('decodes the same records when the stream arrives one byte at a time', () => {
    const decoder = new EbpfFrameDecoder();
    const out: EbpfRecord[] = [];
    for (let i = 0; i < capture.length; i++) out.push(...decoder.push(capture.subarray(i, i + 1)));
    assert.equal(decoder.bufferedBytes, 0);
    assert.deepEqual(out, records);
  });
});

describe('eBPF loader record decoder on bad input', () => {
  const frame = (type: number, version: number, body: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(4 + body.length, 0);
    head.writeUInt16LE(type, 4);
    head.writeUInt16LE(version, 6);
    return Buffer.concat([head, body]);
  };

  it('skips record types it does not know and counts them', () => {
    const decoder = new EbpfFrameDecoder();
    const hello = Buffer.alloc(16);
    hello.writeUInt32LE(12, 8);
    const out = decoder.push(Buffer.concat([frame(99, 1, Buffer.from('future')), frame(1, 1, hello)]));
    assert.equal(decoder.unknownFrames, 1);
    assert.deepEqual(out, [{ type: 'hello', pid: 0, netnsInode: 0, netfilterDropReason: 12, intervalMs: 0 }]);
  });

  it('rejects an unknown version, an absurd length, a truncated body and a stream that ends mid-frame', () => {
    assert.throws(() => decodeEbpfFrame(frame(1, 2, Buffer.alloc(16)).subarray(4)), /record version 2/);
    const huge = Buffer.alloc(8);
    huge.writeUInt32LE(1 << 24, 0);
    assert.throws(() => new EbpfFrameDecoder().push(huge), EbpfRecordError);
    assert.throws(() => decodeEbpfFrame(frame(4, 1, Buffer.alloc(20)).subarray(4)), /drop record truncated/);
    assert.throws(() => decodeEbpfStream(capture.subarray(0, capture.length - 3)), /ends inside a frame/);
  });

  it('rejects an address family other than 4 or 6', () => {
    const body = Buffer.alloc(60);
    body.writeUInt8(5, 20); // family
    assert.throws(() => decodeEbpfFrame(frame(4, 1, body).subarray(4)), /address family 5/);
  });
});
