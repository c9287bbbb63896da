import type { Redis } from "ioredis";
import { EMPTY_TRIGGER, mergeTriggers, TriggerSchema, type Target, type Trigger } from "../governance/model/trigger.js";
import { ShuttingDownError } from "./coordinator.js";

/**
 * Follow-through for reconciles that failed. Octokit retries a request a few
 * times within seconds; when GitHub fails longer than that (a 502 for a
 * minute, a secondary rate limit), the delivery fails, and GitHub does not
 * send it again by itself. Without this, the pull request would wait for its
 * next event or the weekly sweep. Each failed reconcile is kept here, one
 * entry per pull request (triggers merged, as the coordinator merges them),
 * and tried again after a growing wait (by default 30 s, 2 min, 10 min,
 * 30 min, 2 h, 6 h), through the same coordinator, so a retry never runs
 * beside another reconcile of its PR. After the last attempt it is given up,
 * loudly: the next event or sweep reconciles it.
 *
 * `MemoryRetries` serves one process. `RedisRetries` keeps the entries in
 * Redis, so that any instance takes them, and a taken entry is only leased:
 * if the instance retrying it dies, another takes it once the lease ends.
 *
 * Why not a job queue library (BullMQ and the like): an entry must merge the
 * triggers of every failure of its PR atomically with its lease, one instance
 * needs no Redis at all, and the whole store is three short scripts.
 */

/** Where a failed reconcile happened: its pull request, and the App installation to authenticate as (null: a client that needs none, as in tests). */
export type RetryTarget = Target & { installation: number | null };

/** A failed reconcile waiting to be tried again. */
export interface Retry {
  key: string;
  target: RetryTarget;
  trigger: Trigger;
  /** Retries already made (0: only the first failure). */
  attempt: number;
  firstFailedAt: number;
  error: string;
  /** Changes with every failure recorded: a retry that succeeds removes only what it covered. */
  version: number;
}

export interface RetryStatus {
  pending: number;
  nextAt: string | null;
  oldestFailureAt: string | null;
  /** Entries given up by this process since it started. */
  gaveUp: number;
}

export interface RetryLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The waits before each retry, in seconds. */
export const DEFAULT_RETRY_DELAYS = [30, 120, 600, 1800, 7200, 21_600];

export interface RetryOptions {
  /** Waits before each retry, in ms; the number of retries is their count. */
  delaysMs?: number[];
  /** How often due entries are looked for. */
  pollMs?: number;
  /** How long a taken entry is this instance's before another may take it (Redis). */
  leaseMs?: number;
  clock?: () => number;
}

/** Runs one retry; throws if it failed again. */
export type RetryWork = (retry: Retry) => Promise<void>;

/** The storage: what differs between one process and several. */
interface RetryStore {
  /** Records a failure: a new entry due after `dueInMs`, or merged into the PR's entry (keeping the earlier due time). */
  add(key: string, target: RetryTarget, trigger: Trigger, error: string, now: number, dueInMs: number): Promise<void>;
  /** Entries due now, leased to this instance. */
  take(now: number, leaseMs: number, limit: number): Promise<Retry[]>;
  /** The retry succeeded: remove the entry, unless a failure arrived meanwhile (then it stays, due as that failure set it). */
  remove(retry: Retry): Promise<void>;
  /** The retry failed again: due again after `dueInMs`, with `attempt`. */
  reschedule(retry: Retry, attempt: number, error: string, dueAt: number): Promise<void>;
  status(): Promise<{ pending: number; nextAt: number | null; oldestFailureAt: number | null }>;
}

export class RetryQueue {
  readonly description: string;
  private readonly delays: number[];
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private gaveUp = 0;

