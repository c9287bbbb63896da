import { readFileSync } from "node:fs";
import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { MemoryCoordinator } from "../../src/delivery/coordinator.js";
import { STATUS_MARKER } from "../../src/governance/model/record.js";
import { parseBlock } from "../../src/governance/sdks/umbrella.js";
import { sweep } from "../../src/github/sweep.js";
import { BOT, defaultBase, deliver, deliverAtOnce, GitHubFake, OWNER, PR_URL, REPO, settleInOrder, testProbot, webhook, type Comment } from "../helpers/github-fake/index.js";
import { testOctokit, useNock } from "../helpers/octokit.js";
import { GO, JAVA, PY, SDK_ROWS, sdkPage, TS } from "../helpers/sdks.js";
import { NOW, sepText } from "../helpers/sep.js";

/**
 * Implementation across the SDKs on the fake GitHub with the specification
 * repository and three SDK repositories: typescript-sdk (sep-bot installed),
 * python-sdk (installed, with an issue its maintainer filed for the SEP
 * already) and go-sdk (public, sep-bot not installed). Acceptance files
 * exactly the missing issues and one umbrella; doubled deliveries at two
 * instances file nothing twice; closing an SDK issue ticks the list on the
 * next sweep; a re-run writes nothing; `/track` on a SEP accepted before
 * sep-bot does the same.
 */

useNock();

const MAINTAINERS = readFileSync(new URL("../fixtures/maintainers/MAINTAINERS.md", import.meta.url), "utf8");
const PATH = "seps/1933-streaming-widgets.md";
const SDK_PAGE = sdkPage(SDK_ROWS);

const TESS = "Tess Type (@tess-type)";
const sep = (status: string) => sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL, status, sponsor: TESS, authors: "Pieter Author (@pieter)" });

interface Env {
  fake: GitHubFake;
  probot: Probot;
}

async function sepInReview(o: { status?: string; label?: string } = {}): Promise<Env> {
  const fake = new GitHubFake({
    base: { ...defaultBase(), "MAINTAINERS.md": MAINTAINERS, "docs/docs/draft/sdk.mdx": SDK_PAGE },
    changes: { [PATH]: sep(o.status ?? "In-Review") },
    author: "pieter",
    assignees: ["tess-type"],
    labels: ["SEP", o.label ?? "in-review"],
  }).install();
  fake.addRepository(TS, {}, true, true);
  fake.addRepository(PY, {}, true, true);
  fake.addRepository(GO, {}, true, false);
  fake.addRepository(JAVA, {}, true, true);
  fake.fileIssue(PY, "py-maintainer", "Implement SEP-1933 streaming widgets", "Our own tracking issue.");
  const probot = await testProbot();
  await deliver(probot, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }));
  await settleInOrder(probot, fake);
  fake.resetRequests();
  return { fake, probot };
}

const issuesIn = (fake: GitHubFake, repo: string) => [...fake.otherRepository(...(repo.split("/") as [string, string]))!.issues.values()];
const umbrellas = (fake: GitHubFake) => [...fake.issues.values()].filter((i) => i.title.includes("SEP-1933"));
const reactions = (c: Comment) => c.reactions.filter((r) => r.user === BOT).map((r) => r.content);
const statusComment = (fake: GitHubFake) => fake.botComments().find((c) => c.body.includes(STATUS_MARKER))!.body;

