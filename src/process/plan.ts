import { lintSep } from "../lint/index.js";
import type { Finding } from "../lint/finding.js";
import type { Rules } from "../rules/schema.js";
import { applyChange, mergeChanges, renumber, setSponsor, setStatus, type Renumbering, type TextChange } from "../sep/edit.js";
import type { Sep } from "../sep/model.js";
import { parseSep } from "../sep/parse.js";
import { readDigest, renderCheck, type FileFindings } from "./check.js";
import { renderComment, type NextStep } from "./comment.js";
import type { CommitEffect, Effect, FileChange, Plan } from "./effects.js";
import type { AuditEntry, ChangedSepFile, Snapshot } from "./snapshot.js";
import { readState, withEntries } from "./state.js";
import { isStateLabel, labelForSep, statusForLabel, statusRule } from "./status.js";

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

const sameLogin = (a: string, b: string) => a.replace(/\[bot\]$/i, "").toLowerCase() === b.replace(/\[bot\]$/i, "").toLowerCase();

export function parseChanged(file: ChangedSepFile, rules: Rules): Sep {
  if (file.headText === null) {
    // Over the size limit: report its size. Otherwise binary: a NUL makes the parser say so.
    return file.headSize > rules.limits.maxFileBytes
      ? parseSep("", file.path, { rules, size: file.headSize })
      : parseSep("\u0000", file.path, { rules });
  }
  return parseSep(file.headText, file.path, { rules });
}

/** The maintainers, and the named sponsor when they are also assigned to the PR. */
export function mayChangeStatus(login: string, sep: Sep | null, snapshot: Snapshot): boolean {
  const lower = login.toLowerCase();
  if (snapshot.maintainers.includes(lower)) return true;
  // The Sponsor field is written by the author; it counts only for someone
  // the repository also assigned (assigning needs triage rights).
  return !!sep?.sponsors.some((s) => s.handle?.toLowerCase() === lower && snapshot.pr.assignees.some((a) => a.toLowerCase() === lower));
}

/** Why the bot cannot push to the head branch, or null if it can try. */
export function pushBlocker(snapshot: Snapshot): string | null {
  const { pr, repo } = snapshot;
  if (snapshot.pushDenied) return snapshot.pushDenied;
  if (!pr.headRepo) return "the pull request's fork was deleted";
  const sameRepo = pr.headRepo.owner.toLowerCase() === repo.owner.toLowerCase() && pr.headRepo.name.toLowerCase() === repo.name.toLowerCase();
  if (sameRepo && (pr.headRef === pr.baseRef || pr.headRef === repo.defaultBranch)) return "the pull request's branch is the base branch";
  if (!sameRepo && pr.headRepo.ownerIsOrganization) return "the branch is in an organisation's fork, which does not accept pushes from apps";
  if (!sameRepo && !pr.maintainerCanModify) return "the fork does not allow edits by maintainers";
  return null;
}

