import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { TEST_PACE, runCli, useClosers, type Run } from "./helpers/process.js";
import { GitHubFake, OWNER, REPO, webhook, WIF_BEFORE, WIF_NEW_PATH, WIF_PATH, WIF_RENAMED, type FakeEvent, type FakeOptions } from "./helpers/github-fake.js";
import { digestMarker } from "../src/github/digest.js";
import { isoWeek } from "../src/process/digest/render.js";

/**
 * The GitHub Action as the runner runs it: `node dist/index.js` (the bundled,
 * committed entry of action.yml), its inputs as INPUT_* variables, the
 * workflow's GITHUB_* variables and event file, $GITHUB_OUTPUT, in a
 * checkout as working directory; GitHub served over HTTP by the stateful fake.
 * For each command: the writes `sep-bot action` (and the CLI) make, the
 * outputs, and failures as `::error::` with exit 1.
 */

const BUNDLE = resolve("dist/index.js");
const closeAfter = useClosers();
const dir = mkdtempSync(join(tmpdir(), "sep-bot-bundle-"));

function runBundle(env: Record<string, string>, cwd = process.cwd()): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [BUNDLE], { cwd, env: { PATH: process.env.PATH ?? "", ...TEST_PACE, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The runner's environment for one step: the event file, the endpoints, an output file. */
async function workflow(fake: GitHubFake, event: FakeEvent | null, name: string, inputs: Record<string, string>): Promise<{ env: Record<string, string>; outputs: () => Record<string, string> }> {
  const github = await fake.listen();
  closeAfter(github.close);
  const tag = Math.random().toString(36).slice(2);
  const eventPath = join(dir, `event-${tag}.json`);
  const payload = event ? webhook(fake, event).payload : {};
  delete (payload as { installation?: unknown }).installation;
  writeFileSync(eventPath, JSON.stringify(payload));
  const output = join(dir, `output-${tag}`);
  writeFileSync(output, "");
  const env: Record<string, string> = {
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: github.url,
    GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_OUTPUT: output,
    GITHUB_RUN_ID: "4711",
    GITHUB_RUN_ATTEMPT: "1",
    // What `with: token: ${{ ... }}` and the other inputs become.
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const outputs = () => Object.fromEntries(readFileSync(output, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split("=") as [string, string]));
  return { env, outputs };
}

const TOKEN = "ghs_installationTokenFromCreateGithubAppToken";
const newSep = (o: Partial<FakeOptions> = {}) => new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE }, ...o });

describe("action.yml", () => {
  it("runs the bundled entry on node24, with the inputs the code reads", () => {
    const action = parseYaml(readFileSync("action.yml", "utf8")) as { runs: { using: string; main: string }; inputs: Record<string, { default?: string }> };
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(Object.keys(action.inputs).sort()).toEqual(["command", "config", "dry-run", "paths", "post", "repo", "token"]);
    expect(action.inputs.token!.default).toBe("${{ github.token }}");
  });
});

describe("the bundled Action, run as the runner runs it", () => {
  it("command: event, on pull_request_target: the same writes as `sep-bot action`, and the outputs", async () => {
    const reference = newSep();
    const ref = await workflow(reference, { name: "pull_request", action: "opened", sender: "pieter" }, "pull_request_target", {});
    const cli = await runCli(["action"], { ...ref.env, GITHUB_TOKEN: TOKEN });
    expect(cli.code).toBe(0);

    const fake = newSep();
    const step = await workflow(fake, { name: "pull_request", action: "opened", sender: "pieter" }, "pull_request_target", { command: "event", token: TOKEN });
    const run = await runBundle(step.env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(fake.calls("write")).toEqual(reference.calls("write"));
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
    expect(step.outputs()).toEqual({ writes: String(fake.calls("write").length), errors: "0" });
  });

  it("command: sweep and command: digest (post), on a schedule", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, createdAt: new Date(Date.now() - 15 * 86_400_000).toISOString() });
    fake.clock = Date.now();
    const sweep = await workflow(fake, null, "schedule", { command: "sweep", token: TOKEN });
    const swept = await runBundle(sweep.env);
    expect(swept.code).toBe(0);
    expect(swept.stdout).toContain("1 needed a reconcile");
    expect(fake.botComments()).toHaveLength(1);
    expect(sweep.outputs()).toMatchObject({ writes: String(fake.calls("write").length), errors: "0", deferred: "0", continued: "false" });

    const digest = await workflow(fake, null, "schedule", { command: "digest", token: TOKEN, post: "true" });
    const posted = await runBundle(digest.env);
    expect(posted.code).toBe(0);
    expect([...fake.issues.values()].map((i) => i.body.includes(digestMarker(isoWeek(new Date().toISOString()))))).toEqual([true]);
    expect(digest.outputs()).toEqual({ writes: "1", errors: "0" });
  });

  it("command: check on a pull request: annotates the SEP files it changes, fails on errors, says how many", async () => {
    const checkout = join(dir, `checkout-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(checkout, "seps"), { recursive: true });
    const broken = WIF_BEFORE.replace(/## Motivation\n[\s\S]*?(?=\n## )/, "");
    writeFileSync(join(checkout, WIF_NEW_PATH), broken);
    writeFileSync(join(checkout, "seps", "1850-untouched.md"), "# not checked: the pull request does not change it\n");
    const fake = newSep({ changes: { [WIF_NEW_PATH]: broken } });
    const step = await workflow(fake, { name: "pull_request", action: "opened", sender: "pieter" }, "pull_request", { command: "check", token: TOKEN });
    const run = await runBundle(step.env, checkout);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^::error file=${WIF_NEW_PATH.replace(/[.]/g, "\\.")},line=\\d+,col=\\d+,title=section-missing::`, "m"));
    expect(run.stdout).not.toContain("1850-untouched");
    expect(fake.calls("write")).toEqual([]);
    expect(Number(step.outputs().errors)).toBeGreaterThan(0);
    // With `paths`, no request at all.
    fake.resetRequests();
    const given = await workflow(fake, null, "push", { command: "check", paths: WIF_NEW_PATH });
    expect((await runBundle(given.env, checkout)).code).toBe(1);
    expect(fake.calls()).toEqual([]);
  });

  it("a failure fails the step, whatever the command: an unknown command, a refused token", async () => {
    const fake = newSep();
    const unknown = await workflow(fake, null, "schedule", { command: "deploy" });
    const bad = await runBundle(unknown.env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("::error::sep-bot: input `command` must be one of event, sweep, digest, check");
    expect(unknown.outputs()).toEqual({ writes: "0", errors: "1" });

    fake.inject({ path: "/graphql", operation: "SepSweepRepo", reply: { status: 401, body: { message: "Bad credentials" } } });
    const refused = await workflow(fake, null, "schedule", { command: "sweep", token: "ghs_revoked" });
    const run = await runBundle(refused.env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::sep-bot: sweep failed: .*Bad credentials/);
  });
});
