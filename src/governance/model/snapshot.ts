/**
 * Everything the reconcile loop knows about one pull request, as plain data.
 * `github/read-snapshot.ts` fills it from the API; tests build it by hand.
 * The planner reads nothing else, so the same snapshot always gives the same plan.
 */
import type { Trigger } from "./trigger.js";

export type { Trigger };

/** Something a person (or the bot: told apart by login) did on the PR, for the clocks. */
export interface Activity {
  at: string; // ISO
  actor: string | null;
  /** GitHub's timeline item type (ReopenedEvent...), when known. */
  kind?: string;
  /** An AssignedEvent's assignee, and their display name. */
  subject?: string;
  subjectName?: string | null;
}

/** A reminder the bot sent: which clock and step, to whom, when (from its ping comments). */
export interface Ping {
  clock: string;
  step: number;
  to: string[];
  at: string;
}

/** Someone the maintainers file links to a login, with the name written for them. */
export interface ListedPerson {
  login: string;
  name: string | null;
}

/** The maintainers' project board (Projects v2), as read. */
export interface ProjectBoard {
  id: string;
  /** The field the rules name, when it is a single-select field. */
  field: { id: string; options: Array<{ id: string; name: string }> } | null;
  /** The token may edit the board (GraphQL's `viewerCanUpdate`). */
  canUpdate: boolean;
}

export interface BoardRead {
  /** null: the board could not be read; `note` says why. */
  board: ProjectBoard | null;
  /** The pull request's node id. */
  contentId: string;
  /** The PR's item on this board and its current option, or null when it is not on it. */
  item: { id: string; option: string | null } | null;
  note: string | null;
}

export interface RepoRef {
  owner: string;
  name: string;
}

/** One markdown file in the SEP directory that the pull request touches. */
export interface ChangedSepFile {
  path: string;
  change: "added" | "modified" | "renamed" | "removed" | "copied" | "changed";
  previousPath: string | null;
  /** Text at the head commit; null when binary, too large, or removed. */
  headText: string | null;
  headSize: number;
  /** Text on the base branch at the same path (or the previous path); null when new. */
  baseText: string | null;
  /** Text at the trigger's other pushed commits, when one may have set the Status (see status-sync). */
  pushed?: Array<{ sha: string; text: string | null }>;
  /**
   * Its git mode at the head ("100644"; "120000" a symbolic link, "160000" a
   * submodule): anything but a regular file is never read as text nor written.
   * Absent when not known: a regular file.
   */
  headMode?: string;
}

export interface BotComment {
  id: number;
  body: string;
}

/** A comment by a person (bots' comments are never read as commands). */
export interface PersonComment {
  id: number;
  author: string;
  /** Their display name, when GitHub has one (for `Sponsor: Name (@login)`). */
  authorName: string | null;
  body: string;
  createdAt: string;
  /** When it was last edited; null if never. */
  editedAt: string | null;
  /** Who last edited it: when not its author, what they added runs with nobody's authority. */
  editor: string | null;
  url: string;
  /** The bot has reacted to it (+1, -1 or confused): it was handled. */
  reacted: boolean;
}

export interface ExistingCheckRun {
  id: number;
  headSha: string;
  /** The digest sep-bot embedded in its summary; null when absent (someone else's run). */
  digest: string | null;
}

export interface PullRequestState {
  number: number;
  url: string; // https://github.com/<owner>/<repo>/pull/<n>
  state: "open" | "closed";
  merged: boolean;
  author: string;
  createdAt: string; // ISO
  headSha: string;
  headTreeSha: string;
  headRef: string;
  /** null when the fork was deleted */
  headRepo: (RepoRef & { isFork: boolean; ownerIsOrganization: boolean }) | null;
  maintainerCanModify: boolean;
  baseRef: string;
  labels: string[];
  assignees: string[];
  /** The latest label changes, oldest first (GitHub's timeline): who applied what. */
  labelEvents: LabelEvent[];
  /** The last things done on the PR (comments, reviews, pushes, edits), by whom: the clocks count people's. */
  activity: Activity[];
  /** The PR's last commits (up to 100), oldest first, with who wrote them: sep-bot's own are a trace of it (contact.ts). */
  commits?: PullRequestCommit[];
}

/** A commit on the PR as GitHub describes it: its author and whether GitHub verified its signature. */
export interface PullRequestCommit {
  sha: string;
  /** The author's e-mail as written in the commit (anyone can write any). */
  authorEmail: string | null;
  /** The GitHub user that e-mail belongs to; null for none, or a bot (a Bot is not a User). */
  authorLogin: string | null;
  /** GitHub verified its signature (it signs what an app commits through the API). */
  verified: boolean;
}

