import type { Rules, Severity } from "../rules/schema.js";
import type { RuleId } from "../shared/rule-ids.js";
import type { Edit } from "../sep/edit.js";

/** A mechanical fix: text edits, and/or a new file name. */
export interface Fix {
  description: string;
  edits?: Edit[];
  rename?: string;
}

/** One problem, compiler style: rule, severity, message and where. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  fix?: Fix;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || ORDER[a.severity] - ORDER[b.severity] || a.rule.localeCompare(b.rule);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** A finding raised outside the linter (by the app's planner), at its configured severity. */
export function findingAt(rule: RuleId, message: string, line: number, rules: Rules): Finding {
  const severity = rules.severities[rule] ?? "error";
  return { rule, severity: severity === "off" ? "info" : severity, message, line, column: 1 };
}
