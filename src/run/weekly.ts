import type { Probot } from "probot";
import { chatTarget } from "../notify/chat.js";
import type { Coordinator } from "../delivery/coordinator.js";
import { digest, findDigestIssue } from "../github/digest.js";
import type { GitHub } from "../github/graphql.js";
import { isoWeek } from "../process/digest/render.js";
import { defaultRules } from "../rules/load.js";
import { slotOf, startSchedule, type SweepLock } from "./schedule.js";
import { sweep, type SweepReport } from "../github/sweep.js";
import type { Logger } from "../github/reconcile.js";
import { Cron } from "croner";
import { repositories, type Target } from "./installations.js";

export type { Target };

/**
 * The server's weekly work: at each slot of the schedule (SEP_BOT_SCHEDULE,
 * else the bundled rules' `sweep.schedule`, Mondays 09:00 UTC), for every
 * installation and every repository it can see that has a SEP directory: the
 * sweep, then the digest. One instance runs each slot (the lock). A server
 * that was down at the slot catches up when it starts, if this week's slot
 * has passed and its digest is not there: the digest issue is the record.
 * A sweep that stops early (its write budget spent, or GitHub's rate limit)
 * is followed up an hour later, and again, until a run finishes.
 */

export interface WeeklyOptions {
  coordinator: Coordinator;
  lock: SweepLock;
  cron?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** How long after a sweep that stopped early its follow-up starts (default an hour). */
  followUpDelayMs?: number;
  /** Follow-ups after one scheduled sweep, at most (default 24: a day). */
  maxFollowUps?: number;
  /** After each repository's sweep (weekly or a follow-up) and digest: the live site reads it again. */
  afterSweep?: AfterSweep;
}

export type AfterSweep = (target: Target & { octokit: GitHub }) => Promise<void>;

/** A sweep that stopped with pull requests left: its budget spent, or GitHub's rate limit (whose hour has passed by the follow-up). */
export const stoppedEarly = (report: SweepReport): boolean => report.stoppedBy !== null && report.deferred.length > 0;

/** The sweep and the digest of one repository (the digest skipped where there are no SEPs); the sweep's report. */
export async function weeklyRun(octokit: GitHub, owner: string, repo: string, o: { coordinator: Coordinator; lock: SweepLock; log: Logger; env: NodeJS.ProcessEnv; now: () => Date }): Promise<SweepReport> {
  const report = await sweep(octokit, owner, repo, { dryRun: false, coordinator: o.coordinator, log: o.log, now: o.now });
  if (!report.read.hasSepDirectory) return report;
  // One digest a week per repository: two runs of one week (a second slot, a catch-up) never both
  // create the week's issue; the later one, an hour on, finds it and edits it.
  if (!(await o.lock.acquire(`digest:${owner}/${repo}:${isoWeek(o.now().toISOString())}`, 3600))) {
    o.log.info({ repo: `${owner}/${repo}` }, "digest: another run is posting this week's digest");
    return report;
  }
  let chat = null;
  try {
    chat = chatTarget(o.env);
  } catch (error) {
    o.log.warn({ repo: `${owner}/${repo}` }, `digest: no chat announcement: ${(error as Error).message}`);
  }
  await digest(octokit, owner, repo, { post: true, chat, log: o.log, now: o.now });
  return report;
}

export interface FollowUpOptions {
  coordinator: Coordinator;
  lock: SweepLock;
  now: () => Date;
  delayMs: number;
  max: number;
  afterSweep?: AfterSweep | undefined;
}

/** Work started and not finished yet, so that `stop()` can wait for it. */
function inFlight(): { track(work: Promise<unknown>): void; settled(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      const done: Promise<unknown> = work.then(
        () => running.delete(done),
        () => running.delete(done),
      );
      running.add(done);
    },
    settled: async () => void (await Promise.all(running)),
  };
}

/**
 * Follow-up sweeps (only the sweep: the week's digest is out). The delay
 * spreads the writes over hours, under GitHub's limits on content creation
 * and without a burst of notifications. Each follow-up is a lock slot named
 * by its repository, the hour it is due and its number: across instances,
 * one runs it. Timers never keep the process alive; `stop()` cancels them
 * and resolves once a follow-up already running is done.
 */
