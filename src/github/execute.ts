import type { Annotation, CheckRunEffect, CommitEffect, CreateIssueEffect, Effect, IssueBlockEffect, ProjectItemEffect } from "../governance/model/effects.js";
import { withBlock } from "../governance/sdks/umbrella.js";
import { describeMode, isRegularFile } from "../sep/file-kind.js";
import { batches } from "../shared/batches.js";
import { apiMessage, BranchMovedError, httpStatus, isRateLimited, isRefusal, PushDeniedError } from "./errors.js";
import type { GitHub } from "./graphql.js";
import type { Target as FullTarget } from "../governance/model/trigger.js";

/**
 * The only code that writes to GitHub. It performs a plan's effects as given:
 * deciding what to write is the planner's job, so a mistake there shows up in
 * the plan (and its tests), not hidden in here.
 */

/** The pull request the effects are for (its default branch does not matter here). */
type Target = Pick<FullTarget, "owner" | "repo" | "number">;

/** GitHub accepts at most 50 annotations per check run request. */
const ANNOTATIONS_PER_REQUEST = 50;

// ---------------------------------------------------------------------------
// Commit to the pull request's head branch

/**
 * Commits `effect.changes` on top of exactly `expectedHeadSha`, never forced.
 * First as one GraphQL `createCommitOnBranch` request: it fails unless the
 * branch still points at `expectedHeadOid` (a compare-and-swap), and GitHub
 * signs the commit. Where GitHub refuses that route (a fork's branch, a token
 * without it), the Git Data API does the same in three requests.
 */
export async function executeCommit(octokit: GitHub, effect: CommitEffect): Promise<{ sha: string }> {
  assertSafeCommit(effect);
  try {
    return await commitOnBranch(octokit, effect);
  } catch (error) {
    if (error instanceof BranchMovedError || !routeRefused(error)) throw error;
  }
  return commitWithGitData(octokit, effect);
}

const COMMIT_MUTATION = `mutation SepCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}`;

async function commitOnBranch(octokit: GitHub, effect: CommitEffect): Promise<{ sha: string }> {
  const [headline = "", ...rest] = effect.message.split("\n");
  const body = rest.join("\n").trim();
  const input = {
    branch: { repositoryNameWithOwner: `${effect.repo.owner}/${effect.repo.name}`, branchName: effect.branch },
    message: body ? { headline, body } : { headline },
    expectedHeadOid: effect.expectedHeadSha,
    fileChanges: {
      additions: effect.changes.filter((c) => c.content !== null).map((c) => ({ path: c.path, contents: Buffer.from(c.content!, "utf8").toString("base64") })),
      deletions: effect.changes.filter((c) => c.content === null).map((c) => ({ path: c.path })),
    },
  };
  try {
    const data = await octokit.graphql<{ createCommitOnBranch: { commit: { oid: string } | null } | null }>(COMMIT_MUTATION, { input });
    const oid = data.createCommitOnBranch?.commit?.oid;
    if (!oid) throw new PushDeniedError("createCommitOnBranch returned no commit", 422);
    return { sha: oid };
  } catch (error) {
    if (isStaleHead(error)) {
      throw new BranchMovedError(`${effect.repo.owner}/${effect.repo.name}@${effect.branch} no longer points at ${effect.expectedHeadSha}: ${apiMessage(error)}`);
    }
    throw error;
  }
}

interface GraphqlErrorDetail {
  type?: string;
  message?: string;
}

function graphqlErrors(error: unknown): GraphqlErrorDetail[] {
  const errors = (error as { errors?: unknown })?.errors;
  return Array.isArray(errors) ? (errors as GraphqlErrorDetail[]) : [];
}

/** `expectedHeadOid` was not the head: someone pushed meanwhile. */
function isStaleHead(error: unknown): boolean {
  return graphqlErrors(error).some((e) => e.type === "STALE_DATA" || /expected .*to point to|but it did not/i.test(e.message ?? ""));
}

/**
 * GitHub will not take this commit through GraphQL (no access to the branch's
 * repository through that route, an unknown branch there): try the Git Data API.
 * Rate limits and server errors are not refusals: the event fails and is retried.
 */
