import type { Finding } from "../../lint/finding.js";
import type { Edit } from "../../sep/edit.js";
import type { TextChange } from "../../sep/edit.js";

/**
 * "Fix these" (the check run's button) and `/fix`: the machine-applicable
 * fixes of a SEP's findings as one change. Two fixes touching the same text
 * (a heading both misspelt and misnumbered) cannot both apply: the first
 * wins, and so does any edit the plan already makes (the rename, a status
 * change), so the result is always a clean edit of the original text.
 */

export interface Fixes {
  change: TextChange;
  /** The file's new name (a lowercase slug), when a finding renames it. */
  rename: string | null;
  /** How many findings the change fixes. */
  count: number;
}

const overlaps = (a: Edit, b: Edit) => a.line === b.line && a.column < Math.max(b.endColumn, b.column + 1) && b.column < Math.max(a.endColumn, a.column + 1);

export function fixesOf(findings: readonly Finding[], taken: TextChange | null = null): Fixes {
  const edits: Edit[] = [];
  let rename: string | null = null;
  let count = 0;
  const busy = (edit: Edit) => [...edits, ...(taken?.edits ?? [])].some((e) => overlaps(e, edit));
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) continue;
    const own = fix.edits ?? [];
    if (own.some(busy) || (fix.rename && rename)) continue;
    if (own.length === 0 && !fix.rename) continue;
    edits.push(...own);
    if (fix.rename) rename = fix.rename;
    count++;
  }
  return { change: { edits, inserts: [] }, rename, count };
}
