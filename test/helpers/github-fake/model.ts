import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/**
 * The fake GitHub's data model: who and where (the repository, the app, the
 * bot, the time tests start at), the real SEPs tests start from, the shapes
 * of its state (pull requests, commits, comments, check runs, issues,
 * projects), the webhooks it queues (`FakeEvent`), the options a fake is
 * made with, and how a file's content in a fake tree says what kind of
 * entry it is (a link, a submodule, an executable, bytes that are not UTF-8).
 * Plain data and pure functions: no state, no serving.
 */

export const OWNER = "modelcontextprotocol";
export const REPO = "modelcontextprotocol";
export const NUMBER = 1933;
export const INSTALLATION_ID = 4242;
export const APP_ID = 123456;
export const BOT = "sep-bot[bot]";
export const NOW = new Date("2026-11-21T12:00:00Z");

const REAL = new URL("../../fixtures/real-seps", import.meta.url).pathname;
export const realSep = (name: string): string => readFileSync(`${REAL}/${name}`, "utf8");
/** The real new SEP as its author opened it, and as a person renamed it (heading only). */
export const WIF_BEFORE = realSep("rename-example/before-0000-workload-identity-federation.md");
export const WIF_AFTER = realSep("rename-example/after-1933-workload-identity-federation.md");
export const WIF_NEW_PATH = "seps/0000-workload-identity-federation.md";
export const WIF_PATH = "seps/1933-workload-identity-federation.md";
export const PR_URL = `https://github.com/${OWNER}/${REPO}/pull/${NUMBER}`;
/** What the bot's rename commit must contain: the person's rename plus the PR field. */
export const WIF_RENAMED = WIF_AFTER.replace("https://github.com/modelcontextprotocol/specification/pull/{NUMBER}", PR_URL);

/** path -> content */
export type Files = Record<string, string>;
/** path -> new content, or null to delete */
export type FileChanges = Record<string, string | null>;

export interface HeadRepo {
  owner: string;
  name: string;
  ownerType: "User" | "Organization";
}

export interface PullState {
  number: number;
  title: string;
  /** Its milestone (the specification release it is for), when it has one. */
  milestone?: { title: string; dueOn: string | null } | null;
  author: string;
  headRef: string;
  /** The base repository itself for a same-repository branch; null when the fork was deleted. */
  headRepo: HeadRepo | null;
  maintainerCanModify: boolean;
  baseRef: string;
  headSha: string;
  labels: string[];
  assignees: string[];
  state: "open" | "closed";
  merged: boolean;
  createdAt: string;
  closedAt: string | null;
}

export interface Reaction {
  content: string; // THUMBS_UP, THUMBS_DOWN, CONFUSED, EYES, ...
  user: string;
  at: string;
}

export interface Comment {
  id: number;
  /** The issue or pull request it is on. */
  issue: number;
  author: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  /** Set when someone edited it after posting. */
  editedAt: string | null;
  /** Who edited it last (anyone with write access can). */
  editor: string | null;
  reactions: Reaction[];
}

export interface CheckRun {
  id: number;
  name: string;
  headSha: string;
  conclusion: string | null;
  title: string;
  summary: string;
  annotations: unknown[];
  /** Buttons on the run (`actions`): label, description, identifier. */
  actions: Array<{ label: string; description: string; identifier: string }>;
}

export interface Commit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  /** Made through the API (by the app), not pushed by a person. */
  byApp: boolean;
  /**
   * Signed by GitHub: what the app makes through the API without a custom
   * author (createCommitOnBranch, or the Git Data API), as GitHub documents.
   */
  signed: boolean;
  /** Who wrote a person's commit (the pusher); unset for the app's. */
  author?: string;
  /** When it was made (GitHub's clock). */
  at?: string;
}

/** One item of a pull request's timeline, the way GitHub records who did what. */
export interface TimelineEvent {
  issue: number;
  type: "LabeledEvent" | "UnlabeledEvent" | "AssignedEvent" | "UnassignedEvent" | "ClosedEvent" | "ReopenedEvent";
  actor: string;
  at: string;
  label?: string;
  assignee?: string;
}

/** An issue (the weekly digest is one). */
export interface IssueState {
  number: number;
  title: string;
  body: string;
  labels: string[];
  author: string;
  state: "open" | "closed";
  createdAt: string;
  /** Why it was closed (`state_reason`), when the request said. */
  stateReason?: string;
  /** Comments on the issue (the bot's, closing a duplicate digest), oldest first. */
  comments?: Array<{ author: string; body: string }>;
}

/** An organisation project (Projects v2) with single-select fields and its items. */
export interface ProjectState {
  number: number;
  id: string;
  title: string;
  fields: Array<{ id: string; name: string; options: Array<{ id: string; name: string }> }>;
  items: Array<{ id: string; pull: number; values: Record<string, string> }>;
}

/** A webhook GitHub would deliver after a change (by the bot or by a person). */
export type FakeEvent =
  | {
      name: "pull_request";
      action: PullRequestAction;
      sender: string;
      /** Which pull request; default the fake's first one. */
      number?: number;
      label?: string;
      assignee?: string;
      before?: string;
      after?: string;
      /** The head when GitHub sent it (a late delivery carries an old head); default: the current head. */
      headSha?: string;
    }
  | { name: "check_run"; action: "rerequested"; sender: string; checkName?: string; number?: number }
  /** A button on the check run pressed (`actions` the run was created with): GitHub sends its identifier. */
  | { name: "check_run"; action: "requested_action"; sender: string; identifier: string; checkName?: string; number?: number }
  | { name: "issue_comment"; action: "created" | "edited" | "deleted"; sender: string; commentId: number; number?: number; previousBody?: string };

