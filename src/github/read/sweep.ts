import { isSepPull, type SweepPull, type SweepRead } from "../../reports/sweep/due.js";
import { readPingMarker, readState, STATUS_MARKER } from "../../governance/model/record.js";
import { CHECK_NAME } from "../../governance/check/check-run.js";
import type { Rules } from "../../rules/schema.js";
import { boardOf, boardReadOf, PROJECT_ITEMS, type ProjectItemsNode, type ProjectOwnerNode } from "./board.js";
import { ACTIVITY, activityOf, LABEL_TIMELINE, labelEventsOf, type ActivityNode, type FileNode, type LabelEventNode } from "./pull-request.js";
import { CONFIG_PATH } from "../../rules/load.js";
import { BLOB_FRAGMENT, directoryFrom, rolesAndBoardSelection, rolesFrom, takeBoardNote } from "./contents.js";
import { blobText, cutBlob, readWholeBlobs } from "../blobs.js";
import { filesToRead, sepFileOf, type ListedFile } from "../../reports/sweep/files.js";
import pMap from "p-map";
import { batches } from "../../shared/batches.js";
import { graphql, nodesOf, READS_AT_ONCE, type BlobNode, type Connection, type GitHub, type Variables } from "../graphql.js";
import { isSepFile, toChangedFile } from "./files.js";
import { overrideOf } from "./snapshot.js";
import { readConformanceKeys } from "./final.js";
import { readTrackedIssues } from "./tracking.js";
import { parseBlock } from "../../governance/sdks/umbrella.js";

/**
 * The sweep's read: every open pull request (and those closed in the last
 * days) in pages of 50, each with what the cheap filter and the digest need,
 * in a handful of requests whatever the number of SEPs:
 * 1. the token's login, the default branch and the rules;
 * 2. the roles (maintainers file, teams) and the project board;
 * 3. one request per 100 open pull requests, one per 100 recently closed.
 * A status comment that is not among a PR's first comments (a PR older than
 * the app) costs one more request per 10 such PRs. With `files` (the site and
 * the digest): 4. each open SEP pull request's SEP file at its head, 50 files
 * a request (`readSepFiles`). 5. For the sweep, with an accepted SEP open, the conformance
 * repository's index (one request; its manifest once per version).
 */

export interface SweepReadResult {
  read: SweepRead;
  rules: Rules;
  configError: string | null;
  /** What could not be read (teams, the board), as the check would say it. */
  notes: string[];
  /** The default branch has the SEP directory: a repository with SEPs (the server sweeps only those). */
  hasSepDirectory: boolean;
}

/** Pull requests per page; GitHub may time out on a heavy page, and the sweep then asks for smaller ones. */
const PAGE = 100;
const SMALLEST_PAGE = 12;
/** Bounds a repository with runaway pull requests: 40 pages. */
const MAX_PULLS = 2000;
const FIRST_COMMENTS = 3;

const REPO_QUERY = `query SepSweepRepo($owner: String!, $name: String!, $config: String!) {
  viewer { login }
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name }
    config: object(expression: $config) { ... on Blob { text isTruncated } }
  }
}`;

export interface PullNode extends ProjectItemsNode {
  number: number;
  url: string;
  title: string;
  headRefOid?: string | null;
  state: "OPEN" | "CLOSED" | "MERGED";
  merged: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  author: { login: string } | null;
  labels: Connection<{ name: string }> | null;
  assignees: Connection<{ login: string }> | null;
  files: Connection<Pick<FileNode, "path"> & Partial<Pick<FileNode, "changeType">>> | null;
  comments: (Connection<CommentNode> & { totalCount: number }) | null;
  timelineItems: Connection<LabelEventNode> | null;
  activity: Connection<ActivityNode> | null;
  commits: Connection<{ commit: { checkSuites: Connection<{ checkRuns: Connection<{ status: string; conclusion: string | null }> | null }> | null } }> | null;
}
interface CommentNode {
  databaseId: number | null;
  body: string;
  viewerDidAuthor: boolean;
  createdAt: string;
}

