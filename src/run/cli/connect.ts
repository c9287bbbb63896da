import type { Logger as Pino } from "pino";
import { refusal, type Caller } from "../caller.js";
import { actionLogger, errorMessages, type Io } from "../log.js";
import { gitHubFor, SetupError } from "../../github/client.js";
import type { GitHub } from "../../github/graphql.js";
import { UsageError } from "./files.js";

/**
 * What the commands that read a repository share (`sweep`, `digest`, `site`):
 * which repository (`--repo`, else GITHUB_REPOSITORY), the client for it, and
 * how a run that GitHub fails ends.
 */

/** `owner/name`, as GitHub allows them; null for anything else. */
export function repositoryOf(value: string): { owner: string; repo: string } | null {
  const m = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/.exec(value);
  return m ? { owner: m[1]!, repo: m[2]! } : null;
}

/** `--repo`, else GITHUB_REPOSITORY (the Action checks its `repo` input before it calls a command). */
export function repoOf(given: string | undefined, env: NodeJS.ProcessEnv): { owner: string; repo: string } {
  const value = given ?? env.GITHUB_REPOSITORY;
  if (!value) throw new UsageError("--repo owner/name is needed (or GITHUB_REPOSITORY)");
  const repository = repositoryOf(value);
  if (!repository) throw new UsageError(`--repo must be owner/name (got "${value}")`);
  return repository;
}

/**
 * GitHub failing the whole run (a rate limit on the first read, a revoked
 * token): one line, with what to do when GitHub refused the token; exit 1.
 * Setup errors stay exit 2.
 */
export async function failing<T>(what: string, io: Io, caller: Caller, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const next = refusal(error, caller);
    io.err(`sep-bot: ${what} failed: ${errorMessages(error).join("; ")}${next ? `. ${next}` : ""}\n`);
    return null;
  }
}

/** The client and logger for a run (tests connect in-process, unpaced, through the same command). */
export type Connect = (owner: string, repo: string, io: Io, env: NodeJS.ProcessEnv) => Promise<{ octokit: GitHub; log: Pino }>;

export const connectToGitHub: Connect = async (owner, repo, io, env) => {
  const log = actionLogger({ out: io.err, err: io.err }, env.LOG_LEVEL ?? "warn", env.GITHUB_ACTIONS === "true");
  try {
    return { octokit: await gitHubFor(owner, repo, env, log), log };
  } catch (error) {
    if (error instanceof SetupError) throw new UsageError(error.message);
    throw error;
  }
};
