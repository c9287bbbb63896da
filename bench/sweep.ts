/**
 * The sweep's cost (`npm run bench:api` prints it after the per-event
 * table): 500 open SEP pull requests the bot has already reconciled, nothing
 * due, swept once with Probot's pacing on and GitHub's latency modelled. The
 * bar: at most 15 requests, no write. Next to it, what the repository's
 * label-only weekly job costs: at least two REST calls per SEP.
 */
import { ProbotOctokit } from "probot";
import type { GitHub } from "../src/github/graphql.js";
import { isSepPull } from "../src/reports/sweep/due.js";
import { sweep } from "../src/github/sweep.js";
import { APP_ID, GitHubFake, INSTALLATION_ID, NOW, OWNER, REPO, testLog, testPrivateKey } from "../test/helpers/github-fake/index.js";
import { sepText } from "../test/helpers/sep.js";
import { Probot } from "probot";
import { octokitClass } from "../src/github/client.js";

const SEPS = 500;
const LABEL_JOB_CALLS_PER_SEP = 2;
const BAR = 15;
const DAY = 86_400_000;
const quiet = { info() {}, warn() {} };

/** 500 SEP PRs awaiting a sponsor, opened in the last ten days, each reconciled once (unpaced: setup is not measured). */
async function fiveHundred(): Promise<GitHubFake> {
  const fake = new GitHubFake({ changes: {}, config: "sweep:\n  maxWrites: 100000\n" }).install();
  const first = NOW.getTime() - 10 * DAY;
  for (let i = 0; i < SEPS; i++) {
    const number = 3000 + i;
    fake.clock = first + i * Math.floor((9 * DAY) / SEPS);
    const url = `https://github.com/${OWNER}/${REPO}/pull/${number}`;
    const text = sepText({ heading: `# SEP-${number}: Widgets ${number}`, status: "Draft", sponsor: "None (seeking sponsor)", pr: url, authors: `Author ${i} (@author${i})` });
    fake.openPullRequest({ number, author: `author${i}`, createdAt: new Date(fake.clock).toISOString(), changes: { [`seps/${number}-widgets.md`]: text } });
  }
  fake.clock = NOW.getTime() - DAY;
  const unpaced = new ProbotOctokit({ auth: { token: "t" }, throttle: { enabled: false }, retry: { enabled: false }, log: { debug() {}, info() {}, warn() {}, error() {} } }) as unknown as GitHub;
  const setup = await sweep(unpaced, OWNER, REPO, { dryRun: false, now: () => new Date(NOW.getTime() - DAY), log: quiet });
  if (setup.done.length !== SEPS) throw new Error(`setup reconciled ${setup.done.length} of ${SEPS} pull requests`);
  return fake;
}

export async function sweepBench(): Promise<{ lines: string[]; failed: boolean }> {
  const fake = await fiveHundred();
  const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), log: testLog(), Octokit: octokitClass(null, {}) }); // the client `sep-bot sweep` makes: pacing and retry on
  const octokit = (await probot.auth(INSTALLATION_ID)) as unknown as GitHub;
  await octokit.request("GET /repos/{owner}/{repo}/installation", { owner: OWNER, repo: REPO }); // warm: the token is cached
  fake.resetRequests();
  fake.latency = { read: 100, write: 250 };
  const started = Date.now();
  const report = await sweep(octokit, OWNER, REPO, { dryRun: false, now: () => NOW, log: quiet });
  const seconds = (Date.now() - started) / 1000;
  const requests = fake.requests.filter((r) => r.kind !== "token").length;
  const writes = fake.calls("write").length;
  const pulls = report.read.read.pulls.length;
  const seps = report.read.read.pulls.filter((p) => isSepPull(p, report.read.rules)).length;
  const problems = [
    requests > BAR ? `${requests} requests > ${BAR}` : "",
    writes > 0 ? `${writes} writes` : "",
    report.due.length ? `${report.due.length} PRs picked for a reconcile` : "",
    seps !== SEPS ? `read ${seps} SEP pull requests, not ${SEPS}` : "",
  ].filter(Boolean);
  return {
    lines: [
      `Weekly sweep of ${seps} open SEP pull requests (${pulls} open in all) with nothing due (warm, paced, latency modelled):`,
      `  sep-bot sweep:            ${requests} requests (${fake.calls().filter((c) => c.includes("SepSweepPulls")).length} pages of up to 100), ${writes} writes, ${seconds.toFixed(1)} s   bar <= ${BAR} requests: ${problems.length ? `FAIL (${problems.join("; ")})` : "PASS"}`,
      `  label-only weekly job:    >= ${LABEL_JOB_CALLS_PER_SEP * seps} requests (${LABEL_JOB_CALLS_PER_SEP} REST calls per SEP)`,
      `  ratio:                    ${((LABEL_JOB_CALLS_PER_SEP * seps) / requests).toFixed(0)}x fewer requests`,
    ],
    failed: problems.length > 0,
  };
}
