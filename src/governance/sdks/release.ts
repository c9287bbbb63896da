import type { SdkRules } from "../../rules/sdks.js";

/**
 * The specification release a SEP is for: the name of its pull request's
 * milestone or label that the rules' pattern matches (the repository names
 * releases by their date, `2026-07-28`), and that release's dates: its
 * candidate, the release, and what each tier owes it (SEP-1730: Tier 1
 * within two weeks of the candidate, Tier 2 within six months).
 */

export interface ReleaseDates {
  version: string;
  candidate: string | null;
  release: string | null;
  /** By tier ("1"): the day its SDKs should have implemented the release's SEPs. */
  deadlines: Record<string, string>;
}

export function releaseOf(rules: SdkRules, labels: readonly string[], milestone: string | null): string | null {
  const pattern = new RegExp(rules.release.pattern);
  for (const from of rules.release.from) {
    if (from === "milestone" && milestone && pattern.test(milestone)) return milestone.slice(0, 60);
    if (from === "label") {
      const label = labels.find((l) => pattern.test(l));
      if (label) return label.slice(0, 60);
    }
  }
  return null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A release's dates, from the rules (a release named by a date is released that day unless they say otherwise). */
export function releaseDates(rules: SdkRules, version: string, milestoneDue: string | null = null): ReleaseDates {
  const known = rules.releases[version];
  const release = known?.release ?? (DATE.test(version) ? version : (milestoneDue?.slice(0, 10) ?? null));
  const candidate = known?.candidate ?? null;
  const deadlines: Record<string, string> = {};
  for (const [tier, rule] of Object.entries(rules.deadlines)) {
    const from = rule.after === "candidate" ? candidate : release;
    if (from) deadlines[tier] = new Date(Date.parse(`${from}T00:00:00Z`) + rule.days * 86_400_000).toISOString().slice(0, 10);
  }
  return { version, candidate, release, deadlines };
}
