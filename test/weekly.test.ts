import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryCoordinator } from "../src/delivery/coordinator.js";
import { MemorySweepLock } from "../src/schedule.js";
import { startWeekly } from "../src/weekly.js";
import { digestMarker } from "../src/digest.js";
import { STATUS_MARKER } from "../src/process/state.js";
import { APP_ID, GitHubFake, testLog, testOctokitClass, testPrivateKey, WIF_PATH, WIF_RENAMED } from "./helpers/github-fake.js";
import { useNock } from "./helpers/octokit.js";

/**
 * The server's weekly work through Probot's app authentication: every
 * installation, every repository, the sweep then the digest; once per slot
 * across instances; a server that was down at the slot catches up.
 */

useNock();

let stops: Array<() => void> = [];
afterEach(() => {
  stops.forEach((stop) => stop());
  stops = [];
});

const app = () => new Probot({ appId: APP_ID, privateKey: testPrivateKey(), Octokit: testOctokitClass(), log: testLog() });

async function until(condition: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the weekly schedule in the server", () => {
  it("at a slot, two instances sharing the lock: one sweep and one digest per repository", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, createdAt: new Date(Date.now() - 3 * 86_400_000).toISOString() }).install();
    fake.clock = Date.now();
    const lock = new MemorySweepLock();
    for (let i = 0; i < 2; i++) stops.push(startWeekly(app(), { coordinator: new MemoryCoordinator(), lock, cron: "* * * * * *", env: {} }).stop);
    await until(() => fake.issues.size > 0);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the next slots run too, and change nothing
    stops.forEach((stop) => stop());
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
    await until(() => fake.calls().some((c) => c.includes("SepDigestIssues")));
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
