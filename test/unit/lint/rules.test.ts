import { describe, expect, it } from "vitest";
import { RULES, type RuleId } from "../../../src/shared/rule-ids.js";
import { SECTIONS, check, ruleIds, sepText } from "../../helpers/sep.js";

/**
 * One case per lint: a SEP that breaks exactly that rule. Removing a rule
 * (or breaking its detection) fails its case; the clean SEP proves the
 * others stay quiet.
 */
const drop = (title: string) => SECTIONS.replace(new RegExp(`## ${title}\\n\\n[^#]*`), "");

const CASES: Array<{ rule: RuleId; text: string; path?: string; line?: number }> = [
  { rule: "file-empty", text: "  \n\n" },
  { rule: "file-name", text: sepText(), path: "seps/streaming-widgets.md" },
  { rule: "file-name-case", text: sepText(), path: "seps/2234-Streaming_Widgets.md" },
  { rule: "front-matter-invalid", text: "---\nstatus: [unclosed\n---\n# SEP-2234: X\n" },
  { rule: "preamble-missing", text: `# SEP-2234: Streaming Widgets\n\nJust prose.\n\n${SECTIONS}` },
  { rule: "field-missing", text: sepText({ preamble: "- **Status**: Draft\n- **Type**: Process\n- **Created**: 2026-01-15\n- **Author(s)**: A (@a)\n- **PR**: #2234" }) },
  { rule: "field-placeholder", text: sepText({ created: "YYYY-MM-DD" }), line: 5 },
  { rule: "field-duplicate", text: sepText({ preamble: "- **Status**: Draft\n- **Status**: Final\n- **Type**: Process\n- **Created**: 2026-01-15\n- **Author(s)**: A (@a)\n- **Sponsor**: B (@b)\n- **PR**: #2234" }) },
  { rule: "field-empty", text: sepText({ type: "" }) },
  { rule: "status-invalid", text: sepText({ status: "Pending Approval" }), line: 3 },
  { rule: "status-format", text: sepText({ status: "in review" }), line: 3 },
  { rule: "type-invalid", text: sepText({ type: "Whimsical" }), line: 4 },
  { rule: "type-format", text: sepText({ type: "standards track" }), line: 4 },
  { rule: "date-invalid", text: sepText({ created: "2026-02-30" }), line: 5 },
  { rule: "date-future", text: sepText({ created: "2027-01-01" }), line: 5 },
  { rule: "author-handle-missing", text: sepText({ authors: "Ada Lovelace" }), line: 6 },
  { rule: "sponsor-handle-missing", text: sepText({ sponsor: "Grace Hopper" }), line: 7 },
  { rule: "sponsor-required", text: sepText({ status: "In-Review", sponsor: "None" }) },
  { rule: "pr-invalid", text: sepText({ pr: "see the discussion" }), line: 8 },
  { rule: "pr-format", text: sepText({ pr: "https://github.com/o/r/pull/{2234}" }), line: 8 },
  { rule: "title-format", text: sepText({ heading: "# Streaming Widgets" }), line: 1 },
  { rule: "title-format", text: sepText({ heading: "# SEP 2234: Streaming Widgets" }), line: 1 },
  { rule: "number-mismatch", text: sepText({ heading: "# SEP-999: Streaming Widgets" }), line: 1 },
  { rule: "number-placeholder", text: sepText({ heading: "# SEP-{NUMBER}: Streaming Widgets" }), path: "seps/0000-streaming-widgets.md" },
  { rule: "section-missing", text: sepText({ sections: drop("Rationale") }) },
  { rule: "section-order", text: sepText({ sections: SECTIONS.replace("## Abstract\n\nWidgets stream.\n\n", "") + "\n## Abstract\n\nWidgets stream.\n" }) },
  { rule: "section-empty", text: sepText({ sections: SECTIONS.replace("A `widgets/stream` method.", "<!-- TODO -->") }) },
  { rule: "section-duplicate", text: sepText({ sections: `${SECTIONS}\n## Abstract\n\nAgain.\n` }) },
  { rule: "section-spelling", text: sepText({ sections: SECTIONS.replace("## Backward Compatibility", "## Backwards Compatibility") }) },
  { rule: "section-level", text: sepText({ sections: SECTIONS.replace("## Security Implications", "### Security Implications") }) },
  { rule: "template-text", text: sepText({ sections: SECTIONS.replace("Widgets stream.", "Brief (~200 word) technical summary of the proposal.") }) },
];

