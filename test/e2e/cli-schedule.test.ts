import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { runCli, useClosers } from "../helpers/process.js";
import type { GitHub } from "../../src/github/graphql.js";
import { sweep } from "../../src/github/sweep.js";
import { digestCommand } from "../../src/run/cli/digest.js";
import { chainOf, MAX_CHAIN, sweepCommand, type PreviewDocument } from "../../src/run/cli/sweep.js";
import { UsageError } from "../../src/run/cli/files.js";
import { chatMarker, digestMarker } from "../../src/github/digest.js";
import { isoWeek } from "../../src/reports/digest/render.js";
import { readPingMarker } from "../../src/governance/model/record.js";
import { APP_ID, BOT, forbidden, GitHubFake, INSTALLATION_ID, OWNER, REPO, testLog, testPrivateKey, WIF_PATH, WIF_RENAMED } from "../helpers/github-fake/index.js";
import { sepText } from "../helpers/sep.js";

/**
 * `sep-bot sweep` and `sep-bot digest` as a scheduled workflow runs them: the
 * CLI as a process, GitHub served over HTTP by the stateful fake, with
 * Probot's real pacing (and in-process, unpaced, where a process adds only time). The clock is the machine's: the fake's pull request
 * was opened days ago.
 */

const closeAfter = useClosers();
const cli = (args: string[], env: Record<string, string>) => runCli(args, env, 90_000);

const DAY = 86_400_000;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The WIF SEP awaiting a sponsor, opened `days` ago (and `more` SEPs after it,
 * an hour apart); with `recordedOn`, the bot met them all on that day (an
 * in-process sweep). GitHub's clock is now.
 */
async function served(days: number, o: { config?: string; more?: number; recordedOn?: number } = {}): Promise<{ fake: GitHubFake; env: Record<string, string> }> {
  const createdAt = Date.now() - days * DAY;
  const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, createdAt: new Date(createdAt).toISOString(), ...(o.config ? { config: o.config } : {}) });
  for (let i = 1; i <= (o.more ?? 0); i++) {
    const number = 2000 + i;
    const text = sepText({ heading: `# SEP-${number}: Widgets`, status: "Draft", sponsor: "None (seeking sponsor)", pr: `https://github.com/${OWNER}/${REPO}/pull/${number}`, authors: "Pieter (@pieter)" });
    fake.openPullRequest({ number, createdAt: new Date(createdAt + i * 3_600_000).toISOString(), changes: { [`seps/${number}-widgets.md`]: text } });
  }
  const github = await fake.listen();
  closeAfter(github.close);
  const env = { GITHUB_TOKEN: "ghs_workflowToken", GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: `${github.url}/graphql`, GITHUB_REPOSITORY: `${OWNER}/${REPO}` };
  if (o.recordedOn !== undefined) {
    const then = new Date(createdAt + o.recordedOn * DAY);
    fake.clock = then.getTime();
    // One SEP a run at least, whatever the budget.
    for (let i = 0; i <= (o.more ?? 0) + 1; i++) await sweep(direct(env), OWNER, REPO, { dryRun: false, log: quiet, now: () => then });
  }
  fake.clock = Date.now();
  return { fake, env };
}

/** In-process and unpaced, against the fake over HTTP: to set a scene quickly. */
const direct = (env: Record<string, string>) =>
  new ProbotOctokit({ auth: { token: "t" }, baseUrl: env.GITHUB_API_URL, throttle: { enabled: false }, retry: { enabled: false }, log: quiet }) as unknown as GitHub;

const pings = (fake: GitHubFake) => fake.botComments().flatMap((c) => (readPingMarker(c.body, c.createdAt) ? [readPingMarker(c.body, c.createdAt)!.step] : []));

const WORKFLOW_REF = `${OWNER}/${REPO}/.github/workflows/sep-weekly.yml@refs/heads/main`;
const DISPATCH = `/repos/${OWNER}/${REPO}/actions/workflows/sep-weekly.yml/dispatches`;

/** A workflow step's environment: GITHUB_ACTIONS, the workflow's ref, and a fresh GITHUB_OUTPUT file (read with `outputs()`). */
function inWorkflow(env: Record<string, string>) {
  const file = join(mkdtempSync(join(tmpdir(), "sep-bot-")), "output");
  writeFileSync(file, "");
  return {
    env: { ...env, GITHUB_ACTIONS: "true", GITHUB_WORKFLOW_REF: WORKFLOW_REF, GITHUB_OUTPUT: file },
    outputs: () => {
      const text = readFileSync(file, "utf8");
      writeFileSync(file, "");
      return text;
    },
  };
}