export interface LabelEvent {
  label: string;
  added: boolean;
  actor: string | null; // GraphQL gives an app's login without "[bot]"
  at: string;
}

export interface Snapshot {
  repo: RepoRef & { defaultBranch: string };
  pr: PullRequestState;
  /** SEP files the PR adds, modifies, renames or removes (README/TEMPLATE excluded). */
  files: ChangedSepFile[];
  /** More files changed than could be listed: findings may be incomplete. */
  filesTruncated: boolean;
  /** Paths in the SEP directory on the base branch that a rename could collide with. */
  basePathsTaken: string[];
  comments: BotComment[]; // sep-bot's own status comments (normally one)
  /** Comments by people, oldest first: where commands and votes come from. */
  discussion: PersonComment[];
  /** The markers of the bot's replies to commands (`c=<comment id> k=<lines>`), so none is posted twice. */
  replies: string[];
  /** The reminders the bot has sent on this PR (its ping comments' markers): the clocks' record. */
  pings: Ping[];
  checkRun: ExistingCheckRun | null;
  /** The PR on the rules' project board, when the rules name one. */
  project?: BoardRead | null;
  /** Members (lowercase logins) of each of the rules' roles, read from the base branch and teams. */
  roles: Record<string, string[]>;
  /** Everyone the maintainers file links to a login, with their name (to read a Sponsor written as a name). */
  directory?: ListedPerson[];
  botLogin: string;
  trigger: Trigger;
  /** The rules override could not be used; defaults apply and the check says why. */
  configError: string | null;
  /** Something could not be read and what follows from it (teams without permission): the check says so. */
  readNotes?: string[];
  /** False where no App server receives the check run's "Fix these" button (Actions): the check points to `/fix` instead. */
  fixButton?: boolean;
  /** Set by the app after a push to the head branch was refused: the plan explains instead. */
  pushDenied?: string;
  /** What the app did earlier in this reconcile (a commit), for the audit log. */
  recentActions?: AuditEntry[];
  /** What the road to Final reads, for a SEP on it (Accepted, or being moved to Final); absent otherwise. */
  final?: FinalRead;
  /** Implementation across the SDKs (governance/sdks/), for a SEP whose tracking is asked for; absent otherwise. */
  tracking?: TrackingRead;
}

/** An issue found that names the SEP (in an SDK repository, or an umbrella here), or one sep-bot tracks. */
export interface FoundIssue {
  /** `owner/name`. */
  repo: string;
  number: number;
  title: string;
  url: string;
  state: "open" | "closed";
  /** GitHub's `stateReason`, lowercased: completed, not_planned, duplicate, reopened. */
  stateReason: string | null;
  /** Filed by sep-bot. */
  byBot: boolean;
  /** Its text links to the SEP's pull request or names the SEP (read for search results only). */
  linksSep?: boolean;
  /** Its text (read for the remembered umbrella only: a list people edited is put back). */
  body?: string | null;
}

export interface TrackingRead {
  /** The SDK list file (rules `sdks.file`) on the default branch; null when absent. */
  sdkFile: string | null;
  /** The pull request's milestone. */
  milestone: { title: string; dueOn: string | null } | null;
  /** Issues naming the SEP, and the issues sep-bot tracks for it, as GitHub shows them now. */
  issues: FoundIssue[];
  /** The SDK repositories were read too: only then does the plan file anything. */
  sdksRead: boolean;
  /** SDK repositories that could not be read (not found, or not visible to this token). */
  unreadable: string[];
}

/** The pull request's changes, for the road to Final's specification changes and changelog entry. */
export interface PullRequestChanges {
  paths: readonly string[];
  /** False when GitHub listed only part of the files. */
  complete: boolean;
  /** The changelog at the head, when the rules name one and it could be read. */
  changelog: string | null;
}

/** What was read of the conformance repository for one SEP. */
export interface ConformanceRead {
  /** The SEP's traceability file: its text, or null when the repository has none. */
  traceability: { text: string | null; path: string; url: string | null; oid?: string | null };
  /** The manifest: its text, or null when absent; the whole read null when the rules name none. */
  manifest: { text: string | null; url: string | null; oid?: string | null } | null;
}

export interface FinalRead {
  changes: PullRequestChanges;
  /** null: the conformance repository could not be read (`note` says why), or the rules name none. */
  conformance: ConformanceRead | null;
  note: string | null;
}

/** One line of the bot's memory, kept in the status comment's hidden block. */
export interface AuditEntry {
  at: string; // ISO time
  by: string | null; // who caused it
  what: string; // "renamed seps/0000-x.md to seps/12-x.md"
}
