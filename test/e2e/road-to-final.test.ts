import { readFileSync } from "node:fs";
import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { STATUS_MARKER } from "../../src/governance/model/record.js";
import { forgetManifests } from "../../src/github/read/final.js";
import { parseSep } from "../../src/sep/parse.js";
import { BOT, defaultBase, deliver, deliverAtOnce, GitHubFake, OWNER, PR_URL, REPO, settleInOrder, testProbot, webhook, type Comment, type Files } from "../helpers/github-fake/index.js";
import { sweep } from "../../src/github/sweep.js";
import { testOctokit, useNock } from "../helpers/octokit.js";
import { NOW, rules, sepText } from "../helpers/sep.js";

/**
 * The road from Accepted to Final on the fake GitHub, with the conformance
 * repository beside the specification repository: the report in the status
 * comment, `/final` refused with what is missing, the traceability file
 * merged over there, `/final` accepted (delivered twice to two instances:
 * one commit), and a re-run that writes nothing. Then a maintainer's
 * override, a push that writes Final too early, and a conformance
 * repository sep-bot cannot read.
 */

useNock();

const MAINTAINERS = readFileSync(new URL("../fixtures/maintainers/MAINTAINERS.md", import.meta.url), "utf8");
const PATH = "seps/1933-streaming-widgets.md";
const CONFORMANCE = "modelcontextprotocol/conformance";
const YAML = "src/seps/sep-1933.yaml";
const TESS = "Tess Type (@tess-type)";

const SPEC = [
  "## Specification",
  "",
  "Servers MUST return `-32602` when the widget does not exist.",
  "",
  "A stream is resumed with `widgets/resume`. Clients SHOULD retry a stream after a `503`.",
].join("\n");

const SEP = sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL, status: "Accepted", sponsor: TESS, authors: "Pieter Author (@pieter)" })
  .replace("## Specification\n\nA `widgets/stream` method.", SPEC)
  .replace("A branch in the TypeScript SDK.", "- https://github.com/modelcontextprotocol/typescript-sdk/pull/900");

const TRACEABILITY = [
  "sep: 1933",
  "spec_url: https://modelcontextprotocol.io/specification/draft/server/widgets",
  "requirements:",
  "  - check: sep-1933-unknown-widget",
  "    text: 'Servers MUST return -32602 when the widget does not exist'",
  "  - text: 'Clients SHOULD retry a stream after a 503'",
  "    excluded: 'Client retry timing is client-internal; not protocol-observable'",
  "",
].join("\n");

const MANIFEST = JSON.stringify({ schemaVersion: 1, source: "typescript-sdk@abc", seps: {} });

const SPEC_CHANGES: Files = {
  "docs/specification/draft/server/widgets.mdx": "# Widgets\n\nServers MUST return -32602 when the widget does not exist.\n",
  "docs/specification/draft/changelog.mdx": "# Changelog\n\n- Streaming widgets ([SEP-1933](https://github.com/o/r/pull/1933))\n",
};

interface Env {
  fake: GitHubFake;
  probot: Probot;
}

async function acceptedSep(o: { changes?: Files; conformance?: Files; readable?: boolean; sep?: Files; base?: Files } = {}): Promise<Env> {
  forgetManifests();
  const fake = new GitHubFake({
    base: { ...defaultBase(), "MAINTAINERS.md": MAINTAINERS, ...o.base },
    changes: { ...(o.sep ?? { [PATH]: SEP }), ...(o.changes ?? SPEC_CHANGES) },
    author: "pieter",
    assignees: ["tess-type"],
    labels: ["SEP", "accepted"],
  }).install();
  fake.addRepository(CONFORMANCE, o.conformance ?? { "src/seps/traceability.json": MANIFEST, "src/seps/sep-2164.yaml": "sep: 2164\nrequirements: []\n" }, o.readable ?? true);
  const probot = await testProbot();
  await deliver(probot, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }));
  await settleInOrder(probot, fake);
  fake.resetRequests();
  return { fake, probot };
}

async function say(env: Env, author: string, body: string): Promise<Comment> {
  const comment = env.fake.comment(author, body);
  await settleInOrder(env.probot, env.fake);
  return env.fake.allComments.find((c) => c.id === comment.id)!;
}

