import { createHash } from "node:crypto";
import {
  applyChanges,
  BOT,
  blobBytes,
  defaultBase,
  entryOf,
  lower,
  NUMBER,
  OWNER,
  REPO,
  sha1,
  type CheckRun,
  type Comment,
  type Commit,
  type FakeEvent,
  type FakeOptions,
  type FileChanges,
  type Files,
  type IssueState,
  type ProjectState,
  type PullOptions,
  type PullState,
  type TimelineEvent,
} from "./model.js";

/**
 * GitHub's state, as the fake keeps it: the repository and the forks its
 * pull requests come from (git objects and refs), pull requests with their
 * labels, assignees and timeline, comments with reactions, check runs,
 * issues, project boards, teams, workflow dispatches, and the webhooks
 * GitHub would send next. Also what people do (push, label, comment...:
 * each changes the state and queues its webhook), what tests look at, and
 * the changes GitHub makes when asked (the REST routes and GraphQL
 * resolvers call these). `GitHubFake` (server.ts) is this state, served.
 */
export interface OtherRepository {
  owner: string;
  name: string;
  files: Files;
  /** The token can see it (a public repository, or one the App is installed on). */
  readable: boolean;
  /** The App is installed there: it may file and edit issues (a public repository without it: 403). */
  installed: boolean;
  issues: Map<number, IssueState>;
  nextIssue: number;
}

export class GitHubState {
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
  readonly issues = new Map<number, IssueState>();
  readonly projects: ProjectState[] = [];
  /** What the token may do with the organisation's projects (the app's Organization projects permission). */
  projectAccess: "write" | "read" | "none" = "write";
  /** Workflow runs asked for (`POST .../actions/workflows/{file}/dispatches`), oldest first, with their inputs when given. */
  readonly dispatches: Array<{ workflow: string; ref: string; inputs?: Record<string, unknown> }> = [];
  /** The `workflow_dispatch` inputs the workflow declares: others are refused (422) as GitHub does. null: any is taken. */
  workflowInputs: string[] | null = null;
  /** Issues turned off in this repository (or a workflow token without `issues: write`): creating one is refused. */
  issuesDisabled = false;

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
  /** Webhooks GitHub would send next, oldest first. */
  events: FakeEvent[] = [];
  /** GitHub's clock: every recorded change advances it a minute. */
  clock: number;

  private nextId = 9_000_001;
  private nextNumber: number;
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
  // Webhooks GitHub would send

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

