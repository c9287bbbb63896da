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
