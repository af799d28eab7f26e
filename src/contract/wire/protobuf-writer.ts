/**
 * A growing byte buffer that writes protobuf wire primitives (varints, fixed64, length-delimited
 * bytes and strings) in place, with the same minimal encodings protobufjs writes, so a message
 * written field by field here is byte-identical to protobufjs's. The flow batch encoder writes a
 * whole batch into one of these instead of building a wire object and a protobufjs writer's
 * operation list per record (allocation the collector paid 20,000 times a second).
 */

/** Bytes a varint of `n` (a non-negative integer ≤ 2^53) takes. */
export function varintSize(n: number): number {
  let size = 1;
  while (n > 127) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

const scratch64 = new BigUint64Array(1);
// The platform's byte order: fixed64 is little-endian on the wire.
const scratchBytes = new Uint8Array(scratch64.buffer);
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('ProtobufWriter assumes a little-endian platform');

/** See the module comment. Reusable: {@link reset} starts a new message in the same memory. */
export class ProtobufWriter {
  private buf: Buffer;
  /** Write position: the bytes written so far. */
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Starts a new message (the memory is kept). */
  reset(): void {
    this.pos = 0;
  }

  /** Makes room for `bytes` more bytes. */
  ensure(bytes: number): void {
    const need = this.pos + bytes;
    if (need <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** A varint of a non-negative integer ≤ 2^53 (uint32, uint64 as number, non-negative enums). The caller ensured room (10 bytes). */
  varint(n: number): void {
    const b = this.buf;
    let p = this.pos;
    while (n > 0x7fffffff) {
      b[p++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    while (n > 127) {
      b[p++] = (n & 127) | 0x80;
      n >>>= 7;
    }
    b[p++] = n;
    this.pos = p;
  }

  /**
   * A varint below 2^14 (a field tag, an enum, a flag): one or two bytes, no loop — the record
   * encoder writes ~40 of these per record. The caller ensured room (2 bytes).
   */
  shortVarint(n: number): void {
    const b = this.buf;
    if (n < 128) {
      b[this.pos++] = n;
      return;
    }
    b[this.pos] = (n & 127) | 128;
    b[this.pos + 1] = n >>> 7;
    this.pos += 2;
  }

  /** A little-endian 64-bit value (0 ≤ v < 2^64). The caller ensured room (8 bytes). */
  fixed64(v: bigint): void {
    // Through a typed array: Buffer.writeBigUInt64LE splits the value with BigInt operations,
    // allocating two BigInts per call.
    scratch64[0] = v;
    const b = this.buf;
    const p = this.pos;
    for (let i = 0; i < 8; i++) b[p + i] = scratchBytes[i]!;
    this.pos = p + 8;
  }

  /** Length-prefixed bytes. Ensures room itself. */
  bytes(v: Uint8Array): void {
    const n = v.length;
    this.ensure(n + 5);
    if (n < 128) this.buf[this.pos++] = n;
    else this.varint(n);
    const b = this.buf;
    let p = this.pos;
    // Addresses are 4 or 16 bytes: a loop beats set()'s call overhead at that size.
    if (n <= 16) for (let i = 0; i < n; i++) b[p++] = v[i]!;
    else {
      b.set(v, p);
      p += n;
    }
    this.pos = p;
  }

  /** Raw bytes (an already encoded field or message). Ensures room itself. */
  raw(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /**
   * Opens a length-delimited field whose length is not known yet: reserves one byte for it and
   * returns where the body starts, for {@link closeDelimited}.
   */
  openDelimited(): number {
    this.pos += 1;
    return this.pos;
  }

  /** Writes the length of the body that started at `start`, moving the body when the length needs more than the one reserved byte. */
  closeDelimited(start: number): void {
    const length = this.pos - start;
    if (length < 128) {
      this.buf[start - 1] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.buf.copyWithin(start + extra, start, this.pos);
    this.pos = start - 1;
    this.varint(length);
    this.pos = start + extra + length;
  }

  /** Copies bytes `from`..`to` of what was written into `target` at `at`. */
  copyTo(target: Buffer, at: number, from = 0, to = this.pos): void {
    this.buf.copy(target, at, from, to);
  }

  /** A copy of what was written (the writer's memory is reused for the next message). */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

/**
 * UTF-8 bytes of strings that repeat from record to record (the node name in every record),
 * remembered for the last string asked for.
 */
export class Utf8Memo {
  private text: string | null = null;
  private encoded: Uint8Array = new Uint8Array(0);

  bytesOf(text: string): Uint8Array {
    if (text !== this.text) {
      this.text = text;
      this.encoded = Buffer.from(text, 'utf8');
    }
    return this.encoded;
  }
}
