import { readdirSync, readFileSync } from "node:fs";
import type { Nodes, Root } from "mdast";
import { toString } from "mdast-util-to-string";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import {
  LINE_BLANK,
  LINE_CODE,
  LINE_HEADING,
  LINE_HTML,
  LINE_NESTED_HEADING,
  LINE_PROSE,
  scanBlocks,
} from "../../../src/sep/blocks.js";

// remark-parse is the oracle: scanBlocks must find exactly the headings that
// remark puts directly under the root, at the same positions.

const processor = unified().use(remarkParse);
const parse = (md: string): Root => processor.parse(md);

/** Root-level headings according to remark. */
function oracle(md: string): { depth: number; line: number }[] {
  return parse(md)
    .children.filter((n) => n.type === "heading")
    .map((n) => ({ depth: n.depth, line: n.position!.start.line }));
}

function scanned(md: string): { depth: number; line: number }[] {
  return scanBlocks(md.split("\n")).headings.map(({ depth, line }) => ({ depth, line }));
}

/**
 * Line kinds as implied by remark's tree, for lines inside a leaf block
 * (undefined elsewhere). Code and HTML nodes that run to the end of a
 * container end at column 1 of the next line; that line is not theirs.
 */
function oracleKinds(tree: Root, lineCount: number): (number | undefined)[] {
  const kinds: (number | undefined)[] = new Array(lineCount).fill(undefined);
  const visit = (node: Nodes, topLevel: boolean): void => {
    const pos = node.position;
    const mark = (kind: number): void => {
      if (!pos) return;
      let end = pos.end.line;
      if (pos.end.column === 1 && end > pos.start.line) end--;
      // A setext heading's position includes leading definitions: heading wins.
      for (let l = pos.start.line; l <= end; l++) if (kinds[l - 1] === undefined || kind >= LINE_HEADING) kinds[l - 1] = kind;
    };
    switch (node.type) {
      case "code":
        return mark(LINE_CODE);
      case "html":
        return mark(LINE_HTML);
      case "heading":
        return mark(topLevel ? LINE_HEADING : LINE_NESTED_HEADING);
      case "paragraph":
      case "thematicBreak":
      case "definition":
        return mark(LINE_PROSE);
    }
    if ("children" in node) for (const child of node.children) visit(child as Nodes, node.type === "root");
  };
  visit(tree, false);
  return kinds;
}

