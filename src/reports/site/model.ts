/**
 * The SEP site's data: what `seps.json` holds (version 2, documented in
 * docs/seps-json.md and docs/seps-v2.schema.json; version 1, replaced, is
 * docs/seps.schema.json) and what the pages and the feed are drawn from.
 * Built by build.ts from the sweep's bulk read (with each open SEP pull
 * request's file at its head) and the SEP files on the default branch; a pure
 * function of them and `now`, so the same state and time give the same bytes.
 */

/** Where the schema of this version is published (also its `$id`); version 1's stays at docs/seps.schema.json. */
export const SITE_SCHEMA_URL = "https://raw.githubusercontent.com/modelcontextprotocol/sep-bot/main/docs/seps-v2.schema.json";
export const SITE_VERSION = 2;
/** Deadlines shown on the dashboard: those falling within this many days. */
export const DEADLINE_WINDOW_DAYS = 30;
/** The feed: changes of the last this many days (as far as the read goes back), newest first. */
export const CHANGES_WINDOW_DAYS = 60;
/** ...and at most this many. */
export const MAX_CHANGES = 100;

export interface SitePerson {
  /** As written in the file (or the maintainers file's name for a login alone), or null. */
  name: string | null;
  /** GitHub login without `@`, as GitHub shows it; null for a name no login is known for. */
  login: string | null;
}

/** Whose move it is on a SEP: a named person, a group, and since when. */
export interface SiteNext {
  /** `sponsor`, `author`, `core-maintainers` (the voting role), `maintainers` (any maintainer, e.g. to sponsor it). */
  whose: "sponsor" | "author" | "core-maintainers" | "maintainers";
  /** The people named (logins); empty when anyone of the group may act. */
  logins: string[];
  /** What they are to do, one sentence. */
  step: string;
  /** Since when it has been theirs (ISO), null when unknown. */
  since: string | null;
}

export interface SiteVotes {
  yes: number;
  no: number;
  abstain: number;
  /** Each voter's latest vote, in the order they voted; null when only the counts are known. */
  cast: Array<{ login: string; vote: "yes" | "no" | "abstain" }> | null;
  /** Who may vote and has not (sorted); null when unknown. */
  notVoted: string[] | null;
}

export interface SiteDeadline {
  /** YYYY-MM-DD. */
  date: string;
  /** `reminder` (a nudge), `warning` (the dated notice before an act), `dormancy` (the act). */
  kind: "reminder" | "warning" | "dormancy";
  /** What happens, in the rules' words. */
  what: string;
  /** Who is told (logins). */
  to: string[];
}

export interface SiteSep {
  number: number;
  /** As people read it: the file's title with its markdown read (`\_meta` is `_meta`). */
  title: string;
  /** Process state id (the rules' status ids; `proposal` is "awaiting a sponsor"); null when unknown. */
  status: string | null;
  /** Type id (`standards-track`...), null when unknown. */
  type: string | null;
  /** Every author the file names (for an open pull request, its file at the head). */
  authors: SitePerson[];
  /** Every sponsor the file names (a name resolved to a maintainer's login), and the one sep-bot recognised. */
  sponsors: SitePerson[];
  /** YYYY-MM-DD: the file's Created field, else the day its pull request was opened. */
  created: string | null;
  /** The last thing a person (not a bot) did on its open pull request (ISO); null without one. */
  lastActivity: string | null;
  /** When it entered its status (ISO), known for open pull requests; null otherwise. */
  statusSince: string | null;
  /** Whole days in its status at `generatedAt`, null when `statusSince` is. */
  daysInStatus: number | null;
  /** Its pull request: the open one (the live state), else the one the file names. */
  pullRequest: { number: number; url: string; open: boolean } | null;
  /** Its file: on the default branch, else at the open pull request's head (path null when unknown: the link is the changes). */
  file: { path: string | null; url: string; onDefaultBranch: boolean };
  /** Its rendered page in the project's documentation (`links.sepPage`), for a file on the default branch; else null. */
  page: string | null;
  /**
   * sep-bot has checked it: its status comment records the SEP and its check ran on the head. False: not
   * yet (no record: install day, or deferred by the write budget; or a push since), the row is as the file
   * says. Null without an open pull request.
   */
  checked: boolean | null;
  /** The state its file says, read as `status` reads a file (`proposal` while it names no sponsor): it differs when labels and file disagree. Null when unknown. */
  fileStatus: string | null;
  /** In an end state (final, rejected, withdrawn, superseded, dormant) with nothing left to do: out of the way unless asked for. */
  finished: boolean;
  /** The clocks are paused (the pause label). */
  paused: boolean;
  /** An accepted SEP's road to Final, as its status comment last said it (docs/conformance.md); null otherwise. */
  roadToFinal: { summary: string; ready: boolean } | null;
  /** Its implementation across the SDKs, as sep-bot last tracked it; null when it is not tracked. */
  implementation: SiteImplementation | null;
  /** The `SEP checks` run on the open pull request's head; null without one. */
  checks: "success" | "failure" | null;
  votes: SiteVotes | null;
  /** Upcoming steps of its clocks, soonest first (open pull requests the bot has read; none while paused). */
  deadlines: SiteDeadline[];
  /** Whose move it is; null when nobody's (an end state, or a file with no open pull request). */
  next: SiteNext | null;
}

/** A SEP's state in one SDK: `not-planned` is an issue closed as not planned (or as a duplicate). */
export type SiteSdkState = "done" | "open" | "not-filed" | "no-access" | "not-needed" | "not-planned";

