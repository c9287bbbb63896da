import Bottleneck from "bottleneck";
import type { Logger as Pino } from "pino";
import { createProbot, ProbotOctokit } from "probot";
import type { GitHub } from "./graphql.js";

/**
 * An authenticated client for the command line and workflows (`sweep`,
 * `digest`, `action`): Probot's Octokit, so requests are paced and retried
 * the way the server's are. Authenticated by GITHUB_TOKEN (a workflow's, an
 * App installation's from actions/create-github-app-token, or a person's),
 * or by the App's own credentials (APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH),
 * which find the installation on the repository.
 */

export class SetupError extends Error {}

/**
 * Probot's Octokit, with GraphQL at its own URL when GitHub Enterprise (or a
 * test) names one, and GitHub's pacing as Probot ships it (writes 1 s apart,
 * comment creation 3 s), unless a test process sets a faster one.
 */
export function octokitClass(graphqlUrl: string | null, env: NodeJS.ProcessEnv = process.env): typeof ProbotOctokit {
  const Octokit = ProbotOctokit.plugin((octokit) => {
    octokit.hook.after("request", (_response, options) => {
      if (isWrite(options.method, String(options.url), (options as { query?: unknown }).query)) writes.made++;
    });
    if (!graphqlUrl) return;
    octokit.hook.before("request", (options) => {
      if (options.url === "/graphql") options.url = graphqlUrl;
    });
  });
  const pace = testPace(env);
  return Octokit.defaults((options: { throttle?: ThrottleOptions; auth?: unknown }) => {
    const throttle = { ...options.throttle, ...throttleId(options) };
    return { ...options, throttle: pace === null ? throttle : { ...throttle, ...pacedGroups(pace, throttle) } };
  }) as typeof ProbotOctokit;
}

/**
 * One pace per installation, whichever way its client was made. Probot names
 * the throttling limiter after the installation in `app.auth(id)` (sweeps,
 * the schedule, the site) but not in the client it makes for a webhook's
 * event, which falls into the shared "no-id" limiter: the same installation's
 * writes then went through two limiters that do not wait for each other.
 */
function throttleId(options: { throttle?: ThrottleOptions; auth?: unknown }): { id?: string } {
  if (options.throttle?.id !== undefined) return {};
  const installation = (options.auth as { installationId?: unknown } | undefined)?.installationId;
  return typeof installation === "number" || typeof installation === "string" ? { id: String(installation) } : {};
}

/** Writes this process made through `octokitClass` clients (the Action's `writes` output). */
const writes = { made: 0 };
export const writesMade = (): number => writes.made;

/** A request that changes something on GitHub: any REST method but GET, and GraphQL mutations. */
export function isWrite(method: string, url: string, query: unknown): boolean {
  if (/\/graphql$/.test(url)) return typeof query === "string" && /^\s*mutation\b/.test(query);
  return method !== "GET" && method !== "HEAD";
}

/**
 * A faster pace for test processes: `SEP_BOT_TEST_PACE_MS` (the gap between
 * writes), honoured only with `NODE_ENV=test`, so production cannot reach it
 * by accident (`sep-bot serve` says so in its log). Tests that are about the
 * pacing itself keep its shape: the same groups, shared through Redis alike.
 */
export function testPace(env: NodeJS.ProcessEnv): number | null {
  if (env.NODE_ENV !== "test" || !env.SEP_BOT_TEST_PACE_MS) return null;
  const pace = Number(env.SEP_BOT_TEST_PACE_MS);
  if (!Number.isInteger(pace) || pace < 0 || pace > 1000) throw new SetupError(`SEP_BOT_TEST_PACE_MS must be a whole number of milliseconds up to 1000 (got "${env.SEP_BOT_TEST_PACE_MS}")`);
  return pace;
}

interface ThrottleOptions {
  Bottleneck?: typeof Bottleneck;
  connection?: Bottleneck.IORedisConnection;
  [key: string]: unknown;
}

const paced = new Map<string, Record<string, Bottleneck.Group>>();

/** The throttling plugin's groups (same ids, so the Redis keys are the same), at `pace` instead of 1 s. */
function pacedGroups(pace: number, throttle: ThrottleOptions | undefined): Record<string, Bottleneck.Group> {
  const key = `${pace}:${throttle?.connection ? "redis" : "local"}`;
  const cached = paced.get(key);
  if (cached) return cached;
  const Limiter = throttle?.Bottleneck ?? Bottleneck;
  const common = { timeout: 120_000, ...(throttle?.connection ? { connection: throttle.connection } : {}) };
  const groups = {
    global: new Limiter.Group({ id: "octokit-global", maxConcurrent: 10, ...common }),
    auth: new Limiter.Group({ id: "octokit-auth", maxConcurrent: 1, ...common }),
    search: new Limiter.Group({ id: "octokit-search", maxConcurrent: 1, minTime: 2 * pace, ...common }),
    write: new Limiter.Group({ id: "octokit-write", maxConcurrent: 1, minTime: pace, ...common }),
    notifications: new Limiter.Group({ id: "octokit-notifications", maxConcurrent: 1, minTime: 3 * pace, ...common }),
  };
  paced.set(key, groups);
  return groups;
}

export interface Endpoint {
  apiUrl: string;
  graphqlUrl: string | null;
}

export function endpointOf(env: NodeJS.ProcessEnv): Endpoint {
  return { apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""), graphqlUrl: env.GITHUB_GRAPHQL_URL || null };
}

export async function gitHubFor(owner: string, repo: string, env: NodeJS.ProcessEnv, log: Pino): Promise<GitHub> {
  const { apiUrl, graphqlUrl } = endpointOf(env);
  const Octokit = octokitClass(graphqlUrl, env);
  if (env.GITHUB_TOKEN) {
    const probot = createProbot({ env: {}, overrides: { githubToken: env.GITHUB_TOKEN, baseUrl: apiUrl, log, Octokit } });
    return (await probot.auth()) as unknown as GitHub;
  }
  if (env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) {
    const probot = createProbot({ env: { APP_ID: env.APP_ID, PRIVATE_KEY: env.PRIVATE_KEY, PRIVATE_KEY_PATH: env.PRIVATE_KEY_PATH }, overrides: { baseUrl: apiUrl, log, Octokit } });
    const app = await probot.auth();
    let installation: number;
    try {
      installation = (await app.rest.apps.getRepoInstallation({ owner, repo })).data.id;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404) throw new SetupError(`the app (APP_ID ${env.APP_ID}) is not installed on ${owner}/${repo}`);
      throw error;
    }
    return (await probot.auth(installation)) as unknown as GitHub;
  }
  throw new SetupError("no credentials: set GITHUB_TOKEN (it needs issues, pull requests and contents: write), or APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) for the GitHub App");
}
