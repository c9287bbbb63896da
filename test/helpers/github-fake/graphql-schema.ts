import { schema as githubSchema } from "@octokit/graphql-schema";
import { buildClientSchema, graphql, GraphQLError, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/**
 * How the fake executes GraphQL (graphql.ts supplies the resolvers):
 * against GitHub's own published schema (@octokit/graphql-schema), with
 * errors and connections shaped as GitHub's. A query with a misspelt field,
 * a wrong argument type or a missing fragment fails here the way it fails
 * on GitHub, and a field the fake has not implemented fails loudly ("the
 * fake does not serve X") instead of answering null. Resolvers are plain
 * objects whose fields are values or functions of the field's arguments
 * (graphql-js's default resolver); abstract types are told apart by
 * `__typename`.
 */

let schema: GraphQLSchema | null = null;
export function gitHubSchema(): GraphQLSchema {
  const json = githubSchema.json as { data?: IntrospectionQuery } & IntrospectionQuery;
  schema ??= buildClientSchema(json.data ?? json);
  return schema;
}

/** An error as GitHub shapes it: `type` (NOT_FOUND, FORBIDDEN, STALE_DATA...) beside the message. */
export class GitHubGraphqlError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GraphqlResponse {
  data?: unknown;
  errors?: Array<{ type?: string; message: string; path?: ReadonlyArray<string | number>; locations?: unknown }>;
}

export async function executeGraphql(root: { query: unknown; mutation: unknown }, query: string, variables: Record<string, unknown>): Promise<GraphqlResponse> {
  const isMutation = /^\s*mutation\b/.test(query);
  const result = await graphql({
    schema: gitHubSchema(),
    source: query,
    rootValue: isMutation ? root.mutation : root.query,
    variableValues: variables,
    fieldResolver: resolveField,
  });
  const response: GraphqlResponse = {};
  if (result.data !== undefined) response.data = result.data;
  if (result.errors?.length) {
    response.errors = result.errors.map((error: GraphQLError) => {
      const original = error.originalError;
      const type = original instanceof GitHubGraphqlError ? original.type : undefined;
      return {
        ...(type ? { type } : {}),
        message: error.message,
        ...(error.path ? { path: error.path } : {}),
        ...(error.locations ? { locations: error.locations } : {}),
      };
    });
  }
  return response;
}

/** graphql-js's default resolver, plus a loud failure for fields the fake does not serve. */
function resolveField(source: unknown, args: Record<string, unknown>, _context: unknown, info: { fieldName: string; parentType: { name: string } }): unknown {
  if (source === null || typeof source !== "object") return undefined;
  const value = (source as Record<string, unknown>)[info.fieldName];
  if (value === undefined) {
    if (info.fieldName === "__typename") return undefined;
    throw new Error(`the fake does not serve ${info.parentType.name}.${info.fieldName}`);
  }
  return typeof value === "function" ? (value as (a: Record<string, unknown>) => unknown).call(source, args) : value;
}

// ---------------------------------------------------------------------------
// Connections (first/last/after/before over a list)

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A GitHub-style connection over `items`, with opaque index cursors. */
export function connection<T>(items: readonly T[], args: ConnectionArgs, extra: Record<string, unknown> = {}) {
  if (args.first == null && args.last == null) throw new GitHubGraphqlError("MISSING_PAGINATION_BOUNDARIES", "You must provide a `first` or `last` value to properly paginate.");
  for (const n of [args.first, args.last]) {
    if (n != null && (n < 0 || n > 100)) throw new GitHubGraphqlError("EXCESSIVE_PAGINATION", `Requesting ${n} records exceeds the \`first\`/\`last\` limit of 100 records.`);
  }
  const decode = (cursor: string | null | undefined, fallback: number) => {
    if (!cursor) return fallback;
    const n = Number(Buffer.from(cursor, "base64").toString("utf8").replace(/^cursor:/, ""));
    if (!Number.isInteger(n)) throw new GitHubGraphqlError("INVALID_CURSOR_ARGUMENTS", `\`${cursor}\` does not appear to be a valid cursor.`);
    return n;
  };
  const encode = (i: number) => Buffer.from(`cursor:${i}`, "utf8").toString("base64");
  let start = decode(args.after, -1) + 1;
  let end = decode(args.before, items.length);
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const nodes = items.slice(start, end);
  return {
    nodes,
    edges: nodes.map((node, i) => ({ node, cursor: encode(start + i) })),
    totalCount: items.length,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? encode(start) : null,
      endCursor: nodes.length ? encode(end - 1) : null,
    },
    ...extra,
  };
}
