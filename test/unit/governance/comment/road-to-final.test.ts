import { describe, expect, it } from "vitest";
import { roadToFinal } from "../../../../src/governance/comment/road-to-final.js";
import { finalReadiness } from "../../../../src/governance/final/readiness.js";
import { parseSep } from "../../../../src/sep/parse.js";
import { rules, sepText } from "../../../helpers/sep.js";
import { snapshot } from "../../../helpers/snapshot.js";

/** The status comment's Road to Final: what a person reads, made safe, and never past what a comment holds. */

const PATH = "seps/1933-streaming-widgets.md";

function road(spec: string, yaml: string | null) {
  const text = sepText({ heading: "# SEP-1933: Streaming Widgets", status: "Accepted", sponsor: "Tess Type (@tess-type)" }).replace("## Specification\n\nA `widgets/stream` method.", `## Specification\n\n${spec}`);
  const readiness = finalReadiness({
    sep: parseSep(text, PATH, { rules }),
    text,
    rules,
    conformance: { traceability: { text: yaml, path: "src/seps/sep-1933.yaml", url: "https://github.com/modelcontextprotocol/conformance/blob/HEAD/src/seps/sep-1933.yaml" }, manifest: null },
    changes: { paths: [PATH], complete: true, changelog: null },
  });
  return roadToFinal(readiness, rules, snapshot({ files: [] }), PATH).join("\n");
}

describe("the Road to Final in the status comment", () => {
  it("each item with its mark; every requirement linked to its line, its rows to theirs; no box a person could tick", () => {
    const out = road("Servers MUST reply.\n\nClients SHOULD retry.", "sep: 1933\nrequirements:\n  - check: sep-1933-reply\n    text: Servers MUST reply\n");
    expect(out).toContain("- ⬜ **Changelog entry**");
    expect(out).toContain("- ⬜ **Conformance traceability**: 1 of 2 requirements traced; 1 requirement with no row (line 22) ([`src/seps/sep-1933.yaml`](https://github.com/modelcontextprotocol/conformance/blob/HEAD/src/seps/sep-1933.yaml))");
    expect(out).toMatch(/\[line 22\]\(https:\/\/github\.com\/[^)]+\/seps\/1933-streaming-widgets\.md#L22\) SHOULD, \*\*no row\*\*: "Clients SHOULD retry\."/);
    expect(out).toMatch(/\[line 20\]\([^)]+#L20\) MUST: \[row 0 \(`sep-1933-reply`\)\]\(https:\/\/github\.com\/modelcontextprotocol\/conformance\/blob\/HEAD\/src\/seps\/sep-1933\.yaml#L3\)/);
    expect(out).not.toMatch(/- \[[ x]\]/);
  });

  it("a file's text cannot mention anyone or open HTML in it", () => {
    const out = road("Servers MUST notify @tess-type <img src=x onerror=alert(1)>.", null);
    expect(out).not.toMatch(/@tess-type/);
    expect(out).not.toContain("<img");
  });

  it("hundreds of requirements: those needing an eye first, the rest counted, well under GitHub's 65,536 characters", () => {
    const spec = Array.from({ length: 300 }, (_, i) => `Servers MUST support widget kind number ${i} with a long explanation of what that kind does for clients.`).join("\n\n");
    const out = road(spec, "sep: 1933\nrequirements: []\n");
    expect(out).toContain("- … and 240 more: `sep-bot conformance <file> --traceability <yaml>` lists every one.");
    expect(out.length).toBeLessThan(40_000);
  });
});