const PLAIN_TEXT = /^[A-Za-z0-9 #.,:()'-]*$/;

/**
 * Full comparison: headings (depth, line, column, endLine; text when it is
 * plain), and the kind of every non-blank line that remark puts in a leaf.
 * Returns a description of the first difference, or null.
 */
function difference(md: string): string | null {
  const lines = md.split("\n");
  const tree = parse(md);
  const expected = tree.children.flatMap((n) =>
    n.type === "heading"
      ? [{ depth: n.depth, line: n.position!.start.line, column: n.position!.start.column, endLine: n.position!.end.line, text: toString(n) }]
      : [],
  );
  const scan = scanBlocks(lines);
  const actual = scan.headings;
  const a = JSON.stringify(expected.map(({ depth, line, column, endLine }) => ({ depth, line, column, endLine })));
  const b = JSON.stringify(actual.map(({ depth, line, column, endLine }) => ({ depth, line, column, endLine })));
  if (a !== b) return `headings: remark ${a}, scanBlocks ${b}`;
  const hardBreak = /( {2,}|\\)$/m.test(md); // remark's toString drops hard breaks
  for (let i = 0; i < actual.length; i++) {
    const text = actual[i]!.text;
    const want = expected[i]!.text.replace(/\n/g, " ");
    if (PLAIN_TEXT.test(text) && !hardBreak && text !== want) return `text of heading ${i}: remark ${JSON.stringify(want)}, scanBlocks ${JSON.stringify(text)}`;
  }
  const kinds = oracleKinds(tree, lines.length);
  for (let i = 0; i < lines.length; i++) {
    const want = kinds[i];
    if (want === undefined || /^[ \t]*$/.test(lines[i]!)) continue;
    if (scan.lineKinds[i] !== want) return `kind of line ${i + 1}: remark ${want}, scanBlocks ${scan.lineKinds[i]}`;
  }
  return null;
}

// ---------------------------------------------------------------------------
// 1. Hand-written differential cases, by construct.

const CASES: Record<string, string[]> = {
  "ATX headings": [
    "# a",
    "###### six",
    "####### seven",
    "#5 bolt",
    "#hashtag",
    "#",
    "# #",
    "## a ##",
    "## a #b",
    "## a \\##",
    "# a ##########   ",
    " # a",
    "   # a",
    "    # a",
    "\t# a",
    "  \t# a",
    "#\ta",
    "# a\n# b\n\n## c",
  ],
  "setext headings": [
    "a\n===",
    "a\n---",
    "a\n  ===  ",
    "a\n    ===",
    "a\n= =",
    "a\nb\n===",
    " a\n---",
    "a \n---  ",
    "a\\\n---",
    "# a\n===",
    "***\n===",
    "---\n---",
    "a\n---\nb\n---",
    "a\n    b\n===",
    "a\n\tb\n---",
    "a\n- - -",
    "a\n***",
    "|a|b|\n|-|-|\n# x",
    "|a|\n---",
  ],
  "fenced code": [
    "```\n# x\n```\n# y",
    "```\n# a\n~~~\n# b\n```\n# c",
    "~~~\n# a\n```\n~~~~\n# b\n~~~~~\n# c",
    "````\n```\n# a\n````\n# b",
    "```a`b\n# x",
    "~~~a`b\n# x\n~~~\n# y",
    "   ```\n# a\n   ```\n# b",
    "    ```\n# a",
    "```\n# a\n    ```\n# b",
    "```\n# a\n``` x\n# b",
    "```\n# unclosed\n\n## still code",
    "a\n```\n# b\n```",
  ],
  "indented code": [
    "    # a\n# b",
    "    code\n\n    more\n# b",
    "a\n    # b",
    "    a\n  # b",
    "\tcode\n# b",
  ],
  "HTML blocks": [
    "<!--\n## Abstract\n-->\n## B",
    "<!-- a -- b -->\n# x",
    "<!--->\n# x",
    "<!---->\n# x",
    "<!-- a --!>\n# x\n-->\n# y",
    "<![CDATA[ ]]]>\n# x\n]]>\n# y",
    "<?a?>\n# x",
    "<? a\n?>\n# x",
    "<!A >\n# x",
    "<pre\n# x\n</pre>\n# y",
    "<PRE>\n# x\n</Pre>\n# y",
    '<script type="x">\n# a\n</script>\n# b',
    "<style>\n# a\n</styles>\n# b\n</style>\n# c",
    "<textarea>\n\n# a\n</textarea>\n# b",
    "<div>\n# x\n\n# y",
    "<div\n# x\n\n# y",
    '<div a="b"\n# x\n\n# y',
    "</div>\n# x",
    "<DIV>\n# x",
    "<div/>\n# x",
    "<div/ >\n# x",
    "<divx>\n# x",
    "<h1>\n# x\n\n# y",
    "<x-y>\n# a\n\n# b",
    '<a href="x">\n# x',
    "<a href='x'>\n# x",
    "<a href=x>\n# x",
    '<a href="x>\n# x',
    "<a b c d>\n# x",
    "<a/>\n# x",
    "<a / >\n# x",
    "</a>\n# x",
    "</a b>\n# x",
    "<a b=`c`>\n# x",
    "<a_b>\n# x",
    "<a>b\n# x",
  ],
  "paragraph interruption": [
    "a\n# b",
    "a\n```\n# b\n```",
    "a\n<div>\n# b",
    "a\n<x-y>\n# b",
    "a\n<!-- x -->\n# b",
    "a\n> # b",
    "a\n- # b",
    "a\n2. b\n---",
    "a\n1. b\n---",
    "a\n-\n---",
    "a\n- \n---",
    "a\n01. b\n---",
    "a\n1) b\n---",
    "a\n***\n# b",
  ],
  containers: [
    "> ## x",
    "1. ## x",
    "- # x\n# y",
    ">> # a",
    "> - # a",
    "   > # a",
    "    > # a",
    ">\t# a",
    "> # a\n# b",
    "> a\n# b",
    "> a\n---",
    "> a\nb\n===",
    "> a\n> ===",
    ">\n# a",
    "- a\n---",
    "- a\n  ---",
    "- a\n  b\n  ---",
    "* a\n***",
    "- a\n-",
    "- a\n  -",
    "1. a\n2. b\n---",
    "1. a\n\n   b\n---",
    "- a\n\n  # b\n# c",
    "- a\n # b",
    "-\n  # a",
    "-\n\n  # a",
    "1.  a\n\n    # b\n  # c",
    "-     code\n  # a",
    "-   a\n    # b\n   # c",
    "- a\n\t# b",
    "-\ta\n\t# b",
    "*\ta\n  # b",
    "1.\ta\n   # b",
    "- ```\n  # x\n# y",
    "- ```\n  # a\n  ```\n# b",
    "1. ```\n   # a\n\n   # b\n   ```\n# c",
    "> ```\n> # a\n# b",
    "> ```\n# a",
    "- > ```\n  > # x\n  # y\n# z",
    "- a\n<div>\n# b",
    "> a\n    # b",
    "> a\n```\n# b",
    "- a\n# b",
    "1. a\n   1. b\n      # c\n# d",
    "- - - a\n      # b\n# c",
    "- - -",
    "- - - -\n# x",
    "* * * a\n# x",
    "- a\n\n\n  # b",
    "123456789. a\n# b",
    "1234567890. a\n# b",
  ],
  "link reference definitions": [
    "[foo]: /url\n===",
    "[foo]: /url\nbar\n===",
    "[foo]: /url\n===\n===",
    '[foo]: /url "title"\n===',
    "[foo]:\n/url\n===",
    '[foo]: /url\n"title"\n===',
    '[foo]: /url\n"title" x\n===',
    '[foo]: /url "ti\ntle"\n===',
    '[foo]: /url "title" x\n===',
    "[foo]: <a b>\n===",
    "[foo]: <a\n===",
    "[\nfoo\n]: /u\n===",
    "[]: /u\n===",
    "[ ]: /u\n===",
    "[a]: (x)\n===",
    "[a]: x(y)z\n===",
    "[a]: x(y\n===",
    "[a]: /u\n[b]: /v\ntext\n===",
    "[a]: /u\n[b]: /v\n---",
    "[a]: /u\n[b]\n---",
    "[a]: /u 't'\n===",
    "[a]: /u (t)\n===",
    "[a\\]]: /u\n===",
    "> [a]: /u\n> ===",
    "- [a]: /u\n  ===",
    "[a]: /u\n> ===",
  ],
  // Places where micromark (remark) differs from commonmark.js / the spec's letter.
  "micromark quirks": [
    "a\n> 2. b\n# c",
    "a\n> -\n# c",
    "a\n- 2. b",
    "    code\n-\n# x",
    "    code\n\n2. a\n---",
    "> a\n<x-y>\n# b",
    "> a\n<x-y>\n> # b",
    "* item\n<x-y>\n## b",
    ">\n\ttext\n-\n===",
    "> # h\n    text\n1.\n  ===",
    "1.\n\n \t-\n   01. a\n--",
    ">     code\n  > \t",
  ],
};

describe("scanBlocks agrees with remark on hand-written cases", () => {
  for (const [group, cases] of Object.entries(CASES)) {
    describe(group, () => {
      it.each(cases.map((md) => [JSON.stringify(md), md]))("%s", (_, md) => {
        expect(scanned(md)).toEqual(oracle(md));
        expect(difference(md)).toBeNull();
      });
    });
  }
});

// ---------------------------------------------------------------------------
// 2. Random documents.

/** mulberry32: tiny seeded PRNG, so failures are reproducible. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** Line templates, as design docs use them plus the edge cases around each. */
const TEMPLATES = [
  // headings
  "# Heading", "## Abstract", "### x ###", "###### six", "####### seven", "#hashtag", "#", "## ", "#\tTab", "# a #b",
  // setext underlines and thematic breaks
  "===", "---", "  ===  ", "- - -", "***", "___", "* * *", "--", "=", "= =",
  // paragraphs and tables
  "Some text", "more text", "a | b", "|---|---|", "text *emph*", "\\# escaped",
  // blank lines
  "", "", "", "", "   ", "\t",
  // fences
  "```", "```js", "~~~", "````", "``` `bad`", "~~~~ x", "~~~ `ok`",
  // list items
  "- item", "* item", "+ item", "1. item", "2) item", "01. item", "-", "1.", "-   ", "10. x", "-     code", "- # heading",
  "- ```", "- - x", "1) - x", "-\tx", "123456789. x", "1234567890. x",
  // indented lines
  "  text", "    text", "      text", "\ttext", " \t- x", "  - nested", "    - deeper", "  ```", "   # h", "    # h", "  ---", "  ===",
  // block quotes
  "> text", ">", "> # h", ">> x", "> - x", "> ```", ">\tx", "> ---", "> ===", ">     code",
  // HTML
  "<!-- comment", "-->", "<!-- x -->", "<!-->", "a -->", "<div>", "</div>", "<div/>", "<x-y>", "</x-y>", "<pre>", "</pre>",
  "<script>", "</script> a", "<?php", "?>", "<!DOCTYPE html>", "<![CDATA[", "]]>", "<a href=\"x\">", "<a b=c=d>",
  "<span>text</span>", "<DIV class=\"x\">",
  // link reference definitions
  "[foo]: /url", "[foo]: /url \"title\"", "[bar]:", "/dest", "\"title\"", "[a]: /u \"t",
];
const PREFIXES = ["> ", "- ", "  ", "   ", "1. ", "    ", "\t", ">", " ", "* ", "  - ", "> > ", " \t"];

/** 5-40 lines; each a template, a third of them under 1-3 random container prefixes. */
function templateDocument(rand: () => number): string {
  const lines: string[] = [];
  const n = 5 + Math.floor(rand() * 36);
  for (let i = 0; i < n; i++) {
    let prefix = "";
    if (rand() < 0.35) for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) prefix += pick(rand, PREFIXES);
    lines.push(prefix + pick(rand, TEMPLATES));
  }
  return lines.join("\n");
}

