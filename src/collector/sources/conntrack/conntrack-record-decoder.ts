/**
 * Decoder of segflow-conntrack-reader's binary records (the layout is defined once, in
 * conntrack-reader/conntrack_record.h: 160 bytes, little-endian). Pure: bytes in, a
 * {@link ConntrackEntry} (the same shape the text parser yields) or a reader message out.
 *
 * Cheap on purpose — this runs 20,000 times a second at 10,000 flows/s: fixed offsets read from
 * the Buffer, no per-record strings but the two addresses of each tuple, shared flag arrays.
 */
import type { FlowTupleData, TcpState } from '../../../contract/wire/flow-batch-codec.ts';
import type { ConntrackEntry, ConntrackEventType, ConntrackTuple } from './conntrack-event-parser.ts';
import { packedIpv4Key, tcpStateOf, type ConntrackObservation } from './conntrack-observation.ts';

/** Bytes per record. */
export const CONNTRACK_RECORD_SIZE = 160;
/** The record layout version this decoder reads (the reader's READY record carries its own). */
export const CONNTRACK_RECORD_VERSION = 2;

/** Record kinds (byte 0). */
export const ConntrackRecordKind = { new: 1, update: 2, destroy: 3, listed: 4, dumpEnd: 5, found: 6, gone: 7, query: 8, queryEnd: 9, ready: 16, loss: 17 } as const;

/** Presence bits (u32 at offset 4). */
export const ConntrackRecordPresence = {
  id: 1 << 0,
  status: 1 << 1,
  timeout: 1 << 2,
  mark: 1 << 3,
  zone: 1 << 4,
  tsStart: 1 << 5,
  tsStop: 1 << 6,
  state: 1 << 7,
  ports: 1 << 8,
  icmp: 1 << 9,
  countersOriginal: 1 << 10,
  countersReply: 1 << 11,
} as const;
const KNOWN_PRESENCE = (1 << 12) - 1;

/** An entry plus the network-order address bytes of both tuples (what the wire carries). */
export interface DecodedConntrackEntry extends ConntrackEntry {
  original: ConntrackTuple & { srcBytes: Uint8Array; dstBytes: Uint8Array };
  reply: ConntrackTuple & { srcBytes: Uint8Array; dstBytes: Uint8Array };
}

/** What one record says. */
export type ConntrackReaderMessage =
  | { kind: 'entry'; entry: DecodedConntrackEntry }
  | { kind: 'ready'; version: number; receiveBufferBytes: number }
  /** Cumulative since the reader started: ENOBUFS overruns, and events the kernel dropped. */
  | { kind: 'loss'; overruns: number; droppedEvents: number }
  | { kind: 'dump-end'; entries: number }
  /** A query's entry is not in the table (`error`: the kernel's errno, 2 ENOENT); `entry` is the query. */
  | { kind: 'gone'; entry: DecodedConntrackEntry; error: number }
  /** Every query before the agent's QUERY_END has been answered: `answered` since the previous one. */
  | { kind: 'query-end'; answered: number };

/** A record that is not a valid reader record; names every problem and the byte offset. */
export class ConntrackRecordDecodeError extends Error {
  override readonly name = 'ConntrackRecordDecodeError';
  constructor(
    /** Offset of the record in the reader's output stream. */
    readonly offset: number,
    readonly problems: readonly string[],
  ) {
    super(`invalid conntrack reader record at byte ${offset}: ${problems.join('; ')}`);
  }
}

const EVENT_KINDS: Record<number, ConntrackEventType | null> = { 1: 'new', 2: 'update', 3: 'destroy', 4: null, 6: null };

const PROTOCOL_NAMES: Record<number, string> = { 1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 33: 'dccp', 47: 'gre', 58: 'icmpv6', 132: 'sctp', 136: 'udplite' };

