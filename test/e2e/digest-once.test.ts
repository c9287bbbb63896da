import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { digest, digestMarker, type DigestResult } from "../../src/github/digest.js";
import type { GitHub } from "../../src/github/graphql.js";
import { isoWeek } from "../../src/reports/digest/render.js";
import { runCli, useClosers } from "../helpers/process.js";
import { APP_ID, GitHubFake, INSTALLATION_ID, OWNER, REPO, serverError, testLog, testOctokitClass, testPrivateKey, WIF_PATH, WIF_RENAMED, type IssueState } from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";

/**
 * One digest issue a week, whatever happens: a create GitHub completed but
 * answered 502 is not repeated (Octokit's retries are off for it, and the
 * week's digest is looked up first); two runs creating it at once converge
 * on the lowest-numbered issue and close the other as its duplicate; a later
 * run the same week edits it, or writes nothing.
 */

useNock();
const closeAfter = useClosers();

const MONDAY = new Date("2026-11-23T10:00:00Z");
const WEEK = isoWeek(MONDAY.toISOString());
const ISSUES = `/repos/${OWNER}/${REPO}/issues`;
const quiet = { info() {}, warn() {} };

/** An installation client through Probot, with Octokit's retries ON (as in production: two retries, no wait). */
async function client(): Promise<GitHub> {
  const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), Octokit: testOctokitClass({ retry: true }), log: testLog() });
  return (await probot.auth(INSTALLATION_ID)) as unknown as GitHub;
}

const weekIssues = (fake: GitHubFake): IssueState[] => [...fake.issues.values()].filter((i) => i.body.includes(digestMarker(WEEK)));
const open = (fake: GitHubFake) => weekIssues(fake).filter((i) => i.state === "open");
const creates = (fake: GitHubFake) => fake.calls("write").filter((c) => c === `POST ${ISSUES}`);

function fakeOn(monday = MONDAY): GitHubFake {
  const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } }).install();
  fake.clock = monday.getTime();
  return fake;
}

describe("creating the week's digest issue", () => {
  it("a create GitHub completed but answered 502: not retried, found again, one open digest", async () => {
    const fake = fakeOn();
    fake.inject({ method: "POST", path: ISSUES, reply: { status: 502, body: { message: "Bad Gateway" } }, afterWrite: true });
    const result = await digest(await client(), OWNER, REPO, { post: true, log: quiet, now: () => MONDAY });
    expect(creates(fake)).toHaveLength(1); // Octokit's retry (on for the other requests) never repeats it
    expect(open(fake)).toHaveLength(1);
    expect(fake.issues.size).toBe(1);
    expect(result.issue).toMatchObject({ number: weekIssues(fake)[0]!.number, action: "unchanged" });
    expect(result.closedDuplicates).toEqual([]);
  });

  it("a create GitHub answered 502 without making it: looked up, not there, made once more", async () => {
    const fake = fakeOn();
    fake.inject({ method: "POST", path: ISSUES, reply: serverError() });
    const result = await digest(await client(), OWNER, REPO, { post: true, log: quiet, now: () => MONDAY, retryDelayMs: 1 });
    expect(creates(fake)).toHaveLength(2);
    expect(open(fake)).toHaveLength(1);
    expect(result.issue).toMatchObject({ action: "created" });
  });

  it("a create GitHub refuses (403): looked up once, not there, the error is the run's", async () => {
    const fake = fakeOn();
    fake.inject({ method: "POST", path: ISSUES, reply: { status: 403, body: { message: "Resource not accessible by integration" } } });
    await expect(digest(await client(), OWNER, REPO, { post: true, log: quiet, now: () => MONDAY, retryDelayMs: 1 })).rejects.toThrow(/Resource not accessible/);
    expect(creates(fake)).toHaveLength(1);
    expect(fake.issues.size).toBe(0);
  });
});

