import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import {
  BOT,
  deliver,
  deliverQueued,
  GitHubFake,
  live,
  NUMBER,
  OWNER,
  REPO,
  testProbot,
  webhook,
  WIF_BEFORE,
  WIF_NEW_PATH,
  WIF_PATH,
  WIF_RENAMED,
  type FakeOptions,
} from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";

/**
 * The event path as GitHub drives it: every webhook delivered the moment its
 * cause happens (the bot's own commit, labels and comment come back while
 * its reconcile still runs), each one twice, in random order, against a
 * fake that takes time to answer. What must hold is what one event at a
 * time gives: one status comment, one check run per head, one rename
 * commit, no comment deleted, the same end state, and few writes.
 */

useNock();

const R = `/repos/${OWNER}/${REPO}`;
const CREATE_COMMENT = `POST ${R}/issues/${NUMBER}/comments`;
const COMMIT = "POST /graphql SepCommit";
const CHECK = `POST ${R}/check-runs`;
const ADD_LABELS = `POST ${R}/issues/${NUMBER}/labels`;
const updateComment = (id: number) => `PATCH ${R}/issues/comments/${id}`;
const removeLabel = (label: string) => `DELETE ${R}/issues/${NUMBER}/labels/${encodeURIComponent(label)}`;

/** GitHub takes a few ms to answer, writes longer: reconciles overlap the way they do in production. */
const slow = (fake: GitHubFake) => Object.assign(fake, { latency: { read: 4, write: 8 } });
const newSep = (o: FakeOptions = {}) => slow(new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE }, ...o }).install());

/** One delivery at a time, each waited for, until GitHub has nothing more to send. */
async function sequentially(probot: Probot, fake: GitHubFake): Promise<void> {
  for (let i = 0; i < 20 && fake.events.length; i++) await deliverQueued(probot, fake);
  expect(fake.events).toEqual([]);
}

const reconciles = (fake: GitHubFake) => fake.calls().filter((c) => c === "POST /graphql SepPullRequest").length;
const deletes = (fake: GitHubFake) => fake.calls().filter((c) => c.startsWith("DELETE") && c.includes("/issues/comments/"));

/** The end state of a new SEP PR when its opening is handled one event at a time. */
async function sequentialNewSep(o: FakeOptions = {}) {
  const fake = newSep(o);
  const probot = await testProbot();
  await deliver(probot, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }));
  await sequentially(probot, fake);
  return fake;
}

