/**
 * Label keys and values, and the literals selectors compare them with, are interned: V8 then
 * compares equal strings by identity and unequal ones without reading their characters. Label
 * maps are otherwise full of concatenated (`pcns.` + key) and sliced strings, which every
 * `Map.get` and `===` on the policy engine's uncached path would have to walk.
 */
export function internString(s: string): string {
  // A computed property name is internalized by V8; Object.keys hands back that copy.
  const holder: Record<string, 0> = { [s]: 0 };
  return Object.keys(holder)[0] ?? s;
}

/** A copy of a label map with interned keys and values. */
export function internLabels(labels: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of labels) out.set(internString(k), internString(v));
  return out;
}