function routeRefused(error: unknown): boolean {
  if (error instanceof PushDeniedError) return true;
  const errors = graphqlErrors(error);
  if (errors.length) return errors.every((e) => ["FORBIDDEN", "NOT_FOUND", "UNPROCESSABLE", "INSUFFICIENT_SCOPES"].includes(e.type ?? "") || /not accessible|permission|not found|could not resolve/i.test(e.message ?? ""));
  return isRefusal(error);
}

/**
 * The Git Data route: tree (on the old tree) -> commit -> fast-forward the
 * branch. If the branch moved meanwhile the ref update fails and nothing
 * visible has changed (the tree and commit are unreferenced objects GitHub
 * collects later).
 */
async function commitWithGitData(octokit: GitHub, effect: CommitEffect): Promise<{ sha: string }> {
  const { owner, name: repo } = effect.repo;

  const tree = await denyOnRefusal("create the tree", () =>
    octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: effect.baseTreeSha,
      tree: effect.changes.map((change) =>
        change.content === null
          ? { path: change.path, mode: "100644" as const, type: "blob" as const, sha: null }
          : { path: change.path, mode: "100644" as const, type: "blob" as const, content: change.content },
      ),
    }),
  );
  const commit = await denyOnRefusal("create the commit", () =>
    octokit.rest.git.createCommit({ owner, repo, message: effect.message, tree: tree.data.sha, parents: [effect.expectedHeadSha] }),
  );
  await updateBranch(octokit, effect, commit.data.sha);
  return { sha: commit.data.sha };
}

/**
 * Defence in depth: the planner only renames and edits SEP files, so anything
 * else is a bug (or a crafted path) and must not reach the API.
 */
function assertSafeCommit(effect: CommitEffect): void {
  if (!effect.branch.trim()) throw new Error("refusing to commit: no branch");
  if (effect.changes.length === 0) throw new Error("refusing to commit: no changes");
  for (const { path } of effect.changes) {
    const problem = unsafePathReason(path) ?? kindProblem(effect.headModes?.[path]);
    if (problem) throw new Error(`refusing to commit ${JSON.stringify(path)}: ${problem}`);
  }
}

/**
 * A link or a submodule is someone else's kind of entry: written over, it
 * would become a file holding whatever sep-bot read (a link's target). The
 * last guard behind the planner, which never plans it.
 */
function kindProblem(mode: string | null | undefined): string | null {
  if (mode === undefined) return "the commit does not say what it is at the head";
  return mode === null || isRegularFile(mode) ? null : `it is ${describeMode(mode)} at the head, not a file`;
}

function unsafePathReason(path: string): string | null {
  if (!path) return "empty path";
  if (path.startsWith("/")) return "absolute path";
  if (path.includes("\\")) return "backslash in path";
  if (path.includes("..")) return "`..` in path";
  if (path.split("/").some((segment) => segment === "" || segment === ".")) return "empty or `.` path segment";
  if (/[\u0000-\u001f\u007f]/.test(path)) return "control character in path";
  if (path.toLowerCase().startsWith(".github/")) return "the bot never changes `.github/`";
  return null;
}

/** 403/404/422 while creating objects: the token may not write to that repository (unless it is a rate limit). */
async function denyOnRefusal<T>(step: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isRefusal(error)) throw new PushDeniedError(`could not ${step}: ${apiMessage(error)}`, httpStatus(error)!);
    throw error; // rate limits and 5xx: the event fails, the next one retries

  }
}

/**
 * `PATCH /git/refs/heads/<branch>` with `force: false`. Octokit would encode
 * the `/` of `feature/x` as `%2F`; we keep the slashes and encode each part
 * (a `#` or `%` in a branch name must not reach the URL raw).
 */
async function updateBranch(octokit: GitHub, effect: CommitEffect, sha: string): Promise<void> {
  const branch = effect.branch.split("/").map(encodeURIComponent).join("/");
  try {
    await octokit.request({
      method: "PATCH",
      url: `/repos/{owner}/{repo}/git/refs/heads/${branch}`,
      owner: effect.repo.owner,
      repo: effect.repo.name,
      sha,
      force: false,
    });
  } catch (error) {
    throw refError(error, effect);
  }
}

/** A race (the branch moved) is retried by re-reading; any other refusal is explained to the author. */
function refError(error: unknown, effect: CommitEffect): unknown {
  const status = httpStatus(error);
  const message = apiMessage(error);
  const where = `${effect.repo.owner}/${effect.repo.name}@${effect.branch}`;
  if (status === 409 || (status === 422 && /fast[- ]forward/i.test(message)))
    return new BranchMovedError(`${where} no longer points at ${effect.expectedHeadSha}: ${message}`);
  if (isRefusal(error)) return new PushDeniedError(`could not update ${where}: ${message}`, status!);
  return error;
}