  constructor(
    private readonly store: RetryStore,
    description: string,
    options: RetryOptions = {},
  ) {
    this.delays = options.delaysMs ?? DEFAULT_RETRY_DELAYS.map((s) => s * 1000);
    this.pollMs = options.pollMs ?? Math.min(5000, this.delays[0] ?? 5000);
    this.leaseMs = options.leaseMs ?? 15 * 60_000;
    this.clock = options.clock ?? Date.now;
    this.description = `${description}; retried after ${this.delays.map(duration).join(", ")}`;
  }

  /** A reconcile failed after its own retries: try it again later. */
  async failed(key: string, target: RetryTarget, trigger: Trigger, error: unknown): Promise<void> {
    if (this.delays.length === 0) return;
    await this.store.add(key, target, trigger, messageOf(error), this.clock(), this.delays[0]!);
  }

  /** Runs `work` for each entry as it falls due, until `stop`. */
  start(work: RetryWork, log: RetryLog): void {
    if (this.timer || this.stopped) return;
    const tick = () => {
      this.running = this.retryDue(work, log)
        .catch((error: unknown) => log.warn({ err: error }, "could not look for reconciles to retry; looking again shortly"))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.pollMs).unref();
        });
    };
    this.timer = setTimeout(tick, this.pollMs).unref();
  }

  /** No new retries; resolves once those running have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  async status(): Promise<RetryStatus> {
    const s = await this.store.status();
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return { pending: s.pending, nextAt: iso(s.nextAt), oldestFailureAt: iso(s.oldestFailureAt), gaveUp: this.gaveUp };
  }

  /** One look: runs what is due now (what `start` does every `pollMs`). */
  async retryDue(work: RetryWork, log: RetryLog): Promise<void> {
    const due = await this.store.take(this.clock(), this.leaseMs, 10);
    for (const retry of due) {
      // Stopping: what was taken and not run is due again at once, for another instance (or the next start).
      if (this.stopped) {
        await this.store.reschedule(retry, retry.attempt, retry.error, this.clock());
        continue;
      }
      const pr = `${retry.target.owner}/${retry.target.repo}#${retry.target.number}`;
      const attempt = retry.attempt + 1;
      try {
        log.info({ pr, attempt, firstFailedAt: new Date(retry.firstFailedAt).toISOString() }, `retrying the reconcile that failed (${retry.error})`);
        await work(retry);
        await this.store.remove(retry);
        log.info({ pr, attempt }, "the retried reconcile succeeded");
      } catch (error) {
        if (error instanceof ShuttingDownError) {
          await this.store.reschedule(retry, retry.attempt, retry.error, this.clock());
          continue;
        }
        if (attempt >= this.delays.length) {
          await this.store.remove(retry);
          this.gaveUp++;
          log.error(
            { pr, attempts: attempt, err: error },
            `gave up reconciling ${pr} after ${attempt} retries since ${new Date(retry.firstFailedAt).toISOString()}: its next event or the weekly sweep reconciles it (or run \`sep-bot sweep\`)`,
          );
          continue;
        }
        const wait = this.delays[attempt]!;
        await this.store.reschedule(retry, attempt, messageOf(error), this.clock() + wait);
        log.warn({ pr, attempt, err: error }, `the retried reconcile failed again; next try in ${duration(wait)}`);
      }
    }
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

// ---------------------------------------------------------------------------
// One process

interface MemoryEntry {
  retry: Retry;
  dueAt: number;
}

class MemoryStore implements RetryStore {
  private readonly entries = new Map<string, MemoryEntry>();

  async add(key: string, target: RetryTarget, trigger: Trigger, error: string, now: number, dueInMs: number): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, { retry: { key, target, trigger, attempt: 0, firstFailedAt: now, error, version: 1 }, dueAt: now + dueInMs });
      return;
    }
    entry.retry = { ...entry.retry, target, trigger: mergeTriggers(entry.retry.trigger, trigger), error, version: entry.retry.version + 1 };
    entry.dueAt = Math.min(entry.dueAt, now + dueInMs);
  }

  async take(now: number, leaseMs: number, limit: number): Promise<Retry[]> {
    const due = [...this.entries.values()].filter((e) => e.dueAt <= now).slice(0, limit);
    for (const entry of due) entry.dueAt = now + leaseMs;
    return due.map((e) => e.retry);
  }

  async remove(retry: Retry): Promise<void> {
    const entry = this.entries.get(retry.key);
    if (entry && entry.retry.version === retry.version) this.entries.delete(retry.key);
  }

  async reschedule(retry: Retry, attempt: number, error: string, dueAt: number): Promise<void> {
    const entry = this.entries.get(retry.key);
    if (!entry) return;
    entry.retry = { ...entry.retry, attempt, error };
    entry.dueAt = dueAt;
  }

  async status() {
    const all = [...this.entries.values()];
    return {
      pending: all.length,
      nextAt: all.length ? Math.min(...all.map((e) => e.dueAt)) : null,
      oldestFailureAt: all.length ? Math.min(...all.map((e) => e.retry.firstFailedAt)) : null,
    };
  }
}

