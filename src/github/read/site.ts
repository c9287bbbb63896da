import { CHECK_NAME } from "../../governance/check/check-run.js";
import type { SiteFile } from "../../reports/site/build.js";
import type { PersonComment } from "../../governance/model/snapshot.js";
import type { SweepPull } from "../../reports/sweep/due.js";
import type { Rules } from "../../rules/schema.js";
import { isRegularFile } from "../../sep/file-kind.js";
import pMap from "p-map";
import { batches } from "../../shared/batches.js";
import { graphql, nodesOf, READS_AT_ONCE, type BlobNode, type Connection, type GitHub, type Variables } from "../graphql.js";
import { isSepFile } from "./files.js";
import { findStatusComments, pullFields, readSepFiles, toPull, type PullNode } from "./sweep.js";

/**
 * The one request the SEP site adds to the sweep's read: the SEP directory
 * of the default branch with each file's text (GitHub cuts a text at 512,000
 * bytes; the preamble is all the site reads), and the last comments of the
 * pull requests in review, where the votes are (`/vote`), read the way the
 * reconcile reads them. However many SEPs there are, one request.
 */

/** Pull requests in review whose votes are read (the core maintainers' agenda); the rest show the counts the bot remembers. */
export const MAX_REVIEW_DISCUSSIONS = 25;
/** The latest comments of each: votes are cast while a SEP is in review, late in its pull request. */
const LAST_COMMENTS = 100;
const LAST_COMMENTS_FIELD = `lastComments: comments(last: ${LAST_COMMENTS}) { nodes { databaseId body url createdAt lastEditedAt author { __typename login } editor { login } } }`;

interface TreeNode {
  entries?: Array<{ name: string; path?: string | null; type: string; mode?: number; object?: BlobNode | null }> | null;
}

interface CommentNode {
  databaseId: number | null;
  body: string;
  url: string;
  createdAt: string;
  lastEditedAt: string | null;
  author: { __typename?: string; login: string } | null;
  editor: { login: string } | null;
}

export interface SiteExtras {
  files: SiteFile[];
  discussions: Array<{ number: number; comments: PersonComment[] }>;
}

export async function readSiteExtras(octokit: GitHub, owner: string, name: string, defaultBranch: string, rules: Rules, inReview: readonly number[]): Promise<SiteExtras> {
  const review = [...inReview].sort((a, b) => a - b).slice(0, MAX_REVIEW_DISCUSSIONS);
  const variables: Variables = { owner, name, dir: `${defaultBranch}:${rules.sepDirectory}` };
  review.forEach((number, i) => {
    variables[`n${i}`] = number;
  });
  const query = `query SepSiteFiles($owner: String!, $name: String!, $dir: String!${review.map((_, i) => `, $n${i}: Int!`).join("")}) {
  repository(owner: $owner, name: $name) {
    seps: object(expression: $dir) { ... on Tree { entries { name path type mode object { ... on Blob { text byteSize isBinary isTruncated } } } } }
    ${review.map((_, i) => `p${i}: pullRequest(number: $n${i}) { ${LAST_COMMENTS_FIELD} }`).join("\n    ")}
  }
}`;
  const data = await graphql<{ repository: ({ seps: TreeNode | null } & Record<string, unknown>) | null }>(octokit, query, variables, ["seps", ...review.map((_, i) => `p${i}`)]);
  if (!data.repository) throw new Error(`${owner}/${name}: repository not found`);
  const dir = rules.sepDirectory.replace(/\/+$/, "");
  // Files only (a symbolic link is a blob holding its target). The site reads no raw blob, so a text whose
  // length says GitHub replaced bytes that are not UTF-8 is left out like a binary one.
  const files = (data.repository.seps?.entries ?? [])
    .filter((e) => e.type === "blob" && isRegularFile(e.mode === undefined ? undefined : e.mode.toString(8)))
    .map((e) => ({ path: e.path ?? `${dir}/${e.name}`, text: e.object && !e.object.isBinary && !lossy(e.object) ? (e.object.text ?? null) : null }))
    .filter((f) => isSepFile(f.path, rules));
  const discussions = review.map((number, i) => {
    const node = data.repository![`p${i}`] as { lastComments: Connection<CommentNode> | null } | null | undefined;
    return { number, comments: nodesOf(node?.lastComments).flatMap(personComment) };
  });
  return { files, discussions };
}

