import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { Redis } from "ioredis";
import { run } from "probot";
import { sepBot } from "../app.js";
import type { Io } from "../log.js";
import { MemoryCoordinator, type Coordinator } from "../../delivery/coordinator.js";
import { RedisCoordinator } from "../../delivery/redis.js";
import { DEFAULT_RETRY_DELAYS, memoryRetries, redisRetries, type RetryQueue } from "../../delivery/retries.js";
import { healthRoute, type HealthState } from "./health.js";
import { serverLog } from "./log.js";
import { inFlight } from "./in-flight.js";
import { webhookRoute } from "./webhook-route.js";
import { cronError, MemorySweepLock, RedisSweepLock, type SweepLock } from "./schedule.js";
import type { InstalledRepository } from "../../github/installations.js";
import { startWeekly, type Weekly } from "./weekly.js";
import { octokitClass, testPace } from "../../github/client.js";
import { MemorySiteStore, RedisSiteStore, type SiteStore } from "../../delivery/site-store.js";
import { LiveSite } from "./live-site.js";
import { DEFAULT_SITE_REFRESH, startSiteRefresh } from "./site-refresh.js";

/**
 * `sep-bot serve` (and `npm start`): the GitHub App's HTTP server, via
 * Probot's `run`, which reads APP_ID, PRIVATE_KEY(_PATH), WEBHOOK_SECRET, PORT...
 * With no APP_ID it starts Probot's setup page (the manifest flow) instead.
 *
 * With REDIS_URL, several instances behind a load balancer act as one:
 * Probot keeps its request pacing in that Redis (so all instances share
 * GitHub's limits), and sep-bot keeps its per-PR lock, follow-up queue and
 * delivery ids there. Without it, this process is the only instance.
 */

/** Probot silently uses the secret "development" when none is set: refuse that. */
export function webhookSecretProblem(env: NodeJS.ProcessEnv): string | null {
  const configured = !!env.APP_ID && !!(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH);
  if (!configured) return null; // setup mode: the manifest flow will write the secret
  const secret = env.WEBHOOK_SECRET;
  if (!secret || secret === "development") {
    return "WEBHOOK_SECRET is not set (or is Probot's default \"development\"). Set it to the webhook secret of your GitHub App; sep-bot will not accept unsigned or guessable deliveries.";
  }
  if (secret.length < 16) return "WEBHOOK_SECRET is shorter than 16 characters; use a long random secret (e.g. `openssl rand -hex 32`).";
  return null;
}

export interface Coordination {
  coordinator: Coordinator;
  lock: SweepLock;
  siteStore: SiteStore;
  retries: RetryQueue | null;
  /** The deployment's Redis (null: one instance), for the health route. */
  redis: Redis | null;
}

/** The coordinator, the schedule's lock, the site's store and the retries this deployment needs: Redis-backed when REDIS_URL is set. */
export function coordinationFor(env: NodeJS.ProcessEnv, settings: DeliverySettings): Coordination {
  const delaysMs = settings.retryDelays.map((s) => s * 1000);
  if (!env.REDIS_URL) {
    return { coordinator: new MemoryCoordinator(), lock: new MemorySweepLock(), siteStore: new MemorySiteStore(), retries: delaysMs.length ? memoryRetries({ delaysMs }) : null, redis: null };
  }
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 });
  return {
    coordinator: new RedisCoordinator(redis, { lockMs: settings.lockSeconds * 1000 }),
    lock: new RedisSweepLock(redis),
    siteStore: new RedisSiteStore(redis),
    retries: delaysMs.length ? redisRetries(redis, { delaysMs }) : null,
    redis,
  };
}

export interface DeliverySettings {
  /** How long a crashed instance can keep a pull request's lock and a delivery's claim (Redis). */
  lockSeconds: number;
  /** The waits before each retry of a failed reconcile, in seconds ([]: no retries). */
  retryDelays: number[];
}

