import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmTableFromMarkdown } from "mdast-util-gfm-table";
import { gfmTable } from "micromark-extension-gfm-table";
import type { Sep } from "../../sep/model.js";
import { keywordOf, levelOf, plainText, type Keyword, type Level } from "./normative.js";

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
 * - HTML comments hold nothing; other HTML keeps its text.
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

/** The sections the rules call the Specification, at the shallowest level any of them stands. */
export function specificationSections(sep: Pick<Sep, "headings" | "lineCount">, names: readonly string[]): SectionRange[] {
  const wanted = names.map(normalTitle);
  const matches = sep.headings.filter((h) => {
    const title = normalTitle(h.text);
    return wanted.some((name) => title === name || title.startsWith(`${name} `));
  });
  const depth = Math.min(...matches.map((h) => h.depth));
  return matches
    .filter((h) => h.depth === depth)
    .map((h) => {
      const next = sep.headings.find((o) => o.line > h.line && o.depth <= h.depth);
      return { heading: h.text.trim(), startLine: h.line, endLine: next ? next.line - 1 : sep.lineCount };
    });
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

interface MdNode {
  type: string;
  lang?: string | null;
  value?: string;
  children?: MdNode[];
  position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
}

/**
 * Emphasis and links are left unparsed: micromark resolves them in quadratic
 * time on hostile runs, and the text is made plain by `plainText` instead.
 */
const BLOCKS_ONLY = { disable: { null: ["attention", "labelStartImage", "labelStartLink", "labelEnd"] } };
/** Deeper nesting is hostile, not prose: it is not read (and the report says the section could not be read whole). */
const MAX_DEPTH = 40;
/** Fenced text inside fenced text inside ...: a SEP quoting its own template, at most. */
const MAX_FENCE_DEPTH = 3;
/** Real Specification sections state up to about fifty; past this it is not prose (and tracing it would cost seconds). */
const MAX_REQUIREMENTS = 500;
/** A "sentence" longer than this is not one; it is read up to here. */
const MAX_SENTENCE = 4000;

export class UnreadableSection extends Error {}

/** The requirements written in `lines` [startLine, endLine] of a file (1-based, inclusive). */
export function requirementsIn(fileLines: readonly string[], startLine: number, endLine: number, fences: FenceRules): Requirement[] {
  const lines: number[] = [];
  for (let l = startLine; l <= endLine && l <= fileLines.length; l++) lines.push(l);
  const out: Requirement[] = [];
  read({ text: lines.map((l) => fileLines[l - 1]!).join("\n"), lines }, out, fences, 0);
  return out.sort((a, b) => a.line - b.line || a.endLine - b.endLine);
}

/** Container markers (`>`, `-`, `1.`) opening a line: more than MAX_DEPTH is hostile, and micromark is slow on it. */
const CONTAINERS = /^(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))+/;

function read(source: Source, out: Requirement[], fences: FenceRules, fenceDepth: number): void {
  for (const line of source.text.split("\n")) {
    const prefix = CONTAINERS.exec(line)?.[0] ?? "";
    if (prefix.length > MAX_DEPTH && (prefix.match(/[>*+-]|\d[.)]/g)?.length ?? 0) > MAX_DEPTH) throw new UnreadableSection("nested deeper than any specification text");
    if (/^[ \t]*/.exec(line)![0].length > MAX_DEPTH * 8) throw new UnreadableSection("indented deeper than any specification text");
  }
  const tree = fromMarkdown(source.text, { extensions: [BLOCKS_ONLY, gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] }) as MdNode;
  const reader = new Reader(source, out, fences, fenceDepth);
  reader.blocks(tree.children ?? [], 0, null);
}

interface LeadIn {
  text: string;
  keyword: Keyword | null;
  line: number;
  endLine: number;
}

interface Sentence {
  plain: string;
  /** Without a leading bold label ("**Advertise capability**:"). */
  said: string;
  line: number;
  endLine: number;
  keyword: Keyword | null;
}

