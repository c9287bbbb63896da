import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { runCli, useClosers } from "./helpers/process.js";
import type { GitHub } from "../src/github/read-snapshot.js";
import { sweep } from "../src/sweep.js";
import { chatMarker, digestMarker } from "../src/digest.js";
import { isoWeek } from "../src/process/digest/render.js";
import { readPingMarker, STATUS_MARKER } from "../src/process/state.js";
import { APP_ID, BOT, GitHubFake, INSTALLATION_ID, OWNER, REPO, testPrivateKey, WIF_PATH, WIF_RENAMED } from "./helpers/github-fake.js";

/**
 * `sep-bot sweep` and `sep-bot digest` as a scheduled workflow runs them: the
 * CLI as a process, GitHub served over HTTP by the stateful fake, with
 * Probot's real pacing. The clock is the machine's: the fake's pull request
 * was opened days ago.
 */

const closeAfter = useClosers();
const cli = (args: string[], env: Record<string, string>) => runCli(args, env, 90_000);

const DAY = 86_400_000;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** The WIF SEP awaiting a sponsor, opened `days` ago; GitHub's clock is now. */
async function served(days: number): Promise<{ fake: GitHubFake; env: Record<string, string> }> {
  const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, createdAt: new Date(Date.now() - days * DAY).toISOString() });
  fake.clock = Date.now();
  const github = await fake.listen();
  closeAfter(github.close);
  return {
    fake,
    env: { GITHUB_TOKEN: "ghs_workflowToken", GITHUB_API_URL: github.url, GITHUB_GRAPHQL_URL: `${github.url}/graphql`, GITHUB_REPOSITORY: `${OWNER}/${REPO}` },
  };
}

const pings = (fake: GitHubFake) => fake.botComments().flatMap((c) => (readPingMarker(c.body, c.createdAt) ? [readPingMarker(c.body, c.createdAt)!.step] : []));

describe("sep-bot sweep, as a process", () => {
  it("--dry-run says what it would write and writes nothing; the sweep sends the nudge; a second sweep only reads", async () => {
    const { fake, env } = await served(15);

    const dry = await cli(["sweep", "--repo", `${OWNER}/${REPO}`, "--dry-run"], env);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("#1933: sep-bot has no record of it");
    expect(dry.stdout).toMatch(/would write 4 \(reply, check-run, labels, create-comment\)/);
    expect(fake.calls("write")).toEqual([]);

    const wet = await cli(["sweep"], env); // the repository from GITHUB_REPOSITORY, as in a workflow
    expect(wet.code).toBe(0);
    expect(wet.stdout).toMatch(/wrote 4 \(reply, check-run, labels, create-comment\)/);
    expect(pings(fake)).toEqual([0]);
    expect(fake.pr.labels).toEqual(["SEP", "proposal"]);
    expect(fake.botComments().filter((c) => c.body.includes(STATUS_MARKER))).toHaveLength(1);

    fake.resetRequests();
    const again = await cli(["sweep"], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("0 needed a reconcile");
    expect(again.stdout).toContain("0 writes; 4 requests in all.");
    expect(fake.calls("write")).toEqual([]);
  }, 60_000);

  it("authenticates as the App: finds the installation on the repository, then uses its token", async () => {
    const { fake, env } = await served(1);
    const { GITHUB_TOKEN: _token, ...rest } = env;
    const run = await cli(["sweep", "--dry-run"], { ...rest, APP_ID: String(APP_ID), PRIVATE_KEY: testPrivateKey() });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(fake.calls("token")).toEqual([`GET /repos/${OWNER}/${REPO}/installation`, `POST /app/installations/${INSTALLATION_ID}/access_tokens`]);
  }, 30_000);

  it("GitHub refusing the token: one line that says so, exit 1, no stack trace", async () => {
    const { fake, env } = await served(1);
    fake.inject({ path: "/graphql", operation: "SepSweepRepo", reply: { status: 401, body: { message: "Bad credentials" } } });
    const run = await cli(["sweep"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^sep-bot: sweep failed: .*Bad credentials/);
    expect(run.stderr).not.toContain("    at ");
  }, 30_000);

  it.each([
    ["no credentials", ["sweep", "--repo", "o/r"], {}, "no credentials: set GITHUB_TOKEN"],
    ["a malformed repository", ["sweep", "--repo", "not a repo"], { GITHUB_TOKEN: "t" }, "--repo must be owner/name"],
    ["no repository at all", ["digest"], { GITHUB_TOKEN: "t" }, "--repo owner/name is needed"],
    ["both --post and --dry-run", ["digest", "--repo", "o/r", "--post", "--dry-run"], { GITHUB_TOKEN: "t" }, "exclude each other"],
    ["a chat webhook that is not https", ["digest", "--repo", "o/r", "--post"], { GITHUB_TOKEN: "t", SEP_BOT_CHAT_WEBHOOK: "http://chat.example.com/hook" }, "must be an https:// URL"],
  ])("%s: exit 2 and says what to set", async (_name, args, env, message) => {
    const run = await cli(args, env as Record<string, string>);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe("");
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
  }, 60_000);
});
