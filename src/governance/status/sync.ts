import { findingAt, type Finding } from "../../lint/finding.js";
import type { Rules } from "../../rules/schema.js";
import { setSponsor, setStatus, type TextChange } from "../../sep/edit.js";
import type { Sep } from "../../sep/model.js";
import { parseSep } from "../../sep/parse.js";
import { sameLogin } from "../../shared/logins.js";
import { maySetStatus, maySponsor, mention, type People } from "../people/roles.js";
import { sponsorValue } from "../people/sponsor-field.js";
import type { FinalGate } from "../final/gate.js";
import { transitionRefusal } from "./transitions.js";
import type { Adopted, Approved } from "../model/record.js";
import type { Contribution, NextStep } from "../model/contribution.js";
import type { AuditEntry, Snapshot } from "../model/snapshot.js";
import { awaitingState, describeState, isStateLabel, labelForSep, statusForLabel, statusRule } from "./states.js";

/**
 * Status and labels, both ways, as one rule: the PR's state label holds the
 * status last approved by the sponsor or a maintainer, and the file (the
 * canonical record) may move away from it only by their hand.
 * - an authorised label change: the file follows (a commit);
 * - anyone else's label change: put back;
 * - a push that changes Status: by an authorised pusher, labels follow;
 *   otherwise the check fails ("Status changes are made by the sponsor").
 *
 * States are compared as the process sees them, not as words: a SEP whose
 * file says Draft while it awaits a sponsor is in another state than a
 * sponsored Draft, and the sponsor who names themselves in the file and is
 * assigned (the guidelines' manual flow) moves it from one to the other.
 *
 * Only what happens while sep-bot is there is judged. A pull request it has
 * no record of is taken as it is (first contact): its state labels, set by a
 * previous automation or a maintainer, are the approved status where they
 * agree with the file; where they disagree, the status comment says so and
 * who settles it, without failing the author's check, until one of them moves.
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
  /** sep-bot has no record of this pull request: what was there before it is adopted, not judged. */
  firstContact?: boolean;
  /** Labels and file that disagreed at first contact, as recorded then. */
  adopted?: Adopted | null;
  /** What the road to Final still needs (final/gate.ts): Final is refused while it needs anything. */
  gate?: FinalGate | null;
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
  /** Labels and file disagreeing since before sep-bot: kept as they are, and recorded. */
  adopted: Adopted | null;
  /** A status a person set by label that the file cannot show yet (the bot cannot push): the record words the pending update. */
  approved: Approved | null;
}

const eq = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

