import { Redis } from "ioredis";
import { run } from "probot";
import { sepBot } from "./app.js";
import type { Io } from "./log.js";
import { MemoryCoordinator, type Coordinator } from "../delivery/coordinator.js";
import { RedisCoordinator } from "../delivery/redis.js";
import { cronError, MemorySweepLock, RedisSweepLock, type SweepLock } from "./schedule.js";
import { startWeekly } from "./weekly.js";

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
  await run((app) => {
    sepBot({ coordinator })(app);
    // Setup mode (no APP_ID) has no installations to sweep.
    if (process.env.APP_ID && schedule !== "off") startWeekly(app, { coordinator, lock });
  });
  return 0; // the server keeps the process alive
}
