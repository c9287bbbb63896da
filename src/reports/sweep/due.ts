import type { Rules } from "../../rules/schema.js";
import { planBoard } from "../../governance/board/board.js";
import { type BoardRead } from "../../governance/model/snapshot.js";
import { clocks, type ClockReport } from "../../governance/clocks/deadlines.js";
import { type Activity, type Ping } from "../../governance/model/snapshot.js";
import { deadlineSummary } from "../../governance/comment/status-comment.js";
import type { LabelEvent } from "../../governance/model/snapshot.js";
import type { BotState, TrackedSdk, Tracking } from "../../governance/model/record.js";
import { awaitingState, hasLabel, isStateLabel, statusForLabel } from "../../governance/status/states.js";
import { clockState, unfinishedDormancy } from "../../governance/clocks/reminders.js";
import { loginKey } from "../../shared/logins.js";
import type { ListedPerson } from "../../governance/model/snapshot.js";
import type { ListedFile, SweepSepFile } from "./files.js";

/**
 * The sweep's cheap filter: from one bulk read of every SEP pull request
 * (labels, timeline, the bot's status comment with its memory, the check on
 * the head, the board), which ones need a reconcile now, and why. Pure, and
 * an over-approximation: whatever a reconcile would write shows up here, so
 * nothing due is missed; a PR picked for nothing costs two reads and no write.
 * The clocks are the same function the reconcile runs.
 */

export interface SweepPull {
  number: number;
  url: string;
  title: string;
  open: boolean;
  merged: boolean;
  author: string;
  createdAt: string;
  closedAt: string | null;
  labels: string[];
  assignees: string[];
  labelEvents: LabelEvent[];
  activity: Activity[];
  /** A SEP file is among the files the read listed. */
  touchesSep: boolean;
  /** The memory in the bot's status comment; null when the PR has none. */
  memory: BotState | null;
  /** Reminders the bot's comments (the ones read) carry. */
  pings: Ping[];
  /** The conclusion of the `SEP checks` run on the head commit; null when the head has none. */
  checks: "success" | "failure" | "neutral" | "pending" | null;
  /** The PR on the rules' project board, when they name one. */
  board: BoardRead | null;
  /** Its head commit. */
  head?: string;
  /** The SEP files it changes, as listed (the first 20 files). */
  sepFiles?: ListedFile[];
  /**
   * Its SEP file at the head (which file: the check's `whichIsTheSep`), read
   * for the site and the digest; null when none could be read or told;
   * absent when the read did not ask (the sweep's own read).
   */
  file?: SweepSepFile | null;
}

export interface SweepRead {
  repo: { owner: string; name: string; defaultBranch: string };
  botLogin: string;
  /** Role members (lowercase), as the reconcile reads them. */
  roles: Record<string, string[]>;
  /** Everyone the maintainers file links to a login, with their name (a Sponsor written as a name, logins as written). */
  directory?: ListedPerson[];
  pulls: SweepPull[];
  /** What each SEP's conformance traceability is now (absent: not read, or no conformance repository in the rules). */
  conformance?: ConformanceKeys | null;
  /** The SDK issues sep-bot tracks, now (absent: not read). */
  tracked?: TrackedIssues | null;
  /** The SDKs as the rules list them (their file's text), the maintainers file, and every umbrella's list (absent: `sdks` off). */
  sdks?: SdksRead | null;
}

/** What the site and the digest read of implementation across the SDKs: the umbrellas' lists (reports/site's release view). */
export interface SdksRead {
  /** The SDK list file's text (rules `sdks.file`), null when absent. */
  file: string | null;
  /** The maintainers file's text (each SDK's maintainers: rules `sdks.maintainersSection`). */
  maintainersFile: string | null;
  /** Every umbrella sep-bot keeps a list in (the newest 100, open or closed). */
  umbrellas: Array<{ number: number; url: string; open: boolean; sep: number; release: string | null; done: boolean; sdks: Array<{ repo: string; number: number | null; tier: number | null; state: TrackedSdk["state"] }> }>;
}

/** The SDK issues sep-bot tracks, as GitHub shows them now, and the open umbrellas' lists (reports/sweep and the site read them). */
export interface TrackedIssues {
  /** `owner/name#number` (the repository lowercased) -> its state now. */
  states: Record<string, TrackedSdk["state"]>;
  /** `pr`: the SEP's pull request, where its record is. */
  umbrellas: Array<{ number: number; sep: number; pr: number; sdks: Array<{ repo: string; number: number | null; tier: number | null; state: TrackedSdk["state"] }> }>;
}

/** Per SEP number, the key its status comment should remember (final/traceability.ts `conformanceKey`); `none` for a SEP with nothing there. */
export interface ConformanceKeys {
  keys: Record<string, string>;
  none: string;
}

