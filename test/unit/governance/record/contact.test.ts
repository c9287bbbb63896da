import { describe, expect, it } from "vitest";
import { readSnapshot } from "../../../../src/github/read/snapshot.js";
import { reconcile } from "../../../../src/github/reconcile.js";
import { contactOf, isBotCommit } from "../../../../src/governance/record/contact.js";
import type { Effect } from "../../../../src/governance/model/effects.js";
import { plan } from "../../../../src/governance/plan.js";
import type { PersonComment, PullRequestCommit, Snapshot } from "../../../../src/governance/model/snapshot.js";
import { readState } from "../../../../src/governance/model/record.js";
import { EMPTY_TRIGGER } from "../../../../src/governance/model/trigger.js";
import { BOT_USER_ID, GitHubFake, OWNER, REPO, WIF_BEFORE, WIF_NEW_PATH } from "../../../helpers/github-fake/index.js";
import { testOctokit, useNock } from "../../../helpers/octokit.js";
import { NOW, rules, sepText } from "../../../helpers/sep.js";
import { rerunBy, sepFile, snapshot } from "../../../helpers/snapshot.js";

/**
 * First contact is a pull request with no trace of sep-bot at all: its
 * status comment, replies and reminders, its commits, its check run, its
 * label events. A trace without the record (the status comment) is a pull
 * request it has met: what people did since is judged, never adopted.
 */

useNock();

const BOT_EMAIL = `${BOT_USER_ID}+sep-bot[bot]@users.noreply.github.com`;
const PR_URL = "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1933";
const commit = (o: Partial<PullRequestCommit>): PullRequestCommit => ({ sha: "c".repeat(40), authorEmail: "pieter@example.com", authorLogin: "pieter", verified: false, ...o });
const fresh = (o: Partial<Snapshot["pr"]> = {}, rest: Partial<Snapshot> = {}) =>
  snapshot({ files: [sepFile("seps/1933-widgets.md", sepText({ heading: "# SEP-1933: Widgets", pr: PR_URL, sponsor: "None (seeking sponsor)" }))], pr: o, trigger: rerunBy("pieter"), ...rest });
const commentBody = (effects: Effect[]) => (effects.find((e) => e.kind === "create-comment") as { body: string }).body;

