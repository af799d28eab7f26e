import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConntrackParseError,
  isConntrackNoiseLine,
  parseConntrackLine,
  type ConntrackEntry,
} from '../../../src/collector/sources/conntrack/conntrack-event-parser.ts';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../testdata/conntrack');
const lines = (file: string): string[] => readFileSync(path.join(dataDir, file), 'utf8').split('\n').filter((l) => !isConntrackNoiseLine(l));
const parseFile = (file: string): ConntrackEntry[] => lines(file).map(parseConntrackLine);
const byId = (entries: ConntrackEntry[], id: number, eventType: ConntrackEntry['eventType'] = null): ConntrackEntry => {
  const found = entries.find((e) => e.id === id && e.eventType === eventType);
  assert.ok(found, `entry ${id} (${eventType}) not found`);
  return found;
};

describe('conntrack text parser on captured output', () => {
  const events = parseFile('events.txt');

  it('parses every captured line of every file', () => {
    assert.equal(events.length, 16);
    assert.equal(events.filter((e) => e.eventType === 'new').length, 8);
    assert.equal(events.filter((e) => e.eventType === 'destroy').length, 8);
    for (const file of ['list-1.txt', 'list-2.txt', 'list-acct-off.txt', 'events-ktimestamp.txt']) {
      assert.ok(parseFile(file).length > 0, file);
    }
    assert.ok(events.every((e) => e.id !== null && e.timestamp !== null));
  });

  it('reads the DESTROY of an expired entry, which prints no timeout (captured from a real node namespace)', () => {
    const [e] = parseFile('events-expired.txt');
    assert.ok(e);
    assert.equal(e.eventType, 'destroy');
    assert.equal(e.timeoutSeconds, null);
    assert.equal(e.state, 'TIME_WAIT');
    assert.deepEqual(e.original, { src: '10.244.1.10', dst: '10.244.1.20', sport: 41312, dport: 8080, packets: 6, bytes: 1320 });
    assert.deepEqual(e.reply, { src: '10.244.1.20', dst: '10.244.1.10', sport: 8080, dport: 41312, packets: 4, bytes: 2216 });
    assert.equal(e.id, 3287507426);
  });

  it('reads a DNATed TCP destroy event: both tuples, counters, state, flags, time', () => {
    const e = byId(events, 1472689141, 'destroy');
    assert.equal(e.timestamp, 1795764760.314998);
    assert.equal(e.ipVersion, 4);
    assert.equal(e.protocolName, 'tcp');
    assert.equal(e.protocol, 6);
    assert.equal(e.state, 'TIME_WAIT');
    assert.equal(e.timeoutSeconds, 113);
    assert.deepEqual(e.original, { src: '10.231.0.1', dst: '10.231.1.10', sport: 34030, dport: 80, packets: 5, bytes: 1268 });
    assert.deepEqual(e.reply, { src: '10.231.0.2', dst: '10.231.0.1', sport: 8080, dport: 34030, packets: 3, bytes: 164 });
    assert.equal(e.assured, true);
    assert.equal(e.unreplied, false);
    assert.deepEqual(e.flags, ['ASSURED', 'USERSPACE']);
    assert.equal(e.deltaTimeSeconds, 7);
    assert.equal(e.attributes.portid, '8873');
  });

  it('reads ICMP tuples (type, code, echo id) and tells the echo id from the conntrack id', () => {
    const created = byId(events, 3058942792, 'new');
    assert.equal(created.unreplied, true);
    assert.deepEqual(created.original, { src: '10.231.0.1', dst: '10.231.0.2', icmpType: 8, icmpCode: 0, icmpId: 8761 });
    assert.deepEqual(created.reply, { src: '10.231.0.2', dst: '10.231.0.1', icmpType: 0, icmpCode: 0, icmpId: 8761 });
    assert.equal(created.state, null);
    const destroyed = byId(events, 3058942792, 'destroy');
    assert.equal(destroyed.original.packets, 2);
    assert.equal(destroyed.reply.bytes, 168);
  });

  it('reads IPv6 TCP and ICMPv6', () => {
    const tcp6 = byId(events, 1141852169, 'destroy');
    assert.equal(tcp6.ipVersion, 6);
    assert.equal(tcp6.original.src, 'fd00:231::1');
    assert.equal(tcp6.original.bytes, 2368);
    const icmp6 = byId(events, 1192373924, 'new');
    assert.equal(icmp6.protocolName, 'icmpv6');
    assert.equal(icmp6.protocol, 58);
    assert.equal(icmp6.original.icmpType, 128);
    assert.equal(icmp6.reply.icmpType, 129);
  });

  it('keeps [UNREPLIED] between the tuples from splitting them (unanswered UDP)', () => {
    const udp = byId(events, 3740173957, 'destroy');
    assert.equal(udp.unreplied, true);
    assert.deepEqual(udp.original, { src: '10.231.0.1', dst: '10.231.0.99', sport: 43914, dport: 9999, packets: 1, bytes: 31 });
    assert.deepEqual(udp.reply, { src: '10.231.0.99', dst: '10.231.0.1', sport: 9999, dport: 43914, packets: 0, bytes: 0 });
  });

  it('reads snapshot lines: no event type, mark, use, delta-time; counters of the long-lived connection grow', () => {
    const first = byId(parseFile('list-1.txt'), 2016324409);
    const second = byId(parseFile('list-2.txt'), 2016324409);
    assert.equal(first.eventType, null);
    assert.equal(first.timestamp, null);
    assert.equal(first.state, 'ESTABLISHED');
    assert.equal(first.mark, 0);
    assert.equal(first.attributes.use, '1');
    assert.equal(first.deltaTimeSeconds, 1);
    assert.equal(first.original.bytes, 1164);
    assert.equal(second.original.bytes, 5216);
    assert.equal(second.reply.packets, 3);
  });

  it('leaves the counters out when accounting is off', () => {
    const [entry] = parseFile('list-acct-off.txt');
    assert.ok(entry);
    assert.equal(entry.original.packets, undefined);
    assert.equal(entry.reply.bytes, undefined);
    assert.equal(entry.original.icmpId, 8682);
    assert.equal(entry.id, 1545608029);
    assert.equal(entry.deltaTimeSeconds, null);
  });

  it('keeps bracketed attributes with spaces (ktimestamp) in one piece', () => {
    const destroyed = parseFile('events-ktimestamp.txt')[1]!;
    assert.equal(destroyed.attributes.start, 'Fri Nov 27 07:31:30 2026');
    assert.equal(destroyed.attributes.stop, 'Fri Nov 27 07:31:30 2026');
    assert.equal(destroyed.id, 2925858796);
    assert.equal(destroyed.original.packets, 1);
  });
});

