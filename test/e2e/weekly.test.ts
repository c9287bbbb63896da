import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryCoordinator } from "../../src/delivery/coordinator.js";
import { MemorySweepLock, RedisSweepLock, type SweepLock } from "../../src/run/server/schedule.js";
import { startFollowUps, startWeekly, untilEndOfWeek, weeklyRun } from "../../src/run/server/weekly.js";
import { digestMarker } from "../../src/github/digest.js";
import { isoWeek } from "../../src/reports/digest/render.js";
import { STATUS_MARKER } from "../../src/governance/model/record.js";
import { APP_ID, BOT, GitHubFake, INSTALLATION_ID, OWNER, REPO, testLog, testOctokitClass, testPrivateKey, WIF_PATH, WIF_RENAMED } from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";
import { useRedis } from "../helpers/redis.js";
import { sepText } from "../helpers/sep.js";
import { until } from "../helpers/wait.js";

/**
 * The server's weekly work through Probot's app authentication: every
 * installation, every repository, the sweep then the digest; once per slot
 * across instances; a server that was down at the slot catches up; a sweep
 * stopped by its budget is followed up (after an injected delay) until done.
 */

useNock();
const redis = useRedis();

// Stopping waits for the work in flight: none of it reaches the next test's fake.
let stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  stops = [];
});

const app = () => new Probot({ appId: APP_ID, privateKey: testPrivateKey(), Octokit: testOctokitClass(), log: testLog() });


describe("the weekly schedule in the server", () => {
  it("at a slot, two instances sharing the lock: one sweep and one digest per repository", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, createdAt: new Date(Date.now() - 3 * 86_400_000).toISOString() }).install();
    fake.clock = Date.now();
    // One slot two seconds from now (its previous one a year ago: no catch-up), asked of the lock by both instances.
    const at = new Date(Date.now() + 2000);
    const cron = `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
    const shared = new MemorySweepLock();
    const asked: Array<[string, boolean]> = [];
    const lock: SweepLock = { acquire: async (slot, ttl) => (asked.push([slot, await shared.acquire(slot, ttl)]), asked.at(-1)![1]), release: (slot) => shared.release(slot) };
    for (let i = 0; i < 2; i++) stops.push(startWeekly(app(), { coordinator: new MemoryCoordinator(), lock, cron, env: {} }).stop);
    const slots = () => asked.filter(([slot]) => !slot.startsWith("digest:"));
    // The slot comes 1-2 s after the start, then the sweep and the digest: a loaded machine needs more than the default 8 s.
    await until(() => fake.issues.size > 0 && slots().length === 2, "the slot's sweep and digest, asked of the lock by both");
    await Promise.all(stops.map((stop) => stop()));
    expect(slots().map(([, mine]) => mine).sort()).toEqual([false, true]);
    expect(new Set(slots().map(([slot]) => slot)).size).toBe(1);
    // The week's digest, asked of the lock once, by the instance that ran the slot.
    expect(asked.filter(([slot]) => slot.startsWith("digest:")).map(([slot, mine]) => [slot.replace(/W\d+$/, "W"), mine])).toEqual([[`digest:${OWNER}/${REPO}:${new Date().getUTCFullYear()}-W`, true]]);
    expect(fake.issues.size).toBe(1);
    expect([...fake.issues.values()][0]!.body).toContain("## Awaiting a sponsor (1)");
    expect(fake.botComments().filter((c) => c.body.includes(STATUS_MARKER))).toHaveLength(1);
    expect(fake.calls("write").filter((c) => c.includes("/check-runs"))).toHaveLength(1);
  });

  it("a server started after this week's slot, with no digest for the week yet, catches up once", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    const monday = new Date("2026-11-23T10:00:00Z"); // the slot was 09:00
    fake.clock = monday.getTime();
    const lock = new MemorySweepLock();
    for (let i = 0; i < 2; i++) stops.push(startWeekly(app(), { coordinator: new MemoryCoordinator(), lock, env: {}, now: () => monday }).stop);
    await until(() => fake.issues.size > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([...fake.issues.values()].map((i) => i.body.includes(digestMarker("2026-W48")))).toEqual([true]);

    // A restart the same week finds the digest: nothing to catch up.
    fake.resetRequests();
    stops.push(startWeekly(app(), { coordinator: new MemoryCoordinator(), lock: new MemorySweepLock(), env: {}, now: () => monday }).stop);
    await until(() => fake.calls().some((c) => c.includes("SepDigestLookup")));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.calls("write")).toEqual([]);
  });

  it("before this week's slot, a start catches nothing up", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    const early = new Date("2026-11-30T08:00:00Z"); // Monday of 2026-W49, an hour before its slot
    stops.push(startWeekly(app(), { coordinator: new MemoryCoordinator(), lock: new MemorySweepLock(), env: {}, now: () => early }).stop);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.calls()).toEqual([]);
  });
});

/** A budget of 4 writes and SEPs needing 3 each on install: two a run. */
function budgeted(pulls: number): GitHubFake {
  const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, config: "sweep:\n  maxWrites: 4\n" }).install();
  for (let i = 1; i < pulls; i++) {
    const number = 2000 + i;
    const text = sepText({ heading: `# SEP-${number}: Widgets`, status: "Draft", sponsor: "None (seeking sponsor)", pr: `https://github.com/${OWNER}/${REPO}/pull/${number}`, authors: "Pieter (@pieter)" });
    fake.openPullRequest({ number, createdAt: `2026-11-20T1${i}:00:00Z`, changes: { [`seps/${number}-widgets.md`]: text } });
  }
  return fake;
}
const recorded = (fake: GitHubFake) => [...fake.pulls.keys()].filter((n) => fake.botComments(n).some((c) => c.body.includes(STATUS_MARKER)));
/** Bulk reads: each sweep's, and each digest's. */
const sweeps = (fake: GitHubFake) => fake.calls().filter((c) => c.endsWith("SepSweepRepo")).length;
const MONDAY = new Date("2026-11-23T10:00:00Z"); // an hour after the slot: a start catches up

