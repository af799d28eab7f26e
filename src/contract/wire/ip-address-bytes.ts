/**
 * Conversions between textual IP addresses and the network-order bytes the wire schema carries
 * (`FlowTuple.src_ip` / `dst_ip`: 4 bytes for IPv4, 16 for IPv6).
 */
import ipaddr from 'ipaddr.js';

/**
 * Parses an IPv4 or IPv6 address into 4 or 16 bytes. IPv4-mapped IPv6 addresses stay IPv6
 * (16 bytes), as the kernel reports them. Throws on anything that is not an address.
 */
export function ipToBytes(address: string): Uint8Array {
  // isValidFourPartDecimal: refuse the classful shorthands ("10.1", "0x0a.1") ipaddr.isValid accepts.
  if (!ipaddr.IPv4.isValidFourPartDecimal(address) && !ipaddr.IPv6.isValid(address)) throw new Error(`not an IP address: ${JSON.stringify(address)}`);
  return Uint8Array.from(ipaddr.parse(address).toByteArray());
}

/** Formats 4 or 16 bytes as an address (IPv6 in RFC 5952 form); throws on other lengths. */
export function bytesToIp(bytes: Uint8Array): string {
  // IPv4 is most of the traffic and sits on the enricher's hot path: no library object for it.
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.length !== 16) throw new Error(`an IP address has 4 or 16 bytes, got ${bytes.length}`);
  const addr = ipaddr.fromByteArray(Array.from(bytes));
  return addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();
}