// Reported by the app's planner, not by lintSep; tested in test/unit/governance/plan.test.ts.
const APP_RULES: RuleId[] = ["sep-multiple", "status-change-unauthorised", "rename-pending", "status-update-pending", "status-transition-invalid", "final-incomplete", "sponsor-unknown"];
// Need bytes or sizes a string case cannot carry; tested in test/unit/sep/hostile.test.ts.
const BYTE_RULES: RuleId[] = ["file-too-large", "file-encoding"];
// Need a git mode (a symbolic link, a submodule); tested in test/unit/github/file-bytes.test.ts and test/unit/governance/plan.test.ts.
const MODE_RULES: RuleId[] = ["file-not-regular"];

describe("lint rules", () => {
  it("the clean SEP has no findings", () => {
    expect(check(sepText()).findings).toEqual([]);
  });

  it("every rule in the catalog has a case", () => {
    const covered = new Set([...CASES.map((c) => c.rule), ...APP_RULES, ...BYTE_RULES, ...MODE_RULES]);
    expect(Object.keys(RULES).filter((id) => !covered.has(id as RuleId))).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.rule}`, () => {
      const { findings } = check(c.text, c.path);
      const hits = findings.filter((f) => f.rule === c.rule);
      expect(hits.length, JSON.stringify(findings, null, 1)).toBeGreaterThan(0);
      if (c.line !== undefined) expect(hits[0]!.line).toBe(c.line);
      for (const f of hits) {
        expect(f.message.length).toBeGreaterThan(20);
        expect(f.column).toBeGreaterThanOrEqual(1);
      }
    });
  }
});

describe("near misses get one finding, not two", () => {
  it("a misspelled section is not also missing", () => {
    const ids = ruleIds(sepText({ sections: SECTIONS.replace("## Security Implications", "## Security Considerations") }));
    expect(ids).toEqual(["section-spelling"]);
  });

  it("a section at level 3 is reported as such, with a fix to level 2", () => {
    const { findings } = check(sepText({ sections: SECTIONS.replace("## Abstract", "### Abstract") }));
    expect(findings.map((f) => f.rule)).toEqual(["section-level"]);
    expect(findings[0]!.message).toContain("did you mean `## Abstract`");
    expect(findings[0]!.fix?.edits?.[0]?.text).toBe("## Abstract");
  });

  it("a typo is a spelling finding", () => {
    const { findings } = check(sepText({ sections: SECTIONS.replace("## Motivation", "## Motivaton") }));
    expect(findings.map((f) => f.rule)).toEqual(["section-spelling"]);
    expect(findings[0]!.message).toContain("did you mean `## Motivation`");
  });

  it("numbered headings count ('## 1. Abstract' is Abstract, spelled off-template)", () => {
    expect(ruleIds(sepText({ sections: SECTIONS.replace("## Abstract", "## 1. Abstract") }))).toEqual(["section-spelling"]);
  });
});

describe("per type", () => {
  it("a Process SEP need not have Backward Compatibility", () => {
    expect(ruleIds(sepText({ type: "Process", sections: drop("Backward Compatibility") }))).toEqual([]);
    expect(ruleIds(sepText({ type: "Standards Track", sections: drop("Backward Compatibility") }))).toEqual(["section-missing"]);
  });

  it("an Informational SEP need not have a Reference Implementation", () => {
    expect(ruleIds(sepText({ type: "Informational", sections: drop("Reference Implementation") }))).toEqual([]);
  });
});

describe("fixes", () => {
  it("the title fix quotes the heading as written and as it should be", () => {
    const { findings } = check(sepText({ heading: "# SEP 2234 - Streaming Widgets" }));
    expect(findings[0]!.message).toBe("The title heading `# SEP 2234 - Streaming Widgets` should read `# SEP-<number>: Title`: `# SEP-2234: Streaming Widgets`.");
    expect(findings[0]!.fix?.edits?.[0]).toEqual({ line: 1, column: 1, endColumn: 31, text: "# SEP-2234: Streaming Widgets" });
  });

  it("status capitalisation carries a precise edit", () => {
    const { findings } = check(sepText({ status: "`in review`" }));
    const f = findings.find((x) => x.rule === "status-format")!;
    expect(f.fix?.edits).toEqual([{ line: 3, column: 15, endColumn: 15 + "`in review`".length, text: "In-Review" }]);
  });

  it("PR braces carry the corrected URL", () => {
    const { findings } = check(sepText({ pr: "https://github.com/o/r/pull/{2234}" }));
    expect(findings.find((x) => x.rule === "pr-format")!.fix?.edits?.[0]?.text).toBe("https://github.com/o/r/pull/2234");
  });

  it("file name case carries a rename", () => {
    const { findings } = check(sepText(), "seps/2234-Streaming_Widgets.md");
    expect(findings.find((x) => x.rule === "file-name-case")!.fix?.rename).toBe("2234-streaming-widgets.md");
  });
});

