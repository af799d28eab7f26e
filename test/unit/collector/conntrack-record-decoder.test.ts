import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONNTRACK_RECORD_SIZE,
  ConntrackRecordDecodeError,
  ConntrackRecordKind as K,
  ConntrackRecordPresence as P,
  ConntrackRecordStream,
  decodeConntrackRecord,
  ipv6Text,
  type ConntrackReaderMessage,
} from '../../../src/collector/sources/conntrack/conntrack-record-decoder.ts';
import { addressTextToBytes } from '../../../src/collector/sources/conntrack/address-text-bytes.ts';
import { conntrackQueryEnd, TupleShape, writeConntrackQuery } from '../../../src/collector/sources/conntrack/conntrack-query-record.ts';
import { ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';

interface TupleSpec { src: number[]; dst: number[]; sport?: number; dport?: number; icmp?: [number, number, number]; packets?: number; bytes?: number }
interface RecordSpec {
  kind: number; ipVersion?: number; protocol?: number; state?: number; present: number; timeUs?: number;
  id?: number; status?: number; timeout?: number; mark?: number; zone?: number; tsStart?: number; tsStop?: number;
  orig: TupleSpec; reply: TupleSpec;
}

const u64 = (b: Buffer, o: number, v: number): void => {
  b.writeUInt32LE(v % 4294967296, o);
  b.writeUInt32LE(Math.floor(v / 4294967296), o + 4);
};

/** Writes a record exactly as conntrack-reader/conntrack_record.h lays it out. */
function record(s: RecordSpec): Buffer {
  const b = Buffer.alloc(CONNTRACK_RECORD_SIZE);
  b[0] = s.kind;
  b[1] = s.ipVersion ?? 4;
  b[2] = s.protocol ?? 6;
  b[3] = s.state ?? 0;
  b.writeUInt32LE(s.present, 4);
  u64(b, 8, s.timeUs ?? 1_795_764_760_315_280);
  b.writeUInt32LE(s.id ?? 0, 16);
  b.writeUInt32LE(s.status ?? 0, 20);
  b.writeUInt32LE(s.timeout ?? 0, 24);
  b.writeUInt32LE(s.mark ?? 0, 28);
  b.writeUInt16LE(s.zone ?? 0, 32);
  b.writeUInt32LE(s.tsStart ?? 0, 36);
  b.writeUInt32LE(s.tsStop ?? 0, 40);
  for (const [t, at, counters] of [[s.orig, 48, 128], [s.reply, 88, 144]] as const) {
    Buffer.from(t.src).copy(b, at);
    Buffer.from(t.dst).copy(b, at + 16);
    b.writeUInt16LE(t.sport ?? 0, at + 32);
    b.writeUInt16LE(t.dport ?? 0, at + 34);
    if (t.icmp) {
      b[at + 36] = t.icmp[0];
      b[at + 37] = t.icmp[1];
      b.writeUInt16LE(t.icmp[2], at + 38);
    }
    u64(b, counters, t.packets ?? 0);
    u64(b, counters + 8, t.bytes ?? 0);
  }
  return b;
}

const CLIENT = [10, 231, 0, 1];
const SERVER = [10, 231, 0, 2];
const tcpDestroy: RecordSpec = {
  kind: K.destroy, protocol: 6, state: 7, present: P.id | P.status | P.state | P.ports | P.countersOriginal | P.countersReply | P.tsStart | P.tsStop,
  id: 38671004, status: (1 << 1) | (1 << 2) | (1 << 3), tsStart: 1_795_764_753, tsStop: 1_795_764_760,
  orig: { src: CLIENT, dst: SERVER, sport: 35924, dport: 8080, packets: 5, bytes: 5268 },
  reply: { src: SERVER, dst: CLIENT, sport: 8080, dport: 35924, packets: 3, bytes: 164 },
};

const entryOf = (m: ConntrackReaderMessage) => {
  assert.equal(m.kind, 'entry');
  return (m as Extract<ConntrackReaderMessage, { kind: 'entry' }>).entry;
};

describe('decodeConntrackRecord: entries', () => {
  it('decodes a TCP DESTROY the way the text parser reads the same event', () => {
    const e = entryOf(decodeConntrackRecord(record(tcpDestroy)));
    assert.equal(e.eventType, 'destroy');
    assert.equal(e.timestamp, 1_795_764_760.31528);
    assert.equal(e.ipVersion, 4);
    assert.equal(e.protocolName, 'tcp');
    assert.equal(e.protocol, 6);
    assert.equal(e.timeoutSeconds, null, 'DESTROY events carry no timeout');
    assert.equal(e.state, 'TIME_WAIT');
    assert.equal(e.original.src, '10.231.0.1');
    assert.equal(e.original.dst, '10.231.0.2');
    assert.deepEqual([e.original.sport, e.original.dport, e.original.packets, e.original.bytes], [35924, 8080, 5, 5268]);
    assert.deepEqual([e.reply.src, e.reply.sport, e.reply.packets, e.reply.bytes], ['10.231.0.2', 8080, 3, 164]);
    assert.deepEqual([...e.original.srcBytes], CLIENT);
    assert.deepEqual([...e.reply.dstBytes], CLIENT);
    assert.equal(e.assured, true);
    assert.equal(e.unreplied, false);
    assert.deepEqual(e.flags, ['ASSURED']);
    assert.equal(e.id, 38671004);
    assert.equal(e.deltaTimeSeconds, 7);
    assert.equal(e.mark, null);
    assert.equal(e.zone, null);
    assert.equal(e.original.icmpType, undefined);
  });

  const cases: Array<{ name: string; spec: RecordSpec; check: (e: ReturnType<typeof entryOf>) => void }> = [
    {
      name: 'a NEW of an unreplied UDP flow with mark and zone, no counters',
      spec: { kind: K.new, protocol: 17, present: P.id | P.status | P.timeout | P.mark | P.zone | P.ports, id: 7, status: 1 << 3, timeout: 30, mark: 0x2a, zone: 3,
        orig: { src: CLIENT, dst: SERVER, sport: 5353, dport: 53 }, reply: { src: SERVER, dst: CLIENT, sport: 53, dport: 5353 } },
      check: (e) => {
        assert.deepEqual([e.eventType, e.protocolName, e.timeoutSeconds, e.state, e.mark, e.zone], ['new', 'udp', 30, null, 42, 3]);
        assert.deepEqual([e.unreplied, e.assured, e.flags], [true, false, ['UNREPLIED']]);
        assert.equal(e.original.packets, undefined, 'no counters without CT_HAS_COUNTERS_*');
        assert.equal(e.deltaTimeSeconds, null);
      },
    },
    {
      name: 'an ICMP echo with type, code and id',
      spec: { kind: K.new, protocol: 1, present: P.id | P.status | P.icmp, id: 9, status: 0,
        orig: { src: CLIENT, dst: SERVER, icmp: [8, 0, 4242] }, reply: { src: SERVER, dst: CLIENT, icmp: [0, 0, 4242] } },
      check: (e) => {
        assert.equal(e.protocolName, 'icmp');
        assert.deepEqual([e.original.icmpType, e.original.icmpCode, e.original.icmpId, e.original.sport], [8, 0, 4242, undefined]);
        assert.equal(e.reply.icmpType, 0);
      },
    },
    {
      name: 'an IPv6 TCP table line (LISTED: no event type, no timestamp; delta-time from the receive time)',
      spec: { kind: K.listed, ipVersion: 6, protocol: 6, state: 3, present: P.status | P.timeout | P.state | P.ports | P.tsStart, status: 6, timeout: 431999, tsStart: 1_795_764_700,
        timeUs: 1_795_764_760_999_999,
        orig: { src: [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], dst: [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34], sport: 1, dport: 443 },
        reply: { src: [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34], dst: [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], sport: 443, dport: 1 } },
      check: (e) => {
        assert.deepEqual([e.eventType, e.timestamp, e.ipVersion, e.state, e.deltaTimeSeconds], [null, null, 6, 'ESTABLISHED', 60]);
        assert.deepEqual([e.original.src, e.original.dst], ['fd00::1', 'fd00::1234']);
        assert.equal(e.original.srcBytes.length, 16);
      },
    },
    {
      name: 'an unknown layer 4 protocol keeps its number, named like the tool names it',
      spec: { kind: K.update, protocol: 250, present: 0, orig: { src: CLIENT, dst: SERVER }, reply: { src: SERVER, dst: CLIENT } },
      check: (e) => {
        assert.deepEqual([e.eventType, e.protocolName, e.protocol, e.unreplied, e.id], ['update', 'unknown', 250, false, null]);
      },
    },
    {
      name: 'counters past 2^32 are exact',
      spec: { ...tcpDestroy, orig: { ...tcpDestroy.orig, bytes: 2 ** 40 + 17 } },
      check: (e) => assert.equal(e.original.bytes, 2 ** 40 + 17),
    },
  ];
  for (const c of cases) it(c.name, () => c.check(entryOf(decodeConntrackRecord(record(c.spec)))));
});

describe('decodeConntrackRecord: reader messages', () => {
  it('READY, LOSS (cumulative drops as u64) and DUMP_END', () => {
    const ready = Buffer.alloc(CONNTRACK_RECORD_SIZE);
    ready[0] = K.ready;
    ready.writeUInt32LE(1, 16);
    ready.writeUInt32LE(16_777_216, 20);
    assert.deepEqual(decodeConntrackRecord(ready), { kind: 'ready', version: 1, receiveBufferBytes: 16_777_216 });
    const loss = Buffer.alloc(CONNTRACK_RECORD_SIZE);
    loss[0] = K.loss;
    loss.writeUInt32LE(3, 16);
    u64(loss, 24, 2 ** 33 + 5);
    assert.deepEqual(decodeConntrackRecord(loss), { kind: 'loss', overruns: 3, droppedEvents: 2 ** 33 + 5 });
    const end = Buffer.alloc(CONNTRACK_RECORD_SIZE);
    end[0] = K.dumpEnd;
    end.writeUInt32LE(12, 16);
    assert.deepEqual(decodeConntrackRecord(end), { kind: 'dump-end', entries: 12 });
  });
});

describe('decodeConntrackRecord: bad records name every problem and the offset', () => {
  const bad: Array<{ name: string; bytes: () => Buffer; offset?: number; problems: RegExp[] }> = [
    { name: 'truncated', bytes: () => record(tcpDestroy).subarray(0, 100), problems: [/^truncated record: 100 of 160 bytes$/] },
    { name: 'unknown kind', bytes: () => record({ ...tcpDestroy, kind: 12 }), problems: [/^unknown record kind 12 \(byte 0\)$/] },
    {
      name: 'several problems at once',
      bytes: () => {
        const b = record({ ...tcpDestroy, ipVersion: 5, present: tcpDestroy.present | P.icmp | (1 << 20) });
        return b;
      },
      problems: [/ip version \(byte 1\) is 5, expected 4 or 6/, /unknown presence bits 0x100000/, /both ports and icmp/],
    },
    {
      name: 'garbage after an IPv4 address',
      bytes: () => {
        const b = record(tcpDestroy);
        b[64 + 7] = 0xff;
        return b;
      },
      problems: [/original dst address is IPv4 but bytes 68\.\.79 are not zero/],
    },
    {
      name: 'stop before start, reserved bytes set',
      bytes: () => {
        const b = record({ ...tcpDestroy, tsStart: 100, tsStop: 99 });
        b[44] = 1;
        return b;
      },
      problems: [/reserved bytes/, /timestamp stop 99 is before start 100/],
    },
  ];
  for (const c of bad) {
    it(c.name, () => {
      assert.throws(() => decodeConntrackRecord(c.bytes(), 0, 3200), (err: unknown) => {
        assert.ok(err instanceof ConntrackRecordDecodeError);
        assert.equal(err.offset, 3200);
        assert.match(err.message, /^invalid conntrack reader record at byte 3200: /);
        assert.equal(err.problems.length, c.problems.length, `problems: ${err.problems.join(' | ')}`);
        c.problems.forEach((re, i) => assert.match(err.problems[i]!, re));
        return true;
      });
    });
  }
});

describe('ConntrackRecordStream', () => {
  it('reassembles records split across chunks, skips a bad one with its stream offset, and reports a partial tail', () => {
    const all = Buffer.concat([record(tcpDestroy), record({ ...tcpDestroy, kind: 42 }), record({ ...tcpDestroy, id: 2 }), record(tcpDestroy).subarray(0, 30)]);
    const ids: Array<number | null> = [];
    const errors: ConntrackRecordDecodeError[] = [];
    const stream = new ConntrackRecordStream((m) => ids.push(entryOf(m).id), (e) => errors.push(e));
    const cuts = [0, 7, 150, 170, 333, 480, all.length];
    for (let i = 1; i < cuts.length; i++) stream.push(all.subarray(cuts[i - 1], cuts[i]));
    stream.end();
    assert.deepEqual(ids, [38671004, 2]);
    assert.equal(errors.length, 2);
    assert.equal(errors[0]!.offset, 160);
    assert.match(errors[0]!.message, /unknown record kind 42/);
    assert.equal(errors[1]!.offset, 480);
    assert.match(errors[1]!.message, /stream ended inside a record: 30 of 160 bytes/);
  });

  it('decodes the same records however the stream is cut into chunks (every pair of cut points)', () => {
    const all = Buffer.concat([record(tcpDestroy), record({ ...tcpDestroy, id: 2 }), record({ ...tcpDestroy, kind: 42 }), record({ ...tcpDestroy, id: 4 })]);
    for (let a = 1; a < all.length; a += 3) {
      for (let b = a; b < all.length; b += 7) {
        const ids: Array<number | null> = [];
        const offsets: number[] = [];
        const stream = new ConntrackRecordStream((m) => ids.push(entryOf(m).id), (e) => offsets.push(e.offset));
        for (const [from, to] of [[0, a], [a, b], [b, all.length]] as const) stream.push(all.subarray(from, to));
        stream.end();
        assert.deepEqual(ids, [38671004, 2, 4], `cut at ${a} and ${b}`);
        assert.deepEqual(offsets, [320], `cut at ${a} and ${b}`);
      }
    }
  });
});

describe('ipv6Text (RFC 5952, as inet_ntop prints)', () => {
  const cases: Array<[string, string]> = [
    ['::', '::'], ['::1', '::1'], ['2001:db8::1', '2001:db8::1'], ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1::1', '2001:0:0:1::1'], ['fe80::1:0:0:0', 'fe80::1:0:0:0'], ['::ffff:10.1.2.3', '::ffff:10.1.2.3'], ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => assert.equal(ipv6Text(ipToBytes(input)), expected));
  }
});

describe('addressTextToBytes (the text path without ipaddr.js for IPv4)', () => {
  for (const text of ['10.231.0.1', '0.0.0.0', '255.255.255.255', '192.168.1.10', '::1', 'fd00::1234', '::ffff:10.1.2.3']) {
    it(`${text} gives the contract parser's bytes`, () => assert.deepEqual(addressTextToBytes(text), ipToBytes(text)));
  }
  for (const text of ['256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..2.3', '', 'a.b.c.d', '1.2.3.4 ']) {
    it(`${JSON.stringify(text)} is refused as the contract parser refuses it`, () => {
      assert.throws(() => ipToBytes(text));
      assert.throws(() => addressTextToBytes(text), /not an IP address/);
    });
  }
});

describe('QUERY records and the answers of the reader\'s query mode', () => {
  it('writes a QUERY exactly as conntrack_record.h lays it out, and decodes its GONE answer back to the entry asked for', () => {
    const tuple = { srcIp: Uint8Array.from(CLIENT), dstIp: Uint8Array.from(SERVER), srcPort: 35924, dstPort: 8080 };
    const written = Buffer.alloc(CONNTRACK_RECORD_SIZE);
    writeConntrackQuery(written, 0, 4, 6, TupleShape.ports, 38671004, 3, tuple, 0, 0, 0);
    const expected = record({ kind: K.query, protocol: 6, present: P.id | P.zone | P.ports, id: 38671004, zone: 3, timeUs: 0,
      orig: { src: CLIENT, dst: SERVER, sport: 35924, dport: 8080 }, reply: { src: [0, 0, 0, 0], dst: [0, 0, 0, 0] } });
    assert.deepEqual(written, expected);
    const gone = Buffer.from(written);
    gone[0] = K.gone;
    gone.writeUInt32LE(2, 24);
    const message = decodeConntrackRecord(gone);
    assert.equal(message.kind, 'gone');
    const { entry, error } = message as Extract<ConntrackReaderMessage, { kind: 'gone' }>;
    assert.equal(error, 2);
    assert.deepEqual([entry.id, entry.zone, entry.protocol, entry.original.src, entry.original.dst, entry.original.sport, entry.original.dport, entry.timeoutSeconds], [38671004, 3, 6, '10.231.0.1', '10.231.0.2', 35924, 8080, null]);
  });

  it('writes IPv6 ICMP queries with no id or zone (presence bits tell the reader what to send)', () => {
    const v6 = (last: number) => Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), last]);
    const written = Buffer.alloc(CONNTRACK_RECORD_SIZE);
    writeConntrackQuery(written, 0, 6, 58, TupleShape.icmp, -1, -1, { srcIp: v6(1), dstIp: v6(2), srcPort: 0, dstPort: 0 }, 128, 0, 77);
    const expected = record({ kind: K.query, ipVersion: 6, protocol: 58, present: P.icmp, timeUs: 0,
      orig: { src: [...v6(1)], dst: [...v6(2)], icmp: [128, 0, 77] }, reply: { src: [], dst: [] } });
    assert.deepEqual(written, expected);
  });

  it('decodes FOUND as a listed entry (no event type) and QUERY_END with the count answered', () => {
    const found = entryOf(decodeConntrackRecord(record({ ...tcpDestroy, kind: K.found })));
    assert.equal(found.eventType, null);
    assert.equal(found.timestamp, null, 'an answer carries no event time, as a listing line');
    assert.deepEqual([found.id, found.original.bytes, found.state], [38671004, 5268, 'TIME_WAIT']);
    const end = Buffer.alloc(CONNTRACK_RECORD_SIZE);
    end[0] = K.queryEnd;
    end.writeUInt32LE(12345, 16);
    assert.deepEqual(decodeConntrackRecord(end), { kind: 'query-end', answered: 12345 });
    assert.deepEqual(decodeConntrackRecord(conntrackQueryEnd()), { kind: 'query-end', answered: 0 });
  });

  it('refuses a QUERY record from the reader: only the agent writes them', () => {
    const written = Buffer.alloc(CONNTRACK_RECORD_SIZE);
    writeConntrackQuery(written, 0, 4, 17, TupleShape.ports, 1, -1, { srcIp: Uint8Array.from(CLIENT), dstIp: Uint8Array.from(SERVER), srcPort: 1, dstPort: 53 }, 0, 0, 0);
    assert.throws(() => decodeConntrackRecord(written, 0, 320), (err: unknown) => err instanceof ConntrackRecordDecodeError && err.offset === 320 && /unknown record kind 8/.test(err.message));
  });
});
