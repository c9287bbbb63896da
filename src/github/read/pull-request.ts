import { sameLogin } from "../../shared/logins.js";
import type { Activity, Ping } from "../../governance/model/snapshot.js";
import type { BotComment, LabelEvent, PersonComment, PullRequestState, Snapshot, Trigger } from "../../governance/model/snapshot.js";
import { readPingMarker, REPLY_MARKER, STATUS_MARKER } from "../../governance/model/record.js";
import { CONFIG_PATH } from "../../rules/load.js";
import { graphql, nodesOf, type BlobNode, type Connection, type GitHub } from "../graphql.js";

/**
 * Query 1 of a pull request's snapshot: the pull request itself (labels and
 * who applied them, assignees, activity for the clocks), its first pages of
 * files and comments (further pages only for large ones), and the rules
 * override; and how its answer maps onto the snapshot.
 */

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
  /** Read the SDK tracking even without a record of it (the plan before asked for it: reconcile.ts). */
  tracking?: boolean;
}


export const PAGE_SIZE = 100;
/** The PR's last commits read with it: where sep-bot's own commits are, if it made any (one page: no extra request). */
const MAX_COMMITS = 100;

export interface FileNode {
  path: string;
  changeType: "ADDED" | "MODIFIED" | "RENAMED" | "DELETED" | "COPIED" | "CHANGED";
}
export interface CommentNode {
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
export interface PullRequestNode {
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
  commits?: Connection<{ commit: CommitNode }> | null;
  labels?: Connection<{ name: string }> | null;
  assignees?: Connection<{ login: string }> | null;
  files?: Connection<FileNode> | null;
  comments?: Connection<CommentNode> | null;
  timelineItems?: Connection<LabelEventNode> | null;
  activity?: Connection<ActivityNode> | null;
}
/** A commit on the PR: its tree (the head's is the snapshot's), and who wrote it (sep-bot's own are a trace of it). */
export interface CommitNode {
  oid: string;
  tree: { oid: string };
  author?: { email: string | null; user: { login: string } | null } | null;
  signature?: { isValid: boolean } | null;
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
      commits(last: ${MAX_COMMITS}) { nodes { commit { oid tree { oid } author { email user { login } } signature { isValid } } } }
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

export async function readPullRequest(
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

export async function filesPage(octokit: GitHub, input: ReadInput, after: string): Promise<Connection<FileNode>> {
  const vars = { owner: input.owner, name: input.repo, number: input.number, after };
  const data = await graphql<PageOf<"files">>(octokit, FILES_PAGE_QUERY, vars, []);
  return connection(data.repository?.pullRequest?.files);
}

export async function commentsPage(octokit: GitHub, input: ReadInput, after: string): Promise<Connection<CommentNode>> {
  const vars = { owner: input.owner, name: input.repo, number: input.number, after };
  const data = await graphql<PageOf<"comments">>(octokit, COMMENTS_PAGE_QUERY, vars, []);
  return connection(data.repository?.pullRequest?.comments);
}

/** Follows `endCursor` until the list ends or `limit` nodes are read; `complete` says which. */
export async function collect<T>(
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

export function connection<T>(value: Connection<T> | null | undefined): Connection<T> {
  return value ?? { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
}

// ---------------------------------------------------------------------------
// Mapping to the snapshot

export function pullRequestState(pr: PullRequestNode, headTreeSha: string): PullRequestState {
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
    commits: nodesOf(pr.commits).map(({ commit }) => ({
      sha: commit.oid,
      authorEmail: commit.author?.email ?? null,
      authorLogin: commit.author?.user?.login ?? null,
      verified: commit.signature?.isValid === true,
    })),
  };
}

/** The tree of the head commit as listed in query 1, when the last listed commit is the head. */
export function treeFromCommits(pr: PullRequestNode): string | null {
  const last = nodesOf(pr.commits).at(-1)?.commit;
  return last && last.oid === pr.headRefOid ? last.tree.oid : null;
}

/** Ours only: a human can paste a marker, but cannot author as the app. */
function byTheBot(comment: CommentNode, botLogin: string): boolean {
  return comment.viewerDidAuthor || (comment.author !== null && sameLogin(comment.author.login, botLogin));
}

const HANDLED = new Set(["THUMBS_UP", "THUMBS_DOWN", "CONFUSED"]);

/** The bot's status comments and reply markers, and every person's comment (no bot's: bots never command). */
export function commentsOf(nodes: CommentNode[], botLogin: string): Pick<Snapshot, "comments" | "discussion" | "replies" | "pings"> {
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
