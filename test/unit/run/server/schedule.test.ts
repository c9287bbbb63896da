import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cronError, MemorySweepLock, nextRun, RedisSweepLock, startSchedule, type SweepLock } from "../../../../src/run/server/schedule.js";
import { useRedis } from "../../../helpers/redis.js";
import { until } from "../../../helpers/wait.js";

/**
 * The sweep schedule: croner's cron in UTC, one run per slot across
 * instances (in one process, and through a real redis-server), failures
 * logged and survived. Only the tests of two instances run live (an
 * every-second cron, a few seconds at most); one schedule, its failures and
 * its slot arithmetic run on a fake clock.
 */

const EVERY_SECOND = "* * * * * *";

function recordingLog() {
  const info: string[] = [];
  const warn: Array<{ obj: object; msg: string }> = [];
  return { info, warn, log: { info: (msg: string) => void info.push(msg), warn: (obj: object, msg: string) => void warn.push({ obj, msg }) } };
}

const SKIPPED = /^sweep (\S+): another instance runs it$/;

/** Two instances of the schedule, each with its own lock object (sharing whatever they share). */
async function twoInstances(locks: [SweepLock, SweepLock]) {
  const runs: Array<{ instance: number; slot: string; scheduledAt: Date }> = [];
  const logs = [recordingLog(), recordingLog()];
  const skipped = () => logs.flatMap((l) => l.info.map((m) => SKIPPED.exec(m)?.[1]).filter((slot) => slot !== undefined));
  // Slots both instances have ticked for (one ran it, one skipped it, if all is well).
  const seenByBoth = () => {
    const ticks = [...runs.map((r) => r.slot), ...skipped()];
    return new Set(ticks.filter((slot) => ticks.filter((t) => t === slot).length >= 2)).size;
  };
  // Lock calls under way: a tick that fired before the stop records its run or its skip once its call answers.
  let asking = 0;
  const counted = (lock: SweepLock): SweepLock => ({
    acquire: async (slot, ttl) => {
      asking++;
      try {
        return await lock.acquire(slot, ttl);
      } finally {
        asking--;
      }
    },
    release: (slot) => lock.release(slot),
  });
  const schedules = locks.map((lock, instance) =>
    startSchedule({ cron: EVERY_SECOND, lock: counted(lock), log: logs[instance]!.log, run: async (slot, scheduledAt) => void runs.push({ instance, slot, scheduledAt }) }),
  );
  try {
    await until(() => seenByBoth() >= 2);
  } finally {
    schedules.forEach((s) => s.stop());
  }
  await until(() => asking === 0); // a tick already past its timer finishes its lock round trip
  return { runs, skipped: skipped(), warnings: logs.flatMap((l) => l.warn) };
}

function expectOncePerSlot({ runs, skipped, warnings }: Awaited<ReturnType<typeof twoInstances>>) {
  const slots = runs.map((r) => r.slot);
  expect(new Set(slots).size).toBe(slots.length);
  for (const { slot, scheduledAt } of runs) {
    expect(slot).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(scheduledAt.getTime() % 1000).toBe(0);
    expect(slot).toBe(scheduledAt.toISOString().replace(".000Z", "Z"));
  }
  // Whatever an instance skipped, the other ran; and both ticked for at least two slots.
  expect(skipped.length).toBeGreaterThanOrEqual(2);
  for (const slot of skipped) expect(slots).toContain(slot);
  expect(new Set(skipped).size).toBe(skipped.length);
  expect(warnings).toEqual([]);
}