describe("sep-bot sweep, as a process", () => {
  it("--dry-run --format json previews every run and writes nothing; in a workflow, a run stopped by its budget dispatches the next", async () => {
    // Met on day 1; on day 15 each SEP's nudge is due: the reminder and the status comment, 2 writes, the whole budget.
    const { fake, env } = await served(15, { config: "sweep:\n  maxWrites: 2\n", more: 1, recordedOn: 1 });
    fake.resetRequests();

    const dry = await cli(["sweep", "--repo", `${OWNER}/${REPO}`, "--dry-run", "--format", "json"], env);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    const preview = JSON.parse(dry.stdout) as PreviewDocument;
    expect(preview).toMatchObject({ repository: `${OWNER}/${REPO}`, read: 2, due: 2, maxWrites: 2, unchanged: [], failed: [], stopped: null, deferred: [] });
    expect(preview.pulls).toEqual([
      { number: 1933, run: 1, reasons: expect.arrayContaining([expect.stringMatching(/^a nudge to the author.* \(1[45] days\)$/)]), effects: ["reply", "update-comment"], writes: 2, mentions: ["pieter"], irreversible: false, notifying: true },
      { number: 2001, run: 2, reasons: expect.arrayContaining([expect.stringMatching(/^a nudge to the author.* \(1[45] days\)$/)]), effects: ["reply", "update-comment"], writes: 2, mentions: ["pieter"], irreversible: false, notifying: true },
    ]);
    expect(preview.summary).toEqual({ pulls: 2, writes: 4, comments: 2, mentions: 2, people: 1, labelChanges: 0, commits: 0, closes: 0, reopenings: 0, checkRuns: 0, runs: 2 });
    expect(preview.requests).toBe(8); // the bulk read (4), then two reads a PR
    expect(fake.calls("write")).toEqual([]);

    const workflow = inWorkflow(env);
    const first = await cli(["sweep"], workflow.env); // the repository from GITHUB_REPOSITORY, as in a workflow
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/#1933: a nudge to the author .* -> wrote 2 \(reply, update-comment\)/);
    expect(first.stdout).toContain("left for the next run (the write budget of this run (2, `sweep.maxWrites`) is spent): #2001");
    expect(first.stdout).toContain("the next run of sep-weekly.yml on main is dispatched");
    expect(fake.dispatches).toEqual([{ workflow: "sep-weekly.yml", ref: "main", inputs: { "sep-bot-chain": "1" } }]); // the chain's first dispatched run
    expect(workflow.outputs()).toBe("deferred=1\ncontinued=true\n");
    expect(pings(fake)).toEqual([0]);
  }, 90_000);

  it("authenticates as the App (finds the installation, then uses its token); a workflow run that finishes dispatches none", async () => {
    // A pull request that is no SEP: nothing is due, the run reads and finishes.
    const fake = new GitHubFake({ changes: { "docs/notes.md": "# Notes\n" } });
    const github = await fake.listen();
    closeAfter(github.close);
    const workflow = inWorkflow({ GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: `${github.url}/graphql`, GITHUB_REPOSITORY: `${OWNER}/${REPO}` });
    const run = await cli(["sweep"], { ...workflow.env, APP_ID: String(APP_ID), PRIVATE_KEY: testPrivateKey() });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("0 needed a reconcile");
    expect(fake.calls("token")).toEqual([`GET /repos/${OWNER}/${REPO}/installation`, `POST /app/installations/${INSTALLATION_ID}/access_tokens`]);
    expect(fake.calls("write")).toEqual([]);
    expect(fake.dispatches).toEqual([]);
    expect(workflow.outputs()).toBe("deferred=0\ncontinued=false\n");
  });

  it("GitHub refusing the token: one line that says so, exit 1, no stack trace", async () => {
    const { fake, env } = await served(1);
    fake.inject({ path: "/graphql", operation: "SepSweepRepo", reply: { status: 401, body: { message: "Bad credentials" } } });
    const run = await cli(["sweep"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^sep-bot: sweep failed: .*Bad credentials/);
    expect(run.stderr).not.toContain("    at ");
  });

  it("a usage or setup error: exit 2, says what to set, prints nothing else", async () => {
    const run = await cli(["sweep", "--repo", "o/r"], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no credentials: set GITHUB_TOKEN");
    expect(run.stdout).toBe("");
  });
});

/**
 * The same command in-process, on an unpaced client (Probot paces every
 * GraphQL request a second apart: a process costs seconds per pull request):
 * its exit code and what it printed.
 */
const sweepInProcess = async (args: string[], env: Record<string, string>) => {
  const io = { out: "", err: "" };
  const sink = { out: (t: string) => void (io.out += t), err: (t: string) => void (io.err += t) };
  const code = await sweepCommand(args, sink, env, false, async () => ({ octokit: direct(env), log: testLog() }));
  return { code, ...io };
};

describe("sep-bot sweep, in-process", () => {
  it("--dry-run as text: grouped, each PR with its run, what it writes, why and whom it mentions; the summary", async () => {
    const { fake, env } = await served(15, { config: "sweep:\n  maxWrites: 4\n", more: 2, recordedOn: 1 });
    fake.resetRequests();
    const dry = await sweepInProcess(["--dry-run"], env);
    expect(dry.code).toBe(0);
    expect(dry.out.split("\n").slice(0, 3)).toEqual([
      `${OWNER}/${REPO}: read 3 pull requests; 3 needed a reconcile.`,
      "Preview: every pull request, in runs of the write budget (4 writes a run, `sweep.maxWrites`).",
      "Notifies people (@mentions) (3):",
    ]);
    for (const [n, r] of [[1933, 1], [2001, 1], [2002, 2]]) {
      expect(dry.out).toMatch(new RegExp(`\\n  #${n} \\(run ${r}\\): a nudge to the author[^\\n]* -> would write 2 \\(reply, update-comment\\); mentions @pieter\\n`));
    }
    expect(dry.out).toContain("In all: 3 pull requests would change, 6 writes in 2 runs: 3 comments with 3 @mentions (1 person), 0 label changes, 0 commits, 0 closes, 0 reopenings, 0 check runs.\n");
    expect(dry.out).toMatch(/Dry run: nothing written; 10 requests in all\.\n$/);
    expect(fake.calls("write")).toEqual([]);
    expect(dry.err).toBe("");
  });

  it("--dry-run with a person's token says their own comments and labels read as sep-bot's", async () => {
    const { fake, env } = await served(15, { config: "sweep:\n  maxWrites: 4\n", more: 2, recordedOn: 1 });
    fake.viewerLogin = "grace";
    fake.resetRequests();
    const dry = await sweepInProcess(["--dry-run"], env);
    expect(dry.code).toBe(0);
    expect(dry.err).toContain("this preview reads GitHub as @grace, so @grace's own comments and labels count as sep-bot's");
    expect(fake.calls("write")).toEqual([]);
  });

  it("in a workflow: a refused dispatch warns what to add; --no-continue and a run outside Actions dispatch nothing; a second sweep only reads", async () => {
    // Five SEPs on install day, a budget of one write: one SEP a run.
    const { fake, env } = await served(1, { config: "sweep:\n  maxWrites: 1\n", more: 4 });
    const workflow = inWorkflow(env);

    fake.inject({ method: "POST", path: DISPATCH, reply: forbidden() });
    const refused = await sweepInProcess([], workflow.env);
    expect(refused.code).toBe(0);
    expect(refused.err).toMatch(/^::warning::sep-bot: GitHub refused to start the next run of sep-weekly\.yml \(403\): add `actions: write` to the workflow's `permissions`.*; 4 pull requests wait for the next scheduled run\n$/);
    expect(workflow.outputs()).toBe("deferred=4\ncontinued=false\n");

    const unnamed = await sweepInProcess([], { ...workflow.env, GITHUB_WORKFLOW_REF: `${OWNER}/${REPO}/.github/workflows/sep-weekly.yml@refs/pull/7/merge` });
    expect(unnamed.err).toMatch(/^::warning::sep-bot: cannot start the next run: GITHUB_WORKFLOW_REF .* names no workflow on a branch or tag/);
    expect(workflow.outputs()).toBe("deferred=3\ncontinued=false\n");

    expect((await sweepInProcess(["--no-continue"], workflow.env)).err).toBe("");
    expect(workflow.outputs()).toBe("deferred=2\ncontinued=false\n");
    const { GITHUB_ACTIONS: _actions, ...outside } = workflow.env;
    expect((await sweepInProcess([], outside)).err).toBe("");
    expect(workflow.outputs()).toBe("deferred=1\ncontinued=false\n");
    expect(fake.dispatches).toEqual([]);
    expect(fake.calls("write").filter((c) => c.endsWith("/dispatches"))).toEqual([`POST ${DISPATCH}`]); // only the refused one was asked

    expect((await sweepInProcess([], workflow.env)).out).not.toContain("left for the next run");
    expect(workflow.outputs()).toBe("deferred=0\ncontinued=false\n");
    fake.resetRequests();
    const again = await sweepInProcess([], workflow.env);
    expect(again.out).toContain("0 needed a reconcile");
    expect(again.out).toContain("0 writes; 4 requests in all.\n");
    expect(fake.calls("write")).toEqual([]);
  });
});

describe("the chain of dispatched runs, in-process", () => {
  /** A run the chain dispatched: the workflow_dispatch event, with its `sep-bot-chain` input. */
  const dispatched = (env: Record<string, string>, chain: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), "sep-bot-event-")), "event.json");
    writeFileSync(file, JSON.stringify({ inputs: chain === undefined ? {} : { "sep-bot-chain": chain }, ref: "refs/heads/main" }));
    return { ...env, GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_EVENT_PATH: file };
  };

  it("chainOf: the dispatch's input; 0 for a scheduled run, a run by hand, or an input that is no count", () => {
    expect(chainOf({})).toBe(0);
    expect(chainOf({ GITHUB_EVENT_NAME: "schedule", GITHUB_EVENT_PATH: "/nonexistent" })).toBe(0);
    expect(chainOf(dispatched({}, "7"))).toBe(7);
    expect(chainOf(dispatched({}, 7))).toBe(7);
    expect(chainOf(dispatched({}, undefined))).toBe(0);
    expect(chainOf(dispatched({}, "-1"))).toBe(0);
    expect(chainOf(dispatched({}, "lots"))).toBe(0);
    expect(chainOf({ GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_EVENT_PATH: "/nonexistent" })).toBe(0);
  });

  it("each dispatched run counts one up; the 24th in a row stops the chain with a warning, like the server", async () => {
    // Five SEPs on install day, a budget of one write: one SEP a run, the chain never finishes by itself here.
    const { fake, env } = await served(1, { config: "sweep:\n  maxWrites: 1\n", more: 4 });
    fake.workflowInputs = ["sep-bot-chain"];
    const workflow = inWorkflow(env);

    const scheduled = await sweepInProcess([], { ...workflow.env, GITHUB_EVENT_NAME: "schedule" });
    expect(scheduled.err).toBe("");
    expect(scheduled.out).toContain("(run 1 of at most 24 in this chain)");
    expect(workflow.outputs()).toBe("deferred=4\ncontinued=true\n");

    const middle = await sweepInProcess([], dispatched(workflow.env, "23"));
    expect(middle.err).toBe("");
    expect(workflow.outputs()).toBe("deferred=3\ncontinued=true\n");
    expect(fake.dispatches.map((d) => d.inputs)).toEqual([{ "sep-bot-chain": "1" }, { "sep-bot-chain": "24" }]);

    const last = await sweepInProcess([], dispatched(workflow.env, String(MAX_CHAIN)));
    expect(last.code).toBe(0);
    expect(last.err).toBe("::warning::sep-bot: still stopped at the write budget after 24 dispatched runs in a row (at most 24): the chain stops here; 2 pull requests wait for the next scheduled run\n");
    expect(workflow.outputs()).toBe("deferred=2\ncontinued=false\n");
    expect(fake.dispatches).toHaveLength(2);
    expect(fake.calls("write").filter((c) => c.endsWith("/dispatches"))).toHaveLength(2); // the 24th run asked for none
  });

  it("a workflow that does not declare the input: GitHub's refusal is a warning that says what to add", async () => {
    const { fake, env } = await served(1, { config: "sweep:\n  maxWrites: 1\n", more: 1 });
    fake.workflowInputs = [];
    const workflow = inWorkflow(env);
    const refused = await sweepInProcess([], workflow.env);
    expect(refused.code).toBe(0);
    expect(refused.err).toMatch(/^::warning::sep-bot: GitHub refused to start the next run of sep-weekly\.yml: the workflow must declare the `sep-bot-chain` input .*; 1 pull request waits for the next scheduled run\n$/);
    expect(workflow.outputs()).toBe("deferred=1\ncontinued=false\n");
    expect(fake.dispatches).toEqual([]);
  });
});

