/**
 * Turns conntrack events and table snapshots into flow records with packet/byte *deltas*.
 *
 * conntrack's counters are cumulative per entry; the wire contract wants "since the last
 * report". The tracker remembers, per live entry, what it has reported so far:
 *
 * - NEW event → a `new` record (counters 0: the kernel sends none on NEW), entry remembered
 *   with its start time;
 * - snapshot (`conntrack -L`) line → an `update` record with the growth since the last report
 *   when anything changed (counters, TCP state, assured/unreplied); an entry not seen before
 *   (it predates the agent, or its NEW event was lost) → a `new` record with its whole
 *   counters, start time from `delta-time` when timestamps are on;
 * - DESTROY event → a `destroy` record with the remaining growth; the entry is forgotten and
 *   remembered as destroyed for a while, so a snapshot that raced with the event does not
 *   resurrect it (only a listing that started before the DESTROY can still hold the entry: when
 *   the source says when its listings start, {@link ConntrackFlowTracker.snapshotStarted}, keys
 *   are kept only as long as such a listing may be pending — at 10,000 flows/s, 60 s of keys
 *   would be 600,000 strings for the garbage collector to walk);
 * - an entry missing from a complete snapshot that started after its last sighting is set
 *   aside, not closed: the listing hides *expired* entries (a closed TCP connection past
 *   TIME_WAIT) that the kernel's garbage collector has not reaped yet, and the DESTROY event
 *   that follows the reaping carries the final counters. Short connections live entirely
 *   between two snapshots, so all their bytes arrive that way. Only when no DESTROY came within
 *   `vanishedGraceMs` is the entry closed with zero deltas (its DESTROY event was lost, e.g.
 *   ENOBUFS).
 *
 * Pure and synchronous: time comes in with the calls, records go out as return values.
 */
import type { FlowRecordData, FlowTupleData, TcpState } from '../../../contract/wire/flow-batch-codec.ts';
import type { ConntrackEntry, ConntrackEventType } from './conntrack-event-parser.ts';
import { SlotIndexedMap } from '../slot-indexed-map.ts';
import { emptyObservation, observeEntry, packedIpv4Key, tupleOfEntry, type ConntrackObservation } from './conntrack-observation.ts';
import { ipv4RecordTuple, observeIpv4Record } from './conntrack-record-decoder.ts';

/** Options of {@link ConntrackFlowTracker}. */
export interface ConntrackFlowTrackerOptions {
  /** Node name written into every record. */
  nodeName: string;
  /** How long a destroyed entry's key is remembered to ignore stale snapshot lines (ms; default 60 000). */
  destroyedKeyRetentionMs?: number;
  /**
   * Once the source reports when its listings start ({@link ConntrackFlowTracker.snapshotStarted}),
   * how long a key is kept past the start of the pending listing, or past now with none pending
   * (ms; default 1000): a margin for the reader's clock and the agent's (both CLOCK_REALTIME) —
   * a listing that starts after the kernel destroyed an entry cannot list it.
   */
  destroyedKeyMarginMs?: number;
  /**
   * Whether the kernel keeps counters (`nf_conntrack_acct` on; default true). NEW events never
   * carry counters; with accounting on, their zero deltas are real (the traffic is reported by
   * the next snapshot or the DESTROY), so their records say `countersValid: true`.
   */
  accountingEnabled?: boolean;
  /**
   * How long an entry missing from snapshots waits for its DESTROY event before it is closed
   * with zero deltas (ms; default 120 000 — the conntrack garbage collector visits every entry
   * well within that).
   */
  vanishedGraceMs?: number;
}

/**
 * A live entry. Flat on purpose: one object per connection (plus its two wire tuples), kept
 * for the connection's life — at 10,000 flows/s the garbage collector copies every one of them.
 */
