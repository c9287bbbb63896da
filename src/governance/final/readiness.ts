import type { Rules } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";
import type { ConformanceRead, PullRequestChanges } from "../model/snapshot.js";
import { requirementsIn, specificationSections, UnreadableSection, type Requirement, type SectionRange } from "./requirements.js";
import { traceRows, type Coverage } from "./match.js";
import { ConformanceFileError, conformanceKey, parseManifest, parseTraceability, type ManifestEntry, type Row } from "./traceability.js";
import { plainText } from "./normative.js";
import { tokensOf } from "./tokens.js";

export type { ConformanceRead, PullRequestChanges };

/**
 * Whether an accepted SEP is ready for Final, computed from the files: the
 * reference implementation linked, the specification changes and a
 * changelog entry in its pull request, and (for a Standards Track SEP with
 * observable protocol behaviour, reaching Final after the rule's start) a
 * traceability file in the conformance repository that traces every
 * normative requirement of its Specification section. The status comment's
 * checklist, `/final`, the push that sets Final, the digest, the site and
 * `sep-bot conformance` all show this one report.
 */

export interface FinalInput {
  sep: Sep;
  text: string;
  rules: Pick<Rules, "sections" | "types" | "final">;
  /** null: the conformance repository could not be read (`conformanceNote` says why); undefined: not asked for. */
  conformance?: ConformanceRead | null;
  conformanceNote?: string | null;
  /** null: not known (the command line has no pull request). */
  changes?: PullRequestChanges | null;
  /** When it would reach Final (now; the date it did): before the rule's start it is not held to it. */
  finalAt?: Date | null;
}

export type ItemState = "done" | "missing" | "confirm" | "unknown" | "not-needed";

export interface FinalItem {
  id: "reference-implementation" | "specification" | "changelog" | "conformance";
  state: ItemState;
  title: string;
  /** One line: what is there, or what is missing and where. */
  detail: string;
  /** Missing and required: `/final` is refused on it. */
  blocking: boolean;
}

export interface TracedRequirement extends Omit<Requirement, "context" | "words"> {
  rows: number[];
  coverage: Coverage;
  notes: string[];
  closest: { row: number; share: number } | null;
  /** Checks the manifest says were emitted with no row, whose names say what this requirement says. */
  candidates: string[];
}

export interface TracedRow extends Row {
  requirements: number[];
  elsewhere: { line: number; endLine: number } | null;
  /** An exclusion's reason, read: a framework gap (needs an issue), unobservable, or unclear. */
  exclusion: "gap" | "unobservable" | "unclear" | null;
}

export interface Conformance {
  /** Why the SEP is not held to the rule (a type, its own words, a date); null: it is. */
  exempt: string | null;
  exemptLine: number | null;
  section: SectionRange | null;
  /** More headings the rules call the Specification, at the same level: read too. */
  otherSections: SectionRange[];
  /** The section could not be read whole (hostile nesting): the report is not to be trusted. */
  unreadable: string | null;
  requirements: TracedRequirement[];
  /** The traceability file: its rows, or why there are none. */
  file: { path: string; url: string | null; state: "read" | "absent" | "invalid" | "unread"; note: string | null };
  rows: TracedRow[];
  manifest: { state: "read" | "absent" | "no-entry" | "invalid" | "unread" | "none"; source: string | null; untested: string[]; untracked: string[]; unkeyed: string[] };
  /** What was read, as the sweep sees it change (traceability.ts `conformanceKey`); null when nothing was. */
  key: string | null;
}

export interface Readiness {
  sep: number | null;
  items: FinalItem[];
  conformance: Conformance;
  /** Nothing required is missing. */
  ready: boolean;
  /** One line for the digest, the site and seps.json: "18 of 20 requirements traced; changelog entry missing". */
  summary: string;
}

export function finalReadiness(input: FinalInput): Readiness {
  const { sep, rules } = input;
  const lines = input.text.replace(/\r\n?/g, "\n").split("\n");
  const conformance = conformanceOf(input, lines);
  const items: FinalItem[] = [referenceItem(sep, lines, rules), ...changeItems(input), conformanceItem(conformance, input)];
  const ready = !items.some((i) => i.blocking);
  return { sep: sep.number ?? sep.fileNumber, items, conformance, ready, summary: summaryOf(items, conformance, ready) };
}

// ---------------------------------------------------------------------------
// The reference implementation

/** A URL, or `owner/repo#123`: what "a link" to an implementation looks like. */
const LINK = /https?:\/\/[^\s)\]>"'`<]+|\b[\w.-]+\/[\w.-]+#\d+\b/g;