describe("sep-bot sweep and digest, in-process: usage and setup errors", () => {
  const capture = () => {
    const io = { out: "", err: "" };
    return { io, sink: { out: (t: string) => void (io.out += t), err: (t: string) => void (io.err += t) } };
  };
  it.each([
    ["no credentials", sweepCommand, ["--repo", "o/r"], {}, "no credentials: set GITHUB_TOKEN"],
    ["a malformed repository", sweepCommand, ["--repo", "not a repo"], { GITHUB_TOKEN: "t" }, "--repo must be owner/name"],
    ["an unknown format", sweepCommand, ["--repo", "o/r", "--dry-run", "--format", "yaml"], { GITHUB_TOKEN: "t" }, "--format must be text or json"],
    ["JSON without --dry-run", sweepCommand, ["--repo", "o/r", "--format", "json"], { GITHUB_TOKEN: "t" }, "--format json goes with --dry-run"],
    ["no repository at all", digestCommand, [], { GITHUB_TOKEN: "t" }, "--repo owner/name is needed"],
    ["both --post and --dry-run", digestCommand, ["--repo", "o/r", "--post", "--dry-run"], { GITHUB_TOKEN: "t" }, "exclude each other"],
    ["a chat webhook that is not https", digestCommand, ["--repo", "o/r", "--post"], { GITHUB_TOKEN: "t", SEP_BOT_CHAT_WEBHOOK: "http://chat.example.com/hook" }, "must be an https:// URL"],
  ])("%s: a usage error (exit 2) that says what to set", async (_name, command, args, env, message) => {
    const { io, sink } = capture();
    const run = command(args as string[], sink, env as NodeJS.ProcessEnv);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
    expect(io).toEqual({ out: "", err: "" });
  });
});

