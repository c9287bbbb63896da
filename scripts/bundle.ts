import { readFileSync } from "node:fs";
import { build } from "esbuild";

/**
 * `npm run bundle`: the GitHub Action as one file, dist/index.js (committed,
 * like every JavaScript action: the runner runs it without installing
 * anything). ESM for node24, Probot and every dependency inside; the banner
 * gives CommonJS dependencies the `require` they expect, and the bundled
 * rules come as text (a bundle has no rules/ beside it). `.ci/run` rebuilds it
 * and fails when the committed file differs.
 */
const out = process.argv[2] ?? "dist/index.js";
await build({
  entryPoints: ["src/run/action-main.ts"],
  outfile: out,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  legalComments: "none",
  logLevel: "warning",
  banner: { js: 'import { createRequire as __sepBotRequire } from "node:module";\nconst require = __sepBotRequire(import.meta.url);' },
  define: { __SEP_BOT_DEFAULT_RULES__: JSON.stringify(readFileSync("rules/default.yml", "utf8")) },
});
