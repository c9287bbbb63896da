/**
 * Install day (`npm run bench:api` prints it after the sweep): sixty open SEP
 * pull requests shaped like the specification repository's (five of each kind
 * in test/helpers/install-day.ts: new, awaiting a sponsor 20 to 280 days,
 * sponsored as people do it, a 600 KB file, labels and file disagreeing), the
 * real MAINTAINERS.md, labels left by the previous automation.
 *
 * It runs the dry-run preview, then real sweeps at the default budget until a
 * sweep finds nothing to do, the way the server's follow-ups run them (an hour
 * apart), and reports: the writes, the comments and how many @mention anyone
 * (at most one per PR), who is @mentioned, the runs until quiet and when every
 * PR was met, and what GitHub's pacing makes of each run (writes 1 s apart,
 * comment creation 3 s). The sweeps run unpaced: the counts are exact, the
 * paced time is computed from them, so the bench takes seconds, not minutes.
 */
import { Probot, ProbotOctokit } from "probot";
import { octokitClass } from "../src/github/client.js";
import type { GitHub } from "../src/github/graphql.js";
import { mentionsIn, previewOf } from "../src/reports/sweep/preview.js";
import { sweep } from "../src/github/sweep.js";
import { APP_ID, BOT, INSTALLATION_ID, OWNER, REPO, testLog, testPrivateKey } from "../test/helpers/github-fake/index.js";
import { INSTALL, installDayRepository } from "../test/helpers/install-day.js";

const COPIES = 5;
const HOUR = 3_600_000;
const quiet = { info() {}, warn() {} };

export async function installDayBench(): Promise<{ lines: string[]; failed: boolean }> {
  const { fake, pulls } = installDayRepository(COPIES);
  fake.install();
  const octokit = new ProbotOctokit({ auth: { token: "t" }, throttle: { enabled: false }, retry: { enabled: false }, log: { debug() {}, info() {}, warn() {}, error() {} } }) as unknown as GitHub;

  // The preview a maintainer reads before agreeing to the install.
  const dry = await sweep(octokit, OWNER, REPO, { dryRun: true, preview: true, now: () => INSTALL, log: quiet });
  const rules = dry.read.rules;
  const preview = previewOf(dry.done, { maxWrites: rules.sweep.maxWrites, closingLabels: rules.statuses.filter((s) => s.closesPullRequest).map((s) => s.label) });
  const previewRequests = fake.requests.length;
  fake.resetRequests();

  // The real thing: a run, then a follow-up an hour later while runs stop at the budget.
  const runs: Array<{ writes: number; comments: number; pacedSeconds: number; met: number }> = [];
  const met = new Set<number>();
  for (let k = 0; k < 12; k++) {
    const now = new Date(INSTALL.getTime() + k * HOUR);
    fake.clock = Math.max(fake.clock, now.getTime());
    const before = fake.requests.length;
    const report = await sweep(octokit, OWNER, REPO, { dryRun: false, now: () => now, log: quiet });
    const writes = fake.requests.slice(before).filter((r) => r.kind === "write");
    if (writes.length === 0) break;
    const comments = writes.filter((w) => w.method === "POST" && /\/issues\/\d+\/comments$/.test(w.path)).length;
    for (const d of report.done) met.add(d.number);
    runs.push({ writes: writes.length, comments, pacedSeconds: writes.length - comments + 3 * comments, met: met.size });
  }

  const created = fake.allComments.filter((c) => c.author === BOT && pulls.some((p) => p.number === c.issue));
  const mentioning = created.filter((c) => mentionsIn(c.body).length > 0);
  const perPull = new Map<number, number>();
  for (const c of mentioning) perPull.set(c.issue, (perPull.get(c.issue) ?? 0) + 1);
  const worst = Math.max(0, ...perPull.values());
  const people = new Set(mentioning.flatMap((c) => mentionsIn(c.body)));
  const closed = pulls.filter((p) => fake.pull(p.number).state === "closed").length;
  const writes = runs.reduce((a, r) => a + r.writes, 0);
  const quietAfter = runs.length;
  const allMetHours = runs.findIndex((r) => r.met === pulls.length);
  const problems = [
    worst > 1 ? `a PR got ${worst} comments with @mentions` : "",
    closed > 0 ? `${closed} PRs closed on day one` : "",
    allMetHours < 0 ? "not every PR was met" : "",
    preview.summary.writes === 0 ? "the preview planned nothing" : "",
  ].filter(Boolean);
  return {
    lines: [
      `Install day: ${pulls.length} open SEP pull requests shaped like the specification repository's (budget ${rules.sweep.maxWrites} writes a run, follow-ups an hour apart):`,
      `  dry-run preview:          ${previewRequests} requests, 0 writes; plans ${preview.summary.writes} writes over ${preview.summary.runs} runs: ${preview.summary.comments} comments, ${preview.summary.mentions} @mentions, ${preview.summary.labelChanges} label changes, ${preview.summary.commits} commits, ${preview.summary.closes} closes`,
      ...runs.map((r, i) => `  run ${i + 1} (+${i} h):             ${r.writes} writes (${r.comments} comments created), ${r.met}/${pulls.length} PRs met, ~${r.pacedSeconds} s at GitHub's pacing`),
      `  quiet after:              ${quietAfter} runs; every PR met ${allMetHours >= 0 ? `by run ${allMetHours + 1} (${allMetHours} h after the install)` : "never"}; ${writes} writes in all; ${closed} closed`,
      `  comments with @mentions:  ${mentioning.length} (${(mentioning.length / pulls.length).toFixed(2)} per PR, at most ${worst} on one PR), ${people.size} people mentioned   bar <= 1 per PR, none closed: ${problems.length ? `FAIL (${problems.join("; ")})` : "PASS"}`,
    ],
    failed: problems.length > 0,
  };
}

