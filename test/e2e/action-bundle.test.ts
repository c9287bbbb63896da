import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { bundle } from "../../scripts/bundle.js";
import { TEST_PACE, runCli, useClosers, type Run } from "../helpers/process.js";
import { GitHubFake, NUMBER, OWNER, PR_URL, realSep, REPO, webhook, WIF_BEFORE, WIF_NEW_PATH, WIF_PATH, WIF_RENAMED, type FakeEvent, type FakeOptions } from "../helpers/github-fake/index.js";
import { digestMarker } from "../../src/github/digest.js";
import { isoWeek } from "../../src/reports/digest/render.js";
import { lintSep } from "../../src/lint/index.js";
import { defaultRules, loadRules } from "../../src/rules/load.js";
import { formatGithub } from "../../src/run/cli/format.js";
import { COMMANDS, OUTPUTS } from "../../src/run/action/action.js";
import { parseSep } from "../../src/sep/parse.js";
import { sepText } from "../helpers/sep.js";

/**
 * The GitHub Action as the runner runs it: `node index.js`, the bundle of
 * action.yml's entry as `npm run bundle` makes it (built here from the
 * sources into a scratch directory; `.ci/run` checks that the committed
 * dist/ is that same build), its inputs as INPUT_* variables (hyphens kept:
 * `INPUT_DRY-RUN`), the workflow's GITHUB_* variables and event file,
 * $GITHUB_OUTPUT, in a checkout as working directory; GitHub served over
 * HTTP by the stateful fake. For event, sweep, digest and site: the same
 * writes (or files) as the CLI makes on an identical twin fake; for check,
 * the head's text annotated on its own lines; the outputs; the step summary;
 * and failures as one `::error::` line with exit 1, in the inputs' words.
 */

const dir = mkdtempSync(join(tmpdir(), "sep-bot-bundle-"));
let BUNDLE = "";
beforeAll(async () => {
  BUNDLE = (await bundle(join(dir, "dist", "index.js"))).entry;
});
const closeAfter = useClosers();

function runBundle(env: Record<string, string>, cwd = process.cwd()): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [BUNDLE], { cwd, env: { PATH: process.env.PATH ?? "", ...TEST_PACE, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** What an earlier step of the job left in the step summary: the Action appends after it. */
const EARLIER_STEP = "## An earlier step\n\n";

/** The runner's environment for one step: the event file, the endpoints, an output file, the step summary, the inputs. */
async function workflow(
  fake: GitHubFake,
  event: FakeEvent | null,
  name: string,
  inputs: Record<string, string>,
): Promise<{ env: Record<string, string>; outputs: () => Record<string, string>; summary: () => string }> {
  const github = await fake.listen();
  closeAfter(github.close);
  const tag = Math.random().toString(36).slice(2);
  const eventPath = join(dir, `event-${tag}.json`);
  const payload = event ? webhook(fake, event).payload : {};
  delete (payload as { installation?: unknown }).installation;
  writeFileSync(eventPath, JSON.stringify(payload));
  const output = join(dir, `output-${tag}`);
  writeFileSync(output, "");
  const summaryFile = join(dir, `summary-${tag}.md`);
  writeFileSync(summaryFile, EARLIER_STEP);
  const env: Record<string, string> = {
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: github.url,
    GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_RUN_ID: "4711",
    GITHUB_RUN_ATTEMPT: "1",
    // What `with:` becomes: INPUT_ and the name in upper case, hyphens kept (`INPUT_DRY-RUN`).
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const outputs = () => Object.fromEntries(readFileSync(output, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split("=") as [string, string]));
  /** This step's part of the summary (what the earlier step wrote is kept, before it). */
  const summary = () => {
    const all = readFileSync(summaryFile, "utf8");
    expect(all.startsWith(EARLIER_STEP)).toBe(true);
    return all.slice(EARLIER_STEP.length);
  };
  return { env, outputs, summary };
}

const TOKEN = "ghs_installationTokenFromCreateGithubAppToken";
const newSep = (o: Partial<FakeOptions> = {}) => new GitHubFake({ changes: { [WIF_NEW_PATH]: WIF_BEFORE }, ...o });
const opened: FakeEvent = { name: "pull_request", action: "opened", sender: "pieter" };
/**
 * What the writes were: method, path, and the body sent, with the moments
 * they carry (the run's own clock, in text and in the state marker's
 * base64) as "<time>": two runs a second apart write the same otherwise.
 */
const writes = (fake: GitHubFake) =>
  fake.writes().map((r) => ({
    call: `${r.method} ${r.path}${r.operation ? ` ${r.operation}` : ""}`,
    body: JSON.parse(
      JSON.stringify(r.body)
        .replace(/(sep-bot:state )([A-Za-z0-9+/=]+)/g, (_, marker: string, data: string) => marker + JSON.stringify(Buffer.from(data, "base64").toString("utf8")).slice(1, -1))
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>"),
    ) as unknown,
  }));
const noStack = (run: Run) => expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);

const PATH_1850 = "seps/1850-pr-based-sep-workflow.md";
const BASE_1850 = realSep("1850-pr-based-sep-workflow.md");
const noMotivation = (text: string) => text.replace(/## Motivation\n[\s\S]*?(?=\n## )/, "");
// The head's 1850: two paragraphs more in the Abstract, and no Motivation: a finding on a line the base version does not have.
const HEAD_1850 = noMotivation(BASE_1850.replace("## Abstract\n\n", "## Abstract\n\nA first new paragraph.\n\nA second.\n\n"));
const BROKEN_NEW = noMotivation(WIF_BEFORE);

/** A checkout of the base branch (what pull_request_target checks out): no new SEP, the old 1850; plus any files given. */
function checkout(files: Record<string, string> = {}): string {
  const root = join(dir, `checkout-${Math.random().toString(36).slice(2)}`);
  const all = { "seps/README.md": "# SEPs\n", "seps/TEMPLATE.md": realSep("TEMPLATE.md"), [PATH_1850]: BASE_1850, ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}


describe("action.yml", () => {
  const action = parseYaml(readFileSync("action.yml", "utf8")) as {
    runs: { using: string; main: string };
    inputs: Record<string, { default?: string; description: string }>;
    outputs: Record<string, { description: string }>;
  };

  it("runs the bundled entry on node24, with the inputs the code reads", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(Object.keys(action.inputs).sort()).toEqual(["command", "config", "dry-run", "out", "paths", "post", "repo", "token"]);
    expect(action.inputs.token!.default).toBe("${{ github.token }}");
    expect(action.inputs.out!.default).toBe("site");
    for (const command of COMMANDS) expect(action.inputs.command!.description).toContain(`\`${command}\``);
  });

  it("declares every output a command writes (the sweep's deferred and continued among them)", () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUTS].sort());
    // The sweep writes its two itself (src/run/cli/sweep.ts), by these names.
    expect(readFileSync("src/run/cli/sweep.ts", "utf8")).toContain("setOutputs(env, { deferred: values.deferred, continued: String(values.continued) })");
  });
});

