/**
 * Turns conntrack events and table snapshots into flow records with packet/byte *deltas*.
 *
 * conntrack's counters are cumulative per entry; the wire contract wants "since the last
 * report". The tracker remembers, per live entry, what it has reported so far:
 *
 * - NEW event → no record yet (the kernel sends no counters on NEW): the entry is remembered
 *   with its start time, and its first record says it started — a `new` at the next snapshot
 *   or refresh, with its counters, or its end (`destroy` with `includesStart`), whichever
 *   comes first. A short connection is then one record instead of two or three;
 * - snapshot (`conntrack -L`) line → an `update` record with the growth since the last report
 *   when anything changed (counters, TCP state, assured/unreplied); an entry not seen before
 *   (it predates the agent, or its NEW event was lost) → a `new` record with its whole
 *   counters (or its end including the start, if settled), start time from `delta-time` when
 *   timestamps are on;
 * - a snapshot line (or lookup answer) showing a TCP connection settled (TIME_WAIT or CLOSE:
 *   past its FIN handshake or reset) → its `destroy` record there and then, with its counters:
 *   the kernel keeps the entry for TIME_WAIT's 120 s, and its end would reach users that late
 *   (the eBPF source ends a connection at its FIN too). Later sightings and its DESTROY event
 *   report only counter growth (a stray ACK), as `update` records;
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
 * Between listings, a source that can look entries up (the netlink reader's `query` mode) may
 * *refresh* instead: {@link beginRefresh}, {@link writeRefreshQueries} for every live entry
 * that is not settled (a TCP connection past its FIN handshake, in TIME_WAIT or CLOSE: its
 * counters are final, its DESTROY brings whatever stray ACK follows), the answers handled like
 * listing lines ({@link listedRecordInto}) or, for entries the kernel no longer holds,
 * {@link refreshGoneInto} (set aside, as a listing would), then {@link endRefresh}. A busy
 * node's table is mostly settled connections: a refresh looks up a tenth of what a listing
 * shows, and the kernel fills a lookup's answer for about what it fills a listed line.
 *
 * Pure and synchronous: time comes in with the calls, records go out as return values.
 */
