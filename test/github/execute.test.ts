import nock from "nock";
import { describe, expect, it } from "vitest";
import { BranchMovedError, PushDeniedError } from "../../src/github/errors.js";
import { executeCommit, executeEffects } from "../../src/github/execute.js";
import type { Annotation, CheckRunEffect, CommitEffect, Effect } from "../../src/process/effects.js";
import { API, testOctokit, useNock } from "../helpers/octokit.js";

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
    ...overrides,
  };
}

/** Mocks tree and commit creation on the fork; returns the scope to chain the ref update on. */
function mockTreeAndCommit(): nock.Scope {
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

describe("executeCommit", () => {
  it("creates a tree on the old tree, a commit on the expected head, and fast-forwards the branch (3 requests)", async () => {
    mockTreeAndCommit()
      .patch("/repos/alice/specs-fork/git/refs/heads/feature/new-sep", { sha: NEW_COMMIT, force: false })
      .reply(200, { ref: "refs/heads/feature/new-sep", object: { sha: NEW_COMMIT } });

    await expect(executeCommit(testOctokit(), commitEffect())).resolves.toEqual({ sha: NEW_COMMIT });
  });

  it("keeps the slashes of the branch name but encodes the rest of it", async () => {
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
  it("adds labels, and removes one with its name URL-encoded", async () => {
    nock(API)
      .post("/repos/acme/specs/issues/7/labels", { labels: ["SEP", "draft"] })
      .reply(200, [])
      .delete("/repos/acme/specs/issues/7/labels/needs%20sponsor%2Fcore")
      .reply(200, []);

    await executeEffects(testOctokit(), target, [
      { kind: "add-labels", labels: ["SEP", "draft"] },
      { kind: "remove-label", label: "needs sponsor/core" },
    ]);
  });

  it("treats a 404 when removing a label as already done", async () => {
    nock(API).delete("/repos/acme/specs/issues/7/labels/draft").reply(404, { message: "Label does not exist" });
    await executeEffects(testOctokit(), target, [{ kind: "remove-label", label: "draft" }]);
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
      { kind: "add-labels", labels: ["SEP"] },
      { kind: "delete-comment", id: 43 },
      { kind: "remove-label", label: "draft" },
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
    const effects: Effect[] = [{ kind: "add-labels", labels: ["SEP"] }, commitEffect()];
    await expect(executeEffects(testOctokit(), target, effects)).rejects.toThrow("executeCommit");
  });

  it("does nothing for an empty label list", async () => {
    await executeEffects(testOctokit(), target, [{ kind: "add-labels", labels: [] }]);
  });
});
