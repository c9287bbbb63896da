import { z } from "zod";
import type { AuditEntry } from "./snapshot.js";

/**
 * The bot's memory, kept in a hidden block of its status comment: an audit
 * log of what it did and why. Anyone with write access can edit the comment,
 * so it is parsed with zod and used only as a record, never as authority.
 */
export const STATUS_MARKER = "<!-- sep-bot:status -->";
/** Ends each reply to commands: `<!-- sep-bot:reply c=<comment id> k=<line keys> -->`, so a retry finds it. */
export const REPLY_MARKER = /<!-- sep-bot:reply ([a-z0-9=, .-]{1,200}) -->/g;
export const replyMarker = (key: string) => `<!-- sep-bot:reply ${key} -->`;

/** Ends each reminder: `<!-- sep-bot:ping c=<clock> s=<step> to=<logins> -->`; the comment's time is when it was sent. */
const PING_MARKER = /<!-- sep-bot:ping c=([a-z0-9-]{1,40}) s=(\d{1,3}) to=([A-Za-z0-9_,-]{0,400}) -->/;
export const pingMarker = (clock: string, step: number, to: readonly string[]) => `<!-- sep-bot:ping c=${clock} s=${step} to=${to.join(",")} -->`;
export function readPingMarker(body: string, at: string): { clock: string; step: number; to: string[]; at: string } | null {
  const m = PING_MARKER.exec(body);
  return m && at ? { clock: m[1]!, step: Number(m[2]), to: m[3] ? m[3].split(",") : [], at } : null;
}
/** The pseudo-clock of the first status comment's @mentions: it counts for the cooldown, never as a step. */
export const FIRST_CONTACT = "first-contact";
const STATE_OPEN = "<!-- sep-bot:state ";
const STATE_CLOSE = " -->";
const MAX_LOG = 20;

const AuditEntrySchema = z.object({
  at: z.string().max(40),
  by: z.string().max(100).nullable(),
  what: z.string().max(500),
});

/** The command lines of one comment that have run (their keys), so that a re-read or an edit never runs one twice. */
const HandledSchema = z.object({
  c: z.number().int().positive(),
  k: z.array(z.string().regex(/^[0-9a-f]{8}$/)).max(40),
  at: z.string().max(40),
  /** The comment's `lastEditedAt` as GitHub showed it then: an edit since changes it. */
  e: z.string().max(40).nullable().default(null),
});

/** The status last set by an authorised hand (a command or a label), to word a pending file update without blame. */
const ApprovedSchema = z.object({
  state: z.string().max(40),
  by: z.string().max(100),
  via: z.string().max(80),
  at: z.string().max(40),
  /** The preamble lines that make the file say so, when the bot could not write them. */
  lines: z.array(z.string().max(300)).max(6).default([]),
});

/** A reminder sent (its comment also carries a marker): which clock and step, to whom, when. */
const PingSchema = z.object({
  clock: z.string().max(40),
  step: z.number().int().min(0).max(100),
  to: z.array(z.string().max(100)).max(20),
  at: z.string().max(40),
});

/**
 * What the bot last read of the SEP, so the sweep and the digest can see every
 * SEP without reading every file: a summary, rewritten at each reconcile.
 */
const SummarySchema = z.object({
  state: z.string().max(40).nullable(),
  status: z.string().max(40).nullable(),
  type: z.string().max(40).nullable(),
  title: z.string().max(200).nullable(),
  sponsor: z.string().max(100).nullable(),
  referenceImplementation: z.boolean().nullable(),
  conformance: z.boolean().nullable(),
  checks: z.enum(["success", "failure"]).nullable(),
  votes: z.object({ yes: z.number().int().min(0), no: z.number().int().min(0), abstain: z.number().int().min(0) }).nullable(),
  /** The deadlines the comment shows (`<date> <clock>:<step>`): the sweep re-plans a SEP whose deadlines moved (a rules change). */
  deadlines: z.array(z.string().max(80)).max(20).default([]),
  paused: z.boolean().default(false),
  /** The state label the bot left on the PR, and the state its clocks ran in: what the sweep compares. */
  label: z.string().max(100).nullable().default(null),
  clock: z.string().max(40).nullable().default(null),
  /** An accepted SEP's road to Final: one line, whether nothing required is missing, and what was read of the conformance repository (the sweep re-plans when it moves). */
  final: z
    .object({
      summary: z.string().max(300),
      ready: z.boolean(),
      key: z.string().max(100).nullable(),
      /** The SEP's number, when it is not its pull request's (its traceability file is named after it). */
      sep: z.number().int().positive().optional(),
    })
    .nullable()
    .optional(),
});
export type SepSummary = z.infer<typeof SummarySchema>;

