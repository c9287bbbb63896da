import { parseArgs } from "node:util";
import { actionLogger, errorMessages } from "../action.js";
import { ChatError, chatTarget } from "../chat.js";
import type { Io } from "../cli.js";
import { digest } from "../digest.js";
import { gitHubFor, SetupError } from "../github/client.js";
import type { GitHub } from "../github/read-snapshot.js";
import { sweep } from "../sweep.js";
import { UsageError } from "./files.js";

/**
 * `sep-bot sweep` and `sep-bot digest`: the weekly work, from a terminal or a
 * scheduled workflow, through the same code the server's schedule runs.
 */

export const SWEEP_HELP = `Usage: sep-bot sweep --repo owner/name [--dry-run]

Reads every open SEP pull request (and those closed in the last days) in a
few GraphQL requests, and reconciles the ones that need it: reminders and
dormancy the clocks say are due, labels or the project board out of step,
status comments whose deadlines moved. Oldest first, within the rules'
write budget (sweep.maxWrites); the rest happens next run.

Options:
  --repo <owner/name>  the repository (default: GITHUB_REPOSITORY)
  --dry-run            print what would be written, write nothing
  -h, --help           show this help

Authentication: GITHUB_TOKEN (and GITHUB_API_URL, GITHUB_GRAPHQL_URL when
set, as in Actions), or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH.

Exit status: 0 done, 1 some pull requests failed, 2 usage or setup error.
`;

export const DIGEST_HELP = `Usage: sep-bot digest --repo owner/name [--dry-run | --post]

Renders the weekly digest for maintainers (markdown). --dry-run (the
default) prints it; --post keeps it as this ISO week's issue (labelled, found
by a hidden marker: a second run the same week edits it) and, when
SEP_BOT_CHAT_WEBHOOK is set (Discord or Slack incoming webhook; set
SEP_BOT_CHAT_FORMAT=discord|slack if the host does not say), announces it
there once a week.

Options:
  --repo <owner/name>  the repository (default: GITHUB_REPOSITORY)
  --dry-run            print the digest, write nothing (default)
  --post               create or update the week's issue
  -h, --help           show this help

Authentication: as for \`sep-bot sweep\`.

Exit status: 0 done, 1 GitHub failed, 2 usage or setup error.
`;

function repoOf(given: string | undefined, env: NodeJS.ProcessEnv): { owner: string; repo: string } {
  const value = given ?? env.GITHUB_REPOSITORY;
  if (!value) throw new UsageError("--repo owner/name is needed (or GITHUB_REPOSITORY)");
  const m = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/.exec(value);
  if (!m) throw new UsageError(`--repo must be owner/name (got "${value}")`);
  return { owner: m[1]!, repo: m[2]! };
}

/** GitHub failing the whole run (a rate limit on the first read, a revoked token): one line, exit 1. Setup errors stay exit 2. */
async function failing<T>(what: string, io: Io, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.err(`sep-bot: ${what} failed: ${errorMessages(error).join("; ")}\n`);
    return null;
  }
}

/** Counts requests, for the run's summary line (what a sweep cost). */
function counted(octokit: GitHub): { requests: () => number } {
  let n = 0;
  octokit.hook.after("request", () => {
    n++;
  });
  return { requests: () => n };
}

async function client(owner: string, repo: string, io: Io, env: NodeJS.ProcessEnv) {
  const log = actionLogger({ out: io.err, err: io.err }, env.LOG_LEVEL ?? "warn", env.GITHUB_ACTIONS === "true");
  try {
    return { octokit: await gitHubFor(owner, repo, env, log), log };
  } catch (error) {
    if (error instanceof SetupError) throw new UsageError(error.message);
    throw error;
  }
}

export async function sweepCommand(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env, tty = process.stderr.isTTY === true): Promise<number> {
  const { values } = parseArgs({ args, options: { repo: { type: "string" }, "dry-run": { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    io.out(SWEEP_HELP);
    return 0;
  }
  const { owner, repo } = repoOf(values.repo, env);
  const dryRun = values["dry-run"] === true;
  const github = await failing("sweep", io, () => client(owner, repo, io, env));
  if (!github) return 1;
  const { octokit, log } = github;
  const cost = counted(octokit);
  const report = await failing("sweep", io, () => sweep(octokit, owner, repo, {
    dryRun,
    log,
    ...(tty ? { progress: (done: number, total: number, number: number) => io.err(`\r${" ".repeat(40)}\rsweep: ${done}/${total} (#${number})${done === total ? "\n" : ""}`) } : {}),
  }));
  if (!report) return 1;
  const seps = report.read.read.pulls.length;
  io.out(`${owner}/${repo}: read ${seps} pull request${seps === 1 ? "" : "s"}; ${report.due.length} needed a reconcile.\n`);
  for (const done of report.done) {
    const kinds = done.effects.map((e) => e.kind).join(", ") || "nothing";
    io.out(`  #${done.number}: ${done.reasons.join("; ")} -> ${dryRun ? "would write" : "wrote"} ${done.writes} (${kinds})\n`);
  }
  for (const failed of report.failed) io.out(`  #${failed.number}: failed: ${failed.error}\n`);
  if (report.deferred.length) io.out(`  left for the next run (${report.stopped}): ${report.deferred.map((n) => `#${n}`).join(", ")}\n`);
  io.out(`${dryRun ? "Dry run: nothing written" : `${report.writes} write${report.writes === 1 ? "" : "s"}`}; ${cost.requests()} requests in all.\n`);
  return report.failed.length ? 1 : 0;
}

export async function digestCommand(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({ args, options: { repo: { type: "string" }, "dry-run": { type: "boolean" }, post: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    io.out(DIGEST_HELP);
    return 0;
  }
  if (values.post && values["dry-run"]) throw new UsageError("--post and --dry-run exclude each other");
  const { owner, repo } = repoOf(values.repo, env);
  let chat = null;
  try {
    chat = values.post ? chatTarget(env) : null;
  } catch (error) {
    if (error instanceof ChatError) throw new UsageError(error.message);
    throw error;
  }
  const github = await failing("digest", io, () => client(owner, repo, io, env));
  if (!github) return 1;
  const { octokit, log } = github;
  const result = await failing("digest", io, () => digest(octokit, owner, repo, { post: values.post === true, chat, log }));
  if (!result) return 1;
  if (!values.post) {
    io.out(result.markdown.endsWith("\n") ? result.markdown : `${result.markdown}\n`);
    return 0;
  }
  io.out(`${result.title}: issue #${result.issue!.number} ${result.issue!.action} (${result.issue!.url})${result.chat ? `; chat ${result.chat}` : ""}\n`);
  return result.chat === "failed" ? 1 : 0;
}