export interface DueReconcile {
  number: number;
  createdAt: string;
  reasons: string[];
}

/** A pull request the bot works on: labelled, commented on by it, or touching a SEP file. */
export function isSepPull(pull: SweepPull, rules: Rules): boolean {
  return pull.memory !== null || pull.touchesSep || hasLabel(pull.labels, rules.labels.sep);
}

/**
 * The clocks of one pull request as the reconcile would run them, from the
 * sweep's read and the bot's memory. Without a memory (sep-bot has not met the
 * pull request yet: install day, or deferred by the write budget), as its
 * first reconcile would run them from the file read at the head: its state
 * label (else the file's state), the sponsor the file names, and held where
 * label and file disagree (sep-bot adopts that and acts on neither); null
 * when neither a memory nor a file is there.
 */
export function sweepClocks(pull: SweepPull, read: SweepRead, rules: Rules, now: Date): ClockReport | null {
  const sep = pull.memory?.sep;
  if (!sep) return pull.memory === null && pull.file ? firstClocks(pull, pull.file, read, rules, now) : null;
  const holders = new Set(Object.values(read.roles).flat());
  // Labels and file disagreeing since before sep-bot, and neither moved since the last reconcile: held.
  const adopted = pull.memory!.adopted;
  const stateLabels = pull.labels.filter((l) => isStateLabel(rules, l)).map((l) => l.toLowerCase());
  const hold = !!adopted && adopted.labels.length === stateLabels.length && adopted.labels.every((l) => stateLabels.includes(l.toLowerCase()));
  return clocks(
    {
      state: sep.clock ?? clockState(rules, sep.state, pull.labels),
      createdAt: pull.createdAt,
      labels: pull.labels,
      labelEvents: pull.labelEvents,
      activity: [...pull.activity, ...pull.labelEvents.map((e) => ({ at: e.at, actor: e.actor }))],
      pings: [...pull.pings, ...pull.memory!.pings],
      author: pull.author,
      sponsor: sep.sponsor,
      assignees: pull.assignees.filter((login) => holders.has(loginKey(login))),
      botLogin: read.botLogin,
      type: sep.type,
      ...(hold ? { hold } : {}),
    },
    rules,
    now,
  );
}

function firstClocks(pull: SweepPull, file: SweepSepFile, read: SweepRead, rules: Rules, now: Date): ClockReport {
  const holders = new Set(Object.values(read.roles).flat().map(loginKey));
  const stateLabels = pull.labels.filter((l) => isStateLabel(rules, l));
  const labelled = stateLabels.length === 1 ? (statusForLabel(rules, stateLabels[0]!)?.id ?? null) : null;
  // Awaiting a sponsor with a maintainer assigned: the first reconcile takes them as sponsor (sponsorship by
  // assignment) and the SEP is as its file says from then on.
  const byAssignment = rules.sponsorship.byAssignment && pull.assignees.some((login) => holders.has(loginKey(login)));
  const waiting = awaitingState(rules)?.id;
  const found = labelled ?? file.state;
  const state = found === waiting && byAssignment && file.status && file.status !== waiting ? file.status : found;
  const sponsor = file.sponsors.find((s) => s.handle && holders.has(loginKey(s.handle)))?.handle ?? null;
  return clocks(
    {
      state: clockState(rules, state, pull.labels),
      createdAt: pull.createdAt,
      labels: pull.labels,
      labelEvents: pull.labelEvents,
      activity: [...pull.activity, ...pull.labelEvents.map((e) => ({ at: e.at, actor: e.actor }))],
      pings: pull.pings,
      author: pull.author,
      sponsor,
      assignees: pull.assignees.filter((login) => holders.has(loginKey(login))),
      botLogin: read.botLogin,
      type: file.type,
      ...(labelled !== null && file.state !== null && labelled !== file.state ? { hold: true } : {}),
    },
    rules,
    now,
  );
}

