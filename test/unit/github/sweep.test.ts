import { describe, expect, it } from "vitest";
import { readPingMarker, readState, STATUS_MARKER } from "../../../src/governance/model/record.js";
import { READS_AT_ONCE } from "../../../src/github/graphql.js";
import { sweep, type SweepReport } from "../../../src/github/sweep.js";
import { previewOf } from "../../../src/reports/sweep/preview.js";
import { BOT, GitHubFake, OWNER, REPO, WIF_PATH, WIF_RENAMED } from "../../helpers/github-fake/index.js";
import { testOctokit, useNock } from "../../helpers/octokit.js";
import { sepText } from "../../helpers/sep.js";

/**
 * The sweep against the stateful fake: the bulk read, the filter, the
 * reconciles, the budget; cut off after any write and run again.
 */

useNock();

const quiet = { info() {}, warn() {} };
const DAY = 86_400_000;
const CREATED_AT = "2026-11-20T10:00:00Z";
const CREATED = Date.parse(CREATED_AT);
const day = (n: number, hours = 12) => new Date(CREATED + n * DAY + hours * 3_600_000);

/** A sweep at `now`; GitHub's clock moves there too (comments, closing and labels are stamped with it). */
function run(fake: GitHubFake, now: Date, o: { dryRun?: boolean; preview?: boolean } = {}): Promise<SweepReport> {
  fake.clock = Math.max(fake.clock, now.getTime());
  return sweep(testOctokit(), fake.owner, fake.repo, { dryRun: o.dryRun ?? false, preview: o.preview ?? false, now: () => now, log: quiet });
}

/** A SEP awaiting a sponsor on its own PR (the primary one is #1933, the WIF SEP). */
function awaiting(fake: GitHubFake, number: number, createdAt = "2026-11-20T10:00:00Z") {
  const url = `https://github.com/${OWNER}/${REPO}/pull/${number}`;
  const text = sepText({ heading: `# SEP-${number}: Widgets ${number}`, status: "Draft", sponsor: "None (seeking sponsor)", pr: url, authors: "Pieter (@pieter)" });
  return fake.openPullRequest({ number, createdAt, changes: { [`seps/${number}-widgets-${number}.md`]: text } });
}

const pingsOn = (fake: GitHubFake, number: number) =>
  fake.commentsOn(number).flatMap((c) => {
    const ping = c.author === BOT ? readPingMarker(c.body, c.createdAt) : null;
    return ping ? [`${ping.clock}:${ping.step}`] : [];
  });
const statusOf = (fake: GitHubFake, number: number) => /- \*\*Status\*\*: (\S+)/.exec(Object.entries(fake.headFiles(number)).find(([p]) => p.startsWith(`seps/${number}-`))![1])?.[1];

/**
 * A client that counts its GraphQL requests of `operation` in flight; with
 * `barrier`, the first waits until a second is sent: read one at a time, it
 * would wait for ever (and the test time out).
 */
function inFlight(operation: string, barrier: boolean) {
  const octokit = testOctokit();
  const seen = { now: 0, max: 0 };
  let second = () => {};
  const sent = new Promise<void>((resolve) => (second = resolve));
  octokit.hook.wrap("request", async (request, options) => {
    const counted = String((options as { query?: unknown }).query ?? "").includes(`query ${operation}(`);
    if (counted) {
      seen.max = Math.max(seen.max, ++seen.now);
      if (seen.now >= 2) second();
      else if (barrier) await sent;
    }
    try {
      return await request(options);
    } finally {
      if (counted) seen.now--;
    }
  });
  return { octokit, seen };
}

