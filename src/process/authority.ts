import type { Snapshot } from "./snapshot.js";

/** Identity and reach: whose login is whose, and where the bot can push. (Who holds which role: roles.ts.) */

/** GitHub Apps appear as `sep-bot` in GraphQL and `sep-bot[bot]` in REST. */
export function sameLogin(a: string, b: string): boolean {
  const bare = (login: string) => login.replace(/\[bot\]$/i, "").toLowerCase();
  return bare(a) === bare(b);
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
