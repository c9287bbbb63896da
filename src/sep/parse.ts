import type { Rules } from "../rules/schema.js";
import { LINE_BLANK, LINE_HEADING, LINE_HTML, LINE_PROSE, LINE_NESTED_HEADING, scanBlocks } from "./blocks.js";
import { FrontMatterError, hasFrontMatter, readFrontMatter } from "./front-matter.js";
import { SepSchema, type Field, type Heading, type ReadProblem, type Section, type Sep } from "./model.js";
import { readPreamble, type FieldNamer } from "./preamble.js";
import { readSource } from "./source.js";
import {
  isPlaceholder,
  NUMBER_PLACEHOLDER,
  parseIsoDate,
  parseIssueNumber,
  parsePeople,
  parsePr,
  parseSponsor,
  plainValue,
  resolveStatus,
  resolveType,
} from "./values.js";

/**
 * parseSep: one typed model for every SEP file, whatever preamble style it
 * uses. Never throws on bad input: what cannot be read becomes a `problem`
 * the linter reports, and the rest of the model is null.
 */

/** `1850-pr-based-sep-workflow.md`; a number of zeros is the template's placeholder. */
const FILE_NAME = /^(\d+)-(.+)\.md$/i;
/** `SEP-1850: Title`, tolerating `SEP 1850`, `SEP-{NUMBER}`, `SEP-XXXX`, `SEP-DRAFT` and other separators. */
const TITLE = new RegExp(`^SEP[-\\s]?(?:(\\d+|${NUMBER_PLACEHOLDER})(?![A-Za-z0-9]))?\\s*(?:([:\\-–—.])\\s*)?(.*)$`, "i");
/** A heading some authors put the preamble under. */
const PREAMBLE_HEADING = /^(?:\d+(?:\.\d+)*\.?\s+)?(preamble|metadata|header|sep metadata|front matter|details)$/i;
/** A preamble field that names the title (`Title`, `SEP Title`), for files that have no title heading. */
const TITLE_FIELD = /^(?:sep\s+)?title$/i;
/** `<h2>Abstract</h2>` alone on a line: GitHub renders it as a heading. */
const HTML_HEADING = /^ {0,3}<h([1-6])(?:\s[^>]*)?>(.*?)<\/h\1>\s*$/i;

export interface ParseOptions {
  rules: Rules;
  /** The file's size when `input` is only its first bytes (the CLI does not read huge files whole). */
  size?: number;
}

export function fieldNamer(rules: Rules): FieldNamer {
  const byName = new Map<string, string>();
  for (const field of rules.fields) {
    byName.set(field.id, field.id);
    for (const name of field.names) byName.set(normaliseKey(name), field.id);
  }
  return (key) => byName.get(normaliseKey(key)) ?? null;
}

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[\s_-]+/g, " ").replace(/\s*\(\s*/g, "(").trim();
}

