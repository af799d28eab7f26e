/**
 * One sighting of a conntrack entry, flattened to what the flow tracker reads: from a parsed
 * {@link ConntrackEntry} (the text reader, table listings) or straight from a netlink reader
 * record (conntrack-record-decoder.ts, the event hot path: 20,000 records a second at 10,000
 * flows/s, where an entry object with two tuple objects per event was most of the agent's
 * garbage). The tracker fills one reused observation per call and keeps nothing of it.
 */
import type { FlowTupleData, TcpState } from '../../../contract/wire/flow-batch-codec.ts';
import { addressTextToBytes } from './address-text-bytes.ts';
import type { ConntrackEntry, ConntrackEventType, ConntrackTuple } from './conntrack-event-parser.ts';

/** See the module comment. Counters are undefined when the sighting carried none. */
export interface ConntrackObservation {
  eventType: ConntrackEventType | null;
  /** Event time, Unix seconds (microsecond resolution); null when none (listings). */
  timestamp: number | null;
  /** Seconds since the entry was created (needs nf_conntrack_timestamp); null if unknown. */
  deltaTimeSeconds: number | null;
  ipVersion: 4 | 6;
  protocol: number;
  tcpState: TcpState;
  assured: boolean;
  unreplied: boolean;
  id: number | null;
  mark: number | null;
  originalPackets: number | undefined;
  originalBytes: number | undefined;
  replyPackets: number | undefined;
  replyBytes: number | undefined;
  /** conntrack zone; null when the sighting named none (zone 0). */
  zone: number | null;
  /** How the original tuple names its endpoints: a TupleShape (conntrack-query-record.ts): 0 neither, 1 ports, 2 ICMP fields. */
  tupleShape: number;
  /** The original tuple's ICMP fields (0 when not ICMP). */
  icmpType: number;
  icmpCode: number;
  icmpId: number;
  /**
   * Whether the sighting's key is the packed IPv4 form, and that identity as numbers (see
   * ipv4-flow-index.ts; set with the key by {@link packedIpv4Key}).
   */
  ipv4Identity: boolean;
  identityId: number;
  identityProtocolKinds: number;
  identitySrc: number;
  identityDst: number;
  identityPorts: number;
  /** Where the tuples come from: a parsed entry, or a reader record (`record` at `offset`). */
  entry: ConntrackEntry | null;
  record: Buffer | null;
  offset: number;
}

/** A fresh observation to fill (one per tracker; reused for every call). */
export function emptyObservation(): ConntrackObservation {
  return {
    eventType: null, timestamp: null, deltaTimeSeconds: null, ipVersion: 4, protocol: 0, tcpState: 'unspecified', assured: false, unreplied: false,
    id: null, mark: null, zone: null, tupleShape: 0, originalPackets: undefined, originalBytes: undefined, replyPackets: undefined, replyBytes: undefined,
    icmpType: 0, icmpCode: 0, icmpId: 0, ipv4Identity: false, identityId: 0, identityProtocolKinds: 0, identitySrc: 0, identityDst: 0, identityPorts: 0,
    entry: null, record: null, offset: 0,
  };
}

const TCP_STATES = new Set<string>(['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2']);

/** Maps conntrack's TCP state names to the wire enum; old kernels print SYN_SENT2 as LISTEN. */
export function tcpStateOf(entry: Pick<ConntrackEntry, 'protocolName' | 'state'>): TcpState {
  if (entry.protocolName !== 'tcp' || entry.state === null) return 'unspecified';
  if (entry.state === 'LISTEN') return 'SYN_SENT2';
  return TCP_STATES.has(entry.state) ? (entry.state as TcpState) : 'unspecified';
}

/** Fills `into` from a parsed entry. */
export function observeEntry(entry: ConntrackEntry, into: ConntrackObservation): ConntrackObservation {
  const o = entry.original;
  const r = entry.reply;
  into.eventType = entry.eventType;
  into.timestamp = entry.timestamp;
  into.deltaTimeSeconds = entry.deltaTimeSeconds;
  into.ipVersion = entry.ipVersion;
  into.protocol = entry.protocol;
  into.tcpState = tcpStateOf(entry);
  into.assured = entry.assured;
  into.unreplied = entry.unreplied;
  into.id = entry.id;
  into.mark = entry.mark;
  into.originalPackets = o.packets;
  into.originalBytes = o.bytes;
  into.replyPackets = r.packets;
  into.replyBytes = r.bytes;
  into.zone = entry.zone;
  into.tupleShape = o.sport !== undefined || o.dport !== undefined ? 1 : o.icmpType !== undefined || o.icmpId !== undefined ? 2 : 0;
  into.icmpType = o.icmpType ?? 0;
  into.icmpCode = o.icmpCode ?? 0;
  into.icmpId = o.icmpId ?? 0;
  into.entry = entry;
  into.record = null;
  return into;
}

/** The wire tuple of a parsed tuple. */
export function tupleOfEntry(t: ConntrackTuple): FlowTupleData {
  return { srcIp: t.srcBytes ?? addressTextToBytes(t.src), dstIp: t.dstBytes ?? addressTextToBytes(t.dst), srcPort: t.sport ?? 0, dstPort: t.dport ?? 0 };
}

/** Leads every packed key: a text key starts with a digit or `noid`, so the two forms never meet. */
const PACKED_KEY_MARK = 1;

/**
 * The packed identity of an IPv4 entry with an id (see conntrackFlowKey): 10 UTF-16 code units,
 * one string built at once. `kinds`: bit 0 sport, 1 ICMP id, 2 dport, 3 ICMP type present;
 * `srcHigh`..`dstLow`: the addresses as big-endian 16-bit halves.
 */
export function packedIpv4Key(id: number, protocol: number, kinds: number, srcHigh: number, srcLow: number, dstHigh: number, dstLow: number, first: number, second: number, identityInto?: ConntrackObservation): string {
  if (identityInto !== undefined) {
    identityInto.ipv4Identity = true;
    identityInto.identityId = id;
    identityInto.identityProtocolKinds = protocol | (kinds << 8);
    identityInto.identitySrc = ((srcHigh << 16) | srcLow) >>> 0;
    identityInto.identityDst = ((dstHigh << 16) | dstLow) >>> 0;
    identityInto.identityPorts = ((first << 16) | second) >>> 0;
  }
  return String.fromCharCode(PACKED_KEY_MARK, id >>> 16, id & 0xffff, protocol | (kinds << 8), srcHigh, srcLow, dstHigh, dstLow, first, second);
}

/** The packed key of an identity (what {@link packedIpv4Key} made it from). */
export function packedIpv4KeyOf(id: number, protocolKinds: number, src: number, dst: number, ports: number): string {
  return String.fromCharCode(PACKED_KEY_MARK, id >>> 16, id & 0xffff, protocolKinds, src >>> 16, src & 0xffff, dst >>> 16, dst & 0xffff, ports >>> 16, ports & 0xffff);
}