/** Lines glued from markdown-significant tokens: finds what the templates don't think of. */
const TOKENS = [
  " ", "  ", "   ", "    ", "\t", ">", "> ", "- ", "-", "* ", "+ ", "1. ", "2) ", "1.", "#", "# ", "## ", "```", "~~~", "`",
  "<div>", "<!--", "-->", "<x-y>", "</x-y>", "<pre>", "</pre>", "<?", "?>", "<!X", "===", "---", "***", "_", "=", "text",
  "[a]:", "[a]: /u", "\"t\"", "\"", "(", ")", "<", "\\", "]]>", "<![CDATA[",
];
function tokenDocument(rand: () => number): string {
  const lines: string[] = [];
  const n = 3 + Math.floor(rand() * 25);
  for (let i = 0; i < n; i++) {
    let line = "";
    for (let k = Math.floor(rand() * 5); k > 0; k--) line += pick(rand, TOKENS);
    lines.push(line);
  }
  return lines.join("\n");
}

/** Paragraphs of (possibly broken) link reference definitions, then an underline. */
function definitionDocument(rand: () => number): string {
  const lines: string[] = [];
  for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
    const label = pick(rand, ["a", "a b", " ", "", "a\\]", "a[", "\\[a"]);
    const destination = pick(rand, ["/u", "<a b>", "<>", "<a", "x(y)z", "x(y", "(x)", "a\\)b", ""]);
    const title = pick(rand, ["", ' "t"', " 't'", " (t)", ' "t', ' "a\\"b"', ' "t" x', " x"]);
    const split = Math.floor(rand() * 4);
    if (rand() < 0.2) lines.push(pick(rand, ["text", "[x", "[a] b", "a]: /u"]));
    else if (split === 1) lines.push(`[${label}]:`, (destination + title).trim());
    else if (split === 2) lines.push(`[${label}]: ${destination}`, title.trim());
    else lines.push(`[${label}]: ${destination}${title}`);
  }
  lines.push(pick(rand, ["===", "---", "  ==="]));
  if (rand() < 0.3) lines.push("===");
  return lines.join("\n");
}

