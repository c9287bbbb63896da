import { Cron } from "croner";

/** Cron expressions as the rules and the server's schedule read them: croner's, always in UTC. */

// A job without a function never starts a timer: just the parsed pattern.
const pattern = (expression: string) => new Cron(expression, { timezone: "UTC" });

/** null when croner accepts `expression` (in UTC), else a one-line message. */
export function cronError(expression: string): string | null {
  try {
    // croner also takes an ISO date as a run-once job: not a schedule.
    if (pattern(expression).getPattern() === undefined) return `"${expression}" is a date, not a cron expression`;
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/^CronPattern: /, "").replace(/\s+/g, " ");
  }
}

/** The first run strictly after `from`, or null if there is none. */
export function nextRun(expression: string, from: Date): Date | null {
  return pattern(expression).nextRun(from);
}