describe('conntrack text parser rejections', () => {
  const bad: Array<[string, RegExp]> = [
    ['<flow type="new"><meta direction="original">', /unknown layer 3|too few fields/],
    ['tcp      6 431998 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1', /unknown layer 3 .*-o extended/],
    ['ipv4     2 tcp      6 120 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 id=5', /expected an original and a reply tuple, found 1/],
    ['ipv4     2 udp      17 30 src=10.0.0.1 dst=10.0.0.2 sport=x dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1', /original sport is not a non-negative integer/],
    ['ipv4     2 udp      17 30 src=10.0.0.1 dst=10.0.0.2 [UNREPLIED src=10.0.0.2', /unterminated "\["/],
    ['ipv4     2 udp      17 30 src=10.0.0.1 dst=10.0.0.2 garbage src=10.0.0.2 dst=10.0.0.1', /unexpected token "garbage"/],
  ];
  for (const [line, reason] of bad) {
    it(`rejects ${JSON.stringify(line.slice(0, 50))}`, () => {
      assert.throws(() => parseConntrackLine(line), (e: unknown) => e instanceof ConntrackParseError && reason.test(e.message));
    });
  }

  it('recognises the tool summary and blank lines as noise, not entries', () => {
    assert.equal(isConntrackNoiseLine('conntrack v1.4.7 (conntrack-tools): 8 flow events have been shown.'), true);
    assert.equal(isConntrackNoiseLine('   '), true);
    assert.equal(isConntrackNoiseLine(lines('list-1.txt')[0]!), false);
  });
});
