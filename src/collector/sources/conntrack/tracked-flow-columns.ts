/**
 * The conntrack tracker's per-connection state, held in typed arrays indexed by slot instead of
 * an object per connection.
 *
 * Why: a node at 10,000 connections/s keeps ~1.2 million entries in its table (TIME_WAIT lasts
 * 120 s), and the tracker keeps one flow per entry. As objects (a flow, its two tuples, its
 * start and last-seen times: five or six heap objects each), every full garbage collection
 * marked ~7 million of them, and the collector's helper threads spent as much CPU as the agent's
 * own thread. Typed arrays hold no references, so the collector never walks them; a flow costs
 * ~110 bytes here.
 *
 * A slot is taken with {@link alloc}, filled through the columns, and given back with
 * {@link free}; its contents are undefined after that. IPv4 tuples (the usual ones) live in the
 * address and port columns; others (IPv6) are kept as tuple objects on the side.
 */
import type { FlowTupleData, TcpState } from '../../../contract/wire/flow-batch-codec.ts';
import type { ConntrackEventType } from './conntrack-event-parser.ts';
import { ipv4BytesOf } from './conntrack-record-decoder.ts';

/** The TCP states by their column code (0: unspecified). */
export const TCP_STATE_OF_CODE: readonly TcpState[] = ['unspecified', 'NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'];
const CODE_OF_TCP_STATE = new Map(TCP_STATE_OF_CODE.map((state, code) => [state, code]));

/** Event types by their column code (0: none, a listing's sighting). */
const EVENT_TYPE_OF_CODE: readonly (ConntrackEventType | null)[] = [null, 'new', 'update', 'destroy'];

/** Flags column bits. */
export const ASSURED = 1;
export const UNREPLIED = 2;
/** The last report's sighting carried counters. */
export const HAD_COUNTERS = 4;
/** The flow's end was reported (a `destroy` record): only counter growth follows, as updates. */
export const ENDED = 8;
/** The flow's start (its NEW event) is not reported yet: its first record will say it. */
export const START_PENDING = 16;

const INITIAL_SLOTS = 1024;

/**
 * What a listing reads and writes for every entry, side by side in {@link TrackedFlowColumns.hot}
 * (HOT numbers per slot, one cache line): a listing visits a busy table's flows in scattered
 * order, and eight columns would be eight places in memory per entry.
 */
export const HOT = 8;
export const LAST_SEEN_MS = 0;
/** Counter totals reported so far. */
export const REPORTED_ORIGINAL_PACKETS = 1;
export const REPORTED_ORIGINAL_BYTES = 2;
export const REPORTED_REPLY_PACKETS = 3;
export const REPORTED_REPLY_BYTES = 4;
/** Number of the last listing that showed the flow. */
export const LISTED_IN = 5;
/** {@link TCP_STATE_OF_CODE} code. */
export const TCP_STATE = 6;
/** {@link ASSURED} | {@link UNREPLIED} | {@link HAD_COUNTERS} | {@link ENDED} | {@link START_PENDING}. */
export const FLAGS = 7;

