import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { action, ActionError } from "./event.js";
import { rulesFile } from "../cli/rules-file.js";
import { checkPaths } from "../cli/check.js";
import { UsageError } from "../cli/files.js";
import { formatGithub, formatText, type FileReport } from "../cli/format.js";
import { repositoryOf } from "../cli/connect.js";
import { digestCommand } from "../cli/digest.js";
import { sweepCommand } from "../cli/sweep.js";
import { siteCommand } from "../cli/site.js";
import { ACTION, refusal, refusedStatus } from "../caller.js";
import { actionLogger, errorMessages, escapeData, setOutputs, type Io } from "../log.js";
import { plural, table, text, writeSummary } from "../step-summary.js";
import { gitHubFor, SetupError, writesMade } from "../../github/client.js";
import type { BlobNode } from "../../github/graphql.js";
import { changedSepPaths, headTexts, readBlobs } from "../../github/read/check-files.js";
import { overrideOf } from "../../github/read/snapshot.js";
import { CONFIG_PATH, RulesError } from "../../rules/load.js";
import { countBySeverity } from "../../lint/finding.js";
import { lintSep } from "../../lint/index.js";
import { parseChanged } from "../../governance/check/findings.js";
import type { Rules } from "../../rules/schema.js";

/**
 * The GitHub Action (`uses: <owner>/sep-bot@v1`, action.yml): one bundled
 * file the runner starts on node24, doing what the CLI does from the step's
 * inputs. `command`:
 * - `event`: the workflow's own event through the app (`sep-bot action`);
 * - `sweep`, `digest`: the weekly work (`sep-bot sweep`, `sep-bot digest`);
 * - `check`: lint SEP files. On a pull request (pull_request or
 *   pull_request_target) the SEP files it changes, read at its head commit
 *   through the API (a pull_request_target checkout is the base branch, so
 *   the disk has the wrong text), annotated on their own lines, as
 *   eipw-action does for EIPs; with `paths`, those files from the checkout;
 *   elsewhere the checkout's SEP directory. PR code is never checked out or run.
 * - `site`: the SEP index and dashboard as a static site (`sep-bot site`).
 * Outputs: `writes` (requests that changed something on GitHub) and `errors`
 * (findings of error severity, or 1 when the command failed); `deferred` and
 * `continued` (sweep), `files` (check), `path` (site). Every command writes
 * what it did to the step summary ($GITHUB_STEP_SUMMARY). Any error fails
 * the step: one `::error::` and exit 1, whatever the command and whatever
 * the error, and a line in the summary with the next step. Messages name
 * the inputs (`token`, `repo`), not the command line's flags and environment.
 */

export const COMMANDS = ["event", "sweep", "digest", "check", "site"] as const;
type Command = (typeof COMMANDS)[number];

/** The outputs the Action writes (action.yml declares each): sweep writes `deferred` and `continued` itself. */
export const OUTPUTS = ["writes", "errors", "deferred", "continued", "files", "path"] as const;

/** An input as the runner passes it: `INPUT_<NAME>` (upper case, spaces as underscores, hyphens kept). */
export function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = input(env, name).toLowerCase();
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new UsageError(`input \`${name}\` must be true or false (got "${value}")`);
}

const KNOWN_ERRORS = [UsageError, RulesError, ActionError, SetupError];

/**
 * A failure nobody expected (a bug, a broken pipe, an output file that
 * cannot be written): one line for the step, and the stack only where the
 * runner shows debug output (re-run with debug logging).
 */
export function unexpected(error: unknown, io: Io): string {
  if (error instanceof Error && error.stack) io.out(`::debug::${escapeData(error.stack)}\n`);
  return `sep-bot: unexpected error: ${errorMessages(error).join("; ")}`;
}

/** The last resort (action-main.ts): an error that escaped everything fails the step in one line, outputs set where they can be. */
export function failStep(error: unknown, io: Io, env: NodeJS.ProcessEnv = process.env): 1 {
  const why = unexpected(error, io);
  io.out(`::error::${escapeData(why)}\n`);
  writeSummary(env, io, failureSummary(input(env, "command") || "event", why));
  try {
    setOutputs(env, { writes: writesMade(), errors: 1 });
  } catch {
    // The output file is what failed, perhaps: the ::error:: line above is all the step can say.
  }
  return 1;
}