export function plan(snapshot: Snapshot, rules: Rules, now: Date): Plan {
  const { pr } = snapshot;
  const reasons: string[] = [];
  const effects: Effect[] = [];
  const entries: AuditEntry[] = [...(snapshot.recentActions ?? [])];
  const at = now.toISOString();

  const files: SepFile[] = snapshot.files
    .filter((f) => f.change !== "removed")
    .map((file) => ({
      file,
      sep: parseChanged(file, rules),
      base: file.baseText === null ? null : parseSep(file.baseText, file.previousPath ?? file.path, { rules }),
      isNew: file.baseText === null,
      extra: [],
    }));
  if (files.length === 0) return { effects, reasons: ["no SEP file changed: nothing to do"] };

  const added = files.filter((f) => f.isNew);
  if (added.length > 1) {
    for (const f of added) {
      f.extra.push(finding("sep-multiple", `This pull request adds ${added.length} SEPs (${added.map((a) => `\`${a.file.path}\``).join(", ")}). Each SEP needs its own pull request, whose number becomes its SEP number: move the others to new pull requests.`, 1, rules));
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
        primary.extra.push(finding("rename-pending", `This SEP should be \`${change.newPath}\`, but that file already exists on the base branch. Ask a maintainer which number to use; sep-bot will not overwrite it.`, 1, rules));
      } else {
        pending = change;
        textChange = change;
        commitWhat.push(renamed ? `renamed \`${primary.file.path}\` to \`${change.newPath}\` and set the heading and PR field to #${pr.number}` : `set the heading and PR field of \`${primary.file.path}\` to #${pr.number}`);
      }
    }
  }

  // 2. Status and labels. Labels hold the status last approved by the sponsor
  //    or a maintainer; the file may move away from it only by their hand.
  const labelsNow = pr.labels;
  const stateNow = labelsNow.filter((l) => isStateLabel(rules, l));
  const wanted = new Set<string>([rules.labels.sep]);
  let unauthorised: string | null = null;
  const trigger = snapshot.trigger;
  const actor = "actor" in trigger && !sameLogin(trigger.actor, snapshot.botLogin) ? trigger.actor : null;

  if (primary) {
    const sep = primary.sep;
    const fileLabel = labelForSep(rules, sep);
    // A state label that disagrees with the file, and who applied it: the
    // event that woke us, or (when several state labels are on the PR and
    // that event has not arrived yet, or was lost) GitHub's own timeline.
    let labelIntent: string | null = null;
    let intentActor: string | null = null;
    if (trigger.kind === "label" && trigger.added && actor && isStateLabel(rules, trigger.label) && labelsNow.some((l) => l.toLowerCase() === trigger.label.toLowerCase())) {
      labelIntent = trigger.label;
      intentActor = actor;
    } else if (stateNow.length >= 2) {
      const latest = stateNow
        .filter((l) => l.toLowerCase() !== fileLabel?.toLowerCase())
        .map((label) => ({ label, event: lastAdded(snapshot, label) }))
        .filter((c) => c.event?.actor && !sameLogin(c.event.actor, snapshot.botLogin))
        .sort((a, b) => b.event!.at.localeCompare(a.event!.at))[0];
      if (latest) {
        labelIntent = latest.label;
        intentActor = latest.event!.actor;
      }
    }

    if (labelIntent && intentActor && fileLabel?.toLowerCase() !== labelIntent.toLowerCase()) {
      const actor = intentActor;
      if (mayChangeStatus(actor, sep, snapshot)) {
        // The file follows an authorised label.
        const target = statusForLabel(rules, labelIntent) ?? statusRule(rules, "proposal");
        const edit = target ? fileEditForStatus(primary, target.id, actor, snapshot, rules, now) : null;
        wanted.add(labelIntent);
        if (edit && primary.file.headText !== null && !pushBlocker(snapshot) && pr.state === "open") {
          textChange = textChange ? mergeChanges(textChange, edit.change) : edit.change;
          commitWhat.push(`${edit.what} (label \`${labelIntent}\` by @${actor})`);
        } else {
          nextSteps.push({ who: pr.author, what: `Set \`- **Status**: ${target?.display ?? labelIntent}\` in \`${primary.file.path}\` to match the \`${labelIntent}\` label that @${actor} applied${pushBlocker(snapshot) ? ` (sep-bot cannot push: ${pushBlocker(snapshot)})` : ""}.` });
        }
      } else {
        // Put it back: status is the sponsor's call.
        const approved = stateNow.filter((l) => l.toLowerCase() !== labelIntent.toLowerCase());
        const keep = approved.length ? approved[0]! : fileLabel;
        if (keep) wanted.add(keep);
        entries.push({ at, by: actor, what: `removed the \`${labelIntent}\` label added by @${actor}: only the sponsor or a maintainer changes a SEP's status` });
        reasons.push(`revert label ${labelIntent}: @${actor} may not change status`);
      }
    } else {
      // A state label removed by someone who may not change status is still the approved one.
      const removedByOther =
        trigger.kind === "label" && !trigger.added && actor && isStateLabel(rules, trigger.label) && stateNow.length === 0 && !mayChangeStatus(actor, sep, snapshot)
          ? trigger.label
          : null;
      if (removedByOther) {
        entries.push({ at, by: actor, what: `put back the \`${removedByOther}\` label removed by @${actor}: only the sponsor or a maintainer changes a SEP's status` });
      }
      // Which status is approved: the PR's state label, else the base branch's file.
      const approvedLabel =
        removedByOther ??
        (stateNow.length === 1 ? stateNow[0]! : (stateNow.find((l) => l.toLowerCase() === fileLabel?.toLowerCase()) ?? (primary.base ? labelForSep(rules, primary.base) : null)));
      const seeking = statusRule(rules, sep.status)?.seeking ?? true;
      const newSepWithoutApproval = approvedLabel === null && !primary.base;
      const pusherAuthorised = trigger.kind === "push" && actor !== null && mayChangeStatus(actor, sep, snapshot);
      const authorAuthorised = mayChangeStatus(pr.author, sep, snapshot);
      if (fileLabel === null || approvedLabel?.toLowerCase() === fileLabel.toLowerCase() || (newSepWithoutApproval && (seeking || authorAuthorised)) || pusherAuthorised) {
        if (fileLabel) wanted.add(fileLabel);
        if (pusherAuthorised && approvedLabel && fileLabel && approvedLabel.toLowerCase() !== fileLabel.toLowerCase()) {
          entries.push({ at, by: actor, what: `status set to ${statusRule(rules, sep.status)?.display ?? sep.statusRaw} in the file by @${actor}; labels follow` });
        }
      } else {
        const approvedStatus = approvedLabel ? (statusForLabel(rules, approvedLabel)?.display ?? approvedLabel) : "a status a SEP may start with (Draft)";
        unauthorised = approvedLabel ?? rules.labels.awaitingSponsor;
        wanted.add(unauthorised);
        const status = primary.sep.fields.find((f) => f.id === "status");
        primary.extra.push(
          finding(
            "status-change-unauthorised",
            `Status changes are made by the sponsor. The file says ${statusRule(rules, sep.status)?.display ?? sep.statusRaw ?? "?"}${sep.awaitingSponsor ? "" : sep.sponsors.length ? ` with sponsor ${sep.sponsors.map((s) => (s.handle ? `@${s.handle}` : s.name)).join(", ")}` : ""}, but the approved status is ${approvedStatus}. Set it back, and ask your sponsor (or a maintainer) to change the status by applying its label.`,
            status?.line ?? 1,
            rules,
          ),
        );
      }
    }
  }

  if (textChange && primary && primary.file.headText !== null && pr.state === "open") {
    const blocker = pushBlocker(snapshot);
    const headRepo = pr.headRepo;
    if (blocker || !headRepo) {
      if (pending && primary) {
        primary.extra.push(finding("rename-pending", `This SEP must be renamed to \`${pending.newPath}\` with its heading and PR field set to #${pr.number}; sep-bot could not do it (${blocker ?? "no head repository"}). The status comment lists the commands.`, 1, rules));
        nextSteps.push({ who: pr.author, what: renameInstructions(primary.file.path, pending, pr.number, pr.url), code: true });
      }
    } else {
      const path = pending?.newPath ?? primary.file.path;
      const changes: FileChange[] = [{ path, content: applyChange(primary.file.headText, textChange) }];
      if (path !== primary.file.path) changes.push({ path: primary.file.path, content: null });
      commit = {
        kind: "commit",
        repo: { owner: headRepo.owner, name: headRepo.name },
        branch: pr.headRef,
        expectedHeadSha: pr.headSha,
        baseTreeSha: pr.headTreeSha,
        message: commitMessage(commitWhat, pr.number),
        summary: commitWhat.join("; "),
        changes,
      };
      effects.push(commit);
      reasons.push(`commit: ${commit.summary}`);
    }
  }

  // 3. The check run on the head commit.
  // In a PR the number is no longer a placeholder question: the rename (done,
  // or rename-pending) answers it.
  const reports: FileFindings[] = files.map((f) => ({
    path: f.file.path,
    findings: [...lintSep(f.sep, rules, { now }).filter((x) => x.rule !== "number-placeholder"), ...f.extra].sort((a, b) => a.line - b.line || a.column - b.column),
  }));
  const check = renderCheck(reports, pr.headSha, rules, snapshot.configError);
  const existingDigest = snapshot.checkRun?.headSha === pr.headSha ? snapshot.checkRun.digest : null;
  if (existingDigest === null || readDigest(check.summary) !== existingDigest) {
    effects.push(check);
    reasons.push(`check run: ${check.title}`);
  }

  // 4. Labels: add what is wanted, remove stale state labels; others untouched.
  const have = new Set(labelsNow.map((l) => l.toLowerCase()));
  const add = [...wanted].filter((l) => !have.has(l.toLowerCase()));
  const wantedLower = new Set([...wanted].map((l) => l.toLowerCase()));
  const remove = labelsNow.filter((l) => isStateLabel(rules, l) && !wantedLower.has(l.toLowerCase()) && primary !== null);
  if (add.length) {
    effects.push({ kind: "add-labels", labels: add });
    reasons.push(`labels: add ${add.join(", ")}`);
  }
  for (const label of remove) {
    effects.push({ kind: "remove-label", label });
    reasons.push(`labels: remove ${label}`);
  }

  // 5. The one status comment.
  const [existing, ...duplicates] = snapshot.comments;
  const state = withEntries(readState(existing?.body), entries);
  const body = renderComment({
    snapshot,
    rules,
    primary: primary ? { sep: primary.sep, path: primary.file.path, pendingPath: commit && pending ? pending.newPath : null } : null,
    files: reports,
    conclusion: check.conclusion,
    nextSteps,
    unauthorised,
    state,
  });
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
  return { effects, reasons };
}

