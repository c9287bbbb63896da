import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { EMPTY_TRIGGER, mergeTriggers, TriggerSchema, type Trigger } from "../governance/model/trigger.js";
import type { Logger } from "../shared/logger.js";
import { DELIVERY_MEMORY_MS, ShuttingDownError, type Claim, type Coordinator, type Work } from "./coordinator.js";

/**
 * The coordinator for several instances behind a load balancer: the same
 * semantics as MemoryCoordinator, kept in Redis so that every instance sees
 * them. Per pull request there is
 *
 *   lock:<pr>     the instance running its reconcile (a random token), with an
 *                 expiry a heartbeat keeps extending: a crashed holder delays
 *                 the PR by at most `lockMs`, never blocks it;
 *   pending:<pr>  triggers that arrived meanwhile (a list of JSON), taken by
 *                 the holder when its run ends, or by whoever gets the lock next;
 *
 * and per delivery `delivery:<id>` (see `claim`), so a duplicate is skipped by every instance.
 * "Take the lock or queue", "run again or release" and "extend if still mine"
 * are each one Lua script, so no trigger can slip between a holder's last
 * look at `pending` and its release. An instance whose trigger was queued
 * waits (polling) until the lock is free, then takes over whatever is still
 * pending: if the holder died, that is how its work gets done.
 *
 * Why not a lock library (redlock and the like): they lock, but the queue of
 * merged triggers has to change hands atomically with the lock, which is what
 * these three scripts do; ioredis is the client Probot itself uses.
 */

export interface RedisCoordinatorOptions {
  /** Key prefix, so several apps can share one Redis. */
  prefix?: string;
  /** Lock expiry; the holder extends it every third of it while it works. */
  lockMs?: number;
  /** How often a queued instance looks whether the lock is free. */
  pollMs?: number;
  /** A queued instance gives up waiting after this long (its trigger stays pending). */
  maxWaitMs?: number;
  log?: Logger;
}

/** Take the lock (and everything pending), or add the trigger to what is pending. */
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local items = redis.call('LRANGE', KEYS[2], 0, -1)
  redis.call('DEL', KEYS[2])
  return {1, items}
end
if ARGV[3] ~= '' then
  redis.call('RPUSH', KEYS[2], ARGV[3])
  redis.call('LTRIM', KEYS[2], -200, -1)
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
return {0, {}}`;

/** The run ended: take what is pending and keep the lock, or release it. -1: the lock is no longer ours. */
const CONTINUE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1, {}} end
local items = redis.call('LRANGE', KEYS[2], 0, -1)
if #items > 0 then
  redis.call('DEL', KEYS[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, items}
end
redis.call('DEL', KEYS[1])
return {0, {}}`;