/** State names as conntrack prints them (libnetfilter_conntrack's tables), by protocol. */
const STATE_NAMES: Record<number, readonly string[]> = {
  // tcp: index 9 is SYN_SENT2, which the tool prints as LISTEN (the tracker maps it back).
  6: ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'LISTEN', 'MAX', 'IGNORE'],
  132: ['NONE', 'CLOSED', 'COOKIE_WAIT', 'COOKIE_ECHOED', 'ESTABLISHED', 'SHUTDOWN_SENT', 'SHUTDOWN_RECD', 'SHUTDOWN_ACK_SENT', 'HEARTBEAT_SENT', 'HEARTBEAT_ACKED'],
  33: ['NONE', 'REQUEST', 'RESPOND', 'PARTOPEN', 'OPEN', 'CLOSEREQ', 'CLOSING', 'TIMEWAIT', 'IGNORE', 'INVALID'],
};

const IPS_SEEN_REPLY = 1 << 1;
const IPS_ASSURED = 1 << 2;
const IPS_OFFLOAD = 1 << 14;
const IPS_HW_OFFLOAD = 1 << 15;

/** Frozen flag lists by (unreplied, assured, offload, hw offload), in the tool's print order. */
const FLAG_SETS: readonly (readonly string[])[] = Array.from({ length: 16 }, (_, bits) =>
  Object.freeze([
    ...(bits & 1 ? ['UNREPLIED'] : []),
    ...(bits & 2 ? ['ASSURED'] : []),
    ...(bits & 4 ? ['OFFLOAD'] : []),
    ...(bits & 8 ? ['HW_OFFLOAD'] : []),
  ]),
);
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;

const u64 = (b: Buffer, o: number): number => b.readUInt32LE(o + 4) * 4294967296 + b.readUInt32LE(o);

/**
 * IPv4 addresses repeat (a node's pods talk to a few services): each one's text and bytes are
 * made once and shared by every record that carries it — read-only from here on. Bounded: a
 * full cache starts over.
 */
const IPV4_CACHE_LIMIT = 65_536;
const ipv4Cache = new Map<number, { text: string; bytes: Uint8Array }>();

/** The IPv4 address `n` (big-endian u32) as text and wire bytes, shared while the cache holds it. */
function ipv4Of(n: number): { text: string; bytes: Uint8Array } {
  let hit = ipv4Cache.get(n);
  if (hit === undefined) {
    if (ipv4Cache.size >= IPV4_CACHE_LIMIT) ipv4Cache.clear();
    const bytes = Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
    hit = { text: bytes.join('.'), bytes };
    ipv4Cache.set(n, hit);
  }
  return hit;
}

function ipv4At(b: Buffer, o: number): { text: string; bytes: Uint8Array } {
  return ipv4Of(b.readUInt32BE(o));
}

/** Wire bytes of the IPv4 address `n` (big-endian u32); shared, never to be written to. */
export function ipv4BytesOf(n: number): Uint8Array {
  return ipv4Of(n).bytes;
}

function ipv6At(b: Buffer, o: number): { text: string; bytes: Uint8Array } {
  // A copy, not a view: a record outlives the chunk it came in (it waits in a batch).
  return { text: ipv6Text(b, o), bytes: Uint8Array.prototype.slice.call(b, o, o + 16) };
}