interface TrackedFlow {
  key: string;
  /** The last table listing that showed it (see {@link ConntrackFlowTracker.beginListing}). */
  listedIn: number;
  startTimeUnixNano: bigint;
  lastSeenMs: number;
  /** Counter totals reported so far. */
  reportedOriginalPackets: number;
  reportedOriginalBytes: number;
  reportedReplyPackets: number;
  reportedReplyBytes: number;
  tcpState: TcpState;
  assured: boolean;
  unreplied: boolean;
  /**
   * What the last report's sighting said, to rebuild a `destroy` record when the DESTROY event
   * was lost: its event type, whether it carried counters, and its fixed fields.
   */
  lastEventType: ConntrackEventType | null;
  lastHadCounters: boolean;
  ipVersion: 4 | 6;
  protocol: number;
  id: number | null;
  mark: number | null;
  icmpType: number;
  icmpCode: number;
  icmpId: number;
  /**
   * The wire tuples, made once and shared by every record of the flow: the original tuple is
   * part of its key and the reply tuple is fixed once the kernel confirmed the entry.
   */
  original: FlowTupleData;
  reply: FlowTupleData;
}

/**
 * Identity of a live conntrack entry: its id plus its original tuple (ids can be reused after
 * destroy). An IPv4 entry with an id and address bytes (the netlink reader's: most of the
 * traffic) gets the same identity packed into 10 UTF-16 code units, one string built at once —
 * the text form costs a dozen intermediate strings per event at 20,000 events a second. A reader
 * gives every entry of a connection the same form, so its events always meet (the netlink
 * reader's records get the packed key from observeIpv4Record, the same one).
 */
export function conntrackFlowKey(entry: ConntrackEntry): string {
  const o = entry.original;
  const id = entry.id;
  const src = o.srcBytes;
  const dst = o.dstBytes;
  if (id !== null && src !== undefined && dst !== undefined && src.length === 4 && dst.length === 4) {
    const kinds = (o.sport !== undefined ? 1 : o.icmpId !== undefined ? 2 : 0) | (o.dport !== undefined ? 4 : o.icmpType !== undefined ? 8 : 0);
    return packedIpv4Key(id, entry.protocol, kinds, (src[0]! << 8) | src[1]!, (src[2]! << 8) | src[3]!, (dst[0]! << 8) | dst[1]!, (dst[2]! << 8) | dst[3]!, o.sport ?? o.icmpId ?? 0, o.dport ?? o.icmpType ?? 0);
  }
  return `${id ?? 'noid'}|${entry.protocol}|${o.src}|${o.sport ?? o.icmpId ?? ''}|${o.dst}|${o.dport ?? o.icmpType ?? ''}`;
}

/**
 * Growth of a cumulative counter since `before`. A counter below what was reported means the
 * entry's counters were zeroed (conntrack -Z): everything it shows now is new.
 */
function delta(now: number | undefined, before: number): number {
  return now === undefined ? 0 : now >= before ? now - before : now;
}

const msToNano = (ms: number): bigint => BigInt(Math.round(ms * 1000)) * 1000n;

/** Keeps per-connection reported counters and emits delta records; see the module comment. */
export class ConntrackFlowTracker {
  /** Live entries by key; not a Map: see slot-indexed-map.ts (20,000 inserts and deletes a second). */
  private readonly flows = new SlotIndexedMap<TrackedFlow>();
  private readonly destroyed = new Map<string, number>();
  /** Destroyed keys of entries closed without their DESTROY event (kept the full retention). */
  private readonly closedVanished = new Set<string>();
  /** Entries missing from snapshots, waiting for their DESTROY event (key → since when). */
  private readonly vanished = new SlotIndexedMap<{ flow: TrackedFlow; sinceMs: number }>();
  private readonly nodeName: string;
  private readonly destroyedKeyRetentionMs: number;
  private readonly destroyedKeyMarginMs: number;
  /** Start of the listing in progress; undefined until the source reports listings, null between them. */
  private listingSinceMs: number | null | undefined = undefined;
  /** Event time after which destroyed keys are pruned next (once a second). */
  private pruneAfterMs = 0;
  private readonly vanishedGraceMs: number;
  /** Number of the listing in progress or last ended: what a flow's `listedIn` is compared with. */
  private listing = 0;
  /** The sighting being handled: filled anew by every call, never kept (no object per event). */
  private readonly seen: ConntrackObservation = emptyObservation();
  /** See {@link ConntrackFlowTrackerOptions.accountingEnabled}; the source sets it after reading the sysctl. */
  accountingEnabled: boolean;

