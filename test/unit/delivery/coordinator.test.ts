import { beforeEach, describe, expect, it } from "vitest";
import { MemoryCoordinator, type Coordinator, type RunInfo } from "../../../src/delivery/coordinator.js";
import { RedisCoordinator } from "../../../src/delivery/redis.js";
import { trigger, type Trigger } from "../../../src/governance/model/trigger.js";
import { useRedis } from "../../helpers/redis.js";
import { until } from "../../helpers/wait.js";

/**
 * The coordinator's promises, the same for one process (memory) and for
 * several instances (a real redis-server): at most one run per key at a
 * time, everything that arrives meanwhile merged into one follow-up, each
 * delivery id once.
 */

const pushBy = (actor: string, n: number): Trigger => trigger({ events: ["pull_request.synchronize"], actors: [actor], pushes: [{ actor, sha: String(n).padStart(40, "0") }] });

/** A work function that records what it ran with, and can be held open until released. */
function recorder() {
  const runs: Array<{ key: string; trigger: Trigger; run: RunInfo }> = [];
  let active = 0;
  let maxActive = 0;
  const gates: Array<() => void> = [];
  // `hold`: the first run of this function waits for release() (a holder runs its follow-ups with its own function).
  const work = (key: string, hold = false) => async (t: Trigger, run: RunInfo) => {
    active++;
    maxActive = Math.max(maxActive, active);
    runs.push({ key, trigger: t, run });
    const first = hold;
    hold = false;
    if (first) await new Promise<void>((resolve) => gates.push(resolve));
    else await new Promise((resolve) => setTimeout(resolve, 20));
    active--;
  };
  return { runs, work, release: () => gates.splice(0).forEach((g) => g()), maxActive: () => maxActive };
}

const redis = useRedis();

/**
 * How many triggers wait behind the holder of `key`: a Redis coordinator's are
 * in the pending list once its script has run (a round trip away), a memory
 * coordinator's in its follow-up batch at once.
 */
let probe: ReturnType<typeof redis.client> | null = null;
async function waiting(coordinator: Coordinator, key: string): Promise<number> {
  if (coordinator instanceof RedisCoordinator) return (probe ??= redis.client()).llen(`sep-bot:pending:${key}`);
  const slot = (coordinator as unknown as { running: Map<string, { pending: { trigger: Trigger } | null }> }).running.get(key);
  return slot?.pending?.trigger.pushes.length ?? 0;
}

const kinds: Array<[string, () => Coordinator[]]> = [
  ["in one process (memory)", () => [new MemoryCoordinator()]],
  ["across two instances (Redis)", () => [new RedisCoordinator(redis.client(), { pollMs: 10 }), new RedisCoordinator(redis.client(), { pollMs: 10 })]],
];

describe.each(kinds)("the coordinator %s", (_name, make) => {
  let coordinators: Coordinator[];
  beforeEach(async () => {
    await redis.flush();
    coordinators = make();
  });
  const at = (i: number) => coordinators[i % coordinators.length]!;

  it("runs the first trigger at once, and merges everything that arrives meanwhile into one follow-up", async () => {
    const r = recorder();
    const first = at(0).enqueue("o/r#1", pushBy("a", 1), r.work("o/r#1", true));
    await until(() => r.runs.length === 1);
    const later = [2, 3, 4, 5].map((n) => at(n).enqueue("o/r#1", pushBy(n % 2 ? "b" : "c", n), r.work("o/r#1")));
    await until(async () => (await waiting(at(0), "o/r#1")) === 4); // they queue; none may start
    await new Promise((res) => setTimeout(res, 60));
    expect(r.runs).toHaveLength(1);
    r.release();
    await Promise.all([first, ...later]);

    expect(r.runs).toHaveLength(2);
    expect(r.maxActive()).toBe(1);
    expect(r.runs[0]!.run.followUp).toBe(false);
    expect(r.runs[1]!.run.followUp).toBe(true);
    // Nothing lost in the merge: every push, every actor, once.
    expect(r.runs[1]!.trigger.pushes.map((p) => Number(p.sha)).sort()).toEqual([2, 3, 4, 5]);
    expect([...r.runs[1]!.trigger.actors].sort()).toEqual(["b", "c"]);
  });

  it("different pull requests run side by side", async () => {
    const r = recorder();
    const one = at(0).enqueue("o/r#1", pushBy("a", 1), r.work("o/r#1", true));
    const two = at(1).enqueue("o/r#2", pushBy("a", 2), r.work("o/r#2", true));
    await until(() => r.runs.length === 2);
    expect(r.maxActive()).toBe(2);
    r.release();
    await Promise.all([one, two]);
  });

  it("a delivery id is claimed once, while handled and once done; releasing it (the delivery failed) lets a redelivery run", async () => {
    const first = await at(0).claim("d-1");
    expect(first).not.toBeNull();
    expect(await at(1).claim("d-1")).toBeNull(); // being handled
    await first!.release();
    const again = await at(1).claim("d-1");
    expect(again).not.toBeNull();
    await again!.done();
    expect(await at(0).claim("d-1")).toBeNull(); // handled
    expect(await at(1).claim("d-1")).toBeNull();
    expect(await at(0).claim("d-2")).not.toBeNull();
  });

  it("a failed run does not stop the follow-up; the follow-up after a failure is not marked as following a success", async () => {
    const r = recorder();
    let gate: () => void = () => {};
    let calls = 0;
    const failing = at(0).enqueue("o/r#1", pushBy("a", 1), async (t, run) => {
      r.runs.push({ key: "o/r#1", trigger: t, run });
      if (++calls > 1) return; // (a Redis holder runs the follow-up with its own function)
      await new Promise<void>((resolve) => (gate = resolve));
      throw new Error("GitHub said 500");
    });
    await until(() => r.runs.length === 1);
    const next = at(1).enqueue("o/r#1", pushBy("b", 2), r.work("o/r#1"));
    await new Promise((res) => setTimeout(res, 40));
    gate();
    await expect(failing).rejects.toThrow("GitHub said 500");
    await next;
    expect(r.runs).toHaveLength(2);
    expect(r.runs[1]!.run.followUp).toBe(false);
    expect(r.runs[1]!.trigger.pushes.map((p) => p.actor)).toEqual(["b"]);
  });
});

