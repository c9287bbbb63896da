import { findingAt } from "../../lint/finding.js";
import type { Rules } from "../../rules/schema.js";
import { applyChange, type Renumbering, type TextChange } from "../../sep/edit.js";
import type { SepFile } from "../check/findings.js";
import type { Contribution } from "../model/contribution.js";
import type { CommitEffect, FileChange } from "../model/effects.js";
import type { Snapshot } from "../model/snapshot.js";
import { renameInstructions } from "./numbering.js";

/**
 * The one commit a reconcile makes: every room's edits to the SEP's text
 * (numbering, commands, clocks, status, fixes), its rename, in one commit on
 * the head it read. Where sep-bot cannot push, a due rename becomes a finding
 * and the exact commands for the author.
 */

export interface CommitInput {
  snapshot: Snapshot;
  rules: Rules;
  primary: SepFile;
  /** Every room's edits, merged. */
  edit: TextChange;
  pending: Renumbering | null;
  /** A case fix's new name, when the fixes rename the file. */
  renameTo: string | null;
  /** Why sep-bot cannot push (null: it can). */
  blocker: string | null;
  /** The commit message's lines: the summary's, then the commands' and clocks'. */
  headline: readonly string[];
  also: readonly string[];
}

export function commitOf(input: CommitInput): { part: Contribution; commit: CommitEffect | null } {
  const { snapshot, rules, primary, pending, blocker } = input;
  const { pr } = snapshot;
  const headRepo = pr.headRepo;
  if (primary.file.headText === null) return { part: {}, commit: null };
  if (blocker || !headRepo) {
    if (!pending) return { part: {}, commit: null };
    const finding = findingAt("rename-pending", `This SEP must be renamed to \`${pending.newPath}\` with its heading and PR field set to #${pr.number}; sep-bot could not do it (${blocker ?? "no head repository"}). The status comment lists the commands.`, 1, rules);
    return { part: { findings: [finding], nextSteps: [{ who: pr.author, what: renameInstructions(primary.file.path, pending, pr.number, pr.url), code: true }] }, commit: null };
  }
  const path = input.renameTo ?? pending?.newPath ?? primary.file.path;
  const content = applyChange(primary.file.headText, input.edit);
  // Edits that change no byte (a value already so) are no commit: the plan must converge.
  if (content === primary.file.headText && path === primary.file.path) return { part: {}, commit: null };
  const changes: FileChange[] = [{ path, content }];
  if (path !== primary.file.path) changes.push({ path: primary.file.path, content: null });
  // What each path is at the head, for the executor's last check: the SEP a file (it was read as
  // text), a new name free (a path taken there is a changed file or on the base: no rename then).
  const headModes: Record<string, string | null> = { [path]: null, [primary.file.path]: primary.file.headMode ?? "100644" };
  const what = [...input.headline, ...input.also];
  const commit: CommitEffect = {
    kind: "commit",
    repo: { owner: headRepo.owner, name: headRepo.name },
    branch: pr.headRef,
    expectedHeadSha: pr.headSha,
    baseTreeSha: pr.headTreeSha,
    message: commitMessage(what, pr.number),
    summary: input.headline.join("; "),
    changes,
    headModes,
  };
  return { part: { effects: { commit: [commit] }, reasons: { commit: [`commit: ${what.join("; ")}`] } }, commit };
}

function commitMessage(what: readonly string[], number: number): string {
  const first = what[0] ?? "update";
  const headline = first.startsWith("renamed") ? `SEP-${number}: number the SEP after its pull request` : `SEP-${number}: ${first.replace(/`/g, "").replace(/ \(label.*$/, "")}`;
  return `${headline}\n\n${what.map((w) => `- ${w.replace(/`/g, "")}`).join("\n")}\n\nMade by sep-bot.`;
}
