import { connection, executeGraphql, GitHubGraphqlError, type ConnectionArgs, type GraphqlResponse } from "./graphql-schema.js";
import { APP_ID, BOT, BOT_USER_ID, DISPLAY_NAMES, entryOf, lower, OWNER, REPO, sha1, type Comment, type Commit, type Files, type IssueState, type ProjectState, type PullState, type TimelineEvent } from "./model.js";
import type { GitHubState, OtherRepository } from "./state.js";

/**
 * GitHub's GraphQL API over the fake's state: the root a query runs against
 * (`graphqlRoot`: repository, pull requests with their commits, files,
 * labels, comments, reactions and timeline, git objects by expression or
 * oid, check suites, issues, teams, projects) and the mutations sep-bot
 * sends (createCommitOnBranch, the project board's). Nodes are plain objects
 * whose fields are values or functions of their arguments; graphql-schema.ts
 * executes the query against GitHub's own schema.
 */

/** GitHub's GraphQL `Blob.text` stops at this many bytes and says `isTruncated`. */
export const GRAPHQL_TEXT_BYTES = 512_000;

/** A POST /graphql answered: the query executed against GitHub's schema, over the fake's state as it is now. */
export function answerGraphql(fake: GitHubState, query: string, variables: Record<string, unknown>): Promise<GraphqlResponse> {
  return executeGraphql(graphqlRoot(fake), query, variables);
}

