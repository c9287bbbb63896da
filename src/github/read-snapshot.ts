import type { ProbotOctokit } from "probot";
import { sameLogin } from "../process/authority.js";
import { batches } from "./batches.js";
import { readWholeBlobs, type WholeBlob } from "./blobs.js";
import type { BoardRead } from "../process/board.js";
import { boardOf, boardReadOf, PROJECT_FIELDS, PROJECT_ITEMS, type ProjectItemsNode, type ProjectOwnerNode } from "./board-read.js";
import { CHECK_NAME, readDigest } from "../process/check.js";
import type { Activity, Ping } from "../process/clocks.js";
import { parseMaintainerDirectory, type ListedPerson } from "../process/maintainers.js";
import { roleMembers } from "../process/roles.js";
import type {
  LabelEvent,
  BotComment,
  ChangedSepFile,
  ExistingCheckRun,
  PersonComment,
  PullRequestState,
  Snapshot,
  Trigger,
} from "../process/snapshot.js";
import { readPingMarker, REPLY_MARKER, STATUS_MARKER } from "../process/state.js";
import { defaultRules, loadRules, RulesError } from "../rules/load.js";
import type { Rules } from "../rules/schema.js";

/**
 * Reads everything the planner needs about one pull request, in as few
 * requests as possible: one GraphQL query for the pull request and the rules,
 * a second for file contents, maintainers and our previous check run. Larger
 * pull requests page further, but a normal one costs exactly two requests.
 *
 * File paths come from whoever opened the pull request: they only ever travel
 * as GraphQL variables, never inside the query text.
 */

export type GitHub = InstanceType<typeof ProbotOctokit>;

export interface ReadInput {
  owner: string;
  repo: string;
  number: number;
  /** From the webhook payload's `repository.default_branch`. */
  defaultBranch: string;
  trigger: Trigger;
  /** Like "sep-bot[bot]"; by default the token's own login (GraphQL `viewer`), which is always right. */
  botLogin?: string;
  /** When known, only our own check runs are considered. */
  appId?: number;
}

export const CONFIG_PATH = ".github/sep-bot.yml";

/** GitHub's REST API stops listing at 3000 files; we stop there too. */
const MAX_FILES = 3000;
/** Enough for any real discussion; bounds the work a spammed pull request can cause. */
const MAX_COMMENTS = 3000;
const PAGE_SIZE = 100;
/** Two aliases per file: keeps each contents query small enough for GitHub's limits. */
const FILES_PER_READ = 50;

export async function readSnapshot(octokit: GitHub, input: ReadInput): Promise<{ snapshot: Snapshot; rules: Rules }> {
  const first = await readPullRequest(octokit, input);
  const { rules, configError } = rulesFrom(first.config);
  const pr = first.pullRequest;
  input = { ...input, botLogin: first.viewer ?? input.botLogin ?? "sep-bot[bot]" };

  const files = await collect(connection(pr.files), MAX_FILES, (after) => filesPage(octokit, input, after));
  const comments = await collect(connection(pr.comments), MAX_COMMENTS, (after) => commentsPage(octokit, input, after));

  const changed = files.nodes.filter((file) => isSepFile(file.path, rules)).map(toChangedFile);
  // Most pull requests on a specification repository touch no SEP: one read, then nothing to do.
  if (changed.length === 0) {
    const snapshot = emptySnapshot(input, pr, configError);
    Object.assign(snapshot, commentsOf(comments.nodes, snapshot.botLogin));
    return { snapshot, rules };
  }
  await fillPreviousPaths(octokit, input, changed);

  const reads = await readContents(octokit, input, pr, changed, rules);
  const headTreeSha = reads.headTreeSha ?? treeFromCommits(pr);
  if (!headTreeSha) throw new Error(`${input.owner}/${input.repo}#${input.number}: head commit ${pr.headRefOid} not found`);

  const snapshot: Snapshot = {
    repo: { owner: input.owner, name: input.repo, defaultBranch: input.defaultBranch },
    pr: pullRequestState(pr, headTreeSha),
    files: reads.files,
    filesTruncated: !files.complete || files.nodes.length < pr.changedFiles,
    basePathsTaken: reads.basePathsTaken,
    ...commentsOf(comments.nodes, input.botLogin!),
    checkRun: reads.checkRun,
    ...(reads.project ? { project: reads.project } : {}),
    roles: reads.roles,
    directory: reads.directory,
    readNotes: reads.notes,
    botLogin: input.botLogin!,
    trigger: input.trigger,
    configError,
  };
  return { snapshot, rules };
}