/** A tracked SEP across the SDKs: its umbrella issue here and its issue in each SDK repository. */
export interface SiteImplementation {
  /** The specification release it is for (`2026-07-28`); null: none yet. */
  release: string | null;
  /** Its umbrella issue in this repository; a closed one ends its tracking (nothing is owed since). */
  umbrella: { number: number; url: string; open: boolean } | null;
  /** A maintainer said no SDK needs work for it (`/track none`): every SDK is `not-needed`. */
  none: boolean;
  /** Every required SDK has implemented it. */
  done: boolean;
  /** Each SDK's line, as tracked (an SDK of its release without one is `not-filed`). */
  sdks: Array<{ repo: string; state: SiteSdkState; issue: { number: number; url: string } | null }>;
}

/** An SDK of a release: who maintains it, the day its tier should be done by, and what it still owes. */
export interface SiteReleaseSdk {
  /** `owner/name`. */
  repo: string;
  /** As the SDK list names it ("TypeScript"). */
  name: string;
  tier: number | null;
  url: string;
  /** YYYY-MM-DD: its tier's deadline for the release; null when none is known. */
  deadline: string | null;
  /** Its maintainers (the maintainers file's subsection "<name> SDK"), by login. */
  maintainers: string[];
  /** The SEPs of the release it has not implemented yet (open, not filed, no access), by number. */
  owes: number[];
}

/** A specification release and its SEPs against each SDK; `version` null: the tracked SEPs with no release yet. */
export interface SiteRelease {
  version: string | null;
  /** YYYY-MM-DD, null when unknown. */
  candidate: string | null;
  release: string | null;
  /** What each tier owes the release by (SEP-1730: Tier 1 two weeks after the candidate), by tier. */
  deadlines: Array<{ tier: number; date: string }>;
  /** Its SEPs, by number. */
  seps: number[];
  sdks: SiteReleaseSdk[];
}

export interface SiteItem {
  sep: number;
  step: string;
  since: string | null;
}

/** Why something waits on a person, most urgent first. */
export const NEED_ORDER = ["deadline", "vote", "sponsor", "author", "sdk"] as const;
export type SiteNeedKind = (typeof NEED_ORDER)[number];

/** A SEP waiting on one person: their step, why it is theirs, and the date that makes it urgent. */
export interface SiteNeed extends SiteItem {
  /**
   * `deadline` (a dated warning or dormancy of the next 30 days concerns them), `vote` (a review vote not cast),
   * `sponsor` (to sponsor it, or as its sponsor), `author` (an author's next step), `sdk` (an SDK they maintain
   * has not implemented it yet). The process's steps first: a SEP waits on them; an SDK's work waits on nobody's.
   */
  kind: SiteNeedKind;
  /** YYYY-MM-DD: the deadline, for `deadline`; the SDK's tier deadline for the release, for `sdk`; else null. */
  due: string | null;
}

/** One change the feed reports. */
export interface SiteChange {
  /** When (ISO). */
  at: string;
  sep: number;
  /** `proposed` (a new SEP pull request) or `status` (it moved: `to` accepted, final, dormant...). */
  kind: "proposed" | "status";
  /** The state before (null for `proposed`), and after. */
  from: string | null;
  to: string | null;
  /** Who did it, when GitHub says (a login); null for sep-bot's own on someone's behalf or unknown. */
  by: string | null;
  /** The pull request it happened on. */
  pullRequest: number;
}

export interface SiteWaiting {
  login: string;
  /** Their name, as the maintainers file or a SEP's file writes it; null when none is known. */
  name: string | null;
  /** `core-maintainer`, `maintainer` (the rules' roles they hold), `sponsor`, `author` (of an open SEP), `sdk-maintainer` (of a tracked SDK). */
  roles: string[];
  /** What waits on them, most urgent first: a deadline coming (soonest first), a vote, a SEP to sponsor, an author's step (each longest waiting first), an SDK's work (soonest deadline first). */
  next: SiteNeed[];
  /** Open SEPs they wrote or opened, by number. */
  authored: number[];
  /** Open SEPs they sponsor, by number. */
  sponsoring: number[];
}

export interface SiteData {
  schema: string;
  version: number;
  /** The time the data describes (ISO). */
  generatedAt: string;
  repository: { owner: string; name: string; url: string; defaultBranch: string };
  /** Process states in the rules' order, with their names. */
  statuses: Array<{ id: string; name: string }>;
  types: Array<{ id: string; name: string }>;
  /** Every SEP: open pull requests and files on the default branch, one per number, by number. */
  seps: SiteSep[];
  /** Per state (the rules' order, then unknown): how many, and the days in it of those with an open pull request. */
  pipeline: Array<{ status: string | null; count: number; open: number; merged: number; days: number[]; median: number | null }>;
  /** In review: the core maintainers' agenda, longest in review first (SEP numbers). */
  agenda: number[];
  /** Every deadline in the next DEADLINE_WINDOW_DAYS days, by date. */
  deadlines: Array<SiteDeadline & { sep: number }>;
  waitingOn: {
    /** SEPs any maintainer may take (sponsor one awaiting a sponsor, merge a Final one), longest waiting first. */
    anyMaintainer: SiteItem[];
    /** The voting role's members always; everyone else with something waiting, a SEP they wrote or sponsor. By login. */
    people: SiteWaiting[];
  };
  /** What changed lately (the feed's entries): new SEPs and status changes, newest first. */
  changes: SiteChange[];
  /** Implementation across the SDKs, per specification release: the newest first, then the SEPs with no release yet. */
  releases: SiteRelease[];
}
