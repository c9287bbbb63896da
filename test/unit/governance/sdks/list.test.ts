import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSdkTable, sdkNamed, sdksOf } from "../../../../src/governance/sdks/list.js";
import { releaseDates, releaseOf } from "../../../../src/governance/sdks/release.js";
import { parseBlock, umbrellaBlock, withBlock } from "../../../../src/governance/sdks/umbrella.js";
import { loadRules } from "../../../../src/rules/load.js";
import { rules } from "../../../helpers/sep.js";

const PAGE = readFileSync(new URL("../../../fixtures/spec-repo/docs/docs/draft/sdk.mdx", import.meta.url), "utf8");

describe("the SDKs, from the documentation's table", () => {
  it("the real page: ten SDKs, their repositories and tiers (five Tier 1, two Tier 2, three Tier 3)", () => {
    const sdks = parseSdkTable(PAGE);
    expect(sdks.map((s) => [s.name, s.repo, s.tier])).toEqual([
      ["TypeScript", "modelcontextprotocol/typescript-sdk", 1],
      ["Python", "modelcontextprotocol/python-sdk", 1],
      ["C#", "modelcontextprotocol/csharp-sdk", 1],
      ["Go", "modelcontextprotocol/go-sdk", 1],
      ["Rust", "modelcontextprotocol/rust-sdk", 1],
      ["Java", "modelcontextprotocol/java-sdk", 2],
      ["Ruby", "modelcontextprotocol/ruby-sdk", 2],
      ["Swift", "modelcontextprotocol/swift-sdk", 3],
      ["PHP", "modelcontextprotocol/php-sdk", 3],
      ["Kotlin", "modelcontextprotocol/kotlin-sdk", 3],
    ]);
  });

  it("the rules' own list over the file's; a person names an SDK by repository, its name, or its language", () => {
    const mine = loadRules([{ text: "sdks:\n  list:\n    - { repo: modelcontextprotocol/java-sdk, name: Java, tier: 1 }\n    - { repo: example/elixir-sdk, name: Elixir, tier: 1 }\n", file: "x.yml" }]);
    const sdks = sdksOf(mine.sdks!, PAGE);
    expect(sdks.find((s) => s.name === "Java")?.tier).toBe(1);
    expect(sdks.find((s) => s.name === "Elixir")?.repo).toBe("example/elixir-sdk");
    expect(sdkNamed(sdks, "go-sdk")?.repo).toBe("modelcontextprotocol/go-sdk");
    expect(sdkNamed(sdks, "modelcontextprotocol/Rust-SDK")?.name).toBe("Rust");
    expect(sdkNamed(sdks, "c#")?.repo).toBe("modelcontextprotocol/csharp-sdk");
    expect(sdkNamed(sdks, "cobol")).toBeNull();
    expect(sdkNamed(sdks, "Go", "repository")).toBeNull(); // a language's name may be a word of a sentence
  });

  it("repository links as people write them; a repository in two tables keeps its first row", () => {
    const page = [
      "| SDK | Repository | Tier |",
      "| --- | --- | --- |",
      "| Rust | [rust-sdk](https://github.com/o/rust-sdk#readme) | Tier 1 |",
      "| Go | [go](http://www.github.com/o/go-sdk/tree/main) | Tier 1 |",
      "| Swift | [swift](github.com/o/swift-sdk.git) | Tier 3 |",
      "| Ruby | [ruby](https://github.com/o/ruby-sdk/issues) | Tier 2 |",
      "| TypeScript | [ts](https://github.com/o/ts-sdk) | Tier 1 |",
      "",
      "## Community",
      "",
      "| SDK | Repository | Tier |",
      "| --- | --- | --- |",
      "| TypeScript (fork) | [ts](https://github.com/o/ts-sdk/) | Tier 3 |",
      "",
    ].join("\n");
    const rules_ = loadRules([{ text: "sdks:\n  file: docs/sdk.mdx\n", file: "x.yml" }]);
    expect(sdksOf(rules_.sdks!, page).map((s) => [s.repo, s.tier])).toEqual([
      ["o/rust-sdk", 1],
      ["o/go-sdk", 1],
      ["o/swift-sdk", 3],
      ["o/ts-sdk", 1],
    ]);
  });
});