describe("a new 0000- SEP PR whose deliveries all arrive twice, at once, while the bot works", () => {
  it("one commit, one check run on the new head, one labels write, one comment: four writes, and the sequential end state", async () => {
    const reference = await sequentialNewSep();
    const fake = newSep();
    const probot = await testProbot();

    const github = live(fake, [probot], { copies: 2 });
    github.send({ name: "pull_request", action: "opened", sender: "pieter" });
    await github.idle();

    expect(fake.calls("write")).toEqual([COMMIT, CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(fake.botCommits()).toHaveLength(1);
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
    expect(fake.checkRuns.map((r) => r.headSha)).toEqual([fake.pr.headSha]);
    expect(fake.botComments()).toHaveLength(1);
    expect(deletes(fake)).toEqual([]);
    expect(fake.visibleState()).toEqual(reference.visibleState());
    // The opening reconcile, plus at most one follow-up for everything that came back meanwhile.
    expect(reconciles(fake)).toBeLessThanOrEqual(2);
  });

  it("on a user fork that allows edits (the Git Data route): the same, one commit on the fork", async () => {
    const fork = { headRepo: { owner: "pieter", name: "modelcontextprotocol", ownerType: "User" as const }, maintainerCanModify: true };
    const reference = await sequentialNewSep(fork);
    const fake = newSep(fork);
    const probot = await testProbot();

    const github = live(fake, [probot], { copies: 2, jitterMs: 15 });
    github.send({ name: "pull_request", action: "opened", sender: "pieter" });
    await github.idle();

    expect(fake.botCommits()).toHaveLength(1);
    expect(fake.refUpdates.map((u) => [u.repo, u.force, u.status])).toEqual([["pieter/modelcontextprotocol", false, 200]]);
    expect(fake.botComments()).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
    expect(deletes(fake)).toEqual([]);
    expect(fake.visibleState()).toEqual(reference.visibleState());
  });
});

describe("a burst of events on one PR", () => {
  it("ten title edits and the author's own `in-review` label, shuffled and doubled: the label is put back in one write, the comment says why, at most three reconciles", async () => {
    const fake = newSep();
    const probot = await testProbot();
    await deliver(probot, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }));
    await sequentially(probot, fake);
    const comment = fake.botComments()[0]!;
    fake.resetRequests();

    const github = live(fake, [probot], { copies: 2, jitterMs: 20 });
    for (let i = 1; i <= 10; i++) fake.editPullRequest("pieter", `SEP: Workload Identity Federation (v${i})`);
    fake.addLabel("in-review", "pieter");
    await github.idle();

    expect(fake.calls("write")).toEqual([removeLabel("in-review"), updateComment(comment.id)]);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
    expect(fake.botComments()[0]!.body).toContain("removed the `in-review` label added by @\u200bpieter");
    expect(reconciles(fake)).toBeLessThanOrEqual(3);
  });

  it("a maintainer's `in-review` and the author's push at the same moment: the sequential end state, whichever arrives first", async () => {
    const run = async (concurrent: boolean) => {
      const fake = newSep({ changes: { [WIF_NEW_PATH]: WIF_BEFORE.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Grace Hopper (@grace)") }, assignees: ["grace"] });
      const probot = await testProbot();
      await deliver(probot, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }));
      await sequentially(probot, fake);
      const github = concurrent ? live(fake, [probot], { copies: 2, jitterMs: 20 }) : null;
      fake.addLabel("in-review", "grace");
      fake.push({ [WIF_PATH]: fake.headFiles()[WIF_PATH]!.replace("## Motivation\n", "## Motivation\n\nAdded by the author.\n") }, "pieter");
      if (github) await github.idle();
      else await sequentially(probot, fake);
      return fake;
    };
    const reference = await run(false);
    expect(reference.pr.labels).toEqual(["SEP", "in-review"]);
    expect(reference.headFiles()[WIF_PATH]).toContain("- **Status**: In-Review\n");
    expect(reference.headFiles()[WIF_PATH]).toContain("Added by the author.");

    for (let i = 0; i < 3; i++) {
      const fake = await run(true);
      expect(fake.visibleState().headFiles).toEqual(reference.visibleState().headFiles);
      expect(fake.pr.labels).toEqual(reference.pr.labels);
      expect(fake.botComments()).toHaveLength(1);
      expect(deletes(fake)).toEqual([]);
    }
  });

  it("the bot's own writes coming back after a successful run cost nothing", async () => {
    const fake = newSep();
    const probot = await testProbot();
    // Opened, with the bot's follow-ups arriving while it still works (no copies, little jitter).
    const github = live(fake, [probot], { jitterMs: 1 });
    github.send({ name: "pull_request", action: "opened", sender: "pieter" });
    await github.idle();
    const followUps = fake.requests.filter((r) => r.kind === "read").length;
    // Two reads for the opening; the follow-up, if its events came while it ran, is skipped: only the bot wrote.
    expect(followUps).toBeLessThanOrEqual(4);
    expect(fake.writes()).toHaveLength(4);
  });
});

describe("several pull requests at once", () => {
  it("are reconciled side by side, each exactly once per change", async () => {
    const fake = newSep();
    const second = fake.openPullRequest({ number: 1934, headRef: "other", changes: { "seps/0000-another-idea.md": WIF_BEFORE.replace("Workload Identity Federation", "Another Idea") } });
    const probot = await testProbot();

    const github = live(fake, [probot], { copies: 2 });
    github.send({ name: "pull_request", action: "opened", sender: "pieter" });
    github.send({ name: "pull_request", action: "opened", sender: "pieter", number: second.number });
    await github.idle();

    for (const number of [NUMBER, second.number]) {
      expect(fake.botCommits(number)).toHaveLength(1);
      expect(fake.botComments(number)).toHaveLength(1);
      expect(fake.pull(number).labels).toEqual(["SEP", "proposal"]);
    }
    expect(fake.headFiles(second.number)).toHaveProperty(["seps/1934-another-idea.md"]);
    expect(fake.checkRuns).toHaveLength(2);
    expect(deletes(fake)).toEqual([]);
  });
});

describe("what GitHub cannot be asked to do twice", () => {
  it("the bot never reacts to its own comment events, and never loops", async () => {
    const fake = newSep();
    const probot = await testProbot();
    const github = live(fake, [probot], { copies: 3, jitterMs: 10 });
    github.send({ name: "pull_request", action: "opened", sender: "pieter" });
    await github.idle();
    // Everything settled: GitHub has nothing more to send, and the last write was the comment.
    expect(fake.events).toEqual([]);
    expect(fake.calls("write").at(-1)).toBe(CREATE_COMMENT);
    expect(fake.requests.filter((r) => r.kind === "write").every((r) => r.status < 300)).toBe(true);
    expect(fake.commentsOn(NUMBER).every((c) => c.author === BOT)).toBe(true);
  });
});
