/**
 * Who runs a command: the command line (its flags and environment) or the
 * GitHub Action (its inputs). A message tells people what to change in the
 * words of what they can change: `GITHUB_TOKEN` on the command line, the
 * `token` input in the Action. And the Action runs without a server, so its
 * check runs offer no "Fix these" button: GitHub sends the press only to the
 * App that made the check run (its webhook), never to a workflow.
 */
export interface Caller {
  /** What to do when GitHub refuses the token (401). */
  validToken: string;
  /** What to do when GitHub refuses a request for want of a permission (403). */
  permissions: string;
  /** What gives an exact sweep preview: the App's own identity. */
  appIdentity: string;
  /** Which token dispatches the sweep's next run. */
  dispatchToken: string;
  /** Check runs offer "Fix these": only where an App server receives the press. */
  fixButton: boolean;
}

export const COMMAND_LINE: Caller = {
  validToken: "set GITHUB_TOKEN to a token that is still valid, or give the App's APP_ID and PRIVATE_KEY instead",
  permissions: "the token (GITHUB_TOKEN, or the App's installation) lacks a permission this needs; the README lists what each command needs",
  appIdentity: "the App's credentials (APP_ID and PRIVATE_KEY)",
  dispatchToken: "SEP_BOT_DISPATCH_TOKEN, else GITHUB_TOKEN",
  fixButton: true,
};

export const ACTION: Caller = {
  validToken: "give the `token` input a valid token: an App token from actions/create-github-app-token made earlier in the same job (it lasts an hour), or the workflow's own `github.token` (the default)",
  permissions: "the `token` input's token lacks a permission this needs (for the workflow's own token, add it to the job's `permissions:`); the README lists what each command needs",
  appIdentity: "an App token from actions/create-github-app-token as the `token` input",
  dispatchToken: "SEP_BOT_DISPATCH_TOKEN, else the `token` input",
  fixButton: false,
};

/**
 * GitHub refusing the token (401) or a permission (403, not a rate limit),
 * anywhere in what an error wraps, said with the next step in the caller's
 * words; null for any other failure.
 */
export function refusal(error: unknown, caller: Caller): string | null {
  const status = refusedStatus(error);
  if (status === 401) return `GitHub refused the token (401): ${caller.validToken}`;
  if (status === 403) return `GitHub refused a request (403): ${caller.permissions}`;
  return null;
}

/** 401 or 403 (not a rate limit), from an error or anything it wraps; null otherwise. */
export function refusedStatus(error: unknown): number | null {
  if (!(error instanceof Error)) return null;
  const status = (error as { status?: unknown }).status;
  if ((status === 401 || status === 403) && !/rate limit/i.test(error.message)) return status;
  for (const inner of error instanceof AggregateError ? error.errors : []) {
    const found = refusedStatus(inner);
    if (found) return found;
  }
  return refusedStatus(error.cause);
}