class Reader {
  private readonly starts: number[] = [0];
  constructor(
    private readonly source: Source,
    private readonly out: Requirement[],
    private readonly fences: FenceRules,
    private readonly fenceDepth: number,
  ) {
    for (let i = 0; i < source.text.length; i++) if (source.text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** Block siblings in order; a paragraph that ends with ":" right before a list is that list's lead-in. */
  blocks(nodes: MdNode[], depth: number, around: string | null): void {
    if (depth > MAX_DEPTH) throw new UnreadableSection("nested deeper than any specification text");
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const next = nodes[i + 1];
      switch (node.type) {
        case "paragraph":
        case "heading": {
          const { sentences, plain } = this.sentences(node);
          const context = join(around, plain);
          const last = sentences.at(-1);
          if (next?.type === "list" && last && last.plain.endsWith(":")) {
            for (const s of sentences.slice(0, -1)) this.emit(s, "prose", s.plain, context);
            this.list(next, depth, { text: last.plain, keyword: last.keyword, line: last.line, endLine: last.endLine });
            i++;
          } else for (const s of sentences) this.emit(s, "prose", s.plain, context);
          break;
        }
        case "list":
          this.list(node, depth, null);
          break;
        case "blockquote":
          this.blocks(node.children ?? [], depth + 1, around);
          break;
        case "table":
          this.table(node);
          break;
        case "code":
          this.code(node);
          break;
        case "html":
          this.html(node, around);
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
  private list(list: MdNode, depth: number, leadIn: LeadIn | null): void {
    if (depth > MAX_DEPTH) throw new UnreadableSection("nested deeper than any specification text");
    const before = this.out.length;
    for (const item of list.children ?? []) {
      const children = item.children ?? [];
      const first = children[0]?.type === "paragraph" ? children[0] : null;
      if (!first) {
        this.blocks(children, depth + 1, leadIn?.text ?? null);
        continue;
      }
      const { sentences, plain } = this.sentences(first);
      const context = join(leadIn?.text ?? null, plain);
      const nested = children[1]?.type === "list" && sentences.at(-1)?.plain.endsWith(":");
      const own = nested ? sentences.slice(0, -1) : sentences;
      own.forEach((s, k) => {
        if (s.keyword) this.emit(s, "item", leadIn && !leadIn.keyword ? `${leadIn.text} ${s.plain}` : s.plain, context);
        else if (k === 0 && leadIn?.keyword && !PERMISSIVE.test(s.plain)) {
          const text = `${leadIn.text} ${s.plain}`;
          this.push({ line: s.line, endLine: s.endLine, keyword: leadIn.keyword, text, words: text, context }, "item");
        }
      });
      if (nested) {
        const last = sentences.at(-1)!;
        const text = leadIn ? `${leadIn.text} ${last.plain}` : last.plain;
        this.list(children[1]!, depth + 1, { text, keyword: last.keyword ?? leadIn?.keyword ?? null, line: last.line, endLine: last.endLine });
      }
      this.blocks(children.slice(nested ? 2 : 1), depth + 1, context);
    }
    // A lead-in whose items hold no requirement is one itself.
    if (leadIn?.keyword && this.out.length === before) {
      this.push({ line: leadIn.line, endLine: leadIn.endLine, keyword: leadIn.keyword, text: leadIn.text, words: leadIn.text, context: leadIn.text }, "prose");
    }
  }

  private table(table: MdNode): void {
    const rows = table.children ?? [];
    const header = rows[0] ? this.cells(rows[0]) : [];
    for (const row of rows.slice(1)) {
      const cells = this.cells(row);
      const plain = cells.join(" | ");
      const keyword = keywordOf(plain);
      if (!keyword || !row.position) continue;
      const line = this.lineOf(row.position.start.offset!);
      const labelled = cells.map((c, i) => (header[i] ? `${header[i]}: ${c}` : c)).join("; ");
      this.push({ line, endLine: line, keyword, text: plain, words: plain, context: labelled }, "row");
    }
  }

  private cells(row: MdNode): string[] {
    // A cell's position takes in its pipes.
    return (row.children ?? []).map((cell) => (cell.position ? plainText(this.slice(cell.position.start.offset!, cell.position.end.offset!).replace(/^\s*\|?|\|?\s*$/g, "")) : ""));
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
      read({ text: text.join("\n"), lines }, this.out, this.fences, this.fenceDepth + 1);
    };
    if (this.fences.prose.includes(lang)) take(valueLines.map((text, k) => ({ k, text })));
    else if (this.fences.diff.includes(lang)) take(valueLines.flatMap((t, k) => (t.startsWith("+") && !t.startsWith("+++") ? [{ k, text: uncomment(t.slice(1)) }] : [])));
    else if (this.fences.comments.includes(lang)) take(docComments(valueLines));
    else if (this.fences.json.includes(lang)) take(descriptions(valueLines));
  }

  private html(node: MdNode, around: string | null): void {
    if (!node.position) return;
    const raw = this.slice(node.position.start.offset!, node.position.end.offset!);
    const text = withoutHtmlComments(raw).replace(/<\/?[A-Za-z][^<>]{0,200}>/g, (tag) => " ".repeat(tag.length));
    if (!keywordOf(text)) return;
    for (const s of this.segment(node.position.start.offset!, text)) this.emit(s, "prose", s.plain, join(around, plainText(text)));
  }

  private emit(s: Sentence, kind: Requirement["kind"], text: string, context: string): void {
    if (s.keyword) this.push({ line: s.line, endLine: s.endLine, keyword: s.keyword, text, words: obliging(s.said), context }, kind);
  }

  private push(r: Omit<Requirement, "level" | "kind">, kind: Requirement["kind"]): void {
    if (this.out.length >= MAX_REQUIREMENTS) throw new UnreadableSection(`more than ${MAX_REQUIREMENTS} requirements`);
    this.out.push({ ...r, level: levelOf(r.keyword), kind: this.fenceDepth > 0 ? "fenced" : kind });
  }

  /** A paragraph's (or heading's) sentences, and its whole text. */
  private sentences(node: MdNode): { sentences: Sentence[]; plain: string } {
    if (!node.position) return { sentences: [], plain: "" };
    const start = node.position.start.offset!;
    let raw = this.slice(start, node.position.end.offset!);
    if (node.type === "heading") raw = raw.replace(/^#+/, (h) => " ".repeat(h.length));
    return { sentences: this.segment(start, raw), plain: plainText(raw.slice(0, MAX_SENTENCE * 4)) };
  }

  /** Unicode sentences of `raw` (which starts at `offset`), each with its lines. Line breaks inside a paragraph are spaces. */
  private segment(offset: number, raw: string): Sentence[] {
    const flat = raw.replace(/[\r\n]/g, " ");
    const out: Sentence[] = [];
    for (const { segment, index } of SENTENCES.segment(flat)) {
      const lead = segment.length - segment.trimStart().length;
      const body = segment.trim();
      if (!body) continue;
      const plain = plainText(body.slice(0, MAX_SENTENCE));
      if (!plain) continue;
      const from = offset + index + lead;
      // "**No guarantee**: Clients MUST NOT ...": the bold label names the requirement, it is not part of what it asks.
      const label = LABEL.exec(body);
      const said = label ? plainText(body.slice(label[0].length, MAX_SENTENCE)) || plain : plain;
      out.push({ plain, said, line: this.fileLine(from), endLine: this.fileLine(from + body.length - 1), keyword: keywordOf(plain) });
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
/** MAY and OPTIONAL: an item that grants something does not borrow its lead-in's obligation. */
const LABEL = /^(?:\d+[.)]\s+)?(?:\*\*[^*\n]{1,80}\*\*\s*:|\*\*[^*\n]{1,80}:\*\*)\s*/;
const PERMISSIVE = /\b(MAY|OPTIONAL)\b/;

function join(a: string | null, b: string): string {
  return a ? `${a} ${b}` : b;
}

/** A sentence's clauses that oblige: "X SHOULD do A; ping remains available" obliges to A only. */
function obliging(plain: string): string {
  const clauses = plain.split(/;\s+/);
  const binding = clauses.filter((c) => keywordOf(c));
  return binding.length && binding.length < clauses.length ? binding.join("; ") : plain;
}

/**
 * The segmenter ends a sentence after "e.g." or "RFC 9207 Section 2." when
 * a capital follows; a piece without a verb's worth of words is glued back.
 */
function mergeShort(sentences: Sentence[]): Sentence[] {
  const out: Sentence[] = [];
  for (const s of sentences) {
    const previous = out.at(-1);
    if (previous && (/\b(e\.g|i\.e|etc|vs|cf|Sec|Section)\.$/i.test(previous.plain) || previous.plain.split(" ").length < 3)) {
      const plain = `${previous.plain} ${s.plain}`;
      out[out.length - 1] = { plain, said: `${previous.said} ${s.said}`, line: previous.line, endLine: s.endLine, keyword: keywordOf(plain) };
    } else out.push(s);
  }
  return out;
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
