import type { Rules } from "../rules/schema.js";
import type { Person, SponsorState } from "./model.js";

/**
 * Readers for preamble values as people write them. Each returns null (or
 * "placeholder") rather than guessing: an unknown value is reported, not fixed.
 */

/*
 * Every pattern here runs on author-controlled text: none may backtrack
 * quadratically. Unbounded "scan to a closing character" classes are bounded
 * ({0,200}), and end-of-string trims are loops, not `x+$` regexes.
 */

/** Inline HTML that issue-to-file migrations left around values (`</b> Standards Track<br>`). */
const INLINE_HTML = /<\/?(?:b|i|em|strong|br|code|span|p|u|sup|sub|small|div)\b[^<>]{0,100}>/gi;

const isWrapChar = (c: string) => c === "*" || c === "_";
const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r";

/** Removes a run of `chars` from both ends (a loop: `/x+$/` is quadratic on long runs). */
export function trimChars(value: string, chars: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && chars.includes(value[start]!)) start++;
  while (end > start && chars.includes(value[end - 1]!)) end--;
  return value.slice(start, end);
}

/** `x` for "`x`" (any number of backticks on each side, none inside). */
function unwrapCode(value: string): string {
  if (!value.startsWith("`") || !value.endsWith("`")) return value;
  const inner = trimChars(value, "`");
  return inner.includes("`") ? value : inner;
}

/** "** Standards Track" -> "Standards Track": an emphasis marker that lost its other half. */
function dropStrayEmphasis(value: string): string {
  let start = 0;
  while (start < value.length && isWrapChar(value[start]!)) start++;
  if (start > 0 && start < value.length && isSpace(value[start]!)) value = value.slice(start).trimStart();
  let end = value.length;
  while (end > 0 && isWrapChar(value[end - 1]!)) end--;
  if (end < value.length && end > 0 && isSpace(value[end - 1]!)) value = value.slice(0, end).trimEnd();
  return value;
}

/** Splits "Draft (seeking sponsor)" into the value and its trailing parenthetical note. */
export function trailingNote(value: string): { core: string; note: string } {
  const trimmed = value.trimEnd();
  if (!trimmed.endsWith(")")) return { core: value.trim(), note: "" };
  const open = trimmed.lastIndexOf("(");
  if (open === -1 || /[()]/.test(trimmed.slice(open + 1, -1))) return { core: value.trim(), note: "" };
  const core = trimmed.slice(0, open).trimEnd();
  return { core, note: value.slice(core.length).trimEnd() };
}

/**
 * Strips the markup people (and migrations) wrap values in: `code`, **bold**,
 * _em_, "quotes", inline HTML, backslash escapes, and stray unpaired `**`.
 */
