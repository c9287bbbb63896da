import { describe, expect, it } from "vitest";
import {
  deliver,
  deliverQueued,
  GitHubFake,
  INSTALLATION_ID,
  NUMBER,
  OWNER,
  REPO,
  secondaryRateLimit,
  serverError,
  testProbot,
  unprocessable,
  webhook,
  WIF_BEFORE,
  WIF_NEW_PATH,
  WIF_PATH,
  WIF_RENAMED,
} from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";

/**
 * GitHub fails in the middle of a reconcile. What must hold: the delivery
 * fails loudly (so it shows in the app's deliveries and logs), nothing is
 * half-done in a way the next event cannot finish, the next event converges,
 * and nothing is done twice (one rename commit, one status comment).
 */

useNock();

const R = `/repos/${OWNER}/${REPO}`;
const TOKEN = `POST /app/installations/${INSTALLATION_ID}/access_tokens`;
const READS = ["POST /graphql SepPullRequest", "POST /graphql SepContents"];
const COMMIT = ["POST /graphql SepCommit"];
const GIT_DATA = [`POST ${R}/git/trees`, `POST ${R}/git/commits`, `PATCH ${R}/git/refs/heads/wif`];
/** The head each commit attempt was made on (GraphQL's expectedHeadOid). */
const commitAttempts = (fake: GitHubFake) =>
  fake.requests.filter((r) => r.operation === "SepCommit").map((r) => (r.body as { variables: { input: { expectedHeadOid: string } } }).variables.input.expectedHeadOid);
const CHECK = `POST ${R}/check-runs`;
const ADD_LABELS = `POST ${R}/issues/${NUMBER}/labels`;
const CREATE_COMMENT = `POST ${R}/issues/${NUMBER}/comments`;
const LABELS_PATH = `${R}/issues/${NUMBER}/labels`;
const COMMENTS_PATH = `${R}/issues/${NUMBER}/comments`;

const newSep = () => new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE } }).install();
const opened = (fake: GitHubFake) => webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" });
const rerun = (fake: GitHubFake) => webhook(fake, { name: "check_run", action: "rerequested", sender: "grace" });

/**
 * Every message in what `probot.receive` rejected with: @octokit/webhooks
 * wraps the handler's error, and the executor aggregates one per failed effect.
 */
async function failure(delivery: Promise<unknown>): Promise<string> {
  const error = await delivery.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "the delivery should have failed").not.toBeNull();
  const messages: string[] = [];
  const walk = (e: unknown) => {
    if (!(e instanceof Error)) return;
    messages.push(e.message);
    if (e instanceof AggregateError) e.errors.forEach(walk);
    walk(e.cause);
  };
  walk(error);
  return messages.join("\n");
}

/** Where a fully handled new SEP ends, whatever happened on the way. */
function expectReconciled(fake: GitHubFake) {
  expect(fake.botCommits()).toHaveLength(1);
  expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
  expect(fake.headFiles()).not.toHaveProperty([WIF_NEW_PATH]);
  expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
  expect(fake.botComments()).toHaveLength(1);
  expect(fake.latestCheck()).toBeDefined();
}