/** Why this pull request needs a reconcile now; empty when nothing would change. */
export function reasonsToReconcile(pull: SweepPull, read: SweepRead, rules: Rules, now: Date): string[] {
  if (!isSepPull(pull, rules)) return [];
  const reasons: string[] = [];
  const sep = pull.memory?.sep ?? null;
  if (!sep) return pull.open ? ["sep-bot has no record of it (a missed event, or from before the app was installed)"] : [];
  const stateLabels = pull.labels.filter((l) => isStateLabel(rules, l));
  const labelled = sep.label ? stateLabels.length === 1 && hasLabel(stateLabels, sep.label) : stateLabels.length === 0;
  if (!labelled) reasons.push(`its labels (${stateLabels.join(", ") || "none"}) are not the ones sep-bot left (${sep.label ?? "none"})`);
  if (rules.project && pull.board && planBoard(rules, pull.board, sep.state).effect) reasons.push("the project board does not show its status");
  if (!pull.open) return reasons;

  if (pull.checks === null) reasons.push("its head commit has no SEP check (a missed push)");
  if (!hasLabel(pull.labels, rules.labels.sep)) reasons.push(`the \`${rules.labels.sep}\` label is missing`);
  const report = sweepClocks(pull, read, rules, now)!;
  for (const due of report.due) reasons.push(`${due.rule.deadline} (${due.days} days)`);
  const shown = deadlineSummary(report);
  if (shown.paused !== sep.paused || shown.deadlines.join("|") !== sep.deadlines.join("|")) reasons.push("its deadlines moved (a rules change, or the pause label)");
  // An accepted SEP whose traceability file was merged (or whose manifest entry moved) over there: no event reaches us.
  const road = sep.state !== null && rules.final.from.includes(sep.state);
  // Keyed by the SEP's number: a SEP numbered before the rule, or moved to Final by a later pull request, is not its PR's.
  const current = read.conformance ? (read.conformance.keys[sep.final?.sep ?? pull.number] ?? read.conformance.none) : null;
  if (road && current !== null && (sep.final?.key ?? null) !== current) reasons.push("its conformance traceability changed (a traceability file merged, or a new run of the suite)");
  reasons.push(...trackingReasons(pull.memory!.tracking ?? null, read.tracked ?? null, rules, now));
  const left = unfinishedDormancy(rules, { open: pull.open, labels: pull.labels, activity: pull.activity }, sep.state, report, [...pull.pings, ...pull.memory!.pings]);
  if (left) reasons.push(left === "finish" ? "a dormancy was left unfinished" : "it is dormant but still open");
  return reasons;
}

/** Every pull request that needs a reconcile, oldest first (the budget goes to those waiting longest). */
export function dueReconciles(read: SweepRead, rules: Rules, now: Date): DueReconcile[] {
  const due = read.pulls.map((pull) => ({ number: pull.number, createdAt: pull.createdAt, reasons: reasonsToReconcile(pull, read, rules, now) }));
  // A SEP merged before the sweep's window whose umbrella is open: its list is kept in step too (its pull request is
  // reconciled: its record is there).
  const read_ = new Set(read.pulls.map((p) => p.number));
  for (const umbrella of read.tracked?.umbrellas ?? []) {
    if (read_.has(umbrella.pr)) continue;
    const moved = umbrella.sdks.some((s) => s.number && read.tracked!.states[`${s.repo.toLowerCase()}#${s.number}`] && read.tracked!.states[`${s.repo.toLowerCase()}#${s.number}`] !== s.state && s.state !== "not-needed");
    if (moved) due.push({ number: umbrella.pr, createdAt: "", reasons: [`an SDK issue in umbrella #${umbrella.number}'s list moved`] });
  }
  return due.filter((d) => d.reasons.length > 0).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.number - b.number));
}

/** Why a SEP's SDK tracking needs a reconcile: an SDK issue moved, something is still to file, or to try again. */
export function trackingReasons(tracking: Tracking | null, tracked: TrackedIssues | null, rules: Rules, now: Date): string[] {
  const sdkRules = rules.sdks;
  if (!tracking || tracking.none || !sdkRules) return [];
  const reasons: string[] = [];
  const moved = tracking.sdks.filter((s) => s.number && s.state !== "not-needed" && tracked?.states[`${s.repo.toLowerCase()}#${s.number}`] && tracked.states[`${s.repo.toLowerCase()}#${s.number}`] !== s.state);
  if (moved.length) reasons.push(`its SDK issues moved (${moved.map((s) => `${s.repo}#${s.number}`).join(", ")})`);
  const retry = tracking.sdks.filter((s) => s.state === "no-access" && (!s.at || Date.parse(s.at) + sdkRules.retryNoAccessDays * 86_400_000 <= now.getTime()));
  if (retry.length) reasons.push(`to try filing again where sep-bot had no access (${retry.map((s) => s.repo).join(", ")})`);
  // (No SDK selected at all, say the SDK page could not be read: nothing to file, nothing to re-plan for.)
  // (An umbrella sep-bot may not open here waits like an SDK repository without access.)
  const umbrellaWaits = !!tracking.umbrellaNoAccess && Date.parse(tracking.umbrellaNoAccess) + sdkRules.retryNoAccessDays * 86_400_000 > now.getTime();
  if ((!tracking.umbrella && tracking.sdks.length > 0 && !umbrellaWaits) || tracking.sdks.some((s) => s.state === "not-filed")) reasons.push("its SDK issues are not all filed");
  return reasons;
}