/** Not UTF-8: GitHub's U+FFFD made the text longer than the blob (a text cut at 512,000 bytes says nothing). */
function lossy(blob: BlobNode): boolean {
  return !blob.isTruncated && typeof blob.text === "string" && Buffer.byteLength(blob.text, "utf8") !== blob.byteSize;
}

/** A comment by a person (a bot's is never a vote), as the vote tally reads it. */
function personComment(node: CommentNode): PersonComment[] {
  if (!node.author || node.author.__typename === "Bot" || node.databaseId === null) return [];
  return [
    {
      id: node.databaseId,
      author: node.author.login,
      authorName: null,
      body: node.body,
      createdAt: node.createdAt,
      editedAt: node.lastEditedAt,
      editor: node.editor?.login ?? null,
      url: node.url,
      reacted: false,
    },
  ];
}

/** Pull requests read again for the live site, and whether the repository is private now. */
export interface SitePullsRead {
  isPrivate: boolean;
  pulls: SitePullRead[];
}

/** One pull request for the live site, after a reconcile changed it. */
export interface SitePullRead {
  number: number;
  /** As the sweep reads it; null when it is gone (or the token may no longer see it). */
  pull: SweepPull | null;
  /** Its latest comments by people, where the votes are. */
  comments: PersonComment[];
}

/** Pull requests per request: a burst of reconciles in one repository is read together. */
const PULLS_PER_REQUEST = 10;

/**
 * Pull requests as the sweep reads them, with their latest comments: what the
 * live site patches into its copy of the bulk read after reconciles. One
 * request per ten (one more per ten whose status comment is not among their
 * first comments, and one for their SEP files).
 */
export async function readSitePulls(octokit: GitHub, owner: string, name: string, numbers: readonly number[], rules: Rules, now = new Date()): Promise<SitePullsRead> {
  let isPrivate = true; // until GitHub says otherwise
  const unique = [...new Set(numbers)].sort((a, b) => a - b);
  const read = await pMap(batches(unique, PULLS_PER_REQUEST), async (batch) => {
    const variables: Variables = { owner, name, checkName: CHECK_NAME };
    batch.forEach((number, i) => {
      variables[`n${i}`] = number;
    });
    const query = `query SepSitePulls($owner: String!, $name: String!, $checkName: String!${batch.map((_, i) => `, $n${i}: Int!`).join("")}) {
  repository(owner: $owner, name: $name) {
    isPrivate
    ${batch.map((_, i) => `p${i}: pullRequest(number: $n${i}) { ${pullFields(false)} ${LAST_COMMENTS_FIELD} }`).join("\n    ")}
  }
}`;
    type Node = PullNode & { lastComments: Connection<CommentNode> | null };
    // A pull request that is gone answers NOT_FOUND for its alias alone: the others are still read.
    const data = await graphql<{ repository: ({ isPrivate?: boolean } & Record<string, Node | boolean | null | undefined>) | null }>(octokit, query, variables, batch.map((_, i) => `p${i}`));
    isPrivate = data.repository?.isPrivate !== false;
    const nodes = batch.map((_, i) => (data.repository?.[`p${i}`] as Node | null | undefined) ?? null);
    const found = nodes.filter((n): n is Node => n !== null);
    const pulls = found.map((node) => toPull(node, rules, null, null, ""));
    await Promise.all([findStatusComments(octokit, owner, name, found, pulls, rules), readSepFiles(octokit, owner, name, pulls, rules, now)]);
    return batch.map((number, i): SitePullRead => {
      const node = nodes[i];
      const pull = node ? pulls[found.indexOf(node)]! : null;
      return { number, pull, comments: node ? nodesOf(node.lastComments).flatMap(personComment) : [] };
    });
  }, { concurrency: READS_AT_ONCE });
  const out = read.flat();
  return { isPrivate, pulls: out };
}
