/**
 * What reading the conformance repository costs the sweep (`npm run
 * bench:api` prints it after the site): 40 accepted SEP pull requests, each
 * reconciled, and a conformance repository with a traceability file for each
 * and a manifest about the real one's size per SEP. Measured with Probot's
 * pacing on and GitHub's latency modelled:
 *
 * 1. a sweep in a fresh process: the index and the manifest (read once per
 *    version), nothing due, no write;
 * 2. the next sweep, same process: the index only;
 * 3. a traceability file merged for one SEP: that SEP alone is re-planned,
 *    its status comment the one write.
 *
 * Bars: the conformance repository costs at most 2 requests on a sweep, and
 * 1 once the manifest is known; a sweep with nothing changed writes nothing.
 */
import { readFileSync } from "node:fs";
import { Probot, ProbotOctokit } from "probot";
import { octokitClass } from "../src/github/client.js";
import type { GitHub } from "../src/github/graphql.js";
import { forgetManifests } from "../src/github/read/final.js";
import { sweep } from "../src/github/sweep.js";
import { APP_ID, GitHubFake, INSTALLATION_ID, NOW, OWNER, REPO, testLog, testPrivateKey, type RecordedRequest } from "../test/helpers/github-fake/index.js";
import { sepText } from "../test/helpers/sep.js";

const SEPS = 40;
const DAY = 86_400_000;
const CONFORMANCE = "modelcontextprotocol/conformance";
const quiet = { info() {}, warn() {} };
const real = readFileSync(new URL("../test/fixtures/conformance/traceability/traceability.json", import.meta.url), "utf8");

/** The real manifest's entry for SEP-2207 (a mid-sized one), once per benchmark SEP: its size grows as the real one would. */
function manifest(): string {
  const parsed = JSON.parse(real) as { seps: Record<string, unknown> };
  const entry = parsed.seps["2207"];
  return JSON.stringify({ ...parsed, seps: Object.fromEntries(Array.from({ length: SEPS }, (_, i) => [String(4000 + i), entry])) }, null, 2);
}

const spec = (number: number) =>
  [
    "## Specification",
    "",
    `Servers MUST answer \`widgets/${number}\` with the widget.`,
    "",
    "Clients SHOULD cache the widget for a minute.",
  ].join("\n");

const traceability = (number: number, rows: number) =>
  [
    `sep: ${number}`,
    "requirements:",
    `  - check: sep-${number}-answer`,
    `    text: 'Servers MUST answer widgets/${number} with the widget'`,
    ...(rows > 1 ? ["  - text: 'Clients SHOULD cache the widget for a minute'", "    excluded: 'client-internal caching; not protocol-observable'"] : []),
    "",
  ].join("\n");

async function acceptedRepository(): Promise<GitHubFake> {
  const fake = new GitHubFake({ changes: {}, config: "sweep:\n  maxWrites: 100000\n" }).install();
  const files: Record<string, string> = { "src/seps/traceability.json": manifest() };
  const first = NOW.getTime() - 40 * DAY;
  for (let i = 0; i < SEPS; i++) {
    const number = 4000 + i;
    fake.clock = first + i * DAY;
    const url = `https://github.com/${OWNER}/${REPO}/pull/${number}`;
    const text = sepText({ heading: `# SEP-${number}: Widgets ${number}`, status: "Accepted", sponsor: "Grace Hopper (@grace)", pr: url, authors: `Author ${i} (@author${i})` })
      .replace("## Specification\n\nA `widgets/stream` method.", spec(number))
      .replace("A branch in the TypeScript SDK.", `https://github.com/modelcontextprotocol/typescript-sdk/pull/${number}`);
    fake.openPullRequest({
      number,
      author: `author${i}`,
      createdAt: new Date(fake.clock).toISOString(),
      labels: ["SEP", "accepted"],
      assignees: ["grace"],
      changes: { [`seps/${number}-widgets.md`]: text, "docs/specification/draft/changelog.mdx": `- SEP-${number}\n` },
    });
    // Half have their traceability file merged already; one of the others gets it during the benchmark.
    if (i % 2 === 0) files[`src/seps/sep-${number}.yaml`] = traceability(number, 2);
  }
  fake.addRepository(CONFORMANCE, files);
  fake.clock = NOW.getTime() - DAY;
  const unpaced = new ProbotOctokit({ auth: { token: "t" }, throttle: { enabled: false }, retry: { enabled: false }, log: { debug() {}, info() {}, warn() {}, error() {} } }) as unknown as GitHub;
  const setup = await sweep(unpaced, OWNER, REPO, { dryRun: false, now: () => new Date(NOW.getTime() - DAY), log: quiet });
  if (setup.done.length !== SEPS) throw new Error(`setup reconciled ${setup.done.length} of ${SEPS} pull requests`);
  return fake;
}