/** A pull request with no SEP file: the planner has nothing to do with it. */
function emptySnapshot(input: ReadInput, pr: PullRequestNode, configError: string | null): Snapshot {
  return {
    repo: { owner: input.owner, name: input.repo, defaultBranch: input.defaultBranch },
    pr: pullRequestState(pr, treeFromCommits(pr) ?? ""),
    files: [],
    filesTruncated: false,
    basePathsTaken: [],
    comments: [],
    discussion: [],
    replies: [],
    pings: [],
    checkRun: null,
    roles: {},
    botLogin: input.botLogin ?? "sep-bot[bot]",
    trigger: input.trigger,
    configError,
  };
}

// ---------------------------------------------------------------------------
// GraphQL shapes (only the fields we select)

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
export interface Connection<T> {
  nodes?: Array<T | null> | null;
  pageInfo?: PageInfo | null;
}
interface FileNode {
  path: string;
  changeType: "ADDED" | "MODIFIED" | "RENAMED" | "DELETED" | "COPIED" | "CHANGED";
}
interface CommentNode {
  databaseId: number | null;
  body: string;
  viewerDidAuthor: boolean;
  url?: string;
  createdAt?: string;
  lastEditedAt?: string | null;
  author: { login: string; __typename?: string; name?: string | null } | null;
  /** Who last edited it (anyone with write access can edit anyone's comment). */
  editor?: { login: string } | null;
  reactionGroups?: Array<{ content: string; viewerHasReacted: boolean }> | null;
}
interface PullRequestNode {
  id?: string;
  number: number;
  url: string;
  state: "OPEN" | "CLOSED" | "MERGED";
  merged: boolean;
  author: { login: string } | null;
  createdAt: string;
  headRefOid: string;
  headRefName: string;
  baseRefName: string;
  maintainerCanModify: boolean;
  changedFiles: number;
  headRepository: { name: string; isFork: boolean; owner: { login: string; __typename: string } } | null;
  commits?: Connection<{ commit: { oid: string; tree: { oid: string } } }> | null;
  labels?: Connection<{ name: string }> | null;
  assignees?: Connection<{ login: string }> | null;
  files?: Connection<FileNode> | null;
  comments?: Connection<CommentNode> | null;
  timelineItems?: Connection<LabelEventNode> | null;
  activity?: Connection<ActivityNode> | null;
}
/** What people did on the PR, for the clocks (bodies are not read). */
export interface ActivityNode {
  __typename?: string;
  createdAt?: string;
  author?: { login: string } | null;
  actor?: { login: string } | null;
  /** AssignedEvent: who was assigned (a User; a bot or mannequin has no login here). */
  assignee?: { login?: string; name?: string | null } | null;
  commit?: { committedDate: string; author: { user: { login: string } | null } | null } | null;
}
export interface LabelEventNode {
  __typename?: string;
  createdAt?: string;
  actor?: { login: string } | null;
  label?: { name: string } | null;
}
/** `... on Blob` selected on any git object: empty when the path is a tree or absent. */
export interface BlobNode {
  /** Which blob: what the REST git blob API reads when `text` is truncated. */
  oid?: string;
  text?: string | null;
  byteSize?: number;
  isBinary?: boolean | null;
  isTruncated?: boolean;
}
interface CheckSuiteNode {
  app: { databaseId: number | null } | null;
  checkRuns: Connection<{ databaseId: number | null; summary: string | null }> | null;
}
interface HeadCommitNode {
  tree?: { oid: string };
  checkSuites?: Connection<CheckSuiteNode> | null;
}
export type Variables = Record<string, string | number | string[] | Record<string, string>>;

// ---------------------------------------------------------------------------
// Query 1: the pull request, its first pages of files and comments, and the rules

const FILE_FIELDS = "nodes { path changeType } pageInfo { hasNextPage endCursor }";
const COMMENT_FIELDS =
  "nodes { databaseId body viewerDidAuthor url createdAt lastEditedAt author { __typename login ... on User { name } } editor { login } reactionGroups { content viewerHasReacted } } pageInfo { hasNextPage endCursor }";

/** The last things people did (and the bot: it is told apart by login), for the clocks. Shared with the sweep. */
export const ACTIVITY = `activity: timelineItems(last: 30, itemTypes: [ISSUE_COMMENT, PULL_REQUEST_REVIEW, PULL_REQUEST_COMMIT, ASSIGNED_EVENT, REOPENED_EVENT, RENAMED_TITLE_EVENT, HEAD_REF_FORCE_PUSHED_EVENT, READY_FOR_REVIEW_EVENT]) {
        nodes {
          __typename
          ... on IssueComment { createdAt author { login } }
          ... on PullRequestReview { createdAt author { login } }
          ... on PullRequestCommit { commit { committedDate author { user { login } } } }
          ... on AssignedEvent { createdAt actor { login } assignee { ... on User { login name } } }
          ... on ReopenedEvent { createdAt actor { login } }
          ... on RenamedTitleEvent { createdAt actor { login } }
          ... on HeadRefForcePushedEvent { createdAt actor { login } }
          ... on ReadyForReviewEvent { createdAt actor { login } }
        }
      }`;

