import { lintSep } from "../lint/index.js";
import { findingAt, type Finding } from "../lint/finding.js";
import type { Rules } from "../rules/schema.js";
import { applyChange, mergeChanges, renumber, type Renumbering, type TextChange } from "../sep/edit.js";
import type { Sep } from "../sep/model.js";
import { parseSep } from "../sep/parse.js";
import { pushBlocker } from "./commit/reach.js";
import { loginKey, sameLogin } from "../shared/logins.js";
import { hasContent } from "./status/transitions.js";
import { planBoard } from "./board/board.js";
import { allowed, describeRoles, peopleOf } from "./people/roles.js";
import { sponsorFindings } from "./people/sponsor-field.js";
import { assignedSponsor, sponsorAsFound, untouched } from "./status/sponsorship.js";
import { fixesOf } from "./check/fixes.js";
import { readDigest, renderCheck, type FileFindings } from "./check/check-run.js";
import { renderComment } from "./comment/status-comment.js";
import { type NextStep } from "./model/contribution.js";
import type { CommitEffect, Effect, FileChange, LabelsEffect, Plan } from "./model/effects.js";
import type { AuditEntry, ChangedSepFile, Snapshot } from "./model/snapshot.js";
import { mentionsIn } from "./people/mentions.js";
import { FIRST_CONTACT, readState, replyMarker, withEntries, type BotState } from "./record/memory.js";
import { planCommands } from "./commands/apply.js";
import { isStateLabel, processState, statusRule } from "./status/states.js";
import { clockInputOf, clockView, planTimers, withPings } from "./clocks/reminders.js";
import type { Tally } from "./commands/votes.js";
import { clocks, type ClockReport, type DueStep } from "./clocks/deadlines.js";
import type { CommandsOutcome } from "./commands/evaluate.js";
import type { SepSummary } from "./record/memory.js";
import { adoptedDisagreement, decideStatus, type StatusInput } from "./status/sync.js";
import { recordHistory } from "./commands/history.js";
import { contactOf, missedLabelChanges } from "./record/contact.js";
import { describeMode, isRegularFile, notRegularMessage } from "../sep/file-kind.js";

/**
 * plan(snapshot, rules, now): the desired state of one SEP pull request,
 * minus what is already true. Pure: no I/O, no clock but `now`. Every
 * trigger (webhook, timer, CLI) ends here and in the same executor.
 */

interface SepFile {
  file: ChangedSepFile;
  sep: Sep;
  base: Sep | null;
  isNew: boolean;
  extra: Finding[];
}

export function parseChanged(file: ChangedSepFile, rules: Rules): Sep {
  if (!isRegularFile(file.headMode)) {
    // A link or a submodule: nothing of it is read as the SEP's text, and the finding says what it is.
    const sep = parseSep("", file.path, { rules });
    return { ...sep, problems: [{ rule: "file-not-regular", message: notRegularMessage(file.path, file.headMode!), line: 1, column: 1 }] };
  }
  if (file.headText === null) {
    // Over the size limit: report its size. Otherwise binary: a NUL makes the parser say so.
    return file.headSize > rules.limits.maxFileBytes
      ? parseSep("", file.path, { rules, size: file.headSize })
      : parseSep("\u0000", file.path, { rules });
  }
  return parseSep(file.headText, file.path, { rules });
}

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
}

/** A plan, and what a plan made again after its commit must carry. */
export interface PlanResult extends Plan {
  carry: Carried;
}

