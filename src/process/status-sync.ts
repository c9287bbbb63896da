import { findingAt, type Finding } from "../lint/finding.js";
import type { Rules } from "../rules/schema.js";
import { setSponsor, setStatus, type TextChange } from "../sep/edit.js";
import type { Sep } from "../sep/model.js";
import { parseSep } from "../sep/parse.js";
import { sameLogin } from "./authority.js";
import { maySetStatus, maySponsor, type People } from "./roles.js";
import { transitionRefusal } from "./lifecycle.js";
import type { Approved } from "./state.js";
import type { NextStep } from "./comment.js";
import type { AuditEntry, Snapshot } from "./snapshot.js";
import { isStateLabel, labelForSep, statusForLabel, statusRule } from "./status.js";

/**
 * Status and labels, both ways, as one rule: the PR's state label holds the
 * status last approved by the sponsor or a maintainer, and the file (the
 * canonical record) may move away from it only by their hand.
 * - an authorised label change: the file follows (a commit);
 * - anyone else's label change: put back;
 * - a push that changes Status: by an authorised pusher, labels follow;
 *   otherwise the check fails ("Status changes are made by the sponsor").
 */

export interface StatusInput {
  sep: Sep; // the SEP at the head
  base: Sep | null; // the same file on the base branch
  path: string;
  /** The bot can commit to the head branch (readable text, open PR, push allowed). */
  canEdit: boolean;
  /** Why it cannot, for the author's instructions. */
  blocker: string | null;
  /** The file's text at the trigger's other pushed commits (not the head), to judge who set its Status. */
  pushed?: ReadonlyArray<{ sha: string; text: string | null }>;
  /** Who holds which role on this PR. */
  people: People;
  /** The status last set by an authorised hand, as the bot recorded it (wording only, never authority). */
  approved?: Approved | null;
}

export interface StatusDecision {
  labels: string[]; // state labels the PR should carry
  /** People to assign: a maintainer whose label made them the sponsor (the sponsor is named and assigned). */
  assign: string[];
  edit: { change: TextChange; what: string } | null; // to commit to the file
  entries: AuditEntry[];
  nextSteps: NextStep[];
  finding: Finding | null; // status-change-unauthorised
  /** The approved label the file should return to, when the file moved without authority. */
  unauthorised: string | null;
  reasons: string[];
}

const eq = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