/** Shutting down past the bound: let go of the lock, if it is still ours (what is pending stays for the next holder). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** A delivery handled: record it as done, unless another instance claimed it since ours lapsed. */
const FINISH = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 0`;

/** Still working: extend the lock, if it is still ours. */
const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

type ScriptReply = [number, string[]];

const quiet: Logger = { info() {}, warn() {} };

export class RedisCoordinator implements Coordinator {
  readonly description: string;
  private readonly prefix: string;
  private readonly lockMs: number;
  private readonly pollMs: number;
  private readonly maxWaitMs: number;
  private readonly log: Logger;
  /** Locks this process holds now (lock key -> token), and who waits for them all to go. */
  private readonly held = new Map<string, string>();
  private draining = false;
  private idle: Array<() => void> = [];

  constructor(
    private readonly redis: Redis,
    options: RedisCoordinatorOptions = {},
  ) {
    this.prefix = options.prefix ?? "sep-bot:";
    this.lockMs = options.lockMs ?? 30_000;
    this.pollMs = options.pollMs ?? 250;
    this.maxWaitMs = options.maxWaitMs ?? 10 * 60_000;
    this.log = options.log ?? quiet;
    const where = `${redis.options.host ?? "?"}:${redis.options.port ?? "?"}`;
    this.description = `several instances: deliveries are serialised per pull request through Redis at ${where} (lock expiry ${this.lockMs / 1000}s)`;
  }

  /**
   * `delivery:<id>` holds `running:<token>` while this instance handles it, for
   * `lockMs` at a time, extended by a heartbeat as the PR's lock is: a crashed
   * holder's claim lapses and a redelivery runs. `done` once its reconciles
   * finished, for an hour: duplicates are skipped.
   */
  async claim(deliveryId: string): Promise<Claim | null> {
    const key = `${this.prefix}delivery:${deliveryId}`;
    const mine = `running:${randomUUID()}`;
    if ((await this.redis.set(key, mine, "PX", this.lockMs, "NX")) !== "OK") return null;
    const heartbeat = setInterval(() => {
      this.script(EXTEND, [key], [mine, this.lockMs]).catch((error: unknown) => this.log.warn({ delivery: deliveryId, err: error }, "could not extend the delivery's claim"));
    }, Math.max(50, Math.floor(this.lockMs / 3)));
    heartbeat.unref();
    return {
      done: async () => {
        clearInterval(heartbeat);
        await this.redis.eval(FINISH, 1, key, mine, "done", DELIVERY_MEMORY_MS);
      },
      release: async () => {
        clearInterval(heartbeat);
        await this.redis.eval(RELEASE, 1, key, mine);
      },
    };
  }

  get active(): number {
    return this.held.size;
  }

  drain(): Promise<void> {
    this.draining = true;
    return this.held.size === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  async enqueue(key: string, trigger: Trigger, work: Work): Promise<void> {
    if (this.draining) throw new ShuttingDownError();
    const token = randomUUID();
    const keys = [`${this.prefix}lock:${key}`, `${this.prefix}pending:${key}`] as const;
    const [acquired, items] = await this.script(ACQUIRE, keys, [token, this.lockMs, JSON.stringify(trigger), Math.max(this.maxWaitMs, this.lockMs * 4)]);
    if (acquired === 1) return this.hold(key, keys, token, this.merged([trigger], items), work);

    // Queued behind the holder: wait until the lock is free, then take over what is still pending.
    const started = Date.now();
    const queuedAt = Date.now();
    while (Date.now() - started < this.maxWaitMs) {
      await sleep(this.pollMs);
      // Shutting down: our trigger is in the pending list, and the holder's next run takes it.
      if (this.draining) return;
      const [mine, left] = await this.script(ACQUIRE, keys, [token, this.lockMs, "", 0]);
      if (mine !== 1) continue;
      if (left.length === 0) {
        // The holder's follow-up covered our trigger. Release, unless something arrived between our two
        // calls: then it is ours to run (dropping it would lose that delivery).
        const [state, late] = await this.script(CONTINUE, keys, [token, this.lockMs]);
        if (state === 1) return this.hold(key, keys, token, this.merged([], late), work);
        await this.raiseIfFailed(key, queuedAt);
        return;
      }
      return this.hold(key, keys, token, this.merged([], left), work);
    }
    this.log.warn({ pr: key }, "gave up waiting for another instance's reconcile; the trigger stays pending for it");
  }

  /**
   * The run that covered a waiter's trigger happened on another instance; if it
   * failed, the waiter's delivery fails too, so that it is forgotten and a
   * redelivery runs it again (as in one process).
   */
  private async raiseIfFailed(key: string, since: number): Promise<void> {
    const failedAt = Number(await this.redis.get(`${this.prefix}failed:${key}`));
    if (Number.isFinite(failedAt) && failedAt >= since) throw new Error(`the reconcile of ${key} that covered this delivery failed on another instance`);
  }

  /** Holds the lock while `work` runs, and runs again for whatever arrived meanwhile. */
  private async hold(key: string, keys: readonly [string, string], token: string, first: Trigger, work: Work): Promise<void> {
    this.held.set(keys[0], token);
    const heartbeat = setInterval(() => {
      this.script(EXTEND, keys, [token, this.lockMs]).catch((error: unknown) => this.log.warn({ pr: key, err: error }, "could not extend the reconcile lock"));
    }, Math.max(50, Math.floor(this.lockMs / 3)));
    heartbeat.unref();
    let batch = first;
    let followUp = false;
    let ownFailure: unknown = null;
    let own = true;
    try {
      for (;;) {
        try {
          await work(batch, { followUp });
          followUp = true;
        } catch (error) {
          followUp = false;
          if (own) ownFailure = error;
          else {
            // The deliveries it covered wait on other instances: tell them (they fail, and are redelivered).
            await this.redis.set(`${this.prefix}failed:${key}`, String(Date.now()), "PX", Math.max(this.maxWaitMs, this.lockMs * 4)).catch(() => undefined);
            this.log.warn({ pr: key, err: error }, "a follow-up reconcile failed; the deliveries it covered fail too");
          }
        }
        own = false;
        const [state, items] = await this.script(CONTINUE, keys, [token, this.lockMs]);
        if (state === 1) {
          batch = this.merged([], items);
          continue;
        }
        if (state === -1) this.log.warn({ pr: key }, "the reconcile lock expired while this instance worked; another instance may have run meanwhile");
        break;
      }
    } finally {
      clearInterval(heartbeat);
      this.held.delete(keys[0]);
      if (this.held.size === 0) this.idle.splice(0).forEach((resolve) => resolve());
    }
    if (ownFailure) throw ownFailure;
  }

  /** Triggers read back from Redis are checked like any input: a malformed one is dropped, not trusted. */
  private merged(triggers: Trigger[], items: string[]): Trigger {
    let out: Trigger | null = triggers[0] ?? null;
    for (const item of items) {
      let parsed: ReturnType<typeof TriggerSchema.safeParse>;
      try {
        parsed = TriggerSchema.safeParse(JSON.parse(item));
      } catch {
        continue;
      }
      if (!parsed.success) continue;
      out = out ? mergeTriggers(out, parsed.data) : parsed.data;
    }
    return out ?? EMPTY_TRIGGER;
  }

  private async script(lua: string, keys: readonly [string, string] | readonly [string], args: Array<string | number>): Promise<ScriptReply> {
    const reply = (await this.redis.eval(lua, keys.length, ...keys, ...args.map(String))) as ScriptReply | number;
    return typeof reply === "number" ? [reply, []] : reply;
  }

  /** Lets go of every lock still held (a run cut short by shutting down), then disconnects. */
  async close(): Promise<void> {
    for (const [lock, token] of this.held) await this.redis.eval(RELEASE, 1, lock, token).catch(() => undefined);
    this.held.clear();
    await this.redis.quit();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
