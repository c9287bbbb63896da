import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSep } from "../../../src/sep/parse.js";
import { rules, sepText } from "../../helpers/sep.js";

const REAL = new URL("../../fixtures/real-seps", import.meta.url).pathname;
const real = (name: string) => parseSep(readFileSync(`${REAL}/${name}`), `seps/${name.split("/").pop()}`, { rules });

describe("real SEP files", () => {
  it("1850: bullets, free-text Accepted, two authors with handles", () => {
    const sep = real("1850-pr-based-sep-workflow.md");
    expect(sep).toMatchObject({
      number: 1850,
      fileNumber: 1850,
      slug: "pr-based-sep-workflow",
      title: "PR-Based SEP Workflow",
      status: "final",
      statusRaw: "Final",
      type: "process",
      created: "2025-11-20",
      accepted: "2025-11-28, 8 Yes, 0 No, 0 Absent per vote in Discord.",
      pr: 1850,
      preambleStyle: "bullets",
      awaitingSponsor: false,
      legacy: false,
    });
    expect(sep.authors).toEqual([
      { name: "Nick Cooper", handle: "nickcoai", email: null },
      { name: "David Soria Parra", handle: "davidsp", email: null },
    ]);
    expect(sep.sponsors).toEqual([{ name: "David Soria Parra", handle: "davidsp", email: null }]);
    // The template quoted inside a ```markdown block is not a set of sections.
    expect(sep.sections.map((s) => s.title)).toEqual(["Abstract", "Motivation", "Specification", "Rationale", "Backward Compatibility", "Security Implications", "Reference Implementation"]);
    expect(sep.sections[0]).toMatchObject({ line: 11, column: 1 });
    expect(sep.fields.find((f) => f.id === "status")).toMatchObject({ key: "Status", line: 3, column: 1, valueColumn: 15 });
  });

  it("2322: Author(s) continued on an indented line, PR number in braces", () => {
    const sep = real("2322-MRTR.md");
    expect(sep.authors.map((a) => a.handle)).toEqual(["markdroth", "CaitieM20", "gjz22"]);
    expect(sep.fields.find((f) => f.id === "authors")).toMatchObject({ line: 6, endLine: 7 });
    expect(sep.pr).toBe(2322);
    expect(sep.slug).toBe("MRTR");
  });

  it("932: PR #931 with an Issue field: an issue-era SEP, no Sponsor line", () => {
    const sep = real("932-model-context-protocol-governance.md");
    expect(sep).toMatchObject({ number: 932, pr: 931, legacy: true, sponsorState: "missing", awaitingSponsor: false });
    expect(sep.extras).toEqual({});
    expect(sep.fields.find((f) => f.id === "issue")?.value).toBe("#932");
  });

  it("2663: Extensions Track, Extension Identifier kept as written, trailing note is not an author", () => {
    const sep = real("2663-tasks-extension.md");
    expect(sep.type).toBe("extensions-track");
    expect(sep.extras).toEqual({ "Extension Identifier": "`io.modelcontextprotocol/tasks`" });
    expect(sep.authors.map((a) => a.handle)).toEqual(["LucaButBoring", "CaitieM20"]);
  });

  it("1686: a large SEP with many code blocks; level-3 headings are not sections", () => {
    const sep = real("1686-tasks.md");
    expect(sep.sections.map((s) => s.title)).toEqual(["Abstract", "Motivation", "Specification", "Rationale", "Future Work"]);
    expect(sep.headings.some((h) => h.text === "Backward Compatibility" && h.depth === 3)).toBe(true);
  });

  it("TEMPLATE: every placeholder is recognised as unfilled, not as a value", () => {
    const sep = real("TEMPLATE.md");
    expect(sep).toMatchObject({ number: null, title: null, status: null, type: null, created: null, pr: null, sponsorState: "placeholder", awaitingSponsor: true });
    expect(sep.authors).toEqual([]);
    expect(sep.statusRaw).toContain("Draft | In-Review");
  });

  it("the rename example: heading fixed by hand, PR field still {NUMBER}", () => {
    const before = real("rename-example/before-0000-workload-identity-federation.md");
    const after = real("rename-example/after-1933-workload-identity-federation.md");
    expect(before.number).toBeNull();
    expect(before.numberRaw).toBe("0000");
    expect(after.number).toBe(1933);
    expect(after.pr).toBeNull();
    expect(after.awaitingSponsor).toBe(true); // "None (seeking sponsor)" while Status says Draft
    expect(after.status).toBe("draft");
  });
});

