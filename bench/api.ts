/**
 * `npm run bench:api`: what one change on a pull request costs in GitHub API
 * requests and writes, and how long until the PR is reconciled.
 *
 * Each scenario runs the real app (Probot + sep-bot, with the client class
 * `sep-bot serve` gives it) against the in-memory GitHub of the tests, with
 * GitHub's pacing on (writes at least 1 s apart, comment creation 3 s;
 * GraphQL queries paced as reads, src/github/pacing.ts) and GitHub's latency
 * modelled (100 ms a read, 250 ms a write). Webhooks are delivered the moment their cause happens, as GitHub
 * does: the bot's own commit, labels and comment come back while it works.
 * The instance is warm (its installation token cached, as in a running
 * server); the token column shows the rare cold start separately.
 *
 * Prints one row per scenario and PASS/FAIL against its bar; exits 1 on any
 * FAIL, or if any request reached something the fake does not serve.
 */
import nock from "nock";
import { Probot } from "probot";
import { sepBot } from "../src/run/app.js";
import { installDayBench, installDayDryRunBench } from "./install-day.js";
import { octokitClass } from "../src/github/client.js";
import { siteBench } from "./site.js";
import { sweepBench } from "./sweep.js";
import { conformanceBench } from "./conformance.js";
import { sdksBench } from "./sdks.js";
import {
  APP_ID,
  deliver,
  GitHubFake,
  INSTALLATION_ID,
  live,
  NOW,
  testLog,
  testPrivateKey,
  testProbot,
  webhook,
  WIF_BEFORE,
  WIF_NEW_PATH,
  WIF_PATH,
  WIF_RENAMED,
  type FakeOptions,
} from "../test/helpers/github-fake/index.js";

interface Bar {
  maxRequests?: number;
  maxReads?: number;
  maxWrites?: number;
}

interface Scenario {
  name: string;
  bar: Bar;
  /** GitHub's state before the measured change (setup requests are not counted). */
  setup: () => Promise<GitHubFake>;
  /** The measured change: what people (or GitHub) do. Webhooks flow live. */
  run: (fake: GitHubFake, send: (event: Parameters<ReturnType<typeof live>["send"]>[0]) => void) => void;
  copies?: number;
  /** What must be true afterwards, so a broken run cannot pass on low numbers. */
  verify: (fake: GitHubFake) => string | null;
}

const LATENCY = { read: 100, write: 250 };

const newSep = (o: FakeOptions = {}) => new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE }, ...o }).install();

/** A new SEP PR the bot has fully handled already (set up without pacing, so the bench stays quick). */
async function reconciled(o: FakeOptions = {}): Promise<GitHubFake> {
  const fake = newSep(o);
  const probot = await testProbot();
  await deliver(probot, webhook(fake, { name: "pull_request", action: "opened", sender: fake.pr.author }));
  const github = live(fake, [probot]);
  await github.idle();
  return fake;
}

const renamedAndLabelled = (fake: GitHubFake) =>
  fake.headFiles()[WIF_PATH] !== WIF_RENAMED
    ? "the SEP was not renamed"
    : fake.pr.labels.join(",") !== "SEP,proposal"
      ? `labels are ${fake.pr.labels.join(",")}`
      : fake.botComments().length !== 1
        ? `${fake.botComments().length} status comments`
        : fake.checkRuns.filter((r) => r.headSha === fake.pr.headSha).length !== 1
          ? `${fake.checkRuns.filter((r) => r.headSha === fake.pr.headSha).length} check runs on the head`
          : null;

/** 99 files outside `seps/` and the new SEP. */
const hundredFiles = () => {
  const changes: Record<string, string> = { [WIF_NEW_PATH]: WIF_BEFORE };
  for (let i = 1; i <= 99; i++) changes[`docs/specification/draft/page-${String(i).padStart(3, "0")}.mdx`] = `# Page ${i}\n`;
  return changes;
};

const opened = { name: "pull_request" as const, action: "opened" as const, sender: "pieter" };

