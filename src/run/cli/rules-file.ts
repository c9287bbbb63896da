import { readFileSync } from "node:fs";
import { defaultRules, loadRules } from "../../rules/load.js";
import type { Rules } from "../../rules/schema.js";
import { UsageError } from "./files.js";

/** The rules a person names on the command line (`--rules`): the defaults and that file; a mistake in it is an error. */
export function rulesFile(file: string | undefined): Rules {
  if (!file) return defaultRules();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`${file}: cannot read rules file`);
  }
  return loadRules([{ text, file }]);
}

