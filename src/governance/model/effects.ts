import type { RepoRef } from "./snapshot.js";

/**
 * A plan is data: the intended writes, in order. Dry-run prints it, tests
 * assert on it, and `github/execute.ts` is the only code that performs it.
 */

/** One file in a commit: new content, or null to delete the path. */
export interface FileChange {
  path: string;
  content: string | null;
}

/** Commit to the PR's head branch, on top of exactly `expectedHeadSha` (never forced). */
export interface CommitEffect {
  kind: "commit";
  repo: RepoRef; // the head repository (a fork, or the base repository)
  branch: string;
  expectedHeadSha: string;
  baseTreeSha: string; // the tree of expectedHeadSha
  /** What the commit does, for the audit log: "renamed seps/0000-x.md to seps/12-x.md". */
  summary: string;
  message: string;
  changes: FileChange[];
  /**
   * What each changed path is at `expectedHeadSha`, as read: its git mode, or
   * null where nothing is. The executor writes over or deletes only regular
   * files (see process/file-kind.ts).
   */
  headModes: Record<string, string | null>;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

/**
 * Create the `SEP checks` run on a head commit. Always a new run (GitHub shows
 * the latest), because updating one would append to its old annotations.
 */
export interface CheckRunEffect {
  kind: "check-run";
  name: string;
  headSha: string;
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string; // ends with the digest marker, so an identical run is never rewritten
  text: string;
  annotations: Annotation[]; // all of them; the executor sends 50 per request
  /** Buttons on the run ("Fix these"): pressing one sends `check_run.requested_action`. */
  actions?: Array<{ label: string; description: string; identifier: string }>;
}

/**
 * The PR's labels, changed in one request: only additions -> add them; one
 * removal -> remove it; anything else -> set the whole list (`labels`), which
 * would drop a label someone adds in the same second; the planner puts such
 * a label back on the next run (its timeline shows the bot removed it).
 */
export interface LabelsEffect {
  kind: "labels";
  add: string[];
  remove: string[];
  /** The whole list afterwards. */
  labels: string[];
}

export type Effect =
  | CommitEffect
  | LabelsEffect
  | CheckRunEffect
  | { kind: "create-comment"; body: string }
  | { kind: "update-comment"; id: number; body: string }
  | { kind: "delete-comment"; id: number }
  /** People assigned to the PR (a sponsor), in one request per direction. */
  | { kind: "assignees"; add: string[]; remove: string[] }
  /** Close (dormant) or reopen (revived) the pull request. */
  | { kind: "pull-request-state"; state: "open" | "closed" }
  /** The bot's answer on a command comment: +1 done, -1 refused, confused unknown. GitHub keeps one of each. */
  | { kind: "reaction"; commentId: number; content: "+1" | "-1" | "confused" }
  /** A reply to a command comment; its body ends with a marker so a retry never posts it twice. */
  | { kind: "reply"; body: string }
  | ProjectItemEffect
  | CreateIssueEffect
  | IssueBlockEffect;

/**
 * File an issue in a repository (an SDK's, or the umbrella in this one).
 * Filed issues are found again by their titles (`SEP-{number}`): the
 * reconcile reads and plans again after filing, and a retry files nothing
 * twice.
 */
export interface CreateIssueEffect {
  kind: "create-issue";
  repo: RepoRef;
  title: string;
  body: string;
  labels: string[];
  /** What it is, for the log: "the umbrella", "go-sdk". */
  what: string;
}

/**
 * Rewrite sep-bot's block in an issue's body (the umbrella's list of SDK
 * issues), keeping what people wrote around it: read, replace, write only if
 * it changed.
 */
export interface IssueBlockEffect {
  kind: "issue-block";
  repo: RepoRef;
  number: number;
  sep: number;
  block: string;
}

/** Put the PR on the project board (when `itemId` is null) and set its field to the option of the SEP's state. */
export interface ProjectItemEffect {
  kind: "project-item";
  projectId: string;
  /** The pull request's node id. */
  contentId: string;
  itemId: string | null;
  fieldId: string;
  /** null: leave the field as it is (no option for this state). */
  optionId: string | null;
  option: string | null;
}

export interface Plan {
  effects: Effect[];
  /** Why each effect is there, for logs and dry runs. */
  reasons: string[];
}