export type PullRequestAction =
  | "opened"
  | "reopened"
  | "synchronize"
  | "edited"
  | "labeled"
  | "unlabeled"
  | "assigned"
  | "unassigned"
  | "ready_for_review"
  | "closed";

export interface PullOptions {
  number?: number;
  title?: string;
  author?: string;
  headRef?: string;
  /** Default: the base repository (a same-repository branch). null: a deleted fork. */
  headRepo?: HeadRepo | null;
  maintainerCanModify?: boolean;
  /** What the pull request changes, relative to the base branch. */
  changes?: FileChanges;
  labels?: string[];
  assignees?: string[];
  comments?: Array<{ author: string; body: string }>;
  state?: "open" | "closed";
  /**
   * When the PR was opened. By default an hour before the real time: tests
   * that run sep-bot as a process use the real clock, and a fixed date would
   * make every clock fall due as the calendar moves on. Tests that travel in
   * time give a date and pass their own `now`.
   */
  createdAt?: string;
}

export interface FakeOptions extends PullOptions {
  /**
   * Whether the installation token may push to a fork. GitHub allows it for
   * user forks with "Allow edits by maintainers"; default follows that.
   */
  forkAcceptsPushes?: boolean;
  /** Whether GraphQL's createCommitOnBranch accepts a fork's branch (unverified on GitHub: default no, the REST route is used). */
  forkAcceptsGraphqlCommits?: boolean;
  /** The base branch's files; default: a small `seps/` directory and MAINTAINERS.md. */
  base?: Files;
  /** Logins listed in MAINTAINERS.md on the base branch (ignored when `base` is given). */
  maintainers?: string[];
  /** `.github/sep-bot.yml` on the default branch. */
  config?: string;
}

export function maintainersFile(logins: string[]): string {
  return `# Maintainers\n\n## Core Maintainers\n\n${logins.map((login) => `- @${login}`).join("\n")}\n`;
}

/** The base branch most tests start from: an existing SEP, README and template, two maintainers. */
export function defaultBase(maintainers = ["grace", "max"]): Files {
  return {
    "README.md": "# Model Context Protocol\n",
    "MAINTAINERS.md": maintainersFile(maintainers),
    "seps/README.md": "# SEPs\n",
    "seps/TEMPLATE.md": realSep("TEMPLATE.md"),
    "seps/1850-pr-based-sep-workflow.md": realSep("1850-pr-based-sep-workflow.md"),
  };
}

/** The app's bot user id (in its noreply e-mail and webhook payloads). */
export const BOT_USER_ID = 41898282 + APP_ID;
/** Display names people set on their profile (for `Sponsor: Name (@login)`); everyone else has none. */
export const DISPLAY_NAMES: Record<string, string> = { grace: "Grace Hopper", max: "Max Core", pieter: "Pieter Author" };

/** A git-like object id for the fake's trees and commits. */
export const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
/** Logins, labels and repository names compare case-insensitively on GitHub. */
export const lower = (s: string) => s.toLowerCase();

export function applyChanges(files: Files, changes: FileChanges): Files {
  const out = { ...files };
  for (const [path, content] of Object.entries(changes)) {
    if (content === null) delete out[path];
    else out[path] = content;
  }
  return out;
}

// ---------------------------------------------------------------------------
// What a path's content in a fake tree stands for

/**
 * A file's bytes. A lone surrogate U+DC80..U+DCFF stands for the raw byte
 * 0x80..0xFF (Python's surrogateescape): how a test stores a file that is not UTF-8.
 */
export function blobBytes(text: string): Buffer {
  const parts = text.split(/((?<![\uD800-\uDBFF])[\uDC80-\uDCFF])/);
  if (parts.length === 1) return Buffer.from(text, "utf8");
  return Buffer.concat(parts.map((part, i) => (i % 2 ? Buffer.from([part.charCodeAt(0) - 0xdc00]) : Buffer.from(part, "utf8"))));
}

const LINK = "\uE000symlink\uE000";
const GITLINK = "\uE000submodule\uE000";
const EXECUTABLE = "\uE000executable\uE000";
/** A symbolic link to `target` (mode 120000), as a path's content in `changes`, `push` or `base`: its blob holds the target. */
export const symlink = (target: string): string => `${LINK}${target}`;
/** A submodule at commit `sha` of another repository (mode 160000): a tree entry, no blob here. */
export const submodule = (sha: string): string => `${GITLINK}${sha}`;
/** A regular file with its executable bit (mode 100755). */
export const executable = (text: string): string => `${EXECUTABLE}${text}`;

/** What a path's content in a fake tree is: git's mode and type, and its object's data (a blob's text, a submodule's commit). Default: a regular file. */
export function entryOf(content: string): { mode: "100644" | "100755" | "120000" | "160000"; type: "blob" | "commit"; data: string } {
  if (content.startsWith(LINK)) return { mode: "120000", type: "blob", data: content.slice(LINK.length) };
  if (content.startsWith(GITLINK)) return { mode: "160000", type: "commit", data: content.slice(GITLINK.length) };
  if (content.startsWith(EXECUTABLE)) return { mode: "100755", type: "blob", data: content.slice(EXECUTABLE.length) };
  return { mode: "100644", type: "blob", data: content };
}