function firstRandomFailure(generate: (rand: () => number) => string, count: number, seed: number): string | null {
  for (let i = 0; i < count; i++) {
    const md = generate(prng(seed * 1_000_003 + i));
    const diff = difference(md);
    if (diff) return `document #${i} (seed ${seed}): ${JSON.stringify(md)}\n${diff}`;
  }
  return null;
}

describe("scanBlocks agrees with remark on random documents", () => {
  it("2,500 documents from line templates under random container prefixes", () => {
    const failure = firstRandomFailure(templateDocument, 2500, 1);
    expect(failure, failure ?? "").toBeNull();
  });

  it("1,000 documents of markdown token soup", () => {
    const failure = firstRandomFailure(tokenDocument, 1000, 2);
    expect(failure, failure ?? "").toBeNull();
  });

  it("500 paragraphs of link reference definitions before an underline", () => {
    const failure = firstRandomFailure(definitionDocument, 500, 3);
    expect(failure, failure ?? "").toBeNull();
  });
});

// ---------------------------------------------------------------------------
// 3. Real SEPs.

const REAL = new URL("../../fixtures/real-seps", import.meta.url).pathname;
// The fixtures ship with the repository: a missing folder is a failure, not a skip.
const realFiles = [REAL, `${REAL}/rename-example`].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .map((f) => `${dir}/${f}`),
);

