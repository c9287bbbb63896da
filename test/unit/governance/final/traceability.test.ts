import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConformanceFileError, parseManifest, parseTraceability } from "../../../../src/governance/final/traceability.js";

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
});
