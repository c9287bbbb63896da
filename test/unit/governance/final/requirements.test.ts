import { describe, expect, it } from "vitest";
import { requirementsIn, specificationSections, UnreadableSection } from "../../../../src/governance/final/requirements.js";
import { keywordOf, plainText } from "../../../../src/governance/final/normative.js";
import { BLOCKS_ONLY, markdownBlocks } from "../../../../src/governance/final/markdown.js";
import { defaultRules } from "../../../../src/rules/load.js";
import { parseSep } from "../../../../src/sep/parse.js";

const rules = defaultRules();
const fences = rules.final.fences;

/** The requirements of a whole markdown text (as if it all were the section). */
function reqs(markdown: string) {
  const lines = markdown.split("\n");
  return requirementsIn(lines, 1, lines.length, fences);
}

function sections(markdown: string) {
  const sep = parseSep(markdown, "seps/1-x.md", { rules });
  const spec = rules.sections.find((s) => s.id === "specification")!;
  return specificationSections(sep, [spec.title, ...spec.aliases]);
}

describe("BCP 14 keywords", () => {
  it("only the capitalised words oblige; MAY grants; a sentence is held to its strongest", () => {
    expect(keywordOf("servers must reply")).toBeNull();
    expect(keywordOf("Servers MAY reply")).toBeNull();
    expect(keywordOf("It is RECOMMENDED that")).toBe("RECOMMENDED");
    expect(keywordOf("Servers SHOULD reply, and MUST NOT retry")).toBe("MUST NOT");
    expect(keywordOf("It is NOT RECOMMENDED")).toBe("NOT RECOMMENDED");
  });

  it("markdown is dropped from what people read, snake_case kept", () => {
    expect(plainText("**MUST** include `offline_access` per [RFC 9207](https://x.y/z) in _responses_")).toBe("MUST include offline_access per RFC 9207 in responses");
  });
});

describe("requirements of a Specification section", () => {
  it("sentences with a keyword, each with its lines; a hard-wrapped sentence spans them", () => {
    const found = reqs(["Servers MUST reply. This is prose.", "Clients SHOULD retry", "after a delay. Clients may give up."].join("\n"));
    expect(found.map((r) => [r.line, r.endLine, r.keyword, r.text])).toEqual([
      [1, 1, "MUST", "Servers MUST reply."],
      [2, 3, "SHOULD", "Clients SHOULD retry after a delay."],
    ]);
  });

  it("a lead-in with a keyword lends it to its items; an item that says MAY does not borrow it", () => {
    const found = reqs(["The `iss` parameter MUST:", "", "- Exactly match the issuer", "- Be a URL that uses `https`", "- MAY carry a port"].join("\n"));
    expect(found.map((r) => [r.line, r.keyword, r.text])).toEqual([
      [3, "MUST", "The iss parameter MUST: Exactly match the issuer"],
      [4, "MUST", "The iss parameter MUST: Be a URL that uses https"],
    ]);
  });

  it("items with keywords of their own keep them; a lead-in without one names who they bind", () => {
    const found = reqs(["MCP Servers:", "", "1. **SHOULD NOT** include `offline_access` in the scope.", "2. **MUST** answer."].join("\n"));
    expect(found.map((r) => [r.line, r.keyword, r.text])).toEqual([
      [3, "SHOULD NOT", "MCP Servers: SHOULD NOT include offline_access in the scope."],
      [4, "MUST", "MCP Servers: MUST answer."],
    ]);
  });

  it("a lead-in whose items oblige nothing is a requirement itself", () => {
    const found = reqs(["Clients SHOULD follow these:", "", "- they MAY cache", "- they MAY retry"].join("\n"));
    expect(found.map((r) => [r.line, r.keyword])).toEqual([[1, "SHOULD"]]);
  });

  it("a bold label is not part of what an item asks", () => {
    const [r] = reqs("1. **No guarantee**: Clients **MUST NOT** assume a refresh token.");
    expect(r!.text).toBe("No guarantee: Clients MUST NOT assume a refresh token.");
    expect(r!.words).toBe("Clients MUST NOT assume a refresh token.");
  });

  it("a clause after a semicolon that obliges nothing is context, not a requirement's words", () => {
    const [r] = reqs("Implementations SHOULD prefer SSE keepalive; ping remains available.");
    expect(r!.words).toBe("Implementations SHOULD prefer SSE keepalive");
  });

  it("table rows with a keyword, the header row never", () => {
    const found = reqs(["| Field | Rule |", "| --- | --- |", "| `uri` | MUST be absolute |", "| `name` | optional |", "| `mime` | SHOULD be set |"].join("\n"));
    expect(found.map((r) => [r.line, r.keyword, r.kind, r.text])).toEqual([
      [3, "MUST", "row", "uri | MUST be absolute"],
      [5, "SHOULD", "row", "mime | SHOULD be set"],
    ]);
  });

  it("fenced code: proposed text is read, a diff's added lines only, schema doc comments and JSON descriptions; examples are not", () => {
    const text = [
      "```markdown", // 1
      "Servers **MUST** send it only inside a request.", // 2
      "```",
      "```diff", // 4
      "- These messages **SHOULD** relate to the request.", // 5: removed: not a requirement
      "+ These messages **MUST** relate to the request.", // 6
      "```",
      "```typescript", // 8
      "/**", // 9
      " * The server MUST echo this id.", // 10
      " */",
      "id: string; // clients SHOULD keep it", // 12
      'const s = "this MUST not count";', // 13: code, not a comment
      "```",
      "```json", // 15
      '{ "description": "Clients MUST ignore unknown keys", "example": "MUST not count" }', // 16
      "```",
      "```python", // 18
      "# servers MUST NOT do this (an example)", // 19
      "```",
      "```", // 21: no language: read as text
      "Clients SHOULD NOT cache it.", // 22
      "```",
    ].join("\n");
    expect(reqs(text).map((r) => [r.line, r.keyword, r.kind])).toEqual([
      [2, "MUST", "fenced"],
      [6, "MUST", "fenced"],
      [10, "MUST", "fenced"],
      [12, "SHOULD", "fenced"],
      [16, "MUST", "fenced"],
      [22, "SHOULD NOT", "fenced"],
    ]);
  });

  it("HTML comments hold nothing; other HTML keeps its text", () => {
    const text = ["<!-- Servers MUST do what the template says -->", "", "<Warning>", "Servers MUST warn.", "</Warning>"].join("\n");
    expect(reqs(text).map((r) => [r.line, r.keyword, r.text])).toEqual([[4, "MUST", "Servers MUST warn."]]);
  });

  it("a section with no normative sentence has no requirement", () => {
    expect(reqs("This SEP only documents current behaviour.\n\n- servers should reply\n- clients MAY retry")).toEqual([]);
  });

  it("hostile nesting is refused, not overflowed, and a 1 MB line is read in bounded time", () => {
    expect(() => reqs(`${"> ".repeat(5000)}Servers MUST reply.`)).toThrow(UnreadableSection);
    const long = reqs(`Servers MUST ${"x".repeat(1_000_000)}.`);
    expect(long).toHaveLength(1);
  });
});

