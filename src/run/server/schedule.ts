import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { Cron } from "croner";
import { cronError, nextRun } from "../../rules/cron.js";

export { cronError, nextRun };
import type { Redis } from "ioredis";

/**
 * The server's built-in sweep schedule (weekly by default). Every instance
 * behind a load balancer runs the same cron; a lock per scheduled slot makes
 * exactly one of them do the work. Cron parsing and timers are croner's,
 * always in UTC so that every instance computes the same slots.
 */

/** Only one instance runs each scheduled slot. */
export interface SweepLock {
  acquire(slot: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Lets go of a slot this holder acquired and did not finish (its work failed,
   * or the process stops first), so that another run may take it: only if it
   * is still this holder's (it may have expired and gone to another).
   */
  release(slot: string): Promise<void>;
}

/** One process: a set of slots, each forgotten after its ttl. */
export class MemorySweepLock implements SweepLock {
  private readonly held = new Map<string, number>();
  async acquire(slot: string, ttlSeconds: number): Promise<boolean> {
    const now = Date.now();
    for (const [s, until] of this.held) if (until <= now) this.held.delete(s);
    if (this.held.has(slot)) return false;
    this.held.set(slot, now + ttlSeconds * 1000);
    return true;
  }
  async release(slot: string): Promise<void> {
    this.held.delete(slot);
  }
}

/** Deletes the key only if it still holds this holder's token: one script, so nothing comes between the look and the delete. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Several instances: SET NX in the shared Redis, so the first caller wins. The
 * key of work that finished is never deleted, only expires: an instance whose
 * clock or timer is a little late must still find it. The value says who ran
 * the slot (this instance's token); `release` deletes the key of work that did
 * not finish, and only while it still holds that token.
 */
export class RedisSweepLock implements SweepLock {
  private readonly token = `${hostname()}:${process.pid}:${randomUUID()}`;
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "sep-bot:sweep:",
  ) {}
  async acquire(slot: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + slot, this.token, "EX", Math.max(1, Math.ceil(ttlSeconds)), "NX")) === "OK";
  }
  async release(slot: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.prefix + slot, this.token);
  }
}

/**
 * The name of the slot a schedule runs at `at`, the same on every instance:
 * the lock key that makes one of them run it (the catch-up at start-up uses
 * it too, so it never runs a slot another instance is running).
 */
export function slotOf(job: Cron, at: Date): string {
  // @weekly and the like come back expanded, so counting fields is enough.
  const withSeconds = (job.getPattern() ?? "").trim().split(/\s+/).length >= 6;
  return `${at.toISOString().slice(0, withSeconds ? 19 : 16)}Z`;
}

export interface ScheduleOptions {
  /** Five fields (minute precision) or six (with seconds), in UTC. */
  cron: string;
  run: (slot: string, scheduledAt: Date) => Promise<void>;
  lock: SweepLock;
  log: { info(msg: string): void; warn(obj: object, msg: string): void };
  /** Lock lifetime: longer than any clock skew between instances, shorter than the interval. */
  ttlSeconds?: number;
  /** What runs, for the log and the lock key (default the weekly sweep, whose keys are the bare slot). */
  name?: string;
}

const SIX_HOURS = 6 * 60 * 60;

/** Start the schedule (throws on an invalid `cron`: check it with cronError first). */
export function startSchedule(options: ScheduleOptions): { stop(): void; next(): Date | null } {
  const { run, lock, log, ttlSeconds = SIX_HOURS, name = "sweep" } = options;
  const tick = async (job: Cron) => {
    // currentRun() is when the timer fired (cut to the second), not the time it
    // was set for: a late timer would give another slot. The latest match at or
    // before it is the scheduled time, the same on every instance.
    const fired = job.currentRun() ?? new Date();
    const scheduledAt = job.previousRuns(1, new Date(fired.getTime() + 1))[0] ?? fired;
    const slot = slotOf(job, scheduledAt);
    try {
      if (!(await lock.acquire(name === "sweep" ? slot : `${name}:${slot}`, ttlSeconds))) return log.info(`${name} ${slot}: another instance runs it`);
      await run(slot, scheduledAt);
    } catch (error) {
      // A failed run (or an unreachable Redis) waits for the next slot; it never stops the server.
      log.warn({ err: error, slot }, `${name} ${slot} failed`);
    }
  };
  // protect: a slot that comes while this process still sweeps is skipped, not
  // run alongside (a function is truthy: it protects, and says so). catch: a
  // last resort, tick already catches everything.
  const job = new Cron(
    options.cron,
    {
      timezone: "UTC",
      protect: () => log.info(`${name}: the previous ${name} is still running, this slot is skipped`),
      catch: (error) => log.warn({ err: error }, `${name} failed`),
    },
    tick,
  );
  return { stop: () => job.stop(), next: () => job.nextRun() };
}
