/**
 * Line-based CommonMark block scanner: finds the top-level headings of a
 * markdown document and classifies every line, without building an AST.
 *
 * Why not just use remark? remark-parse tokenizes everything (inlines
 * included) at roughly 1 MB/s; linting thousands of large SEPs needs the
 * block structure only, at hundreds of MB/s. remark-parse (micromark) is
 * still the reference: test/unit/sep/blocks.test.ts diff-tests this scanner
 * against it on hand-written cases, real SEPs and random documents.
 *
 * ## How it works
 *
 * This is the block phase of the CommonMark "parsing strategy" (spec
 * appendix A, as implemented by commonmark.js), reduced to what headings
 * need:
 *
 * 1. For every line, walk the stack of open containers (block quotes and
 *    list items) from the outside in; each either consumes its marker or
 *    indentation from the line (`continueContainers`) or stops the walk.
 * 2. If every container continued, the open leaf block (paragraph, fenced
 *    code, indented code, HTML block) gets a chance to take the line.
 * 3. Otherwise (or if the leaf is a paragraph, which can be interrupted)
 *    try block starts at the current position (`startBlocks`): new
 *    containers repeat the loop; a leaf ends it.
 * 4. What remains is paragraph text: a *lazy continuation* of an open
 *    paragraph if some containers did not continue, else a new paragraph.
 *
 * Only one leaf is ever open (the "tip"), and it always belongs to the
 * innermost open container, so the state is a flat container stack plus a
 * few leaf fields. Nothing recurses, and no node objects are created.
 *
 * ## Complexity (hostile input)
 *
 * Every step consumes characters of the line, with three exceptions that
 * are handled explicitly to stay O(total chars):
 *
 * - A blank line continues every list item without consuming anything;
 *   with 10,000 nested items every blank line would cost 10,000 steps.
 *   `quotes` (the sorted depths of open block quotes, the only containers a
 *   blank line ends) answers "how far does a blank line get" by binary
 *   search.
 * - Leading whitespace is scanned once per line (`findNextNonspace` memo),
 *   not once per nesting level.
 * - `- - - ... - x` opens one list item per marker, and each one asks "is the
 *   rest of the line a thematic break?"; that answer is precomputed per line
 *   (`isThematicBreak`), as is "is the rest of the line blank?".
 *
 * ## Agreement with remark-parse (micromark 4)
 *
 * Where micromark deviates from the letter of the CommonMark spec (or from
 * commonmark.js), this scanner follows micromark, because remark is what the
 * rest of sep-bot and its users see. Each quirk is marked "micromark" at its
 * place in the code:
 *
 * - Container starts are "interrupting" (empty list items and ordered items
 *   not starting at exactly `1` are refused) when every open container
 *   continued and the innermost leaf is a paragraph *or an indented code
 *   block* (including blank lines after it), and this persists for every
 *   container opened on that line: `a\n> 2. b` is a paragraph in a quote,
 *   not a list; `    code\n-` is code followed by the paragraph `-`.
 * - An HTML block of type 7 (any complete tag alone on a line) may start on
 *   a lazy line; it then stays inside the open containers and ends at the
 *   next line that does not continue them all.
 * - Indented code that starts on a lazy line ends on that line.
 * - An empty list item survives blank lines and closes at the next
 *   non-blank line (instead of at the blank line), which decides whether
 *   that line is lazy.
 * - A whitespace-only line of 4+ columns inside indented code is code.
 * - HTML end conditions follow micromark's state machine (e.g. `]]]>` does
 *   not close a CDATA block).
 * - A setext heading whose paragraph starts with link reference definitions
 *   starts (line/column) at the first definition, as remark reports it; its
 *   `text` excludes the definitions. A paragraph consisting only of
 *   definitions is never a heading, and its would-be underline starts a new
 *   paragraph (or is a thematic break), so `[a]: /u\n===\n===` is an h1 on
 *   line 2.
 *
 * With these, the test suite finds no disagreement on headings (depth, line,
 * column, end line, plain text) or on line kinds, over hand-written cases,
 * the real SEPs, and random documents from four generators (hundreds of
 * thousands were run while developing). Not covered by the generators, so
 * less certain: link labels near micromark's 999-character limit, and
 * documents whose lines contain "\r" or other line separators (the caller
 * normalizes those away).
 *
 * ## Line kinds
 *
 * Every line gets the kind of the leaf block that contains it. Lines that
 * hold only container markers (`>`, an empty list item `-`) are PROSE;
 * whitespace-only lines are BLANK unless they are inside a fenced code block
 * or HTML block of types 1-5 (CODE / HTML), or between two lines of an
 * indented code block (CODE).
 */

export type LineKind = 0 | 1 | 2 | 3 | 4 | 5;
// 0 blank, 1 prose (paragraph text, list item text, table row, blockquote text, thematic break),
// 2 code (inside a fenced code block incl. its fence lines, or an indented code block),
// 3 html (inside an HTML block, including HTML comments <!-- ... -->),
// 4 heading (an ATX heading line, or both lines of a setext heading: text line(s) and underline),
// 5 container-heading (a heading nested inside a list item or blockquote: not top-level)
export const LINE_BLANK = 0,
  LINE_PROSE = 1,
  LINE_CODE = 2,
  LINE_HTML = 3,
  LINE_HEADING = 4,
  LINE_NESTED_HEADING = 5;