describe("which section is the Specification", () => {
  it("numbered, or a title that starts with it (Specification Changes)", () => {
    expect(sections("# SEP-1: X\n\n## 3. Specification Changes\n\nA.\n\n## Rationale\n\nB.\n").map((s) => [s.heading, s.startLine, s.endLine])).toEqual([["3. Specification Changes", 3, 6]]);
  });

  it("a second Specification-like heading at the same level is read too; one nested inside is part of the first", () => {
    const text = ["# SEP-1: X", "", "## Specification", "", "### Specification details", "", "A MUST.", "", "## Proposed Specification", "", "B MUST.", "", "## Rationale"].join("\n");
    expect(sections(text).map((s) => [s.heading, s.startLine, s.endLine])).toEqual([
      ["Specification", 3, 8],
      ["Proposed Specification", 9, 12],
    ]);
  });

  it("a SEP without one has none", () => {
    expect(sections("# SEP-1: X\n\n## Abstract\n\nServers MUST.\n")).toEqual([]);
  });
});

describe("hostile text is read in linear time (micromark's inline parsing is not used)", () => {
  it("inline HTML and code spans are not parsed, and a character that would start one is read with the rest of its line", () => {
    // Inline HTML (`<?`, `<!--`, `<!A`, `<![CDATA[`) and code spans (runs of backticks of every length) are quadratic in
    // micromark; even disabled, `x*y` on every line of a paragraph made it merge pieces once per line over the paragraph.
    const [off, rest] = BLOCKS_ONLY as [{ disable: { null: string[] } }, { text: Record<string, unknown> }];
    expect(off.disable.null).toEqual(expect.arrayContaining(["attention", "labelStartImage", "labelStartLink", "labelEnd", "htmlText", "codeText"]));
    expect(Object.keys(rest.text).map(Number).sort((a, b) => a - b)).toEqual([..."!&*<[\\]_`"].map((c) => c.charCodeAt(0)).sort((a, b) => a - b));
    const paragraph = markdownBlocks("Servers MUST <?x ` <!-- y\nx*y\n").children![0]!;
    expect(paragraph.type).toBe("paragraph");
    expect(JSON.stringify(paragraph)).not.toMatch(/"type":"(html|inlineCode|emphasis)"/);
  });

  it("hostile runs of 100 KB are read, each to its one requirement", () => {
    let widening = "";
    for (let k = 1; widening.length < 100_000; k++) widening += `${"`".repeat(k)} `;
    const hostile = ["<?".repeat(50_000), "<!--".repeat(25_000), "<!A".repeat(33_000), "<![CDATA[".repeat(11_000), widening, "x*y\n".repeat(25_000), "a? ".repeat(33_000)];
    for (const run of hostile) expect(reqs(`Servers MUST reply ${run} now.`).map((r) => r.keyword)).toEqual(["MUST"]);
  });

  it("an inline HTML comment holds nothing, and tags inside a paragraph are dropped from its text", () => {
    expect(reqs("Servers reply. <!-- Clients MUST retry. --> Done.")).toEqual([]);
    expect(reqs("Servers reply <!-- TODO: say who MUST\nretry -->.")).toEqual([]);
    expect(reqs("Servers MUST <b>reply</b> <!-- quickly -->.").map((r) => r.text)).toEqual(["Servers MUST reply ."]);
  });
});

