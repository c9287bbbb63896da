import { apiMessage, httpStatus, isRateLimited } from "./errors.js";

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

export const heard = {
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
    lastAnswerAt: iso(heard.lastAnswerAt),
    lastFailure: heard.lastFailure && { ...heard.lastFailure, at: iso(heard.lastFailure.at)! },
    rateLimitedUntil: heard.rateLimitedUntil !== null && heard.rateLimitedUntil > now ? iso(heard.rateLimitedUntil) : null,
    failingInARow: heard.failingInARow,
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