/** A pull request's fields as the sweep reads them (the live site reads one PR with the same). */
export const pullFields = (withBoard: boolean) => `
        number url title headRefOid state merged createdAt updatedAt closedAt
        author { login }
        labels(first: 30) { nodes { name } }
        assignees(first: 10) { nodes { login } }
        files(first: 20) { nodes { path changeType } }
        comments(first: ${FIRST_COMMENTS}) { totalCount nodes { databaseId body viewerDidAuthor createdAt } }
        ${LABEL_TIMELINE}
        ${ACTIVITY}
        commits(last: 1) { nodes { commit { checkSuites(first: 10) { nodes { checkRuns(first: 1, filterBy: { checkName: $checkName }) { nodes { status conclusion } } } } } } }
        ${withBoard ? PROJECT_ITEMS : ""}`;

const pagesQuery = (withBoard: boolean) => `query SepSweepPulls($owner: String!, $name: String!, $first: Int!, $after: String, $states: [PullRequestState!], $order: IssueOrder, $checkName: String!${withBoard ? ", $projectField: String!" : ""}) {
  repository(owner: $owner, name: $name) {
    pullRequests(first: $first, after: $after, states: $states, orderBy: $order) {
      pageInfo { hasNextPage endCursor }
      nodes { ${pullFields(withBoard)} }
    }
  }
}`;

const COMMENTS_QUERY_PART = (i: number) => `p${i}: pullRequest(number: $n${i}) { comments(first: 100) { nodes { databaseId body viewerDidAuthor createdAt } } }`;

export interface SweepReadOptions {
  /** Read each open SEP pull request's SEP file at its head too (the site and the digest; the sweep needs none). */
  files?: boolean;
  /** Read the conformance repository's index when an accepted SEP is open (the sweep; the site and the digest show what the status comments say). */
  conformance?: boolean;
}

export async function readSweep(octokit: GitHub, owner: string, name: string, now: Date, options: SweepReadOptions = {}): Promise<SweepReadResult> {
  const notes: string[] = [];
  // 1. Who we are, the default branch, the rules (HEAD is the default branch).
  const repo = await graphql<{ viewer: { login: string }; repository: { defaultBranchRef: { name: string } | null; config: BlobNode | null } | null }>(
    octokit,
    REPO_QUERY,
    { owner, name, config: `HEAD:${CONFIG_PATH}` },
    ["config"],
  );
  if (!repo.repository) throw new Error(`${owner}/${name}: repository not found`);
  const { rules, configError } = overrideOf(repo.repository.config);
  const defaultBranch = repo.repository.defaultBranchRef?.name ?? "main";
  const botLogin = repo.viewer.login;

  // 2. Roles and the board, as the reconcile reads them; 3. the pull requests, at the same time unless the
  // board decides what their pages read: the items only when the board itself could be read (without
  // access, asking for them fails the whole page).
  const rolesRead = readRolesAndBoard(octokit, owner, name, defaultBranch, rules, notes);
  const pagesRead = rules.project === null ? readPulls(octokit, owner, name, false, rules, now) : rolesRead.then(({ board }) => readPulls(octokit, owner, name, board !== null, rules, now));
  const [{ roles, directory, board, boardNote, hasSepDirectory, umbrellas, sdks }, nodes] = await Promise.all([rolesRead, pagesRead]);

  const pulls = nodes.map((node) => toPull(node, rules, board, boardNote, rules.project ? `${rules.project.owner}#${rules.project.number}` : ""));
  // 4. After the pages (the files are known then): the SEP files, while the status comments are looked for.
  await Promise.all([findStatusComments(octokit, owner, name, nodes, pulls, rules), options.files ? readSepFiles(octokit, owner, name, pulls, rules, now) : null]);
  // 5. For the sweep, with an accepted SEP open, the conformance repository's index: one whose traceability moved over there is re-planned.
  const onRoad = !!options.conformance && pulls.some((p) => p.open && p.memory?.sep?.state && rules.final.from.includes(p.memory.sep.state));
  // 6. For the sweep, the SDK issues sep-bot tracks (one request for all, after the open umbrellas' lists).
  const records = pulls.flatMap((p) => (p.memory?.tracking && !p.memory.tracking.none ? [p.memory.tracking] : []));
  const [conformance, tracked] = await Promise.all([
    onRoad ? readConformanceKeys(octokit, rules, notes) : null,
    options.conformance && rules.sdks ? readTrackedIssues(octokit, rules, records, umbrellas.filter((u) => u.state === "OPEN"), notes) : null,
  ]);
  return { read: { repo: { owner, name, defaultBranch }, botLogin, roles, directory, pulls, conformance, tracked, sdks }, rules, configError, notes, hasSepDirectory };
}

