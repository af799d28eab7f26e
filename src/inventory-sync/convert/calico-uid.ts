/**
 * The UID Calico shows for an object stored in `crd.projectcalico.org/v1`: never the custom
 * resource's own UID (two objects with one UID confuse Kubernetes' garbage collector) but a
 * deterministic transform of it — every byte bit-reversed, except bytes 6 and 8, which hold
 * the UUID version and variant (libcalico-go/lib/backend/k8s/conversion/conversion.go,
 * ConvertUID). Applying it twice gives the original back.
 */

const UUID_HEX = /^[0-9a-f]{32}$/;

function reverseBits(byte: number): number {
  let out = 0;
  for (let i = 0; i < 8; i++) out |= ((byte >> i) & 1) << (7 - i);
  return out;
}

/** The converted UID, or null when `uid` is not a UUID (Calico refuses such an object). */
export function calicoUidOf(uid: string): string | null {
  // The forms Go's uuid.Parse accepts: plain, urn:uuid:, {braced}, or 32 hex digits.
  let text = uid.toLowerCase();
  if (text.startsWith('urn:uuid:')) text = text.slice('urn:uuid:'.length);
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  let hex: string;
  if (text.length === 36) {
    if (text[8] !== '-' || text[13] !== '-' || text[18] !== '-' || text[23] !== '-') return null;
    hex = text.replaceAll('-', '');
  } else {
    hex = text;
  }
  if (!UUID_HEX.test(hex)) return null;
  const bytes = Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  const out = bytes.map((b, i) => (i === 6 || i === 8 ? b : reverseBits(b)));
  const h = out.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