export function decideStatus(input: StatusInput, snapshot: Snapshot, rules: Rules, now: Date): StatusDecision {
  const { sep } = input;
  const { pr } = snapshot;
  const at = now.toISOString();
  const decision: StatusDecision = { labels: [], assign: [], edit: null, entries: [], nextSteps: [], finding: null, unauthorised: null, reasons: [], adopted: null, approved: null };
  const stateNow = pr.labels.filter((l) => isStateLabel(rules, l));
  const fileLabel = labelForSep(rules, sep);
  const fileState = fileLabel ? (statusForLabel(rules, fileLabel)?.id ?? null) : null;

  const may = (login: string, statusId: string | null) => maySetStatus(login, statusId, input.people, rules);
  const pushers = statePushers(input, snapshot, rules);

  // First contact: take the PR as it is, unless the events that woke us changed its state.
  if (takenAsFound(input, snapshot, rules, pushers)) {
    const record = firstContactDisagreement(input, snapshot, rules, at);
    if (!record) {
      decision.labels.push(...(fileLabel ? [fileLabel] : stateNow)); // an unknown Status mirrors nothing: the labels stay
      return decision;
    }
    decision.entries.push({ at, by: null, what: `first saw this pull request: its file says ${fileWords(rules, sep, fileState)} and its labels say ${stateNow.length ? stateNow.map((l) => `\`${l}\``).join(", ") : "nothing"}; taken as they are until the sponsor or a maintainer settles it` });
    return disagree(decision, input, rules, stateNow, fileState, record);
  }
  // A disagreement adopted then stands until the labels or the file move.
  const adopted = input.adopted;
  if (adopted && adopted.file === fileState && sameSet(adopted.labels, stateNow)) return disagree(decision, input, rules, stateNow, fileState, adopted);

  const intent = labelIntent(snapshot, rules, stateNow, fileLabel);
  if (intent && !eq(fileLabel, intent.label)) {
    const target = (statusForLabel(rules, intent.label) ?? statusRule(rules, "proposal"))?.id ?? null;
    const keep = stateNow.find((l) => !eq(l, intent.label)) ?? fileLabel;
    const from = keep ? (statusForLabel(rules, keep)?.id ?? null) : null;
    const refusal = !may(intent.actor, target)
      ? "only the sponsor or a maintainer changes a SEP's status"
      : target && from !== target
        ? (transitionRefusal(rules, from, target, sep, input.gate) ?? sponsorRefusal(intent.actor, target, input, rules))
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
  const mayStartHere = approved === null && !input.base && mayStart(input, rules, pr.author);
  const pushedBy = pushers.find((p) => p.authorised)?.actor ?? null;
  // Even the sponsor's push moves one step of the lifecycle at a time.
  const approvedState = approved ? (statusForLabel(rules, approved)?.id ?? null) : null;
  const pushRefusal = pushedBy && fileState && approvedState !== fileState ? transitionRefusal(rules, approvedState, fileState, sep, input.gate) : null;
  const pusher = pushRefusal ? null : pushedBy;
  const sponsoredBy = sponsorship(input, rules, approvedState, fileState);

  if (fileLabel === null || eq(approved, fileLabel) || mayStartHere || pusher || sponsoredBy) {
    if (fileLabel) decision.labels.push(fileLabel);
    if (pusher && approved && fileLabel && !eq(approved, fileLabel)) {
      decision.entries.push({ at, by: pusher, what: `status set to ${describeState(rules, fileState)} in the file by @${pusher}; labels follow` });
    } else if (sponsoredBy) {
      decision.entries.push({ at, by: sponsoredBy, what: `@${sponsoredBy} sponsors this SEP (named as its Sponsor and assigned); status ${describeState(rules, fileState)}` });
    }
    return decision;
  }

  const approvedStatus = approved ? describeState(rules, approvedState) : "a status a SEP may start with (Draft)";
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
    decision.nextSteps.push({ who: pr.author, what: `Set ${set} in \`${input.path}\`: ${mention(record.by, input.people)} moved this SEP to ${target.display}.` });
    return decision;
  }
  decision.unauthorised = approved ?? rules.labels.awaitingSponsor;
  decision.labels.push(decision.unauthorised);
  if (pushRefusal && fileState && transitionRefusal(rules, approvedState, fileState, sep) === null) {
    // The step is allowed; what refused it is the road to Final.
    decision.finding = findingAt("final-incomplete", `@${pushedBy} set the Status to ${fileWords(rules, sep, fileState)}, but ${pushRefusal} Until then the SEP stays ${approvedStatus}.`, sep.fields.find((f) => f.id === "status")?.line ?? 1, rules);
    return decision;
  }
  if (pushRefusal) {
    decision.finding = findingAt(
      "status-transition-invalid",
      `@${pushedBy} set the Status to ${fileWords(rules, sep, fileState)}, but ${pushRefusal} Set it back to ${approvedStatus}, and move it one step at a time (\`/status <status>\`).`,
      sep.fields.find((f) => f.id === "status")?.line ?? 1,
      rules,
    );
    return decision;
  }
  decision.finding = findingAt(
    "status-change-unauthorised",
    `Status changes are made by the sponsor. The file says ${fileWords(rules, sep, fileState)}, but the approved status is ${approvedStatus}. Set it back, and ask your sponsor (or a maintainer) to change the status by applying its label.`,
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
 * Who set the state the head now has by pushing it, newest first, and whether
 * they may: a push counts only when it changed the state (the file said
 * something else before it), so a maintainer who merges the base into the
 * branch, or commits a suggestion, endorses nothing the author wrote. Pushes
 * merged from a burst count too, when a later push by someone else only
 * carried the state along. States as the file alone tells them (a Sponsor
 * named or not), so naming a sponsor is a change and a typo fix is none.
 */
function statePushers(input: StatusInput, snapshot: Snapshot, rules: Rules): Array<{ actor: string; authorised: boolean }> {
  const head = snapshot.pr.headSha;
  const stateAt = (sha: string): { known: boolean; label: string | null } => {
    if (sha === head) return { known: true, label: labelForSep(rules, input.sep) };
    const entry = input.pushed?.find((p) => p.sha === sha);
    if (!entry) return { known: false, label: null };
    return { known: true, label: entry.text === null ? null : labelForSep(rules, parseSep(entry.text, input.path, { rules })) };
  };
  const target = labelForSep(rules, input.sep);
  const pushes = snapshot.trigger.pushes.filter((p) => !sameLogin(p.actor, snapshot.botLogin));
  // The head's pusher first, then the others, newest first.
  const ordered = [...pushes.filter((p) => p.sha === head), ...pushes.filter((p) => p.sha !== head).reverse()];
  const found: Array<{ actor: string; authorised: boolean }> = [];
  for (const push of ordered) {
    const after = stateAt(push.sha);
    if (!after.known || !eq(after.label, target)) continue;
    const before = push.before ? stateAt(push.before) : { known: false, label: null };
    if (!before.known || eq(before.label, after.label) || (before.label === null && after.label === null)) continue;
    found.push({ actor: push.actor, authorised: maySetStatus(push.actor, input.sep.status, input.people, rules) });
  }
  return found;
}

/** A SEP may start here: a status one can hold before sponsorship (Draft), or set by an author who may set it. */
function mayStart(input: StatusInput, rules: Rules, author: string): boolean {
  return (statusRule(rules, input.sep.status)?.seeking ?? true) || maySetStatus(author, input.sep.status, input.people, rules);
}

/**
 * The guidelines' manual flow: the SEP awaited a sponsor, and now a maintainer
 * is both named as its Sponsor and assigned (in either order, by one event or
 * several): they sponsor it, whoever wrote the line. Returns the sponsor.
 */
function sponsorship(input: StatusInput, rules: Rules, approvedState: string | null, fileState: string | null): string | null {
  const awaiting = awaitingState(rules)?.id;
  const sponsor = input.people.sponsor;
  if (!sponsor || approvedState !== awaiting || !fileState || fileState === awaiting) return null;
  return transitionRefusal(rules, approvedState, fileState, input.sep, input.gate) === null ? sponsor.login : null;
}

/** First contact, and the events that woke us changed no state (a person's state label, a push that set the Status). */
function takenAsFound(input: StatusInput, snapshot: Snapshot, rules: Rules, pushers: readonly unknown[]): boolean {
  const reported = snapshot.trigger.labels.some((c) => isStateLabel(rules, c.label) && !sameLogin(c.actor, snapshot.botLogin));
  return !!input.firstContact && !reported && pushers.length === 0;
}

/**
 * First contact: the labels are the approved status where they agree with the
 * file (or the file has a status a SEP may start in and no label says
 * otherwise); where they disagree, both stay as they are (the record returned)
 * and the status comment says so. Null: they agree, or the file's Status is
 * unknown (it mirrors nothing).
 */
function firstContactDisagreement(input: StatusInput, snapshot: Snapshot, rules: Rules, at: string): Adopted | null {
  const stateNow = snapshot.pr.labels.filter((l) => isStateLabel(rules, l));
  const fileLabel = labelForSep(rules, input.sep);
  if (fileLabel === null) return null;
  const fileState = statusForLabel(rules, fileLabel)?.id ?? null;
  const baseLabel = input.base ? labelForSep(rules, input.base) : null;
  const agrees =
    stateNow.some((l) => eq(l, fileLabel)) ||
    (stateNow.length === 0 && (input.base ? eq(baseLabel, fileLabel) : mayStart(input, rules, snapshot.pr.author))) ||
    (stateNow.length === 1 && sponsorship(input, rules, statusForLabel(rules, stateNow[0]!)?.id ?? null, fileState) !== null);
  return agrees ? null : { file: fileState, labels: [...stateNow].sort(), at };
}

/**
 * Labels and file disagreeing since before sep-bot, as this reconcile finds
 * them: met now for the first time, or recorded then and neither has moved
 * since. Null when they agree, or someone has moved one of them. The clocks
 * read it before the status is decided: nothing irreversible happens on a
 * state nobody has confirmed.
 */
export function adoptedDisagreement(input: StatusInput, snapshot: Snapshot, rules: Rules, now: Date): Adopted | null {
  if (takenAsFound(input, snapshot, rules, statePushers(input, snapshot, rules))) return firstContactDisagreement(input, snapshot, rules, now.toISOString());
  const adopted = input.adopted;
  if (!adopted) return null;
  const fileLabel = labelForSep(rules, input.sep);
  const fileState = fileLabel ? (statusForLabel(rules, fileLabel)?.id ?? null) : null;
  return adopted.file === fileState && sameSet(adopted.labels, snapshot.pr.labels.filter((l) => isStateLabel(rules, l))) ? adopted : null;
}

/** Labels and file disagreeing since before sep-bot: labels kept, the record kept, who settles it said. */
function disagree(decision: StatusDecision, input: StatusInput, rules: Rules, stateNow: string[], fileState: string | null, record: Adopted): StatusDecision {
  decision.labels.push(...stateNow);
  decision.adopted = record;
  const labels = stateNow.length ? `its label says ${stateNow.map((l) => `\`${l}\``).join(", ")}` : "it has no status label";
  decision.nextSteps.push({
    who: input.people.sponsor?.login ?? null,
    what: `The file says ${fileWords(rules, input.sep, fileState)}, but ${labels}; both were set before sep-bot came, so it took them as they are. The sponsor or a maintainer settles it: apply the label of the right status (\`/status <status>\` does the same), and the file follows; or the author sets the Status in \`${input.path}\` to match the label.`,
  });
  return decision;
}

