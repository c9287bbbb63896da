import type { Effect } from "../../governance/model/effects.js";
import { mentionsIn } from "../../governance/people/mentions.js";

export { mentionsIn };

/**
 * The preview of a sweep (`sep-bot sweep --dry-run`): every pull request the
 * filter picks, planned without the write budget, then laid out as the real
 * sweeps would meet them. Pure: it takes the dry run's plans.
 *
 * - Runs: the real sweep reconciles oldest first and stops before the next PR
 *   once its writes reach `sweep.maxWrites`; the PR that passes the budget is
 *   still in that run. The next run starts with the rest, in the same order.
 * - Order: what cannot be quietly taken back first (a close, a dormancy), then
 *   what notifies people (a new comment that @mentions someone), then the rest;
 *   within each, by run and oldest first.
 */

/** One reconcile of the dry run, in the sweep's order (oldest first). */
export interface PlannedReconcile {
  number: number;
  reasons: string[];
  writes: number;
  effects: Effect[];
}

export interface PreviewPull {
  number: number;
  /** The run of the budget that reaches it: 1, 2... */
  run: number;
  /** Why the filter picked it. */
  reasons: string[];
  /** The kinds of the planned effects, in order. */
  effects: Array<Effect["kind"]>;
  writes: number;
  /** Distinct logins (lowercase; a team as `org/team`) @mentioned in the comments it would post. */
  mentions: string[];
  /** Closes the pull request or makes the SEP dormant. */
  irreversible: boolean;
  /** Posts a comment that @mentions someone. */
  notifying: boolean;
}

export interface PreviewSummary {
  /** Pull requests that would change. */
  pulls: number;
  writes: number;
  /** New comments: created comments and replies. */
  comments: number;
  /** @mentions in those comments, each login counted once per pull request. */
  mentions: number;
  /** Distinct people (and teams) mentioned. */
  people: number;
  /** Labels added plus labels removed. */
  labelChanges: number;
  commits: number;
  closes: number;
  reopenings: number;
  checkRuns: number;
  /** Runs of the budget the real sweep needs to meet every pull request picked. */
  runs: number;
}

export interface Preview {
  maxWrites: number;
  /** Those that would change, irreversible first, then notifying, then the rest. */
  pulls: PreviewPull[];
  /** Picked by the filter, but the reconcile would write nothing. */
  unchanged: number[];
  summary: PreviewSummary;
}

/** The run of the budget each reconcile falls in, given the writes of each in the sweep's order. */
export function assignRuns(writes: readonly number[], maxWrites: number): number[] {
  let run = 1;
  let spent = 0;
  return writes.map((w) => {
    // The real sweep checks before each pull request: the budget spent, the run ends.
    if (spent >= maxWrites) {
      run++;
      spent = 0;
    }
    spent += w;
    return run;
  });
}

const postsComment = (e: Effect): e is Extract<Effect, { kind: "create-comment" | "reply" }> => e.kind === "create-comment" || e.kind === "reply";

/** A preview from the dry run's reconciles (oldest first) and the rules' budget and closing labels (the dormant label). */
export function previewOf(planned: readonly PlannedReconcile[], o: { maxWrites: number; closingLabels: readonly string[] }): Preview {
  const runs = assignRuns(
    planned.map((p) => p.writes),
    o.maxWrites,
  );
  const closing = new Set(o.closingLabels.map((l) => l.toLowerCase()));
  const summary: PreviewSummary = { pulls: 0, writes: 0, comments: 0, mentions: 0, people: 0, labelChanges: 0, commits: 0, closes: 0, reopenings: 0, checkRuns: 0, runs: Math.max(0, ...runs) };
  const people = new Set<string>();
  const pulls: PreviewPull[] = [];
  const unchanged: number[] = [];
  for (const [i, p] of planned.entries()) {
    if (p.effects.length === 0) {
      unchanged.push(p.number);
      continue;
    }
    const mentions = [...new Set(p.effects.filter(postsComment).flatMap((e) => mentionsIn(e.body)))];
    const closes = p.effects.some((e) => e.kind === "pull-request-state" && e.state === "closed");
    const dormant = p.effects.some((e) => e.kind === "labels" && e.add.some((l) => closing.has(l.toLowerCase())));
    pulls.push({
      number: p.number,
      run: runs[i]!,
      reasons: p.reasons,
      effects: p.effects.map((e) => e.kind),
      writes: p.writes,
      mentions,
      irreversible: closes || dormant,
      notifying: mentions.length > 0,
    });
    summary.pulls++;
    summary.writes += p.writes;
    summary.mentions += mentions.length;
    mentions.forEach((m) => people.add(m));
    for (const e of p.effects) {
      if (postsComment(e)) summary.comments++;
      else if (e.kind === "labels") summary.labelChanges += e.add.length + e.remove.length;
      else if (e.kind === "commit") summary.commits++;
      else if (e.kind === "check-run") summary.checkRuns++;
      else if (e.kind === "pull-request-state") summary[e.state === "closed" ? "closes" : "reopenings"]++;
    }
  }
  summary.people = people.size;
  const rank = (p: PreviewPull) => (p.irreversible ? 0 : p.notifying ? 1 : 2);
  // Array.prototype.sort is stable: ties keep the sweep's order (by run, oldest first).
  pulls.sort((a, b) => rank(a) - rank(b));
  return { maxWrites: o.maxWrites, pulls, unchanged, summary };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The preview as lines of text, grouped: irreversible, notifying, the rest; then the summary. */
export function renderPreview(preview: Preview): string {
  const { pulls, summary: s } = preview;
  const out: string[] = [`Preview: every pull request, in runs of the write budget (${preview.maxWrites} writes a run, \`sweep.maxWrites\`).`];
  const groups: Array<[string, PreviewPull[]]> = [
    ["Closes or makes dormant", pulls.filter((p) => p.irreversible)],
    ["Notifies people (@mentions)", pulls.filter((p) => !p.irreversible && p.notifying)],
    ["Other changes", pulls.filter((p) => !p.irreversible && !p.notifying)],
  ];
  for (const [title, list] of groups) {
    if (!list.length) continue;
    out.push(`${title} (${list.length}):`);
    for (const p of list) {
      const mentions = p.mentions.length ? `; mentions ${p.mentions.map((m) => `@${m}`).join(", ")}` : "";
      out.push(`  #${p.number} (run ${p.run}): ${p.reasons.join("; ")} -> would write ${p.writes} (${p.effects.join(", ")})${mentions}`);
    }
  }
  if (preview.unchanged.length) out.push(`Nothing to write (${preview.unchanged.length}): ${preview.unchanged.map((n) => `#${n}`).join(", ")}`);
  out.push(
    `In all: ${plural(s.pulls, "pull request")} would change, ${plural(s.writes, "write")} in ${plural(s.runs, "run")}: ` +
      `${plural(s.comments, "comment")} with ${plural(s.mentions, "@mention")} (${plural(s.people, "person", "people")}), ` +
      `${plural(s.labelChanges, "label change")}, ${plural(s.commits, "commit")}, ${plural(s.closes, "close")}, ${plural(s.reopenings, "reopening")}, ${plural(s.checkRuns, "check run")}.`,
  );
  return out.map((l) => `${l}\n`).join("");
}