export interface Heading {
  depth: 1 | 2 | 3 | 4 | 5 | 6;
  /** Raw inline content, trimmed; ATX closing #s removed; setext lines joined with " ". */
  text: string;
  /** 1-based line of the heading's first line. */
  line: number;
  /** 1-based column (UTF-16 code units) of the first '#' (ATX) or first non-space char (setext). */
  column: number;
  /** 1-based last line (ATX: same as line; setext: the underline line). */
  endLine: number;
  kind: "atx" | "setext";
}

export interface BlockScan {
  /** Top-level headings only, in document order. */
  headings: Heading[];
  /** One entry per input line (index 0 = line 1). */
  lineKinds: Uint8Array;
}

/**
 * Scan `lines` (the document split on "\n", with "\r" and a leading BOM
 * already removed) for block structure. O(total characters), never throws
 * on any string input.
 */
export function scanBlocks(lines: readonly string[]): BlockScan {
  return new BlockScanner(lines).run();
}

// ---------------------------------------------------------------------------
// Character codes

const TAB = 9,
  NEWLINE = 10,
  SPACE = 32,
  BANG = 33,
  DQUOTE = 34,
  HASH = 35,
  SQUOTE = 39,
  LPAREN = 40,
  RPAREN = 41,
  STAR = 42,
  PLUS = 43,
  DASH = 45,
  DOT = 46,
  SLASH = 47,
  DIGIT0 = 48,
  DIGIT1 = 49,
  DIGIT9 = 57,
  COLON = 58,
  LT = 60,
  EQ = 61,
  GT = 62,
  QUESTION = 63,
  LBRACKET = 91,
  BACKSLASH = 92,
  RBRACKET = 93,
  UNDERSCORE = 95,
  BACKTICK = 96,
  TILDE = 126,
  DEL = 127;

const isSpaceOrTab = (c: number): boolean => c === SPACE || c === TAB;
const isDigit = (c: number): boolean => c >= DIGIT0 && c <= DIGIT9;
const isAlpha = (c: number): boolean => (c | 0x20) >= 97 && (c | 0x20) <= 122;
const isAlnum = (c: number): boolean => isAlpha(c) || isDigit(c);

// Container kinds on the stack.
const C_QUOTE = 1,
  C_ITEM = 2;

// The open leaf block (at most one, child of the innermost container).
const L_NONE = 0,
  L_PARA = 1,
  L_FENCE = 2,
  L_INDENTED = 3,
  L_HTML = 4;

// HTML block start conditions (CommonMark 4.6), as block-level tag names.
const HTML_RAW_NAMES = new Set(["pre", "script", "style", "textarea"]);
const HTML_BLOCK_NAMES = new Set(
  (
    "address article aside base basefont blockquote body caption center col colgroup dd details " +
    "dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 " +
    "head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup option " +
    "p param search section summary table tbody td tfoot th thead title tr track ul"
  ).split(" "),
);
const HTML_LONGEST_NAME = 10; // "blockquote", "figcaption"

// States of the HTML end-condition scanner (micromark html-flow "continuation*").
const H_CONT = 0,
  H_COMMENT_DASH = 1,
  H_RAW_LT = 2,
  H_RAW_NAME = 3,
  H_CDATA_BRACKET = 4,
  H_DECL = 5;

// ---------------------------------------------------------------------------

class BlockScanner {
  private readonly lines: readonly string[];
  private readonly kinds: Uint8Array;
  private readonly headings: Heading[] = [];

  // --- Cursor over the current line (same model as commonmark.js). Columns
  // are virtual: a tab advances to the next multiple of 4, and may be
  // consumed partially (`offset` stays on the tab, `column` moves).
  private ln = "";
  private lineIndex = 0;
  private offset = 0;
  private column = 0;
  private nextNonspace = 0;
  private nextNonspaceColumn = 0;
  /** Columns of whitespace between the cursor and `nextNonspace`. */
  private indent = 0;
  /** Nothing but whitespace from the cursor to the end of the line. */
  private blank = false;

  // --- Per-line memos (see "Complexity" above).
  /** `findNextNonspace` result is reusable while `offset <= nnValidTo`. */
  private nnValidTo = -1;
  private memoLine = -1;
  private lastNonWs = -1;
  private tbChar = -1;
  private tbFrom = 0;
  private tbThird = -1;

  // --- Container stack; index 0 is the document, 1..depth are open.
  private depth = 0;
  private readonly cType: number[] = [0];
  /** List items: columns of indentation that continue the item (marker offset + padding). */
  private readonly cIndent: number[] = [0];
  /** List items: has the item got any content yet? */
  private readonly cHasChild: boolean[] = [true];
  /**
   * List items: still empty, and followed by a blank line. "A list item can
   * begin with at most one blank line" (5.2): like micromark, the item
   * survives the blank lines but not the next non-blank line.
   */
  private readonly cBlankAfterEmpty: boolean[] = [false];
  /** Ascending depths of the open block quotes (a blank line ends the outermost). */
  private readonly quotes: number[] = [];

  // --- The open leaf block.
  private leaf = L_NONE;
  private fenceChar = 0;
  private fenceLength = 0;
  private htmlType = 0;
  /** Indented code: first of the blank lines seen since its last code line, or -1. */
  private codeBlankFrom = -1;
  /** Paragraph: its lines and the offset of each line's text. */
  private paraStart = 0;
  private paraColumn = 0;
  private paraCount = 0;
  private readonly paraLines: number[] = [];
  private readonly paraOffsets: number[] = [];

