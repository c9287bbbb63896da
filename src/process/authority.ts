import type { Sep } from "../sep/model.js";
import type { Snapshot } from "./snapshot.js";

/**
 * Who may do what. Maintainers come from the base branch and teams (never
 * from the PR's head); the sponsor named in the file counts only while the
 * repository has also assigned them to the PR.
 */

/** GitHub Apps appear as `sep-bot` in GraphQL and `sep-bot[bot]` in REST. */
export function sameLogin(a: string, b: string): boolean {
  const bare = (login: string) => login.replace(/\[bot\]$/i, "").toLowerCase();
  return bare(a) === bare(b);
}

/** Maintainers, and the named sponsor when they are also assigned to the PR. */
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