describe("frozen statuses", () => {
  it("a Final SEP's template findings are warnings, not errors", () => {
    const { findings } = check(sepText({ status: "Final", sections: drop("Rationale") }));
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([["section-missing", "warning"]]);
  });
});

describe("issue-era SEPs", () => {
  it("an Issue field carrying the SEP number makes PR and Sponsor optional and the PR number free", () => {
    const text = sepText({ preamble: "- **Status**: Final\n- **Type**: Process\n- **Created**: 2025-07-08\n- **Author(s)**: D (@d)\n- **PR**: #931\n- **Issue**: #2234" });
    expect(ruleIds(text)).toEqual([]);
    const modern = sepText({ pr: "#931" });
    expect(ruleIds(modern)).toContain("number-mismatch");
  });

  it("a SEP numbered before PR numbering (rules.numbering) is issue-era too", () => {
    const old = "# SEP-1763: Interceptors\n\n- **Status**: Draft\n- **Type**: Standards Track\n- **Created**: 2025-11-01\n- **Author(s)**: A (@a)\n- **PR**: https://github.com/o/r/pull/2624\n\n" + SECTIONS;
    expect(ruleIds(old, "seps/1763-interceptors.md")).toEqual([]);
    expect(ruleIds(old.replace(/1763/g, "2763"), "seps/2763-interceptors.md").sort()).toEqual(["field-missing", "number-mismatch"]);
  });
});

describe("history-driven cases (no false findings)", () => {
  it("a required section with extra words is a near miss, not missing", () => {
    expect(ruleIds(sepText({ sections: SECTIONS.replace("## Specification", "## Specification Changes") }))).toEqual(["section-spelling"]);
    expect(ruleIds(sepText({ sections: SECTIONS.replace("## Security Implications", "## TODO: Security Implications") }))).toEqual(["section-spelling"]);
  });

  it("a subsection named Implementation is not promoted to Reference Implementation", () => {
    const text = sepText({ sections: SECTIONS.replace("They do not today.", "They do not today.\n\n### Implementation\n\nNotes.") });
    expect(ruleIds(text)).toEqual([]);
  });

  it("Sponsor TBD means none yet, not a leftover placeholder", () => {
    expect(ruleIds(sepText({ sponsor: "TBD" }))).toEqual([]);
    expect(ruleIds(sepText({ sponsor: '@github-username (or "None" if seeking sponsor)' }))).toEqual(["field-placeholder"]);
  });

  it("an issue-era SEP that says Sponsor: None is not asked for one", () => {
    const old = sepText({ heading: "# SEP-1024: Old", pr: "#1024", status: "Accepted", sponsor: "None" });
    expect(ruleIds(old, "seps/1024-old.md")).toEqual([]);
    expect(ruleIds(sepText({ status: "Accepted", sponsor: "None" }))).toEqual(["sponsor-required"]);
  });

  it("a working group as author needs no handle", () => {
    expect(ruleIds(sepText({ authors: "Ada (@ada), MCP Transports Working Group" }))).toEqual([]);
  });

  it("SEP-XXXX is a placeholder number, not a malformed title", () => {
    expect(ruleIds(sepText({ heading: "# SEP-XXXX: Streaming Widgets", pr: "TBD" }), "seps/0000-streaming-widgets.md")).toEqual(["number-placeholder"]);
  });

  it("type debris gets a fix, not 'not a SEP type'", () => {
    const { findings } = check(sepText({ type: "\\*\\* Standards Track" }));
    expect(findings.map((f) => f.rule)).toEqual(["type-format"]);
    expect(findings[0]!.fix?.edits?.[0]?.text).toBe("Standards Track");
  });
});
