/**
 * The SEP site's data: what `seps.json` holds (version 1, documented in
 * docs/seps-json.md and docs/seps.schema.json) and what index.html is drawn
 * from. Built by build.ts from the sweep's bulk read and the SEP files on the
 * default branch; a pure function of them and `now`, so the same state and
 * time give the same bytes.
 */

/** Where the schema of this document is published (also its `$id`). */
export const SITE_SCHEMA_URL = "https://raw.githubusercontent.com/modelcontextprotocol/sep-bot/main/docs/seps.schema.json";
export const SITE_VERSION = 1;
/** Deadlines shown on the dashboard: those falling within this many days. */
export const DEADLINE_WINDOW_DAYS = 30;

export interface SitePerson {
  /** As written in the file, or null (a handle only). */
  name: string | null;
  /** GitHub login without `@`, or null (a name only). */
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
  title: string;
  /** Process state id (the rules' status ids; `proposal` is "awaiting a sponsor"); null when unknown. */
  status: string | null;
  /** Type id (`standards-track`...), null when unknown. */
  type: string | null;
  authors: SitePerson[];
  sponsor: SitePerson | null;
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
  /** Its file: on the default branch (path and link), or the open pull request's changes (path null). */
  file: { path: string | null; url: string; onDefaultBranch: boolean };
  /** The clocks are paused (the pause label). */
  paused: boolean;
  /** The `SEP checks` run on the open pull request's head; null without one. */
  checks: "success" | "failure" | null;
  votes: SiteVotes | null;
  /** Upcoming steps of its clocks, soonest first (open pull requests the bot has read; none while paused). */
  deadlines: SiteDeadline[];
  /** Whose move it is; null when nobody's (an end state, or a file with no open pull request). */
  next: SiteNext | null;
}

export interface SiteItem {
  sep: number;
  step: string;
  since: string | null;
}

export interface SiteWaiting {
  login: string;
  /** `core-maintainer`, `maintainer` (the rules' roles they hold), `sponsor`, `author` (of an open SEP). */
  roles: string[];
  /** SEPs where the next step is theirs, longest waiting first. */
  next: SiteItem[];
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
}
