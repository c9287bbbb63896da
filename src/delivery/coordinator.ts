import { mergeTriggers, type Trigger } from "../governance/model/trigger.js";

/**
 * How deliveries reach the reconcile loop: each delivery id once, and at most
 * one reconcile per pull request at a time. Triggers that arrive while one
 * runs are merged into a single follow-up run (the loop reads the current
 * state anyway, so ten events cost at most two reconciles).
 *
 *   delivery -> claim(id) -> enqueue(pr, trigger) -> one running, one pending -> reconcile
 *
 * `MemoryCoordinator` serves one process; `RedisCoordinator` (redis.ts) gives
 * several instances the same semantics through a shared Redis.
 */

export interface RunInfo {
  /** This run follows one that just succeeded for the same PR, in the same holder. */
  followUp: boolean;
}

/** One reconcile of one pull request, for everything the trigger merged. */
export type Work = (trigger: Trigger, run: RunInfo) => Promise<void>;

export interface Coordinator {
  /** How this deployment serialises work, for the start-up log. */
  readonly description: string;
  /**
   * The delivery is handled here, or null for a duplicate (handled, or being
   * handled), which must be skipped. A claim is kept only while its holder is
   * alive: a crashed instance's claim lapses within seconds, so a
   * redelivery runs.
   */
  claim(deliveryId: string): Promise<Claim | null>;
  /**
   * Runs `work` for `key` now, or merges `trigger` into the follow-up of the
   * run in progress. Settles when the run that covered `trigger` has finished
   * (rejecting if that run failed).
   */
  enqueue(key: string, trigger: Trigger, work: Work): Promise<void>;
  /**
   * Shutting down: from now on `enqueue` refuses new work (the delivery fails,
   * and is forgotten, so a redelivery runs it elsewhere); resolves once the
   * reconciles this process runs (with their follow-ups) have finished.
   */
  drain(): Promise<void>;
  /** How many pull requests this process is reconciling now (the health route says it). */
  readonly active: number;
  /** Releases what this process holds (Redis locks, connections). */
  close(): Promise<void>;
}

/** A delivery being handled. */
export interface Claim {
  /** Its reconciles finished: duplicates of it are skipped for a while (DELIVERY_MEMORY_MS). */
  done(): Promise<void>;
  /** It failed: let go, so that a redelivery of it runs again. */
  release(): Promise<void>;
}

/** A delivery that arrived while this process shuts down: not run here. */
export class ShuttingDownError extends Error {
  constructor() {
    super("sep-bot is shutting down: this delivery was not run here (redeliver it, or the next sweep covers it)");
    this.name = "ShuttingDownError";
  }
}

/** How long a delivery id is remembered: far longer than GitHub takes to deliver a duplicate. */
export const DELIVERY_MEMORY_MS = 60 * 60 * 1000;
const MAX_REMEMBERED = 50_000;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Batch {
  trigger: Trigger;
  work: Work;
  waiters: Waiter[];
}

/** The single-instance coordinator: a keyed queue and a bounded memory of delivery ids. */
export class MemoryCoordinator implements Coordinator {
  readonly description: string;
  private readonly seen = new Map<string, number>(); // delivery id -> expiry (ms)
  private readonly running = new Map<string, { pending: Batch | null }>();
  private readonly clock: () => number;
  private draining = false;
  private idle: Array<() => void> = [];

  constructor(options: { description?: string; clock?: () => number } = {}) {
    this.description = options.description ?? "single instance: deliveries are serialised per pull request in this process (set REDIS_URL to run several instances)";
    this.clock = options.clock ?? Date.now;
  }

  async claim(deliveryId: string): Promise<Claim | null> {
    const now = this.clock();
    const expiry = this.seen.get(deliveryId);
    if (expiry !== undefined && expiry > now) return null;
    this.seen.delete(deliveryId);
    // Held until done or released: a crash takes this memory with it, so nothing outlives its holder.
    this.seen.set(deliveryId, Infinity);
    // Oldest first in a Map: evict what expired, and beyond the cap the oldest.
    for (const [id, at] of this.seen) {
      if (at > now && this.seen.size <= MAX_REMEMBERED) break;
      this.seen.delete(id);
    }
    return {
      done: async () => {
        this.seen.delete(deliveryId);
        this.seen.set(deliveryId, this.clock() + DELIVERY_MEMORY_MS);
      },
      release: async () => {
        this.seen.delete(deliveryId);
      },
    };
  }

  get active(): number {
    return this.running.size;
  }

  drain(): Promise<void> {
    this.draining = true;
    return this.running.size === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  enqueue(key: string, trigger: Trigger, work: Work): Promise<void> {
    if (this.draining) return Promise.reject(new ShuttingDownError());
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject };
      const slot = this.running.get(key);
      if (slot) {
        // A run is in progress: join the follow-up, with the newest delivery's client.
        const pending = slot.pending;
        slot.pending = pending
          ? { trigger: mergeTriggers(pending.trigger, trigger), work, waiters: [...pending.waiters, waiter] }
          : { trigger, work, waiters: [waiter] };
        return;
      }
      const fresh = { pending: null as Batch | null };
      this.running.set(key, fresh);
      void this.runAll(key, fresh, { trigger, work, waiters: [waiter] });
    });
  }

  /** Runs the first batch, then whatever became pending meanwhile, until nothing is left. */
  private async runAll(key: string, slot: { pending: Batch | null }, first: Batch): Promise<void> {
    let batch: Batch | null = first;
    let followUp = false;
    while (batch) {
      try {
        await batch.work(batch.trigger, { followUp });
        batch.waiters.forEach((w) => w.resolve());
        followUp = true;
      } catch (error) {
        batch.waiters.forEach((w) => w.reject(error));
        followUp = false;
      }
      batch = slot.pending;
      slot.pending = null;
    }
    this.running.delete(key);
    if (this.running.size === 0) this.idle.splice(0).forEach((resolve) => resolve());
  }

  async close(): Promise<void> {}
}

/** The queue key of one pull request. */
export function pullRequestKey(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`.toLowerCase();
}
