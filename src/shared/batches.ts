/** Splits a list into runs of at most `size` (GitHub's per-request limits: 50 annotations, 50 files per query). */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
