import type { Probot } from "probot";
import { chatAnnouncer, chatTarget } from "../../notify/chat.js";
import type { Coordinator } from "../../delivery/coordinator.js";
import { digest, findWeekDigest } from "../../github/digest.js";
import type { GitHub } from "../../github/graphql.js";
import { isoWeek } from "../../reports/digest/render.js";
import { defaultRules } from "../../rules/load.js";
import { slotOf, startSchedule, type SweepLock } from "./schedule.js";
import { sweep, type SweepReport } from "../../github/sweep.js";
import type { Logger } from "../../shared/logger.js";
import { Cron } from "croner";
import { inFlight } from "./in-flight.js";
import { repositories, type InstalledRepository } from "../../github/installations.js";


/**
 * The server's weekly work: at each slot of the schedule (SEP_BOT_SCHEDULE,
 * else the bundled rules' `sweep.schedule`, Mondays 09:00 UTC), for every
 * installation and every repository it can see that has a SEP directory: the
 * sweep, then the digest. One instance runs each slot (the lock). A server
 * that was down at the slot catches up when it starts, if this week's slot
 * has passed and its digest is not there: the digest issue is the record.
 * A sweep that stops early (its write budget spent, or GitHub's rate limit)
 * is followed up an hour later, and again, until a run finishes. An install
 * (or repositories added to one) gets its first sweep a minute later, through
 * the same follow-ups.
 *
 * Locks: the slot's (six hours), each follow-up's, and the week's digest's
 * (to the end of the ISO week, taken only by the run about to create the
 * week's issue). A lock whose work did not finish (the digest failed, the
 * server stopped in the middle of a slot) is released, owner-checked, so
 * that another run (a replacement instance's catch-up) does it.
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
  /** How long after an install (or repositories added to it) their first sweep starts (default a minute). */
  installDelayMs?: number;
  /** How long after this server starts each repository is swept once, resuming what a restart cut short (default five minutes). */
  resumeDelayMs?: number;
  /** A start-up catch-up that found this week's slot held by another instance looks again this often (default an hour). */
  catchUpRetryMs?: number;
  /** After each repository's sweep (weekly or a follow-up) and digest: the live site reads it again. */
  afterSweep?: AfterSweep;
}

export type AfterSweep = (target: InstalledRepository & { octokit: GitHub }) => Promise<void>;

/** A sweep that stopped with pull requests left: its budget spent, or GitHub's rate limit (whose hour has passed by the follow-up). */
export const stoppedEarly = (report: SweepReport): boolean => report.stoppedBy !== null && report.deferred.length > 0;

/**
 * How long the week's digest lock lives: from `at` to the end of its ISO week
 * (Monday 00:00 UTC), plus a day for instances whose clocks lag.
 */
export function untilEndOfWeek(at: Date): number {
  const sinceMonday = (at.getUTCDay() + 6) % 7;
  const end = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - sinceMonday + 7);
  return Math.max(3600, Math.ceil((end - at.getTime()) / 1000)) + 86_400;
}

/**
 * The locks this process took for work that has not finished. Work that
 * finishes keeps its lock until it expires (a late instance must still find
 * it); work that fails or is cut short releases it, owner-checked, so that
 * another run takes it up; `releaseAll` is the server stopping.
 */
export class HeldLocks {
  private readonly keys = new Set<string>();
  constructor(
    private readonly lock: SweepLock,
    private readonly log: Logger,
  ) {}
  hold(key: string): void {
    this.keys.add(key);
  }
  finished(key: string): void {
    this.keys.delete(key);
  }
  async release(key: string): Promise<void> {
    if (!this.keys.delete(key)) return;
    try {
      await this.lock.release(key);
      this.log.info({ lock: key }, `${key}: released (its work did not finish)`);
    } catch (error) {
      this.log.warn({ err: error, lock: key }, `${key}: could not be released; it expires on its own`);
    }
  }
  async releaseAll(): Promise<void> {
    await Promise.all([...this.keys].map((key) => this.release(key)));
  }
}

/** The sweep and the digest of one repository (the digest skipped where there are no SEPs); the sweep's report. */
export async function weeklyRun(
  octokit: GitHub,
  owner: string,
  repo: string,
  o: { coordinator: Coordinator; lock: SweepLock; log: Logger; env: NodeJS.ProcessEnv; now: () => Date; held?: HeldLocks },
): Promise<SweepReport> {
  const report = await sweep(octokit, owner, repo, { dryRun: false, coordinator: o.coordinator, log: o.log, now: o.now });
  if (!report.read.hasSepDirectory) return report;
  let chat = null;
  try {
    chat = chatTarget(o.env);
  } catch (error) {
    o.log.warn({ repo: `${owner}/${repo}` }, `digest: no chat announcement: ${(error as Error).message}`);
  }
  // One digest a week per repository: the run about to create the week's issue takes the week's lock
  // (to the end of the week, however slow the run), and a run that finds the issue edits it. Should two
  // create it anyway (a workflow racing the server), the digest converges on the lowest-numbered one.
  const held = o.held ?? new HeldLocks(o.lock, o.log);
  const key = `digest:${owner}/${repo}:${isoWeek(o.now().toISOString())}`;
  let claimed = false;
  const claim = async () => {
    if (!(await o.lock.acquire(key, untilEndOfWeek(o.now())))) return false;
    claimed = true;
    held.hold(key);
    return true;
  };
  try {
    await digest(octokit, owner, repo, { post: true, announce: chat ? chatAnnouncer(chat) : null, log: o.log, now: o.now, claim });
  } catch (error) {
    // The week's issue may not be there: a later run (a catch-up, a workflow) may try again.
    if (claimed) await held.release(key);
    throw error;
  }
  if (claimed) held.finished(key);
  return report;
}