export function decideStatus(input: StatusInput, snapshot: Snapshot, rules: Rules, now: Date): StatusDecision {
  const { sep } = input;
  const { pr } = snapshot;
  const at = now.toISOString();
  const decision: StatusDecision = { labels: [], assign: [], edit: null, entries: [], nextSteps: [], finding: null, unauthorised: null, reasons: [] };
  const stateNow = pr.labels.filter((l) => isStateLabel(rules, l));
  const fileLabel = labelForSep(rules, sep);

  const may = (login: string, statusId: string | null) => maySetStatus(login, statusId, input.people, rules);
  const intent = labelIntent(snapshot, rules, stateNow, fileLabel);
  if (intent && !eq(fileLabel, intent.label)) {
    const target = (statusForLabel(rules, intent.label) ?? statusRule(rules, "proposal"))?.id ?? null;
    const keep = stateNow.find((l) => !eq(l, intent.label)) ?? fileLabel;
    const from = keep ? (statusForLabel(rules, keep)?.id ?? null) : null;
    const refusal = !may(intent.actor, target)
      ? "only the sponsor or a maintainer changes a SEP's status"
      : target && from !== target
        ? (transitionRefusal(rules, from, target, sep) ?? sponsorRefusal(intent.actor, target, input, rules))
        : null;
    if (!refusal) {
      followLabel(decision, input, intent, snapshot, rules, now);
    } else {
      // Put it back: status moves by the sponsor's hand, one step of the lifecycle at a time.
      if (keep) decision.labels.push(keep);
      decision.entries.push({ at, by: intent.actor, what: `removed the \`${intent.label}\` label added by @${intent.actor}: ${refusal}` });
      decision.reasons.push(`revert label ${intent.label}: ${refusal}`);
    }
    return decision;
  }

  // A state label removed by someone who may not change status is still the approved one.
  const removal = stateNow.length === 0 ? labelRemoval(snapshot, rules) : null;
  const removedByOther = removal && !may(removal.actor, null) ? removal : null;
  if (removedByOther) {
    decision.entries.push({ at, by: removedByOther.actor, what: `put back the \`${removedByOther.label}\` label removed by @${removedByOther.actor}: only the sponsor or a maintainer changes a SEP's status` });
  }
  // The approved status: the PR's state label, else the base branch's file.
  const approved =
    removedByOther?.label ??
    (stateNow.length === 1 ? stateNow[0]! : (stateNow.find((l) => eq(l, fileLabel)) ?? (input.base ? labelForSep(rules, input.base) : null)));
  // A new SEP may start in a status one can hold before sponsorship (Draft), unless a maintainer opened it.
  const mayStartHere = approved === null && !input.base && ((statusRule(rules, sep.status)?.seeking ?? true) || may(pr.author, sep.status));
  const pushedBy = authorisedPusher(input, snapshot, rules);
  // Even the sponsor's push moves one step of the lifecycle at a time.
  const approvedState = approved ? (statusForLabel(rules, approved)?.id ?? null) : null;
  const fileState = fileLabel ? (statusForLabel(rules, fileLabel)?.id ?? null) : null;
  const pushRefusal = pushedBy && fileState && approvedState !== fileState ? transitionRefusal(rules, approvedState, fileState, sep) : null;
  const pusher = pushRefusal ? null : pushedBy;

  if (fileLabel === null || eq(approved, fileLabel) || mayStartHere || pusher) {
    if (fileLabel) decision.labels.push(fileLabel);
    if (pusher && approved && fileLabel && !eq(approved, fileLabel)) {
      decision.entries.push({ at, by: pusher, what: `status set to ${statusRule(rules, sep.status)?.display ?? sep.statusRaw} in the file by @${pusher}; labels follow` });
    }
    return decision;
  }

  const approvedStatus = approved ? (statusForLabel(rules, approved)?.display ?? approved) : "a status a SEP may start with (Draft)";
  const record = input.approved;
  if (record && approved && eq(statusRule(rules, record.state)?.label, approved)) {
    // The sponsor (or a maintainer) moved the SEP and the file has not caught up (a fork the bot cannot push to).
    const target = statusRule(rules, record.state)!;
    const lines = record.lines.length ? record.lines : [`- **Status**: ${target.writeAs ?? target.display}`];
    const set = lines.map((l) => `\`${l}\``).join(", ");
    decision.labels.push(approved);
    decision.finding = findingAt(
      "status-update-pending",
      `@${record.by} moved this SEP to ${target.display} (\`${record.via}\`), but the file does not say so yet: sep-bot could not write it. Set ${set} in \`${input.path}\`.`,
      sep.fields.find((f) => f.id === "status")?.line ?? 1,
      rules,
    );
    decision.nextSteps.push({ who: pr.author, what: `Set ${set} in \`${input.path}\`: @${record.by} moved this SEP to ${target.display}.` });
    return decision;
  }
  decision.unauthorised = approved ?? rules.labels.awaitingSponsor;
  decision.labels.push(decision.unauthorised);
  if (pushRefusal) {
    decision.finding = findingAt(
      "status-transition-invalid",
      `@${pushedBy} set the Status to ${statusRule(rules, sep.status)?.display ?? sep.statusRaw ?? "?"}, but ${pushRefusal} Set it back to ${approvedStatus}, and move it one step at a time (\`/status <status>\`).`,
      sep.fields.find((f) => f.id === "status")?.line ?? 1,
      rules,
    );
    return decision;
  }
  const sponsors = sep.awaitingSponsor || sep.sponsors.length === 0 ? "" : ` with sponsor ${sep.sponsors.map((s) => (s.handle ? `@${s.handle}` : s.name)).join(", ")}`;
  decision.finding = findingAt(
    "status-change-unauthorised",
    `Status changes are made by the sponsor. The file says ${statusRule(rules, sep.status)?.display ?? sep.statusRaw ?? "?"}${sponsors}, but the approved status is ${approvedStatus}. Set it back, and ask your sponsor (or a maintainer) to change the status by applying its label.`,
    sep.fields.find((f) => f.id === "status")?.line ?? 1,
    rules,
  );
  return decision;
}

