import type { Rules, StatusRule } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";

/**
 * Status and labels. The file's Status field is canonical; the PR carries
 * exactly one state label that mirrors it (or the awaiting-sponsor label
 * while the SEP has no sponsor), plus the `SEP` label.
 */

export function statusRule(rules: Rules, id: string | null): StatusRule | undefined {
  return id === null ? undefined : rules.statuses.find((s) => s.id === id);
}

/** Every label the bot manages as state (lowercased for comparison). */
export function stateLabels(rules: Rules): string[] {
  return [...new Set([...rules.statuses.map((s) => s.label), rules.labels.awaitingSponsor])];
}

/** The PR carries `name` (labels are case-insensitive on GitHub). */
export function hasLabel(labels: readonly string[], name: string): boolean {
  return labels.some((l) => l.toLowerCase() === name.toLowerCase());
}

export function isStateLabel(rules: Rules, label: string): boolean {
  return stateLabels(rules).some((l) => l.toLowerCase() === label.toLowerCase());
}

/**
 * The status a state label asks for. The awaiting-sponsor label maps to the
 * `seeking` status it shares a label with (proposal), else to none.
 */
export function statusForLabel(rules: Rules, label: string): StatusRule | undefined {
  return rules.statuses.find((s) => s.label.toLowerCase() === label.toLowerCase());
}

/**
 * Where a SEP is in the process: its status, except that one with no sponsor
 * in a status that awaits one (Draft) is `awaiting`, the status whose label is
 * the awaiting-sponsor label (proposal). Null when the status is unknown.
 */
export function processState(rules: Rules, sep: Sep): string | null {
  const status = statusRule(rules, sep.status);
  if (sep.awaitingSponsor && (!status || status.awaitsSponsor)) return awaitingState(rules)?.id ?? status?.id ?? null;
  return status?.id ?? null;
}

/** The status that stands for "awaiting a sponsor": the one labelled like `labels.awaitingSponsor`. */
export function awaitingState(rules: Rules) {
  return rules.statuses.find((s) => s.label.toLowerCase() === rules.labels.awaitingSponsor.toLowerCase());
}

/**
 * The state label a SEP should carry: awaiting-sponsor while it has none and
 * its status awaits one; otherwise its status's label. Null when the status
 * is unknown (nothing to mirror).
 */
export function labelForSep(rules: Rules, sep: Sep): string | null {
  const status = statusRule(rules, sep.status);
  if (sep.awaitingSponsor && (!status || status.awaitsSponsor)) return rules.labels.awaitingSponsor;
  return status?.label ?? null;
}

/** A state in the process's words: "awaiting a sponsor", "Draft", "In-Review". */
export function describeState(rules: Rules, state: string | null): string {
  if (state === null) return "an unknown status";
  if (state === awaitingState(rules)?.id) return "awaiting a sponsor";
  return statusRule(rules, state)?.display ?? state;
}
