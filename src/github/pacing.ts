import Bottleneck from "bottleneck";

/**
 * GitHub's pacing, as @octokit/plugin-throttling keeps it (Probot turns it
 * on), with one difference: a GraphQL query is a read. The plugin puts every
 * `POST /graphql` behind its write gate (one request a second per
 * installation), queries and mutations alike, so sep-bot's reads, nearly all
 * GraphQL, crawled. GitHub asks for writes (and mutations) to be spaced out,
 * and limits GraphQL by points a minute (about 2,000; a query costs one) and
 * by concurrency, not by a second per query.
 *
 * So each client has a sibling for its queries (the plugin's maintainers
 * suggest two clients: graphql.ts sends queries there), whose GraphQL gate is
 * the read gate below: no spacing, a budget of points a minute, and the
 * plugin's global limit of concurrent requests per installation, shared with
 * the writes' client. Mutations and REST writes keep the write gate exactly
 * as before: one pace per installation, shared through Redis by every
 * instance. The groups have the plugin's ids, so their Redis keys are the ones
 * instances of earlier versions use.
 */

export interface ThrottleOptions {
  Bottleneck?: typeof Bottleneck;
  connection?: Bottleneck.IORedisConnection;
  [key: string]: unknown;
}

/** GraphQL query points a minute an installation spends at most (GitHub's secondary limit is about 2,000). */
export const QUERY_POINTS_PER_MINUTE = 1000;

export interface PacingGroups {
  global: Bottleneck.Group;
  auth: Bottleneck.Group;
  search: Bottleneck.Group;
  write: Bottleneck.Group;
  notifications: Bottleneck.Group;
  /** The read gate: what the queries' client has as its GraphQL ("write") gate. */
  read: Bottleneck.Group;
}

const local = new Map<number, PacingGroups>();
const shared = new WeakMap<object, Map<number, PacingGroups>>();

/** The groups for `pace` (ms between writes; 1000 as GitHub wants it), in this process or in `connection`'s Redis. */
export function pacingGroups(pace: number, throttle: ThrottleOptions | undefined): PacingGroups {
  const connection = throttle?.connection;
  const byPace = connection ? (shared.get(connection) ?? new Map<number, PacingGroups>()) : local;
  if (connection) shared.set(connection, byPace);
  const cached = byPace.get(pace);
  if (cached) return cached;
  const Limiter = throttle?.Bottleneck ?? Bottleneck;
  const common = { timeout: 120_000, ...(connection ? { connection } : {}) };
  const groups: PacingGroups = {
    global: new Limiter.Group({ id: "octokit-global", maxConcurrent: 10, ...common }),
    auth: new Limiter.Group({ id: "octokit-auth", maxConcurrent: 1, ...common }),
    search: new Limiter.Group({ id: "octokit-search", maxConcurrent: 1, minTime: 2 * pace, ...common }),
    write: new Limiter.Group({ id: "octokit-write", maxConcurrent: 1, minTime: pace, ...common }),
    notifications: new Limiter.Group({ id: "octokit-notifications", maxConcurrent: 1, minTime: 3 * pace, ...common }),
    read: new Limiter.Group({
      id: "sep-bot-graphql-read",
      reservoir: QUERY_POINTS_PER_MINUTE,
      reservoirRefreshAmount: QUERY_POINTS_PER_MINUTE,
      reservoirRefreshInterval: 60_000,
      ...common,
    }),
  };
  byPace.set(pace, groups);
  return groups;
}

/**
 * One pace per installation, whichever way its client was made. Probot names
 * the throttling limiter after the installation in `app.auth(id)` (sweeps,
 * the schedule, the site) but not in the client it makes for a webhook's
 * event, which falls into the shared "no-id" limiter: the same installation's
 * writes then went through two limiters that do not wait for each other.
 */
export function throttleId(options: { throttle?: ThrottleOptions; auth?: unknown }): { id?: string } {
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
export function recoverWhenRedisEmpties(connection: Bottleneck.IORedisConnection): void {
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