/**
 * A state label that disagrees with the file, and who applied it. Which
 * labels changed comes from the events that woke us (merged, in any order);
 * when several state labels are on the PR (an event is late or was lost),
 * every one of them is considered. Who applied it comes from GitHub's
 * timeline when it has the event, else from the webhook. The newest wins.
 */
function labelIntent(snapshot: Snapshot, rules: Rules, stateNow: string[], fileLabel: string | null): { label: string; actor: string } | null {
  const { trigger } = snapshot;
  const human = (actor: string | null | undefined): actor is string => !!actor && !sameLogin(actor, snapshot.botLogin);
  const reported = trigger.labels.filter((c) => c.added && human(c.actor) && isStateLabel(rules, c.label));
  const considered = stateNow.filter((l) => !eq(l, fileLabel) && (stateNow.length >= 2 || reported.some((c) => eq(c.label, l))));
  let latest: { label: string; actor: string; at: string } | null = null;
  for (const label of considered) {
    const event = snapshot.pr.labelEvents.filter((e) => e.added && eq(e.label, label)).at(-1);
    const actor = event ? event.actor : (reported.filter((c) => eq(c.label, label)).at(-1)?.actor ?? null);
    if (!human(actor)) continue;
    const at = event?.at ?? "";
    if (!latest || at >= latest.at) latest = { label, actor, at };
  }
  return latest && { label: latest.label, actor: latest.actor };
}

/**
 * With no state label left: the state label a person removed, and who. The
 * events say which; the timeline says who, and catches a removal whose event
 * is late or was lost.
 */
function labelRemoval(snapshot: Snapshot, rules: Rules): { label: string; actor: string } | null {
  const human = (actor: string | null | undefined): actor is string => !!actor && !sameLogin(actor, snapshot.botLogin);
  const timeline = snapshot.pr.labelEvents.filter((e) => isStateLabel(rules, e.label));
  const last = timeline.at(-1);
  if (last && !last.added && human(last.actor)) return { label: last.label, actor: last.actor };
  const reported = snapshot.trigger.labels.filter((c) => !c.added && human(c.actor) && isStateLabel(rules, c.label)).at(-1);
  if (!reported) return null;
  const event = timeline.filter((e) => !e.added && eq(e.label, reported.label)).at(-1);
  const actor = event ? event.actor : reported.actor;
  return human(actor) ? { label: reported.label, actor } : null;
}

/**
 * Who set the Status the head now has, by pushing it, if they may change
 * status: a push counts only when it changed the Status (the file said
 * something else before it), so a maintainer who merges the base into the
 * branch, or commits a suggestion, endorses nothing the author wrote. Pushes
 * merged from a burst count too, when a later push by someone else only
 * carried the Status along.
 */