describe("the bundle", () => {
  it("is deterministic, and carries the license of every package bundled into it", async () => {
    const again = await bundle(join(mkdtempSync(join(tmpdir(), "sep-bot-bundle-again-")), "index.js"));
    expect(readFileSync(again.entry).equals(readFileSync(BUNDLE))).toBe(true);
    const licenses = readFileSync(again.licenses, "utf8");
    expect(readFileSync(join(dir, "dist", "licenses.txt"), "utf8")).toBe(licenses);
    expect(readFileSync(BUNDLE, "utf8").split("\n")[0]).toContain("licenses.txt");
    // Each bundled dependency (probot and what it brings, the parsers, the stemmer, yaml, zod...) by name and version, with its license text.
    // (Not ioredis: the Action never runs a server, and nothing it runs imports one.)
    for (const name of ["probot", "@octokit/core", "bottleneck", "gray-matter", "mdast-util-from-markdown", "micromark-extension-gfm-table", "stemmer", "yaml", "zod", "pino"]) {
      const version = (JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
      expect(licenses).toContain(`\n${name}@${version}\nLicense: `);
    }
    expect(licenses).toContain("Permission is hereby granted, free of charge");
    // Nothing of the machine it was built on.
    expect(licenses).not.toContain(process.cwd());
    expect(readFileSync(BUNDLE, "utf8")).not.toContain(process.cwd());
  });
});

describe("the bundled Action, command: event", () => {
  it("on pull_request_target: the same writes as `sep-bot action`, and the outputs", async () => {
    const reference = newSep();
    const ref = await workflow(reference, opened, "pull_request_target", {});
    const cli = await runCli(["action"], { ...ref.env, GITHUB_TOKEN: TOKEN });
    expect(cli.code).toBe(0);

    const fake = newSep();
    const step = await workflow(fake, opened, "pull_request_target", { command: "event", token: TOKEN });
    const run = await runBundle(step.env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(fake.calls("write")).toEqual(reference.calls("write"));
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
    expect(step.outputs()).toEqual({ writes: String(fake.calls("write").length), errors: "0" });
  });

  it("with dry-run (INPUT_DRY-RUN): reads, plans, writes nothing", async () => {
    const fake = newSep();
    const step = await workflow(fake, opened, "pull_request_target", { command: "event", token: TOKEN, "dry-run": "true" });
    expect(Object.keys(step.env)).toContain("INPUT_DRY-RUN");
    const run = await runBundle(step.env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(fake.calls("read").length).toBeGreaterThan(0);
    expect(fake.calls("write")).toEqual([]);
    expect(fake.headFiles()[WIF_NEW_PATH]).toBe(WIF_BEFORE);
    expect(step.outputs()).toEqual({ writes: "0", errors: "0" });
  });

  it("a GitHub failure: one ::error:: line, exit 1, errors=1, no stack trace", async () => {
    const fake = newSep();
    fake.inject({ method: "POST", path: `/repos/${OWNER}/${REPO}/issues/${NUMBER}/comments`, reply: { status: 422, body: { message: "Validation Failed" } }, times: 10 });
    const step = await workflow(fake, opened, "pull_request_target", { command: "event", token: TOKEN });
    const run = await runBundle({ ...step.env, LOG_LEVEL: "error" });
    expect(run.code).toBe(1);
    // The app's own error log is an annotation too; the step adds no second sep-bot line of its own.
    expect(run.stdout.match(/^::error::sep-bot:/gm)).toHaveLength(1);
    expect(run.stdout).toMatch(/^::error::sep-bot: .*create-comment failed: Validation Failed/m);
    noStack(run);
    expect(step.outputs()).toMatchObject({ errors: "1" });
  });

  it("a bad input fails the step before anything is read", async () => {
    const fake = newSep();
    const step = await workflow(fake, opened, "pull_request_target", { command: "event", token: TOKEN, "dry-run": "yes" });
    const run = await runBundle(step.env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('::error::sep-bot: input `dry-run` must be true or false (got "yes")\n');
    expect(fake.calls()).toEqual([]);
    expect(step.outputs()).toEqual({ writes: "0", errors: "1" });
  });
});

describe("the bundled Action, command: sweep and digest, on a schedule", () => {
  const dueRepository = () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, createdAt: new Date(Date.now() - 15 * 86_400_000).toISOString() });
    fake.clock = Date.now();
    return fake;
  };

  it("sweep: the same writes as `sep-bot sweep --repo` on an identical repository, and deferred/continued", async () => {
    const twin = dueRepository();
    const reference = await workflow(twin, null, "schedule", {});
    const cli = await runCli(["sweep", "--repo", `${OWNER}/${REPO}`], { ...reference.env, GITHUB_TOKEN: TOKEN });
    expect(cli.code, cli.stderr).toBe(0);
    expect(writes(twin).length).toBeGreaterThan(0);

    const fake = dueRepository();
    const sweep = await workflow(fake, null, "schedule", { command: "sweep", token: TOKEN });
    const swept = await runBundle(sweep.env);
    expect(swept.code, swept.stdout + swept.stderr).toBe(0);
    expect(swept.stdout).toContain("1 needed a reconcile");
    expect(writes(fake)).toEqual(writes(twin));
    expect(fake.botComments()).toHaveLength(1);
    expect(sweep.outputs()).toEqual({ deferred: "0", continued: "false", writes: String(fake.calls("write").length), errors: "0" });
    expect(reference.outputs()).toEqual({ deferred: "0", continued: "false" });
  });

  it("digest (post): the same issue as `sep-bot digest --repo --post` on an identical repository", async () => {
    const twin = dueRepository();
    const reference = await workflow(twin, null, "schedule", {});
    const cli = await runCli(["digest", "--repo", `${OWNER}/${REPO}`, "--post"], { ...reference.env, GITHUB_TOKEN: TOKEN });
    expect(cli.code, cli.stderr).toBe(0);

    const fake = dueRepository();
    const digest = await workflow(fake, null, "schedule", { command: "digest", token: TOKEN, post: "true" });
    const posted = await runBundle(digest.env);
    expect(posted.code, posted.stdout + posted.stderr).toBe(0);
    expect(writes(fake)).toEqual(writes(twin));
    const issues = (f: GitHubFake) => [...f.issues.values()].map((i) => ({ title: i.title, body: i.body, labels: i.labels }));
    expect(issues(fake)).toEqual(issues(twin));
    expect(issues(fake).map((i) => i.body.includes(digestMarker(isoWeek(new Date().toISOString()))))).toEqual([true]);
    expect(digest.outputs()).toEqual({ writes: "1", errors: "0" });
  });

  it("digest without post prints the digest and writes nothing", async () => {
    const fake = dueRepository();
    const digest = await workflow(fake, null, "schedule", { command: "digest", token: TOKEN });
    const run = await runBundle(digest.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# /m);
    expect(fake.calls("write")).toEqual([]);
  });

  it("digest failure: GitHub refuses the read; one ::error:: line and exit 1", async () => {
    const fake = dueRepository();
    fake.inject({ path: "/graphql", reply: { status: 401, body: { message: "Bad credentials" } }, times: 10 });
    const digest = await workflow(fake, null, "schedule", { command: "digest", token: "ghs_revoked", post: "true" });
    const run = await runBundle(digest.env);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^::error::/gm)).toHaveLength(1);
    expect(run.stdout).toMatch(/^::error::sep-bot: digest failed: .*Bad credentials/m);
    noStack(run);
    expect(fake.calls("write")).toEqual([]);
    expect(digest.outputs()).toEqual({ writes: "0", errors: "1" });
  });

  it("an unknown command, a refused token: the step fails the same way", async () => {
    const fake = newSep();
    const unknown = await workflow(fake, null, "schedule", { command: "deploy" });
    const bad = await runBundle(unknown.env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("::error::sep-bot: input `command` must be one of event, sweep, digest, check, site");
    expect(unknown.outputs()).toEqual({ writes: "0", errors: "1" });

    fake.inject({ path: "/graphql", operation: "SepSweepRepo", reply: { status: 401, body: { message: "Bad credentials" } } });
    const refused = await workflow(fake, null, "schedule", { command: "sweep", token: "ghs_revoked" });
    const run = await runBundle(refused.env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::sep-bot: sweep failed: .*Bad credentials/);
  });

  it("an unexpected error (the output file is a directory): one ::error:: line, exit 1, the stack only as ::debug::", async () => {
    const fake = dueRepository();
    const sweep = await workflow(fake, null, "schedule", { command: "sweep", token: TOKEN, "dry-run": "true" });
    const notAFile = join(dir, `outputs-${Math.random().toString(36).slice(2)}`);
    mkdirSync(notAFile);
    const run = await runBundle({ ...sweep.env, GITHUB_OUTPUT: notAFile });
    expect(run.code).toBe(1);
    const errors = run.stdout.split("\n").filter((l) => l.startsWith("::error::"));
    expect(errors).toEqual([expect.stringMatching(/^::error::sep-bot: unexpected error: EISDIR/)]);
    expect(run.stdout).toMatch(/^::debug::Error: EISDIR.*%0A {4}at /m);
    noStack(run);
  });
});

describe("the bundled Action, command: check", () => {
  /** The annotations on SEP files in a run's output (or formatGithub's), in a stable order. */
  const annotations = (text: string) => text.split("\n").filter((l) => /^::(error|warning|notice) file=seps\//.test(l)).sort();
  /** What linting these texts gives, as annotations: what the step must show. */
  const linted = (texts: Record<string, string>, rules = defaultRules()) =>
    annotations(formatGithub(Object.entries(texts).map(([path, text]) => ({ path, findings: lintSep(parseSep(text, path, { rules }), rules) }))));

  it("on pull_request_target: the head's text of each changed SEP (a new one, a modified one), annotated on its own lines; the base checkout is not read", async () => {
    const fake = newSep({
      changes: { [WIF_NEW_PATH]: BROKEN_NEW, [PATH_1850]: HEAD_1850 },
      headRepo: { owner: "pieter", name: "modelcontextprotocol", ownerType: "User" }, // a fork: read through the base repository
    });
    const step = await workflow(fake, opened, "pull_request_target", { command: "check", token: TOKEN });
    const run = await runBundle(step.env, checkout());
    expect(run.code, run.stderr).toBe(1);
    const expected = linted({ [WIF_NEW_PATH]: BROKEN_NEW, [PATH_1850]: HEAD_1850 });
    expect(annotations(run.stdout)).toEqual(expected);
    // The lines are the head's: the base version in the checkout has no finding at all.
    expect(linted({ [PATH_1850]: BASE_1850 })).toEqual([]);
    expect(expected).toContainEqual(expect.stringMatching(new RegExp(`^::warning file=${PATH_1850},line=19,col=1,title=section-missing::`)));
    expect(expected).toContainEqual(expect.stringMatching(new RegExp(`^::error file=${WIF_NEW_PATH},line=14,col=1,title=section-missing::`)));
    expect(run.stdout).toContain("2 files checked: 1 error, ");
    // Reads only: the rules override on the default branch, the file list, the two texts at the head.
    expect(fake.calls()).toEqual(["POST /graphql SepCheckFiles", `GET /repos/${OWNER}/${REPO}/pulls/${NUMBER}/files`, "POST /graphql SepCheckFiles"]);
    expect((fake.requests[2]!.body as { variables: Record<string, string> }).variables).toMatchObject({ f0: `${fake.pr.headSha}:${WIF_NEW_PATH}`, f1: `${fake.pr.headSha}:${PATH_1850}` });
    expect(step.outputs()).toEqual({ writes: "0", errors: "1", files: "2" });
  });

  it("the repository's rules from its default branch (not the pull request's copy); a SEP over 512 kB read whole, one over the size limit reported by its size", async () => {
    const config = "limits:\n  maxFileBytes: 700000\nseverities:\n  section-missing: warning\n";
    const rules = loadRules([{ text: config, file: ".github/sep-bot.yml" }]);
    const padded = (bytes: number, n: number) => {
      const text = sepText({ heading: `# SEP-${n}: Widgets ${n}`, pr: `https://github.com/${OWNER}/${REPO}/pull/${n}` });
      const filler = `${"Widgets stream in order, one after another. ".repeat(20)}\n\n`;
      return text.replace("## Abstract\n\n", `## Abstract\n\n${filler.repeat(Math.ceil((bytes - text.length) / filler.length))}`);
    };
    const big = padded(600_000, 2100);
    const huge = padded(800_000, 2200);
    const fake = newSep({ config, changes: { [WIF_NEW_PATH]: BROKEN_NEW, "seps/2100-widgets-2100.md": big, "seps/2200-widgets-2200.md": huge } });
    // On pull_request the checkout is the merge commit: the pull request's own rules, which would turn the finding off.
    const step = await workflow(fake, opened, "pull_request", { command: "check", token: TOKEN });
    const run = await runBundle(step.env, checkout({ ".github/sep-bot.yml": "severities:\n  section-missing: off\n" }));
    expect(run.code, run.stderr).toBe(1);
    expect(annotations(run.stdout)).toEqual(linted({ [WIF_NEW_PATH]: BROKEN_NEW, "seps/2100-widgets-2100.md": big, "seps/2200-widgets-2200.md": huge }, rules));
    expect(run.stdout).toMatch(new RegExp(`^::warning file=${WIF_NEW_PATH},line=14,col=1,title=section-missing::`, "m"));
    expect(run.stdout).toMatch(/^::error file=seps\/2200-widgets-2200\.md,line=1,col=1,title=file-too-large::/m);
    // Read whole (GraphQL's text stops at 512 kB, before the sections): no section is missing.
    expect(run.stdout).not.toMatch(/file=seps\/2100-widgets-2100\.md[^\n]*section-missing/);
    expect(linted({ "seps/2100-widgets-2100.md": big.slice(0, 512_000) }, rules).some((a) => a.includes("section-missing"))).toBe(true);
    // One blob read whole; the one over the limit is never downloaded.
    expect(fake.calls().filter((c) => c.includes("/git/blobs/"))).toHaveLength(1);
    expect(step.outputs()).toEqual({ writes: "0", errors: "1", files: "3" });
  });

  it("a rules override that cannot be used: a warning on it, and the default rules (as the bot does)", async () => {
    const fake = newSep({ config: "severities: [\n", changes: { [WIF_NEW_PATH]: BROKEN_NEW } });
    const step = await workflow(fake, opened, "pull_request_target", { command: "check", token: TOKEN });
    const run = await runBundle(step.env, checkout());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::warning file=\.github\/sep-bot\.yml::sep-bot: \.github\/sep-bot\.yml \(on main\) could not be used, so the default rules apply: /m);
    expect(annotations(run.stdout)).toEqual(linted({ [WIF_NEW_PATH]: BROKEN_NEW }));
  });

  it("a pull request that changes no SEP: nothing to check, exit 0", async () => {
    const fake = newSep({ changes: { "README.md": "# Model Context Protocol, edited\n" } });
    const step = await workflow(fake, opened, "pull_request_target", { command: "check", token: TOKEN });
    const run = await runBundle(step.env, checkout());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`sep-bot: #${NUMBER} changes no SEP file.`);
    expect(step.outputs()).toEqual({ writes: "0", errors: "0", files: "0" });
  });

  it("with `paths`: those files from the checkout, with the checkout's rules override; no request at all", async () => {
    const fake = newSep();
    const step = await workflow(fake, opened, "pull_request", { command: "check", paths: `${WIF_NEW_PATH}\n${PATH_1850}` });
    const run = await runBundle(step.env, checkout({ [WIF_NEW_PATH]: BROKEN_NEW, ".github/sep-bot.yml": "severities:\n  section-missing: warning\n" }));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^::warning file=${WIF_NEW_PATH},line=14,col=1,title=section-missing::`, "m"));
    expect(fake.calls()).toEqual([]);
    expect(step.outputs()).toEqual({ writes: "0", errors: "0", files: "2" });

    // The `config` input instead: that file.
    const strict = join(dir, `strict-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(strict, "severities:\n  author-handle-missing: error\n");
    const given = await workflow(fake, null, "push", { command: "check", paths: WIF_NEW_PATH, config: strict });
    const failed = await runBundle(given.env, checkout({ [WIF_NEW_PATH]: WIF_BEFORE }));
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^::error file=[^\n]*title=author-handle-missing::/m);
  });

  it("GitHub refuses the pull request's files: one ::error:: line, exit 1", async () => {
    const fake = newSep({ changes: { [WIF_NEW_PATH]: BROKEN_NEW } });
    fake.inject({ method: "GET", path: `/repos/${OWNER}/${REPO}/pulls/${NUMBER}/files`, reply: { status: 403, body: { message: "Resource not accessible by integration" } }, times: 10 });
    const step = await workflow(fake, opened, "pull_request_target", { command: "check", token: TOKEN });
    const run = await runBundle(step.env, checkout());
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").filter((l) => l.startsWith("::error"))).toEqual([
      expect.stringMatching(new RegExp(`^::error::sep-bot: check could not read the files of #${NUMBER} \\(Resource not accessible by integration`)),
    ]);
    noStack(run);
    expect(step.outputs()).toEqual({ writes: "0", errors: "1" });
  });
});