  // --- Out-parameters of `htmlStartCondition` (where the end-condition scan starts).
  private htmlScanFrom = 0;
  private htmlScanState = H_CONT;

  constructor(lines: readonly string[]) {
    this.lines = lines;
    this.kinds = new Uint8Array(lines.length);
  }

  run(): BlockScan {
    const lines = this.lines;
    for (let i = 0; i < lines.length; i++) {
      this.lineIndex = i;
      this.ln = lines[i] ?? "";
      this.processLine();
    }
    // Nothing to finalize at the end: an unterminated fence or HTML block
    // simply runs to the end of the document (CommonMark 4.5, 4.6).
    return { headings: this.headings, lineKinds: this.kinds };
  }

  // =========================================================================
  // One line

  private processLine(): void {
    this.offset = 0;
    this.column = 0;
    this.nnValidTo = -1;
    this.findNextNonspace();

    const matched = this.continueContainers();
    const allMatched = matched === this.depth;
    const leaf = this.leaf;

    // Step 2: can the open leaf take the line as it is?
    let paraContinues = false;
    if (allMatched) {
      switch (leaf) {
        case L_PARA:
          paraContinues = !this.blank;
          break;
        case L_FENCE:
          // Fenced code is "concrete": no block start can interrupt it; it
          // ends at a closing fence (4.5) or when a container ends.
          this.setKind(LINE_CODE);
          if (this.isClosingFence()) this.leaf = L_NONE;
          return;
        case L_INDENTED:
          if (this.blank && this.indent < 4) {
            // Blank lines belong to indented code only if more code follows
            // (4.4): classify them once we know. (micromark counts a line
            // of 4+ columns of whitespace as code right away.)
            if (this.codeBlankFrom < 0) this.codeBlankFrom = this.lineIndex;
            return;
          }
          if (this.indent >= 4) {
            for (let j = this.codeBlankFrom; j >= 0 && j < this.lineIndex; j++) this.kinds[j] = LINE_CODE;
            this.codeBlankFrom = -1;
            this.setKind(LINE_CODE);
            return;
          }
          break;
        case L_HTML:
          // Types 6 and 7 end at a blank line (which is not part of them);
          // types 1-5 end at the line containing their end condition.
          if (this.blank && this.htmlType >= 6) break;
          this.setKind(LINE_HTML);
          if (this.htmlType <= 5 && this.htmlEnds(this.offset, H_CONT)) this.leaf = L_NONE;
          return;
      }
    }

    this.startBlocks(matched, allMatched, paraContinues);
  }

  /**
   * Step 1: how many open containers does this line continue? Consumes their
   * markers/indentation from the line.
   */
  private continueContainers(): number {
    const ln = this.ln;
    const depth = this.depth;
    let matched = 0;
    while (matched < depth) {
      if (this.blank) return this.continueContainersWithBlank(matched);
      const next = matched + 1;
      if (this.cType[next] === C_QUOTE) {
        // 5.1: a quote continues with `>` after 0-3 spaces.
        if (this.indent > 3 || ln.charCodeAt(this.nextNonspace) !== GT) break;
        this.consumeQuoteMarker();
      } else {
        // 5.2: an item continues with lines indented by its content width.
        const need = this.cIndent[next]!;
        if (this.indent < need || this.cBlankAfterEmpty[next]) break;
        this.advanceOffset(need, true);
      }
      matched = next;
      this.findNextNonspace();
    }
    return matched;
  }

  /**
   * Step 3 and 4: block starts, then paragraph text.
   *
   * @param matched   how many containers the line continued
   * @param allMatched whether that is all of them
   * @param paraContinues the open paragraph (all containers matched, non-blank line) takes the line unless interrupted
   */
  private startBlocks(matched: number, allMatched: boolean, paraContinues: boolean): void {
    const ln = this.ln;
    let cont = matched; // the container new blocks are added to
    let contIsPara = paraContinues; // the line is (so far) a non-lazy continuation of the open paragraph
    // micromark decides once per line whether container starts "interrupt"
    // (see the divergences note at the top).
    const interrupting = allMatched && (this.leaf === L_PARA || this.leaf === L_INDENTED);
    let opened = false; // a container was opened on this line (which closed the old leaf)

    for (;;) {
      if (this.blank) break;
      if (this.indent >= 4) {
        // 4.4: indented code cannot interrupt a paragraph, including a lazy one.
        if (this.leaf !== L_PARA) {
          const lazy = !opened && !allMatched;
          this.openBlock(cont);
          this.setKind(LINE_CODE);
          // micromark quirk: indented code that starts on a lazy line (one
          // that did not continue all containers) ends on that line.
          this.leaf = lazy ? L_NONE : L_INDENTED;
          this.codeBlankFrom = -1;
          return;
        }
        break;
      }
      const p = this.nextNonspace;
      const c = ln.charCodeAt(p);
      if (c === GT) {
        // 5.1 block quote marker.
        this.openBlock(cont);
        this.consumeQuoteMarker();
        this.pushContainer(C_QUOTE, 0);
        cont++;
        contIsPara = false;
        opened = true;
        this.findNextNonspace();
        continue;
      }
      if (c === HASH) {
        if (this.tryAtxHeading(cont)) return;
        break;
      }
      if (c === BACKTICK || c === TILDE) {
        if (this.tryFenceOpen(cont)) return;
        break;
      }
      if (c === LT) {
        // 4.6: a type 7 HTML block cannot interrupt a paragraph, but
        // micromark lets it interrupt a lazy continuation line.
        const lazy = !opened && !allMatched && this.leaf === L_PARA;
        if (this.tryHtmlOpen(cont, !contIsPara, lazy)) return;
        break;
      }
      if ((c === EQ || c === DASH) && contIsPara && this.isSetextUnderline(p, c)) {
        if (this.trySetextHeading(c)) return;
        // The paragraph was only link reference definitions (4.3): it has
        // ended, and this line is a thematic break or starts a paragraph.
        contIsPara = false;
        if (c === EQ) break;
      }
      if ((c === STAR || c === DASH || c === UNDERSCORE) && this.isThematicBreak(p, c)) {
        // 4.1; checked before list items: `* * *` is a break, not a list.
        this.openBlock(cont);
        this.setKind(LINE_PROSE);
        return;
      }
      if (c === STAR || c === DASH || c === PLUS || isDigit(c)) {
        if (this.tryListItem(cont, interrupting)) {
          cont++;
          contIsPara = false;
          opened = true;
          this.findNextNonspace();
          continue;
        }
      }
      break;
    }

    // Step 4: paragraph text.
    if (contIsPara) {
      this.addParagraphLine();
      return;
    }
    if (!opened && this.leaf === L_PARA && !this.blank) {
      // Lazy continuation line (5.1, 5.2): not every container continued,
      // but the text still continues the paragraph; containers stay open.
      this.addParagraphLine();
      return;
    }
    if (this.blank) {
      this.closeInside(cont);
      this.setKind(this.lastNonWhitespace() < 0 ? LINE_BLANK : LINE_PROSE);
      return;
    }
    this.openBlock(cont);
    this.leaf = L_PARA;
    this.paraStart = this.lineIndex;
    this.paraColumn = this.nextNonspace + 1;
    this.paraCount = 0;
    this.addParagraphLine();
  }

