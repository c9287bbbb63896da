import { readFileSync, statSync } from "node:fs";
import { createProbot } from "probot";
import { sepBot, type EventOutcome } from "../app.js";
import { COMMAND_LINE, refusal, type Caller } from "../caller.js";
import { actionLogger, errorMessages, escapeData, type Io } from "../log.js";
import { plural, text, writeSummary } from "../step-summary.js";
import { MemoryCoordinator } from "../../delivery/coordinator.js";
import { endpointOf, octokitClass } from "../../github/client.js";

/**
 * `sep-bot action`: one GitHub Actions event, no server. A workflow step
 * gives the event as GITHUB_EVENT_NAME and GITHUB_EVENT_PATH, the token as
 * GITHUB_TOKEN (an App installation token from actions/create-github-app-token,
 * or the workflow's own), and where GitHub is (GITHUB_API_URL,
 * GITHUB_GRAPHQL_URL: GitHub Enterprise, tests). The event goes through the
 * same Probot app and the same reconcile as the server (Probot's Actions
 * adapter needs Probot 13, so this is the few lines it would take:
 * createProbot with the token, then `receive`).
 *
 * One process per event, so nothing is coordinated here: the workflow's
 * `concurrency:` group, keyed on the PR number, keeps runs for one PR from
 * overlapping (GitHub itself is the queue; see the workflow in docs/operating.md).
 *
 * No server, so the check run offers no "Fix these" button. GitHub sends its
 * press (`check_run.requested_action`), like the check's Re-run
 * (`rerequested`), to the App that made the check run ("only sent to the
 * GitHub App being requested"), where no server listens; and a check run made
 * with the workflow's own token sits in GitHub Actions' check suite, whose
 * `check_run` events start no workflow. The check points to `/fix` instead,
 * and `/check` (or re-running the job) runs it again.
 */

/**
 * The workflow events sep-bot handles, and what the app knows them as. A
 * `check_run` re-run is handled should GitHub ever deliver one; a workflow
 * gets `check_suite` only as `completed`, which asks for nothing.
 */
const EVENTS: Record<string, string> = {
  pull_request: "pull_request",
  // How fork PRs get a write token: the same payload, run in the base repository's context.
  pull_request_target: "pull_request",
  check_run: "check_run",
  issue_comment: "issue_comment",
};

const MAX_EVENT_BYTES = 25 * 1024 * 1024; // GitHub caps webhook payloads at 25 MB

export class ActionError extends Error {}

export interface ActionEnv {
  eventName: string;
  eventPath: string;
  token: string;
  apiUrl: string;
  graphqlUrl: string | null;
  repository: string | null;
  deliveryId: string;
  dryRun: boolean;
}

export function readActionEnv(env: NodeJS.ProcessEnv): ActionEnv {
  const missing = ["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_TOKEN"].filter((name) => !env[name]);
  if (missing.length) {
    throw new ActionError(
      `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set. \`sep-bot action\` runs as a GitHub Actions step: pass the token with \`env: GITHUB_TOKEN: \${{ steps.app-token.outputs.token }}\` (or \`secrets.GITHUB_TOKEN\`); GitHub sets the others.`,
    );
  }
  return {
    eventName: env.GITHUB_EVENT_NAME!,
    eventPath: env.GITHUB_EVENT_PATH!,
    token: env.GITHUB_TOKEN!,
    ...endpointOf(env),
    repository: env.GITHUB_REPOSITORY || null,
    deliveryId: `actions-${env.GITHUB_RUN_ID ?? "local"}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`,
    dryRun: env.DRY_RUN === "true",
  };
}