/** The most recent time `label` was applied, from the PR's timeline. */
function lastAdded(snapshot: Snapshot, label: string) {
  const lower = label.toLowerCase();
  return snapshot.pr.labelEvents.filter((e) => e.added && e.label.toLowerCase() === lower).at(-1) ?? null;
}

function finding(rule: Finding["rule"], message: string, line: number, rules: Rules): Finding {
  const severity = rules.severities[rule] ?? "error";
  return { rule, severity: severity === "off" ? "info" : severity, message, line, column: 1 };
}

/** The file edit that makes a SEP say `statusId`; an awaiting SEP gets the maintainer as its sponsor. */
function fileEditForStatus(primary: SepFile, statusId: string, actor: string, snapshot: Snapshot, rules: Rules, now: Date) {
  const target = statusRule(rules, statusId)!;
  const sep = primary.sep;
  const stamp = target.stampField ? { field: target.stampField, date: now.toISOString().slice(0, 10) } : null;
  const change = setStatus(sep, target.display, stamp);
  if (!change) return null;
  const what = [`set Status to ${target.display}`];
  // A maintainer moving a SEP that awaits a sponsor past that stage is sponsoring it.
  if (sep.awaitingSponsor && target.label !== rules.labels.awaitingSponsor && snapshot.maintainers.includes(actor.toLowerCase())) {
    const sponsor = setSponsor(sep, `@${actor}`);
    if (sponsor) {
      change.edits.push(...sponsor.edits);
      change.inserts.push(...sponsor.inserts);
      what.push(`Sponsor to @${actor}`);
    }
  }
  if (change.edits.length === 0 && change.inserts.length === 0) return null;
  return { change, what: what.join(" and ") };
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
