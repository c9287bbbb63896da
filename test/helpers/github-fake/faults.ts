import type { GitHubState } from "./state.js";

/**
 * Fault injection: GitHub's answers when things go wrong (a 5xx, a
 * secondary rate limit, a refusal), and `Fault`, the Nth request matching a
 * path (or GraphQL operation) answering one of them or running a side
 * effect first ("another push lands while the bot commits"). `Faults` keeps
 * the injected ones and says which applies to a request; `withFault` serves
 * a request under it. `GitHubFake.inject()` (server.ts) is the way in.
 */

/** An answer: status, JSON body, headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** GitHub's 5xx. */
export const serverError = (): Reply => ({ status: 500, body: { message: "Server Error" } });
/** What GitHub answers when an installation writes too fast. */
export const secondaryRateLimit = (retryAfterSeconds = 60): Reply => ({
  status: 403,
  body: {
    message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
  },
  headers: { "retry-after": String(retryAfterSeconds), "x-ratelimit-remaining": "4321" },
});
export const unprocessable = (message = "Validation Failed"): Reply => ({ status: 422, body: { message } });
export const forbidden = (message = "Resource not accessible by integration"): Reply => ({ status: 403, body: { message } });

export interface Fault {
  method?: string;
  /** An exact path (no query string), or a pattern tested against it. */
  path: string | RegExp;
  /** Only GraphQL requests of this operation (with path "/graphql"). */
  operation?: string;
  /** Which matching request (1-based) is affected; default 1. */
  nth?: number;
  /** How many consecutive matching requests from the nth on; default 1. */
  times?: number;
  /** The answer instead of the normal one. Without it, the request is served normally (after `before`). */
  reply?: Reply;
  /** Perform the request first (GitHub did the write), then answer `reply` anyway. */
  afterWrite?: boolean;
  /** Runs before the request is served, e.g. to let another push land; a promise it returns is awaited first. */
  before?: (fake: GitHubState) => void | Promise<void>;
}

/** The injected faults, each counting the requests it matches. */
export class Faults {
  private faults: Array<Fault & { seen: number }> = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, seen: 0 });
  }

  /** GitHub recovers: every injected fault is forgotten. */
  clear(): void {
    this.faults = [];
  }

  /** Every fault counts the requests it matches; the first one due applies (undefined: none). */
  due(method: string, path: string, operation: string | undefined): Fault | undefined {
    let fault: Fault | undefined;
    for (const f of this.faults) {
      if (f.method && f.method !== method) continue;
      if (typeof f.path === "string" ? f.path !== path : !f.path.test(path)) continue;
      if (f.operation && f.operation !== operation) continue;
      f.seen++;
      const first = f.nth ?? 1;
      if (!fault && f.seen >= first && f.seen < first + (f.times ?? 1)) fault = f;
    }
    return fault;
  }
}

/**
 * A request served under `fault`: its side effect first, then its reply
 * instead of serving (or after serving, with `afterWrite`); without a fault,
 * just served.
 */
export async function withFault(fault: Fault | undefined, fake: GitHubState, serve: () => Promise<Reply>): Promise<Reply> {
  await fault?.before?.(fake);
  if (fault?.reply && !fault.afterWrite) return fault.reply;
  const reply = await serve();
  return fault?.reply ?? reply;
}
