/**
 * The SEP site's cost (`siteBench()`, for `npm run bench:api`; or alone:
 * `npx tsx bench/site.ts`): `sep-bot site` over 500 open SEP pull requests
 * (20 of them in review, so their votes are read too) and 50 SEP files on the
 * default branch, the bot having reconciled each once, with Probot's pacing
 * on and GitHub's latency modelled. The bar: the sweep's bulk read, each
 * pull request's SEP file at its head fifty a request (ten for 500), and one
 * request more (the files on the default branch and the votes), no write: a
 * handful of requests, whatever the number of SEPs. Also said: the bytes
 * GitHub sent (the answers' bodies), and those of the SEP files' requests.
 */
import { pathToFileURL } from "node:url";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import type { GitHub } from "../src/github/graphql.js";
import { FILES_PER_REQUEST, readSweep } from "../src/github/read/sweep.js";
import { octokitClass } from "../src/github/client.js";
import { buildSite } from "../src/github/site.js";
import { sweep } from "../src/github/sweep.js";
import { APP_ID, defaultBase, GitHubFake, INSTALLATION_ID, NOW, OWNER, REPO, testLog, testPrivateKey } from "../test/helpers/github-fake/index.js";
import { sepText } from "../test/helpers/sep.js";

const SEPS = 500;
const IN_REVIEW = 20;
const MERGED = 50;
const DAY = 86_400_000;
const quiet = { info() {}, warn() {} };

/** 500 SEP PRs (every 25th in review, sponsored by a core maintainer, the rest awaiting a sponsor) and 50 merged SEPs, each PR reconciled once, unpaced. */
async function repository(): Promise<GitHubFake> {
  const base = { ...defaultBase() };
  for (let i = 0; i < MERGED; i++) {
    const number = 1000 + i;
    base[`seps/${number}-merged-${number}.md`] = sepText({ heading: `# SEP-${number}: Merged ${number}`, status: "Final", pr: `https://github.com/${OWNER}/${REPO}/pull/${number}`, authors: `Author ${i} (@author${i})` });
  }
  const fake = new GitHubFake({ base, changes: {}, config: "sweep:\n  maxWrites: 100000\n" }).install();
  const first = NOW.getTime() - 10 * DAY;
  for (let i = 0; i < SEPS; i++) {
    const number = 3000 + i;
    fake.clock = first + i * Math.floor((9 * DAY) / SEPS);
    const url = `https://github.com/${OWNER}/${REPO}/pull/${number}`;
    const review = i % (SEPS / IN_REVIEW) === 0;
    const text = review
      ? sepText({ heading: `# SEP-${number}: Widgets ${number}`, status: "In-Review", sponsor: "Grace Hopper (@grace)", pr: url, authors: `Author ${i} (@author${i})` })
      : sepText({ heading: `# SEP-${number}: Widgets ${number}`, status: "Draft", sponsor: "None (seeking sponsor)", pr: url, authors: `Author ${i} (@author${i})` });
    fake.openPullRequest({
      number,
      author: `author${i}`,
      createdAt: new Date(fake.clock).toISOString(),
      changes: { [`seps/${number}-widgets.md`]: text },
      ...(review ? { assignees: ["grace"], comments: [{ author: "grace", body: "/vote yes" }] } : {}),
    });
  }
  fake.clock = NOW.getTime() - DAY;
  const unpaced = new ProbotOctokit({ auth: { token: "t" }, throttle: { enabled: false }, retry: { enabled: false }, log: { debug() {}, info() {}, warn() {}, error() {} } }) as unknown as GitHub;
  const setup = await sweep(unpaced, OWNER, REPO, { dryRun: false, now: () => new Date(NOW.getTime() - DAY), log: quiet });
  if (setup.done.length !== SEPS) throw new Error(`setup reconciled ${setup.done.length} of ${SEPS} pull requests`);
  return fake;
}

export async function siteBench(): Promise<{ lines: string[]; failed: boolean }> {
  const fake = await repository();
  const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), log: testLog(), Octokit: octokitClass(null, {}) }); // the client `sep-bot site` makes: pacing and retry on
  const octokit = (await probot.auth(INSTALLATION_ID)) as unknown as GitHub;
  await octokit.request("GET /repos/{owner}/{repo}/installation", { owner: OWNER, repo: REPO }); // warm: the token is cached
  fake.latency = { read: 100, write: 250 };

  // The sweep's bulk read alone, for comparison.
  fake.resetRequests();
  await readSweep(octokit, OWNER, REPO, NOW);
  const sweepRequests = fake.requests.filter((r) => r.kind !== "token").length;

  fake.resetRequests();
  const started = Date.now();
  const { data, files } = await buildSite(octokit, OWNER, REPO, { now: () => NOW });
  const seconds = (Date.now() - started) / 1000;
  const counted = fake.requests.filter((r) => r.kind !== "token");
  const requests = counted.length;
  const fileRequests = counted.filter((r) => r.operation === "SepPullFiles");
  const bytes = counted.reduce((n, r) => n + (r.bytes ?? 0), 0);
  const fileBytes = fileRequests.reduce((n, r) => n + (r.bytes ?? 0), 0);
  const writes = fake.calls("write").length;
  const open = data.seps.filter((s) => s.pullRequest?.open).length;
  const voted = data.seps.filter((s) => s.votes?.cast?.length).length;
  const fromFiles = data.seps.filter((s) => s.pullRequest?.open && s.file.path !== null && s.authors.some((a) => a.name?.startsWith("Author "))).length;
  const bar = sweepRequests + Math.ceil(SEPS / FILES_PER_REQUEST) + 1;
  const problems = [
    requests > bar ? `${requests} requests > ${bar}` : "",
    writes > 0 ? `${writes} writes` : "",
    open !== SEPS ? `${open} open SEPs on the site, not ${SEPS}` : "",
    data.seps.length !== SEPS + MERGED + 1 ? `${data.seps.length} SEPs on the site, not ${SEPS + MERGED + 1}` : "",
    voted !== IN_REVIEW ? `votes read for ${voted} SEPs in review, not ${IN_REVIEW}` : "",
    fromFiles !== SEPS ? `${fromFiles} open SEPs read from their files, not ${SEPS}` : "",
  ].filter(Boolean);
  const kb = (path: string) => (Buffer.byteLength(files.get(path)!.body) / 1024).toFixed(0);
  return {
    lines: [
      `SEP site of ${open} open SEP pull requests (${IN_REVIEW} in review) and ${data.seps.length - open} SEP files on the default branch (warm, paced, latency modelled):`,
      `  sep-bot site:             ${requests} requests (the sweep's read: ${sweepRequests}; + ${fileRequests.length} for the pull requests' SEP files; + 1 for the default branch's files and the votes), ${writes} writes, ${seconds.toFixed(1)} s   bar <= ${bar} requests: ${problems.length ? `FAIL (${problems.join("; ")})` : "PASS"}`,
      `  bytes read:               ${(bytes / 1024).toFixed(0)} KB in all; the SEP files' requests ${(fileBytes / 1024).toFixed(0)} KB (${SEPS} files)`,
      `  files:                    index.html ${kb("index.html")} KB, seps.json ${kb("seps.json")} KB`,
    ],
    failed: problems.length > 0,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  nock.disableNetConnect();
  const result = await siteBench();
  console.log(result.lines.join("\n"));
  nock.cleanAll();
  process.exitCode = result.failed ? 1 : 0;
}
