import { readFileSync } from "node:fs";
import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { fixesOf } from "../../src/governance/check/fixes.js";
import { BOT, defaultBase, deliver, GitHubFake, PR_URL, settle, testProbot, webhook, type FakeOptions } from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";
import { check, sepText } from "../helpers/sep.js";

/**
 * One-click fixes: the check run offers "Fix these" when sep-bot can commit
 * the machine-applicable fixes of its findings; the button (a
 * `check_run.requested_action`) and `/fix` commit them for the author, the
 * sponsor or a maintainer, and anyone else gets one reply. Delivered twice,
 * at once: one commit, one reply.
 */

useNock();

const MAINTAINERS = readFileSync(new URL("../fixtures/maintainers/MAINTAINERS.md", import.meta.url), "utf8");
const PATH = "seps/1933-streaming-widgets.md";
/** Three things sep-bot knows how to fix: a misspelt section, a status in lowercase, a PR link in braces (the rename fixes that one on opening). */
const UNTIDY = sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL.replace("/1933", "/{1933}"), status: "draft", sponsor: "None (seeking sponsor)", authors: "Pieter Author (@pieter)" }).replace(
  "## Backward Compatibility",
  "## Backwards Compatibility",
);
const TIDY = sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL, status: "Draft", sponsor: "None (seeking sponsor)", authors: "Pieter Author (@pieter)" });

async function untidy(o: Partial<FakeOptions> = {}): Promise<{ fake: GitHubFake; probot: Probot }> {
  const fake = new GitHubFake({ base: { ...defaultBase(), "MAINTAINERS.md": MAINTAINERS }, changes: { [PATH]: UNTIDY }, ...o }).install();
  fake.latency = { read: 3, write: 6 };
  const probot = await testProbot();
  await deliver(probot, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }));
  await settle([probot], fake);
  fake.resetRequests();
  return { fake, probot };
}

/** Someone presses the button; GitHub delivers it twice, at once. */
async function press(env: { fake: GitHubFake; probot: Probot }, who: string): Promise<void> {
  const event = { name: "check_run", action: "requested_action", sender: who, identifier: "sep-fix" } as const;
  await Promise.all([deliver(env.probot, webhook(env.fake, event)), deliver(env.probot, webhook(env.fake, event))]);
  await settle([env.probot], env.fake, 2);
}

describe("the fixes as one change", () => {
  it("takes every fix that does not touch text another fix or the plan already edits", () => {
    const { findings } = check(UNTIDY, PATH);
    const fixes = fixesOf(findings);
    expect(fixes.count).toBe(3);
    const clash = fixesOf(findings, { edits: [fixes.change.edits[0]!], inserts: [] });
    expect(clash.count).toBe(2);
    expect(clash.change.edits).not.toContain(fixes.change.edits[0]);
  });
});

describe("Fix these, and /fix", () => {
  it("the check offers the button and says how else to ask", async () => {
    const { fake } = await untidy();
    const run = fake.latestCheck()!;
    expect(run.actions).toEqual([{ label: "Fix these", description: "Commit sep-bot's fixes to this branch", identifier: "sep-fix" }]);
    expect(run.summary).toContain("sep-bot can fix 2 findings itself: press **Fix these** above, or comment `/fix`");
  });

  it("pressed by the author: one commit makes the file tidy, nothing else changes; the new check has no button", async () => {
    const env = await untidy();
    const fromTheOldPage = webhook(env.fake, { name: "check_run", action: "requested_action", sender: "pieter", identifier: "sep-fix" });
    await press(env, "pieter");
    expect(env.fake.botCommits()).toHaveLength(2); // the rename on opening, then the fixes
    expect(env.fake.headFiles()[PATH]).toBe(TIDY);
    expect(env.fake.latestCheck()!.actions).toEqual([]);
    expect(env.fake.latestCheck()!.conclusion).toBe("success");
    expect(env.fake.botComments().filter((c) => c.body.startsWith("@pieter"))).toEqual([]);
    // Pressed again on the old check (a page not reloaded), delivered late, and once more: the head has
    // moved since, and its new check says what is left; nothing to do, nothing to say.
    env.fake.resetRequests();
    await deliver(env.probot, fromTheOldPage);
    await deliver(env.probot, fromTheOldPage);
    await settle([env.probot], env.fake, 2);
    expect(env.fake.calls("write")).toEqual([]);
  });

  it("pressed on a head with nothing left to fix: one short reply saying so, nothing committed", async () => {
    const env = await untidy();
    env.fake.comment("tess-type", "/fix");
    await settle([env.probot], env.fake, 2);
    expect(env.fake.headFiles()[PATH]).toBe(TIDY);
    const commits = env.fake.botCommits().length;
    // A check run on this head offering the button (it was posted before the rules or the findings changed).
    await press(env, "pieter");
    expect(env.fake.botCommits()).toHaveLength(commits);
    const replies = env.fake.botComments().filter((c) => c.body.startsWith("@pieter"));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("there is nothing left that sep-bot can fix by itself here. What the **SEP checks** run still lists needs a person");
    // Pressed again: answered already.
    env.fake.resetRequests();
    await press(env, "pieter");
    expect(env.fake.calls("write")).toEqual([]);
  });

  it("pressed by someone who may not: one reply saying who can, nothing committed", async () => {
    const env = await untidy();
    await press(env, "mallory");
    expect(env.fake.botCommits()).toHaveLength(1); // the rename on opening only
    const replies = env.fake.botComments().filter((c) => c.body.startsWith("@mallory"));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("only an author, the sponsor or a maintainer can have sep-bot commit its fixes");
  });

  it("/fix by a maintainer does the same, with a 👍; /fix with nothing left to fix is refused, saying why", async () => {
    const env = await untidy();
    const asked = env.fake.comment("tess-type", "/fix");
    await settle([env.probot], env.fake, 2);
    expect(env.fake.headFiles()[PATH]).toBe(TIDY);
    expect(env.fake.allComments.find((c) => c.id === asked.id)!.reactions.map((r) => `${r.user}:${r.content}`)).toEqual([`${BOT}:THUMBS_UP`]);
    env.fake.comment("pieter", "/fix");
    await settle([env.probot], env.fake, 2);
    expect(env.fake.botComments().at(-1)!.body).toContain("there is nothing sep-bot can fix by itself here");
  });

  it("a fork sep-bot cannot push to: no button, and /fix says why", async () => {
    const env = await untidy({ headRepo: { owner: "pieter", name: "modelcontextprotocol", ownerType: "User" }, maintainerCanModify: false });
    expect(env.fake.latestCheck()!.actions).toEqual([]);
    env.fake.comment("pieter", "/fix");
    await settle([env.probot], env.fake, 2);
    expect(env.fake.botCommits()).toEqual([]);
    expect(env.fake.botComments().at(-1)!.body).toContain("sep-bot cannot push to this branch (the fork does not allow edits by maintainers)");
  });
});