describe("implementation across the SDKs", () => {
  it("acceptance files exactly the missing issues and one umbrella; delivered twice to two instances, nothing twice; a re-run writes nothing", async () => {
    const env = await sepInReview();
    const { fake } = env;
    const shared = new MemoryCoordinator(); // two instances behind one load balancer share their coordination (Redis in production)
    const [one, two] = [await testProbot({ coordinator: shared }), await testProbot({ coordinator: shared })];
    fake.comment("lea-lead", "/accept");
    await deliverAtOnce([one, two], fake, fake.takeEvents(), 2);
    for (let i = 0; i < 10 && fake.events.length; i++) await deliverAtOnce([one, two], fake, fake.takeEvents(), 2);

    // TypeScript: filed. Python: its maintainer's issue taken, none filed. Go: no access. Java: Tier 2, not selected.
    expect(issuesIn(fake, TS).map((i) => [i.author, i.title, i.labels])).toEqual([[BOT, "Implement SEP-1933: Streaming Widgets", []]]);
    expect(issuesIn(fake, TS)[0]!.body).toContain(`Tracking implementation of [SEP-1933](${PR_URL}).`);
    expect(issuesIn(fake, PY).map((i) => i.author)).toEqual(["py-maintainer"]);
    expect(issuesIn(fake, GO)).toEqual([]);
    expect(issuesIn(fake, JAVA)).toEqual([]);

    const [umbrella, ...more] = umbrellas(fake);
    expect(more).toEqual([]);
    expect(umbrella).toMatchObject({ author: BOT, title: "(implementation): SEP-1933 - Streaming Widgets", labels: ["implementation-needed", "tracking"] });
    expect(umbrella!.body).toMatch(/^### Where was this agreed\?\n\nhttps:\/\/github\.com\/.+\/pull\/1933\n\n### Description\n\nImplement \[SEP-1933\]/);
    expect(parseBlock(umbrella!.body)).toEqual({
      sep: 1933,
      pr: 1933,
      release: null,
      done: false,
      sdks: [
        { repo: TS, number: 100, tier: 1, state: "open" },
        { repo: PY, number: 100, tier: 1, state: "open" },
        { repo: GO, number: null, tier: 1, state: "no-access" },
      ],
    });
    expect(umbrella!.body).toContain(`- [ ] ${GO} (Tier 1): not filed: sep-bot has no access`);
    expect(statusComment(fake)).toMatch(/took modelcontextprotocol\/python-sdk#100 as the SEP's issue there/);
    expect(statusComment(fake)).toContain(`**Implementation in the SDKs**: #${umbrella!.number}: 0 of 3 done; not filed, sep-bot has no access: \`${GO}\`.`);

    // Anything delivered again: nothing written.
    fake.resetRequests();
    await deliver(one, webhook(fake, { name: "pull_request", action: "edited", sender: "pieter" }));
    await deliver(two, webhook(fake, { name: "pull_request", action: "edited", sender: "pieter" }));
    expect(fake.calls("write")).toEqual([]);
  });

  it("an SDK repository renamed since the SDK page was written: one issue there, found again by the next event (GitHub answers to the old name and says the new one)", async () => {
    const env = await sepInReview();
    const { fake, probot } = env;
    fake.renameRepository(TS, "modelcontextprotocol/typescript-sdk-v2");
    fake.comment("lea-lead", "/accept");
    await settleInOrder(probot, fake);
    expect(issuesIn(fake, TS).map((i) => i.title)).toEqual(["Implement SEP-1933: Streaming Widgets"]);
    expect(umbrellas(fake)).toHaveLength(1);
    fake.resetRequests();
    await deliver(probot, webhook(fake, { name: "pull_request", action: "edited", sender: "pieter" }));
    expect(fake.calls("write")).toEqual([]);
    expect(issuesIn(fake, TS)).toHaveLength(1);
  });

  it("issues turned off here: the SDK issues are filed, the umbrella is said to be refused once, and the acceptance itself is written", async () => {
    const env = await sepInReview();
    const { fake, probot } = env;
    fake.issuesDisabled = true;
    fake.comment("lea-lead", "/accept");
    await settleInOrder(probot, fake);
    expect(fake.pr.labels).toContain("accepted");
    expect(reactions(fake.allComments.find((c) => c.body === "/accept")!)).toEqual(["THUMBS_UP"]);
    expect(issuesIn(fake, TS)).toHaveLength(1);
    expect(umbrellas(fake)).toEqual([]);
    expect(statusComment(fake)).toContain("could not file the umbrella issue here: sep-bot may not open issues in this repository");
    fake.resetRequests();
    await deliver(probot, webhook(fake, { name: "pull_request", action: "edited", sender: "pieter" }));
    expect(fake.calls("write")).toEqual([]);
  });

  it("closing an SDK issue ticks the list on the next sweep; every required SDK done: the umbrella says so and the sponsor is told once", async () => {
    const env = await sepInReview();
    const { fake } = env;
    fake.comment("lea-lead", "/accept");
    await settleInOrder(env.probot, fake);
    fake.comment("tess-type", "/track skip go-sdk the Go SDK has this already");
    await settleInOrder(env.probot, fake);
    const quiet = { info() {}, warn() {} };

    fake.closeIssue(TS, 100, "completed");
    fake.resetRequests();
    const first = await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => NOW, log: quiet });
    expect(first.due.map((d) => d.number)).toEqual([1933]);
    const block = () => parseBlock(umbrellas(fake)[0]!.body)!;
    expect(block().sdks.map((s) => [s.repo, s.state])).toEqual([[TS, "done"], [PY, "open"], [GO, "not-needed"]]);
    expect(block().done).toBe(false);

    fake.closeIssue(PY, 100, "completed");
    await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => NOW, log: quiet });
    expect(block().done).toBe(true);
    const told = fake.botComments().filter((c) => !c.body.includes(STATUS_MARKER) && c.body.includes("every required SDK"));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(/^@tess-type, every required SDK \(Tier 1\) has implemented SEP-1933/);

    fake.resetRequests();
    const again = await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => NOW, log: quiet });
    expect(again.due).toEqual([]);
    expect(fake.calls("write")).toEqual([]);
  });

  it("an SDK issue closed as not planned shows as such; people's words around the list are kept", async () => {
    const env = await sepInReview();
    const { fake } = env;
    fake.comment("lea-lead", "/accept");
    await settleInOrder(env.probot, fake);
    const umbrella = umbrellas(fake)[0]!;
    umbrella.body = `${umbrella.body}\n\nNotes from the release sync: Go waits for its 1.0.`;
    fake.closeIssue(TS, 100, "not_planned");
    await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => NOW, log: { info() {}, warn() {} } });
    expect(umbrellas(fake)[0]!.body).toContain(`- [ ] ${TS}#100 (Tier 1): closed as not planned`);
    expect(umbrellas(fake)[0]!.body).toContain("Notes from the release sync: Go waits for its 1.0.");
  });

  it("/track on a SEP accepted before sep-bot came: the same issues; refused for the author; `/track none` files nothing", async () => {
    const env = await sepInReview({ status: "Accepted", label: "accepted" });
    const { fake } = env;
    expect(issuesIn(fake, TS)).toEqual([]); // found accepted: nothing filed by itself
    const refused = fake.comment("pieter", "/track");
    await settleInOrder(env.probot, fake);
    expect(reactions(fake.allComments.find((c) => c.id === refused.id)!)).toEqual(["THUMBS_DOWN"]);
    const asked = fake.comment("tess-type", "/track");
    await settleInOrder(env.probot, fake);
    expect(reactions(fake.allComments.find((c) => c.id === asked.id)!)).toEqual(["THUMBS_UP"]);
    expect(issuesIn(fake, TS)).toHaveLength(1);
    expect(umbrellas(fake)).toHaveLength(1);

    const other = await sepInReview({ status: "Accepted", label: "accepted" });
    other.fake.comment("tess-type", "/track none the SDKs need no change: wording only");
    await settleInOrder(other.probot, other.fake);
    expect(issuesIn(other.fake, TS)).toEqual([]);
    expect(umbrellas(other.fake)).toEqual([]);
    expect(statusComment(other.fake)).toContain("no SDK needs work for this SEP, said @\u200btess-type");
  });
});
