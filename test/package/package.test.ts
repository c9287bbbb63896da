import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The npm package as a user gets it: `npm pack`, the tarball installed into
 * an empty directory (dependencies from the registry, or npm's cache), then
 * `npx sep-bot check` on a SEP, and the library imported by its name. Built
 * JavaScript only: no TypeScript, no build step, no devDependencies.
 */

const root = resolve(".");
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } });

describe("the npm package", () => {
  const dir = mkdtempSync(join(tmpdir(), "sep-bot-package-"));
  const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const tarball = join(dir, packed[0]!.filename);
  const files = packed[0]!.files.map((f) => f.path);

  it("ships built JavaScript with types, the rules and the CLI, and nothing of the development tree", () => {
    expect(files).toContain("bin/sep-bot.js");
    expect(files).toContain("lib/run/bin.js");
    expect(files).toContain("lib/index.js");
    expect(files).toContain("lib/index.d.ts");
    expect(files).toContain("rules/default.yml");
    // The README's links lead to the docs, which ship with it.
    expect(files).toContain("docs/operating.md");
    expect(files.filter((f) => /^(src|test|bench|scripts|dist)\//.test(f) || f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string }; exports: Record<string, unknown> };
    expect(manifest.engines.node).toBe("^20.18.1 || ^24"); // the versions .ci/run tests
    expect(manifest.exports["."]).toEqual({ types: "./lib/index.d.ts", import: "./lib/index.js" });
  });

  it("installed into an empty directory: `npx sep-bot check` checks a SEP, and `import { parseSep, lintSep, defaultRules } from \"sep-bot\"` works", () => {
    const project = join(dir, "project");
    mkdirSync(join(project, "seps"), { recursive: true });
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "a-user", version: "1.0.0", type: "module", private: true }));
    npm(["install", "--prefer-offline", "--no-package-lock", tarball], project);
    expect(existsSync(join(project, "node_modules", "typescript"))).toBe(false); // no devDependencies came along
    cpSync(join(root, "test/fixtures/real-seps/1850-pr-based-sep-workflow.md"), join(project, "seps/1850-pr-based-sep-workflow.md"));

    const check = spawnSync("npx", ["--no-install", "sep-bot", "check", "seps"], { cwd: project, encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
    expect(check.stdout).toContain("1 file checked");

    writeFileSync(
      join(project, "use.js"),
      `import { parseSep, lintSep, defaultRules } from "sep-bot";
import { readFileSync } from "node:fs";
const rules = defaultRules();
const sep = parseSep(readFileSync("seps/1850-pr-based-sep-workflow.md", "utf8"), "seps/1850-pr-based-sep-workflow.md", { rules });
console.log(JSON.stringify({ number: sep.number, status: sep.status, findings: lintSep(sep, rules).length }));
`,
    );
    const used = spawnSync(process.execPath, ["use.js"], { cwd: project, encoding: "utf8" });
    expect(used.stderr).toBe("");
    expect(JSON.parse(used.stdout)).toMatchObject({ number: 1850, status: "final" });
  });
});
