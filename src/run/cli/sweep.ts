import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Logger as Pino } from "pino";
import { COMMAND_LINE, type Caller } from "../caller.js";
import { errorMessages, escapeData, setOutputs, type Io } from "../log.js";
import { plural, table, text, writeSummary } from "../step-summary.js";
import { countRequests, gitHubFor } from "../../github/client.js";
import type { GitHub } from "../../github/graphql.js";
import { previewOf, renderPreview, type PreviewPull, type PreviewSummary } from "../../reports/sweep/preview.js";
import { sweep, type SweepReport } from "../../github/sweep.js";
import { UsageError } from "./files.js";
import { dispatchWorkflow } from "../../github/dispatch.js";
import { connectToGitHub, failing, repoOf, type Connect } from "./connect.js";

/**
 * `sep-bot sweep`: the weekly sweep, from a terminal or a scheduled workflow,
 * through the same code the server's schedule runs; in a workflow, a run
 * stopped by its budget dispatches the next.
 */

export const SWEEP_HELP = `Usage: sep-bot sweep --repo owner/name [--dry-run [--format text|json]] [--no-continue]

Reads every open SEP pull request (and those closed in the last days) in a
few GraphQL requests, and reconciles the ones that need it: reminders and
dormancy the clocks say are due, labels or the project board out of step,
status comments whose deadlines moved. Oldest first, within the rules'
write budget (sweep.maxWrites); the rest happens in the next run.

--dry-run previews every run at once, writing nothing: the budget limits
writes, not the preview. It lists each pull request that would change, what
it would write, why, and which run of the budget reaches it ("run 2"):
those it would close or make dormant first, then those whose new comments
@mention someone, then the rest; and a summary (comments, @mentions, label
changes, commits, closes, reopenings, check runs, runs needed).
--format json prints that as one JSON object (see docs/maintainers.md):
{ repository, read, due, maxWrites, pulls: [{ number, run, reasons, effects,
writes, mentions, irreversible, notifying }], unchanged, failed, stopped,
deferred, summary: { pulls, writes, comments, mentions, people, labelChanges,
commits, closes, reopenings, checkRuns, runs }, requests }.

In a GitHub Actions workflow (GITHUB_ACTIONS=true), a run that stops at its
budget dispatches its own workflow again (GITHUB_WORKFLOW_REF), so the next
run starts right after this one; the token needs actions: write (the
workflow's own token, given as SEP_BOT_DISPATCH_TOKEN, else GITHUB_TOKEN).
Each dispatched run carries the chain's count in the workflow_dispatch input
sep-bot-chain (declare it in the workflow); after 24 runs in a row the chain
stops, with a warning, and the rest waits for the next scheduled run.
It writes deferred=<n> and continued=true|false to GITHUB_OUTPUT, and what it
did (or would do) for each pull request to GITHUB_STEP_SUMMARY.

Options:
  --repo <owner/name>  the repository (default: GITHUB_REPOSITORY)
  --dry-run            preview every run of the budget, write nothing
  --format <f>         with --dry-run: text (default) or json
  --no-continue        in a workflow, leave the rest for the next scheduled run
  -h, --help           show this help

Authentication: GITHUB_TOKEN (and GITHUB_API_URL, GITHUB_GRAPHQL_URL when
set, as in Actions), or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH.

Exit status: 0 done, 1 some pull requests failed, 2 usage or setup error.
`;

