import { findingAt } from "../../lint/finding.js";
import type { Rules } from "../../rules/schema.js";
import { renumber, type Renumbering } from "../../sep/edit.js";
import type { SepFile } from "../check/findings.js";
import type { Contribution } from "../model/contribution.js";
import type { Snapshot } from "../model/snapshot.js";

/**
 * Numbering: a new SEP takes its pull request's number, in its file name,
 * its heading and its PR field, in the one commit. A name already taken on
 * the base branch is a finding, never an overwrite.
 */

export interface Numbering {
  part: Contribution;
  /** The rename, when one is due (null: the SEP is numbered, or its name is taken). */
  pending: Renumbering | null;
}

export function numbering(snapshot: Snapshot, primary: SepFile | null, rules: Rules): Numbering {
  const { pr } = snapshot;
  if (!primary?.isNew || primary.file.headText === null || pr.state !== "open") return { part: {}, pending: null };
  const change = renumber(primary.sep, pr.number, pr.url, rules);
  const renamed = change.newPath !== primary.file.path;
  if (!renamed && !change.edits.length && !change.inserts.length) return { part: {}, pending: null };
  const newPath = change.newPath.toLowerCase();
  const taken = renamed && (snapshot.basePathsTaken.some((p) => p.toLowerCase() === newPath) || snapshot.files.some((f) => f !== primary.file && f.path.toLowerCase() === newPath));
  if (taken) {
    const finding = findingAt("rename-pending", `This SEP should be \`${change.newPath}\`, but that file already exists on the base branch. Ask a maintainer which number to use; sep-bot will not overwrite it.`, 1, rules);
    return { part: { findings: [finding] }, pending: null };
  }
  const what = renamed ? `renamed \`${primary.file.path}\` to \`${change.newPath}\` and set the heading and PR field to #${pr.number}` : `set the heading and PR field of \`${primary.file.path}\` to #${pr.number}`;
  return { part: { edit: { change, what: [what], headline: true } }, pending: change };
}

/** What the author runs when sep-bot cannot push the rename. */
export function renameInstructions(path: string, change: Renumbering, number: number, url: string): string {
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