describe("two runs in one week never post two digests", () => {
  it("an instance starting while another runs this week's slot leaves it to that one (the catch-up takes the slot's own lock)", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    fake.clock = MONDAY.getTime();
    const shared = new MemorySweepLock();
    // The slot's instance holds the slot (and is still sweeping): a second instance starts.
    expect(await shared.acquire("2026-11-23T09:00Z", 6 * 3600)).toBe(true);
    stops.push(startWeekly(app(), { coordinator: new MemoryCoordinator(), lock: shared, env: {}, now: () => MONDAY }).stop);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.calls()).toEqual([]); // no catch-up of a slot someone holds
  });

  it("two runs of one week at once (a second slot, a catch-up): one creates the week's issue, the other leaves it", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    fake.clock = MONDAY.getTime();
    fake.latency = { read: 5, write: 10 };
    const lock = new MemorySweepLock();
    const octokit = await app().auth(INSTALLATION_ID);
    const quiet = { info() {}, warn() {} };
    const run = () => weeklyRun(octokit as never, OWNER, REPO, { coordinator: new MemoryCoordinator(), lock, log: quiet, env: {}, now: () => MONDAY });
    await Promise.all([run(), run()]);
    expect(fake.issues.size).toBe(1);
  });
});

describe("a sweep stopped by its budget, in the server", () => {
  it("is followed up, only the sweep, until a run finishes", async () => {
    const fake = budgeted(5);
    fake.clock = MONDAY.getTime();
    stops.push(startWeekly(app(), { coordinator: new MemoryCoordinator(), lock: new MemorySweepLock(), env: {}, now: () => MONDAY, followUpDelayMs: 10 }).stop);
    await until(() => recorded(fake).length === 5);
    await new Promise((resolve) => setTimeout(resolve, 300)); // nothing is left: no further follow-up
    // The catch-up's sweep and its digest's read, then two follow-ups (sweeps only): two PRs, then the last.
    expect(sweeps(fake)).toBe(4);
    expect(fake.issues.size).toBe(1);
    expect(fake.calls("write").filter((c) => c.endsWith(`/repos/${OWNER}/${REPO}/issues`))).toHaveLength(1); // one digest, never edited by a follow-up
    expect(fake.calls("write").filter((c) => c.includes("/check-runs"))).toHaveLength(5);
  });

  it("stops following up after maxFollowUps; stop() cancels a pending one", async () => {
    const fake = budgeted(5);
    fake.clock = MONDAY.getTime();
    stops.push(startWeekly(app(), { coordinator: new MemoryCoordinator(), lock: new MemorySweepLock(), env: {}, now: () => MONDAY, followUpDelayMs: 10, maxFollowUps: 1 }).stop);
    await until(() => recorded(fake).length === 4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sweeps(fake)).toBe(3); // the catch-up's sweep and digest, one follow-up
    expect(recorded(fake)).toHaveLength(4);

    const next = budgeted(3);
    next.clock = MONDAY.getTime();
    const probot = app();
    const said: string[] = [];
    const info = probot.log.info.bind(probot.log);
    probot.log.info = ((...args: unknown[]) => (said.push(String(args.at(-1))), (info as (...a: unknown[]) => void)(...args))) as typeof probot.log.info;
    const weekly = startWeekly(probot, { coordinator: new MemoryCoordinator(), lock: new MemorySweepLock(), env: {}, now: () => MONDAY, followUpDelayMs: 600 });
    await until(() => next.issues.size === 1 && said.some((m) => /stopped early: follow-up 1 at/.test(m)), "the catch-up done, its follow-up pending");
    await weekly.stop();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(sweeps(next)).toBe(2);
    expect(recorded(next)).toHaveLength(2);
  });

  it.each<[string, () => [SweepLock, SweepLock]]>([
    ["one MemorySweepLock", () => { const lock = new MemorySweepLock(); return [lock, lock]; }],
    ["a real Redis (two clients)", () => [new RedisSweepLock(redis.client()), new RedisSweepLock(redis.client())]],
  ])("two instances scheduling the same follow-up, sharing %s: one runs it", async (_name, locks) => {
    const fake = budgeted(3);
    fake.clock = MONDAY.getTime();
    const instances = locks().map((lock) => startFollowUps(app(), { coordinator: new MemoryCoordinator(), lock, now: () => MONDAY, delayMs: 10, max: 24 }));
    stops.push(...instances.map((i) => i.stop));
    for (const instance of instances) instance.schedule({ installation: INSTALLATION_ID, owner: OWNER, repo: REPO, private: false });
    await until(() => recorded(fake).length === 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sweeps(fake)).toBe(2); // follow-up 1 (two PRs, stopped), follow-up 2 (the last): each by one instance
    for (const n of fake.pulls.keys()) expect(fake.botComments(n).filter((c) => c.author === BOT), `#${n}`).toHaveLength(1);
  });
});


