import type { IncomingMessage, ServerResponse } from "node:http";
import { Redis } from "ioredis";
import { run } from "probot";
import { sepBot } from "./app.js";
import type { Io } from "./log.js";
import { MemoryCoordinator, type Coordinator } from "../delivery/coordinator.js";
import { RedisCoordinator } from "../delivery/redis.js";
import { cronError, MemorySweepLock, RedisSweepLock, type SweepLock } from "./schedule.js";
import { startWeekly } from "./weekly.js";
import { octokitClass, testPace } from "../github/client.js";

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

/** The coordinator and the weekly lock this deployment needs: Redis-backed when REDIS_URL is set. */
export function coordinationFor(env: NodeJS.ProcessEnv): { coordinator: Coordinator; lock: SweepLock } {
  if (!env.REDIS_URL) return { coordinator: new MemoryCoordinator(), lock: new MemorySweepLock() };
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 });
  return { coordinator: new RedisCoordinator(redis), lock: new RedisSweepLock(redis) };
}

export async function serve(args: string[], io: Io): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.out(`Usage: sep-bot serve

Runs the GitHub App server. Environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH,
WEBHOOK_SECRET (required), PORT (default 3000), DRY_RUN=true to log plans only,
REDIS_URL to run several instances as one (shared pacing, locks and delivery ids),
SEP_BOT_SCHEDULE the weekly sweep and digest (cron, UTC; default "0 9 * * 1";
"off" to run them from a workflow instead), SEP_BOT_CHAT_WEBHOOK (and
SEP_BOT_CHAT_FORMAT) to announce the digest in Discord or Slack.
With no APP_ID, opens Probot's setup page to register the app from app.yml.
`);
    return 0;
  }
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
  const { coordinator, lock } = coordinationFor(process.env);
  const pace = testPace(process.env);
  if (pace !== null) io.err(`sep-bot: requests paced ${pace} ms apart (SEP_BOT_TEST_PACE_MS with NODE_ENV=test): a test setting, never for production\n`);
  const bound = shutdownSeconds(process.env);
  if (bound === null) {
    io.err(`sep-bot: SEP_BOT_SHUTDOWN_SECONDS must be a whole number of seconds from 1 to 3600\n`);
    return 2;
  }
  const health = { stopping: false, started: Date.now() };
  let weekly: { stop(): Promise<void> } | null = null;
  let log: { info(msg: string): void; warn(msg: string): void } = { info: (m) => io.out(`${m}\n`), warn: (m) => io.err(`${m}\n`) };
  const server = await run(
    (app, { addHandler }) => {
      log = { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m) };
      sepBot({ coordinator })(app);
      addHandler((req, res) => healthRoute(req, res, health, coordinator));
      // Setup mode (no APP_ID) has no installations to sweep.
      if (process.env.APP_ID && schedule !== "off") weekly = startWeekly(app, { coordinator, lock });
    },
    { Octokit: octokitClass(null) },
  );
  // Probot exits at once on SIGINT; a container is stopped by SIGTERM: both drain first.
  process.removeAllListeners("SIGINT");
  const stop = once(async (signal: string) => {
    health.stopping = true;
    const say = (level: "info" | "warn", message: string) => log[level](message);
    say("info", `sep-bot: ${signal}: no new deliveries; finishing the ${coordinator.active} reconcile${coordinator.active === 1 ? "" : "s"} in flight (at most ${bound} s)`);
    void server.stop().catch(() => undefined); // stop listening: the load balancer sends deliveries elsewhere
    const finished = await Promise.race([
      Promise.all([coordinator.drain(), (weekly as { stop(): Promise<void> } | null)?.stop()]).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), bound * 1000).unref()),
    ]);
    if (!finished) say("warn", `sep-bot: ${coordinator.active} reconcile${coordinator.active === 1 ? "" : "s"} still running after ${bound} s: stopping anyway (every write is recorded as it is made; the next event or sweep finishes the rest)`);
    await coordinator.close().catch(() => undefined); // lets go of Redis locks still held
    say("info", "sep-bot: stopped");
    process.exit(0);
  });
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
  return 0; // the server keeps the process alive
}

/** How long a stop waits for the reconciles in flight: SEP_BOT_SHUTDOWN_SECONDS, 25 by default (under Kubernetes' 30). */
export function shutdownSeconds(env: NodeJS.ProcessEnv): number | null {
  const value = env.SEP_BOT_SHUTDOWN_SECONDS ?? "25";
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 3600 ? n : null;
}

/**
 * `GET /healthz`: 200 while serving, 503 once stopping (so a load balancer
 * and the container's HEALTHCHECK take this instance out), with what it is
 * doing. Probot's own `GET /ping` answers PONG either way.
 */
function healthRoute(req: IncomingMessage, res: ServerResponse, health: { stopping: boolean; started: number }, coordinator: Coordinator): boolean {
  if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/healthz") return false;
  const body = { status: health.stopping ? "stopping" : "ok", reconciling: coordinator.active, uptimeSeconds: Math.floor((Date.now() - health.started) / 1000) };
  res.writeHead(health.stopping ? 503 : 200, { "content-type": "application/json", "cache-control": "no-store" }).end(`${JSON.stringify(body)}\n`);
  return true;
}

function once<T extends unknown[]>(fn: (...args: T) => Promise<void>): (...args: T) => Promise<void> {
  let started: Promise<void> | null = null;
  return (...args) => (started ??= fn(...args));
}
