/**
 * Bounds a flow record must respect to be indexed: its times and its counters must be ones a
 * real node could have reported. Without them one wrong record creates an index retention never
 * deletes (a record from 2200), resurrects a long-deleted day (1970), or pushes totals past the
 * integers a JSON number holds exactly.
 *
 * - Times: the end must lie in [now - maxRecordAge, now + maxClockSkew]. The lower bound is the
 *   retention (an older record would land in a daily index retention deletes at its next run);
 *   with retention off (keep all) it is maxRecordAge alone, default 7 days. The upper bound
 *   allows for node clocks running ahead (default 5 min). A known start may not be in the future
 *   either; it may be long past (a flow's start, not its interval's).
 * - Counters, per direction, only when `counters_valid` (otherwise every counter must be 0, as
 *   the wire schema says):
 *   - bytes ≤ (D + 1 s) × maxLinkBitsPerSecond / 8 + one jumbo frame (9,216 bytes), where D is
 *     the record's duration (end - start, at most maxRecordAge; maxRecordAge when the start is
 *     unknown). The deltas of a record happened within its flow's life; the extra second covers
 *     conntrack's whole-second timestamps (a flow's start is read as `now - delta-time`), the
 *     frame a record of zero duration. Default link: 400 Gbit/s, the fastest common NIC port.
 *   - bytes ≤ 2^43 (8.8 TB, 176 s of a 400 Gbit/s link) whatever the duration: a sum of 1,024
 *     such records is still an exact integer in a double (2^53), so documents and API totals
 *     stay exact. Sources report a live flow at every snapshot (seconds apart); only the first
 *     report of a long-lived flow after an agent start (its whole history) can come near it.
 *   - packets ≤ bytes / minimum packet size (20 bytes IPv4, 40 IPv6: a bare IP header; the
 *     byte counters include it), so packets cannot outgrow bytes;
 *   - packets ≥ 1 when bytes > 0. No ceiling on bytes per packet: with GRO/BIG TCP one counted
 *     "packet" may be a 64-512 KB aggregate.
 */
import type { FlowRecordData } from '../../contract/wire/flow-batch-codec.ts';
import type { IngestProblem } from './ingest-problem.ts';

export interface IngestBounds {
  /** Oldest record end accepted, as an age (ms) before now. */
  readonly maxRecordAgeMs: number;
  /** How far a record end may lie ahead of the enricher's clock (ms). */
  readonly maxClockSkewMs: number;
  /** Fastest link a node may have (bits/s): bounds bytes per unit of a record's duration. */
  readonly maxLinkBitsPerSecond: number;
}

const DAY_MS = 86_400_000;
export const DEFAULT_MAX_RECORD_AGE_MS = 7 * DAY_MS;
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;
export const DEFAULT_MAX_LINK_BITS_PER_SECOND = 400e9;
/** A jumbo frame (9,000-byte MTU plus headers, as switches size it): the slack of a record of zero duration. */
export const JUMBO_FRAME_BYTES = 9216;
/** Largest counter accepted whatever the duration: 1,024 of them still sum exactly (2^53). */
export const MAX_RECORD_COUNTER = 2 ** 43;
/** Conntrack reports times in whole seconds: a duration may be short by up to one. */
const TIMESTAMP_SLACK_MS = 1000;

/**
 * The age bound to apply: with retention on, never older than what retention keeps (an older
 * record would create or grow an index that retention deletes); an explicit max age may be
 * stricter. With retention off, the explicit max age or 7 days.
 */
export function effectiveMaxRecordAgeMs(retentionDays: number, maxRecordAgeMs: number | undefined): number {
  const retention = retentionDays > 0 ? retentionDays * DAY_MS : undefined;
  if (retention === undefined) return maxRecordAgeMs ?? DEFAULT_MAX_RECORD_AGE_MS;
  return maxRecordAgeMs === undefined ? retention : Math.min(retention, maxRecordAgeMs);
}

