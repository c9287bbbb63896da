import type { Rules } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";
import type { ConformanceRead, PullRequestChanges } from "../model/snapshot.js";
import { readRequirements, requirementsIn, specificationSections, UnreadableSection, type Requirement, type SectionRange, type Statement } from "./requirements.js";
import { traceRows, type Coverage } from "./match.js";
import { ConformanceFileError, conformanceKey, parseManifest, parseTraceability, type ManifestEntry, type Row } from "./traceability.js";
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
  /**
   * One line: what is there, or what is missing and where. Short (at most
   * MAX_DETAIL characters), one line, no HTML, no @mention; what it quotes of
   * the files is in code spans with no backtick of their own, or quoted with
   * no markdown left that opens a link or a span. `/final`'s refusal quotes it.
   */
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
  /**
   * What the sponsor confirms because sep-bot would not decide it alone (an exemption fails closed): a Type
   * it does not know, a sentence that may say the SEP has no observable protocol behaviour, no Specification
   * section, a traceability file that names another SEP. Never blocking; the SEP is held to the rule meanwhile.
   */
  asks: string[];
  section: SectionRange | null;
  /** More headings the rules call the Specification, at the same level: read too. */
  otherSections: SectionRange[];
  /** The section could not be read whole (hostile nesting): the report is not to be trusted. */
  unreadable: string | null;
  requirements: TracedRequirement[];
  /** The traceability file: its rows, or why there are none. */
  file: { path: string; url: string | null; state: "read" | "absent" | "invalid" | "unread"; note: string | null; /** The SEP its `sep:` names, if any. */ sep: number | null };
  rows: TracedRow[];
  /** `note`: why an invalid manifest is (not JSON, too large, not the shape). */
  manifest: { state: "read" | "absent" | "no-entry" | "invalid" | "unread" | "none"; source: string | null; untested: string[]; untracked: string[]; unkeyed: string[]; note?: string | null };
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
  const items: FinalItem[] = [referenceItem(sep, lines, rules), ...changeItems(input), conformanceItem(conformance, input)].map((i) => ({ ...i, detail: tidyDetail(i.detail) }));
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
  return { id: "reference-implementation", state: "done", title, detail: `linked: ${unique.slice(0, 3).map((u) => quote(shortLink(u), 120)).join(", ")}${unique.length > 3 ? ", ..." : ""}`, blocking: false };
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
  // A Type sep-bot does not know (or none) is held to what Standards Track needs: an exemption fails closed.
  const known = rules.types.some((t) => t.id === sep.type);
  const needed = !known || final.changesFor.includes(sep.type!);
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
  const sectionNames = sectionRule ? [sectionRule.title, ...sectionRule.aliases] : ["Specification"];
  const sections = specificationSections(sep, sectionNames);
  const fences = rules.final.fences;
  let unreadable: string | null = null;
  let requirements: Requirement[] = [];
  let elsewhere: Requirement[] = [];
  let statements: Statement[] = [];
  const phrases = (rule?.noObservableBehavior ?? []).map(normalPhrase).filter(Boolean);
  const wanted = phrases.length ? (plain: string) => phrases.some((p) => normalPhrase(plain).includes(p)) : null;
  const inSection = (line: number) => {
    // The sections stand at one level, in order and apart: a binary search.
    let lo = 0;
    let hi = sections.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = sections[mid]!;
      if (line < s.startLine) hi = mid - 1;
      else if (line > s.endLine) lo = mid + 1;
      else return true;
    }
    return false;
  };
  try {
    // One read of the whole file: the section's requirements, the rest of the SEP for rows that quote
    // it rather than the section (its Migration Path, its guidance), and its prose sentences that may say
    // it has no observable protocol behaviour. Headings end every block, so reading the section alone
    // would give the same requirements.
    const all = readRequirements(lines, 1, lines.length, fences, wanted);
    requirements = all.requirements.filter((r) => inSection(r.line));
    elsewhere = all.requirements.filter((r) => !inSection(r.line));
    statements = all.statements;
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
  let file: Conformance["file"] = { path, url: null, state: "unread", note: input.conformanceNote ?? null, sep: null };
  let rows: Row[] = [];
  const read = input.conformance;
  if (read) {
    file = { path: read.traceability.path, url: read.traceability.url, state: read.traceability.text === null ? "absent" : "read", note: null, sep: null };
    if (read.traceability.text !== null) {
      try {
        const parsed = parseTraceability(read.traceability.text);
        rows = parsed.rows;
        file = { ...file, sep: parsed.sep };
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
      manifest = { ...manifest, state: "invalid", note: error.message };
    }
  }

  const tracing = traceRows(requirements, rows, elsewhere);
  const untrackedWords = manifest.untracked.map((check) => ({ check, words: new Set(tokensOf(check.slice(0, 200).replace(/^sep-\d+-/, "").replace(/-/g, " "))) }));
  const traced: TracedRequirement[] = requirements.map(({ context: _c, words, ...r }, i) => {
    const t = tracing.requirements[i]!;
    const said = new Set(tokensOf(words));
    // An untracked check named after what this requirement says ("sep-2164-data-uri" for "The data field SHOULD include the uri").
    const candidates = t.coverage === "full" ? [] : untrackedWords.filter((c) => c.words.size >= 2 && [...c.words].every((w) => said.has(w))).map((c) => c.check);
    return { ...r, rows: t.rows, coverage: t.coverage, notes: t.notes, closest: t.closest, candidates };
  });
  const tracedRows: TracedRow[] = rows.map((row, i) => ({ ...row, ...tracing.rows[i]!, exclusion: row.excluded ? exclusionKind(row.excluded, rule?.exclusions) : null }));
  const { exempt, asks } = exemption(input, statements, phrases);
  if (!exempt && !sections.length && !unreadable) {
    asks.push(`no Specification section found (a heading named ${sectionNames.slice(0, 3).join(", ")}${sectionNames.length > 3 ? ", ..." : ""}): the sponsor confirms where the SEP states its requirements`);
  }
  if (!exempt && file.state === "read" && file.sep !== null && number && file.sep !== number) {
    asks.push(`the traceability file says \`sep: ${file.sep}\`, not ${number}: the sponsor confirms it is this SEP's`);
  }
  return {
    exempt: exempt?.why ?? null,
    exemptLine: exempt?.line ?? null,
    asks,
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
  return text.toLowerCase().replace(/behaviour/g, "behavior").replace(/[-_]/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * Why the SEP is not held to the conformance rule, or null; and what the sponsor is asked instead where
 * sep-bot will not decide alone. Exemptions fail closed: a Type it does not know (or none) is held to the
 * rule, and so is a SEP whose "no observable protocol behaviour" is not plainly said of itself.
 */
function exemption({ sep, rules, finalAt }: FinalInput, statements: readonly Statement[], phrases: readonly string[]): { exempt: { why: string; line: number | null } | null; asks: string[] } {
  const asks: string[] = [];
  const rule = rules.final.conformance;
  if (!rule) return { exempt: { why: "the rules name no conformance repository", line: null }, asks };
  const type = rules.types.find((t) => t.id === sep.type);
  if (type && !rule.types.includes(type.id)) return { exempt: { why: `${type.display} SEPs are not held to the conformance requirement`, line: null }, asks };
  if (finalAt && finalAt.toISOString().slice(0, 10) < rule.since) return { exempt: { why: `it reached Final before the conformance requirement began (${rule.since})`, line: null }, asks };
  // Said plainly, it exempts whatever the Type: every type that is held to the rule is exempt so.
  const number = sep.number ?? sep.fileNumber;
  const plain = statements.find((s) => saysOfItself(s, phrases, number));
  if (plain) return { exempt: { why: `the SEP says it has no observable protocol behaviour (line ${plain.line}: "${quote(plain.text, 150)}")`, line: plain.line }, asks };
  if (!type) {
    const raw = sep.typeRaw?.trim() ? `"${quote(sep.typeRaw, 40)}"` : "none";
    asks.push(`the SEP's Type (${raw}) is not one sep-bot knows: it is held to the conformance requirement until the Type is fixed or the sponsor decides`);
  }
  const maybe = statements[0];
  if (maybe) asks.push(`line ${maybe.line} may say the SEP has no observable protocol behaviour ("${quote(maybe.text, 120)}"), but not plainly enough to exempt it: the sponsor confirms (\`/final override\` if it is exempt)`);
  return { exempt: null, asks };
}

/** Who says it, in the SEP: "This SEP", "this proposal", "these changes", "SEP-2164". */
const SELF = /\b(this|these|the present|our)\s+(sep|proposal|change|changes|specification change|specification changes|enhancement|pr|pull request|update|document|extension)\b/;
/** Words that make the sentence say something else than that it has none: negated, hedged, reported, past, a question. */
const HEDGES = /\b(not|no longer|never|neither|nor|false|untrue|incorrect|wrong|claim\w*|reject\w*|alternative\w*|previous\w*|prior|earlier|former\w*|unlike|would|could|might|may|if|whether|unless|except|although|though|instead|suppos\w*|assum\w*|hypothe\w*|was|were|had|did)\b|n['’]t\b|\?/;

/**
 * A statement that plainly says the SEP itself has no observable protocol behaviour: in its own prose (not
 * an HTML block, not in a link), naming the SEP ("This SEP has ..."), and with nothing around the phrase that
 * negates, hedges or reports it ("It is false to claim ...", "We rejected a design with ...").
 */
function saysOfItself(s: Statement, phrases: readonly string[], number: number | null): boolean {
  if (s.where !== "prose" || /\]\(|<https?:/.test(s.raw)) return false;
  let rest = normalPhrase(s.text);
  for (const p of phrases) rest = rest.split(p).join(" - ");
  if (HEDGES.test(rest)) return false;
  return SELF.test(rest) || (number !== null && new RegExp(`\\bsep[- ]?0*${number}\\b`).test(rest));
}

function conformanceItem(c: Conformance, input: FinalInput): FinalItem {
  const title = "Conformance traceability";
  if (c.exempt) return { id: "conformance", state: "not-needed", title, detail: `not required: ${c.exempt}`, blocking: false };
  if (c.unreadable) return { id: "conformance", state: "missing", title, detail: `${c.unreadable}: the sponsor checks it by hand`, blocking: true };
  if (c.file.state === "unread") {
    return { id: "conformance", state: "unknown", title, detail: `the conformance repository could not be read${c.file.note ? ` (${quote(c.file.note, 150)})` : ""}: not checked, and nothing is refused for it`, blocking: false };
  }
  const repo = input.rules.final.conformance!.repo;
  const asks = c.asks.length ? `; ${c.asks.join("; ")}` : "";
  if (c.file.state === "absent") return { id: "conformance", state: "missing", title, detail: `no \`${c.file.path}\` in ${repo} yet: a conformance scenario tagged with the SEP and its traceability file are needed${asks}`, blocking: true };
  if (c.file.state === "invalid") return { id: "conformance", state: "missing", title, detail: `\`${c.file.path}\` in ${repo} cannot be read: ${quote(c.file.note ?? "", 150)}${asks}`, blocking: true };
  const problems = conformanceProblems(c);
  const blocking = problems.some((p) => p.blocking);
  const state: ItemState = blocking ? "missing" : problems.length ? "confirm" : "done";
  const total = c.requirements.length;
  const traced = c.requirements.filter((r) => r.coverage !== "none").length;
  const head = total ? `${traced} of ${total} requirements traced` : c.section ? "the Specification section states no requirement (MUST, SHOULD, ...)" : "no requirement read";
  return { id: "conformance", state, title, detail: [head, ...problems.map((p) => p.text)].join("; "), blocking };
}

/** Check IDs named in a detail, at most. */
const MAX_IDS = 5;

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
  // An `issue:` that names no issue (`none`, `TBD`) is said so: the row's author meant one.
  const named = (rows: TracedRow[]) => (rows.some((r) => r.badIssue) ? `; \`issue:\` names no issue in ${rowList(rows.filter((r) => r.badIssue))}` : "");
  if (gaps.length) out.push({ text: `${count(gaps.length, "framework-gap exclusion")} without a tracking issue (${rowList(gaps)}${named(gaps)})`, blocking: true });
  const unclear = c.rows.filter((r) => r.exclusion === "unclear" && !r.issue);
  if (unclear.length) out.push({ text: `${count(unclear.length, "exclusion")} without an issue whose reason does not say it is unobservable: confirm none is a framework gap (${rowList(unclear)}${named(unclear)})`, blocking: false });
  const untested = c.manifest.untested;
  if (untested.length) {
    const more = untested.length > MAX_IDS ? ` and ${untested.length - MAX_IDS} more` : "";
    out.push({ text: `${count(untested.length, "check")} the reference run did not emit: ${untested.slice(0, MAX_IDS).map((x) => code(x, 60)).join(", ")}${more}`, blocking: true });
  }
  if (c.unreadable) out.push({ text: c.unreadable, blocking: true });
  for (const ask of c.asks) out.push({ text: ask, blocking: false });
  return out;
}

/** A detail at most this long: the status comment shows it whole, and `/final`'s refusal quotes it. */
export const MAX_DETAIL = 600;

/** Untrusted text in a code span: no backtick (it would end the span), no line break, at most `max` characters. */
function code(text: string, max: number): string {
  const clean = text.replace(/[`\u0000-\u001f\u007f<>@|]/g, " ").replace(/\s+/g, " ").trim();
  return `\`${clean.length > max ? `${clean.slice(0, max - 1)}…` : clean}\``;
}

/** Untrusted text quoted in prose: no markdown that opens a span, a link, an image or HTML; no mention; one line. */
function quote(text: string, max: number): string {
  const clean = text.replace(/[`<>[\]|\u0000-\u001f\u007f]/g, " ").replace(/!(?=\()/g, " ").replace(/@/g, "@\u200b").replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Every detail, last: one line, no HTML, no mention, and short (cut where no code span is left open). */
function tidyDetail(detail: string): string {
  let text = detail.replace(/[<>\u0000-\u001f\u007f]/g, " ").replace(/@(?!\u200b)/g, "@\u200b").replace(/\s+/g, " ").trim();
  if (text.length > MAX_DETAIL) {
    text = text.slice(0, MAX_DETAIL - 1);
    if ((text.match(/`/g)?.length ?? 0) % 2) text = text.slice(0, text.lastIndexOf("`"));
    text = `${text.trimEnd()}…`;
  }
  return text;
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
