/**
 * IP addresses and CIDRs as fixed-width words (one uint32 for IPv4, four for IPv6), with the
 * canonical text form used as map keys everywhere in the inventory (IPv4 dotted quad without
 * leading zeros, IPv6 in RFC 5952 form).
 */
import ipaddr from 'ipaddr.js';

export interface IpAddr {
  readonly version: 4 | 6;
  /** Canonical text. */
  readonly text: string;
  /** 1 word (IPv4) or 4 words (IPv6), each an unsigned 32-bit integer. */
  readonly words: readonly number[];
}

export interface Cidr {
  readonly version: 4 | 6;
  /** Canonical `addr/len` with the host bits cleared. */
  readonly text: string;
  readonly prefix: number;
  /** Network words with host bits cleared. */
  readonly words: readonly number[];
}

const V4_RE = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/** Parses an IPv4 or IPv6 address; null when the text is not one. */
export function parseIp(text: string): IpAddr | null {
  const m = V4_RE.exec(text);
  if (m) {
    const n = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
    return { version: 4, text, words: [n] };
  }
  if (!text.includes(':') || text.includes('%')) return null;
  let v6: ipaddr.IPv6;
  try {
    v6 = ipaddr.IPv6.parse(text);
  } catch {
    return null;
  }
  const p = v6.parts;
  const words = [0, 1, 2, 3].map((i) => (((p[2 * i] ?? 0) << 16) | (p[2 * i + 1] ?? 0)) >>> 0);
  return { version: 6, text: v6.toString(), words };
}

/** Canonical text of an address, or null if invalid. Fast path for already-canonical IPv4. */
export function canonicalIp(text: string): string | null {
  if (V4_RE.test(text)) return text;
  return parseIp(text)?.text ?? null;
}

function maskWord(word: number, bits: number): number {
  if (bits >= 32) return word >>> 0;
  if (bits <= 0) return 0;
  return (word & (0xffffffff << (32 - bits))) >>> 0;
}

/** Masks an address to `prefix` bits. */
export function maskWords(words: readonly number[], prefix: number): number[] {
  return words.map((w, i) => maskWord(w, prefix - 32 * i));
}

function wordsToText(version: 4 | 6, words: readonly number[]): string {
  if (version === 4) {
    const n = words[0] ?? 0;
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const parts: number[] = [];
  for (const w of words) parts.push(w >>> 16, w & 0xffff);
  return new ipaddr.IPv6(parts).toString();
}

/**
 * Parses `addr/len` (a bare address is taken as a host route, as Calico does). The host bits
 * are cleared, so `10.1.2.3/8` is `10.0.0.0/8`. Null when invalid.
 */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIp(addrText);
  if (!addr) return null;
  const max = addr.version === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const lenText = text.slice(slash + 1);
    if (!/^[0-9]{1,3}$/.test(lenText)) return null;
    prefix = Number(lenText);
    if (prefix > max) return null;
  }
  const words = maskWords(addr.words, prefix);
  return { version: addr.version, prefix, words, text: `${wordsToText(addr.version, words)}/${prefix}` };
}

/** True when `addr` lies inside `cidr` (families must agree). */
export function cidrContains(cidr: Cidr, addr: IpAddr): boolean {
  if (cidr.version !== addr.version) return false;
  const cw = cidr.words;
  const aw = addr.words;
  for (let i = 0; i < cw.length; i++) {
    const bits = cidr.prefix - 32 * i;
    if (bits <= 0) return true;
    if (maskWord(aw[i] ?? 0, bits) !== cw[i]) return false;
  }
  return true;
}

export type AddressClass = 'public' | 'private';

const PRIVATE_RANGES = new Set(['private', 'loopback', 'linkLocal', 'carrierGradeNat', 'uniqueLocal', 'unspecified']);

/**
 * Classifies an address that is no known endpoint: private (RFC 1918, CGNAT 100.64/10,
 * loopback, link-local, unspecified, IPv6 ULA fc00::/7) or public (everything else).
 * IPv4-mapped IPv6 addresses are classified by their IPv4 address.
 */
export function classifyAddress(addr: IpAddr): AddressClass {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(addr.text);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return PRIVATE_RANGES.has(parsed.range()) ? 'private' : 'public';
}