// ---------------------------------------------------------------------------
// Everything else: labels, the check run, the status comment

/**
 * Performs the effects in order. One failure does not stop the rest (each
 * effect stands alone, and the next reconcile converges); the failures are
 * thrown together at the end so the delivery shows as failed.
 */
export async function executeEffects(octokit: GitHub, target: Target, effects: Effect[]): Promise<void> {
  const commit = effects.find((effect) => effect.kind === "commit");
  if (commit) throw new Error("executeEffects does not commit: use executeCommit and re-read first");

  const failures: Error[] = [];
  for (const effect of effects) {
    // The status comment holds the record of what ran, and the reaction on a command says it was handled;
    // written after a failed write, they would mark half-done work as done. Left as they were, the next
    // reconcile plans (and finishes) it all again.
    if ((effect.kind === "create-comment" || effect.kind === "update-comment" || effect.kind === "reaction") && failures.length) {
      failures.push(new Error(`${effect.kind} skipped: an earlier write failed, so the record of what ran is left for the next reconcile`));
      continue;
    }
    try {
      await execute(octokit, target, effect);
    } catch (error) {
      failures.push(new Error(`${effect.kind} failed: ${apiMessage(error)}`, { cause: error }));
    }
  }
  if (failures.length)
    throw new AggregateError(failures, `${failures.length} of ${effects.length} effects failed on ${describe(target)}`);
}

async function execute(octokit: GitHub, target: Target, effect: Effect): Promise<void> {
  const issue = { owner: target.owner, repo: target.repo, issue_number: target.number };
  const repo = { owner: target.owner, repo: target.repo };
  switch (effect.kind) {
    case "labels":
      // One request whatever changes (see LabelsEffect).
      if (effect.remove.length === 0) {
        if (effect.add.length) await octokit.rest.issues.addLabels({ ...issue, labels: effect.add });
        return;
      }
      if (effect.add.length === 0 && effect.remove.length === 1) {
        // Octokit encodes the name (spaces, slashes); 404: already gone.
        return ignoreNotFound(octokit.rest.issues.removeLabel({ ...issue, name: effect.remove[0]! }));
      }
      await octokit.rest.issues.setLabels({ ...issue, labels: effect.labels });
      return;
    case "check-run":
      return createCheckRun(octokit, target, effect);
    case "create-comment":
      await octokit.rest.issues.createComment({ ...issue, body: effect.body });
      return;
    case "update-comment":
      try {
        await octokit.rest.issues.updateComment({ ...repo, comment_id: effect.id, body: effect.body });
      } catch (error) {
        // Deleted meanwhile: the comment should exist, so create it again.
        if (httpStatus(error) !== 404) throw error;
        await octokit.rest.issues.createComment({ ...issue, body: effect.body });
      }
      return;
    case "delete-comment":
      return ignoreNotFound(octokit.rest.issues.deleteComment({ ...repo, comment_id: effect.id }));
    case "assignees":
      if (effect.add.length) await octokit.rest.issues.addAssignees({ ...issue, assignees: effect.add });
      if (effect.remove.length) await octokit.rest.issues.removeAssignees({ ...issue, assignees: effect.remove });
      return;
    case "pull-request-state":
      await octokit.rest.pulls.update({ ...repo, pull_number: target.number, state: effect.state });
      return;
    case "reaction":
      // GitHub answers 200 with the existing reaction when the bot has already reacted: idempotent.
      await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: effect.commentId, content: effect.content });
      return;
    case "reply":
      await octokit.rest.issues.createComment({ ...issue, body: effect.body });
      return;
    case "project-item":
      return setProjectItem(octokit, effect);
    case "create-issue":
      await executeCreateIssue(octokit, effect);
      return;
    case "issue-block":
      return setIssueBlock(octokit, effect);
    case "commit":
      throw new Error("commit effects go through executeCommit");
  }
}

// ---------------------------------------------------------------------------
// Issues in other repositories (the SDKs' implementation issues, the umbrella)

