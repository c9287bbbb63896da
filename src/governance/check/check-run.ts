import { createHash } from "node:crypto";
import { RULES } from "../../shared/rule-ids.js";
import { countBySeverity, type Finding } from "../../lint/finding.js";
import type { Rules } from "../../rules/schema.js";
import type { Contribution } from "../model/contribution.js";
import type { Annotation, CheckRunEffect } from "../model/effects.js";
import type { Snapshot } from "../model/snapshot.js";

/** The check run's name on every head commit. */
export const CHECK_NAME = "SEP checks";
/** The identifier of the check run's "Fix these" button (GitHub sends it back in `check_run.requested_action`). */
export const FIX_ACTION = "sep-fix";
const DIGEST = /<!-- sep-bot:digest=([0-9a-f]+) -->/gi;
const MAX_SUMMARY = 60_000; // GitHub's limit is 65,535 characters
const MAX_ANNOTATIONS = 500;

export interface FileFindings {
  path: string;
  findings: Finding[];
}

/** The digest marker that ends sep-bot's check summary, so an unchanged result is never re-posted. */
export function digestMarker(digest: string): string {
  return `<!-- sep-bot:digest=${digest} -->`;
}

/** The digest in a check run summary (the last marker wins: text above it may quote one), or null. */
export function readDigest(summary: string | null | undefined): string | null {
  let digest: string | null = null;
  for (const match of (summary ?? "").matchAll(DIGEST)) digest = match[1]!.toLowerCase();
  return digest;
}

/** An annotation's message, well under GitHub's 64 KB. */
const MAX_MESSAGE = 4_000;
const capped = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const LEVEL: Record<Finding["severity"], Annotation["annotation_level"]> = { error: "failure", warning: "warning", info: "notice" };
const ICON: Record<Finding["severity"], string> = { error: "❌", warning: "⚠️", info: "ℹ️" };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The `SEP checks` run for a head commit: failure on any error, findings
 * grouped by rule with their fixes in the summary, and one annotation per
 * finding at its line. The digest of the output rides in the summary so an
 * identical run is never written twice.
 */
export function renderCheck(files: readonly FileFindings[], headSha: string, rules: Rules, configError: string | null, notes: readonly string[] = [], fixable = 0, button = true): CheckRunEffect {
  const all = files.flatMap((f) => f.findings.map((finding) => ({ path: f.path, finding })));
  const counts = countBySeverity(all.map((a) => a.finding));
  const conclusion = counts.error > 0 ? "failure" : "success";
  const title =
    counts.error > 0
      ? `${plural(counts.error, "error")}${counts.warning ? `, ${plural(counts.warning, "warning")}` : ""}`
      : counts.warning > 0
        ? `Passed with ${plural(counts.warning, "warning")}`
        : "All SEP checks passed";

  const lines: string[] = [];
  if (configError) lines.push(`> **Configuration:** \`.github/sep-bot.yml\` could not be used, so the default rules apply.\n> ${configError.split("\n").join("\n> ")}\n`);
  for (const note of notes) lines.push(`> **Note:** ${note}\n`);
  if (all.length === 0) {
    lines.push(`Checked ${files.map((f) => `\`${f.path}\``).join(", ")}: no problems found.`);
  } else {
    lines.push(`Checked ${files.map((f) => `\`${f.path}\``).join(", ")}: ${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}, ${plural(counts.info, "note")}.`, "");
    const byRule = new Map<string, typeof all>();
    for (const item of all) byRule.set(item.finding.rule, [...(byRule.get(item.finding.rule) ?? []), item]);
    const ordered = [...byRule.entries()].sort(([, a], [, b]) => rank(a[0]!.finding) - rank(b[0]!.finding));
    for (const [rule, items] of ordered) {
      lines.push(`#### ${ICON[items[0]!.finding.severity]} \`${rule}\` (${items.length})`, `_${RULES[rule as keyof typeof RULES] ?? ""}_`, "");
      for (const { path, finding } of items) {
        lines.push(`- \`${path}:${finding.line}\` ${finding.message}${finding.fix ? `\n  **Fix:** ${finding.fix.description}` : ""}`);
      }
      lines.push("");
    }
  }
  // Without a server (Actions) nothing receives the button's press: `/fix` is the way.
  if (fixable > 0) lines.push(`sep-bot can fix ${plural(fixable, "finding")} itself: ${button ? "press **Fix these** above, or comment" : "comment"} \`/fix\` on the pull request (the author, the sponsor or a maintainer).`, "");
  lines.push(`See the [SEP guidelines](${rules.links.guidelines}) and the [template](${rules.links.template}).`);
  let body = lines.join("\n");
  if (body.length > MAX_SUMMARY) body = `${body.slice(0, MAX_SUMMARY)}\n\n… (truncated: see the annotations)`;

  const annotations: Annotation[] = all.slice(0, MAX_ANNOTATIONS).map(({ path, finding }) => ({
    path,
    start_line: finding.line,
    end_line: finding.endLine ?? finding.line,
    annotation_level: LEVEL[finding.severity],
    title: finding.rule,
    // GitHub refuses an annotation message over 64 KB; a finding quoting a file may be longer.
    message: capped(finding.fix ? `${finding.message}\nFix: ${finding.fix.description}` : finding.message, MAX_MESSAGE),
  }));
  const text = all.length > MAX_ANNOTATIONS ? `Showing the first ${MAX_ANNOTATIONS} of ${all.length} findings as annotations.` : "";
  // GitHub's limits: label 20 characters, description 40, identifier 20.
  const actions = fixable > 0 && button ? [{ label: "Fix these", description: "Commit sep-bot's fixes to this branch", identifier: FIX_ACTION }] : [];
  const digest = createHash("sha256").update(JSON.stringify([conclusion, title, body, text, annotations, ...(actions.length ? [actions] : [])])).digest("hex").slice(0, 32);
  return {
    kind: "check-run",
    name: CHECK_NAME,
    headSha,
    conclusion,
    title,
    summary: `${body}\n${digestMarker(digest)}`,
    text,
    annotations,
    ...(actions.length ? { actions } : {}),
  };
}

function rank(f: Finding): number {
  return f.severity === "error" ? 0 : f.severity === "warning" ? 1 : 2;
}

/**
 * The check run's contribution: the run on the head commit, unless one with
 * the same output is there already (its digest says), or a command asks for
 * it again. `fixable`: the findings sep-bot can fix itself (the button's).
 */
export function checkOf(snapshot: Snapshot, rules: Rules, files: readonly FileFindings[], notes: readonly string[], fixable: number, force: boolean): { check: CheckRunEffect; part: Contribution } {
  const { pr } = snapshot;
  const check = renderCheck(files, pr.headSha, rules, snapshot.configError, [...(snapshot.readNotes ?? []), ...notes], fixable, snapshot.fixButton !== false);
  const existing = snapshot.checkRun?.headSha === pr.headSha ? snapshot.checkRun.digest : null;
  const due = existing === null || readDigest(check.summary) !== existing || force;
  return { check, part: due ? { effects: { check: [check] }, reasons: { check: [`check run: ${check.title}`] } } : {} };
}