function authorisedPusher(input: StatusInput, snapshot: Snapshot, rules: Rules): string | null {
  const head = snapshot.pr.headSha;
  const statusAt = (sha: string): { known: boolean; status: string | null } => {
    if (sha === head) return { known: true, status: input.sep.status };
    const entry = input.pushed?.find((p) => p.sha === sha);
    if (!entry) return { known: false, status: null };
    return { known: true, status: entry.text === null ? null : parseSep(entry.text, input.path, { rules }).status };
  };
  const pushes = snapshot.trigger.pushes.filter((p) => !sameLogin(p.actor, snapshot.botLogin) && maySetStatus(p.actor, input.sep.status, input.people, rules));
  // The head's pusher first, then the others, newest first.
  const ordered = [...pushes.filter((p) => p.sha === head), ...pushes.filter((p) => p.sha !== head).reverse()];
  for (const push of ordered) {
    const after = statusAt(push.sha);
    if (!after.known || after.status !== input.sep.status) continue;
    const before = push.before ? statusAt(push.before) : { known: false, status: null };
    if (before.known && before.status !== after.status) return push.actor;
  }
  return null;
}

/** A status that needs a sponsor, reached by a label, with none: refused unless the labeller becomes the sponsor. */
function sponsorRefusal(actor: string, target: string, input: StatusInput, rules: Rules): string | null {
  const status = statusRule(rules, target);
  if (!status?.sponsored || input.people.sponsors.size > 0 || maySponsor(actor, input.people, rules)) return null;
  return `${status.display} needs a sponsor first (a maintainer comments \`/sponsor\`)`;
}

/** An authorised label: the file's Status follows, by the bot's commit or the author's hand. */
function followLabel(decision: StatusDecision, input: StatusInput, intent: { label: string; actor: string }, snapshot: Snapshot, rules: Rules, now: Date): void {
  const target = statusForLabel(rules, intent.label) ?? statusRule(rules, "proposal");
  decision.labels.push(intent.label);
  const edit = target ? fileEditForStatus(input.sep, target.id, intent.actor, input.people, rules, now) : null;
  if (edit?.sponsor) decision.assign.push(intent.actor);
  if (edit && input.canEdit) {
    decision.edit = { change: edit.change, what: `${edit.what} (label \`${intent.label}\` by @${intent.actor})` };
    return;
  }
  decision.nextSteps.push({
    who: snapshot.pr.author,
    what: `Set \`- **Status**: ${target?.display ?? intent.label}\` in \`${input.path}\` to match the \`${intent.label}\` label that @${intent.actor} applied${input.blocker ? ` (sep-bot cannot push: ${input.blocker})` : ""}.`,
  });
}

/** The file edit that makes a SEP say `statusId`; an awaiting SEP gets the maintainer as its sponsor. */
function fileEditForStatus(sep: Sep, statusId: string, actor: string, people: People, rules: Rules, now: Date) {
  const target = statusRule(rules, statusId)!;
  const stamp = target.stampField ? { field: target.stampField, date: now.toISOString().slice(0, 10) } : null;
  const change = setStatus(sep, target.writeAs ?? target.display, stamp);
  if (!change) return null;
  const what = [`set Status to ${target.writeAs ?? target.display}`];
  let sponsored = false;
  // A maintainer moving a SEP that awaits a sponsor past that stage is sponsoring it.
  if (sep.awaitingSponsor && target.label !== rules.labels.awaitingSponsor && maySponsor(actor, people, rules)) {
    const sponsor = setSponsor(sep, `@${actor}`);
    if (sponsor) {
      change.edits.push(...sponsor.edits);
      change.inserts.push(...sponsor.inserts);
      what.push(`Sponsor to @${actor}`);
      sponsored = true;
    }
  }
  // Back to awaiting a sponsor: the Sponsor field says so too.
  if (target.label.toLowerCase() === rules.labels.awaitingSponsor.toLowerCase() && !sep.awaitingSponsor) {
    const none = setSponsor(sep, "None (seeking sponsor)");
    if (none) {
      change.edits.push(...none.edits);
      change.inserts.push(...none.inserts);
      what.push("Sponsor to None");
    }
  }
  if (change.edits.length === 0 && change.inserts.length === 0) return sponsored ? { change, what: what.join(" and "), sponsor: true } : null;
  return { change, what: what.join(" and "), sponsor: sponsored };
}
