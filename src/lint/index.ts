import type { Rules } from "../rules/schema.js";
import type { Sep } from "../sep/model.js";
import { collect, type Lint } from "./context.js";
import { fileName, readProblems } from "./file.js";
import { byPosition, type Finding } from "./finding.js";
import { dates, fieldPlaceholders, fieldsPresent, people, preamblePresent, prField, statusValue, typeValue } from "./preamble.js";
import { sections, templateText } from "./sections.js";
import { numberMismatch, numberPlaceholder, titleFormat } from "./title.js";

export type { Finding, Fix } from "./finding.js";

const LINTS: readonly Lint[] = [
  readProblems,
  fileName,
  titleFormat,
  numberPlaceholder,
  numberMismatch,
  preamblePresent,
  fieldsPresent,
  fieldPlaceholders,
  statusValue,
  typeValue,
  dates,
  people,
  prField,
  sections,
  templateText,
];

/** Problems that mean the file could not be read at all: never relaxed. */
const UNREADABLE = new Set(["file-too-large", "file-encoding", "file-empty", "file-not-regular", "front-matter-invalid"]);

export interface LintOptions {
  now?: Date;
}

/**
 * All findings for one SEP, sorted by position. A SEP in a `frozen` status
 * (Final, Rejected...) is a historical record: its findings are reported as
 * warnings, so checking the whole directory does not fail on history.
 */
export function lintSep(sep: Sep, rules: Rules, options: LintOptions = {}): Finding[] {
  // Nothing was read from an empty, binary or oversized file: say that, and only that.
  const unread = sep.problems.some((p) => p.rule !== "front-matter-invalid");
  const findings = collect(sep, rules, options.now ?? new Date(), unread ? [readProblems] : LINTS);
  const frozen = rules.statuses.find((s) => s.id === sep.status)?.frozen ?? false;
  if (frozen) {
    for (const f of findings) if (f.severity === "error" && !UNREADABLE.has(f.rule)) f.severity = "warning";
  }
  return findings.sort(byPosition);
}
