import { fromMarkdown } from "mdast-util-from-markdown";
import { BLOCKS_ONLY } from "../final/markdown.js";
import { hiddenSpans } from "./hidden.js";

/**
 * Slash commands in a comment, as people write them: a line whose first word
 * is `/name` (any case), then arguments and free text. Several commands may
 * stand in one comment, one per line. What markdown shows as code, a quote
 * (`> /accept` quotes someone) or an HTML comment is not a command, so the
 * comment is read as CommonMark (mdast-util-from-markdown, the parser behind
 * remark) and only paragraph lines outside block quotes count. A slash path
 * (`/usr/bin`) is not a command: the name must end at a space or the line's end.
 *
 * Pure and total: any string in, a list out, never a throw.
 */

export interface CommandLine {
  /** The command name, lowercased, without the slash: "accept". */
  name: string;
  /** Everything after the name on that line, trimmed: arguments and reason. */
  rest: string;
  /** 1-based line in the comment. */
  line: number;
  /** The line as written (trimmed), for replies and the audit log. */
  text: string;
}

/** Comments are capped at 65,536 characters by GitHub; anything longer is not ours to read. */
const MAX_BODY = 65_536;
const MAX_COMMANDS = 20;
/** `/name` then a space or the end: `/accept`, `/status in-review`; not `/usr/bin`, `/accept.`. */
const COMMAND = /^ {0,3}\/([A-Za-z][A-Za-z0-9-]{0,39})(?:[ \t]+(.*))?$/;
/** Cheap first look: most comments have no line starting with a slash and need no parse. */
const CANDIDATE = /^ {0,3}\/[A-Za-z]/m;

interface Node {
  type: string;
  children?: Node[];
  position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
}

/**
 * The oracle's reading: blocks, code spans and inline HTML, with emphasis
 * and link brackets off (they never hide a command).
 */
const INLINE_CODE_AND_HTML = { disable: { null: ["attention", "labelStartImage", "labelStartLink", "labelEnd"] } };

export function parseCommands(body: string | null | undefined): CommandLine[] {
  if (!body || body.length > MAX_BODY || !CANDIDATE.test(body)) return [];
  try {
    return readCommands(body);
  } catch {
    return []; // nothing a person writes may throw out of here (a stack overflow included)
  }
}

/**
 * The comment's command lines. Blocks come from micromark with inline parsing
 * off (final/markdown.ts: linear on any text); the code spans and inline HTML
 * that hide a line are found by hidden.ts. `oracle: true` reads them with
 * micromark itself, quadratic on hostile text: the tests' reference.
 */
export function readCommands(body: string, { oracle = false } = {}): CommandLine[] {
  const text = body.replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  const tree = fromMarkdown(text, { extensions: oracle ? [INLINE_CODE_AND_HTML] : BLOCKS_ONLY }) as Node;
  // Lines that begin inside a paragraph outside any block quote, minus those inside inline HTML or code spans.
  // Walked with a stack, not recursion: 10,000 nested quotes must not overflow it.
  const eligible = new Set<number>();
  const hidden: Array<[number, number]> = [];
  const stack: Array<{ node: Node; quoted: boolean }> = [{ node: tree, quoted: false }];
  while (stack.length) {
    const { node, quoted: outer } = stack.pop()!;
    if (node.type === "code" || node.type === "html") continue;
    const quoted = outer || node.type === "blockquote";
    if (node.type === "paragraph" && !quoted && node.position) {
      for (let line = node.position.start.line; line <= node.position.end.line; line++) eligible.add(line);
      if (oracle) collectHidden(node, hidden);
      else if (node.position.start.offset !== undefined && node.position.end.offset !== undefined) hidden.push(...hiddenSpans(text, node.position.start.offset, node.position.end.offset));
      continue;
    }
    for (const child of node.children ?? []) stack.push({ node: child, quoted });
  }

  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const out: CommandLine[] = [];
  for (const line of [...eligible].sort((a, b) => a - b)) {
    const raw = lines[line - 1] ?? "";
    const match = COMMAND.exec(raw.trimEnd());
    if (!match) continue;
    const offset = lineStarts[line - 1]! + raw.indexOf("/");
    if (hidden.some(([start, end]) => offset >= start && offset < end)) continue;
    out.push({ name: match[1]!.toLowerCase(), rest: (match[2] ?? "").trim(), line, text: raw.trim() });
    if (out.length >= MAX_COMMANDS) break;
  }
  return out;
}

/** The oracle's spans: offsets of inline HTML (`<!-- ... -->`) and code spans micromark found in a paragraph. */
function collectHidden(paragraph: Node, into: Array<[number, number]>): void {
  const stack = [...(paragraph.children ?? [])];
  while (stack.length) {
    const child = stack.pop()!;
    if ((child.type === "html" || child.type === "inlineCode") && child.position?.start.offset !== undefined && child.position.end.offset !== undefined) {
      into.push([child.position.start.offset, child.position.end.offset]);
    }
    stack.push(...(child.children ?? []));
  }
}

/** Whether a comment holds anything that looks like a command: decides if it is worth a reconcile. */
export function mayHoldCommand(body: string | null | undefined): boolean {
  return parseCommands(body).length > 0;
}
