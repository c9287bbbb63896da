import type { Rules, Severity } from "../rules/schema.js";
import type { Sep } from "../sep/model.js";
import type { RuleId } from "./catalog.js";
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

export function collect(sep: Sep, rules: Rules, now: Date, lints: readonly Lint[]): Finding[] {
  const findings: Finding[] = [];
  const ctx: LintContext = {
    sep,
    rules,
    now,
    report(rule, message, at, fix, severity) {
      const configured = rules.severities[rule] ?? "error";
      if (configured === "off") return;
      const finding: Finding = { rule, severity: severity ?? configured, message, line: at.line, column: at.column ?? 1 };
      if (at.endLine !== undefined && at.endLine !== at.line) finding.endLine = at.endLine;
      if (fix) finding.fix = fix;
      findings.push(finding);
    },
  };
  for (const lint of lints) lint(ctx);
  return findings;
}