describe("the bundled Action, command: site", () => {
  const repository = () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } });
    fake.openPullRequest({ number: 2100, author: "ada", changes: { "seps/2100-streaming-widgets.md": sepText({ heading: "# SEP-2100: Streaming Widgets", pr: `https://github.com/${OWNER}/${REPO}/pull/2100` }) } });
    return fake;
  };

  it("writes index.html, seps.json, the feed and the view pages (the same SEPs as `sep-bot site`), and the path for upload-pages-artifact", async () => {
    const twin = repository();
    const reference = await workflow(twin, null, "schedule", {});
    const cliOut = join(dir, `cli-site-${Math.random().toString(36).slice(2)}`);
    const cli = await runCli(["site", "--repo", `${OWNER}/${REPO}`, "--out", cliOut], { ...reference.env, GITHUB_TOKEN: TOKEN });
    expect(cli.code, cli.stderr).toBe(0);

    const fake = repository();
    const workspace = checkout();
    const step = await workflow(fake, null, "schedule", { command: "site", token: TOKEN, out: "public" });
    const run = await runBundle(step.env, workspace);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const out = join(workspace, "public");
    expect(readdirSync(out).sort()).toEqual(["feed.xml", "index.html", "people", "seps.json", "site.css", "site.js", "status"]);
    expect(readFileSync(join(out, "index.html"), "utf8")).toMatch(/^<!doctype html>/);
    const seps = (path: string) => (JSON.parse(readFileSync(join(path, "seps.json"), "utf8")) as { seps: Array<{ number: number }> }).seps;
    const masked = (path: string) => JSON.stringify(seps(path)).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>");
    expect(seps(out).map((s) => s.number)).toEqual(expect.arrayContaining([1850, 1933, 2100]));
    expect(masked(out)).toBe(masked(cliOut));
    expect(fake.calls("write")).toEqual([]);
    expect(step.outputs()).toEqual({ writes: "0", errors: "0", path: out });
  });

  it("GitHub refuses the read: one ::error:: line, exit 1, no path", async () => {
    const fake = repository();
    fake.inject({ path: "/graphql", reply: { status: 401, body: { message: "Bad credentials" } }, times: 10 });
    const step = await workflow(fake, null, "schedule", { command: "site", token: "ghs_revoked" });
    const workspace = checkout();
    const run = await runBundle(step.env, workspace);
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").filter((l) => l.startsWith("::error"))).toEqual([expect.stringMatching(/^::error::sep-bot: site failed: .*Bad credentials/)]);
    expect(existsSync(join(workspace, "site"))).toBe(false);
    expect(step.outputs()).toEqual({ writes: "0", errors: "1" });
  });
});

