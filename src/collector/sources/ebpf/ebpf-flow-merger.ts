/**
 * Merges the records of the conntrack and eBPF sources of one node so that no traffic is
 * counted twice.
 *
 * The rule:
 * - **conntrack wins the accounting of tracked flows.** It knows the NAT mapping, the TCP state
 *   and the conntrack id, which the enricher uses; an eBPF accounting record whose connection
 *   (either direction, matched against conntrack's original *and* reply tuple, so DNATed flows
 *   match on both halves) conntrack reported within `trackedRetentionMs` is suppressed;
 * - **eBPF contributes drops**: `deny` records always pass, immediately;
 * - **eBPF contributes untracked flows**: accounting records conntrack never reported (NOTRACK
 *   rules, protocols conntrack skips) pass as they are - except the packets that were counted
 *   at tc ingress and then dropped by netfilter: those are already in a `deny` record, so they
 *   are subtracted (per direction), and a record left with no packets is suppressed.
 *
 * eBPF accounting records are held for `graceMs` before the decision, because conntrack's
 * NEW event for a connection opened just before an eBPF interval ended may still be on its way.
 * Conntrack records pass through immediately and untouched.
 *
 * Pure: time comes in with the calls.
 */
import type { FlowRecordData, FlowTupleData } from '../../../contract/wire/flow-batch-codec.ts';
import { connectionKey, directionalKey } from './ebpf-flow-assembler.ts';

/** Options of {@link FlowMerger}. */
export interface FlowMergerOptions {
  /** How long eBPF accounting records wait for conntrack to report the same flow (ms; default 2000). */
  graceMs?: number;
  /** How long a flow counts as tracked after conntrack last reported it (ms; default 600 000). */
  trackedRetentionMs?: number;
  /** How long dropped-packet counts wait to be subtracted from eBPF accounting (ms; default 30 000). */
  dropRetentionMs?: number;
}

/** Counters of what the merger decided, for the status endpoint. */
export interface FlowMergerStats {
  conntrackRecords: number;
  ebpfDenyRecords: number;
  ebpfUntrackedRecords: number;
  ebpfSuppressedTracked: number;
  ebpfSuppressedDropped: number;
  held: number;
  trackedConnections: number;
}

const portsOf = (r: FlowRecordData, t: FlowTupleData): [number, number] =>
  r.protocol === 1 || r.protocol === 58 ? [r.icmpId, 0] : [t.srcPort, t.dstPort];

function connectionOf(r: FlowRecordData, t: FlowTupleData): string {
  const [sp, dp] = portsOf(r, t);
  return connectionKey(r.protocol, t.srcIp, sp, t.dstIp, dp).key;
}

function directionOf(r: FlowRecordData, t: FlowTupleData): string {
  const [sp, dp] = portsOf(r, t);
  return directionalKey(r.protocol, t.srcIp, sp, t.dstIp, dp);
}

/** See the module comment. */
export class FlowMerger {
  private readonly graceMs: number;
  private readonly trackedRetentionMs: number;
  private readonly dropRetentionMs: number;
  /** Connection key → last time conntrack reported it (ms). */
  private readonly tracked = new Map<string, number>();
  /** Directional key → dropped packets/bytes not yet subtracted. */
  private readonly dropped = new Map<string, { packets: number; bytes: number; atMs: number }>();
  private held: Array<{ record: FlowRecordData; atMs: number }> = [];
  private readonly counts = { conntrackRecords: 0, ebpfDenyRecords: 0, ebpfUntrackedRecords: 0, ebpfSuppressedTracked: 0, ebpfSuppressedDropped: 0 };

  constructor(options: FlowMergerOptions = {}) {
    this.graceMs = options.graceMs ?? 2000;
    this.trackedRetentionMs = options.trackedRetentionMs ?? 600_000;
    this.dropRetentionMs = options.dropRetentionMs ?? 30_000;
  }

  /** Records from conntrack: remembered as tracked, returned unchanged. */
  conntrack(records: FlowRecordData[], nowMs: number): FlowRecordData[] {
    for (const r of records) {
      this.counts.conntrackRecords++;
      this.tracked.delete(connectionOf(r, r.original)); // re-insert: Map order = oldest first, for expiry
      this.tracked.set(connectionOf(r, r.original), nowMs);
      const replyKey = connectionOf(r, r.reply);
      this.tracked.delete(replyKey);
      this.tracked.set(replyKey, nowMs);
    }
    return records;
  }

  /** Records from eBPF: `deny` records are returned at once, accounting records are held. */
  ebpf(records: FlowRecordData[], nowMs: number): FlowRecordData[] {
    const out: FlowRecordData[] = [];
    for (const r of records) {
      if (r.dataplaneVerdict === 'deny') {
        this.counts.ebpfDenyRecords++;
        const key = directionOf(r, r.original);
        const d = this.dropped.get(key) ?? { packets: 0, bytes: 0, atMs: nowMs };
        d.packets += r.originalPackets;
        d.bytes += r.originalBytes;
        d.atMs = nowMs;
        this.dropped.set(key, d);
        out.push(r);
      } else {
        this.held.push({ record: r, atMs: nowMs });
      }
    }
    return out;
  }

  /** Decides the held records older than the grace period (all of them with `all`). */
  release(nowMs: number, all = false): FlowRecordData[] {
    const out: FlowRecordData[] = [];
    let i = 0;
    for (; i < this.held.length; i++) {
      const { record, atMs } = this.held[i]!;
      if (!all && nowMs - atMs < this.graceMs) break;
      const decided = this.decide(record);
      if (decided) out.push(decided);
    }
    this.held = this.held.slice(i);
    this.expire(nowMs);
    return out;
  }

  stats(): FlowMergerStats {
    return { ...this.counts, held: this.held.length, trackedConnections: this.tracked.size };
  }

  private decide(r: FlowRecordData): FlowRecordData | null {
    if (this.tracked.has(connectionOf(r, r.original))) {
      this.counts.ebpfSuppressedTracked++;
      return null;
    }
    const out = { ...r };
    let subtracted = false;
    const take = (key: string, dir: 'original' | 'reply'): void => {
      const d = this.dropped.get(key);
      if (!d) return;
      const pk = dir === 'original' ? 'originalPackets' : 'replyPackets';
      const bk = dir === 'original' ? 'originalBytes' : 'replyBytes';
      const p = Math.min(d.packets, out[pk]);
      const b = Math.min(d.bytes, out[bk]);
      if (p === 0 && b === 0) return;
      out[pk] -= p;
      out[bk] -= b;
      d.packets -= p;
      d.bytes -= b;
      if (d.packets === 0 && d.bytes === 0) this.dropped.delete(key);
      subtracted = true;
    };
    take(directionOf(r, r.original), 'original');
    take(directionOf(r, r.reply), 'reply');
    if (subtracted && out.originalPackets === 0 && out.replyPackets === 0) {
      this.counts.ebpfSuppressedDropped++;
      return null;
    }
    this.counts.ebpfUntrackedRecords++;
    return out;
  }

  private expire(nowMs: number): void {
    for (const [key, at] of this.tracked) {
      if (nowMs - at <= this.trackedRetentionMs) break;
      this.tracked.delete(key);
    }
    for (const [key, d] of this.dropped) if (nowMs - d.atMs > this.dropRetentionMs) this.dropped.delete(key);
  }
}