describe("scanBlocks agrees with remark on real SEPs", () => {
  it.each(realFiles.map((f) => [f.slice(REAL.length + 1), f]))("%s", (_, file) => {
    const md = readFileSync(file, "utf8").replace(/^\uFEFF/, "").replace(/\r/g, "");
    const headings = scanBlocks(md.split("\n")).headings;
    expect(headings.length).toBeGreaterThan(0);
    expect(scanned(md)).toEqual(oracle(md));
    expect(difference(md)).toBeNull();
    // Full text comparison wherever the raw text has no inline markdown.
    const remarkHeadings = parse(md).children.filter((n) => n.type === "heading");
    headings.forEach((h, i) => {
      if (!/[`*_[\]<>\\&!~]/.test(h.text)) expect(h.text).toBe(toString(remarkHeadings[i]!).replace(/\n/g, " "));
    });
  });

  it("finds the template's sections", () => {
    const md = readFileSync(`${REAL}/TEMPLATE.md`, "utf8");
    const titles = scanBlocks(md.split("\n")).headings.filter((h) => h.depth === 2).map((h) => h.text);
    expect(titles).toContain("Abstract");
    expect(titles).toContain("Motivation");
  });
});

// ---------------------------------------------------------------------------
// 4. Line kinds and heading fields.

describe("lineKinds and heading fields", () => {
  it("classifies each line by the block that holds it", () => {
    const md = [
      "# Title", //  1 heading
      "", //  2 blank
      "Text", //  3 prose
      "```ts", //  4 code
      "# not a heading", //  5 code
      "", //  6 code (inside the fence)
      "```", //  7 code
      "<!--", //  8 html
      "## Abstract", //  9 html
      "-->", // 10 html
      "Setext", // 11 heading
      "------", // 12 heading
      "> ## Quoted", // 13 nested heading
      "- item", // 14 prose
      "", // 15 blank
      "      code", // 16 code (indented, inside the item)
      "", // 17 code (between two code lines)
      "      more", // 18 code
      "", // 19 blank (after the code block)
      "***", // 20 prose (thematic break)
      ">", // 21 prose (container marker only)
      "  ", // 22 blank
    ].join("\n");
    const { lineKinds } = scanBlocks(md.split("\n"));
    expect(Array.from(lineKinds)).toEqual([
      LINE_HEADING, LINE_BLANK, LINE_PROSE, LINE_CODE, LINE_CODE, LINE_CODE, LINE_CODE, LINE_HTML, LINE_HTML, LINE_HTML,
      LINE_HEADING, LINE_HEADING, LINE_NESTED_HEADING, LINE_PROSE, LINE_BLANK, LINE_CODE, LINE_CODE, LINE_CODE, LINE_BLANK,
      LINE_PROSE, LINE_PROSE, LINE_BLANK,
    ]);
  });

  it("reports text, column and span", () => {
    const md = "  ## Spec ##  \n\n Multi\nline  \n===\n\n#\n\n# a #b";
    expect(scanBlocks(md.split("\n")).headings).toEqual([
      { depth: 2, text: "Spec", line: 1, column: 3, endLine: 1, kind: "atx" },
      { depth: 1, text: "Multi line", line: 3, column: 2, endLine: 5, kind: "setext" },
      { depth: 1, text: "", line: 7, column: 1, endLine: 7, kind: "atx" },
      { depth: 1, text: "a #b", line: 9, column: 1, endLine: 9, kind: "atx" },
    ]);
  });

  it("handles the empty document", () => {
    expect(scanBlocks([])).toEqual({ headings: [], lineKinds: new Uint8Array(0) });
    expect(scanBlocks([""]).lineKinds).toEqual(new Uint8Array([LINE_BLANK]));
  });
});

// ---------------------------------------------------------------------------
// 5. Hostile input: must return (linear time), never throw. No timing
// assertions; a quadratic path would blow the test timeout.

describe("hostile input", () => {
  const scan = (md: string) => scanBlocks(md.split("\n"));

  it("10,000 nested list items, then blank lines and deep continuations", () => {
    const md = "- ".repeat(10_000) + "# deep\n" + "\n".repeat(10_000) + ("  ".repeat(10_000) + "# deeper\n").repeat(20) + "# top";
    const r = scan(md);
    expect(r.headings).toEqual([expect.objectContaining({ text: "top", line: 10_022 })]);
    expect(r.lineKinds[0]).toBe(LINE_NESTED_HEADING);
    expect(r.lineKinds[10_001]).toBe(LINE_NESTED_HEADING);
  });

  it("3,000 list levels by increasing indentation (9 MB), and runs of ordered markers", () => {
    const md = Array.from({ length: 3_000 }, (_, i) => " ".repeat(2 * i) + "- a").join("\n") + "\n\n" + "# top";
    expect(scan(md).headings.map((h) => h.text)).toEqual(["top"]);
    const numbered = Array.from({ length: 10_000 }, (_, i) => "1. ".repeat(i % 50) + "x").join("\n");
    expect(scan(numbered).lineKinds.length).toBe(10_000);
  });

  it("10,000 nested block quotes", () => {
    const md = ">".repeat(10_000) + " # deep\n" + (">".repeat(10_000) + "\n").repeat(50) + "\n".repeat(1000) + "# top";
    expect(scan(md).headings.map((h) => h.line)).toEqual([1052]);
    const mixed = "- > ".repeat(5_000) + "x\n" + ("  > ".repeat(5_000) + "\n").repeat(50);
    expect(scan(mixed).headings).toEqual([]);
  });

  it("100,000-character lines of every construct", () => {
    const n = 100_000;
    const long = [
      "# " + "a #".repeat(n / 3) + " " + "#".repeat(n),
      "#".repeat(n) + " x",
      "`".repeat(n) + "x",
      "x\n" + "=".repeat(n),
      "x\n" + "- ".repeat(n / 2) + "x",
      "- ".repeat(n / 2),
      "* ".repeat(n / 2) + "x",
      "1. ".repeat(n / 3) + "x",
      "<a " + 'b="c" '.repeat(n / 6) + "x",
      "<a " + "b=c ".repeat(n / 4) + ">",
      "<!--" + "-".repeat(n),
      "<pre" + "</pr".repeat(n / 4),
      "[" + "a".repeat(n) + "]: /u\n===",
      "[a]: /u \"" + "\\\"".repeat(n / 2) + "\n===",
      " ".repeat(n) + "x",
      "\t".repeat(n) + "x",
      "> ".repeat(n / 2) + "\t".repeat(n),
    ];
    for (const md of long) {
      const r = scan(md);
      expect(r.lineKinds.length).toBe(md.split("\n").length);
    }
    expect(scan(long[0]!).headings[0]!.text.length).toBe(n - 1);
  });

  it("10 MB of random printable text made of markdown punctuation", () => {
    const rand = prng(7);
    const chars = "#`->  \t*_=<!-[]x1.~|";
    const pool = Array.from({ length: 4096 }, () => {
      let line = "";
      for (let k = Math.floor(rand() * 120); k > 0; k--) line += chars[Math.floor(rand() * chars.length)];
      return line;
    });
    const lines: string[] = [];
    for (let size = 0; size < 10_000_000; ) {
      const line = pick(rand, pool);
      lines.push(line);
      size += line.length + 1;
    }
    const r = scanBlocks(lines);
    expect(r.lineKinds.length).toBe(lines.length);
    expect(Array.isArray(r.headings)).toBe(true);
  });

  it("binary garbage and unterminated blocks", () => {
    const rand = prng(11);
    let garbage = "";
    for (let i = 0; i < 200_000; i++) garbage += String.fromCharCode(Math.floor(rand() * (rand() < 0.5 ? 128 : 65536)));
    expect(scan(garbage).lineKinds.length).toBe(garbage.split("\n").length);
    expect(scan("```\n" + "# a\n".repeat(1000)).headings).toEqual([]);
    expect(scan("<!--\n# a\n".repeat(1000)).headings).toEqual([]);
  });
});
