import { createHash, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { sepBot, type SepBotOptions } from "../../src/run/app.js";
import { connection, executeGraphql, GitHubGraphqlError, type ConnectionArgs } from "./fake-graphql.js";
import { API } from "./octokit.js";

/**
 * An in-memory GitHub for one repository (and the forks its pull requests
 * come from), served through nock on https://api.github.com or over real
 * HTTP on loopback (`listen()`, for processes: `sep-bot action`, the CLI).
 * It keeps real state (git objects and refs, pull requests, labels with
 * their timeline, comments with reactions, check runs, teams) and answers
 * the requests sep-bot makes the way GitHub does; GraphQL is executed
 * against GitHub's own schema (fake-graphql.ts), so a query GitHub would
 * reject is rejected here too.
 *
 * - Every request is recorded (method, path, GraphQL operation, body,
 *   status) and classified as `token`, `read` or `write` (a GraphQL mutation
 *   is a write).
 * - A request no route knows is not intercepted at all: nock reports "no
 *   match", the request fails, and `useNock()` fails the test.
 * - `inject()` makes the Nth request matching a path (or GraphQL operation)
 *   answer an error, or run a side effect first ("another push lands while
 *   the bot commits").
 * - `events` queues the webhooks GitHub would send because of a write (the
 *   bot's push -> `synchronize`, its labels -> `labeled`), so a test can
 *   deliver them, in any order, twice, or at the same time.
 * - `latency` delays answers (GitHub takes time; races need it).
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
  title: string;
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

export type RequestKind = "token" | "read" | "write";

export interface RecordedRequest {
  method: string;
  path: string;
  /** The GraphQL operation name (SepPullRequest, SepCommit...), for POST /graphql. */
  operation?: string;
  body: unknown;
  status: number;
  kind: RequestKind;
  /** ms since the fake was created, when the request arrived. */
  at: number;
  /** ms since the fake was created, when the answer went out (latency included). */
  doneAt: number;
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
  /** Only GraphQL requests of this operation (with path "/graphql"). */
  operation?: string;
  /** Which matching request (1-based) is affected; default 1. */
  nth?: number;
  /** How many consecutive matching requests from the nth on; default 1. */
  times?: number;
  /** The answer instead of the normal one. Without it, the request is served normally (after `before`). */
  reply?: Reply;
  /** Perform the request first (GitHub did the write), then answer `reply` anyway. */
  afterWrite?: boolean;
  /** Runs before the request is served, e.g. to let another push land; a promise it returns is awaited first. */
  before?: (fake: GitHubFake) => void | Promise<void>;
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

let installed: GitHubFake | null = null;

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
const lower = (s: string) => s.toLowerCase();
/** The app's bot user id (in its noreply e-mail and webhook payloads). */
export const BOT_USER_ID = 41898282 + APP_ID;
/** Display names people set on their profile (for `Sponsor: Name (@login)`); everyone else has none. */
export const DISPLAY_NAMES: Record<string, string> = { grace: "Grace Hopper", max: "Max Core", pieter: "Pieter Author" };
/** GraphQL shows an app's bot user without the `[bot]` suffix, as an Actor. */
const actorNode = (login: string) =>
  login.endsWith("[bot]") ? { __typename: "Bot", login: login.replace(/\[bot\]$/, "") } : { __typename: "User", login, name: DISPLAY_NAMES[login] ?? null };

interface Route {
  method: string;
  pattern: RegExp;
  kind: RequestKind;
  handle: (match: RegExpExecArray, body: Record<string, unknown>, query: URLSearchParams) => Reply | Promise<Reply>;
}

export class GitHubFake {
  readonly owner = OWNER;
  readonly repo = REPO;
  readonly defaultBranch = "main";
  /** The pull request most tests are about (the first one). */
  readonly primary: number;
  readonly pulls = new Map<number, PullState>();
  forkAcceptsPushes: boolean;
  forkAcceptsGraphqlCommits: boolean;
  teams: Record<string, string[]> = {};
  /** The token may not read team membership (a workflow's GITHUB_TOKEN): GitHub answers FORBIDDEN. */
  teamsForbidden = false;
  /** Who the token is (GraphQL `viewer`): the App's bot, or a person's token in a preview. */
  viewerLogin = BOT;
  /** The repository is private (the App's repository list says so; the live site then leaves it out). */
  private = false;
  /** ms added before each answer; writes take longer than reads on GitHub. */
  latency: { read: number; write: number } = { read: 0, write: 0 };
  readonly issues = new Map<number, IssueState>();
  readonly projects: ProjectState[] = [];
  /** What the token may do with the organisation's projects (the app's Organization projects permission). */
  projectAccess: "write" | "read" | "none" = "write";
  /** Workflow runs asked for (`POST .../actions/workflows/{file}/dispatches`), oldest first, with their inputs when given. */
  readonly dispatches: Array<{ workflow: string; ref: string; inputs?: Record<string, unknown> }> = [];
  /** The `workflow_dispatch` inputs the workflow declares: others are refused (422) as GitHub does. null: any is taken. */
  workflowInputs: string[] | null = null;

  readonly commits = new Map<string, Commit>();
  readonly trees = new Map<string, Files>();
  /** Blob oid -> content, for every blob GraphQL has shown: what `GET git/blobs/{sha}` serves. */
  private readonly blobs = new Map<string, string>();
  /** Directory tree oids shown by GraphQL or REST -> where they are, for `GET git/trees/{sha}`. */
  private readonly subtrees = new Map<string, { files: Files; path: string }>();
  /** `owner/repo:branch` (lowercase) -> commit sha */
  readonly refs = new Map<string, string>();
  allComments: Comment[] = [];
  checkRuns: CheckRun[] = [];
  readonly timeline: TimelineEvent[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Webhooks GitHub would send next, oldest first. */
  events: FakeEvent[] = [];
  /** GitHub's clock: every recorded change advances it a minute. */
  clock: number;

  /** When the fake was created (request times are relative to it). */
  readonly started = Date.now();
  private faults: Array<Fault & { seen: number }> = [];
  private interceptors: nock.Interceptor[] = [];
  private nextId = 9_000_001;
  private nextNumber: number;
  private readonly routes: Route[];
  private readonly baseSha: string;

  constructor(options: FakeOptions = {}) {
    const base: Files = { ...(options.base ?? defaultBase(options.maintainers)) };
    if (options.config !== undefined) base[".github/sep-bot.yml"] = options.config;
    this.baseSha = this.commit(base, [], "Initial commit");
    this.refs.set(this.refKey(OWNER, REPO, "main"), this.baseSha);
    this.clock = options.createdAt ? Date.parse(options.createdAt) : Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    this.forkAcceptsGraphqlCommits = options.forkAcceptsGraphqlCommits ?? false;
    const headRepo = options.headRepo === undefined ? { owner: OWNER, name: REPO, ownerType: "Organization" as const } : options.headRepo;
    const maintainerCanModify = options.maintainerCanModify ?? false;
    this.forkAcceptsPushes = options.forkAcceptsPushes ?? (maintainerCanModify && headRepo?.ownerType === "User");
    this.nextNumber = options.number ?? NUMBER;
    this.primary = this.openPullRequest(options).number;
    this.routes = this.buildRoutes();
  }

  /** The first pull request (most tests have only this one). */
  get pr(): PullState {
    return this.pulls.get(this.primary)!;
  }

  /** An organisation project board with one single-select field (`Status` by default). */
  addProject(number: number, options: string[], field = "Status"): ProjectState {
    const project: ProjectState = {
      number,
      id: `PVT_fake${number}`,
      title: "SEP Review Pipeline",
      fields: [{ id: `PVTSSF_fake${number}`, name: field, options: options.map((name, i) => ({ id: `opt${number}_${i}`, name })) }],
      items: [],
    };
    this.projects.push(project);
    return project;
  }

  /** The option a pull request's item shows on a board's field, or undefined when it is not on the board. */
  boardOption(number: number, projectNumber: number, field = "Status"): string | null | undefined {
    const project = this.projects.find((p) => p.number === projectNumber);
    const item = project?.items.find((i) => i.pull === number);
    if (!project || !item) return undefined;
    const f = project.fields.find((x) => x.name === field)!;
    return f.options.find((o) => o.id === item.values[f.id])?.name ?? null;
  }

  /** Another pull request on the same repository, opened now (the first comes from the constructor). */
  openPullRequest(options: PullOptions = {}): PullState {
    const number = options.number ?? this.nextNumber;
    this.nextNumber = Math.max(this.nextNumber, number) + 1;
    const headRepo = options.headRepo === undefined ? { owner: OWNER, name: REPO, ownerType: "Organization" as const } : options.headRepo;
    const headRef = options.headRef ?? (this.pulls.size === 0 ? "wif" : `sep-${number}`);
    const headSha = this.commit(applyChanges(this.baseFiles(), options.changes ?? {}), [this.baseSha], "Add the SEP", options.author ?? "pieter");
    const pr: PullState = {
      number,
      title: options.title ?? "SEP: Workload Identity Federation",
      author: options.author ?? "pieter",
      headRef,
      headRepo,
      maintainerCanModify: options.maintainerCanModify ?? false,
      baseRef: "main",
      headSha,
      labels: [...(options.labels ?? [])],
      assignees: [...(options.assignees ?? [])],
      state: options.state ?? "open",
      merged: false,
      createdAt: options.createdAt ?? new Date(this.clock).toISOString(),
      closedAt: null,
    };
    this.pulls.set(number, pr);
    if (headRepo) this.refs.set(this.refKey(headRepo.owner, headRepo.name, headRef), headSha);
    for (const c of options.comments ?? []) this.addComment(c.author, c.body, number);
    return pr;
  }

  pull(number = this.primary): PullState {
    const pr = this.pulls.get(number);
    if (!pr) throw new Error(`no pull request #${number}`);
    return pr;
  }

  /** Comments on the first pull request (settable, to simulate someone deleting them). */
  get comments(): Comment[] {
    return this.allComments.filter((c) => c.issue === this.primary);
  }
  set comments(list: Comment[]) {
    this.allComments = [...this.allComments.filter((c) => c.issue !== this.primary), ...list];
  }

  commentsOn(number: number): Comment[] {
    return this.allComments.filter((c) => c.issue === number);
  }

  // -------------------------------------------------------------------------
  // Serving: nock, or real HTTP

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
      interceptor.reply((uri, body, callback) => {
        this.serve(method, uri, body).then(
          (reply) => callback(null, [reply.status, (reply.body ?? "") as nock.ReplyBody, reply.headers ?? {}]),
          (error: Error) => callback(error, [500, { message: error.message }]),
        );
      });
      this.interceptors.push(interceptor);
    }
    return this;
  }

  uninstall(): void {
    for (const interceptor of this.interceptors.splice(0)) nock.removeInterceptor(interceptor);
    if (installed === this) installed = null;
  }

  /** Serves this fake over HTTP on loopback (for child processes); resolves with the base URL. */
  async listen(): Promise<{ url: string; close: () => Promise<void> }> {
    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const method = req.method ?? "GET";
        // GitHub Enterprise Server paths (GHE_HOST): REST under /api/v3, GraphQL at /api/graphql.
        const url = (req.url ?? "/").replace(/^\/api\/v3(?=\/)/, "").replace(/^\/api\/graphql(?=$|\?)/, "/graphql");
        const known = this.find(method, pathOf(url));
        if (!known) {
          res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: `the fake does not serve ${method} ${pathOf(url)}` }));
          return;
        }
        this.serve(method, url, Buffer.concat(chunks).toString("utf8")).then(
          (reply) => {
            const body = reply.body === undefined || reply.body === "" ? "" : JSON.stringify(reply.body);
            res.writeHead(reply.status, { "content-type": "application/json", ...(reply.headers ?? {}) }).end(body);
          },
          (error: Error) => res.writeHead(500).end(JSON.stringify({ message: error.message })),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  /** The Nth request matching the fault answers its reply (or runs its side effect). */
  inject(fault: Fault): this {
    this.faults.push({ ...fault, seen: 0 });
    return this;
  }

  /** GitHub recovers: every injected fault is forgotten (a rate limit lifts). */
  clearFaults(): this {
    this.faults = [];
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

  private async serve(method: string, uri: string, rawBody: unknown): Promise<Reply> {
    const path = pathOf(uri);
    const query = new URLSearchParams(uri.includes("?") ? uri.slice(uri.indexOf("?") + 1) : "");
    const found = this.find(method, path)!;
    const body = parseBody(rawBody);
    const operation = path === "/graphql" ? operationOf(String(body.query ?? "")) : undefined;
    const kind = path === "/graphql" ? (/^\s*mutation\b/.test(String(body.query ?? "")) ? "write" : "read") : found.route.kind;
    const at = Date.now() - this.started;
    const record: RecordedRequest = { method, path, ...(operation ? { operation } : {}), body, status: 0, kind, at, doneAt: at };
    this.requests.push(record);

    // A process killed after its Nth write: nothing it would send later arrives.
    if (this.killAfter !== null && this.writesSeen >= this.killAfter) {
      record.status = 599;
      return { status: 599, body: { message: "the client is gone (killed)" } };
    }
    if (kind === "write") this.writesSeen++;

    // Every fault counts the requests it matches; the first one due applies.
    let fault: Fault | undefined;
    for (const f of this.faults) {
      if (f.method && f.method !== method) continue;
      if (typeof f.path === "string" ? f.path !== path : !f.path.test(path)) continue;
      if (f.operation && f.operation !== operation) continue;
      f.seen++;
      const first = f.nth ?? 1;
      if (!fault && f.seen >= first && f.seen < first + (f.times ?? 1)) fault = f;
    }
    await fault?.before?.(this);
    let reply: Reply;
    if (fault?.reply && !fault.afterWrite) {
      reply = fault.reply;
    } else {
      try {
        reply = await found.route.handle(found.match, body, query);
      } catch (error) {
        reply = { status: 500, body: { message: `fake GitHub failed: ${(error as Error).message}` } };
      }
      if (fault?.reply) reply = fault.reply;
    }
    record.status = reply.status;
    const wait = kind === "write" ? this.latency.write : kind === "read" ? this.latency.read : 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    record.doneAt = Date.now() - this.started;
    return reply;
  }

  // -------------------------------------------------------------------------
  // What tests look at

  /** `METHOD /path` of every request, in order; GraphQL requests name their operation. */
  calls(kind?: RequestKind): string[] {
    return this.requests.filter((r) => !kind || r.kind === kind).map((r) => `${r.method} ${r.path}${r.operation ? ` ${r.operation}` : ""}`);
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

  /**
   * The client dies after `writes` more writes (a crash, a cancelled workflow):
   * every request after that fails without reaching GitHub's state. null revives it.
   */
  killAfterWrites(writes: number | null): void {
    this.killAfter = writes === null ? null : this.writesSeen + writes;
  }
  private killAfter: number | null = null;
  private writesSeen = 0;

  /** Forget the requests so far (state stays): the next assertions are about what comes after. */
  resetRequests(): void {
    this.requests.length = 0;
  }

  /** GitHub sends a webhook: to the live listener if one is attached, else to the queue. */
  emit(event: FakeEvent): void {
    if (this.listener) this.listener(event);
    else this.events.push(event);
  }

  /** Deliver webhooks as they happen (see `live()`), instead of queueing them. */
  listener: ((event: FakeEvent) => void) | null = null;

  /** Take the queued webhooks. */
  takeEvents(): FakeEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  headFiles(number = this.primary): Files {
    return this.filesAt(this.pull(number).headSha);
  }

  baseFiles(): Files {
    return this.filesAt(this.refs.get(this.refKey(OWNER, REPO, "main"))!);
  }

  filesAt(sha: string): Files {
    const commit = this.commits.get(sha);
    if (!commit) throw new Error(`no commit ${sha}`);
    return { ...this.trees.get(commit.tree)! };
  }

  /** The commits on the head branch that the app made, oldest first. */
  botCommits(number = this.primary): Commit[] {
    const out: Commit[] = [];
    for (let sha: string | undefined = this.pull(number).headSha; sha; sha = this.commits.get(sha)?.parents[0]) {
      const commit = this.commits.get(sha)!;
      if (commit.byApp) out.unshift(commit);
    }
    return out;
  }

  botComments(number = this.primary): Comment[] {
    return this.commentsOn(number).filter((c) => c.author === BOT);
  }

  /** The newest `SEP checks` run on the current head commit. */
  latestCheck(sha = this.pr.headSha): CheckRun | undefined {
    return this.checkRuns.filter((r) => r.headSha === sha && r.name === "SEP checks").at(-1);
  }

  /** Everything a person sees on a pull request, for comparing two histories. */
  visibleState(number = this.primary) {
    const pr = this.pull(number);
    const check = this.latestCheck(pr.headSha);
    return {
      headFiles: this.headFiles(number),
      labels: [...pr.labels].sort(),
      assignees: [...pr.assignees].sort(),
      state: pr.state,
      comments: this.commentsOn(number).map((c) => ({ author: c.author, body: c.body, reactions: c.reactions.map((r) => `${r.user}:${r.content}`).sort() })),
      check: check && { conclusion: check.conclusion, summary: check.summary },
    };
  }

  // -------------------------------------------------------------------------
  // What people do (changes state and queues the webhook GitHub would send)

  /** Someone pushes a commit to the head branch. */
  push(changes: FileChanges, by?: string, message = "Update the SEP", number = this.primary): string {
    const pr = this.pull(number);
    const before = pr.headSha;
    const sha = this.commit(applyChanges(this.headFiles(number), changes), [before], message, by ?? pr.author);
    this.moveHead(pr, sha);
    this.tick();
    this.emit({ name: "pull_request", action: "synchronize", sender: by ?? pr.author, number, before, after: sha, headSha: sha });
    return sha;
  }

  /** A change lands on the default branch (the rules, MAINTAINERS.md): no pull request sees it as its own. */
  updateBase(changes: FileChanges, message = "Update the repository"): string {
    const key = this.refKey(OWNER, REPO, this.defaultBranch);
    const sha = this.commit(applyChanges(this.baseFiles(), changes), [this.refs.get(key)!], message);
    this.refs.set(key, sha);
    this.tick();
    return sha;
  }

  /** Someone applies a label in the UI. */
  addLabel(label: string, by: string, number = this.primary): void {
    const pr = this.pull(number);
    if (!pr.labels.some((l) => lower(l) === lower(label))) pr.labels.push(label);
    this.record({ issue: number, type: "LabeledEvent", actor: by, label });
    this.emit({ name: "pull_request", action: "labeled", sender: by, number, label, headSha: pr.headSha });
  }

  removeLabel(label: string, by: string, number = this.primary): void {
    const pr = this.pull(number);
    pr.labels = pr.labels.filter((l) => lower(l) !== lower(label));
    this.record({ issue: number, type: "UnlabeledEvent", actor: by, label });
    this.emit({ name: "pull_request", action: "unlabeled", sender: by, number, label, headSha: pr.headSha });
  }

  /** Someone edits the title or description. */
  editPullRequest(by: string, title?: string, number = this.primary): void {
    const pr = this.pull(number);
    if (title !== undefined) pr.title = title;
    this.tick();
    this.emit({ name: "pull_request", action: "edited", sender: by, number, headSha: pr.headSha });
  }

  assign(login: string, by: string, number = this.primary): void {
    const pr = this.pull(number);
    if (!pr.assignees.some((a) => lower(a) === lower(login))) pr.assignees.push(login);
    this.record({ issue: number, type: "AssignedEvent", actor: by, assignee: login });
    this.emit({ name: "pull_request", action: "assigned", sender: by, number, assignee: login, headSha: pr.headSha });
  }

  /** A person comments (queues `issue_comment.created`). */
  comment(author: string, body: string, number = this.primary): Comment {
    const comment = this.addComment(author, body, number);
    this.emit({ name: "issue_comment", action: "created", sender: author, commentId: comment.id, number });
    return comment;
  }

  /** A person edits a comment, their own by default (queues `issue_comment.edited`, sent by the editor). */
  editComment(id: number, body: string, by?: string): Comment {
    const comment = this.allComments.find((c) => c.id === id);
    if (!comment) throw new Error(`no comment ${id}`);
    const previousBody = comment.body;
    comment.body = body;
    comment.editedAt = comment.updatedAt = this.tick();
    comment.editor = by ?? comment.author;
    this.emit({ name: "issue_comment", action: "edited", sender: comment.editor, commentId: id, number: comment.issue, previousBody });
    return comment;
  }

  /** A comment as it is on GitHub, with no webhook (state set up before the test). */
  addComment(author: string, body: string, number = this.primary): Comment {
    const at = this.tick();
    const comment: Comment = { id: this.id(), issue: number, author, body, createdAt: at, updatedAt: at, editedAt: null, editor: null, reactions: [] };
    this.allComments.push(comment);
    return comment;
  }

  private record(event: Omit<TimelineEvent, "at">): void {
    this.timeline.push({ ...event, at: this.tick() });
  }

  /** Advances GitHub's clock a minute and returns the new time. */
  tick(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
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

  private commit(files: Files, parents: string[], message: string, author?: string): string {
    return this.commitTree(this.tree(files), parents, message, false, false, author);
  }

  private commitTree(tree: string, parents: string[], message: string, byApp = false, signed = false, author?: string): string {
    const sha = sha1(`commit ${tree} ${parents.join(",")} ${message} ${this.commits.size}`);
    this.commits.set(sha, { sha, tree, parents, message, byApp, signed, ...(author ? { author } : {}), at: new Date(this.clock ?? Date.now()).toISOString() });
    return sha;
  }

  /** The commits a pull request adds to its base branch, oldest first (what its `commits` connection lists). */
  pullCommits(number = this.primary): Commit[] {
    const reachable = (from: string) => {
      const seen = new Set<string>();
      const stack = [from];
      while (stack.length) {
        const sha = stack.pop()!;
        if (seen.has(sha)) continue;
        seen.add(sha);
        stack.push(...(this.commits.get(sha)?.parents ?? []));
      }
      return seen;
    };
    const onBase = reachable(this.refs.get(this.refKey(OWNER, REPO, this.defaultBranch))!);
    const onHead = reachable(this.pull(number).headSha);
    return [...this.commits.values()].filter((c) => onHead.has(c.sha) && !onBase.has(c.sha));
  }

  private moveHead(pr: PullState, sha: string): void {
    pr.headSha = sha;
    if (pr.headRepo) this.refs.set(this.refKey(pr.headRepo.owner, pr.headRepo.name, pr.headRef), sha);
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

  /** What a pull request changes, the way GitHub lists it (an unchanged move is a rename). */
  changedFiles(number = this.primary): Array<{ path: string; status: "added" | "modified" | "removed" | "renamed"; previous?: string }> {
    const base = this.baseFiles();
    const head = this.headFiles(number);
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

  private isBaseRepo(owner: string, repo: string): boolean {
    return lower(owner) === OWNER && lower(repo) === REPO;
  }

  /** The pull request whose head branch lives at owner/repo:branch. */
  private pullWithHead(owner: string, repo: string, branch: string): PullState | undefined {
    return [...this.pulls.values()].find((p) => p.headRepo && this.refKey(p.headRepo.owner, p.headRepo.name, p.headRef) === this.refKey(owner, repo, branch));
  }

  /** Repositories the installation can push to: the base, and a fork that accepts it. */
  private writable(owner: string, repo: string): Reply | null {
    if (this.isBaseRepo(owner, repo)) return null;
    const fork = [...this.pulls.values()].some((p) => p.headRepo && lower(p.headRepo.owner) === lower(owner) && lower(p.headRepo.name) === lower(repo));
    if (fork) return this.forkAcceptsPushes ? null : forbidden();
    return { status: 404, body: { message: "Not Found" } };
  }

  /** The bot's own write moved a branch: GitHub sends `synchronize`, sent by the bot. */
  private branchMoved(owner: string, repo: string, branch: string, sha: string): void {
    const pr = this.pullWithHead(owner, repo, branch);
    if (!pr) return;
    const before = pr.headSha;
    pr.headSha = sha;
    this.tick();
    this.emit({ name: "pull_request", action: "synchronize", sender: BOT, number: pr.number, before, after: sha, headSha: sha });
  }

  // -------------------------------------------------------------------------
  // GraphQL (executed against GitHub's schema)

  private graphqlRoot() {
    const fake = this;
    const notFound = (what: string) => new GitHubGraphqlError("NOT_FOUND", what);
    return {
      query: {
        viewer: { __typename: "User", login: this.viewerLogin },
        repository({ owner, name }: { owner: string; name: string }) {
          if (!fake.isBaseRepo(owner, name)) throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
          return fake.repositoryNode();
        },
        repositoryOwner({ login }: { login: string }) {
          if (lower(login) !== OWNER) return null;
          return {
            __typename: "Organization",
            login: OWNER,
            projectV2: ({ number }: { number: number }) => {
              if (fake.projectAccess === "none") throw new GitHubGraphqlError("FORBIDDEN", "Resource not accessible by integration");
              const project = fake.projects.find((p) => p.number === number);
              if (!project) throw notFound(`Could not resolve to a ProjectV2 with the number ${number}.`);
              return fake.projectNode(project);
            },
          };
        },
        organization({ login }: { login: string }) {
          if (lower(login) !== OWNER) throw notFound(`Could not resolve to an Organization with the login of '${login}'.`);
          if (fake.teamsForbidden) throw new GitHubGraphqlError("FORBIDDEN", "Resource not accessible by integration");
          return {
            __typename: "Organization",
            login: OWNER,
            team: ({ slug }: { slug: string }) => {
              const members = fake.teams[slug];
              return members ? { slug, members: (a: ConnectionArgs) => connection(members.map((login) => ({ __typename: "User", login })), a) } : null;
            },
          };
        },
      },
      mutation: {
        createCommitOnBranch: ({ input }: { input: CommitOnBranchInput }) => fake.createCommitOnBranch(input),
        addProjectV2ItemById: ({ input }: { input: { projectId: string; contentId: string } }) => {
          const project = fake.writableProject(input.projectId);
          const pull = Number(/^PR_kwDOfake(\d+)$/.exec(input.contentId)?.[1] ?? NaN);
          if (!fake.pulls.has(pull)) throw new GitHubGraphqlError("NOT_FOUND", `Could not resolve to a node with the global id of '${input.contentId}'`);
          // GitHub returns the existing item when the content is already on the board.
          let item = project.items.find((i) => i.pull === pull);
          if (!item) {
            item = { id: `PVTI_fake${project.number}_${pull}`, pull, values: {} };
            project.items.push(item);
            fake.tick();
          }
          return { item: { __typename: "ProjectV2Item", id: item.id } };
        },
        updateProjectV2ItemFieldValue: ({ input }: { input: { projectId: string; itemId: string; fieldId: string; value: { singleSelectOptionId?: string | null } } }) => {
          const project = fake.writableProject(input.projectId);
          const item = project.items.find((i) => i.id === input.itemId);
          const field = project.fields.find((f) => f.id === input.fieldId);
          if (!item || !field) throw new GitHubGraphqlError("NOT_FOUND", "Could not resolve to a node with the global id");
          const option = input.value.singleSelectOptionId;
          if (!option || !field.options.some((o) => o.id === option)) throw new GitHubGraphqlError("UNPROCESSABLE", `The single select option Id does not belong to the field`);
          item.values[field.id] = option;
          fake.tick();
          return { projectV2Item: { __typename: "ProjectV2Item", id: item.id } };
        },
      },
    };
  }

  private repositoryNode() {
    const fake = this;
    return {
      __typename: "Repository",
      id: "R_kgDOfake",
      name: REPO,
      nameWithOwner: `${OWNER}/${REPO}`,
      isPrivate: fake.private,
      owner: { __typename: "Organization", login: OWNER },
      pullRequest: ({ number }: { number: number }) => {
        const pr = fake.pulls.get(number);
        if (!pr) throw new GitHubGraphqlError("NOT_FOUND", `Could not resolve to a PullRequest with the number of ${number}.`);
        return fake.pullRequestNode(pr);
      },
      object: ({ expression, oid }: { expression?: string | null; oid?: string | null }) => fake.objectNode(expression ?? null, oid ?? null),
      defaultBranchRef: { __typename: "Ref", name: fake.defaultBranch, prefix: "refs/heads/" },
      pullRequests: (a: ConnectionArgs & { states?: string[] | null; orderBy?: { field: string; direction: string } | null }) => {
        const state = (pr: PullState) => (pr.merged ? "MERGED" : pr.state === "open" ? "OPEN" : "CLOSED");
        const nodes = [...fake.pulls.values()].filter((pr) => !a.states?.length || a.states.includes(state(pr))).map((pr) => fake.pullRequestNode(pr));
        return connection(ordered(nodes, a.orderBy), a);
      },
      issues: (a: ConnectionArgs & { states?: string[] | null; labels?: string[] | null; orderBy?: { field: string; direction: string } | null }) => {
        const nodes = [...fake.issues.values()]
          .filter((i) => !a.states?.length || a.states.includes(i.state.toUpperCase()))
          .filter((i) => !a.labels?.length || a.labels.some((l) => i.labels.some((x) => lower(x) === lower(l))))
          .map((i) => ({
            __typename: "Issue",
            id: `I_fake${i.number}`,
            number: i.number,
            title: i.title,
            body: i.body,
            url: `https://github.com/${OWNER}/${REPO}/issues/${i.number}`,
            state: i.state.toUpperCase(),
            createdAt: i.createdAt,
            updatedAt: i.createdAt,
            author: actorNode(i.author),
            viewerDidAuthor: i.author === BOT,
            labels: (b: ConnectionArgs) => connection(i.labels.map((name) => ({ __typename: "Label", name })), b),
          }));
        return connection(ordered(nodes, a.orderBy), a);
      },
    };
  }

  private projectNode(project: ProjectState) {
    return {
      __typename: "ProjectV2",
      id: project.id,
      number: project.number,
      title: project.title,
      viewerCanUpdate: this.projectAccess === "write",
      field: ({ name }: { name: string }) => {
        const field = project.fields.find((f) => f.name === name);
        return field && { __typename: "ProjectV2SingleSelectField", id: field.id, name: field.name, options: field.options.map((o) => ({ __typename: "ProjectV2SingleSelectFieldOption", ...o })) };
      },
    };
  }

  private writableProject(id: string): ProjectState {
    if (this.projectAccess !== "write") throw new GitHubGraphqlError("FORBIDDEN", "Resource not accessible by integration");
    const project = this.projects.find((p) => p.id === id);
    if (!project) throw new GitHubGraphqlError("NOT_FOUND", `Could not resolve to a node with the global id of '${id}'`);
    return project;
  }

  /** `rev:path` as `object(expression:)` resolves it, or an object by oid: a blob, a tree, a commit, or nothing. */
  private objectNode(expression: string | null, oid: string | null): unknown {
    if (oid) return this.commits.has(oid) ? this.commitNode(oid) : null;
    if (!expression) return null;
    const colon = expression.indexOf(":");
    const given = colon < 0 ? expression : expression.slice(0, colon);
    const rev = given === "HEAD" ? this.defaultBranch : given;
    const sha = this.refs.get(this.refKey(OWNER, REPO, rev)) ?? (this.commits.has(rev) ? rev : undefined);
    if (!sha) return null;
    if (colon < 0) return this.commitNode(sha);
    return this.pathNode(this.filesAt(sha), expression.slice(colon + 1));
  }

  /**
   * The object at `path`: a blob (a symbolic link's holds its target, as on
   * GitHub), a tree, or nothing (a submodule's commit is another repository's).
   */
  private pathNode(files: Files, path: string): unknown {
    if (path in files) {
      const entry = entryOf(files[path]!);
      return entry.type === "blob" ? blobNode(entry.data, this.blobs) : null;
    }
    const listed = this.treeEntries(files, path);
    if (!listed) return null;
    return {
      __typename: "Tree",
      oid: listed.oid,
      entries: listed.entries.map((e) => {
        const object = this.pathNode(files, e.path) as { oid: string } | null;
        return { name: e.name, path: e.path, type: e.type, mode: parseInt(e.mode, 8), oid: object?.oid ?? e.oid, object };
      }),
    };
  }

  /** The entries of the directory at `path` ("" for the root), with git's modes; null when there is none. */
  private treeEntries(files: Files, path: string): { oid: string; entries: Array<{ name: string; path: string; mode: string; type: "blob" | "tree" | "commit"; oid: string }> } | null {
    const prefix = path.replace(/\/$/, "") ? `${path.replace(/\/$/, "")}/` : "";
    const entries = new Map<string, { name: string; path: string; mode: string; type: "blob" | "tree" | "commit"; oid: string }>();
    for (const file of Object.keys(files)) {
      if (!file.startsWith(prefix)) continue;
      const name = file.slice(prefix.length).split("/")[0]!;
      const child = `${prefix}${name}`;
      if (file.slice(prefix.length).includes("/")) {
        entries.set(name, { name, path: child, mode: "040000", type: "tree", oid: "" });
      } else {
        const entry = entryOf(files[file]!);
        const oid = entry.type === "commit" ? entry.data : (blobNode(entry.data, this.blobs).oid);
        entries.set(name, { name, path: child, mode: entry.mode, type: entry.type, oid });
      }
    }
    if (entries.size === 0) return null;
    const sorted = [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of sorted) if (e.type === "tree") e.oid = this.treeEntries(files, e.path)!.oid;
    const oid = sha1(`tree ${prefix} ${JSON.stringify(sorted.map((e) => [e.name, e.mode, e.oid]))}`);
    this.subtrees.set(oid, { files, path: prefix.replace(/\/$/, "") });
    return { oid, entries: sorted };
  }

  /** A tree the REST git trees API can list: a root tree, a directory GraphQL or REST has shown, a commit's, or a branch's. */
  private treeAt(sha: string): { files: Files; path: string } | null {
    if (this.trees.has(sha)) return { files: this.trees.get(sha)!, path: "" };
    const sub = this.subtrees.get(sha);
    if (sub) return sub;
    const commit = this.commits.get(sha) ?? this.commits.get(this.refs.get(this.refKey(OWNER, REPO, sha)) ?? "");
    return commit ? { files: this.trees.get(commit.tree)!, path: "" } : null;
  }

  /** A REST tree listing: each entry's path (relative to the tree), mode, type and sha; every level with `recursive`. */
  private restTree(at: { files: Files; path: string }, recursive: boolean, base = at.path): Array<Record<string, unknown>> {
    const listed = this.treeEntries(at.files, at.path);
    const strip = (p: string) => (base ? p.slice(base.length + 1) : p);
    return (listed?.entries ?? []).flatMap((e) => {
      const blob = e.type === "blob" ? blobBytes(entryOf(at.files[e.path]!).data).byteLength : undefined;
      const entry = { path: strip(e.path), mode: e.mode, type: e.type, sha: e.oid, ...(blob === undefined ? {} : { size: blob }), url: `${API}/repos/${OWNER}/${REPO}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.oid}` };
      return recursive && e.type === "tree" ? [entry, ...this.restTree({ files: at.files, path: e.path }, true, base)] : [entry];
    });
  }

  private commitNode(sha: string) {
    const fake = this;
    const commit = this.commits.get(sha)!;
    return {
      __typename: "Commit",
      oid: sha,
      message: commit.message,
      committedDate: commit.at ?? new Date(fake.clock).toISOString(),
      author: fake.gitActor(commit),
      // GitHub signs what an app commits through the API (no custom author); people's pushes here are unsigned.
      signature: commit.signed ? { __typename: "GpgSignature", isValid: true, wasSignedByGitHub: true, state: "VALID" } : null,
      tree: { __typename: "Tree", oid: commit.tree },
      file: ({ path }: { path: string }) => {
        const object = fake.pathNode(fake.filesAt(sha), path) as { oid: string } | null;
        return object && { name: path.split("/").at(-1), path, oid: object.oid, object };
      },
      checkSuites: (args: ConnectionArgs & { filterBy?: { appId?: number | null; checkName?: string | null } | null }) => {
        const runs = fake.checkRuns.filter((r) => r.headSha === sha);
        const suites = runs.length && (args.filterBy?.appId == null || args.filterBy.appId === APP_ID) ? [{ app: { databaseId: APP_ID } }] : [];
        return connection(
          suites.map((suite) => ({
            __typename: "CheckSuite",
            app: suite.app,
            checkRuns: (a: ConnectionArgs & { filterBy?: { checkName?: string | null } | null }) =>
              connection(
                runs.filter((r) => !a.filterBy?.checkName || r.name === a.filterBy.checkName).map((r) => ({ __typename: "CheckRun", databaseId: r.id, name: r.name, summary: r.summary, status: r.conclusion ? "COMPLETED" : "IN_PROGRESS", conclusion: r.conclusion?.toUpperCase() ?? null })),
                a,
              ),
          })),
          args,
        );
      },
    };
  }

  /**
   * A commit's author as GraphQL's GitActor shows it: a person is a User; the
   * app's bot is no User (its noreply e-mail, `user` null).
   */
  private gitActor(commit: Commit) {
    const date = commit.at ?? new Date(this.clock).toISOString();
    if (commit.byApp) return { __typename: "GitActor", name: BOT, email: `${BOT_USER_ID}+${BOT}@users.noreply.github.com`, date, user: null };
    const login = commit.author;
    if (!login) return { __typename: "GitActor", name: "A Maintainer", email: "maintainer@example.com", date, user: null };
    return { __typename: "GitActor", name: DISPLAY_NAMES[login] ?? login, email: `${login}@users.noreply.github.com`, date, user: { __typename: "User", login } };
  }

  private pullRequestNode(pr: PullState) {
    const fake = this;
    const files = this.changedFiles(pr.number);
    const TYPE = { added: "ADDED", modified: "MODIFIED", removed: "DELETED", renamed: "RENAMED" } as const;
    const ITEM: Record<string, string> = {
      LABELED_EVENT: "LabeledEvent",
      UNLABELED_EVENT: "UnlabeledEvent",
      ASSIGNED_EVENT: "AssignedEvent",
      UNASSIGNED_EVENT: "UnassignedEvent",
      CLOSED_EVENT: "ClosedEvent",
      REOPENED_EVENT: "ReopenedEvent",
      ISSUE_COMMENT: "IssueComment",
    };
    return {
      __typename: "PullRequest",
      id: `PR_kwDOfake${pr.number}`,
      number: pr.number,
      title: pr.title,
      url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}`,
      state: pr.merged ? "MERGED" : pr.state === "open" ? "OPEN" : "CLOSED",
      merged: pr.merged,
      createdAt: pr.createdAt,
      closedAt: pr.closedAt,
      updatedAt: this.updatedAt(pr),
      isDraft: false,
      projectItems: (a: ConnectionArgs) => {
        if (fake.projectAccess === "none") throw new GitHubGraphqlError("FORBIDDEN", "Resource not accessible by integration");
        const items = fake.projects.flatMap((project) =>
          project.items
            .filter((i) => i.pull === pr.number)
            .map((i) => ({
              __typename: "ProjectV2Item",
              id: i.id,
              project: { __typename: "ProjectV2", id: project.id },
              fieldValueByName: ({ name }: { name: string }) => {
                const field = project.fields.find((f) => f.name === name);
                const option = field?.options.find((o) => o.id === i.values[field.id]);
                return option ? { __typename: "ProjectV2ItemFieldSingleSelectValue", name: option.name, optionId: option.id } : null;
              },
            })),
        );
        return connection(items, a);
      },
      headRefOid: pr.headSha,
      headRefName: pr.headRef,
      baseRefName: pr.baseRef,
      maintainerCanModify: pr.maintainerCanModify,
      changedFiles: files.length,
      author: actorNode(pr.author),
      headRepository: pr.headRepo && {
        __typename: "Repository",
        name: pr.headRepo.name,
        nameWithOwner: `${pr.headRepo.owner}/${pr.headRepo.name}`,
        isFork: !this.isBaseRepo(pr.headRepo.owner, pr.headRepo.name),
        owner: { __typename: pr.headRepo.ownerType, login: pr.headRepo.owner },
      },
      commits: (a: ConnectionArgs) => connection(fake.pullCommits(pr.number).map((c) => ({ __typename: "PullRequestCommit", commit: fake.commitNode(c.sha) })), a),
      labels: (a: ConnectionArgs) => connection(pr.labels.map((name) => ({ __typename: "Label", name, id: `LA_${sha1(name).slice(0, 8)}` })), a),
      assignees: (a: ConnectionArgs) => connection(pr.assignees.map((login) => ({ __typename: "User", login })), a),
      files: (a: ConnectionArgs) => connection(files.map((f) => ({ __typename: "PullRequestChangedFile", path: f.path, changeType: TYPE[f.status] })), a),
      comments: (a: ConnectionArgs) => connection(fake.commentsOn(pr.number).map((c) => fake.commentNode(c)), a),
      timelineItems: (a: ConnectionArgs & { itemTypes?: string[] | null; since?: string | null }) => {
        const wanted = a.itemTypes?.length ? new Set(a.itemTypes.map((t) => ITEM[t] ?? t)) : null;
        const items = [
          ...fake.timeline.filter((e) => e.issue === pr.number).map((e) => fake.timelineNode(e)),
          ...fake.commentsOn(pr.number).map((c) => ({ ...fake.commentNode(c), at: c.createdAt })),
        ]
          .filter((item) => !wanted || wanted.has(item.__typename))
          .filter((item) => !a.since || item.at >= a.since)
          .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
        return connection(items, a);
      },
    };
  }

  /** When anything last happened on the pull request (GitHub's `updatedAt`). */
  private updatedAt(pr: PullState): string {
    const times = [pr.createdAt, pr.closedAt ?? "", ...this.timeline.filter((e) => e.issue === pr.number).map((e) => e.at), ...this.commentsOn(pr.number).map((c) => c.updatedAt)];
    return times.reduce((a, b) => (b > a ? b : a));
  }

  private timelineNode(e: TimelineEvent) {
    const base = { __typename: e.type, at: e.at, createdAt: e.at, actor: actorNode(e.actor) };
    if (e.type === "LabeledEvent" || e.type === "UnlabeledEvent") return { ...base, label: { __typename: "Label", name: e.label } };
    if (e.type === "AssignedEvent" || e.type === "UnassignedEvent") return { ...base, assignee: e.assignee ? { __typename: "User", login: e.assignee, name: DISPLAY_NAMES[e.assignee] ?? null } : null };
    return base;
  }

  private commentNode(c: Comment) {
    return {
      __typename: "IssueComment",
      id: `IC_${c.id}`,
      databaseId: c.id,
      body: c.body,
      url: `https://github.com/${OWNER}/${REPO}/pull/${c.issue}#issuecomment-${c.id}`,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      lastEditedAt: c.editedAt,
      editor: c.editor ? actorNode(c.editor) : null,
      viewerDidAuthor: c.author === BOT,
      author: actorNode(c.author),
      reactionGroups: ["THUMBS_UP", "THUMBS_DOWN", "LAUGH", "HOORAY", "CONFUSED", "HEART", "ROCKET", "EYES"].map((content) => ({
        __typename: "ReactionGroup",
        content,
        viewerHasReacted: c.reactions.some((r) => r.content === content && r.user === BOT),
        reactors: (a: ConnectionArgs) => connection(c.reactions.filter((r) => r.content === content).map((r) => actorNode(r.user)), a),
      })),
    };
  }

  private createCommitOnBranch(input: CommitOnBranchInput) {
    const [owner = "", name = ""] = input.branch.repositoryNameWithOwner?.split("/") ?? [];
    if (!this.isBaseRepo(owner, name) && !this.forkAcceptsGraphqlCommits) {
      throw new GitHubGraphqlError("FORBIDDEN", `Resource not accessible by integration`);
    }
    if (this.writable(owner, name)) throw new GitHubGraphqlError("FORBIDDEN", "Resource not accessible by integration");
    const key = this.refKey(owner, name, input.branch.branchName);
    const current = this.refs.get(key);
    if (!current) throw new GitHubGraphqlError("NOT_FOUND", `A ref named "refs/heads/${input.branch.branchName}" does not exist.`);
    if (current !== input.expectedHeadOid) {
      throw new GitHubGraphqlError("STALE_DATA", `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`);
    }
    const files = this.filesAt(current);
    for (const d of input.fileChanges?.deletions ?? []) {
      if (!(d.path in files)) throw new GitHubGraphqlError("UNPROCESSABLE", `A path was requested for deletion which does not exist as of commit oid \`${current}\``);
      delete files[d.path];
    }
    for (const a of input.fileChanges?.additions ?? []) files[a.path] = Buffer.from(a.contents, "base64").toString("utf8");
    const message = input.message.body ? `${input.message.headline}\n\n${input.message.body}` : input.message.headline;
    const sha = this.commitTree(this.tree(files), [current], message, true, true);
    this.refs.set(key, sha);
    this.branchMoved(owner, name, input.branch.branchName, sha);
    return { commit: { __typename: "Commit", oid: sha } };
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
    const pullOf = (m: RegExpExecArray) => (isOurs(m) ? this.pulls.get(Number(m[3])) : undefined);

    const labelWrite = (pr: PullState, next: string[]) => {
      const before = pr.labels;
      const gone = before.filter((l) => !next.some((n) => lower(n) === lower(l)));
      const added = next.filter((n) => !before.some((l) => lower(l) === lower(n)));
      pr.labels = [...before.filter((l) => !gone.includes(l)), ...added];
      for (const label of gone) {
        this.record({ issue: pr.number, type: "UnlabeledEvent", actor: BOT, label });
        this.emit({ name: "pull_request", action: "unlabeled", sender: BOT, number: pr.number, label, headSha: pr.headSha });
      }
      for (const label of added) {
        this.record({ issue: pr.number, type: "LabeledEvent", actor: BOT, label });
        this.emit({ name: "pull_request", action: "labeled", sender: BOT, number: pr.number, label, headSha: pr.headSha });
      }
      return { status: 200, body: pr.labels.map(labelObject) };
    };

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

      route("GET", "/app/installations", "token", () => ({ status: 200, body: [{ id: INSTALLATION_ID, app_id: APP_ID, account: { login: OWNER, type: "Organization" } }] })),

      route("GET", "/installation/repositories", "read", () => ({
        status: 200,
        body: { total_count: 1, repositories: [{ id: 1, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER }, archived: false, private: this.private }] },
      })),

      route("GET", `${repo}/installation`, "token", (m) => (isOurs(m) ? { status: 200, body: { id: INSTALLATION_ID, app_id: APP_ID, account: { login: OWNER } } } : notFound)),

      route("POST", "/graphql", "read", async (_m, body) => ({
        status: 200,
        body: await executeGraphql(this.graphqlRoot(), String(body.query ?? ""), (body.variables ?? {}) as Record<string, unknown>),
      })),

      route("GET", `${repo}/pulls/(\\d+)/files`, "read", (m, _b, query) => {
        const pr = pullOf(m);
        if (!pr) return notFound;
        const perPage = Number(query.get("per_page") ?? 30);
        const page = Number(query.get("page") ?? 1);
        const all = this.changedFiles(pr.number).map((f) => ({ filename: f.path, status: f.status, ...(f.previous ? { previous_filename: f.previous } : {}) }));
        return { status: 200, body: all.slice((page - 1) * perPage, page * perPage) };
      }),

      route("GET", `${repo}/commits/([0-9a-f]{40})/pulls`, "read", (m) => {
        if (!isOurs(m)) return notFound;
        const pulls = [...this.pulls.values()].filter((p) => p.headSha === m[3]).map((p) => ({ number: p.number, state: p.state, head: { sha: p.headSha, ref: p.headRef } }));
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
        return { status: 201, body: { sha, url: `${API}/repos/${m[1]}/${m[2]}/git/trees/${sha}`, truncated: false, tree: this.restTree({ files, path: "" }, false) } };
      }),

      // A tree by sha (or a commit's, or a branch's), each entry with its mode: 100644, 100755, 120000 (a link), 160000 (a submodule), 040000.
      route("GET", `${repo}/git/trees/([^/]+)`, "read", (m, _b, query) => {
        const at = isOurs(m) ? this.treeAt(decodeURIComponent(m[3]!)) : null;
        if (!at) return notFound;
        const recursive = query.has("recursive") && !["0", "false"].includes(query.get("recursive")!);
        const sha = this.treeEntries(at.files, at.path)?.oid ?? m[3];
        return { status: 200, body: { sha, url: `${API}/repos/${m[1]}/${m[2]}/git/trees/${sha}`, tree: this.restTree(at, recursive), truncated: false } };
      }),

      route("POST", `${repo}/git/commits`, "write", (m, body) => {
        const denied = this.writable(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
        if (denied) return denied;
        const tree = String(body.tree);
        const parents = (body.parents as string[]) ?? [];
        if (!this.trees.has(tree)) return unprocessable("Tree SHA does not exist");
        if (parents.some((p) => !this.commits.has(p))) return unprocessable("Parent SHA does not exist or is not a commit object");
        // Made by the app without a custom author: GitHub signs it, as it signs createCommitOnBranch's.
        const sha = this.commitTree(tree, parents, String(body.message), true, true);
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
        this.branchMoved(owner, name, branch, sha);
        return { status: 200, body: { ref: `refs/heads/${branch}`, object: { sha, type: "commit" } } };
      }),

      // A fork's blobs are reachable from the base repository (refs/pull/N/head): one object store serves both.
      route("GET", `${repo}/git/blobs/([0-9a-f]{40})`, "read", (m) => {
        const text = isOurs(m) ? this.blobs.get(m[3]!) : undefined;
        if (text === undefined) return notFound;
        const bytes = blobBytes(text);
        // GitHub's base64 comes in lines of 60 characters, each ending in a newline.
        const content = bytes.toString("base64").replace(/.{1,60}/g, "$&\n");
        return { status: 200, body: { sha: m[3], node_id: `B_fake${m[3]!.slice(0, 8)}`, size: bytes.byteLength, url: `${API}/repos/${m[1]}/${m[2]}/git/blobs/${m[3]}`, content, encoding: "base64" } };
      }),

      // --- labels ---
      route("POST", `${issue}/labels`, "write", (m, body) => {
        const pr = pullOf(m);
        if (!pr) return notFound;
        return labelWrite(pr, [...pr.labels, ...((body.labels as string[]) ?? [])]);
      }),

      route("PUT", `${issue}/labels`, "write", (m, body) => {
        const pr = pullOf(m);
        if (!pr) return notFound;
        return labelWrite(pr, (body.labels as string[]) ?? []);
      }),

      route("DELETE", `${issue}/labels/([^/]+)`, "write", (m) => {
        const pr = pullOf(m);
        if (!pr) return notFound;
        const name = decodeURIComponent(m[4]!);
        if (!pr.labels.some((l) => lower(l) === lower(name))) return { status: 404, body: { message: "Label does not exist" } };
        return labelWrite(pr, pr.labels.filter((l) => lower(l) !== lower(name)));
      }),

      // --- check runs ---
      route("POST", `${repo}/check-runs`, "write", (m, body) => {
        if (!isOurs(m)) return notFound;
        if (!this.commits.has(String(body.head_sha))) return unprocessable("No commit found for SHA");
        const output = (body.output ?? {}) as { title?: string; summary?: string; annotations?: unknown[] };
        if ((output.annotations?.length ?? 0) > 50) return unprocessable("Only 50 annotations are allowed per request");
        // GitHub's limits on buttons: three at most; label 20 characters, description 40, identifier 20.
        const actions = (body.actions ?? []) as CheckRun["actions"];
        if (actions.length > 3 || actions.some((a) => a.label.length > 20 || a.description.length > 40 || a.identifier.length > 20)) return unprocessable("Invalid request: actions exceed GitHub's limits");
        const run: CheckRun = {
          id: this.id(),
          name: String(body.name),
          headSha: String(body.head_sha),
          conclusion: (body.conclusion as string) ?? null,
          title: output.title ?? "",
          summary: output.summary ?? "",
          annotations: [...(output.annotations ?? [])],
          actions,
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
        const pr = pullOf(m);
        const plain = !pr && isOurs(m) ? this.issues.get(Number(m[3])) : undefined;
        if (plain && typeof body.body === "string") {
          // A comment on an issue (the weekly digest's), kept with it.
          (plain.comments ??= []).push({ author: BOT, body: body.body });
          this.tick();
          return { status: 201, body: { id: this.id(), body: body.body, user: { login: BOT, type: "Bot" } } };
        }
        if (!pr) return notFound;
        if (typeof body.body !== "string" || body.body.length > 65_536) return unprocessable("Body is too long (maximum is 65536 characters)");
        const comment = this.addComment(BOT, body.body, pr.number);
        this.emit({ name: "issue_comment", action: "created", sender: BOT, commentId: comment.id, number: pr.number });
        return { status: 201, body: { id: comment.id, body: comment.body, user: { login: BOT, type: "Bot" } } };
      }),

      route("PATCH", `${repo}/issues/comments/(\\d+)`, "write", (m, body) => {
        const comment = isOurs(m) ? this.allComments.find((c) => c.id === Number(m[3])) : undefined;
        if (!comment) return notFound;
        if (comment.author !== BOT) return forbidden("Resource not accessible by integration");
        if (typeof body.body !== "string" || body.body.length > 65_536) return unprocessable("Body is too long (maximum is 65536 characters)");
        comment.body = body.body;
        comment.updatedAt = this.tick();
        this.emit({ name: "issue_comment", action: "edited", sender: BOT, commentId: comment.id, number: comment.issue });
        return { status: 200, body: { id: comment.id, body: comment.body, user: { login: BOT, type: "Bot" } } };
      }),

      // --- reactions (the bot's answer on a command comment) ---
      route("POST", `${repo}/issues/comments/(\\d+)/reactions`, "write", (m, body) => {
        const comment = isOurs(m) ? this.allComments.find((c) => c.id === Number(m[3])) : undefined;
        if (!comment) return notFound;
        const content = REACTIONS[String(body.content)];
        if (!content) return unprocessable(`content is not a valid reaction: ${String(body.content)}`);
        const existing = comment.reactions.find((r) => r.content === content && r.user === BOT);
        if (existing) return { status: 200, body: { id: 1, content: body.content, user: { login: BOT } } };
        comment.reactions.push({ content, user: BOT, at: this.tick() });
        return { status: 201, body: { id: 1, content: body.content, user: { login: BOT } } };
      }),

      // --- assignees ---
      route("POST", `${issue}/assignees`, "write", (m, body) => {
        const pr = pullOf(m);
        if (!pr) return notFound;
        for (const login of (body.assignees as string[]) ?? []) {
          if (pr.assignees.some((a) => lower(a) === lower(login))) continue;
          pr.assignees.push(login);
          this.record({ issue: pr.number, type: "AssignedEvent", actor: BOT, assignee: login });
          this.emit({ name: "pull_request", action: "assigned", sender: BOT, number: pr.number, assignee: login, headSha: pr.headSha });
        }
        return { status: 201, body: { number: pr.number, assignees: pr.assignees.map((login) => ({ login })) } };
      }),

      route("DELETE", `${issue}/assignees`, "write", (m, body) => {
        const pr = pullOf(m);
        if (!pr) return notFound;
        for (const login of (body.assignees as string[]) ?? []) {
          if (!pr.assignees.some((a) => lower(a) === lower(login))) continue;
          pr.assignees = pr.assignees.filter((a) => lower(a) !== lower(login));
          this.record({ issue: pr.number, type: "UnassignedEvent", actor: BOT, assignee: login });
          this.emit({ name: "pull_request", action: "unassigned", sender: BOT, number: pr.number, assignee: login, headSha: pr.headSha });
        }
        return { status: 200, body: { number: pr.number, assignees: pr.assignees.map((login) => ({ login })) } };
      }),

      // --- closing and reopening ---
      route("PATCH", `${repo}/pulls/(\\d+)`, "write", (m, body) => {
        const pr = pullOf(m);
        if (!pr) return notFound;
        const state = body.state;
        if (state !== undefined && state !== "open" && state !== "closed") return unprocessable("state must be open or closed");
        if (state && state !== pr.state) {
          if (pr.merged) return unprocessable("A merged pull request cannot be reopened or closed");
          pr.state = state;
          pr.closedAt = state === "closed" ? new Date(this.clock).toISOString() : null;
          this.record({ issue: pr.number, type: state === "closed" ? "ClosedEvent" : "ReopenedEvent", actor: BOT });
          this.emit({ name: "pull_request", action: state === "closed" ? "closed" : "reopened", sender: BOT, number: pr.number, headSha: pr.headSha });
        }
        return { status: 200, body: { number: pr.number, state: pr.state } };
      }),

      // --- a workflow starting its next run (the sweep's follow-up) ---
      route("POST", `${repo}/actions/workflows/([^/]+)/dispatches`, "write", (m, body) => {
        if (!isOurs(m)) return notFound;
        if (typeof body.ref !== "string" || !body.ref) return unprocessable("ref wasn't supplied");
        const inputs = body.inputs as Record<string, unknown> | undefined;
        const unexpected = this.workflowInputs === null ? [] : Object.keys(inputs ?? {}).filter((name) => !this.workflowInputs!.includes(name));
        if (unexpected.length) return unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
        this.dispatches.push({ workflow: decodeURIComponent(m[3]!), ref: body.ref, ...(inputs ? { inputs } : {}) });
        return { status: 204 };
      }),

      // --- issues (the weekly digest) ---
      route("POST", `${repo}/issues`, "write", (m, body) => {
        if (!isOurs(m)) return notFound;
        if (typeof body.title !== "string" || !body.title) return unprocessable("title wasn't supplied");
        if (typeof body.body === "string" && body.body.length > 65_536) return unprocessable("Body is too long (maximum is 65536 characters)");
        const number = this.nextNumber++;
        const created: IssueState = { number, title: body.title, body: String(body.body ?? ""), labels: [...((body.labels as string[]) ?? [])], author: BOT, state: "open", createdAt: this.tick() };
        this.issues.set(number, created);
        return { status: 201, body: { number, title: created.title, html_url: `https://github.com/${OWNER}/${REPO}/issues/${number}` } };
      }),

      route("PATCH", `${repo}/issues/(\\d+)`, "write", (m, body) => {
        const found = isOurs(m) ? this.issues.get(Number(m[3])) : undefined;
        if (!found) return notFound;
        if (found.author !== BOT && body.body !== undefined) return forbidden("Resource not accessible by integration");
        if (typeof body.body === "string" && body.body.length > 65_536) return unprocessable("Body is too long (maximum is 65536 characters)");
        if (typeof body.title === "string") found.title = body.title;
        if (typeof body.body === "string") found.body = body.body;
        if (body.state === "open" || body.state === "closed") found.state = body.state;
        if (typeof body.state_reason === "string") found.stateReason = body.state_reason;
        this.tick();
        return { status: 200, body: { number: found.number, title: found.title, html_url: `https://github.com/${OWNER}/${REPO}/issues/${found.number}` } };
      }),

      route("DELETE", `${repo}/issues/comments/(\\d+)`, "write", (m) => {
        const comment = isOurs(m) ? this.allComments.find((c) => c.id === Number(m[3])) : undefined;
        if (!comment) return notFound;
        this.allComments = this.allComments.filter((c) => c !== comment);
        return { status: 204 };
      }),
    ];
  }
}

interface CommitOnBranchInput {
  branch: { repositoryNameWithOwner?: string | null; branchName: string };
  expectedHeadOid: string;
  message: { headline: string; body?: string | null };
  fileChanges?: { additions?: Array<{ path: string; contents: string }> | null; deletions?: Array<{ path: string }> | null } | null;
}

/** REST reaction names -> GraphQL's ReactionContent. */
const REACTIONS: Record<string, string> = { "+1": "THUMBS_UP", "-1": "THUMBS_DOWN", laugh: "LAUGH", hooray: "HOORAY", confused: "CONFUSED", heart: "HEART", rocket: "ROCKET", eyes: "EYES" };

/** A connection's nodes in GraphQL's `orderBy` (CREATED_AT or UPDATED_AT); default: creation order. */
function ordered<T extends { createdAt: string; updatedAt?: string }>(nodes: T[], orderBy: { field: string; direction: string } | null | undefined): T[] {
  const key = (n: T) => (orderBy?.field === "UPDATED_AT" ? (n.updatedAt ?? n.createdAt) : n.createdAt);
  const sorted = [...nodes].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return orderBy?.direction === "DESC" ? sorted.reverse() : sorted;
}

/** GitHub's GraphQL `Blob.text` stops at this many bytes and says `isTruncated`. */
export const GRAPHQL_TEXT_BYTES = 512_000;

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

/** A blob as GraphQL shows it (remembered in `known` by its git oid). */
function blobNode(text: string, known: Map<string, string>) {
  const bytes = blobBytes(text);
  const binary = text.includes("\u0000");
  const oid = createHash("sha1").update(`blob ${bytes.byteLength}\u0000`).update(bytes).digest("hex");
  known.set(oid, text);
  // Decoded lossily, as GitHub does: a byte that is not UTF-8, or a character the cut splits, becomes U+FFFD.
  const shown = binary ? null : bytes.subarray(0, GRAPHQL_TEXT_BYTES).toString("utf8");
  return { __typename: "Blob", oid, text: shown, byteSize: bytes.byteLength, isBinary: binary, isTruncated: !binary && bytes.byteLength > GRAPHQL_TEXT_BYTES };
}

function pathOf(uri: string): string {
  const path = uri.startsWith("http") ? new URL(uri).pathname + new URL(uri).search : uri;
  return path.split("?")[0]!;
}

function operationOf(query: string): string | undefined {
  return /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
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
  return { ...user, login, type: bot ? "Bot" : "User", id: bot ? BOT_USER_ID : user.id };
}

/** The head repository as a webhook shows it: the base repository, a fork, or null. */
function headRepository(repository: Json, head: HeadRepo | null): Json | null {
  if (!head) return null;
  if (lower(head.owner) === OWNER && lower(head.name) === REPO) return repository;
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

let deliveries = 0;
/** A fresh X-GitHub-Delivery id (GitHub's are GUIDs; the same delivery sent twice keeps its id). */
export function deliveryId(): string {
  deliveries++;
  return `d${String(deliveries).padStart(7, "0")}-0000-4000-8000-${Math.random().toString(16).slice(2, 14).padEnd(12, "0")}`;
}

/**
 * The webhook for `event`, built from the fixtures in test/fixtures/payloads
 * (@octokit/webhooks-examples payloads moved to this repository, with an
 * `installation`) and filled with the fake's current state: head sha, labels,
 * assignees, head repository (same repository, fork, or a deleted fork: null).
 */
export function webhook(fake: GitHubFake, event: FakeEvent, id = deliveryId()) {
  const pr = fake.pull(event.number ?? fake.primary);
  if (event.name === "check_run") {
    const payload = fixture("check_run.rerequested");
    payload.check_run.name = event.checkName ?? "SEP checks";
    payload.check_run.head_sha = pr.headSha;
    payload.check_run.check_suite.head_sha = pr.headSha;
    payload.check_run.check_suite.after = pr.headSha;
    const sameRepo = pr.headRepo !== null && lower(pr.headRepo.owner) === OWNER && lower(pr.headRepo.name) === REPO;
    // GitHub lists only pull requests from the same repository here, never forks.
    const pulls = sameRepo
      ? payload.check_run.pull_requests.map((p: Json) => ({ ...p, number: pr.number, head: { ...p.head, ref: pr.headRef, sha: pr.headSha } }))
      : [];
    payload.check_run.pull_requests = pulls;
    payload.check_run.check_suite.pull_requests = pulls;
    payload.sender = userObject(payload.sender, event.sender);
    if (event.action === "requested_action") Object.assign(payload, { action: "requested_action", requested_action: { identifier: event.identifier } });
    return { id, name: "check_run" as const, payload };
  }

  const opened = fixture("pull_request.opened");
  if (event.name === "issue_comment") {
    const comment = fake.allComments.find((c) => c.id === event.commentId);
    const template = opened.pull_request.user as Json;
    const author = comment?.author ?? event.sender;
    const payload: Json = {
      action: event.action,
      issue: {
        url: `${API}/repos/${OWNER}/${REPO}/issues/${pr.number}`,
        html_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}`,
        id: 1_000_000 + pr.number,
        node_id: `I_${pr.number}`,
        number: pr.number,
        title: pr.title,
        user: userObject(template, pr.author),
        labels: pr.labels.map(labelObject),
        state: pr.state,
        locked: false,
        assignee: pr.assignees[0] ? userObject(template, pr.assignees[0]) : null,
        assignees: pr.assignees.map((login) => userObject(template, login)),
        comments: fake.commentsOn(pr.number).length,
        created_at: pr.createdAt,
        updated_at: pr.createdAt,
        closed_at: pr.closedAt,
        author_association: "CONTRIBUTOR",
        body: "",
        pull_request: {
          url: `${API}/repos/${OWNER}/${REPO}/pulls/${pr.number}`,
          html_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}`,
          diff_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}.diff`,
          patch_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}.patch`,
        },
      },
      comment: {
        url: `${API}/repos/${OWNER}/${REPO}/issues/comments/${event.commentId}`,
        html_url: `https://github.com/${OWNER}/${REPO}/pull/${pr.number}#issuecomment-${event.commentId}`,
        issue_url: `${API}/repos/${OWNER}/${REPO}/issues/${pr.number}`,
        id: event.commentId,
        node_id: `IC_${event.commentId}`,
        user: userObject(template, author),
        created_at: comment?.createdAt ?? new Date(fake.clock).toISOString(),
        updated_at: comment?.updatedAt ?? new Date(fake.clock).toISOString(),
        author_association: "CONTRIBUTOR",
        body: comment?.body ?? "",
      },
      repository: opened.repository,
      organization: opened.organization,
      installation: opened.installation,
      sender: userObject(template, event.sender),
    };
    if (event.action === "edited") payload.changes = { body: { from: event.previousBody ?? "" } };
    return { id, name: "issue_comment" as const, payload };
  }

  const source = ["synchronize", "labeled"].includes(event.action) ? event.action : event.action === "unlabeled" ? "labeled" : "opened";
  let text = JSON.stringify(source === "opened" ? opened : fixture(`pull_request.${source}`));
  text = text.replace(/\/(pulls|pull|issues)\/1933(?=["/#])/g, `/$1/${pr.number}`);
  const payload = JSON.parse(text) as Json;
  const p = payload.pull_request;
  const template = p.user;
  payload.action = event.action;
  payload.number = pr.number;
  p.number = pr.number;
  p.title = pr.title;
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
  if (event.action === "assigned" || event.action === "unassigned") payload.assignee = userObject(template, event.assignee ?? event.sender);
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

export type Delivery = ReturnType<typeof webhook>;

/** `probot.receive` for a built payload (Probot's types want one exact event type per name). */
export function deliver(probot: Probot, delivery: Delivery): Promise<void> {
  return probot.receive(delivery as unknown as Parameters<Probot["receive"]>[0]);
}

/** Delivers every webhook the fake queued, one after another, in order (or in the order `reorder` gives). */
export async function deliverQueued(probot: Probot, fake: GitHubFake, reorder: (events: FakeEvent[]) => FakeEvent[] = (e) => e): Promise<FakeEvent[]> {
  const events = reorder(fake.takeEvents());
  for (const event of events) await deliver(probot, webhook(fake, event));
  return events;
}

/**
 * Delivers webhooks the way GitHub does: all at once, each `copies` times
 * (a duplicate keeps its delivery id), spread over the given Probot
 * instances (a load balancer), and waits for all of them.
 */
export async function deliverAtOnce(probots: Probot[], fake: GitHubFake, events: FakeEvent[], copies = 1): Promise<void> {
  const built = events.map((event) => webhook(fake, event));
  const all = built.flatMap((delivery) => Array.from({ length: copies }, () => delivery));
  const settled = await Promise.allSettled(all.map((delivery, i) => deliver(probots[i % probots.length]!, delivery)));
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed.length) throw new AggregateError(failed.map((f) => f.reason), `${failed.length} of ${all.length} deliveries failed`);
}

/**
 * Lets the bot settle the way GitHub would: delivers what the fake queued
 * (all at once, `copies` times each), then what those deliveries caused,
 * until nothing more is queued. Returns how many rounds it took.
 */
export async function settle(probots: Probot[], fake: GitHubFake, copies = 1, maxRounds = 10): Promise<number> {
  for (let round = 1; round <= maxRounds; round++) {
    const events = fake.takeEvents();
    if (events.length === 0) return round - 1;
    await deliverAtOnce(probots, fake, events, copies);
  }
  throw new Error(`the bot did not settle in ${maxRounds} rounds: it keeps causing events (${fake.events.map((e) => `${e.name}.${e.action}`).join(", ")})`);
}

export interface LiveOptions {
  /** Each webhook is delivered this many times (same delivery id), at once. */
  copies?: number;
  /** Each delivery starts after a random delay up to this many ms: GitHub's order is not the event order. */
  jitterMs?: number;
}

/** Hands one delivery to an instance (in-process Probot, or a server over HTTP). */
export type Sender = (delivery: Delivery) => Promise<void>;

/**
 * GitHub delivering webhooks the moment their cause happens: the bot's own
 * commit, labels and comment come back while its reconcile is still running,
 * spread over the instances behind the load balancer, duplicated and out of
 * order. `idle()` waits until every delivery (and whatever it caused) is done.
 */
export function live(fake: GitHubFake, probots: Probot[], options: LiveOptions = {}) {
  return liveTo(fake, probots.map((probot) => (delivery: Delivery) => deliver(probot, delivery)), options);
}

export function liveTo(fake: GitHubFake, senders: Sender[], options: LiveOptions = {}) {
  const copies = options.copies ?? 1;
  const jitter = options.jitterMs ?? 5;
  let inFlight = 0;
  let next = 0;
  const failures: unknown[] = [];
  let wake: (() => void) | null = null;
  const send = (event: FakeEvent) => {
    const delivery = webhook(fake, event);
    for (let i = 0; i < copies; i++) {
      inFlight++;
      const sender = senders[next++ % senders.length]!;
      setTimeout(() => {
        sender(delivery)
          .catch((error: unknown) => failures.push(error))
          .finally(() => {
            inFlight--;
            if (inFlight === 0) wake?.();
          });
      }, Math.random() * jitter);
    }
  };
  fake.listener = send;
  for (const event of fake.takeEvents()) send(event);
  return {
    /** Sends the webhook for something the test did without the fake (or again). */
    send,
    /** Resolves when nothing is in flight any more (and `quiet()` agrees); rejects with the deliveries that failed. */
    async idle(quiet: () => Promise<boolean> = async () => true): Promise<void> {
      for (;;) {
        if (inFlight > 0) await new Promise<void>((resolve) => (wake = resolve));
        // A finished delivery may have caused another: give its timer a chance to start.
        await new Promise((resolve) => setTimeout(resolve, jitter + 20));
        if (inFlight === 0 && (await quiet())) break;
      }
      fake.listener = null;
      if (failures.length) throw new AggregateError(failures, `${failures.length} deliveries failed`);
    },
  };
}