describe("the Redis coordinator when an instance dies", () => {
  beforeEach(() => redis.flush());

  it("a holder killed mid-reconcile delays the PR by at most the lock's expiry, and its queued trigger still runs", async () => {
    const { spawn } = await import("node:child_process");
    const lockMs = 1500;
    const key = "sep-bot:lock:o/r#9";
    const client = redis.client();
    // Redis says when a key expires (rather than being deleted): the killed holder's lock must expire, not be released.
    await client.config("SET", "notify-keyspace-events", "Ex");
    const events = redis.client();
    const expired: string[] = [];
    await events.subscribe("__keyevent@0__:expired");
    events.on("message", (_channel: string, k: string) => void expired.push(k));
    // Another instance, in its own process, takes the lock and is killed (SIGKILL: no cleanup, no release).
    const holder = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `import { RedisCoordinator } from "./src/delivery/redis.ts";
         import { Redis } from "ioredis";
         const c = new RedisCoordinator(new Redis(${JSON.stringify(redis.url)}), { lockMs: ${lockMs} });
         c.enqueue("o/r#9", { events: ["x"], pushes: [], labels: [], comments: [], actors: ["a"] }, async () => { console.log("holding"); await new Promise(() => {}); });`,
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve) => holder.stdout!.on("data", (d: Buffer) => d.toString().includes("holding") && resolve()));
    const holderToken = await client.get(key);
    expect(holderToken).toEqual(expect.any(String));

    // While it holds the lock, a delivery arrives at this instance and is queued (every look at the lock refused).
    const mine = new RedisCoordinator(redis.client(), { lockMs, pollMs: 50 });
    const attempts: number[] = [];
    const script = (mine as unknown as { script: (...args: unknown[]) => Promise<[number, string[]]> }).script.bind(mine);
    (mine as unknown as { script: unknown }).script = async (lua: unknown, keys: unknown, args: Array<string | number>) => {
      const reply = await script(lua, keys, args);
      if (args.length === 4) attempts.push(reply[0]); // ACQUIRE: 1 taken, 0 held by another
      return reply;
    };
    const ran: Array<{ trigger: Trigger; lockHeldBy: string | null }> = [];
    const queued = mine.enqueue("o/r#9", pushBy("b", 7), async (t) => void ran.push({ trigger: t, lockHeldBy: await client.get(key) }));

    // The live holder's heartbeat extends its lock: seen twice (its remaining time goes up), and all along
    // the key is the holder's and the queued trigger does not run.
    let extensions = 0;
    let previous = await client.pttl(key);
    for (let samples = 0; extensions < 2; samples++) {
      if (samples > 500) throw new Error("the holder's lock was never extended");
      await new Promise((r) => setTimeout(r, 20));
      const remaining = await client.pttl(key);
      if (remaining > previous) extensions++;
      previous = remaining;
      expect(ran).toEqual([]);
    }
    expect(ran).toEqual([]);
    expect(await client.get(key)).toBe(holderToken);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a === 0)).toBe(true);

    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    // Nothing extends it any more: what is left of it (-2: gone already) bounds the delay; never a key without expiry (-1).
    const left = await client.pttl(key);
    expect(left).not.toBe(-1);
    expect(left).toBeLessThanOrEqual(lockMs);
    await queued;

    // The queued trigger ran once, after the holder's key had gone (the lock was this instance's when it ran),
    // taken at this instance's first successful look; the holder's key expired, nobody deleted it.
    expect(ran).toHaveLength(1);
    expect(ran[0]!.trigger.pushes).toEqual([{ actor: "b", sha: String(7).padStart(40, "0") }]);
    expect(ran[0]!.lockHeldBy).not.toBe(holderToken);
    expect(ran[0]!.lockHeldBy).toEqual(expect.any(String));
    expect(attempts.at(-1)).toBe(1);
    expect(attempts.filter((a) => a === 1)).toHaveLength(1);
    await until(() => expired.includes(key));
    await events.unsubscribe();
  });

  it("a trigger that arrives just as a waiter takes the lock (to release it) is run, not dropped", async () => {
    const mk = () => new RedisCoordinator(redis.client(), { lockMs: 1000, pollMs: 20, maxWaitMs: 5000 });
    const [a, b, c] = [mk(), mk(), mk()];
    const ran: string[] = [];
    const work = (who: string, ms: number) => async (t: Trigger) => {
      ran.push(`${who}:${t.events.join(",")}`);
      await new Promise((r) => setTimeout(r, ms));
    };
    // Force the window: right after b's poll wins the lock with nothing left, c's delivery arrives.
    let late: Promise<void> | null = null;
    const script = (b as unknown as { script: (...args: unknown[]) => Promise<[number, string[]]> }).script.bind(b);
    (b as unknown as { script: unknown }).script = async (lua: unknown, keys: unknown, args: Array<string | number>) => {
      const reply = await script(lua, keys, args);
      if (args[2] === "" && reply[0] === 1 && reply[1].length === 0 && !late) {
        late = c.enqueue("o/r#7", trigger({ events: ["c-event"], actors: ["carol"] }), work("c", 10));
        await new Promise((r) => setTimeout(r, 30));
      }
      return reply;
    };
    const first = a.enqueue("o/r#7", trigger({ events: ["a-event"], actors: ["alice"] }), work("a", 150));
    await until(() => ran.length === 1); // a holds the lock: b queues behind it
    await Promise.all([first, b.enqueue("o/r#7", trigger({ events: ["b-event"], actors: ["bob"] }), work("b", 10))]);
    await late;
    expect(ran.some((r) => r.includes("c-event"))).toBe(true);
  });

  it("a follow-up that fails on the holder fails the deliveries it covered on other instances (so they are redelivered)", async () => {
    const holder = new RedisCoordinator(redis.client(), { pollMs: 10 });
    const waiter = new RedisCoordinator(redis.client(), { pollMs: 10 });
    let release: () => void = () => {};
    let calls = 0;
    const first = holder.enqueue("o/r#8", pushBy("a", 1), async () => {
      calls++;
      if (calls === 1) await new Promise<void>((r) => (release = r));
      else throw new Error("GitHub said 502");
    });
    await until(() => calls === 1);
    const queued = waiter.enqueue("o/r#8", pushBy("b", 2), async () => {});
    await until(async () => (await waiting(waiter, "o/r#8")) === 1); // queued behind the holder
    release();
    await first; // the holder's own run succeeded
    await expect(queued).rejects.toThrow("failed on another instance");
  });

  it("a malformed trigger in Redis (someone wrote the key) is dropped, not trusted", async () => {
    const client = redis.client();
    await client.set("sep-bot:lock:o/r#5", "someone-else", "PX", 300);
    await client.rpush("sep-bot:pending:o/r#5", "{not json", JSON.stringify({ events: [], pushes: [{ actor: "x", sha: "nope" }], labels: [], comments: [], actors: [] }));
    const mine = new RedisCoordinator(redis.client(), { pollMs: 20 });
    const ran: Trigger[] = [];
    await mine.enqueue("o/r#5", pushBy("b", 3), async (t) => void ran.push(t));
    // The lock expired; this instance took over: its own trigger ran, the garbage did not.
    expect(ran.flatMap((t) => t.pushes.map((p) => p.actor))).toEqual(["b"]);
  });
});