  constructor(options: ConntrackFlowTrackerOptions) {
    this.nodeName = options.nodeName;
    this.destroyedKeyRetentionMs = options.destroyedKeyRetentionMs ?? 60_000;
    this.destroyedKeyMarginMs = options.destroyedKeyMarginMs ?? 1000;
    this.vanishedGraceMs = options.vanishedGraceMs ?? 120_000;
    this.accountingEnabled = options.accountingEnabled ?? true;
  }

  /** Number of live entries being tracked (those waiting for a late DESTROY included). */
  get size(): number {
    return this.flows.size + this.vanished.size;
  }

  /**
   * Handles one event line (`conntrack -E`). `nowMs` is used when the line has no timestamp.
   * Returns the records to emit (zero or one).
   */
  handleEvent(entry: ConntrackEntry, nowMs: number): FlowRecordData[] {
    const out: FlowRecordData[] = [];
    this.handleEventInto(entry, nowMs, out);
    return out;
  }

  /** {@link handleEvent}, appending its records to `out` (no array per event on the source's hot path). */
  handleEventInto(entry: ConntrackEntry, nowMs: number, out: FlowRecordData[]): void {
    this.handleSighting(observeEntry(entry, this.seen), conntrackFlowKey(entry), nowMs, out);
  }

  /**
   * {@link handleEventInto} for a sound netlink reader event record at `o` of `b`, read in
   * place (no entry object). Returns false, doing nothing, for a record it does not read that
   * way (not IPv4 with an id): the caller decodes it and hands the entry to handleEventInto.
   */
  handleRecordInto(b: Buffer, o: number, nowMs: number, out: FlowRecordData[]): boolean {
    const key = observeIpv4Record(b, o, this.seen);
    if (key === null) return false;
    this.handleSighting(this.seen, key, nowMs, out);
    return true;
  }

  private handleSighting(seen: ConntrackObservation, key: string, nowMs: number, out: FlowRecordData[]): void {
    const atMs = seen.timestamp !== null ? seen.timestamp * 1000 : nowMs;
    switch (seen.eventType) {
      case 'new': {
        const flow = this.newFlow(key, seen, msToNano(atMs), atMs);
        if (!this.flows.add(key, flow)) return; // already known (a snapshot got there first)
        if (this.destroyed.size > 0) this.destroyed.delete(key);
        if (this.closedVanished.size > 0) this.closedVanished.delete(key);
        out.push(this.record(seen, flow, 'new', atMs, flow.startTimeUnixNano));
        return;
      }
      case 'update': {
        const record = this.observe(seen, atMs, key);
        if (record !== null) out.push(record);
        return;
      }
      case 'destroy': {
        let flow = this.flows.take(key);
        if (this.vanished.size > 0) {
          const back = this.vanished.take(key);
          flow ??= back?.flow;
        }
        if (!flow) {
          if (this.destroyed.has(key)) return;
          // Never seen (agent started after it was created and no snapshot caught it).
          const start = seen.deltaTimeSeconds !== null ? msToNano(atMs - seen.deltaTimeSeconds * 1000) : 0n;
          flow = this.newFlow(key, seen, start, atMs);
        }
        // With no listing pending, the next one starts after the kernel destroyed this entry
        // and cannot list it: nothing to remember.
        if (this.listingSinceMs !== null) this.destroyed.set(key, atMs);
        if (this.listingSinceMs !== undefined && atMs >= this.pruneAfterMs) this.pruneDestroyed(atMs);
        out.push(this.record(seen, flow, 'destroy', atMs));
        return;
      }
      default:
        return;
    }
  }