describe("cronError and nextRun", () => {
  it("accepts five-field (and six-field) UTC crons", () => {
    expect(cronError("0 9 * * 1")).toBeNull();
    expect(cronError(EVERY_SECOND)).toBeNull();
    expect(cronError("@weekly")).toBeNull();
  });

  it("rejects bad ones with a one-line message", () => {
    for (const bad of ["61 * * * *", "not a cron", "0 9 * *", "", "2026-12-01T10:00:00"]) {
      const message = cronError(bad);
      expect(message, bad).toEqual(expect.any(String));
      expect(message!.length).toBeGreaterThan(5);
      expect(message).not.toContain("\n");
    }
    expect(cronError("61 * * * *")).toMatch(/minute/);
    expect(cronError("not a cron")).toMatch(/five, six, or seven/);
    expect(cronError("2026-12-01T10:00:00")).toMatch(/date/);
  });

  it("nextRun: Monday 09:00 UTC after a Tuesday is the next Monday, and strictly after `from`", () => {
    expect(nextRun("0 9 * * 1", new Date("2026-12-01T10:00:00Z"))).toEqual(new Date("2026-12-07T09:00:00Z"));
    expect(nextRun("0 9 * * 1", new Date("2026-12-07T09:00:00Z"))).toEqual(new Date("2026-12-14T09:00:00Z"));
    expect(nextRun("0 0 30 2 *", new Date("2026-12-01T10:00:00Z"))).toBeNull();
  });
});

