import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import {
  BOT,
  deliver,
  deliverQueued,
  GitHubFake,
  INSTALLATION_ID,
  maintainersFile,
  NUMBER,
  OWNER,
  PR_URL,
  realSep,
  REPO,
  testProbot,
  webhook,
  WIF_BEFORE,
  WIF_NEW_PATH,
  WIF_PATH,
  WIF_RENAMED,
  type FakeOptions,
  type PullRequestAction,
} from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";

/**
 * The whole app in one process: real Probot, real webhook payload shapes,
 * real sep-bot, and GitHub played by the in-memory fake. Assertions are on
 * the exact requests GitHub received and on what GitHub holds afterwards.
 */

useNock();

const R = `/repos/${OWNER}/${REPO}`;
const TOKEN = `POST /app/installations/${INSTALLATION_ID}/access_tokens`;
const Q1 = "POST /graphql SepPullRequest";
const READS = [Q1, "POST /graphql SepContents"];
/** The rename commit in one request (GraphQL createCommitOnBranch). */
const COMMIT = "POST /graphql SepCommit";
/** The Git Data route, where GitHub refuses the GraphQL one (forks). */
const gitDataCommit = (repo = R, branch = "wif") => [`POST ${repo}/git/trees`, `POST ${repo}/git/commits`, `PATCH ${repo}/git/refs/heads/${branch}`];
const CHECK = `POST ${R}/check-runs`;
const ADD_LABELS = `POST ${R}/issues/${NUMBER}/labels`;
const removeLabel = (label: string) => `DELETE ${R}/issues/${NUMBER}/labels/${encodeURIComponent(label)}`;
const commitInput = (fake: GitHubFake) => (fake.requests.filter((r) => r.operation === "SepCommit").at(-1)?.body as { variables: { input: any } }).variables.input;
const CREATE_COMMENT = `POST ${R}/issues/${NUMBER}/comments`;
const updateComment = (id: number) => `PATCH ${R}/issues/comments/${id}`;

/** The SEP as the author opened it, from a branch of the repository itself. */
const newSep = (o: FakeOptions = {}) => new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE }, ...o }).install();

const prEvent = (fake: GitHubFake, action: PullRequestAction, sender: string) => webhook(fake, { name: "pull_request", action, sender });

/** Opens the PR and lets the bot finish (its own follow-up events included); then forgets the requests. */
async function opened(fake: GitHubFake, probot?: Probot): Promise<Probot> {
  probot ??= await testProbot();
  await deliver(probot, prEvent(fake, "opened", fake.pr.author));
  await deliverQueued(probot, fake);
  fake.resetRequests();
  return probot;
}

const lastBody = (fake: GitHubFake, call: string) => fake.requests.filter((r) => `${r.method} ${r.path}` === call).at(-1)?.body as Record<string, any>;

/** The same SEP with its sponsor named, and assigned: a Draft. */
const SPONSORED = WIF_BEFORE.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Grace Hopper (@grace)");
const sponsoredSep = () => newSep({ changes: { [WIF_NEW_PATH]: SPONSORED }, assignees: ["grace"] });

/** The user fork most fork tests use. */
const userFork = { owner: "pieter", name: "modelcontextprotocol", ownerType: "User" as const };

