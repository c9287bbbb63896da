import { randomUUID } from "node:crypto";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryCoordinator } from "../../src/delivery/coordinator.js";
import { sepBot } from "../../src/run/app.js";
import { MemorySweepLock, type SweepLock } from "../../src/run/server/schedule.js";
import { startWeekly, type Weekly } from "../../src/run/server/weekly.js";
import { STATUS_MARKER } from "../../src/governance/model/record.js";
import { APP_ID, BOT, GitHubFake, INSTALLATION_ID, OWNER, REPO, testLog, testOctokitClass, testPrivateKey, testProbot, WIF_PATH, WIF_RENAMED } from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";
import { sepText } from "../helpers/sep.js";
import { until } from "../helpers/wait.js";

/**
 * Install day on a running server: GitHub tells the App it was installed
 * (`installation.created`) or given more repositories
 * (`installation_repositories.added`), and those repositories get their first
 * sweep a minute later (here a few milliseconds), on one instance, followed
 * up while the write budget stops it, instead of waiting for Monday's slot.
 */

useNock();

let stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  stops = [];
});

// Monday of 2026-W49, an hour before its slot: no catch-up runs, only what the install starts.
const EARLY = new Date("2026-11-30T08:00:00Z");

/** A budget of 4 writes and SEPs needing 3 each on first contact: two a run. */
function budgeted(pulls: number): GitHubFake {
  const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, config: "sweep:\n  maxWrites: 4\n", createdAt: "2026-11-20T10:00:00Z" }).install();
  for (let i = 1; i < pulls; i++) {
    const number = 2000 + i;
    const text = sepText({ heading: `# SEP-${number}: Widgets`, status: "Draft", sponsor: "None (seeking sponsor)", pr: `https://github.com/${OWNER}/${REPO}/pull/${number}`, authors: "Pieter (@pieter)" });
    fake.openPullRequest({ number, createdAt: `2026-11-20T1${i}:00:00Z`, changes: { [`seps/${number}-widgets.md`]: text } });
  }
  fake.clock = EARLY.getTime();
  return fake;
}
const recorded = (fake: GitHubFake) => [...fake.pulls.keys()].filter((n) => fake.botComments(n).some((c) => c.body.includes(STATUS_MARKER)));
const sweeps = (fake: GitHubFake) => fake.calls().filter((c) => c.endsWith("SepSweepRepo")).length;


/** An instance as `sep-bot serve` wires it: the app's install events feed the weekly work's follow-ups. */
async function instance(lock: SweepLock, o: { resumeDelayMs?: number } = {}): Promise<{ probot: Probot; weekly: Weekly }> {
  const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), Octokit: testOctokitClass(), log: testLog() });
  const weekly = startWeekly(probot, { coordinator: new MemoryCoordinator(), lock, env: {}, now: () => EARLY, installDelayMs: 10, followUpDelayMs: 10, ...o });
  stops.push(weekly.stop);
  await probot.load(sepBot({ botLogin: BOT, now: () => EARLY, coordinator: new MemoryCoordinator(), onInstalled: (targets) => weekly.installed(targets) }), { cwd: process.cwd(), addHandler: () => {} });
  return { probot, weekly };
}

const repository = { id: 1, node_id: "R_1", name: REPO, full_name: `${OWNER}/${REPO}`, private: false };
const installation = { id: INSTALLATION_ID, account: { login: OWNER, type: "Organization" } };
const sender = { login: "grace", type: "User" };
const installed = (id = randomUUID()) => ({ id, name: "installation", payload: { action: "created", installation, repositories: [repository], sender } });
const added = (id = randomUUID()) => ({ id, name: "installation_repositories", payload: { action: "added", installation, repository_selection: "selected", repositories_added: [repository], repositories_removed: [], sender } });
const receive = (probot: Probot, event: ReturnType<typeof installed> | ReturnType<typeof added>) => probot.receive(event as unknown as Parameters<Probot["receive"]>[0]);

describe("the App installed on a running server", () => {
  it("installation.created: the repositories are swept soon, followed up by budget until every SEP is met; one instance runs each sweep, no digest", async () => {
    const fake = budgeted(5);
    const lock = new MemorySweepLock();
    const asked: string[] = [];
    const shared: SweepLock = { acquire: async (slot, ttl) => (asked.push(slot), lock.acquire(slot, ttl)), release: (slot) => lock.release(slot) };
    const [a, b] = [await instance(shared), await instance(shared)];
    // The same delivery reaches both instances (a redelivery behind the load balancer): each schedules, one sweeps.
    const event = installed();
    await Promise.all([receive(a.probot, event), receive(b.probot, event)]);
    await until(() => recorded(fake).length === 5);
    await Promise.all([a.weekly.stop(), b.weekly.stop()]);

    // The first sweep (two SEPs within the budget), then follow-ups 1 (two) and 2 (the last).
    expect(sweeps(fake)).toBe(3);
    expect(asked.filter((slot) => slot.startsWith("install:"))).toEqual([`install:${OWNER}/${REPO}:2026-11-30T08:00Z`, `install:${OWNER}/${REPO}:2026-11-30T08:00Z`]);
    expect(asked.filter((slot) => slot.startsWith("follow-up:")).map((slot) => slot.replace(/^.*#/, "#"))).toEqual(["#1", "#2"]);
    for (const n of fake.pulls.keys()) expect(fake.botComments(n).filter((c) => c.body.includes(STATUS_MARKER)), `#${n}`).toHaveLength(1);
    expect(fake.issues.size).toBe(0); // the week's digest waits for its slot
  });

  it("installation_repositories.added: the added repositories are swept soon", async () => {
    const fake = budgeted(2);
    const { probot, weekly } = await instance(new MemorySweepLock());
    await receive(probot, added());
    await until(() => recorded(fake).length === 2);
    await weekly.stop();
    expect(sweeps(fake)).toBe(1);
    expect(fake.calls("write").filter((c) => c.includes("/check-runs"))).toHaveLength(2);
  });

  it("without an install handler (the Action, an app with no schedule), the event does nothing", async () => {
    const fake = budgeted(2);
    const probot = await testProbot();
    await receive(probot, installed());
    await receive(probot, added());
    expect(fake.calls()).toEqual([]);
  });

  it("a restart drops the pending follow-ups: a few minutes after the start each repository is swept again, on one instance, and followed up until every SEP is met", async () => {
    const fake = budgeted(5); // installed earlier; its install-day chain was cut by a deploy
    const lock = new MemorySweepLock();
    const asked: string[] = [];
    const shared: SweepLock = { acquire: async (slot, ttl) => (asked.push(slot), lock.acquire(slot, ttl)), release: (slot) => lock.release(slot) };
    // Two instances restarted together.
    await Promise.all([instance(shared, { resumeDelayMs: 10 }), instance(shared, { resumeDelayMs: 10 })]);
    await until(() => recorded(fake).length === 5);
    await Promise.all(stops.map((stop) => stop()));
    stops = [];
    expect(asked.filter((slot) => slot.startsWith("resume:"))).toEqual([`resume:${OWNER}/${REPO}:2026-11-30T08:00Z`, `resume:${OWNER}/${REPO}:2026-11-30T08:00Z`]);
    expect(sweeps(fake)).toBe(3); // the start-up sweep (one instance), then follow-ups 1 and 2
    for (const n of fake.pulls.keys()) expect(fake.botComments(n).filter((c) => c.body.includes(STATUS_MARKER)), `#${n}`).toHaveLength(1);
  });
});
