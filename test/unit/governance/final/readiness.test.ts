import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { finalReadiness, MAX_DETAIL, type FinalInput, type Readiness } from "../../../../src/governance/final/readiness.js";
import { defaultRules } from "../../../../src/rules/load.js";
import { parseSep } from "../../../../src/sep/parse.js";

/**
 * The real Final SEPs with a traceability file, and what sep-bot should say
 * of each: the expectations were written by reading the SEP and its rows
 * side by side (see the comments), not by running the code.
 */

const rules = defaultRules();
const dir = new URL("../../../fixtures/conformance/", import.meta.url);
const manifest = readFileSync(new URL("traceability/traceability.json", dir), "utf8");

function real(number: number, extra: Partial<FinalInput> = {}): Readiness {
  const name = readdirSync(new URL("seps/", dir)).find((f) => f.startsWith(`${number}-`))!;
  const text = readFileSync(new URL(`seps/${name}`, dir), "utf8");
  return finalReadiness({
    sep: parseSep(text, `seps/${name}`, { rules }),
    text,
    rules,
    conformance: { traceability: { text: readFileSync(new URL(`traceability/sep-${number}.yaml`, dir), "utf8"), path: `src/seps/sep-${number}.yaml`, url: null }, manifest: { text: manifest, url: null } },
    ...extra,
  });
}

const byLine = (r: Readiness) => Object.fromEntries(r.conformance.requirements.map((q) => [`${q.line}`, [q.keyword, q.coverage, q.rows]]));