describe("what is not a requirement", () => {
  it("NOT REQUIRED (or not REQUIRED) obliges nothing; a keyword inside a code span is a value, not a word", () => {
    expect(keywordOf("The cursor field is NOT REQUIRED.")).toBeNull();
    expect(keywordOf("The cursor field is not REQUIRED.")).toBeNull();
    expect(keywordOf("The id field is REQUIRED; the cursor is NOT REQUIRED.")).toBe("REQUIRED");
    expect(reqs("The `cursor` field is NOT REQUIRED.\n\nThe `cursor` field is not REQUIRED.")).toEqual([]);
    expect(reqs("The value `MUST` is a string constant.\n\n| who | what |\n|---|---|\n| server | `MUST` |")).toEqual([]);
    // The words in code still count as what it says; a keyword outside code still obliges.
    expect(reqs("The `iss` parameter MUST equal `MUST_NOT_CACHE`.").map((r) => [r.keyword, r.text])).toEqual([["MUST", "The iss parameter MUST equal MUST_NOT_CACHE."]]);
    // A clause whose only keyword is in code obliges nothing: not among the words a row must say.
    expect(reqs("Clients send ``a `SHOULD` b``; servers MUST log it.").map((r) => [r.keyword, r.words])).toEqual([["MUST", "servers MUST log it."]]);
  });
});

describe("the Specification section's headings, in linear time", () => {
  it("each heading is looked at a bounded number of times, not once per other heading", () => {
    const n = 3000;
    const list = Array.from({ length: n }, (_, i) => ({ text: i % 3 === 2 ? "Details" : "Specification", depth: i % 3 === 2 ? 3 : 2, line: i + 1, endLine: i + 1, column: 1, textColumn: 4 }));
    let reads = 0;
    const headings = new Proxy(list, {
      get(target, key, receiver) {
        if (typeof key === "string" && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const found = specificationSections({ headings, lineCount: n + 1 }, ["Specification"]);
    expect(found).toHaveLength(2000);
    expect(found.slice(0, 3).map((s) => [s.startLine, s.endLine])).toEqual([[1, 1], [2, 3], [4, 4]]);
    expect(found.at(-1)).toMatchObject({ startLine: 2999, endLine: 3001 });
    expect(reads).toBeLessThan(20 * n);
  });

  it("200,000 matching headings do not overflow the stack", () => {
    const headings = Array.from({ length: 200_000 }, (_, i) => ({ text: "Specification", depth: 2, line: i + 1, endLine: i + 1, column: 1, textColumn: 4 }));
    expect(specificationSections({ headings, lineCount: 200_001 }, ["Specification"])).toHaveLength(200_000);
  });

  it("a deeper heading inside a section is part of it; the shallowest level wins", () => {
    const headings = [
      { text: "Specification details", depth: 3, line: 2 },
      { text: "Specification", depth: 2, line: 5 },
      { text: "Wire format", depth: 3, line: 8 },
      { text: "Proposed Specification", depth: 2, line: 12 },
      { text: "Rationale", depth: 1, line: 20 },
    ].map((h) => ({ ...h, endLine: h.line, column: 1, textColumn: 4 }));
    expect(specificationSections({ headings, lineCount: 30 }, ["Specification", "Proposed Specification"]).map((s) => [s.heading, s.startLine, s.endLine])).toEqual([
      ["Specification", 5, 11],
      ["Proposed Specification", 12, 19],
    ]);
  });
});