describe("a write fails in the middle of the plan", () => {
  it("(a) a 500 on the labels: the event fails, the rest is applied, the next events converge", async () => {
    const fake = newSep();
    fake.inject({ method: "POST", path: LABELS_PATH, reply: serverError() });
    const probot = await testProbot();

    expect(await failure(deliver(probot, opened(fake)))).toMatch(/labels failed: Server Error/);

    // The check run was still written; the status comment (the record of what ran) waits for a reconcile
    // in which every write succeeded, so nothing half-done is recorded as done.
    expect(fake.calls()).toEqual([TOKEN, ...READS, ...COMMIT, CHECK, ADD_LABELS]);
    expect(fake.pr.labels).toEqual([]);
    expect(fake.latestCheck()).toBeDefined();
    expect(fake.botComments()).toHaveLength(0);

    // GitHub then delivers the synchronize of the bot's push; it adds the labels and the comment, once.
    fake.resetRequests();
    await deliverQueued(probot, fake);
    expect(fake.calls("write")).toEqual([ADD_LABELS, CREATE_COMMENT]);
    expectReconciled(fake);

    // A re-run afterwards has nothing left to do.
    fake.resetRequests();
    await deliver(probot, rerun(fake));
    expect(fake.writes()).toEqual([]);
  });

  it("(b) a secondary rate limit on the comment: the event fails; the next event creates the comment once", async () => {
    const fake = newSep();
    fake.inject({ method: "POST", path: COMMENTS_PATH, reply: secondaryRateLimit(60) });
    const probot = await testProbot();

    expect(await failure(deliver(probot, opened(fake)))).toMatch(/create-comment failed: You have exceeded a secondary rate limit/);
    expect(fake.botComments()).toHaveLength(0);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);

    fake.resetRequests();
    await deliverQueued(probot, fake);
    expect(fake.calls("write")).toEqual([CREATE_COMMENT]);
    expectReconciled(fake);
  });

  it("(d) a 500 on a comment GitHub did store: the next event finds it and creates no second one", async () => {
    const fake = newSep();
    fake.inject({ method: "POST", path: COMMENTS_PATH, reply: serverError(), afterWrite: true });
    const probot = await testProbot();

    expect(await failure(deliver(probot, opened(fake)))).toMatch(/create-comment failed: Server Error/);
    expect(fake.botComments()).toHaveLength(1);

    fake.resetRequests();
    await deliverQueued(probot, fake);
    await deliver(probot, rerun(fake));
    expect(fake.writes()).toEqual([]);
    expectReconciled(fake);
  });

  it("(d) when Octokit's retry made a duplicate of such a comment, the next reconcile deletes the extra", async () => {
    const fake = newSep();
    fake.inject({ method: "POST", path: COMMENTS_PATH, reply: serverError(), afterWrite: true });
    // As in production: plugin-retry retries a 500, and GitHub had stored the first attempt.
    const probot = await testProbot({ retry: true });

    await deliver(probot, opened(fake));
    expect(fake.calls().filter((c) => c === CREATE_COMMENT)).toHaveLength(2);
    const [first, duplicate] = fake.botComments();
    expect(duplicate).toBeDefined();

    fake.resetRequests();
    await deliverQueued(probot, fake);
    expect(fake.calls("write")).toEqual([`DELETE ${R}/issues/comments/${duplicate!.id}`]);
    expect(fake.botComments().map((c) => c.id)).toEqual([first!.id]);
    expectReconciled(fake);
  });

  it("a 500 on a commit GitHub did make: the next event sees the new head and does not commit again", async () => {
    const fake = newSep();
    fake.inject({ path: "/graphql", operation: "SepCommit", reply: serverError(), afterWrite: true });
    const probot = await testProbot();

    expect(await failure(deliver(probot, opened(fake)))).toMatch(/Server Error/);
    expect(fake.botCommits()).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(0); // nothing after a commit whose outcome is unknown

    fake.resetRequests();
    await deliverQueued(probot, fake); // the synchronize of the push that did land
    expect(fake.calls("write")).toEqual([CHECK, ADD_LABELS, CREATE_COMMENT]);
    expectReconciled(fake);
  });
});