export function plainValue(raw: string): string {
  let value = raw
    .replace(INLINE_HTML, " ")
    .replace(/\\([\\`*_{}\[\]()#+\-.!|])/g, "$1")
    .trim();
  for (let i = 0; i < 4; i++) {
    const before = value;
    value = dropStrayEmphasis(
      unwrapCode(value)
        .replace(/^\*\*(.*)\*\*$/, "$1")
        .replace(/^__(.*)__$/, "$1")
        .replace(/^[*_](.*)[*_]$/, "$1")
        .replace(/^"(.*)"$/, "$1")
        .replace(/^'(.*)'$/, "$1")
        .trim(),
    );
    if (value === before) break;
  }
  return value;
}

const PLACEHOLDER_PATTERNS: RegExp[] = [
  /\{[A-Za-z _-]{1,40}\}/, // {NUMBER}, {Title}
  /\bYYYY-MM-DD\b/i,
  /@github-username\b/i,
  /^name\s*<email>/i,
  /^\s*(tbd|tba|todo|xxx+|\?+|<[^<>]{0,100}>)\s*$/i,
];

/**
 * True when a value is the template's placeholder rather than a real value:
 * `{NUMBER}`, `YYYY-MM-DD`, `TBD`, or the template's enumeration of choices
 * (`Draft | In-Review | Accepted`).
 */
export function isPlaceholder(raw: string): boolean {
  const value = plainValue(raw);
  if (PLACEHOLDER_PATTERNS.some((re) => re.test(value))) return true;
  return value.split("|").length >= 3; // "A | B | C": the template lists the choices
}

/** Lowercase, separators unified: "In Review", "in_review" and "`In-Review`" all become "in-review". */
export function normaliseWord(raw: string): string {
  return plainValue(raw)
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

export type Resolved = { id: string } | { placeholder: true } | null;

/**
 * Resolves a Status or Type against its canonical list. A trailing
 * parenthetical ("Draft (seeking sponsor)") is an annotation and is ignored;
 * anything else unknown stays unknown.
 */
function resolveIn(raw: string, entries: ReadonlyArray<{ id: string; display: string; aliases: string[] }>): Resolved {
  if (isPlaceholder(raw)) return { placeholder: true };
  const candidates = [raw, trailingNote(raw).core];
  for (const candidate of candidates) {
    const word = normaliseWord(candidate);
    if (!word) continue;
    for (const entry of entries) {
      if (word === entry.id || word === normaliseWord(entry.display) || entry.aliases.some((a) => normaliseWord(a) === word)) {
        return { id: entry.id };
      }
    }
  }
  return null;
}

export const resolveStatus = (raw: string, rules: Rules): Resolved => resolveIn(raw, rules.statuses);
export const resolveType = (raw: string, rules: Rules): Resolved => resolveIn(raw, rules.types);

/** A real calendar date written YYYY-MM-DD (leading text like "2025-11-28, 8 Yes" is not a date). */
export function parseIsoDate(raw: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(plainValue(raw));
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** What authors write for "no number yet" (a regex source): 0000, {NUMBER}, XXXX, NNNN, DRAFT, TBD. */
export const NUMBER_PLACEHOLDER = "0+|\\{[^}]*\\}|[Xx#N?]+|DRAFT|TBD|TBA|NEW";

/**
 * GitHub logins: alphanumerics and single hyphens, at most 39 characters; an
 * enterprise-managed user adds `_shortcode` (`jdoe_acme`). A regex source.
 */
export const HANDLE = "[A-Za-z0-9](?:[A-Za-z0-9]|[-_](?=[A-Za-z0-9])){0,38}";
const HANDLE_AT = new RegExp(`(?:^|[^A-Za-z0-9_.\`/])@(${HANDLE})(?![A-Za-z0-9-])`);
const HANDLE_URL = new RegExp(`github\\.com/(${HANDLE})(?![A-Za-z0-9-/])`, "i");
const EMAIL_TOKEN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

/** The first email address in a text, found token by token (a scanning regex would be quadratic). */
function findEmail(text: string): string | null {
  if (!text.includes("@")) return null;
  for (const token of text.split(/[\s<>()[\],;"'`]+/)) if (token.length <= 254 && EMAIL_TOKEN.test(token)) return token;
  return null;
}

/** Splits on commas, semicolons and " and " outside brackets, remembering which separator came before. */
function splitPeople(value: string): Array<{ text: string; afterSemicolon: boolean }> {
  const parts: Array<{ text: string; afterSemicolon: boolean }> = [];
  let depth = 0;
  let start = 0;
  let afterSemicolon = false;
  const push = (end: number, nextSemicolon: boolean) => {
    const text = value.slice(start, end).trim();
    if (text) parts.push({ text, afterSemicolon });
    afterSemicolon = nextSemicolon;
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "(" || c === "[" || c === "<" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === ">" || c === "}") && depth > 0) depth--;
    else if (depth === 0 && (c === "," || c === ";")) {
      push(i, c === ";");
      start = i + 1;
    } else if (depth === 0 && c === " " && value.startsWith(" and ", i)) {
      push(i, false);
      start = i + 5;
      i += 4;
    }
  }
  push(value.length, false);
  return parts;
}

/** Trailing remarks such as "on behalf of the Agents Working Group" are not people. */
const NOTE = /^(on behalf of|with |for |via |et al|and others|see |from |representing |cc )/i;
/** "original proposal by @x in #507", "based on work by @y": credit, not authorship. */
const CREDIT = /^(?:[a-z][\w-]*\s+){0,4}?(?:by|from)\s+@/i;
const BARE_LOGIN = new RegExp(`^@?(${HANDLE})$`);
/** "@a @b": handles separated only by spaces. */
const HANDLES_ONLY = new RegExp(`^@${HANDLE}(?:\\s+@${HANDLE})+$`);
const NOT_A_LOGIN = new Set(["others", "etc", "none", "tbd", "tba", "n/a", "unknown", "anonymous"]);

export function parsePeople(raw: string): Person[] {
  const people: Person[] = [];
  // "Ana (@ana) Bo (@bo)": two people with no separator between them.
  const value = plainValue(raw).replace(new RegExp(`(\\(@${HANDLE}\\))\\s+(?=[A-Z@])`, "g"), "$1, ");
  // With semicolons between people, what follows a named person's comma is their affiliation:
  // "Jane Doe (@jdoe), Example Corp; John Roe (@jroe), Acme".
  const groupsBySemicolon = splitPeople(value).some((p) => p.afterSemicolon);
  let inGroupWithPerson = false;
  for (const part of splitPeople(value)) {
    const text = part.text;
    if (part.afterSemicolon || !groupsBySemicolon) inGroupWithPerson = false;
    if (CREDIT.test(text)) continue;
    if (HANDLES_ONLY.test(text)) {
      for (const handle of text.split(/\s+/)) people.push({ name: null, handle: handle.slice(1), email: null });
      continue;
    }
    if (groupsBySemicolon && inGroupWithPerson && !HANDLE_AT.test(text) && !findEmail(text)) continue;
    // A bare GitHub login ("kentcdodds", "@LucaButBoring") is a handle, not a name.
    const bare = BARE_LOGIN.exec(text);
    if (bare && !NOT_A_LOGIN.has(bare[1]!.toLowerCase())) {
      people.push({ name: null, handle: bare[1]!, email: null });
      inGroupWithPerson = true;
      continue;
    }
    const email = findEmail(text);
    const withoutEmail = email ? text.replace(`<${email}>`, " ").replace(email, " ") : text;
    const handle = HANDLE_AT.exec(withoutEmail)?.[1] ?? HANDLE_URL.exec(withoutEmail)?.[1] ?? null;
    if (!handle && !email && (NOTE.test(text) || part.afterSemicolon || /^[a-z]/.test(text))) continue;
    const name =
      trimChars(
        withoutEmail
          .replace(/\[([^\[\]]{0,200})\]\([^()]{0,500}\)/g, "$1") // [Name](url) -> Name
          .replace(/<[^<>]{0,200}>/g, " ")
          .replace(/\([^()]{0,200}\)/g, " ")
          .replace(/https?:\/\/\S+/g, " ")
          .replace(new RegExp(`@${HANDLE}`, "g"), " ")
          .replace(/[*_`"]/g, "")
          .replace(/\s+/g, " "),
        " -–—:,;|", // "@h - Name", "Name —"
      ) || null;
    if (!name && !handle && !email) continue;
    people.push({ name, handle, email });
    inGroupWithPerson = true;
  }
  return people;
}

const NO_SPONSOR = /^(none|n\/?a|nobody|no one|no sponsor|not yet|pending|tbd|tba|seeking|looking for|needs? (a )?sponsor|unassigned|-+|—|–)\b/i;

export function parseSponsor(raw: string | null): { state: SponsorState; sponsors: Person[] } {
  if (raw === null) return { state: "missing", sponsors: [] };
  const value = plainValue(raw);
  if (value === "" || NO_SPONSOR.test(value) || /^\(?\s*(seeking|looking for)/i.test(value)) return { state: "none", sponsors: [] };
  if (isPlaceholder(value)) return { state: "placeholder", sponsors: [] };
  const sponsors = parsePeople(value);
  return sponsors.length ? { state: "named", sponsors } : { state: "none", sponsors: [] };
}

export type PrRef = { number: number; form: "url" | "hash" | "number" | "braces" } | { placeholder: true } | null;

/** The PR field: a URL, `#1234`, `[#1234](url)`, a bare number, or the template's `/pull/{NUMBER}`. */
/** "None", "Unassigned", "(assigned on open)", "_(pending submission)_": no PR yet. */
const NO_PR = /^(none|unassigned|pending|n\/?a|not yet|to be (assigned|updated|created|opened)|assigned on open|tbd|tba)\b/i;

export function parsePr(raw: string): PrRef {
  const ref = readPr(plainValue(raw));
  // "#99999999999999999999" names no pull request that can exist.
  return ref && "number" in ref && !Number.isSafeInteger(ref.number) ? null : ref;
}

function readPr(value: string): PrRef {
  const url = /\/pulls?\/(\{?)(\d+)(\}?)(?:[/?#]|\)|$)/.exec(value);
  if (url) {
    const number = Number(url[2]);
    if (number <= 0) return { placeholder: true };
    return { number, form: url[1] || url[3] ? "braces" : "url" };
  }
  if (isPlaceholder(value) || /\/pulls?\/(\{[^{}/]{0,40}\}|[Xx]{1,10}|N{1,10}|\?{1,10})(?![A-Za-z0-9])/.test(value)) return { placeholder: true };
  if (NO_PR.test(value) || /^\(.*\)$/.test(value)) return { placeholder: true };
  const hash = /^\[?#(\d+)\]?(?:\([^)]*\))?$/.exec(value);
  if (hash) return Number(hash[1]) > 0 ? { number: Number(hash[1]), form: "hash" } : { placeholder: true };
  const bare = /^(\d+)$/.exec(value);
  if (bare) return Number(bare[1]) > 0 ? { number: Number(bare[1]), form: "number" } : { placeholder: true };
  return null;
}

/** First `#1234` or `/issues/1234` in a value (for the Issue field of issue-era SEPs). */
export function parseIssueNumber(raw: string): number | null {
  const match = /(?:#|\/issues\/)(\d+)/.exec(raw) ?? /^\s*(\d+)\s*$/.exec(raw);
  const number = match ? Number(match[1]) : null;
  return number !== null && Number.isSafeInteger(number) ? number : null;
}