function graphqlRoot(fake: GitHubState) {
  const notFound = (what: string) => new GitHubGraphqlError("NOT_FOUND", what);
  return {
    query: {
      viewer: { __typename: "User", login: fake.viewerLogin },
      search: ({ query, type, ...a }: ConnectionArgs & { query: string; type: string }) => (type === "ISSUE" ? searchIssues(fake, query, a) : connection([], a)),
      repository({ owner, name }: { owner: string; name: string }) {
        const other = fake.otherRepository(owner, name);
        if (other?.readable) return otherRepositoryNode(fake, other);
        if (!fake.isBaseRepo(owner, name)) throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
        return repositoryNode(fake);
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
            return projectNode(fake, project);
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
      createCommitOnBranch: ({ input }: { input: CommitOnBranchInput }) => createCommitOnBranch(fake, input),
      addProjectV2ItemById: ({ input }: { input: { projectId: string; contentId: string } }) => {
        const project = writableProject(fake, input.projectId);
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
        const project = writableProject(fake, input.projectId);
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

function repositoryNode(fake: GitHubState) {
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
      return pullRequestNode(fake, pr);
    },
    object: ({ expression, oid }: { expression?: string | null; oid?: string | null }) => objectNode(fake, expression ?? null, oid ?? null),
    defaultBranchRef: { __typename: "Ref", name: fake.defaultBranch, prefix: "refs/heads/" },
    pullRequests: (a: ConnectionArgs & { states?: string[] | null; orderBy?: { field: string; direction: string } | null }) => {
      const state = (pr: PullState) => (pr.merged ? "MERGED" : pr.state === "open" ? "OPEN" : "CLOSED");
      const nodes = [...fake.pulls.values()].filter((pr) => !a.states?.length || a.states.includes(state(pr))).map((pr) => pullRequestNode(fake, pr));
      return connection(ordered(nodes, a.orderBy), a);
    },
    issues: (a: IssuesArgs) => issuesConnection(fake.issues, OWNER, REPO, a),
    issue: ({ number }: { number: number }) => issueNodeOrNotFound(fake.issues, OWNER, REPO, number),
  };
}

type IssuesArgs = ConnectionArgs & { states?: string[] | null; labels?: string[] | null; orderBy?: { field: string; direction: string } | null };

/** A repository's issues as GraphQL lists them (states, labels, order). */
function issuesConnection(issues: Map<number, IssueState>, owner: string, name: string, a: IssuesArgs) {
  const nodes = [...issues.values()]
    .filter((i) => !a.states?.length || a.states.includes(i.state.toUpperCase()))
    .filter((i) => !a.labels?.length || a.labels.some((l) => i.labels.some((x) => lower(x) === lower(l))))
    .map((i) => issueNode(owner, name, i));
  return connection(ordered(nodes, a.orderBy), a);
}

function issueNode(owner: string, name: string, i: IssueState) {
  return {
    __typename: "Issue",
    id: `I_fake${owner}_${name}_${i.number}`,
    number: i.number,
    title: i.title,
    body: i.body,
    url: `https://github.com/${owner}/${name}/issues/${i.number}`,
    state: i.state.toUpperCase(),
    stateReason: i.stateReason ? i.stateReason.toUpperCase() : null,
    createdAt: i.createdAt,
    updatedAt: i.createdAt,
    author: actorNode(i.author),
    viewerDidAuthor: i.author === BOT,
    repository: { __typename: "Repository", nameWithOwner: `${owner}/${name}` },
    labels: (b: ConnectionArgs) => connection(i.labels.map((label) => ({ __typename: "Label", name: label })), b),
  };
}

function issueNodeOrNotFound(issues: Map<number, IssueState>, owner: string, name: string, number: number) {
  const issue = issues.get(number);
  if (!issue) throw new GitHubGraphqlError("NOT_FOUND", `Could not resolve to an issue or pull request with the number of ${number}.`);
  return issueNode(owner, name, issue);
}

/**
 * GitHub's issue search, as sep-bot asks it: a quoted phrase, `is:issue`,
 * `in:title` or `in:title,body`, `org:` and `repo:` qualifiers, over every
 * repository the token can read. (GitHub's index lags behind; the fake's does not.)
 */
function searchIssues(fake: GitHubState, query: string, a: ConnectionArgs) {
  const phrase = /"([^"]+)"/.exec(query)?.[1]?.toLowerCase() ?? "";
  const inBody = /in:[a-z,]*body/.test(query);
  const orgs = [...query.matchAll(/\borg:([\w.-]+)/g)].map((m) => lower(m[1]!));
  const repos = [...query.matchAll(/\brepo:([\w.-]+\/[\w.-]+)/g)].map((m) => lower(m[1]!));
  const all: Array<{ owner: string; name: string; issues: Map<number, IssueState> }> = [{ owner: OWNER, name: REPO, issues: fake.issues }, ...[...new Set(fake.others.values())].filter((r) => r.readable)];
  const within = all.filter((r) => orgs.includes(lower(r.owner)) || repos.includes(lower(`${r.owner}/${r.name}`)));
  const nodes = within.flatMap((r) => [...r.issues.values()].filter((i) => lower(i.title).includes(phrase) || (inBody && lower(i.body).includes(phrase))).map((i) => issueNode(r.owner, r.name, i)));
  return connection(nodes, a);
}

/** Another repository (the conformance repository, an SDK's): its files by expression (`REV:path`, one branch), blobs by oid, its issues. */
function otherRepositoryNode(fake: GitHubState, repo: OtherRepository) {
  return {
    issues: (a: IssuesArgs) => issuesConnection(repo.issues, repo.owner, repo.name, a),
    issue: ({ number }: { number: number }) => issueNodeOrNotFound(repo.issues, repo.owner, repo.name, number),
    __typename: "Repository",
    id: `R_kgDO${repo.name}`,
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    url: `https://github.com/${repo.owner}/${repo.name}`,
    isPrivate: false,
    owner: { __typename: "Organization", login: repo.owner },
    object: ({ expression, oid }: { expression?: string | null; oid?: string | null }) => {
      if (oid) {
        const text = fake.blobText(oid);
        return text === undefined ? null : blobNode(fake, text);
      }
      const colon = expression?.indexOf(":") ?? -1;
      return colon < 0 ? null : pathNode(fake, repo.files, expression!.slice(colon + 1));
    },
  };
}

function projectNode(fake: GitHubState, project: ProjectState) {
  return {
    __typename: "ProjectV2",
    id: project.id,
    number: project.number,
    title: project.title,
    viewerCanUpdate: fake.projectAccess === "write",
    field: ({ name }: { name: string }) => {
      const field = project.fields.find((f) => f.name === name);
      return field && { __typename: "ProjectV2SingleSelectField", id: field.id, name: field.name, options: field.options.map((o) => ({ __typename: "ProjectV2SingleSelectFieldOption", ...o })) };
    },
  };
}

function writableProject(fake: GitHubState, id: string): ProjectState {
  if (fake.projectAccess !== "write") throw new GitHubGraphqlError("FORBIDDEN", "Resource not accessible by integration");
  const project = fake.projects.find((p) => p.id === id);
  if (!project) throw new GitHubGraphqlError("NOT_FOUND", `Could not resolve to a node with the global id of '${id}'`);
  return project;
}

/** `rev:path` as `object(expression:)` resolves it, or an object by oid: a blob, a tree, a commit, or nothing. */
function objectNode(fake: GitHubState, expression: string | null, oid: string | null): unknown {
  if (oid) return fake.commits.has(oid) ? commitNode(fake, oid) : null;
  if (!expression) return null;
  const colon = expression.indexOf(":");
  const given = colon < 0 ? expression : expression.slice(0, colon);
  const rev = given === "HEAD" ? fake.defaultBranch : given;
  const sha = fake.refs.get(fake.refKey(OWNER, REPO, rev)) ?? (fake.commits.has(rev) ? rev : undefined);
  if (!sha) return null;
  if (colon < 0) return commitNode(fake, sha);
  return pathNode(fake, fake.filesAt(sha), expression.slice(colon + 1));
}

/**
 * The object at `path`: a blob (a symbolic link's holds its target, as on
 * GitHub), a tree, or nothing (a submodule's commit is another repository's).
 */
function pathNode(fake: GitHubState, files: Files, path: string): unknown {
  if (path in files) {
    const entry = entryOf(files[path]!);
    return entry.type === "blob" ? blobNode(fake, entry.data) : null;
  }
  const listed = fake.treeEntries(files, path);
  if (!listed) return null;
  return {
    __typename: "Tree",
    oid: listed.oid,
    entries: listed.entries.map((e) => {
      const object = pathNode(fake, files, e.path) as { oid: string } | null;
      return { name: e.name, path: e.path, type: e.type, mode: parseInt(e.mode, 8), oid: object?.oid ?? e.oid, object };
    }),
  };
}

function commitNode(fake: GitHubState, sha: string) {
  const commit = fake.commits.get(sha)!;
  return {
    __typename: "Commit",
    oid: sha,
    message: commit.message,
    committedDate: commit.at ?? new Date(fake.clock).toISOString(),
    author: gitActor(fake, commit),
    // GitHub signs what an app commits through the API (no custom author); people's pushes here are unsigned.
    signature: commit.signed ? { __typename: "GpgSignature", isValid: true, wasSignedByGitHub: true, state: "VALID" } : null,
    tree: { __typename: "Tree", oid: commit.tree },
    file: ({ path }: { path: string }) => {
      const object = pathNode(fake, fake.filesAt(sha), path) as { oid: string } | null;
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
function gitActor(fake: GitHubState, commit: Commit) {
  const date = commit.at ?? new Date(fake.clock).toISOString();
  if (commit.byApp) return { __typename: "GitActor", name: BOT, email: `${BOT_USER_ID}+${BOT}@users.noreply.github.com`, date, user: null };
  const login = commit.author;
  if (!login) return { __typename: "GitActor", name: "A Maintainer", email: "maintainer@example.com", date, user: null };
  return { __typename: "GitActor", name: DISPLAY_NAMES[login] ?? login, email: `${login}@users.noreply.github.com`, date, user: { __typename: "User", login } };
}

function pullRequestNode(fake: GitHubState, pr: PullState) {
  const files = fake.changedFiles(pr.number);
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
    updatedAt: updatedAt(fake, pr),
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
    milestone: pr.milestone ? { __typename: "Milestone", title: pr.milestone.title, dueOn: pr.milestone.dueOn } : null,
    changedFiles: files.length,
    author: actorNode(pr.author),
    headRepository: pr.headRepo && {
      __typename: "Repository",
      name: pr.headRepo.name,
      nameWithOwner: `${pr.headRepo.owner}/${pr.headRepo.name}`,
      isFork: !fake.isBaseRepo(pr.headRepo.owner, pr.headRepo.name),
      owner: { __typename: pr.headRepo.ownerType, login: pr.headRepo.owner },
    },
    commits: (a: ConnectionArgs) => connection(fake.pullCommits(pr.number).map((c) => ({ __typename: "PullRequestCommit", commit: commitNode(fake, c.sha) })), a),
    labels: (a: ConnectionArgs) => connection(pr.labels.map((name) => ({ __typename: "Label", name, id: `LA_${sha1(name).slice(0, 8)}` })), a),
    assignees: (a: ConnectionArgs) => connection(pr.assignees.map((login) => ({ __typename: "User", login })), a),
    files: (a: ConnectionArgs) => connection(files.map((f) => ({ __typename: "PullRequestChangedFile", path: f.path, changeType: TYPE[f.status] })), a),
    comments: (a: ConnectionArgs) => connection(fake.commentsOn(pr.number).map((c) => commentNode(c)), a),
    timelineItems: (a: ConnectionArgs & { itemTypes?: string[] | null; since?: string | null }) => {
      const wanted = a.itemTypes?.length ? new Set(a.itemTypes.map((t) => ITEM[t] ?? t)) : null;
      const items = [
        ...fake.timeline.filter((e) => e.issue === pr.number).map((e) => timelineNode(e)),
        ...fake.commentsOn(pr.number).map((c) => ({ ...commentNode(c), at: c.createdAt })),
      ]
        .filter((item) => !wanted || wanted.has(item.__typename))
        .filter((item) => !a.since || item.at >= a.since)
        .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
      return connection(items, a);
    },
  };
}

/** When anything last happened on the pull request (GitHub's `updatedAt`). */
function updatedAt(fake: GitHubState, pr: PullState): string {
  const times = [pr.createdAt, pr.closedAt ?? "", ...fake.timeline.filter((e) => e.issue === pr.number).map((e) => e.at), ...fake.commentsOn(pr.number).map((c) => c.updatedAt)];
  return times.reduce((a, b) => (b > a ? b : a));
}

function timelineNode(e: TimelineEvent) {
  const base = { __typename: e.type, at: e.at, createdAt: e.at, actor: actorNode(e.actor) };
  if (e.type === "LabeledEvent" || e.type === "UnlabeledEvent") return { ...base, label: { __typename: "Label", name: e.label } };
  if (e.type === "AssignedEvent" || e.type === "UnassignedEvent") return { ...base, assignee: e.assignee ? { __typename: "User", login: e.assignee, name: DISPLAY_NAMES[e.assignee] ?? null } : null };
  return base;
}

function commentNode(c: Comment) {
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

function createCommitOnBranch(fake: GitHubState, input: CommitOnBranchInput) {
  const [owner = "", name = ""] = input.branch.repositoryNameWithOwner?.split("/") ?? [];
  if (!fake.isBaseRepo(owner, name) && !fake.forkAcceptsGraphqlCommits) {
    throw new GitHubGraphqlError("FORBIDDEN", `Resource not accessible by integration`);
  }
  if (fake.pushAccess(owner, name) !== "allowed") throw new GitHubGraphqlError("FORBIDDEN", "Resource not accessible by integration");
  const key = fake.refKey(owner, name, input.branch.branchName);
  const current = fake.refs.get(key);
  if (!current) throw new GitHubGraphqlError("NOT_FOUND", `A ref named "refs/heads/${input.branch.branchName}" does not exist.`);
  if (current !== input.expectedHeadOid) {
    throw new GitHubGraphqlError("STALE_DATA", `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`);
  }
  const files = fake.filesAt(current);
  for (const d of input.fileChanges?.deletions ?? []) {
    if (!(d.path in files)) throw new GitHubGraphqlError("UNPROCESSABLE", `A path was requested for deletion which does not exist as of commit oid \`${current}\``);
    delete files[d.path];
  }
  for (const a of input.fileChanges?.additions ?? []) files[a.path] = Buffer.from(a.contents, "base64").toString("utf8");
  const message = input.message.body ? `${input.message.headline}\n\n${input.message.body}` : input.message.headline;
  const sha = fake.commitTree(fake.tree(files), [current], message, true, true);
  fake.refs.set(key, sha);
  fake.branchMoved(owner, name, input.branch.branchName, sha);
  return { commit: { __typename: "Commit", oid: sha } };
}

interface CommitOnBranchInput {
  branch: { repositoryNameWithOwner?: string | null; branchName: string };
  expectedHeadOid: string;
  message: { headline: string; body?: string | null };
  fileChanges?: { additions?: Array<{ path: string; contents: string }> | null; deletions?: Array<{ path: string }> | null } | null;
}

/** A connection's nodes in GraphQL's `orderBy` (CREATED_AT or UPDATED_AT); default: creation order. */
function ordered<T extends { createdAt: string; updatedAt?: string }>(nodes: T[], orderBy: { field: string; direction: string } | null | undefined): T[] {
  const key = (n: T) => (orderBy?.field === "UPDATED_AT" ? (n.updatedAt ?? n.createdAt) : n.createdAt);
  const sorted = [...nodes].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return orderBy?.direction === "DESC" ? sorted.reverse() : sorted;
}

/** GraphQL shows an app's bot user without the `[bot]` suffix, as an Actor. */
const actorNode = (login: string) =>
  login.endsWith("[bot]") ? { __typename: "Bot", login: login.replace(/\[bot\]$/, "") } : { __typename: "User", login, name: DISPLAY_NAMES[login] ?? null };

/** A blob as GraphQL shows it (the fake remembers it by its git oid, for `GET git/blobs/{oid}`). */
function blobNode(fake: GitHubState, text: string) {
  const { oid, bytes } = fake.blob(text);
  const binary = text.includes("\u0000");
  // Decoded lossily, as GitHub does: a byte that is not UTF-8, or a character the cut splits, becomes U+FFFD.
  const shown = binary ? null : bytes.subarray(0, GRAPHQL_TEXT_BYTES).toString("utf8");
  return { __typename: "Blob", oid, text: shown, byteSize: bytes.byteLength, isBinary: binary, isTruncated: !binary && bytes.byteLength > GRAPHQL_TEXT_BYTES };
}
