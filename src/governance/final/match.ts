import { stancesOf, withoutCode, type Level, type Stance } from "./normative.js";
import type { Requirement } from "./requirements.js";
import { tokensOf, Weights } from "./tokens.js";
import { MAX_ROW_TEXT, type Row } from "./traceability.js";

/**
 * Which traceability rows trace which requirements of the Specification
 * section. A row quotes the specification documents, often in other words
 * than the SEP, sometimes at another keyword level, sometimes several
 * requirements at once; so a row traces a requirement when it says most of
 * what the requirement says (`recall`: the share of the requirement's
 * weighted words the row has) and what it says is mostly about that
 * requirement (`precision`: the share of the row's words found in the
 * requirement or its lead-in). Words are weighted by how rare they are in
 * the SEP and the rows, so `offline_access` counts and "client" barely does.
 *
 * The matcher is honest about its limits: a requirement is "full" only
 * when its rows say nearly all of it at its own level or stronger;
 * anything less is "partial" (the sponsor confirms), and one no row traces
 * is "none", with the closest row named. Asking about a requirement that is
 * traced costs a sponsor a glance; missing one that is not is the failure
 * the rule exists to prevent.
 */

/**
 * A row traces a requirement from here on (shares, 0..1): it says half of it
 * and a third of the row is about it, or it says less but all of the row is
 * (a row that traces one clause of a long sentence).
 */
const traces = (s: Scored) => (s.recall >= 0.5 && s.precision >= 0.35) || (s.recall >= 0.25 && s.precision >= 0.65);
/** The rows tracing a requirement say this share of it or more: it is fully traced (at its level). */
const FULL = 0.65;
/** Below this a row is not even worth naming as the closest. */
const CLOSEST = 0.2;

export type Coverage = "full" | "partial" | "none";

export interface RequirementTrace {
  rows: number[];
  coverage: Coverage;
  /** Why it is partial: "row 1 says SHOULD where the SEP says MUST", "rows 2, 3 say part of it". */
  notes: string[];
  /** For one traced by no row: the row that comes closest, if any. */
  closest: { row: number; share: number } | null;
}

export interface RowTrace {
  /** Indexes into the requirements. */
  requirements: number[];
  /** For a row tracing no requirement of the section: the sentence elsewhere in the SEP it quotes, if any. */
  elsewhere: { line: number; endLine: number } | null;
}

export interface Tracing {
  requirements: RequirementTrace[];
  rows: RowTrace[];
}

interface Scored {
  recall: number;
  precision: number;
}

export function traceRows(requirements: readonly Requirement[], rows: readonly Row[], elsewhere: readonly Requirement[] = []): Tracing {
  const reqTokens = requirements.map((r) => new Set(tokensOf(r.words)));
  const ctxTokens = requirements.map((r) => new Set(tokensOf(r.context)));
  // A row is read up to MAX_ROW_TEXT, however it came (an alias repeats one text a hundred times).
  const rowTokens = rows.map((w) => new Set(tokensOf(w.text.slice(0, MAX_ROW_TEXT))));
  const elseTokens = elsewhere.map((r) => new Set(tokensOf(r.context)));
  const elseWords = elsewhere.map((r) => new Set(tokensOf(r.words)));
  const weights = new Weights([...ctxTokens, ...rowTokens, ...elseTokens]);
  // Shares to two decimals: thresholds do not hang on a float's last digit.
  const score = (r: number, w: number): Scored => ({
    recall: round(weights.share(reqTokens[r]!, rowTokens[w]!)),
    precision: round(weights.share(rowTokens[w]!, ctxTokens[r]!)),
  });
  const matrix = requirements.map((_, r) => rows.map((_, w) => score(r, w)));

  const rowTraces: RowTrace[] = rows.map((_, w) => ({ requirements: requirements.flatMap((_, r) => (traces(matrix[r]![w]!) ? [r] : [])), elsewhere: null }));
  rowTraces.forEach((trace, w) => {
    if (trace.requirements.length || !elsewhere.length) return;
    // A row that traces nothing in the section often quotes a sentence elsewhere in the SEP (its Migration Path, its guidance).
    let best = -1;
    let bestShare = 0;
    elseTokens.forEach((tokens, e) => {
      const recall = round(weights.share(elseWords[e]!, rowTokens[w]!));
      const precision = round(weights.share(rowTokens[w]!, tokens));
      if (traces({ recall, precision }) && recall + precision > bestShare) {
        best = e;
        bestShare = recall + precision;
      }
    });
    if (best >= 0) trace.elsewhere = { line: elsewhere[best]!.line, endLine: elsewhere[best]!.endLine };
  });

  const tracedBy: number[][] = requirements.map(() => []);
  rowTraces.forEach((trace, w) => trace.requirements.forEach((r) => tracedBy[r]!.push(w)));
  const stances = rows.map((w) => stancesOf(withoutCode(w.text.slice(0, MAX_ROW_TEXT))));

  const requirementTraces = requirements.map((req, r): RequirementTrace => {
    const tracing = tracedBy[r]!;
    if (weights.total(reqTokens[r]!) === 0) return untraceable(req, rows);
    if (!tracing.length) {
      let closest: RequirementTrace["closest"] = null;
      rows.forEach((_, w) => {
        const s = matrix[r]![w]!;
        const share = Math.min(s.recall, s.precision * 2);
        if (share >= CLOSEST && (!closest || share > closest.share)) closest = { row: w, share: round(share) };
      });
      return { rows: [], coverage: "none", notes: [], closest };
    }
    const notes: string[] = [];
    const said = new Set(tracing.flatMap((w) => [...rowTokens[w]!]));
    const share = round(weights.share(reqTokens[r]!, said));
    if (share < FULL) notes.push(`${rowList(tracing)} ${tracing.length > 1 ? "say" : "says"} only part of it`);
    notes.push(...stanceNotes(req, tracing, stances));
    return { rows: tracing, coverage: notes.length ? "partial" : "full", notes, closest: null };
  });
  return { requirements: requirementTraces, rows: rowTraces };
}