  // =========================================================================
  // Block starts

  /** 4.2: 1-6 `#` followed by space, tab or end of line. */
  private tryAtxHeading(cont: number): boolean {
    const ln = this.ln;
    const len = ln.length;
    const p = this.nextNonspace;
    let q = p;
    while (q < len && q - p < 7 && ln.charCodeAt(q) === HASH) q++;
    const level = q - p;
    if (level > 6) return false;
    if (q < len && !isSpaceOrTab(ln.charCodeAt(q))) return false;
    this.openBlock(cont);
    if (cont === 0) {
      this.setKind(LINE_HEADING);
      const line = this.lineIndex + 1;
      this.headings.push({
        depth: level as Heading["depth"],
        text: atxHeadingText(ln, q),
        line,
        column: p + 1,
        endLine: line,
        kind: "atx",
      });
    } else {
      this.setKind(LINE_NESTED_HEADING);
    }
    return true;
  }

  /** 4.5: 3+ backticks (info string without backticks) or 3+ tildes. */
  private tryFenceOpen(cont: number): boolean {
    const ln = this.ln;
    const len = ln.length;
    const p = this.nextNonspace;
    const c = ln.charCodeAt(p);
    let q = p;
    while (q < len && ln.charCodeAt(q) === c) q++;
    if (q - p < 3) return false;
    if (c === BACKTICK && ln.indexOf("`", q) !== -1) return false;
    this.openBlock(cont);
    this.leaf = L_FENCE;
    this.fenceChar = c;
    this.fenceLength = q - p;
    this.setKind(LINE_CODE);
    return true;
  }

  /** 4.5: same character, at least as long, 0-3 spaces indent, only whitespace after. */
  private isClosingFence(): boolean {
    if (this.blank || this.indent > 3) return false;
    const ln = this.ln;
    const len = ln.length;
    const p = this.nextNonspace;
    let q = p;
    while (q < len && ln.charCodeAt(q) === this.fenceChar) q++;
    if (q - p < this.fenceLength) return false;
    while (q < len && isSpaceOrTab(ln.charCodeAt(q))) q++;
    return q === len;
  }

  private tryHtmlOpen(cont: number, allowType7: boolean, lazy: boolean): boolean {
    const type = this.htmlStartCondition(this.nextNonspace, allowType7);
    if (type === 0) return false;
    if (type === 7 && lazy) {
      // micromark quirk: the block goes inside the innermost open container
      // (which stays open although this line did not continue it) and ends
      // at the next line that does not continue all containers.
      this.leaf = L_HTML;
      this.htmlType = 7;
      this.setKind(LINE_HTML);
      return true;
    }
    this.openBlock(cont);
    this.leaf = L_HTML;
    this.htmlType = type;
    this.setKind(LINE_HTML);
    if (type <= 5 && this.htmlEnds(this.htmlScanFrom, this.htmlScanState)) this.leaf = L_NONE;
    return true;
  }

  /**
   * 4.3: the open paragraph becomes a setext heading, unless it consists
   * only of link reference definitions (then the paragraph just ends and
   * false is returned). As in remark (micromark), the heading's position
   * starts with the paragraph, leading definitions included.
   */
  private trySetextHeading(c: number): boolean {
    const firstTextLine = this.firstNonDefinitionLine();
    if (firstTextLine < 0) {
      this.leaf = L_NONE;
      return false;
    }
    const top = this.depth === 0;
    const kind = top ? LINE_HEADING : LINE_NESTED_HEADING;
    for (let j = this.paraStart; j <= this.lineIndex; j++) this.kinds[j] = kind;
    if (top) {
      let text = "";
      for (let k = firstTextLine; k < this.paraCount; k++) {
        const piece = trimSpaceTab(this.lines[this.paraLines[k]!] ?? "", this.paraOffsets[k]!);
        text = text === "" ? piece : piece === "" ? text : text + " " + piece;
      }
      this.headings.push({
        depth: c === EQ ? 1 : 2,
        text,
        line: this.paraStart + 1,
        column: this.paraColumn,
        endLine: this.lineIndex + 1,
        kind: "setext",
      });
    }
    this.leaf = L_NONE;
    return true;
  }

