import { countBySeverity, type Finding } from "../../lint/finding.js";
import { escapeData } from "../log.js";

/** The three output formats of `sep-bot check`. */
export type Format = "text" | "json" | "github";
export const FORMATS: readonly Format[] = ["text", "json", "github"];

export interface FileReport {
  path: string;
  findings: Finding[];
  /** The file could not be checked at all (a bug, not a finding): exit 2. */
  error?: string;
}

/** Compiler style, one finding a line: `seps/1850-x.md:12:1 error section-missing message`. */
export function formatText(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const { path, findings } of reports) {
    for (const f of findings) {
      lines.push(`${path}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`);
      if (f.fix) lines.push(`    fix: ${f.fix.description}`);
    }
  }
  const all = reports.flatMap((r) => r.findings);
  const counts = countBySeverity(all);
  const files = reports.length === 1 ? "1 file" : `${reports.length} files`;
  lines.push(
    all.length === 0
      ? `${files} checked: no problems.`
      : `${files} checked: ${counts.error} error${counts.error === 1 ? "" : "s"}, ${counts.warning} warning${counts.warning === 1 ? "" : "s"}, ${counts.info} note${counts.info === 1 ? "" : "s"}.`,
  );
  return lines.join("\n") + "\n";
}

export function formatJson(reports: readonly FileReport[]): string {
  return (
    JSON.stringify({
      files: reports.map(({ path, findings }) => ({
        path,
        findings: findings.map((f) => ({
          rule: f.rule,
          severity: f.severity,
          message: f.message,
          line: f.line,
          column: f.column,
          ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
          ...(f.fix ? { fix: f.fix } : {}),
        })),
      })),
    }) + "\n"
  );
}

/** GitHub Actions workflow commands: `::error file=...,line=...::message`. */
export function formatGithub(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const { path, findings } of reports) {
    for (const f of findings) {
      const command = f.severity === "info" ? "notice" : f.severity;
      const props = [`file=${escapeProperty(path)}`, `line=${f.line}`, `col=${f.column}`];
      if (f.endLine !== undefined) props.push(`endLine=${f.endLine}`);
      props.push(`title=${escapeProperty(f.rule)}`);
      lines.push(`::${command} ${props.join(",")}::${escapeData(f.message)}`);
    }
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
