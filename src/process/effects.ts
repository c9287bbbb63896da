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
}

export type Effect =
  | CommitEffect
  | { kind: "add-labels"; labels: string[] }
  | { kind: "remove-label"; label: string }
  | CheckRunEffect
  | { kind: "create-comment"; body: string }
  | { kind: "update-comment"; id: number; body: string }
  | { kind: "delete-comment"; id: number };

export interface Plan {
  effects: Effect[];
  /** Why each effect is there, for logs and dry runs. */
  reasons: string[];
}
