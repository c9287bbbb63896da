import type { Rules, Severity } from "../rules/schema.js";
import type { Sep } from "../sep/model.js";
import type { RuleId } from "../shared/rule-ids.js";
import type { Finding, Fix } from "./finding.js";

/** What every lint receives: the model, the policy, the clock, and a way to report. */
export interface LintContext {
  sep: Sep;
  rules: Rules;
  /** Today, for date checks; injected so lints stay pure. */
  now: Date;
  report(rule: RuleId, message: string, at: { line: number; column?: number; endLine?: number }, fix?: Fix, severity?: Severity): void;
}

export type Lint = (ctx: LintContext) => void;

const MAX_MESSAGE = 600;

export function collect(sep: Sep, rules: Rules, now: Date, lints: readonly Lint[]): Finding[] {
  const findings: Finding[] = [];
  const ctx: LintContext = {
    sep,
    rules,
    now,
    report(rule, message, at, fix, severity) {
      const configured = rules.severities[rule] ?? "error";
      if (configured === "off") return;
      // Never point past the file: "add it after the title" on a one-line file is line 1.
      const line = Math.min(Math.max(at.line, 1), Math.max(sep.lineCount, 1));
      // Messages quote the author's text: keep them readable and within a comment's limits.
      const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
      const finding: Finding = { rule, severity: severity ?? configured, message: text, line, column: line === at.line ? (at.column ?? 1) : 1 };
      if (at.endLine !== undefined && at.endLine > line) finding.endLine = Math.min(at.endLine, Math.max(sep.lineCount, 1));
      if (fix) finding.fix = fix;
      findings.push(finding);
    },
  };
  for (const lint of lints) lint(ctx);
  return findings;
}