  /**
   * 5.2: a list item marker (`-`, `+`, `*`, or 1-9 digits and `.`/`)`)
   * followed by whitespace or end of line. Its content indent is the marker
   * width plus 1-4 following spaces, or plus 1 if there are 5+ (then the
   * content is indented code) or the item starts blank.
   */
  private tryListItem(cont: number, interrupting: boolean): boolean {
    const ln = this.ln;
    const len = ln.length;
    const p = this.nextNonspace;
    const c = ln.charCodeAt(p);
    let q = p + 1;
    if (isDigit(c)) {
      while (q < len && q - p < 10 && isDigit(ln.charCodeAt(q))) q++;
      if (q - p > 9) return false;
      const d = ln.charCodeAt(q);
      if (d !== DOT && d !== RPAREN) return false;
      // Only a list starting at 1 can interrupt a paragraph (micromark: exactly "1").
      if (interrupting && (q - p !== 1 || c !== DIGIT1)) return false;
      q++;
    }
    if (q < len && !isSpaceOrTab(ln.charCodeAt(q))) return false;
    // An empty list item cannot interrupt a paragraph.
    if (interrupting && this.lastNonWhitespace() < q) return false;

    const markerOffset = this.indent;
    this.openBlock(cont);
    this.advanceNextNonspace();
    this.advanceOffset(q - p, true);
    const spacesStartColumn = this.column;
    const spacesStartOffset = this.offset;
    do {
      this.advanceOffset(1, true);
    } while (this.column - spacesStartColumn < 5 && isSpaceOrTab(ln.charCodeAt(this.offset)));
    const spaces = this.column - spacesStartColumn;
    let padding: number;
    if (spaces >= 5 || spaces < 1 || this.offset >= len) {
      padding = q - p + 1;
      this.column = spacesStartColumn;
      this.offset = spacesStartOffset;
      if (isSpaceOrTab(ln.charCodeAt(this.offset))) this.advanceOffset(1, true);
    } else {
      padding = q - p + spaces;
    }
    this.nnValidTo = -1; // the cursor moved backwards
    this.pushContainer(C_ITEM, markerOffset + padding);
    return true;
  }

  // =========================================================================
  // Line-shape predicates

  /** 4.3: a run of `=` or of `-`, then only spaces/tabs. */
  private isSetextUnderline(p: number, c: number): boolean {
    const ln = this.ln;
    const len = ln.length;
    let q = p;
    while (q < len && ln.charCodeAt(q) === c) q++;
    while (q < len && isSpaceOrTab(ln.charCodeAt(q))) q++;
    return q === len;
  }

  /**
   * 4.1: 3+ of the same `*`, `-` or `_` from `p` to the end of the line,
   * with only spaces/tabs between. Answered from a per-line backward scan:
   * the line's tail of marker chars and whitespace starts at `tbFrom`, and
   * `tbThird` is the third marker from the end.
   */
  private isThematicBreak(p: number, c: number): boolean {
    if (this.memoLine !== this.lineIndex) this.computeLineMemo();
    return c === this.tbChar && p >= this.tbFrom && p <= this.tbThird;
  }

  private lastNonWhitespace(): number {
    if (this.memoLine !== this.lineIndex) this.computeLineMemo();
    return this.lastNonWs;
  }

  private computeLineMemo(): void {
    const ln = this.ln;
    let i = ln.length - 1;
    while (i >= 0 && isSpaceOrTab(ln.charCodeAt(i))) i--;
    this.memoLine = this.lineIndex;
    this.lastNonWs = i;
    this.tbChar = -1;
    this.tbThird = -1;
    if (i < 0) return;
    const ch = ln.charCodeAt(i);
    if (ch !== STAR && ch !== DASH && ch !== UNDERSCORE) return;
    let count = 0;
    for (; i >= 0; i--) {
      const c = ln.charCodeAt(i);
      if (c === ch) {
        if (++count === 3) this.tbThird = i;
      } else if (!isSpaceOrTab(c)) break;
    }
    this.tbChar = ch;
    this.tbFrom = i + 1;
  }