export async function githubAction(io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // The step's one `::error::` is written here, at the end, from what failed: the commands'
  // own `::error::` lines (the event's) and their `sep-bot: ...` lines on standard error.
  const failures: string[] = [];
  let findings = false;
  const step: Io = {
    out: (text) => {
      const kept = text.split(/(?<=\n)/).filter((line) => {
        if (/^::error /.test(line)) findings = true; // a finding on a file's line: annotations of their own
        if (!line.startsWith("::error::")) return true;
        failures.push(unescapeData(line.slice("::error::".length).replace(/\r?\n$/, "")));
        return false;
      });
      if (kept.length) io.out(kept.join(""));
    },
    err: (text) => {
      for (const line of text.split("\n")) if (line.startsWith("sep-bot: ")) failures.push(line);
      io.err(text);
    },
  };
  let code: number;
  let errorCount = 0;
  const outputs: Record<string, string | number> = {};
  let command: Command = "event";
  try {
    command = (input(env, "command") || "event") as Command;
    if (!COMMANDS.includes(command)) throw new UsageError(`input \`command\` must be one of ${COMMANDS.join(", ")} (got "${command}")`);
    const token = input(env, "token") || env.GITHUB_TOKEN || "";
    const repo = input(env, "repo") || env.GITHUB_REPOSITORY || "";
    const dryRun = flag(env, "dry-run");
    // What the command line would say about its flags and environment, said here about the inputs.
    if (command !== "check" && !token) throw new SetupError(NO_TOKEN);
    if (command !== "check" && command !== "event") {
      if (!repo) throw new UsageError("input `repo` is empty, and the workflow names no repository: give it as owner/name");
      if (!repositoryOf(repo)) throw new UsageError(`input \`repo\` must be owner/name (got "${repo}")`);
    }
    const own: NodeJS.ProcessEnv = { ...env, ...(token ? { GITHUB_TOKEN: token } : {}), ...(repo ? { GITHUB_REPOSITORY: repo } : {}) };
    switch (command) {
      case "event":
        code = await action([], step, { ...own, ...(dryRun ? { DRY_RUN: "true" } : {}) }, ACTION);
        break;
      case "sweep":
        code = await sweepCommand(["--repo", repo, ...(dryRun ? ["--dry-run"] : [])], step, own, false, undefined, ACTION);
        break;
      case "digest":
        code = await digestCommand(["--repo", repo, flag(env, "post") && !dryRun ? "--post" : "--dry-run"], step, own, ACTION);
        break;
      case "check": {
        const result = await check(step, own, input(env, "paths"), input(env, "config"));
        code = result.code;
        errorCount = result.errors;
        outputs.files = result.files;
        break;
      }
      case "site": {
        const out = input(env, "out") || "site";
        code = await siteCommand(["--repo", repo, "--out", out], step, own, undefined, undefined, ACTION);
        if (code === 0) outputs.path = resolve(out);
        break;
      }
    }
  } catch (error) {
    const known = KNOWN_ERRORS.some((kind) => error instanceof kind);
    step.err(`${known ? `sep-bot: ${(error as Error).message}` : unexpected(error, io)}\n`);
    code = 2;
  }
  if (code !== 0 && errorCount === 0) errorCount = 1;
  let unwritten: string | null = null;
  try {
    setOutputs(env, { writes: writesMade(), errors: errorCount, ...outputs });
  } catch (error) {
    unwritten = `sep-bot: cannot write the step's outputs to GITHUB_OUTPUT (${errorMessages(error).join("; ")})`;
  }
  if (code === 0 && unwritten === null) return 0;
  // A check that failed only by its findings has said so on the files' lines, and in its summary.
  if (failures.length === 0 && unwritten === null && findings && command === "check") return 1;
  const why = failures.join("\n") || unwritten || `sep-bot: ${command} failed (exit status ${code}); see the log above`;
  io.out(`::error::${escapeData(why)}\n`);
  writeSummary(env, io, failureSummary(command, why));
  return 1;
}

const NO_TOKEN = "no token: the `token` input is empty. Leave it out to act with the workflow's own `github.token`, or give it an App token from actions/create-github-app-token";

