/**
 * Turns the loader's directional records into flow records of the wire contract.
 *
 * **Accounting.** The probe counts each *direction* of a connection separately (a packet only
 * knows its own 5-tuple). At every `interval` record the assembler pairs the directions of one
 * connection into one {@link FlowRecordData}: `original` is the direction that opened it, the
 * counters of the other direction become the `reply` counters. Which side opened it is decided
 * once per connection and remembered across intervals:
 *   1. TCP: the side that sent SYN without ACK (or the peer of the side that sent SYN+ACK);
 *   2. ICMP/ICMPv6 echo: the side that sent the request;
 *   3. otherwise the side whose first packet came first.
 * The first report of a connection is `new`, later ones `update`; a TCP connection that saw
 * RST, or FIN from both sides, is reported `destroy` and forgotten. Connections silent for
 * `idleTimeoutMs` are forgotten with a zero-delta `destroy` (the probe cannot see the end of
 * UDP/ICMP "connections"). Verdict `unknown`: tc observes before netfilter decides.
 *
 * **Drops.** Drop records (one per packet) are summed per (5-tuple, reason) and reported at the
 * interval's end as one `deny` record each: `original` = the dropped packets' tuple, counters =
 * the dropped packets and IP bytes, rule hint `kfree_skb:<REASON>` (e.g.
 * `kfree_skb:NETFILTER_DROP`). The first report of a denied tuple is `new`, repeats while it
 * keeps being dropped are `update` (SYN retransmits of one attempt are one flow).
 *
 * **Not flows.** IPv6 neighbour discovery and multicast-listener messages (ICMPv6 types 130-137,
 * 143) are link-local control traffic, like ARP (which the probe does not count at all): they
 * are counted in {@link EbpfFlowAssembler.skippedControl} instead of becoming flow records.
 *
 * Pure and synchronous: wall-clock time comes in as the records' timestamps.
 */
import type { FlowRecordData, FlowTupleData } from '../../../contract/wire/flow-batch-codec.ts';
import type { EbpfDropRecord, EbpfFlowRecord, EbpfRecord, EbpfTuple } from './ebpf-record-parser.ts';

/** Options of {@link EbpfFlowAssembler}. */
export interface EbpfFlowAssemblerOptions {
  nodeName: string;
  /** Forget a connection after this long without packets (ms; default 300 000). */
  idleTimeoutMs?: number;
  /** Forget a denied tuple after this long without drops (ms; default 60 000). */
  dropIdleTimeoutMs?: number;
  /** Most connections remembered; the least recently seen are forgotten beyond it (default 262 144). */
  maxConnections?: number;
}

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;
const ICMP = 1;
const ICMPV6 = 58;
const TCP = 6;

/** ICMPv6 neighbour discovery (133-137) and multicast listener (130-132, 143) messages. */
const isIcmpv6Control = (protocol: number, type: number): boolean => protocol === ICMPV6 && ((type >= 130 && type <= 137) || type === 143);
const isIcmp = (protocol: number): boolean => protocol === ICMP || protocol === ICMPV6;
const isEchoRequest = (protocol: number, type: number): boolean => (protocol === ICMP && type === 8) || (protocol === ICMPV6 && type === 128);
const isEchoReply = (protocol: number, type: number): boolean => (protocol === ICMP && type === 0) || (protocol === ICMPV6 && type === 129);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Hex of an address; a table lookup per byte is several times cheaper than Buffer#toString('hex') for 4-16 bytes. */
function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!]!;
  return s;
}

/**
 * Identity of one direction: protocol, source endpoint, destination endpoint. For ICMP the
 * echo identifier (which the probe puts in sport for both directions) is a property of the
 * connection, not of an endpoint, so it goes last and the ports are left out.
 */
export function directionalKey(protocol: number, src: Uint8Array, sport: number, dst: Uint8Array, dport: number): string {
  if (isIcmp(protocol)) return `${protocol}|${hex(src)}|${hex(dst)}|#${sport}`;
  return `${protocol}|${hex(src)}:${sport}|${hex(dst)}:${dport}`;
}