describe("a command half done", () => {
  it("/review: the commit lands, the labels fail; the next event finishes it: labels follow, no 'unauthorised' finding, one audit line", async () => {
    const sponsored = WIF_RENAMED.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Grace Hopper (@grace)");
    const fake = new GitHubFake({ changes: { [WIF_PATH]: sponsored }, assignees: ["grace"] }).install();
    const probot = await testProbot();
    await deliver(probot, opened(fake));
    await deliverQueued(probot, fake);
    expect(fake.pr.labels).toEqual(["SEP", "draft"]);

    fake.inject({ method: "DELETE", path: `${LABELS_PATH}/draft`, reply: serverError() });
    fake.inject({ method: "PUT", path: LABELS_PATH, reply: serverError() });
    fake.comment("grace", "/review");
    const events = fake.takeEvents();
    expect(await failure(deliver(probot, webhook(fake, events[0]!)))).toMatch(/labels failed/);
    expect(fake.headFiles()[WIF_PATH]).toContain("- **Status**: In-Review\n");
    expect(fake.pr.labels).toEqual(["SEP", "draft"]);

    await deliverQueued(probot, fake); // the bot's own synchronize, and anything else
    await deliverQueued(probot, fake);
    expect(fake.pr.labels.sort()).toEqual(["SEP", "in-review"]);
    expect(fake.latestCheck()!.summary).not.toContain("status-change-unauthorised");
    expect(fake.botCommits()).toHaveLength(1);
    const log = fake.botComments()[0]!.body.split("<summary>What sep-bot did</summary>")[1]!;
    expect(log.match(/`\/review` by/g)).toHaveLength(1);
  });
});

