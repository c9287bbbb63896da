/**
 * What implementation tracking costs the sweep (`npm run bench:api` prints
 * it last): 40 accepted SEP pull requests, each tracked in 10 SDK
 * repositories (400 SDK issues, 40 umbrellas), swept with Probot's pacing on
 * and GitHub's latency modelled:
 *
 * 1. nothing changed: the SDK issues' states in one request, no write;
 * 2. three SDK issues closed (two SEPs): those two re-planned, their
 *    umbrellas' lists and status comments the only writes.
 *
 * Setup (not measured): the SEPs are found accepted on the first sweep, then
 * a maintainer's `/track` on each files the 400 issues and the umbrellas.
 */
import { Probot, ProbotOctokit } from "probot";
import { octokitClass } from "../src/github/client.js";
import type { GitHub } from "../src/github/graphql.js";
import { reconcile } from "../src/github/reconcile.js";
import { sweep } from "../src/github/sweep.js";
import { trigger } from "../src/governance/model/trigger.js";
import { APP_ID, defaultBase, GitHubFake, INSTALLATION_ID, NOW, OWNER, REPO, testLog, testPrivateKey } from "../test/helpers/github-fake/index.js";
import { sepText } from "../test/helpers/sep.js";

const SEPS = 40;
const SDKS = 10;
const DAY = 86_400_000;
const BAR_REQUESTS = 20;
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const repoOf = (i: number) => `${OWNER}/sdk-${i}`;

function sdkPage(): string {
  const rows = Array.from({ length: SDKS }, (_, i) => `| SDK ${i} | [${repoOf(i)}](https://github.com/${repoOf(i)}) | <Badge>Tier&nbsp;1</Badge> |`);
  return ["| SDK | Repository | Tier |", "| --- | --- | --- |", ...rows, ""].join("\n");
}

async function trackedRepository(): Promise<GitHubFake> {
  const fake = new GitHubFake({ changes: {}, base: { ...defaultBase(), "docs/docs/draft/sdk.mdx": sdkPage() }, config: "sweep:\n  maxWrites: 100000\n" }).install();
  for (let i = 0; i < SDKS; i++) fake.addRepository(repoOf(i), {}, true, true);
  const first = NOW.getTime() - 40 * DAY;
  for (let i = 0; i < SEPS; i++) {
    const number = 5000 + i;
    fake.clock = first + i * DAY;
    const url = `https://github.com/${OWNER}/${REPO}/pull/${number}`;
    const text = sepText({ heading: `# SEP-${number}: Widgets ${number}`, status: "Accepted", sponsor: "Grace Hopper (@grace)", pr: url, authors: `Author ${i} (@author${i})` });
    fake.openPullRequest({ number, author: `author${i}`, createdAt: new Date(fake.clock).toISOString(), labels: ["SEP", "accepted"], assignees: ["grace"], changes: { [`seps/${number}-widgets.md`]: text } });
  }
  fake.clock = NOW.getTime() - DAY;
  const unpaced = new ProbotOctokit({ auth: { token: "t" }, throttle: { enabled: false }, retry: { enabled: false }, log: quiet }) as unknown as GitHub;
  const setup = await sweep(unpaced, OWNER, REPO, { dryRun: false, now: () => new Date(NOW.getTime() - DAY), log: quiet });
  if (setup.done.length !== SEPS) throw new Error(`setup reconciled ${setup.done.length} of ${SEPS} pull requests`);
  for (let i = 0; i < SEPS; i++) {
    const number = 5000 + i;
    const comment = fake.comment("grace", "/track", number);
    await reconcile(unpaced, { owner: OWNER, repo: REPO, number, defaultBranch: "main", trigger: trigger({ comments: [comment.id], actors: ["grace"] }) }, { dryRun: false, now: () => new Date(NOW.getTime() - DAY), log: quiet });
  }
  const filed = [...fake.others.values()].reduce((n, r) => n + r.issues.size, 0);
  if (filed !== SEPS * SDKS) throw new Error(`setup filed ${filed} SDK issues, not ${SEPS * SDKS}`);
  return fake;
}

export async function sdksBench(): Promise<{ lines: string[]; failed: boolean }> {
  const fake = await trackedRepository();
  const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), log: testLog(), Octokit: octokitClass(null, {}) });
  const octokit = (await probot.auth(INSTALLATION_ID)) as unknown as GitHub;
  await octokit.request("GET /repos/{owner}/{repo}/installation", { owner: OWNER, repo: REPO });
  fake.latency = { read: 100, write: 250 };

  const measure = async () => {
    fake.resetRequests();
    const started = Date.now();
    const report = await sweep(octokit, OWNER, REPO, { dryRun: false, now: () => NOW, log: quiet });
    const requests = fake.requests.filter((r) => r.kind !== "token");
    const kb = requests.reduce((sum, r) => sum + (r.bytes ?? 0), 0) / 1024;
    return { requests: requests.length, states: fake.calls().filter((c) => c.includes("SepTrackedIssues")).length, writes: fake.calls("write").length, due: report.due.length, kb, seconds: (Date.now() - started) / 1000 };
  };
  const quietSweep = await measure();
  fake.closeIssue(repoOf(0), 100, "completed");
  fake.closeIssue(repoOf(1), 100, "completed");
  fake.closeIssue(repoOf(2), 101, "not_planned");
  const moved = await measure();

  const row = (what: string, m: Awaited<ReturnType<typeof measure>>) =>
    `  ${what.padEnd(38)} ${String(m.requests).padStart(3)} requests (${m.states} for all ${SEPS * SDKS} SDK issues' states), ${m.writes} writes, ${m.due} re-planned, ${m.kb.toFixed(0)} KB read, ${m.seconds.toFixed(1)} s`;
  const problems = [
    quietSweep.writes ? `nothing changed, ${quietSweep.writes} writes` : "",
    quietSweep.states !== 1 ? `the SDK issues' states took ${quietSweep.states} requests (want 1)` : "",
    quietSweep.requests > BAR_REQUESTS ? `${quietSweep.requests} requests > ${BAR_REQUESTS}` : "",
    moved.due !== 2 ? `three SDK issues closed in two SEPs: ${moved.due} re-planned (want 2)` : "",
  ].filter(Boolean);
  return {
    lines: [
      `Implementation tracking on a sweep: ${SEPS} accepted SEPs x ${SDKS} SDK repositories (${SEPS * SDKS} SDK issues, ${SEPS} umbrellas; warm, paced, latency modelled):`,
      row("nothing changed:", quietSweep),
      row("3 SDK issues closed (2 SEPs):", moved),
      `  bar: one request for every tracked issue's state, no write when nothing changed, <= ${BAR_REQUESTS} requests: ${problems.length ? `FAIL (${problems.join("; ")})` : "PASS"}`,
    ],
    failed: problems.length > 0,
  };
}
