import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The tree shows how sep-bot runs: the core (the document, the lints, the
 * rules, the process) knows nothing of GitHub; GitHub I/O (reads, writes,
 * the loops that tie them, delivery coordination, the chat) builds on the
 * core; the ways to run (the App, the server, the Action, the CLI, the
 * schedule) build on both. Imports point down only, and no module imports
 * itself back through others.
 */

const SRC = new URL("../src/", import.meta.url).pathname;
const LAYERS: Array<[string, RegExp]> = [
  ["core", /^(sep|lint|rules|process)\//],
  ["io", /^(github|delivery|notify)\//],
  ["run", /^run\//],
];
const layerOf = (file: string) => {
  if (file === "index.ts") return LAYERS.length; // the library entry re-exports the core
  const i = LAYERS.findIndex(([, re]) => re.test(file));
  if (i < 0) throw new Error(`${file}: in no layer (src/ holds only the layers' folders and index.ts)`);
  return i;
};

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [relative(SRC, join(dir, e.name))] : []));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => normalize(join(dirname(file), m[1]!)).replace(/\.js$/, ".ts"));
}

/** Imports that load code at run time (type-only imports vanish when compiled). */
function runtimeImportsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), "utf8").replace(/^import type [^;]*;/gm, "").replace(/^export type [^;]*;/gm, "");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => normalize(join(dirname(file), m[1]!)).replace(/\.js$/, ".ts"));
}

describe("the layout", () => {
  const files = sources();
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it("every module is in a layer, and imports only its own layer or those below", () => {
    const upward = files.flatMap((f) => graph.get(f)!.filter((to) => layerOf(to) > layerOf(f)).map((to) => `${f} -> ${to}`));
    expect(upward).toEqual([]);
  });

  it("the core never imports Probot, Octokit or Redis", () => {
    const io = files.filter((f) => layerOf(f) === 0).filter((f) => /from "(probot|ioredis|@octokit\/[^"]+)"/.test(readFileSync(join(SRC, f), "utf8")));
    expect(io).toEqual([]);
  });

  it("no import cycles between modules (at run time: types may refer to each other)", () => {
    const runtime = new Map(files.map((f) => [f, runtimeImportsOf(f)]));
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        cycles.push([...path.slice(path.indexOf(f)), f].join(" -> "));
        return;
      }
      state.set(f, "open");
      for (const to of runtime.get(f) ?? []) visit(to, [...path, f]);
      state.set(f, "done");
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
