#!/usr/bin/env node
// Runs the built CLI (lib/) when it is up to date; in a development checkout
// whose sources are newer, runs them through tsx instead, so the command never
// executes stale code.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
const built = new URL("lib/run/bin.js", root);
const source = new URL("src/run/bin.ts", root);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let useSource = false;
if (existsSync(source)) {
  useSource = !existsSync(built) || newestMtime(fileURLToPath(new URL("src", root))) > statSync(built).mtimeMs;
}
let tsx = null;
if (useSource) {
  try {
    tsx = await import("tsx/esm/api");
  } catch {
    // An installed package has no devDependencies: run what was built.
    if (!existsSync(built)) throw new Error("sep-bot: lib/ is missing; run `npm run build`");
  }
}
if (tsx) {
  tsx.register();
  await import(source.href);
} else {
  await import(built.href);
}
