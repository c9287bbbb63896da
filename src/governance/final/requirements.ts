import type { Sep } from "../../sep/model.js";
import { markdownBlocks, type MdNode } from "./markdown.js";
import { keywordOf, levelOf, plainText, withoutCode, withoutInlineComments, type Keyword, type Level } from "./normative.js";

/**
 * The normative requirements of a SEP's Specification section: every
 * sentence, list item or table row holding a BCP 14 keyword, with the lines
 * it stands on. What counts, decided here and documented in
 * docs/conformance.md:
 *
 * - The section is the heading the rules call the Specification (its title
 *   or an alias, numbered or not, or a title that starts with it, such as
 *   "Specification Changes"), to the next heading of its level or above.
 *   Several such headings at one level are all read: a requirement missed
 *   is worse than one asked about.
 * - Sentences are Unicode sentences (Intl.Segmenter) of paragraphs, list
 *   items, headings, quotes and table rows; a sentence with several
 *   keywords is held to its strongest.
 * - A lead-in ("The `iss` parameter MUST:") lends its keyword to the items
 *   of the list after it that have none of their own ("- Be a URL that uses
 *   https"), each then a requirement worded "lead-in item"; the lead-in
 *   itself is one only when none of its items is.
 * - Fenced code: proposed specification text (`markdown`, `md`, `mdx`, an
 *   unlabelled fence, `text`) is read as markdown; a `diff` contributes its
 *   added lines only (removed lines are what the SEP takes out); schema code
 *   contributes its doc comments (`/** ... *\/`, `//`) and JSON its
 *   `"description"` strings; any other language is an example and holds no
 *   requirement. The languages are rules (`final.fences`); no language is
 *   one listed as an empty string.
 * - HTML comments hold nothing, in a block or inside a paragraph; other
 *   HTML keeps its text. A keyword inside a code span (`MUST`) is a value
 *   quoted, not a word said; "NOT REQUIRED" obliges nothing (normative.ts).
 */

export interface Requirement {
  /** First and last line in the file (1-based). */
  line: number;
  endLine: number;
  keyword: Keyword;
  level: Level;
  /** As people read it: markdown dropped; an item that borrows its lead-in's keyword starts with the lead-in. */
  text: string;
  /** The words a row must say to trace it: the sentence without its clauses that oblige nothing ("...; ping remains available"). */
  words: string;
  /** The sentence with what surrounds it (its lead-in, its paragraph or item): what a row may quote in other words. */
  context: string;
  /** Where it was written: prose, a list item, a table row, or inside a fenced block. */
  kind: "prose" | "item" | "row" | "fenced";
}

export interface SectionRange {
  heading: string;
  /** The heading's line, and the section's last line. */
  startLine: number;
  endLine: number;
}

export interface FenceRules {
  prose: readonly string[];
  diff: readonly string[];
  comments: readonly string[];
  json: readonly string[];
}

/**
 * The sections the rules call the Specification, at the shallowest level any of them stands. Linear in the
 * number of headings: each one's end is found in one pass from the last heading back.
 */
export function specificationSections(sep: Pick<Sep, "headings" | "lineCount">, names: readonly string[]): SectionRange[] {
  const wanted = names.map(normalTitle);
  const headings = sep.headings;
  const isMatch = headings.map((h) => {
    const title = normalTitle(h.text);
    return wanted.some((name) => title === name || title.startsWith(`${name} `));
  });
  let depth = Infinity;
  headings.forEach((h, i) => {
    if (isMatch[i] && h.depth < depth) depth = h.depth;
  });
  if (depth === Infinity) return [];
  // Each heading's end: the line before the next heading at its depth or above (a stack of the headings after it).
  const endOf = new Array<number>(headings.length);
  const after: number[] = [];
  for (let i = headings.length - 1; i >= 0; i--) {
    while (after.length && headings[after.at(-1)!]!.depth > headings[i]!.depth) after.pop();
    endOf[i] = after.length ? headings[after.at(-1)!]!.line - 1 : sep.lineCount;
    after.push(i);
  }
  return headings.flatMap((h, i) => (isMatch[i] && h.depth === depth ? [{ heading: h.text.trim(), startLine: h.line, endLine: endOf[i]! }] : []));
}

