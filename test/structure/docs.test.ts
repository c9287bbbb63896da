import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The docs stay true to the tree. docs/architecture.md walks a newcomer
 * through the code file by file, so every path it names must exist; every
 * page's relative links (and their #anchors) must lead somewhere; the README
 * stays short and keeps CI's test command (`.ci/run` runs it).
 *
 * A named path is a repository path in inline code (`src/run/app.ts`,
 * `test/unit/`): one starting with src/, test/, rules/, docs/, bench/,
 * scripts/, bin/, dist/ or examples/. It passes if it exists as a file or a
 * folder; a module named without its extension (`test/helpers/github-fake`)
 * passes as a folder or a `.ts` file; a placeholder segment
 * (`actions/<action>.ts`, `*.test.ts`) needs the folder before it.
 */

const ROOT = normalize(join(new URL("../..", import.meta.url).pathname));
/** Written by `npm run docs` from src/ (lint/docs.ts, governance/commands/help.ts): mend their text there, not here. */
const GENERATED = ["docs/rules.md", "docs/commands.md"];
const NAMED = /(?<![\w./-])((?:src|test|rules|docs|bench|scripts|bin|dist|examples)\/[^\s`'"()[\]]*)/g;

/** README.md and every markdown page in docs/, as paths from the root. */
function pages(): string[] {
  return ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
}

function read(page: string): string {
  return readFileSync(join(ROOT, page), "utf8");
}

/** The page without its fenced code blocks (their text is code, not prose: no links, no headings). */
function prose(text: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of text.split("\n")) {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && open) {
      fence = open[1]!;
      out.push("");
    } else if (fence !== null) {
      if (line.trim().startsWith(fence[0]!.repeat(fence.length)) && line.trim().replace(new RegExp(`^\\${fence[0]}+`), "") === "") fence = null;
      out.push("");
    } else out.push(line);
  }
  return out.join("\n");
}

/** The contents of each inline code span of the prose. */
function codeSpans(text: string): string[] {
  return [...prose(text).matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)].map((m) => m[2]!);
}

/** Repository paths named in inline code, trailing punctuation dropped. */
export function namedPaths(text: string): string[] {
  const found = codeSpans(text).flatMap((span) => [...span.matchAll(NAMED)].map((m) => m[1]!.replace(/[.,;:]+$/, "")));
  return [...new Set(found)];
}

/** Does a named path exist in the repository (see the file's comment for placeholders and extensions)? */
export function pathExists(named: string): boolean {
  const placeholder = named.split("/").findIndex((segment) => /[<>*{}]/.test(segment));
  if (placeholder >= 0) return existsSync(join(ROOT, ...named.split("/").slice(0, placeholder)));
  const path = join(ROOT, named);
  if (existsSync(path)) return true;
  return !/\.[a-z]+$/i.test(named) && existsSync(`${path}.ts`);
}

/** The relative link targets of a page's prose (not those in code). */
function relativeLinks(text: string): string[] {
  const withoutCode = prose(text).replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, "");
  return [...withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** GitHub's anchors for a page's headings. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(text).split("\n")) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const words = heading[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/`/g, "");
    const base = words.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** What is wrong with one relative link of `page`, or null. */
function brokenLink(page: string, target: string): string | null {
  const [file, anchor] = target.split("#", 2) as [string, string | undefined];
  const resolved = file === "" ? page : normalize(join(dirname(page), decodeURIComponent(file)));
  if (resolved.startsWith("..") || !existsSync(join(ROOT, resolved))) return `${page}: ${target} (no such file: ${resolved})`;
  if (anchor && resolved.endsWith(".md") && !anchors(read(resolved)).has(anchor)) return `${page}: ${target} (no heading #${anchor} in ${resolved})`;
  return null;
}

describe("the docs", () => {
  it("the architecture page names only files and folders that exist", () => {
    const named = namedPaths(read("docs/architecture.md"));
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((path) => !pathExists(path))).toEqual([]);
  });

  it("every page written by hand names only files and folders that exist", () => {
    const missing = pages().filter((page) => !GENERATED.includes(page)).flatMap((page) => namedPaths(read(page)).filter((path) => !pathExists(path)).map((path) => `${page}: ${path}`));
    expect(missing).toEqual([]);
  });

  it("every relative link in README.md and docs/*.md leads to a file (and a heading) that exists", () => {
    const all = pages().flatMap((page) => relativeLinks(read(page)).map((target) => ({ page, target })));
    expect(all.length).toBeGreaterThan(20);
    expect(all.map(({ page, target }) => brokenLink(page, target)).filter((problem) => problem !== null)).toEqual([]);
  });

  it("README.md is short, starts with the two commands, and keeps CI's test command", () => {
    const readme = read("README.md");
    const lines = readme.split("\n");
    expect(lines.length).toBeLessThan(200);
    expect(readme).toContain("npm test");
    const top = lines.slice(0, 10).join("\n");
    expect(top).toContain("npm ci && npx sep-bot check examples/seps");
    expect(top).toContain("npm ci && npm test");
  });

  it("README.md's dependency table says why for every dependency in package.json", () => {
    const pkg = JSON.parse(read("package.json")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const readme = read("README.md");
    const table = readme.slice(readme.indexOf("## Dependencies, and why"));
    const listed = new Set(table.split("\n").filter((line) => line.startsWith("| ")).flatMap((line) => line.split("|")[1]!.replace(/\(dev\)/, "").split(",").map((name) => name.trim())));
    const all = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
    expect(all.filter((name) => !listed.has(name))).toEqual([]);
  });
});
