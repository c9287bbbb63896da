import { validate } from "@octokit/graphql-schema";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import type { GitHub } from "../../src/github/graphql.js";

export const API = "https://api.github.com";

/** A silent logger: Probot's request-logging plugin calls `octokit.log.debug`. */
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A ProbotOctokit with a fake token and no retry or throttling: a nock reply
 * arrives at once, and a failure is seen once (not retried behind our back).
 * Instance options reach the throttling plugin as given (the trap in
 * probot-notes is the object form of `.defaults()`, not this).
 */
export function testOctokit(): GitHub {
  return new ProbotOctokit({
    auth: { token: "test-token" },
    retry: { enabled: false },
    throttle: { enabled: false },
    log: quiet,
  });
}

/**
 * Installs nock guards for the current test file: no real network, and each
 * test must use every mock it declared and make no request nobody mocked.
 * An unmatched request usually surfaces as an HTTP error the code under test
 * may catch (e.g. `executeEffects` aggregates failures), so it is recorded
 * here and fails the test in `afterEach` even if the code swallowed it.
 */
export function useNock(): void {
  const unexpected: string[] = [];
  // Requests to loopback are a test's own servers (a `sep-bot serve` process, the fake over HTTP), never GitHub.
  const record = (req: { method?: string; path?: string; host?: string; hostname?: string; options?: { method?: string; path?: string; host?: string; hostname?: string } }) => {
    const host = String(req.hostname ?? req.host ?? req.options?.hostname ?? req.options?.host ?? "");
    if (/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return;
    unexpected.push(`${req.method ?? req.options?.method ?? "?"} ${host}${req.path ?? req.options?.path ?? "?"}`);
  };

  beforeAll(() => {
    nock.disableNetConnect();
    nock.emitter.on("no match", record);
  });
  beforeEach(() => {
    unexpected.length = 0;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    const strays = [...unexpected];
    nock.cleanAll();
    expect(strays, "requests that no nock mock matched").toEqual([]);
    expect(pending, "nock mocks that were never requested").toEqual([]);
  });
  afterAll(() => {
    nock.emitter.removeListener("no match", record);
    nock.enableNetConnect();
  });
}

/** One GraphQL request as the server saw it. */
export interface GraphqlCall {
  query: string;
  variables: Record<string, unknown>;
}

/**
 * Mocks the next `POST /graphql` with `respond(call)` and records the call.
 * `respond` returns the whole response body (`{ data }` and maybe `{ errors }`).
 * The query is first validated against GitHub's published schema: one GitHub
 * would reject gets GitHub's validation errors, not the canned answer.
 */
export function mockGraphql(calls: GraphqlCall[], respond: (call: GraphqlCall) => unknown): nock.Scope {
  return nock(API)
    .post("/graphql")
    .reply(200, (_uri, body) => {
      const call = body as GraphqlCall;
      calls.push({ query: call.query, variables: call.variables ?? {} });
      const invalid = validate(call.query);
      if (invalid.length) return { errors: invalid.map((e) => ({ message: e.message, locations: e.locations })) } as nock.Body;
      return respond(call) as nock.Body;
    });
}

// ---------------------------------------------------------------------------
// A fake of the GitHub GraphQL API, just enough for `readSnapshot`

export type FakeObject =
  | { kind: "blob"; text: string | null; byteSize?: number; isBinary?: boolean; isTruncated?: boolean }
  | { kind: "tree"; entries: string[] };

export interface FakeRepository {
  /** The `pullRequest` node exactly as GitHub returns it for query 1. */
  pullRequest: Record<string, unknown> | null;
  /** Git objects by revision expression, e.g. `main:seps/1-x.md` or `<sha>:seps/1-x.md`. */
  objects: Record<string, FakeObject>;
  /** `object(oid: head)`: the head commit's tree and check suites; null when GitHub has no such commit. */
  headCommit: { tree: { oid: string }; checkSuites: { nodes: unknown[] } } | null;
  /** Team slug -> member logins; "user" when the owner is not an organization (GitHub answers NOT_FOUND). */
  teams: Record<string, string[]> | "user";
  /** Further pages, by cursor, for `files(after:)` and `comments(after:)`. */
  pages?: Record<string, unknown>;
}

const blobFields = (object: FakeObject | undefined) =>
  object?.kind === "blob"
    ? {
        text: object.text,
        byteSize: object.byteSize ?? Buffer.byteLength(object.text ?? ""),
        isBinary: object.isBinary ?? false,
        isTruncated: object.isTruncated ?? false,
      }
    : object
      ? {} // `... on Blob` on a tree
      : null;

/**
 * Answers the reader's queries from `fake` the way GitHub would, reading only
 * the variables (so a test also proves every dynamic value travels as one).
 * Queries are told apart by their operation name.
 */
export function answerGraphql(fake: FakeRepository, call: GraphqlCall): unknown {
  const vars = call.variables as Record<string, string>;
  const operation = /^\s*query (\w+)/.exec(call.query)?.[1];
  if (operation === "SepPullRequest") {
    const config = fake.objects[vars.configExpr!];
    return {
      data: {
        repository: {
          pullRequest: fake.pullRequest,
          config: config?.kind === "blob" ? { text: config.text, isTruncated: config.isTruncated ?? false } : config ? {} : null,
        },
      },
    };
  }
  if (operation === "SepPullRequestPage") {
    const field = call.query.includes("files(") ? "files" : "comments";
    return { data: { repository: { pullRequest: { [field]: fake.pages?.[vars.after!] } } } };
  }
  if (operation !== "SepContents") throw new Error(`unexpected query ${operation}`);

  const repository: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vars)) {
    if (/^[hb]\d+$/.test(name) || name === "maintainersFile") repository[name] = blobFields(fake.objects[value]);
    if (name === "sepDir") {
      const tree = fake.objects[value];
      repository.sepDir = tree?.kind === "tree" ? { entries: tree.entries.map((entry) => ({ name: entry })) } : tree ? {} : null;
    }
  }
  if (call.query.includes("head: object(oid: $headOid)")) repository.head = fake.headCommit;
  const response: { data: Record<string, unknown>; errors?: unknown[] } = { data: { repository } };
  const slugs = Object.entries(vars).filter(([name]) => /^t\d+$/.test(name));
  if (slugs.length && fake.teams === "user") {
    response.data.organization = null;
    response.errors = [
      {
        type: "NOT_FOUND",
        path: ["organization"],
        locations: [{ line: 9, column: 3 }],
        message: `Could not resolve to an Organization with the login of '${vars.owner}'.`,
      },
    ];
  } else if (slugs.length && fake.teams !== "user") {
    const teams = fake.teams;
    response.data.organization = Object.fromEntries(
      slugs.map(([alias, slug]) => [
        alias,
        teams[slug] ? { members: { nodes: teams[slug]!.map((login) => ({ login })) } } : null,
      ]),
    );
  }
  return response;
}
