import type { Rules } from "../rules/schema.js";
import { describeMode, isRegularFile } from "../sep/file-kind.js";
import { sameLogin } from "../shared/logins.js";
import { boardOf } from "./board/board.js";
import { checkOf } from "./check/check-run.js";
import { findingsOf, primaryOf, sepFilesOf } from "./check/findings.js";
import { fixesApplied, fixesOf } from "./check/fixes.js";
import type { DueStep } from "./clocks/deadlines.js";
import { clocksOf, clockView } from "./clocks/reminders.js";
import { planCommands, type CommandPlan } from "./commands/apply.js";
import type { CommandsOutcome } from "./commands/evaluate.js";
import { recordHistory } from "./commands/history.js";
import { stateLabelOf, statusCommentOf } from "./comment/status-comment.js";
import { commitOf } from "./commit/commit.js";
import { numbering } from "./commit/numbering.js";
import { pushBlocker } from "./commit/reach.js";
import { Fold, type Contribution } from "./model/contribution.js";
import { finalGate } from "./final/gate.js";
import { finalReadiness } from "./final/readiness.js";
import { sdksOf } from "./sdks/list.js";
import { trackingOf } from "./sdks/tracking.js";
import type { CommitEffect, Plan } from "./model/effects.js";
import { readState } from "./model/record.js";
import type { Snapshot } from "./model/snapshot.js";
import type { People } from "./people/roles.js";
import { contactOf, missedLabelChanges } from "./record/contact.js";
import { labelsEffect } from "./status/labels.js";
import { assignedSponsor, recognisePeople } from "./status/sponsorship.js";
import { processState, statusForLabel, statusRule } from "./status/states.js";
import { adoptedDisagreement, statusOf, type StatusInput } from "./status/sync.js";

/**
 * plan(snapshot, rules, now): the desired state of one SEP pull request,
 * minus what is already true. Pure: no I/O, no clock but `now`. Every
 * trigger (webhook, timer, CLI) ends here and in the same executor.
 *
 * The rooms of governance/ run in turn, each reading what it needs of the
 * ones before, and each contributes in one shape (model/contribution.ts),
 * folded here in one place: numbering, people, history, commands, clocks,
 * status, fixes, the commit, the check, labels and assignees, the status
 * comment, the board.
 */

/**
 * What a reconcile carries from its first plan over its commit to the plan
 * it makes for the new head: handled once, answered again, never done twice.
 */
export interface Carried {
  /** The commands the first plan handled. */
  commands?: CommandsOutcome;
  /** The clock steps it acted on (dormancy commits first). */
  clocks?: DueStep[];
  /** People it assigns outside commands (a maintainer whose label made them sponsor). */
  assignees?: string[];
  /** SDK repositories an issue could not be filed in (no access), from the pass that tried. */
  noAccess?: string[];
  /** Tracking across the SDKs is on but they were not read: read them, then plan again (reconcile.ts). */
  readTracking?: boolean;
}

/** A plan, and what a plan made again after its commit must carry. */
export interface PlanResult extends Plan {
  carry: Carried;
}