  /**
   * The source started listing the table at `atMs` (its {@link handleSnapshot} follows). From
   * the first call on, destroyed keys are kept only while a listing may still hold them.
   */
  snapshotStarted(atMs: number): void {
    this.listingSinceMs = atMs;
  }

  /**
   * Forgets destroyed keys no listing can hold any more: older than the pending listing's
   * start (or than now, with none pending), less the margin. Keys that closed a vanished entry
   * stay the full retention (its late DESTROY event may still come). Runs about once a second.
   */
  private pruneDestroyed(nowMs: number): void {
    this.pruneAfterMs = nowMs + 1000;
    const horizon = Math.min(this.listingSinceMs ?? nowMs, nowMs) - this.destroyedKeyMarginMs;
    for (const [key, atMs] of this.destroyed) {
      if (atMs >= horizon) break; // insertion order ≈ time order
      if (this.closedVanished.has(key)) continue;
      this.destroyed.delete(key);
    }
  }

  /**
   * Handles a complete table snapshot (`conntrack -L` of every family), taken starting at
   * `startedAtMs` and finished at `finishedAtMs`. Returns `new`/`update` records for entries that
   * changed and `destroy` records for entries that vanished without a DESTROY event. The
   * listing's lines all count as seen at `finishedAtMs`; a source that streams its listing uses
   * {@link beginListing}, the `listed…Into` calls and {@link endListing} instead.
   */
  handleSnapshot(entries: readonly ConntrackEntry[], startedAtMs: number, finishedAtMs: number): FlowRecordData[] {
    const records: FlowRecordData[] = [];
    this.listing++;
    for (const entry of entries) this.listedEntryInto(entry, finishedAtMs, records);
    this.endListing(startedAtMs, finishedAtMs, records);
    return records;
  }

  /**
   * A table listing starts at `startedAtMs`: its lines follow, handled as they arrive (a busy
   * node's table holds hundreds of thousands of entries, listed every few seconds — no entry
   * objects, no array of them), then {@link endListing}. Also {@link snapshotStarted}.
   */
  beginListing(startedAtMs: number): void {
    this.snapshotStarted(startedAtMs);
    this.listing++;
  }

  /** A listing's line, seen at `atMs`; its record (if it changed) goes to `out`. */
  listedEntryInto(entry: ConntrackEntry, atMs: number, out: FlowRecordData[]): void {
    const record = this.observe(observeEntry(entry, this.seen), atMs, conntrackFlowKey(entry));
    if (record !== null) out.push(record);
  }

  /**
   * {@link listedEntryInto} for a sound netlink reader entry record at `o` of `b`, read in
   * place. Returns false, doing nothing, for a record it does not read that way (the caller
   * decodes it and hands the entry to listedEntryInto).
   */
  listedRecordInto(b: Buffer, o: number, atMs: number, out: FlowRecordData[]): boolean {
    const key = observeIpv4Record(b, o, this.seen);
    if (key === null) return false;
    const record = this.observe(this.seen, atMs, key);
    if (record !== null) out.push(record);
    return true;
  }