export function startFollowUps(app: Probot, o: FollowUpOptions): { schedule(target: Target, n?: number): void; stop(): Promise<void> } {
  const log: Logger = { info: (obj, m) => app.log.info(obj as object, m), warn: (obj, m) => app.log.warn(obj as object, m) };
  const pending = new Map<string, NodeJS.Timeout>();
  const running = inFlight();
  let stopped = false;
  const schedule = (target: Target, n = 1): void => {
    const name = `${target.owner}/${target.repo}`;
    if (stopped || pending.has(name)) return;
    if (n > o.max) {
      app.log.warn({ repo: name }, `sweep of ${name}: still stopped early after ${o.max} follow-ups; the rest waits for the next slot`);
      return;
    }
    const due = new Date(o.now().getTime() + o.delayMs);
    const slot = `follow-up:${name}:${due.toISOString().slice(0, 13)}:00Z#${n}`;
    app.log.info({ repo: name }, `sweep of ${name} stopped early: follow-up ${n} at ${due.toISOString()}`);
    const run = async () => {
      if (!(await o.lock.acquire(slot, 6 * 3600))) return app.log.info(`${slot}: another instance runs it`);
      const octokit = (await app.auth(target.installation)) as unknown as GitHub;
      const report = await sweep(octokit, target.owner, target.repo, { dryRun: false, coordinator: o.coordinator, log, now: o.now });
      if (stoppedEarly(report)) schedule(target, n + 1);
      await o.afterSweep?.({ ...target, octokit });
    };
    const timer = setTimeout(() => {
      pending.delete(name);
      running.track(run().catch((error: unknown) => app.log.warn({ err: error, repo: name }, `${slot} failed`)));
    }, o.delayMs);
    timer.unref();
    pending.set(name, timer);
  };
  return {
    schedule,
    stop() {
      stopped = true;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      return running.settled();
    },
  };
}

/** Starts the schedule; `stop()` ends it, cancels pending follow-ups, and resolves once the work in flight is done. */
export function startWeekly(app: Probot, options: WeeklyOptions): { stop(): Promise<void>; next(): Date | null } {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const cron = options.cron ?? env.SEP_BOT_SCHEDULE ?? defaultRules().sweep.schedule;
  const log: Logger = { info: (o, m) => app.log.info(o as object, m), warn: (o, m) => app.log.warn(o as object, m) };
  const followUps = startFollowUps(app, { coordinator: options.coordinator, lock: options.lock, now, delayMs: options.followUpDelayMs ?? 3600_000, max: options.maxFollowUps ?? 24, afterSweep: options.afterSweep });
  const running = inFlight();
  let stopped = false;
  const everywhere = async (label: string, onlyMissing: boolean) => {
    for await (const target of repositories(app)) {
      const { octokit, owner, repo } = target;
      if (stopped) return;
      try {
        if (onlyMissing && (await findDigestIssue(octokit, owner, repo, defaultRules().digest.label, isoWeek(now().toISOString())))) continue;
        const report = await weeklyRun(octokit, owner, repo, { coordinator: options.coordinator, lock: options.lock, log, env, now });
        if (stoppedEarly(report)) followUps.schedule(target);
        if (report.read.hasSepDirectory) await options.afterSweep?.(target);
      } catch (error) {
        // One repository's failure (a permission, a rate limit) never stops the others.
        app.log.warn({ err: error, repo: `${owner}/${repo}` }, `weekly ${label}: ${owner}/${repo} failed`);
      }
    }
  };
  const schedule = startSchedule({
    cron,
    lock: options.lock,
    log: { info: (m) => app.log.info(m), warn: (o, m) => app.log.warn(o, m) },
    run: (slot) => {
      const work = everywhere(slot, false);
      running.track(work);
      return work;
    },
  });
  app.log.info(`sep-bot: weekly sweep and digest on "${cron}" (UTC); next ${schedule.next()?.toISOString() ?? "never"}`);

  // Catching up: this week's slot has passed while no instance was running. The slot's own lock:
  // an instance that started while another runs (or ran) the slot leaves it to that one.
  const pattern = new Cron(cron, { timezone: "UTC" });
  const last = pattern.previousRuns(1, now())[0];
  if (last && isoWeek(last.toISOString()) === isoWeek(now().toISOString())) {
    const slot = slotOf(pattern, last);
    running.track(
      options.lock
        .acquire(slot, 6 * 3600)
        .then((mine) => (mine ? everywhere(`catch-up ${slot}`, true) : undefined))
        .catch((error: unknown) => app.log.warn({ err: error }, "weekly catch-up failed")),
    );
  }
  return {
    next: () => schedule.next(),
    async stop() {
      stopped = true;
      schedule.stop();
      await Promise.all([running.settled(), followUps.stop()]);
    },
  };
}