/** Open pull requests from the oldest, and closed ones from the latest update back to the cut-off: the two lists read at once. */
async function readPulls(octokit: GitHub, owner: string, name: string, withBoard: boolean, rules: Rules, now: Date): Promise<PullNode[]> {
  const vars: Variables = { owner, name, checkName: CHECK_NAME, ...(withBoard ? { projectField: rules.project!.field } : {}) };
  const open: PullNode[] = [];
  const closed: PullNode[] = [];
  const cutoff = now.getTime() - rules.sweep.closedWithinDays * 86_400_000;
  await Promise.all([
    eachPage(octokit, withBoard, { ...vars, states: ["OPEN"], order: { field: "CREATED_AT", direction: "ASC" } }, (page) => {
      open.push(...page);
      return open.length < MAX_PULLS;
    }),
    eachPage(octokit, withBoard, { ...vars, states: ["CLOSED", "MERGED"], order: { field: "UPDATED_AT", direction: "DESC" } }, (page) => {
      closed.push(...page.filter((pr) => pr.closedAt && Date.parse(pr.closedAt) >= cutoff));
      // Updated before the cut-off means closed before it too: nothing further back is wanted.
      return page.length > 0 && Date.parse(page.at(-1)!.updatedAt) >= cutoff && closed.length < MAX_PULLS;
    }),
  ]);
  return [...open, ...closed].slice(0, MAX_PULLS);
}

async function eachPage(octokit: GitHub, withBoard: boolean, variables: Variables, more: (page: PullNode[]) => boolean): Promise<void> {
  let after: string | null = null;
  let first = PAGE;
  for (;;) {
    let data: { repository: { pullRequests: Connection<PullNode> } | null };
    try {
      data = await graphql(octokit, pagesQuery(withBoard), { ...variables, first, ...(after ? { after } : {}) }, []);
    } catch (error) {
      if (!tooHeavy(error) || first <= SMALLEST_PAGE) throw error;
      first = Math.floor(first / 2);
      continue;
    }
    const connection: Connection<PullNode> | undefined = data.repository?.pullRequests;
    const page = nodesOf(connection);
    if (!more(page)) return;
    after = connection?.pageInfo?.hasNextPage ? (connection.pageInfo.endCursor ?? null) : null;
    if (!after) return;
  }
}

/** GitHub gave up on the page (a timeout, a 502): a smaller page usually goes through. */
function tooHeavy(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === 502 || status === 504 || /timeout|timed out|something went wrong/i.test((error as Error).message ?? "");
}

