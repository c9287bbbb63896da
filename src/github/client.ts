import Bottleneck from "bottleneck";
import type { Logger as Pino } from "pino";
import { createProbot, ProbotOctokit } from "probot";
import { apiMessage, httpStatus, isRateLimited } from "./errors.js";
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
      github.answered(Date.now());
    });
    octokit.hook.error("request", (error) => {
      github.failed(error, Date.now());
      throw error;
    });
    if (!graphqlUrl) return;
    octokit.hook.before("request", (options) => {
      if (options.url === "/graphql") options.url = graphqlUrl;
    });
  });
  const pace = testPace(env);
  return Octokit.defaults((options: { throttle?: ThrottleOptions; auth?: unknown; retry?: object }) => {
    if (options.throttle?.connection) recoverWhenRedisEmpties(options.throttle.connection);
    const throttle = { ...options.throttle, ...throttleId(options) };
    if (pace === null) return { ...options, throttle };
    // The same retries at the test pace: 1, 4 and 9 paces apart instead of 1, 4 and 9 seconds.
    return { ...options, throttle: { ...throttle, ...pacedGroups(pace, throttle) }, retry: { ...options.retry, retryAfterBaseValue: pace } };
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

/**
 * The pacing shared through Redis keeps each limiter's settings there. When
 * Redis comes back empty (restarted, flushed), Bottleneck re-creates them on
 * the error `SETTINGS_KEY_NOT_FOUND`, but Redis 7 words script errors
 * `ERR SETTINGS_KEY_NOT_FOUND ...`, which Bottleneck 2.19 no longer
 * recognises: every paced request then failed until its limiter was dropped
 * (37 s). Its error is given back the exact message Bottleneck looks for.
 */
const recovering = new WeakSet<object>();
function recoverWhenRedisEmpties(connection: Bottleneck.IORedisConnection): void {
  const bottleneck = connection as unknown as { __scriptFn__?: (name: string) => (...args: unknown[]) => unknown };
  if (recovering.has(connection) || typeof bottleneck.__scriptFn__ !== "function") return;
  recovering.add(connection);
  const scriptFn = bottleneck.__scriptFn__.bind(connection);
  bottleneck.__scriptFn__ = (name) => {
    const run = scriptFn(name);
    return (...args) => {
      const callback = args.pop() as (error: Error | null, replies: unknown) => void;
      return run(...args, (error: Error | null, replies: unknown) => {
        const known = error && /\b(SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)\b/.exec(error.message);
        if (known) error.message = known[1]!;
        callback(error, replies);
      });
    };
  };
}

/**
 * What this process last heard from GitHub, for `/healthz`: when a request
 * last succeeded, and the last failure (a 5xx, a network error, a rate limit
 * with the time it lifts). 4xx answers that are GitHub saying no (404, 422)
 * are the work's business, not the client's health.
 */
export interface GitHubHealth {
  lastAnswerAt: string | null;
  lastFailure: { at: string; status: number | null; message: string } | null;
  rateLimitedUntil: string | null;
  /** Failures (5xx, network, rate limits) since the last success. */
  failingInARow: number;
}

const github = {
  lastAnswerAt: null as number | null,
  lastFailure: null as { at: number; status: number | null; message: string } | null,
  rateLimitedUntil: null as number | null,
  failingInARow: 0,
  answered(now: number) {
    this.lastAnswerAt = now;
    this.failingInARow = 0;
  },
  failed(error: unknown, now: number) {
    const status = httpStatus(error) ?? null;
    const limited = isRateLimited(error);
    if (status !== null && status < 500 && !limited) return;
    this.failingInARow++;
    this.lastFailure = { at: now, status, message: apiMessage(error).slice(0, 200) };
    if (limited) this.rateLimitedUntil = now + retryAfterMs(error);
  },
};

export function gitHubHealth(now = Date.now()): GitHubHealth {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    lastAnswerAt: iso(github.lastAnswerAt),
    lastFailure: github.lastFailure && { ...github.lastFailure, at: iso(github.lastFailure.at)! },
    rateLimitedUntil: github.rateLimitedUntil !== null && github.rateLimitedUntil > now ? iso(github.rateLimitedUntil) : null,
    failingInARow: github.failingInARow,
  };
}

/** How long a rate limit answer asks to wait: `retry-after`, else until `x-ratelimit-reset`, else a minute. */
function retryAfterMs(error: unknown): number {
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } }).response?.headers ?? {};
  const after = Number(headers["retry-after"]);
  if (Number.isFinite(after) && after >= 0) return after * 1000;
  const reset = Number(headers["x-ratelimit-reset"]) * 1000;
  return Number.isFinite(reset) && reset > Date.now() ? reset - Date.now() : 60_000;
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