describe("the week's digest lock", () => {
  const WEEK = isoWeek(MONDAY.toISOString());
  const DIGEST_KEY = `sep-bot:sweep:digest:${OWNER}/${REPO}:${WEEK}`;
  const quiet = { info() {}, warn() {} };
  const run = async (lock: SweepLock) =>
    weeklyRun((await app().auth(INSTALLATION_ID)) as never, OWNER, REPO, { coordinator: new MemoryCoordinator(), lock, log: quiet, env: {}, now: () => MONDAY });

  it("is taken by the run that creates the week's issue, and lasts to the end of the ISO week (a slow run never outlives it)", async () => {
    await redis.flush();
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    fake.clock = MONDAY.getTime();
    await run(new RedisSweepLock(redis.client()));
    expect(fake.issues.size).toBe(1);
    // Monday 10:00 to the next Monday 00:00 is 6 days 14 hours; a day's margin on top.
    expect(untilEndOfWeek(MONDAY)).toBe((6 * 24 + 14) * 3600 + 86_400);
    const ttl = await redis.client().ttl(DIGEST_KEY);
    expect(ttl).toBeGreaterThan(untilEndOfWeek(MONDAY) - 60);
    expect(ttl).toBeLessThanOrEqual(untilEndOfWeek(MONDAY));
  });

  it("a digest that failed lets its lock go: a later run the same week posts it", async () => {
    await redis.flush();
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    fake.clock = MONDAY.getTime();
    fake.inject({ method: "POST", path: `/repos/${OWNER}/${REPO}/issues`, reply: { status: 403, body: { message: "Resource not accessible by integration" } } });
    const lock = new RedisSweepLock(redis.client());
    await expect(run(lock)).rejects.toThrow(/Resource not accessible/);
    expect(await redis.client().exists(DIGEST_KEY)).toBe(0);
    expect(fake.issues.size).toBe(0);
    await run(lock);
    expect(fake.issues.size).toBe(1);
    expect(await redis.client().exists(DIGEST_KEY)).toBe(1);
  });

  it("the catch-up's \"is this week's digest there?\" uses the repository's own digest label", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, config: "digest:\n  label: weekly-digest\n" }).install();
    fake.clock = MONDAY.getTime();
    fake.issues.set(7001, { number: 7001, title: `SEP digest: ${WEEK}`, body: `# SEP digest\n\n${digestMarker(WEEK)}\n`, labels: ["weekly-digest"], author: BOT, state: "open", createdAt: "2026-11-23T09:05:00Z" });
    const weekly = startWeekly(app(), { coordinator: new MemoryCoordinator(), lock: new MemorySweepLock(), env: {}, now: () => MONDAY });
    stops.push(weekly.stop);
    await until(() => fake.calls().some((c) => c.endsWith("SepDigestIssues")));
    await weekly.stop(); // the catch-up is done
    expect(fake.calls().filter((c) => c.includes("/graphql"))).toEqual(["POST /graphql SepDigestLookup", "POST /graphql SepDigestIssues"]);
    expect(fake.calls("write")).toEqual([]);
  });
});