function referenceItem(sep: Sep, lines: readonly string[], rules: FinalInput["rules"]): FinalItem {
  const title = "Reference implementation";
  const id = rules.final.referenceImplementation;
  const type = rules.types.find((t) => t.id === sep.type);
  if (type?.omitSections.includes(id)) return { id: "reference-implementation", state: "not-needed", title, detail: `not needed for ${type.display} SEPs`, blocking: false };
  const rule = rules.sections.find((s) => s.id === id);
  const names = rule ? [rule.title, ...rule.aliases].map((n) => n.toLowerCase()) : [];
  const section = sep.sections.find((s) => names.includes(s.title.replace(/^\d+(\.\d+)*\.?\s+/, "").trim().toLowerCase()));
  if (!section) return { id: "reference-implementation", state: "missing", title, detail: `the SEP has no ${rule?.title ?? "Reference Implementation"} section: add one that links to the implementation`, blocking: true };
  const links = withoutComments(lines.slice(section.line, section.endLine)).flatMap((l) => [...l.matchAll(LINK)].map((m) => m[0].replace(/[.,;:]+$/, "")));
  if (!links.length) return { id: "reference-implementation", state: "missing", title, detail: `the ${section.title} section (line ${section.line}) links to no implementation yet`, blocking: true };
  const unique = [...new Set(links)];
  return { id: "reference-implementation", state: "done", title, detail: `linked: ${unique.slice(0, 3).map(shortLink).join(", ")}${unique.length > 3 ? ", ..." : ""}`, blocking: false };
}

/** github.com/o/r/pull/1 as o/r#1; anything else as written. */
function shortLink(url: string): string {
  const m = /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\/(?:pull|issues)\/(\d+)/.exec(url);
  return m ? `${m[1]}#${m[2]}` : url;
}

/** Lines outside HTML comments (the template's instructions are in comments). */
function withoutComments(lines: readonly string[]): string[] {
  let inComment = false;
  return lines.map((line) => {
    let out = "";
    let rest = line;
    for (;;) {
      if (inComment) {
        const end = rest.indexOf("-->");
        if (end < 0) return out;
        rest = rest.slice(end + 3);
        inComment = false;
      }
      const start = rest.indexOf("<!--");
      if (start < 0) return out + rest;
      out += rest.slice(0, start);
      rest = rest.slice(start + 4);
      inComment = true;
    }
  });
}

// ---------------------------------------------------------------------------
// The specification changes in the pull request

function changeItems({ sep, rules, changes }: FinalInput): FinalItem[] {
  const final = rules.final;
  if (!final.specification.length && !final.changelog) return [];
  const needed = !!sep.type && final.changesFor.includes(sep.type);
  const typeName = rules.types.find((t) => t.id === sep.type)?.display ?? "this type of";
  const items: FinalItem[] = [];
  const under = (prefixes: readonly string[]) => (changes ? changes.paths.filter((p) => prefixes.some((prefix) => p === prefix || p.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`))) : []);
  if (final.specification.length) {
    const changed = under(final.specification).filter((p) => p !== final.changelog);
    const schema = under(final.schema);
    const title = "Specification changes";
    if (!changes) items.push({ id: "specification", state: "unknown", title, detail: "not known here (read from the pull request)", blocking: false });
    else if (changed.length || schema.length) items.push({ id: "specification", state: "done", title, detail: `${count(changed.length, "draft document")}${schema.length ? `, ${count(schema.length, "schema file")}` : ""} changed`, blocking: false });
    else if (!needed) items.push({ id: "specification", state: "not-needed", title, detail: `not needed for ${typeName} SEPs`, blocking: false });
    else if (!changes.complete) items.push({ id: "specification", state: "confirm", title, detail: "none among the files GitHub listed (the pull request has more): confirm", blocking: false });
    else items.push({ id: "specification", state: "missing", title, detail: `no change under ${final.specification.map((p) => `\`${p}\``).join(", ")}${final.schema.length ? ` or ${final.schema.map((p) => `\`${p}\``).join(", ")}` : ""} in this pull request`, blocking: true });
  }
  if (final.changelog) {
    const title = "Changelog entry";
    const number = sep.number ?? sep.fileNumber;
    const names = changes?.changelog && number ? namesSep(changes.changelog, number) : false;
    if (!changes) items.push({ id: "changelog", state: "unknown", title, detail: "not known here (read from the pull request)", blocking: false });
    else if (names) items.push({ id: "changelog", state: "done", title, detail: `\`${final.changelog}\` names SEP-${number}`, blocking: false });
    else if (!needed) items.push({ id: "changelog", state: "not-needed", title, detail: `not needed for ${typeName} SEPs`, blocking: false });
    else if (changes.changelog === null && changes.paths.includes(final.changelog)) items.push({ id: "changelog", state: "confirm", title, detail: `\`${final.changelog}\` changed but could not be read: confirm it names SEP-${number}`, blocking: false });
    else items.push({ id: "changelog", state: "missing", title, detail: `\`${final.changelog}\` does not name SEP-${number ?? "N"} yet: add an entry`, blocking: true });
  }
  return items;
}