describe("a new 0000- SEP opened from a branch of the repository", () => {
  it("is renamed in one commit, then checked on the new commit, labelled and commented: nothing else", async () => {
    const fake = newSep();
    const oldHead = fake.pr.headSha;
    const probot = await testProbot();

    await deliver(probot, prEvent(fake, "opened", "pieter"));

    // Four writes: the commit, the check run, the labels, the comment.
    expect(fake.calls()).toEqual([TOKEN, ...READS, COMMIT, CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(fake.writes()).toHaveLength(4);
    // The commit: on exactly the old head (a compare-and-swap), renaming and fixing heading and PR field in one go.
    expect(commitInput(fake)).toEqual({
      branch: { repositoryNameWithOwner: `${OWNER}/${REPO}`, branchName: "wif" },
      message: { headline: "SEP-1933: number the SEP after its pull request", body: expect.stringContaining("Made by sep-bot.") },
      expectedHeadOid: oldHead,
      fileChanges: { additions: [{ path: WIF_PATH, contents: Buffer.from(WIF_RENAMED).toString("base64") }], deletions: [{ path: WIF_NEW_PATH }] },
    });
    const commit = fake.botCommits();
    expect(commit).toHaveLength(1);
    expect(commit[0]!.parents).toEqual([oldHead]);
    expect(commit[0]!.signed).toBe(true);
    expect(commit[0]!.message).toMatch(/^SEP-1933: number the SEP after its pull request\n/);
    expect(fake.refUpdates).toEqual([]); // no Git Data route needed
    // Byte for byte: the person's own rename of this very SEP, plus the PR field they forgot.
    const files = fake.headFiles();
    expect(files[WIF_PATH]).toBe(WIF_RENAMED);
    expect(files[WIF_PATH]).toContain(`- **PR**: ${PR_URL}\n`);
    expect(files).not.toHaveProperty([WIF_NEW_PATH]);
    const { [WIF_PATH]: _added, ...others } = files;
    expect(others).toEqual(fake.baseFiles()); // no other file touched

    // The check run is on the commit people will see, not on the one that was opened.
    expect(lastBody(fake, CHECK)).toMatchObject({ name: "SEP checks", head_sha: fake.pr.headSha, status: "completed" });
    expect(fake.latestCheck()?.summary).not.toContain("rename-pending");
    expect(lastBody(fake, ADD_LABELS)).toEqual({ labels: ["SEP", "proposal"] });
    expect(fake.botComments()).toHaveLength(1);
    expect(fake.botComments()[0]!.body).toContain("### SEP-1933: Workload Identity Federation");
    expect(fake.botComments()[0]!.body).toContain(`| **File** | \`${WIF_PATH}\` |`);

    // GitHub now sends the synchronize the bot's own push caused, and the labeled events: nothing to do.
    fake.resetRequests();
    const followUps = await deliverQueued(probot, fake);
    expect(followUps.map((e) => [e.name, e.action, e.sender])).toEqual([
      ["pull_request", "synchronize", BOT],
      ["pull_request", "labeled", BOT],
      ["pull_request", "labeled", BOT],
      ["issue_comment", "created", BOT],
    ]);
    // One at a time, each is a fresh reconcile: reads only (token cached by Probot); its own comment costs nothing.
    expect(fake.calls()).toEqual([...READS, ...READS, ...READS]);
    expect(fake.writes()).toEqual([]);
  });

  it("a second delivery of the same id (GitHub's duplicate) is skipped: no request at all", async () => {
    const fake = newSep();
    const probot = await testProbot();
    const delivery = prEvent(fake, "opened", "pieter"); // carries the head as it was when opened
    await deliver(probot, delivery);
    fake.resetRequests();

    await deliver(probot, delivery);

    expect(fake.calls()).toEqual([]);
    expect(fake.botCommits()).toHaveLength(1);
    expect(fake.botComments()).toHaveLength(1);
  });

  it("the same event under a new delivery id (a late copy with the old head) reads and writes nothing", async () => {
    const fake = newSep();
    const probot = await testProbot();
    const delivery = prEvent(fake, "opened", "pieter");
    await deliver(probot, delivery);
    fake.resetRequests();

    await deliver(probot, { ...delivery, id: "another-delivery-id" });

    expect(fake.calls()).toEqual(READS);
    expect(fake.botCommits()).toHaveLength(1);
    expect(fake.botComments()).toHaveLength(1);
  });
});

describe("forks", () => {
  it("without maintainer edits: no push; a failing check says rename-pending; the comment gives the git commands", async () => {
    const fake = newSep({ headRepo: userFork, maintainerCanModify: false });
    const probot = await testProbot();

    await deliver(probot, prEvent(fake, "opened", "pieter"));

    expect(fake.calls()).toEqual([TOKEN, ...READS, CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(fake.latestCheck()).toMatchObject({ conclusion: "failure" });
    expect(fake.latestCheck()!.summary).toContain("rename-pending");
    const comment = fake.botComments()[0]!.body;
    expect(comment).toContain(`git mv ${WIF_NEW_PATH} ${WIF_PATH}`);
    expect(comment).toContain(`- **PR**: ${PR_URL}`);
    expect(fake.headFiles()[WIF_NEW_PATH]).toBe(WIF_BEFORE);
  });

  it("a user fork that allows maintainer edits is pushed to, on the fork (Git Data, where GraphQL is refused)", async () => {
    const fake = newSep({ headRepo: userFork, maintainerCanModify: true });
    await deliver(await testProbot(), prEvent(fake, "opened", "pieter"));

    expect(fake.calls()).toEqual([TOKEN, ...READS, COMMIT, ...gitDataCommit("/repos/pieter/modelcontextprotocol"), CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(commitInput(fake).branch).toEqual({ repositoryNameWithOwner: "pieter/modelcontextprotocol", branchName: "wif" });
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
    expect(fake.refUpdates).toEqual([{ repo: "pieter/modelcontextprotocol", branch: "wif", sha: fake.pr.headSha, force: false, status: 200 }]);
  });

  it("a fork whose branch GitHub does take through GraphQL: one request", async () => {
    const fake = newSep({ headRepo: userFork, maintainerCanModify: true, forkAcceptsGraphqlCommits: true });
    await deliver(await testProbot(), prEvent(fake, "opened", "pieter"));

    expect(fake.calls()).toEqual([TOKEN, ...READS, COMMIT, CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
  });

  it.each([
    ["an organisation's fork", { headRepo: { owner: "acme", name: "mcp", ownerType: "Organization" as const }, maintainerCanModify: true }],
    ["a deleted fork (head.repo: null)", { headRepo: null, maintainerCanModify: false }],
  ])("%s: no push is attempted", async (_name, o) => {
    const fake = newSep(o);
    const delivery = prEvent(fake, "opened", "pieter");
    if (o.headRepo === null) expect(delivery.payload.pull_request.head.repo).toBeNull();
    else expect(delivery.payload.pull_request.head.repo).toMatchObject({ fork: true, owner: { login: "acme", type: "Organization" } });

    await deliver(await testProbot(), delivery);

    expect(fake.calls()).toEqual([TOKEN, ...READS, CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(fake.refUpdates).toEqual([]);
    expect(fake.latestCheck()!.summary).toContain("rename-pending");
    expect(fake.botComments()[0]!.body).toContain(`git mv ${WIF_NEW_PATH} ${WIF_PATH}`);
  });

  it("a push GitHub refuses (403 on the tree) is tried once per event, and explained", async () => {
    // The fork says it allows edits, but GitHub refuses the app's token.
    const fake = newSep({ headRepo: userFork, maintainerCanModify: true, forkAcceptsPushes: false });
    const probot = await testProbot();
    const fork = "/repos/pieter/modelcontextprotocol";

    await deliver(probot, prEvent(fake, "opened", "pieter"));

    expect(fake.calls()).toEqual([TOKEN, ...READS, COMMIT, `POST ${fork}/git/trees`, CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(fake.requests[4]!.status).toBe(403);
    expect(fake.latestCheck()).toMatchObject({ conclusion: "failure" });
    expect(fake.latestCheck()!.summary).toContain("GitHub refused the push (403)");
    expect(fake.botComments()[0]!.body).toContain(`git mv ${WIF_NEW_PATH} ${WIF_PATH}`);

    // The next event tries once more (the fork's settings may have changed), and explains nothing new.
    fake.resetRequests();
    await deliver(probot, prEvent(fake, "edited", "pieter"));
    expect(fake.calls()).toEqual([...READS, COMMIT, `POST ${fork}/git/trees`]);
    expect(fake.botComments()).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
  });
});

describe("status and labels", () => {
  it("`in-review` applied by the sponsor: the file follows in a commit, then the old state label goes", async () => {
    const fake = sponsoredSep(); // MAINTAINERS.md on main lists grace and max
    const probot = await opened(fake);
    expect(fake.pr.labels).toEqual(["SEP", "draft"]);
    const comment = fake.botComments()[0]!;

    fake.addLabel("in-review", "grace");
    await deliverQueued(probot, fake);

    expect(fake.calls()).toEqual([...READS, COMMIT, CHECK, removeLabel("draft"), updateComment(comment.id)]);
    expect(fake.headFiles()[WIF_PATH]).toBe(
      WIF_RENAMED.replace("- **Status**: Draft", "- **Status**: In-Review").replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Grace Hopper (@grace)"),
    );
    expect(fake.botCommits().at(-1)!.message).toContain("label in-review by @grace");
    expect(fake.pr.labels).toEqual(["SEP", "in-review"]);

    // Its own push and unlabel come back as webhooks: nothing more to do.
    fake.resetRequests();
    await deliverQueued(probot, fake);
    expect(fake.writes()).toEqual([]);
  });

  it("`in-review` on a SEP still awaiting a sponsor is put back: the lifecycle goes through Draft (a sponsor) first", async () => {
    const fake = newSep();
    const probot = await opened(fake);
    fake.addLabel("in-review", "grace");
    await deliverQueued(probot, fake);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
    expect(fake.botCommits()).toHaveLength(1); // the rename only
    expect(fake.botComments()[0]!.body).toContain("removed the `in-review` label added by @\u200bgrace: a SEP cannot move from Proposal to In-Review.");
  });

  it("`draft` applied by a maintainer to a SEP awaiting a sponsor: named Sponsor and assigned, and it stays Draft (no flip back to proposal)", async () => {
    const fake = newSep();
    const probot = await opened(fake);
    fake.addLabel("draft", "max");
    for (let i = 0; i < 5 && fake.events.length; i++) await deliverQueued(probot, fake);

    expect(fake.headFiles()[WIF_PATH]).toContain("- **Sponsor**: @max\n");
    expect(fake.pr.assignees).toEqual(["max"]);
    expect(fake.pr.labels.sort()).toEqual(["SEP", "draft"]);
    fake.resetRequests();
    fake.editPullRequest("pieter", "Another title");
    await deliverQueued(probot, fake);
    expect(fake.writes()).toEqual([]);
  });

  it("a Sponsor the author wrote in themselves (nobody assigned) is no sponsor: the SEP awaits one", async () => {
    const fake = newSep({ changes: { [WIF_NEW_PATH]: WIF_BEFORE.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Max Core (@max)") } });
    await opened(fake);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
  });

  it("`accepted` applied by someone who is neither sponsor nor maintainer is removed, and the comment says why", async () => {
    const fake = newSep();
    const probot = await opened(fake);
    const comment = fake.botComments()[0]!;
    const head = fake.pr.headSha;

    fake.addLabel("accepted", "mallory");
    await deliverQueued(probot, fake);

    expect(fake.calls()).toEqual([...READS, removeLabel("accepted"), updateComment(comment.id)]);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
    expect(fake.pr.headSha).toBe(head); // no commit
    expect(fake.botComments()[0]!.body).toContain("removed the `accepted` label added by @\u200bmallory: only the sponsor or a maintainer changes a SEP's status");

    fake.resetRequests();
    await deliverQueued(probot, fake); // the bot's own `unlabeled`
    expect(fake.writes()).toEqual([]);
  });

  // Labels hold the approved status: removing one is a status change as much
  // as adding one. Put back, the author not blamed for a status nobody changed in the file.
  it("the approved `in-review` label removed by someone who may not change status is put back; the author is not blamed", async () => {
    const fake = sponsoredSep();
    const probot = await opened(fake);
    fake.addLabel("in-review", "grace");
    await deliverQueued(probot, fake);
    await deliverQueued(probot, fake);
    expect(fake.pr.labels).toEqual(["SEP", "in-review"]);
    expect(fake.latestCheck()).toMatchObject({ conclusion: "success" });

    fake.removeLabel("in-review", "mallory");
    await deliverQueued(probot, fake);
    await deliverQueued(probot, fake);

    expect([...fake.pr.labels].sort()).toEqual(["SEP", "in-review"]);
    expect(fake.headFiles()[WIF_PATH]).toContain("- **Status**: In-Review\n");
    expect(fake.latestCheck()!.summary).not.toContain("status-change-unauthorised");
    expect(fake.latestCheck()).toMatchObject({ conclusion: "success" });
  });

  it("a PR author who adds themselves to MAINTAINERS.md in the PR does not become a maintainer", async () => {
    const fake = newSep({ changes: { [WIF_NEW_PATH]: WIF_BEFORE, "MAINTAINERS.md": maintainersFile(["grace", "max", "pieter"]) } });
    const probot = await opened(fake);

    fake.addLabel("accepted", "pieter");
    await deliverQueued(probot, fake);

    expect(fake.calls()).toEqual([...READS, removeLabel("accepted"), updateComment(fake.botComments()[0]!.id)]);
    expect(fake.headFiles()[WIF_PATH]).toContain("- **Status**: Draft\n");
  });

  it("a push by the author that changes Status Draft -> Accepted fails the check; the labels stay", async () => {
    const sponsored = WIF_RENAMED.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Grace Hopper (@grace)");
    const fake = new GitHubFake({ changes: { [WIF_PATH]: sponsored }, assignees: ["grace"] }).install();
    const probot = await opened(fake);
    expect(fake.pr.labels).toEqual(["SEP", "draft"]);

    fake.push({ [WIF_PATH]: sponsored.replace("- **Status**: Draft", "- **Status**: Accepted") }, "pieter");
    await deliverQueued(probot, fake);

    expect(fake.calls()).toEqual([...READS, CHECK, updateComment(fake.botComments()[0]!.id)]);
    expect(fake.latestCheck()).toMatchObject({ conclusion: "failure" });
    expect(fake.latestCheck()!.summary).toContain("Status changes are made by the sponsor");
    expect(fake.pr.labels).toEqual(["SEP", "draft"]);
  });
});

describe("what is not a single new SEP", () => {
  it("a PR that touches no SEP file: one read, and no write", async () => {
    const fake = new GitHubFake({ changes: { "docs/specification/draft/index.mdx": "# Draft\n", "seps/README.md": "# SEPs (updated)\n" } }).install();
    await deliver(await testProbot(), prEvent(fake, "opened", "pieter"));

    expect(fake.calls()).toEqual([TOKEN, Q1]);
  });

  it("a PR adding two SEPs: the check asks to split it, nothing is committed", async () => {
    const second = WIF_BEFORE.replace("# SEP-0000: Workload Identity Federation", "# SEP-0000: Another Idea");
    const fake = newSep({ changes: { [WIF_NEW_PATH]: WIF_BEFORE, "seps/0000-another-idea.md": second } });
    await deliver(await testProbot(), prEvent(fake, "opened", "pieter"));

    expect(fake.calls()).toEqual([TOKEN, ...READS, CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(fake.latestCheck()).toMatchObject({ conclusion: "failure" });
    expect(fake.latestCheck()!.summary).toContain("sep-multiple");
    expect(fake.latestCheck()!.summary).toContain("Each SEP needs its own pull request");
    expect(fake.pr.labels).toEqual(["SEP"]);
  });
});

describe("reading what GitHub knows", () => {
  it("a PR that renames an existing SEP: one REST listing finds the old path; nothing is renumbered", async () => {
    const fake = new GitHubFake({
      changes: { "seps/1850-pr-based-sep-workflow.md": null, "seps/1850-sep-workflow.md": realSep("1850-pr-based-sep-workflow.md") },
    }).install();

    await deliver(await testProbot(), prEvent(fake, "opened", "pieter"));

    // GraphQL does not say where a renamed file came from; REST does.
    expect(fake.calls()).toEqual([TOKEN, Q1, `GET ${R}/pulls/${NUMBER}/files`, READS[1], CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(fake.pr.labels).toEqual(["SEP", "final"]); // its status on the base branch, not a new SEP's
    expect(fake.botCommits()).toEqual([]);
  });

  it("without a configured bot login, the app knows itself from its token (GraphQL viewer), at no extra request", async () => {
    const fake = newSep();
    const saved = process.env.BOT_LOGIN;
    delete process.env.BOT_LOGIN;
    try {
      const probot = await testProbot({ botLogin: undefined });
      await deliver(probot, prEvent(fake, "opened", "pieter"));
      await deliverQueued(probot, fake);
    } finally {
      if (saved !== undefined) process.env.BOT_LOGIN = saved;
    }

    expect(fake.calls().filter((c) => c.startsWith("GET /app"))).toEqual([]);
    // It recognised its own comment and label events: one comment, nothing repeated.
    expect(fake.botComments()).toHaveLength(1);
    expect(fake.writes()).toHaveLength(4);
  });
});

describe("a token that may not read teams (a workflow's GITHUB_TOKEN)", () => {
  it("the reconcile goes on with no team members, and the check says why", async () => {
    const fake = newSep();
    fake.teamsForbidden = true;
    await deliver(await testProbot(), prEvent(fake, "opened", "pieter"));
    expect(fake.botCommits()).toHaveLength(1);
    expect(fake.latestCheck()!.summary).toContain("Team membership could not be read (the token lacks the `members: read` permission)");
  });
});

describe("repository rules and large results", () => {
  it("`.github/sep-bot.yml` on the default branch applies; the PR's own copy does not", async () => {
    const strict = "severities:\n  author-handle-missing: error\n";
    const lenient = "severities:\n  author-handle-missing: \"off\"\n";
    const fake = newSep({ config: strict, changes: { [WIF_NEW_PATH]: WIF_BEFORE, ".github/sep-bot.yml": lenient } });

    await deliver(await testProbot(), prEvent(fake, "opened", "pieter"));

    // The real SEP names its author without a @handle: an error under the repository's rules.
    expect(fake.latestCheck()).toMatchObject({ conclusion: "failure" });
    expect(fake.latestCheck()!.summary).toContain("author-handle-missing");
    expect(fake.latestCheck()!.summary).not.toContain("Configuration");
    // The bot never commits outside seps/, and never to `.github/`.
    const { additions, deletions } = commitInput(fake).fileChanges;
    expect([...additions, ...deletions].map((t: { path: string }) => t.path)).toEqual([WIF_PATH, WIF_NEW_PATH]);
  });

  it("a broken `.github/sep-bot.yml`: the defaults apply and the check run says why", async () => {
    const fake = newSep({ config: "severities:\n  no-such-rule: error\n" });
    await deliver(await testProbot(), prEvent(fake, "opened", "pieter"));
    expect(fake.latestCheck()!.summary).toContain("**Configuration:** `.github/sep-bot.yml` could not be used");
    expect(fake.latestCheck()!.summary).toContain("no-such-rule");
  });

  it("more than 50 findings: the check run is created with 50 annotations and updated with the rest", async () => {
    const noisy = WIF_RENAMED + "\n## Abstract\n\nAgain.\n".repeat(70);
    const fake = new GitHubFake({ changes: { [WIF_PATH]: noisy } }).install();

    await deliver(await testProbot(), prEvent(fake, "opened", "pieter"));

    const run = fake.latestCheck()!;
    const patches = fake.calls().filter((c) => c === `PATCH ${R}/check-runs/${run.id}`);
    expect(run.annotations.length).toBeGreaterThan(50);
    expect(patches).toHaveLength(Math.ceil(run.annotations.length / 50) - 1);
  });
});

describe("check_run.rerequested", () => {
  it("for `SEP checks` on a same-repository PR: runs the reconcile again", async () => {
    const fake = newSep();
    const probot = await opened(fake);
    // Someone deleted the status comment; the re-run puts it back.
    fake.comments = [];

    await deliver(probot, webhook(fake, { name: "check_run", action: "rerequested", sender: "grace" }));

    expect(fake.calls()).toEqual([...READS, CREATE_COMMENT]);
    expect(fake.botComments()).toHaveLength(1);
  });

  it("for a fork's PR, which GitHub does not list in the payload: finds it by the head commit", async () => {
    const fake = newSep({ headRepo: userFork });
    const probot = await opened(fake);
    fake.comments = [];
    const delivery = webhook(fake, { name: "check_run", action: "rerequested", sender: "grace" });
    expect(delivery.payload.check_run.pull_requests).toEqual([]);

    await deliver(probot, delivery);

    expect(fake.calls()).toEqual([`GET ${R}/commits/${fake.pr.headSha}/pulls`, ...READS, CREATE_COMMENT]);
  });

  it("for another check's name: does nothing at all", async () => {
    const fake = newSep();
    await deliver(await testProbot(), webhook(fake, { name: "check_run", action: "rerequested", sender: "grace", checkName: "build" }));
    expect(fake.calls()).toEqual([]);
  });
});

describe("DRY_RUN", () => {
  it("reads and plans, and writes nothing", async () => {
    const fake = newSep();
    await deliver(await testProbot({ dryRun: true }), prEvent(fake, "opened", "pieter"));

    expect(fake.calls()).toEqual([TOKEN, ...READS]);
    expect(fake.headFiles()[WIF_NEW_PATH]).toBe(WIF_BEFORE);
    expect(fake.pr.labels).toEqual([]);
  });
});

describe("events out of order", () => {
  it("the bot's own `labeled` before or after its `synchronize`: same end state, no write repeated", async () => {
    const run = async (order: (events: ReturnType<GitHubFake["takeEvents"]>) => ReturnType<GitHubFake["takeEvents"]>) => {
      const fake = newSep();
      const probot = await testProbot();
      await deliver(probot, prEvent(fake, "opened", "pieter"));
      const writes = fake.writes().length;
      const delivered = await deliverQueued(probot, fake, order);
      return { fake, writes, afterFollowUps: fake.writes().length, delivered: delivered.map((e) => e.action) };
    };
    const inOrder = await run((events) => events);
    const reversed = await run((events) => [...events].reverse());

    expect(inOrder.delivered).toEqual(["synchronize", "labeled", "labeled", "created"]);
    expect(reversed.delivered).toEqual(["created", "labeled", "labeled", "synchronize"]);
    for (const r of [inOrder, reversed]) {
      expect(r.writes).toBe(4); // commit, check, labels, comment: once
      expect(r.afterFollowUps).toBe(r.writes);
    }
    expect(reversed.fake.visibleState()).toEqual(inOrder.fake.visibleState());
  });

  // BUG (src/governance/plan.ts, status and labels): GitHub does not deliver
  // webhooks in order. When the author's push is reconciled before the
  // `labeled` event of a maintainer's `in-review`, the planner sees two state
  // labels, keeps the one the file matches (`proposal`) and removes
  // `in-review`, with no audit entry and no word in the comment. When the
  // `labeled` event then arrives, the label is gone, so it does nothing: the
  // maintainer's decision is silently lost. In order, the same two events
  // move the SEP to In-Review. The trigger cannot tell who added a label the
  // bot meets on another event; the label's actor has to come from GitHub
  // (e.g. the PR's LABELED_EVENT timeline items, in query 1).
  it("a maintainer's `in-review` and the author's push, delivered in either order, end in the same state", async () => {
    const run = async (order: "in order" | "push first") => {
      const fake = sponsoredSep();
      const probot = await opened(fake);
      fake.addLabel("in-review", "grace");
      fake.push({ [WIF_PATH]: fake.headFiles()[WIF_PATH]!.replace("## Motivation\n", "## Motivation\n\nAdded by the author.\n") }, "pieter");
      await deliverQueued(probot, fake, (events) => (order === "in order" ? events : [...events].reverse()));
      await deliverQueued(probot, fake); // the bot's own follow-ups
      return fake;
    };
    const inOrder = await run("in order");
    expect(inOrder.pr.labels).toEqual(["SEP", "in-review"]);
    expect(inOrder.headFiles()[WIF_PATH]).toContain("- **Status**: In-Review\n");
    expect(inOrder.headFiles()[WIF_PATH]).toContain("Added by the author.");

    const pushFirst = await run("push first");
    expect(pushFirst.pr.labels).toEqual(inOrder.pr.labels);
    expect(pushFirst.headFiles()).toEqual(inOrder.headFiles());
  });
});