export interface FollowUpOptions {
  coordinator: Coordinator;
  lock: SweepLock;
  now: () => Date;
  delayMs: number;
  max: number;
  afterSweep?: AfterSweep | undefined;
  /** Shared with the weekly work, so that a stop releases every lock of unfinished work. */
  held?: HeldLocks | undefined;
}

/** The app's logger, as the sweep and the digest take it. */
const appLogger = (app: Probot): Logger => ({ info: (o, m) => app.log.info(o as object, m), warn: (o, m) => app.log.warn(o as object, m) });

/** Why a first sweep (n = 0) runs: the App was just installed there, or this server started (resuming what a restart cut). */
export type FirstSweep = "install" | "resume";

/**
 * Follow-up sweeps (only the sweep: the week's digest is out). The delay
 * spreads the writes over hours, under GitHub's limits on content creation
 * and without a burst of notifications. Each follow-up is a lock slot named
 * by its repository, the hour it is due and its number: across instances,
 * one runs it. Number 0 is a repository's first sweep: after an install
 * (`install:<repo>:<minute>`, a minute later by default) or after this server
 * started (`resume:<repo>:<hour>`). Timers never keep the process alive;
 * `stop()` cancels them and resolves once a follow-up already running is done.
 */
export function startFollowUps(app: Probot, o: FollowUpOptions): { schedule(target: InstalledRepository, n?: number, delayMs?: number, why?: FirstSweep): void; stop(): Promise<void> } {
  const log = appLogger(app);
  const held = o.held ?? new HeldLocks(o.lock, log); // shared: the weekly work releases them once everything has settled
  const ownLocks = !o.held;
  const pending = new Map<string, NodeJS.Timeout>();
  const running = inFlight();
  let stopped = false;
  const schedule = (target: InstalledRepository, n = 1, delayMs = o.delayMs, why: FirstSweep = "install"): void => {
    const name = `${target.owner}/${target.repo}`;
    if (stopped || pending.has(name)) return;
    if (n > o.max) {
      app.log.warn({ repo: name }, `sweep of ${name}: still stopped early after ${o.max} follow-ups; the rest waits for the next slot`);
      return;
    }
    const due = new Date(o.now().getTime() + delayMs);
    // One instance runs each: an install's sweep per minute, a start-up's per hour (instances restarted together), a follow-up per hour and number.
    const slot =
      n > 0 ? `follow-up:${name}:${due.toISOString().slice(0, 13)}:00Z#${n}` : why === "install" ? `install:${name}:${due.toISOString().slice(0, 16)}Z` : `resume:${name}:${due.toISOString().slice(0, 13)}:00Z`;
    const said = n > 0 ? `sweep of ${name} stopped early: follow-up ${n}` : why === "install" ? `${name} installed: its first sweep` : `started: ${name} swept again (work a restart cut short)`;
    app.log.info({ repo: name }, `${said} at ${due.toISOString()}`);
    const run = async () => {
      if (!(await o.lock.acquire(slot, 6 * 3600))) return app.log.info(`${slot}: another instance runs it`);
      held.hold(slot);
      try {
        const octokit = (await app.auth(target.installation)) as unknown as GitHub;
        const report = await sweep(octokit, target.owner, target.repo, { dryRun: false, coordinator: o.coordinator, log, now: o.now });
        held.finished(slot);
        if (stoppedEarly(report)) schedule(target, n + 1);
        await o.afterSweep?.({ ...target, octokit });
      } catch (error) {
        await held.release(slot);
        throw error;
      }
    };
    const timer = setTimeout(() => {
      pending.delete(name);
      running.track(run().catch((error: unknown) => app.log.warn({ err: error, repo: name }, `${slot} failed`)));
    }, delayMs);
    timer.unref();
    pending.set(name, timer);
  };
  return {
    schedule,
    async stop() {
      stopped = true;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      await running.settled();
      if (ownLocks) await held.releaseAll();
    },
  };
}

export interface Weekly {
  /** Ends the schedule, cancels pending follow-ups, waits for the work in flight, and releases the locks of what did not finish. */
  stop(): Promise<void>;
  /** Stopping past the server's bound: releases now the locks of every piece of work still running (its writes are recorded; the next run finishes it). */
  abandon(): Promise<void>;
  /** The App was installed, or repositories added to an installation: their first sweep, soon, on one instance. */
  installed(targets: InstalledRepository[]): void;
  next(): Date | null;
}

