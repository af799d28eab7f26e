/**
 * The distinct 5-tuples of a flow document, each marked started and/or completed, kept in the
 * stored document so that merging documents stays exact: Calico's `num_flows`,
 * `num_flows_started` and `num_flows_completed` are the sizes of three tuple sets (every tuple
 * seen, those with a start, those with an end in the interval), and sets — unlike counts —
 * merge without double counting whatever the split, order or replay of the records.
 *
 * Invariants (Calico's): started ≤ count and completed ≤ count, since both are subsets of the
 * tuples. completed ≤ started does NOT hold: a connection opened in an earlier window may
 * complete in this one.
 *
 * Representation: one base64 string of fixed-layout entries sorted by tuple, each a flags byte
 * (1 started, 2 completed, 4 IPv6) then the source address, the source and destination ports
 * (2 bytes each) and the destination address — 13 bytes for IPv4, 37 for IPv6. The protocol
 * and whatever the aggregation level keeps are in the document key already.
 *
 * Bound: at most `maxTuples` entries (default 4,096, ~71 KB of base64 for IPv4). Up to it
 * every count is exact. Beyond it the document keeps the `maxTuples` tuples with the smallest
 * hashes (a bottom-k sample, which merges to the same sample in any order) and says
 * `exact: false`; the count is then the estimate (k-1)/h_k (h_k the k-th smallest hash as a
 * fraction of the hash space) and started/completed that count times their share of the
 * sample. Exact while a window of one document sees ≤ maxTuples connections.
 */
import { createHash } from 'node:crypto';

export const TUPLE_STARTED = 1;
export const TUPLE_COMPLETED = 2;
const TUPLE_IPV6 = 4;

export const DEFAULT_MAX_TUPLES_PER_DOCUMENT = 4096;

/** Tuple key (see tupleKey) → flags (TUPLE_STARTED | TUPLE_COMPLETED). */
export type TupleFlags = Map<string, number>;

/**
 * A tuple as a map key: packed source address (2 UTF-16 units for IPv4, 8 for IPv6), source
 * port, destination port, packed destination address (6 or 18 units in all).
 */
export function tupleKey(srcIpPacked: string, srcPort: number, dstPort: number, dstIpPacked: string): string {
  return srcIpPacked + String.fromCharCode(srcPort, dstPort) + dstIpPacked;
}

/** ORs every tuple of `from` into `into`. */
export function unionTuples(into: TupleFlags, from: ReadonlyMap<string, number>): void {
  for (const [key, flags] of from) into.set(key, (into.get(key) ?? 0) | flags);
}

const HASH_SPACE = 2 ** 48;

function hash48(key: string): number {
  const digest = createHash('sha1').update(key, 'utf16le').digest();
  return digest.readUIntBE(0, 6);
}

/**
 * The tuples kept within `maxTuples`: all of them, or the bottom-k sample by hash. `sampledK`
 * is the size of a stored sample the set was merged into (a document already inexact): the
 * union is then a sample again, of at most that size (tuples dropped earlier may hash below
 * a larger k, so the sample can never grow back).
 */
export function capTuples(tuples: TupleFlags, maxTuples: number, sampledK?: number): { tuples: TupleFlags; exact: boolean; kthHash: number | null } {
  const k = sampledK === undefined ? maxTuples : Math.min(maxTuples, sampledK);
  if (sampledK === undefined && tuples.size <= k) return { tuples, exact: true, kthHash: null };
  const hashed = [...tuples.keys()].map((key) => ({ key, h: hash48(key) }));
  hashed.sort((a, b) => a.h - b.h || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const kept: TupleFlags = new Map();
  const n = Math.min(k, hashed.length);
  for (let i = 0; i < n; i++) kept.set(hashed[i]!.key, tuples.get(hashed[i]!.key)!);
  return { tuples: kept, exact: false, kthHash: n > 0 ? hashed[n - 1]!.h : null };
}

/** Calico's three numbers of a (possibly sampled) tuple set. */
export function countTuples(capped: { tuples: TupleFlags; exact: boolean; kthHash: number | null }): { count: number; started: number; completed: number } {
  let started = 0;
  let completed = 0;
  for (const flags of capped.tuples.values()) {
    if (flags & TUPLE_STARTED) started++;
    if (flags & TUPLE_COMPLETED) completed++;
  }
  const size = capped.tuples.size;
  if (capped.exact || capped.kthHash === null || size < 2) return { count: size, started, completed };
  // Bottom-k estimate of the distinct count; never below what the sample itself holds.
  const count = Math.max(size, Math.round((size - 1) / ((capped.kthHash + 1) / HASH_SPACE)));
  return { count, started: Math.round((started / size) * count), completed: Math.round((completed / size) * count) };
}

/** The set as stored: base64 of the entries sorted by tuple. */
export function encodeTuples(tuples: ReadonlyMap<string, number>): string {
  const keys = [...tuples.keys()].sort();
  let length = 0;
  for (const key of keys) length += 1 + key.length * 2;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const key of keys) {
    if (key.length !== 6 && key.length !== 18) throw new Error(`tuple key of ${key.length} units (want 6 for IPv4, 18 for IPv6)`);
    out[at++] = (tuples.get(key)! & (TUPLE_STARTED | TUPLE_COMPLETED)) | (key.length === 18 ? TUPLE_IPV6 : 0);
    for (let i = 0; i < key.length; i++, at += 2) out.writeUInt16BE(key.charCodeAt(i), at);
  }
  return out.toString('base64');
}

/** Reads a stored set back; throws on a malformed value (a document not written by this code). */
export function decodeTuples(encoded: string): TupleFlags {
  const bytes = Buffer.from(encoded, 'base64');
  const tuples: TupleFlags = new Map();
  let at = 0;
  while (at < bytes.length) {
    const flags = bytes[at++]!;
    const units = flags & TUPLE_IPV6 ? 18 : 6;
    if (at + units * 2 > bytes.length) throw new Error(`stored tuple set is truncated at byte ${at - 1} of ${bytes.length}`);
    const codes: number[] = new Array<number>(units);
    for (let i = 0; i < units; i++, at += 2) codes[i] = bytes.readUInt16BE(at);
    const key = String.fromCharCode(...codes);
    tuples.set(key, (tuples.get(key) ?? 0) | (flags & (TUPLE_STARTED | TUPLE_COMPLETED)));
  }
  return tuples;
}