describe("an instance stopped in the middle of this week's slot (SIGTERM)", () => {
  const SLOT = "2026-11-23T09:00Z";
  const SLOT_KEY = `sep-bot:sweep:${SLOT}`;
  const DIGEST_KEY = `sep-bot:sweep:digest:${OWNER}/${REPO}:${isoWeek(MONDAY.toISOString())}`;
  /** A lock that records what it was asked and answered. */
  const recording = (lock: SweepLock) => {
    const asked: Array<[string, boolean]> = [];
    return { asked, lock: { acquire: async (slot: string, ttl: number) => (asked.push([slot, await lock.acquire(slot, ttl)]), asked.at(-1)![1]), release: (slot: string) => lock.release(slot) } satisfies SweepLock };
  };

  it("lets the slot go; the replacement, refused at its start, catches the week up when it looks again", async () => {
    await redis.flush();
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    fake.clock = MONDAY.getTime();
    // The old instance is still listing the repositories when it is stopped: its listing waits until the stop has begun.
    let letGo!: () => void;
    const stopBegun = new Promise<void>((resolve) => (letGo = resolve));
    fake.inject({ method: "GET", path: "/installation/repositories", before: () => stopBegun });
    const old = startWeekly(app(), { coordinator: new MemoryCoordinator(), lock: new RedisSweepLock(redis.client()), env: {}, now: () => MONDAY });
    stops.push(old.stop);
    await until(() => fake.calls().includes("GET /installation/repositories"));
    expect(await redis.client().exists(SLOT_KEY)).toBe(1);

    // The replacement starts (a rolling deploy) while the old one holds the slot: its catch-up is refused.
    const replacement = recording(new RedisSweepLock(redis.client()));
    stops.push(startWeekly(app(), { coordinator: new MemoryCoordinator(), lock: replacement.lock, env: {}, now: () => MONDAY, catchUpRetryMs: 50 }).stop);
    await until(() => replacement.asked.length > 0);
    expect(replacement.asked[0]).toEqual([SLOT, false]);

    const stopping = old.stop();
    letGo();
    await stopping;
    await until(() => fake.issues.size === 1);
    const slotAnswers = replacement.asked.filter(([slot]) => slot === SLOT).map(([, mine]) => mine);
    expect(slotAnswers.at(-1)).toBe(true); // refused while the old instance held it, then the replacement's
    expect(slotAnswers.filter(Boolean)).toHaveLength(1);
    // One sweep and one digest read, both the replacement's: the old instance swept nothing.
    await until(() => fake.calls().filter((c) => c.endsWith("SepSweepRepo")).length === 2);
    expect([...fake.issues.values()][0]!.body).toContain(digestMarker(isoWeek(MONDAY.toISOString())));
    expect(fake.botComments().filter((c) => c.body.includes(STATUS_MARKER))).toHaveLength(1);
    expect(await redis.client().exists(SLOT_KEY)).toBe(1); // the replacement finished the slot: its key is kept
  });

  it("past the server's bound (abandon): the slot's and the digest's locks are released at once, and only this instance's", async () => {
    await redis.flush();
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    fake.clock = MONDAY.getTime();
    let abandoned: Promise<void> | null = null;
    let weekly: ReturnType<typeof startWeekly> | null = null;
    const keysWhenAbandoned: number[] = [];
    // The digest is being created when the bound runs out: the request waits until the stop has let go.
    fake.inject({ method: "POST", path: `/repos/${OWNER}/${REPO}/issues`, before: () => (abandoned = (async () => {
      keysWhenAbandoned.push(await redis.client().exists(SLOT_KEY, DIGEST_KEY));
      await weekly!.abandon();
    })()) });
    weekly = startWeekly(app(), { coordinator: new MemoryCoordinator(), lock: new RedisSweepLock(redis.client()), env: {}, now: () => MONDAY });
    stops.push(weekly.stop);
    await until(() => abandoned !== null);
    await abandoned;
    expect(keysWhenAbandoned).toEqual([2]);
    expect(await redis.client().exists(SLOT_KEY, DIGEST_KEY)).toBe(0);
  });
});