const RANK: Record<Level | "may", number> = { must: 2, should: 1, may: 0 };

/**
 * What the rows tracing a requirement say against what it says, beyond its words: at a weaker level
 * (a MUST in the SEP, a SHOULD or a MAY in every row), or the other way (a row that says MUST where the SEP
 * says MUST NOT, "must not" where it says MUST, RECOMMENDED where it says NOT RECOMMENDED). Either is
 * partial, with a note: words alone cannot tell "cache" from "do not cache".
 */
function stanceNotes(req: Requirement, tracing: number[], stances: Stance[][]): string[] {
  const notes: string[] = [];
  const own = stancesOf(req.words);
  const ways = new Set(own.flatMap((s) => (s.negative === null ? [] : [s.negative])));
  if (!ways.size) ways.add(/NOT/.test(req.keyword));
  // Its level: a row without a level of its own (no keyword, or one in lower case) is taken at the requirement's word.
  const levels = tracing.map((w) => levelOfRow(stances[w]!));
  if (levels.every((l) => l !== null && RANK[l] < RANK[req.level])) {
    const first = stances[tracing[0]!]!.find((s) => s.level !== null && RANK[s.level] < RANK[req.level]) ?? stances[tracing[0]!]![0]!;
    notes.push(`${rowList(tracing)} ${tracing.length > 1 ? "say" : "says"} ${first.said} where the SEP says ${req.keyword}`);
  }
  // Its direction: a row that only forbids where the SEP only obliges (or the reverse) says the opposite.
  const opposite = tracing.filter((w) => {
    const theirs = new Set(stances[w]!.flatMap((s) => (s.negative === null ? [] : [s.negative])));
    return theirs.size > 0 && ![...theirs].some((n) => ways.has(n));
  });
  if (opposite.length) {
    const said = stances[opposite[0]!]!.find((s) => s.negative !== null)!.said;
    notes.push(`${rowList(opposite)} ${opposite.length > 1 ? "say" : "says"} ${said} where the SEP says ${req.keyword}: the opposite, or another clause`);
  }
  return notes;
}

/** A row's level: its strongest keyword's; a grant (MAY) is weaker than any; null: none of its own (taken at its requirement's word). */
function levelOfRow(stances: Stance[]): Level | "may" | null {
  let best: Level | "may" | null = null;
  for (const s of stances) if (s.level !== null && (best === null || RANK[s.level] > RANK[best])) best = s.level;
  return best;
}

/**
 * A requirement with no word but its keyword ("It MUST be so."): no row can be matched to it by what it says,
 * so it is never left "none" for ever; the sponsor confirms which row traces it (a row that says the same
 * words is named).
 */
function untraceable(req: Requirement, rows: readonly Row[]): RequirementTrace {
  const same = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  const words = same(req.words);
  const alike = rows.flatMap((w, i) => (same(w.text.slice(0, MAX_ROW_TEXT)) === words ? [i] : []));
  return { rows: alike, coverage: "partial", notes: ["it says nothing a row can be matched on (no word but its keyword): the sponsor confirms a row traces it"], closest: null };
}

function rowList(rows: number[]): string {
  return rows.length === 1 ? `row ${rows[0]}` : `rows ${rows.join(", ")}`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