/** "Draft (awaiting a sponsor)", "In-Review": what the file says, in the process's words. */
function fileWords(rules: Rules, sep: Sep, state: string | null): string {
  const word = statusRule(rules, sep.status)?.display ?? sep.statusRaw ?? "an unknown status";
  return state === awaitingState(rules)?.id && sep.status !== state ? `${word} (awaiting a sponsor)` : state ? describeState(rules, state) : word;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.some((y) => eq(x, y)));

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
  const name = snapshot.directory?.find((p) => eq(p.login, intent.actor))?.name ?? null;
  const edit = target ? fileEditForStatus(input.sep, target.id, intent.actor, sponsorValue(intent.actor, name), input.people, rules, now) : null;
  if (edit?.sponsor) decision.assign.push(intent.actor);
  if (edit && input.canEdit) {
    decision.edit = { change: edit.change, what: `${edit.what} (label \`${intent.label}\` by @${intent.actor})` };
    return;
  }
  // The file cannot follow yet (a fork the bot cannot push to): the record words the pending update.
  if (target) decision.approved = { state: target.id, by: intent.actor, via: `label ${intent.label}`, at: now.toISOString(), lines: edit ? fieldLinesOf(edit.what, target.writeAs ?? target.display, intent.actor, edit.sponsor) : [] };
  decision.nextSteps.push({
    who: snapshot.pr.author,
    what: `Set \`- **Status**: ${target?.writeAs ?? target?.display ?? intent.label}\`${edit?.sponsor ? ` and \`- **Sponsor**: @${intent.actor}\`` : ""} in \`${input.path}\` to match the \`${intent.label}\` label that @${intent.actor} applied${input.blocker ? ` (sep-bot cannot push: ${input.blocker})` : ""}.`,
  });
}

