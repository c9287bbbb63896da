import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, beforeAll } from "vitest";
import { main } from "../../../src/run/cli.js";
import { SECTIONS, sepText } from "../../helpers/sep.js";

async function run(args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sep-bot-cli-"));
  mkdirSync(join(dir, "seps"));
  writeFileSync(join(dir, "seps", "2234-clean.md"), sepText());
  writeFileSync(join(dir, "seps", "2235-broken.md"), sepText({ heading: "# SEP-2235: Broken", pr: "#2235", sections: SECTIONS.replace(/## Rationale\n\n[^#]*/, "") }));
  writeFileSync(join(dir, "seps", "2236-warn.md"), sepText({ heading: "# SEP-2236: Warn", pr: "#2236", authors: "No Handle" }));
  writeFileSync(join(dir, "seps", "README.md"), "# not a SEP\n");
  writeFileSync(join(dir, "seps", "TEMPLATE.md"), "# SEP-{NUMBER}: {Title}\n");
  writeFileSync(join(dir, "seps", "notes.txt"), "not markdown\n");
});

describe("sep-bot check", () => {
  it("text: compiler style, exit 1 on errors, README/TEMPLATE skipped", async () => {
    const { code, out } = await run(["check", join(dir, "seps")]);
    expect(code).toBe(1);
    expect(out).toContain(`${join(dir, "seps", "2235-broken.md")}:`);
    expect(out).toMatch(/2235-broken\.md:\d+:1 error section-missing There is no `## Rationale` section/);
    expect(out).toMatch(/2236-warn\.md:6:18 warning author-handle-missing/);
    expect(out).not.toContain("README.md");
    expect(out).not.toContain("TEMPLATE.md");
    expect(out.trim().split("\n").pop()).toBe("3 files checked: 1 error, 1 warning, 0 notes.");
  });

  it("exit 0 when only warnings", async () => {
    const { code, out } = await run(["check", join(dir, "seps", "2236-warn.md"), join(dir, "seps", "2234-clean.md")]);
    expect(code).toBe(0);
    expect(out).toContain("warning author-handle-missing");
  });

  it("json: the documented shape", async () => {
    const { code, out } = await run(["check", join(dir, "seps"), "--format", "json"]);
    expect(code).toBe(1);
    const parsed = JSON.parse(out) as { files: Array<{ path: string; findings: Array<Record<string, unknown>> }> };
    expect(parsed.files.map((f) => f.path.split("/").pop())).toEqual(["2234-clean.md", "2235-broken.md", "2236-warn.md"]);
    expect(parsed.files[0]!.findings).toEqual([]);
    expect(parsed.files[1]!.findings[0]).toMatchObject({ rule: "section-missing", severity: "error", line: expect.any(Number), column: 1, message: expect.stringContaining("Rationale") });
  });

  it("github: workflow annotation commands with escaped properties", async () => {
    const { out } = await run(["check", join(dir, "seps", "2235-broken.md"), "--format=github"]);
    expect(out).toMatch(/^::error file=.*2235-broken\.md,line=\d+,col=1,title=section-missing::There is no `## Rationale` section/m);
  });

  it("exit 2 on a missing path, a bad format or a bad option", async () => {
    expect((await run(["check", join(dir, "nope")])).code).toBe(2);
    const bad = await run(["check", dir, "--format", "xml"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--format must be one of text, json, github");
    expect((await run(["check", "--frobnicate"])).code).toBe(2);
    expect((await run(["frob"])).code).toBe(2);
  });

  it("exit 2 on an invalid rules file, naming the key and what is allowed", async () => {
    const file = join(dir, "bad-rules.yml");
    writeFileSync(file, "severities:\n  section-mising: off\n");
    const { code, err } = await run(["check", join(dir, "seps"), "--rules", file]);
    expect(code).toBe(2);
    expect(err).toContain(file);
    expect(err).toContain("severities.section-mising: unknown key; allowed: file-too-large");
  });

  it("a rules override changes the outcome", async () => {
    const file = join(dir, "quiet.yml");
    writeFileSync(file, "severities:\n  section-missing: warning\n");
    expect((await run(["check", join(dir, "seps"), "--rules", file])).code).toBe(0);
  });

  it("--help on every command", async () => {
    for (const args of [["--help"], ["check", "--help"], ["parse", "-h"]]) {
      const { code, out } = await run(args);
      expect(code).toBe(0);
      expect(out).toMatch(/^Usage: sep-bot/);
    }
  });
});

describe("sep-bot parse", () => {
  it("--json prints one object per file with the documented keys; unknowns are null", async () => {
    const { code, out } = await run(["parse", join(dir, "seps", "2234-clean.md"), join(dir, "seps", "2236-warn.md"), "--json"]);
    expect(code).toBe(0);
    const lines = out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0])).toEqual(expect.arrayContaining(["path", "number", "fileNumber", "slug", "title", "status", "statusRaw", "type", "typeRaw", "created", "authors", "sponsors", "awaitingSponsor", "pr", "preambleStyle", "sections", "fields"]));
    expect(lines[0]).toMatchObject({ number: 2234, status: "draft", statusRaw: "Draft", authors: [{ name: "Ada Lovelace", handle: "ada", email: null }], fields: { Status: "Draft" } });
    expect(lines[1].authors).toEqual([{ name: "No Handle", handle: null, email: null }]);
  });

  it("without --json prints a readable summary", async () => {
    const { out } = await run(["parse", join(dir, "seps", "2234-clean.md")]);
    expect(out).toContain("Status:     draft");
  });
});

describe("the installed command", () => {
  it("bin/sep-bot.js runs the built CLI without tsx (lib/ is built by npm ci, and kept fresh by test/global-setup.ts)", () => {
    expect(existsSync("lib/run/bin.js")).toBe(true);
    const result = spawnSync(process.execPath, ["lib/run/bin.js", "check", join(dir, "seps", "2234-clean.md")], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("1 file checked: no problems.");
    const viaBin = spawnSync(process.execPath, ["bin/sep-bot.js", "check", "examples/seps"], { encoding: "utf8" });
    expect(viaBin.status).toBe(0);
  });
});
