import nock from "nock";
import { describe, expect, it } from "vitest";
import { BranchMovedError, PushDeniedError } from "../../../src/github/errors.js";
import { executeCommit, executeEffects } from "../../../src/github/execute.js";
import type { Annotation, CheckRunEffect, CommitEffect, Effect } from "../../../src/governance/model/effects.js";
import { API, testOctokit, useNock } from "../../helpers/octokit.js";

useNock();

const HEAD = "a".repeat(40);
const TREE = "b".repeat(40);
const NEW_TREE = "c".repeat(40);
const NEW_COMMIT = "d".repeat(40);
const target = { owner: "acme", repo: "specs", number: 7 };

function commitEffect(overrides: Partial<CommitEffect> = {}): CommitEffect {
  return {
    kind: "commit",
    repo: { owner: "alice", name: "specs-fork" },
    branch: "feature/new-sep",
    expectedHeadSha: HEAD,
    baseTreeSha: TREE,
    summary: "renamed seps/0000-x.md to seps/7-x.md",
    message: "Rename seps/0000-x.md to seps/7-x.md",
    changes: [
      { path: "seps/7-x.md", content: "# SEP-7: X\n" },
      { path: "seps/0000-x.md", content: null },
    ],
    headModes: { "seps/7-x.md": null, "seps/0000-x.md": "100644" },
    ...overrides,
  };
}

const mutationOf = (body: { query?: string }) => /createCommitOnBranch/.test(body.query ?? "");

/** GraphQL's createCommitOnBranch answering with `reply` (GitHub answers 200 with `errors` when it refuses). */
function mockGraphqlCommit(reply: Record<string, unknown>, check?: (input: Record<string, any>) => void): nock.Scope {
  return nock(API)
    .post("/graphql", (body) => {
      if (!mutationOf(body)) return false;
      check?.(body.variables.input);
      return true;
    })
    .reply(200, reply);
}

/** GitHub refusing the GraphQL route (as for a fork's branch). */
const refusedOnGraphql = () =>
  mockGraphqlCommit({ data: { createCommitOnBranch: null }, errors: [{ type: "FORBIDDEN", path: ["createCommitOnBranch"], message: "Resource not accessible by integration" }] });

/** Mocks the refused GraphQL attempt, then tree and commit creation on the fork; returns the scope to chain the ref update on. */
function mockTreeAndCommit(): nock.Scope {
  refusedOnGraphql();
  return nock(API)
    .post("/repos/alice/specs-fork/git/trees", {
      base_tree: TREE,
      tree: [
        { path: "seps/7-x.md", mode: "100644", type: "blob", content: "# SEP-7: X\n" },
        { path: "seps/0000-x.md", mode: "100644", type: "blob", sha: null },
      ],
    })
    .reply(201, { sha: NEW_TREE })
    .post("/repos/alice/specs-fork/git/commits", {
      message: "Rename seps/0000-x.md to seps/7-x.md",
      tree: NEW_TREE,
      parents: [HEAD],
    })
    .reply(201, { sha: NEW_COMMIT });
}

describe("executeCommit through GraphQL (createCommitOnBranch)", () => {
  it("commits in one request, on exactly the expected head, the file contents base64 (bytes kept)", async () => {
    const crlf = "\uFEFF# SEP-7: X\r\n\r\n- **Status**: Draft\r\n";
    mockGraphqlCommit({ data: { createCommitOnBranch: { commit: { oid: NEW_COMMIT } } } }, (input) => {
      expect(input).toEqual({
        branch: { repositoryNameWithOwner: "alice/specs-fork", branchName: "feature/new-sep" },
        message: { headline: "Rename seps/0000-x.md to seps/7-x.md", body: "Made by sep-bot." },
        expectedHeadOid: HEAD,
        fileChanges: { additions: [{ path: "seps/7-x.md", contents: Buffer.from(crlf, "utf8").toString("base64") }], deletions: [{ path: "seps/0000-x.md" }] },
      });
      expect(Buffer.from(input.fileChanges.additions[0].contents, "base64").toString("utf8")).toBe(crlf);
    });
    const effect = commitEffect({ message: "Rename seps/0000-x.md to seps/7-x.md\n\nMade by sep-bot.", changes: [{ path: "seps/7-x.md", content: crlf }, { path: "seps/0000-x.md", content: null }] });
    await expect(executeCommit(testOctokit(), effect)).resolves.toEqual({ sha: NEW_COMMIT });
  });

  it("a stale expectedHeadOid (someone pushed) is BranchMovedError, and the Git Data route is not tried", async () => {
    mockGraphqlCommit({
      data: { createCommitOnBranch: null },
      errors: [{ type: "STALE_DATA", path: ["createCommitOnBranch"], message: `Expected branch to point to "${HEAD}" but it did not. Pull and try again.` }],
    });
    await expect(executeCommit(testOctokit(), commitEffect())).rejects.toBeInstanceOf(BranchMovedError);
  });

  it("a rate limit on the mutation is thrown as it is: neither a refusal nor a reason to try another route", async () => {
    mockGraphqlCommit({ data: null, errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] });
    const error = await executeCommit(testOctokit(), commitEffect()).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(PushDeniedError);
    expect(error).not.toBeInstanceOf(BranchMovedError);
  });
});