describe("preamble styles", () => {
  const body = "\n## Abstract\n\nText.\n";
  it.each([
    ["bullets with colon inside the bold", "- **Status:** Draft\n- **Type:** Process", "bullets"],
    ["star bullets", "* **Status**: Draft\n* **Type**: Process", "bullets"],
    ["plus bullets, plain keys", "+ Status: Draft\n+ Type: Process", "bullets"],
    ["bold lines", "**Status**: Draft  \n**Type**: Process", "bold-lines"],
    ["bold lines with blank lines between", "**Status**: Draft\n\n**Type**: Process", "bold-lines"],
    ["a table with a header row", "| Field | Value |\n|---|---|\n| Status | Draft |\n| **Type** | Process |", "table"],
    ["a table without a header", "| Status | Draft |\n|---|---|\n| Type | Process |", "table"],
  ])("%s", (_name, preamble, style) => {
    const sep = parseSep(`# SEP-1: X\n\n${preamble}\n${body}`, "seps/1-x.md", { rules });
    expect(sep.preambleStyle).toBe(style);
    expect(sep.status).toBe("draft");
    expect(sep.type).toBe("process");
  });

  it("YAML front matter, read safely, with positions", () => {
    const text = "---\ntitle: Streaming\nsep: 12\nstatus: in-review\ntype: Standards Track\nauthors:\n  - name: Ada\n    github: ada\n  - Bob (@bob)\nsponsor: '@grace'\npr: 12\n---\n\n## Abstract\n\nx\n";
    const sep = parseSep(text, "seps/12-streaming.md", { rules });
    expect(sep).toMatchObject({ preambleStyle: "front-matter", title: "Streaming", number: 12, status: "in-review", type: "standards-track", pr: 12 });
    expect(sep.authors.map((a) => a.handle)).toEqual(["ada", "bob"]);
    expect(sep.sponsors[0]?.handle).toBe("grace");
    expect(sep.fields.find((f) => f.id === "status")?.line).toBe(4);
    expect(sep.sections).toMatchObject([{ title: "Abstract", line: 14 }]);
  });

  it("a closing --- of front matter is not a setext underline", () => {
    const sep = parseSep("---\nstatus: Draft\n---\n## Abstract\n", "seps/1-x.md", { rules });
    expect(sep.headings.map((h) => h.text)).toEqual(["Abstract"]);
  });

  it("the template's > Note before the fields is skipped; prose after the fields ends the preamble", () => {
    const sep = parseSep("# SEP-1: X\n\n> **Note**: read me\n\n- **Status**: Draft\n\nSome **Goal**: prose that is not a field.\n\n- **Type**: Process\n\n## Abstract\n", "seps/1-x.md", { rules });
    expect(sep.fields.map((f) => f.key)).toEqual(["Status"]);
  });

  it("fields inside a code block or HTML comment are not read", () => {
    const sep = parseSep("# SEP-1: X\n\n<!--\n- **Status**: Final\n-->\n```\n- **Type**: Process\n```\n- **Status**: Draft\n\n## Abstract\n", "seps/1-x.md", { rules });
    expect(sep.fields.map((f) => [f.key, f.value])).toEqual([["Status", "Draft"]]);
  });
});