export function plan(snapshot: Snapshot, rules: Rules, now: Date, carried: Carried = {}): PlanResult {
  const { pr } = snapshot;
  const reasons: string[] = [];
  const effects: Effect[] = [];
  const entries: AuditEntry[] = [...(snapshot.recentActions ?? [])];
  const blocker = pushBlocker(snapshot);

  const files: SepFile[] = snapshot.files
    .filter((f) => f.change !== "removed")
    .map((file) => ({
      // A link or a submodule has no text of its own: never parsed, renamed, fixed or rewritten.
      file: isRegularFile(file.headMode) ? file : { ...file, headText: null },
      sep: parseChanged(file, rules),
      base: file.baseText === null ? null : parseSep(file.baseText, file.previousPath ?? file.path, { rules }),
      isNew: file.baseText === null,
      extra: [],
    }));
  if (files.length === 0) return { effects, reasons: ["no SEP file changed: nothing to do"], carry: {} };

  const added = files.filter((f) => f.isNew);
  if (added.length > 1) {
    for (const f of added) {
      f.extra.push(findingAt("sep-multiple", `This pull request adds ${added.length} SEPs (${added.map((a) => `\`${a.file.path}\``).join(", ")}). Each SEP needs its own pull request, whose number becomes its SEP number: move the others to new pull requests.`, 1, rules));
    }
  }
  // The SEP this pull request is about: its one new SEP, or the one SEP it edits.
  const primary = added.length === 1 ? added[0]! : added.length === 0 && files.length === 1 ? files[0]! : null;

  // 1. Number the new SEP after its pull request (file name, heading, PR field).
  let commit: CommitEffect | null = null;
  const nextSteps: NextStep[] = [];
  let textChange: TextChange | null = null; // edits to the primary SEP's text
  const commitWhat: string[] = [];
  let pending: Renumbering | null = null; // the rename, when one is due
  if (primary?.isNew && primary.file.headText !== null && pr.state === "open") {
    const change = renumber(primary.sep, pr.number, pr.url, rules);
    const renamed = change.newPath !== primary.file.path;
    if (renamed || change.edits.length || change.inserts.length) {
      const taken = renamed && (snapshot.basePathsTaken.some((p) => p.toLowerCase() === change.newPath.toLowerCase()) || snapshot.files.some((f) => f !== primary.file && f.path.toLowerCase() === change.newPath.toLowerCase()));
      if (taken) {
        primary.extra.push(findingAt("rename-pending", `This SEP should be \`${change.newPath}\`, but that file already exists on the base branch. Ask a maintainer which number to use; sep-bot will not overwrite it.`, 1, rules));
      } else {
        pending = change;
        textChange = change;
        commitWhat.push(renamed ? `renamed \`${primary.file.path}\` to \`${change.newPath}\` and set the heading and PR field to #${pr.number}` : `set the heading and PR field of \`${primary.file.path}\` to #${pr.number}`);
      }
    }
  }

  // The linter reads each file as written (once: the fixes and the check both use it).
  // In a PR the number is no longer a placeholder question: the rename (done, or rename-pending) answers it.
  const linted = new Map(files.map((f) => [f, lintSep(f.sep, rules, { now }).filter((x) => x.rule !== "number-placeholder")]));
  // The SEP as the process sees it: a Sponsor field naming nobody valid (an author's own pick,
  // someone not assigned) is no sponsor.
  // A finding the planner words better (a sponsor it could resolve) replaces the linter's at the same place.
  const findingsOf = (f: SepFile): Finding[] => {
    const own = new Set(f.extra.map((x) => `${x.rule}:${x.line}`));
    return [...(linted.get(f) ?? []).filter((x) => !own.has(`${x.rule}:${x.line}`)), ...f.extra].sort((a, b) => a.line - b.line || a.column - b.column);
  };
  // Every instance keeps the same status comment, the oldest (ids grow with creation), and removes the others.
  const [existing, ...duplicates] = [...snapshot.comments].sort((a, b) => a.id - b.id);
  let memory = readState(existing?.body);
  // No record and no trace at all: sep-bot meets this PR for the first time (install day, a missed event).
  const contact = contactOf(snapshot);
  const firstContact = !contact.met;
  // Met before, but the record is missing (writes refused after its commit, the comment deleted): what people
  // changed since may never have been handled, so it is judged as if it had just happened (contact.ts).
  const judged: Snapshot = existing || firstContact ? snapshot : { ...snapshot, trigger: { ...snapshot.trigger, labels: [...snapshot.trigger.labels, ...missedLabelChanges(snapshot, contact)] } };

  // Who holds which role. A sponsor taken as found at first contact stays while the file names them.
  const pendingAssignees = carried.assignees ?? [];
  let people = primary ? peopleOf(snapshot, primary.sep, primary.base, rules, memory.foundSponsor?.login ?? null, pendingAssignees) : null;
  if (primary && people && firstContact && untouched(snapshot, rules)) {
    const found = sponsorAsFound(snapshot, primary.sep, people, rules);
    if (found) {
      people = peopleOf(snapshot, primary.sep, primary.base, rules, found, pendingAssignees);
      memory = { ...memory, foundSponsor: { login: found, at: now.toISOString() } };
      const label = pr.labels.find((l) => isStateLabel(rules, l));
      entries.push({ at: now.toISOString(), by: null, what: `first saw this pull request: took @${found} as its sponsor, as found: named in the file, with the \`${label}\` label from before sep-bot` });
    }
  } else if (people && memory.foundSponsor && !people.sponsors.has(loginKey(memory.foundSponsor.login))) {
    memory = { ...memory, foundSponsor: null }; // the file no longer names them: it lapses
  }
  if (primary && people && people.sponsors.size === 0 && !primary.sep.awaitingSponsor) primary.sep = { ...primary.sep, awaitingSponsor: true };
  if (primary && people) primary.extra.push(...sponsorFindings(primary.sep, people.named, snapshot.directory ?? [], rules, Object.values(snapshot.roles).some((r) => r.length > 0)));

  // Commands written before sep-bot met this PR are history: recorded as handled, never run (commands/history.ts).
  // With its record missing, it met the PR at its first dated trace; commands since then run (a reaction marks
  // those it handled). Not known when: as on first contact.
  if (primary && !existing) {
    const since = contact.since === null ? null : Date.parse(contact.since);
    const before = since === null ? snapshot.discussion : snapshot.discussion.filter((c) => Date.parse(c.createdAt) < since);
    const history = recordHistory(memory, before, snapshot.trigger, now);
    memory = history.state;
    const comments = history.comments === 1 ? "a comment" : `${history.comments} comments`;
    if (firstContact) {
      if (history.comments) entries.push({ at: now.toISOString(), by: null, what: `first saw this pull request: ${comments} with commands from before sep-bot came taken as history, not run (write a command again to run it)` });
    } else {
      const old = history.comments ? `; ${comments} with commands from before it first acted here taken as history, not run (write a command again to run it)` : "";
      entries.push({ at: now.toISOString(), by: null, what: `found its record of this pull request missing (its status comment): what it did before is not in this log${old}` });
    }
  }
  const readable = primary?.file.headText !== null;
  const unreadable = primary && !isRegularFile(primary.file.headMode) ? `\`${primary.file.path}\` is ${describeMode(primary.file.headMode!)}, not a file` : "the file cannot be read";
  const canPush = readable && pr.state === "open" && !blocker;
  // The fixes the check offers (its "Fix these" button, `/fix`): the primary SEP's, around the rename.
  const offered = primary && readable ? fixesOf(findingsOf(primary), textChange) : null;

  // 2. Slash commands in the comments (commands/): only on a PR about one SEP. A maintainer
  // assigned while the SEP awaits a sponsor sponsors it first (sponsorship.ts).
  const assigned = primary && people ? assignedSponsor(snapshot, people, rules, processState(rules, primary.sep)) : null;
  const commands =
    primary && people
      ? planCommands({ snapshot, rules, now, sep: primary.sep, people, path: pending?.newPath ?? primary.file.path, memory, blocker: readable ? blocker : unreadable, assigned, fixable: offered?.count ?? 0, handled: carried.commands ?? null })
      : null;
  const commandWhat: string[] = []; // in the commit message; the commands' own audit lines say it in the log
  if (commands) {
    memory = commands.state;
    entries.push(...commands.entries);
    nextSteps.push(...commands.nextSteps);
    if (commands.change) {
      textChange = textChange ? mergeChanges(textChange, commands.change) : commands.change;
      commandWhat.push(...commands.what);
    }
  }

  // How the status is judged (step 4), and what the clocks need of it first: labels and file that
  // disagree since before sep-bot hold every clock that acts.
  const statusInput = (): StatusInput | null =>
    primary && people
      ? {
          sep: primary.sep,
          base: primary.base,
          path: primary.file.path,
          canEdit: primary.file.headText !== null && pr.state === "open" && !blocker,
          blocker,
          pushed: primary.file.pushed ?? [],
          people,
          approved: memory.approved,
          firstContact,
          adopted: memory.adopted,
        }
      : null;
  const disagreement = primary && !commands?.labelState ? adoptedDisagreement(statusInput()!, judged, rules, now) : null;

  // 3. Clocks (timers.ts): reminders due, dormancy, the deadlines to show. A command that just moved the SEP restarts them.
  const clockInput = primary && people ? clockInputOf(snapshot, primary.sep, people, rules, memory, commands?.labelState ?? null, now, clockView(rules, primary.sep, pr.labels, disagreement)) : null;
  const timers = primary && clockInput ? planTimers(snapshot, rules, now, clockInput, primary.sep, !commands?.labelState, carried.clocks ?? null) : null;
  // First contact: the status comment and a due reminder are one message (one notification, not two).
  const inline = firstContact && !!timers?.due.length && timers.due.every((d) => !d.rule.action);
  if (inline) {
    memory = { ...memory, notice: { clock: timers!.due[0]!.clock, at: now.toISOString(), text: timers!.messages.join("\n\n").slice(0, 2000) } };
    timers!.effects = timers!.effects.filter((e) => e.kind !== "reply");
  } else if (memory.notice && (!timers?.report.starts[memory.notice.clock] || [...snapshot.pings, ...memory.pings].some((p) => p.at > memory.notice!.at))) {
    memory = { ...memory, notice: null }; // its clock stopped, or a later reminder replaced it
  }
  if (timers) {
    entries.push(...timers.entries);
    memory = withPings(memory, timers.due, now);
    if (timers.approved) memory = { ...memory, approved: timers.approved };
    if (timers.change) {
      textChange = textChange ? mergeChanges(textChange, timers.change) : timers.change;
      commandWhat.push(...timers.what);
    }
  }

  // 4. Status and labels, both ways (status-sync.ts), unless a command or a clock just set the status.
  const wanted = new Set<string>([rules.labels.sep]);
  const assignNow: string[] = [...pendingAssignees].filter((login) => !pr.assignees.some((a) => sameLogin(a, login)));
  let unauthorised: string | null = null;
  const setState = commands?.labelState ?? timers?.labelState ?? null;
  const commandLabel = setState ? statusRule(rules, setState)?.label : undefined;
  if (commandLabel) {
    wanted.add(commandLabel);
  } else if (primary) {
    const status = decideStatus(statusInput()!, judged, rules, now);
    memory = { ...memory, adopted: status.adopted, ...(status.approved ? { approved: status.approved } : {}) };
    status.labels.forEach((l) => wanted.add(l));
    for (const login of status.assign) if (![...pr.assignees, ...assignNow].some((a) => sameLogin(a, login))) assignNow.push(login);
    entries.push(...status.entries);
    nextSteps.push(...status.nextSteps);
    reasons.push(...status.reasons);
    unauthorised = status.unauthorised;
    if (status.finding) primary.extra.push(status.finding);
    if (status.edit) {
      textChange = textChange ? mergeChanges(textChange, status.edit.change) : status.edit.change;
      commitWhat.push(status.edit.what);
    }
  }

  // "Fix these" or `/fix` by someone who may: the fixes join the commit, around every other edit.
  const fixRule = Object.values(rules.commands).find((c) => c.does === "fix");
  const pressed = primary && people && fixRule ? snapshot.trigger.fixes : [];
  const fixers = pressed.filter((actor) => allowed(actor, fixRule!.who, fixRule!.notBy, people!));
  let renameTo: string | null = null;
  let fixed = false;
  if (primary && (commands?.fix || fixers.length) && canPush) {
    const fixes = fixesOf(findingsOf(primary), textChange);
    if (fixes.count > 0) {
      fixed = true;
      textChange = textChange ? mergeChanges(textChange, fixes.change) : fixes.change;
      if (fixes.rename) renameTo = renamedTo(primary.file.path, pending, fixes.rename, pr.number);
      const by = commands?.fix ? "/fix" : `the Fix these button, by @${fixers.join(", @")}`;
      commitWhat.push(`applied sep-bot's fixes for ${fixes.count} finding${fixes.count === 1 ? "" : "s"} (${by})`);
      if (!commands?.fix) entries.push({ at: now.toISOString(), by: fixers[0] ?? null, what: `applied sep-bot's fixes for ${fixes.count} finding${fixes.count === 1 ? "" : "s"} (Fix these, by @${fixers.join(", @")})` });
    }
  }
  // Pressed by someone else, with nothing the bot can push, or with nothing left to fix: a reply says so,
  // once per person and head. A press from an older head's check asks for nothing left: the head moved
  // since (the fixes were committed, or someone pushed), and the new check says what remains.
  const pressedHere = snapshot.trigger.fixHeads.length === 0 || snapshot.trigger.fixHeads.includes(pr.headSha);
  for (const actor of pressed) {
    const may = fixers.includes(actor);
    if (may && canPush && (fixed || !pressedHere)) continue;
    const key = `fix=${actor.toLowerCase()}.${pr.headSha.slice(0, 8)}`;
    if (snapshot.replies.includes(key)) continue;
    const why = !may
      ? `only ${describeRoles(fixRule!.who, rules)} can have sep-bot commit its fixes to this pull request. Ask one of them, or make the changes the **SEP checks** run lists.`
      : canPush
        ? "there is nothing left that sep-bot can fix by itself here. What the **SEP checks** run still lists needs a person; each finding says what to change."
        : `sep-bot cannot push to this branch (${blocker ?? unreadable}). Make the changes the **SEP checks** run lists; each says what to change.`;
    effects.push({ kind: "reply", body: `@${actor}: ${why}\n\n${replyMarker(key)}` });
    reasons.push(may && canPush ? `nothing to fix for ${actor}` : `fix refused for ${actor}`);
  }

  // A closed PR's branch takes the commit only when a command reopens it (a revived SEP).
  const willBeOpen = pr.state === "open" || (commands?.outcome.final.open ?? false);
  if (textChange && primary && primary.file.headText !== null && willBeOpen) {
    const headRepo = pr.headRepo;
    if (blocker || !headRepo) {
      if (pending && primary) {
        primary.extra.push(findingAt("rename-pending", `This SEP must be renamed to \`${pending.newPath}\` with its heading and PR field set to #${pr.number}; sep-bot could not do it (${blocker ?? "no head repository"}). The status comment lists the commands.`, 1, rules));
        nextSteps.push({ who: pr.author, what: renameInstructions(primary.file.path, pending, pr.number, pr.url), code: true });
      }
    } else {
      const path = renameTo ?? pending?.newPath ?? primary.file.path;
      const content = applyChange(primary.file.headText, textChange);
      // Edits that change no byte (a value already so) are no commit: the plan must converge.
      if (content !== primary.file.headText || path !== primary.file.path) {
        const changes: FileChange[] = [{ path, content }];
        if (path !== primary.file.path) changes.push({ path: primary.file.path, content: null });
        // What each path is at the head, for the executor's last check: the SEP a file (it was read as
        // text), a new name free (a path taken there is a changed file or on the base: no rename then).
        const headModes: Record<string, string | null> = { [path]: null, [primary.file.path]: primary.file.headMode ?? "100644" };
        commit = {
          kind: "commit",
          repo: { owner: headRepo.owner, name: headRepo.name },
          branch: pr.headRef,
          expectedHeadSha: pr.headSha,
          baseTreeSha: pr.headTreeSha,
          message: commitMessage([...commitWhat, ...commandWhat], pr.number),
          summary: commitWhat.join("; "),
          changes,
          headModes,
        };
        effects.push(commit);
        reasons.push(`commit: ${[...commitWhat, ...commandWhat].join("; ")}`);
      }
    }
  }

  // The clocks' reminders come first: they record that a step was taken (dormancy is finished from there).
  if (timers?.effects.length) {
    effects.push(...timers.effects);
    reasons.push(`clocks: ${timers.due.map((d) => `${d.clock} step ${d.step + 1}`).join(", ")}`);
  }

  // 3. The check run on the head commit, with its "Fix these" button when the bot can push the fixes.
  const reports: FileFindings[] = files.map((f) => ({ path: f.file.path, findings: findingsOf(f) }));
  // The project board follows the state this plan leaves the SEP in; what stops it is said in the check.
  const board = primary ? planBoard(rules, snapshot.project, setState ?? processState(rules, primary.sep)) : null;
  const fixable = fixRule && canPush && !commit ? (offered?.count ?? 0) : 0;
  const check = renderCheck(reports, pr.headSha, rules, snapshot.configError, [...(snapshot.readNotes ?? []), ...(board?.note ? [board.note] : [])], fixable, snapshot.fixButton !== false);
  const existingDigest = snapshot.checkRun?.headSha === pr.headSha ? snapshot.checkRun.digest : null;
  if (existingDigest === null || readDigest(check.summary) !== existingDigest || commands?.forceCheck) {
    effects.push(check);
    reasons.push(`check run: ${check.title}`);
  }

  // 4. Labels: add what is wanted, remove stale state labels; others untouched.
  const labels = labelsEffect(snapshot, rules, wanted, primary !== null);
  if (labels) {
    effects.push(labels);
    reasons.push(`labels: ${[...labels.add.map((l) => `+${l}`), ...labels.remove.map((l) => `-${l}`)].join(" ")}`);
  }

  // 6. Assignees, open/closed, reactions and replies for the commands; the clocks' reminders.
  if (assignNow.length) {
    effects.push({ kind: "assignees", add: assignNow, remove: [] });
    reasons.push(`assign ${assignNow.join(", ")}: sponsors by their label`);
  }
  if (commands) {
    effects.push(...commands.effects.filter((e) => e.kind !== "reaction"));
    if (commands.effects.length) reasons.push(`commands: ${commands.effects.map((e) => e.kind).join(", ")}`);
  }
  if (timers?.close && !effects.some((e) => e.kind === "pull-request-state")) {
    effects.push({ kind: "pull-request-state", state: "closed" });
    reasons.push("close: the SEP is dormant");
  }
  // Reactions say "handled": they come after every other write, just before the record.
  if (commands) effects.push(...commands.effects.filter((e) => e.kind === "reaction"));

  // The approved record only words a file that lags behind its labels; once the file says it, it is done.
  if (primary && memory.approved && !setState && memory.approved.state === processState(rules, primary.sep)) memory = { ...memory, approved: null };

  // What the sweep and the digest read of this SEP without reading the file.
  const summarised = (state: BotState, report: ClockReport | null): BotState => {
    if (!primary) return state;
    const sponsor = sponsorAfter(commands, people);
    return {
      ...state,
      sep: {
        ...summary(primary.sep, rules, setState ?? processState(rules, primary.sep), check.conclusion, commands?.votes ?? null, report, sponsor),
        label: [...wanted].find((l) => isStateLabel(rules, l)) ?? null,
        clock: clockInput?.state ?? null,
      },
    };
  };
  let report = timers?.report ?? null;
  memory = summarised(memory, report);

  // 7. The one status comment (with the record of what ran: written last).
  const render = (state: BotState) =>
    renderComment({
      snapshot,
      rules,
      primary: primary ? { sep: primary.sep, path: primary.file.path, pendingPath: commit && commit.changes[0]!.path !== primary.file.path ? commit.changes[0]!.path : null } : null,
      people,
      files: reports,
      nextSteps,
      unauthorised,
      state,
      votes: commands?.votes ?? null,
      clocks: report,
    });
  let state = withEntries(memory, entries);
  let body = render(state);
  // The first status comment notifies everyone it @mentions: for the cooldown it is a reminder to
  // them, so a reminder that falls due soon after waits (one comment that @mentions, not two). The
  // deadlines shown are then the ones the next run will see with it on the record.
  const told = !existing ? mentionsIn(body).slice(0, 20) : [];
  if (told.length) {
    state = { ...state, pings: [...state.pings, { clock: FIRST_CONTACT, step: 0, to: told, at: now.toISOString() }] };
    if (report && clockInput) {
      report = { ...report, deadlines: clocks({ ...clockInput, pings: [...snapshot.pings, ...state.pings] }, rules, now).deadlines };
      state = summarised(state, report);
    }
    body = render(state);
  }
  if (!existing) {
    effects.push({ kind: "create-comment", body });
    reasons.push("status comment: create");
  } else if (existing.body !== body) {
    effects.push({ kind: "update-comment", id: existing.id, body });
    reasons.push("status comment: update");
  }
  for (const duplicate of duplicates) {
    effects.push({ kind: "delete-comment", id: duplicate.id });
    reasons.push(`status comment: delete duplicate ${duplicate.id}`);
  }
  // Last: the board is an extra, and a failure there must not hold back the record above.
  if (board?.effect) {
    effects.push(board.effect);
    reasons.push(`project board: ${board.effect.itemId ? "" : "add the item, "}${board.effect.option ? `set ${rules.project!.field} to ${board.effect.option}` : "leave its field"}`);
  }
  return {
    effects,
    reasons,
    carry: {
      ...(commands?.outcome.results.length || commands?.outcome.approved ? { commands: commands.outcome } : {}),
      ...(timers?.due.length ? { clocks: timers.due } : {}),
      ...(assignNow.length ? { assignees: assignNow } : {}),
    },
  };
}

