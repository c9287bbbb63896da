import { beforeEach, describe, expect, it } from "vitest";
import { ShuttingDownError } from "../../../src/delivery/coordinator.js";
import { memoryRetries, redisRetries, type Retry, type RetryLog, type RetryQueue } from "../../../src/delivery/retries.js";
import { trigger } from "../../../src/governance/model/trigger.js";
import { useRedis } from "../../helpers/redis.js";

/**
 * The retries of failed reconciles, the same in one process (memory) and
 * across instances (a real redis-server), on a clock the test moves: due
 * after the first wait and not before, triggers of every failure merged, a
 * growing wait after each failed retry, given up after the last, and a
 * failure recorded while its retry runs never lost.
 */

const redis = useRedis();
const SEC = 1000;
const TARGET = { installation: 7, owner: "o", repo: "r", number: 12, defaultBranch: "main" };
const KEY = "o/r#12";
const labelBy = (actor: string, label: string) => trigger({ events: ["pull_request.labeled"], actors: [actor], labels: [{ actor, label, added: true }] });

function quietLog(): RetryLog & { lines: string[] } {
  const lines: string[] = [];
  const put = (_obj: object, msg: string) => void lines.push(msg);
  return { lines, info: put, warn: put, error: put };
}

interface Instance {
  queue: RetryQueue;
  clock: { now: number };
}

const kinds: Array<[string, () => Instance[]]> = [
  [
    "in one process (memory)",
    () => {
      const clock = { now: 1_000_000 };
      return [{ queue: memoryRetries({ delaysMs: [30 * SEC, 120 * SEC, 600 * SEC], clock: () => clock.now }), clock }];
    },
  ],
  [
    "across two instances (Redis)",
    () => {
      const clock = { now: 1_000_000 };
      const make = () => redisRetries(redis.client(), { delaysMs: [30 * SEC, 120 * SEC, 600 * SEC], clock: () => clock.now });
      return [
        { queue: make(), clock },
        { queue: make(), clock },
      ];
    },
  ],
];