/** Activity nodes as the clocks read them: when, and who (null: a deleted account). */
export function activityOf(nodes: ReadonlyArray<ActivityNode | null> | null | undefined): Activity[] {
  const out: Activity[] = [];
  for (const node of nodes ?? []) {
    if (!node) continue;
    const kind = node.__typename ? { kind: node.__typename } : {};
    if (node.commit) out.push({ at: node.commit.committedDate, actor: node.commit.author?.user?.login ?? null, ...kind });
    else if (node.createdAt) {
      const subject = node.assignee?.login ? { subject: node.assignee.login, subjectName: node.assignee.name?.trim() || null } : {};
      out.push({ at: node.createdAt, actor: node.author?.login ?? node.actor?.login ?? null, ...kind, ...subject });
    }
  }
  return out;
}

/** Who applied and removed which label, newest 50: who set a state label, when a state began. Shared with the sweep. */
export const LABEL_TIMELINE = `timelineItems(last: 50, itemTypes: [LABELED_EVENT, UNLABELED_EVENT]) {
        nodes {
          __typename
          ... on LabeledEvent { createdAt actor { login } label { name } }
          ... on UnlabeledEvent { createdAt actor { login } label { name } }
        }
      }`;

export function labelEventsOf(value: Connection<LabelEventNode> | null | undefined): LabelEvent[] {
  return nodesOf(value).flatMap((event) =>
    event.label && event.createdAt && (event.__typename === "LabeledEvent" || event.__typename === "UnlabeledEvent")
      ? [{ label: event.label.name, added: event.__typename === "LabeledEvent", actor: event.actor?.login ?? null, at: event.createdAt }]
      : [],
  );
}

const PULL_REQUEST_QUERY = `query SepPullRequest($owner: String!, $name: String!, $number: Int!, $configExpr: String!) {
  viewer { login }
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      id number url state merged createdAt headRefOid headRefName baseRefName maintainerCanModify changedFiles
      author { login }
      headRepository { name isFork owner { login __typename } }
      commits(last: 1) { nodes { commit { oid tree { oid } } } }
      labels(first: 100) { nodes { name } }
      assignees(first: 100) { nodes { login } }
      files(first: ${PAGE_SIZE}) { ${FILE_FIELDS} }
      comments(first: ${PAGE_SIZE}) { ${COMMENT_FIELDS} }
      ${LABEL_TIMELINE}
      ${ACTIVITY}
    }
    config: object(expression: $configExpr) { ... on Blob { text isTruncated } }
  }
}`;

async function readPullRequest(
  octokit: GitHub,
  input: ReadInput,
): Promise<{ pullRequest: PullRequestNode; config: BlobNode | null; viewer: string | null }> {
  const data = await graphql<{ viewer?: { login: string } | null; repository: { pullRequest: PullRequestNode | null; config: BlobNode | null } | null }>(
    octokit,
    PULL_REQUEST_QUERY,
    { owner: input.owner, name: input.repo, number: input.number, configExpr: `${input.defaultBranch}:${CONFIG_PATH}` },
    ["config"],
  );
  const pullRequest = data.repository?.pullRequest;
  if (!pullRequest) throw new Error(`${input.owner}/${input.repo}#${input.number}: pull request not found`);
  return { pullRequest, config: data.repository?.config ?? null, viewer: data.viewer?.login ?? null };
}