// ---------------------------------------------------------------------------
// Issue 17, item 9: one ::error:: per failure, in the inputs' words; a step summary for every command; no Fix button without a server.

/** The lines that fail the step: `::error::` (a finding's `::error file=...` is an annotation on its line, not one of them). */
const errorLines = (run: Run) => run.stdout.split("\n").filter((l) => l.startsWith("::error::"));
/** How the command line names what people give it: never what the Action says. */
const CLI_WORDS = /--repo|GITHUB_TOKEN|APP_ID|PRIVATE_KEY|env:/;
/** A step that failed: exit 1, one ::error:: line saying `says`, no command-line words, no stack, errors=1, and the failure in the summary. */
function failedOnce(run: Run, step: { outputs: () => Record<string, string>; summary: () => string }, command: string, says: string): void {
  expect(run.code, run.stdout + run.stderr).toBe(1);
  const errors = errorLines(run);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(says);
  expect(run.stdout + run.stderr).not.toMatch(CLI_WORDS);
  noStack(run);
  expect(step.outputs()).toMatchObject({ errors: "1" });
  // After what the command did, if anything: what failed, and the next step.
  expect(step.summary()).toMatch(new RegExp(`(^|\\n)### sep-bot ${command} failed\\n\\n.*\\n\\nNext: `));
}