describe("sep-bot's traces on a pull request", () => {
  it("none: first contact", () => {
    expect(contactOf(fresh())).toEqual({ met: false, since: null });
  });

  it("its commit: authored by its bot's noreply e-mail (no User) and signed by GitHub; the e-mail without a valid signature is forged, not a trace", () => {
    const own = commit({ authorEmail: BOT_EMAIL, authorLogin: null, verified: true });
    expect(isBotCommit(own, "sep-bot[bot]")).toBe(true);
    expect(isBotCommit(own, "sep-bot")).toBe(true); // GraphQL's viewer may name the app either way
    expect(isBotCommit({ ...own, verified: false }, "sep-bot[bot]")).toBe(false); // anyone can write the e-mail
    expect(isBotCommit({ ...own, authorLogin: "mallory" }, "sep-bot[bot]")).toBe(false); // an e-mail of a User is no bot's
    expect(isBotCommit(commit({ verified: true }), "sep-bot[bot]")).toBe(false); // a person's signed commit
    expect(isBotCommit({ ...own, authorEmail: "41898282+github-actions[bot]@users.noreply.github.com" }, "sep-bot[bot]")).toBe(false); // another app's

    expect(contactOf(fresh({ commits: [commit({}), own] }))).toEqual({ met: true, since: null });
    expect(contactOf(fresh({ commits: [commit({}), { ...own, verified: false }] })).met).toBe(false);
  });

  it("a label event by its bot (GraphQL names the app without `[bot]`) is a trace, and dates the meeting; a person's is not", () => {
    const events = [
      { label: "spec", added: true, actor: "pieter", at: "2026-11-19T09:00:00Z" },
      { label: "SEP", added: true, actor: "sep-bot", at: "2026-11-20T10:00:00Z" },
      { label: "proposal", added: true, actor: "sep-bot", at: "2026-11-20T10:00:01Z" },
    ];
    expect(contactOf(fresh({ labelEvents: events }))).toEqual({ met: true, since: "2026-11-20T10:00:00Z" });
    expect(contactOf(fresh({ labelEvents: events.slice(0, 1) })).met).toBe(false);
  });

  it("its check run on the head is a trace; another app's run of the same name (no digest) is not", () => {
    expect(contactOf(fresh({}, { checkRun: { id: 7, headSha: "a".repeat(40), digest: "0123456789abcdef0123456789abcdef" } }))).toEqual({ met: true, since: null });
    expect(contactOf(fresh({}, { checkRun: { id: 8, headSha: "a".repeat(40), digest: null } })).met).toBe(false);
  });

  it("its replies and reminders are traces (a reminder dates the meeting)", () => {
    expect(contactOf(fresh({}, { replies: ["c=5 k=help"] }))).toEqual({ met: true, since: null });
    expect(contactOf(fresh({}, { pings: [{ clock: "awaiting-sponsor", step: 0, to: ["pieter"], at: "2026-11-01T00:00:00Z" }] }))).toEqual({ met: true, since: "2026-11-01T00:00:00Z" });
  });

  it("the fake answers as GitHub does: a new PR has no trace; after the rename commit, sep-bot's commit is one", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } }).install();
    const input = { owner: OWNER, repo: REPO, number: fake.primary, defaultBranch: "main", trigger: EMPTY_TRIGGER };
    const before = await readSnapshot(testOctokit(), input);
    expect(before.snapshot.pr.commits).toEqual([{ sha: fake.pr.headSha, authorEmail: "pieter@users.noreply.github.com", authorLogin: "pieter", verified: false }]);
    expect(contactOf(before.snapshot).met).toBe(false);

    fake.inject({ method: "POST", path: /check-runs|labels|comments/, reply: { status: 500, body: { message: "Server Error" } }, times: 10 });
    await expect(reconcile(testOctokit(), input, { dryRun: false, now: () => NOW, log: { info() {}, warn() {} } })).rejects.toThrow();
    expect(fake.botCommits()).toHaveLength(1);

    const after = await readSnapshot(testOctokit(), input);
    expect(after.snapshot.comments).toEqual([]);
    expect(after.snapshot.pr.commits!.at(-1)).toEqual({ sha: fake.pr.headSha, authorEmail: BOT_EMAIL, authorLogin: null, verified: true });
    expect(contactOf(after.snapshot)).toEqual({ met: true, since: null });
  });
});

describe("a pull request sep-bot has met, whose record is missing", () => {
  const person = (id: number, body: string, createdAt: string): PersonComment => ({ id, author: "pieter", authorName: null, body, createdAt, editedAt: null, editor: null, url: "", reacted: false });
  const met = fresh(
    {
      labels: ["SEP", "proposal", "accepted"],
      labelEvents: [
        { label: "SEP", added: true, actor: "sep-bot", at: "2026-11-10T10:00:00Z" },
        { label: "proposal", added: true, actor: "sep-bot", at: "2026-11-10T10:00:00Z" },
        { label: "accepted", added: true, actor: "pieter", at: "2026-11-12T10:00:00Z" },
      ],
    },
    { discussion: [person(11, "/help", "2026-11-01T10:00:00Z"), person(12, "/help", "2026-11-15T10:00:00Z")] },
  );

  it("is not first contact: a person's state label since sep-bot came is put back, never taken as found", () => {
    const p = plan(met, rules, NOW);
    expect(p.effects).toContainEqual(expect.objectContaining({ kind: "labels", remove: ["accepted"] }));
    const body = commentBody(p.effects);
    expect(body).not.toContain("before sep-bot came");
    expect(body).toContain("removed the `accepted` label added by @\u200bpieter");
  });

  it("commands written before its first dated trace are history; those written since run (their webhooks may have failed)", () => {
    const p = plan(met, rules, NOW);
    const replies = p.effects.filter((e): e is Extract<Effect, { kind: "reply" }> => e.kind === "reply");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("c=12");
    const state = readState(commentBody(p.effects));
    expect(state.commands.map((c) => c.c)).toContain(11);
    expect(state.log.map((l) => l.what)).toContainEqual(expect.stringMatching(/^found its record of this pull request missing \(its status comment\): what it did before is not in this log; a comment with commands from before it first acted here taken as history/));
  });
});
