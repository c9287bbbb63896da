import type { Snapshot } from "../model/snapshot.js";

/** Reach: where the bot can push the one commit a reconcile makes. */

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
