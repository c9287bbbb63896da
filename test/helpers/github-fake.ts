import { createHash, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { sepBot, type SepBotOptions } from "../../src/app.js";
import { answerGraphql, API, type FakeObject, type FakeRepository, type GraphqlCall } from "./octokit.js";

/**
 * An in-memory GitHub for one repository and one pull request, served
 * through nock on https://api.github.com. It keeps real state (git objects
 * per commit, refs, labels, comments, check runs) and answers the requests
 * sep-bot makes the way GitHub does, so a test can run the real app
 * (`probot.receive` or the HTTP server) and then look at what GitHub holds.
 *
 * - Every request is recorded (method, path, body, status) and classified as
 *   `token`, `read` or `write`.
 * - A request no route knows is not intercepted at all: nock reports "no
 *   match", the request fails, and `useNock()` fails the test.
 * - `inject()` makes the Nth request matching a path answer an error (or run
 *   a side effect first: "another push lands while the bot commits").
 * - `events` queues the webhooks GitHub would send because of a write
 *   (the bot's push -> `synchronize`, its labels -> `labeled`), so a test can
 *   deliver them, in any order.
 *
 * Call `install()` in each test (`useNock()` removes all mocks after each).
 */

export const OWNER = "modelcontextprotocol";
export const REPO = "modelcontextprotocol";
export const NUMBER = 1933;
export const INSTALLATION_ID = 4242;
export const APP_ID = 123456;
export const BOT = "sep-bot[bot]";
export const NOW = new Date("2026-11-21T12:00:00Z");

const REAL = new URL("../fixtures/real-seps", import.meta.url).pathname;
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
}

export interface Comment {
  id: number;
  author: string;
  body: string;
}

export interface CheckRun {
  id: number;
  name: string;
  headSha: string;
  conclusion: string | null;
  title: string;
  summary: string;
  annotations: unknown[];
}

export interface Commit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  /** Made through the API (by the app), not pushed by a person. */
  byApp: boolean;
}

export type RequestKind = "token" | "read" | "write";

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  status: number;
  kind: RequestKind;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Fault {
  method?: string;
  /** An exact path (no query string), or a pattern tested against it. */
  path: string | RegExp;
  /** Which matching request (1-based) is affected; default 1. */
  nth?: number;
  /** How many consecutive matching requests from the nth on; default 1. */
  times?: number;
  /** The answer instead of the normal one. Without it, the request is served normally (after `before`). */
  reply?: Reply;
  /** Perform the request first (GitHub did the write), then answer `reply` anyway. */
  afterWrite?: boolean;
  /** Runs before the request is served, e.g. to let another push land. */
  before?: (fake: GitHubFake) => void;
}

/** GitHub's 5xx. */
export const serverError = (): Reply => ({ status: 500, body: { message: "Server Error" } });
/** What GitHub answers when an installation writes too fast. */
export const secondaryRateLimit = (retryAfterSeconds = 60): Reply => ({
  status: 403,
  body: {
    message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
  },
  headers: { "retry-after": String(retryAfterSeconds), "x-ratelimit-remaining": "4321" },
});
export const unprocessable = (message = "Validation Failed"): Reply => ({ status: 422, body: { message } });
export const forbidden = (message = "Resource not accessible by integration"): Reply => ({ status: 403, body: { message } });

/** A webhook GitHub would deliver after a change (by the bot or by a person). */
export type FakeEvent =
  | {
      name: "pull_request";
      action: PullRequestAction;
      sender: string;
      label?: string;
      before?: string;
      after?: string;
      /** The head when GitHub sent it (a late delivery carries an old head); default: the current head. */
      headSha?: string;
    }
  | { name: "check_run"; action: "rerequested"; sender: string; checkName?: string };

export type PullRequestAction =
  | "opened"
  | "reopened"
  | "synchronize"
  | "edited"
  | "labeled"
  | "unlabeled"
  | "ready_for_review"
  | "closed";

export interface FakeOptions {
  number?: number;
  author?: string;
  headRef?: string;
  /** Default: the base repository (a same-repository branch). null: a deleted fork. */
  headRepo?: HeadRepo | null;
  maintainerCanModify?: boolean;
  /**
   * Whether the installation token may push to a fork. GitHub allows it for
   * user forks with "Allow edits by maintainers"; default follows that.
   */
  forkAcceptsPushes?: boolean;
  /** The base branch's files; default: a small `seps/` directory and MAINTAINERS.md. */
  base?: Files;
  /** What the pull request changes, relative to the base branch. */
  changes?: FileChanges;
  labels?: string[];
  assignees?: string[];
  /** Logins listed in MAINTAINERS.md on the base branch (ignored when `base` is given). */
  maintainers?: string[];
  /** `.github/sep-bot.yml` on the default branch. */
  config?: string;
  comments?: Array<{ author: string; body: string }>;
  state?: "open" | "closed";
  createdAt?: string;
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

let installed: GitHubFake | null = null;

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

interface Route {
  method: string;
  pattern: RegExp;
  kind: RequestKind;
  handle: (match: RegExpExecArray, body: Record<string, unknown>, query: URLSearchParams) => Reply;
}

export class GitHubFake {
  readonly owner = OWNER;
  readonly repo = REPO;
  readonly defaultBranch = "main";
  pr: PullState;
  forkAcceptsPushes: boolean;
  teams: Record<string, string[]> = {};

