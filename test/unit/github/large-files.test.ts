import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CONCURRENT_READS } from "../../../src/github/blobs.js";
import { readSnapshot } from "../../../src/github/read/snapshot.js";
import type { GitHub } from "../../../src/github/graphql.js";
import type { ReadInput } from "../../../src/github/read/pull-request.js";
import { plan } from "../../../src/governance/plan.js";
import type { CheckRunEffect } from "../../../src/governance/model/effects.js";
import { EMPTY_TRIGGER } from "../../../src/governance/model/trigger.js";
import { reconcile } from "../../../src/github/reconcile.js";
import {
  blobBytes,
  defaultBase,
  GitHubFake,
  GRAPHQL_TEXT_BYTES,
  NOW,
  NUMBER,
  OWNER,
  PR_URL,
  realSep,
  REPO,
  WIF_BEFORE,
  type FakeOptions,
} from "../../helpers/github-fake/index.js";
import { testOctokit, useNock } from "../../helpers/octokit.js";
import { pushedBy } from "../../helpers/snapshot.js";
import { sepText } from "../../helpers/sep.js";

/**
 * SEPs larger than GraphQL's 512,000-byte `Blob.text`: the fake cuts the
 * text as GitHub does, and the bot must read such a blob whole (REST git
 * blob API) before it parses, checks or rewrites the file.
 */

useNock();

const R = `/repos/${OWNER}/${REPO}`;
const BIG_NEW_PATH = "seps/0000-big.md";
const BIG_PATH = `seps/${NUMBER}-big.md`;
const READS = ["POST /graphql SepPullRequest", "POST /graphql SepContents"];
const RENAME_WRITES = ["POST /graphql SepCommit", `POST ${R}/check-runs`, `POST ${R}/issues/${NUMBER}/labels`, `POST ${R}/issues/${NUMBER}/comments`];
const ARROW = "→";

/** Plain prose paragraphs of a real SEP (ASCII only), to make a SEP large the way real ones are. */
const PROSE = realSep("1686-tasks.md")
  .split("\n\n")
  .filter((p) => /^[A-Z][\x20-\x7e\n]{200,}$/.test(p));
const bytesOf = (text: string) => Buffer.byteLength(text);

/**
 * `sep` padded to about `size` bytes with prose in a `### Worked examples`
 * subsection before its Rationale. The 512,000-byte cut falls inside a "→":
 * GraphQL's text then ends in U+FFFD, as GitHub's does.
 */
function largeSep(sep: string, size = 600_000): string {
  const at = sep.indexOf("\n## Rationale");
  const head = `${sep.slice(0, at)}\n\n### Worked examples\n\n`;
  let body = "";
  for (let i = 0; ; i++) {
    const next = `${PROSE[i % PROSE.length]}\n\nExample ${i + 1}: the client ${ARROW} server call is retried by the café's gateway, as the naïve client would not.\n\n`;
    if (bytesOf(head + body + next) > GRAPHQL_TEXT_BYTES - 500) break;
    body += next;
  }
  // Plain words up to one byte before the cut, then the arrow: the cut splits it.
  const lead = "Finally, ";
  const words = PROSE.join(" ").replace(/\s+/g, " ");
  body += lead + words.slice(0, GRAPHQL_TEXT_BYTES - 1 - bytesOf(head + body + lead)) + `${ARROW} the task completes.\n\n`;
  for (let i = 0; bytesOf(head + body) < size; i++) body += `${PROSE[i % PROSE.length]}\n\nRésumé ${i + 1}: polling ${ARROW} result.\n\n`;
  return `${head}${body.trimEnd()}\n${sep.slice(at)}`;
}

/** The real new SEP, as its author opened it, at 600 KB. */
const BIG = largeSep(WIF_BEFORE);
/** What the rename must commit: BIG with only the heading and the PR field changed. */
const BIG_RENAMED = BIG.replace("# SEP-0000:", `# SEP-${NUMBER}:`).replace("https://github.com/modelcontextprotocol/specification/pull/{NUMBER}", PR_URL);

