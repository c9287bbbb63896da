import { describe, expect, it } from "vitest";
import { quiet, roadToFinal } from "../../../../src/governance/comment/road-to-final.js";
import { finalReadiness } from "../../../../src/governance/final/readiness.js";
import { parseSep } from "../../../../src/sep/parse.js";
import { rules, sepText } from "../../../helpers/sep.js";
import { snapshot } from "../../../helpers/snapshot.js";

/** The status comment's Road to Final: what a person reads, made safe, and never past what a comment holds. */

const PATH = "seps/1933-streaming-widgets.md";

function road(spec: string, yaml: string | null, manifest: string | null = null) {
  const text = sepText({ heading: "# SEP-1933: Streaming Widgets", status: "Accepted", sponsor: "Tess Type (@tess-type)" }).replace("## Specification\n\nA `widgets/stream` method.", `## Specification\n\n${spec}`);
  const readiness = finalReadiness({
    sep: parseSep(text, PATH, { rules }),
    text,
    rules,
    conformance: { traceability: { text: yaml, path: "src/seps/sep-1933.yaml", url: "https://github.com/modelcontextprotocol/conformance/blob/HEAD/src/seps/sep-1933.yaml" }, manifest: manifest === null ? null : { text: manifest, url: null } },
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

  it("our words with the files' bits: a backtick cannot end a code span early, nor a bracket open a link or an image", () => {
    expect(quiet("`a` and `b`")).toBe("`a` and `b`");
    expect(quiet("x ![i](https://e.x/p.png) [l](https://e.x) <img> @sam\nnext")).toBe("x !\\[i\\](https://e.x/p.png) \\[l\\](https://e.x)  img  @\u200bsam next");
    // An odd backtick (a check ID that holds one): every backtick dropped, so nothing after it reads as markdown.
    expect(quiet("checks: `a` ![x](https://e.x/p.png)` and `b`")).toBe("checks: a !\\[x\\](https://e.x/p.png) and b");
    expect(quiet(`${"`a`, ".repeat(100)}`, 50)).toMatch(/^(`a`, )+`a`,?…$/); // cut where no span is left open
  });

  it("whatever the files say (2,000 untested checks, 3,000 untracked, 60 requirements each traced by 400 rows), every list is cut and said so", () => {
    const spec = Array.from({ length: 60 }, (_, i) => `Servers MUST reply to widgets/stream requests with the widget_state field number${i}.`).join("\n\n");
    const rows = Array.from({ length: 400 }, (_, i) => `  - check: sep-1933-widget-state-${"w".repeat(60)}-${i}\n    text: Servers MUST reply to widgets/stream requests with the widget_state field\n`).join("");
    const extra = Array.from({ length: 100 }, (_, i) => `  - check: sep-1933-other-${i}\n    text: Clients SHOULD render zebra${i} quokka${i} in pink\n`).join("");
    const manifest = JSON.stringify({
      seps: {
        "1933": {
          requirements: Array.from({ length: 2000 }, (_, i) => ({ check: `sep-1933-untested-${i}-${"u".repeat(70)}\`![x](https://e.x/p.png)\``, status: "untested" })),
          untracked: Array.from({ length: 3000 }, (_, i) => `sep-1933-widget-state-field-number${i}-${"t".repeat(60)}`),
        },
      },
    });
    const out = road(spec, `sep: 1933\nrequirements:\n${rows}${extra}`, manifest);
    expect(out.length).toBeLessThan(40_000);
    expect(out).toMatch(/… and 395 more rows/);
    expect(out).toMatch(/- … and \d+ more: `sep-bot conformance <file> --traceability <yaml>` lists every one\./);
    expect(out).toMatch(/Rows that trace nothing in the section [^\n]*, … and 80 more\./);
    expect(out).toMatch(/Checks the reference run emitted with no row: [^\n]*, … and 2980 more\./);
    expect(out).toMatch(/2000 checks the reference run did not emit: [^\n]* and 1995 more/);
    expect(out).not.toMatch(/!\[x\]\(https:\/\/e\.x\/p\.png\)(?!`)/); // the image only ever inside a code span
  });
});
