import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Tests that run the CLI or the server as a process run the built lib/ (as
 * the installed package and the container do). Rebuild it when any source
 * is newer, so a test never runs stale code; on a fresh `npm ci` (which
 * builds it) this costs nothing.
 */
export default function setup(): void {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  const built = "lib/run/bin.js";
  if (existsSync(built) && statSync(built).mtimeMs >= newest("src")) return;
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
}
