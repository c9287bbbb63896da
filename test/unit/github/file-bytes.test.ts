import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { executeCommit } from "../../../src/github/execute.js";
import { reconcile } from "../../../src/github/reconcile.js";
import { readSiteExtras } from "../../../src/github/read/site.js";
import { readSnapshot } from "../../../src/github/read/snapshot.js";
import type { ReadInput } from "../../../src/github/read/pull-request.js";
import type { CommitEffect } from "../../../src/governance/model/effects.js";
import { EMPTY_TRIGGER } from "../../../src/governance/model/trigger.js";
import { defaultRules } from "../../../src/rules/load.js";
import {
  blobBytes,
  defaultBase,
  executable,
  GitHubFake,
  NOW,
  NUMBER,
  OWNER,
  REPO,
  submodule,
  symlink,
  WIF_BEFORE,
  WIF_NEW_PATH,
  WIF_PATH,
  WIF_RENAMED,
  type FakeOptions,
} from "../../helpers/github-fake/index.js";
import { testOctokit, useNock } from "../../helpers/octokit.js";

/**
 * sep-bot reads a SEP's bytes and writes them back changed only where it
 * edits: so it must read the file's real bytes (GraphQL's `Blob.text` turns
 * a byte that is not UTF-8 into U+FFFD, silently), and only a file (a
 * symbolic link or a submodule in `seps/` is someone else's kind of entry,
 * and GraphQL shows a link as a blob holding its target). Either is a
 * finding; nothing is written.
 */

useNock();

const R = `/repos/${OWNER}/${REPO}`;
const FORK = { owner: "pieter", name: "modelcontextprotocol", ownerType: "User" as const };
const F = `/repos/${FORK.owner}/${FORK.name}`;
const READS = ["POST /graphql SepPullRequest", "POST /graphql SepContents"];
const REST_WRITES = [`POST ${R}/check-runs`, `POST ${R}/issues/${NUMBER}/labels`, `POST ${R}/issues/${NUMBER}/comments`];
const RENAME_ON_FORK = ["POST /graphql SepCommit", `POST ${F}/git/trees`, `POST ${F}/git/commits`, `PATCH ${F}/git/refs/heads/wif`];

const oidOf = (text: string) => {
  const bytes = blobBytes(text);
  return createHash("sha1").update(`blob ${bytes.byteLength}\u0000`).update(bytes).digest("hex");
};
const getBlob = (text: string) => `GET ${R}/git/blobs/${oidOf(text)}`;

const input = (fake: GitHubFake): ReadInput => ({ owner: OWNER, repo: REPO, number: fake.primary, defaultBranch: "main", trigger: EMPTY_TRIGGER });
const quiet = { info() {}, warn() {} };
const run = (fake: GitHubFake) => reconcile(testOctokit(), input(fake), { dryRun: false, now: () => NOW, log: quiet });
const forkPr = (files: Record<string, string>, o: FakeOptions = {}) => new GitHubFake({ changes: files, headRepo: FORK, maintainerCanModify: true, ...o }).install();
const checkRules = (fake: GitHubFake) => (fake.latestCheck()?.annotations ?? []).map((a) => (a as { title: string }).title);
const annotation = (fake: GitHubFake, rule: string) => (fake.latestCheck()?.annotations ?? []).find((a) => (a as { title: string }).title === rule) as { message: string } | undefined;

describe("a SEP whose bytes are not UTF-8, read through GraphQL", () => {
  // "\uDCFF" is the fake's raw 0xFF byte: GraphQL's text shows U+FFFD there, and its byteSize counts one byte.
  const INVALID = WIF_BEFORE.replace("Workload Identity Federation", "Workload Identit\uDCFF Federation");

  it("a fork's new SEP with a byte that is not UTF-8: read raw once, the check fails with file-encoding, no commit, nothing rewritten", async () => {
    const fake = forkPr({ [WIF_NEW_PATH]: INVALID });
    const before = fake.pr.headSha;

    await run(fake);

    expect(fake.calls()).toEqual([...READS, getBlob(INVALID), ...REST_WRITES]);
    expect(fake.botCommits()).toEqual([]);
    expect(fake.pr.headSha).toBe(before);
    expect(fake.headFiles()[WIF_NEW_PATH]).toBe(INVALID);
    expect(fake.latestCheck()!.conclusion).toBe("failure");
    expect(fake.latestCheck()!.title).not.toMatch(/All SEP checks passed/);
    expect(checkRules(fake)).toEqual(["file-encoding"]);
    expect(fake.botComments()[0]!.body).not.toContain("\uFFFD");
  });

  it("an invalid sequence that U+FFFD replaces byte for byte (a cut 4-byte character: same UTF-8 length) is caught too", async () => {
    // F0 9F 98 then "A": one U+FFFD (3 bytes) stands for 3 bytes, so the lengths agree.
    const cut = WIF_BEFORE.replace("Workload Identity Federation", "Workload \uDCF0\uDC9F\uDC98Identity Federation");
    expect(blobBytes(cut).byteLength).toBe(Buffer.byteLength(blobBytes(cut).toString("utf8")));
    const fake = forkPr({ [WIF_NEW_PATH]: cut });

    await run(fake);

    expect(fake.calls()).toEqual([...READS, getBlob(cut), ...REST_WRITES]);
    expect(fake.headFiles()[WIF_NEW_PATH]).toBe(cut);
    expect(checkRules(fake)).toEqual(["file-encoding"]);
  });

  it("valid multi-byte UTF-8 is read from GraphQL alone (no blob read); a real U+FFFD in the text costs one raw read and is kept", async () => {
    const multi = WIF_BEFORE.replace("Workload Identity Federation", "Workload Identity Fédération → 🔐");
    const small = forkPr({ [WIF_NEW_PATH]: multi });
    const { snapshot } = await readSnapshot(testOctokit(), input(small));
    expect(small.calls()).toEqual(READS);
    expect(snapshot.files[0]!.headText).toBe(multi);

    const replacement = WIF_BEFORE.replace("Workload Identity Federation", "Workload Identity Federation \uFFFD");
    const fake = forkPr({ [WIF_NEW_PATH]: replacement });
    await run(fake);
    expect(fake.calls()).toEqual([...READS, getBlob(replacement), ...RENAME_ON_FORK, ...REST_WRITES]);
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED.replace("Workload Identity Federation", "Workload Identity Federation \uFFFD"));
  });
});

