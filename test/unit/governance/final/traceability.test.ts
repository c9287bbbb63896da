import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConformanceFileError, MAX_ROW_TEXT, parseManifest, parseTraceability } from "../../../../src/governance/final/traceability.js";

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/conformance/traceability/${name}`, import.meta.url), "utf8");

describe("a traceability file", () => {
  it("rows in file order, indexed from 0, with their lines; an exclusion's issue from its key", () => {
    const t = parseTraceability(fixture("sep-2468.yaml"));
    expect(t.sep).toBe(2468);
    expect(t.rows).toHaveLength(9);
    expect(t.rows.map((r) => r.line)).toEqual([4, 7, 9, 11, 13, 15, 18, 21, 24]);
    expect(t.rows[0]).toMatchObject({ index: 0, check: "sep-2468-client-validate-metadata-issuer", excluded: null });
    expect(t.rows[6]).toMatchObject({ index: 6, check: null, issue: "https://github.com/modelcontextprotocol/conformance/issues/208" });
    expect(t.rows[8]).toMatchObject({ issue: null });
    expect(t.rows[8]!.excluded).toMatch(/^display is UI-facing/);
  });

  it("an issue linked inside the reason counts as its tracking issue", () => {
    const t = parseTraceability("sep: 9\nrequirements:\n  - text: Servers MUST x\n    excluded: 'stdio harness not implemented — see https://github.com/o/c/issues/258'\n");
    expect(t.rows[0]!.issue).toBe("https://github.com/o/c/issues/258");
  });

  it("a row with neither check nor exclusion is kept as such", () => {
    const t = parseTraceability("sep: 9\nrequirements:\n  - text: Servers MUST x\n");
    expect(t.rows[0]).toMatchObject({ check: null, excluded: null });
  });

  it("broken YAML and a row that is no mapping are errors that say where", () => {
    expect(() => parseTraceability("sep: 9\nrequirements:\n  - text: [unclosed\n")).toThrow(ConformanceFileError);
    try {
      parseTraceability("sep: 9\nrequirements:\n  - text: a\n    check: x\n  - just a string\n");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConformanceFileError);
      expect((error as ConformanceFileError).line).toBe(5);
      expect((error as Error).message).toMatch(/row 1/);
    }
  });

  it("an exclusion's `issue:` counts only when it names an issue: a URL to one, owner/repo#N or #N", () => {
    const rows = (issue: string) => parseTraceability(`sep: 9\nrequirements:\n  - text: Servers MUST x\n    excluded: not implemented yet\n    issue: '${issue}'\n`).rows[0]!;
    for (const none of ["none", "TBD", "n/a", "-", "https://github.com/o/c/pull/5", "see issue 12"]) expect(rows(none)).toMatchObject({ issue: null, badIssue: none });
    expect(rows("https://github.com/o/c/issues/12")).toMatchObject({ issue: "https://github.com/o/c/issues/12", badIssue: null });
    expect(rows("modelcontextprotocol/conformance#208")).toMatchObject({ issue: "modelcontextprotocol/conformance#208" });
    expect(rows("#12")).toMatchObject({ issue: "#12" });
    expect(rows("tracked in #12")).toMatchObject({ issue: "#12" });
  });

  it("a row whose text is null (`text: ~`) is a row with no text, not a broken file; a row's text is cut at MAX_ROW_TEXT", () => {
    const t = parseTraceability("sep: 9\nrequirements:\n  - text: ~\n    check: a\n  - text: Servers MUST x\n    check: b\n");
    expect(t.rows.map((r) => [r.text, r.check])).toEqual([["", "a"], ["Servers MUST x", "b"]]);
    const long = parseTraceability(`sep: 9\nrequirements:\n  - text: ${"word ".repeat(60_000)}\n    check: a\n`);
    expect(long.rows[0]!.text.length).toBe(MAX_ROW_TEXT);
  });

  it("`sep:` as a number, a string of digits or SEP-N; anything else is none", () => {
    const sep = (v: string) => parseTraceability(`sep: ${v}\nrequirements: []\n`).sep;
    expect([sep("2164"), sep("'2164'"), sep("SEP-2164"), sep("2164.7"), sep("2164abc"), sep("-5")]).toEqual([2164, 2164, 2164, null, null, null]);
  });

  it("YAML's alias bombs are refused", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`), "requirements: []"].join("\n");
    expect(() => parseTraceability(bomb)).toThrow(ConformanceFileError);
  });
});

describe("the manifest (traceability.json)", () => {
  const manifest = parseManifest(fixture("traceability.json"));

  it("per SEP: checks the reference run emitted or not, and emitted checks with no row", () => {
    expect(manifest.source).toBe("typescript-sdk@258f1a04a5d3");
    expect(manifest.seps.get(2164)).toEqual({ tested: ["sep-2164-no-empty-contents", "sep-2164-error-code"], untested: [], unkeyed: [], untracked: ["sep-2164-data-uri"] });
    expect(manifest.seps.get(2243)!.untested).toHaveLength(2);
    expect(manifest.seps.get(2260)).toMatchObject({ tested: [], untested: [], untracked: [] });
  });

  it("not JSON, or no `seps`: an error", () => {
    expect(() => parseManifest("{")).toThrow(ConformanceFileError);
    expect(() => parseManifest('{"schemaVersion": 1}')).toThrow(/seps/);
  });

  it("the error says why: not JSON, too large, or which part is the wrong shape", () => {
    const why = (text: string) => {
      try {
        parseManifest(text);
      } catch (error) {
        return (error as Error).message;
      }
      return null;
    };
    expect(why("{")).toMatch(/^not valid JSON: /);
    expect(why(`{"seps": {}, "pad": "${"x".repeat(20_000_000)}"}`)).toMatch(/^larger than 20000000 bytes/);
    expect(why("[]")).toBe("not a traceability manifest: the top level is an array, not an object");
    expect(why('{"seps": []}')).toBe("not a traceability manifest: its `seps` is an array, not an object");
    expect(why('{"seps": null}')).toBe("not a traceability manifest: its `seps` is null, not an object");
    expect(why('{"source": "x"}')).toBe("not a traceability manifest: it has no `seps` object");
  });

  it("a manifest without `source` is read; keys are SEP numbers written in digits only, `5` and `05` the same SEP", () => {
    expect(parseManifest('{"seps": {"1": {"untracked": ["a"]}}}')).toMatchObject({ source: null, seps: new Map([[1, { tested: [], untested: [], unkeyed: [], untracked: ["a"] }]]) });
    const odd = parseManifest('{"seps": {"2164abc": {"untracked": ["x"]}, "0x10": {"untracked": ["y"]}, " 12": {"untracked": ["z"]}, "1e3": {"untracked": ["w"]}, "-4": {"untracked": ["v"]}, "__proto__": {"untracked": ["u"]}}}');
    expect([...odd.seps.keys()]).toEqual([]);
    const twice = parseManifest('{"seps": {"5": {"untracked": ["a"], "requirements": [{"check": "t", "status": "tested"}]}, "05": {"untracked": ["b", "a"], "requirements": [{"check": "u", "status": "untested"}]}}}');
    expect(twice.seps.get(5)).toEqual({ tested: ["t"], untested: ["u"], unkeyed: [], untracked: ["a", "b"] });
  });
});