/**
 * The PR's state labels and its file disagreed when sep-bot first met it (set
 * before sep-bot was there): taken as they were and said in the status
 * comment, never judged as a change, until one of them moves.
 */
const AdoptedSchema = z.object({
  file: z.string().max(40).nullable(),
  labels: z.array(z.string().max(100)).max(10),
  at: z.string().max(40),
});
export type Adopted = z.infer<typeof AdoptedSchema>;

/**
 * A sponsor taken as sep-bot found them at first contact: a maintainer the
 * Sponsor field names, not assigned, on a pull request whose state label (set
 * before sep-bot, by the previous automation or a maintainer) is the file's
 * status. They sponsor the SEP while the field names them; it grants nothing
 * an assignment would not, and lapses when the field stops naming them.
 */
const FoundSponsorSchema = z.object({
  login: z.string().max(100),
  at: z.string().max(40),
});
export type FoundSponsor = z.infer<typeof FoundSponsorSchema>;

/** A reminder sent inside the status comment (first contact: one message, not two), shown there while its clock runs. */
const NoticeSchema = z.object({
  clock: z.string().max(40),
  at: z.string().max(40),
  text: z.string().max(2000),
});
export type Notice = z.infer<typeof NoticeSchema>;

/**
 * Implementation across the SDKs (governance/sdks/): asked for (on acceptance,
 * or `/track`), what maintainers said needs nothing, the umbrella issue here,
 * and each selected SDK's issue with its state as last read: the sweep
 * compares that with the issues' states now and re-plans a SEP whose moved.
 */
const TrackedSdkSchema = z.object({
  repo: z.string().max(140),
  /** Its issue there (filed by sep-bot, or a person's adopted); null when none is. */
  number: z.number().int().positive().nullable(),
  adopted: z.boolean().default(false),
  state: z.enum(["open", "done", "not-planned", "not-filed", "no-access", "not-needed"]),
  /** When sep-bot last found it could not write there (retried after `sdks.retryNoAccessDays`, or at `/track`). */
  at: z.string().max(40).nullable().default(null),
});
export type TrackedSdk = z.infer<typeof TrackedSdkSchema>;

const TrackingSchema = z.object({
  requested: z.object({ by: z.string().max(100).nullable(), at: z.string().max(40), via: z.string().max(80) }),
  /** A maintainer said no SDK needs anything: nothing is filed. */
  none: z.object({ by: z.string().max(100), at: z.string().max(40), reason: z.string().max(300) }).nullable().default(null),
  /** SDKs a maintainer said need nothing (by repository). */
  skip: z.array(z.object({ repo: z.string().max(140), by: z.string().max(100), at: z.string().max(40), reason: z.string().max(300) })).max(50).default([]),
  umbrella: z.number().int().positive().nullable().default(null),
  sdks: z.array(TrackedSdkSchema).max(50).default([]),
  release: z.string().max(60).nullable().default(null),
  /** When every required SDK was first seen done (the sponsor was told then, once). */
  done: z.string().max(40).nullable().default(null),
  /** A hash of the umbrella's list as sep-bot last wrote it: rewritten only when it changes. */
  umbrellaBlock: z.string().max(20).nullable().default(null),
  /** When sep-bot last found it may not open the umbrella issue here (tried again like an SDK repository). */
  umbrellaNoAccess: z.string().max(40).nullable().optional(),
});
export type Tracking = z.infer<typeof TrackingSchema>;

export const BotStateSchema = z.object({
  v: z.literal(1),
  log: z.array(AuditEntrySchema).max(200),
  commands: z.array(HandledSchema).max(500).default([]),
  approved: ApprovedSchema.nullable().default(null),
  pings: z.array(PingSchema).max(100).default([]),
  sep: SummarySchema.nullable().default(null),
  adopted: AdoptedSchema.nullable().default(null),
  notice: NoticeSchema.nullable().default(null),
  foundSponsor: FoundSponsorSchema.nullable().default(null),
  tracking: TrackingSchema.nullable().optional(),
});
export type BotState = z.infer<typeof BotStateSchema>;
export type Approved = z.infer<typeof ApprovedSchema>;

/**
 * The state of a PR the bot has no record of. Frozen, arrays included: it is
 * shared by every caller (and, in one process, every repository), so a push
 * into it would leak one PR's record into another's.
 */