  readonly commits = new Map<string, Commit>();
  readonly trees = new Map<string, Files>();
  /** `owner/repo:branch` -> commit sha */
  readonly refs = new Map<string, string>();
  comments: Comment[] = [];
  checkRuns: CheckRun[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Webhooks GitHub would send next, oldest first. */
  events: FakeEvent[] = [];
  /** Who added and removed which label, as the PR's timeline shows it. */
  readonly labelHistory: Array<{ added: boolean; label: string; actor: string; at: string }> = [];

  private faults: Array<Fault & { seen: number }> = [];
  private interceptors: nock.Interceptor[] = [];
  private nextId = 9_000_001;
  private readonly routes: Route[];

  constructor(options: FakeOptions = {}) {
    const base: Files = { ...(options.base ?? defaultBase(options.maintainers)) };
    if (options.config !== undefined) base[".github/sep-bot.yml"] = options.config;
    const baseSha = this.commit(base, [], "Initial commit");
    this.refs.set(this.refKey(OWNER, REPO, "main"), baseSha);

    const headRepo = options.headRepo === undefined ? { owner: OWNER, name: REPO, ownerType: "Organization" as const } : options.headRepo;
    const maintainerCanModify = options.maintainerCanModify ?? false;
    this.forkAcceptsPushes = options.forkAcceptsPushes ?? (maintainerCanModify && headRepo?.ownerType === "User");
    const headSha = this.commit(applyChanges(base, options.changes ?? {}), [baseSha], "Add the SEP");
    this.pr = {
      number: options.number ?? NUMBER,
      author: options.author ?? "pieter",
      headRef: options.headRef ?? "wif",
      headRepo,
      maintainerCanModify,
      baseRef: "main",
      headSha,
      labels: [...(options.labels ?? [])],
      assignees: [...(options.assignees ?? [])],
      state: options.state ?? "open",
      merged: false,
      createdAt: options.createdAt ?? "2026-11-01T10:00:00Z",
    };
    if (headRepo) this.refs.set(this.refKey(headRepo.owner, headRepo.name, this.pr.headRef), headSha);
    for (const c of options.comments ?? []) this.comments.push({ id: this.id(), author: c.author, body: c.body });
    this.routes = this.buildRoutes();
  }

  // -------------------------------------------------------------------------
  // nock

  /**
   * Serves this fake on https://api.github.com until `nock.cleanAll()` or
   * `uninstall()`. One fake serves at a time: installing one uninstalls the
   * one before (two would answer each other's requests).
   */
  install(): this {
    installed?.uninstall();
    installed = this;
    for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
      const interceptor = nock(API)
        .persist()
        .intercept((uri: string) => this.find(method, pathOf(uri)) !== null, method)
        .optionally();
      interceptor.reply((uri, body) => {
        const reply = this.serve(method, uri, body);
        return [reply.status, (reply.body ?? "") as nock.ReplyBody, reply.headers ?? {}];
      });
      this.interceptors.push(interceptor);
    }
    return this;
  }

  uninstall(): void {
    for (const interceptor of this.interceptors.splice(0)) nock.removeInterceptor(interceptor);
    if (installed === this) installed = null;
  }

  /** The Nth request matching the fault answers its reply (or runs its side effect). */
  inject(fault: Fault): this {
    this.faults.push({ ...fault, seen: 0 });
    return this;
  }

