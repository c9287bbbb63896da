import { BranchMovedError, PushDeniedError } from "./errors.js";
import { executeCommit, executeCreateIssue, executeEffects } from "./execute.js";
import { readSnapshot } from "./read/snapshot.js";
import type { GitHub } from "./graphql.js";
import type { ReadInput } from "./read/pull-request.js";
import type { CommitEffect, CreateIssueEffect, Plan } from "../governance/model/effects.js";
import type { Carried } from "../governance/plan.js";
import { plan } from "../governance/plan.js";
import type { Snapshot } from "../governance/model/snapshot.js";
import type { Logger } from "../shared/logger.js";

/**
 * The reconcile loop, the same for every trigger: read the PR's current
 * state, plan the desired state, apply only the difference. A commit to the
 * head branch goes first and on its own: once it lands, the rest of the plan
 * is recomputed for the new head (check run on the new commit). If the branch
 * moved under us, start over from a fresh read; never force-push.
 */

export interface ReconcileOptions {
  dryRun: boolean;
  now?: () => Date;
  log: Logger;
  /** The check run may offer "Fix these" (default); false where no App server receives the press (Actions). */
  fixButton?: boolean;
}

const MAX_ATTEMPTS = 3;
/** Filing the SDKs' issues, then the umbrella: two passes; a third would mean the planner does not converge. */
const MAX_ISSUE_PASSES = 3;

export interface ReconcileResult {
  plan: Plan;
  /** Writes made (or, in a dry run, planned): the commit and every effect. */
  writes: number;
  /** The bot's own login, as the token's GraphQL `viewer` says. */
  botLogin: string;
  /** The commit made before the plan (its first line), when there was one: `plan` is what followed it. */
  commit: string | null;
}

export async function reconcile(octokit: GitHub, input: ReadInput, options: ReconcileOptions): Promise<ReconcileResult> {
  const now = options.now ?? (() => new Date());
  for (let attempt = 1; ; attempt++) {
    const { snapshot: read, rules } = await readSnapshot(octokit, input);
    const snapshot: Snapshot = options.fixButton === false ? { ...read, fixButton: false } : read;
    let current = plan(snapshot, rules, now());
    const target = `${input.owner}/${input.repo}#${input.number}`;
    if (options.dryRun) {
      options.log.info({ pr: target, effects: current.effects, reasons: current.reasons }, "DRY_RUN: planned, nothing written");
      return { plan: current, botLogin: snapshot.botLogin, writes: current.effects.length, commit: null };
    }
    const commit = current.effects.find((e): e is CommitEffect => e.kind === "commit");
    let committed = 0;
    let made: string | null = null;
    if (commit) {
      committed = 1;
      let next: Snapshot;
      // What the first plan handled is carried to the plan for the new head: answered again, never done twice.
      let carry: Carried = {};
      try {
        const { sha } = await executeCommit(octokit, commit);
        options.log.info({ pr: target, sha }, `committed: ${commit.summary}`);
        made = commit.message.split("\n")[0]!;
        next = afterCommit(snapshot, commit, sha, now());
        carry = current.carry;
      } catch (error) {
        if (error instanceof BranchMovedError && attempt < MAX_ATTEMPTS) {
          options.log.warn({ pr: target, attempt }, "head branch moved while committing; reading it again");
          continue;
        }
        if (!(error instanceof PushDeniedError)) throw error;
        options.log.warn({ pr: target, status: error.status }, `cannot push to the head branch: ${error.message}`);
        next = { ...snapshot, pushDenied: `GitHub refused the push (${error.status})` };
        // The commands' other effects (labels, assignees, replies) still apply; their file lines go to the author.
      }
      current = plan(next, rules, now(), carry);
      if (current.effects.some((e) => e.kind === "commit")) {
        // A second commit in one reconcile would mean the planner does not converge: stop, loudly.
        throw new Error(`reconcile of ${target} planned a second commit; refusing to loop`);
      }
    }
    // Issues to file in other repositories (the SDKs' implementation, governance/sdks/): filed apart, then all is
    // read and planned again, which finds them, so nothing is filed twice; a plan that asks for the SDK
    // repositories to be read (tracking just asked for) gets the same second look.
    let filed = 0;
    for (let pass = 1; ; pass++) {
      const issues = current.effects.filter((e): e is CreateIssueEffect => e.kind === "create-issue");
      if (!issues.length && !current.carry.readTracking) break;
      if (pass > MAX_ISSUE_PASSES) throw new Error(`reconcile of ${target} keeps filing issues; refusing to loop`);
      const noAccess: string[] = [];
      for (const issue of issues) {
        const result = await executeCreateIssue(octokit, issue);
        filed++;
        if ("noAccess" in result) {
          noAccess.push(result.noAccess);
          options.log.warn({ pr: target, repo: result.noAccess }, `cannot file ${issue.what}'s issue: no access`);
        } else options.log.info({ pr: target, issue: `${issue.repo.owner}/${issue.repo.name}#${result.number}` }, `filed ${issue.what}'s issue`);
      }
      const again = await readSnapshot(octokit, { ...input, tracking: true });
      const fresh: Snapshot = options.fixButton === false ? { ...again.snapshot, fixButton: false } : again.snapshot;
      current = plan(fresh, again.rules, now(), { ...current.carry, noAccess: [...(current.carry.noAccess ?? []), ...noAccess], readTracking: false });
      if (current.effects.some((e) => e.kind === "commit")) throw new Error(`reconcile of ${target} planned a commit after filing issues; refusing to loop`);
    }
    options.log.info({ pr: target, reasons: current.reasons }, current.effects.length ? "applying plan" : "already reconciled");
    await executeEffects(octokit, { owner: input.owner, repo: input.repo, number: input.number }, current.effects);
    return { plan: current, botLogin: snapshot.botLogin, writes: committed + filed + current.effects.length, commit: made };
  }
}

/** The snapshot as it is once the bot's commit landed: new head, new file text, old check run gone. */
export function afterCommit(snapshot: Snapshot, commit: CommitEffect, sha: string, now: Date): Snapshot {
  const written = commit.changes.filter((c) => c.content !== null);
  const deleted = new Set(commit.changes.filter((c) => c.content === null).map((c) => c.path));
  const files = snapshot.files
    .filter((f) => !deleted.has(f.path) || written.some((w) => w.path === f.path))
    .map((f) => {
      const w = written.find((c) => c.path === f.path);
      return w ? { ...f, headText: w.content, headSize: Buffer.byteLength(w.content ?? "") } : f;
    });
  for (const w of written) {
    if (files.some((f) => f.path === w.path)) continue;
    const source = snapshot.files.find((f) => deleted.has(f.path));
    files.push({ path: w.path, change: source?.change ?? "added", previousPath: null, headText: w.content, headSize: Buffer.byteLength(w.content ?? ""), baseText: null });
  }
  return {
    ...snapshot,
    pr: { ...snapshot.pr, headSha: sha, headTreeSha: "" },
    files,
    checkRun: null,
    // A commit made only for commands needs no line of its own: each command has its audit line.
    recentActions: [...(snapshot.recentActions ?? []), ...(commit.summary ? [{ at: now.toISOString(), by: null, what: commit.summary }] : [])],
  };
}