export async function sweepCommand(
  args: string[],
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
  tty = process.stderr.isTTY === true,
  connect: Connect = connectToGitHub,
  caller: Caller = COMMAND_LINE,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { repo: { type: "string" }, "dry-run": { type: "boolean" }, format: { type: "string" }, "no-continue": { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    io.out(SWEEP_HELP);
    return 0;
  }
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json (got "${format}")`);
  const dryRun = values["dry-run"] === true;
  if (format === "json" && !dryRun) throw new UsageError("--format json goes with --dry-run (a real sweep prints text)");
  const { owner, repo } = repoOf(values.repo, env);
  const github = await failing("sweep", io, caller, () => connect(owner, repo, io, env));
  if (!github) return 1;
  const { octokit, log } = github;
  const cost = countRequests(octokit);
  const report = await failing("sweep", io, caller, () => sweep(octokit, owner, repo, {
    dryRun,
    preview: dryRun,
    log,
    fixButton: caller.fixButton,
    ...(tty ? { progress: (done: number, total: number, number: number) => io.err(`\r${" ".repeat(40)}\rsweep: ${done}/${total} (#${number})${done === total ? "\n" : ""}`) } : {}),
  }));
  if (!report) return 1;
  const exit = report.failed.length ? 1 : 0;
  const seps = report.read.read.pulls.length;
  writeSummary(env, io, sweepSummary(`${owner}/${repo}`, report, dryRun, cost()));
  // What fails the run, in one line (each pull request's own failure is in the list).
  if (exit) io.err(`sep-bot: sweep: ${plural(report.failed.length, "pull request")} failed (${report.failed.map((f) => `#${f.number}`).join(", ")}): ${report.failed[0]!.error}; the next run tries again\n`);
  if (dryRun) {
    const { rules } = report.read;
    // A person's token: what they did themselves reads as sep-bot's own (not human activity, not commands).
    const viewer = report.read.read.botLogin;
    if (!viewer.endsWith("[bot]")) {
      const warning = `sep-bot: this preview reads GitHub as @${viewer}, so @${viewer}'s own comments and labels count as sep-bot's. For an exact preview use a token of an account that takes no part in the SEPs, or ${caller.appIdentity}.`;
      io.err(env.GITHUB_ACTIONS === "true" ? `::warning::${escapeData(warning)}\n` : `${warning}\n`);
    }
    const preview = previewOf(report.done, { maxWrites: rules.sweep.maxWrites, closingLabels: rules.statuses.filter((s) => s.closesPullRequest).map((s) => s.label) });
    output(env, { deferred: report.deferred.length, continued: false });
    if (format === "json") {
      const document: PreviewDocument = {
        repository: `${owner}/${repo}`,
        read: seps,
        due: report.due.length,
        maxWrites: preview.maxWrites,
        pulls: preview.pulls,
        unchanged: preview.unchanged,
        failed: report.failed,
        stopped: report.stopped,
        deferred: report.deferred,
        summary: preview.summary,
        requests: cost(),
      };
      io.out(`${JSON.stringify(document, null, 2)}\n`);
      return exit;
    }
    io.out(`${owner}/${repo}: read ${seps} pull request${seps === 1 ? "" : "s"}; ${report.due.length} needed a reconcile.\n`);
    io.out(renderPreview(preview));
    for (const failed of report.failed) io.out(`  #${failed.number}: failed: ${failed.error}\n`);
    if (report.deferred.length) io.out(`  not previewed (${report.stopped}): ${report.deferred.map((n) => `#${n}`).join(", ")}\n`);
    io.out(`Dry run: nothing written; ${cost()} requests in all.\n`);
    return exit;
  }
  io.out(`${owner}/${repo}: read ${seps} pull request${seps === 1 ? "" : "s"}; ${report.due.length} needed a reconcile.\n`);
  for (const done of report.done) {
    const kinds = done.effects.map((e) => e.kind).join(", ") || "nothing";
    io.out(`  #${done.number}: ${done.reasons.join("; ")} -> wrote ${done.writes} (${kinds})\n`);
  }
  for (const failed of report.failed) io.out(`  #${failed.number}: failed: ${failed.error}\n`);
  if (report.deferred.length) io.out(`  left for the next run (${report.stopped}): ${report.deferred.map((n) => `#${n}`).join(", ")}\n`);
  io.out(`${report.writes} write${report.writes === 1 ? "" : "s"}; ${cost()} requests in all.\n`);
  // A workflow run stopped by its budget starts the next run now, not next week.
  const continues = env.GITHUB_ACTIONS === "true" && values["no-continue"] !== true && report.stoppedBy === "budget" && report.deferred.length > 0;
  const continued = continues ? await dispatchNextRun(octokit, report.deferred.length, io, env, log, caller) : false;
  output(env, { deferred: report.deferred.length, continued });
  return exit;
}

/** What `sep-bot sweep --dry-run --format json` prints (documented in docs/maintainers.md, "The preview"). */
export interface PreviewDocument {
  repository: string;
  /** Pull requests read, and how many of them the filter picked. */
  read: number;
  due: number;
  maxWrites: number;
  pulls: PreviewPull[];
  unchanged: number[];
  failed: Array<{ number: number; error: string }>;
  /** Only GitHub's rate limit stops a preview; `deferred` were not planned. */
  stopped: string | null;
  deferred: number[];
  summary: PreviewSummary;
  requests: number;
}

/** The step's outputs, for the workflow's next steps (`steps.<id>.outputs.deferred`). */
function output(env: NodeJS.ProcessEnv, values: { deferred: number; continued: boolean }): void {
  setOutputs(env, { deferred: values.deferred, continued: String(values.continued) });
}

/** The `workflow_dispatch` input that counts the runs a chain of dispatches has made (declared in the workflow). */
export const CHAIN_INPUT = "sep-bot-chain";
/** Runs a chain dispatches at most after the scheduled one: as many as the server's follow-ups (24). */
export const MAX_CHAIN = 24;

/**
 * How many runs this chain has dispatched so far, this one included: the
 * `sep-bot-chain` input of the workflow_dispatch event that started it (read
 * from GITHUB_EVENT_PATH); 0 for a scheduled run or one started by hand.
 */
export function chainOf(env: NodeJS.ProcessEnv): number {
  if (env.GITHUB_EVENT_NAME !== "workflow_dispatch" || !env.GITHUB_EVENT_PATH) return 0;
  let value: unknown;
  try {
    value = (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as { inputs?: Record<string, unknown> } | null)?.inputs?.[CHAIN_INPUT];
  } catch {
    return 0;
  }
  const n = Number(value ?? 0);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** GITHUB_WORKFLOW_REF (`owner/repo/.github/workflows/sep-weekly.yml@refs/heads/main`): the workflow file and the branch or tag it ran on. */
export function workflowOf(value: string | undefined): { owner: string; repo: string; file: string; ref: string } | null {
  const m = /^([^/]+)\/([^/]+)\/\.github\/workflows\/([^/@]+)@refs\/(?:heads|tags)\/(.+)$/.exec(value ?? "");
  return m ? { owner: m[1]!, repo: m[2]!, file: m[3]!, ref: m[4]! } : null;
}

/**
 * Dispatches this workflow again (workflow_dispatch), so the next run starts
 * right after this one, with the chain's count one up (`sep-bot-chain`): a
 * chain stops after MAX_CHAIN dispatched runs, like the server's follow-ups,
 * so a sweep that never finishes cannot start runs forever. A dispatch made
 * with a workflow's own GITHUB_TOKEN does start a run (GitHub's exception to
 * its no-recursion rule); the token needs `actions: write`. Any refusal is a
 * warning: the sweep still did its part.
 */
async function dispatchNextRun(sweeping: GitHub, deferred: number, io: Io, env: NodeJS.ProcessEnv, log: Pino, caller: Caller): Promise<boolean> {
  const warn = (text: string) => io.err(`::warning::${escapeData(`sep-bot: ${text}; ${deferred === 1 ? "1 pull request waits" : `${deferred} pull requests wait`} for the next scheduled run`)}\n`);
  const chain = chainOf(env);
  if (chain >= MAX_CHAIN) {
    warn(`still stopped at the write budget after ${chain} dispatched runs in a row (at most ${MAX_CHAIN}): the chain stops here`);
    return false;
  }
  const workflow = workflowOf(env.GITHUB_WORKFLOW_REF);
  if (!workflow) {
    warn(`cannot start the next run: GITHUB_WORKFLOW_REF (${env.GITHUB_WORKFLOW_REF ?? "unset"}) names no workflow on a branch or tag`);
    return false;
  }
  const { owner, repo, file, ref } = workflow;
  try {
    const octokit = env.SEP_BOT_DISPATCH_TOKEN ? await gitHubFor(owner, repo, { ...env, GITHUB_TOKEN: env.SEP_BOT_DISPATCH_TOKEN }, log) : sweeping;
    await dispatchWorkflow(octokit, workflow, { [CHAIN_INPUT]: String(chain + 1) });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 422 && /input/i.test(errorMessages(error).join(" "))) {
      warn(`GitHub refused to start the next run of ${file}: the workflow must declare the \`${CHAIN_INPUT}\` input (\`on: workflow_dispatch: inputs: ${CHAIN_INPUT}: { type: string, default: "0" }\`), which counts the chain's runs (at most ${MAX_CHAIN})`);
    } else if (status === 403 || status === 404) {
      warn(`GitHub refused to start the next run of ${file} (${status}): add \`actions: write\` to the workflow's \`permissions\` (${caller.dispatchToken} dispatches it)`);
    } else {
      warn(`could not start the next run of ${file}: ${errorMessages(error).join("; ")}`);
    }
    return false;
  }
  io.out(`Stopped at the write budget: the next run of ${file} on ${ref} is dispatched for the ${deferred} left (run ${chain + 1} of at most ${MAX_CHAIN} in this chain).\n`);
  return true;
}

/** The sweep's step summary: what it did (or would do) for each pull request, what failed, what is left. */
function sweepSummary(repository: string, report: SweepReport, dryRun: boolean, requests: number): string {
  const parts = [`### sep-bot sweep: ${text(repository)}`];
  const read = report.read.read.pulls.length;
  parts.push(`Read ${plural(read, "pull request")}; ${report.due.length} needed a reconcile.${dryRun ? " Dry run: nothing written." : ""}`);
  const rows = [
    ...report.done.map((d) => [`#${d.number}`, text(d.reasons.join("; ")), `${d.writes}${d.effects.length ? `: ${text([...new Set(d.effects.map((e) => e.kind))].join(", "))}` : ""}`]),
    ...report.failed.map((f) => [`#${f.number}`, text(report.due.find((d) => d.number === f.number)?.reasons.join("; ") ?? ""), `**failed**: ${text(f.error)}`]),
  ];
  if (rows.length) parts.push(table(["Pull request", "Why", dryRun ? "Would write" : "Wrote"], rows));
  if (report.deferred.length) parts.push(`**${plural(report.deferred.length, "pull request")} left for the next run** (${text(report.stopped ?? "")}): ${report.deferred.map((n) => `#${n}`).join(", ")}.`);
  parts.push(`${dryRun ? "Would write" : "Wrote"} ${plural(report.writes, "change")}; ${plural(requests, "request")} in all.`);
  return parts.join("\n\n");
}