  /**
   * The listing begun at `startedAtMs` was complete at `finishedAtMs`: entries it did not show,
   * unseen since it started, are set aside to wait for their DESTROY event, and those that
   * waited too long are closed (their records go to `out`). A listing that failed is simply
   * never ended: nothing is set aside.
   */
  endListing(startedAtMs: number, finishedAtMs: number, out: FlowRecordData[]): void {
    if (this.listingSinceMs !== undefined) this.listingSinceMs = null;
    const listing = this.listing;
    this.flows.forEach((flow, key) => {
      if (flow.listedIn === listing || flow.lastSeenMs >= startedAtMs) return;
      this.flows.delete(key);
      this.vanished.set(key, { flow, sinceMs: finishedAtMs });
    });
    const records = out;
    for (const [key, { flow, sinceMs }] of this.vanished) {
      if (finishedAtMs - sinceMs < this.vanishedGraceMs) continue;
      this.vanished.delete(key);
      this.destroyed.set(key, finishedAtMs);
      this.closedVanished.add(key);
      records.push(this.vanishedRecord(flow, finishedAtMs));
    }
    for (const [key, atMs] of this.destroyed) {
      if (finishedAtMs - atMs > this.destroyedKeyRetentionMs) {
        this.destroyed.delete(key);
        this.closedVanished.delete(key);
      }
    }
  }

  /** Closes every entry still waiting for its DESTROY event (the agent is stopping). */
  closeVanished(atMs: number): FlowRecordData[] {
    const records: FlowRecordData[] = [];
    for (const [key, { flow }] of this.vanished) {
      this.destroyed.set(key, atMs);
      this.closedVanished.add(key);
      records.push(this.vanishedRecord(flow, atMs));
    }
    this.vanished.clear();
    return records;
  }

  private observe(seen: ConntrackObservation, atMs: number, key: string): FlowRecordData | null {
    if (this.destroyed.has(key)) return null; // a snapshot line that raced with its DESTROY event
    const back = this.vanished.get(key);
    if (back) {
      // Listed again: it was only missing from one listing (a race), not expired.
      this.vanished.delete(key);
      this.flows.set(key, back.flow);
    }
    const flow = this.flows.get(key);
    if (!flow) {
      const start = seen.deltaTimeSeconds !== null ? msToNano(atMs - seen.deltaTimeSeconds * 1000) : 0n;
      const created = this.newFlow(key, seen, start, atMs);
      this.flows.set(key, created);
      return this.record(seen, created, 'new', atMs);
    }
    flow.listedIn = this.listing;
    flow.lastSeenMs = atMs;
    const changed =
      (seen.originalPackets ?? 0) !== flow.reportedOriginalPackets ||
      (seen.originalBytes ?? 0) !== flow.reportedOriginalBytes ||
      (seen.replyPackets ?? 0) !== flow.reportedReplyPackets ||
      (seen.replyBytes ?? 0) !== flow.reportedReplyBytes ||
      seen.tcpState !== flow.tcpState ||
      seen.assured !== flow.assured ||
      seen.unreplied !== flow.unreplied;
    return changed ? this.record(seen, flow, 'update', atMs) : null;
  }

  /** A flow for a first sighting; the caller stores it. */
  private newFlow(key: string, seen: ConntrackObservation, startTimeUnixNano: bigint, atMs: number): TrackedFlow {
    const entry = seen.entry;
    const record = seen.record;
    const flow: TrackedFlow = {
      key,
      listedIn: this.listing,
      startTimeUnixNano,
      lastSeenMs: atMs,
      reportedOriginalPackets: 0,
      reportedOriginalBytes: 0,
      reportedReplyPackets: 0,
      reportedReplyBytes: 0,
      tcpState: seen.tcpState,
      assured: seen.assured,
      unreplied: seen.unreplied,
      lastEventType: seen.eventType,
      lastHadCounters: seen.originalPackets !== undefined,
      ipVersion: seen.ipVersion,
      protocol: seen.protocol,
      id: seen.id,
      mark: seen.mark,
      icmpType: seen.icmpType,
      icmpCode: seen.icmpCode,
      icmpId: seen.icmpId,
      original: entry !== null ? tupleOfEntry(entry.original) : ipv4RecordTuple(record!, seen.offset, true),
      reply: entry !== null ? tupleOfEntry(entry.reply) : ipv4RecordTuple(record!, seen.offset, false),
    };
    return flow;
  }