  // -------------------------------------------------------------------------
  // What tests look at

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
    const comment: Comment = { id: this.newId(), issue: number, author, body, createdAt: at, updatedAt: at, editedAt: null, editor: null, reactions: [] };
    this.allComments.push(comment);
    return comment;
  }

  /** Advances GitHub's clock a minute and returns the new time. */
  tick(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  // -------------------------------------------------------------------------
  // What GitHub does when asked (the REST routes and GraphQL resolvers call these)

  /** Who did what, on the pull request's timeline, now. */
  record(event: Omit<TimelineEvent, "at">): void {
    this.timeline.push({ ...event, at: this.tick() });
  }

  /** A fresh id for a comment or a check run. */
  newId(): number {
    return this.nextId++;
  }

  /** The next issue number (issues and pull requests share one sequence, as on GitHub). */
  takeNumber(): number {
    return this.nextNumber++;
  }

  refKey(owner: string, repo: string, branch: string): string {
    return `${owner}/${repo}:${branch}`.toLowerCase();
  }

  /**
   * Other repositories the token may read (the conformance repository), by
   * `owner/name` in lowercase: their files on their one branch. A repository
   * not readable answers NOT_FOUND, as GitHub does for one the token cannot see.
   */
  readonly others = new Map<string, OtherRepository>();

  addRepository(nameWithOwner: string, files: Files = {}, readable = true, installed = false): OtherRepository {
    const [owner = "", name = ""] = nameWithOwner.split("/");
    const repo: OtherRepository = { owner, name, files: { ...files }, readable, installed, issues: new Map(), nextIssue: 100 };
    this.others.set(lower(nameWithOwner), repo);
    return repo;
  }

  /** Someone files an issue in another repository (an SDK maintainer's own, say). */
  fileIssue(nameWithOwner: string, author: string, title: string, body = ""): IssueState {
    const repo = this.others.get(lower(nameWithOwner))!;
    const issue: IssueState = { number: repo.nextIssue++, title, body, labels: [], author, state: "open", createdAt: this.tick() };
    repo.issues.set(issue.number, issue);
    return issue;
  }

  /** An issue in another repository closed (or reopened): `completed`, `not_planned`. */
  closeIssue(nameWithOwner: string, number: number, reason: "completed" | "not_planned" | null = "completed"): void {
    const issue = this.others.get(lower(nameWithOwner))!.issues.get(number)!;
    issue.state = reason === null ? "open" : "closed";
    issue.stateReason = reason === null ? "reopened" : reason;
    this.tick();
  }

  /** Issues in a repository (this one, or another), by `owner/name`. */
  issuesOf(owner: string, name: string): Map<number, IssueState> | undefined {
    return this.isBaseRepo(owner, name) ? this.issues : this.others.get(lower(`${owner}/${name}`))?.issues;
  }

  /** A file of another repository changed on its branch (a pull request merged there); null removes it. */
  setRepositoryFile(nameWithOwner: string, path: string, text: string | null): void {
    const repo = this.others.get(lower(nameWithOwner))!;
    if (text === null) delete repo.files[path];
    else repo.files[path] = text;
    this.tick();
  }

  /**
   * A repository renamed (or transferred): GitHub answers to the old name too
   * (GraphQL follows renames, REST redirects), and says the new one.
   */
  renameRepository(from: string, to: string): void {
    const repo = this.others.get(lower(from))!;
    [repo.owner, repo.name] = to.split("/") as [string, string];
    this.others.set(lower(to), repo);
  }

  otherRepository(owner: string, name: string): OtherRepository | undefined {
    return this.others.get(lower(`${owner}/${name}`));
  }

  isBaseRepo(owner: string, repo: string): boolean {
    return lower(owner) === OWNER && lower(repo) === REPO;
  }

  /** Whether the installation can push to a repository: the base, and a fork that accepts it; any other is missing. */
  pushAccess(owner: string, repo: string): "allowed" | "forbidden" | "missing" {
    if (this.isBaseRepo(owner, repo)) return "allowed";
    const fork = [...this.pulls.values()].some((p) => p.headRepo && lower(p.headRepo.owner) === lower(owner) && lower(p.headRepo.name) === lower(repo));
    if (fork) return this.forkAcceptsPushes ? "allowed" : "forbidden";
    return "missing";
  }

  /** The bot's own write moved a branch: GitHub sends `synchronize`, sent by the bot. */
  branchMoved(owner: string, repo: string, branch: string, sha: string): void {
    const pr = this.pullWithHead(owner, repo, branch);
    if (!pr) return;
    const before = pr.headSha;
    pr.headSha = sha;
    this.tick();
    this.emit({ name: "pull_request", action: "synchronize", sender: BOT, number: pr.number, before, after: sha, headSha: sha });
  }

  /** The pull request whose head branch lives at owner/repo:branch. */
  private pullWithHead(owner: string, repo: string, branch: string): PullState | undefined {
    return [...this.pulls.values()].find((p) => p.headRepo && this.refKey(p.headRepo.owner, p.headRepo.name, p.headRef) === this.refKey(owner, repo, branch));
  }

  private moveHead(pr: PullState, sha: string): void {
    pr.headSha = sha;
    if (pr.headRepo) this.refs.set(this.refKey(pr.headRepo.owner, pr.headRepo.name, pr.headRef), sha);
  }

  // -------------------------------------------------------------------------
  // Git objects

  tree(files: Files): string {
    const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
    const sha = sha1(`tree ${JSON.stringify(sorted)}`);
    this.trees.set(sha, sorted);
    return sha;
  }

  private commit(files: Files, parents: string[], message: string, author?: string): string {
    return this.commitTree(this.tree(files), parents, message, false, false, author);
  }

  commitTree(tree: string, parents: string[], message: string, byApp = false, signed = false, author?: string): string {
    const sha = sha1(`commit ${tree} ${parents.join(",")} ${message} ${this.commits.size}`);
    this.commits.set(sha, { sha, tree, parents, message, byApp, signed, ...(author ? { author } : {}), at: new Date(this.clock ?? Date.now()).toISOString() });
    return sha;
  }

  isAncestor(ancestor: string, sha: string): boolean {
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

  /** A file's blob: its git oid and bytes, remembered so that `GET git/blobs/{oid}` can serve it. */
  blob(text: string): { oid: string; bytes: Buffer } {
    const bytes = blobBytes(text);
    const oid = createHash("sha1").update(`blob ${bytes.byteLength}\u0000`).update(bytes).digest("hex");
    this.blobs.set(oid, text);
    return { oid, bytes };
  }

  /** The content of a blob shown before (by GraphQL or a tree listing). */
  blobText(oid: string): string | undefined {
    return this.blobs.get(oid);
  }

  /** The entries of the directory at `path` ("" for the root), with git's modes; null when there is none. */
  treeEntries(files: Files, path: string): { oid: string; entries: Array<{ name: string; path: string; mode: string; type: "blob" | "tree" | "commit"; oid: string }> } | null {
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
        const oid = entry.type === "commit" ? entry.data : this.blob(entry.data).oid;
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
  treeAt(sha: string): { files: Files; path: string } | null {
    if (this.trees.has(sha)) return { files: this.trees.get(sha)!, path: "" };
    const sub = this.subtrees.get(sha);
    if (sub) return sub;
    const commit = this.commits.get(sha) ?? this.commits.get(this.refs.get(this.refKey(OWNER, REPO, sha)) ?? "");
    return commit ? { files: this.trees.get(commit.tree)!, path: "" } : null;
  }
}