/** Most bytes one direction of a record may carry over `durationMs`. */
export function maxRecordBytes(durationMs: number, bounds: IngestBounds): number {
  const link = Math.floor(((Math.max(0, durationMs) + TIMESTAMP_SLACK_MS) / 1000) * (bounds.maxLinkBitsPerSecond / 8)) + JUMBO_FRAME_BYTES;
  return Math.min(link, MAX_RECORD_COUNTER);
}

const iso = (ms: number): string => (Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`);

/**
 * Every bound `r` (record `index` of its message) breaks at `nowMs`; empty when it is within
 * all. Field paths are built only for a problem: this runs for every record.
 */
export function checkRecordBounds(r: FlowRecordData, index: number, bounds: IngestBounds, nowMs: number): IngestProblem[] {
  const problems: IngestProblem[] = [];
  const at = (field: string): string => `records[${index}].${field}`;
  // To ms through a double: a few hundred ns of rounding do not matter to bounds in seconds.
  const endMs = Math.floor(Number(r.endTimeUnixNano) / 1e6);
  const startMs = r.startTimeUnixNano > 0n ? Math.floor(Number(r.startTimeUnixNano) / 1e6) : undefined;
  const oldest = nowMs - bounds.maxRecordAgeMs;
  const latest = nowMs + bounds.maxClockSkewMs;
  if (r.endTimeUnixNano > 0n && endMs < oldest) {
    problems.push({ code: 'time_too_old', field: at('end_time_unix_nano'), message: `${iso(endMs)} is older than the oldest accepted time ${iso(oldest)} (max record age ${bounds.maxRecordAgeMs} ms)` });
  }
  if (endMs > latest) {
    problems.push({ code: 'time_in_future', field: at('end_time_unix_nano'), message: `${iso(endMs)} is after now + max clock skew (${iso(latest)})` });
  }
  if (startMs !== undefined && startMs > latest) {
    problems.push({ code: 'time_in_future', field: at('start_time_unix_nano'), message: `${iso(startMs)} is after now + max clock skew (${iso(latest)})` });
  }
  if (!r.countersValid) {
    if (r.originalPackets !== 0 || r.originalBytes !== 0 || r.replyPackets !== 0 || r.replyBytes !== 0) {
      for (const [name, v] of [['original_packets', r.originalPackets], ['original_bytes', r.originalBytes], ['reply_packets', r.replyPackets], ['reply_bytes', r.replyBytes]] as const) {
        if (v !== 0) problems.push({ code: 'counters_without_accounting', field: at(name), message: `is ${v} but counters_valid is false (counters must then be 0)` });
      }
    }
    return problems;
  }
  const durationMs = Math.min(startMs !== undefined && startMs <= endMs ? endMs - startMs : bounds.maxRecordAgeMs, bounds.maxRecordAgeMs);
  const byteLimit = maxRecordBytes(durationMs, bounds);
  const minPacketBytes = r.ipVersion === 6 ? 40 : 20;
  checkDirection('original', r.originalPackets, r.originalBytes);
  checkDirection('reply', r.replyPackets, r.replyBytes);
  return problems;

  function checkDirection(dir: 'original' | 'reply', packets: number, bytes: number): void {
    if (bytes > byteLimit) {
      problems.push(byteLimit === MAX_RECORD_COUNTER
        ? { code: 'counter_too_large', field: at(`${dir}_bytes`), message: `${bytes} exceeds the largest counter one record may carry (2^43 = ${MAX_RECORD_COUNTER})` }
        : { code: 'bytes_exceed_link', field: at(`${dir}_bytes`), message: `${bytes} bytes in ${durationMs} ms${startMs === undefined ? ' (start unknown: the max record age)' : ''} exceed what a ${bounds.maxLinkBitsPerSecond / 1e9} Gbit/s link carries (${byteLimit})` });
    }
    if (packets * minPacketBytes > bytes) {
      problems.push({ code: 'packets_exceed_bytes', field: at(`${dir}_packets`), message: `${packets} packets cannot fit in ${bytes} bytes (an IPv${r.ipVersion} packet has at least ${minPacketBytes})` });
    }
    if (bytes > 0 && packets === 0) {
      problems.push({ code: 'bytes_without_packets', field: at(`${dir}_packets`), message: `is 0 while ${dir}_bytes is ${bytes}` });
    }
  }
}