  /**
   * Builds a record with the counter growth since the last report, and remembers the new totals.
   * `endTimeUnixNano` is `atMs` in ns, when the caller has it already.
   */
  private record(seen: ConntrackObservation, flow: TrackedFlow, eventKind: FlowRecordData['eventKind'], atMs: number, endTimeUnixNano = msToNano(atMs)): FlowRecordData {
    const hasCounters = seen.originalPackets !== undefined && seen.replyPackets !== undefined;
    const countersValid = hasCounters || (seen.eventType === 'new' && this.accountingEnabled);
    const startTimeUnixNano = flow.startTimeUnixNano > endTimeUnixNano ? endTimeUnixNano : flow.startTimeUnixNano;
    const rec: FlowRecordData = {
      source: 'conntrack',
      nodeName: this.nodeName,
      startTimeUnixNano,
      endTimeUnixNano,
      ipVersion: seen.ipVersion,
      protocol: seen.protocol,
      original: flow.original,
      reply: flow.reply,
      originalPackets: delta(seen.originalPackets, flow.reportedOriginalPackets),
      originalBytes: delta(seen.originalBytes, flow.reportedOriginalBytes),
      replyPackets: delta(seen.replyPackets, flow.reportedReplyPackets),
      replyBytes: delta(seen.replyBytes, flow.reportedReplyBytes),
      eventKind,
      tcpState: seen.tcpState,
      assured: seen.assured,
      unreplied: seen.unreplied,
      conntrackId: seen.id ?? 0,
      conntrackMark: seen.mark ?? 0,
      dataplaneVerdict: 'unknown',
      ruleHint: '',
      icmpType: seen.icmpType,
      icmpCode: seen.icmpCode,
      icmpId: seen.icmpId,
      countersValid,
    };
    if (hasCounters) {
      // The record's deltas above are computed already.
      flow.reportedOriginalPackets = seen.originalPackets ?? 0;
      flow.reportedOriginalBytes = seen.originalBytes ?? 0;
      flow.reportedReplyPackets = seen.replyPackets ?? 0;
      flow.reportedReplyBytes = seen.replyBytes ?? 0;
    }
    flow.tcpState = seen.tcpState;
    flow.assured = seen.assured;
    flow.unreplied = seen.unreplied;
    flow.lastSeenMs = atMs;
    flow.lastEventType = seen.eventType;
    flow.lastHadCounters = seen.originalPackets !== undefined;
    flow.ipVersion = seen.ipVersion;
    flow.protocol = seen.protocol;
    flow.id = seen.id;
    flow.mark = seen.mark;
    flow.icmpType = seen.icmpType;
    flow.icmpCode = seen.icmpCode;
    flow.icmpId = seen.icmpId;
    return rec;
  }

  private vanishedRecord(flow: TrackedFlow, atMs: number): FlowRecordData {
    // The last report's sighting again, reporting no further growth: the final counters died
    // with the entry.
    const seen = this.seen;
    const counters = flow.lastHadCounters;
    seen.eventType = flow.lastEventType;
    seen.timestamp = null;
    seen.deltaTimeSeconds = null;
    seen.ipVersion = flow.ipVersion;
    seen.protocol = flow.protocol;
    seen.tcpState = flow.tcpState;
    seen.assured = flow.assured;
    seen.unreplied = flow.unreplied;
    seen.id = flow.id;
    seen.mark = flow.mark;
    seen.originalPackets = counters ? flow.reportedOriginalPackets : undefined;
    seen.originalBytes = counters ? flow.reportedOriginalBytes : undefined;
    seen.replyPackets = counters ? flow.reportedReplyPackets : undefined;
    seen.replyBytes = counters ? flow.reportedReplyBytes : undefined;
    seen.icmpType = flow.icmpType;
    seen.icmpCode = flow.icmpCode;
    seen.icmpId = flow.icmpId;
    // No flow is tracked from this sighting: it has no tuples to start one.
    seen.entry = null;
    seen.record = null;
    return this.record(seen, flow, 'destroy', atMs);
  }
}
