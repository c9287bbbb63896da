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
  return { missing: readiness.items.filter((i) => i.blocking).map((i) => `${i.title.toLowerCase()}: ${said(i.detail)}`) };
}

/** At most this many items in a refusal: the status comment lists them all. */
const SHOWN = 6;

/** Why the SEP may not become Final yet, or null. */
export function finalRefusal(gate: FinalGate | null | undefined): string | null {
  if (!gate?.missing.length) return null;
  const more = gate.missing.length - SHOWN;
  const listed = `${gate.missing.slice(0, SHOWN).join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
  return `this SEP is not ready for Final: ${listed}. Finish ${gate.missing.length === 1 ? "it" : "them"} (the status comment's Road to Final lists each), or a maintainer writes \`/final override <why>\`.`;
}

/**
 * An item's detail as a reply may quote it: it carries what the conformance
 * repository's files say (check IDs, a YAML error), written by anyone. One
 * line, capped, no HTML, no @mention, no image or link opened outside code.
 */
function said(detail: string): string {
  const line = detail.replace(/\s+/g, " ").trim();
  let capped = line.length > 700 ? `${line.slice(0, 699)}…` : line;
  // A cut inside a code span would leave it open for the rest of the reply.
  if ((capped.match(/`/g)?.length ?? 0) % 2) capped = capped.replace(/`/g, "");
  return capped.replace(/[<>]/g, " ").replace(/@(?!\u200b)/g, "@\u200b").replace(/!\[/g, "!\u200b[");
}

/**
 * `/final override <why>`: the maintainer's reason, or null when the line
 * asks no override ("" when it gives no reason). `override` must be the
 * first word after the command's status: "/final (no override needed)" is
 * no override. A reason holds a letter or a digit ("." is none).
 */
export function overrideReason(rest: string): string | null {
  const m = /^override\b[\s:,-]*(.*)$/is.exec(rest.trim());
  if (!m) return null;
  const reason = m[1]!.trim().slice(0, 300);
  return /[\p{L}\p{N}]/u.test(reason) ? reason : "";
}
