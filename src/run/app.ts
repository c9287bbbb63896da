import type { Probot } from "probot";
import { MemoryCoordinator, pullRequestKey, ShuttingDownError, type Coordinator } from "../delivery/coordinator.js";
import type { RetryQueue } from "../delivery/retries.js";
import { pullRequestsWithHead, route } from "../github/events.js";
import type { Target } from "../governance/model/trigger.js";
import type { GitHub } from "../github/graphql.js";
import { sameLogin } from "../shared/logins.js";
import { mayHoldCommand } from "../governance/commands/parse.js";
import { mergeTriggers, onlyBy, trigger, type Trigger } from "../governance/model/trigger.js";
import { reconcile, type ReconcileResult } from "../github/reconcile.js";
import type { Logger } from "../shared/logger.js";
import { repositoriesOf, type InstalledRepository } from "../github/installations.js";

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
  /** Where failed reconciles wait to be tried again (the server's); without it, a failure waits for the next event. */
  retries?: RetryQueue;
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
  onInstalled?: (repositories: InstalledRepository[]) => void;
  /** The check run may offer "Fix these" (default); false where no App server receives the press (Actions). */
  fixButton?: boolean;
  /** What each event came to: why it needed nothing, or a reconcile's result (the Action's step summary). Must not throw. */
  onOutcome?: (outcome: EventOutcome) => void;
}

export type EventOutcome = { skipped: string } | { target: Target; result: ReconcileResult };

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

    /** One reconcile of `target`, through the coordinator: never beside another of the same PR. */
    const reconcileThrough = (octokit: GitHub, log: Logger, target: Target, trigger: Trigger) =>
      coordinator.enqueue(pullRequestKey(target.owner, target.repo, target.number), trigger, async (merged, run) => {
        const login = await reconcileTarget(octokit, log, target, merged, {
          bot: identity.login,
          followUp: run.followUp,
          dryRun,
          now: options.now,
          fixButton: options.fixButton,
          onResult: (result) => options.onOutcome?.({ target, result }),
        });
        if (login) identity.login = login;
        options.onReconciled?.(octokit, target);
      });

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
        options.onOutcome?.({ skipped: routing.skip });
        return;
      }
      const claim = await coordinator.claim(context.id);
      if (!claim) {
        context.log.info({ event: context.name, delivery: context.id }, "duplicate delivery: already handled");
        return;
      }
      const outcomes = await Promise.allSettled(routing.targets.map((target) => reconcileThrough(context.octokit as GitHub, context.log, target, routing.trigger)));
      const failures = outcomes.flatMap((outcome, i) => (outcome.status === "rejected" ? [{ target: routing.targets[i]!, error: outcome.reason as unknown }] : []));
      if (failures.length === 0) return claim.done();
      await claim.release(); // a redelivery of this id runs again
      // GitHub sends no delivery again by itself: the retries follow through (not after a stop: another instance has it).
      const installation = (context.payload as { installation?: { id?: unknown } }).installation?.id;
      for (const { target, error } of failures) {
        if (error instanceof ShuttingDownError || !options.retries) continue;
        const where = { installation: typeof installation === "number" ? installation : null, ...target };
        await options.retries.failed(pullRequestKey(target.owner, target.repo, target.number), where, routing.trigger, error).catch((e: unknown) => context.log.warn({ err: e }, "could not record the failed reconcile for a retry"));
      }
      throw failures.length === 1 ? failures[0]!.error : new AggregateError(failures.map((f) => f.error), `${failures.length} reconciles failed`);
    });

    options.retries?.start(async (retry) => {
      const octokit = (await app.auth(retry.target.installation ?? undefined)) as unknown as GitHub;
      await reconcileThrough(octokit, app.log, retry.target, mergeTriggers(retry.trigger, trigger({ events: ["retry"] })));
    }, app.log);

    const onInstalled = options.onInstalled;
    if (onInstalled) {
      app.on([...INSTALL_EVENTS], async (context) => {
        const payload = context.payload as InstallPayload;
        const installation = payload.installation?.id;
        if (typeof installation !== "number") return;
        const claim = await coordinator.claim(context.id);
        if (!claim) {
          context.log.info({ event: context.name, delivery: context.id }, "duplicate delivery: already handled");
          return;
        }
        // Both payloads list the repositories (an install on "all repositories" too); an install
        // without the list (an older GitHub Enterprise) asks the installation what it can see.
        const listed = context.name === "installation" ? payload.repositories : payload.repositories_added;
        let repositories: InstalledRepository[];
        try {
          repositories = listed
            ? listed.flatMap((r) => {
                const [owner, repo] = (r.full_name ?? "").split("/");
                return owner && repo ? [{ installation, owner, repo, private: r.private !== false }] : [];
              })
            : (await repositoriesOf(app, installation)).map(({ octokit: _client, ...repository }) => repository);
        } catch (error) {
          await claim.release();
          throw error;
        }
        await claim.done();
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
  fixButton?: boolean | undefined;
  onResult?: (result: ReconcileResult) => void;
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
  const result = await reconcile(octokit, { ...target, trigger, ...(bot ? { botLogin: bot } : {}) }, { dryRun: run.dryRun, log, fixButton: run.fixButton, ...(run.now ? { now: run.now } : {}) });
  run.onResult?.(result);
  return result.botLogin;
}