/** What `escapeData` escaped, back: the text of a workflow command. */
function unescapeData(text: string): string {
  return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

/** The step summary's line for a failure: what failed, and the next step. */
function failureSummary(command: string, why: string): string {
  const said = why.replace(/^sep-bot: /gm, "").split("\n").map((line) => text(line, 1000));
  return (
    `### sep-bot ${command} failed\n\n${said.join("<br>")}\n\n` +
    "Next: make the change this asks for, if it asks for one, then re-run the job (when GitHub itself failed, a 5xx, re-running is all it takes). Every run starts from GitHub's current state, so nothing is done twice."
  );
}

// ---------------------------------------------------------------------------
// check

interface CheckResult {
  code: number;
  errors: number;
  files: number;
}

/** `check`: on a pull request the SEP files it changes, at its head; else the given paths, or the SEP directory, from the checkout. */
async function check(io: Io, env: NodeJS.ProcessEnv, paths: string, config: string): Promise<CheckResult> {
  const given = paths.split(/\s+/).filter(Boolean);
  const pr = given.length ? null : pullRequestOf(env);
  if (pr) return checkPullRequest(io, env, pr, config);
  const rules = config ? configRules(config) : checkoutRules(io);
  let reports: FileReport[];
  try {
    reports = checkPaths(given.length ? given : [rules.sepDirectory], rules);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(
      given.length
        ? `input \`paths\`: ${error.message} in the checkout (check out the repository first, with actions/checkout, and give paths relative to it)`
        : `there is no SEP directory (${rules.sepDirectory}) to check: ${error.message}. Check out the repository first (actions/checkout), or give the \`paths\` input`,
    );
  }
  return report(io, env, reports, `${plural(reports.length, "file")} in the checkout`);
}

/** The `config` input: a rules file in the checkout. */
function configRules(config: string): Rules {
  try {
    return rulesFile(config);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`input \`config\`: cannot read ${config} in the checkout (check out the repository first, with actions/checkout, and give the path relative to it)`);
  }
}

function report(io: Io, env: NodeJS.ProcessEnv, reports: FileReport[], what: string): CheckResult {
  // Annotations on the files' lines, and the compiler-style list in the log.
  io.out(formatGithub(reports));
  io.out(formatText(reports));
  for (const r of reports) if (r.error) io.err(`sep-bot: ${r.path}: ${r.error}\n`);
  writeSummary(env, io, checkSummary(reports, what));
  const errors = countBySeverity(reports.flatMap((r) => r.findings)).error;
  return { code: reports.some((r) => r.error) ? 2 : errors > 0 ? 1 : 0, errors, files: reports.length };
}

/** The check's step summary: the counts, then a table of each file's findings (or that it has none). */
function checkSummary(reports: readonly FileReport[], what: string): string {
  const counts = countBySeverity(reports.flatMap((r) => r.findings));
  const parts = [`### sep-bot check: ${what}`, `${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}, ${plural(counts.info, "note")}.`];
  for (const r of reports) {
    parts.push(`#### ${text(r.path)}`);
    if (r.error) parts.push(`Not checked: ${text(r.error)}`);
    else if (r.findings.length === 0) parts.push("No findings.");
    else parts.push(table(["Line", "Rule", "Severity", "Message"], r.findings.map((f) => [String(f.line), text(f.rule), f.severity, text(f.message)])));
  }
  return parts.join("\n\n");
}

/**
 * The repository's own rules override, as the bot uses it: a file that
 * cannot be used is a warning, and the defaults apply (the bot's check run
 * says the same). Without the file, the defaults.
 */
function repositoryRules(io: Io, blob: BlobNode | null, where: string): Rules {
  const { rules, configError } = overrideOf(blob);
  if (configError) io.out(`::warning file=${CONFIG_PATH}::${escapeData(`sep-bot: ${CONFIG_PATH} (${where}) could not be used, so the default rules apply: ${configError}`)}\n`);
  return rules;
}

