import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The house's shape (docs/architecture.md): each folder of src/ owns one
 * concept, and imports point one way, down this list. A folder imports only
 * itself and the folders before it; within governance/, the model imports
 * no room, the rooms import the model (and rooms before them), and only the
 * plan sees every room. No module imports itself back through others, not
 * even through a type.
 */

const SRC = new URL("../../src/", import.meta.url).pathname;

/** The folders, lowest first: what a folder may import is itself and what comes before it. */
export const LAYERS = [
  "shared",
  "rules",
  "sep",
  "lint",
  "governance/model",
  "governance/final",
  "governance/sdks",
  "governance/people",
  "governance/record",
  "governance/status",
  "governance/check",
  "governance/commit",
  "governance/clocks",
  "governance/board",
  "governance/commands",
  "governance/comment",
  "governance",
  "reports",
  "delivery",
  "github",
  "notify",
  "run",
] as const;

/** The layer a file is in: its longest matching folder; index.ts (the library's entry) sits above them all. */
export function layerOf(file: string): number {
  if (file === "index.ts") return LAYERS.length;
  let found = -1;
  LAYERS.forEach((layer, i) => {
    if (file.startsWith(`${layer}/`) && (found < 0 || layer.length > LAYERS[found]!.length)) found = i;
  });
  if (found < 0) throw new Error(`${file}: in no folder of the layout (src/ holds only the layers' folders and index.ts)`);
  return found;
}

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [relative(SRC, join(dir, e.name))] : []));
}

/** Every relative import of a file, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => normalize(join(dirname(file), m[1]!)).replace(/\.js$/, ".ts"));
}

describe("the layout", () => {
  const files = sources();
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it("every module is in a folder of the layout", () => {
    expect(files.filter((f) => { try { layerOf(f); return false; } catch { return true; } })).toEqual([]);
  });

  it("imports point down the layout: a folder imports itself and the folders before it, types included", () => {
    const upward = files.flatMap((f) => graph.get(f)!.filter((to) => layerOf(to) > layerOf(f)).map((to) => `${f} -> ${to}`));
    expect(upward).toEqual([]);
  });

  it("the shared leaf imports nothing of sep-bot's; the core (up to the reports) never imports Probot, Octokit or Redis", () => {
    expect(files.filter((f) => f.startsWith("shared/")).flatMap((f) => graph.get(f)!.filter((to) => !to.startsWith("shared/")).map((to) => `${f} -> ${to}`))).toEqual([]);
    const core = files.filter((f) => layerOf(f) <= LAYERS.indexOf("reports"));
    expect(core.filter((f) => /from "(probot|ioredis|@octokit\/[^"]+)"/.test(readFileSync(join(SRC, f), "utf8")))).toEqual([]);
  });

  it("only src/github/ talks to GitHub: no REST, GraphQL or paginated call anywhere else", () => {
    const calls = /\boctokit\b[^;\n]*\.(rest\.|request\(|graphql[<(]|paginate\b)|\.rest\.[a-z]+\.[a-zA-Z]+\(/;
    expect(files.filter((f) => !f.startsWith("github/") && calls.test(readFileSync(join(SRC, f), "utf8")))).toEqual([]);
  });

  it("no import cycles between modules, type-level included", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        cycles.push([...path.slice(path.indexOf(f)), f].join(" -> "));
        return;
      }
      state.set(f, "open");
      for (const to of graph.get(f) ?? []) visit(to, [...path, f]);
      state.set(f, "done");
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
