import type { Probot } from "probot";
import { MemoryCoordinator, pullRequestKey, type Coordinator } from "../delivery/coordinator.js";
import { pullRequestsWithHead, route, type Target } from "../github/events.js";
import type { GitHub } from "../github/graphql.js";
import { sameLogin } from "../process/authority.js";
import { mayHoldCommand } from "../process/commands/parse.js";
import { onlyBy, type Trigger } from "../process/trigger.js";
import { reconcile, type Logger } from "../github/reconcile.js";
import type { Target as Repository } from "./installations.js";

/**
 * Probot wiring. Every event that can change what a SEP pull request should
 * look like becomes one trigger for that PR; the coordinator skips delivery
 * ids it has seen and runs at most one reconcile per PR at a time, merging
 * whatever arrives meanwhile into one follow-up run.
 */
export interface SepBotOptions {
  /** The app's bot login ("sep-bot[bot]"); by default learnt from the token on the first reconcile. */
  botLogin?: string;
  dryRun?: boolean;
  now?: () => Date;
  /** How deliveries are serialised: in this process (default) or through Redis. */
  coordinator?: Coordinator;
  /** Log events that need no reconcile at info, not debug (one event per process, as in Actions). */
  explainSkips?: boolean;
  /** After each reconcile that ran (the live site reads the pull request again). Must not throw. */
  onReconciled?: (octokit: GitHub, target: Target) => void;
  /**
   * The App was installed (`installation.created`), or repositories were added
   * to an installation (`installation_repositories.added`): those repositories,
   * for their first sweep (the server schedules it). Without it, those events
   * are not handled. Must not throw.
   */
  onInstalled?: (repositories: Repository[]) => void;
}

/** GitHub sends these to every App (no subscription in app.yml): the server's install-day sweep. */
export const INSTALL_EVENTS = ["installation.created", "installation_repositories.added"] as const;

interface InstallPayload {
  installation?: { id?: number };
  repositories?: Array<{ name?: string; full_name?: string; private?: boolean }>;
  repositories_added?: Array<{ name?: string; full_name?: string; private?: boolean }>;
}

export const EVENTS = ["pull_request", "check_run", "check_suite", "issue_comment"] as const;

export function sepBot(options: SepBotOptions = {}) {
  return (app: Probot) => {
    const dryRun = options.dryRun ?? process.env.DRY_RUN === "true";
    const coordinator = options.coordinator ?? new MemoryCoordinator();
    app.log.info(`sep-bot: ${coordinator.description}`);
    // Who the bot is, to recognise its own writes coming back as webhooks: the
    // token's own login once a reconcile has read it (GraphQL `viewer`).
    const identity = { login: options.botLogin ?? process.env.BOT_LOGIN ?? null };

    app.on([...EVENTS], async (context) => {
      const routing = await route(
        context.name,
        context.payload,
        (owner, repo, sha) => pullRequestsWithHead(context.octokit as GitHub, owner, repo, sha),
        mayHoldCommand,
      );
      if ("skip" in routing) {
        const level = options.explainSkips ? "info" : "debug";
        context.log[level]({ event: context.name, delivery: context.id }, `nothing to do: ${routing.skip}`);
        return;
      }
      if (!(await coordinator.claim(context.id))) {
        context.log.info({ event: context.name, delivery: context.id }, "duplicate delivery: already handled");
        return;
      }
      try {
        await Promise.all(
          routing.targets.map((target) =>
            coordinator.enqueue(pullRequestKey(target.owner, target.repo, target.number), routing.trigger, async (trigger, run) => {
              const login = await reconcileTarget(context.octokit as GitHub, context.log, target, trigger, { bot: identity.login, followUp: run.followUp, dryRun, now: options.now });
              if (login) identity.login = login;
              options.onReconciled?.(context.octokit as GitHub, target);
            }),
          ),
        );
      } catch (error) {
        await coordinator.forget(context.id); // a redelivery of this id should run again
        throw error;
      }
    });

    const onInstalled = options.onInstalled;
    if (onInstalled) {
      app.on([...INSTALL_EVENTS], async (context) => {
        const payload = context.payload as InstallPayload;
        const installation = payload.installation?.id;
        if (typeof installation !== "number") return;
        if (!(await coordinator.claim(context.id))) {
          context.log.info({ event: context.name, delivery: context.id }, "duplicate delivery: already handled");
          return;
        }
        // Both payloads list the repositories (an install on "all repositories" too); an install
        // without the list (an older GitHub Enterprise) asks the installation what it can see.
        let listed = context.name === "installation" ? payload.repositories : payload.repositories_added;
        try {
          listed ??= await (context.octokit as GitHub).paginate((context.octokit as GitHub).rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
        } catch (error) {
          await coordinator.forget(context.id);
          throw error;
        }
        const repositories = (listed ?? []).flatMap((r) => {
          const [owner, repo] = (r.full_name ?? "").split("/");
          return owner && repo ? [{ installation, owner, repo, private: r.private !== false }] : [];
        });
        context.log.info({ event: context.name, repositories: repositories.map((r) => `${r.owner}/${r.repo}`) }, `installed on ${repositories.length} repositor${repositories.length === 1 ? "y" : "ies"}: their first sweep is scheduled`);
        if (repositories.length) onInstalled(repositories);
      });
    }
  };
}

export interface RunOptions {
  /** The bot's login when known; null until the first reconcile learns it. */
  bot: string | null;
  followUp: boolean;
  dryRun: boolean;
  now?: (() => Date) | undefined;
}

/**
 * One reconcile of one PR, unless all that happened since the last one (which
 * succeeded, in this holder) was the bot's own writes coming back: that run
 * made them and planned past them. Returns the bot's login as read.
 */
export async function reconcileTarget(octokit: GitHub, log: Logger, target: Target, trigger: Trigger, run: RunOptions): Promise<string | null> {
  const pr = `${target.owner}/${target.repo}#${target.number}`;
  const bot = run.bot;
  if (run.followUp && bot && onlyBy(trigger, (actor) => sameLogin(actor, bot))) {
    log.info({ pr, events: trigger.events }, "only the bot's own writes since the last reconcile: nothing to do");
    return bot;
  }
  const result = await reconcile(octokit, { ...target, trigger, ...(bot ? { botLogin: bot } : {}) }, { dryRun: run.dryRun, log, ...(run.now ? { now: run.now } : {}) });
  return result.botLogin;
}