describe("executeCommit through the Git Data API (where GraphQL is refused)", () => {
  it("creates a tree on the old tree, a commit on the expected head, and fast-forwards the branch (3 requests)", async () => {
    mockTreeAndCommit()
      .patch("/repos/alice/specs-fork/git/refs/heads/feature/new-sep", { sha: NEW_COMMIT, force: false })
      .reply(200, { ref: "refs/heads/feature/new-sep", object: { sha: NEW_COMMIT } });

    await expect(executeCommit(testOctokit(), commitEffect())).resolves.toEqual({ sha: NEW_COMMIT });
  });

  it("keeps the slashes of the branch name but encodes the rest of it", async () => {
    refusedOnGraphql();
    nock(API)
      .post("/repos/alice/specs-fork/git/trees")
      .reply(201, { sha: NEW_TREE })
      .post("/repos/alice/specs-fork/git/commits")
      .reply(201, { sha: NEW_COMMIT })
      .patch("/repos/alice/specs-fork/git/refs/heads/fix/issue%2312")
      .reply(200, {});

    await executeCommit(testOctokit(), commitEffect({ branch: "fix/issue#12" }));
  });

  it("turns a non-fast-forward 422 on the ref into BranchMovedError", async () => {
    mockTreeAndCommit()
      .patch("/repos/alice/specs-fork/git/refs/heads/feature/new-sep")
      .reply(422, { message: "Update is not a fast forward", documentation_url: "https://docs.github.com" });

    const error = await executeCommit(testOctokit(), commitEffect()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BranchMovedError);
    expect((error as Error).message).toContain(HEAD);
  });

  it("turns a 409 on the ref into BranchMovedError", async () => {
    mockTreeAndCommit().patch("/repos/alice/specs-fork/git/refs/heads/feature/new-sep").reply(409, { message: "Conflict" });
    await expect(executeCommit(testOctokit(), commitEffect())).rejects.toBeInstanceOf(BranchMovedError);
  });

  it("turns any other 422 on the ref (a protected branch) into PushDeniedError", async () => {
    mockTreeAndCommit()
      .patch("/repos/alice/specs-fork/git/refs/heads/feature/new-sep")
      .reply(422, { message: "Protected branch update failed for refs/heads/feature/new-sep." });

    const error = await executeCommit(testOctokit(), commitEffect()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushDeniedError);
    expect((error as PushDeniedError).status).toBe(422);
  });

  it("turns a 403 on the first write into PushDeniedError and stops there", async () => {
    refusedOnGraphql();
    nock(API)
      .post("/repos/alice/specs-fork/git/trees")
      .reply(403, { message: "Resource not accessible by integration" });

    const error = await executeCommit(testOctokit(), commitEffect()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushDeniedError);
    expect((error as PushDeniedError).status).toBe(403);
    expect((error as Error).message).toContain("Resource not accessible by integration");
  });

  it("turns a 404 on the ref into PushDeniedError", async () => {
    mockTreeAndCommit().patch("/repos/alice/specs-fork/git/refs/heads/feature/new-sep").reply(404, { message: "Not Found" });
    await expect(executeCommit(testOctokit(), commitEffect())).rejects.toBeInstanceOf(PushDeniedError);
  });

  it("rethrows server errors as they are", async () => {
    refusedOnGraphql();
    nock(API).post("/repos/alice/specs-fork/git/trees").reply(502, { message: "Bad Gateway" });
    const error = await executeCommit(testOctokit(), commitEffect()).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(PushDeniedError);
    expect((error as { status: number }).status).toBe(502);
  });

  it.each([
    ["../x", "`..`"],
    ["seps/../../x.md", "`..`"],
    [".github/workflows/x", ".github/"],
    [".GitHub/workflows/x.yml", ".github/"],
    ["/etc/passwd", "absolute"],
    ["seps\\x.md", "backslash"],
    ["seps//x.md", "segment"],
    ["", "empty"],
  ])("refuses the path %j without any request", async (path, reason) => {
    const effect = commitEffect({ changes: [{ path, content: "x" }] });
    await expect(executeCommit(testOctokit(), effect)).rejects.toThrow(reason);
  });

  it("refuses an empty branch name or an empty change list without any request", async () => {
    await expect(executeCommit(testOctokit(), commitEffect({ branch: "" }))).rejects.toThrow("no branch");
    await expect(executeCommit(testOctokit(), commitEffect({ changes: [] }))).rejects.toThrow("no changes");
  });
});