describe("the bundled Action, GitHub failing: one ::error:: line, in the inputs' words", () => {
  const refused = { status: 401, body: { message: "Bad credentials" } };
  const forbidden = { status: 403, body: { message: "Resource not accessible by integration" } };
  const labels = `/repos/${OWNER}/${REPO}/issues/${NUMBER}/labels`;

  it.each([
    ["event", "pull_request_target"],
    ["sweep", "schedule"],
    ["digest", "schedule"],
    ["site", "schedule"],
    ["check", "pull_request_target"],
  ])("%s: GitHub refuses the token (401): the `token` input is named", async (command, name) => {
    const fake = newSep();
    fake.inject({ path: "/graphql", reply: refused, times: 10 });
    const step = await workflow(fake, name === "schedule" ? null : opened, name, { command, token: "ghs_revoked" });
    const run = await runBundle(step.env, checkout());
    failedOnce(run, step, command, "GitHub refused the token (401): give the `token` input a valid token");
    expect(errorLines(run)[0]).toContain("Bad credentials");
    expect(step.summary()).toContain("give the &#96;token&#96; input a valid token");
    expect(fake.calls("write")).toEqual([]);
  });

  it("event: GitHub refuses the labels (403): the `token` input's permissions are named, once", async () => {
    const fake = newSep();
    fake.inject({ method: "POST", path: labels, reply: forbidden, times: 10 });
    const step = await workflow(fake, opened, "pull_request_target", { command: "event", token: TOKEN });
    const run = await runBundle(step.env);
    failedOnce(run, step, "event", "labels failed: Resource not accessible by integration");
    expect(errorLines(run)[0]).toContain("GitHub refused a request (403): the `token` input's token lacks a permission");
    // Before the labels, the rename and the check run were written; the next run finishes the rest.
    expect(fake.botCommits()).toHaveLength(1);
  });

  it("sweep: GitHub refuses the read (403): the `token` input's permissions are named, once", async () => {
    const fake = newSep();
    fake.inject({ path: "/graphql", operation: "SepSweepRepo", reply: forbidden });
    const step = await workflow(fake, null, "schedule", { command: "sweep", token: TOKEN });
    const run = await runBundle(step.env);
    failedOnce(run, step, "sweep", "sweep failed: Resource not accessible by integration. GitHub refused a request (403): the `token` input's token");
  });

  it("event: a 500 on the labels, past the retries: one ::error:: line (the app's own error log is a plain line)", async () => {
    const fake = newSep();
    fake.inject({ method: "POST", path: labels, reply: { status: 500, body: { message: "Server Error" } }, times: 20 });
    const step = await workflow(fake, opened, "pull_request_target", { command: "event", token: TOKEN });
    const run = await runBundle(step.env);
    failedOnce(run, step, "event", "labels failed: Server Error");
    expect(errorLines(run)[0]).toContain("re-run the job");
    expect(run.stdout).toMatch(/^error: .*effects failed on /m); // what Probot logged, kept as a line of the log
  });

  it("sweep: a pull request's labels refused (422, not retried): one ::error:: line saying which pull request failed", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, createdAt: new Date(Date.now() - 15 * 86_400_000).toISOString() });
    fake.clock = Date.now();
    fake.inject({ method: "POST", path: labels, reply: { status: 422, body: { message: "Validation Failed" } }, times: 10 });
    const step = await workflow(fake, null, "schedule", { command: "sweep", token: TOKEN });
    const run = await runBundle(step.env);
    failedOnce(run, step, "sweep", `sep-bot: sweep: 1 pull request failed (#${NUMBER})`);
    expect(step.summary()).toMatch(new RegExp(`^\\| #${NUMBER} \\| .+ \\| \\*\\*failed\\*\\*: 2 of 3 effects failed on `, "m"));
  });

  it.each([
    ["sweep: no token", { command: "sweep", token: "" }, "no token: the `token` input is empty"],
    ["digest: a repository that is not owner/name", { command: "digest", token: TOKEN, repo: "modelcontextprotocol" }, 'input `repo` must be owner/name (got "modelcontextprotocol")'],
    ["site: a repository that is not owner/name", { command: "site", token: TOKEN, repo: "a/b/c" }, "input `repo` must be owner/name"],
    ["check: `paths` not in the checkout", { command: "check", paths: "seps/9999-missing.md" }, "input `paths`: seps/9999-missing.md: no such file or directory in the checkout"],
    ["check: a `config` not in the checkout", { command: "check", paths: "seps", config: "missing.yml" }, "input `config`: cannot read missing.yml in the checkout"],
  ])("%s: the input is named, once; nothing is read", async (_, inputs, says) => {
    const fake = newSep();
    const step = await workflow(fake, null, "schedule", inputs);
    const run = await runBundle(step.env, checkout());
    failedOnce(run, step, inputs.command, says);
    expect(fake.calls()).toEqual([]);
  });
});