/** "3. Specification Changes:" read as "specification changes". */
function normalTitle(title: string): string {
  return plainText(title).replace(/^\d+(\.\d+)*\.?\s+/, "").replace(/[:.]\s*$/, "").toLowerCase();
}

/** A text to read and, for each of its lines, the file's line it came from (fenced blocks, diffs and comments are re-read). */
interface Source {
  text: string;
  lines: number[];
}

/** Deeper nesting is hostile, not prose: it is not read (and the report says the section could not be read whole). */
const MAX_DEPTH = 40;
/** Fenced text inside fenced text inside ...: a SEP quoting its own template, at most. */
const MAX_FENCE_DEPTH = 3;
/** Real Specification sections state up to about fifty; past this it is not prose (and tracing it would cost seconds). */
const MAX_REQUIREMENTS = 500;
/** A "sentence" longer than this is not one; it is read up to here. */
const MAX_SENTENCE = 4000;
/** Statements (readRequirements' `wanted`) kept: the first few say enough. */
const MAX_STATEMENTS = 20;

export class UnreadableSection extends Error {}

/** A sentence of the SEP's own prose that `wanted` picked: a paragraph or list item, never code, a quote, a table or a heading. */
export interface Statement {
  line: number;
  endLine: number;
  /** As people read it (plainText), at most MAX_SENTENCE characters. */
  text: string;
  /** As written (markdown), for what plain text hides (a link around the words). */
  raw: string;
  /** "html": inside an HTML block (`<details>`), where it is shown but is not plain prose. */
  where: "prose" | "html";
}

export interface Reading {
  requirements: Requirement[];
  statements: Statement[];
}

/** The requirements written in `lines` [startLine, endLine] of a file (1-based, inclusive). */
export function requirementsIn(fileLines: readonly string[], startLine: number, endLine: number, fences: FenceRules): Requirement[] {
  return readRequirements(fileLines, startLine, endLine, fences).requirements;
}

/** The requirements of lines [startLine, endLine], and the prose sentences `wanted` picks (in the same one read). */
export function readRequirements(fileLines: readonly string[], startLine: number, endLine: number, fences: FenceRules, wanted: ((plain: string) => boolean) | null = null): Reading {
  const lines: number[] = [];
  for (let l = startLine; l <= endLine && l <= fileLines.length; l++) lines.push(l);
  const out: Reading = { requirements: [], statements: [] };
  read({ text: lines.map((l) => fileLines[l - 1]!).join("\n"), lines }, out, fences, 0, wanted);
  out.requirements.sort((a, b) => a.line - b.line || a.endLine - b.endLine);
  return out;
}

/** Container markers (`>`, `-`, `1.`) opening a line: more than MAX_DEPTH is hostile, and micromark is slow on it. */
const CONTAINERS = /^(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))+/;

function read(source: Source, out: Reading, fences: FenceRules, fenceDepth: number, wanted: ((plain: string) => boolean) | null): void {
  for (const line of source.text.split("\n")) {
    const prefix = CONTAINERS.exec(line)?.[0] ?? "";
    if (prefix.length > MAX_DEPTH && (prefix.match(/[>*+-]|\d[.)]/g)?.length ?? 0) > MAX_DEPTH) throw new UnreadableSection("nested deeper than any specification text");
    if (/^[ \t]*/.exec(line)![0].length > MAX_DEPTH * 8) throw new UnreadableSection("indented deeper than any specification text");
  }
  const tree = markdownBlocks(source.text);
  const reader = new Reader(source, out, fences, fenceDepth, wanted);
  reader.blocks(tree.children ?? [], 0, null, false);
}

interface LeadIn {
  text: string;
  keyword: Keyword | null;
  line: number;
  endLine: number;
}

interface Sentence {
  /** As written (markdown), and as read (plainText). */
  raw: string;
  plain: string;
  /** As read with what code spans hold left out: the words that oblige (a `MUST` in code does not). */
  bare: string;
  /** Without a leading bold label ("**Advertise capability**:"), as read and without code. */
  said: string;
  saidBare: string;
  line: number;
  endLine: number;
  keyword: Keyword | null;
}