/** Identity of a connection regardless of direction; `forward` tells whether src→dst is the key's order. */
export function connectionKey(protocol: number, src: Uint8Array, sport: number, dst: Uint8Array, dport: number): { key: string; forward: boolean } {
  const a = isIcmp(protocol) ? hex(src) : `${hex(src)}:${sport}`;
  const b = isIcmp(protocol) ? hex(dst) : `${hex(dst)}:${dport}`;
  const forward = a <= b;
  const id = isIcmp(protocol) ? `|#${sport}` : '';
  return { key: `${protocol}|${forward ? a : b}|${forward ? b : a}${id}`, forward };
}

interface Connection {
  /** Tuple of the opening direction. */
  original: EbpfTuple;
  startUnixNano: bigint;
  lastSeenUnixNano: bigint;
  icmpType: number;
  icmpCode: number;
  sawReply: boolean;
  finOriginal: boolean;
  finReply: boolean;
}

interface DropAggregate {
  first: EbpfDropRecord;
  packets: number;
  bytes: number;
  lastUnixNano: bigint;
}

/** Pairs directional counters into connections and sums drops; see the module comment. */
export class EbpfFlowAssembler {
  private readonly connections = new Map<string, Connection>();
  private readonly deniedSeen = new Map<string, bigint>();
  private pendingFlows: EbpfFlowRecord[] = [];
  private pendingDrops = new Map<string, DropAggregate>();
  private readonly reasonNames = new Map<number, string>();
  private readonly idleTimeoutNs: bigint;
  private readonly dropIdleTimeoutNs: bigint;
  private readonly maxConnections: number;
  /** Directional counters skipped as link-local control traffic (see the module comment). */
  skippedControl = 0;

  constructor(private readonly options: EbpfFlowAssemblerOptions) {
    this.idleTimeoutNs = BigInt(options.idleTimeoutMs ?? 300_000) * 1_000_000n;
    this.dropIdleTimeoutNs = BigInt(options.dropIdleTimeoutMs ?? 60_000) * 1_000_000n;
    this.maxConnections = options.maxConnections ?? 262_144;
    this.reasonNames.set(12, 'NETFILTER_DROP'); // until a hello or interval record names the running kernel's values
  }

  /** Connections currently remembered. */
  get size(): number {
    return this.connections.size;
  }

  /** Feeds records in stream order; returns the flow records completed by `interval` records. */
  handle(records: readonly EbpfRecord[]): FlowRecordData[] {
    const out: FlowRecordData[] = [];
    for (const record of records) {
      switch (record.type) {
        case 'hello':
          this.reasonNames.clear();
          this.reasonNames.set(record.netfilterDropReason, 'NETFILTER_DROP');
          break;
        case 'flow':
          if (isIcmpv6Control(record.tuple.protocol, record.icmpType)) this.skippedControl++;
          else this.pendingFlows.push(record);
          break;
        case 'drop':
          this.addDrop(record);
          break;
        case 'interval':
          for (const r of record.dropReasons) this.reasonNames.set(r.reason, r.name);
          out.push(...this.drops(record.timeUnixNano), ...this.flows(record.timeUnixNano));
          break;
        case 'iface':
          break;
      }
    }
    return out;
  }

  /** Forgets the records of an interval that will never end (the loader died mid-interval). */
  discardPending(): number {
    const n = this.pendingFlows.length + this.pendingDrops.size;
    this.pendingFlows = [];
    this.pendingDrops = new Map();
    return n;
  }

  private addDrop(d: EbpfDropRecord): void {
    const t = d.tuple;
    const key = `${d.reason}|${directionalKey(t.protocol, t.src, t.sport, t.dst, t.dport)}`;
    const agg = this.pendingDrops.get(key);
    if (agg) {
      agg.packets++;
      agg.bytes += d.bytes;
      if (d.timeUnixNano > agg.lastUnixNano) agg.lastUnixNano = d.timeUnixNano;
    } else {
      this.pendingDrops.set(key, { first: d, packets: 1, bytes: d.bytes, lastUnixNano: d.timeUnixNano });
    }
  }