/**
 * The label change for the wanted state labels. The bot manages only state
 * labels and the SEP label; any other label its timeline shows the bot
 * removing was lost to a concurrent edit while the bot set the whole list,
 * and comes back.
 */
function labelsEffect(snapshot: Snapshot, rules: Rules, wanted: Set<string>, hasPrimary: boolean): LabelsEffect | null {
  const { pr } = snapshot;
  const lower = (l: string) => l.toLowerCase();
  const have = new Set(pr.labels.map(lower));
  const managed = (l: string) => isStateLabel(rules, l) || lower(l) === lower(rules.labels.sep);
  const lost = new Map<string, string>();
  for (const event of pr.labelEvents) {
    if (managed(event.label)) continue;
    if (!event.added && event.actor && sameLogin(event.actor, snapshot.botLogin)) lost.set(lower(event.label), event.label);
    else lost.delete(lower(event.label));
  }
  const add = [...wanted, ...lost.values()].filter((l, i, all) => !have.has(lower(l)) && all.findIndex((x) => lower(x) === lower(l)) === i);
  const wantedLower = new Set([...wanted].map(lower));
  const remove = hasPrimary ? pr.labels.filter((l) => isStateLabel(rules, l) && !wantedLower.has(lower(l))) : [];
  if (add.length === 0 && remove.length === 0) return null;
  const removed = new Set(remove.map(lower));
  return { kind: "labels", add, remove, labels: [...pr.labels.filter((l) => !removed.has(lower(l))), ...add] };
}