const SCENARIOS: Scenario[] = [
  {
    name: "new 0000- SEP PR opened (rename, check, labels, comment)",
    bar: { maxWrites: 4 },
    setup: async () => newSep(),
    run: (_fake, send) => send(opened),
    verify: renamedAndLabelled,
  },
  {
    name: "the same, every delivery arriving twice at once",
    bar: { maxWrites: 4 },
    copies: 2,
    setup: async () => newSep(),
    run: (_fake, send) => send(opened),
    verify: renamedAndLabelled,
  },
  {
    name: "no-op: title edited on a reconciled SEP PR",
    bar: { maxRequests: 2, maxWrites: 0 },
    setup: () => reconciled(),
    run: (fake) => fake.editPullRequest("pieter", "SEP: Workload Identity Federation (edited)"),
    verify: renamedAndLabelled,
  },
  {
    name: "burst: 10 title edits + the author's `in-review` label, shuffled, each twice",
    bar: { maxWrites: 3 },
    copies: 2,
    setup: () => reconciled(),
    run: (fake) => {
      for (let i = 1; i <= 10; i++) fake.editPullRequest("pieter", `SEP: Workload Identity Federation (v${i})`);
      fake.addLabel("in-review", "pieter");
    },
    verify: (fake) => (fake.pr.labels.includes("in-review") ? "the label is still there" : renamedAndLabelled(fake)),
  },
  {
    name: "unauthorised `accepted` label put back",
    bar: { maxWrites: 2 },
    setup: () => reconciled(),
    run: (fake) => fake.addLabel("accepted", "mallory"),
    verify: (fake) => (fake.pr.labels.includes("accepted") ? "the label is still there" : null),
  },
  {
    name: "maintainer applies `draft`: sponsors it; file follows, assigned, old label goes",
    bar: {},
    setup: () => reconciled(),
    run: (fake) => fake.addLabel("draft", "grace"),
    verify: (fake) => (fake.pr.labels.join(",") !== "SEP,draft" ? `labels are ${fake.pr.labels.join(",")}` : fake.pr.assignees.join() !== "grace" ? `assignees ${fake.pr.assignees.join()}` : null),
  },
  {
    name: "new SEP PR from a user fork allowing edits (Git Data route)",
    bar: {},
    setup: async () => newSep({ headRepo: { owner: "pieter", name: "modelcontextprotocol", ownerType: "User" }, maintainerCanModify: true }),
    run: (_fake, send) => send(opened),
    verify: renamedAndLabelled,
  },
  {
    name: "command comment: /sponsor by a maintainer (commit, check, labels, assignee, reaction, comment)",
    bar: { maxReads: 2 },
    setup: () => reconciled(),
    run: (fake) => void fake.comment("grace", "Happy to sponsor this.\n\n/sponsor"),
    verify: (fake) => (fake.pr.assignees.join() !== "grace" ? `assignees ${fake.pr.assignees.join()}` : fake.pr.labels.join(",") !== "SEP,draft" ? `labels ${fake.pr.labels.join(",")}` : null),
  },
  {
    name: "command comment refused: /accept by the author (reaction, reply, comment)",
    bar: { maxReads: 2, maxWrites: 3 },
    setup: () => reconciled(),
    run: (fake) => void fake.comment("pieter", "/accept"),
    verify: (fake) => (fake.pr.labels.join(",") !== "SEP,proposal" ? `labels ${fake.pr.labels.join(",")}` : null),
  },
  {
    name: "comment without a command",
    bar: { maxRequests: 1, maxWrites: 0 },
    setup: () => reconciled(),
    run: (fake) => void fake.comment("pieter", "Thanks for the review! I will tighten the motivation section."),
    verify: () => null,
  },
  {
    name: "any event on a PR that touches no SEP",
    bar: { maxRequests: 1, maxWrites: 0 },
    setup: async () => new GitHubFake({ changes: { "docs/specification/draft/index.mdx": "# Draft\n" } }).install(),
    run: (_fake, send) => send(opened),
    verify: (fake) => (fake.botComments().length ? "commented on a PR without SEP" : null),
  },
  {
    name: "100-file PR touching 1 SEP, opened",
    bar: { maxWrites: 4 },
    setup: async () => new GitHubFake({ changes: hundredFiles() }).install(),
    run: (_fake, send) => send(opened),
    verify: (fake) => (fake.changedFiles().length !== 100 ? `${fake.changedFiles().length} files` : renamedAndLabelled(fake)),
  },
];

interface Row {
  name: string;
  requests: number;
  reads: number;
  writes: number;
  reconciledMs: number;
  bar: string;
  result: "PASS" | "FAIL";
  why: string;
}

/** Probot as `sep-bot serve` runs it (its client class, throttling and retry on), running sep-bot. */
async function pacedProbot(): Promise<Probot> {
  const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), log: testLog(), Octokit: octokitClass(null, {}) });
  await probot.load(sepBot({ now: () => NOW }), { cwd: process.cwd(), addHandler: () => {} });
  return probot;
}

let tokenRequests = 0;