  private drops(endUnixNano: bigint): FlowRecordData[] {
    const out: FlowRecordData[] = [];
    for (const [key, agg] of this.pendingDrops) {
      const d = agg.first;
      const t = d.tuple;
      const seen = this.deniedSeen.has(key);
      this.deniedSeen.set(key, agg.lastUnixNano);
      const icmp = isIcmp(t.protocol);
      const original: FlowTupleData = { srcIp: t.src, dstIp: t.dst, srcPort: icmp ? 0 : t.sport, dstPort: icmp ? 0 : t.dport };
      out.push({
        ...this.base(t, original, d.timeUnixNano, endUnixNano),
        originalPackets: agg.packets,
        originalBytes: agg.bytes,
        eventKind: seen ? 'update' : 'new',
        unreplied: true,
        dataplaneVerdict: 'deny',
        ruleHint: `kfree_skb:${this.reasonNames.get(d.reason) ?? `REASON_${d.reason}`}`,
        icmpType: icmp ? d.icmpType : 0,
        icmpCode: icmp ? d.icmpCode : 0,
        icmpId: icmp ? t.sport : 0,
      });
    }
    this.pendingDrops = new Map();
    for (const [key, last] of this.deniedSeen) if (endUnixNano - last > this.dropIdleTimeoutNs) this.deniedSeen.delete(key);
    return out;
  }

  private base(t: EbpfTuple, original: FlowTupleData, startUnixNano: bigint, endUnixNano: bigint): FlowRecordData {
    return {
      source: 'ebpf',
      nodeName: this.options.nodeName,
      startTimeUnixNano: startUnixNano,
      endTimeUnixNano: endUnixNano,
      ipVersion: t.family,
      protocol: t.protocol,
      original,
      reply: { srcIp: original.dstIp, dstIp: original.srcIp, srcPort: original.dstPort, dstPort: original.srcPort },
      originalPackets: 0,
      originalBytes: 0,
      replyPackets: 0,
      replyBytes: 0,
      eventKind: 'update',
      tcpState: 'unspecified',
      assured: false,
      unreplied: false,
      conntrackId: 0,
      conntrackMark: 0,
      dataplaneVerdict: 'unknown',
      ruleHint: '',
      icmpType: 0,
      icmpCode: 0,
      icmpId: 0,
      countersValid: true,
    };
  }

  /** Which of two directions opened the connection (true: `a`). */
  private static opensConnection(a: EbpfFlowRecord, b: EbpfFlowRecord | undefined): boolean {
    if (!b) return true;
    const p = a.tuple.protocol;
    if (p === TCP) {
      const synOnly = (f: number): boolean => (f & TCP_SYN) !== 0 && (f & TCP_ACK) === 0;
      const synAck = (f: number): boolean => (f & TCP_SYN) !== 0 && (f & TCP_ACK) !== 0;
      if (synOnly(a.tcpFlags) && !synOnly(b.tcpFlags)) return true;
      if (synOnly(b.tcpFlags) && !synOnly(a.tcpFlags)) return false;
      if (synAck(b.tcpFlags) && !synAck(a.tcpFlags)) return true;
      if (synAck(a.tcpFlags) && !synAck(b.tcpFlags)) return false;
    } else if (isIcmp(p)) {
      if (isEchoRequest(p, a.icmpType) && isEchoReply(p, b.icmpType)) return true;
      if (isEchoRequest(p, b.icmpType) && isEchoReply(p, a.icmpType)) return false;
    }
    return a.firstUnixNano <= b.firstUnixNano;
  }

