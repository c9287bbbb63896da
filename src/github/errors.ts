/**
 * Errors the GitHub layer turns API failures into, so the app can decide what
 * to do (explain, re-read and retry, or fail loudly) without knowing HTTP.
 */

/**
 * GitHub refused the push: the token may not write to the head repository
 * (403/404: a fork without "Allow edits by maintainers", an organisation
 * fork, a deleted fork), or the ref update was rejected for a reason other
 * than a race (422: a protected branch, a missing ref). Retrying will not help;
 * the plan should explain what the author has to do instead.
 */
export class PushDeniedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "PushDeniedError";
  }
}

/**
 * The head branch no longer points at the commit the plan was made for
 * (someone pushed meanwhile). Nothing was changed: re-read and plan again.
 */
export class BranchMovedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BranchMovedError";
  }
}

/** The HTTP status of an Octokit `RequestError`, or undefined for anything else (network, bug). */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's own explanation (`{"message": ...}` in the response body), else the error's message. */
export function apiMessage(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const data = (error as { response?: { data?: unknown } }).response?.data;
  if (typeof data === "object" && data !== null) {
    const message = (data as { message?: unknown }).message;
    if (typeof message === "string" && message) return message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A rate limit answer (403/429 that says so, or carries `retry-after` or an
 * exhausted `x-ratelimit-remaining`): transient, never a refusal to explain.
 */
export function isRateLimited(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== 403 && status !== 429) return false;
  if (status === 429) return true;
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } }).response?.headers ?? {};
  if (headers["retry-after"] !== undefined || headers["x-ratelimit-remaining"] === "0") return true;
  return /rate limit/i.test(apiMessage(error));
}

/** A refusal to write (403/404/422) that is not a rate limit. */
export function isRefusal(error: unknown): boolean {
  const status = httpStatus(error);
  return (status === 403 || status === 404 || status === 422) && !isRateLimited(error);
}