describe("two runs posting the same week's digest at once", () => {
  it("both create (each looked before the other created): they keep the lowest-numbered, the other is closed as its duplicate", async () => {
    const fake = fakeOn();
    fake.latency = { read: 2, write: 5 };
    // Each run's first look for the week's issue waits for the other's: both find none, both create.
    const looked: Array<() => void> = [];
    const bothLooked = new Promise<void>((resolve) => looked.push(resolve));
    let lookups = 0;
    const gated = async () => {
      const octokit = await client();
      let first = true;
      octokit.hook.after("request", async (_response, options) => {
        if (!first || !String((options as { query?: string }).query ?? "").includes("SepDigestIssues")) return;
        first = false;
        if (++lookups === 2) looked[0]!();
        await bothLooked;
      });
      return octokit;
    };
    const [a, b] = await Promise.all([gated(), gated()]);
    const results: DigestResult[] = await Promise.all([a, b].map((octokit) => digest(octokit, OWNER, REPO, { post: true, log: quiet, now: () => MONDAY })));

    expect(creates(fake)).toHaveLength(2);
    expect(open(fake)).toHaveLength(1);
    const [kept, duplicate] = weekIssues(fake).sort((x, y) => x.number - y.number);
    expect(kept!.state).toBe("open");
    expect(duplicate).toMatchObject({ state: "closed", stateReason: "duplicate" });
    // One line naming the kept issue, by the run that made the duplicate (the other leaves it to that one).
    expect(duplicate!.comments).toHaveLength(1);
    for (const comment of duplicate!.comments!) expect(comment.body).toMatch(new RegExp(`^Duplicate of #${kept!.number}: [^\\n]*$`));
    // Both runs end on the same issue; only one of them made it.
    expect(results.map((r) => r.issue!.number)).toEqual([kept!.number, kept!.number]);
    expect(results.map((r) => r.issue!.action).sort()).toEqual(["created", "unchanged"]);
  });

  it("a week that has two open digests already (a run stopped before converging): the next run closes the later one and edits the first", async () => {
    const fake = fakeOn();
    const octokit = await client();
    await digest(octokit, OWNER, REPO, { post: true, log: quiet, now: () => MONDAY });
    const first = weekIssues(fake)[0]!;
    fake.issues.set(first.number + 100, { ...first, number: first.number + 100, body: first.body.replace("# SEP digest", "# SEP digest (again)") });
    fake.resetRequests();
    const result = await digest(octokit, OWNER, REPO, { post: true, log: quiet, now: () => MONDAY });
    expect(result.closedDuplicates).toEqual([first.number + 100]);
    expect(result.issue).toMatchObject({ number: first.number, action: "unchanged" });
    expect(open(fake).map((i) => i.number)).toEqual([first.number]);
  });

  it("two `sep-bot digest --post` processes at once: exactly one open digest issue", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } });
    fake.latency = { read: 5, write: 20 };
    const github = await fake.listen();
    closeAfter(github.close);
    const env = { GITHUB_TOKEN: "ghs_workflowToken", GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: `${github.url}/graphql`, GITHUB_REPOSITORY: `${OWNER}/${REPO}` };
    const runs = await Promise.all([runCli(["digest", "--post"], env), runCli(["digest", "--post"], env)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const week = isoWeek(new Date().toISOString());
    const issues = [...fake.issues.values()].filter((i) => i.body.includes(digestMarker(week)));
    expect(issues.filter((i) => i.state === "open")).toHaveLength(1);
    const kept = issues.find((i) => i.state === "open")!;
    // Whether both created (then one closed the other, and says so) depends on timing: nothing else is said.
    for (const run of runs) for (const line of run.stderr.split("\n").filter(Boolean)) expect(line).toMatch(new RegExp(`closed as a duplicate of #${kept.number} `));
    for (const run of runs) expect(run.stdout).toContain(`issue #${kept.number} `);
  });
});

describe("a second run the same week", () => {
  it("edits the week's issue when the digest changed, and writes nothing when it did not", async () => {
    const fake = fakeOn();
    const octokit = await client();
    const first = await digest(octokit, OWNER, REPO, { post: true, log: quiet, now: () => MONDAY });
    expect(first.issue!.action).toBe("created");

    // A new SEP pull request: the digest's "awaiting a sponsor" changes.
    fake.openPullRequest({ number: 2001, createdAt: "2026-11-22T10:00:00Z", changes: { "seps/2001-widgets.md": fake.headFiles()[WIF_PATH]!.replace(/1933/g, "2001") } });
    fake.resetRequests();
    const second = await digest(octokit, OWNER, REPO, { post: true, log: quiet, now: () => MONDAY });
    expect(second.issue).toMatchObject({ number: first.issue!.number, action: "updated" });
    expect(fake.calls("write")).toEqual([`PATCH ${ISSUES}/${first.issue!.number}`]);

    fake.resetRequests();
    const third = await digest(octokit, OWNER, REPO, { post: true, log: quiet, now: () => MONDAY });
    expect(third.issue).toMatchObject({ number: first.issue!.number, action: "unchanged" });
    expect(fake.calls("write")).toEqual([]);
    expect(fake.issues.size).toBe(1);
  });
});
