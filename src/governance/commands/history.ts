import type { PersonComment } from "../model/snapshot.js";
import type { Trigger } from "../model/trigger.js";
import { withHandled, type BotState } from "../model/record.js";
import { lineKey } from "./evaluate.js";
import { parseCommands } from "./parse.js";

/**
 * First contact: commands people wrote before sep-bot met a pull request are
 * history, not requests to it. Run on install day, a maintainer's `/review`
 * from fifty days ago would move the SEP today, and an author's old
 * `/sponsor` would get a refusal nobody asked for. So each such comment's
 * lines are recorded as handled, without running them: no reaction, no
 * reply, nothing changed; an edit later runs only the lines it adds.
 *
 * What still runs: the comments of the trigger that woke sep-bot (a command
 * is how it may first hear of a pull request), every comment when the
 * trigger is the pull request being opened (sep-bot was there from the
 * start), and comments from the last `RECENT_MS` (written while sep-bot was
 * there; their webhook may still be on its way).
 */
export const RECENT_MS = 10 * 60_000;

export interface History {
  state: BotState;
  /** How many comments with commands were taken as history. */
  comments: number;
}

export function recordHistory(state: BotState, discussion: readonly PersonComment[], trigger: Trigger, now: Date): History {
  if (trigger.events.some((e) => e === "pull_request.opened")) return { state, comments: 0 };
  const woke = new Set(trigger.comments);
  let recorded = state;
  let comments = 0;
  for (const comment of discussion) {
    if (woke.has(comment.id) || Date.parse(comment.createdAt) > now.getTime() - RECENT_MS) continue;
    const keys = [...new Set(parseCommands(comment.body).map(lineKey))];
    if (keys.length === 0) continue;
    recorded = withHandled(recorded, comment.id, keys, now.toISOString(), comment.editedAt);
    comments++;
  }
  return { state: recorded, comments };
}
