/**
 * `npm run bench:api`: how many GitHub API requests one webhook delivery
 * costs. Counts requests, not time. Each scenario runs the real app
 * (Probot + sep-bot, `probot.receive`) against the in-memory GitHub of the
 * tests, with a fresh Probot per measured delivery, so the installation token
 * request is counted every time (a cold instance: the worst case).
 *
 * Prints one row per scenario and PASS/FAIL against its bar; exits 1 on any
 * FAIL, or if any request reached something the fake does not serve.
 */
import nock from "nock";
import type { Probot } from "probot";
import {
  deliver,
  deliverQueued,
  GitHubFake,
  testProbot,
  webhook,
  WIF_BEFORE,
  WIF_NEW_PATH,
  WIF_PATH,
  WIF_RENAMED,
  type FakeOptions,
} from "../test/helpers/github-fake.js";

interface Bar {
  maxRequests?: number;
  maxWrites?: number;
}

interface Scenario {
  name: string;
  bar: Bar;
  /** Builds GitHub's state before the measured delivery (setup requests are not counted). */
  setup: () => Promise<GitHubFake>;
  /** The measured delivery. */
  run: (probot: Probot, fake: GitHubFake) => Promise<void>;
  /** What must be true afterwards, so a broken run cannot pass on low numbers. */
  verify: (fake: GitHubFake) => string | null;
}

const newSep = (o: FakeOptions = {}) => new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE }, ...o }).install();
const opened = (fake: GitHubFake) => webhook(fake, { name: "pull_request", action: "opened", sender: fake.pr.author });

/** Opens the PR and lets the bot finish, with its own follow-up events. */
async function reconciled(fake: GitHubFake): Promise<GitHubFake> {
  const probot = await testProbot();
  await deliver(probot, opened(fake));
  await deliverQueued(probot, fake);
  return fake;
}

const renamedAndLabelled = (fake: GitHubFake) =>
  fake.headFiles()[WIF_PATH] !== WIF_RENAMED
    ? "the SEP was not renamed"
    : fake.pr.labels.join(",") !== "SEP,proposal"
      ? `labels are ${fake.pr.labels.join(",")}`
      : fake.botComments().length !== 1
        ? `${fake.botComments().length} status comments`
        : null;

/** 99 files outside `seps/` and the new SEP. */
const hundredFiles = () => {
  const changes: Record<string, string> = { [WIF_NEW_PATH]: WIF_BEFORE };
  for (let i = 1; i <= 99; i++) changes[`docs/specification/draft/page-${String(i).padStart(3, "0")}.mdx`] = `# Page ${i}\n`;
  return changes;
};

const SCENARIOS: Scenario[] = [
  {
    name: "synchronize, already reconciled",
    bar: { maxRequests: 4, maxWrites: 0 },
    // The synchronize of the bot's own rename commit: the PR is in its final state.
    setup: async () => {
      const fake = newSep();
      const probot = await testProbot();
      await deliver(probot, opened(fake));
      return fake; // its queued events (synchronize, labeled x2) are still undelivered
    },
    run: async (probot, fake) => {
      const sync = fake.takeEvents().find((e) => e.name === "pull_request" && e.action === "synchronize")!;
      await deliver(probot, webhook(fake, sync));
    },
    verify: renamedAndLabelled,
  },
  {
    name: "synchronize, author pushes a non-SEP file",
    bar: { maxRequests: 5, maxWrites: 1 }, // the check run for the new head commit
    setup: async () => {
      const fake = await reconciled(newSep());
      fake.push({ "docs/notes.md": "notes\n" }, "pieter");
      return fake;
    },
    run: (probot, fake) => deliverQueued(probot, fake).then(() => undefined),
    verify: (fake) => (fake.latestCheck() ? renamedAndLabelled(fake) : "no check run on the new head"),
  },
  {
    name: "new 0000- SEP opened (rename, check, labels, comment)",
    bar: { maxRequests: 12 },
    setup: async () => newSep(),
    run: (probot, fake) => deliver(probot, opened(fake)),
    verify: renamedAndLabelled,
  },
  {
    name: "duplicate delivery of `opened`",
    bar: { maxRequests: 4, maxWrites: 0 },
    setup: async () => reconciled(newSep()),
    run: (probot, fake) => deliver(probot, opened(fake)),
    verify: renamedAndLabelled,
  },
  {
    name: "unauthorised `accepted` label reverted",
    bar: { maxRequests: 6, maxWrites: 2 }, // remove the label, update the comment
    setup: async () => {
      const fake = await reconciled(newSep());
      fake.addLabel("accepted", "mallory");
      return fake;
    },
    run: (probot, fake) => deliverQueued(probot, fake).then(() => undefined),
    verify: (fake) => (fake.pr.labels.includes("accepted") ? "the label is still there" : null),
  },
  {
    name: "100-file PR touching 1 SEP, opened",
    bar: { maxRequests: 12 },
    setup: async () => new GitHubFake({ changes: hundredFiles() }).install(),
    run: (probot, fake) => deliver(probot, opened(fake)),
    verify: (fake) => (fake.changedFiles().length !== 100 ? `${fake.changedFiles().length} files` : renamedAndLabelled(fake)),
  },
];

interface Row {
  name: string;
  total: number;
  token: number;
  reads: number;
  writes: number;
  bar: string;
  result: "PASS" | "FAIL";
  why: string;
}

async function measure(scenario: Scenario): Promise<Row> {
  nock.cleanAll();
  const fake = await scenario.setup();
  const probot = await testProbot(); // cold: asks for the installation token again
  fake.resetRequests();
  let failure = "";
  try {
    await scenario.run(probot, fake);
  } catch (error) {
    failure = `delivery failed: ${(error as Error).message}`;
  }
  const count = (kind: "token" | "read" | "write") => fake.requests.filter((r) => r.kind === kind).length;
  const row = { total: fake.requests.length, token: count("token"), reads: count("read"), writes: count("write") };
  const problems = [
    failure,
    scenario.bar.maxRequests !== undefined && row.total > scenario.bar.maxRequests ? `${row.total} requests > ${scenario.bar.maxRequests}` : "",
    scenario.bar.maxWrites !== undefined && row.writes > scenario.bar.maxWrites ? `${row.writes} writes > ${scenario.bar.maxWrites}` : "",
    scenario.verify(fake) ?? "",
  ].filter(Boolean);
  const bar = [scenario.bar.maxRequests !== undefined ? `<= ${scenario.bar.maxRequests} req` : "", scenario.bar.maxWrites !== undefined ? `<= ${scenario.bar.maxWrites} writes` : ""]
    .filter(Boolean)
    .join(", ");
  return { name: scenario.name, ...row, bar, result: problems.length ? "FAIL" : "PASS", why: problems.join("; ") };
}

function table(rows: Row[]): string {
  const header = ["scenario", "requests", "token", "reads", "writes", "bar", "result"];
  const cells = rows.map((r) => [r.name, String(r.total), String(r.token), String(r.reads), String(r.writes), r.bar, r.why ? `${r.result} (${r.why})` : r.result]);
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
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) rows.push(await measure(scenario));
  nock.cleanAll();

  console.log("GitHub API requests per webhook delivery (fresh Probot each: the token request is included)\n");
  console.log(table(rows));
  if (strays.length) console.log(`\nFAIL: requests the fake does not serve:\n  ${strays.join("\n  ")}`);
  const failed = rows.some((r) => r.result === "FAIL") || strays.length > 0;
  console.log(`\n${failed ? "FAIL" : "PASS"}`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
