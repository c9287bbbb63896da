import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, useClosers } from "../helpers/process.js";
import { sepText } from "../helpers/sep.js";
import { BOT, GitHubFake, NUMBER, OWNER, PR_URL, REPO, webhook, WIF_BEFORE, WIF_NEW_PATH, WIF_PATH, WIF_RENAMED, type FakeEvent, type FakeOptions } from "../helpers/github-fake/index.js";

/**
 * `sep-bot action` as a workflow step runs it: the CLI as a process, the
 * event in a file at GITHUB_EVENT_PATH, the Actions variables set, GitHub
 * served over HTTP by the fake (GITHUB_API_URL / GITHUB_GRAPHQL_URL, as on
 * GitHub Enterprise). Actions payloads carry no `installation`.
 */

const dir = mkdtempSync(join(tmpdir(), "sep-bot-action-"));
const closeAfter = useClosers();
const runAction = (env: Record<string, string>) => runCli(["action"], env);

/** The event as the workflow sees it, written where GITHUB_EVENT_PATH points. */
async function eventFile(fake: GitHubFake, event: FakeEvent, name: string): Promise<Record<string, string>> {
  const { payload } = webhook(fake, event);
  delete (payload as { installation?: unknown }).installation;
  const path = join(dir, `${name}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(payload, null, 2));
  const github = await fake.listen();
  closeAfter(github.close);
  return {
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: path,
    GITHUB_TOKEN: "ghs_installationTokenFromCreateGithubAppToken",
    GITHUB_API_URL: github.url,
    GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_RUN_ID: "4711",
    GITHUB_RUN_ATTEMPT: "1",
  };
}

const userFork = (o: Partial<FakeOptions> = {}): FakeOptions => ({
  changes: { [WIF_NEW_PATH]: WIF_BEFORE },
  headRepo: { owner: "pieter", name: "modelcontextprotocol", ownerType: "User" },
  ...o,
});

describe("sep-bot action, pull_request_target on a fork PR", () => {
  it("a fork that allows maintainer edits: renamed on the fork, checked, labelled, commented; the same event again writes nothing", async () => {
    const fake = new GitHubFake(userFork({ maintainerCanModify: true }));
    const env = await eventFile(fake, { name: "pull_request", action: "opened", sender: "pieter" }, "pull_request_target");

    const first = await runAction(env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
    expect(fake.refUpdates.map((u) => [u.repo, u.force, u.status])).toEqual([["pieter/modelcontextprotocol", false, 200]]);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
    expect(fake.botComments()).toHaveLength(1);
    expect(fake.latestCheck()).toMatchObject({ conclusion: "success" });
    // No token request: the workflow's token is used as it is.
    expect(fake.calls("token")).toEqual([]);

    fake.resetRequests();
    const again = await runAction(env); // a re-run of the same workflow run (the payload still has the old head)
    expect(again.code).toBe(0);
    expect(fake.writes()).toEqual([]);
    expect(fake.calls()).toEqual(["POST /graphql SepPullRequest", "POST /graphql SepContents"]);
  });

  it("a fork that does not allow edits: no push; the check says rename-pending, the comment gives the commands", async () => {
    const fake = new GitHubFake(userFork({ maintainerCanModify: false }));
    const env = await eventFile(fake, { name: "pull_request", action: "opened", sender: "pieter" }, "pull_request_target");

    const run = await runAction(env);
    expect(run.code).toBe(0);
    expect(fake.refUpdates).toEqual([]);
    expect(fake.latestCheck()).toMatchObject({ conclusion: "failure" });
    expect(fake.latestCheck()!.summary).toContain("rename-pending");
    expect(fake.botComments()[0]!.body).toContain(`git mv ${WIF_NEW_PATH} ${WIF_PATH}`);
  });
});

describe("sep-bot action, issue_comment", () => {
  it("a comment without a command costs no request at all; one with a command runs the reconcile", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } });
    const chat = fake.addComment("grace", "Thanks, this looks promising!");
    const env = await eventFile(fake, { name: "issue_comment", action: "created", sender: "grace", commentId: chat.id }, "issue_comment");

    const quiet = await runAction(env);
    expect(quiet.code).toBe(0);
    expect(fake.calls()).toEqual([]);
    expect(quiet.stdout).toContain("a comment without a command");

    const command = fake.addComment("grace", "/check");
    const env2 = await eventFile(fake, { name: "issue_comment", action: "created", sender: "grace", commentId: command.id }, "issue_comment");
    const checked = await runAction(env2);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(fake.calls()[0]).toBe("POST /graphql SepPullRequest");
    expect(fake.latestCheck()).toBeDefined();
    expect(fake.botComments()).toHaveLength(1);

    fake.resetRequests();
    const again = await runAction(env2); // the same event run again
    expect(again.code).toBe(0);
    expect(fake.writes()).toEqual([]);
  });

  it("a comment by a bot runs nothing", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } });
    const botComment = fake.addComment(BOT, "/accept");
    const env = await eventFile(fake, { name: "issue_comment", action: "created", sender: BOT, commentId: botComment.id }, "issue_comment");
    const run = await runAction(env);
    expect(run.code).toBe(0);
    expect(fake.calls()).toEqual([]);
  });
});

describe("sep-bot action, setup", () => {
  it("without GITHUB_TOKEN: exit 2 and says how to pass it", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } });
    const { GITHUB_TOKEN: _token, ...env } = await eventFile(fake, { name: "pull_request", action: "opened", sender: "pieter" }, "pull_request");
    const run = await runAction(env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("GITHUB_TOKEN is not set");
    expect(run.stderr).toContain("secrets.GITHUB_TOKEN");
    expect(fake.calls()).toEqual([]);
  });

  it("an event sep-bot does not handle (push): exit 0, nothing read", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } });
    const env = await eventFile(fake, { name: "pull_request", action: "opened", sender: "pieter" }, "push");
    const run = await runAction(env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("nothing to do for push events");
    expect(fake.calls()).toEqual([]);
  });

  it("a GitHub failure fails the step with an ::error:: annotation, never a stack trace", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } });
    // A 422 (not retried by Octokit, unlike a 500) keeps the test quick; the path is the same.
    fake.inject({ method: "POST", path: `/repos/${OWNER}/${REPO}/issues/${NUMBER}/comments`, reply: { status: 422, body: { message: "Validation Failed" } }, times: 10 });
    const env = await eventFile(fake, { name: "pull_request", action: "opened", sender: "pieter" }, "pull_request");
    const run = await runAction({ ...env, LOG_LEVEL: "error" });
    expect(run.code).toBe(1);
    // One annotation: what Probot logs of the handler's error, before rethrowing it, is a plain line.
    expect(run.stdout.split("\n").filter((l) => l.startsWith("::error"))).toEqual([expect.stringMatching(/^::error::sep-bot: .*create-comment failed: Validation Failed/)]);
    expect(run.stdout).toMatch(/^error: .*effects failed on /m);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /); // no stack
    // Everything else was applied; the next run finishes it.
    expect(fake.botCommits()).toHaveLength(1);
  });
});

describe("sep-bot action has no server behind it", () => {
  it("the check run offers no Fix these button (GitHub sends its press to no workflow) and points to /fix", async () => {
    const untidy = sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL, status: "draft" }).replace("## Backward Compatibility", "## Backwards Compatibility");
    const fake = new GitHubFake({ changes: { "seps/1933-streaming-widgets.md": untidy } });
    const env = await eventFile(fake, { name: "pull_request", action: "opened", sender: "pieter" }, "pull_request_target");
    const run = await runAction(env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const check = fake.latestCheck()!;
    expect(check.actions).toEqual([]);
    expect(check.summary).toContain("sep-bot can fix 2 findings itself: comment `/fix` on the pull request");
    expect(check.summary).not.toContain("Fix these");
  });
});
