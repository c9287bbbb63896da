import type { ProbotOctokit } from "probot";

/**
 * The GraphQL plumbing every read shares: the client type, connections, and
 * the error rule (a missing optional field is absence, anything else fails).
 */

export type GitHub = InstanceType<typeof ProbotOctokit>;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
export interface Connection<T> {
  nodes?: Array<T | null> | null;
  pageInfo?: PageInfo | null;
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

export type Variables = Record<string, string | number | string[] | Record<string, string>>;

export function nodesOf<T>(value: Connection<T> | null | undefined): T[] {
  return (value?.nodes ?? []).filter((node): node is T => node !== null);
}


// ---------------------------------------------------------------------------
// Queries are reads

/**
 * How many independent reads (pages, batches, a dry run's pull requests) go
 * to GitHub at once: GitHub asks integrations to avoid many concurrent
 * requests; a handful keeps its latency from adding up.
 */
export const READS_AT_ONCE = 6;

/** Each client's sibling for GraphQL queries, made when first needed (client.ts; why: pacing.ts). */
const queryClients = new WeakMap<object, () => GitHub>();

export function setQueryClient(octokit: GitHub, make: () => GitHub): void {
  queryClients.set(octokit, make);
}

/** The client a client's GraphQL queries go through: its queries sibling, or itself when it has none. */
export function queryClient(octokit: GitHub): GitHub {
  return queryClients.get(octokit)?.() ?? octokit;
}

/** Where a GraphQL document goes: a query to the client's queries sibling, a mutation to the client itself. */
export function clientFor(octokit: GitHub, document: string): GitHub {
  return /^\s*mutation\b/.test(document) ? octokit : queryClient(octokit);
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
    return await clientFor(octokit, query).graphql<T>(query, variables);
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
