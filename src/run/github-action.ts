import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { action, ActionError } from "./action.js";
import { rulesFrom } from "./cli.js";
import { checkPaths } from "./cli/check.js";
import { UsageError } from "./cli/files.js";
import { formatGithub, formatText } from "./cli/format.js";
import { digestCommand, sweepCommand } from "./cli/schedule.js";
import { actionLogger, errorMessages, escapeData, type Io } from "./log.js";
import { gitHubFor, SetupError, writesMade } from "../github/client.js";
import { isSepFile } from "../github/read/files.js";
import { RulesError } from "../rules/load.js";
import { countBySeverity } from "../lint/finding.js";
import type { Rules } from "../rules/schema.js";

/**
 * The GitHub Action (`uses: <owner>/sep-bot@v1`, action.yml): one bundled
 * file the runner starts on node24, doing what the CLI does from the step's
 * inputs. `command`:
 * - `event`: the workflow's own event through the app (`sep-bot action`);
 * - `sweep`, `digest`: the weekly work (`sep-bot sweep`, `sep-bot digest`);
 * - `check`: lint SEP files in the checked-out repository: the paths given,
 *   or on a pull request the SEP files it changes (annotated on the diff, as
 *   eipw-action does for EIPs), or the SEP directory.
 * Outputs: `writes` (requests that changed something on GitHub) and `errors`
 * (findings of error severity, or failures). Any error fails the step:
 * `::error::` and exit 1, whatever the command.
 */

export const COMMANDS = ["event", "sweep", "digest", "check"] as const;
type Command = (typeof COMMANDS)[number];

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

/** Each output on its own line of $GITHUB_OUTPUT (values here never hold a newline). */
function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string | number>): void {
  if (!env.GITHUB_OUTPUT) return;
  appendFileSync(env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(""));
}

export async function githubAction(io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // What the commands print on standard error is what fails the step: kept, to become its ::error::.
  const errors: string[] = [];
  const step: Io = { out: io.out, err: (text) => (errors.push(text), io.err(text)) };
  let code: number;
  let errorCount = 0;
  try {
    const command = (input(env, "command") || "event") as Command;
    if (!COMMANDS.includes(command)) throw new UsageError(`input \`command\` must be one of ${COMMANDS.join(", ")} (got "${command}")`);
    const token = input(env, "token") || env.GITHUB_TOKEN || "";
    const repo = input(env, "repo") || env.GITHUB_REPOSITORY || "";
    const dryRun = flag(env, "dry-run");
    const own: NodeJS.ProcessEnv = { ...env, ...(token ? { GITHUB_TOKEN: token } : {}), ...(repo ? { GITHUB_REPOSITORY: repo } : {}) };
    switch (command) {
      case "event":
        code = await action([], step, { ...own, ...(dryRun ? { DRY_RUN: "true" } : {}) });
        break;
      case "sweep":
        code = await sweepCommand(["--repo", repo, ...(dryRun ? ["--dry-run"] : [])], step, own);
        break;
      case "digest":
        code = await digestCommand(["--repo", repo, flag(env, "post") && !dryRun ? "--post" : "--dry-run"], step, own);
        break;
      case "check": {
        const result = await check(step, own, input(env, "paths"), input(env, "config"));
        code = result.code;
        errorCount = result.errors;
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof RulesError || error instanceof ActionError || error instanceof SetupError)) throw error;
    step.err(`sep-bot: ${error.message}\n`);
    code = 2;
  }
  if (code !== 0 && errorCount === 0) errorCount = 1;
  setOutputs(env, { writes: writesMade(), errors: errorCount });
  if (code === 0) return 0;
  // Failed: the step says why as an annotation (a check's findings already annotate their lines).
  const why = errors.join("").trim();
  if (why && !why.includes("::error")) io.out(`::error::${escapeData(why)}\n`);
  return 1;
}

/** `check`: the given paths, or the SEP files a pull request changes, or the SEP directory. */
async function check(io: Io, env: NodeJS.ProcessEnv, paths: string, config: string): Promise<{ code: number; errors: number }> {
  const rules = rulesFrom(config || undefined);
  const given = paths.split(/\s+/).filter(Boolean);
  const changed = given.length ? null : await changedSepFiles(env, rules, io);
  const targets = given.length ? given : changed === null ? [rules.sepDirectory] : changed;
  if (targets.length === 0) {
    io.out("sep-bot: this pull request changes no SEP file.\n");
    return { code: 0, errors: 0 };
  }
  const reports = checkPaths(targets, rules);
  // Annotations on the diff, and the compiler-style list in the log.
  io.out(formatGithub(reports));
  io.out(formatText(reports));
  for (const r of reports) if (r.error) io.err(`sep-bot: ${r.path}: ${r.error}\n`);
  const errors = countBySeverity(reports.flatMap((r) => r.findings)).error;
  return { code: reports.some((r) => r.error) ? 2 : errors > 0 ? 1 : 0, errors };
}

/**
 * On a pull request, the SEP files it changes and that the checkout has (a
 * removed one has nothing to check); null elsewhere. One paged REST read.
 */
async function changedSepFiles(env: NodeJS.ProcessEnv, rules: Rules, io: Io): Promise<string[] | null> {
  if (!env.GITHUB_EVENT_PATH || !/^pull_request(_target)?$/.test(env.GITHUB_EVENT_NAME ?? "")) return null;
  let number: unknown;
  try {
    number = (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as { pull_request?: { number?: unknown } }).pull_request?.number;
  } catch {
    return null;
  }
  const repository = env.GITHUB_REPOSITORY ?? "";
  const [owner, repo] = repository.split("/");
  if (typeof number !== "number" || !owner || !repo || !env.GITHUB_TOKEN) return null;
  try {
    const octokit = await gitHubFor(owner, repo, env, actionLogger({ out: io.err, err: io.err }, "error"));
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: 100 });
    return files.filter((f) => f.status !== "removed" && isSepFile(f.filename, rules) && existsSync(f.filename)).map((f) => f.filename);
  } catch (error) {
    io.err(`sep-bot: could not list the pull request's files (${errorMessages(error).join("; ")})\n`);
    throw new SetupError("check needs the pull request's files: give `paths`, or a token that can read the pull request");
  }
}