/** "SEP-2164", "SEP 2164", or a link to its pull request. */
function namesSep(text: string, number: number): boolean {
  return new RegExp(`\\bSEP[- ]?0*${number}\\b|/pull/${number}\\b`, "i").test(text);
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

// ---------------------------------------------------------------------------
// The conformance requirement

function conformanceOf(input: FinalInput, lines: string[]): Conformance {
  const { sep, rules } = input;
  const rule = rules.final.conformance;
  const sectionRule = rules.sections.find((s) => s.id === rules.final.section);
  const sections = specificationSections(sep, sectionRule ? [sectionRule.title, ...sectionRule.aliases] : ["Specification"]);
  const fences = rules.final.fences;
  let unreadable: string | null = null;
  let requirements: Requirement[] = [];
  let elsewhere: Requirement[] = [];
  const inSection = (line: number) => sections.some((s) => line >= s.startLine && line <= s.endLine);
  try {
    // One read of the whole file: the section's requirements, and the rest of the SEP for rows that quote
    // it rather than the section (its Migration Path, its guidance). Headings end every block, so reading
    // the section alone would give the same requirements.
    const all = requirementsIn(lines, 1, lines.length, fences);
    requirements = all.filter((r) => inSection(r.line));
    elsewhere = all.filter((r) => !inSection(r.line));
  } catch (error) {
    if (!(error instanceof UnreadableSection) && !(error instanceof RangeError)) throw error;
    try {
      requirements = sections.flatMap((s) => requirementsIn(lines, s.startLine + 1, s.endLine, fences)); // what is hostile is elsewhere
    } catch (inner) {
      if (!(inner instanceof UnreadableSection) && !(inner instanceof RangeError)) throw inner;
      unreadable = `the Specification section could not be read (${inner instanceof UnreadableSection ? inner.message : "nested too deeply"})`;
    }
  }

  const number = sep.number ?? sep.fileNumber;
  const path = rule && number ? `${rule.folder.replace(/\/$/, "")}/${rule.file.replace("{number}", String(number))}` : "";
  let file: Conformance["file"] = { path, url: null, state: "unread", note: input.conformanceNote ?? null };
  let rows: Row[] = [];
  const read = input.conformance;
  if (read) {
    file = { path: read.traceability.path, url: read.traceability.url, state: read.traceability.text === null ? "absent" : "read", note: null };
    if (read.traceability.text !== null) {
      try {
        rows = parseTraceability(read.traceability.text).rows;
      } catch (error) {
        if (!(error instanceof ConformanceFileError)) throw error;
        file = { ...file, state: "invalid", note: `${error.line ? `line ${error.line}: ` : ""}${error.message}` };
      }
    }
  }

  let entry: ManifestEntry | null = null;
  let manifest: Conformance["manifest"] = { state: read?.manifest ? "absent" : rule?.manifest && !read ? "unread" : "none", source: null, untested: [], untracked: [], unkeyed: [] };
  if (read?.manifest?.text) {
    try {
      const parsed = parseManifest(read.manifest.text);
      entry = (number ? parsed.seps.get(number) : undefined) ?? null;
      manifest = entry ? { state: "read", source: parsed.source, untested: entry.untested, untracked: entry.untracked, unkeyed: entry.unkeyed } : { ...manifest, state: "no-entry", source: parsed.source };
    } catch (error) {
      if (!(error instanceof ConformanceFileError)) throw error;
      manifest = { ...manifest, state: "invalid" };
    }
  }

  const tracing = traceRows(requirements, rows, elsewhere);
  const untrackedWords = manifest.untracked.map((check) => ({ check, words: new Set(tokensOf(check.replace(/^sep-\d+-/, "").replace(/-/g, " "))) }));
  const traced: TracedRequirement[] = requirements.map(({ context: _c, words, ...r }, i) => {
    const t = tracing.requirements[i]!;
    const said = new Set(tokensOf(words));
    // An untracked check named after what this requirement says ("sep-2164-data-uri" for "The data field SHOULD include the uri").
    const candidates = t.coverage === "full" ? [] : untrackedWords.filter((c) => c.words.size >= 2 && [...c.words].every((w) => said.has(w))).map((c) => c.check);
    return { ...r, rows: t.rows, coverage: t.coverage, notes: t.notes, closest: t.closest, candidates };
  });
  const tracedRows: TracedRow[] = rows.map((row, i) => ({ ...row, ...tracing.rows[i]!, exclusion: row.excluded ? exclusionKind(row.excluded, rule?.exclusions) : null }));
  const exempt = exemption(input, lines);
  return {
    exempt: exempt?.why ?? null,
    exemptLine: exempt?.line ?? null,
    section: sections[0] ?? null,
    otherSections: sections.slice(1),
    unreadable,
    requirements: traced,
    file,
    rows: tracedRows,
    manifest,
    key: read ? conformanceKey(read.traceability.text === null ? null : (read.traceability.oid ?? "?"), entry) : null,
  };
}

function exclusionKind(reason: string, phrases: { gap: string[]; unobservable: string[] } | undefined): TracedRow["exclusion"] {
  const text = normalPhrase(reason);
  if (phrases?.gap.some((p) => text.includes(normalPhrase(p)))) return "gap";
  if (phrases?.unobservable.some((p) => text.includes(normalPhrase(p)))) return "unobservable";
  return "unclear";
}

/** Case, hyphens and spelling ignored: "Protocol-observable behaviour" reads as "protocol observable behavior". */
function normalPhrase(text: string): string {
  return text.toLowerCase().replace(/behaviour/g, "behavior").replace(/[-_]/g, " ").replace(/\s+/g, " ");
}

/** Why the SEP is not held to the conformance rule, or null. */
function exemption({ sep, rules, finalAt }: FinalInput, lines: readonly string[]): { why: string; line: number | null } | null {
  const rule = rules.final.conformance;
  if (!rule) return { why: "the rules name no conformance repository", line: null };
  const type = rules.types.find((t) => t.id === sep.type);
  if (!sep.type || !rule.types.includes(sep.type)) return { why: `${type?.display ?? "a SEP of no known type"}${type ? " SEPs are" : " is"} not held to the conformance requirement`, line: null };
  if (finalAt && finalAt.toISOString().slice(0, 10) < rule.since) return { why: `it reached Final before the conformance requirement began (${rule.since})`, line: null };
  const said = noObservableBehavior(lines, rule.noObservableBehavior);
  return said ? { why: `the SEP says it has no observable protocol behaviour (line ${said.line}: "${said.sentence}")`, line: said.line } : null;
}

/** The sentence (and its line) where the SEP says it has no observable protocol behaviour; prose only, not code or comments. */
function noObservableBehavior(lines: readonly string[], phrases: readonly string[]): { line: number; sentence: string } | null {
  if (!phrases.length) return null;
  const wanted = phrases.map(normalPhrase);
  const prose = withoutComments(lines);
  let fence: string | null = null;
  let block: { start: number; text: string[] } | null = null;
  const found = (b: { start: number; text: string[] }) => {
    const plain = plainText(b.text.join(" "));
    if (!wanted.some((p) => normalPhrase(plain).includes(p))) return null;
    for (const { segment } of new Intl.Segmenter("en", { granularity: "sentence" }).segment(plain)) {
      if (wanted.some((p) => normalPhrase(segment).includes(p))) return { line: b.start, sentence: segment.trim().slice(0, 300) };
    }
    return { line: b.start, sentence: plain.slice(0, 300) };
  };
  for (let i = 0; i <= prose.length; i++) {
    const line = prose[i];
    const marker = line === undefined ? null : /^\s*(`{3,}|~{3,})/.exec(line)?.[1] ?? null;
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (marker) fence = marker;
    if (line === undefined || marker || !line.trim() || /^\s*#/.test(line)) {
      if (block) {
        const hit = found(block);
        if (hit) return hit;
        block = null;
      }
      continue;
    }
    if (block) block.text.push(line);
    else block = { start: i + 1, text: [line] };
  }
  return null;
}

function conformanceItem(c: Conformance, input: FinalInput): FinalItem {
  const title = "Conformance traceability";
  if (c.exempt) return { id: "conformance", state: "not-needed", title, detail: `not required: ${c.exempt}`, blocking: false };
  if (c.unreadable) return { id: "conformance", state: "missing", title, detail: `${c.unreadable}: the sponsor checks it by hand`, blocking: true };
  if (c.file.state === "unread") {
    return { id: "conformance", state: "unknown", title, detail: `the conformance repository could not be read${c.file.note ? ` (${c.file.note})` : ""}: not checked, and nothing is refused for it`, blocking: false };
  }
  const repo = input.rules.final.conformance!.repo;
  if (c.file.state === "absent") return { id: "conformance", state: "missing", title, detail: `no \`${c.file.path}\` in ${repo} yet: a conformance scenario tagged with the SEP and its traceability file are needed`, blocking: true };
  if (c.file.state === "invalid") return { id: "conformance", state: "missing", title, detail: `\`${c.file.path}\` in ${repo} cannot be read: ${c.file.note}`, blocking: true };
  const problems = conformanceProblems(c);
  const blocking = problems.some((p) => p.blocking);
  const state: ItemState = blocking ? "missing" : problems.length ? "confirm" : "done";
  const total = c.requirements.length;
  const traced = c.requirements.filter((r) => r.coverage !== "none").length;
  const head = total ? `${traced} of ${total} requirements traced` : "the Specification section states no requirement (MUST, SHOULD, ...)";
  return { id: "conformance", state, title, detail: [head, ...problems.map((p) => p.text)].join("; "), blocking };
}

/** What keeps the traceability from being complete (blocking) or needs the sponsor's eye (not). */
export function conformanceProblems(c: Conformance): Array<{ text: string; blocking: boolean }> {
  const out: Array<{ text: string; blocking: boolean }> = [];
  const none = c.requirements.filter((r) => r.coverage === "none");
  const partial = c.requirements.filter((r) => r.coverage === "partial");
  if (none.length) out.push({ text: `${count(none.length, "requirement")} with no row (${lineList(none)})`, blocking: true });
  if (partial.length) out.push({ text: `${partial.length} partly traced: confirm (${lineList(partial)})`, blocking: false });
  const unkeyed = c.rows.filter((r) => !r.check && !r.excluded);
  if (unkeyed.length) out.push({ text: `${count(unkeyed.length, "row")} with neither check nor exclusion (${rowList(unkeyed)})`, blocking: true });
  const gaps = c.rows.filter((r) => r.exclusion === "gap" && !r.issue);
  if (gaps.length) out.push({ text: `${count(gaps.length, "framework-gap exclusion")} without a tracking issue (${rowList(gaps)})`, blocking: true });
  const unclear = c.rows.filter((r) => r.exclusion === "unclear" && !r.issue);
  if (unclear.length) out.push({ text: `${count(unclear.length, "exclusion")} without an issue whose reason does not say it is unobservable: confirm none is a framework gap (${rowList(unclear)})`, blocking: false });
  if (c.manifest.untested.length) out.push({ text: `${count(c.manifest.untested.length, "check")} the reference run did not emit: ${c.manifest.untested.map((x) => `\`${x}\``).join(", ")}`, blocking: true });
  if (c.unreadable) out.push({ text: c.unreadable, blocking: true });
  return out;
}

function lineList(reqs: ReadonlyArray<{ line: number }>): string {
  const lines = [...new Set(reqs.map((r) => r.line))];
  return `line${lines.length > 1 ? "s" : ""} ${lines.slice(0, 8).join(", ")}${lines.length > 8 ? ", ..." : ""}`;
}

function rowList(rows: ReadonlyArray<{ index: number }>): string {
  return `row${rows.length > 1 ? "s" : ""} ${rows.slice(0, 8).map((r) => r.index).join(", ")}${rows.length > 8 ? ", ..." : ""}`;
}

function summaryOf(items: FinalItem[], c: Conformance, ready: boolean): string {
  const parts: string[] = [];
  const conformance = items.find((i) => i.id === "conformance");
  const counted = conformance?.state !== "not-needed" && c.file.state === "read" && c.requirements.length > 0;
  if (counted) parts.push(`${c.requirements.filter((r) => r.coverage !== "none").length} of ${c.requirements.length} requirements traced`);
  for (const item of items.filter((i) => i.blocking)) {
    if (item.id !== "conformance") parts.push(SHORT[item.id]);
    else if (c.file.state === "absent") parts.push("no traceability file");
    // Untraced requirements are in the count already; anything else blocking is named.
    else if (!counted || conformanceProblems(c).some((p) => p.blocking && !p.text.includes("with no row"))) parts.push("traceability incomplete");
  }
  if (conformance?.state === "unknown") parts.push("conformance not checked");
  if (ready) parts.push(items.some((i) => i.state === "confirm") ? "ready for Final once the sponsor confirms" : "ready for Final");
  return parts.join("; ");
}

const SHORT: Record<Exclude<FinalItem["id"], "conformance">, string> = {
  "reference-implementation": "reference implementation not linked",
  specification: "specification changes missing",
  changelog: "changelog entry missing",
};
