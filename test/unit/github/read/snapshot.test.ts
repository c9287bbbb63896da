import nock from "nock";
import { describe, expect, it } from "vitest";
import { readSnapshot } from "../../../../src/github/read/snapshot.js";
import type { ReadInput } from "../../../../src/github/read/pull-request.js";
import { CHECK_NAME, digestMarker, readDigest } from "../../../../src/governance/check/check-run.js";
import { STATUS_MARKER } from "../../../../src/governance/model/record.js";
import { defaultRules } from "../../../../src/rules/load.js";
import {
  answerGraphql,
  API,
  mockGraphql,
  testOctokit,
  useNock,
  type FakeRepository,
  type GraphqlCall,
} from "../../../helpers/octokit.js";
import { pushedBy } from "../../../helpers/snapshot.js";

useNock();

const HEAD = "1f0e5e1c9b6c4a7d8e9f00112233445566778899";
const TREE = "2a1b3c4d5e6f708192a3b4c5d6e7f80910111213";
const SEP = "# SEP-0000: Example\n\n- **Status**: Draft\n";

const input: ReadInput = {
  owner: "acme",
  repo: "specs",
  number: 7,
  defaultBranch: "main",
  trigger: pushedBy("alice", "1f0e5e1c9b6c4a7d8e9f00112233445566778899"),
  botLogin: "sep-bot[bot]",
  appId: 4242,
};

type FileNode = { path: string; changeType: string };
type CommentNode = { databaseId: number; body: string; viewerDidAuthor: boolean; author: { login: string } | null };

/** A pull request node shaped like GitHub's answer to query 1. */
function pullRequestNode(
  files: FileNode[],
  comments: CommentNode[] = [],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    number: 7,
    url: "https://github.com/acme/specs/pull/7",
    state: "OPEN",
    merged: false,
    createdAt: "2025-05-01T10:00:00Z",
    headRefOid: HEAD,
    headRefName: "feature/example",
    baseRefName: "main",
    maintainerCanModify: true,
    changedFiles: files.length,
    author: { login: "alice" },
    headRepository: { name: "specs", isFork: true, owner: { login: "alice", __typename: "User" } },
    commits: { nodes: [{ commit: { oid: HEAD, tree: { oid: TREE } } }] },
    labels: { nodes: [{ name: "SEP" }, { name: "draft" }] },
    timelineItems: {
      nodes: [
        { __typename: "LabeledEvent", createdAt: "2025-05-02T10:00:00Z", actor: { login: "sep-bot" }, label: { name: "proposal" } },
        { __typename: "UnlabeledEvent", createdAt: "2025-05-03T10:00:00Z", actor: { login: "bob" }, label: { name: "proposal" } },
        { __typename: "LabeledEvent", createdAt: "2025-05-03T10:00:01Z", actor: { login: "bob" }, label: { name: "draft" } },
        { __typename: "LabeledEvent", createdAt: "2025-05-04T10:00:00Z", actor: null, label: { name: "SEP" } },
      ],
    },
    assignees: { nodes: [{ login: "bob" }] },
    files: { nodes: files, pageInfo: { hasNextPage: false, endCursor: files.length ? "Y3Vyc29yOjE=" : null } },
    comments: { nodes: comments, pageInfo: { hasNextPage: false, endCursor: comments.length ? "Y3Vyc29yOjI=" : null } },
    ...overrides,
  };
}

function fakeRepository(overrides: Partial<FakeRepository> = {}): FakeRepository {
  return {
    pullRequest: pullRequestNode([{ path: "seps/0000-example.md", changeType: "ADDED" }]),
    objects: {
      [`${HEAD}:seps/0000-example.md`]: { kind: "blob", text: SEP },
      "main:seps": { kind: "tree", entries: ["1-first.md", "README.md", "TEMPLATE.md"] },
      "main:MAINTAINERS.md": { kind: "blob", text: "# Maintainers\n\n## Core Maintainers\n\n- @Carol\n\n## SDK Maintainers\n\n### TypeScript SDK\n\n- @dave\n\n## Emeritus\n\n- @olga\n" },
    },
    headCommit: { tree: { oid: TREE }, checkSuites: { nodes: [] } },
    teams: {},
    ...overrides,
  };
}

