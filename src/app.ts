import type { Context, Probot } from "probot";
import { CHECK_NAME } from "./process/check.js";
import type { Trigger } from "./process/snapshot.js";
import { reconcile, type ReconcileOptions } from "./reconcile.js";

/**
 * Probot wiring: every event that can change a SEP pull request's desired
 * state runs the same reconcile for that PR. Handlers keep no state, so
 * retries, duplicates and several instances are all safe.
 */
export interface SepBotOptions {
  /** The app's bot login ("sep-bot[bot]"); read from GET /app once when not given. */
  botLogin?: string;
  dryRun?: boolean;
  now?: () => Date;
}

const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.reopened",
  "pull_request.synchronize",
  "pull_request.edited",
  "pull_request.labeled",
  "pull_request.unlabeled",
  "pull_request.ready_for_review",
  "pull_request.closed",
] as const;

export function sepBot(options: SepBotOptions = {}) {
  return (app: Probot) => {
    const dryRun = options.dryRun ?? process.env.DRY_RUN === "true";
    let botLogin: Promise<string> | undefined = options.botLogin ? Promise.resolve(options.botLogin) : undefined;
    const login = async (context: Context) => {
      botLogin ??= resolveBotLogin(app, context);
      return botLogin;
    };

    const run = async (context: Context, owner: string, repo: string, number: number, defaultBranch: string, trigger: Trigger) => {
      const reconcileOptions: ReconcileOptions = { dryRun, log: context.log, ...(options.now ? { now: options.now } : {}) };
      await reconcile(context.octokit, { owner, repo, number, defaultBranch, trigger, botLogin: await login(context) }, reconcileOptions);
    };

    app.on([...PULL_REQUEST_EVENTS], async (context) => {
      const { payload } = context;
      const pr = payload.pull_request;
      const actor = payload.sender?.login ?? "";
      let trigger: Trigger;
      if (payload.action === "labeled" || payload.action === "unlabeled") {
        trigger = { kind: "label", actor, label: payload.label?.name ?? "", added: payload.action === "labeled" };
      } else if (payload.action === "closed") {
        trigger = { kind: "closed", actor };
      } else if (payload.action === "synchronize" || payload.action === "opened") {
        // The sender of these is the person whose commits are now the head.
        trigger = { kind: "push", actor };
      } else {
        trigger = { kind: "rerun", actor };
      }
      await run(context, payload.repository.owner.login, payload.repository.name, pr.number, payload.repository.default_branch, trigger);
    });

    app.on(["check_run.rerequested", "check_suite.rerequested"], async (context) => {
      const { payload } = context;
      const owner = payload.repository.owner.login;
      const repo = payload.repository.name;
      let headSha: string;
      let numbers: number[];
      if ("check_run" in payload) {
        if (payload.check_run.name !== CHECK_NAME) return;
        headSha = payload.check_run.head_sha;
        numbers = payload.check_run.pull_requests.map((p) => p.number);
      } else {
        headSha = payload.check_suite.head_sha;
        numbers = payload.check_suite.pull_requests.map((p) => p.number);
      }
      if (numbers.length === 0) {
        // Fork PRs are not listed in check payloads; find them by the head commit.
        const { data } = await context.octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: headSha });
        numbers = data.filter((p) => p.state === "open" && p.head.sha === headSha).map((p) => p.number);
      }
      for (const number of numbers) {
        await run(context, owner, repo, number, payload.repository.default_branch, { kind: "rerun", actor: payload.sender.login });
      }
    });
  };
}

async function resolveBotLogin(app: Probot, context: Context): Promise<string> {
  if (process.env.BOT_LOGIN) return process.env.BOT_LOGIN;
  try {
    const octokit = await app.auth(); // app-level (JWT) client
    const { data } = await octokit.rest.apps.getAuthenticated();
    if (data?.slug) return `${data.slug}[bot]`;
  } catch (error) {
    context.log.warn({ err: error }, "could not read the app's login; set BOT_LOGIN");
  }
  return "sep-bot[bot]";
}
