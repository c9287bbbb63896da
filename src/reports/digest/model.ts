/**
 * What the weekly maintainer digest is made from: one plain record per SEP
 * pull request (open, or closed in the last days), as the sweep reads them.
 * The renderer (render.ts) is a pure function of this and `now`, so the same
 * state and time always give the same bytes.
 */

export interface DigestSep {
  number: number;
  /** The SEP's title (from the file when the bot has read it, else the PR title). */
  title: string;
  url: string;
  /** Where it is in the process: a status id, `proposal` while awaiting a sponsor; null when unknown. */
  state: string | null;
  /** The PR's state label (what the labels say); null when it has none. */
  stateLabel: string | null;
  /** The status the file says, as the bot last read it (null: unknown); differs from `state` when they disagree. */
  fileState: string | null;
  /** Type id (`standards-track`...), null when unknown. */
  type: string | null;
  /** The sponsor's login, null when none. */
  sponsor: string | null;
  author: string;
  /** When the pull request was opened (ISO). */
  createdAt: string;
  /** When it entered its current state (ISO). */
  stateSince: string;
  open: boolean;
  merged: boolean;
  closedAt: string | null;
  /** The `SEP checks` run on the head: null when none yet. */
  checks: "success" | "failure" | null;
  /** Core maintainers' votes, when any were cast. */
  votes: { yes: number; no: number; abstain: number } | null;
  /** Reference Implementation holds real content (null: unknown). */
  referenceImplementation: boolean | null;
  /** The conformance traceability is done or not needed (null: not known). */
  conformance: boolean | null;
  /** An accepted SEP's road to Final, as its status comment last said it ("18 of 20 requirements traced; changelog entry missing"). */
  final: { summary: string; ready: boolean } | null;
  /** State changes, oldest first: to which state, when, by whom (null: unknown). */
  transitions: Array<{ to: string; at: string; by: string | null }>;
  /** Awaiting a sponsor: the date (YYYY-MM-DD) it becomes dormant; null otherwise or while paused. */
  dormantOn: string | null;
  /** Its clocks are paused (the pause label). */
  paused: boolean;
}

export interface DigestInput {
  repo: { owner: string; name: string };
  /** ISO time the digest is made for. */
  now: string;
  seps: DigestSep[];
  /** Display names of states, in the rules' order: `{ id: "in-review", display: "In-Review" }`. */
  states: Array<{ id: string; display: string }>;
  /** Days without a sponsor before a SEP becomes dormant (for "days until dormancy"). */
  dormantAfterDays: number;
  /** Days in review after which a SEP is flagged as waiting long. */
  reviewDays: number;
  /** Where the SEP site is published (`links.site`), linked from the top; absent or null: no link. */
  siteUrl?: string | null;
  /** Implementation across the SDKs per specification release (reports/sweep/releases.ts); absent or null: SDK tracking is off. */
  releases?: DigestRelease[] | null;
}

/** A release of tracked SEPs: its dates, and how many of its SEPs each SDK has not implemented yet. */
export interface DigestRelease {
  /** `2026-07-28`; null: the tracked SEPs with no release yet. */
  version: string | null;
  /** YYYY-MM-DD, null when unknown. */
  candidate: string | null;
  release: string | null;
  /** What each tier owes the release by. */
  deadlines: Array<{ tier: number; date: string }>;
  /** How many SEPs it has. */
  seps: number;
  /** Each SDK that still owes some of them (open, not filed, no access), in the release's order. */
  owed: Array<{ name: string; tier: number | null; seps: number }>;
}