/**
 * Files an issue. Where sep-bot may not (the App is not installed there, a
 * workflow token that cannot write there, issues turned off, an archived
 * repository), says so instead of failing: the plan records the repository as
 * one sep-bot has no access to.
 */
export async function executeCreateIssue(octokit: GitHub, effect: CreateIssueEffect): Promise<{ number: number } | { noAccess: string }> {
  try {
    const { data } = await octokit.rest.issues.create({ owner: effect.repo.owner, repo: effect.repo.name, title: effect.title, body: effect.body, labels: effect.labels });
    return { number: data.number };
  } catch (error) {
    const status = httpStatus(error);
    if ((status === 401 || status === 403 || status === 404 || status === 410) && !isRateLimited(error)) return { noAccess: `${effect.repo.owner}/${effect.repo.name}` };
    throw error;
  }
}

/**
 * sep-bot's block of an issue's body, rewritten from what the issue says now
 * (people's text around it kept); nothing written when it is already so.
 * An umbrella sep-bot may not edit (deleted, locked to it, a body people
 * filled to GitHub's limit) does not hold the SEP's own writes back: the
 * list is tried again at the next reconcile, which finds it stale.
 */
async function setIssueBlock(octokit: GitHub, effect: IssueBlockEffect): Promise<void> {
  const target = { owner: effect.repo.owner, repo: effect.repo.name, issue_number: effect.number };
  try {
    const { data } = await octokit.rest.issues.get(target);
    const body = data.body ?? "";
    const next = withBlock(body, effect.sep, effect.block);
    if (next !== body) await octokit.rest.issues.update({ ...target, body: next });
  } catch (error) {
    const status = httpStatus(error);
    if ((status === 403 || status === 404 || status === 410 || status === 422) && !isRateLimited(error)) return;
    throw error;
  }
}

/**
 * A new completed run with the first 50 annotations, then one update per
 * further 50 (GitHub appends annotations on update; title and summary are
 * required with them, so they are sent again unchanged).
 */
async function createCheckRun(octokit: GitHub, target: Target, effect: CheckRunEffect): Promise<void> {
  const [first = [], ...rest] = batches(effect.annotations, ANNOTATIONS_PER_REQUEST);
  const created = await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    name: effect.name,
    head_sha: effect.headSha,
    status: "completed",
    conclusion: effect.conclusion,
    output: { title: effect.title, summary: effect.summary, text: effect.text, ...annotations(first) },
    ...(effect.actions?.length ? { actions: effect.actions } : {}),
  });
  for (const batch of rest) {
    await octokit.rest.checks.update({
      owner: target.owner,
      repo: target.repo,
      check_run_id: created.data.id,
      output: { title: effect.title, summary: effect.summary, ...annotations(batch) },
    });
  }
}

function annotations(batch: Annotation[]): { annotations?: Annotation[] } {
  return batch.length ? { annotations: batch } : {};
}


async function ignoreNotFound(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }
}

function describe(target: Target): string {
  return `${target.owner}/${target.repo}#${target.number}`;
}

// ---------------------------------------------------------------------------
// The project board (Projects v2)

const ADD_ITEM = `mutation SepProjectAdd($projectId: ID!, $contentId: ID!) {
  addProjectV2ItemById(input: { projectId: $projectId, contentId: $contentId }) { item { id } }
}`;
const SET_OPTION = `mutation SepProjectSet($projectId: ID!, $itemId: ID!, $fieldId: ID!, $optionId: String!) {
  updateProjectV2ItemFieldValue(input: { projectId: $projectId, itemId: $itemId, fieldId: $fieldId, value: { singleSelectOptionId: $optionId } }) { projectV2Item { id } }
}`;

/** Adding an item that is already on the board returns it (GitHub's documented behaviour): a retry adds nothing twice. */
async function setProjectItem(octokit: GitHub, effect: ProjectItemEffect): Promise<void> {
  let itemId = effect.itemId;
  if (!itemId) {
    const added = await octokit.graphql<{ addProjectV2ItemById: { item: { id: string } | null } | null }>(ADD_ITEM, { projectId: effect.projectId, contentId: effect.contentId });
    itemId = added.addProjectV2ItemById?.item?.id ?? null;
    if (!itemId) throw new Error("the project board did not return the new item");
  }
  if (effect.optionId) await octokit.graphql(SET_OPTION, { projectId: effect.projectId, itemId, fieldId: effect.fieldId, optionId: effect.optionId });
}