import type { FlowRecordData } from '../../../contract/wire/flow-batch-codec.ts';
import type { ConntrackEntry } from './conntrack-event-parser.ts';
import { emptyObservation, observeEntry, packedIpv4Key, packedIpv4KeyOf, tupleOfEntry, type ConntrackObservation } from './conntrack-observation.ts';
import { Ipv4FlowIndex } from './ipv4-flow-index.ts';
import { SlotSet } from './slot-set.ts';
import { writeConntrackQuery } from './conntrack-query-record.ts';
import { CONNTRACK_RECORD_SIZE } from './conntrack-record-decoder.ts';
import { ipv4RecordTuple, observeIpv4Record } from './conntrack-record-decoder.ts';
import {
  ASSURED,
  ENDED,
  FLAGS,
  HAD_COUNTERS,
  HOT,
  LAST_SEEN_MS,
  LISTED_IN,
  REPORTED_ORIGINAL_BYTES,
  REPORTED_ORIGINAL_PACKETS,
  REPORTED_REPLY_BYTES,
  REPORTED_REPLY_PACKETS,
  START_PENDING,
  TCP_STATE,
  TCP_STATE_OF_CODE,
  TrackedFlowColumns,
  UNREPLIED,
} from './tracked-flow-columns.ts';

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
 * Identity of a live conntrack entry: its id plus its original tuple (ids can be reused after
 * destroy). An IPv4 entry with an id and address bytes (the netlink reader's: most of the
 * traffic) gets the same identity packed into 10 UTF-16 code units, one string built at once —
 * the text form costs a dozen intermediate strings per event at 20,000 events a second. A reader
 * gives every entry of a connection the same form, so its events always meet (the netlink
 * reader's records get the packed key from observeIpv4Record, the same one).
 */
export function conntrackFlowKey(entry: ConntrackEntry, identityInto?: ConntrackObservation): string {
  const o = entry.original;
  const id = entry.id;
  const src = o.srcBytes;
  const dst = o.dstBytes;
  if (id !== null && src !== undefined && dst !== undefined && src.length === 4 && dst.length === 4) {
    const kinds = (o.sport !== undefined ? 1 : o.icmpId !== undefined ? 2 : 0) | (o.dport !== undefined ? 4 : o.icmpType !== undefined ? 8 : 0);
    return packedIpv4Key(id, entry.protocol, kinds, (src[0]! << 8) | src[1]!, (src[2]! << 8) | src[3]!, (dst[0]! << 8) | dst[1]!, (dst[2]! << 8) | dst[3]!, o.sport ?? o.icmpId ?? 0, o.dport ?? o.icmpType ?? 0, identityInto);
  }
  if (identityInto !== undefined) identityInto.ipv4Identity = false;
  return `${id ?? 'noid'}|${entry.protocol}|${o.src}|${o.sport ?? o.icmpId ?? ''}|${o.dst}|${o.dport ?? o.icmpType ?? ''}`;
}

/**
 * Growth of a cumulative counter since `before`. A counter below what was reported means the
 * entry's counters were zeroed (conntrack -Z): everything it shows now is new.
 */
function delta(now: number | undefined, before: number): number {
  return now === undefined ? 0 : now >= before ? now - before : now;
}

/** TCP states after the FIN handshake ({@link TCP_STATE_OF_CODE} codes): nothing but a stray ACK follows. */
const SETTLED_TCP_STATE_NAMES: ReadonlySet<string> = new Set(['TIME_WAIT', 'CLOSE']);
const SETTLED_TCP_STATES = new Set([...SETTLED_TCP_STATE_NAMES].map((state) => TCP_STATE_OF_CODE.indexOf(state as (typeof TCP_STATE_OF_CODE)[number])));

/** Unix ms → µs, the resolution of the wire's nanosecond times (events carry microseconds). */
const msToUs = (ms: number): number => Math.round(ms * 1000);

/** Keeps per-connection reported counters and emits delta records; see the module comment. */
export class ConntrackFlowTracker {
  /** What the tracker remembers of each live entry, by slot (see tracked-flow-columns.ts). */
  private readonly columns = new TrackedFlowColumns();
  /** Live IPv4 entries with an id (nearly all): their slots by identity, no string keys. */
  private readonly ipv4Flows = new Ipv4FlowIndex();
  /**
   * Other live entries (IPv6, no id): key → slot. Only small integers as values: the tables V8
   * discards as a Map churns keep no flow state alive.
   */
  private readonly textFlows = new Map<string, number>();
  private readonly destroyed = new Map<string, number>();
  /** Destroyed keys of entries closed without their DESTROY event (kept the full retention). */
  private readonly closedVanished = new Set<string>();
  /** Entries missing from snapshots, waiting for their DESTROY event: key → slot (since when: its vanishedSinceMs). */
  private readonly vanished = new Map<string, number>();
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
  /** Live flows not settled: what a refresh looks up (kept as flows come, change and go). */
  private readonly due = new SlotSet();
  /** Start of the refresh in progress (see the module comment), or null. */
  private refreshSinceMs: number | null = null;
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
    return this.ipv4Flows.size + this.textFlows.size + this.vanished.size;
  }

  /** Slot of the live flow of the sighting (whose key is `key`), or -1. */
  private liveSlot(seen: ConntrackObservation, key: string): number {
    if (seen.ipv4Identity) return this.ipv4Flows.find(seen.identityId, seen.identityProtocolKinds, seen.identitySrc, seen.identityDst, seen.identityPorts);
    return this.textFlows.get(key) ?? -1;
  }

  /** Makes `slot` the live flow of the sighting (none is). */
  private addLive(seen: ConntrackObservation, key: string, slot: number): void {
    if (seen.ipv4Identity) this.ipv4Flows.insert(slot, seen.identityId, seen.identityProtocolKinds, seen.identitySrc, seen.identityDst, seen.identityPorts);
    else this.textFlows.set(key, slot);
    this.updateDue(slot);
  }

  /** Forgets `slot` as the live flow of the sighting (it is). */
  private removeLive(seen: ConntrackObservation, key: string, slot: number): void {
    if (seen.ipv4Identity) this.ipv4Flows.remove(slot);
    else this.textFlows.delete(key);
    this.due.delete(slot);
  }

  /** Whether live `slot` is due for refreshes, after its last report. */
  private updateDue(slot: number): void {
    if (this.settled(slot)) this.due.delete(slot);
    else this.due.add(slot);
  }

  /** Slots of flow state in use: {@link size}, unless state leaked (for tests). */
  get slotsInUse(): number {
    return this.columns.size;
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
    this.handleSighting(observeEntry(entry, this.seen), conntrackFlowKey(entry, this.seen), nowMs, out);
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
        if (this.liveSlot(seen, key) >= 0) return; // already known (a snapshot got there first)
        const slot = this.newFlow(seen, msToUs(atMs), atMs);
        this.addLive(seen, key, slot);
        if (this.destroyed.size > 0) this.destroyed.delete(key);
        if (this.closedVanished.size > 0) this.closedVanished.delete(key);
        // Its first record says it started: the next read of the table (which looks up every
        // flow not settled) or its end, whichever comes first. Most connections are short, so
        // that is one record for the whole of them where a record now would be one of two.
        if (this.settled(slot)) out.push(this.record(seen, slot, 'new', atMs));
        else this.addFlag(slot, START_PENDING);
        return;
      }
      case 'update': {
        const record = this.observe(seen, atMs, key);
        if (record !== null) out.push(record);
        return;
      }
      case 'destroy': {
        let slot = this.liveSlot(seen, key);
        if (slot >= 0) this.removeLive(seen, key, slot);
        if (this.vanished.size > 0) {
          const back = this.vanished.get(key);
          if (back !== undefined) {
            this.vanished.delete(key);
            if (slot < 0) slot = back;
            else this.columns.free(back);
          }
        }
        if (slot < 0) {
          if (this.destroyed.has(key)) return;
          // Never seen (agent started after it was created and no snapshot caught it): its one
          // record is its first report too.
          const start = seen.deltaTimeSeconds !== null ? msToUs(atMs - seen.deltaTimeSeconds * 1000) : 0;
          slot = this.newFlow(seen, start, atMs);
          this.addFlag(slot, START_PENDING);
        }
        // With no listing pending, the next one starts after the kernel destroyed this entry
        // and cannot list it: nothing to remember.
        if (this.listingSinceMs !== null) this.destroyed.set(key, atMs);
        if (this.listingSinceMs !== undefined && atMs >= this.pruneAfterMs) this.pruneDestroyed(atMs);
        if (!this.ended(slot)) out.push(this.record(seen, slot, 'destroy', atMs));
        else if (this.countersGrew(seen, slot)) out.push(this.record(seen, slot, 'update', atMs));
        this.columns.free(slot);
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
    const record = this.observe(observeEntry(entry, this.seen), atMs, conntrackFlowKey(entry, this.seen));
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
    const c = this.columns;
    const unlisted = (slot: number): boolean => c.hot[slot * HOT + LISTED_IN] !== listing && c.hot[slot * HOT + LAST_SEEN_MS]! < startedAtMs;
    this.ipv4Flows.forEachSlot((slot) => {
      if (!unlisted(slot)) return;
      const { id, protocolKinds, src, dst, ports } = this.ipv4Flows.identityOf(slot);
      this.ipv4Flows.remove(slot);
      this.setAside(packedIpv4KeyOf(id, protocolKinds, src, dst, ports), slot, finishedAtMs);
    });
    this.textFlows.forEach((slot, key) => {
      if (!unlisted(slot)) return;
      this.textFlows.delete(key);
      this.setAside(key, slot, finishedAtMs);
    });
    this.closeOverdue(finishedAtMs, out);
  }

  /**
   * After a listing or a refresh finished at `finishedAtMs`: entries that waited longer than
   * the grace period for their DESTROY event are closed (records to `out`), and destroyed keys
   * past their retention forgotten.
   */
  private closeOverdue(finishedAtMs: number, out: FlowRecordData[]): void {
    const c = this.columns;
    for (const [key, slot] of this.vanished) {
      if (finishedAtMs - c.vanishedSinceMs[slot]! < this.vanishedGraceMs) continue;
      this.vanished.delete(key);
      this.destroyed.set(key, finishedAtMs);
      this.closedVanished.add(key);
      if (!this.ended(slot)) out.push(this.vanishedRecord(slot, finishedAtMs));
      c.free(slot);
    }
    for (const [key, atMs] of this.destroyed) {
      if (finishedAtMs - atMs > this.destroyedKeyRetentionMs) {
        this.destroyed.delete(key);
        this.closedVanished.delete(key);
      }
    }
  }

  /** Whether the live flow in `slot` is settled (see the module comment): refreshes skip it. */
  private settled(slot: number): boolean {
    return this.columns.protocol[slot] === 6 && SETTLED_TCP_STATES.has(this.columns.hot[slot * HOT + TCP_STATE]!);
  }

  /** Sets a {@link FLAGS} bit of `slot`. */
  private addFlag(slot: number, flag: number): void {
    this.columns.hot[slot * HOT + FLAGS] = this.columns.hot[slot * HOT + FLAGS]! | flag;
  }

  /** Whether the flow in `slot` had its end reported (see {@link observe}). */
  private ended(slot: number): boolean {
    return (this.columns.hot[slot * HOT + FLAGS]! & ENDED) !== 0;
  }

  /** Whether the sighting's counters differ from those last reported for `slot`. */
  private countersGrew(seen: ConntrackObservation, slot: number): boolean {
    const hot = this.columns.hot;
    const h = slot * HOT;
    return (
      seen.originalPackets !== undefined &&
      (seen.originalPackets !== hot[h + REPORTED_ORIGINAL_PACKETS] ||
        seen.originalBytes !== hot[h + REPORTED_ORIGINAL_BYTES] ||
        seen.replyPackets !== hot[h + REPORTED_REPLY_PACKETS] ||
        seen.replyBytes !== hot[h + REPORTED_REPLY_BYTES])
    );
  }

  /** Live flows a refresh would look up now: those not settled. */
  get refreshDue(): number {
    return this.due.size;
  }

  /** {@link refreshDue} counted by visiting every live flow (for tests: the kept set must agree). */
  get refreshDueByScan(): number {
    let due = 0;
    const count = (slot: number): void => {
      if (!this.settled(slot)) due++;
    };
    this.ipv4Flows.forEachSlot(count);
    this.textFlows.forEach(count);
    return due;
  }

  /**
   * A refresh starts at `startedAtMs`: {@link writeRefreshQueries} follows at once, then the
   * answers, then {@link endRefresh}. Also {@link snapshotStarted} (a lookup's answer may race
   * with its entry's DESTROY event as a listing line does).
   */
  beginRefresh(startedAtMs: number): void {
    this.snapshotStarted(startedAtMs);
    this.refreshSinceMs = startedAtMs;
  }

  /**
   * Writes a QUERY record for every live flow that is not settled, up to `chunkRecords` per
   * buffer, handing each buffer to `write`; returns how many.
   */
  writeRefreshQueries(write: (chunk: Buffer) => void, chunkRecords = 2048): number {
    const c = this.columns;
    let chunk = Buffer.allocUnsafe(chunkRecords * CONNTRACK_RECORD_SIZE);
    let n = 0;
    let total = 0;
    this.due.forEach((slot) => {
      const icmp = c.tupleShape[slot] === 2;
      writeConntrackQuery(chunk, n * CONNTRACK_RECORD_SIZE, c.ipVersion[slot] === 6 ? 6 : 4, c.protocol[slot]!, c.tupleShape[slot]!, c.id[slot]!, c.zone[slot]!, c.tupleOf(slot, true), icmp ? c.icmpType[slot]! : 0, icmp ? c.icmpCode[slot]! : 0, icmp ? c.icmpId[slot]! : 0);
      total++;
      if (++n === chunkRecords) {
        write(chunk);
        chunk = Buffer.allocUnsafe(chunkRecords * CONNTRACK_RECORD_SIZE);
        n = 0;
      }
    });
    if (n > 0) write(chunk.subarray(0, n * CONNTRACK_RECORD_SIZE));
    return total;
  }

  /**
   * A refresh's lookup of `query` found no entry at `atMs`: the entry expired (the kernel hides
   * expired entries its garbage collector has not reaped) or was destroyed. Unless it was seen
   * since the refresh began, it is set aside to wait for its DESTROY event, as a listing that
   * did not show it would.
   */
  refreshGoneInto(query: ConntrackEntry, atMs: number): void {
    const key = conntrackFlowKey(query, this.seen);
    const slot = this.liveSlot(this.seen, key);
    if (slot < 0 || this.refreshSinceMs === null || this.columns.hot[slot * HOT + LAST_SEEN_MS]! >= this.refreshSinceMs) return;
    this.removeLive(this.seen, key, slot);
    this.setAside(key, slot, atMs);
  }

  /**
   * The refresh begun with {@link beginRefresh} has all its answers (or gave up on them) at
   * `finishedAtMs`; entries set aside too long ago are closed, their records to `out`.
   */
  endRefresh(finishedAtMs: number, out: FlowRecordData[]): void {
    if (this.listingSinceMs !== undefined) this.listingSinceMs = null;
    this.refreshSinceMs = null;
    this.closeOverdue(finishedAtMs, out);
  }

  /** Entries set aside (missing from a listing, or gone at a lookup) waiting for their DESTROY event. */
  get waitingForDestroy(): number {
    return this.vanished.size;
  }

  /** Closes every entry still waiting for its DESTROY event (the agent is stopping). */
  closeVanished(atMs: number): FlowRecordData[] {
    const records: FlowRecordData[] = [];
    for (const [key, slot] of this.vanished) {
      this.destroyed.set(key, atMs);
      this.closedVanished.add(key);
      if (!this.ended(slot)) records.push(this.vanishedRecord(slot, atMs));
      this.columns.free(slot);
    }
    this.vanished.clear();
    return records;
  }

  /** Moves a live entry (already out of `flows`) aside to wait for its DESTROY event. */
  private setAside(key: string, slot: number, sinceMs: number): void {
    this.due.delete(slot);
    // The same key may wait already (a NEW for it came meanwhile): the older state goes.
    const older = this.vanished.get(key);
    if (older !== undefined) this.columns.free(older);
    this.columns.vanishedSinceMs[slot] = sinceMs;
    this.vanished.set(key, slot);
  }

  private observe(seen: ConntrackObservation, atMs: number, key: string): FlowRecordData | null {
    if (this.destroyed.has(key)) return null; // a snapshot line that raced with its DESTROY event
    if (this.vanished.size > 0) {
      const back = this.vanished.get(key);
      if (back !== undefined) {
        // Listed again: it was only missing from one listing (a race), not expired.
        this.vanished.delete(key);
        const live = this.liveSlot(seen, key);
        if (live >= 0) {
          this.removeLive(seen, key, live);
          this.columns.free(live);
        }
        this.addLive(seen, key, back);
      }
    }
    const slot = this.liveSlot(seen, key);
    if (slot < 0) {
      const start = seen.deltaTimeSeconds !== null ? msToUs(atMs - seen.deltaTimeSeconds * 1000) : 0;
      const created = this.newFlow(seen, start, atMs);
      this.addLive(seen, key, created);
      // First seen here: this record is its first report (`new`, or a `destroy` that says so).
      this.addFlag(created, START_PENDING);
      return this.reportSighting(seen, created, atMs);
    }
    const hot = this.columns.hot;
    const h = slot * HOT;
    hot[h + LISTED_IN] = this.listing;
    hot[h + LAST_SEEN_MS] = atMs;
    const flags = hot[h + FLAGS]!;
    if ((flags & ENDED) !== 0) {
      // Ended: the kernel replaces a settled entry that a new SYN reuses, so what changes now is
      // a stray packet's counters, reported as growth after the end.
      return this.countersGrew(seen, slot) ? this.record(seen, slot, 'update', atMs) : null;
    }
    const changed =
      (seen.originalPackets ?? 0) !== hot[h + REPORTED_ORIGINAL_PACKETS] ||
      (seen.originalBytes ?? 0) !== hot[h + REPORTED_ORIGINAL_BYTES] ||
      (seen.replyPackets ?? 0) !== hot[h + REPORTED_REPLY_PACKETS] ||
      (seen.replyBytes ?? 0) !== hot[h + REPORTED_REPLY_BYTES] ||
      seen.tcpState !== TCP_STATE_OF_CODE[hot[h + TCP_STATE]!] ||
      seen.assured !== ((flags & ASSURED) !== 0) ||
      seen.unreplied !== ((flags & UNREPLIED) !== 0) ||
      (flags & START_PENDING) !== 0;
    if (!changed) return null;
    const record = this.reportSighting(seen, slot, atMs);
    this.updateDue(slot);
    return record;
  }

  /**
   * The record of a listed (or looked-up) sighting of a flow not ended: an `update` (`new` if
   * its start is pending) — unless the sighting shows a settled TCP connection, whose end it
   * reports (`destroy`) there and then, not when the kernel destroys the entry: TIME_WAIT keeps it 120 s after the connection
   * closed (the kernel's own connection counting, nf_conncount, takes TIME_WAIT and CLOSE as
   * closed too). Its DESTROY event then reports only growth, if any, as an update.
   */
  private reportSighting(seen: ConntrackObservation, slot: number, atMs: number): FlowRecordData {
    if (seen.protocol !== 6 || !SETTLED_TCP_STATE_NAMES.has(seen.tcpState)) return this.record(seen, slot, 'update', atMs);
    const record = this.record(seen, slot, 'destroy', atMs);
    this.addFlag(slot, ENDED);
    return record;
  }

  /** A flow for a first sighting, started at `startUs` (0: unknown); the caller keys its slot. */
  private newFlow(seen: ConntrackObservation, startUs: number, atMs: number): number {
    const c = this.columns;
    const slot = c.alloc();
    const hot = this.columns.hot;
    const h = slot * HOT;
    const entry = seen.entry;
    c.startUs[slot] = startUs;
    c.zone[slot] = seen.zone ?? -1;
    c.tupleShape[slot] = seen.tupleShape;
    hot[h + LISTED_IN] = this.listing;
    hot[h + FLAGS] = 0; // a freed slot's are left over
    hot[h + REPORTED_ORIGINAL_PACKETS] = 0;
    hot[h + REPORTED_ORIGINAL_BYTES] = 0;
    hot[h + REPORTED_REPLY_PACKETS] = 0;
    hot[h + REPORTED_REPLY_BYTES] = 0;
    c.setTuples(
      slot,
      entry !== null ? tupleOfEntry(entry.original) : ipv4RecordTuple(seen.record!, seen.offset, true),
      entry !== null ? tupleOfEntry(entry.reply) : ipv4RecordTuple(seen.record!, seen.offset, false),
    );
    this.remember(seen, slot, atMs);
    return slot;
  }

  /** Remembers the sighting a report was made of (what a lost DESTROY's record is rebuilt from). */
  private remember(seen: ConntrackObservation, slot: number, atMs: number): void {
    const c = this.columns;
    const hot = this.columns.hot;
    const h = slot * HOT;
    hot[h + LAST_SEEN_MS] = atMs;
    hot[h + TCP_STATE] = TrackedFlowColumns.codeOfTcpState(seen.tcpState);
    // An end stays reported; a pending start is said by the record this sighting makes.
    hot[h + FLAGS] = (hot[h + FLAGS]! & ENDED) | (seen.assured ? ASSURED : 0) | (seen.unreplied ? UNREPLIED : 0) | (seen.originalPackets !== undefined ? HAD_COUNTERS : 0);
    c.lastEventType[slot] = TrackedFlowColumns.codeOfEventType(seen.eventType);
    c.ipVersion[slot] = seen.ipVersion;
    c.protocol[slot] = seen.protocol;
    c.id[slot] = seen.id ?? -1;
    c.mark[slot] = seen.mark ?? -1;
    c.icmpType[slot] = seen.icmpType;
    c.icmpCode[slot] = seen.icmpCode;
    c.icmpId[slot] = seen.icmpId;
  }

  /**
   * Builds a record with the counter growth since the last report, and remembers the new totals.
   * The first record of a flow whose start is pending says it: an `update` becomes `new`, a
   * `destroy` includes the start.
   */
  private record(seen: ConntrackObservation, slot: number, kind: FlowRecordData['eventKind'], atMs: number): FlowRecordData {
    const c = this.columns;
    const hot = this.columns.hot;
    const h = slot * HOT;
    const startPending = (hot[h + FLAGS]! & START_PENDING) !== 0;
    const eventKind = startPending && kind === 'update' ? 'new' : kind;
    const hasCounters = seen.originalPackets !== undefined && seen.replyPackets !== undefined;
    const countersValid = hasCounters || (seen.eventType === 'new' && this.accountingEnabled);
    const endUs = msToUs(atMs);
    const endTimeUnixNano = BigInt(endUs) * 1000n;
    const startUs = c.startUs[slot]!;
    const startTimeUnixNano = startUs >= endUs ? endTimeUnixNano : BigInt(startUs) * 1000n;
    const rec: FlowRecordData = {
      source: 'conntrack',
      nodeName: this.nodeName,
      startTimeUnixNano,
      endTimeUnixNano,
      ipVersion: seen.ipVersion,
      protocol: seen.protocol,
      original: c.tupleOf(slot, true),
      reply: c.tupleOf(slot, false),
      originalPackets: delta(seen.originalPackets, hot[h + REPORTED_ORIGINAL_PACKETS]!),
      originalBytes: delta(seen.originalBytes, hot[h + REPORTED_ORIGINAL_BYTES]!),
      replyPackets: delta(seen.replyPackets, hot[h + REPORTED_REPLY_PACKETS]!),
      replyBytes: delta(seen.replyBytes, hot[h + REPORTED_REPLY_BYTES]!),
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
      includesStart: startPending && kind === 'destroy',
    };
    if (hasCounters) {
      // The record's deltas above are computed already.
      hot[h + REPORTED_ORIGINAL_PACKETS] = seen.originalPackets ?? 0;
      hot[h + REPORTED_ORIGINAL_BYTES] = seen.originalBytes ?? 0;
      hot[h + REPORTED_REPLY_PACKETS] = seen.replyPackets ?? 0;
      hot[h + REPORTED_REPLY_BYTES] = seen.replyBytes ?? 0;
    }
    this.remember(seen, slot, atMs);
    return rec;
  }

  /**
   * Reports the start of every live flow whose start is still pending, with the growth its
   * last sighting showed (the agent is stopping: no read of the table will say it).
   */
  reportPendingStarts(atMs: number): FlowRecordData[] {
    const records: FlowRecordData[] = [];
    const report = (slot: number): void => {
      if ((this.columns.hot[slot * HOT + FLAGS]! & START_PENDING) !== 0) records.push(this.rememberedRecord(slot, 'update', atMs));
    };
    this.ipv4Flows.forEachSlot(report);
    this.textFlows.forEach(report);
    return records;
  }

  private vanishedRecord(slot: number, atMs: number): FlowRecordData {
    // The last report's sighting again, reporting no further growth: the final counters died
    // with the entry.
    return this.rememberedRecord(slot, 'destroy', atMs);
  }

  /** A `kind` record of `slot` rebuilt from the last sighting the tracker remembers (no growth since). */
  private rememberedRecord(slot: number, kind: 'update' | 'destroy', atMs: number): FlowRecordData {
    const c = this.columns;
    const hot = this.columns.hot;
    const h = slot * HOT;
    const seen = this.seen;
    const counters = (hot[h + FLAGS]! & HAD_COUNTERS) !== 0;
    const id = c.id[slot]!;
    const mark = c.mark[slot]!;
    seen.eventType = c.eventTypeOf(slot);
    seen.timestamp = null;
    seen.deltaTimeSeconds = null;
    seen.ipVersion = c.ipVersion[slot] === 6 ? 6 : 4;
    seen.protocol = c.protocol[slot]!;
    seen.tcpState = TCP_STATE_OF_CODE[hot[h + TCP_STATE]!]!;
    seen.assured = (hot[h + FLAGS]! & ASSURED) !== 0;
    seen.unreplied = (hot[h + FLAGS]! & UNREPLIED) !== 0;
    seen.id = id < 0 ? null : id;
    seen.mark = mark < 0 ? null : mark;
    seen.originalPackets = counters ? hot[h + REPORTED_ORIGINAL_PACKETS] : undefined;
    seen.originalBytes = counters ? hot[h + REPORTED_ORIGINAL_BYTES] : undefined;
    seen.replyPackets = counters ? hot[h + REPORTED_REPLY_PACKETS] : undefined;
    seen.replyBytes = counters ? hot[h + REPORTED_REPLY_BYTES] : undefined;
    seen.icmpType = c.icmpType[slot]!;
    seen.icmpCode = c.icmpCode[slot]!;
    seen.icmpId = c.icmpId[slot]!;
    // No flow is tracked from this sighting: it has no tuples to start one.
    seen.entry = null;
    seen.record = null;
    return this.record(seen, slot, kind, atMs);
  }
}