  /**
   * 4.6 start conditions, tag names and attributes as micromark reads them.
   * Returns the block type (1-7) or 0; for types 1-5 also sets where the
   * end-condition scan starts (just after the opener, so `<!-->` and `<?>`
   * end on their own line).
   */
  private htmlStartCondition(p: number, allowType7: boolean): number {
    const ln = this.ln;
    const len = ln.length;
    const c1 = ln.charCodeAt(p + 1);
    if (c1 === BANG) {
      const c2 = ln.charCodeAt(p + 2);
      if (c2 === DASH) {
        if (ln.charCodeAt(p + 3) !== DASH) return 0;
        return this.htmlScanAt(p + 4, H_DECL, 2); // <!--
      }
      if (c2 === LBRACKET) {
        if (!ln.startsWith("CDATA[", p + 3)) return 0;
        return this.htmlScanAt(p + 9, H_CONT, 5); // <![CDATA[
      }
      if (isAlpha(c2)) return this.htmlScanAt(p + 3, H_DECL, 4); // <!DOCTYPE
      return 0;
    }
    if (c1 === QUESTION) return this.htmlScanAt(p + 2, H_DECL, 3); // <?
    let q = p + 1;
    const closing = c1 === SLASH;
    if (closing) q++;
    if (!isAlpha(ln.charCodeAt(q))) return 0;
    const nameStart = q;
    q++;
    while (q < len) {
      const c = ln.charCodeAt(q);
      if (isAlnum(c) || c === DASH) q++;
      else break;
    }
    const t = q < len ? ln.charCodeAt(q) : -1;
    if (t !== -1 && t !== SLASH && t !== GT && !isSpaceOrTab(t)) return 0;
    if (q - nameStart <= HTML_LONGEST_NAME) {
      const name = ln.slice(nameStart, q).toLowerCase();
      if (t !== SLASH && !closing && HTML_RAW_NAMES.has(name)) return this.htmlScanAt(q, H_CONT, 1);
      if (HTML_BLOCK_NAMES.has(name)) {
        if (t === SLASH && ln.charCodeAt(q + 1) !== GT) return 0;
        return 6;
      }
    }
    if (!allowType7) return 0;
    return isCompleteTagLine(ln, q, closing) ? 7 : 0;
  }

  private htmlScanAt(from: number, state: number, type: number): number {
    this.htmlScanFrom = from;
    this.htmlScanState = state;
    return type;
  }

  /**
   * Does the end condition of the open HTML block (types 1-5) occur on this
   * line from `i`? A port of micromark's continuation states, which reset at
   * every line ending.
   */
  private htmlEnds(i: number, state: number): boolean {
    const ln = this.ln;
    const len = ln.length;
    const type = this.htmlType;
    let nameStart = 0;
    while (i < len) {
      const c = ln.charCodeAt(i);
      switch (state) {
        case H_CONT:
          i++;
          if (type === 2 && c === DASH) state = H_COMMENT_DASH;
          else if (type === 1 && c === LT) state = H_RAW_LT;
          else if (type === 4 && c === GT) return true;
          else if (type === 3 && c === QUESTION) state = H_DECL;
          else if (type === 5 && c === RBRACKET) state = H_CDATA_BRACKET;
          break;
        case H_COMMENT_DASH: // after `-` in a comment
          if (c === DASH) {
            i++;
            state = H_DECL;
          } else state = H_CONT;
          break;
        case H_RAW_LT: // after `<` in raw text
          if (c === SLASH) {
            i++;
            nameStart = i;
            state = H_RAW_NAME;
          } else state = H_CONT;
          break;
        case H_RAW_NAME: // after `</`, reading up to 8 letters
          if (c === GT) {
            if (HTML_RAW_NAMES.has(ln.slice(nameStart, i).toLowerCase())) return true;
            state = H_CONT;
          } else if (isAlpha(c) && i - nameStart < 8) i++;
          else state = H_CONT;
          break;
        case H_CDATA_BRACKET: // after `]` in CDATA
          if (c === RBRACKET) {
            i++;
            state = H_DECL;
          } else state = H_CONT;
          break;
        default: // H_DECL: a `>` now ends the block
          if (c === GT) return true;
          if (c === DASH && type === 2) i++;
          else state = H_CONT;
      }
    }
    return false;
  }

  // =========================================================================
  // Link reference definitions (4.7), only consulted for setext headings.

  /**
   * Index (into the paragraph's lines) of the first line that is not part of
   * a leading run of link reference definitions, or -1 if all of them are.
   */
  private firstNonDefinitionLine(): number {
    const n = this.paraCount;
    const lines = this.lines;
    if ((lines[this.paraLines[0]!] ?? "").charCodeAt(this.paraOffsets[0]!) !== LBRACKET) return 0;
    // Paragraph text with leading whitespace stripped per line, as the
    // definition grammar sees it. Built at most once per paragraph: the
    // underline that asks ends the paragraph either way.
    let s = "";
    const starts: number[] = [];
    for (let k = 0; k < n; k++) {
      if (k > 0) s += "\n";
      starts.push(s.length);
      s += (lines[this.paraLines[k]!] ?? "").slice(this.paraOffsets[k]!);
    }
    let pos = 0;
    while (pos < s.length && s.charCodeAt(pos) === LBRACKET) {
      const end = parseLinkReferenceDefinition(s, pos);
      if (end < 0) break;
      if (end >= s.length) return -1;
      pos = end + 1;
    }
    for (let k = 0; k < n; k++) if (starts[k] === pos) return k;
    return 0; // unreachable: definitions end at line ends
  }

  // =========================================================================
  // Paragraphs

  private addParagraphLine(): void {
    const k = this.paraCount++;
    this.paraLines[k] = this.lineIndex;
    this.paraOffsets[k] = this.nextNonspace;
    this.setKind(LINE_PROSE);
  }

  // =========================================================================
  // Container stack

  /** A new block is about to be added to container `cont`: close the leaf and everything inside `cont`. */
  private openBlock(cont: number): void {
    this.closeInside(cont);
    if (cont > 0) this.markHasChild(cont);
  }

  private closeInside(cont: number): void {
    this.leaf = L_NONE;
    const q = this.quotes;
    while (q.length > 0 && q[q.length - 1]! > cont) q.pop();
    if (this.depth > cont) this.depth = cont;
  }

