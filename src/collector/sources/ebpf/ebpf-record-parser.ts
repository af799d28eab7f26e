/**
 * Decoder of the records `segflow-ebpf` (ebpf/loader.c) writes to stdout.
 *
 * Frame: u32 length of what follows, u16 type, u16 version (1), body; little-endian. The length
 * prefix lets the decoder skip record types it does not know; a version it does not know or an
 * absurd length means the stream is out of step, and {@link EbpfFrameDecoder} throws (the source
 * then restarts the loader).
 *
 * | type | record | body |
 * |---|---|---|
 * | 1 | hello | u32 pid, u32 netns inode, u32 netfilter drop reason value, u32 interval ms |
 * | 2 | iface | u32 ifindex, u8 attached, u8 name length, name |
 * | 3 | flow | u64 first ns, u64 last ns (Unix), u64 packets, u64 bytes, u32 ifindex, u32 TCP flags, u8 family, u8 protocol, u8 direction, u8 ICMP type, u8 ICMP code, 3 pad, 16 src, 16 dst, u16 sport, u16 dport |
 * | 4 | drop | u64 time ns (Unix), u32 reason, u32 ifindex, u32 IP bytes, u8 family, u8 protocol, u8 TCP flags, u8 ICMP type, u8 ICMP code, 3 pad, 16 src, 16 dst, u16 sport, u16 dport |
 * | 5 | interval | u64 time ns, u64 sequence, u32 flows drained, u32 n, u64 ring-buffer-full total, u64 flow-map-full total, u64 unparsed-drop total, u64 unparsed-tc total, n × (u32 reason, u64 count, u8 name length, name) |
 *
 * Addresses are raw network-order bytes; IPv4 uses the first 4. For ICMP echo the identifier
 * is in sport. Counters are deltas since the previous interval (the u64 totals in `interval`
 * are cumulative since the loader started).
 */

/** Record format version this decoder understands. */
export const EBPF_RECORD_VERSION = 1;
/** Largest frame accepted; the loader never writes more than 4 KiB. */
const MAX_FRAME_BYTES = 64 * 1024;

/** Directional 5-tuple as the probe saw it (addresses trimmed to 4 bytes for IPv4). */
export interface EbpfTuple {
  family: 4 | 6;
  protocol: number;
  src: Uint8Array;
  dst: Uint8Array;
  /** TCP/UDP source port; the echo identifier for ICMP echo; else 0. */
  sport: number;
  dport: number;
}

export interface EbpfHelloRecord {
  type: 'hello';
  pid: number;
  netnsInode: number;
  /** The running kernel's value of SKB_DROP_REASON_NETFILTER_DROP. */
  netfilterDropReason: number;
  intervalMs: number;
}

export interface EbpfIfaceRecord {
  type: 'iface';
  ifindex: number;
  attached: boolean;
  name: string;
}

/** Counters of one direction of a flow since the previous interval. */
export interface EbpfFlowRecord {
  type: 'flow';
  firstUnixNano: bigint;
  lastUnixNano: bigint;
  packets: number;
  bytes: number;
  ifindex: number;
  tcpFlags: number;
  /** 'ingress': the packet left a workload (host-side tc ingress); 'egress': delivered to one. */
  direction: 'ingress' | 'egress';
  icmpType: number;
  icmpCode: number;
  tuple: EbpfTuple;
}

/** One packet the kernel dropped with a kept reason (netfilter). */
export interface EbpfDropRecord {
  type: 'drop';
  timeUnixNano: bigint;
  reason: number;
  ifindex: number;
  /** IP bytes of the packet. */
  bytes: number;
  tcpFlags: number;
  icmpType: number;
  icmpCode: number;
  tuple: EbpfTuple;
}

/** End of one report interval: the flows of that interval precede it. */
export interface EbpfIntervalRecord {
  type: 'interval';
  timeUnixNano: bigint;
  sequence: number;
  flowsDrained: number;
  ringbufFullTotal: number;
  flowMapFullTotal: number;
  dropUnparsedTotal: number;
  tcUnparsedTotal: number;
  /** Drops per reason in this interval (all reasons, in the loader's namespace). */
  dropReasons: Array<{ reason: number; name: string; count: number }>;
}

export type EbpfRecord = EbpfHelloRecord | EbpfIfaceRecord | EbpfFlowRecord | EbpfDropRecord | EbpfIntervalRecord;

/** Thrown when the stream is not a sequence of valid frames. */
export class EbpfRecordError extends Error {
  override readonly name = 'EbpfRecordError';
}

/** Reads a body with bounds checks; every read names the record type for the error. */
class BodyReader {
  private offset = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
  ) {}
  private need(n: number): number {
    const at = this.offset;
    if (at + n > this.buf.length) throw new EbpfRecordError(`${this.what} record truncated: needs ${at + n} bytes, has ${this.buf.length}`);
    this.offset += n;
    return at;
  }
  u8(): number {
    return this.buf.readUInt8(this.need(1));
  }
  u16(): number {
    return this.buf.readUInt16LE(this.need(2));
  }
  u32(): number {
    return this.buf.readUInt32LE(this.need(4));
  }
  u64big(): bigint {
    return this.buf.readBigUInt64LE(this.need(8));
  }
  /** A counter: u64 on the wire, exact as a number below 2^53 (more would be 9 PB in one interval). */
  u64(): number {
    const v = this.u64big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new EbpfRecordError(`${this.what} record: counter ${v} exceeds 2^53`);
    return Number(v);
  }
  /** A copy of the next `n` bytes, of which the first `keep` are returned (not a view: the chunk is not retained). */
  bytes(n: number, keep = n): Uint8Array {
    const at = this.need(n);
    const out = new Uint8Array(keep);
    out.set(this.buf.subarray(at, at + keep));
    return out;
  }
  skip(n: number): void {
    this.need(n);
  }
  str(): string {
    const n = this.u8();
    const at = this.need(n);
    return this.buf.toString('utf8', at, at + n);
  }
}