const annotation = (i: number): Annotation => ({
  path: "seps/7-x.md",
  start_line: i + 1,
  end_line: i + 1,
  annotation_level: "warning",
  title: `finding ${i}`,
  message: `message ${i}`,
});

function checkRunEffect(count: number): CheckRunEffect {
  return {
    kind: "check-run",
    name: "SEP checks",
    headSha: HEAD,
    conclusion: "failure",
    title: "2 errors",
    summary: "summary\n<!-- sep-bot:digest=abc123 -->",
    text: "details",
    annotations: Array.from({ length: count }, (_, i) => annotation(i)),
  };
}

describe("executeEffects", () => {
  it("labels in one request: additions only -> POST; one removal -> DELETE (URL-encoded); anything else -> PUT the whole list", async () => {
    nock(API)
      .post("/repos/acme/specs/issues/7/labels", { labels: ["SEP", "draft"] })
      .reply(200, [])
      .delete("/repos/acme/specs/issues/7/labels/needs%20sponsor%2Fcore")
      .reply(200, [])
      .put("/repos/acme/specs/issues/7/labels", { labels: ["SEP", "spec", "in-review"] })
      .reply(200, []);

    await executeEffects(testOctokit(), target, [{ kind: "labels", add: ["SEP", "draft"], remove: [], labels: ["SEP", "draft"] }]);
    await executeEffects(testOctokit(), target, [{ kind: "labels", add: [], remove: ["needs sponsor/core"], labels: ["SEP"] }]);
    await executeEffects(testOctokit(), target, [{ kind: "labels", add: ["in-review"], remove: ["draft"], labels: ["SEP", "spec", "in-review"] }]);
  });

  it("an umbrella's list GitHub refuses (a body at its limit: 422) does not hold back the SEP's record; a 500 still fails", async () => {
    const block = { kind: "issue-block" as const, repo: { owner: "acme", name: "specs" }, number: 90, sep: 7, block: "<!-- sep-bot:sdks sep=7 begin -->\n- [ ] o/go-sdk#1 (Tier 1)\n<!-- sep-bot:sdks end -->" };
    nock(API)
      .get("/repos/acme/specs/issues/90")
      .reply(200, { number: 90, body: "x".repeat(65_500) })
      .patch("/repos/acme/specs/issues/90")
      .reply(422, { message: "Body is too long (maximum is 65536 characters)" })
      .post("/repos/acme/specs/issues/7/comments", { body: "status" })
      .reply(201, { id: 1 });
    await executeEffects(testOctokit(), target, [block, { kind: "create-comment", body: "status" }]);
    nock(API).get("/repos/acme/specs/issues/90").times(4).reply(500, { message: "boom" });
    await expect(executeEffects(testOctokit(), target, [block])).rejects.toThrow(/1 of 1 effects failed/);
    nock.cleanAll();
  });

  it("treats a 404 when removing a label as already done", async () => {
    nock(API).delete("/repos/acme/specs/issues/7/labels/draft").reply(404, { message: "Label does not exist" });
    await executeEffects(testOctokit(), target, [{ kind: "labels", add: [], remove: ["draft"], labels: [] }]);
  });

  it("sends 120 annotations as one create (50) and two updates (50, 20)", async () => {
    const effect = checkRunEffect(120);
    const sent: number[][] = [];
    const lines = (body: { output: { annotations?: Annotation[] } }) => {
      sent.push(body.output.annotations?.map((a) => a.start_line) ?? []);
      return true;
    };
    nock(API)
      .post("/repos/acme/specs/check-runs", (body) => {
        expect(body).toMatchObject({
          name: "SEP checks",
          head_sha: HEAD,
          status: "completed",
          conclusion: "failure",
          output: { title: "2 errors", summary: effect.summary, text: "details" },
        });
        return lines(body);
      })
      .reply(201, { id: 555 })
      .patch("/repos/acme/specs/check-runs/555", (body) => {
        expect(body.output).toMatchObject({ title: "2 errors", summary: effect.summary });
        return lines(body);
      })
      .times(2)
      .reply(200, { id: 555 });

    await executeEffects(testOctokit(), target, [effect]);
    expect(sent.map((batch) => batch.length)).toEqual([50, 50, 20]);
    expect(sent.flat()).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  });

  it("creates a check run without annotations in one request", async () => {
    nock(API)
      .post("/repos/acme/specs/check-runs", (body) => body.output.annotations === undefined)
      .reply(201, { id: 1 });
    await executeEffects(testOctokit(), target, [checkRunEffect(0)]);
  });

  it("creates, updates and deletes comments", async () => {
    nock(API)
      .post("/repos/acme/specs/issues/7/comments", { body: "new" })
      .reply(201, { id: 1 })
      .patch("/repos/acme/specs/issues/comments/42", { body: "updated" })
      .reply(200, { id: 42 })
      .delete("/repos/acme/specs/issues/comments/43")
      .reply(204);

    await executeEffects(testOctokit(), target, [
      { kind: "create-comment", body: "new" },
      { kind: "update-comment", id: 42, body: "updated" },
      { kind: "delete-comment", id: 43 },
    ]);
  });

  it("creates the comment again when the one to update was deleted (404)", async () => {
    nock(API)
      .patch("/repos/acme/specs/issues/comments/42")
      .reply(404, { message: "Not Found" })
      .post("/repos/acme/specs/issues/7/comments", { body: "status" })
      .reply(201, { id: 99 });
    await executeEffects(testOctokit(), target, [{ kind: "update-comment", id: 42, body: "status" }]);
  });

  it("treats a 404 when deleting a comment as already done", async () => {
    nock(API).delete("/repos/acme/specs/issues/comments/43").reply(404, { message: "Not Found" });
    await executeEffects(testOctokit(), target, [{ kind: "delete-comment", id: 43 }]);
  });

  it("applies the effects after a failed one, then throws all failures together", async () => {
    nock(API)
      .post("/repos/acme/specs/issues/7/comments")
      .reply(500, { message: "Server Error" })
      .post("/repos/acme/specs/issues/7/labels", { labels: ["SEP"] })
      .reply(200, [])
      .delete("/repos/acme/specs/issues/comments/43")
      .reply(502, { message: "Bad Gateway" })
      .delete("/repos/acme/specs/issues/7/labels/draft")
      .reply(200, []);

    const error = await executeEffects(testOctokit(), target, [
      { kind: "create-comment", body: "status" },
      { kind: "labels", add: ["SEP"], remove: [], labels: ["SEP"] },
      { kind: "delete-comment", id: 43 },
      { kind: "labels", add: [], remove: ["draft"], labels: ["SEP"] },
    ]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AggregateError);
    const failures = (error as AggregateError).errors as Error[];
    expect(failures.map((f) => f.message)).toEqual([
      "create-comment failed: Server Error",
      "delete-comment failed: Bad Gateway",
    ]);
    expect((failures[0]!.cause as { status: number }).status).toBe(500);
    expect((error as Error).message).toBe("2 of 4 effects failed on acme/specs#7");
  });

  it("refuses a plan with a commit in it before writing anything", async () => {
    const effects: Effect[] = [{ kind: "labels", add: ["SEP"], remove: [], labels: ["SEP"] }, commitEffect()];
    await expect(executeEffects(testOctokit(), target, effects)).rejects.toThrow("executeCommit");
  });

  it("does nothing for an empty label list", async () => {
    await executeEffects(testOctokit(), target, [{ kind: "labels", add: [], remove: [], labels: [] }]);
  });
});