describe("the branch moves while the bot commits", () => {
  it("(c) the commit's expected head is stale (someone pushed): re-read, commit on the new head, never force", async () => {
    const fake = newSep();
    const openedAt = fake.pr.headSha;
    let authorsPush = "";
    // Another push lands between the bot's read and its commit.
    fake.inject({
      path: "/graphql",
      operation: "SepCommit",
      before: (f) => {
        authorsPush = f.push({ [WIF_NEW_PATH]: WIF_BEFORE.replace("## Motivation\n", "## Motivation\n\nA sentence the author added.\n") }, "pieter");
      },
    });
    const probot = await testProbot();

    await deliver(probot, opened(fake));

    expect(fake.calls()).toEqual([TOKEN, ...READS, ...COMMIT, ...READS, ...COMMIT, CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(commitAttempts(fake)).toEqual([openedAt, authorsPush]);
    expect(fake.refUpdates).toEqual([]); // nothing is ever forced: there is no ref update at all
    // The bot's commit sits on top of the author's, keeping their sentence.
    const [botCommit] = fake.botCommits();
    expect(botCommit!.parents).toEqual([authorsPush]);
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED.replace("## Motivation\n", "## Motivation\n\nA sentence the author added.\n"));
    expect(fake.latestCheck()!.headSha).toBe(botCommit!.sha);
    expect(fake.botComments()).toHaveLength(1);
  });

  it("a branch that keeps moving: three attempts, then the event fails; nothing forced, nothing half-written", async () => {
    const fake = newSep();
    let n = 0;
    fake.inject({
      path: "/graphql",
      operation: "SepCommit",
      times: 10,
      before: (f) => void f.push({ [`notes/${n++}.md`]: "x\n" }, "pieter"),
    });
    const probot = await testProbot();

    expect(await failure(deliver(probot, opened(fake)))).toMatch(/no longer points at [\s\S]*Expected branch to point to/);

    expect(commitAttempts(fake)).toHaveLength(3);
    expect(fake.refUpdates).toEqual([]);
    expect(fake.botCommits()).toEqual([]);
    expect(fake.checkRuns).toEqual([]);
    expect(fake.comments).toEqual([]);
  });
});

describe("refusals and races that are not failures", () => {
  it("a protected branch (refused by GraphQL, then 422 on the ref update): explained like a refused push, tried once, the event succeeds", async () => {
    const fake = newSep();
    const protectedBranch = "Protected branch update failed for refs/heads/wif.";
    fake.inject({
      path: "/graphql",
      operation: "SepCommit",
      reply: { status: 200, body: { data: { createCommitOnBranch: null }, errors: [{ type: "UNPROCESSABLE", path: ["createCommitOnBranch"], message: protectedBranch }] } },
      times: 5,
    });
    fake.inject({ method: "PATCH", path: `${R}/git/refs/heads/wif`, reply: unprocessable(protectedBranch), times: 5 });
    const probot = await testProbot();

    await deliver(probot, opened(fake));

    expect(fake.calls()).toEqual([TOKEN, ...READS, ...COMMIT, ...GIT_DATA, CHECK, ADD_LABELS, CREATE_COMMENT]);
    expect(fake.refUpdates.map((u) => u.force)).toEqual([false]);
    expect(fake.latestCheck()!.summary).toContain("GitHub refused the push (422)");
    expect(fake.botComments()[0]!.body).toContain(`git mv ${WIF_NEW_PATH} ${WIF_PATH}`);
    expect(fake.headFiles()[WIF_NEW_PATH]).toBe(WIF_BEFORE);
  });

  it("two instances with nothing shared (no Redis) take the same event at once: one commit wins, the other re-reads; the next event removes the extra comment", async () => {
    const fake = newSep();
    const [one, two] = [await testProbot(), await testProbot()];

    const results = await Promise.allSettled([deliver(one, opened(fake)), deliver(two, opened(fake))]);

    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    // Both tried on the same head; GitHub's compare-and-swap let one through.
    expect(commitAttempts(fake).slice(0, 2)).toEqual([fake.botCommits()[0]!.parents[0], fake.botCommits()[0]!.parents[0]]);
    expect(fake.botCommits()).toHaveLength(1);
    await deliverQueued(one, fake);
    expectReconciled(fake);
  });
});

describe("rate limits are not refusals", () => {
  // A secondary rate limit is a 403 too, but it is not "this token may not
  // push": on a branch of the repository itself the author must not be told
  // to rename by hand. Probot 14 does not retry secondary rate limits
  // (probot/lib/octokit/get-octokit-throttle-options.js: "does not retry,
  // only logs a warning"), so the 403 reaches sep-bot in production as here:
  // the delivery fails (visible, redeliverable) and the next event commits.
  it("a secondary rate limit on the rename commit is not reported to the author as a refused push", async () => {
    const fake = newSep();
    fake.inject({ path: "/graphql", operation: "SepCommit", reply: secondaryRateLimit(60) });
    const probot = await testProbot();

    expect(await failure(deliver(probot, opened(fake)))).toMatch(/secondary rate limit/);
    expect(fake.checkRuns).toEqual([]); // nothing claims the push was refused
    expect(fake.comments).toEqual([]);

    await deliver(probot, rerun(fake));
    await deliverQueued(probot, fake);
    expectReconciled(fake);
  });
});

describe("a record missed, and a person's change meanwhile", () => {
  // The status comment is sep-bot's record; when every write after the rename commit is refused, there is
  // none. Its commit on the PR still says it was there: what people did since is judged, not adopted.
  it("the rename commit lands, every write is refused (secondary rate limit), the author adds `accepted`, the limit lifts, the author edits the title: the label is put back", async () => {
    const fake = newSep();
    fake.inject({ path: new RegExp(`^${R}/(check-runs|issues/${NUMBER}/(labels|comments))`), reply: secondaryRateLimit(60), times: 100 });
    const probot = await testProbot();

    expect(await failure(deliver(probot, opened(fake)))).toMatch(/secondary rate limit/);
    expect(fake.botCommits()).toHaveLength(1);
    expect(await failure(deliverQueued(probot, fake))).toMatch(/secondary rate limit/); // the synchronize of its push
    expect([fake.checkRuns, fake.pr.labels, fake.comments]).toEqual([[], [], []]);

    fake.addLabel("accepted", "pieter");
    expect(await failure(deliverQueued(probot, fake))).toMatch(/secondary rate limit/);

    fake.clearFaults();
    fake.editPullRequest("pieter", "SEP: Workload Identity Federation for MCP");
    fake.resetRequests();
    await deliverQueued(probot, fake);

    expect(fake.calls("write")).toEqual([CHECK, `PUT ${LABELS_PATH}`, CREATE_COMMENT]);
    expect([...fake.pr.labels].sort()).toEqual(["SEP", "proposal"]);
    const comment = fake.botComments()[0]!.body;
    expect(comment).not.toContain("before sep-bot came");
    expect(comment).toMatch(/removed the `accepted` label added by @\S*pieter: only the sponsor or a maintainer changes a SEP's status/);
    expect(fake.botCommits()).toHaveLength(1);
    expect(fake.latestCheck()!.summary).not.toContain("status-change-unauthorised");
  });
});