/** Serves every GraphQL request from `fake`; returns the recorded calls. */
function serve(fake: FakeRepository, requests: number): GraphqlCall[] {
  const calls: GraphqlCall[] = [];
  for (let i = 0; i < requests; i++) mockGraphql(calls, (call) => answerGraphql(fake, call));
  return calls;
}

const read = (overrides: Partial<ReadInput> = {}) => readSnapshot(testOctokit(), { ...input, ...overrides });

describe("readSnapshot: a normal pull request", () => {
  it("makes exactly two GraphQL requests and nothing else", async () => {
    const calls = serve(fakeRepository(), 2);
    const { snapshot, rules } = await read();

    expect(calls).toHaveLength(2);
    expect(rules).toEqual(defaultRules());
    expect(snapshot).toEqual({
      repo: { owner: "acme", name: "specs", defaultBranch: "main" },
      pr: {
        number: 7,
        url: "https://github.com/acme/specs/pull/7",
        state: "open",
        merged: false,
        author: "alice",
        createdAt: "2025-05-01T10:00:00Z",
        headSha: HEAD,
        headTreeSha: TREE,
        headRef: "feature/example",
        headRepo: { owner: "alice", name: "specs", isFork: true, ownerIsOrganization: false },
        maintainerCanModify: true,
        baseRef: "main",
        labels: ["SEP", "draft"],
        assignees: ["bob"],
        labelEvents: [
          { label: "proposal", added: true, actor: "sep-bot", at: "2025-05-02T10:00:00Z" },
          { label: "proposal", added: false, actor: "bob", at: "2025-05-03T10:00:00Z" },
          { label: "draft", added: true, actor: "bob", at: "2025-05-03T10:00:01Z" },
          { label: "SEP", added: true, actor: null, at: "2025-05-04T10:00:00Z" },
        ],
        activity: [],
        commits: [{ sha: HEAD, authorEmail: null, authorLogin: null, verified: false }],
      },
      files: [
        {
          path: "seps/0000-example.md",
          change: "added",
          previousPath: null,
          headText: SEP,
          headSize: Buffer.byteLength(SEP),
          baseText: null,
        },
      ],
      filesTruncated: false,
      basePathsTaken: ["seps/1-first.md", "seps/README.md", "seps/TEMPLATE.md"],
      comments: [],
      discussion: [],
      replies: [],
      pings: [],
      checkRun: null,
      roles: { "core-maintainer": ["carol"], maintainer: ["carol", "dave"] },
      directory: [],
      readNotes: [],
      botLogin: "sep-bot[bot]",
      trigger: pushedBy("alice", "1f0e5e1c9b6c4a7d8e9f00112233445566778899"),
      configError: null,
    });
  });

  it("sends every dynamic string as a variable, never in the query text", async () => {
    const hostile = ['seps/0000-x".md', "seps/0001-a}b) { evil }.md", "seps/0002-$h0 #c.md"];
    const pr = pullRequestNode(hostile.map((path) => ({ path, changeType: "MODIFIED" })));
    const objects = Object.fromEntries(hostile.map((path) => [`${HEAD}:${path}`, { kind: "blob" as const, text: SEP }]));
    const calls = serve(fakeRepository({ pullRequest: pr, objects }), 2);

    const { snapshot } = await read();

    const [first, second] = calls;
    expect(first!.variables).toEqual({ owner: "acme", name: "specs", number: 7, configExpr: "main:.github/sep-bot.yml" });
    expect(second!.variables).toMatchObject({
      h0: `${HEAD}:seps/0000-x".md`,
      b0: 'main:seps/0000-x".md',
      h1: `${HEAD}:seps/0001-a}b) { evil }.md`,
      h2: `${HEAD}:seps/0002-$h0 #c.md`,
      headOid: HEAD,
      sepDir: "main:seps",
      maintainersFile: "main:MAINTAINERS.md",
      checkName: CHECK_NAME,
    });
    for (const call of calls) {
      expect(call.query).not.toMatch(/0000-x|evil|#c|acme|specs|MAINTAINERS|main:/);
    }
    expect(snapshot.files.map((f) => [f.path, f.headText])).toEqual(hostile.map((path) => [path, SEP]));
  });

  it("reads the head from the base repository, also when the fork is gone", async () => {
    const pr = pullRequestNode([{ path: "seps/0000-example.md", changeType: "ADDED" }], [], { headRepository: null });
    serve(fakeRepository({ pullRequest: pr }), 2);

    const { snapshot } = await read();
    expect(snapshot.pr.headRepo).toBeNull();
    expect(snapshot.files[0]!.headText).toBe(SEP);
  });

  it("maps an organization-owned head repository and a merged pull request", async () => {
    const pr = pullRequestNode([], [], {
      state: "MERGED",
      merged: true,
      author: null,
      headRepository: { name: "specs", isFork: false, owner: { login: "acme", __typename: "Organization" } },
    });
    // No SEP file changed: the first query is all it takes.
    serve(fakeRepository({ pullRequest: pr }), 1);

    const { snapshot } = await read();
    expect(snapshot.pr).toMatchObject({
      state: "closed",
      merged: true,
      author: "ghost",
      headRepo: { owner: "acme", name: "specs", isFork: false, ownerIsOrganization: true },
    });
    expect(snapshot.files).toEqual([]);
  });
});

describe("readSnapshot: which files are SEPs", () => {
  it("keeps direct *.md children of the SEP directory except README.md and TEMPLATE.md", async () => {
    const paths = [
      "seps/README.md",
      "seps/TEMPLATE.md",
      "seps/readme.MD",
      "seps/drafts/0000-nested.md",
      "seps/0000-notes.txt",
      "docs/0000-elsewhere.md",
      "seps/0000-kept.md",
      "SEPS/0001-UPPER.MD",
    ];
    const pr = pullRequestNode(paths.map((path) => ({ path, changeType: "MODIFIED" })));
    const calls = serve(fakeRepository({ pullRequest: pr }), 2);

    const { snapshot } = await read();
    expect(snapshot.files.map((f) => f.path)).toEqual(["seps/0000-kept.md", "SEPS/0001-UPPER.MD"]);
    expect(Object.keys(calls[1]!.variables).filter((k) => /^[hb]\d+$/.test(k))).toEqual(["h0", "b0", "h1", "b1"]);
  });

  it("maps every change type, and reads no head for a removed file", async () => {
    const types = ["ADDED", "MODIFIED", "RENAMED", "DELETED", "COPIED", "CHANGED"];
    const pr = pullRequestNode(types.map((changeType, i) => ({ path: `seps/${i}-x.md`, changeType })));
    const objects = {
      ...Object.fromEntries(types.map((_, i) => [`${HEAD}:seps/${i}-x.md`, { kind: "blob" as const, text: `head ${i}` }])),
      ...Object.fromEntries(types.map((_, i) => [`main:seps/${i}-x.md`, { kind: "blob" as const, text: `base ${i}` }])),
    };
    nock(API)
      .get("/repos/acme/specs/pulls/7/files")
      .query({ per_page: 100 })
      .reply(200, [{ filename: "seps/2-x.md", previous_filename: "seps/0000-x.md", status: "renamed" }]);
    const calls = serve(fakeRepository({ pullRequest: pr, objects }), 2);

    const { snapshot } = await read();
    expect(snapshot.files.map((f) => [f.change, f.previousPath, f.headText, f.baseText])).toEqual([
      ["added", null, "head 0", "base 0"],
      ["modified", null, "head 1", "base 1"],
      ["renamed", "seps/0000-x.md", "head 2", null], // base read at the previous path, absent in this fake
      ["removed", null, null, "base 3"],
      ["copied", null, "head 4", "base 4"],
      ["changed", null, "head 5", "base 5"],
    ]);
    expect(calls[1]!.variables).not.toHaveProperty("h3");
    expect(calls[1]!.variables).toMatchObject({ b2: "main:seps/0000-x.md" });
  });

  it("asks REST for a renamed file's previous path and reads its base text there", async () => {
    const pr = pullRequestNode([
      { path: "src/other.ts", changeType: "MODIFIED" },
      { path: "seps/12-example.md", changeType: "RENAMED" },
    ]);
    const objects = {
      [`${HEAD}:seps/12-example.md`]: { kind: "blob" as const, text: "new" },
      "main:seps/0000-example.md": { kind: "blob" as const, text: "old" },
    };
    nock(API)
      .get("/repos/acme/specs/pulls/7/files")
      .query({ per_page: 100 })
      .reply(200, [
        { filename: "src/other.ts", status: "modified" },
        { filename: "seps/12-example.md", previous_filename: "seps/0000-example.md", status: "renamed" },
      ]);
    serve(fakeRepository({ pullRequest: pr, objects }), 2);

    const { snapshot } = await read();
    expect(snapshot.files).toEqual([
      {
        path: "seps/12-example.md",
        change: "renamed",
        previousPath: "seps/0000-example.md",
        headText: "new",
        headSize: 3,
        baseText: "old",
      },
    ]);
  });

  it("gives no text, only the size, for binary, truncated or oversized blobs", async () => {
    const pr = pullRequestNode(
      ["seps/1-binary.md", "seps/2-truncated.md", "seps/3-huge.md", "seps/4-dir.md"].map((path) => ({
        path,
        changeType: "ADDED",
      })),
    );
    const objects = {
      [`${HEAD}:seps/1-binary.md`]: { kind: "blob" as const, text: null, byteSize: 300, isBinary: true },
      [`${HEAD}:seps/2-truncated.md`]: { kind: "blob" as const, text: "partial", byteSize: 600_000, isTruncated: true },
      [`${HEAD}:seps/3-huge.md`]: { kind: "blob" as const, text: "x".repeat(2_000_000) },
      [`${HEAD}:seps/4-dir.md`]: { kind: "tree" as const, entries: ["a"] },
    };
    serve(fakeRepository({ pullRequest: pr, objects }), 2);

    const { snapshot } = await read();
    expect(snapshot.files.map((f) => [f.headText, f.headSize])).toEqual([
      [null, 300],
      [null, 600_000],
      [null, 2_000_000],
      [null, 0],
    ]);
  });
});

describe("readSnapshot: pagination", () => {
  it("follows the files cursor when there are more than 100 files", async () => {
    const firstPage = Array.from({ length: 100 }, (_, i) => ({ path: `src/f${i}.ts`, changeType: "MODIFIED" }));
    const pr = pullRequestNode(firstPage, [], {
      changedFiles: 101,
      files: { nodes: firstPage, pageInfo: { hasNextPage: true, endCursor: "page2" } },
    });
    const pages = {
      page2: {
        nodes: [{ path: "seps/0000-example.md", changeType: "ADDED" }],
        pageInfo: { hasNextPage: false, endCursor: "page2end" },
      },
    };
    const calls = serve(fakeRepository({ pullRequest: pr, pages }), 3);

    const { snapshot } = await read();
    expect(calls).toHaveLength(3);
    expect(calls[1]!.query).toContain("files(first: 100, after: $after)");
    expect(calls[1]!.variables).toEqual({ owner: "acme", name: "specs", number: 7, after: "page2" });
    expect(snapshot.files.map((f) => f.path)).toEqual(["seps/0000-example.md"]);
    expect(snapshot.filesTruncated).toBe(false);
  });

  it("follows the comments cursor to find the bot's comment", async () => {
    const pr = pullRequestNode([{ path: "seps/0000-example.md", changeType: "ADDED" }], [], {
      comments: { nodes: [], pageInfo: { hasNextPage: true, endCursor: "c2" } },
    });
    const pages = {
      c2: {
        nodes: [{ databaseId: 9, body: `${STATUS_MARKER}\nstatus`, viewerDidAuthor: true, author: { login: "sep-bot" } }],
        pageInfo: { hasNextPage: false, endCursor: "c2end" },
      },
    };
    const calls = serve(fakeRepository({ pullRequest: pr, pages }), 3);

    const { snapshot } = await read();
    expect(calls[1]!.query).toContain("comments(first: 100, after: $after)");
    expect(snapshot.comments).toEqual([{ id: 9, body: `${STATUS_MARKER}\nstatus` }]);
  });

  it("says the file list is incomplete when GitHub lists fewer files than changed", async () => {
    const pr = pullRequestNode([{ path: "seps/0000-example.md", changeType: "ADDED" }], [], { changedFiles: 3500 });
    serve(fakeRepository({ pullRequest: pr }), 2);

    const { snapshot } = await read();
    expect(snapshot.filesTruncated).toBe(true);
  });

  it("reads contents in batches of 50 files", async () => {
    const paths = Array.from({ length: 60 }, (_, i) => `seps/${i}-x.md`);
    const pr = pullRequestNode(paths.map((path) => ({ path, changeType: "ADDED" })));
    const objects = Object.fromEntries(paths.map((path) => [`${HEAD}:${path}`, { kind: "blob" as const, text: path }]));
    const calls = serve(fakeRepository({ pullRequest: pr, objects }), 3);

    const { snapshot } = await read();
    expect(calls).toHaveLength(3);
    expect(calls[2]!.query).not.toContain("head: object");
    expect(calls[2]!.variables).toMatchObject({ h9: `${HEAD}:seps/59-x.md` });
    expect(snapshot.files.map((f) => f.headText)).toEqual(paths);
  });
});

describe("readSnapshot: comments", () => {
  it("keeps only the bot's own status comments, in order", async () => {
    const comments: CommentNode[] = [
      { databaseId: 1, body: `${STATUS_MARKER} copied by a human`, viewerDidAuthor: false, author: { login: "mallory" } },
      { databaseId: 2, body: `${STATUS_MARKER}\nfirst`, viewerDidAuthor: true, author: { login: "sep-bot" } },
      { databaseId: 3, body: "a reply from the bot without the marker", viewerDidAuthor: true, author: { login: "sep-bot" } },
      { databaseId: 4, body: `${STATUS_MARKER}\nsecond`, viewerDidAuthor: false, author: { login: "SEP-Bot" } },
      { databaseId: 5, body: `${STATUS_MARKER}`, viewerDidAuthor: false, author: null },
      { databaseId: 6, body: `${STATUS_MARKER}`, viewerDidAuthor: false, author: { login: "sep-bot-fan" } },
    ];
    serve(fakeRepository({ pullRequest: pullRequestNode([{ path: "seps/0000-example.md", changeType: "ADDED" }], comments) }), 2);

    const { snapshot } = await read();
    expect(snapshot.comments.map((c) => c.id)).toEqual([2, 4]);
  });
});

describe("readSnapshot: rules and maintainers", () => {
  const config = (text: string) => ({ "main:.github/sep-bot.yml": { kind: "blob" as const, text } });

  it("applies the repository's override from the default branch", async () => {
    const pr = pullRequestNode([
      { path: "seps/0000-old-place.md", changeType: "ADDED" },
      { path: "proposals/0000-example.md", changeType: "ADDED" },
    ]);
    const fake = fakeRepository({
      pullRequest: pr,
      objects: {
        ...config("sepDirectory: proposals\nmaintainers:\n  file: null\n"),
        [`${HEAD}:proposals/0000-example.md`]: { kind: "blob", text: SEP },
        "main:proposals": { kind: "tree", entries: ["1-first.md"] },
      },
    });
    const calls = serve(fake, 2);

    const { snapshot, rules } = await read();
    expect(rules.sepDirectory).toBe("proposals");
    expect(snapshot.configError).toBeNull();
    expect(snapshot.files.map((f) => f.path)).toEqual(["proposals/0000-example.md"]);
    expect(snapshot.basePathsTaken).toEqual(["proposals/1-first.md"]);
    expect(snapshot.roles).toEqual({ "core-maintainer": [], maintainer: [] });
    expect(calls[1]!.variables).not.toHaveProperty("maintainersFile");
  });

  it("reads the override, the maintainers and the SEPs already there from the default branch, never the base the PR picked", async () => {
    const pr = pullRequestNode([{ path: "seps/0000-example.md", changeType: "ADDED" }], [], { baseRefName: "release-1" });
    const calls = serve(fakeRepository({ pullRequest: pr }), 2);

    await read({ defaultBranch: "develop" });
    expect(calls[0]!.variables.configExpr).toBe("develop:.github/sep-bot.yml");
    expect(calls[1]!.variables).toMatchObject({ sepDir: "develop:seps", maintainersFile: "develop:MAINTAINERS.md", b0: "develop:seps/0000-example.md" });
  });

  it("falls back to the defaults and says why when the override is invalid", async () => {
    serve(fakeRepository({ objects: { ...fakeRepository().objects, ...config("sepDirectory: ../etc\nstatuses: 3\n") } }), 2);

    const { snapshot, rules } = await read();
    expect(rules).toEqual(defaultRules());
    expect(snapshot.configError).toContain(".github/sep-bot.yml");
    expect(snapshot.configError).toContain("sepDirectory");
    expect(snapshot.files.map((f) => f.path)).toEqual(["seps/0000-example.md"]);
  });

  it("reads each role from its sections of the base-branch file (with subsections), its teams and users, lowercased; emeritus holds none", async () => {
    const fake = fakeRepository({
      objects: {
        ...fakeRepository().objects,
        ...config("roles:\n  maintainer:\n    teams: [core, Spec-Leads]\n    users: [Erin, '@frank', carol]\n"),
        [`${HEAD}:MAINTAINERS.md`]: { kind: "blob", text: "## Core Maintainers\n@mallory" }, // the PR's own copy: never read
      },
      teams: { "core-maintainers": ["Ivy"], "lead-maintainers": [], core: ["Carol", "Gina"], "spec-leads": ["hank"] },
    });
    const calls = serve(fake, 2);

    const { snapshot } = await read();
    expect(snapshot.roles).toEqual({ "core-maintainer": ["carol", "ivy"], maintainer: ["carol", "dave", "erin", "frank", "gina", "hank", "ivy"] });
    expect(calls[1]!.variables).toMatchObject({ t0: "lead-maintainers", t1: "core-maintainers", t2: "core", t3: "spec-leads", maintainersFile: "main:MAINTAINERS.md" });
    expect(calls[1]!.query).toContain("organization(login: $owner) { t0: team(slug: $t0)");
  });

  it("leaves the organization out of the query when no role names a team", async () => {
    const calls = serve(fakeRepository({ objects: { ...fakeRepository().objects, ...config("roles:\n  core-maintainer:\n    teams: []\n  maintainer:\n    teams: []\n") } }), 2);
    await read();
    expect(calls[1]!.query).not.toContain("organization");
  });

  it("treats a user-owned repository's missing organization as no team members", async () => {
    serve(fakeRepository({ teams: "user" }), 2);

    const { snapshot } = await read();
    expect(snapshot.roles).toEqual({ "core-maintainer": ["carol"], maintainer: ["carol", "dave"] });
  });
});

describe("readSnapshot: the previous check run", () => {
  const suite = (appId: number, runs: Array<[number, string]>) => ({
    app: { databaseId: appId },
    checkRuns: { nodes: runs.map(([databaseId, summary]) => ({ databaseId, summary })) },
  });

  it("picks our newest run and reads its digest", async () => {
    const headCommit = {
      tree: { oid: TREE },
      checkSuites: {
        nodes: [
          suite(4242, [
            [300, `old\n${digestMarker("aaa111")}`],
            [500, `new\n${digestMarker("bbb222")}`],
            [400, `middle\n${digestMarker("ccc333")}`],
          ]),
          suite(1, [[900, `someone else\n${digestMarker("ddd444")}`]]),
        ],
      },
    };
    const calls = serve(fakeRepository({ headCommit }), 2);

    const { snapshot } = await read();
    expect(snapshot.checkRun).toEqual({ id: 500, headSha: HEAD, digest: "bbb222" });
    expect(calls[1]!.query).toContain("checkSuites(first: 20, filterBy: { appId: $appId })");
    expect(calls[1]!.variables).toMatchObject({ appId: 4242 });
  });

  it("takes the newest run of any app when the app id is unknown, with a null digest if it has none", async () => {
    const headCommit = { tree: { oid: TREE }, checkSuites: { nodes: [suite(1, [[900, "no marker here"]])] } };
    const calls = serve(fakeRepository({ headCommit }), 2);

    const { snapshot } = await read({ appId: undefined });
    expect(snapshot.checkRun).toEqual({ id: 900, headSha: HEAD, digest: null });
    expect(calls[1]!.query).not.toContain("appId");
  });

  it("falls back to the last listed commit's tree when the head commit object is absent", async () => {
    serve(fakeRepository({ headCommit: null }), 2);
    const { snapshot } = await read();
    expect(snapshot.pr.headTreeSha).toBe(TREE);
    expect(snapshot.checkRun).toBeNull();
  });
});

describe("readSnapshot: errors", () => {
  it("fails when the pull request does not exist", async () => {
    const calls: GraphqlCall[] = [];
    mockGraphql(calls, () => ({
      data: { repository: { pullRequest: null, config: null } },
      errors: [
        {
          type: "NOT_FOUND",
          path: ["repository", "pullRequest"],
          message: "Could not resolve to a PullRequest with the number of 7.",
        },
      ],
    }));
    await expect(read()).rejects.toThrow("Could not resolve to a PullRequest");
  });

  it("FORBIDDEN on the organization (no `members: read`): no team members, and a note for the check run", async () => {
    const fake = fakeRepository({ teams: { "core-maintainers": ["ivy"] } });
    const calls: GraphqlCall[] = [];
    mockGraphql(calls, (call) => answerGraphql(fake, call));
    mockGraphql(calls, (call) => {
      const answer = answerGraphql(fake, call) as { data: Record<string, unknown> };
      return { data: { ...answer.data, organization: null }, errors: [{ type: "FORBIDDEN", path: ["organization", "t0"], message: "Resource not accessible by integration" }] };
    });
    const { snapshot } = await read();
    expect(snapshot.roles).toEqual({ "core-maintainer": ["carol"], maintainer: ["carol", "dave"] });
    expect(snapshot.readNotes).toEqual([expect.stringContaining("Team membership could not be read")]);
  });

  it("rethrows errors other than NOT_FOUND on other optional fields", async () => {
    const fake = fakeRepository();
    const calls: GraphqlCall[] = [];
    mockGraphql(calls, (call) => answerGraphql(fake, call));
    mockGraphql(calls, (call) => ({
      ...(answerGraphql(fake, call) as object),
      errors: [{ type: "FORBIDDEN", path: ["repository", "h0"], message: "Resource not accessible by integration" }],
    }));
    await expect(read()).rejects.toThrow("Resource not accessible by integration");
  });
});

describe("digest marker", () => {
  it("round-trips, and the last marker in a summary wins", () => {
    expect(readDigest(`text\n${digestMarker("0a1b2c")}`)).toBe("0a1b2c");
    expect(readDigest(`${digestMarker("aaaa")} quoted\n${digestMarker("bbbb")}`)).toBe("bbbb");
    expect(readDigest("<!-- sep-bot:digest=not-hex -->")).toBeNull();
    expect(readDigest("")).toBeNull();
  });
});
