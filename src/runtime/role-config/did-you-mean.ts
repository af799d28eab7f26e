/** Suggests the closest known name for a misspelt one (edit distance, or the kebab form of camelCase). */

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** `kafkaSaslUsername` → `kafka-sasl-username`. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/_/g, '-');
}

/** The known name closest to `name`, if one is close enough to be what was meant. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const kebab = kebabCase(name).toLowerCase();
  if (kebab !== name && known.includes(kebab)) return kebab;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(kebab, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(kebab.length / 4)) ? best : undefined;
}
