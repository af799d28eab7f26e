/**
 * Textual address → wire bytes for the conntrack text path. IPv4 dotted quads (most of the
 * traffic) are parsed by hand: ipaddr.js cost ~11 % of the agent's CPU at 10,000 flows/s.
 * Anything else goes to the contract's strict parser, so what is accepted does not change.
 */
import { ipToBytes } from '../../../contract/wire/ip-address-bytes.ts';

/** 4 bytes for a plain dotted-quad IPv4 address (no leading zeros, each part ≤ 255), else {@link ipToBytes}. */
export function addressTextToBytes(text: string): Uint8Array {
  const out = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return ipToBytes(text); // a leading zero: let the strict parser decide
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return ipToBytes(text);
    } else if (c === 46 && digits > 0 && part < 3) {
      out[part++] = value;
      value = 0;
      digits = 0;
    } else {
      return ipToBytes(text);
    }
  }
  if (part !== 3 || digits === 0) return ipToBytes(text);
  out[3] = value;
  return out;
}