describe("the release a SEP is for", () => {
  it("a milestone or a label named like a version; its candidate, its release, what each tier owes it", () => {
    expect(releaseOf(rules.sdks!, ["SEP", "accepted"], "2026-07-28")).toBe("2026-07-28");
    expect(releaseOf(rules.sdks!, ["SEP", "2026-11-25"], null)).toBe("2026-11-25");
    expect(releaseOf(rules.sdks!, ["SEP"], "Backlog")).toBeNull();
    expect(releaseDates(rules.sdks!, "2026-07-28")).toEqual({ version: "2026-07-28", candidate: "2026-07-14", release: "2026-07-28", deadlines: { "1": "2026-07-28", "2": "2027-01-26" } });
    expect(releaseDates(rules.sdks!, "next", "2027-03-01T00:00:00Z")).toEqual({ version: "next", candidate: null, release: "2027-03-01", deadlines: { "2": "2027-08-30" } });
  });
});

describe("the umbrella's list", () => {
  const sdk = (repo: string, tier = 1) => ({ repo, name: repo, tier });
  const block = umbrellaBlock(2575, 2575, "2026-07-28", [
    { sdk: sdk("o/go-sdk"), tracked: { repo: "o/go-sdk", number: 966, adopted: false, state: "done", at: null } },
    { sdk: sdk("o/rust-sdk"), tracked: { repo: "o/rust-sdk", number: 70, adopted: true, state: "not-planned", at: null } },
    { sdk: sdk("o/py-sdk"), tracked: { repo: "o/py-sdk", number: null, adopted: false, state: "no-access", at: null } },
    { sdk: sdk("o/ts-sdk"), tracked: { repo: "o/ts-sdk", number: null, adopted: false, state: "not-needed", at: null }, skipped: { by: "tess", reason: "done already @someone" } },
  ], null, "grant access");

  it("a task list GitHub renders with each issue's title and state; it reads back as written", () => {
    expect(block).toContain("- [x] o/go-sdk#966 (Tier 1)\n- [ ] o/rust-sdk#70 (Tier 1): closed as not planned\n- [ ] o/py-sdk (Tier 1): not filed: sep-bot has no access (grant access)\n- [x] o/ts-sdk (Tier 1): not needed (tess: done already @\u200bsomeone)");
    expect(parseBlock(`people's words\n${block}\nmore words`)).toEqual({
      sep: 2575,
      pr: 2575,
      release: "2026-07-28",
      done: false,
      sdks: [
        { repo: "o/go-sdk", number: 966, tier: 1, state: "done" },
        { repo: "o/rust-sdk", number: 70, tier: 1, state: "not-planned" },
        { repo: "o/py-sdk", number: null, tier: 1, state: "no-access" },
        { repo: "o/ts-sdk", number: null, tier: 1, state: "not-needed" },
      ],
    });
  });

  it("rewritten in place, people's text around it kept; a body that lost it gets it back at the end", () => {
    const body = `### Where was this agreed?\n\nurl\n\n${block}\n\nNotes: Go first.`;
    const next = withBlock(body, 2575, "NEW LIST");
    expect(next).toBe("### Where was this agreed?\n\nurl\n\nNEW LIST\n\nNotes: Go first.");
    expect(withBlock("Only people's words.", 2575, "NEW LIST")).toBe("Only people's words.\n\nNEW LIST\n");
    expect(withBlock(body, 9999, "OTHER")).toContain(block); // another SEP's block is not this one
  });

  it("a block whose end marker someone deleted ends with its list: their text after it is kept, and it reads back the same", () => {
    const cut = block.replace("<!-- sep-bot:sdks end -->", "").trimEnd();
    const body = `Intro.\n\n${cut}\n\nNotes: keep me.\n- [ ] a person's own task`;
    expect(parseBlock(body)?.sdks.map((s) => s.repo)).toEqual(["o/go-sdk", "o/rust-sdk", "o/py-sdk", "o/ts-sdk"]);
    const once = withBlock(body, 2575, block);
    expect(once).toBe(`Intro.\n\n${block}\n\nNotes: keep me.\n- [ ] a person's own task`);
    expect(withBlock(once, 2575, block)).toBe(once);
  });

  it("the marker names the pull request when it is not the SEP's number, and a release with spaces reads back whole", () => {
    const odd = umbrellaBlock(1500, 1933, "2026 Q3 <b>", [{ sdk: sdk("o/go-sdk"), tracked: { repo: "o/go-sdk", number: 1, adopted: false, state: "open", at: null } }], null, "grant access");
    expect(odd.split("\n")[0]).toBe("<!-- sep-bot:sdks sep=1500 pr=1933 release=2026%20Q3%20%3Cb%3E begin: sep-bot keeps this list; write around it -->");
    expect(parseBlock(odd)).toMatchObject({ sep: 1500, pr: 1933, release: "2026 Q3 <b>", sdks: [{ repo: "o/go-sdk", number: 1, state: "open" }] });
  });
});
