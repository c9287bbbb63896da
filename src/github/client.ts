import type { Logger as Pino } from "pino";
import { createProbot, ProbotOctokit } from "probot";
import { queryClient, setQueryClient, type GitHub } from "./graphql.js";
import { heard } from "./health.js";
import { pacingGroups, recoverWhenRedisEmpties, throttleId, type ThrottleOptions } from "./pacing.js";

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
 * test) names one, and GitHub's pacing (pacing.ts): writes 1 s apart per
 * installation, comment creation 3 s, unless a test process sets a faster
 * pace; GraphQL queries through a sibling client, paced as the reads they are.
 */
export function octokitClass(graphqlUrl: string | null, env: NodeJS.ProcessEnv = process.env): typeof ProbotOctokit {
  const pace = testPace(env);
  const Octokit = ProbotOctokit.plugin((octokit, options: ClientOptions) => {
    octokit.hook.after("request", (_response, request) => {
      if (isWrite(request.method, String(request.url), (request as { query?: unknown }).query)) writes.made++;
      heard.answered(Date.now());
    });
    octokit.hook.error("request", (error) => {
      heard.failed(error, Date.now());
      throw error;
    });
    if (graphqlUrl) {
      octokit.hook.before("request", (request) => {
        if (request.url === "/graphql") request.url = graphqlUrl;
      });
    }
    // The queries' client: the same options (its installation, its token from Probot's cache), made
    // by the same class (the most derived, whose defaults made these options), when first asked for.
    if (options.throttle?.enabled !== false && !options.queries) {
      const Same = octokit.constructor as new (options: ClientOptions) => GitHub;
      let queries: GitHub | null = null;
      setQueryClient(octokit as GitHub, () => (queries ??= new Same({ ...options, queries: true })));
    }
  });
  return Octokit.defaults((options: ClientOptions) => {
    if (options.throttle?.enabled === false) return options;
    if (options.throttle?.connection) recoverWhenRedisEmpties(options.throttle.connection);
    const { read, ...groups } = pacingGroups(pace ?? 1000, options.throttle);
    // The queries' client has the read gate where the plugin puts GraphQL: its "write" gate.
    const throttle = { ...options.throttle, ...throttleId(options), ...groups, write: options.queries ? read : groups.write };
    if (pace === null) return { ...options, throttle };
    // The same retries at the test pace: 1, 4 and 9 paces apart instead of 1, 4 and 9 seconds.
    return { ...options, throttle, retry: { ...options.retry, retryAfterBaseValue: pace } };
  }) as typeof ProbotOctokit;
}

interface ClientOptions {
  throttle?: ThrottleOptions & { enabled?: boolean };
  auth?: unknown;
  retry?: object;
  /** This is a client for GraphQL queries only (see pacing.ts). */
  queries?: boolean;
  [key: string]: unknown;
}

/** How many requests a client has sent from now on (a run's cost): its own and its queries sibling's. */
export function countRequests(octokit: GitHub): () => number {
  let n = 0;
  for (const client of new Set([octokit, queryClient(octokit)])) {
    client.hook.after("request", () => {
      n++;
    });
  }
  return () => n;
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