/**
 * The same preview as a maintainer runs it before the install (`sep-bot
 * sweep --dry-run`): the App's client as the CLI and the server make it
 * (octokitClass), GitHub's pacing on as it ships (writes 1 s apart; GraphQL
 * queries as reads), GitHub's latency modelled (100 ms a read). What it costs
 * in requests and how long it takes: the bar is under 20 s.
 */
export async function installDayDryRunBench(): Promise<{ lines: string[]; failed: boolean }> {
  const { fake, pulls } = installDayRepository(COPIES);
  fake.install();
  const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), log: testLog(), Octokit: octokitClass(null, {}) });
  const octokit = (await probot.auth(INSTALLATION_ID)) as unknown as GitHub;
  await octokit.request("GET /repos/{owner}/{repo}/installation", { owner: OWNER, repo: REPO }); // warm: the token is cached
  fake.resetRequests();
  fake.latency = { read: 100, write: 250 };
  const started = Date.now();
  const dry = await sweep(octokit, OWNER, REPO, { dryRun: true, preview: true, now: () => INSTALL, log: quiet });
  const seconds = (Date.now() - started) / 1000;
  const requests = fake.requests.filter((r) => r.kind !== "token").length;
  const writes = fake.calls("write").length;
  const serverSeconds = fake.requests.reduce((sum, r) => sum + (r.doneAt - r.at), 0) / 1000;
  const problems = [seconds >= 20 ? `${seconds.toFixed(1)} s >= 20 s` : "", writes > 0 ? `${writes} writes` : "", dry.done.length !== pulls.length ? `planned ${dry.done.length} of ${pulls.length} pull requests` : ""].filter(Boolean);
  return {
    lines: [
      `Install-day preview, paced as GitHub's pacing ships (queries as reads), latency modelled (100 ms a read):`,
      `  sep-bot sweep --dry-run:  ${pulls.length} pull requests planned, ${requests} requests, ${writes} writes, ${seconds.toFixed(1)} s (GitHub's own time per request adds up to ${serverSeconds.toFixed(1)} s)   bar < 20 s: ${problems.length ? `FAIL (${problems.join("; ")})` : "PASS"}`,
    ],
    failed: problems.length > 0,
  };
}