  private pushContainer(type: number, indent: number): void {
    const d = ++this.depth;
    this.cType[d] = type;
    this.cIndent[d] = indent;
    this.cHasChild[d] = false;
    this.cBlankAfterEmpty[d] = false;
    if (type === C_QUOTE) this.quotes.push(d);
  }

  private markHasChild(d: number): void {
    this.cHasChild[d] = true;
  }

  /**
   * The rest of the line is blank and `matched` containers continued it. A
   * blank line continues every list item (5.2) but no block quote, which
   * needs a `>` on each line that is not a lazy paragraph continuation (5.1).
   */
  private continueContainersWithBlank(matched: number): number {
    const q = this.quotes;
    let lo = 0;
    let hi = q.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (q[mid]! > matched) hi = mid;
      else lo = mid + 1;
    }
    if (lo < q.length) return q[lo]! - 1;
    const d = this.depth;
    if (d > 0 && this.cType[d] === C_ITEM && !this.cHasChild[d]) this.cBlankAfterEmpty[d] = true;
    return d;
  }

  // =========================================================================
  // Cursor

  private setKind(kind: number): void {
    this.kinds[this.lineIndex] = kind;
  }

  private findNextNonspace(): void {
    if (this.offset <= this.nnValidTo) {
      // Still in the same run of whitespace: the next non-space character
      // and its (absolute) column are unchanged.
      this.indent = this.nextNonspaceColumn - this.column;
      return;
    }
    const ln = this.ln;
    const len = ln.length;
    let i = this.offset;
    let cols = this.column;
    while (i < len) {
      const c = ln.charCodeAt(i);
      if (c === SPACE) {
        i++;
        cols++;
      } else if (c === TAB) {
        i++;
        cols += 4 - (cols % 4);
      } else break;
    }
    this.nextNonspace = i;
    this.nextNonspaceColumn = cols;
    this.indent = cols - this.column;
    this.blank = i >= len;
    this.nnValidTo = i;
  }

  private advanceNextNonspace(): void {
    this.offset = this.nextNonspace;
    this.column = this.nextNonspaceColumn;
  }

  /** Advance by `count` characters, or columns (consuming tabs partially). */
  private advanceOffset(count: number, columns: boolean): void {
    const ln = this.ln;
    const len = ln.length;
    while (count > 0 && this.offset < len) {
      if (ln.charCodeAt(this.offset) === TAB) {
        const toTab = 4 - (this.column % 4);
        if (columns && toTab > count) {
          this.column += count;
          return;
        }
        this.column += toTab;
        this.offset++;
        count -= columns ? toTab : 1;
      } else {
        this.offset++;
        this.column++;
        count--;
      }
    }
  }

  /** `>` plus one optional following space (or one column of a tab). */
  private consumeQuoteMarker(): void {
    this.advanceNextNonspace();
    this.advanceOffset(1, false);
    if (isSpaceOrTab(this.ln.charCodeAt(this.offset))) this.advanceOffset(1, true);
  }
}

// ---------------------------------------------------------------------------
// Pure helpers

function trimSpaceTab(s: string, from: number, end = s.length): string {
  while (end > from && isSpaceOrTab(s.charCodeAt(end - 1))) end--;
  while (from < end && isSpaceOrTab(s.charCodeAt(from))) from++;
  return s.slice(from, end);
}

/** 4.2: heading text after the opening sequence, minus an optional closing sequence preceded by whitespace. */
function atxHeadingText(ln: string, start: number): string {
  let end = ln.length;
  while (end > start && isSpaceOrTab(ln.charCodeAt(end - 1))) end--;
  let e = end;
  while (e > start && ln.charCodeAt(e - 1) === HASH) e--;
  if (e < end && (e === start || isSpaceOrTab(ln.charCodeAt(e - 1)))) end = e;
  return trimSpaceTab(ln, start, end);
}

// States of the type 7 tag scanner (micromark html-flow "complete*").
const T_NAME_BEFORE = 0,
  T_NAME = 1,
  T_NAME_AFTER = 2,
  T_VALUE_BEFORE = 3,
  T_QUOTED = 4,
  T_UNQUOTED = 5,
  T_QUOTED_AFTER = 6,
  T_CLOSING_AFTER = 7,
  T_END = 8,
  T_AFTER = 9;

/**
 * 4.6 type 7: a complete open tag (name already read, `i` just after it) or
 * closing tag, followed only by whitespace. A port of micromark's
 * `complete*` states (slightly more lenient than the spec's grammar, e.g.
 * `<a x=b=c>`); linear, no regex.
 */