/** The compact record of the SEP the sweep and the digest read (see state.ts). */
function summary(sep: Sep, rules: Rules, state: string | null, checks: "success" | "failure" | "neutral", votes: Tally | null, clocks: ClockReport | null, sponsor: string | null): SepSummary {
  const conformance = Object.entries(sep.extras).find(([key]) => /^conformance/i.test(key));
  return {
    state,
    status: sep.status,
    type: sep.type,
    title: sep.title?.slice(0, 200) ?? null,
    sponsor,
    referenceImplementation: hasContent(sep, "reference-implementation", rules),
    conformance: sep.type === "standards-track" ? !!conformance && /https?:\/\/|#\d+/.test(conformance[1]) : null,
    checks: checks === "neutral" ? null : checks,
    votes: votes && votes.votes.length ? { yes: votes.yes, no: votes.no, abstain: votes.abstain } : null,
    ...deadlineSummary(clocks),
    label: null,
    clock: null,
  };
}

/** The deadlines as the status comment shows them (none while paused), in the summary's compact form. */
export function deadlineSummary(report: ClockReport | null): Pick<SepSummary, "deadlines" | "paused"> {
  if (!report) return { deadlines: [], paused: false };
  return { deadlines: report.paused ? [] : report.deadlines.slice(0, 20).map((d) => `${d.date} ${d.clock}:${d.step}`), paused: report.paused };
}