describe("values", () => {
  const parseWith = (o: Parameters<typeof sepText>[0]) => parseSep(sepText(o), "seps/2234-x.md", { rules });
  it.each([
    ["Draft", "draft"],
    ["draft", "draft"],
    ["In Review", "in-review"],
    ["in_review", "in-review"],
    ["`draft`", "draft"],
    ["**Accepted**", "accepted"],
    ["Draft (seeking sponsor)", "draft"],
    ["Awaiting Sponsor", "proposal"],
  ])("status %j -> %s", (raw, id) => {
    expect(parseWith({ status: raw }).status).toBe(id);
  });

  it("unknown status wording is kept raw, not guessed", () => {
    const sep = parseWith({ status: "Almost done" });
    expect(sep.status).toBeNull();
    expect(sep.statusRaw).toBe("Almost done");
  });

  it.each([
    ["https://github.com/modelcontextprotocol/modelcontextprotocol/pull/2234", 2234],
    ["#2234", 2234],
    ["[#2234](https://github.com/o/r/pull/2234)", 2234],
    ["https://github.com/o/r/pull/{2234}", 2234],
    ["https://github.com/o/r/pull/{NUMBER}", null],
    ["2234", 2234],
    ["TBD", null],
  ])("PR %j -> %s", (raw, pr) => {
    expect(parseWith({ pr: raw }).pr).toBe(pr);
  });

  it.each([
    ["None", "none"],
    ["None (seeking sponsor)", "none"],
    ["", "none"],
    ["Seeking sponsor", "none"],
    ["TBD", "none"],
    ['@github-username (or "None" if seeking sponsor)', "placeholder"],
    ["Grace (@grace)", "named"],
  ])("sponsor %j -> %s", (raw, state) => {
    const sep = parseWith({ sponsor: raw, status: "Draft" });
    expect(sep.sponsorState).toBe(state);
    expect(sep.awaitingSponsor).toBe(state !== "named");
  });

  it("authors: email, handle, links, notes", () => {
    const sep = parseWith({ authors: "Ada Lovelace <ada@example.org> (@ada), [Bob](https://github.com/bobby), Carol (@carol; Org), et al." });
    expect(sep.authors).toEqual([
      { name: "Ada Lovelace", handle: "ada", email: "ada@example.org" },
      { name: "Bob", handle: "bobby", email: null },
      { name: "Carol", handle: "carol", email: null },
    ]);
  });

  it("Created must be a real date", () => {
    expect(parseWith({ created: "2026-02-29" }).created).toBeNull();
    expect(parseWith({ created: "2028-02-29" }).created).toBe("2028-02-29");
  });
});

describe("numbers and titles", () => {
  it("keeps the file's number and the heading's number apart", () => {
    const sep = parseSep(sepText({ heading: "# SEP-77: Title" }), "seps/78-title.md", { rules });
    expect([sep.number, sep.fileNumber]).toEqual([77, 78]);
  });

  it("0000 and {NUMBER} are placeholders, not numbers", () => {
    const sep = parseSep(sepText({ heading: "# SEP-{NUMBER}: Title" }), "seps/0000-title.md", { rules });
    expect([sep.number, sep.fileNumber, sep.fileNumberRaw, sep.numberRaw]).toEqual([null, null, "0000", "{NUMBER}"]);
  });

  it("a preamble's Title field is the title when no heading gives one (SEP-2433's table); a heading's title wins", () => {
    const table = "| Field | Value |\n|---|---|\n| **SEP** | 2433 |\n| **Title** | Transfer Descriptors: Out-of-Band Data Transfer Negotiation |\n| **Status** | Draft |\n\n## Abstract\n\nx\n";
    const sep = parseSep(table, "seps/2433-transfer-descriptors.md", { rules });
    expect([sep.title, sep.titleHeading, sep.status, sep.extras["SEP"]]).toEqual(["Transfer Descriptors: Out-of-Band Data Transfer Negotiation", null, "draft", "2433"]);
    expect(parseSep(`# SEP-2433: From the Heading\n\n${table}`, "seps/2433-x.md", { rules }).title).toBe("From the Heading");
    expect(parseSep(table.replace("Transfer Descriptors: Out-of-Band Data Transfer Negotiation", "{Title}"), "seps/2433-x.md", { rules }).title).toBeNull();
  });
});

