/**
 * Ingest bounds of a record (src/enricher/ingest/record-bounds.ts): times within [now - max
 * age, now + skew], counters a link could carry, packets consistent with bytes — every broken
 * bound reported with its field, and real sources' records (the synthetic traffic model) within
 * all of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadResourcePaths } from '../../../src/inventory/loader/load-files.ts';
import { deriveTrafficPlan } from '../../../src/collector/sources/synthetic/synthetic-traffic-plan.ts';
import { SyntheticTrafficGenerator } from '../../../src/collector/sources/synthetic/synthetic-traffic-model.ts';
import type { FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';
import {
  checkRecordBounds, effectiveMaxRecordAgeMs, JUMBO_FRAME_BYTES, MAX_RECORD_COUNTER, maxRecordBytes, type IngestBounds,
} from '../../../src/enricher/ingest/record-bounds.ts';

const NOW = Date.parse('2026-11-27T10:00:00Z');
const DAY = 86_400_000;
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;
const BOUNDS: IngestBounds = { maxRecordAgeMs: 7 * DAY, maxClockSkewMs: 300_000, maxLinkBitsPerSecond: 400e9 };

function record(over: Partial<FlowRecordData> = {}): FlowRecordData {
  return {
    source: 'conntrack', nodeName: 'node-1', startTimeUnixNano: ns(NOW - 5000), endTimeUnixNano: ns(NOW - 1000), ipVersion: 4, protocol: 6,
    original: { srcIp: ipToBytes('10.0.0.1'), dstIp: ipToBytes('10.0.0.2'), srcPort: 40000, dstPort: 80 },
    reply: { srcIp: ipToBytes('10.0.0.2'), dstIp: ipToBytes('10.0.0.1'), srcPort: 80, dstPort: 40000 },
    originalPackets: 10, originalBytes: 1000, replyPackets: 8, replyBytes: 5000, eventKind: 'update', tcpState: 'ESTABLISHED',
    assured: true, unreplied: false, conntrackId: 1, conntrackMark: 0, dataplaneVerdict: 'unknown', ruleHint: '',
    icmpType: 0, icmpCode: 0, icmpId: 0, countersValid: true, ...over,
  };
}

const check = (r: FlowRecordData) => checkRecordBounds(r, 0, BOUNDS, NOW).map((p) => `${p.code} ${p.field}`);

describe('record bounds', () => {
  it('accepts a plausible record', () => {
    assert.deepEqual(check(record()), []);
  });

  it('rejects a record ending in 1970 (older than the max age) and one ending in 2200 (beyond the clock skew)', () => {
    assert.deepEqual(check(record({ startTimeUnixNano: 0n, endTimeUnixNano: ns(1000) })), ['time_too_old records[0].end_time_unix_nano']);
    const y2200 = Date.parse('2200-01-01T00:00:00Z');
    assert.deepEqual(check(record({ startTimeUnixNano: ns(y2200 - 1000), endTimeUnixNano: ns(y2200) })), [
      'time_in_future records[0].end_time_unix_nano', 'time_in_future records[0].start_time_unix_nano',
    ]);
  });

  it('draws the time bounds exactly at now - max age and now + skew', () => {
    const at = (endMs: number) => check(record({ startTimeUnixNano: 0n, endTimeUnixNano: ns(endMs), originalBytes: 100, originalPackets: 1, replyBytes: 0, replyPackets: 0 }));
    assert.deepEqual(at(NOW - 7 * DAY), []);
    assert.deepEqual(at(NOW - 7 * DAY - 1), ['time_too_old records[0].end_time_unix_nano']);
    assert.deepEqual(at(NOW + 300_000), []);
    assert.deepEqual(at(NOW + 300_001), ['time_in_future records[0].end_time_unix_nano']);
  });

  it('takes the retention as the max age, an explicit one when stricter, and 7 days when retention keeps all', () => {
    assert.equal(effectiveMaxRecordAgeMs(3, undefined), 3 * DAY);
    assert.equal(effectiveMaxRecordAgeMs(3, DAY), DAY);
    assert.equal(effectiveMaxRecordAgeMs(3, 30 * DAY), 3 * DAY, 'never older than retention keeps');
    assert.equal(effectiveMaxRecordAgeMs(0, undefined), 7 * DAY);
    assert.equal(effectiveMaxRecordAgeMs(0, 90 * DAY), 90 * DAY);
  });

  it('rejects 2^53-1 bytes and packets: beyond the link in the record\'s duration and beyond the per-record ceiling', () => {
    const max = Number.MAX_SAFE_INTEGER;
    assert.deepEqual(check(record({ originalBytes: max, originalPackets: max })), [
      'bytes_exceed_link records[0].original_bytes', 'packets_exceed_bytes records[0].original_packets',
    ]);
    // Even with the start unknown (duration = max age: the link bound alone would allow 3e16).
    assert.deepEqual(check(record({ startTimeUnixNano: 0n, originalBytes: max, originalPackets: 1 })), ['counter_too_large records[0].original_bytes']);
  });

  it('bounds bytes by (duration + 1 s) × link speed / 8 plus one jumbo frame', () => {
    // 4 s at 400 Gbit/s: (4 + 1) × 50e9 + 9216.
    const limit = 5 * 50e9 + JUMBO_FRAME_BYTES;
    assert.equal(maxRecordBytes(4000, BOUNDS), limit);
    assert.deepEqual(check(record({ replyBytes: limit, replyPackets: 1 })), []);
    assert.deepEqual(check(record({ replyBytes: limit + 1, replyPackets: 1 })), ['bytes_exceed_link records[0].reply_bytes']);
    // A record of zero duration may carry a second's worth plus one frame (whole-second timestamps).
    assert.equal(maxRecordBytes(0, BOUNDS), 50e9 + JUMBO_FRAME_BYTES);
    assert.equal(maxRecordBytes(365 * DAY, BOUNDS), MAX_RECORD_COUNTER);
  });

  it('wants at least one minimum-size packet per 20 bytes (40 for IPv6) and packets whenever there are bytes', () => {
    assert.deepEqual(check(record({ originalPackets: 51, originalBytes: 1000 })), ['packets_exceed_bytes records[0].original_packets']);
    assert.deepEqual(check(record({ originalPackets: 50, originalBytes: 1000 })), []);
    const v6 = { ipVersion: 6 as const, original: { srcIp: ipToBytes('fd00::1'), dstIp: ipToBytes('fd00::2'), srcPort: 1, dstPort: 2 }, reply: { srcIp: ipToBytes('fd00::2'), dstIp: ipToBytes('fd00::1'), srcPort: 2, dstPort: 1 } };
    assert.deepEqual(check(record({ ...v6, originalPackets: 26, originalBytes: 1000 })), ['packets_exceed_bytes records[0].original_packets']);
    assert.deepEqual(check(record({ replyPackets: 0, replyBytes: 60 })), ['bytes_without_packets records[0].reply_packets']);
  });

  it('wants every counter 0 when the source had no accounting, naming each one that is not', () => {
    assert.deepEqual(check(record({ countersValid: false, originalPackets: 0, originalBytes: 0, replyPackets: 0, replyBytes: 0 })), []);
    assert.deepEqual(check(record({ countersValid: false, replyPackets: 0, replyBytes: 0 })), [
      'counters_without_accounting records[0].original_packets', 'counters_without_accounting records[0].original_bytes',
    ]);
  });

  it('reports every broken bound of one record together', () => {
    assert.deepEqual(check(record({ startTimeUnixNano: 0n, endTimeUnixNano: ns(NOW + DAY), originalPackets: 100, originalBytes: 10, replyPackets: 0, replyBytes: 5 })), [
      'time_in_future records[0].end_time_unix_nano', 'packets_exceed_bytes records[0].original_packets', 'bytes_without_packets records[0].reply_packets',
    ]);
  });

  it('lets every record of the synthetic traffic model through', async () => {
    const plan = deriveTrafficPlan((await loadResourcePaths(['examples/shop'])).resources);
    const generator = new SyntheticTrafficGenerator(plan, { nodeName: 'node-1', seed: 7, connectionsPerSecond: 200, startTimeMs: NOW - 120_000 });
    const problems: string[] = [];
    let records = 0;
    for (let t = NOW - 119_750; t <= NOW; t += 250) {
      for (const r of generator.advanceTo(t)) {
        records++;
        problems.push(...checkRecordBounds(r, records, BOUNDS, NOW).map((p) => `${p.field}: ${p.message}`));
      }
    }
    assert.ok(records > 1000, `generated ${records} records`);
    assert.deepEqual(problems.slice(0, 5), []);
  });
});