export function memoryRetries(options: RetryOptions = {}): RetryQueue {
  return new RetryQueue(new MemoryStore(), "failed reconciles are retried by this process", options);
}

// ---------------------------------------------------------------------------
// Several instances: Redis
//
//   retry:due            sorted set: PR key -> when it is due (ms), or its lease's end
//   retry:entry:<pr>     hash: target (JSON), attempt, firstFailedAt, error, version
//   retry:triggers:<pr>  list of trigger JSON, merged when taken

/** Records a failure: KEYS due, entry, triggers; ARGV key, target, trigger, error, now, dueAt, ttl. */
const ADD = `
redis.call('HSETNX', KEYS[2], 'firstFailedAt', ARGV[5])
redis.call('HSETNX', KEYS[2], 'attempt', '0')
redis.call('HSET', KEYS[2], 'target', ARGV[2], 'error', ARGV[4])
redis.call('HINCRBY', KEYS[2], 'version', 1)
redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('LTRIM', KEYS[3], -200, -1)
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if current == false or tonumber(current) > tonumber(ARGV[6]) then redis.call('ZADD', KEYS[1], ARGV[6], ARGV[1]) end
redis.call('PEXPIRE', KEYS[2], ARGV[7])
redis.call('PEXPIRE', KEYS[3], ARGV[7])
return 1`;

/** Leases what is due: KEYS due; ARGV now, leaseEnd, limit, prefix. Returns [key, hash fields..., triggers...] per entry. */
const TAKE = `
local keys = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, key in ipairs(keys) do
  local entry = redis.call('HGETALL', ARGV[4] .. 'retry:entry:' .. key)
  if #entry == 0 then
    redis.call('ZREM', KEYS[1], key)
  else
    redis.call('ZADD', KEYS[1], ARGV[2], key)
    table.insert(out, {key, entry, redis.call('LRANGE', ARGV[4] .. 'retry:triggers:' .. key, 0, -1)})
  end
end
return out`;

/** Removes an entry if no failure was recorded since it was taken: KEYS due, entry, triggers; ARGV key, version. */
const REMOVE = `
if redis.call('HGET', KEYS[2], 'version') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[1], ARGV[1])
return 1`;