describe("text encodings and line endings", () => {
  const lf = sepText();
  const shape = (text: string) => {
    const sep = parseSep(text, "seps/2234-x.md", { rules });
    return { sections: sep.sections.map((s) => [s.title, s.line]), fields: sep.fields.map((f) => [f.key, f.value, f.line]) };
  };
  it.each([
    ["CRLF", lf.replace(/\n/g, "\r\n")],
    ["CR", lf.replace(/\n/g, "\r")],
    ["BOM + CRLF", `\uFEFF${lf.replace(/\n/g, "\r\n")}`],
    ["trailing spaces and tabs", lf.replace(/\n/g, " \t\n")],
  ])("%s reads the same as LF", (_name, text) => {
    expect(shape(text)).toEqual(shape(lf));
  });

  it("setext headings are sections", () => {
    const sep = parseSep("SEP-5: Setext\n=============\n\n- **Status**: Draft\n\nAbstract\n--------\n\nText.\n", "seps/5-x.md", { rules });
    expect(sep.titleHeading?.text).toBe("SEP-5: Setext");
    expect(sep.sections.map((s) => s.title)).toEqual(["Abstract"]);
  });
});

/** Shapes seen in the specification repository's history (written here, not copied). */
describe("variants from real SEP history", () => {
  const body = "\n## Abstract\n\nText.\n";
  const parse = (text: string, path = "seps/2500-x.md") => parseSep(text, path, { rules });

  it("migration debris around values: escaped bold, stray HTML", () => {
    const sep = parse(`# SEP-1024: X\n\n- **Status**: Accepted\n- **Type**: \\*\\* Standards Track\n- **Author(s)**: \\*\\* Den Example\n${body}`);
    expect(sep.type).toBe("standards-track");
    expect(sep.authors).toEqual([{ name: "Den Example", handle: null, email: null }]);
    expect(parse(`# SEP-1: X\n\n- **Type**: </b> Standards Track<br>\n${body}`).type).toBe("standards-track");
  });

  it("bare logins are handles; '@h - Name' and run-on authors are split right", () => {
    expect(parse(`# SEP-1: X\n\n- **Author(s)**: kentexample\n${body}`).authors).toEqual([{ name: null, handle: "kentexample", email: null }]);
    expect(parse(`# SEP-1: X\n\n- **Sponsor**: @CaitieX - Caitie Example\n${body}`).sponsors).toEqual([{ name: "Caitie Example", handle: "CaitieX", email: null }]);
    expect(parse(`# SEP-1: X\n\n- **Author(s)**: Paul Ex (@pex) Aaron Ex (@aex)\n${body}`).authors.map((a) => a.handle)).toEqual(["pex", "aex"]);
    expect(parse(`# SEP-1: X\n\n| **Author** | Om Ex (Acme) — om@acme.com |\n${body}`).authors).toEqual([{ name: "Om Ex", handle: null, email: "om@acme.com" }]);
  });

  describe("author handles as people write them (the author role depends on them)", () => {
    const authors = (value: string) => parse(`# SEP-1: X\n\n- **Author(s)**: ${value}\n${body}`).authors;

    it("handles separated only by spaces", () => {
      expect(authors("@ana @bo-x @c9")).toEqual([
        { name: null, handle: "ana", email: null },
        { name: null, handle: "bo-x", email: null },
        { name: null, handle: "c9", email: null },
      ]);
    });

    it("an affiliation after the handle is not a person", () => {
      expect(authors("Jane Doe (@jdoe), Example Corp; John Roe (@jroe), Acme")).toEqual([
        { name: "Jane Doe", handle: "jdoe", email: null },
        { name: "John Roe", handle: "jroe", email: null },
      ]);
      // Without semicolons, commas still separate people.
      expect(authors("Jane Doe (@jdoe), John Roe").map((a) => a.name)).toEqual(["Jane Doe", "John Roe"]);
    });

    it("enterprise-managed handles with an underscore", () => {
      expect(authors("Name Short (@name_shortcode), @other_acme")).toEqual([
        { name: "Name Short", handle: "name_shortcode", email: null },
        { name: null, handle: "other_acme", email: null },
      ]);
      expect(authors("@trailing_").map((a) => a.handle)).toEqual(["trailing"]);
    });

    it("credit clauses name no author", () => {
      expect(authors("David Example (@dex); original proposal by @x in #507").map((a) => a.handle)).toEqual(["dex"]);
      expect(authors("Ana (@ana), based on work by @bo").map((a) => a.handle)).toEqual(["ana"]);
    });

    it("a preamble under a numbered heading, with **Author:**", () => {
      const sep = parse(`# SEP-1940: Numbered\n\n## 1. Preamble\n\n**Status:** Draft\n**Author:** Ana Example (@ana_acme)\n\n## 2. Abstract\n\nText.\n`, "seps/1940-numbered.md");
      expect(sep.status).toBe("draft");
      expect(sep.authors).toEqual([{ name: "Ana Example", handle: "ana_acme", email: null }]);
    });
  });

  it.each(["None", "Unassigned", "(assigned on open)", "_(pending submission)_", "https://github.com/o/r/pull/XXXX"])("PR %j means no PR yet", (pr) => {
    const sep = parse(`# SEP-0000: X\n\n- **PR**: ${pr}\n${body}`, "seps/0000-x.md");
    expect(sep.pr).toBeNull();
  });

  it("a preamble under its own `## Preamble` heading", () => {
    const sep = parse(`# SEP 1938: Agency hint\n\n## Preamble\n\n- **Status**: draft\n- **Track:** Standards\n\n## Abstract\n\nText.\n`, "seps/1938-agency-hint.md");
    expect(sep).toMatchObject({ number: 1938, status: "draft", type: "standards-track", preambleStyle: "bullets" });
  });

  it("<h2> headings in HTML are sections, with the HTML after them as content", () => {
    const sep = parse(`# SEP-1309: X\n\n- **Status**: Final\n\n<h2>Abstract</h2>\n\nText.\n\n<h2>Motivation</h2>\nWhy.<br>\n<h2>Rationale</h2>\n<!-- later -->\n`);
    expect(sep.sections.map((s) => [s.title, s.contentLines])).toEqual([["Abstract", 1], ["Motivation", 1], ["Rationale", 0]]);
  });

  it("<b>Key:</b> value<br> preamble lines from issue-era SEPs", () => {
    const sep = parse(`# SEP-1309: X\n<b>Status:</b> Accepted<br>\n<b>Type:</b> Standards Track<br>\n<b>Authors:</b> Ana (@ana)<br>\n\n## Abstract\n\nx\n`);
    expect(sep).toMatchObject({ status: "accepted", type: "standards-track", preambleStyle: "bold-lines" });
    expect(sep.authors[0]?.handle).toBe("ana");
  });

  it("a title starting with a word like Next is not a placeholder number", () => {
    expect(parse(`# SEP-Next generation transport\n${body}`, "seps/0000-x.md")).toMatchObject({ numberRaw: null, title: "Next generation transport" });
  });

  it("SEP-DRAFT and a doubled colon in the title", () => {
    expect(parse(`# SEP-DRAFT: Client Ids\n${body}`, "seps/0000-x.md")).toMatchObject({ number: null, numberRaw: "DRAFT", title: "Client Ids" });
    expect(parse(`# SEP-1034: : Default values\n${body}`).title).toBe("Default values");
  });
});