/** SEP_BOT_LOCK_SECONDS and SEP_BOT_RETRY_DELAYS, or what is wrong with them. */
export function deliverySettings(env: NodeJS.ProcessEnv): DeliverySettings | { problem: string } {
  const lock = Number(env.SEP_BOT_LOCK_SECONDS ?? "30");
  if (!Number.isInteger(lock) || lock < 1 || lock > 600) return { problem: `SEP_BOT_LOCK_SECONDS must be a whole number of seconds from 1 to 600 (got "${env.SEP_BOT_LOCK_SECONDS}")` };
  const delays = env.SEP_BOT_RETRY_DELAYS;
  if (delays === undefined) return { lockSeconds: lock, retryDelays: DEFAULT_RETRY_DELAYS };
  if (delays.trim() === "off") return { lockSeconds: lock, retryDelays: [] };
  const parsed = delays.split(",").map((d) => Number(d.trim()));
  if (parsed.length > 20 || parsed.some((d) => !Number.isInteger(d) || d < 1 || d > 7 * 86_400)) {
    return { problem: `SEP_BOT_RETRY_DELAYS must be "off" or up to 20 waits in seconds, separated by commas, such as "30,120,600" (got "${delays}")` };
  }
  return { lockSeconds: lock, retryDelays: parsed };
}

/** The live site's settings from the environment, or what is wrong with them. */
export interface SiteSettings {
  path: string;
  repo: string | null;
  refresh: string | null;
  showPrivate: boolean;
  patchDelayMs: number;
}

export function siteSettings(env: NodeJS.ProcessEnv): SiteSettings | null | { problem: string } {
  if (env.SEP_BOT_SITE === "off") return null;
  const path = env.SEP_BOT_SITE_PATH ?? "/";
  if (!/^\/?[A-Za-z0-9._~/-]*$/.test(path)) return { problem: `SEP_BOT_SITE_PATH must be a URL path such as /seps/ (got "${path}")` };
  const repo = env.SEP_BOT_SITE_REPO || null;
  if (repo && !/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(repo)) return { problem: `SEP_BOT_SITE_REPO must be owner/name (got "${repo}")` };
  const refreshSetting = env.SEP_BOT_SITE_REFRESH ?? DEFAULT_SITE_REFRESH;
  const refresh = refreshSetting === "off" ? null : refreshSetting;
  const cronProblem = refresh ? cronError(refresh) : null;
  if (cronProblem) return { problem: `SEP_BOT_SITE_REFRESH: ${cronProblem}` };
  const delay = Number(env.SEP_BOT_SITE_PATCH_DELAY_MS ?? "5000");
  if (!Number.isInteger(delay) || delay < 0 || delay > 600_000) return { problem: `SEP_BOT_SITE_PATCH_DELAY_MS must be a whole number of milliseconds from 0 to 600000 (got "${env.SEP_BOT_SITE_PATCH_DELAY_MS}")` };
  return { path, repo, refresh, showPrivate: env.SEP_BOT_SITE_PRIVATE === "true", patchDelayMs: delay };
}