export const EMPTY_STATE: BotState = Object.freeze({
  v: 1 as const,
  log: Object.freeze([]) as unknown as BotState["log"],
  commands: Object.freeze([]) as unknown as BotState["commands"],
  approved: null,
  pings: Object.freeze([]) as unknown as BotState["pings"],
  sep: null,
  adopted: null,
  notice: null,
  foundSponsor: null,
});
const MAX_PINGS = 30;
const MAX_HANDLED = 200;

/**
 * Reads the hidden block. Each part is checked on its own and each bad entry
 * dropped, so one odd line (edited by hand, from an older version) never costs
 * the rest; anything unreadable as a whole gives an empty state.
 */
export function readState(body: string | null | undefined): BotState {
  if (!body) return EMPTY_STATE;
  const start = body.indexOf(STATE_OPEN);
  if (start === -1) return EMPTY_STATE;
  const end = body.indexOf(STATE_CLOSE, start + STATE_OPEN.length);
  if (end === -1) return EMPTY_STATE;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body.slice(start + STATE_OPEN.length, end).trim(), "base64").toString("utf8"));
  } catch {
    return EMPTY_STATE;
  }
  if (typeof raw !== "object" || raw === null || (raw as { v?: unknown }).v !== 1) return EMPTY_STATE;
  const record = raw as Record<string, unknown>;
  const entries = <T>(value: unknown, schema: z.ZodType<T>): T[] => (Array.isArray(value) ? value.flatMap((item) => { const r = schema.safeParse(item); return r.success ? [r.data] : []; }) : []);
  const one = <T>(value: unknown, schema: z.ZodType<T>): T | null => { const r = schema.safeParse(value); return r.success ? r.data : null; };
  return {
    v: 1,
    log: entries(record.log, AuditEntrySchema).slice(-200),
    commands: entries(record.commands, HandledSchema).slice(-500),
    approved: one(record.approved, ApprovedSchema),
    pings: entries(record.pings, PingSchema).slice(-100),
    sep: one(record.sep, SummarySchema),
    adopted: one(record.adopted, AdoptedSchema),
    notice: one(record.notice, NoticeSchema),
    foundSponsor: one(record.foundSponsor, FoundSponsorSchema),
    ...trackingOf(one(record.tracking, TrackingSchema)),
  };
}

/** The record's tracking, when it has one (absent, as a state without it was written). */
function trackingOf(tracking: Tracking | null): { tracking?: Tracking } {
  return tracking ? { tracking } : {};
}

/** base64 keeps `-->` and any markdown in the entries from breaking out of the HTML comment. */
export function writeState(state: BotState): string {
  const json = JSON.stringify({
    v: 1,
    log: state.log.slice(-MAX_LOG),
    commands: state.commands.slice(-MAX_HANDLED),
    approved: state.approved,
    pings: state.pings.slice(-MAX_PINGS),
    sep: state.sep,
    ...(state.adopted ? { adopted: state.adopted } : {}),
    ...(state.notice ? { notice: state.notice } : {}),
    ...(state.foundSponsor ? { foundSponsor: state.foundSponsor } : {}),
    ...(state.tracking ? { tracking: state.tracking } : {}),
  });
  return `${STATE_OPEN}${Buffer.from(json, "utf8").toString("base64")}${STATE_CLOSE}`;
}

/** Entries are clipped to what the schema keeps, so a long file name cannot make the block unreadable. */
export function withEntries(state: BotState, entries: readonly AuditEntry[]): BotState {
  const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const fitted = entries.map((e) => ({ at: e.at.slice(0, 40), by: e.by === null ? null : clip(e.by, 100), what: clip(e.what, 500) }));
  return fitted.length ? { ...state, log: [...state.log, ...fitted].slice(-MAX_LOG) } : state;
}

/** The keys of the command lines of a comment that have run. */
export function handledKeys(state: BotState, commentId: number): Set<string> | null {
  const entries = state.commands.filter((h) => h.c === commentId);
  return entries.length ? new Set(entries.flatMap((h) => h.k)) : null;
}

export function withHandled(state: BotState, commentId: number, keys: readonly string[], at: string, editedAt: string | null): BotState {
  if (keys.length === 0) return state;
  const known = handledKeys(state, commentId) ?? new Set<string>();
  const fresh = keys.filter((k) => !known.has(k));
  if (fresh.length === 0) return state;
  return { ...state, commands: [...state.commands, { c: commentId, k: fresh.slice(0, 40), at, e: editedAt }].slice(-MAX_HANDLED) };
}

/** The comment as it was when its lines were last recorded: unchanged since means nothing new to run. */
export function unchangedSinceHandled(state: BotState, commentId: number, editedAt: string | null): boolean {
  const last = state.commands.filter((h) => h.c === commentId).at(-1);
  return !!last && last.e === editedAt;
}
