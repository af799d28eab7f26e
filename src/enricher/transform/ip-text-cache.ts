/**
 * Textual IP addresses for the enricher's hot path, formatted once per IPv4 address. Records of
 * a cluster come from a small set of addresses; reusing one string per address also lets every
 * map keyed by it (endpoint index, verdict cache) reuse the string's cached hash.
 */
import { bytesToIp } from '../../contract/wire/ip-address-bytes.ts';

/** An address as text and as a compact map-key fragment. */
export interface IpForms {
  /** Canonical text (`10.1.2.3`, RFC 5952 for IPv6). */
  readonly text: string;
  /** The address bytes as UTF-16 units (2 for IPv4, 8 for IPv6): a short, exact key fragment. */
  readonly packed: string;
}

/** Most IPv4 addresses remembered; the cache starts afresh beyond that (a scan of many addresses). */
const MAX_ENTRIES = 1 << 16;

function packed16(bytes: Uint8Array): string {
  const units: number[] = [];
  for (let i = 0; i < 16; i += 2) units.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  return String.fromCharCode(...units);
}

export class IpTextCache {
  private readonly v4 = new Map<number, IpForms>();

  /** The forms of 4 or 16 address bytes (IPv6 is formatted every time); throws on other lengths. */
  forms(bytes: Uint8Array): IpForms {
    if (bytes.length !== 4) return { text: bytesToIp(bytes), packed: packed16(bytes) };
    const n = ((bytes[0] as number) << 24 | (bytes[1] as number) << 16 | (bytes[2] as number) << 8 | (bytes[3] as number)) >>> 0;
    let forms = this.v4.get(n);
    if (forms === undefined) {
      if (this.v4.size >= MAX_ENTRIES) this.v4.clear();
      forms = { text: bytesToIp(bytes), packed: String.fromCharCode(n >>> 16, n & 0xffff) };
      this.v4.set(n, forms);
    }
    return forms;
  }
}