export function plan(snapshot: Snapshot, rules: Rules, now: Date, carried: Carried = {}): PlanResult {
  const { pr } = snapshot;
  const files = sepFilesOf(snapshot.files, rules, now);
  if (files.length === 0) return { effects: [], reasons: ["no SEP file changed: nothing to do"], carry: {} };
  const primary = primaryOf(files);
  const blocker = pushBlocker(snapshot);

  // The record: every instance keeps the oldest status comment (ids grow with creation) and removes the others.
  const [existing, ...duplicates] = [...snapshot.comments].sort((a, b) => a.id - b.id);
  // No record and no trace at all: sep-bot meets this PR for the first time (install day, a missed event).
  const contact = contactOf(snapshot);
  const firstContact = !contact.met;
  // Met before, but the record is missing (writes refused after its commit, the comment deleted): what people
  // changed since may never have been handled, so it is judged as if it had just happened (record/contact.ts).
  const judged: Snapshot = existing || firstContact ? snapshot : { ...snapshot, trigger: { ...snapshot.trigger, labels: [...snapshot.trigger.labels, ...missedLabelChanges(snapshot, contact)] } };
  const fold = new Fold(readState(existing?.body), snapshot.recentActions ?? []);

  // 1. Number the new SEP after its pull request (file name, heading, PR field).
  const numbered = numbering(snapshot, primary, rules);
  fold.add(numbered.part);
  const { pending } = numbered;

  // 2. Who holds which role, and the sponsor as the process sees them (the SEP awaits one when nobody valid sponsors it).
  const pendingAssignees = carried.assignees ?? [];
  let people: People | null = null;
  if (primary) {
    const met = recognisePeople({ snapshot, rules, now, sep: primary.sep, base: primary.base, memory: fold.memory, firstContact, pendingAssignees });
    people = met.people;
    primary.sep = met.sep;
    fold.add(met.part);
  }

  // 3. Commands written before sep-bot met this PR are history: recorded as handled, never run (commands/history.ts).
  // With its record missing, it met the PR at its first dated trace; commands since then run (a reaction marks
  // those it handled). Not known when: as on first contact.
  if (primary && !existing) fold.add(history(snapshot, now, fold, firstContact, contact.since));

  // The road to Final (final/): what an accepted SEP still needs, read from its files; the gate it makes
  // holds `/final`, the Final label and a push that writes Final alike (status/transitions.ts).
  const final = primary && snapshot.final && primary.file.headText !== null
    ? finalReadiness({ sep: primary.sep, text: primary.file.headText, rules, conformance: snapshot.final.conformance, conformanceNote: snapshot.final.note, changes: snapshot.final.changes, finalAt: now })
    : null;
  const gate = finalGate(final);

  const readable = primary?.file.headText !== null;
  const unreadable = primary && !isRegularFile(primary.file.headMode) ? `\`${primary.file.path}\` is ${describeMode(primary.file.headMode!)}, not a file` : "the file cannot be read";
  const canPush = readable && pr.state === "open" && !blocker;
  // The fixes the check offers (its "Fix these" button, `/fix`): the primary SEP's, around the rename.
  const offered = primary && readable ? fixesOf(findingsOf(primary, fold.findings), fold.edit) : null;

  // 4. Slash commands in the comments (commands/): only on a PR about one SEP. A maintainer
  // assigned while the SEP awaits a sponsor sponsors it first (status/sponsorship.ts).
  let commands: CommandPlan | null = null;
  if (primary && people) {
    const assigned = assignedSponsor(snapshot, people, rules, processState(rules, primary.sep));
    const path = pending?.newPath ?? primary.file.path;
    const sdks = rules.sdks ? sdksOf(rules.sdks, snapshot.tracking?.sdkFile ?? null) : null;
    commands = planCommands({ snapshot, rules, now, sep: primary.sep, people, path, memory: fold.memory, blocker: readable ? blocker : unreadable, assigned, fixable: offered?.count ?? 0, handled: carried.commands ?? null, gate, sdks });
    fold.add(commandsContribution(commands));
  }

  // How the status is judged (6), and what the clocks need of it first: labels and file that
  // disagree since before sep-bot hold every clock that acts.
  const statusInput = (): StatusInput => ({
    sep: primary!.sep,
    base: primary!.base,
    path: primary!.file.path,
    canEdit: primary!.file.headText !== null && pr.state === "open" && !blocker,
    blocker,
    pushed: primary!.file.pushed ?? [],
    people: people!,
    approved: fold.memory.approved,
    firstContact,
    adopted: fold.memory.adopted,
    gate,
  });
  const disagreement = primary && people && !commands?.labelState ? adoptedDisagreement(statusInput(), judged, rules, now) : null;

  // 5. Clocks (clocks/reminders.ts): reminders due, dormancy, the deadlines to show. A command that just moved the SEP restarts them.
  let clocked: ReturnType<typeof clocksOf> | null = null;
  if (primary && people) {
    const stateSetElsewhere = commands?.effects.some((e) => e.kind === "pull-request-state") ?? false;
    clocked = clocksOf({ snapshot, rules, now, sep: primary.sep, people, memory: fold.memory, commandState: commands?.labelState ?? null, view: clockView(rules, primary.sep, pr.labels, disagreement), firstContact, stateSetElsewhere, carried: carried.clocks ?? null });
    fold.add(clocked.part);
  } else {
    fold.add({ memory: (m) => (m.notice ? { ...m, notice: null } : m) }); // no clock runs: a notice has nothing to stand for
  }

  // 6. Status and labels, both ways (status/sync.ts), unless a command or a clock just set the status.
  const wanted = new Set<string>([rules.labels.sep]);
  const assignNow = pendingAssignees.filter((login) => !pr.assignees.some((a) => sameLogin(a, login)));
  let unauthorised: string | null = null;
  const setState = commands?.labelState ?? clocked?.timers.labelState ?? null;
  const commandLabel = setState ? statusRule(rules, setState)?.label : undefined;
  if (commandLabel) {
    wanted.add(commandLabel);
  } else if (primary && people) {
    const status = statusOf(statusInput(), judged, rules, now);
    status.labels.forEach((l) => wanted.add(l));
    for (const login of status.assign) if (![...pr.assignees, ...assignNow].some((a) => sameLogin(a, login))) assignNow.push(login);
    unauthorised = status.unauthorised;
    fold.add(status.part);
  }

  // 6b. Implementation across the SDKs (sdks/): once asked for (accepted, `/track`), issues filed in the SDK
  // repositories and the umbrella here, whose list is kept in step with them.
  let tracked: ReturnType<typeof trackingOf> | null = null;
  if (primary && people) {
    const track = commands?.track ?? null;
    tracked = trackingOf({
      snapshot,
      rules,
      now,
      sep: primary.sep,
      // The approved state (the label this plan leaves), not what an unauthorised push wrote in the file.
      state: statusForLabel(rules, stateLabelOf(rules, wanted) ?? "")?.id ?? null,
      memory: fold.memory,
      sponsor: sponsorAfter(commands, people),
      ask: track ? { by: track.by, via: "/track", none: track.none, skip: track.skip } : null,
      noAccess: carried.noAccess ?? [],
    });
    fold.add(tracked.part);
  }

  // 7. "Fix these" or `/fix` by someone who may: the fixes join the commit, around every other edit.
  let renameTo: string | null = null;
  if (primary && people) {
    const fixes = fixesApplied({ snapshot, rules, now, primary, people, findings: fold.findings, edit: fold.edit, pending, byCommand: !!commands?.fix, canPush, blocker: blocker ?? unreadable });
    renameTo = fixes.renameTo;
    fold.add(fixes.part);
  }

  // 8. The one commit: every room's edits. A closed PR's branch takes it only when a command reopens it (a revived SEP).
  let commit: CommitEffect | null = null;
  const willBeOpen = pr.state === "open" || (commands?.outcome.final.open ?? false);
  if (fold.edit && primary && willBeOpen) {
    const made = commitOf({ snapshot, rules, primary, edit: fold.edit, pending, renameTo, blocker, headline: fold.headline, also: fold.also });
    commit = made.commit;
    fold.add(made.part);
  }

  // 9. The check run on the head commit, with its "Fix these" button when the bot can push the fixes; the board's note in it.
  const state = setState ?? (primary ? processState(rules, primary.sep) : null);
  const board = primary ? boardOf(rules, snapshot.project, state) : null;
  const fixRule = Object.values(rules.commands).some((c) => c.does === "fix");
  const fixable = fixRule && canPush && !commit ? (offered?.count ?? 0) : 0;
  const reports = files.map((f) => ({ path: f.file.path, findings: f === primary ? findingsOf(f, fold.findings) : findingsOf(f) }));
  const checked = checkOf(snapshot, rules, reports, board?.note ? [board.note] : [], fixable, !!commands?.forceCheck);
  fold.add(checked.part);

  // 10. Labels: add what is wanted, remove stale state labels, others untouched; and who to assign.
  const labels = labelsEffect(snapshot, rules, wanted, primary !== null);
  if (labels) fold.add({ effects: { labels: [labels] }, reasons: { labels: [`labels: ${[...labels.add.map((l) => `+${l}`), ...labels.remove.map((l) => `-${l}`)].join(" ")}`] } });
  if (assignNow.length) fold.add({ effects: { assignees: [{ kind: "assignees", add: assignNow, remove: [] }] }, reasons: { assignees: [`assign ${assignNow.join(", ")}: sponsors by their label`] } });

  // The approved record only words a file that lags behind its labels; once the file says it, it is done.
  const approved = fold.memory.approved;
  if (primary && approved && !setState && approved.state === processState(rules, primary.sep)) fold.add({ memory: (m) => ({ ...m, approved: null }) });

  // 11. The one status comment, with the record of what ran (written last); 12. the board, an extra.
  fold.add(
    statusCommentOf({
      snapshot,
      rules,
      now,
      primary: primary && { sep: primary.sep, path: primary.file.path },
      pendingPath: primary && commit && commit.changes[0]!.path !== primary.file.path ? commit.changes[0]!.path : null,
      people,
      files: reports,
      nextSteps: fold.nextSteps,
      unauthorised,
      memory: fold.memory,
      entries: fold.entries,
      votes: commands?.votes ?? null,
      report: clocked?.timers.report ?? null,
      clockInput: clocked?.clockInput ?? null,
      state,
      label: stateLabelOf(rules, wanted),
      checks: checked.check.conclusion,
      sponsor: sponsorAfter(commands, people),
      final,
      existing,
      duplicates,
    }),
  );
  fold.add(board?.part);

  const { effects, reasons } = fold.ordered();
  return {
    effects,
    reasons,
    carry: {
      ...(commands?.outcome.results.length || commands?.outcome.approved ? { commands: commands.outcome } : {}),
      ...(clocked?.timers.due.length ? { clocks: clocked.timers.due } : {}),
      ...(assignNow.length ? { assignees: assignNow } : {}),
      ...(tracked?.needsRead ? { readTracking: true } : {}),
      ...(carried.noAccess?.length ? { noAccess: carried.noAccess } : {}),
    },
  };
}