async function readRolesAndBoard(octokit: GitHub, owner: string, name: string, defaultBranch: string, rules: Rules, notes: string[]) {
  const declarations = ["$owner: String!", "$name: String!"];
  const variables: Variables = { owner, name };
  const read = (alias: string, type: string, value: string | number) => {
    declarations.push(`$${alias}: ${type}`);
    variables[alias] = value;
  };
  read("sepDir", "String!", `${defaultBranch}:${rules.sepDirectory}`);
  // The same reads as the snapshot's, without a pull request's items (each page reads those).
  const shared = rolesAndBoardSelection(rules, defaultBranch, read, null);
  const fields = ["sepDir: object(expression: $sepDir) { __typename }", ...shared.fields];
  // The SDK umbrellas here (sep-bot's list in each: what the sweep ticks and the site's release view shows), and the
  // SDK list, in the same request.
  if (rules.sdks) {
    if (rules.sdks.labels.umbrella.length) read("umbrellaLabels", "[String!]", rules.sdks.labels.umbrella as unknown as string);
    fields.push(`umbrellas: issues(first: 100, ${rules.sdks.labels.umbrella.length ? "labels: $umbrellaLabels, " : ""}orderBy: { field: CREATED_AT, direction: DESC }) { nodes { number url state body } }`);
    if (rules.sdks.file) {
      read("sdkFile", "String!", `${defaultBranch}:${rules.sdks.file}`);
      fields.push("sdkFile: object(expression: $sdkFile) { ...SepBlob }");
    }
  }
  const query = `query SepSweepRoles(${declarations.join(", ")}) {
  repository(owner: $owner, name: $name) { ${fields.join(" ")} }
  ${shared.top.join("\n  ")}
}${fields.some((f) => f.includes("...SepBlob")) ? `\n${BLOB_FRAGMENT}` : ""}`;
  const data = await graphql<{
    repository: { maintainersFile?: BlobNode | null; sdkFile?: BlobNode | null; sepDir?: { __typename: string } | null; umbrellas?: Connection<{ number: number; url: string; state: "OPEN" | "CLOSED"; body: string }> | null } | null;
    organization?: Record<string, { members?: Connection<{ login: string }> | null } | null> | null;
    projectOwner?: ProjectOwnerNode | null;
  }>(octokit, query, variables, ["sepDir", "sdkFile", ...shared.optional], notes);
  return {
    hasSepDirectory: data.repository?.sepDir?.__typename === "Tree",
    roles: rolesFrom(data, rules),
    directory: directoryFrom(data),
    board: rules.project ? boardOf(data.projectOwner) : null,
    boardNote: takeBoardNote(notes),
    umbrellas: nodesOf(data.repository?.umbrellas),
    sdks: rules.sdks
      ? {
          file: textOf(data.repository?.sdkFile),
          maintainersFile: textOf(data.repository?.maintainersFile),
          umbrellas: nodesOf(data.repository?.umbrellas).flatMap((i) => {
            const block = parseBlock(i.body ?? "");
            return block ? [{ number: i.number, url: i.url, open: i.state === "OPEN", ...block }] : [];
          }),
        }
      : null,
  };
}

export function toPull(node: PullNode, rules: Rules, board: ReturnType<typeof boardOf>, boardNote: string | null, where: string): SweepPull {
  const comments = nodesOf(node.comments);
  const status = statusCommentOf(comments);
  const suites = nodesOf(node.commits).at(-1)?.commit.checkSuites;
  const runs = nodesOf(suites).flatMap((suite) => nodesOf(suite.checkRuns));
  const run = runs[0];
  return {
    number: node.number,
    url: node.url,
    title: node.title,
    open: node.state === "OPEN",
    merged: node.merged,
    author: node.author?.login ?? "ghost",
    createdAt: node.createdAt,
    closedAt: node.closedAt,
    labels: nodesOf(node.labels).map((l) => l.name),
    assignees: nodesOf(node.assignees).map((a) => a.login),
    labelEvents: labelEventsOf(node.timelineItems),
    activity: activityOf(node.activity?.nodes),
    touchesSep: nodesOf(node.files).some((f) => isSepFile(f.path, rules)),
    ...(node.headRefOid ? { head: node.headRefOid } : {}),
    sepFiles: nodesOf(node.files)
      .filter((f) => isSepFile(f.path, rules))
      .map((f): ListedFile => ({ path: f.path, change: f.changeType ? toChangedFile({ path: f.path, changeType: f.changeType }).change : "modified" })),
    memory: status ? readState(status.body) : null,
    pings: pingsOf(comments),
    checks: !run ? null : run.status !== "COMPLETED" ? "pending" : run.conclusion === "SUCCESS" ? "success" : run.conclusion === "NEUTRAL" || run.conclusion === "SKIPPED" ? "neutral" : "failure",
    board: rules.project ? boardReadOf(board, node, node.id, boardNote, where) : null,
  };
}

/** The bot's oldest status comment (every instance keeps that one). */
function statusCommentOf(comments: CommentNode[]): CommentNode | null {
  return comments.filter((c) => c.viewerDidAuthor && c.body.includes(STATUS_MARKER)).sort((a, b) => (a.databaseId ?? 0) - (b.databaseId ?? 0))[0] ?? null;
}

function pingsOf(comments: CommentNode[]) {
  return comments.flatMap((c) => {
    const ping = c.viewerDidAuthor ? readPingMarker(c.body, c.createdAt) : null;
    return ping ? [ping] : [];
  });
}

