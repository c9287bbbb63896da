import type { ChangedSepFile } from "../../governance/model/snapshot.js";
import type { Rules } from "../../rules/schema.js";
import type { GitHub } from "../graphql.js";
import { PAGE_SIZE, type FileNode, type ReadInput } from "./pull-request.js";

/** Which of a pull request's changed files are SEPs, and where a renamed one came from. */


/** Direct `*.md` children of the SEP directory, minus the excluded names; case-insensitive. */
export function isSepFile(path: string, rules: Pick<Rules, "sepDirectory" | "exclude">): boolean {
  const lower = path.toLowerCase();
  const dir = `${rules.sepDirectory.toLowerCase()}/`;
  if (!lower.startsWith(dir) || !lower.endsWith(".md")) return false;
  const name = lower.slice(dir.length);
  if (name.includes("/")) return false;
  return !rules.exclude.some((excluded) => {
    const e = excluded.toLowerCase();
    return e === name || e === lower;
  });
}

const CHANGE: Record<FileNode["changeType"], ChangedSepFile["change"]> = {
  ADDED: "added",
  MODIFIED: "modified",
  RENAMED: "renamed",
  DELETED: "removed",
  COPIED: "copied",
  CHANGED: "changed",
};

export type ChangedFile = Pick<ChangedSepFile, "path" | "change" | "previousPath">;

export function toChangedFile(file: FileNode): ChangedFile {
  return { path: file.path, change: CHANGE[file.changeType] ?? "modified", previousPath: null };
}

/**
 * GraphQL does not say where a renamed file came from, and without it the
 * planner would take a renamed SEP for a new one (and miss a status change).
 * Only then, ask REST, which does; stop as soon as every rename is resolved.
 */
export async function fillPreviousPaths(octokit: GitHub, input: ReadInput, files: ChangedFile[]): Promise<void> {
  const pending = new Map(files.filter((f) => f.change === "renamed").map((f) => [f.path, f]));
  if (pending.size === 0) return;
  const pages = octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
    owner: input.owner,
    repo: input.repo,
    pull_number: input.number,
    per_page: PAGE_SIZE,
  });
  for await (const page of pages) {
    for (const listed of page.data) {
      const file = pending.get(listed.filename);
      if (file && listed.previous_filename) file.previousPath = listed.previous_filename;
      pending.delete(listed.filename);
    }
    if (pending.size === 0) return;
  }
}