  private flows(endUnixNano: bigint): FlowRecordData[] {
    // Group this interval's directional counters by connection.
    const groups = new Map<string, { forward?: EbpfFlowRecord; backward?: EbpfFlowRecord }>();
    for (const f of this.pendingFlows) {
      const t = f.tuple;
      const { key, forward } = connectionKey(t.protocol, t.src, t.sport, t.dst, t.dport);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = {}));
      // The probe keys a direction by its exact tuple, so each side appears at most once per
      // interval; merge defensively if a restarted loader repeated one.
      const slot = forward ? 'forward' : 'backward';
      const prev = g[slot];
      g[slot] = prev ? { ...prev, packets: prev.packets + f.packets, bytes: prev.bytes + f.bytes, tcpFlags: prev.tcpFlags | f.tcpFlags, lastUnixNano: f.lastUnixNano > prev.lastUnixNano ? f.lastUnixNano : prev.lastUnixNano } : f;
    }
    this.pendingFlows = [];

    const out: FlowRecordData[] = [];
    for (const [key, g] of groups) {
      const any = (g.forward ?? g.backward)!;
      let conn = this.connections.get(key);
      const isNew = !conn;
      if (!conn) {
        const [first, second] = g.forward && g.backward ? (EbpfFlowAssembler.opensConnection(g.forward, g.backward) ? [g.forward, g.backward] : [g.backward, g.forward]) : [any, undefined];
        const start = second && second.firstUnixNano < first.firstUnixNano ? second.firstUnixNano : first.firstUnixNano;
        conn = { original: first.tuple, startUnixNano: start, lastSeenUnixNano: 0n, icmpType: first.icmpType, icmpCode: first.icmpCode, sawReply: false, finOriginal: false, finReply: false };
      } else {
        this.connections.delete(key); // re-inserted below: Map order = least recently seen first
      }
      const o = conn.original;
      const origKey = directionalKey(o.protocol, o.src, o.sport, o.dst, o.dport);
      let orig: EbpfFlowRecord | undefined;
      let reply: EbpfFlowRecord | undefined;
      for (const f of [g.forward, g.backward]) {
        if (!f) continue;
        if (directionalKey(f.tuple.protocol, f.tuple.src, f.tuple.sport, f.tuple.dst, f.tuple.dport) === origKey) orig = f;
        else reply = f;
      }
      if (reply) conn.sawReply = true;
      if (orig && orig.tcpFlags & TCP_FIN) conn.finOriginal = true;
      if (reply && reply.tcpFlags & TCP_FIN) conn.finReply = true;
      const rst = ((orig?.tcpFlags ?? 0) | (reply?.tcpFlags ?? 0)) & TCP_RST;
      const last = [orig?.lastUnixNano ?? 0n, reply?.lastUnixNano ?? 0n].reduce((a, b) => (a > b ? a : b));
      conn.lastSeenUnixNano = last;
      const closed = o.protocol === TCP && (rst !== 0 || (conn.finOriginal && conn.finReply));
      out.push(this.connectionRecord(conn, isNew ? 'new' : closed ? 'destroy' : 'update', endUnixNano, orig, reply));
      if (closed && isNew) {
        // Opened and closed within one interval: the `new` record carries the counters; say it ended too.
        out.push(this.connectionRecord(conn, 'destroy', endUnixNano, undefined, undefined));
      }
      if (!closed) this.connections.set(key, conn);
    }
    out.push(...this.expire(endUnixNano));
    return out;
  }

  private connectionRecord(conn: Connection, eventKind: FlowRecordData['eventKind'], endUnixNano: bigint, orig: EbpfFlowRecord | undefined, reply: EbpfFlowRecord | undefined): FlowRecordData {
    const o = conn.original;
    const icmp = isIcmp(o.protocol);
    const original: FlowTupleData = { srcIp: o.src, dstIp: o.dst, srcPort: icmp ? 0 : o.sport, dstPort: icmp ? 0 : o.dport };
    return {
      ...this.base(o, original, conn.startUnixNano, endUnixNano),
      originalPackets: orig?.packets ?? 0,
      originalBytes: orig?.bytes ?? 0,
      replyPackets: reply?.packets ?? 0,
      replyBytes: reply?.bytes ?? 0,
      eventKind,
      assured: conn.sawReply,
      unreplied: !conn.sawReply,
      icmpType: icmp ? conn.icmpType : 0,
      icmpCode: icmp ? conn.icmpCode : 0,
      icmpId: icmp ? o.sport : 0,
    };
  }

  /** Forgets idle connections (zero-delta `destroy`) and the least recently seen beyond the cap. */
  private expire(nowUnixNano: bigint): FlowRecordData[] {
    const out: FlowRecordData[] = [];
    for (const [key, conn] of this.connections) {
      const idle = nowUnixNano - conn.lastSeenUnixNano > this.idleTimeoutNs;
      if (!idle && this.connections.size <= this.maxConnections) break; // Map order: oldest first
      this.connections.delete(key);
      out.push(this.connectionRecord(conn, 'destroy', nowUnixNano, undefined, undefined));
    }
    return out;
  }
}