function readTuple(r: BodyReader, family: number, protocol: number, what: string): EbpfTuple {
  if (family !== 4 && family !== 6) throw new EbpfRecordError(`${what} record: address family ${family}`);
  const len = family === 4 ? 4 : 16;
  const src = r.bytes(16, len);
  const dst = r.bytes(16, len);
  const sport = r.u16();
  const dport = r.u16();
  return { family, protocol, src, dst, sport, dport };
}

/** Decodes one frame body (after the length prefix); null for a record type this version does not know. */
export function decodeEbpfFrame(body: Buffer): EbpfRecord | null {
  if (body.length < 4) throw new EbpfRecordError(`frame of ${body.length} bytes has no header`);
  const type = body.readUInt16LE(0);
  const version = body.readUInt16LE(2);
  if (version !== EBPF_RECORD_VERSION) throw new EbpfRecordError(`record version ${version}, expected ${EBPF_RECORD_VERSION}`);
  const payload = body.subarray(4);
  switch (type) {
    case 1: {
      const r = new BodyReader(payload, 'hello');
      return { type: 'hello', pid: r.u32(), netnsInode: r.u32(), netfilterDropReason: r.u32(), intervalMs: r.u32() };
    }
    case 2: {
      const r = new BodyReader(payload, 'iface');
      return { type: 'iface', ifindex: r.u32(), attached: r.u8() === 1, name: r.str() };
    }
    case 3: {
      const r = new BodyReader(payload, 'flow');
      const firstUnixNano = r.u64big();
      const lastUnixNano = r.u64big();
      const packets = r.u64();
      const bytes = r.u64();
      const ifindex = r.u32();
      const tcpFlags = r.u32();
      const family = r.u8();
      const protocol = r.u8();
      const dir = r.u8();
      const icmpType = r.u8();
      const icmpCode = r.u8();
      r.skip(3);
      const tuple = readTuple(r, family, protocol, 'flow');
      return { type: 'flow', firstUnixNano, lastUnixNano, packets, bytes, ifindex, tcpFlags, direction: dir === 1 ? 'egress' : 'ingress', icmpType, icmpCode, tuple };
    }
    case 4: {
      const r = new BodyReader(payload, 'drop');
      const timeUnixNano = r.u64big();
      const reason = r.u32();
      const ifindex = r.u32();
      const bytes = r.u32();
      const family = r.u8();
      const protocol = r.u8();
      const tcpFlags = r.u8();
      const icmpType = r.u8();
      const icmpCode = r.u8();
      r.skip(3);
      const tuple = readTuple(r, family, protocol, 'drop');
      return { type: 'drop', timeUnixNano, reason, ifindex, bytes, tcpFlags, icmpType, icmpCode, tuple };
    }
    case 5: {
      const r = new BodyReader(payload, 'interval');
      const timeUnixNano = r.u64big();
      const sequence = r.u64();
      const flowsDrained = r.u32();
      const n = r.u32();
      const ringbufFullTotal = r.u64();
      const flowMapFullTotal = r.u64();
      const dropUnparsedTotal = r.u64();
      const tcUnparsedTotal = r.u64();
      const dropReasons: EbpfIntervalRecord['dropReasons'] = [];
      for (let i = 0; i < n; i++) dropReasons.push({ reason: r.u32(), count: r.u64(), name: r.str() });
      return { type: 'interval', timeUnixNano, sequence, flowsDrained, ringbufFullTotal, flowMapFullTotal, dropUnparsedTotal, tcUnparsedTotal, dropReasons };
    }
    default:
      return null;
  }
}

/**
 * Incremental decoder for the loader's stdout: feed it chunks as they arrive, get whole records.
 *
 * ```ts
 * const decoder = new EbpfFrameDecoder();
 * child.stdout.on('data', (chunk) => handle(decoder.push(chunk)));
 * ```
 */
export class EbpfFrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  /** Frames of unknown types skipped so far. */
  unknownFrames = 0;

  /** Appends a chunk and returns the records it completed. Throws {@link EbpfRecordError} on a corrupt stream. */
  push(chunk: Buffer): EbpfRecord[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: EbpfRecord[] = [];
    let offset = 0;
    while (this.pending.length - offset >= 4) {
      const len = this.pending.readUInt32LE(offset);
      if (len < 4 || len > MAX_FRAME_BYTES) throw new EbpfRecordError(`frame length ${len} at stream offset ${offset}: stream out of step`);
      if (this.pending.length - offset - 4 < len) break;
      const record = decodeEbpfFrame(this.pending.subarray(offset + 4, offset + 4 + len));
      if (record) out.push(record);
      else this.unknownFrames++;
      offset += 4 + len;
    }
    this.pending = offset === this.pending.length ? Buffer.alloc(0) : this.pending.subarray(offset);
    return out;
  }

  /** Bytes of an incomplete frame waiting for more input. */
  get bufferedBytes(): number {
    return this.pending.length;
  }
}

/** Decodes a complete capture (e.g. a test file); throws if it ends inside a frame. */
export function decodeEbpfStream(data: Buffer): EbpfRecord[] {
  const decoder = new EbpfFrameDecoder();
  const records = decoder.push(data);
  if (decoder.bufferedBytes > 0) throw new EbpfRecordError(`stream ends inside a frame (${decoder.bufferedBytes} bytes left)`);
  return records;
}
