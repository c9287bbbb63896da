import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/process.js";

/** `sep-bot conformance` as a sponsor or the conformance repository's CI runs it: a process, its output, its exit status. */

const F = "test/fixtures/conformance";
const sep = (n: number, name: string) => `${F}/seps/${n}-${name}.md`;

describe("sep-bot conformance", () => {
  it("JSON in the documented shape; exit 1 when a requirement has no row", async () => {
    const run = await runCli(["conformance", sep(2164, "resource-not-found-error"), "--traceability", `${F}/traceability/sep-2164.yaml`, "--manifest", `${F}/traceability/traceability.json`, "--format", "json"], {});
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({
      sep: 2164,
      section: { heading: "Specification", startLine: 35, endLine: 56 },
      uncovered: [53],
      rowsWithoutRequirement: [2],
      exempt: null,
    });
    expect(out.requirements.map((r: { line: number; endLine: number; keyword: string; rows: number[]; coverage: string }) => [r.line, r.endLine, r.keyword, r.rows, r.coverage])).toEqual([
      [37, 37, "MUST", [1], "partial"],
      [53, 53, "SHOULD", [], "none"],
      [55, 55, "MUST NOT", [0], "full"],
    ]);
    expect(out.requirements[1].text).toBe("The data field SHOULD include the uri that was not found.");
    expect(out.rows.map((w: { index: number; check: string | null; excluded: string | null; requirements: number[] }) => [w.index, w.check, w.excluded !== null, w.requirements])).toEqual([
      [0, "sep-2164-no-empty-contents", false, [55]],
      [1, "sep-2164-error-code", false, [37]],
      [2, null, true, []],
    ]);
  });

  it("text for a person: every requirement at its line, exit 0 when each has a row", async () => {
    const run = await runCli(["conformance", sep(2207, "oidc-refresh-token-guidance"), "--traceability", `${F}/traceability/sep-2207.yaml`], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("SEP-2207, Specification (lines 58-87): 4 requirements, 4 traced, 0 with no row");
    expect(run.stdout).toContain(`${sep(2207, "oidc-refresh-token-guidance")}:74-75: MUST NOT: partial: row 3 (excluded); row 3 says only part of it`);
    expect(run.stdout).toMatch(/row 2 \(excluded\) \(line 10\): "MCP Clients that desire refresh tokens MUST keep/);
  });

  it("without a traceability file every requirement is listed as needing a row; a broken file or a missing SEP is a read error (exit 2)", async () => {
    const bare = await runCli(["conformance", sep(2164, "resource-not-found-error")], {});
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain("3 requirements, 0 traced, 3 with no row");
    expect(bare.stdout).toContain("No --traceability file given");

    const dir = mkdtempSync(join(tmpdir(), "sep-bot-conformance-"));
    writeFileSync(join(dir, "bad.yaml"), "sep: 2164\nrequirements:\n  - text: [unclosed\n");
    const bad = await runCli(["conformance", sep(2164, "resource-not-found-error"), "--traceability", join(dir, "bad.yaml")], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml: (line \d+: )?not valid YAML/);

    const missing = await runCli(["conformance", "seps/nope.md"], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.md/);
  });

  it("what cannot be read is exit 2 with one line on stderr, never a stack trace: a directory, a SEP over its limit, a manifest that says why", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sep-bot-conformance-"));
    const sep2164 = sep(2164, "resource-not-found-error");
    const oneLine = (run: { code: number; stderr: string; stdout: string }, pattern: RegExp) => {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(pattern);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    };
    oneLine(await runCli(["conformance", F], {}), /^sep-bot: test\/fixtures\/conformance: is a directory, not a file$/m);
    oneLine(await runCli(["conformance", sep2164, "--traceability", `${F}/traceability`], {}), /traceability: is a directory, not a file/);
    oneLine(await runCli(["conformance", sep2164, "--manifest", dir], {}), /is a directory, not a file/);

    writeFileSync(join(dir, "huge.md"), `# SEP-5000: Huge\n\n## Specification\n\nServers MUST ${"x".repeat(1_100_000)}.\n`);
    oneLine(await runCli(["conformance", join(dir, "huge.md")], {}), /huge\.md: \d+ bytes, over the limit of 1048576 \(limits\.maxFileBytes\)/);

    writeFileSync(join(dir, "broken.json"), "{");
    oneLine(await runCli(["conformance", sep2164, "--manifest", join(dir, "broken.json")], {}), /broken\.json: not valid JSON: /);
    writeFileSync(join(dir, "array.json"), '{"seps": []}');
    oneLine(await runCli(["conformance", sep2164, "--manifest", join(dir, "array.json")], {}), /array\.json: not a traceability manifest: its `seps` is an array, not an object/);
  });

  it("a report that cannot be trusted is printed, said on stderr, and exit 2: a section it cannot read or find, a traceability file for another SEP", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sep-bot-conformance-"));
    const head = "# SEP-5000: Example\n\n- **Status**: Accepted\n- **Type**: Standards Track\n\n";
    writeFileSync(join(dir, "5000-deep.md"), `${head}## Specification\n\n${"> ".repeat(60)}Servers MUST reply.\n`);
    const deep = await runCli(["conformance", join(dir, "5000-deep.md")], {});
    expect(deep.code).toBe(2);
    expect(deep.stdout).toContain("the Specification section could not be read (nested deeper than any specification text)");
    expect(deep.stderr).toMatch(/5000-deep\.md: the Specification section could not be read \(nested deeper than any specification text\): its requirements are not all listed/);

    writeFileSync(join(dir, "5000-nosection.md"), `${head}## Protocol Changes\n\nServers MUST reply.\n`);
    const none = await runCli(["conformance", join(dir, "5000-nosection.md"), "--format", "json"], {});
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout)).toMatchObject({ section: null, asks: [expect.stringMatching(/^no Specification section found/)] });
    expect(none.stderr).toMatch(/no Specification section found/);

    const other = await runCli(["conformance", sep(2164, "resource-not-found-error"), "--traceability", `${F}/traceability/sep-2207.yaml`], {});
    expect(other.code).toBe(2);
    expect(other.stdout).toContain("confirm: the traceability file says `sep: 2207`, not 2164");
    expect(other.stderr).toMatch(/sep-2207\.yaml: its `sep:` is 2207, not 2164: is it this SEP's traceability file\?/);
  });
});