/** The commands' contribution: their record, edits, next steps and effects (reactions after every other write). */
function commandsContribution(commands: CommandPlan): Contribution {
  return {
    memory: () => commands.state,
    entries: commands.entries,
    nextSteps: commands.nextSteps,
    edit: commands.change ? { change: commands.change, what: commands.what, headline: false } : null,
    effects: { commands: commands.effects.filter((e) => e.kind !== "reaction"), reactions: commands.effects.filter((e) => e.kind === "reaction") },
    reasons: { commands: commands.effects.length ? [`commands: ${commands.effects.map((e) => e.kind).join(", ")}`] : [] },
  };
}

/** What sep-bot records of the commands written before it met this pull request. */
function history(snapshot: Snapshot, now: Date, fold: Fold, firstContact: boolean, metSince: string | null): Contribution {
  const since = metSince === null ? null : Date.parse(metSince);
  const before = since === null ? snapshot.discussion : snapshot.discussion.filter((c) => Date.parse(c.createdAt) < since);
  const recorded = recordHistory(fold.memory, before, snapshot.trigger, now);
  const comments = recorded.comments === 1 ? "a comment" : `${recorded.comments} comments`;
  const at = now.toISOString();
  if (firstContact) {
    const entries = recorded.comments ? [{ at, by: null, what: `first saw this pull request: ${comments} with commands from before sep-bot came taken as history, not run (write a command again to run it)` }] : [];
    return { memory: () => recorded.state, entries };
  }
  const old = recorded.comments ? `; ${comments} with commands from before it first acted here taken as history, not run (write a command again to run it)` : "";
  return { memory: () => recorded.state, entries: [{ at, by: null, what: `found its record of this pull request missing (its status comment): what it did before is not in this log${old}` }] };
}

/** The sponsor once this plan is applied: a command's (or an assignment's), else the recognised one. */
function sponsorAfter(commands: CommandPlan | null, people: People | null): string | null {
  const { initial, final } = commands?.outcome ?? {};
  if (initial && final && !sameLogin(initial.sponsor?.login ?? "", final.sponsor?.login ?? "")) return final.sponsor?.login ?? null;
  return people?.sponsor?.login ?? null;
}
