import type { IncomingMessage, ServerResponse } from "node:http";
import type { Redis } from "ioredis";
import type { Coordinator } from "../../delivery/coordinator.js";
import type { RetryQueue, RetryStatus } from "../../delivery/retries.js";
import { gitHubHealth, type GitHubHealth } from "../../github/health.js";
import type { LiveSite } from "./live-site.js";

/**
 * `GET /healthz`: whether this instance can take deliveries, and what it
 * knows of what it depends on. 503 while stopping, or while Redis (when the
 * deployment uses it) does not answer: every delivery fails then, so a load
 * balancer and the container's HEALTHCHECK should say so. What GitHub is
 * doing (failures, a rate limit), the reconciles waiting to be retried and
 * the site's age are reported as `degraded` with a reason, with 200:
 * restarting this instance would not mend them. Probot's own `GET /ping`
 * answers PONG whatever happens (liveness).
 */

export interface HealthState {
  stopping: boolean;
  started: number;
  coordinator: Coordinator;
  redis: Redis | null;
  retries: RetryQueue | null;
  site: LiveSite | null;
}

export interface HealthReport {
  status: "ok" | "degraded" | "stopping";
  /** What is wrong, in words (empty when ok). */
  problems: string[];
  reconciling: number;
  uptimeSeconds: number;
  redis?: { ok: true } | { ok: false; error: string };
  github: GitHubHealth;
  retries?: RetryStatus | { error: string };
  site?: unknown;
}

/** How long Redis has to answer a PING before it counts as down. */
const REDIS_PING_MS = 1000;

export async function healthReport(state: HealthState, now = Date.now()): Promise<{ code: number; report: HealthReport }> {
  const problems: string[] = [];
  const [redis, retries, site] = await Promise.all([
    state.redis ? redisHealth(state.redis) : undefined,
    state.retries?.status().catch((error: unknown) => ({ error: (error as Error).message })),
    state.site?.freshness().catch((error: unknown) => ({ error: (error as Error).message })),
  ]);
  if (redis && !redis.ok) problems.push(`Redis does not answer (${redis.error}): deliveries fail until it does, then run again when GitHub redelivers them or their pull request's next event comes`);
  const github = gitHubHealth(now);
  if (github.rateLimitedUntil) problems.push(`GitHub rate-limits this installation until ${github.rateLimitedUntil}: writes wait until then`);
  else if (github.failingInARow >= 3 && github.lastFailure) problems.push(`GitHub failed the last ${github.failingInARow} requests (${github.lastFailure.status ?? "no answer"}: ${github.lastFailure.message})`);
  if (retries && "pending" in retries && retries.pending > 0) problems.push(`${retries.pending} failed reconcile${retries.pending === 1 ? " waits" : "s wait"} to be retried (next at ${retries.nextAt})`);
  const down = state.stopping || (redis !== undefined && !redis.ok);
  const report: HealthReport = {
    status: state.stopping ? "stopping" : problems.length ? "degraded" : "ok",
    problems,
    reconciling: state.coordinator.active,
    uptimeSeconds: Math.floor((now - state.started) / 1000),
    ...(redis ? { redis } : {}),
    github,
    ...(retries ? { retries } : {}),
    ...(site !== undefined ? { site } : {}),
  };
  return { code: down ? 503 : 200, report };
}

export async function healthRoute(req: IncomingMessage, res: ServerResponse, state: HealthState): Promise<boolean> {
  if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/healthz") return false;
  const { code, report } = await healthReport(state);
  res.writeHead(code, { "content-type": "application/json", "cache-control": "no-store" }).end(`${JSON.stringify(report)}\n`);
  return true;
}

async function redisHealth(redis: Redis): Promise<{ ok: true } | { ok: false; error: string }> {
  if (redis.status !== "ready") return { ok: false, error: `connection ${redis.status}` };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to PING within ${REDIS_PING_MS} ms`)), REDIS_PING_MS)));
  try {
    await Promise.race([redis.ping(), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