interface Measured {
  requests: number;
  conformance: RecordedRequest[];
  writes: number;
  kb: number;
  conformanceKb: number;
  due: number;
  seconds: number;
}

async function measured(fake: GitHubFake, octokit: GitHub): Promise<Measured> {
  fake.resetRequests();
  const started = Date.now();
  const report = await sweep(octokit, OWNER, REPO, { dryRun: false, now: () => NOW, log: quiet });
  const seconds = (Date.now() - started) / 1000;
  const requests = fake.requests.filter((r) => r.kind !== "token");
  const conformance = requests.filter((r) => r.operation === "SepConformanceIndex" || r.operation === "SepManifest");
  const kb = (list: RecordedRequest[]) => list.reduce((sum, r) => sum + (r.bytes ?? 0), 0) / 1024;
  return { requests: requests.length, conformance, writes: fake.calls("write").length, kb: kb(requests), conformanceKb: kb(conformance), due: report.due.length, seconds };
}

export async function conformanceBench(): Promise<{ lines: string[]; failed: boolean }> {
  forgetManifests();
  const fake = await acceptedRepository();
  forgetManifests(); // a fresh process: the manifest is not known yet
  const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), log: testLog(), Octokit: octokitClass(null, {}) });
  const octokit = (await probot.auth(INSTALLATION_ID)) as unknown as GitHub;
  await octokit.request("GET /repos/{owner}/{repo}/installation", { owner: OWNER, repo: REPO });
  fake.latency = { read: 100, write: 250 };

  const cold = await measured(fake, octokit);
  const warm = await measured(fake, octokit);
  fake.setRepositoryFile(CONFORMANCE, "src/seps/sep-4001.yaml", traceability(4001, 2));
  const merged = await measured(fake, octokit);

  const row = (what: string, m: Measured) =>
    `  ${what.padEnd(44)} ${String(m.requests).padStart(3)} requests (conformance repository: ${m.conformance.length}, ${m.conformanceKb.toFixed(1)} KB), ${m.writes} writes, ${m.due} re-planned, ${m.kb.toFixed(0)} KB read, ${m.seconds.toFixed(1)} s`;
  const problems = [
    cold.conformance.length > 2 ? `a fresh sweep read the conformance repository ${cold.conformance.length} times (bar 2)` : "",
    warm.conformance.length > 1 ? `a warm sweep read it ${warm.conformance.length} times (bar 1)` : "",
    cold.writes || warm.writes ? `a sweep with nothing changed wrote ${cold.writes + warm.writes} times` : "",
    merged.due !== 1 || merged.writes !== 1 ? `one traceability file merged: ${merged.due} re-planned, ${merged.writes} writes (want 1 and 1)` : "",
  ].filter(Boolean);
  return {
    lines: [
      `The conformance repository on a sweep: ${SEPS} accepted SEP pull requests, ${SEPS / 2} traceability files and a manifest of ${(manifest().length / 1024).toFixed(0)} KB (warm, paced, latency modelled):`,
      row("a fresh process, nothing changed:", cold),
      row("the next sweep, nothing changed:", warm),
      row("one traceability file merged over there:", merged),
      `  bar: at most 2 requests to the conformance repository (1 once its manifest is known), no write when nothing changed: ${problems.length ? `FAIL (${problems.join("; ")})` : "PASS"}`,
    ],
    failed: problems.length > 0,
  };
}