const statusComment = (fake: GitHubFake) => fake.botComments().find((c) => c.body.includes(STATUS_MARKER))!.body;
const replies = (fake: GitHubFake) => fake.botComments().filter((c) => !c.body.includes(STATUS_MARKER));
const reactions = (c: Comment) => c.reactions.filter((r) => r.user === BOT).map((r) => r.content);
const status = (fake: GitHubFake) => parseSep(fake.headFiles()[PATH]!, PATH, { rules }).statusRaw;

describe("the road to Final", () => {
  it("accepted: the report in the status comment; /final refused with the list; the traceability file merged over there; /final done once (twice delivered, two instances); a re-run writes nothing", async () => {
    const env = await acceptedSep();
    const { fake } = env;
    const before = statusComment(fake);
    expect(before).toContain("**Road to Final**");
    expect(before).toContain("- ✅ **Reference implementation**: linked: modelcontextprotocol/typescript-sdk#900");
    expect(before).toContain("- ✅ **Specification changes**: 1 draft document changed");
    expect(before).toContain("- ✅ **Changelog entry**: `docs/specification/draft/changelog.mdx` names SEP-1933");
    expect(before).toContain(`- ⬜ **Conformance traceability**: no \`${YAML}\` in ${CONFORMANCE} yet`);
    expect(before).toContain("Complete the road to Final below (conformance traceability)");

    expect(fake.botCommits()).toHaveLength(0);
    const refused = await say(env, "tess-type", "/final");
    expect(reactions(refused)).toEqual(["THUMBS_DOWN"]);
    expect(replies(fake).at(-1)!.body).toMatch(/not ready for Final: conformance traceability: no `src\/seps\/sep-1933\.yaml` in modelcontextprotocol\/conformance yet/);
    expect(status(fake)).toBe("Accepted");
    expect(fake.pr.labels.sort()).toEqual(["SEP", "accepted"]);

    // The conformance scenario and its traceability file are merged in the conformance repository (no event reaches sep-bot).
    fake.setRepositoryFile(CONFORMANCE, YAML, TRACEABILITY);
    fake.resetRequests();
    const second = await testProbot();
    const comment = fake.comment("tess-type", "/final");
    const events = fake.takeEvents();
    await deliverAtOnce([env.probot, second], fake, events, 2);
    await settleInOrder(env.probot, fake);
    expect(status(fake)).toBe("Final");
    expect(fake.pr.labels.sort()).toEqual(["SEP", "final"]);
    // Both instances try the commit on the head they read; GitHub takes one (the other's head is stale).
    expect(fake.botCommits().filter((c) => c.message.includes("Final"))).toHaveLength(1);
    expect(reactions(fake.allComments.find((c) => c.id === comment.id)!)).toEqual(["THUMBS_UP"]);

    // Anything delivered again finds nothing to do.
    fake.resetRequests();
    await deliver(env.probot, webhook(fake, { name: "issue_comment", action: "created", sender: "tess-type", commentId: comment.id }));
    await deliver(second, webhook(fake, { name: "pull_request", action: "synchronize", sender: BOT }));
    expect(fake.writes()).toEqual([]);
  });

  it("the sweep sees the traceability file merged over there (no event here): the checklist updates once; a second sweep only reads", async () => {
    const env = await acceptedSep();
    const { fake } = env;
    const quiet = { info() {}, warn() {} };
    const first = await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => NOW, log: quiet });
    expect(first.due).toEqual([]); // nothing moved yet
    expect(fake.calls().filter((c) => c.includes("SepConformanceIndex"))).toHaveLength(1);

    fake.setRepositoryFile(CONFORMANCE, YAML, TRACEABILITY);
    fake.resetRequests();
    const second = await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => NOW, log: quiet });
    expect(second.due.map((d) => [d.number, d.reasons])).toEqual([[1933, ["its conformance traceability changed (a traceability file merged, or a new run of the suite)"]]]);
    expect(statusComment(fake)).toContain("- ✅ **Conformance traceability**: 2 of 2 requirements traced");
    expect(fake.calls("write")).toEqual([`PATCH /repos/${OWNER}/${REPO}/issues/comments/${fake.botComments()[0]!.id}`]);

    fake.resetRequests();
    const third = await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => NOW, log: quiet });
    expect(third.due).toEqual([]);
    expect(fake.calls("write")).toEqual([]);
  });

  it("an accepted SEP finished in a later pull request (SEP-1500 in #1933): its own traceability file is read, and the sweep does not re-plan it every week", async () => {
    const path = "seps/1500-streaming-widgets.md";
    const old = SEP.replace("# SEP-1933: Streaming Widgets", "# SEP-1500: Streaming Widgets").replace(PR_URL, PR_URL.replace("1933", "1500"));
    const text = `${old}\nThe specification changes are in this pull request.\n`;
    const changes = { ...SPEC_CHANGES, "docs/specification/draft/changelog.mdx": "# Changelog\n\n- Streaming widgets (SEP-1500)\n" };
    const conformance = { "src/seps/traceability.json": MANIFEST, "src/seps/sep-1500.yaml": TRACEABILITY.replace("sep: 1933", "sep: 1500").replace("sep-1933-", "sep-1500-") };
    const env = await acceptedSep({ base: { [path]: old }, sep: { [path]: text }, changes, conformance });
    const { fake } = env;
    expect(statusComment(fake)).toContain("- ✅ **Conformance traceability**: 2 of 2 requirements traced");
    const quiet = { info() {}, warn() {} };
    const swept = await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => NOW, log: quiet });
    expect(swept.due).toEqual([]);
    expect(fake.calls("write")).toEqual([]);
  });

  it("a maintainer decides over what is missing: `/final override <why>`, recorded; not the author, not without a reason", async () => {
    const env = await acceptedSep({ changes: {} });
    const { fake } = env;
    const author = await say(env, "pieter", "/final override it is done");
    expect(reactions(author)).toEqual(["THUMBS_DOWN"]);
    expect(replies(fake).at(-1)!.body).toMatch(/only the sponsor or a maintainer can use `\/final`|only a maintainer can move a SEP to Final with items still open/);
    const bare = await say(env, "tess-type", "/final override");
    expect(reactions(bare)).toEqual(["THUMBS_DOWN"]);
    expect(replies(fake).at(-1)!.body).toContain("say why, for the record: `/final override <reason>`");
    expect(status(fake)).toBe("Accepted");

    const decided = await say(env, "tess-type", "/final override the spec text lands in #2001 with the other transport SEPs");
    expect(reactions(decided)).toEqual(["THUMBS_UP"]);
    expect(status(fake)).toBe("Final");
    const log = statusComment(fake);
    expect(log).toMatch(/status Final, decided by @\u200btess-type with 3 items of the road open \(specification changes, changelog entry, conformance traceability\): "the spec text lands in #2001/);
  });

  it("a push that writes Final before the road is complete: the check says what is missing, the labels stay Accepted", async () => {
    const env = await acceptedSep();
    const { fake } = env;
    fake.push({ [PATH]: SEP.replace("- **Status**: Accepted", "- **Status**: Final") }, "tess-type");
    await settleInOrder(env.probot, fake);
    const run = fake.checkRuns.at(-1)!;
    expect(run.conclusion).toBe("failure");
    expect(JSON.stringify(run.annotations)).toContain("final-incomplete");
    expect(run.summary).toMatch(/@tess-type set the Status to Final, but this SEP is not ready for Final: conformance traceability: no `src\/seps\/sep-1933\.yaml`/);
    expect(fake.pr.labels.sort()).toEqual(["SEP", "accepted"]);
  });

  it("a conformance repository sep-bot cannot read: said in the comment, and /final is not refused for it", async () => {
    const env = await acceptedSep({ readable: false });
    const { fake } = env;
    expect(statusComment(fake)).toMatch(/- ❔ \*\*Conformance traceability\*\*: the conformance repository could not be read \(modelcontextprotocol\/conformance: Could not resolve to a Repository/);
    await say(env, "tess-type", "/final");
    expect(status(fake)).toBe("Final");
  });

  it("reading the road costs one request (the manifest, read once per version, one more), on accepted SEPs only", async () => {
    const env = await acceptedSep({ conformance: { "src/seps/traceability.json": MANIFEST, [YAML]: TRACEABILITY } });
    const { fake } = env;
    fake.resetRequests();
    await deliver(env.probot, webhook(fake, { name: "pull_request", action: "edited", sender: "pieter" }));
    const reads = fake.calls("read");
    expect(reads.filter((r) => r.includes("SepFinal"))).toHaveLength(1);
    expect(reads.filter((r) => r.includes("SepManifest"))).toHaveLength(0); // this process read that version already
    expect(fake.writes()).toEqual([]);
    expect(statusComment(fake)).toContain("- ✅ **Conformance traceability**: 2 of 2 requirements traced");
  });
});
