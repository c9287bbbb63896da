import { describe, expect, it } from "vitest";
import { requirementsIn, specificationSections, UnreadableSection } from "../../../../src/governance/final/requirements.js";
import { keywordOf, plainText } from "../../../../src/governance/final/normative.js";
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
