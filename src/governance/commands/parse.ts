import { fromMarkdown } from "mdast-util-from-markdown";

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
 * Only block structure and code and HTML matter here. Emphasis and link
 * brackets are switched off: micromark resolves them in quadratic time on
 * hostile runs (`**a` x 20,000 took seconds), and they never hide a command.
 */
const BLOCKS_ONLY = { disable: { null: ["attention", "labelStartImage", "labelStartLink", "labelEnd"] } };
/** The same without inline HTML: the first look, for where the paragraphs are. */
const NO_INLINE_HTML = { disable: { null: [...BLOCKS_ONLY.disable.null, "htmlText"] } };

export function parseCommands(body: string | null | undefined): CommandLine[] {
  if (!body || body.length > MAX_BODY || !CANDIDATE.test(body)) return [];
  const cached = body.length > LONG ? READ.get(body) : undefined;
  if (cached) return cached.map((c) => ({ ...c }));
  let lines: CommandLine[];
  try {
    lines = readCommands(body);
  } catch {
    lines = []; // nothing a person writes may throw out of here (a stack overflow included)
  }
  if (body.length > LONG) remember(body, lines.map((c) => ({ ...c })));
  return lines;
}

/**
 * Long comments read before, by their text: every reconcile of a pull request
 * reads all its comments again, and a long hostile one (64 KB of `x<y` lines)
 * still costs micromark seconds. Read once per process instead.
 */
const LONG = 4_096;
const READ = new Map<string, CommandLine[]>();
function remember(body: string, lines: CommandLine[]): void {
  if (READ.size >= 200) READ.delete(READ.keys().next().value!);
  READ.set(body, lines);
}

/** `guarded: false` reads inline HTML as micromark alone does: the tests' oracle for the guard. */
export function readCommands(body: string, { guarded = true } = {}): CommandLine[] {
  const text = body.replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  const tree = fromMarkdown(guarded ? withoutUnclosedHtml(text) : text, { extensions: [BLOCKS_ONLY] }) as Node;
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
      collectHidden(node, hidden);
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

/** Offsets of inline HTML (`<!-- ... -->`) and code spans in a paragraph: a line starting inside one is no command. */
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

/**
 * Inline HTML that opens and never closes in its paragraph (`<?`, `<!--`,
 * `<!X`, `<![CDATA[` with no `?>`, `-->`, `>`, `]]>` after it) is no HTML,
 * but micromark tries each such opener to the paragraph's end: 32 KB of `<?`
 * took 30 s. Those openers are made plain text (`<` -> `x`, the same length,
 * so every offset stays) before the real read. Exact: a construct without its
 * closer is text either way, and a `<` inside a paragraph starts no block.
 */
function withoutUnclosedHtml(text: string): string {
  if (!text.includes("<")) return text;
  const tree = fromMarkdown(text, { extensions: [NO_INLINE_HTML] }) as Node;
  const chars = text.split("");
  let changed = false;
  const stack: Node[] = [tree];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === "paragraph") {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start !== undefined && end !== undefined && text.slice(start, end).includes("<")) changed = neutralize(text, start, end, chars) || changed;
      continue;
    }
    stack.push(...(node.children ?? []));
  }
  return changed ? chars.join("") : text;
}

const HTML_OPENERS: ReadonlyArray<{ open: RegExp; close: string }> = [
  { open: /<!--/g, close: "-->" },
  { open: /<\?/g, close: "?>" },
  { open: /<!\[CDATA\[/g, close: "]]>" },
  { open: /<![A-Za-z]/g, close: ">" },
];

/** Each opener in text[start, end) whose closer does not follow it there becomes text; true when one did. */
function neutralize(text: string, start: number, end: number, chars: string[]): boolean {
  const paragraph = text.slice(start, end);
  let changed = false;
  for (const { open, close } of HTML_OPENERS) {
    const last = paragraph.lastIndexOf(close);
    open.lastIndex = 0;
    for (let m = open.exec(paragraph); m; m = open.exec(paragraph)) {
      if (last < m.index + m[0].length) {
        chars[start + m.index] = "x";
        changed = true;
      }
    }
  }
  return changed;
}

/** Whether a comment holds anything that looks like a command: decides if it is worth a reconcile. */
export function mayHoldCommand(body: string | null | undefined): boolean {
  return parseCommands(body).length > 0;
}