function readEvent(path: string): Record<string, unknown> {
  let text: string;
  try {
    if (statSync(path).size > MAX_EVENT_BYTES) throw new ActionError(`${path}: the event file is larger than GitHub's 25 MB payload limit`);
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof ActionError) throw error;
    throw new ActionError(`GITHUB_EVENT_PATH ${path}: cannot read the event file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new ActionError(`GITHUB_EVENT_PATH ${path}: not JSON`);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) throw new ActionError(`GITHUB_EVENT_PATH ${path}: not an event object`);
  return payload as Record<string, unknown>;
}

export async function action(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env, caller: Caller = COMMAND_LINE): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.out(`Usage: sep-bot action

Runs sep-bot for the one event of a GitHub Actions workflow run: pull_request,
pull_request_target, check_run or issue_comment. Reads
GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_TOKEN, GITHUB_API_URL,
GITHUB_GRAPHQL_URL and GITHUB_REPOSITORY, as a workflow step has them.
DRY_RUN=true plans and writes nothing. The check run offers no "Fix these"
button (GitHub sends its press to no workflow): it points to /fix instead.
Writes what the event came to to GITHUB_STEP_SUMMARY, when set. See
docs/operating.md for the workflow file.

Exit status: 0 done (or nothing to do), 1 the reconcile failed, 2 bad setup.
`);
    return 0;
  }
  const setup = readActionEnv(env);
  const name = EVENTS[setup.eventName];
  if (!name) {
    const why = `nothing to do for ${setup.eventName} events (handled: ${Object.keys(EVENTS).join(", ")})`;
    io.out(`sep-bot: ${why}\n`);
    writeSummary(env, io, eventSummary(setup.eventName, [{ skipped: why }], setup.dryRun));
    return 0;
  }
  const payload = readEvent(setup.eventPath);
  // An Actions token is already an installation's (or the workflow's): never re-authenticate per installation.
  delete payload.installation;

  const log = actionLogger(io);
  // GitHub Enterprise (and tests) name GraphQL's URL separately from the REST API's.
  const Octokit = octokitClass(setup.graphqlUrl);
  const probot = createProbot({
    env: {},
    overrides: { githubToken: setup.token, baseUrl: setup.apiUrl, log, Octokit },
  });
  const coordinator = new MemoryCoordinator({ description: "GitHub Actions: one event per run; the workflow's concurrency group keeps runs for one pull request from overlapping" });
  const outcomes: EventOutcome[] = [];
  const app = sepBot({ dryRun: setup.dryRun, coordinator, explainSkips: true, fixButton: false, onOutcome: (outcome) => outcomes.push(outcome) });
  await probot.load(app, { cwd: process.cwd(), addHandler: () => {} });
  try {
    await probot.receive({ id: setup.deliveryId, name, payload } as unknown as Parameters<typeof probot.receive>[0]);
  } catch (error) {
    // Every write is recorded on GitHub as it is made: running the event again finishes it.
    const next = refusal(error, caller) ?? "What was written stays; running the event again (re-run the job) finishes the rest";
    io.out(`::error::${escapeData(`sep-bot: ${errorMessages(error).join("; ")}. ${next}`)}\n`);
    return 1;
  }
  writeSummary(env, io, eventSummary(setup.eventName, outcomes, setup.dryRun));
  return 0;
}

/** The step summary of one event: which pull request, what was written (or would be), or why nothing was. */
function eventSummary(event: string, outcomes: readonly EventOutcome[], dryRun: boolean): string {
  const parts = [`### sep-bot: ${text(event)}`];
  for (const outcome of outcomes) {
    if ("skipped" in outcome) {
      parts.push(`Nothing to do: ${text(outcome.skipped)}.`);
      continue;
    }
    const { target, result } = outcome;
    const changes = [...(result.commit ? [`commit: ${result.commit}`] : []), ...(result.plan.effects.length ? result.plan.reasons : [])];
    const what = dryRun
      ? `dry run, nothing written; it would make ${plural(result.writes, "change")}`
      : result.writes
        ? `wrote ${plural(result.writes, "change")}`
        : `nothing to write (${result.plan.reasons.map((r) => text(r)).join("; ") || "already as the rules want it"})`;
    parts.push(`**${text(`${target.owner}/${target.repo}`)}#${target.number}**: ${what}${changes.length ? ":" : "."}`);
    if (changes.length) parts.push(changes.map((c) => `- ${text(c)}`).join("\n"));
  }
  return parts.join("\n\n");
}