/** `.github/sep-bot.yml` in the checkout (the working directory), when there is one. */
function checkoutRules(io: Io): Rules {
  if (!existsSync(CONFIG_PATH)) return repositoryRules(io, null, "in the checkout");
  let text: string;
  try {
    text = readFileSync(CONFIG_PATH, "utf8");
  } catch (error) {
    throw new UsageError(`${CONFIG_PATH}: cannot read rules file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return repositoryRules(io, { text, isTruncated: false }, "in the checkout");
}

interface PullRequestEvent {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  defaultBranch: string;
}

/** The pull request of a pull_request or pull_request_target event; null for any other event. */
function pullRequestOf(env: NodeJS.ProcessEnv): PullRequestEvent | null {
  if (!/^pull_request(_target)?$/.test(env.GITHUB_EVENT_NAME ?? "")) return null;
  const path = env.GITHUB_EVENT_PATH;
  if (!path) throw new ActionError(`GITHUB_EVENT_PATH is not set: a ${env.GITHUB_EVENT_NAME} step has its event there (or give \`paths\`)`);
  interface Payload {
    pull_request?: { number?: unknown; head?: { sha?: unknown } };
    repository?: { full_name?: unknown; default_branch?: unknown };
  }
  let payload: Payload;
  try {
    payload = JSON.parse(readFileSync(path, "utf8")) as Payload;
  } catch (error) {
    throw new ActionError(`GITHUB_EVENT_PATH ${path}: cannot read the event (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const pr = payload?.pull_request;
  const full = typeof payload?.repository?.full_name === "string" ? payload.repository.full_name : (env.GITHUB_REPOSITORY ?? "");
  const [owner, repo] = full.split("/");
  if (typeof pr?.number !== "number" || typeof pr.head?.sha !== "string" || !owner || !repo) {
    throw new ActionError(`GITHUB_EVENT_PATH ${path}: not a pull request event (no pull_request.number, head.sha or repository)`);
  }
  return {
    owner,
    repo,
    number: pr.number,
    headSha: pr.head.sha,
    defaultBranch: typeof payload.repository?.default_branch === "string" ? payload.repository.default_branch : "HEAD",
  };
}

/**
 * The SEP files a pull request changes, read at its head commit through the
 * API and linted there: the rules from `config`, else the repository's
 * override on its default branch (as the bot reads it); the file list from
 * REST; the texts by GraphQL (50 a request), and those GraphQL cuts short
 * (over 512 kB) whole from the git blob API, unless over the rules' size
 * limit (then only the size is read, and reported). Everything is read
 * from the base repository, a fork's pull request too: GitHub keeps its head
 * commit there (refs/pull/N/head), and the token is the base repository's
 * (the bot's snapshot reads the same way). Nothing is checked out or run.
 */
async function checkPullRequest(io: Io, env: NodeJS.ProcessEnv, pr: PullRequestEvent, config: string): Promise<CheckResult> {
  if (!env.GITHUB_TOKEN) throw new SetupError("check reads a pull request's files through the API, and the `token` input is empty: leave it out to use the workflow's own `github.token`, or give the `paths` input to check files in the checkout");
  const { owner, repo, number } = pr;
  const log = actionLogger({ out: io.err, err: io.err }, env.LOG_LEVEL ?? "warn");
  const octokit = await gitHubFor(owner, repo, env, log);
  const reading = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      if (error instanceof UsageError || error instanceof RulesError) throw error;
      const next = refusedStatus(error) === 401 ? refusal(error, ACTION) : "the `token` input's token needs contents: read and pull-requests: read";
      throw new SetupError(`check could not read ${what} (${errorMessages(error).join("; ")}): ${next}`);
    }
  };

  const rules = config
    ? rulesFile(config)
    : repositoryRules(io, await reading(`${CONFIG_PATH} on ${pr.defaultBranch}`, () => readBlobs(octokit, owner, repo, [`${pr.defaultBranch}:${CONFIG_PATH}`]).then((b) => b[0] ?? null)), `on ${pr.defaultBranch}`);
  const paths = await reading(`the files of #${number}`, () => changedSepPaths(octokit, pr, rules));
  if (paths.length === 0) {
    io.out(`sep-bot: #${number} changes no SEP file.\n`);
    writeSummary(env, io, `### sep-bot check: #${number}\n\nThis pull request changes no SEP file: nothing to check.`);
    return { code: 0, errors: 0, files: 0 };
  }
  const texts = await reading(`#${number}'s SEP files at ${pr.headSha.slice(0, 7)}`, () => headTexts(octokit, { owner, repo }, pr.headSha, paths, rules.limits.maxFileBytes));

  const now = new Date();
  const reports: FileReport[] = [];
  paths.forEach((path, i) => {
    const head = texts[i];
    if (!head) {
      io.out(`::warning::${escapeData(`sep-bot: ${path} is not in #${number}'s head commit ${pr.headSha.slice(0, 7)} (pushed over since this run started?): not checked`)}\n`);
      return;
    }
    try {
      // The bot's own reading of a head file: too large, binary (or not UTF-8), or text.
      const sep = parseChanged({ path, change: "modified", previousPath: null, headText: head.text, headSize: head.size, baseText: null }, rules);
      reports.push({ path, findings: lintSep(sep, rules, { now }) });
    } catch (error) {
      reports.push({ path, findings: [], error: `sep-bot could not check this file (${errorMessages(error)[0]}); please report it` });
    }
  });
  return report(io, env, reports, `#${number} at ${pr.headSha.slice(0, 7)}, ${plural(reports.length, "SEP file")}`);
}