describe("entries in seps/ that are not regular files", () => {
  const LINKED = "seps/0000-linked-sep.md";
  const cases = [
    { kind: "a symbolic link", path: LINKED, entry: symlink("../README.md"), says: /symbolic link/ },
    { kind: "a submodule", path: "seps/0000-vendored-sep.md", entry: submodule("e".repeat(40)), says: /submodule/ },
  ];

  it.each(cases)("a new SEP that is $kind: a file-not-regular finding, no commit, no write to that path", async ({ path, entry, says }) => {
    const fake = new GitHubFake({ changes: { [path]: entry } }).install();
    const before = fake.pr.headSha;

    await run(fake);

    expect(fake.calls()).toEqual([...READS, ...REST_WRITES]);
    expect(fake.botCommits()).toEqual([]);
    expect(fake.pr.headSha).toBe(before);
    expect(fake.headFiles()[path]).toBe(entry);
    expect(fake.latestCheck()!.conclusion).toBe("failure");
    expect(checkRules(fake)).toEqual(["file-not-regular"]);
    expect(annotation(fake, "file-not-regular")!.message).toMatch(says);
    // A second run has nothing more to do.
    fake.resetRequests();
    await run(fake);
    expect(fake.writes()).toEqual([]);
  });

  it("the GraphQL tree and the REST git trees API give each entry its mode", async () => {
    const fake = new GitHubFake({ changes: { [LINKED]: symlink("../README.md"), "seps/0000-vendored-sep.md": submodule("e".repeat(40)), [WIF_NEW_PATH]: executable(WIF_BEFORE) } }).install();
    const octokit = testOctokit();
    const answer = await octokit.graphql<{ repository: { object: { entries: Array<{ name: string; mode: number; type: string }> } } }>(
      `query Tree($owner: String!, $name: String!, $expr: String!) { repository(owner: $owner, name: $name) { object(expression: $expr) { ... on Tree { entries { name mode type } } } } }`,
      { owner: OWNER, name: REPO, expr: `${fake.pr.headSha}:seps` },
    );
    const modes = Object.fromEntries(answer.repository.object.entries.map((e) => [e.name, [e.mode.toString(8), e.type]]));
    expect(modes).toMatchObject({ "0000-linked-sep.md": ["120000", "blob"], "0000-vendored-sep.md": ["160000", "commit"], "0000-workload-identity-federation.md": ["100755", "blob"], "README.md": ["100644", "blob"] });

    const { data } = await octokit.rest.git.getTree({ owner: OWNER, repo: REPO, tree_sha: fake.pr.headSha, recursive: "1" });
    const rest = Object.fromEntries(data.tree.map((e) => [e.path, e.mode]));
    expect(rest).toMatchObject({ seps: "040000", [LINKED]: "120000", "seps/0000-vendored-sep.md": "160000", [WIF_NEW_PATH]: "100755", "seps/README.md": "100644" });
  });

  it("a regular file with the executable bit (100755) is a file: read, checked and renamed like any other", async () => {
    const fake = new GitHubFake({ changes: { [WIF_NEW_PATH]: executable(WIF_BEFORE) } }).install();

    await run(fake);

    expect(fake.botCommits()).toHaveLength(1);
    expect(fake.headFiles()[WIF_PATH]).toBe(WIF_RENAMED);
    expect(checkRules(fake)).not.toContain("file-not-regular");
  });

  it("the executor refuses to write over or delete a path that is not a regular file at the head, before any request", async () => {
    const effect: CommitEffect = {
      kind: "commit",
      repo: { owner: OWNER, name: REPO },
      branch: "wif",
      expectedHeadSha: "a".repeat(40),
      baseTreeSha: "b".repeat(40),
      summary: "renamed",
      message: "SEP-1933: number the SEP after its pull request",
      changes: [
        { path: WIF_PATH, content: "# SEP-1933: X\n" },
        { path: LINKED, content: null },
      ],
      headModes: { [WIF_PATH]: null, [LINKED]: "120000" },
    };
    const fake = new GitHubFake().install();

    await expect(executeCommit(testOctokit(), effect)).rejects.toThrow(/refusing to commit "seps\/0000-linked-sep.md": it is a symbolic link at the head/);
    await expect(executeCommit(testOctokit(), { ...effect, headModes: { [WIF_PATH]: "160000", [LINKED]: "100644" } })).rejects.toThrow(/it is a submodule at the head/);
    await expect(executeCommit(testOctokit(), { ...effect, headModes: { [WIF_PATH]: null } })).rejects.toThrow(/does not say what it is at the head/);
    expect(fake.requests).toEqual([]);
  });

  it("the site leaves out a link in the SEP directory (its text would be the link's target)", async () => {
    new GitHubFake({ base: { ...defaultBase(), "seps/2000-linked.md": symlink("1850-pr-based-sep-workflow.md") } }).install();

    const extras = await readSiteExtras(testOctokit(), OWNER, REPO, "main", defaultRules(), []);

    expect(extras.files.map((f) => f.path)).toEqual(["seps/1850-pr-based-sep-workflow.md"]);
  });
});
