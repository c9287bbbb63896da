/**
 * Near misses: what people meant when they typed it a little wrong (`/acept`,
 * a sponsor's handle with a letter missing). Names here are short, so a
 * plain edit distance is enough.
 */

/** Levenshtein distance with adjacent transpositions (`aceept`, `acpet`); 99 when the lengths alone differ by more than 3. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The one candidate within `limit` edits of `name` (one for names of four
 * characters or fewer, else two), or null: none, or two equally near (a guess
 * between two people is no suggestion).
 */
export function nearMiss(name: string, candidates: Iterable<string>, limit = name.length <= 4 ? 1 : 2): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  let tied = false;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tied = false;
    } else if (d === bestDistance && candidate !== best) {
      tied = true;
    }
  }
  return best !== null && bestDistance > 0 && bestDistance <= limit && !tied ? best : null;
}