/** The preamble lines a label asks for, as people write them. */
function fieldLinesOf(what: string, status: string, actor: string, sponsor: boolean): string[] {
  return [...(/set Status/.test(what) ? [`- **Status**: ${status}`] : []), ...(sponsor ? [`- **Sponsor**: @${actor}`] : [])];
}

/** The file edit that makes a SEP say `statusId`; an awaiting SEP gets the maintainer as its sponsor. */
function fileEditForStatus(sep: Sep, statusId: string, actor: string, sponsorAs: string, people: People, rules: Rules, now: Date) {
  const target = statusRule(rules, statusId)!;
  const stamp = target.stampField ? { field: target.stampField, date: now.toISOString().slice(0, 10) } : null;
  const change = setStatus(sep, target.writeAs ?? target.display, stamp);
  if (!change) return null;
  const what = [`set Status to ${target.writeAs ?? target.display}`];
  let sponsored = false;
  // A maintainer moving a SEP that awaits a sponsor past that stage is sponsoring it.
  if (sep.awaitingSponsor && target.label !== rules.labels.awaitingSponsor && maySponsor(actor, people, rules)) {
    const sponsor = setSponsor(sep, sponsorAs);
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

/**
 * The status's contribution: the state label the pull request should carry
 * and who to assign, from the sync above; what it records, commits, shows
 * and finds. `judged`: the snapshot as the sync judges it (a missed record's
 * label changes included: record/contact.ts).
 */
export function statusOf(input: StatusInput, judged: Snapshot, rules: Rules, now: Date): { labels: string[]; assign: string[]; unauthorised: string | null; part: Contribution } {
  const status = decideStatus(input, judged, rules, now);
  return {
    labels: status.labels,
    assign: status.assign,
    unauthorised: status.unauthorised,
    part: {
      memory: (m) => ({ ...m, adopted: status.adopted, ...(status.approved ? { approved: status.approved } : {}) }),
      entries: status.entries,
      nextSteps: status.nextSteps,
      reasons: { status: status.reasons },
      findings: status.finding ? [status.finding] : [],
      edit: status.edit ? { change: status.edit.change, what: [status.edit.what], headline: true } : null,
    },
  };
}
