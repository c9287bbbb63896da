import { lintSep } from "../lint/index.js";
import type { Rules } from "../rules/schema.js";
import { parseSep } from "../sep/parse.js";
import { expandPaths, readCapped } from "./files.js";
import type { FileReport } from "./format.js";

/** `sep-bot check`: parse and lint every file; the formatting is the caller's. */
export function checkPaths(paths: readonly string[], rules: Rules, now = new Date()): FileReport[] {
  return expandPaths(paths, rules).map((path) => {
    const { bytes, size } = readCapped(path, rules.limits.maxFileBytes);
    try {
      const sep = parseSep(bytes, path, { rules, size });
      return { path, findings: lintSep(sep, rules, { now }) };
    } catch (error) {
      // A bug must not hide the other files' findings: name this file, go on, exit 2.
      return { path, findings: [], error: `sep-bot could not check this file (${(error as Error).message.split("\n")[0]}); please report it` };
    }
  });
}