/** A blob's git oid, from its bytes. */
const oidOf = (text: string) => {
  const bytes = blobBytes(text);
  return createHash("sha1").update(`blob ${bytes.byteLength}\u0000`).update(bytes).digest("hex");
};
const getBlob = (text: string) => `GET ${R}/git/blobs/${oidOf(text)}`;
const blobReads = (fake: GitHubFake) => fake.calls().filter((c) => c.includes("/git/blobs/"));

const input = (fake: GitHubFake, trigger = EMPTY_TRIGGER): ReadInput => ({ owner: OWNER, repo: REPO, number: fake.primary, defaultBranch: "main", trigger });
const quiet = { info() {}, warn() {} };
const run = (fake: GitHubFake, trigger = EMPTY_TRIGGER) => reconcile(testOctokit(), input(fake, trigger), { dryRun: false, now: () => NOW, log: quiet });

const bigPr = (content = BIG, o: FakeOptions = {}) => new GitHubFake({ changes: { [BIG_NEW_PATH]: content }, ...o }).install();
const checkRules = (fake: GitHubFake) => (fake.latestCheck()?.annotations ?? []).map((a) => (a as { title: string }).title);
const plannedRules = (effects: ReturnType<typeof plan>["effects"]) =>
  effects.filter((e): e is CheckRunEffect => e.kind === "check-run").flatMap((e) => e.annotations.map((a) => a.title));