describe("MemorySweepLock", () => {
  it("gives a slot once, and again after its ttl", async () => {
    // On a fake clock: a 50 ms ttl on the real one could run out between two calls on a loaded machine.
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-12-07T09:00:00Z"));
    try {
      const lock = new MemorySweepLock();
      expect(await lock.acquire("a", 0.05)).toBe(true);
      expect(await lock.acquire("a", 0.05)).toBe(false);
      expect(await lock.acquire("b", 0.05)).toBe(true);
      vi.advanceTimersByTime(100);
      expect(await lock.acquire("a", 0.05)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("release gives a slot back at once", async () => {
    const lock = new MemorySweepLock();
    expect(await lock.acquire("a", 60)).toBe(true);
    await lock.release("a");
    expect(await lock.acquire("a", 60)).toBe(true);
  });
});

describe("two instances", () => {
  const redis = useRedis();
  beforeEach(() => redis.flush());

  it("sharing one MemorySweepLock: each slot runs exactly once", async () => {
    const lock = new MemorySweepLock();
    expectOncePerSlot(await twoInstances([lock, lock]));
  });

  it("sharing a real Redis (two clients): each slot runs exactly once, its key kept with a TTL", async () => {
    const result = await twoInstances([new RedisSweepLock(redis.client()), new RedisSweepLock(redis.client())]);
    expectOncePerSlot(result);
    const client = redis.client();
    for (const { slot } of result.runs) {
      const key = `sep-bot:sweep:${slot}`;
      expect(await client.get(key)).toContain(`:${process.pid}:`);
      const ttl = await client.ttl(key);
      expect(ttl).toBeGreaterThan(6 * 3600 - 60); // the default, six hours
      expect(ttl).toBeLessThanOrEqual(6 * 3600);
    }
  });

  it("RedisSweepLock: the first caller wins, under its prefix and ttl", async () => {
    const [a, b] = [new RedisSweepLock(redis.client(), "x:"), new RedisSweepLock(redis.client(), "x:")];
    expect(await Promise.all([a.acquire("s", 60), b.acquire("s", 60)])).toEqual(expect.arrayContaining([true, false]));
    expect(await b.acquire("s", 60)).toBe(false);
    expect(await b.acquire("t", 60)).toBe(true);
    const ttl = await redis.client().ttl("x:s");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it("RedisSweepLock.release deletes the key only while it is still the holder's (it may have expired and gone to another)", async () => {
    const client = redis.client();
    const [a, b] = [new RedisSweepLock(redis.client(), "y:"), new RedisSweepLock(redis.client(), "y:")];
    expect(await a.acquire("s", 60)).toBe(true);
    await a.release("s");
    expect(await client.exists("y:s")).toBe(0);
    expect(await b.acquire("s", 60)).toBe(true); // free again: another run takes it

    expect(await a.acquire("t", 60)).toBe(true);
    await client.del("y:t"); // a's key expired...
    expect(await b.acquire("t", 60)).toBe(true); // ...and b took the slot
    const bs = await client.get("y:t");
    await a.release("t");
    expect(await client.get("y:t")).toBe(bs); // b's key stays
    await b.release("never-taken"); // nothing to release: no error
  });
});

describe("one schedule, on a fake clock", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-12-07T08:59:59.500Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("a run that throws is logged, and the next slot still runs", async () => {
    const { log, warn } = recordingLog();
    const slots: string[] = [];
    const schedule = startSchedule({
      cron: EVERY_SECOND,
      lock: new MemorySweepLock(),
      log,
      run: async (slot) => {
        slots.push(slot);
        if (slots.length === 1) throw new Error("GitHub is down");
      },
    });
    await vi.advanceTimersByTimeAsync(2000);
    schedule.stop();
    expect(slots).toEqual(["2026-12-07T09:00:00Z", "2026-12-07T09:00:01Z"]);
    expect(warn).toHaveLength(1);
    expect(warn[0]!.msg).toBe(`sweep ${slots[0]} failed`);
    expect(warn[0]!.obj).toMatchObject({ slot: slots[0], err: expect.objectContaining({ message: "GitHub is down" }) });
  });

  it("a lock that fails (Redis unreachable) is logged too, and does not stop the schedule", async () => {
    const { log, warn } = recordingLog();
    let calls = 0;
    const lock: SweepLock = { acquire: async () => (++calls === 1 ? Promise.reject(new Error("ECONNREFUSED")) : true), release: async () => {} };
    const slots: string[] = [];
    const schedule = startSchedule({ cron: EVERY_SECOND, lock, log, run: async (slot) => void slots.push(slot) });
    await vi.advanceTimersByTimeAsync(2000);
    schedule.stop();
    expect(warn.map((w) => (w.obj as { err: Error }).err.message)).toEqual(["ECONNREFUSED"]);
    expect(slots).toEqual(["2026-12-07T09:00:01Z"]);
  });

  it("stop() stops further runs", async () => {
    let runs = 0;
    const schedule = startSchedule({ cron: EVERY_SECOND, lock: new MemorySweepLock(), log: recordingLog().log, run: async () => void runs++ });
    expect(schedule.next()).toEqual(new Date("2026-12-07T09:00:00Z"));
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(1);
    schedule.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(1);
    expect(schedule.next()).toBeNull();
  });
});

describe("slots, on a fake clock", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("a five-field cron: the slot is the scheduled minute, the run gets the scheduled time", async () => {
    vi.setSystemTime(new Date("2026-12-07T08:59:58Z"));
    const runs: Array<[string, Date]> = [];
    const schedule = startSchedule({ cron: "0 9 * * 1", lock: new MemorySweepLock(), log: recordingLog().log, run: async (...r) => void runs.push(r) });
    expect(schedule.next()).toEqual(new Date("2026-12-07T09:00:00Z"));
    await vi.advanceTimersByTimeAsync(3000);
    schedule.stop();
    expect(runs).toEqual([["2026-12-07T09:00Z", new Date("2026-12-07T09:00:00Z")]]);
  });

  it("a sweep still running when the next slots come: they are skipped and logged, not run alongside", async () => {
    vi.setSystemTime(new Date("2026-12-07T08:59:59.500Z"));
    const { log, info } = recordingLog();
    const slots: string[] = [];
    let active = 0;
    let maxActive = 0;
    const run = async (slot: string) => {
      slots.push(slot);
      maxActive = Math.max(maxActive, ++active);
      await new Promise((r) => setTimeout(r, slots.length === 1 ? 2500 : 10));
      active--;
    };
    const schedule = startSchedule({ cron: EVERY_SECOND, lock: new MemorySweepLock(), log, run });
    await vi.advanceTimersByTimeAsync(4000);
    schedule.stop();
    expect(maxActive).toBe(1);
    expect(slots).toEqual(["2026-12-07T09:00:00Z", "2026-12-07T09:00:03Z"]);
    expect(info.filter((m) => m.includes("still running"))).toHaveLength(2);
  });

  it("a timer that fires late still gives the scheduled slot, not the time it fired", async () => {
    vi.setSystemTime(new Date("2026-12-07T08:59:58Z"));
    const runs: Array<[string, Date]> = [];
    const schedule = startSchedule({ cron: "0 0 9 * * 1", lock: new MemorySweepLock(), log: recordingLog().log, run: async (...r) => void runs.push(r) });
    vi.setSystemTime(new Date("2026-12-07T09:00:02.500Z")); // the clock jumps ahead, the timer has not fired yet
    await vi.advanceTimersByTimeAsync(3000);
    schedule.stop();
    expect(runs).toEqual([["2026-12-07T09:00:00Z", new Date("2026-12-07T09:00:00Z")]]);
  });
});
