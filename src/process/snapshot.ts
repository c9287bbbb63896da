/**
 * Everything the reconcile loop knows about one pull request, as plain data.
 * `github/read-snapshot.ts` fills it from the API; tests build it by hand.
 * The planner reads nothing else, so the same snapshot always gives the same plan.
 */
import type { BoardRead } from "./board.js";
import type { Activity, DueStep, Ping } from "./clocks.js";
import type { CommandsOutcome } from "./commands/evaluate.js";
import type { ListedPerson } from "./maintainers.js";
import type { Trigger } from "./trigger.js";

export type { Trigger };

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
  /** Commands the first plan of this reconcile handled (before its commit): not run again, only answered. */
  handledCommands?: CommandsOutcome;
  /** Clock steps the first plan of this reconcile acted on (dormancy commits first): sent after the commit, not decided again. */
  handledClocks?: DueStep[];
  /** People the first plan of this reconcile assigns (a maintainer whose label made them sponsor): assigned after its commit. */
  pendingAssignees?: string[];
}

/** One line of the bot's memory, kept in the status comment's hidden block. */
export interface AuditEntry {
  at: string; // ISO time
  by: string | null; // who caused it
  what: string; // "renamed seps/0000-x.md to seps/12-x.md"
}