  private find(method: string, path: string): { route: Route; match: RegExpExecArray } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (match) return { route, match };
    }
    return null;
  }

  private serve(method: string, uri: string, rawBody: unknown): Reply {
    const path = pathOf(uri);
    const query = new URLSearchParams(uri.includes("?") ? uri.slice(uri.indexOf("?") + 1) : "");
    const found = this.find(method, path)!;
    const body = parseBody(rawBody);
    const record: RecordedRequest = { method, path, body, status: 0, kind: found.route.kind };
    this.requests.push(record);

    // Every fault counts the requests it matches; the first one due applies.
    let fault: Fault | undefined;
    for (const f of this.faults) {
      if (f.method && f.method !== method) continue;
      if (typeof f.path === "string" ? f.path !== path : !f.path.test(path)) continue;
      f.seen++;
      const first = f.nth ?? 1;
      if (!fault && f.seen >= first && f.seen < first + (f.times ?? 1)) fault = f;
    }
    fault?.before?.(this);
    let reply: Reply;
    if (fault?.reply && !fault.afterWrite) {
      reply = fault.reply;
    } else {
      try {
        reply = found.route.handle(found.match, body, query);
      } catch (error) {
        reply = { status: 500, body: { message: `fake GitHub failed: ${(error as Error).message}` } };
      }
      if (fault?.reply) reply = fault.reply;
    }
    record.status = reply.status;
    return reply;
  }

  // -------------------------------------------------------------------------
  // What tests look at

  /** `METHOD /path` of every request, in order. */
  calls(kind?: RequestKind): string[] {
    return this.requests.filter((r) => !kind || r.kind === kind).map((r) => `${r.method} ${r.path}`);
  }

  /** Every ref update asked for (whatever the answer, faults included), to check nothing is ever forced. */
  get refUpdates(): Array<{ repo: string; branch: string; sha: string; force: unknown; status: number }> {
    return this.requests.flatMap((r) => {
      const m = /^\/repos\/([^/]+)\/([^/]+)\/git\/refs\/heads\/(.+)$/.exec(r.path);
      if (r.method !== "PATCH" || !m) return [];
      const body = r.body as { sha?: unknown; force?: unknown };
      const branch = m[3]!.split("/").map(decodeURIComponent).join("/");
      return [{ repo: `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`, branch, sha: String(body.sha), force: body.force, status: r.status }];
    });
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === "write");
  }

  /** Forget the requests so far (state stays): the next assertions are about what comes after. */
  resetRequests(): void {
    this.requests.length = 0;
  }

  /** Take the queued webhooks. */
  takeEvents(): FakeEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  headFiles(): Files {
    return this.filesAt(this.pr.headSha);
  }

  baseFiles(): Files {
    return this.filesAt(this.refs.get(this.refKey(OWNER, REPO, this.pr.baseRef))!);
  }

  filesAt(sha: string): Files {
    const commit = this.commits.get(sha);
    if (!commit) throw new Error(`no commit ${sha}`);
    return { ...this.trees.get(commit.tree)! };
  }

  /** The commits on the head branch that the app made, oldest first. */
  botCommits(): Commit[] {
    const out: Commit[] = [];
    for (let sha: string | undefined = this.pr.headSha; sha; sha = this.commits.get(sha)?.parents[0]) {
      const commit = this.commits.get(sha)!;
      if (commit.byApp) out.unshift(commit);
    }
    return out;
  }

  botComments(): Comment[] {
    return this.comments.filter((c) => c.author === BOT);
  }

  /** The newest `SEP checks` run on the current head commit. */
  latestCheck(sha = this.pr.headSha): CheckRun | undefined {
    return this.checkRuns.filter((r) => r.headSha === sha && r.name === "SEP checks").at(-1);
  }

  /** Everything a person sees on the pull request, for comparing two histories. */
  visibleState() {
    return {
      headFiles: this.headFiles(),
      labels: [...this.pr.labels].sort(),
      comments: this.comments.map((c) => ({ author: c.author, body: c.body })),
      check: this.latestCheck() && { conclusion: this.latestCheck()!.conclusion, summary: this.latestCheck()!.summary },
    };
  }

  // -------------------------------------------------------------------------
  // What people do (changes state and queues the webhook GitHub would send)

  /** Someone pushes a commit to the head branch. */
  push(changes: FileChanges, by = this.pr.author, message = "Update the SEP"): string {
    const before = this.pr.headSha;
    const sha = this.commit(applyChanges(this.headFiles(), changes), [before], message);
    this.moveHead(sha);
    this.events.push({ name: "pull_request", action: "synchronize", sender: by, before, after: sha, headSha: sha });
    return sha;
  }

  /** Someone applies a label in the UI. */
  addLabel(label: string, by: string): void {
    if (!this.pr.labels.some((l) => l.toLowerCase() === label.toLowerCase())) this.pr.labels.push(label);
    this.recordLabel(true, label, by);
    this.events.push({ name: "pull_request", action: "labeled", sender: by, label, headSha: this.pr.headSha });
  }

  removeLabel(label: string, by: string): void {
    this.pr.labels = this.pr.labels.filter((l) => l.toLowerCase() !== label.toLowerCase());
    this.recordLabel(false, label, by);
    this.events.push({ name: "pull_request", action: "unlabeled", sender: by, label, headSha: this.pr.headSha });
  }

  private recordLabel(added: boolean, label: string, actor: string): void {
    // A clock of its own: one minute per change, after the PR was opened.
    const at = new Date(Date.parse(this.pr.createdAt) + (this.labelHistory.length + 1) * 60_000).toISOString();
    this.labelHistory.push({ added, label, actor, at });
  }

  addComment(author: string, body: string): Comment {
    const comment = { id: this.id(), author, body };
    this.comments.push(comment);
    return comment;
  }

  // -------------------------------------------------------------------------
  // Git objects

  private refKey(owner: string, repo: string, branch: string): string {
    return `${owner}/${repo}:${branch}`.toLowerCase();
  }

  private id(): number {
    return this.nextId++;
  }

  private tree(files: Files): string {
    const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
    const sha = sha1(`tree ${JSON.stringify(sorted)}`);
    this.trees.set(sha, sorted);
    return sha;
  }

  private commit(files: Files, parents: string[], message: string): string {
    return this.commitTree(this.tree(files), parents, message);
  }

  private commitTree(tree: string, parents: string[], message: string, byApp = false): string {
    const sha = sha1(`commit ${tree} ${parents.join(",")} ${message} ${this.commits.size}`);
    this.commits.set(sha, { sha, tree, parents, message, byApp });
    return sha;
  }

  private moveHead(sha: string): void {
    this.pr.headSha = sha;
    if (this.pr.headRepo) this.refs.set(this.refKey(this.pr.headRepo.owner, this.pr.headRepo.name, this.pr.headRef), sha);
  }

  private isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const next = stack.pop()!;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.commits.get(next)?.parents ?? []));
    }
    return false;
  }

  /** `rev:path` as GraphQL's `object(expression:)` resolves it: a blob, a tree, or nothing. */
  objectAt(expression: string): FakeObject | undefined {
    const colon = expression.indexOf(":");
    if (colon < 0) return undefined;
    const rev = expression.slice(0, colon);
    const path = expression.slice(colon + 1);
    const sha = this.refs.get(this.refKey(OWNER, REPO, rev)) ?? (this.commits.has(rev) ? rev : undefined);
    if (!sha) return undefined;
    const files = this.filesAt(sha);
    if (path in files) return { kind: "blob", text: files[path]! };
    const prefix = `${path.replace(/\/$/, "")}/`;
    const entries = new Set<string>();
    for (const file of Object.keys(files)) if (file.startsWith(prefix)) entries.add(file.slice(prefix.length).split("/")[0]!);
    return entries.size ? { kind: "tree", entries: [...entries].sort() } : undefined;
  }

  /** What the pull request changes, the way GitHub lists it (an unchanged move is a rename). */
  changedFiles(): Array<{ path: string; status: "added" | "modified" | "removed" | "renamed"; previous?: string }> {
    const base = this.baseFiles();
    const head = this.headFiles();
    const removed = Object.keys(base).filter((p) => !(p in head));
    const out: Array<{ path: string; status: "added" | "modified" | "removed" | "renamed"; previous?: string }> = [];
    const renamedFrom = new Set<string>();
    for (const path of Object.keys(head).sort()) {
      if (path in base) {
        if (base[path] !== head[path]) out.push({ path, status: "modified" });
      } else {
        const previous = removed.find((r) => !renamedFrom.has(r) && base[r] === head[path]);
        if (previous) {
          renamedFrom.add(previous);
          out.push({ path, status: "renamed", previous });
        } else out.push({ path, status: "added" });
      }
    }
    for (const path of removed) if (!renamedFrom.has(path)) out.push({ path, status: "removed" });
    return out;
  }

  // -------------------------------------------------------------------------
  // GraphQL: the two queries of read-snapshot, answered by `answerGraphql`

  private graphql(call: GraphqlCall): unknown {
    const vars = call.variables as Record<string, string>;
    if (vars.owner?.toLowerCase() !== OWNER || vars.name?.toLowerCase() !== REPO) {
      return { data: { repository: null }, errors: [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository" }] };
    }
    const view: FakeRepository = {
      pullRequest: Number(vars.number ?? this.pr.number) === this.pr.number ? this.pullRequestNode() : null,
      objects: new Proxy({} as Record<string, FakeObject>, { get: (_, expression) => this.objectAt(String(expression)) }),
      headCommit: vars.headOid ? this.commitNode(vars.headOid) : null,
      teams: this.teams,
      pages: this.pages(),
    };
    return answerGraphql(view, call);
  }

  private static PAGE = 100;

  private fileNodes() {
    const TYPE = { added: "ADDED", modified: "MODIFIED", removed: "DELETED", renamed: "RENAMED" } as const;
    return this.changedFiles().map((f) => ({ path: f.path, changeType: TYPE[f.status] }));
  }

  private commentNodes() {
    return this.comments.map((c) => ({
      databaseId: c.id,
      body: c.body,
      viewerDidAuthor: c.author === BOT,
      // GraphQL shows an app's bot user without the `[bot]` suffix.
      author: { login: c.author.replace(/\[bot\]$/, "") },
    }));
  }

  private page<T>(nodes: T[], field: string, start: number) {
    const end = start + GitHubFake.PAGE;
    return { nodes: nodes.slice(start, end), pageInfo: { hasNextPage: end < nodes.length, endCursor: nodes.length ? `${field}:${Math.min(end, nodes.length)}` : null } };
  }

  private pages(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const files = this.fileNodes();
    const comments = this.commentNodes();
    for (let i = GitHubFake.PAGE; i < files.length; i += GitHubFake.PAGE) out[`files:${i}`] = this.page(files, "files", i);
    for (let i = GitHubFake.PAGE; i < comments.length; i += GitHubFake.PAGE) out[`comments:${i}`] = this.page(comments, "comments", i);
    return out;
  }

  private pullRequestNode(): Record<string, unknown> {
    const pr = this.pr;
    const head = this.commits.get(pr.headSha)!;
    const files = this.fileNodes();
    return {
      number: pr.number,
      url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}`,
      state: pr.merged ? "MERGED" : pr.state === "open" ? "OPEN" : "CLOSED",
      merged: pr.merged,
      createdAt: pr.createdAt,
      headRefOid: pr.headSha,
      headRefName: pr.headRef,
      baseRefName: pr.baseRef,
      maintainerCanModify: pr.maintainerCanModify,
      changedFiles: files.length,
      author: { login: pr.author },
      headRepository: pr.headRepo && {
        name: pr.headRepo.name,
        isFork: !this.isBaseRepo(pr.headRepo.owner, pr.headRepo.name),
        owner: { login: pr.headRepo.owner, __typename: pr.headRepo.ownerType },
      },
      commits: { nodes: [{ commit: { oid: head.sha, tree: { oid: head.tree } } }] },
      labels: { nodes: pr.labels.map((name) => ({ name })) },
      assignees: { nodes: pr.assignees.map((login) => ({ login })) },
      files: this.page(files, "files", 0),
      comments: this.page(this.commentNodes(), "comments", 0),
      // Not read by sep-bot today; served so a reader that asks who labelled what finds GitHub's answer.
      timelineItems: {
        nodes: this.labelHistory.map((e) => ({
          __typename: e.added ? "LabeledEvent" : "UnlabeledEvent",
          actor: { login: e.actor.replace(/\[bot\]$/, "") },
          label: { name: e.label },
          createdAt: e.at,
        })),
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    };
  }

  private commitNode(oid: string): FakeRepository["headCommit"] {
    const commit = this.commits.get(oid);
    if (!commit) return null;
    const runs = this.checkRuns.filter((r) => r.headSha === oid && r.name === "SEP checks");
    return {
      tree: { oid: commit.tree },
      checkSuites: { nodes: runs.length ? [{ app: { databaseId: APP_ID }, checkRuns: { nodes: runs.map((r) => ({ databaseId: r.id, summary: r.summary })) } }] : [] },
    };
  }

  private isBaseRepo(owner: string, repo: string): boolean {
    return owner.toLowerCase() === OWNER && repo.toLowerCase() === REPO;
  }

  /** Repositories the installation can push to: the base, and a fork that accepts it. */
  private writable(owner: string, repo: string): Reply | null {
    if (this.isBaseRepo(owner, repo)) return null;
    const head = this.pr.headRepo;
    if (head && head.owner.toLowerCase() === owner.toLowerCase() && head.name.toLowerCase() === repo.toLowerCase()) {
      return this.forkAcceptsPushes ? null : forbidden();
    }
    return { status: 404, body: { message: "Not Found" } };
  }

  // -------------------------------------------------------------------------
  // Routes

  private buildRoutes(): Route[] {
    const repo = "/repos/([^/]+)/([^/]+)";
    const issue = `${repo}/issues/(\\d+)`;
    const route = (method: string, pattern: string, kind: RequestKind, handle: Route["handle"]): Route => ({
      method,
      pattern: new RegExp(`^${pattern}$`),
      kind,
      handle,
    });
    const notFound: Reply = { status: 404, body: { message: "Not Found" } };
    const isOurs = (m: RegExpExecArray) => this.isBaseRepo(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    const isOurPr = (m: RegExpExecArray) => isOurs(m) && Number(m[3]) === this.pr.number;

    return [
      route("POST", "/app/installations/(\\d+)/access_tokens", "token", (m) =>
        Number(m[1]) === INSTALLATION_ID
          ? {
              status: 201,
              body: {
                token: "ghs_fakeInstallationToken",
                expires_at: new Date(Date.now() + 3600_000).toISOString(),
                permissions: { checks: "write", contents: "write", issues: "write", pull_requests: "write", metadata: "read" },
                repository_selection: "selected",
              },
            }
          : notFound,
      ),

      // The app's own identity (app JWT): sep-bot reads its login here when BOT_LOGIN is not set.
      route("GET", "/app", "read", () => ({ status: 200, body: { id: APP_ID, slug: "sep-bot", name: "sep-bot", owner: { login: OWNER } } })),

      route("POST", "/graphql", "read", (_m, body) => ({ status: 200, body: this.graphql({ query: String(body.query), variables: (body.variables ?? {}) as Record<string, unknown> }) })),

      route("GET", `${repo}/pulls/(\\d+)/files`, "read", (m, _b, query) => {
        if (!isOurPr(m)) return notFound;
        const perPage = Number(query.get("per_page") ?? 30);
        const page = Number(query.get("page") ?? 1);
        const all = this.changedFiles().map((f) => ({ filename: f.path, status: f.status, ...(f.previous ? { previous_filename: f.previous } : {}) }));
        return { status: 200, body: all.slice((page - 1) * perPage, page * perPage) };
      }),

      route("GET", `${repo}/commits/([0-9a-f]{40})/pulls`, "read", (m) => {
        if (!isOurs(m)) return notFound;
        const pulls = m[3] === this.pr.headSha ? [{ number: this.pr.number, state: this.pr.state, head: { sha: this.pr.headSha, ref: this.pr.headRef } }] : [];
        return { status: 200, body: pulls };
      }),

      // --- git data (on the head repository) ---
      route("POST", `${repo}/git/trees`, "write", (m, body) => {
        const denied = this.writable(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
        if (denied) return denied;
        const baseTree = body.base_tree === undefined ? {} : this.trees.get(String(body.base_tree));
        if (!baseTree) return unprocessable("base_tree is not a valid tree oid");
        const files: Files = { ...baseTree };
        for (const entry of body.tree as Array<{ path: string; sha?: string | null; content?: string; mode: string; type: string }>) {
          if (entry.mode !== "100644" || entry.type !== "blob") return unprocessable(`unexpected tree entry ${JSON.stringify(entry)}`);
          if (entry.content !== undefined) files[entry.path] = entry.content;
          else if (entry.sha === null) delete files[entry.path];
          else return unprocessable("blob shas are not supported by the fake");
        }
        const sha = this.tree(files);
        return { status: 201, body: { sha, url: `${API}/repos/${m[1]}/${m[2]}/git/trees/${sha}`, truncated: false, tree: [] } };
      }),

      route("POST", `${repo}/git/commits`, "write", (m, body) => {
        const denied = this.writable(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
        if (denied) return denied;
        const tree = String(body.tree);
        const parents = (body.parents as string[]) ?? [];
        if (!this.trees.has(tree)) return unprocessable("Tree SHA does not exist");
        if (parents.some((p) => !this.commits.has(p))) return unprocessable("Parent SHA does not exist or is not a commit object");
        const sha = this.commitTree(tree, parents, String(body.message), true);
        return { status: 201, body: { sha, tree: { sha: tree }, parents: parents.map((p) => ({ sha: p })), message: body.message } };
      }),

      route("PATCH", `${repo}/git/refs/heads/(.+)`, "write", (m, body) => {
        const owner = decodeURIComponent(m[1]!);
        const name = decodeURIComponent(m[2]!);
        const branch = m[3]!.split("/").map(decodeURIComponent).join("/");
        const sha = String(body.sha);
        const denied = this.writable(owner, name);
        if (denied) return denied;
        const key = this.refKey(owner, name, branch);
        const current = this.refs.get(key);
        if (!current) return unprocessable("Reference does not exist");
        if (!this.commits.has(sha)) return unprocessable("Object does not exist");
        if (body.force !== true && !this.isAncestor(current, sha)) return unprocessable("Update is not a fast forward");
        this.refs.set(key, sha);
        const head = this.pr.headRepo;
        if (head && this.refKey(head.owner, head.name, this.pr.headRef) === key) {
          const before = this.pr.headSha;
          this.pr.headSha = sha;
          this.events.push({ name: "pull_request", action: "synchronize", sender: BOT, before, after: sha, headSha: sha });
        }
        return { status: 200, body: { ref: `refs/heads/${branch}`, object: { sha, type: "commit" } } };
      }),

      // --- labels ---
      route("POST", `${issue}/labels`, "write", (m, body) => {
        if (!isOurPr(m)) return notFound;
        for (const label of (body.labels as string[]) ?? []) {
          if (this.pr.labels.some((l) => l.toLowerCase() === label.toLowerCase())) continue;
          this.pr.labels.push(label);
          this.recordLabel(true, label, BOT);
          this.events.push({ name: "pull_request", action: "labeled", sender: BOT, label, headSha: this.pr.headSha });
        }
        return { status: 200, body: this.pr.labels.map(labelObject) };
      }),

      route("DELETE", `${issue}/labels/([^/]+)`, "write", (m) => {
        if (!isOurPr(m)) return notFound;
        const name = decodeURIComponent(m[4]!);
        const present = this.pr.labels.find((l) => l.toLowerCase() === name.toLowerCase());
        if (!present) return { status: 404, body: { message: "Label does not exist" } };
        this.pr.labels = this.pr.labels.filter((l) => l !== present);
        this.recordLabel(false, present, BOT);
        this.events.push({ name: "pull_request", action: "unlabeled", sender: BOT, label: present, headSha: this.pr.headSha });
        return { status: 200, body: this.pr.labels.map(labelObject) };
      }),

      // --- check runs ---
      route("POST", `${repo}/check-runs`, "write", (m, body) => {
        if (!isOurs(m)) return notFound;
        if (!this.commits.has(String(body.head_sha))) return unprocessable("No commit found for SHA");
        const output = (body.output ?? {}) as { title?: string; summary?: string; annotations?: unknown[] };
        if ((output.annotations?.length ?? 0) > 50) return unprocessable("Only 50 annotations are allowed per request");
        const run: CheckRun = {
          id: this.id(),
          name: String(body.name),
          headSha: String(body.head_sha),
          conclusion: (body.conclusion as string) ?? null,
          title: output.title ?? "",
          summary: output.summary ?? "",
          annotations: [...(output.annotations ?? [])],
        };
        this.checkRuns.push(run);
        return { status: 201, body: { id: run.id, name: run.name, head_sha: run.headSha, status: "completed", conclusion: run.conclusion } };
      }),

      route("PATCH", `${repo}/check-runs/(\\d+)`, "write", (m, body) => {
        const run = isOurs(m) ? this.checkRuns.find((r) => r.id === Number(m[3])) : undefined;
        if (!run) return notFound;
        const output = (body.output ?? {}) as { title?: string; summary?: string; annotations?: unknown[] };
        if ((output.annotations?.length ?? 0) > 50) return unprocessable("Only 50 annotations are allowed per request");
        if (output.title !== undefined) run.title = output.title;
        if (output.summary !== undefined) run.summary = output.summary;
        run.annotations.push(...(output.annotations ?? []));
        return { status: 200, body: { id: run.id } };
      }),

      // --- comments ---
      route("POST", `${issue}/comments`, "write", (m, body) => {
        if (!isOurPr(m)) return notFound;
        if (typeof body.body !== "string" || body.body.length > 65_536) return unprocessable("Body is too long (maximum is 65536 characters)");
        const comment = this.addComment(BOT, body.body);
        return { status: 201, body: { id: comment.id, body: comment.body, user: { login: BOT, type: "Bot" } } };
      }),

      route("PATCH", `${repo}/issues/comments/(\\d+)`, "write", (m, body) => {
        const comment = isOurs(m) ? this.comments.find((c) => c.id === Number(m[3])) : undefined;
        if (!comment) return notFound;
        if (comment.author !== BOT) return forbidden("Resource not accessible by integration");
        comment.body = String(body.body);
        return { status: 200, body: { id: comment.id, body: comment.body, user: { login: BOT, type: "Bot" } } };
      }),

      route("DELETE", `${repo}/issues/comments/(\\d+)`, "write", (m) => {
        const comment = isOurs(m) ? this.comments.find((c) => c.id === Number(m[3])) : undefined;
        if (!comment) return notFound;
        this.comments = this.comments.filter((c) => c !== comment);
        return { status: 204 };
      }),
    ];
  }
}

function pathOf(uri: string): string {
  const path = uri.startsWith("http") ? new URL(uri).pathname + new URL(uri).search : uri;
  return path.split("?")[0]!;
}

function parseBody(body: unknown): Record<string, unknown> {
  if (typeof body === "string") {
    if (!body) return {};
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return { raw: body };
    }
  }
  return (body ?? {}) as Record<string, unknown>;
}

export function applyChanges(files: Files, changes: FileChanges): Files {
  const out = { ...files };
  for (const [path, content] of Object.entries(changes)) {
    if (content === null) delete out[path];
    else out[path] = content;
  }
  return out;
}

function labelObject(name: string) {
  return { id: 1, node_id: "LA_kwDO", url: `${API}/repos/${OWNER}/${REPO}/labels/${encodeURIComponent(name)}`, name, color: "ededed", default: false, description: null };
}

// ---------------------------------------------------------------------------
// Webhook payloads, shaped like GitHub's

const PAYLOADS = new URL("../fixtures/payloads/", import.meta.url);
type Json = Record<string, any>; // webhook JSON, as loose as GitHub's

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`${name}.json`, PAYLOADS), "utf8")) as Json;
}

/** A user (or bot) object like the fixtures', for any login. */
function userObject(template: Json, login: string): Json {
  const bot = login.endsWith("[bot]");
  const user = JSON.parse(JSON.stringify(template).replaceAll("/pieter", `/${encodeURIComponent(login)}`)) as Json;
  return { ...user, login, type: bot ? "Bot" : "User", id: bot ? 41898282 + APP_ID : user.id };
}

/** The head repository as a webhook shows it: the base repository, a fork, or null. */
function headRepository(repository: Json, head: HeadRepo | null): Json | null {
  if (!head) return null;
  if (head.owner.toLowerCase() === OWNER && head.name.toLowerCase() === REPO) return repository;
  const text = JSON.stringify(repository).replaceAll(`${OWNER}/${REPO}`, `${head.owner}/${head.name}`).replaceAll(`/users/${OWNER}`, `/users/${head.owner}`);
  const fork = JSON.parse(text) as Json;
  return {
    ...fork,
    id: repository.id + 1000,
    name: head.name,
    full_name: `${head.owner}/${head.name}`,
    fork: true,
    owner: { ...fork.owner, login: head.owner, type: head.ownerType, id: fork.owner.id + 7 },
  };
}

/**
 * The webhook for `event`, built from the fixtures in test/fixtures/payloads
 * (@octokit/webhooks-examples payloads moved to this repository, with an
 * `installation`) and filled with the fake's current state: head sha, labels,
 * assignees, head repository (same repository, fork, or a deleted fork: null).
 */
export function webhook(fake: GitHubFake, event: FakeEvent, id = `delivery-${Math.random().toString(36).slice(2)}`) {
  const pr = fake.pr;
  if (event.name === "check_run") {
    const payload = fixture("check_run.rerequested");
    payload.check_run.name = event.checkName ?? "SEP checks";
    payload.check_run.head_sha = pr.headSha;
    payload.check_run.check_suite.head_sha = pr.headSha;
    payload.check_run.check_suite.after = pr.headSha;
    const sameRepo = pr.headRepo !== null && pr.headRepo.owner.toLowerCase() === OWNER && pr.headRepo.name.toLowerCase() === REPO;
    // GitHub lists only pull requests from the same repository here, never forks.
    const pulls = sameRepo
      ? payload.check_run.pull_requests.map((p: Json) => ({ ...p, number: pr.number, head: { ...p.head, ref: pr.headRef, sha: pr.headSha } }))
      : [];
    payload.check_run.pull_requests = pulls;
    payload.check_run.check_suite.pull_requests = pulls;
    payload.sender = userObject(payload.sender, event.sender);
    return { id, name: "check_run" as const, payload };
  }

  const source = ["synchronize", "labeled"].includes(event.action) ? event.action : event.action === "unlabeled" ? "labeled" : "opened";
  let text = JSON.stringify(fixture(`pull_request.${source}`));
  text = text.replace(/\/(pulls|pull|issues)\/1933(?=["/#])/g, `/$1/${pr.number}`);
  const payload = JSON.parse(text) as Json;
  const p = payload.pull_request;
  const template = p.user;
  payload.action = event.action;
  payload.number = pr.number;
  p.number = pr.number;
  p.state = pr.state;
  p.merged = pr.merged;
  p.user = userObject(template, pr.author);
  p.created_at = pr.createdAt;
  p.labels = pr.labels.map(labelObject);
  p.assignees = pr.assignees.map((login) => userObject(template, login));
  p.assignee = p.assignees[0] ?? null;
  p.maintainer_can_modify = pr.maintainerCanModify;
  p.head.sha = event.headSha ?? pr.headSha;
  p.head.ref = pr.headRef;
  p.head.repo = headRepository(payload.repository, pr.headRepo);
  p.head.label = `${pr.headRepo?.owner ?? pr.author}:${pr.headRef}`;
  p.head.user = p.head.repo ? p.head.repo.owner : userObject(template, pr.author);
  p.base.sha = fake.refs.get(`${OWNER}/${REPO}:main`)!;
  payload.sender = userObject(template, event.sender);
  if (event.action === "labeled" || event.action === "unlabeled") payload.label = labelObject(event.label ?? "");
  else delete payload.label;
  if (event.action === "synchronize") {
    payload.before = event.before ?? pr.headSha;
    payload.after = event.after ?? pr.headSha;
  } else {
    delete payload.before;
    delete payload.after;
  }
  return { id, name: "pull_request" as const, payload };
}

// ---------------------------------------------------------------------------
// The real app in a Probot instance

let privateKey: string | undefined;
/** A throwaway RSA key: Probot signs a real app JWT with it to ask for the installation token. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

/** Probot's logger, silent unless TEST_LOG_LEVEL says otherwise. */
export function testLog() {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
}

/**
 * The Octokit class for tests: retry and throttling off (or retry on with
 * no wait), in the function form of `.defaults` (the object form does not
 * disable throttling, see probot-notes).
 */
export function testOctokitClass(o: { retry?: boolean } = {}) {
  return ProbotOctokit.defaults((opts: Record<string, unknown>) => ({
    ...opts,
    retry: o.retry ? { enabled: true, retries: 2, retryAfterBaseValue: 1 } : { enabled: false },
    throttle: { enabled: false },
  }));
}

/** A fresh Probot (so a fresh token cache: the installation token is requested again) running sep-bot. */
export async function testProbot(options: SepBotOptions & { retry?: boolean } = {}): Promise<Probot> {
  const { retry, ...appOptions } = options;
  const probot = new Probot({
    appId: APP_ID,
    privateKey: testPrivateKey(),
    Octokit: testOctokitClass({ retry }),
    log: testLog(),
  });
  await probot.load(sepBot({ botLogin: BOT, now: () => NOW, ...appOptions }), { cwd: process.cwd(), addHandler: () => {} });
  return probot;
}

type Delivery = ReturnType<typeof webhook>;

/** `probot.receive` for a built payload (Probot's types want one exact event type per name). */
export function deliver(probot: Probot, delivery: Delivery): Promise<void> {
  return probot.receive(delivery as unknown as Parameters<Probot["receive"]>[0]);
}

/** Delivers every webhook the fake queued, in order (or in the order `reorder` gives). */
export async function deliverQueued(probot: Probot, fake: GitHubFake, reorder: (events: FakeEvent[]) => FakeEvent[] = (e) => e): Promise<FakeEvent[]> {
  const events = reorder(fake.takeEvents());
  for (const event of events) await deliver(probot, webhook(fake, event));
  return events;
}