class Reader {
  private readonly starts: number[] = [0];
  constructor(
    private readonly source: Source,
    private readonly out: Reading,
    private readonly fences: FenceRules,
    private readonly fenceDepth: number,
    private readonly wanted: ((plain: string) => boolean) | null,
  ) {
    for (let i = 0; i < source.text.length; i++) if (source.text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** Block siblings in order; a paragraph that ends with ":" right before a list is that list's lead-in. `quoted`: inside a blockquote. */
  blocks(nodes: MdNode[], depth: number, around: string | null, quoted: boolean): void {
    if (depth > MAX_DEPTH) throw new UnreadableSection("nested deeper than any specification text");
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const next = nodes[i + 1];
      switch (node.type) {
        case "paragraph":
        case "heading": {
          const { sentences, plain } = this.sentences(node);
          if (node.type === "paragraph" && !quoted) this.state(sentences, "prose");
          const context = join(around, plain);
          const last = sentences.at(-1);
          if (next?.type === "list" && last && last.plain.endsWith(":")) {
            for (const s of sentences.slice(0, -1)) this.emit(s, "prose", s.plain, context);
            this.list(next, depth, { text: last.plain, keyword: last.keyword, line: last.line, endLine: last.endLine }, quoted);
            i++;
          } else for (const s of sentences) this.emit(s, "prose", s.plain, context);
          break;
        }
        case "list":
          this.list(node, depth, null, quoted);
          break;
        case "blockquote":
          this.blocks(node.children ?? [], depth + 1, around, true);
          break;
        case "table":
          this.table(node);
          break;
        case "code":
          this.code(node);
          break;
        case "html":
          this.html(node, around, quoted);
          break;
        default:
          // definitions, thematic breaks: no requirement
          break;
      }
    }
  }

  /**
   * A list's items. Under a lead-in with a keyword ("The client MUST:"), an
   * item with no keyword of its own (nor a MAY) is a requirement at the
   * lead-in's keyword; under a lead-in without one ("MCP Servers:"), an
   * item's own requirement is worded with the lead-in, which names who it binds.
   */
  private list(list: MdNode, depth: number, leadIn: LeadIn | null, quoted: boolean): void {
    if (depth > MAX_DEPTH) throw new UnreadableSection("nested deeper than any specification text");
    const before = this.out.requirements.length;
    for (const item of list.children ?? []) {
      const children = item.children ?? [];
      const first = children[0]?.type === "paragraph" ? children[0] : null;
      if (!first) {
        this.blocks(children, depth + 1, leadIn?.text ?? null, quoted);
        continue;
      }
      const { sentences, plain } = this.sentences(first);
      if (!quoted) this.state(sentences, "prose");
      const context = join(leadIn?.text ?? null, plain);
      const nested = children[1]?.type === "list" && sentences.at(-1)?.plain.endsWith(":");
      const own = nested ? sentences.slice(0, -1) : sentences;
      own.forEach((s, k) => {
        if (s.keyword) this.emit(s, "item", leadIn && !leadIn.keyword ? `${leadIn.text} ${s.plain}` : s.plain, context);
        else if (k === 0 && leadIn?.keyword && !PERMISSIVE.test(s.bare)) {
          const text = `${leadIn.text} ${s.plain}`;
          this.push({ line: s.line, endLine: s.endLine, keyword: leadIn.keyword, text, words: text, context }, "item");
        }
      });
      if (nested) {
        const last = sentences.at(-1)!;
        const text = leadIn ? `${leadIn.text} ${last.plain}` : last.plain;
        this.list(children[1]!, depth + 1, { text, keyword: last.keyword ?? leadIn?.keyword ?? null, line: last.line, endLine: last.endLine }, quoted);
      }
      this.blocks(children.slice(nested ? 2 : 1), depth + 1, context, quoted);
    }
    // A lead-in whose items hold no requirement is one itself.
    if (leadIn?.keyword && this.out.requirements.length === before) {
      this.push({ line: leadIn.line, endLine: leadIn.endLine, keyword: leadIn.keyword, text: leadIn.text, words: leadIn.text, context: leadIn.text }, "prose");
    }
  }

  private table(table: MdNode): void {
    const rows = table.children ?? [];
    const header = rows[0] ? this.cells(rows[0]).map((c) => c.plain) : [];
    for (const row of rows.slice(1)) {
      const cells = this.cells(row);
      const plain = cells.map((c) => c.plain).join(" | ");
      const keyword = keywordOf(cells.map((c) => c.bare).join(" | "));
      if (!keyword || !row.position) continue;
      const line = this.lineOf(row.position.start.offset!);
      const labelled = cells.map((c, i) => (header[i] ? `${header[i]}: ${c.plain}` : c.plain)).join("; ");
      this.push({ line, endLine: line, keyword, text: plain, words: plain, context: labelled }, "row");
    }
  }

  private cells(row: MdNode): Array<{ plain: string; bare: string }> {
    // A cell's position takes in its pipes.
    return (row.children ?? []).map((cell) => {
      if (!cell.position) return { plain: "", bare: "" };
      const raw = withoutInlineComments(this.slice(cell.position.start.offset!, cell.position.end.offset!).slice(0, MAX_SENTENCE).replace(/^\s*\|?|\|?\s*$/g, ""));
      return { plain: plainText(raw), bare: plainText(withoutCode(raw)) };
    });
  }

  private code(node: MdNode): void {
    const start = node.position?.start;
    if (!start || start.offset === undefined) return;
    const fenced = /[`~]/.test(this.source.text[start.offset] ?? "");
    if (!fenced || this.fenceDepth >= MAX_FENCE_DEPTH) return; // indented code is an example
    const lang = (node.lang ?? "").toLowerCase();
    const valueLines = (node.value ?? "").split("\n");
    // The value's first line is the one after the opening fence.
    const fileLine = (k: number) => this.source.lines[this.lineOf(start.offset!) - 1 + 1 + k] ?? this.source.lines.at(-1)!;
    const take = (picked: Array<{ k: number; text: string }>) => {
      if (!picked.length) return;
      const text: string[] = [];
      const lines: number[] = [];
      let previous = -2;
      for (const { k, text: t } of picked) {
        if (k !== previous + 1 && text.length) {
          text.push(""); // lines apart in the block stay apart: a paragraph does not run across code
          lines.push(fileLine(previous));
        }
        text.push(t);
        lines.push(fileLine(k));
        previous = k;
      }
      // Fenced text is proposed specification text, not the SEP speaking of itself: no statements from it.
      read({ text: text.join("\n"), lines }, this.out, this.fences, this.fenceDepth + 1, null);
    };
    if (this.fences.prose.includes(lang)) take(valueLines.map((text, k) => ({ k, text })));
    else if (this.fences.diff.includes(lang)) take(valueLines.flatMap((t, k) => (t.startsWith("+") && !t.startsWith("+++") ? [{ k, text: uncomment(t.slice(1)) }] : [])));
    else if (this.fences.comments.includes(lang)) take(docComments(valueLines));
    else if (this.fences.json.includes(lang)) take(descriptions(valueLines));
  }

  private html(node: MdNode, around: string | null, quoted: boolean): void {
    if (!node.position) return;
    const raw = this.slice(node.position.start.offset!, node.position.end.offset!);
    const text = withoutHtmlComments(raw).replace(/<\/?[A-Za-z][^<>]{0,200}>/g, (tag) => " ".repeat(tag.length));
    const wanted = !quoted && this.wanted && this.fenceDepth === 0 && this.wanted(plainText(text.slice(0, MAX_SENTENCE * 4)));
    if (!wanted && !keywordOf(withoutCode(text))) return;
    const sentences = this.segment(node.position.start.offset!, text);
    if (wanted) this.state(sentences, "html");
    for (const s of sentences) this.emit(s, "prose", s.plain, join(around, plainText(text)));
  }

  /** The sentences `wanted` picks, of the SEP's own prose (not fenced text). */
  private state(sentences: Sentence[], where: Statement["where"]): void {
    if (!this.wanted || this.fenceDepth > 0) return;
    for (const s of sentences) {
      if (this.out.statements.length >= MAX_STATEMENTS) return;
      if (this.wanted(s.plain)) this.out.statements.push({ line: s.line, endLine: s.endLine, text: s.plain, raw: s.raw, where });
    }
  }

  private emit(s: Sentence, kind: Requirement["kind"], text: string, context: string): void {
    if (s.keyword) this.push({ line: s.line, endLine: s.endLine, keyword: s.keyword, text, words: obliging(s.said, s.saidBare), context }, kind);
  }

  private push(r: Omit<Requirement, "level" | "kind">, kind: Requirement["kind"]): void {
    if (this.out.requirements.length >= MAX_REQUIREMENTS) throw new UnreadableSection(`more than ${MAX_REQUIREMENTS} requirements`);
    this.out.requirements.push({ ...r, level: levelOf(r.keyword), kind: this.fenceDepth > 0 ? "fenced" : kind });
  }

  /** A paragraph's (or heading's) sentences, and its whole text. Inline HTML comments are blanked first: they hold nothing. */
  private sentences(node: MdNode): { sentences: Sentence[]; plain: string } {
    if (!node.position) return { sentences: [], plain: "" };
    const start = node.position.start.offset!;
    let raw = withoutInlineComments(this.slice(start, node.position.end.offset!));
    if (node.type === "heading") raw = raw.replace(/^#+/, (h) => " ".repeat(h.length));
    return { sentences: this.segment(start, raw), plain: plainText(raw.slice(0, MAX_SENTENCE * 4)) };
  }

  /** Unicode sentences of `raw` (which starts at `offset`), each with its lines. Line breaks inside a paragraph are spaces. */
  private segment(offset: number, raw: string): Sentence[] {
    const flat = raw.replace(/[\r\n]/g, " ");
    // What code spans hold, blanked at the same offsets: found over the whole block, since a span may hold a full stop.
    const bareFlat = withoutCode(flat);
    const out: Sentence[] = [];
    for (const { segment, index } of segments(flat)) {
      const lead = segment.length - segment.trimStart().length;
      const body = segment.trim();
      if (!body) continue;
      const plain = plainText(body.slice(0, MAX_SENTENCE));
      if (!plain) continue;
      const from = offset + index + lead;
      const bareBody = bareFlat.slice(index + lead, index + lead + Math.min(body.length, MAX_SENTENCE));
      const bare = plainText(bareBody);
      // "**No guarantee**: Clients MUST NOT ...": the bold label names the requirement, it is not part of what it asks.
      const label = LABEL.exec(body);
      const said = label ? plainText(body.slice(label[0].length, MAX_SENTENCE)) || plain : plain;
      const saidBare = label ? plainText(bareBody.slice(label[0].length)) || bare : bare;
      out.push({ raw: body.slice(0, MAX_SENTENCE), plain, bare, said, saidBare, line: this.fileLine(from), endLine: this.fileLine(from + body.length - 1), keyword: keywordOf(bare) });
    }
    return mergeShort(out);
  }

  private slice(from: number, to: number): string {
    return this.source.text.slice(from, to);
  }

  /** 1-based line of an offset in the source text. */
  private lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private fileLine(offset: number): number {
    return this.source.lines[this.lineOf(offset) - 1] ?? this.source.lines.at(-1) ?? 1;
  }
}

const SENTENCES = new Intl.Segmenter("en", { granularity: "sentence" });
/** The segmenter is given this much at a time: V8's takes quadratic time in the sentences of what it is given. */
const WINDOW = 2 * MAX_SENTENCE;

/**
 * Unicode sentences of `text` with their offsets, found a window at a time:
 * a window's last sentence may be cut, so the next window starts where it
 * starts; a sentence longer than a window is cut (it is no sentence).
 */
function* segments(text: string): Generator<{ segment: string; index: number }> {
  let at = 0;
  while (at < text.length) {
    const end = Math.min(text.length, at + WINDOW);
    const found: Array<{ segment: string; index: number }> = [];
    for (const { segment, index } of SENTENCES.segment(text.slice(at, end))) found.push({ segment, index: at + index });
    const whole = end === text.length || found.length < 2 ? found : found.slice(0, -1);
    yield* whole;
    const last = whole.at(-1)!;
    at = last.index + last.segment.length;
  }
}
/** MAY and OPTIONAL: an item that grants something does not borrow its lead-in's obligation. */
const LABEL = /^(?:\d+[.)]\s+)?(?:\*\*[^*\n]{1,80}\*\*\s*:|\*\*[^*\n]{1,80}:\*\*)\s*/;
const PERMISSIVE = /\b(MAY|OPTIONAL)\b/;

function join(a: string | null, b: string): string {
  return a ? `${a} ${b}` : b;
}

/** A sentence's clauses that oblige: "X SHOULD do A; ping remains available" obliges to A only. A keyword in code obliges nothing. */
function obliging(plain: string, bare: string): string {
  const clauses = plain.split(/;\s+/);
  const bareClauses = bare.split(/;\s+/);
  if (clauses.length !== bareClauses.length) return plain; // a semicolon inside code: read whole
  const binding = clauses.filter((_, i) => keywordOf(bareClauses[i]!));
  return binding.length && binding.length < clauses.length ? binding.join("; ") : plain;
}

/**
 * The segmenter ends a sentence after "e.g." or "RFC 9207 Section 2." when
 * a capital follows; a piece without a verb's worth of words is glued back.
 * Linear: pieces are gathered and joined once (a paragraph of 50,000 "<?"
 * is 50,000 pieces), and a sentence glued past MAX_SENTENCE takes no more.
 */
function mergeShort(sentences: Sentence[]): Sentence[] {
  const groups: Array<{ parts: Sentence[]; words: number; length: number }> = [];
  for (const s of sentences) {
    const previous = groups.at(-1);
    const last = previous?.parts.at(-1);
    if (previous && last && previous.length < MAX_SENTENCE && (/\b(e\.g|i\.e|etc|vs|cf|Sec|Section)\.$/i.test(last.plain.slice(-12)) || previous.words < 3)) {
      previous.parts.push(s);
      previous.words += s.plain.split(" ").length;
      previous.length += s.plain.length + 1;
    } else groups.push({ parts: [s], words: s.plain.split(" ").length, length: s.plain.length });
  }
  return groups.map(({ parts }) => {
    if (parts.length === 1) return parts[0]!;
    const joined = (key: "raw" | "plain" | "bare" | "said" | "saidBare") => parts.map((p) => p[key]).join(" ");
    const bare = joined("bare");
    return { raw: joined("raw"), plain: joined("plain"), bare, said: joined("said"), saidBare: joined("saidBare"), line: parts[0]!.line, endLine: parts.at(-1)!.endLine, keyword: keywordOf(bare) };
  });
}

/** A diff's added line in schema code: its comment markers dropped, so the doc text reads as prose. */
function uncomment(line: string): string {
  return line.replace(/^\s*(\/\*\*?|\*\/|\*(?!\*)|\/\/)\s?/, "").replace(/\s*\*\/\s*$/, "");
}

/** The doc comments of schema code, line by line: `/** ... *\/` blocks and `//` comments. */
function docComments(lines: readonly string[]): Array<{ k: number; text: string }> {
  const out: Array<{ k: number; text: string }> = [];
  let inBlock = false;
  lines.forEach((line, k) => {
    const trimmed = line.trim();
    if (inBlock) {
      const end = trimmed.indexOf("*/");
      out.push({ k, text: (end >= 0 ? trimmed.slice(0, end) : trimmed).replace(/^\*\s?/, "") });
      if (end >= 0) inBlock = false;
      return;
    }
    const open = trimmed.indexOf("/*");
    if (open >= 0) {
      const rest = trimmed.slice(open).replace(/^\/\*\*?\s?/, "");
      const end = rest.indexOf("*/");
      out.push({ k, text: end >= 0 ? rest.slice(0, end) : rest });
      inBlock = end < 0;
      return;
    }
    const slash = /(?:^|\s)\/\/\s?(.*)$/.exec(trimmed);
    if (slash) out.push({ k, text: slash[1]! });
  });
  return out;
}

/** JSON Schema's `"description"` strings, one per line. */
function descriptions(lines: readonly string[]): Array<{ k: number; text: string }> {
  return lines.flatMap((line, k) => {
    const m = /"description"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(line);
    if (!m) return [];
    let text: string;
    try {
      text = JSON.parse(`"${m[1]}"`) as string;
    } catch {
      text = m[1]!;
    }
    return [{ k, text }];
  });
}

/** HTML comments blanked out (offsets kept), found with indexOf: an unclosed `<!--` hides the rest, in linear time. */
function withoutHtmlComments(text: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const open = text.indexOf("<!--", at);
    if (open < 0) return out + text.slice(at);
    const close = text.indexOf("-->", open + 4);
    const end = close < 0 ? text.length : close + 3;
    out += text.slice(at, open) + text.slice(open, end).replace(/[^\n]/g, " ");
    at = end;
  }
}