/** Due again: KEYS due, entry; ARGV key, attempt, error, dueAt. */
const RESCHEDULE = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], 'attempt', ARGV[2], 'error', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
return 1`;

class RedisStore implements RetryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** How long an entry outlives its last failure in Redis (far beyond the last retry). */
    private readonly ttlMs: number,
  ) {}

  private keys(key: string): [string, string, string] {
    return [`${this.prefix}retry:due`, `${this.prefix}retry:entry:${key}`, `${this.prefix}retry:triggers:${key}`];
  }

  async add(key: string, target: RetryTarget, trigger: Trigger, error: string, now: number, dueInMs: number): Promise<void> {
    await this.redis.eval(ADD, 3, ...this.keys(key), key, JSON.stringify(target), JSON.stringify(trigger), error, now, now + dueInMs, this.ttlMs);
  }

  async take(now: number, leaseMs: number, limit: number): Promise<Retry[]> {
    const rows = (await this.redis.eval(TAKE, 1, `${this.prefix}retry:due`, now, now + leaseMs, limit, this.prefix)) as Array<[string, string[], string[]]>;
    return rows.flatMap(([key, fields, triggers]) => {
      const hash: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) hash[fields[i]!] = fields[i + 1]!;
      const target = parseTarget(hash.target);
      if (!target) return []; // not ours to trust: its lease ends, and it is dropped with its expiry
      return [{ key, target, trigger: mergedTriggers(triggers), attempt: Number(hash.attempt) || 0, firstFailedAt: Number(hash.firstFailedAt) || now, error: hash.error ?? "", version: Number(hash.version) || 0 }];
    });
  }

  async remove(retry: Retry): Promise<void> {
    await this.redis.eval(REMOVE, 3, ...this.keys(retry.key), retry.key, retry.version);
  }

  async reschedule(retry: Retry, attempt: number, error: string, dueAt: number): Promise<void> {
    const [due, entry] = this.keys(retry.key);
    await this.redis.eval(RESCHEDULE, 2, due, entry, retry.key, attempt, error, dueAt);
  }

  async status() {
    const due = `${this.prefix}retry:due`;
    const [pending, first] = await Promise.all([this.redis.zcard(due), this.redis.zrange(due, 0, 0, "WITHSCORES")]);
    // The oldest failure needs every entry's hash: few entries ever wait, so this stays cheap.
    const keys = pending > 0 && pending <= 100 ? await this.redis.zrange(due, 0, -1) : [];
    const firsts = keys.length ? await Promise.all(keys.map((k) => this.redis.hget(`${this.prefix}retry:entry:${k}`, "firstFailedAt"))) : [];
    const oldest = firsts.map(Number).filter((n) => Number.isFinite(n) && n > 0);
    return { pending, nextAt: first[1] !== undefined ? Number(first[1]) : null, oldestFailureAt: oldest.length ? Math.min(...oldest) : null };
  }
}

/** Triggers read back from Redis are checked like any input: a malformed one is dropped, not trusted. */
function mergedTriggers(items: string[]): Trigger {
  let out = EMPTY_TRIGGER;
  for (const item of items) {
    try {
      const parsed = TriggerSchema.safeParse(JSON.parse(item));
      if (parsed.success) out = mergeTriggers(out, parsed.data);
    } catch {
      // not JSON: dropped
    }
  }
  return out;
}

function parseTarget(text: string | undefined): RetryTarget | null {
  try {
    const t = JSON.parse(text ?? "") as Partial<RetryTarget>;
    const name = /^[A-Za-z0-9._-]{1,100}$/;
    if (typeof t.owner !== "string" || typeof t.repo !== "string" || !name.test(t.owner) || !name.test(t.repo)) return null;
    if (!Number.isInteger(t.number) || (t.number as number) <= 0 || typeof t.defaultBranch !== "string" || !t.defaultBranch) return null;
    if (t.installation !== null && !Number.isInteger(t.installation)) return null;
    return { installation: t.installation ?? null, owner: t.owner, repo: t.repo, number: t.number as number, defaultBranch: t.defaultBranch };
  } catch {
    return null;
  }
}

export function redisRetries(redis: Redis, options: RetryOptions & { prefix?: string } = {}): RetryQueue {
  const delays = options.delaysMs ?? DEFAULT_RETRY_DELAYS.map((s) => s * 1000);
  const ttl = delays.reduce((a, b) => a + b, 0) + 24 * 3_600_000;
  return new RetryQueue(new RedisStore(redis, options.prefix ?? "sep-bot:", ttl), "failed reconciles are retried by any instance, through Redis", options);
}
