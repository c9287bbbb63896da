import { z } from "zod";
import type { AuditEntry } from "./snapshot.js";

/**
 * The bot's memory, kept in a hidden block of its status comment: an audit
 * log of what it did and why. Anyone with write access can edit the comment,
 * so it is parsed with zod and used only as a record, never as authority.
 */
export const STATUS_MARKER = "<!-- sep-bot:status -->";
const STATE_OPEN = "<!-- sep-bot:state ";
const STATE_CLOSE = " -->";
const MAX_LOG = 20;

const AuditEntrySchema = z.object({
  at: z.string().max(40),
  by: z.string().max(100).nullable(),
  what: z.string().max(500),
});

export const BotStateSchema = z.object({
  v: z.literal(1),
  log: z.array(AuditEntrySchema).max(200),
});
export type BotState = z.infer<typeof BotStateSchema>;

export const EMPTY_STATE: BotState = { v: 1, log: [] };

/** Reads the hidden block; anything missing, malformed or from another version gives an empty state. */
export function readState(body: string | null | undefined): BotState {
  if (!body) return EMPTY_STATE;
  const start = body.indexOf(STATE_OPEN);
  if (start === -1) return EMPTY_STATE;
  const end = body.indexOf(STATE_CLOSE, start + STATE_OPEN.length);
  if (end === -1) return EMPTY_STATE;
  try {
    const json = Buffer.from(body.slice(start + STATE_OPEN.length, end).trim(), "base64").toString("utf8");
    const parsed = BotStateSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : EMPTY_STATE;
  } catch {
    return EMPTY_STATE;
  }
}

/** base64 keeps `-->` and any markdown in the entries from breaking out of the HTML comment. */
export function writeState(state: BotState): string {
  const json = JSON.stringify({ v: 1, log: state.log.slice(-MAX_LOG) });
  return `${STATE_OPEN}${Buffer.from(json, "utf8").toString("base64")}${STATE_CLOSE}`;
}

export function withEntries(state: BotState, entries: readonly AuditEntry[]): BotState {
  return entries.length ? { v: 1, log: [...state.log, ...entries].slice(-MAX_LOG) } : state;
}