describe("sep-bot digest, as a process", () => {
  it("prints by default; --post opens the week's issue and tells the chat once; a second --post writes nothing", async () => {
    const { fake, env } = await served(20);
    // The SEP gets its status comment (the bot's memory): in-process, unpaced, to keep the test short.
    await sweep(new ProbotOctokit({ auth: { token: "t" }, baseUrl: env.GITHUB_API_URL, throttle: { enabled: false }, retry: { enabled: false }, log: quiet }) as unknown as GitHub, OWNER, REPO, { dryRun: false, log: quiet });
    const chat: string[] = [];
    const hook = createServer((req: IncomingMessage, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        chat.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    closeAfter(() => new Promise((resolve) => hook.close(() => resolve())));
    const chatEnv = { ...env, SEP_BOT_CHAT_WEBHOOK: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/api/webhooks/1/x`, SEP_BOT_CHAT_FORMAT: "discord" };

    fake.resetRequests();
    const printed = await cli(["digest"], chatEnv);
    expect(printed.code).toBe(0);
    const week = isoWeek(new Date().toISOString());
    expect(printed.stdout).toContain(`# SEP digest: ${week}`);
    expect(printed.stdout).toContain("## Awaiting a sponsor (1)");
    expect(printed.stdout).toContain("[SEP-1933](https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1933)");
    expect(fake.calls("write")).toEqual([]);
    expect(chat).toEqual([]);

    const posted = await cli(["digest", "--post"], chatEnv);
    expect(posted.stderr).toBe("");
    expect(posted.code).toBe(0);
    const issues = [...fake.issues.values()];
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ title: `SEP digest: ${week}`, labels: ["sep-digest"], author: BOT });
    expect(issues[0]!.body).toContain(digestMarker(week));
    expect(issues[0]!.body).toContain(chatMarker(week));
    expect(posted.stdout).toContain(`issue #${issues[0]!.number} created`);
    expect(chat).toHaveLength(1);
    const message = JSON.parse(chat[0]!) as { content: string; allowed_mentions: unknown };
    expect(message.content).toContain(`SEP digest: ${week}`);
    expect(message.content).toContain(`/issues/${issues[0]!.number}`);
    expect(message.allowed_mentions).toEqual({ parse: [] });

    fake.resetRequests();
    const again = await cli(["digest", "--post"], chatEnv);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/issue #\d+ unchanged \(.*\); chat already sent/);
    expect(fake.calls("write")).toEqual([]);
    expect(chat).toHaveLength(1);
    expect(fake.issues.size).toBe(1);
  });
});
