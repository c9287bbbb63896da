import { lintSep } from "../../lint/index.js";
import type { Rules } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";
import { parseSep } from "../../sep/parse.js";
import { expandPaths, readCapped, UsageError } from "./files.js";
import type { FileReport } from "./format.js";

/** Reads one SEP file from disk (never more than the size limit of it) and parses it. */
export function readSep(path: string, rules: Rules): Sep {
  const { bytes, size } = readCapped(path, rules.limits.maxFileBytes);
  return parseSep(bytes, path, { rules, size });
}

/** `sep-bot check`: parse and lint every file; the formatting is the caller's. */
export function checkPaths(paths: readonly string[], rules: Rules, now = new Date()): FileReport[] {
  return expandPaths(paths, rules).map((path) => {
    try {
      return { path, findings: lintSep(readSep(path, rules), rules, { now }) };
    } catch (error) {
      if (error instanceof UsageError) throw error; // unreadable path: exit 2 at once, as before
      // A bug must not hide the other files' findings: name this file, go on, exit 2.
      return { path, findings: [], error: `sep-bot could not check this file (${(error as Error).message.split("\n")[0]}); please report it` };
    }
  });
}