describe("the sweep", () => {
  it("reads the open and the recently closed pull requests at once", async () => {
    new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    const pages = inFlight("SepSweepPulls", true);
    const report = await sweep(pages.octokit, OWNER, REPO, { dryRun: true, now: () => day(1), log: quiet });
    expect(report.due.map((d) => d.number)).toEqual([1933]);
    expect(pages.seen.max).toBe(2);
  });

  it("reconciles what has no record yet, then reads only: a second sweep writes nothing", async () => {
    const fake = new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    const first = await run(fake, day(1));
    expect(first.due.map((d) => d.number)).toEqual([1933]);
    expect(fake.calls("write")).toEqual([
      `POST /repos/${OWNER}/${REPO}/check-runs`,
      `POST /repos/${OWNER}/${REPO}/issues/1933/labels`,
      `POST /repos/${OWNER}/${REPO}/issues/1933/comments`,
    ]);
    fake.resetRequests();
    const second = await run(fake, day(1, 13));
    expect(second.due).toEqual([]);
    expect(second.writes).toBe(0);
    expect(fake.calls()).toEqual(["POST /graphql SepSweepRepo", "POST /graphql SepSweepRoles", "POST /graphql SepSweepPulls", "POST /graphql SepSweepPulls"]);
  });

  it("sends the 14-day nudge once, the 90-day reminder once, and makes the SEP dormant at 180 days: each exactly once", async () => {
    const fake = new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    await run(fake, day(1));
    for (const n of [14, 15, 40, 90, 91, 166, 170, 180, 181, 200]) await run(fake, day(n));
    expect(pingsOn(fake, 1933)).toEqual(["awaiting-sponsor:0", "awaiting-sponsor:1", "awaiting-sponsor:2", "awaiting-sponsor:3"]);
    expect(fake.pr.state).toBe("closed");
    expect(fake.pr.labels).toContain("dormant");
    expect(statusOf(fake, 1933)).toBe("Dormant");
    fake.resetRequests();
    await run(fake, day(201));
    expect(fake.calls("write")).toEqual([]);
  });

  it("weekly sweeps: the warning names a date, and the sweep on that date makes the SEP dormant, not the one a week later", async () => {
    // Every Tuesday at noon; the fake stamps each write a minute later, so the warning's comment is
    // dated minutes after the sweep that sent it.
    const fake = new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    let promised: string | null = null;
    let closedOn: string | null = null;
    for (let n = 1; n <= 204 && !closedOn; n += 7) {
      await run(fake, day(n));
      const warning = fake.commentsOn(1933).find((c) => c.author === BOT && /becomes dormant on \d{4}-\d\d-\d\d, in 14 days/.test(c.body));
      promised ??= warning ? /becomes dormant on (\d{4}-\d\d-\d\d)/.exec(warning.body)![1]! : null;
      if (fake.pr.state === "closed") closedOn = day(n).toISOString().slice(0, 10);
    }
    expect(promised).not.toBeNull();
    expect(closedOn).toBe(promised);
    expect(pingsOn(fake, 1933)).toEqual(["awaiting-sponsor:0", "awaiting-sponsor:1", "awaiting-sponsor:2", "awaiting-sponsor:3"]);
  });

  it("a sweep killed after any write of a dormancy, run again, finishes it: one reminder, one commit, closed, labelled", async () => {
    // How many writes the dormancy makes, from a run nobody kills.
    const reference = new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    await run(reference, day(1));
    await run(reference, day(166)); // the dated warning: dormancy only comes after it
    reference.resetRequests();
    await run(reference, day(181));
    const writes = reference.calls("write");
    expect(writes.length).toBeGreaterThanOrEqual(5);

    for (let k = 0; k < writes.length; k++) {
      const fake = new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
      await run(fake, day(1));
      await run(fake, day(166));
      fake.killAfterWrites(k);
      await run(fake, day(181)).catch(() => undefined);
      fake.killAfterWrites(null);
      await run(fake, day(181, 14));
      const context = `killed after ${k} of ${writes.length} writes (${writes.slice(0, k).join(", ")})`;
      expect(pingsOn(fake, 1933), context).toEqual(["awaiting-sponsor:2", "awaiting-sponsor:3"]);
      expect(fake.botCommits(1933).length, context).toBe(1);
      expect(statusOf(fake, 1933), context).toBe("Dormant");
      expect(fake.pr.state, context).toBe("closed");
      expect([...fake.pr.labels].sort(), context).toEqual(["SEP", "dormant"]);
      const status = fake.commentsOn(1933).filter((c) => c.author === BOT && c.body.includes(STATUS_MARKER));
      expect(status, context).toHaveLength(1);
      expect(readState(status[0]!.body).sep?.state, context).toBe("dormant");
      fake.resetRequests();
      await run(fake, day(182));
      expect(fake.calls("write"), context).toEqual([]);
    }
  });

  it("stops at the write budget, oldest first, and the next run does the rest: every nudge sent once", async () => {
    const fake = new GitHubFake({
      createdAt: CREATED_AT,
      changes: { [WIF_PATH]: WIF_RENAMED },
      config: "sweep:\n  maxWrites: 4\n",
    }).install();
    // Opened on different days: the oldest gets the budget first.
    awaiting(fake, 2001, "2026-11-20T11:00:00Z");
    awaiting(fake, 2002, "2026-11-20T09:00:00Z");
    awaiting(fake, 2003, "2026-11-20T12:00:00Z");
    // The first reconciles cost 3 writes each: a budget of 4 covers two PRs per run.
    const runs: SweepReport[] = [];
    for (let i = 0; i < 3; i++) runs.push(await run(fake, day(1, 12 + i)));
    expect(runs[0]!.done.map((d) => d.number)).toEqual([2002, 1933]);
    expect(runs[0]!.deferred).toEqual([2001, 2003]);
    expect(runs[0]!.stopped).toMatch(/write budget/);
    expect(runs[1]!.done.map((d) => d.number)).toEqual([2001, 2003]);
    expect(runs[2]!.due).toEqual([]);

    // Sixteen days on (the first status comment @mentioned the author on day 1: the cooldown holds the
    // nudge 14 days from it): four nudges due, two writes each (the reminder and the status comment).
    const nudges: SweepReport[] = [];
    for (let i = 0; i < 3; i++) nudges.push(await run(fake, day(16, i)));
    expect(nudges.map((r) => r.done.length)).toEqual([2, 2, 0]);
    for (const n of [1933, 2001, 2002, 2003]) expect(pingsOn(fake, n), `#${n}`).toEqual(["awaiting-sponsor:0"]);
  });

  it("a rules change that moves a deadline rewrites the status comment on the next sweep, and only that", async () => {
    const fake = new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    await run(fake, day(1));
    const before = fake.botComments(1933).find((c) => c.body.includes(STATUS_MARKER))!.body;
    expect(before).toContain("2027-05-19: becomes dormant unless a sponsor is found.");
    // Maintainers give proposals a year instead of six months.
    fake.updateBase({
      ".github/sep-bot.yml": [
          "clocks:",
          "  list:",
          "    - id: awaiting-sponsor",
          "      states: [proposal]",
          "      from: state",
          "      steps:",
          "        - { day: 14, notify: [author], deadline: a nudge to the author, message: \"{author}: find a sponsor ({maintainers}).\" }",
          "        - { day: 365, notify: [author], action: dormant, deadline: becomes dormant unless a sponsor is found, message: \"{author}: this SEP is now dormant.\" }",
      ].join("\n"),
    });
    fake.resetRequests();
    const report = await run(fake, day(2));
    expect(report.due.map((d) => d.reasons)).toEqual([["its deadlines moved (a rules change, or the pause label)"]]);
    expect(fake.calls("write")).toEqual([`PATCH /repos/${OWNER}/${REPO}/issues/comments/${fake.botComments(1933)[0]!.id}`]);
    expect(fake.botComments(1933)[0]!.body).toContain("2027-11-20: becomes dormant unless a sponsor is found.");
  });

  it("a page GitHub gives up on (a timeout) is asked for again, smaller", async () => {
    const fake = new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    fake.inject({ path: "/graphql", operation: "SepSweepPulls", reply: { status: 502, body: { message: "Something went wrong while executing your query. This may be the result of a timeout." } } });
    const report = await run(fake, day(1));
    expect(report.due.map((d) => d.number)).toEqual([1933]);
    // The open and the closed pull requests are read at once; each list's pages in order.
    const sizes = (state: string) =>
      fake.requests
        .filter((r) => r.operation === "SepSweepPulls" && (r.body as { variables: { states: string[] } }).variables.states.includes(state))
        .map((r) => (r.body as { variables: { first: number } }).variables.first);
    expect(fake.requests[0]!.operation).toBe("SepSweepRepo");
    expect(sizes("OPEN")).toEqual([100, 50]); // refused, then half
    expect(sizes("MERGED")).toEqual([100]); // a page of its own
  });

  it("a dry run plans the same and writes nothing", async () => {
    const fake = new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    await run(fake, day(1));
    fake.resetRequests();
    const report = await run(fake, day(15), { dryRun: true });
    expect(report.done.map((d) => d.effects.map((e) => e.kind))).toEqual([["reply", "update-comment"]]);
    expect(fake.calls("write")).toEqual([]);
    expect(pingsOn(fake, 1933)).toEqual([]);
  });

  it("a preview plans every PR past the budget and writes nothing; its runs are what consecutive sweeps then do", async () => {
    const fake = new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED }, config: "sweep:\n  maxWrites: 4\n" }).install();
    awaiting(fake, 2001, "2026-11-20T11:00:00Z");
    awaiting(fake, 2002, "2026-11-20T09:00:00Z");
    awaiting(fake, 2003, "2026-11-20T12:00:00Z");
    awaiting(fake, 2004, "2026-11-20T13:00:00Z");
    for (let i = 0; i < 4; i++) await run(fake, day(1, 12 + i)); // every SEP recorded, two a run
    // Day 16 (14 days after the first status comments @mentioned the author): five nudges due, two
    // writes each (the reminder and the status comment): a budget of 4 is two PRs a run.
    fake.resetRequests();
    const dry = await run(fake, day(16), { dryRun: true, preview: true });
    expect(fake.calls("write")).toEqual([]);
    expect(dry.stopped).toBeNull();
    expect(dry.deferred).toEqual([]);
    const { rules } = dry.read;
    const preview = previewOf(dry.done, { maxWrites: rules.sweep.maxWrites, closingLabels: rules.statuses.filter((s) => s.closesPullRequest).map((s) => s.label) });
    expect(preview.pulls.map((p) => [p.number, p.run, p.effects, p.mentions, p.notifying])).toEqual([
      [2002, 1, ["reply", "update-comment"], ["pieter"], true],
      [1933, 1, ["reply", "update-comment"], ["pieter"], true],
      [2001, 2, ["reply", "update-comment"], ["pieter"], true],
      [2003, 2, ["reply", "update-comment"], ["pieter"], true],
      [2004, 3, ["reply", "update-comment"], ["pieter"], true],
    ]);
    expect(preview.summary).toMatchObject({ pulls: 5, writes: 10, comments: 5, mentions: 5, people: 1, labelChanges: 0, checkRuns: 0, closes: 0, runs: 3 });

    // The real sweeps, one after another: each does what the preview put in its run.
    const byRun: number[][] = [];
    for (let i = 0; i < 4; i++) {
      const report = await run(fake, day(16, 13 + i));
      if (report.done.length) byRun.push(report.done.map((d) => d.number));
    }
    const expected = Array.from({ length: preview.summary.runs }, (_, r) => preview.pulls.filter((p) => p.run === r + 1).map((p) => p.number));
    expect(byRun).toEqual(expected);
    for (const n of [1933, 2001, 2002, 2003, 2004]) expect(pingsOn(fake, n), `#${n}`).toEqual(["awaiting-sponsor:0"]);
  });

  it("a dry run reads its pull requests several at once (at most READS_AT_ONCE); a real sweep reads each just before its writes, one at a time", async () => {
    const fake = new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    for (let n = 2001; n <= 2009; n++) awaiting(fake, n, "2026-11-20T11:00:00Z");
    for (let i = 0; i < 4; i++) await run(fake, day(1, 12 + i)); // every SEP recorded
    const now = day(16);
    fake.clock = Math.max(fake.clock, now.getTime());
    fake.resetRequests();
    const dry = inFlight("SepPullRequest", true);
    const preview = await sweep(dry.octokit, OWNER, REPO, { dryRun: true, preview: true, now: () => now, log: quiet });
    expect(preview.done).toHaveLength(10);
    expect(dry.seen.max).toBeGreaterThan(1);
    expect(dry.seen.max).toBeLessThanOrEqual(READS_AT_ONCE);
    expect(fake.calls("write")).toEqual([]);

    const real = inFlight("SepPullRequest", false);
    const swept = await sweep(real.octokit, OWNER, REPO, { dryRun: false, now: () => now, log: quiet });
    expect(swept.done.map((d) => d.number)).toEqual(preview.done.map((d) => d.number).slice(0, swept.done.length));
    expect(real.seen.max).toBe(1);
  });

  it("only a dry run previews: a real sweep keeps its budget", async () => {
    new GitHubFake({ createdAt: CREATED_AT, changes: { [WIF_PATH]: WIF_RENAMED } }).install();
    await expect(sweep(testOctokit(), OWNER, REPO, { dryRun: false, preview: true, log: quiet })).rejects.toThrow(/previews only in a dry run/);
  });
});