describe("the real SEPs and their traceability files", () => {
  it("SEP-2164: the MUST traced by a SHOULD row is partial; the `data` SHOULD has no row, and the manifest's untracked check is named for it", () => {
    const r = real(2164);
    // 37: "servers MUST return ... -32602"; row 1 quotes the spec docs at SHOULD. 53: "The data field SHOULD include the uri": no row.
    // 55: "Servers MUST NOT return an empty contents array": row 0, word for word.
    expect(byLine(r)).toEqual({ "37": ["MUST", "partial", [1]], "53": ["SHOULD", "none", []], "55": ["MUST NOT", "full", [0]] });
    const r37 = r.conformance.requirements[0]!;
    expect(r37.notes).toContain("row 1 says SHOULD where the SEP says MUST");
    expect(r.conformance.requirements[1]!.candidates).toEqual(["sep-2164-data-uri"]);
    // Row 2 ("clients SHOULD also accept -32002") quotes the Migration Path (line 78), outside the section.
    expect(r.conformance.rows[2]).toMatchObject({ requirements: [], elsewhere: { line: 78 }, exclusion: "unobservable" });
    expect(r.conformance.manifest).toMatchObject({ state: "read", untracked: ["sep-2164-data-uri"] });
    expect(r.items.find((i) => i.id === "conformance")).toMatchObject({ state: "missing", blocking: true });
    expect(r.summary).toMatch(/^2 of 3 requirements traced/);
  });

  it("SEP-2207: a lead-in's list, a MAY item that is no requirement, one row tracing two items, a reworded MUST NOT to confirm", () => {
    const r = real(2207);
    // 62-63 is a SHOULD lead-in whose items carry their own keywords; 68 is a MAY item: neither is a requirement.
    // 74 "Clients MUST NOT assume ... guarantees" is row 3 reworded ("MUST NOT assume refresh tokens will be issued"): partial, confirm.
    // 82 and 85 (the server's two SHOULD NOTs) are both row 1.
    expect(byLine(r)).toEqual({ "65": ["SHOULD", "full", [0]], "74": ["MUST NOT", "partial", [3]], "82": ["SHOULD NOT", "full", [1]], "85": ["SHOULD NOT", "full", [1]] });
    // Row 2 (keep refresh tokens confidential) is not in the SEP at all.
    expect(r.conformance.rows[2]).toMatchObject({ requirements: [], elsewhere: null });
    expect(r.conformance.rows.map((w) => w.exclusion)).toEqual([null, "gap", "unobservable", "unobservable"]);
    expect(r.conformance.rows[1]!.issue).toBe("https://github.com/modelcontextprotocol/conformance/issues/116");
    expect(r.items.find((i) => i.id === "conformance")).toMatchObject({ state: "confirm", blocking: false });
  });

  it("SEP-2260: proposed text in fences and a diff's added lines; removed lines and MAYs are not requirements", () => {
    const r = real(2260);
    expect(r.conformance.section).toEqual({ heading: "Specification Changes", startLine: 67, endLine: 166 });
    const lines = r.conformance.requirements.map((q) => q.line);
    // 78/80 sampling, 92/97 elicitation, 110/115 roots, 131 keepalive SHOULD, 150 the diff's new MUST, 161 the new SHOULD/MUST NOT.
    expect(lines).toEqual([78, 80, 92, 97, 110, 115, 131, 150, 161]);
    expect(lines).not.toContain(147); // "- ... These messages **SHOULD** relate": removed by the diff
    expect(r.conformance.requirements.every((q) => q.kind === "fenced")).toBe(true);
    // The same warning pasted into two documents is traced by the rows of each (6 and 10; 7 and 11).
    expect(byLine(r)["92"]).toEqual(["MUST", "full", [6, 8, 10]]);
    expect(byLine(r)["115"]).toEqual(["MUST NOT", "full", [7, 9, 11]]);
    // 161: row 0 traces its MUST NOT clause only.
    expect(byLine(r)["161"]).toEqual(["MUST NOT", "partial", [0]]);
    // Rows 1-3 (clients answer -32602) quote the Implementation Guidance (line 241).
    expect(r.conformance.rows.slice(1, 4).map((w) => w.elsewhere?.line)).toEqual([241, 241, 241]);
    expect(r.conformance.requirements.filter((q) => q.coverage === "none")).toEqual([]);
  });

  it("SEP-2468: the iss parameter's https rule has no row; the client's validation steps are not claimed traced by rows that quote another text", () => {
    const r = real(2468);
    const got = byLine(r);
    expect(got["26"]![1]).toBe("full");
    expect(r.conformance.requirements.filter((q) => q.line === 26).map((q) => q.keyword)).toEqual(["SHOULD", "MUST"]);
    // 30-31: "The iss parameter MUST: - Exactly match ... - Be a URL that uses https": the lead-in's keyword, no row for either.
    expect(got["30"]).toEqual(["MUST", "none", []]);
    expect(got["31"]).toEqual(["MUST", "none", []]);
    // 37-39 and 41 (the client's validation) are quoted by rows 1-5 only through the spec's table: never "full".
    for (const line of ["37", "38", "39", "41"]) expect(got[line]![1]).not.toBe("full");
    expect(r.conformance.requirements.find((q) => q.line === 38)!.closest).not.toBeNull();
    expect(r.ready).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Made cases

const SEP = (spec: string, extra = "", type = "Standards Track") =>
  [
    "# SEP-5000: Example",
    "",
    "- **Status**: Accepted",
    `- **Type**: ${type}`,
    "- **Created**: 2026-07-01",
    "- **Author(s)**: Ann (@ann)",
    "- **Sponsor**: @sam",
    "- **PR**: #5000",
    "",
    "## Abstract",
    "",
    "An example.",
    "",
    "## Specification",
    "",
    spec,
    "",
    "## Reference Implementation",
    "",
    "- https://github.com/modelcontextprotocol/typescript-sdk/pull/1",
    extra,
  ].join("\n");

/** A SEP whose Specification section is `spec` (it starts on line 16), with its traceability file `yaml`. */
function made(spec: string, yaml: string | null, extra: Partial<FinalInput> = {}): Readiness {
  const text = SEP(spec);
  return finalReadiness({
    sep: parseSep(text, "seps/5000-example.md", { rules }),
    text,
    rules,
    conformance: { traceability: { text: yaml, path: "src/seps/sep-5000.yaml", url: null }, manifest: null },
    changes: { paths: ["seps/5000-example.md", "docs/specification/draft/server/tools.mdx", "docs/specification/draft/changelog.mdx"], complete: true, changelog: "- Tools: SEP-5000 adds a thing." },
    ...extra,
  });
}

describe("made cases", () => {
  it("keyword drift: a MUST traced by a SHOULD row is partial and says so; the stronger direction is full", () => {
    const r = made("Servers MUST reject unknown tools with -32602.\n\nClients SHOULD retry after 503.", "sep: 5000\nrequirements:\n  - check: a\n    text: Servers SHOULD reject unknown tools with -32602\n  - check: b\n    text: Clients MUST retry after 503\n");
    expect(byLine(r)).toEqual({ "16": ["MUST", "partial", [0]], "18": ["SHOULD", "full", [1]] });
    expect(r.conformance.requirements[0]!.notes).toEqual(["row 0 says SHOULD where the SEP says MUST"]);
  });

  it("every requirement traced, changes and changelog in the pull request, a linked implementation: ready", () => {
    const r = made("Servers MUST reject unknown tools.", "sep: 5000\nrequirements:\n  - check: a\n    text: Servers MUST reject unknown tools\n");
    expect(r.items.map((i) => [i.id, i.state])).toEqual([
      ["reference-implementation", "done"],
      ["specification", "done"],
      ["changelog", "done"],
      ["conformance", "done"],
    ]);
    expect(r.ready).toBe(true);
    expect(r.summary).toBe("1 of 1 requirements traced; ready for Final");
  });

  it("a SEP with no normative sentence: nothing to trace, nothing blocks on it", () => {
    const r = made("This SEP renames a field.", "sep: 5000\nrequirements: []\n");
    expect(r.conformance.requirements).toEqual([]);
    expect(r.items.find((i) => i.id === "conformance")).toMatchObject({ state: "done", detail: expect.stringMatching(/states no requirement/) });
  });

  it("exempt: Process and Informational SEPs, and a Standards Track SEP that says it has no observable protocol behaviour", () => {
    expect(made("Maintainers MUST vote.", null, {}).conformance.exempt).toBeNull();
    const process = finalReadiness({ sep: parseSep(SEP("Maintainers MUST vote.", "", "Process"), "seps/5000-x.md", { rules }), text: SEP("Maintainers MUST vote.", "", "Process"), rules, conformance: null });
    expect(process.conformance.exempt).toBe("Process SEPs are not held to the conformance requirement");
    expect(process.items.find((i) => i.id === "conformance")).toMatchObject({ state: "not-needed", blocking: false });
    const said = made("Servers MUST keep the schema's field order.\n\nThis change has no observable protocol behaviour: it only reorders the schema.", null);
    expect(said.conformance.exempt).toMatch(/no observable protocol behaviour \(line 18/);
    expect(said.ready).toBe(true);
  });

  it("an exclusion without an issue: a framework gap blocks, an unobservable one does not, an unclear one is asked about", () => {
    const yaml = [
      "sep: 5000",
      "requirements:",
      "  - text: Servers MUST reject A",
      "    excluded: the harness does not yet drive servers over stdio",
      "  - text: Servers MUST reject B",
      "    excluded: internal state; not protocol-observable",
      "  - text: Servers MUST reject C",
      "    excluded: covered elsewhere in spirit",
    ].join("\n");
    const r = made("Servers MUST reject A.\n\nServers MUST reject B.\n\nServers MUST reject C.", yaml);
    expect(r.conformance.rows.map((w) => w.exclusion)).toEqual(["gap", "unobservable", "unclear"]);
    const item = r.items.find((i) => i.id === "conformance")!;
    expect(item.blocking).toBe(true);
    expect(item.detail).toMatch(/1 framework-gap exclusion without a tracking issue \(row 0\)/);
    expect(item.detail).toMatch(/confirm none is a framework gap \(row 2\)/);
  });

  it("no traceability file yet, no changelog entry, no specification change, no link: each is missing, and the summary says so", () => {
    const text = SEP("Servers MUST reply.").replace("- https://github.com/modelcontextprotocol/typescript-sdk/pull/1", "Links will be added once accepted.");
    const r = finalReadiness({
      sep: parseSep(text, "seps/5000-example.md", { rules }),
      text,
      rules,
      conformance: { traceability: { text: null, path: "src/seps/sep-5000.yaml", url: null }, manifest: null },
      changes: { paths: ["seps/5000-example.md"], complete: true, changelog: "- older entries" },
    });
    expect(r.items.map((i) => [i.id, i.state])).toEqual([
      ["reference-implementation", "missing"],
      ["specification", "missing"],
      ["changelog", "missing"],
      ["conformance", "missing"],
    ]);
    expect(r.summary).toBe("reference implementation not linked; specification changes missing; changelog entry missing; no traceability file");
  });

  it("the conformance repository unreadable: said, and nothing refused on that ground", () => {
    const r = made("Servers MUST reply.", null, { conformance: null, conformanceNote: "GitHub answered 502" });
    expect(r.items.find((i) => i.id === "conformance")).toMatchObject({ state: "unknown", blocking: false, detail: expect.stringMatching(/GitHub answered 502/) });
    expect(r.ready).toBe(true);
    expect(r.summary).toBe("conformance not checked; ready for Final");
  });

  it("not retroactive: a SEP that reached Final before the rule began is not held to it", () => {
    const r = made("Servers MUST reply.", null, { finalAt: new Date("2026-03-01T00:00:00Z") });
    expect(r.conformance.exempt).toMatch(/before the conformance requirement began \(2026-06-01\)/);
    expect(made("Servers MUST reply.", null, { finalAt: new Date("2026-12-07T00:00:00Z") }).conformance.exempt).toBeNull();
  });
});

describe("exemptions fail closed: sep-bot asks rather than exempts", () => {
  const sepOf = (spec: string, type: string, extra = "") => {
    const text = SEP(spec, extra, type);
    return { text, sep: parseSep(text, "seps/5000-example.md", { rules }) };
  };
  const conformance = (r: Readiness) => r.items.find((i) => i.id === "conformance")!;

  it("a Type sep-bot does not know (or none) is held to the rule, and to the specification changes and changelog, and the sponsor is asked", () => {
    for (const type of ["Standards Track SEP", "", "TBD"]) {
      const { text, sep } = sepOf("Servers MUST reply.", type);
      const r = finalReadiness({ sep, text, rules, conformance: { traceability: { text: "sep: 5000\nrequirements:\n  - check: a\n    text: Servers MUST reply\n", path: "src/seps/sep-5000.yaml", url: null }, manifest: null }, changes: { paths: ["seps/5000-example.md"], complete: true, changelog: null } });
      expect(r.conformance.exempt).toBeNull();
      expect(r.conformance.asks[0]).toMatch(/^the SEP's Type \((".*"|none)\) is not one sep-bot knows: it is held to the conformance requirement/);
      expect(conformance(r)).toMatchObject({ state: "confirm", blocking: false });
      expect(r.items.filter((i) => i.id !== "conformance" && i.id !== "reference-implementation").map((i) => [i.id, i.state])).toEqual([
        ["specification", "missing"],
        ["changelog", "missing"],
      ]);
    }
    // A Type the rules know and do not hold to it is still exempt.
    const { text, sep } = sepOf("Maintainers MUST vote.", "Extensions Track");
    expect(finalReadiness({ sep, text, rules, conformance: null }).conformance.exempt).toBe("Extensions Track SEPs are not held to the conformance requirement");
  });

  it("'no observable protocol behaviour' counts only said plainly of the SEP in its prose; negated, hedged, linked or in HTML it is asked about; in code, a quote or a table it is not read", () => {
    const exempt = (spec: string, extra = "") => {
      const { text, sep } = sepOf(spec, "Standards Track", extra);
      const r = finalReadiness({ sep, text, rules, conformance: { traceability: { text: null, path: "src/seps/sep-5000.yaml", url: null }, manifest: null } });
      return { exempt: r.conformance.exempt, asks: r.conformance.asks, state: conformance(r).state };
    };
    expect(exempt("Servers MUST reply.\n\nThis SEP has no observable protocol behavior: it only reorders the schema.").exempt).toMatch(/^the SEP says it has no observable protocol behaviour \(line 18/);
    expect(exempt("Servers MUST reply.\n\n- These changes introduce no observable protocol behaviour.").exempt).not.toBeNull();
    const asked = [
      "It is false to claim this SEP has no observable protocol behavior.",
      "This SEP does not have no observable protocol behavior.",
      "See [no observable protocol behavior](https://example.com/x).",
      "<details>\nThis SEP has no observable protocol behavior.\n</details>",
      "A previous SEP had no observable protocol behavior.",
    ];
    for (const said of asked) {
      const r = exempt(`Servers MUST reply.\n\n${said}`);
      expect(r.exempt, said).toBeNull();
      expect(r.asks, said).toEqual([expect.stringMatching(/^line \d+ may say the SEP has no observable protocol behaviour \(".+"\), but not plainly enough to exempt it: the sponsor confirms/)]);
      expect(r.state).toBe("missing"); // held to the rule: the traceability file is still needed
    }
    const rejected = exempt("Servers MUST reply.", "\n## Alternatives Considered\n\nWe rejected a design with no observable protocol behavior, since servers need it.\n");
    expect(rejected.exempt).toBeNull();
    expect(rejected.asks).toHaveLength(1);
    const unread = ["    // no observable protocol behavior", "> This SEP has no observable protocol behavior.", "| a | b |\n|---|---|\n| x | This SEP has no observable protocol behavior |", "```\nThis SEP has no observable protocol behavior.\n```", "## This SEP has no observable protocol behavior"];
    for (const said of unread) expect(exempt(`Servers MUST reply.\n\n${said}`), said).toEqual({ exempt: null, asks: [], state: "missing" });
  });

  it("no Specification section: never ✅ 'states no requirement'; the sponsor is asked where the requirements are", () => {
    const text = SEP("Servers MUST reply.").replace("## Specification", "## Protocol Changes");
    const r = finalReadiness({ sep: parseSep(text, "seps/5000-example.md", { rules }), text, rules, conformance: { traceability: { text: "sep: 5000\nrequirements: []\n", path: "src/seps/sep-5000.yaml", url: null }, manifest: null } });
    expect(r.conformance.section).toBeNull();
    expect(conformance(r)).toMatchObject({ state: "confirm", blocking: false });
    expect(conformance(r).detail).not.toMatch(/states no requirement/);
    expect(conformance(r).detail).toMatch(/^no requirement read; no Specification section found \(a heading named Specification, Spec, Technical Specification, \.\.\.\): the sponsor confirms where the SEP states its requirements$/);
  });

  it("a traceability file whose `sep:` names another SEP is asked about", () => {
    const r = made("Servers MUST reply.", "sep: 5001\nrequirements:\n  - check: a\n    text: Servers MUST reply\n");
    expect(r.conformance.asks).toEqual(["the traceability file says `sep: 5001`, not 5000: the sponsor confirms it is this SEP's"]);
    expect(r.items.find((i) => i.id === "conformance")!.state).toBe("confirm");
  });

  it("an exclusion whose `issue:` names no issue is a framework gap without a tracking issue, and says so", () => {
    const r = made("Servers MUST reply.", "sep: 5000\nrequirements:\n  - text: Servers MUST reply\n    excluded: the harness support is not implemented yet\n    issue: TBD\n");
    expect(r.conformance.rows[0]).toMatchObject({ exclusion: "gap", issue: null, badIssue: "TBD" });
    expect(r.items.find((i) => i.id === "conformance")).toMatchObject({ state: "missing", blocking: true, detail: expect.stringContaining("1 framework-gap exclusion without a tracking issue (row 0; `issue:` names no issue in row 0)") });
  });
});

describe("an item's detail, as /final's refusal quotes it", () => {
  it("short, one line, no HTML or @mention, and a check ID cannot leave its code span", () => {
    const untested = Array.from({ length: 3000 }, (_, i) => `sep-5000-x${i}\`![x](https://evil.example/p.png) @everyone <img src=x>\nline`);
    const manifest = JSON.stringify({ seps: { "5000": { requirements: untested.map((check) => ({ check, status: "untested" })) } } });
    const r = made("Servers MUST reply @everyone <img src=x>.", "sep: 5000\nrequirements:\n  - check: a\n    text: Servers MUST reply\n", {
      conformance: { traceability: { text: "sep: 5000\nrequirements:\n  - check: a\n    text: Servers MUST reply\n", path: "src/seps/sep-5000.yaml", url: null }, manifest: { text: manifest, url: null } },
    });
    const item = r.items.find((i) => i.id === "conformance")!;
    expect(item.blocking).toBe(true);
    // In a code span, with no backtick of its own: shown as code, never as an image; five named, the rest counted.
    expect(item.detail).toMatch(/3000 checks the reference run did not emit: `sep-5000-x0 !\[x\]\(https:\/\/evil\.example\/p\.png\) everyone img s…`, (`[^`]+`, ){3}`[^`]+` and 2995 more$/);
    for (const i of r.items) {
      expect(i.detail.length).toBeLessThanOrEqual(MAX_DETAIL);
      expect(i.detail).not.toMatch(/[<>\n]|@(?!\u200b)/);
      expect((i.detail.match(/`/g) ?? []).length % 2).toBe(0);
    }
    const quoted = finalReadiness({ ...madeInput("Servers MUST reply.\n\nIt is false that this SEP has no observable protocol behavior `x` [l](https://e.x) @everyone."), conformance: null, conformanceNote: "GitHub said <b>@everyone</b>\nno" });
    for (const i of quoted.items) {
      expect(i.detail).not.toMatch(/[<>\n]|@(?!\u200b)/);
      expect((i.detail.match(/`/g) ?? []).length % 2).toBe(0);
    }
  });
});

function madeInput(spec: string): FinalInput {
  const text = SEP(spec);
  return { sep: parseSep(text, "seps/5000-example.md", { rules }), text, rules };
}