const readU32BE = (a: Uint8Array): number => ((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0;

/** See the module comment. */
export class TrackedFlowColumns {
  private capacity = 0;
  /** Slots handed out so far; slots below it are in use or free. */
  private used = 0;
  private readonly freeSlots: number[] = [];

  /** {@link HOT} numbers per slot: see there. */
  hot = new Float64Array(0);
  /** Start of the connection, µs since the Unix epoch (0: unknown). */
  startUs = new Float64Array(0);
  /** Since when the flow has been missing from listings, ms (while it waits for its DESTROY). */
  vanishedSinceMs = new Float64Array(0);
  /** Conntrack id and mark; -1 when the sighting had none. */
  id = new Float64Array(0);
  mark = new Float64Array(0);
  /** The last report's event type (see {@link eventTypeOf}). */
  lastEventType = new Uint8Array(0);
  ipVersion = new Uint8Array(0);
  protocol = new Uint8Array(0);
  icmpType = new Uint8Array(0);
  icmpCode = new Uint8Array(0);
  icmpId = new Uint16Array(0);
  /** conntrack zone, -1 for none; how the original tuple names its endpoints (a TupleShape): what a lookup of the entry needs. */
  zone = new Int32Array(0);
  tupleShape = new Uint8Array(0);
  /** IPv4 tuples: addresses as big-endian u32, ports. */
  private originalSrc = new Uint32Array(0);
  private originalDst = new Uint32Array(0);
  private replySrc = new Uint32Array(0);
  private replyDst = new Uint32Array(0);
  private originalSrcPort = new Uint16Array(0);
  private originalDstPort = new Uint16Array(0);
  private replySrcPort = new Uint16Array(0);
  private replyDstPort = new Uint16Array(0);
  /** Tuples that are not both IPv4, by slot. */
  private readonly otherTuples = new Map<number, { original: FlowTupleData; reply: FlowTupleData }>();

  /** A slot for a new flow (a freed one when there is one). */
  alloc(): number {
    if (this.freeSlots.length > 0) return this.freeSlots.pop()!;
    if (this.used === this.capacity) this.grow(Math.max(INITIAL_SLOTS, this.capacity * 2));
    return this.used++;
  }

  /** Gives `slot` back. */
  free(slot: number): void {
    if (this.otherTuples.size > 0) this.otherTuples.delete(slot);
    this.freeSlots.push(slot);
  }

  /** Slots in use. */
  get size(): number {
    return this.used - this.freeSlots.length;
  }

  /** Slots allocated: the most flows held at once so far (freed slots are reused). */
  get slotCount(): number {
    return this.used;
  }

  static codeOfTcpState(state: TcpState): number {
    return CODE_OF_TCP_STATE.get(state) ?? 0;
  }

  static codeOfEventType(type: ConntrackEventType | null): number {
    return type === null ? 0 : type === 'new' ? 1 : type === 'update' ? 2 : 3;
  }

  eventTypeOf(slot: number): ConntrackEventType | null {
    return EVENT_TYPE_OF_CODE[this.lastEventType[slot]!] ?? null;
  }

  /** Stores the flow's wire tuples. */
  setTuples(slot: number, original: FlowTupleData, reply: FlowTupleData): void {
    if (original.srcIp.length !== 4 || original.dstIp.length !== 4 || reply.srcIp.length !== 4 || reply.dstIp.length !== 4) {
      this.otherTuples.set(slot, { original, reply });
      return;
    }
    if (this.otherTuples.size > 0) this.otherTuples.delete(slot);
    this.originalSrc[slot] = readU32BE(original.srcIp);
    this.originalDst[slot] = readU32BE(original.dstIp);
    this.replySrc[slot] = readU32BE(reply.srcIp);
    this.replyDst[slot] = readU32BE(reply.dstIp);
    this.originalSrcPort[slot] = original.srcPort;
    this.originalDstPort[slot] = original.dstPort;
    this.replySrcPort[slot] = reply.srcPort;
    this.replyDstPort[slot] = reply.dstPort;
  }

  /** The flow's original (or reply) wire tuple: a new object over shared address bytes. */
  tupleOf(slot: number, original: boolean): FlowTupleData {
    if (this.otherTuples.size > 0) {
      const other = this.otherTuples.get(slot);
      if (other !== undefined) return original ? other.original : other.reply;
    }
    return original
      ? { srcIp: ipv4BytesOf(this.originalSrc[slot]!), dstIp: ipv4BytesOf(this.originalDst[slot]!), srcPort: this.originalSrcPort[slot]!, dstPort: this.originalDstPort[slot]! }
      : { srcIp: ipv4BytesOf(this.replySrc[slot]!), dstIp: ipv4BytesOf(this.replyDst[slot]!), srcPort: this.replySrcPort[slot]!, dstPort: this.replyDstPort[slot]! };
  }

  /** Forgets every flow (the memory is kept). */
  clear(): void {
    this.used = 0;
    this.freeSlots.length = 0;
    this.otherTuples.clear();
  }

  private grow(capacity: number): void {
    const grown = <T extends Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.set(a);
      return b;
    };
    const hot = new Float64Array(capacity * HOT);
    hot.set(this.hot);
    this.hot = hot;
    this.startUs = grown(this.startUs);
    this.vanishedSinceMs = grown(this.vanishedSinceMs);
    this.id = grown(this.id);
    this.mark = grown(this.mark);
    this.lastEventType = grown(this.lastEventType);
    this.ipVersion = grown(this.ipVersion);
    this.protocol = grown(this.protocol);
    this.icmpType = grown(this.icmpType);
    this.icmpCode = grown(this.icmpCode);
    this.icmpId = grown(this.icmpId);
    this.zone = grown(this.zone);
    this.tupleShape = grown(this.tupleShape);
    this.originalSrc = grown(this.originalSrc);
    this.originalDst = grown(this.originalDst);
    this.replySrc = grown(this.replySrc);
    this.replyDst = grown(this.replyDst);
    this.originalSrcPort = grown(this.originalSrcPort);
    this.originalDstPort = grown(this.originalDstPort);
    this.replySrcPort = grown(this.replySrcPort);
    this.replyDstPort = grown(this.replyDstPort);
    this.capacity = capacity;
  }
}