/** Starts the schedule; `stop()` ends it, cancels pending follow-ups, and resolves once the work in flight is done. */
export function startWeekly(app: Probot, options: WeeklyOptions): Weekly {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const cron = options.cron ?? env.SEP_BOT_SCHEDULE ?? defaultRules().sweep.schedule;
  const log = appLogger(app);
  const held = new HeldLocks(options.lock, log);
  const followUps = startFollowUps(app, { coordinator: options.coordinator, lock: options.lock, now, delayMs: options.followUpDelayMs ?? 3600_000, max: options.maxFollowUps ?? 24, afterSweep: options.afterSweep, held });
  const running = inFlight();
  let stopped = false;
  /** Every repository of every installation; false when a stop cut it short. */
  const everywhere = async (label: string, onlyMissing: boolean): Promise<boolean> => {
    const skipped = (installation: number, error: unknown) => app.log.warn({ err: error, installation }, `weekly ${label}: installation ${installation} could not be read; the others go on`);
    for await (const target of repositories(app, skipped)) {
      const { octokit, owner, repo } = target;
      if (stopped) return false;
      try {
        // The week's digest, under the repository's own rules (its label), is the record that the repository was done.
        if (onlyMissing && (await findWeekDigest(octokit, owner, repo, isoWeek(now().toISOString())))) continue;
        const report = await weeklyRun(octokit, owner, repo, { coordinator: options.coordinator, lock: options.lock, log, env, now, held });
        if (stoppedEarly(report)) followUps.schedule(target);
        if (report.read.hasSepDirectory) await options.afterSweep?.(target);
      } catch (error) {
        // One repository's failure (a permission, a rate limit) never stops the others.
        app.log.warn({ err: error, repo: `${owner}/${repo}` }, `weekly ${label}: ${owner}/${repo} failed`);
      }
    }
    return true;
  };
  /** The slot's work under its lock (acquired already): a run cut short by a stop lets the slot go, for a replacement's catch-up. */
  const slotWork = async (slot: string, label: string, onlyMissing: boolean): Promise<void> => {
    held.hold(slot);
    if (!stopped && (await everywhere(label, onlyMissing))) held.finished(slot);
    else await held.release(slot);
  };
  const schedule = startSchedule({
    cron,
    lock: options.lock,
    log: { info: (m) => app.log.info(m), warn: (o, m) => app.log.warn(o, m) },
    run: (slot) => {
      const work = slotWork(slot, slot, false);
      running.track(work);
      return work;
    },
  });
  app.log.info(`sep-bot: weekly sweep and digest on "${cron}" (UTC); next ${schedule.next()?.toISOString() ?? "never"}`);

  // Catching up: this week's slot has passed while no instance was running. The slot's own lock:
  // an instance that started while another runs (or ran) the slot leaves it to that one, and looks
  // again later (an instance stopped in the middle of the slot lets it go).
  const pattern = new Cron(cron, { timezone: "UTC" });
  let retry: NodeJS.Timeout | null = null;
  // A restart drops the follow-ups and install sweeps this process had pending: a sweep of each repository
  // a few minutes after the start resumes them (one instance an hour; with nothing due it costs the bulk read).
  const resume = async (): Promise<void> => {
    const skipped = (installation: number, error: unknown) => app.log.warn({ err: error, installation }, `start-up sweep: installation ${installation} could not be read`);
    for await (const target of repositories(app, skipped)) if (!stopped) followUps.schedule(target, 0, 0, "resume");
  };
  const resumeTimer = setTimeout(() => running.track(resume().catch((error: unknown) => app.log.warn({ err: error }, "start-up sweep: the installations could not be listed"))), options.resumeDelayMs ?? 5 * 60_000);
  resumeTimer.unref();
  const catchUp = async (): Promise<void> => {
    retry = null;
    if (stopped) return;
    const at = now();
    const last = pattern.previousRuns(1, at)[0];
    if (!last || isoWeek(last.toISOString()) !== isoWeek(at.toISOString())) return;
    const slot = slotOf(pattern, last);
    if (await options.lock.acquire(slot, 6 * 3600)) return slotWork(slot, `catch-up ${slot}`, true);
    if (stopped) return;
    retry = setTimeout(() => running.track(catchUp().catch((error: unknown) => app.log.warn({ err: error }, "weekly catch-up failed"))), options.catchUpRetryMs ?? 3600_000);
    retry.unref();
  };
  running.track(catchUp().catch((error: unknown) => app.log.warn({ err: error }, "weekly catch-up failed")));
  /** No new work: the schedule, the catch-up's retry and the start-up sweep are off. */
  const halt = (): void => {
    stopped = true;
    clearTimeout(resumeTimer);
    if (retry) clearTimeout(retry);
    schedule.stop();
  };
  return {
    next: () => schedule.next(),
    installed(targets) {
      for (const target of targets) followUps.schedule(target, 0, options.installDelayMs ?? 60_000);
    },
    async stop() {
      halt();
      await Promise.all([running.settled(), followUps.stop()]);
      await held.releaseAll();
    },
    async abandon() {
      halt();
      await held.releaseAll();
    },
  };
}