/** PRs whose status comment is past their first comments: their first 100, ten PRs per request. */
export async function findStatusComments(octokit: GitHub, owner: string, name: string, nodes: PullNode[], pulls: SweepPull[], rules: Rules): Promise<void> {
  const missing = pulls.flatMap((pull, i) => {
    const node = nodes[i]!;
    const more = (node.comments?.totalCount ?? 0) > FIRST_COMMENTS;
    return pull.memory === null && more && isSepPull(pull, rules) ? [i] : [];
  });
  await pMap(batches(missing, 10), async (batch) => {
    const query = `query SepSweepComments($owner: String!, $name: String!, ${batch.map((_, i) => `$n${i}: Int!`).join(", ")}) {
  repository(owner: $owner, name: $name) { ${batch.map((_, i) => COMMENTS_QUERY_PART(i)).join(" ")} }
}`;
    const variables: Variables = { owner, name };
    batch.forEach((index, i) => {
      variables[`n${i}`] = pulls[index]!.number;
    });
    const data = await graphql<{ repository: Record<string, { comments: Connection<CommentNode> } | null> | null }>(octokit, query, variables, []);
    batch.forEach((index, i) => {
      const comments = nodesOf(data.repository?.[`p${i}`]?.comments);
      const status = statusCommentOf(comments);
      const pull = pulls[index]!;
      if (status) pull.memory = readState(status.body);
      pull.pings = [...pull.pings, ...pingsOf(comments)];
    });
  }, { concurrency: READS_AT_ONCE });
}

/** SEP files read per request: fifty blobs of a few dozen KB each keep a response well within GitHub's limits. */
export const FILES_PER_REQUEST = 50;

/**
 * Each open SEP pull request's SEP file at its head (`readSweep` with
 * `files`, and the live site's patches): the files that decide which one is
 * the SEP (`filesToRead`), as `<head>:<path>` expressions, fifty a request,
 * after the pages. What GraphQL does not give as the file's bytes is read
 * raw, a file over the size limit is not read (blobs.ts); then the check's
 * own rule picks the SEP and `sepFileOf` says what it says (`pull.file`).
 */
export async function readSepFiles(octokit: GitHub, owner: string, name: string, pulls: SweepPull[], rules: Rules, now: Date): Promise<void> {
  const wanted = pulls.filter((p) => p.open && isSepPull(p, rules));
  const reads = wanted.flatMap((pull) => (pull.head ? filesToRead(pull.sepFiles ?? []).map((file) => ({ pull, file, expression: `${pull.head}:${file.path}` })) : []));
  const blobs = new Map<string, BlobNode | null>();
  await pMap(batches(reads, FILES_PER_REQUEST), async (batch) => {
    const variables: Variables = { owner, name };
    batch.forEach((r, i) => {
      variables[`f${i}`] = r.expression;
    });
    const aliases = batch.map((_, i) => `f${i}`);
    // Paths from pull requests travel as variables only, never in the query text.
    const query = `query SepPullFiles($owner: String!, $name: String!${aliases.map((a) => `, $${a}: String!`).join("")}) {
  repository(owner: $owner, name: $name) { ${aliases.map((a) => `${a}: object(expression: $${a}) { ...SepBlob }`).join(" ")} }
}
${BLOB_FRAGMENT}`;
    const data = await graphql<{ repository: Record<string, BlobNode | null> | null }>(octokit, query, variables, aliases);
    batch.forEach((r, i) => blobs.set(r.expression, data.repository?.[`f${i}`] ?? null));
  }, { concurrency: READS_AT_ONCE });
  const max = rules.limits.maxFileBytes;
  const cut = [...blobs.values()].flatMap((blob) => cutBlob(blob, max) ?? []);
  const whole = cut.length ? await readWholeBlobs(octokit, { owner, repo: name }, cut) : new Map<string, string | null>();
  for (const pull of wanted) {
    const files = pull.head ? filesToRead(pull.sepFiles ?? []) : [];
    pull.file = files.length ? sepFileOf(files.map((file) => ({ ...file, text: blobText(blobs.get(`${pull.head}:${file.path}`), max, whole)?.text ?? null })), rules, now) : null;
  }
}

/** A small file's text as GraphQL gave it (null: absent, binary, or cut short). */
function textOf(blob: BlobNode | null | undefined): string | null {
  return typeof blob?.text === "string" && !blob.isTruncated ? blob.text : null;
}