describe("the SEP used in these tests", () => {
  it("is 600 KB of valid UTF-8 whose 512,000th byte falls inside a multibyte character", () => {
    const bytes = Buffer.from(BIG);
    expect(bytes.byteLength).toBeGreaterThan(600_000);
    expect(bytes.subarray(GRAPHQL_TEXT_BYTES - 1, GRAPHQL_TEXT_BYTES + 2).toString()).toBe(ARROW);
    expect(new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toBe(BIG);
    expect(BIG).toContain("é");
  });
});

describe("the fake GitHub cuts large blobs as GitHub does", () => {
  it("(a) GraphQL's text stops at 512,000 bytes with isTruncated; the REST git blob API has the whole blob", async () => {
    const fake = bigPr();
    const octokit = testOctokit();

    const answer = await octokit.graphql<{ repository: { object: { oid: string; text: string; byteSize: number; isBinary: boolean; isTruncated: boolean } } }>(
      `query Raw($owner: String!, $name: String!, $expr: String!) { repository(owner: $owner, name: $name) { object(expression: $expr) { ... on Blob { oid text byteSize isBinary isTruncated } } } }`,
      { owner: OWNER, name: REPO, expr: `${fake.pr.headSha}:${BIG_NEW_PATH}` },
    );
    const blob = answer.repository.object;
    expect(blob).toMatchObject({ oid: oidOf(BIG), byteSize: bytesOf(BIG), isBinary: false, isTruncated: true });
    // The first 511,999 bytes, then the arrow's first byte decoded lossily.
    expect(blob.text).toBe(`${Buffer.from(BIG).subarray(0, GRAPHQL_TEXT_BYTES - 1).toString()}\uFFFD`);

    const { data } = await octokit.rest.git.getBlob({ owner: OWNER, repo: REPO, file_sha: blob.oid });
    expect(data).toMatchObject({ sha: blob.oid, size: bytesOf(BIG), encoding: "base64" });
    expect(Buffer.from(data.content, "base64").toString()).toBe(BIG);

    await expect(octokit.rest.git.getBlob({ owner: OWNER, repo: REPO, file_sha: "f".repeat(40) })).rejects.toMatchObject({ status: 404 });
  });
});

describe("a new 600 KB SEP", () => {
  it("(b) is read whole: the snapshot's head text is the whole file", async () => {
    const fake = bigPr();

    const { snapshot } = await readSnapshot(testOctokit(), input(fake));

    expect(snapshot.files).toHaveLength(1);
    expect(snapshot.files[0]).toMatchObject({ path: BIG_NEW_PATH, change: "added", headSize: bytesOf(BIG), baseText: null });
    expect(snapshot.files[0]!.headText).toBe(BIG);
  });

  it("(c, d, e) is renamed by PR number from its whole text, with no encoding finding, for one extra request", async () => {
    const fake = bigPr();

    await run(fake);

    expect(fake.calls()).toEqual([...READS, getBlob(BIG), ...RENAME_WRITES]);
    const files = fake.headFiles();
    expect(files[BIG_NEW_PATH]).toBeUndefined();
    // Byte for byte the original, but for the heading and the PR field.
    expect(files[BIG_PATH]).toBe(BIG_RENAMED);
    expect(checkRules(fake)).not.toContain("file-encoding");
    expect(fake.latestCheck()?.summary).not.toMatch(/not UTF-8/);
  });

  it("(e) a normal-size SEP costs no blob read; a blob read twice in one snapshot (head and a pushed commit) is fetched once", async () => {
    const small = new GitHubFake({ changes: { [BIG_NEW_PATH]: WIF_BEFORE } }).install();
    await readSnapshot(testOctokit(), input(small));
    expect(small.calls()).toEqual(READS);

    const fake = bigPr();
    const first = fake.pr.headSha;
    const head = fake.push({ "README.md": "# Model Context Protocol\n\nNow with SEPs.\n" }, "pieter");
    fake.resetRequests();

    const { snapshot } = await readSnapshot(testOctokit(), input(fake, pushedBy("pieter", head, first)));

    expect(fake.calls()).toEqual([...READS, getBlob(BIG)]);
    expect(snapshot.files[0]!.headText).toBe(BIG);
    expect(snapshot.files[0]!.pushed).toEqual([{ sha: first, text: BIG }]);
  });

  it("pushed texts are read whole too: a push's earlier text that GraphQL cut", async () => {
    const fake = bigPr();
    const first = fake.pr.headSha;
    const edited = BIG.replace("the task completes.", "the task completes, and its result is kept.");
    const head = fake.push({ [BIG_NEW_PATH]: edited }, "pieter");
    fake.resetRequests();

    const { snapshot } = await readSnapshot(testOctokit(), input(fake, pushedBy("pieter", head, first)));

    expect(blobReads(fake).sort()).toEqual([getBlob(BIG), getBlob(edited)].sort());
    expect(snapshot.files[0]!.headText).toBe(edited);
    expect(snapshot.files[0]!.pushed).toEqual([{ sha: first, text: BIG }]);
  });

  it("(f) with a byte that is not UTF-8 past the cut: reported as not UTF-8, never committed", async () => {
    // "\uDCFF" is the fake's raw 0xFF byte; GraphQL's first 512,000 bytes look like clean text.
    const invalid = BIG.replace("Résumé 3:", "R\uDCFFsum\u00e9 3:");
    expect(blobBytes(invalid).includes(0xff)).toBe(true);
    const fake = bigPr(invalid);
    const before = fake.pr.headSha;

    const { snapshot, rules } = await readSnapshot(testOctokit(), input(fake));
    expect(snapshot.files[0]).toMatchObject({ headText: null, headSize: blobBytes(invalid).byteLength });
    expect(plannedRules(plan(snapshot, rules, NOW).effects)).toContain("file-encoding");

    fake.resetRequests();
    await run(fake);

    expect(blobReads(fake)).toEqual([getBlob(invalid)]);
    expect(fake.calls()).not.toContain("POST /graphql SepCommit");
    expect(fake.botCommits()).toEqual([]);
    expect(fake.pr.headSha).toBe(before);
    expect(fake.headFiles()[BIG_NEW_PATH]).toBe(invalid);
    expect(checkRules(fake)).toContain("file-encoding");
  });

  it("(g) over the repository's maxFileBytes: too large, and never fetched by REST", async () => {
    const fake = bigPr(BIG, { config: "limits:\n  maxFileBytes: 550000\n" });

    const { snapshot, rules } = await readSnapshot(testOctokit(), input(fake));
    expect(rules.limits.maxFileBytes).toBe(550_000);
    expect(snapshot.files[0]).toMatchObject({ headText: null, headSize: bytesOf(BIG) });

    await run(fake);

    expect(blobReads(fake)).toEqual([]);
    expect(fake.botCommits()).toEqual([]);
    expect(checkRules(fake)).toContain("file-too-large");
  });
});

describe("a modified SEP whose base-branch copy is over GraphQL's limit", () => {
  const PATH = "seps/2000-big-widgets.md";
  const BASE = largeSep(sepText({ heading: "# SEP-2000: Big Widgets", pr: "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/2000" }));
  const HEAD = BASE.replace("Widgets stream.", "Widgets stream, in order.");

  it("reads the base text whole, so the SEP is known as an existing one: no rename, no encoding finding", async () => {
    const fake = new GitHubFake({ base: { ...defaultBase(), [PATH]: BASE }, changes: { [PATH]: HEAD }, assignees: ["grace"] }).install();

    const { snapshot, rules } = await readSnapshot(testOctokit(), input(fake));

    expect(snapshot.files).toHaveLength(1);
    expect(snapshot.files[0]).toMatchObject({ path: PATH, change: "modified" });
    expect(snapshot.files[0]!.baseText).toBe(BASE);
    expect(snapshot.files[0]!.headText).toBe(HEAD);
    expect(blobReads(fake).sort()).toEqual([getBlob(BASE), getBlob(HEAD)].sort());
    // Without its base text it would count as a new SEP, and be renamed after this PR.
    const planned = plan(snapshot, rules, NOW);
    expect(planned.effects.filter((e) => e.kind === "commit")).toEqual([]);
    expect(plannedRules(planned.effects)).not.toContain("file-encoding");
  });
});

describe("several large SEPs in one pull request", () => {
  const paths = [2001, 2002, 2003].map((n) => `seps/${n}-big-widgets-${n}.md`);
  const base = Object.fromEntries(
    paths.map((path, i) => [path, largeSep(sepText({ heading: `# SEP-${2001 + i}: Big Widgets ${i + 1}`, pr: `https://github.com/modelcontextprotocol/modelcontextprotocol/pull/${2001 + i}` }))]),
  );
  const head = Object.fromEntries(paths.map((path) => [path, base[path]!.replace("Widgets stream.", "Widgets stream, in order.")]));

  /** Counts the git blob reads in flight at once, as the client sends them. */
  function counting(octokit: GitHub): { max: number } {
    const seen = { max: 0 };
    let now = 0;
    octokit.hook.wrap("request", async (request, options) => {
      const blob = String(options.url).includes("/git/blobs/");
      if (blob) seen.max = Math.max(seen.max, ++now);
      try {
        return await request(options);
      } finally {
        if (blob) now--;
      }
    });
    return seen;
  }

  it(`reads all their blobs at once, at most ${CONCURRENT_READS} at a time, each once`, async () => {
    const fake = new GitHubFake({ base: { ...defaultBase(), ...base }, changes: head }).install();
    const octokit = testOctokit();
    const inFlight = counting(octokit);

    const { snapshot } = await readSnapshot(octokit, input(fake));

    expect(blobReads(fake).sort()).toEqual([...Object.values(base), ...Object.values(head)].map(getBlob).sort());
    expect(inFlight.max).toBe(CONCURRENT_READS);
    expect(snapshot.files.map((f) => [f.path, f.baseText === base[f.path], f.headText === head[f.path]])).toEqual(paths.map((p) => [p, true, true]));
  });
});