export async function serve(args: string[], io: Io): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.out(`Usage: sep-bot serve

Runs the GitHub App server. Environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH,
WEBHOOK_SECRET (required), PORT (default 3000), DRY_RUN=true to log plans only,
REDIS_URL to run several instances as one (shared pacing, locks, delivery ids and
retries), SEP_BOT_LOCK_SECONDS how long a crashed instance can hold a pull request
(30), SEP_BOT_RETRY_DELAYS the waits in seconds before each retry of a reconcile
GitHub failed ("30,120,600,1800,7200,21600"; "off" for none),
SEP_BOT_SCHEDULE the weekly sweep and digest (cron, UTC; default "0 9 * * 1";
"off" to run them from a workflow instead), SEP_BOT_CHAT_WEBHOOK (and
SEP_BOT_CHAT_FORMAT) to announce the digest in Discord or Slack.
The SEP site is served live at SEP_BOT_SITE_PATH (default "/"; SEP_BOT_SITE=off
to turn it off): SEP_BOT_SITE_REPO the repository shown there (default the only
one), SEP_BOT_SITE_REFRESH its bulk read (cron, UTC; default "${DEFAULT_SITE_REFRESH}"),
SEP_BOT_SITE_PRIVATE=true to show private repositories too, SEP_BOT_SITE_PATCH_DELAY_MS
how long after a reconcile its pull request is read again for the page (5000).
GET /healthz says whether the server can take deliveries (503 while stopping or while
Redis does not answer), what GitHub last did, the reconciles waiting for a retry, and
how old the site's data is. Webhook bodies over GitHub's 25 MB limit are refused.
With no APP_ID, opens Probot's setup page to register the app from app.yml.
`);
    return 0;
  }
  applyDotEnv();
  const problem = webhookSecretProblem(process.env);
  if (problem) {
    io.err(`sep-bot: ${problem}\n`);
    return 2;
  }
  const schedule = process.env.SEP_BOT_SCHEDULE;
  const scheduleProblem = schedule === undefined || schedule === "off" ? null : cronError(schedule);
  if (scheduleProblem) {
    io.err(`sep-bot: SEP_BOT_SCHEDULE: ${scheduleProblem}\n`);
    return 2;
  }
  const siteConfig = siteSettings(process.env);
  if (siteConfig && "problem" in siteConfig) {
    io.err(`sep-bot: ${siteConfig.problem}\n`);
    return 2;
  }
  const delivery = deliverySettings(process.env);
  if ("problem" in delivery) {
    io.err(`sep-bot: ${delivery.problem}\n`);
    return 2;
  }
  const pace = testPace(process.env);
  if (pace !== null) io.err(`sep-bot: requests paced ${pace} ms apart (SEP_BOT_TEST_PACE_MS with NODE_ENV=test): a test setting, never for production\n`);
  const bound = shutdownSeconds(process.env);
  if (bound === null) {
    io.err(`sep-bot: SEP_BOT_SHUTDOWN_SECONDS must be a whole number of seconds from 1 to 3600\n`);
    return 2;
  }
  const { coordinator, lock, siteStore, retries, redis } = coordinationFor(process.env, delivery);
  const output = await serverLog(process.env);
  const health: HealthState = { stopping: false, started: Date.now(), coordinator, redis, retries, site: null };
  const deliveries = inFlight();
  let weekly: Weekly | null = null;
  let siteRefresh: ReturnType<typeof startSiteRefresh> | null = null;
  // Setup mode (no APP_ID or key) never loads the app below: Probot serves its setup page, which takes no webhooks.
  const configured = !!process.env.APP_ID;
  const server = await run(
    (app, { addHandler }) => {
      // Deliveries come through sep-bot's own route (a body limit, nothing unverified logged); Probot's is out of reach.
      // A stop waits for each delivery in flight to be answered, its record written (its claim done) first.
      const route = webhookRoute({ path: process.env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH, probot: app, log: app.log });
      addHandler((req, res) => {
        const handled = route(req, res);
        deliveries.track(handled);
        return handled;
      });
      const site = siteConfig ? new LiveSite({ store: siteStore, log: app.log, path: siteConfig.path, repo: siteConfig.repo, showPrivate: siteConfig.showPrivate, patchDelayMs: siteConfig.patchDelayMs }) : null;
      health.site = site;
      // Install day: the new repositories get their first sweep a minute later (the weekly work's follow-ups, one instance).
      const onInstalled = (targets: InstalledRepository[]) => {
        if (weekly) return weekly.installed(targets);
        app.log.info(`sep-bot: installed on ${targets.map((t) => `${t.owner}/${t.repo}`).join(", ")}; the schedule is off (SEP_BOT_SCHEDULE=off): run \`sep-bot sweep\` there`);
      };
      sepBot({ coordinator, onInstalled, ...(retries ? { retries } : {}), ...(site ? { onReconciled: (octokit, t) => site.touched(octokit, t.owner, t.repo, t.number) } : {}) })(app);
      addHandler((req, res) => healthRoute(req, res, health));
      if (site && siteConfig) {
        siteRefresh = startSiteRefresh(app, { site, lock, cron: siteConfig.refresh, showPrivate: siteConfig.showPrivate });
        addHandler((req, res) => site.handle(req, res));
      }
      const refresher = siteRefresh;
      if (schedule !== "off") weekly = startWeekly(app, { coordinator, lock, ...(refresher ? { afterSweep: (t) => refresher.afterSweep(t) } : {}) });
    },
    { Octokit: octokitClass(null), log: output.log, env: configured ? { ...process.env, WEBHOOK_PATH: PROBOT_WEBHOOK_PATH } : process.env },
  );
  // Probot exits at once on SIGINT; a container is stopped by SIGTERM: both drain first.
  process.removeAllListeners("SIGINT");
  const stop = once(async (signal: string) => {
    health.stopping = true;
    // From here, nothing waits for the log's reader: a pipe nobody reads any more must not keep the process alive.
    output.closing();
    const say = (level: "info" | "warn", message: string) => {
      try {
        output.log[level](message);
      } catch {
        // the log is gone: stopping goes on
      }
    };
    try {
      say("info", `sep-bot: ${signal}: no new deliveries; finishing the ${coordinator.active} reconcile${coordinator.active === 1 ? "" : "s"} in flight (at most ${bound} s)`);
      void server.stop().catch(() => undefined); // stop listening: the load balancer sends deliveries elsewhere
      const finished = await Promise.race([
        Promise.all([coordinator.drain(), deliveries.settled(), retries?.stop(), (weekly as Weekly | null)?.stop(), (siteRefresh as { stop(): Promise<void> } | null)?.stop()])
          .then(() => health.site?.flush())
          .then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), bound * 1000).unref()),
      ]);
      if (!finished) {
        say("warn", `sep-bot: ${coordinator.active} reconcile${coordinator.active === 1 ? "" : "s"} still running after ${bound} s: stopping anyway (every write is recorded as it is made; the next event or sweep finishes the rest)`);
        // The weekly work cut short lets its locks go (the slot, the week's digest), so another instance catches it up.
        await (weekly as Weekly | null)?.abandon().catch(() => undefined);
      }
      await coordinator.close().catch(() => undefined); // lets go of Redis locks still held
      say("info", "sep-bot: stopped");
    } finally {
      process.exit(0);
    }
  });
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
  return 0; // the server keeps the process alive
}

/** Probot's default webhook path, which sep-bot's route serves (WEBHOOK_PATH changes it). */
export const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";
/**
 * Where Probot's own webhook route listens instead: a path no request can
 * have (a URL's path never holds a raw space), so every delivery comes
 * through sep-bot's route.
 */
const PROBOT_WEBHOOK_PATH = "/ unreachable: deliveries go through sep-bot's webhook route";

/** The `.env` file, as Probot loads it (its values win), before anything reads the environment. */
function applyDotEnv(): void {
  let text: string;
  try {
    text = readFileSync(join(process.cwd(), ".env"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  Object.assign(process.env, parseEnv(text));
}

/** How long a stop waits for the reconciles in flight: SEP_BOT_SHUTDOWN_SECONDS, 25 by default (under Kubernetes' 30). */
export function shutdownSeconds(env: NodeJS.ProcessEnv): number | null {
  const value = env.SEP_BOT_SHUTDOWN_SECONDS ?? "25";
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 3600 ? n : null;
}

function once<T extends unknown[]>(fn: (...args: T) => Promise<void>): (...args: T) => Promise<void> {
  let started: Promise<void> | null = null;
  return (...args) => (started ??= fn(...args));
}