describe("the bundled Action, step summaries", () => {
  const dueRepository = (o: Partial<FakeOptions> = {}) => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED }, createdAt: new Date(Date.now() - 15 * 86_400_000).toISOString(), ...o });
    fake.clock = Date.now();
    return fake;
  };

  it("event: the pull request and what was written; dry run: what would be; an event that needs nothing: why", async () => {
    const fake = newSep();
    const step = await workflow(fake, opened, "pull_request_target", { command: "event", token: TOKEN });
    expect((await runBundle(step.env)).code).toBe(0);
    const summary = step.summary();
    expect(summary).toMatch(new RegExp(`^### sep-bot: pull\\\\_request\\\\_target\\n\\n\\*\\*${OWNER}/${REPO}#${NUMBER}\\*\\*: wrote \\d+ changes:\\n\\n`));
    expect(summary).toContain("- commit: ");
    expect(summary).toMatch(/^- check run: /m);
    expect(summary).toMatch(/^- labels: \+SEP \+proposal$/m);
    expect(summary).toMatch(/^- status comment: /m);

    const dry = await workflow(newSep(), opened, "pull_request_target", { command: "event", token: TOKEN, "dry-run": "true" });
    expect((await runBundle(dry.env)).code).toBe(0);
    expect(dry.summary()).toMatch(new RegExp(`\\*\\*${OWNER}/${REPO}#${NUMBER}\\*\\*: dry run, nothing written; it would make \\d+ changes:`));

    const quiet = newSep();
    const chat = quiet.addComment("grace", "Thanks, this looks promising!");
    const comment = await workflow(quiet, { name: "issue_comment", action: "created", sender: "grace", commentId: chat.id }, "issue_comment", { command: "event", token: TOKEN });
    expect((await runBundle(comment.env)).code).toBe(0);
    expect(comment.summary()).toMatch(/^### sep-bot: issue\\_comment\n\nNothing to do: a comment without a command/);
  });

  it("sweep: a row per pull request, what it wrote and why; those left for the next run counted", async () => {
    // A write budget of one: the first reconcile spends it, the second pull request waits for the next run.
    const fake = dueRepository({ config: "sweep:\n  maxWrites: 1\n" });
    fake.openPullRequest({ number: 2100, author: "ada", changes: { "seps/2100-streaming-widgets.md": sepText({ heading: "# SEP-2100: Streaming Widgets", pr: `https://github.com/${OWNER}/${REPO}/pull/2100` }) } });
    const step = await workflow(fake, null, "schedule", { command: "sweep", token: TOKEN });
    const run = await runBundle(step.env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const summary = step.summary();
    expect(summary).toMatch(new RegExp(`^### sep-bot sweep: ${OWNER}/${REPO}\\n\\nRead 2 pull requests; 2 needed a reconcile\\.\\n\\n\\| Pull request \\| Why \\| Wrote \\|\\n`));
    expect(summary).toMatch(/^\| #\d+ \| .+ \| \d+: .*check-run.* \|$/m);
    expect(summary).toMatch(/^\*\*1 pull request left for the next run\*\* \(the write budget of this run .*\): #\d+\.$/m);
    expect(summary).toMatch(/Wrote \d+ changes?; \d+ requests in all\.\n*$/);
    expect(step.outputs()).toMatchObject({ deferred: "1" });
  });

  it("digest: its markdown; posted: the issue, then the markdown", async () => {
    const fake = dueRepository();
    const printed = await workflow(fake, null, "schedule", { command: "digest", token: TOKEN });
    const run = await runBundle(printed.env);
    expect(run.code).toBe(0);
    expect(printed.summary().trimEnd()).toBe(run.stdout.trimEnd());

    const posted = await workflow(fake, null, "schedule", { command: "digest", token: TOKEN, post: "true" });
    expect((await runBundle(posted.env)).code).toBe(0);
    expect(posted.summary()).toMatch(/^> Issue #\d+ created\.\n\n# /);
  });

  it("site: where it was written and how many SEPs", async () => {
    const fake = new GitHubFake({ changes: { [WIF_PATH]: WIF_RENAMED } });
    const workspace = checkout();
    const step = await workflow(fake, null, "schedule", { command: "site", token: TOKEN, out: "public" });
    expect((await runBundle(step.env, workspace)).code).toBe(0);
    const summary = step.summary();
    expect(summary).toMatch(new RegExp(`^### sep-bot site: ${OWNER}/${REPO}\\n\\n\\d+ SEPs \\(1 in open pull requests, \\d+ in review\\), \\d+ deadlines? in the next 30 days\\. Wrote `));
    for (const file of ["index.html", "seps.json", "site.css", "site.js"]) expect(summary).toContain(file);
    expect(summary).toContain(` to ${join(workspace, "public")}.`);
  });

  it("check: a table of findings per file, the author's text escaped (no HTML, no broken table); a clean file has no findings", async () => {
    const hostilePath = "seps/2300-a|b<i>.md";
    const hostile = sepText({ heading: "# SEP-2300: Widgets", status: "<img src=x onerror=alert(1)> | Draft\u2028`x`", pr: `https://github.com/${OWNER}/${REPO}/pull/2300` });
    const clean = sepText({ heading: "# SEP-2234: Streaming Widgets" });
    const fake = newSep();
    const step = await workflow(fake, null, "push", { command: "check", paths: `${hostilePath} seps/2234-streaming-widgets.md` });
    const run = await runBundle(step.env, checkout({ [hostilePath]: hostile, "seps/2234-streaming-widgets.md": clean }));
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([]); // the findings are the annotations
    const summary = step.summary();
    expect(summary).toMatch(/^### sep-bot check: 2 files in the checkout\n\n[1-9]\d* errors?, \d+ warnings?, \d+ notes?\.\n\n#### seps\/2300-a&#124;b&lt;i&gt;\.md\n\n\| Line \| Rule \| Severity \| Message \|\n/);
    expect(summary).toContain("#### seps/2234-streaming-widgets.md\n\nNo findings.");
    expect(summary).not.toMatch(/<(img|i)\b/);
    const status = summary.split("\n").find((l) => l.includes("status-invalid"))!;
    expect(status).toMatch(/^\| 3 \| status-invalid \| error \| &#96;&lt;img src=x onerror=alert\(1\)&gt; &#124; Draft 'x'&#96; is not a SEP status\. /);
    expect(status.split("|")).toHaveLength(6); // four cells: the author's `|` is not a fifth
    for (const row of summary.split("\n").filter((l) => l.startsWith("| "))) expect(row.split("|")).toHaveLength(6);
  });

  it("check on a pull request: the head's findings per file", async () => {
    const fake = newSep({ changes: { [WIF_NEW_PATH]: BROKEN_NEW } });
    const step = await workflow(fake, opened, "pull_request_target", { command: "check", token: TOKEN });
    expect((await runBundle(step.env, checkout())).code).toBe(1);
    expect(step.summary()).toMatch(new RegExp(`^### sep-bot check: #${NUMBER} at ${fake.pr.headSha.slice(0, 7)}, 1 SEP file\\n`));
    expect(step.summary()).toMatch(/^\| 14 \| section-missing \| error \| /m);
  });
});

describe("the bundled Action has no server: no Fix these button, `/fix` instead", () => {
  const PATH = "seps/1933-streaming-widgets.md";
  /** Three findings sep-bot can fix: a misspelt section, a status in lowercase, a PR link in braces (the rename fixes that one). */
  const UNTIDY = sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL.replace("/1933", "/{1933}"), status: "draft", sponsor: "None (seeking sponsor)", authors: "Pieter Author (@pieter)" }).replace(
    "## Backward Compatibility",
    "## Backwards Compatibility",
  );
  const untidy = (o: Partial<FakeOptions> = {}) => new GitHubFake({ changes: { [PATH]: UNTIDY }, ...o });
  const pointsToFix = (fake: GitHubFake) => {
    const run = fake.latestCheck()!;
    expect(run.actions).toEqual([]);
    expect(run.summary).toContain("sep-bot can fix 2 findings itself: comment `/fix` on the pull request");
    expect(run.summary).not.toContain("Fix these");
  };

  it("event: the check run offers no button, and points to /fix (the server keeps both: fixes.test.ts)", async () => {
    const fake = untidy();
    const step = await workflow(fake, opened, "pull_request_target", { command: "event", token: TOKEN });
    const run = await runBundle(step.env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    pointsToFix(fake);
  });

  it("sweep: the same check run as the event's, so neither rewrites the other's", async () => {
    const fake = untidy({ createdAt: new Date(Date.now() - 15 * 86_400_000).toISOString() });
    fake.clock = Date.now();
    const sweep = await workflow(fake, null, "schedule", { command: "sweep", token: TOKEN });
    expect((await runBundle(sweep.env)).code).toBe(0);
    pointsToFix(fake);
    fake.resetRequests();
    const event = await workflow(fake, { name: "pull_request", action: "edited", sender: "pieter" }, "pull_request_target", { command: "event", token: TOKEN });
    const run = await runBundle(event.env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(fake.calls("read")).toContain("POST /graphql SepPullRequest"); // it did reconcile
    expect(fake.calls("write").filter((c) => c.includes("check-runs"))).toEqual([]);
  });
});