function numberFrom(raw: string | null | undefined): number | null {
  if (!raw || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n > 0 && Number.isSafeInteger(n) ? n : null;
}

export function parseSep(input: string | Uint8Array, path: string, { rules, size }: ParseOptions): Sep {
  const fileName = path.split(/[\\/]/).pop() ?? path;
  const fileMatch = FILE_NAME.exec(fileName);
  const source = readSource(input, rules.limits.maxFileBytes, size);
  const problems: ReadProblem[] = [];
  if (source.problem) problems.push({ ...source.problem, line: 1, column: 1 });
  const lines = source.lines;
  const named = fieldNamer(rules);

  // Front matter first: its lines are blanked for the markdown scanner, so a
  // `---` closing line is not read as a setext underline.
  let fields: Field[] = [];
  let preambleStyle: Sep["preambleStyle"] = "none";
  let fmTitle: string | null = null;
  let fmNumber: string | null = null;
  let bodyFrom = 0;
  let frontMatterEnd: number | null = null;
  if (hasFrontMatter(lines)) {
    try {
      const fm = readFrontMatter(lines, named, { maxBytes: rules.limits.maxFrontMatterBytes, maxAliases: rules.limits.maxYamlAliases });
      fields = fm.fields;
      preambleStyle = "front-matter";
      fmTitle = fm.title;
      fmNumber = fm.number;
      bodyFrom = fm.closeLine + 1;
      // Null when the front matter cannot take a new key (a flow mapping): edits are left to people.
      frontMatterEnd = fm.editable === false ? null : fm.closeLine + 1;
    } catch (error) {
      const line = error instanceof FrontMatterError ? error.line : 1;
      problems.push({ rule: "front-matter-invalid", message: (error as Error).message, line, column: 1 });
      // Skip a refused block; an unclosed one may be a thematic break, so read on as markdown.
      const close = lines.findIndex((l, i) => i > 0 && /^---[ \t]*$/.test(l));
      bodyFrom = close === -1 ? 0 : close + 1;
    }
  }
  const body = bodyFrom > 0 ? lines.map((l, i) => (i < bodyFrom ? "" : l)) : lines;
  const scan = scanBlocks(body);
  const kinds = scan.lineKinds;
  const headings: Heading[] = withHtmlHeadings(
    scan.headings.map((h) => ({
      depth: h.depth,
      text: h.text,
      line: h.line,
      column: h.column,
      textColumn: Math.max(h.column, (lines[h.line - 1]?.indexOf(h.text, h.column - 1) ?? -1) + 1),
      endLine: h.endLine,
    })),
    body,
    kinds,
  );

  // The title is the first level-1 heading, if it comes before any section.
  const firstH1 = headings.find((h) => h.depth === 1);
  const firstH2 = headings.find((h) => h.depth === 2);
  const titleHeading = firstH1 && (!firstH2 || firstH1.line < firstH2.line) ? firstH1 : null;
  let numberRaw: string | null = fmNumber;
  let title: string | null = fmTitle;
  if (titleHeading) {
    const match = TITLE.exec(titleHeading.text);
    if (match) {
      numberRaw = match[1] ?? numberRaw;
      title = match[3]?.replace(/^[\s:\-–—]+/, "").trim() || title;
    } else {
      title = titleHeading.text.trim() || title;
    }
  }
  if (title !== null && isPlaceholder(title)) title = null;

  if (preambleStyle === "none") {
    const from = titleHeading ? titleHeading.endLine : 0;
    const next = headings.find((h) => h.line > from);
    // `body`: lines of refused front matter are blank, so nothing is read from them.
    let preamble = readPreamble(body, kinds, from, next ? next.line - 1 : lines.length, named);
    // Some authors put the fields under a `## Preamble` heading of their own.
    if (preamble.fields.length === 0 && next && PREAMBLE_HEADING.test(next.text.replace(/[*_`:]/g, "").trim())) {
      const after = headings.find((h) => h.line > next.endLine);
      preamble = readPreamble(body, kinds, next.endLine, after ? after.line - 1 : lines.length, named);
    }
    fields = preamble.fields;
    preambleStyle = preamble.style;
  }

  // First occurrence of each known field wins; the linter reports duplicates.
  const byId = new Map<string, Field>();
  const extras: Record<string, string> = Object.create(null);
  for (const field of fields) {
    if (field.id) {
      if (!byId.has(field.id)) byId.set(field.id, field);
    } else if (!(field.key in extras)) {
      extras[field.key] = field.value;
    }
  }
  const raw = (id: string): string | null => byId.get(id)?.value ?? null;

  // A preamble written as a table (`| **Title** | Transfer Descriptors |`) may carry the title as a field,
  // with no heading at all: it is the title then. A heading's title wins when both are there.
  if (title === null) {
    const titled = fields.find((f) => f.id === null && TITLE_FIELD.test(f.key));
    const value = titled ? plainValue(titled.value) : "";
    if (value && !isPlaceholder(value)) title = value;
  }

  const statusRaw = raw("status");
  const status = statusRaw === null ? null : resolveStatus(statusRaw, rules);
  const typeRaw = raw("type");
  const type = typeRaw === null ? null : resolveType(typeRaw, rules);
  const createdRaw = raw("created");
  const prRaw = raw("pr");
  const pr = prRaw === null ? null : parsePr(prRaw);
  const sponsor = parseSponsor(raw("sponsor"));
  const authorsRaw = raw("authors");

  const fileNumber = numberFrom(fileMatch?.[1]);
  const number = numberFrom(numberRaw);
  const issueRaw = raw("issue");
  const issue = issueRaw === null ? null : parseIssueNumber(issueRaw);
  // Issue-era SEPs: numbered after an issue (their Issue field says so, or the
  // number predates PR numbering); their PR field names some other PR.
  const own = number ?? fileNumber;
  const legacy = (issue !== null && (issue === fileNumber || issue === number)) || (own !== null && own < rules.numbering.prNumbersSince);

  const statusId = status && "id" in status ? status.id : null;
  const statusRule = rules.statuses.find((s) => s.id === statusId);
  // Explicitly "None"/"seeking": awaiting, whatever Status says. Field absent:
  // only when the status is one a SEP can hold before it has a sponsor.
  const awaitingSponsor =
    sponsor.state === "none" ||
    sponsor.state === "placeholder" ||
    (sponsor.state === "missing" && !legacy && (statusRule ? statusRule.seeking : true));

  const sep: Sep = {
    path,
    fileName,
    fileNumber,
    fileNumberRaw: fileMatch?.[1] ?? null,
    slug: fileMatch?.[2] ?? null,
    number,
    numberRaw,
    title,
    titleHeading,
    preambleStyle,
    frontMatterEnd,
    status: statusId,
    statusRaw,
    type: type && "id" in type ? type.id : null,
    typeRaw,
    created: createdRaw === null ? null : parseIsoDate(createdRaw),
    createdRaw,
    accepted: raw("accepted") === null ? null : plainValue(raw("accepted")!) || null,
    authors: authorsRaw === null || isPlaceholder(authorsRaw) ? [] : parsePeople(authorsRaw),
    sponsors: sponsor.sponsors,
    sponsorState: sponsor.state,
    awaitingSponsor,
    pr: pr && "number" in pr ? pr.number : null,
    prRaw,
    legacy,
    extras,
    fields,
    headings,
    sections: sectionsOf(headings, kinds, body),
    templateText: findTemplateText(lines, kinds, rules.templateText),
    lineCount: lines.length,
    bytes: source.bytes,
    problems,
  };
  return SepSchema.parse(sep);
}

/** Adds `<h2>..</h2>` lines of HTML blocks to the headings, in line order. */
function withHtmlHeadings(headings: Heading[], lines: readonly string[], kinds: Uint8Array): Heading[] {
  const extra: Heading[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (kinds[i] !== LINE_HTML) continue;
    const line = lines[i]!;
    if (line.length > 1000 || line.indexOf("<h") === -1) continue;
    const match = HTML_HEADING.exec(line);
    if (!match) continue;
    const text = match[2]!.replace(/<[^>]*>/g, "").trim();
    if (!text) continue;
    const column = line.indexOf("<") + 1;
    extra.push({ depth: Number(match[1]), text, line: i + 1, column, textColumn: column, endLine: i + 1 });
  }
  if (extra.length === 0) return headings;
  return [...headings, ...extra].sort((a, b) => a.line - b.line);
}

/** Level-2 sections, each running to the next heading of level 1 or 2. */
/** The text of a line outside `<!-- -->` comments, and whether a comment is still open at its end. */
function outsideComments(line: string, inComment: boolean): { text: string; inComment: boolean } {
  let text = "";
  let at = 0;
  while (at < line.length) {
    if (inComment) {
      const end = line.indexOf("-->", at);
      if (end === -1) return { text, inComment: true };
      at = end + 3;
      inComment = false;
    } else {
      const start = line.indexOf("<!--", at);
      if (start === -1) return { text: text + line.slice(at), inComment: false };
      text += line.slice(at, start);
      at = start + 4;
      inComment = true;
    }
  }
  return { text, inComment };
}

function sectionsOf(headings: Heading[], kinds: Uint8Array, lines: readonly string[]): Section[] {
  const sections: Section[] = [];
  // Walk backwards so each section knows where the next level-1/2 heading starts: linear, not quadratic.
  let nextTop: Heading | undefined;
  for (let index = headings.length - 1; index >= 0; index--) {
    const heading = headings[index]!;
    if (heading.depth === 2) {
      const endLine = nextTop ? nextTop.line - 1 : Math.max(lines.length, heading.endLine);
      let contentLines = 0;
      let inComment = false;
      for (let i = heading.endLine; i < endLine; i++) {
        const kind = kinds[i];
        if (kind === LINE_HTML) {
          // HTML counts as content (migrated SEPs write <h2> sections in HTML); comments do not.
          const visible = outsideComments(lines[i]!, inComment);
          inComment = visible.inComment;
          if (visible.text.trim()) contentLines++;
        } else if (kind !== LINE_BLANK && kind !== LINE_HEADING) {
          contentLines++;
        }
      }
      sections.push({ title: heading.text, line: heading.line, column: heading.column, endLine, contentLines });
    }
    if (heading.depth <= 2) nextTop = heading;
  }
  return sections.reverse();
}

/** Prose lines that still contain one of the template's instruction sentences. */
function findTemplateText(lines: readonly string[], kinds: Uint8Array, phrases: readonly string[]) {
  const found: Sep["templateText"] = [];
  if (phrases.length === 0) return found;
  // One case-insensitive alternation: no lowercased copy of every line.
  const pattern = new RegExp(phrases.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "i");
  for (let i = 0; i < lines.length; i++) {
    const kind = kinds[i];
    if (kind !== LINE_PROSE && kind !== LINE_HEADING && kind !== LINE_NESTED_HEADING) continue;
    const line = lines[i]!;
    if (line.length > 2000) continue; // the template's sentences are short
    const match = pattern.exec(line);
    if (match) found.push({ line: i + 1, column: match.index + 1, text: match[0] });
  }
  return found;
}