async function measure(scenario: Scenario): Promise<Row> {
  nock.cleanAll();
  const fake = await scenario.setup();
  const probot = await pacedProbot();
  // Warm: the installation token is fetched once per hour in a running server; fetch it before measuring.
  fake.resetRequests();
  await (await probot.auth(INSTALLATION_ID)).request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { owner: fake.owner, repo: fake.repo, pull_number: fake.pr.number });
  tokenRequests = Math.max(tokenRequests, fake.calls("token").length);
  // Let the previous scenario's pacing windows pass (Probot's throttling is per process).
  await new Promise((resolve) => setTimeout(resolve, 3200));
  fake.resetRequests();
  fake.latency = LATENCY;
  const start = Date.now() - fake.started;
  let failure = "";
  try {
    const github = live(fake, [probot], { copies: scenario.copies ?? 1, jitterMs: 50 });
    scenario.run(fake, github.send);
    await github.idle();
  } catch (error) {
    failure = `delivery failed: ${(error as Error).message}`;
  }
  const count = (kind: "read" | "write") => fake.requests.filter((r) => r.kind === kind).length;
  const requests = fake.requests.filter((r) => r.kind !== "token").length;
  const lastWrite = Math.max(start, ...fake.requests.filter((r) => r.kind === "write").map((r) => r.doneAt));
  const row = { requests, reads: count("read"), writes: count("write"), reconciledMs: lastWrite - start };
  const problems = [
    failure,
    fake.calls("token").length ? `${fake.calls("token").length} token requests while warm` : "",
    scenario.bar.maxRequests !== undefined && row.requests > scenario.bar.maxRequests ? `${row.requests} requests > ${scenario.bar.maxRequests}` : "",
    scenario.bar.maxReads !== undefined && row.reads > scenario.bar.maxReads ? `${row.reads} reads > ${scenario.bar.maxReads}` : "",
    scenario.bar.maxWrites !== undefined && row.writes > scenario.bar.maxWrites ? `${row.writes} writes > ${scenario.bar.maxWrites}` : "",
    scenario.verify(fake) ?? "",
  ].filter(Boolean);
  const bar = [
    scenario.bar.maxRequests !== undefined ? `<= ${scenario.bar.maxRequests} req` : "",
    scenario.bar.maxReads !== undefined ? `<= ${scenario.bar.maxReads} reads` : "",
    scenario.bar.maxWrites !== undefined ? `<= ${scenario.bar.maxWrites} writes` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return { name: scenario.name, ...row, bar, result: problems.length ? "FAIL" : "PASS", why: problems.join("; ") };
}

function table(rows: Row[]): string {
  const header = ["scenario", "requests", "reads", "writes", "reconciled after", "bar", "result"];
  const cells = rows.map((r) => [r.name, String(r.requests), String(r.reads), String(r.writes), r.writes ? `${(r.reconciledMs / 1000).toFixed(1)} s` : "-", r.bar, r.why ? `${r.result} (${r.why})` : r.result]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const numeric = new Set([1, 2, 3, 4]);
  const line = (c: string[]) => c.map((v, i) => (numeric.has(i) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

async function main(): Promise<number> {
  nock.disableNetConnect();
  const strays: string[] = [];
  nock.emitter.on("no match", (req: { method?: string; host?: string; hostname?: string; path?: string }) =>
    strays.push(`${req.method ?? "?"} ${req.hostname ?? req.host ?? "?"}${req.path ?? ""}`),
  );
  const only = process.argv.slice(2).join(" ");
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) if (!only || scenario.name.includes(only)) rows.push(await measure(scenario));
  nock.cleanAll();

  console.log("GitHub API cost of one change on a pull request, warm instance, Probot's pacing on, latency modelled");
  console.log(`(reads ${LATENCY.read} ms, writes ${LATENCY.write} ms; a cold start adds ${tokenRequests} token request${tokenRequests === 1 ? "" : "s"})\n`);
  console.log(table(rows));
  let sweepFailed = false;
  if (!only || "sweep".includes(only)) {
    const swept = await sweepBench();
    console.log(`\n${swept.lines.join("\n")}`);
    sweepFailed = swept.failed;
  }
  if (!only || "install day".includes(only)) {
    const day = await installDayBench();
    console.log(`\n${day.lines.join("\n")}`);
    sweepFailed ||= day.failed;
    const preview = await installDayDryRunBench();
    console.log(`\n${preview.lines.join("\n")}`);
    sweepFailed ||= preview.failed;
  }
  if (!only || "site".includes(only)) {
    const site = await siteBench();
    console.log(`\n${site.lines.join("\n")}`);
    sweepFailed ||= site.failed;
  }
  if (!only || "conformance".includes(only)) {
    const conformance = await conformanceBench();
    console.log(`\n${conformance.lines.join("\n")}`);
    sweepFailed ||= conformance.failed;
  }
  if (!only || "sdks".includes(only)) {
    const sdks = await sdksBench();
    console.log(`\n${sdks.lines.join("\n")}`);
    sweepFailed ||= sdks.failed;
  }
  if (strays.length) console.log(`\nFAIL: requests the fake does not serve:\n  ${strays.join("\n  ")}`);
  const failed = rows.some((r) => r.result === "FAIL") || strays.length > 0 || sweepFailed;
  console.log(`\n${failed ? "FAIL" : "PASS"}`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
