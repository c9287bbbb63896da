import type { Readiness } from "./readiness.js";

/**
 * The gate to Final: what is still missing of the road (readiness.ts), in
 * words for a refusal. `/final`, `/status final`, the Final label and a push
 * that writes Status: Final all pass through it (status/transitions.ts); a
 * maintainer may still decide (`/final override <why>`, recorded).
 */
export interface FinalGate {
  /** One phrase per missing item: "changelog entry: ... does not name SEP-2164 yet". */
  missing: string[];
}

export function finalGate(readiness: Readiness | null): FinalGate | null {
  if (!readiness) return null;
  return { missing: readiness.items.filter((i) => i.blocking).map((i) => `${i.title.toLowerCase()}: ${i.detail}`) };
}

/** Why the SEP may not become Final yet, or null. */
export function finalRefusal(gate: FinalGate | null | undefined): string | null {
  if (!gate?.missing.length) return null;
  return `this SEP is not ready for Final: ${gate.missing.join("; ")}. Finish ${gate.missing.length === 1 ? "it" : "them"} (the status comment's Road to Final lists each), or a maintainer writes \`/final override <why>\`.`;
}

/** `/final override <why>`: the maintainer's reason, or null when the line asks no override ("" when it gives no reason). */
export function overrideReason(rest: string): string | null {
  const m = /(?:^|\s)override\b[\s:,-]*(.*)$/is.exec(rest);
  return m ? m[1]!.trim().slice(0, 300) : null;
}