/** The sponsor once this plan is applied: a command's (or an assignment's), else the recognised one. */
function sponsorAfter(commands: ReturnType<typeof planCommands> | null, people: ReturnType<typeof peopleOf> | null): string | null {
  const { initial, final } = commands?.outcome ?? {};
  if (initial && final && !sameLogin(initial.sponsor?.login ?? "", final.sponsor?.login ?? "")) return final.sponsor?.login ?? null;
  return people?.sponsor?.login ?? null;
}

/** The file's name after a case fix: in its directory, numbered as the rename (when one is due) numbers it. */
function renamedTo(path: string, pending: Renumbering | null, name: string, number: number): string {
  if (pending) return pending.newPath.replace(/[^/]*$/, `${number}-${name.replace(/^[^-]*-/, "")}`);
  return path.replace(/[^/]*$/, name);
}

function commitMessage(what: string[], number: number): string {
  const first = what[0] ?? "update";
  const headline = first.startsWith("renamed") ? `SEP-${number}: number the SEP after its pull request` : `SEP-${number}: ${first.replace(/`/g, "").replace(/ \(label.*$/, "")}`;
  return `${headline}\n\n${what.map((w) => `- ${w.replace(/`/g, "")}`).join("\n")}\n\nMade by sep-bot.`;
}

function renameInstructions(path: string, change: Renumbering, number: number, url: string): string {
  return [
    `git mv ${shellQuote(path)} ${shellQuote(change.newPath)}`,
    `# in ${change.newPath}: make the first line \`# SEP-${number}: <title>\``,
    `#   and the PR field \`- **PR**: ${url}\``,
    `git commit -am ${shellQuote(`SEP-${number}: number the SEP after its pull request`)}`,
    "git push",
  ].join("\n");
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