function isCompleteTagLine(ln: string, i: number, closing: boolean): boolean {
  const len = ln.length;
  let state = closing ? T_CLOSING_AFTER : T_NAME_BEFORE;
  let quote = 0;
  for (;;) {
    const c = i < len ? ln.charCodeAt(i) : -1;
    switch (state) {
      case T_CLOSING_AFTER:
        if (isSpaceOrTab(c)) i++;
        else state = T_END;
        break;
      case T_NAME_BEFORE:
        if (c === SLASH) {
          i++;
          state = T_END;
        } else if (c === COLON || c === UNDERSCORE || isAlpha(c)) {
          i++;
          state = T_NAME;
        } else if (isSpaceOrTab(c)) i++;
        else state = T_END;
        break;
      case T_NAME:
        if (c === DASH || c === DOT || c === COLON || c === UNDERSCORE || isAlnum(c)) i++;
        else state = T_NAME_AFTER;
        break;
      case T_NAME_AFTER:
        if (c === EQ) {
          i++;
          state = T_VALUE_BEFORE;
        } else if (isSpaceOrTab(c)) i++;
        else state = T_NAME_BEFORE;
        break;
      case T_VALUE_BEFORE:
        if (c === -1 || c === LT || c === EQ || c === GT || c === BACKTICK) return false;
        if (c === DQUOTE || c === SQUOTE) {
          quote = c;
          i++;
          state = T_QUOTED;
        } else if (isSpaceOrTab(c)) i++;
        else state = T_UNQUOTED;
        break;
      case T_QUOTED:
        if (c === -1) return false;
        i++;
        if (c === quote) state = T_QUOTED_AFTER;
        break;
      case T_UNQUOTED:
        if (
          c === -1 ||
          c === DQUOTE ||
          c === SQUOTE ||
          c === SLASH ||
          c === LT ||
          c === EQ ||
          c === GT ||
          c === BACKTICK ||
          isSpaceOrTab(c)
        )
          state = T_NAME_AFTER;
        else i++;
        break;
      case T_QUOTED_AFTER:
        if (c === SLASH || c === GT || isSpaceOrTab(c)) state = T_NAME_BEFORE;
        else return false;
        break;
      case T_END:
        if (c !== GT) return false;
        i++;
        state = T_AFTER;
        break;
      default: // T_AFTER: only whitespace may follow
        if (c === -1) return true;
        if (!isSpaceOrTab(c)) return false;
        i++;
    }
  }
}

/**
 * 4.7: parse one link reference definition starting at `s[i] === "["`
 * (lines joined with "\n", leading whitespace stripped). Returns the index
 * of the line ending (or `s.length`) that ends it, or -1. Follows
 * micromark's factories (label, destination, title).
 */
function parseLinkReferenceDefinition(s: string, i: number): number {
  const len = s.length;
  // Label: up to 999 chars, no unescaped brackets, something non-blank.
  i++;
  let size = 0;
  let seen = false;
  for (;;) {
    if (i >= len || size > 999) return -1;
    const c = s.charCodeAt(i);
    if (c === LBRACKET) return -1;
    if (c === RBRACKET) {
      if (!seen) return -1;
      i++;
      break;
    }
    i++;
    if (c === NEWLINE) continue;
    size++;
    if (c === BACKSLASH) {
      seen = true;
      const d = s.charCodeAt(i);
      if (d === LBRACKET || d === BACKSLASH || d === RBRACKET) {
        i++;
        size++;
      }
    } else if (!isSpaceOrTab(c)) seen = true;
  }
  if (s.charCodeAt(i) !== COLON) return -1;
  i++;
  while (i < len && (isSpaceOrTab(s.charCodeAt(i)) || s.charCodeAt(i) === NEWLINE)) i++;
  if (i >= len) return -1;
  // Destination: <...> or a run without spaces/controls, parentheses balanced.
  let c = s.charCodeAt(i);
  if (c === LT) {
    i++;
    for (;;) {
      if (i >= len) return -1;
      c = s.charCodeAt(i);
      if (c === GT) {
        i++;
        break;
      }
      if (c === LT || c === NEWLINE) return -1;
      i++;
      if (c === BACKSLASH) {
        const d = s.charCodeAt(i);
        if (d === LT || d === GT || d === BACKSLASH) i++;
      }
    }
  } else {
    if (c === SPACE || c === RPAREN || c < SPACE || c === DEL) return -1;
    let balance = 0;
    for (;;) {
      if (i >= len) {
        if (balance > 0) return -1;
        break;
      }
      c = s.charCodeAt(i);
      if (balance === 0 && (c === RPAREN || isSpaceOrTab(c) || c === NEWLINE)) break;
      if (c === LPAREN) balance++;
      else if (c === RPAREN) balance--;
      else if (c === SPACE || c < SPACE || c === DEL) return -1;
      i++;
      if (c === BACKSLASH) {
        const d = s.charCodeAt(i);
        if (d === LPAREN || d === RPAREN || d === BACKSLASH) i++;
      }
    }
  }
  const destinationEnd = i;
  // Optional title, after whitespace (may be on the next line).
  let j = i;
  while (j < len && (isSpaceOrTab(s.charCodeAt(j)) || s.charCodeAt(j) === NEWLINE)) j++;
  if (j > i && j < len) {
    const open = s.charCodeAt(j);
    if (open === DQUOTE || open === SQUOTE || open === LPAREN) {
      const close = open === LPAREN ? RPAREN : open;
      j++;
      let closed = false;
      while (j < len) {
        const d = s.charCodeAt(j++);
        if (d === close) {
          closed = true;
          break;
        }
        if (d === BACKSLASH && j < len) {
          const e = s.charCodeAt(j);
          if (e === close || e === BACKSLASH) j++;
        }
      }
      if (closed) {
        while (j < len && isSpaceOrTab(s.charCodeAt(j))) j++;
        if (j >= len || s.charCodeAt(j) === NEWLINE) return j;
      }
    }
  }
  // No (valid) title: the definition must end right after the destination.
  i = destinationEnd;
  while (i < len && isSpaceOrTab(s.charCodeAt(i))) i++;
  return i >= len || s.charCodeAt(i) === NEWLINE ? i : -1;
}