describe.each(kinds)("retries %s", (_name, make) => {
  let instances: Instance[];
  beforeEach(async () => {
    await redis.flush();
    instances = make();
  });
  const at = (i: number) => instances[i % instances.length]!;
  const advance = (ms: number) => new Set(instances.map((i) => i.clock)).forEach((clock) => (clock.now += ms));

  it("a failure is retried after the first wait, not before, with the triggers of every failure of that PR merged; a success removes it", async () => {
    const ran: Retry[] = [];
    const work = async (retry: Retry) => void ran.push(retry);
    await at(0).queue.failed(KEY, TARGET, labelBy("ann", "draft"), new Error("502 Bad Gateway"));
    advance(10 * SEC);
    await at(1).queue.failed(KEY, TARGET, labelBy("bob", "in-review"), new Error("502 again"));
    expect(await at(1).queue.status()).toMatchObject({ pending: 1, oldestFailureAt: new Date(1_000_000).toISOString(), nextAt: new Date(1_000_000 + 30 * SEC).toISOString() });

    advance(19 * SEC); // 29 s after the first failure
    await at(0).queue.retryDue(work, quietLog());
    expect(ran).toEqual([]);
    advance(1 * SEC);
    await at(1).queue.retryDue(work, quietLog());
    expect(ran).toHaveLength(1);
    expect(ran[0]!.target).toEqual(TARGET);
    expect(ran[0]!.trigger.labels.map((l) => `${l.actor}:${l.label}`)).toEqual(["ann:draft", "bob:in-review"]);
    expect(ran[0]!.error).toBe("502 again");
    expect(await at(0).queue.status()).toMatchObject({ pending: 0, nextAt: null });
    advance(3600 * SEC);
    await at(0).queue.retryDue(work, quietLog());
    expect(ran).toHaveLength(1);
  });

  it("a retry that fails again waits longer each time, and is given up after the last wait, loudly", async () => {
    const attempts: number[] = [];
    const work = async (retry: Retry) => {
      attempts.push(retry.attempt);
      throw new Error("still 502");
    };
    const log = quietLog();
    await at(0).queue.failed(KEY, TARGET, labelBy("ann", "draft"), new Error("502"));
    for (const wait of [30, 120, 600]) {
      advance((wait - 1) * SEC);
      await at(0).queue.retryDue(work, log);
      expect(attempts).toHaveLength([30, 120, 600].indexOf(wait));
      advance(1 * SEC);
      await at(1).queue.retryDue(work, log);
    }
    expect(attempts).toEqual([0, 1, 2]);
    expect(await at(1).queue.status()).toMatchObject({ pending: 0, gaveUp: 1 }); // the last retry ran on this instance
    expect(log.lines.at(-1)).toMatch(/gave up reconciling o\/r#12 after 3 retries .*next event or the weekly sweep/);
  });

  it("a failure recorded while its retry runs is not lost when that retry succeeds", async () => {
    const ran: Retry[] = [];
    await at(0).queue.failed(KEY, TARGET, labelBy("ann", "draft"), new Error("502"));
    advance(30 * SEC);
    await at(0).queue.retryDue(async (retry) => {
      ran.push(retry);
      // Meanwhile a delivery of the same PR fails on another instance.
      await at(1).queue.failed(KEY, TARGET, labelBy("cat", "final"), new Error("timeout"));
    }, quietLog());
    expect(await at(0).queue.status()).toMatchObject({ pending: 1 });
    advance(30 * SEC);
    await at(1).queue.retryDue(async (retry) => void ran.push(retry), quietLog());
    expect(ran).toHaveLength(2);
    expect(ran[1]!.trigger.labels.map((l) => l.actor)).toContain("cat");
    expect(await at(0).queue.status()).toMatchObject({ pending: 0 });
  });

  it("a retry refused because the instance is shutting down is not an attempt: due again at once", async () => {
    await at(0).queue.failed(KEY, TARGET, labelBy("ann", "draft"), new Error("502"));
    advance(30 * SEC);
    await at(0).queue.retryDue(async () => {
      throw new ShuttingDownError();
    }, quietLog());
    const attempts: number[] = [];
    await at(1).queue.retryDue(async (retry) => void attempts.push(retry.attempt), quietLog());
    expect(attempts).toEqual([0]);
  });
});

describe("retries across instances (Redis)", () => {
  beforeEach(() => redis.flush());

  it("an entry taken by an instance that died is taken by another once its lease ends", async () => {
    const clock = { now: 5_000_000 };
    const dead = redisRetries(redis.client(), { delaysMs: [30 * SEC], leaseMs: 60 * SEC, clock: () => clock.now });
    const alive = redisRetries(redis.client(), { delaysMs: [30 * SEC], leaseMs: 60 * SEC, clock: () => clock.now });
    await dead.failed(KEY, TARGET, labelBy("ann", "draft"), new Error("502"));
    clock.now += 30 * SEC;
    // The first instance takes it and dies in the middle (its work never settles).
    await new Promise<void>((taken) => void dead.retryDue(() => (taken(), new Promise<void>(() => {})), quietLog()));
    const ran: Retry[] = [];
    await alive.retryDue(async (retry) => void ran.push(retry), quietLog());
    expect(ran).toEqual([]); // leased
    clock.now += 60 * SEC;
    await alive.retryDue(async (retry) => void ran.push(retry), quietLog());
    expect(ran).toHaveLength(1);
    expect(await alive.status()).toMatchObject({ pending: 0 });
  });

  it("an entry someone wrote into Redis by hand is checked like any input: a bad target is never retried", async () => {
    const client = redis.client();
    await client.zadd("sep-bot:retry:due", 0, "x/y#1");
    await client.hset("sep-bot:retry:entry:x/y#1", { target: JSON.stringify({ owner: "x/../../etc", repo: "y", number: 1, defaultBranch: "main", installation: 1 }), attempt: "0", version: "1" });
    const queue = redisRetries(redis.client(), { delaysMs: [30 * SEC] });
    const ran: Retry[] = [];
    await queue.retryDue(async (retry) => void ran.push(retry), quietLog());
    expect(ran).toEqual([]);
  });
});
