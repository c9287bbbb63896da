import { z } from "zod";
import { CHECK_NAME, FIX_ACTION } from "../governance/check/check-run.js";
import { trigger, type Target, type Trigger } from "../governance/model/trigger.js";
import type { GitHub } from "./graphql.js";

/**
 * Webhook payload -> the pull requests to reconcile and what the event says
 * happened. The server (Probot) and `sep-bot action` (one event from a
 * workflow) both come through here, so they handle the same events the same
 * way. Only the few fields used are read, through a zod schema: a payload
 * missing one is ignored with a reason, never a crash.
 */


export interface Routed {
  targets: Target[];
  trigger: Trigger;
}

/** Why an event needs no reconcile (for the log), or the work it asks for. */
export type Routing = { skip: string } | Routed;

/** The pull_request actions that can change what a SEP pull request should look like. */
export const PULL_REQUEST_ACTIONS = [
  "opened",
  "reopened",
  "synchronize",
  "edited",
  "labeled",
  "unlabeled",
  "assigned",
  "unassigned",
  "ready_for_review",
  "closed",
] as const;

const Login = z.object({ login: z.string().min(1) });
const Repository = z.object({ name: z.string().min(1), owner: Login, default_branch: z.string().min(1) });

const PullRequestPayload = z.object({
  action: z.string(),
  repository: Repository,
  sender: Login,
  label: z.object({ name: z.string() }).nullish(),
  before: z.string().optional(),
  pull_request: z.object({ number: z.number().int().positive(), head: z.object({ sha: z.string() }), base: z.object({ sha: z.string() }).optional() }),
});

const CheckPayload = z.object({
  action: z.string(),
  repository: Repository,
  sender: Login,
  check_run: z
    .object({ name: z.string(), head_sha: z.string(), pull_requests: z.array(z.object({ number: z.number().int().positive() })) })
    .optional(),
  check_suite: z.object({ head_sha: z.string(), pull_requests: z.array(z.object({ number: z.number().int().positive() })) }).optional(),
  requested_action: z.object({ identifier: z.string() }).nullish(),
});

const CommentPayload = z.object({
  action: z.string(),
  repository: Repository,
  sender: Login.extend({ type: z.string().optional() }),
  issue: z.object({ number: z.number().int().positive(), pull_request: z.unknown().optional() }),
  comment: z.object({ id: z.number().int().positive(), body: z.string().nullable(), user: Login.extend({ type: z.string().optional() }).nullable() }),
});

function base(repository: z.infer<typeof Repository>) {
  return { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
}

/**
 * Routes one event. `findPullRequests` resolves a check's head commit to its
 * pull requests when GitHub does not list them (it never lists forks' PRs).
 * `mayHoldCommand` decides, from the comment text alone, whether a comment
 * is worth a reconcile (most comments are conversation and cost nothing).
 */
export async function route(
  name: string,
  payload: unknown,
  findPullRequests: (owner: string, repo: string, sha: string) => Promise<number[]>,
  mayHoldCommand: (body: string) => boolean,
): Promise<Routing> {
  if (name === "pull_request" || name === "pull_request_target") {
    const parsed = PullRequestPayload.safeParse(payload);
    if (!parsed.success) return { skip: `${name} payload without the fields sep-bot reads` };
    const p = parsed.data;
    if (!(PULL_REQUEST_ACTIONS as readonly string[]).includes(p.action)) return { skip: `${name}.${p.action} changes nothing sep-bot keeps` };
    const actor = p.sender.login;
    // Who made the head: the pusher (synchronize), the author (opened). Reopening pushes nothing, so it endorses nothing.
    const before = p.action === "synchronize" ? p.before : p.action === "opened" ? p.pull_request.base?.sha : undefined;
    const sha = /^[0-9a-f]{40}$/;
    const pushed = (p.action === "opened" || p.action === "synchronize") && sha.test(p.pull_request.head.sha);
    const labelled = (p.action === "labeled" || p.action === "unlabeled") && p.label?.name;
    return {
      targets: [{ ...base(p.repository), number: p.pull_request.number }],
      trigger: trigger({
        events: [`pull_request.${p.action}`],
        actors: [actor],
        pushes: pushed ? [{ actor, sha: p.pull_request.head.sha, ...(before && sha.test(before) ? { before } : {}) }] : [],
        labels: labelled ? [{ actor, label: p.label!.name, added: p.action === "labeled" }] : [],
      }),
    };
  }

  if (name === "check_run" || name === "check_suite") {
    const parsed = CheckPayload.safeParse(payload);
    if (!parsed.success) return { skip: `${name} payload without the fields sep-bot reads` };
    const p = parsed.data;
    // The check run's "Fix these" button: who pressed it asks for sep-bot's fixes (the plan decides whether they may).
    const fix = name === "check_run" && p.action === "requested_action" && p.requested_action?.identifier === FIX_ACTION;
    if (p.action !== "rerequested" && !fix) return { skip: `${name}.${p.action} is not a re-run request` };
    const check = name === "check_run" ? p.check_run : p.check_suite;
    if (!check) return { skip: `${name} payload without its ${name}` };
    if (p.check_run && name === "check_run" && p.check_run.name !== CHECK_NAME) return { skip: `re-run of another check (${p.check_run.name})` };
    const where = base(p.repository);
    let numbers = check.pull_requests.map((pr) => pr.number);
    // Fork PRs are not listed in check payloads; find them by the head commit.
    if (numbers.length === 0) numbers = await findPullRequests(where.owner, where.repo, check.head_sha);
    if (numbers.length === 0) return { skip: `no open pull request has ${check.head_sha} as its head` };
    return {
      targets: [...new Set(numbers)].map((number) => ({ ...where, number })),
      trigger: trigger({ events: [`${name}.${p.action}`], actors: [p.sender.login], ...(fix ? { fixes: [p.sender.login], ...(/^[0-9a-f]{40}$/.test(check.head_sha) ? { fixHeads: [check.head_sha] } : {}) } : {}) }),
    };
  }

  if (name === "issue_comment") {
    const parsed = CommentPayload.safeParse(payload);
    if (!parsed.success) return { skip: "issue_comment payload without the fields sep-bot reads" };
    const p = parsed.data;
    if (!p.issue.pull_request) return { skip: "a comment on an issue, not a pull request" };
    if (p.action === "deleted") return { skip: "a deleted comment runs nothing" };
    if (p.action !== "created" && p.action !== "edited") return { skip: `issue_comment.${p.action}` };
    const author = p.comment.user;
    if (!author || author.type === "Bot" || /\[bot\]$/i.test(author.login)) return { skip: "comments by bots run nothing" };
    if (!mayHoldCommand(p.comment.body ?? "")) return { skip: "a comment without a command" };
    return {
      targets: [{ ...base(p.repository), number: p.issue.number }],
      trigger: trigger({ events: [`issue_comment.${p.action}`], actors: [author.login], comments: [p.comment.id] }),
    };
  }

  return { skip: `${name} events are not handled` };
}

/** Open pull requests whose head is `sha`, through REST (the only API that answers by commit). */
export async function pullRequestsWithHead(octokit: GitHub, owner: string, repo: string, sha: string): Promise<number[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
  return data.filter((p) => p.state === "open" && p.head.sha === sha).map((p) => p.number);
}