/** RFC 5952 text of 16 address bytes (what inet_ntop prints: `::` for the longest zero run, IPv4-mapped as `::ffff:a.b.c.d`). */
export function ipv6Text(b: Uint8Array, o = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!);
  if (words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff) {
    return `::ffff:${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 1; // a single zero word is not shortened
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (from: number, to: number): string => words.slice(from, to).map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

function readTuple(b: Buffer, o: number, ipVersion: 4 | 6, presence: number, original: boolean, counterOffset: number): DecodedConntrackEntry['original'] {
  const src = ipVersion === 4 ? ipv4At(b, o) : ipv6At(b, o);
  const dst = ipVersion === 4 ? ipv4At(b, o + 16) : ipv6At(b, o + 16);
  const ports = (presence & ConntrackRecordPresence.ports) !== 0;
  const icmp = (presence & ConntrackRecordPresence.icmp) !== 0;
  const counters = (presence & (original ? ConntrackRecordPresence.countersOriginal : ConntrackRecordPresence.countersReply)) !== 0;
  // Every field in one literal (absent ones undefined): adding them afterwards would give each
  // tuple a second allocation for the extra properties.
  const tuple: DecodedConntrackEntry['original'] = {
    src: src.text,
    dst: dst.text,
    srcBytes: src.bytes,
    dstBytes: dst.bytes,
    sport: ports ? b.readUInt16LE(o + 32) : undefined,
    dport: ports ? b.readUInt16LE(o + 34) : undefined,
    icmpType: icmp ? b[o + 36]! : undefined,
    icmpCode: icmp ? b[o + 37]! : undefined,
    icmpId: icmp ? b.readUInt16LE(o + 38) : undefined,
    packets: counters ? u64(b, counterOffset) : undefined,
    bytes: counters ? u64(b, counterOffset + 8) : undefined,
  };
  return tuple;
}

function isZero(b: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

/** Offsets of the four addresses in a record, with their names for errors. */
const ADDRESS_FIELDS: ReadonlyArray<readonly [string, number]> = [['original src', 48], ['original dst', 64], ['reply src', 88], ['reply dst', 104]];

/**
 * Whether an entry record's fixed fields are sound. With `problems`, every problem is named
 * there; without, it stops at the first and allocates nothing (it runs for every record).
 */
function checkEntry(b: Buffer, o: number, problems: string[] | null): boolean {
  let sound = true;
  const version = b[o + 1]!;
  const presence = b.readUInt32LE(o + 4);
  if (version !== 4 && version !== 6) {
    if (!problems) return false;
    sound = false;
    problems.push(`ip version (byte 1) is ${version}, expected 4 or 6`);
  }
  if (presence & ~KNOWN_PRESENCE) {
    if (!problems) return false;
    sound = false;
    problems.push(`unknown presence bits 0x${(presence & ~KNOWN_PRESENCE).toString(16)} (u32 at 4)`);
  }
  if (presence & ConntrackRecordPresence.ports && presence & ConntrackRecordPresence.icmp) {
    if (!problems) return false;
    sound = false;
    problems.push('both ports and icmp fields present (presence bits 8 and 9)');
  }
  if (b.readUInt16LE(o + 34) !== 0 || b.readUInt32LE(o + 44) !== 0) {
    if (!problems) return false;
    sound = false;
    problems.push('reserved bytes (34..35, 44..47) are not zero');
  }
  if (version === 4) {
    for (let i = 0; i < ADDRESS_FIELDS.length; i++) {
      const [name, at] = ADDRESS_FIELDS[i]!;
      if (isZero(b, o + at + 4, o + at + 16)) continue;
      if (!problems) return false;
      sound = false;
      problems.push(`${name} address is IPv4 but bytes ${at + 4}..${at + 15} are not zero`);
    }
  }
  if (presence & ConntrackRecordPresence.tsStop && !(presence & ConntrackRecordPresence.tsStart)) {
    if (!problems) return false;
    sound = false;
    problems.push('timestamp stop without start');
  }
  if (presence & ConntrackRecordPresence.tsStart && presence & ConntrackRecordPresence.tsStop && b.readUInt32LE(o + 40) < b.readUInt32LE(o + 36)) {
    if (!problems) return false;
    sound = false;
    problems.push(`timestamp stop ${b.readUInt32LE(o + 40)} is before start ${b.readUInt32LE(o + 36)}`);
  }
  return sound;
}

/**
 * Decodes the record at `offset` of `b` (which must hold at least {@link CONNTRACK_RECORD_SIZE}
 * bytes from there). `streamOffset` is where that record sits in the reader's output, for errors.
 * Throws {@link ConntrackRecordDecodeError} naming every problem.
 */
export function decodeConntrackRecord(b: Buffer, offset = 0, streamOffset = offset): ConntrackReaderMessage {
  if (b.length - offset < CONNTRACK_RECORD_SIZE) {
    throw new ConntrackRecordDecodeError(streamOffset, [`truncated record: ${Math.max(0, b.length - offset)} of ${CONNTRACK_RECORD_SIZE} bytes`]);
  }
  const kind = b[offset]!;
  const o = offset;
  switch (kind) {
    case ConntrackRecordKind.new:
    case ConntrackRecordKind.update:
    case ConntrackRecordKind.destroy:
    case ConntrackRecordKind.listed:
    case ConntrackRecordKind.found:
    case ConntrackRecordKind.gone: {
      if (!checkEntry(b, o, null)) {
        const problems: string[] = [];
        checkEntry(b, o, problems);
        throw new ConntrackRecordDecodeError(streamOffset, problems);
      }
      // A GONE record is the query again: its u32 at 24 is the kernel's error, not a timeout.
      if (kind === ConntrackRecordKind.gone) return { kind: 'gone', entry: decodeEntry(b, o), error: b.readUInt32LE(o + 24) };
      return { kind: 'entry', entry: decodeEntry(b, o) };
    }
    case ConntrackRecordKind.queryEnd:
      return { kind: 'query-end', answered: b.readUInt32LE(o + 16) };
    case ConntrackRecordKind.ready:
      return { kind: 'ready', version: b.readUInt32LE(o + 16), receiveBufferBytes: b.readUInt32LE(o + 20) };
    case ConntrackRecordKind.loss:
      return { kind: 'loss', overruns: b.readUInt32LE(o + 16), droppedEvents: u64(b, o + 24) };
    case ConntrackRecordKind.dumpEnd:
      return { kind: 'dump-end', entries: b.readUInt32LE(o + 16) };
    default:
      throw new ConntrackRecordDecodeError(streamOffset, [`unknown record kind ${kind} (byte 0)`]);
  }
}

/** Seconds from the entry's start to its stop (or to the record's time), as `delta-time`; null without timestamps. */
function entryAgeSeconds(b: Buffer, o: number, presence: number, timeUs: number): number | null {
  if ((presence & ConntrackRecordPresence.tsStart) === 0) return null;
  const stop = presence & ConntrackRecordPresence.tsStop ? b.readUInt32LE(o + 40) : Math.floor(timeUs / 1e6);
  return Math.max(0, stop - b.readUInt32LE(o + 36));
}

/** The wire TCP state of each tcp state index (the tracker's mapping of the names above). */
const TCP_WIRE_STATES: readonly TcpState[] = STATE_NAMES[6]!.map((state) => tcpStateOf({ protocolName: 'tcp', state }));

/** Whether the record at `o` is an entry (NEW, UPDATE, DESTROY, listed, found) whose fixed fields are sound; allocates nothing. */
export function isSoundEntryRecord(b: Buffer, o: number): boolean {
  const kind = b[o]!;
  return ((kind >= ConntrackRecordKind.new && kind <= ConntrackRecordKind.listed) || kind === ConntrackRecordKind.found) && checkEntry(b, o, null);
}

/**
 * Fills `into` from the sound entry record at `o` of `b` (see {@link isSoundEntryRecord}) and
 * returns its packed flow key, without making an entry object — for an IPv4 entry with an id,
 * the netlink reader's usual record. Returns null, filling nothing, for any other (the caller
 * decodes those in full). Reads what {@link decodeConntrackRecord} would decode, to the bit.
 */
export function observeIpv4Record(b: Buffer, o: number, into: ConntrackObservation): string | null {
  const presence = b.readUInt32LE(o + 4);
  if (b[o + 1] !== 4 || (presence & ConntrackRecordPresence.id) === 0) return null;
  const kind = b[o]!;
  const protocol = b[o + 2]!;
  const timeUs = u64(b, o + 8);
  const hasStatus = (presence & ConntrackRecordPresence.status) !== 0;
  const status = hasStatus ? b.readUInt32LE(o + 20) : 0;
  const eventType = EVENT_KINDS[kind] ?? null;
  into.eventType = eventType;
  into.timestamp = eventType === null ? null : timeUs / 1e6;
  into.deltaTimeSeconds = entryAgeSeconds(b, o, presence, timeUs);
  into.ipVersion = 4;
  into.protocol = protocol;
  into.tcpState = protocol === 6 && presence & ConntrackRecordPresence.state ? (TCP_WIRE_STATES[b[o + 3]!] ?? 'unspecified') : 'unspecified';
  into.assured = (status & IPS_ASSURED) !== 0;
  into.unreplied = hasStatus && (status & IPS_SEEN_REPLY) === 0;
  const id = b.readUInt32LE(o + 16);
  into.id = id;
  into.mark = presence & ConntrackRecordPresence.mark ? b.readUInt32LE(o + 28) : null;
  const original = (presence & ConntrackRecordPresence.countersOriginal) !== 0;
  const reply = (presence & ConntrackRecordPresence.countersReply) !== 0;
  into.originalPackets = original ? u64(b, o + 128) : undefined;
  into.originalBytes = original ? u64(b, o + 136) : undefined;
  into.replyPackets = reply ? u64(b, o + 144) : undefined;
  into.replyBytes = reply ? u64(b, o + 152) : undefined;
  const ports = (presence & ConntrackRecordPresence.ports) !== 0;
  const icmp = (presence & ConntrackRecordPresence.icmp) !== 0;
  into.zone = presence & ConntrackRecordPresence.zone ? b.readUInt16LE(o + 32) : null;
  into.tupleShape = ports ? 1 : icmp ? 2 : 0;
  into.icmpType = icmp ? b[o + 84]! : 0;
  into.icmpCode = icmp ? b[o + 85]! : 0;
  into.icmpId = icmp ? b.readUInt16LE(o + 86) : 0;
  into.entry = null;
  into.record = b;
  into.offset = o;
  // The original tuple starts at 48: addresses at 48 and 64, ports at 80/82, ICMP at 84..87.
  const first = ports ? b.readUInt16LE(o + 80) : icmp ? into.icmpId : 0;
  const second = ports ? b.readUInt16LE(o + 82) : icmp ? into.icmpType : 0;
  return packedIpv4Key(id, protocol, ports ? 5 : icmp ? 10 : 0, b.readUInt16BE(o + 48), b.readUInt16BE(o + 50), b.readUInt16BE(o + 64), b.readUInt16BE(o + 66), first, second, into);
}

/** The wire tuple (original at 48, reply at 88) of an IPv4 record {@link observeIpv4Record} read; its address bytes are shared. */
export function ipv4RecordTuple(b: Buffer, o: number, original: boolean): FlowTupleData {
  const at = o + (original ? 48 : 88);
  const ports = (b.readUInt32LE(o + 4) & ConntrackRecordPresence.ports) !== 0;
  return { srcIp: ipv4At(b, at).bytes, dstIp: ipv4At(b, at + 16).bytes, srcPort: ports ? b.readUInt16LE(at + 32) : 0, dstPort: ports ? b.readUInt16LE(at + 34) : 0 };
}

function decodeEntry(b: Buffer, o: number): DecodedConntrackEntry {
  const kind = b[o]!;
  const ipVersion = b[o + 1] === 6 ? 6 : 4;
  const protocol = b[o + 2]!;
  const presence = b.readUInt32LE(o + 4);
  const timeUs = u64(b, o + 8);
  const status = presence & ConntrackRecordPresence.status ? b.readUInt32LE(o + 20) : 0;
  const unreplied = (presence & ConntrackRecordPresence.status) !== 0 && (status & IPS_SEEN_REPLY) === 0;
  const assured = (status & IPS_ASSURED) !== 0;
  const flagBits = (unreplied ? 1 : 0) | (assured ? 2 : 0) | (status & IPS_OFFLOAD ? 4 : 0) | (status & IPS_HW_OFFLOAD ? 8 : 0);
  const deltaTimeSeconds = entryAgeSeconds(b, o, presence, timeUs);
  const eventType = EVENT_KINDS[kind] ?? null;
  return {
    eventType,
    // Table dumps carry no event time, as `conntrack -L` prints none.
    timestamp: eventType === null ? null : timeUs / 1e6,
    ipVersion,
    protocolName: PROTOCOL_NAMES[protocol] ?? 'unknown',
    protocol,
    timeoutSeconds: presence & ConntrackRecordPresence.timeout ? b.readUInt32LE(o + 24) : null,
    state: presence & ConntrackRecordPresence.state ? (STATE_NAMES[protocol]?.[b[o + 3]!] ?? null) : null,
    original: readTuple(b, o + 48, ipVersion, presence, true, o + 128),
    reply: readTuple(b, o + 88, ipVersion, presence, false, o + 144),
    assured,
    unreplied,
    flags: FLAG_SETS[flagBits] as string[],
    id: presence & ConntrackRecordPresence.id ? b.readUInt32LE(o + 16) : null,
    mark: presence & ConntrackRecordPresence.mark ? b.readUInt32LE(o + 28) : null,
    deltaTimeSeconds,
    zone: presence & ConntrackRecordPresence.zone ? b.readUInt16LE(o + 32) : null,
    attributes: NO_ATTRIBUTES,
  };
}

/**
 * Splits the reader's stdout into records: chunks arrive at any size, a record may straddle two.
 * `onMessage` gets each record, `onError` each bad one (the stream goes on with the next).
 * `onEntryRecord`, when given, is offered every sound entry record in place first (the bytes
 * are valid during the call only) and returns true when it took it; the others are decoded.
 */
export class ConntrackRecordStream {
  private rest: Buffer | null = null;
  private consumed = 0;

  constructor(
    private readonly onMessage: (message: ConntrackReaderMessage) => void,
    private readonly onError: (error: ConntrackRecordDecodeError) => void,
    private readonly onEntryRecord?: (b: Buffer, o: number) => boolean,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.rest !== null) {
      // Only the record that straddles the two chunks is copied, not the whole chunk.
      const need = CONNTRACK_RECORD_SIZE - this.rest.length;
      if (chunk.length < need) {
        this.rest = Buffer.concat([this.rest, chunk]);
        return;
      }
      const straddling = Buffer.concat([this.rest, chunk.subarray(0, need)]);
      this.rest = null;
      this.decode(straddling, 0, this.consumed);
      this.consumed += CONNTRACK_RECORD_SIZE;
      start = need;
    }
    const whole = chunk.length - ((chunk.length - start) % CONNTRACK_RECORD_SIZE);
    for (let o = start; o < whole; o += CONNTRACK_RECORD_SIZE) this.decode(chunk, o, this.consumed + o - start);
    this.consumed += whole - start;
    if (whole < chunk.length) this.rest = Buffer.from(chunk.subarray(whole));
  }

  private decode(b: Buffer, o: number, streamOffset: number): void {
    if (this.onEntryRecord !== undefined && isSoundEntryRecord(b, o) && this.onEntryRecord(b, o)) return;
    let message: ConntrackReaderMessage;
    try {
      message = decodeConntrackRecord(b, o, streamOffset);
    } catch (err) {
      if (err instanceof ConntrackRecordDecodeError) {
        this.onError(err);
        return;
      }
      throw err;
    }
    this.onMessage(message);
  }

  /** The stream ended: a partial record left over is an error. */
  end(): void {
    if (this.rest === null) return;
    const left = this.rest;
    this.rest = null;
    this.onError(new ConntrackRecordDecodeError(this.consumed, [`stream ended inside a record: ${left.length} of ${CONNTRACK_RECORD_SIZE} bytes`]));
    this.consumed += left.length;
  }
}