/** The repository's override on the default branch, or the defaults and the reason it could not be used. */
export function rulesFrom(config: BlobNode | null): { rules: Rules; configError: string | null } {
  if (!config || config.text === undefined) return { rules: defaultRules(), configError: null }; // no file (or a directory)
  if (typeof config.text !== "string" || config.isTruncated)
    return { rules: defaultRules(), configError: `${CONFIG_PATH}: could not be read as text (binary or too large)` };
  try {
    return { rules: loadRules([{ text: config.text, file: CONFIG_PATH }]), configError: null };
  } catch (error) {
    if (error instanceof RulesError) return { rules: defaultRules(), configError: error.message };
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Further pages of files and comments (only for large pull requests)

const pageQuery = (field: "files" | "comments", fields: string) =>
  `query SepPullRequestPage($owner: String!, $name: String!, $number: Int!, $after: String!) {
  repository(owner: $owner, name: $name) { pullRequest(number: $number) { ${field}(first: ${PAGE_SIZE}, after: $after) { ${fields} } } }
}`;
const FILES_PAGE_QUERY = pageQuery("files", FILE_FIELDS);
const COMMENTS_PAGE_QUERY = pageQuery("comments", COMMENT_FIELDS);

type PageOf<K extends "files" | "comments"> = {
  repository: { pullRequest: Pick<PullRequestNode, K> | null } | null;
};

async function filesPage(octokit: GitHub, input: ReadInput, after: string): Promise<Connection<FileNode>> {
  const vars = { owner: input.owner, name: input.repo, number: input.number, after };
  const data = await graphql<PageOf<"files">>(octokit, FILES_PAGE_QUERY, vars, []);
  return connection(data.repository?.pullRequest?.files);
}

async function commentsPage(octokit: GitHub, input: ReadInput, after: string): Promise<Connection<CommentNode>> {
  const vars = { owner: input.owner, name: input.repo, number: input.number, after };
  const data = await graphql<PageOf<"comments">>(octokit, COMMENTS_PAGE_QUERY, vars, []);
  return connection(data.repository?.pullRequest?.comments);
}

/** Follows `endCursor` until the list ends or `limit` nodes are read; `complete` says which. */
async function collect<T>(
  first: Connection<T>,
  limit: number,
  next: (after: string) => Promise<Connection<T>>,
): Promise<{ nodes: T[]; complete: boolean }> {
  const nodes: T[] = [];
  let page = first;
  for (;;) {
    for (const node of page.nodes ?? []) if (node) nodes.push(node);
    const cursor = page.pageInfo?.hasNextPage ? page.pageInfo.endCursor : null;
    if (!cursor) return { nodes: nodes.slice(0, limit), complete: nodes.length <= limit };
    if (nodes.length >= limit) return { nodes: nodes.slice(0, limit), complete: false };
    page = await next(cursor);
  }
}

function connection<T>(value: Connection<T> | null | undefined): Connection<T> {
  return value ?? { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
}

// ---------------------------------------------------------------------------
// Which changed files are SEPs

/** Direct `*.md` children of the SEP directory, minus the excluded names; case-insensitive. */
export function isSepFile(path: string, rules: Pick<Rules, "sepDirectory" | "exclude">): boolean {
  const lower = path.toLowerCase();
  const dir = `${rules.sepDirectory.toLowerCase()}/`;
  if (!lower.startsWith(dir) || !lower.endsWith(".md")) return false;
  const name = lower.slice(dir.length);
  if (name.includes("/")) return false;
  return !rules.exclude.some((excluded) => {
    const e = excluded.toLowerCase();
    return e === name || e === lower;
  });
}

const CHANGE: Record<FileNode["changeType"], ChangedSepFile["change"]> = {
  ADDED: "added",
  MODIFIED: "modified",
  RENAMED: "renamed",
  DELETED: "removed",
  COPIED: "copied",
  CHANGED: "changed",
};

type ChangedFile = Pick<ChangedSepFile, "path" | "change" | "previousPath">;

function toChangedFile(file: FileNode): ChangedFile {
  return { path: file.path, change: CHANGE[file.changeType] ?? "modified", previousPath: null };
}

/**
 * GraphQL does not say where a renamed file came from, and without it the
 * planner would take a renamed SEP for a new one (and miss a status change).
 * Only then, ask REST, which does; stop as soon as every rename is resolved.
 */
async function fillPreviousPaths(octokit: GitHub, input: ReadInput, files: ChangedFile[]): Promise<void> {
  const pending = new Map(files.filter((f) => f.change === "renamed").map((f) => [f.path, f]));
  if (pending.size === 0) return;
  const pages = octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
    owner: input.owner,
    repo: input.repo,
    pull_number: input.number,
    per_page: PAGE_SIZE,
  });
  for await (const page of pages) {
    for (const listed of page.data) {
      const file = pending.get(listed.filename);
      if (file && listed.previous_filename) file.previousPath = listed.previous_filename;
      pending.delete(listed.filename);
    }
    if (pending.size === 0) return;
  }
}

// ---------------------------------------------------------------------------
// Query 2: contents, the SEP directory, maintainers and our last check run

interface ContentReads {
  project: BoardRead | null;
  files: ChangedSepFile[];
  /** What could not be read and what that means, for the check run. */
  notes: string[];
  headTreeSha: string | null;
  basePathsTaken: string[];
  roles: Record<string, string[]>;
  directory: ListedPerson[];
  checkRun: ExistingCheckRun | null;
}

async function readContents(
  octokit: GitHub,
  input: ReadInput,
  pr: PullRequestNode,
  changed: ChangedFile[],
  rules: Rules,
): Promise<ContentReads> {
  // `changed` is never empty here: a PR without SEP files returns before reading contents.
  const fileBatches = batches(changed, FILES_PER_READ);
  const notes: string[] = [];
  let extras: ExtrasResult | null = null;
  const pushed = otherPushes(input, pr);
  const answers: Array<{ batch: ChangedFile[]; repository: NonNullable<ContentsData["repository"]> }> = [];
  for (const [i, batch] of fileBatches.entries()) {
    const query = buildContentsQuery(input, pr, batch, rules, i === 0, pushed);
    const data = await graphql<ContentsData>(octokit, query.text, query.variables, query.optional, notes);
    answers.push({ batch, repository: data.repository ?? {} });
    if (i === 0) extras = readExtras(data, input, pr, rules, notes);
  }

  // GraphQL cut the largest SEPs short: read those blobs whole (all of them at once) before any text is used.
  const maxBytes = rules.limits.maxFileBytes;
  const cut = answers.flatMap(({ batch, repository }) =>
    batch.flatMap((_, j) => [`h${j}`, `b${j}`, ...pushed.map((_, k) => `p${j}_${k}`)].flatMap((alias) => cutBlob(repository[alias], maxBytes) ?? [])),
  );
  const whole = cut.length ? await readWholeBlobs(octokit, { owner: input.owner, repo: input.repo }, cut) : new Map<string, string | null>();

  const files: ChangedSepFile[] = answers.flatMap(({ batch, repository }) =>
    batch.map((file, j) => ({
      ...withContents(file, repository[`h${j}`], repository[`b${j}`], rules, whole),
      ...(pushed.length && file.change !== "removed"
        ? { pushed: pushed.map((sha, k) => ({ sha, text: blobText(repository[`p${j}_${k}`], maxBytes, whole)?.text ?? null })) }
        : {}),
    })),
  );
  return { files, ...extras!, notes };
}

/** Pushed commits in the trigger other than the head (a merged burst): the Status they carried may decide who set it. */
const MAX_PUSHES_READ = 5;
function otherPushes(input: ReadInput, pr: PullRequestNode): string[] {
  const people = input.trigger.pushes.filter((p) => !(input.botLogin && sameLogin(p.actor, input.botLogin))).slice(-MAX_PUSHES_READ);
  // The commits each push made and came from: whether it changed the Status decides who set it.
  const shas = people.flatMap((p) => [p.sha, ...(p.before ? [p.before] : [])]).filter((sha) => sha !== pr.headRefOid);
  return [...new Set(shas)].slice(-2 * MAX_PUSHES_READ);
}

interface ContentsData {
  repository: Record<string, (BlobNode & HeadCommitNode & ProjectItemsNode & { entries?: Array<{ name: string }> | null }) | null> | null;
  organization?: Record<string, { members?: Connection<{ login: string }> | null } | null> | null;
  projectOwner?: ProjectOwnerNode | null;
}

export const BLOB_FRAGMENT = "fragment SepBlob on Blob { oid text byteSize isBinary isTruncated }";

/**
 * Builds query 2. Every dynamic string (expressions with paths, team slugs)
 * is a variable; aliases and variable names are generated (`h0`, `b0`, `t0`).
 * `withExtras`: the first batch also reads what is read once per pull request.
 */
function buildContentsQuery(
  input: Pick<ReadInput, "owner" | "repo" | "appId" | "defaultBranch">,
  pr: Pick<PullRequestNode, "headRefOid" | "baseRefName" | "number">,
  files: ChangedFile[],
  rules: Rules,
  withExtras: boolean,
  pushed: readonly string[] = [],
): { text: string; variables: Variables; optional: string[] } {
  const declarations = ["$owner: String!", "$name: String!"];
  const variables: Variables = { owner: input.owner, name: input.repo };
  const fields: string[] = [];
  const optional: string[] = [];
  const read = (alias: string, type: string, value: string | number) => {
    declarations.push(`$${alias}: ${type}`);
    variables[alias] = value;
  };

  files.forEach((file, i) => {
    if (file.change !== "removed") {
      read(`h${i}`, "String!", `${pr.headRefOid}:${file.path}`);
      fields.push(`h${i}: object(expression: $h${i}) { ...SepBlob }`);
    }
    // Trusted reads come from the default branch: a PR's author picks its base, and could pick a branch they wrote.
    read(`b${i}`, "String!", `${input.defaultBranch}:${file.previousPath ?? file.path}`);
    fields.push(`b${i}: object(expression: $b${i}) { ...SepBlob }`);
    optional.push(`h${i}`, `b${i}`);
    if (file.change === "removed") return;
    pushed.forEach((sha, k) => {
      read(`p${i}_${k}`, "String!", `${sha}:${file.path}`);
      fields.push(`p${i}_${k}: object(expression: $p${i}_${k}) { ...SepBlob }`);
      optional.push(`p${i}_${k}`);
    });
  });

  const top: string[] = [];
  if (withExtras) {
    read("headOid", "GitObjectID!", pr.headRefOid);
    read("checkName", "String!", CHECK_NAME);
    const suiteFilter = input.appId === undefined ? "" : ", filterBy: { appId: $appId }";
    if (input.appId !== undefined) read("appId", "Int!", input.appId);
    fields.push(
      `head: object(oid: $headOid) { ... on Commit { tree { oid } checkSuites(first: 20${suiteFilter}) { nodes { app { databaseId } checkRuns(first: 10, filterBy: { checkName: $checkName }) { nodes { databaseId summary } } } } } }`,
    );
    read("sepDir", "String!", `${input.defaultBranch}:${rules.sepDirectory}`);
    fields.push("sepDir: object(expression: $sepDir) { ... on Tree { entries { name } } }");
    optional.push("head", "sepDir");
    const shared = rolesAndBoardSelection(rules, input.defaultBranch, read, pr.number);
    fields.push(...shared.fields);
    top.push(...shared.top);
    optional.push(...shared.optional);
  }

  const usesBlob = fields.some((f) => f.includes("...SepBlob"));
  const text = `query SepContents(${declarations.join(", ")}) {
  repository(owner: $owner, name: $name) {
    ${fields.join("\n    ") || "id"}
  }${top.map((t) => `\n  ${t}`).join("")}
}${usesBlob ? `\n${BLOB_FRAGMENT}` : ""}`;
  return { text, variables, optional };
}

/**
 * What the snapshot and the sweep read alike, as fields of `repository`
 * (`fields`) and of the query (`top`): the maintainers file on the default
 * branch, the teams the roles name, and the project board (with the PR's
 * items when `prNumber` is given). `read` declares each variable. The answer
 * is read back with rolesFrom, boardOf and takeBoardNote.
 */
export function rolesAndBoardSelection(
  rules: Rules,
  defaultBranch: string,
  read: (alias: string, type: string, value: string | number) => void,
  prNumber: number | null,
): { fields: string[]; top: string[]; optional: string[] } {
  const fields: string[] = [];
  const top: string[] = [];
  const optional: string[] = [];
  if (rules.maintainers.file !== null) {
    read("maintainersFile", "String!", `${defaultBranch}:${rules.maintainers.file}`);
    fields.push("maintainersFile: object(expression: $maintainersFile) { ...SepBlob }");
    optional.push("maintainersFile");
  }
  if (rules.project) {
    read("projectOwner", "String!", rules.project.owner);
    read("projectNumber", "Int!", rules.project.number);
    read("projectField", "String!", rules.project.field);
    top.push(`projectOwner: repositoryOwner(login: $projectOwner) { ${PROJECT_FIELDS} }`);
    optional.push("projectOwner");
    if (prNumber !== null) {
      read("number", "Int!", prNumber);
      fields.push(`pr: pullRequest(number: $number) { ${PROJECT_ITEMS} }`);
      optional.push("pr");
    }
  }
  const teams = teamSlugs(rules).map((slug, i) => {
    read(`t${i}`, "String!", slug);
    return `t${i}: team(slug: $t${i}) { members(first: 100) { nodes { login } } }`;
  });
  if (teams.length) {
    top.unshift(`organization(login: $owner) { ${teams.join(" ")} }`);
    optional.push("organization");
  }
  return { fields, top, optional };
}

/** The board's read failure, out of the check's notes: planBoard words it (see the graphql helper). */
export function takeBoardNote(notes: string[]): string | null {
  const i = notes.findIndex((n) => n.startsWith(BOARD_NOTE));
  return i >= 0 ? notes.splice(i, 1)[0]! : null;
}

function withContents(
  file: ChangedFile,
  head: BlobNode | null | undefined,
  base: BlobNode | null | undefined,
  rules: Rules,
  whole: ReadonlyMap<string, string | null>,
): ChangedSepFile {
  const headBlob = file.change === "removed" ? null : blobText(head, rules.limits.maxFileBytes, whole);
  return {
    ...file,
    headText: headBlob?.text ?? null,
    headSize: headBlob?.size ?? 0,
    baseText: blobText(base, rules.limits.maxFileBytes, whole)?.text ?? null,
  };
}

/**
 * A blob's text, or null text (with its size) when it is binary, over the
 * limit, or not UTF-8. GraphQL's text of a truncated blob is only a prefix:
 * the whole blob's text (`whole`, by oid) stands for it, never the prefix.
 */
function blobText(blob: BlobNode | null | undefined, maxBytes: number, whole: ReadonlyMap<string, string | null>): { text: string | null; size: number } | null {
  if (!blob || typeof blob.byteSize !== "number") return null; // absent, or a directory
  const size = blob.byteSize;
  if (blob.isBinary || size > maxBytes) return { text: null, size };
  if (blob.isTruncated) return { text: blob.oid === undefined ? null : (whole.get(blob.oid) ?? null), size };
  return { text: typeof blob.text === "string" ? blob.text : null, size };
}

/** A blob GraphQL cut short that is worth reading whole: text, and within the size limit. */
function cutBlob(blob: BlobNode | null | undefined, maxBytes: number): WholeBlob | null {
  const { oid, byteSize } = blob ?? {};
  return blob?.isTruncated && !blob.isBinary && oid !== undefined && byteSize !== undefined && byteSize <= maxBytes ? { oid, byteSize } : null;
}

interface ExtrasResult {
  project: BoardRead | null;
  headTreeSha: string | null;
  basePathsTaken: string[];
  roles: Record<string, string[]>;
  directory: ListedPerson[];
  checkRun: ExistingCheckRun | null;
}

function readExtras(data: ContentsData, input: ReadInput, pr: PullRequestNode, rules: Rules, notes: string[]): ExtrasResult {
  const repository = data.repository ?? {};
  const head = repository.head ?? null;
  const entries = repository.sepDir?.entries ?? [];
  // A board that could not be read is the board's note, not the check's: planBoard words it.
  const note = takeBoardNote(notes);
  const project = rules.project ? boardReadOf(boardOf(data.projectOwner), repository.pr, pr.id, note, `${rules.project.owner}#${rules.project.number}`) : null;
  return {
    project,
    headTreeSha: head?.tree?.oid ?? null,
    basePathsTaken: entries.map((entry) => `${rules.sepDirectory}/${entry.name}`).sort(),
    roles: rolesFrom(data, rules),
    directory: directoryFrom(data),
    checkRun: newestCheckRun(head, input.appId, pr.headRefOid),
  };
}

/** Every team any role names, once (team slugs are case-insensitive). */
export function teamSlugs(rules: Rules): string[] {
  return [...new Set(Object.values(rules.roles).flatMap((role) => role.teams.map((t) => t.toLowerCase())))];
}

/** Everyone the base branch's maintainers file links to a login, with their name. */
export function directoryFrom(data: { repository?: { maintainersFile?: BlobNode | null } | null }): ListedPerson[] {
  const file = data.repository?.maintainersFile;
  return typeof file?.text === "string" && !file.isTruncated ? parseMaintainerDirectory(file.text) : [];
}

/** Role members from the base-branch file, teams and configured users; never anything from the pull request itself. */
export function rolesFrom(data: Pick<ContentsData, "organization"> & { repository?: { maintainersFile?: BlobNode | null } | null }, rules: Rules): Record<string, string[]> {
  const file = data.repository?.maintainersFile;
  const text = typeof file?.text === "string" && !file.isTruncated ? file.text : null;
  const teams: Record<string, string[]> = {};
  teamSlugs(rules).forEach((slug, i) => {
    teams[slug] = (data.organization?.[`t${i}`]?.members?.nodes ?? []).flatMap((member) => (member ? [member.login] : []));
  });
  return roleMembers(rules, text, teams);
}

/**
 * Our latest `SEP checks` run on the head commit. Check run ids grow with
 * creation time, and GitHub's list order is not documented, so the highest id wins.
 */
function newestCheckRun(head: HeadCommitNode | null, appId: number | undefined, headSha: string): ExistingCheckRun | null {
  let newest: { databaseId: number; summary: string | null } | null = null;
  for (const suite of head?.checkSuites?.nodes ?? []) {
    if (!suite || (appId !== undefined && suite.app?.databaseId !== appId)) continue;
    for (const run of suite.checkRuns?.nodes ?? []) {
      if (run?.databaseId == null) continue;
      if (!newest || run.databaseId > newest.databaseId) newest = { databaseId: run.databaseId, summary: run.summary };
    }
  }
  return newest && { id: newest.databaseId, headSha, digest: readDigest(newest.summary ?? "") };
}

// ---------------------------------------------------------------------------
// Mapping to the snapshot

function pullRequestState(pr: PullRequestNode, headTreeSha: string): PullRequestState {
  const head = pr.headRepository;
  return {
    number: pr.number,
    url: pr.url,
    state: pr.state === "OPEN" ? "open" : "closed",
    merged: pr.merged,
    author: pr.author?.login ?? "ghost", // a deleted account
    createdAt: pr.createdAt,
    headSha: pr.headRefOid,
    headTreeSha,
    headRef: pr.headRefName,
    headRepo: head && {
      owner: head.owner.login,
      name: head.name,
      isFork: head.isFork,
      ownerIsOrganization: head.owner.__typename === "Organization",
    },
    maintainerCanModify: pr.maintainerCanModify,
    baseRef: pr.baseRefName,
    labels: nodesOf(pr.labels).map((label) => label.name),
    assignees: nodesOf(pr.assignees).map((user) => user.login),
    activity: activityOf(pr.activity?.nodes),
    labelEvents: labelEventsOf(pr.timelineItems),
  };
}

/** The tree of the head commit as listed in query 1, when the last listed commit is the head. */
function treeFromCommits(pr: PullRequestNode): string | null {
  const last = nodesOf(pr.commits).at(-1)?.commit;
  return last && last.oid === pr.headRefOid ? last.tree.oid : null;
}

/** Ours only: a human can paste a marker, but cannot author as the app. */
function byTheBot(comment: CommentNode, botLogin: string): boolean {
  return comment.viewerDidAuthor || (comment.author !== null && sameLogin(comment.author.login, botLogin));
}

const HANDLED = new Set(["THUMBS_UP", "THUMBS_DOWN", "CONFUSED"]);

/** The bot's status comments and reply markers, and every person's comment (no bot's: bots never command). */
function commentsOf(nodes: CommentNode[], botLogin: string): Pick<Snapshot, "comments" | "discussion" | "replies" | "pings"> {
  const pings: Ping[] = [];
  const comments: BotComment[] = [];
  const discussion: PersonComment[] = [];
  const replies: string[] = [];
  for (const node of nodes) {
    if (node.databaseId === null) continue;
    if (byTheBot(node, botLogin)) {
      if (node.body.includes(STATUS_MARKER)) comments.push({ id: node.databaseId, body: node.body });
      for (const marker of node.body.matchAll(REPLY_MARKER)) replies.push(marker[1]!);
      const ping = readPingMarker(node.body, node.createdAt ?? "");
      if (ping) pings.push(ping);
      continue;
    }
    const author = node.author;
    if (!author || author.__typename === "Bot" || /\[bot\]$/i.test(author.login)) continue;
    discussion.push({
      id: node.databaseId,
      author: author.login,
      authorName: author.name?.trim() || null,
      body: node.body,
      createdAt: node.createdAt ?? "",
      editedAt: node.lastEditedAt ?? null,
      editor: node.editor?.login ?? null,
      url: node.url ?? "",
      reacted: (node.reactionGroups ?? []).some((g) => g.viewerHasReacted && HANDLED.has(g.content)),
    });
  }
  return { comments, discussion, replies, pings };
}

export function nodesOf<T>(value: Connection<T> | null | undefined): T[] {
  return (value?.nodes ?? []).filter((node): node is T => node !== null);
}


// ---------------------------------------------------------------------------
// GraphQL errors

interface GraphqlError {
  type?: string;
  path?: Array<string | number>;
  message: string;
}

/**
 * Octokit throws when a response has `errors`, even with partial data.
 * NOT_FOUND on a field we can do without (a missing file, a user-owned
 * repository having no organization) means "absent": keep the partial data.
 * Any other error, or one on a field we need, is thrown.
 */
export async function graphql<T>(octokit: GitHub, query: string, variables: Variables, optional: string[], notes?: string[]): Promise<T> {
  try {
    return await octokit.graphql<T>(query, variables);
  } catch (error) {
    const details = error as { name?: string; errors?: GraphqlError[]; data?: T };
    const errors = details.name === "GraphqlResponseError" ? (details.errors ?? []) : [];
    // Team membership needs `members: read`, which a workflow's GITHUB_TOKEN never has: no teams, said so.
    const forbiddenTeams = (e: GraphqlError) => e.type === "FORBIDDEN" && (e.path ?? [])[0] === "organization" && optional.includes("organization");
    // The project board is an extra: whatever stops it being read is said in the check, never a failed reconcile.
    const board = (e: GraphqlError) => BOARD_FIELDS.includes(fieldOf(e.path ?? []) ?? "") && optional.includes(fieldOf(e.path ?? [])!);
    const absent = (e: GraphqlError) => (e.type === "NOT_FOUND" && isOptionalPath(e.path ?? [], optional)) || forbiddenTeams(e) || board(e);
    if (errors.length === 0 || !errors.every(absent) || !details.data) throw error;
    if (errors.some(forbiddenTeams)) notes?.push("Team membership could not be read (the token lacks the `members: read` permission), so roles given by teams are empty; MAINTAINERS.md and listed users still count.");
    const boardError = errors.find(board);
    if (boardError) notes?.push(`${BOARD_NOTE}${boardError.message}`);
    return details.data;
  }
}

/** The fields that read the project board; errors on them become the note below. */
export const BOARD_FIELDS = ["projectOwner", "pr"];
export const BOARD_NOTE = "The project board could not be read, so this SEP's item on it was not updated: ";

function fieldOf(path: Array<string | number>): string | undefined {
  const field = path[0] === "repository" ? path[1] : path[0];
  return typeof field === "string" ? field : undefined;
}

function isOptionalPath(path: Array<string | number>, optional: string[]): boolean {
  const field = fieldOf(path);
  return field !== undefined && optional.includes(field);
}
