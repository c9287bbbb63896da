import { readFileSync } from "node:fs";
import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { STATUS_MARKER } from "../../src/governance/model/record.js";
import { parseSep } from "../../src/sep/parse.js";
import {
  BOT,
  defaultBase,
  deliver,
  settleInOrder,
  GitHubFake,
  NUMBER,
  OWNER,
  PR_URL,
  REPO,
  testProbot,
  webhook,
  type Comment,
  type FakeOptions,
  type Files,
} from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";
import { NOW, rules, sepText } from "../helpers/sep.js";

/**
 * Slash commands end to end: a person comments, GitHub delivers the
 * webhook, the real app reconciles against the stateful fake. For every
 * command and role: the allowed person gets exactly the effect (file, labels,
 * assignees, open/closed, a 👍, a line in the audit log), and a refused one
 * changes nothing but a 👎 and one reply saying why and who can.
 *
 * People (test/fixtures/maintainers/MAINTAINERS.md, on the base branch):
 * core maintainers lea-lead and chen-core; maintainers tess-type (the usual
 * sponsor) and ivo-ig; emil-emeritus is emeritus; mo-moderator moderates;
 * pieter is the PR's author; mallory is anyone.
 */

useNock();

const MAINTAINERS = readFileSync(new URL("../fixtures/maintainers/MAINTAINERS.md", import.meta.url), "utf8");
const PATH = "seps/1933-streaming-widgets.md";
const R = `/repos/${OWNER}/${REPO}`;
const TESS = "Tess Type (@tess-type)";

const base = (extra: Files = {}): Files => ({ ...defaultBase(), "MAINTAINERS.md": MAINTAINERS, ...extra });

interface Start {
  status?: string;
  sponsor?: string;
  assignees?: string[];
  label?: string;
  author?: string;
  text?: string;
  fake?: Partial<FakeOptions>;
}

/** A SEP PR in a given state, already reconciled (its labels match), requests forgotten. */
async function sepPr(o: Start = {}): Promise<{ fake: GitHubFake; probot: Probot }> {
  const sponsor = o.sponsor ?? "None (seeking sponsor)";
  const text = o.text ?? sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL, status: o.status ?? "Draft", sponsor, authors: "Pieter Author (@pieter)" });
  const fake = new GitHubFake({
    base: base(),
    changes: { [PATH]: text },
    author: o.author ?? "pieter",
    assignees: o.assignees ?? [],
    labels: o.label ? ["SEP", o.label] : [],
    ...o.fake,
  }).install();
  const probot = await testProbot();
  await deliver(probot, webhook(fake, { name: "pull_request", action: "opened", sender: fake.pr.author }));
  await settleInOrder(probot, fake);
  fake.resetRequests();
  return { fake, probot };
}

/** A person comments; GitHub delivers it (and whatever the bot's answer causes). */
async function say(env: { fake: GitHubFake; probot: Probot }, author: string, body: string): Promise<Comment> {
  const comment = env.fake.comment(author, body);
  await settleInOrder(env.probot, env.fake);
  return env.fake.allComments.find((c) => c.id === comment.id)!;
}

const head = (fake: GitHubFake) => parseSep(fake.headFiles()[PATH]!, PATH, { rules });
const field = (fake: GitHubFake, key: string) => head(fake).fields.find((f) => f.key.toLowerCase() === key.toLowerCase())?.value ?? null;
const reactions = (c: Comment) => c.reactions.filter((r) => r.user === BOT).map((r) => r.content).sort();
const replies = (fake: GitHubFake) => fake.botComments().filter((c) => !c.body.includes(STATUS_MARKER));
const statusComment = (fake: GitHubFake) => fake.botComments().find((c) => c.body.includes(STATUS_MARKER))!;
/** The status comment as people see it (its hidden record aside). */
const visible = (fake: GitHubFake) => statusComment(fake).body.replace(/<!-- sep-bot:state [^>]*-->/, "");

/**
 * Everything but the reply and the reaction, to prove a refusal changed nothing else. The
 * deadlines may move: a comment is something a person did, and clocks count that.
 */
function world(fake: GitHubFake) {
  const status = visible(fake).replace(/\*\*Deadlines\*\*\n\n(- .*\n)+\n/, "");
  return { files: fake.headFiles(), labels: [...fake.pr.labels].sort(), assignees: [...fake.pr.assignees].sort(), state: fake.pr.state, checks: fake.checkRuns.length, status };
}

/** Runs a command that must be refused; returns the reply. */
async function refused(env: { fake: GitHubFake; probot: Probot }, author: string, body: string): Promise<string> {
  const before = world(env.fake);
  const repliesBefore = replies(env.fake).length;
  env.fake.resetRequests();
  const comment = await say(env, author, body);
  expect(world(env.fake)).toEqual(before);
  expect(reactions(comment)).toEqual(["THUMBS_DOWN"]);
  expect(replies(env.fake)).toHaveLength(repliesBefore + 1);
  const writes = env.fake.calls("write");
  expect(writes.filter((w) => w.includes("/reactions"))).toHaveLength(1);
  expect(writes.filter((w) => w === `POST ${R}/issues/${NUMBER}/comments`)).toHaveLength(1);
  expect(writes.every((w) => w.includes("/reactions") || w.includes("/issues/comments/") || w === `POST ${R}/issues/${NUMBER}/comments`)).toBe(true);
  const reply = replies(env.fake).at(-1)!.body;
  expect(reply).toMatch(new RegExp(`^@${author}: `));
  return reply;
}

describe("/sponsor", () => {
  it("a maintainer: assigned, named Sponsor, status Draft (label draft); one commit; 👍 and an audit line", async () => {
    const env = await sepPr();
    expect(env.fake.pr.labels).toEqual(["SEP", "proposal"]);
    const comment = await say(env, "tess-type", "/sponsor");

    expect(field(env.fake, "Sponsor")).toBe("@tess-type");
    expect(field(env.fake, "Status")).toBe("Draft");
    expect(env.fake.pr.assignees).toEqual(["tess-type"]);
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "draft"]);
    expect(env.fake.botCommits()).toHaveLength(1);
    expect(env.fake.botCommits()[0]!.message).toContain("/sponsor by @tess-type");
    expect(reactions(comment)).toEqual(["THUMBS_UP"]);
    expect(replies(env.fake)).toEqual([]);
    expect(visible(env.fake)).toContain("`/sponsor` by @\u200btess-type: @\u200btess-type sponsors this SEP; status Draft");
  });

  it("with a display name: `Name (@login)`", async () => {
    const env = await sepPr();
    await say(env, "lea-lead", "/sponsor");
    expect(field(env.fake, "Sponsor")).toBe("@lea-lead");
    const named = await sepPr();
    // grace has a display name in the fake (and is no maintainer here): a maintainer with one is named with it.
    named.fake.teams["maintainers"] = ["grace"];
    await say(named, "grace", "/sponsor");
    expect(field(named.fake, "Sponsor")).toBe("Grace Hopper (@grace)");
  });

  it("refused for someone who is no maintainer, for emeritus maintainers, for moderators", async () => {
    const env = await sepPr();
    for (const who of ["mallory", "emil-emeritus", "mo-moderator"]) {
      const reply = await refused(env, who, "/sponsor");
      expect(reply).toContain("only a maintainer can use `/sponsor`");
    }
  });

  it("a maintainer may sponsor the SEP they wrote (a co-authoring sponsor); the PR's author who is no maintainer may not", async () => {
    const own = await sepPr({ author: "ivo-ig" });
    const comment = await say(own, "ivo-ig", "/sponsor");
    expect(reactions(comment)).toEqual(["THUMBS_UP"]);
    expect(field(own.fake, "Sponsor")).toMatch(/@ivo-ig\)?$/);
    expect(own.fake.pr.labels.sort()).toEqual(["SEP", "draft"]);
    const theirs = await sepPr();
    expect(await refused(theirs, "pieter", "/sponsor")).toContain("only a maintainer can use `/sponsor`");
  });

  it("refused while another sponsor is assigned; the same sponsor again changes nothing", async () => {
    const env = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    expect(env.fake.pr.labels).toEqual(["SEP", "draft"]);
    const reply = await refused(env, "ivo-ig", "/sponsor");
    expect(reply).toContain("@tess-type already sponsors this SEP");
    env.fake.resetRequests();
    const again = await say(env, "tess-type", "/sponsor");
    expect(reactions(again)).toEqual(["THUMBS_UP"]);
    expect(env.fake.calls("write").filter((w) => !w.includes("/reactions") && !w.includes("/issues/comments/"))).toEqual([]);
  });
});

describe("after a command has landed", () => {
  it("the author's later unauthorised Status change is reported as such, not as a file that lags behind (the record is done)", async () => {
    const env = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    await say(env, "tess-type", "/review");
    expect(field(env.fake, "Status")).toBe("In-Review");
    env.fake.push({ [PATH]: env.fake.headFiles()[PATH]!.replace("- **Status**: In-Review", "- **Status**: Final") }, "pieter");
    await settleInOrder(env.probot, env.fake);
    expect(env.fake.latestCheck()!.summary).toContain("status-change-unauthorised");
    expect(env.fake.latestCheck()!.summary).not.toContain("status-update-pending");
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "in-review"]);
  });
});

describe("/unsponsor", () => {
  it("the sponsor: Sponsor cleared, unassigned, awaiting a sponsor again (label proposal)", async () => {
    const env = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    const comment = await say(env, "tess-type", "/unsponsor");
    expect(field(env.fake, "Sponsor")).toBe("None (seeking sponsor)");
    expect(field(env.fake, "Status")).toBe("Draft");
    expect(env.fake.pr.assignees).toEqual([]);
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "proposal"]);
    expect(reactions(comment)).toEqual(["THUMBS_UP"]);
  });

  it("refused for the author", async () => {
    const env = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    expect(await refused(env, "pieter", "/unsponsor")).toContain("only the sponsor or a maintainer");
  });
});

describe("/status, /review", () => {
  it("/review by the sponsor: In-Review in the file and the labels", async () => {
    const env = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    const comment = await say(env, "tess-type", "/review");
    expect(field(env.fake, "Status")).toBe("In-Review");
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "in-review"]);
    expect(reactions(comment)).toEqual(["THUMBS_UP"]);
  });

  it("/status in-review by a maintainer who is not the sponsor", async () => {
    const env = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    await say(env, "ivo-ig", "/status In Review because it is ready");
    expect(field(env.fake, "Status")).toBe("In-Review");
  });

  it("refused: a move the lifecycle does not allow, with the allowed targets", async () => {
    const env = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    const reply = await refused(env, "tess-type", "/status final");
    expect(reply).toContain("a SEP cannot move from Draft to Final. From Draft it can move to `In-Review`, `Dormant`, `Withdrawn`.");
  });

  it("refused: a status that does not exist, and none at all", async () => {
    const env = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    expect(await refused(env, "tess-type", "/status shipped")).toContain("`shipped` is not a status");
    expect(await refused(env, "tess-type", "/status")).toContain("say which status");
  });

  it("refused for the author: status is the sponsor's call", async () => {
    const env = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    expect(await refused(env, "pieter", "/review")).toContain("only the sponsor or a maintainer can use `/review`");
  });

  it("a sponsor named in the file but not assigned holds no role", async () => {
    const env = await sepPr({ sponsor: "Mallory (@mallory)", label: "draft" });
    expect(await refused(env, "mallory", "/review")).toContain("only the sponsor or a maintainer");
  });
});

describe("/accept, /reject, /vote", () => {
  const inReview = () => sepPr({ status: "In-Review", sponsor: TESS, assignees: ["tess-type"], label: "in-review" });

  it("votes are tallied from the comments, a later vote replacing an earlier; /accept stamps the date and the tally", async () => {
    const env = await inReview();
    const first = await say(env, "lea-lead", "/vote yes, a clean design");
    expect(reactions(first)).toEqual(["THUMBS_UP"]);
    await say(env, "chen-core", "/vote no");
    await say(env, "chen-core", "On reflection:\n/vote yes");
    expect(visible(env.fake)).toContain("**Votes** (core maintainers, the latest `/vote` of each): 2 yes, 0 no, 0 abstain");
    expect(visible(env.fake)).toContain("- Not voted yet: @\u200bcal_acme, @\u200bcora-core, @\u200bloulead");

    const accept = await say(env, "lea-lead", "/accept");
    expect(field(env.fake, "Status")).toBe("Accepted");
    expect(field(env.fake, "Accepted")).toBe("2026-11-21, 2 Yes, 0 No, 0 Abstain");
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "accepted"]);
    expect(reactions(accept)).toEqual(["THUMBS_UP"]);
  });

  it("/vote refused for a maintainer who is not core, and without a choice", async () => {
    const env = await inReview();
    expect(await refused(env, "tess-type", "/vote yes")).toContain("only a core maintainer can use `/vote`");
    expect(await refused(env, "lea-lead", "/vote maybe")).toContain("say how you vote");
  });

  it("/accept refused for the sponsor (not core), and for a core maintainer who wrote the SEP", async () => {
    const env = await inReview();
    expect(await refused(env, "tess-type", "/accept")).toContain("only a core maintainer who is not an author of this SEP can use `/accept`");
    const own = await sepPr({ status: "In-Review", sponsor: TESS, assignees: ["tess-type"], label: "in-review", author: "chen-core" });
    expect(await refused(own, "chen-core", "/accept")).toContain("who is not an author of this SEP");
  });

  it("/reject by a core maintainer; refused for the sponsor, who is no core maintainer", async () => {
    const env = await inReview();
    expect(await refused(env, "tess-type", "/reject")).toContain("only a core maintainer can use `/reject`");
    await say(env, "chen-core", "/reject not the right approach");
    expect(field(env.fake, "Status")).toBe("Rejected");
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "rejected"]);
  });
});

describe("/final", () => {
  it("refused while Reference Implementation is template text; done once it is written", async () => {
    const template = "## Reference Implementation\n\nLink to a working prototype demonstrating the proposal.";
    const text = (ri: string) =>
      sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL, status: "Accepted", sponsor: TESS, authors: "Pieter Author (@pieter)" })
        .replace("## Reference Implementation\n\nA branch in the TypeScript SDK.", ri)
        .replace("- **Created**: 2026-01-15", "- **Created**: 2026-01-15\n- **Accepted**: 2026-11-01");
    const env = await sepPr({ text: text(template), sponsor: TESS, assignees: ["tess-type"], label: "accepted" });
    expect(await refused(env, "tess-type", "/final")).toContain("the Reference Implementation section is still empty or template text");

    env.fake.push({ [PATH]: text("## Reference Implementation\n\nhttps://github.com/modelcontextprotocol/typescript-sdk/pull/900") });
    await settleInOrder(env.probot, env.fake);
    // The rest of the road (test/e2e/road-to-final.test.ts): the specification changes and their changelog entry.
    expect(await refused(env, "tess-type", "/final")).toMatch(/not ready for Final: specification changes: .*; changelog entry: /);
    env.fake.push({ "docs/specification/draft/server/widgets.mdx": "# Widgets\n", "docs/specification/draft/changelog.mdx": "- Streaming widgets (SEP-1933)\n" });
    await settleInOrder(env.probot, env.fake);
    await say(env, "tess-type", "/final");
    expect(field(env.fake, "Status")).toBe("Final");
  });
});

describe("/withdraw, /dormant, /revive, /supersede", () => {
  it("/withdraw by the author; refused for anyone else", async () => {
    const env = await sepPr();
    expect(await refused(env, "mallory", "/withdraw")).toContain("only an author or the sponsor can use `/withdraw`");
    await say(env, "pieter", "/withdraw we went another way");
    expect(field(env.fake, "Status")).toBe("Withdrawn");
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "withdrawn"]);
  });

  it("/dormant by a maintainer closes the PR; /revive by the author reopens it, awaiting a sponsor", async () => {
    const env = await sepPr();
    expect(await refused(env, "pieter", "/dormant")).toContain("only a maintainer can use `/dormant`");
    await say(env, "ivo-ig", "/dormant no sponsor found");
    expect(field(env.fake, "Status")).toBe("Dormant");
    expect(env.fake.pr.state).toBe("closed");
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "dormant"]);

    const revive = await say(env, "pieter", "/revive I found a sponsor candidate");
    expect(reactions(revive)).toEqual(["THUMBS_UP"]);
    expect(env.fake.pr.state).toBe("open");
    expect(field(env.fake, "Status")).toBe("Draft");
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "proposal"]);
  });

  it("/revive refused on a SEP that is not dormant; a dormant SEP moves only as the lifecycle allows; commands refused on a closed PR", async () => {
    const env = await sepPr();
    expect(await refused(env, "pieter", "/revive")).toContain("only a dormant SEP can be revived; this one is Proposal");
    await say(env, "ivo-ig", "/dormant");
    expect(await refused(env, "tess-type", "/review")).toContain("a SEP cannot move from Dormant to In-Review. From Dormant it can move to `Proposal`, `Draft`.");
    expect(await refused(env, "tess-type", "/unsponsor")).toContain("this pull request is closed; `/revive` reopens a dormant SEP");

    const closed = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    closed.fake.pr.state = "closed";
    expect(await refused(closed, "tess-type", "/review")).toContain("this pull request is closed; reopen it first");
  });

  it("/supersede 2001 on an accepted SEP: Superseded, Superseded-By: SEP-2001", async () => {
    const env = await sepPr({ status: "Accepted", sponsor: TESS, assignees: ["tess-type"], label: "accepted" });
    expect(await refused(env, "pieter", "/supersede 2001")).toContain("only the sponsor or a maintainer can use `/supersede`");
    expect(await refused(env, "tess-type", "/supersede")).toContain("say which SEP replaces this one");
    expect(await refused(env, "tess-type", `/supersede ${NUMBER}`)).toContain("cannot supersede itself");
    await say(env, "tess-type", "/supersede SEP-2001");
    expect(field(env.fake, "Status")).toBe("Superseded");
    expect(field(env.fake, "Superseded-By")).toBe("SEP-2001");
  });
});

describe("/check, /help, unknown commands", () => {
  it("/check by anyone runs the checks again (a new check run, same head)", async () => {
    const env = await sepPr();
    const runs = env.fake.checkRuns.length;
    const comment = await say(env, "mallory", "/check");
    expect(env.fake.checkRuns).toHaveLength(runs + 1);
    expect(reactions(comment)).toEqual(["THUMBS_UP"]);
  });

  it("/help lists the commands this person may use here", async () => {
    const env = await sepPr({ sponsor: TESS, assignees: ["tess-type"] });
    await say(env, "mallory", "/help");
    const forAnyone = replies(env.fake).at(-1)!.body;
    expect(forAnyone).toContain("`/check`");
    expect(forAnyone).toContain("`/help`");
    expect(forAnyone).not.toContain("`/accept`");
    await say(env, "lea-lead", "/help");
    const forCore = replies(env.fake).at(-1)!.body;
    expect(forCore).toContain("`/accept`: accept the SEP");
    expect(forCore).toContain("`/vote yes|no|abstain [reason]`");
  });

  it("an unknown command close to a real one: 😕 and a suggestion; a slash word far from any: silence", async () => {
    const env = await sepPr();
    const typo = await say(env, "tess-type", "/sponser");
    expect(reactions(typo)).toEqual(["CONFUSED"]);
    expect(replies(env.fake).at(-1)!.body).toContain("`/sponser` is not a sep-bot command: did you mean `/sponsor`?");
    env.fake.resetRequests();
    const path = await say(env, "pieter", "/usr/local/bin is where it goes\n/cc @tess-type");
    expect(reactions(path)).toEqual([]);
    expect(env.fake.calls("write")).toEqual([]);
  });
});

describe("what must never run a command", () => {
  it("commands in quotes, code and HTML comments, and comments by bots: no request beyond the read", async () => {
    const env = await sepPr();
    for (const body of ["> /sponsor", "```\n/sponsor\n```", "<!-- /sponsor -->"]) {
      env.fake.resetRequests();
      const comment = await say(env, "tess-type", body);
      expect(reactions(comment)).toEqual([]);
      expect(env.fake.calls()).toEqual([]); // the webhook already says it is no command: not even a read
    }
    env.fake.resetRequests();
    env.fake.comment("other-app[bot]", "/sponsor");
    await settleInOrder(env.probot, env.fake);
    expect(env.fake.calls()).toEqual([]);
    expect(env.fake.pr.assignees).toEqual([]);
  });

  it("a MAINTAINERS.md or rules change on the PR's head grants nothing", async () => {
    const env = await sepPr({
      fake: {
        changes: {
          [PATH]: sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL, sponsor: "None (seeking sponsor)", authors: "Pieter Author (@pieter)" }),
          "MAINTAINERS.md": `${MAINTAINERS}\n## Core Maintainers\n\n- @mallory\n`,
          ".github/sep-bot.yml": "roles:\n  maintainer:\n    users: [mallory]\n",
        },
      },
    });
    await refused(env, "mallory", "/sponsor");
  });

  it("a command on a PR that touches no SEP is ignored silently", async () => {
    const fake = new GitHubFake({ base: base(), changes: { "docs/index.mdx": "# Docs\n" } }).install();
    const probot = await testProbot();
    const comment = await say({ fake, probot }, "lea-lead", "/accept");
    expect(reactions(comment)).toEqual([]);
    expect(fake.calls("write")).toEqual([]);
  });
});

describe("the first sep-bot hears of a pull request", () => {
  const awaitingSep = sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL, status: "Draft", sponsor: "None (seeking sponsor)", authors: "Pieter Author (@pieter)" });

  it("is a command, its first comment, delivered as the trigger: it runs", async () => {
    const fake = new GitHubFake({ base: base(), changes: { [PATH]: awaitingSep } }).install();
    const probot = await testProbot();
    const comment = await say({ fake, probot }, "tess-type", "/sponsor");
    expect(reactions(comment)).toEqual(["THUMBS_UP"]);
    expect(field(fake, "Sponsor")).toBe("@tess-type");
    expect(fake.pr.labels.sort()).toEqual(["SEP", "draft"]);
  });

  it("is the pull request being opened, a command already under it: it runs", async () => {
    // Opened an hour ago (its webhook delayed): sep-bot was there from the start, so nothing under it is history.
    const fake = new GitHubFake({ base: base(), changes: { [PATH]: awaitingSep }, createdAt: new Date(NOW.getTime() - 3_600_000).toISOString() }).install();
    const probot = await testProbot();
    const comment = fake.addComment("tess-type", "Happy to.\n/sponsor"); // its own webhook still on its way
    await deliver(probot, webhook(fake, { name: "pull_request", action: "opened", sender: "pieter" }));
    await settleInOrder(probot, fake);
    expect(reactions(fake.allComments.find((c) => c.id === comment.id)!)).toEqual(["THUMBS_UP"]);
    expect(field(fake, "Sponsor")).toBe("@tess-type");
  });

  it("an older comment's commands are history: not run, no reaction, no reply; the command that woke it runs", async () => {
    // Opened three days before sep-bot was installed (the app's clock is NOW), commented on then.
    const fake = new GitHubFake({ base: base(), changes: { [PATH]: awaitingSep }, createdAt: new Date(NOW.getTime() - 3 * 86_400_000).toISOString() }).install();
    const probot = await testProbot();
    const old = [fake.addComment("pieter", "/sponsor please"), fake.addComment("tess-type", "/review")];
    fake.clock = NOW.getTime() - 60_000;
    const comment = await say({ fake, probot }, "tess-type", "/sponsor");
    for (const c of old) expect(reactions(fake.allComments.find((x) => x.id === c.id)!)).toEqual([]);
    expect(replies(fake)).toEqual([]);
    expect(reactions(comment)).toEqual(["THUMBS_UP"]);
    expect(field(fake, "Status")).toBe("Draft"); // the old `/review` did not run
    expect(field(fake, "Sponsor")).toBe("@tess-type");
  });
});

describe("each command runs once", () => {
  it("the same comment delivered twice, and re-read by a later reconcile: one effect, one reaction", async () => {
    const env = await sepPr();
    const comment = env.fake.comment("tess-type", "/sponsor");
    const delivery = webhook(env.fake, env.fake.takeEvents()[0]!);
    await Promise.all([deliver(env.probot, delivery), deliver(env.probot, { ...delivery, id: "another-copy" })]);
    await settleInOrder(env.probot, env.fake);
    // A later event re-reads every comment.
    env.fake.editPullRequest("pieter", "New title");
    await settleInOrder(env.probot, env.fake);
    expect(env.fake.botCommits()).toHaveLength(1);
    expect(env.fake.requests.filter((r) => r.path.endsWith("/assignees"))).toHaveLength(1);
    expect(reactions(env.fake.allComments.find((c) => c.id === comment.id)!)).toEqual(["THUMBS_UP"]);
  });

  it("an edit that adds a command runs only that command", async () => {
    const env = await sepPr();
    const comment = await say(env, "tess-type", "/sponsor");
    expect(env.fake.botCommits()).toHaveLength(1);
    env.fake.editComment(comment.id, "/sponsor\n/review looks ready");
    await settleInOrder(env.probot, env.fake);
    expect(field(env.fake, "Status")).toBe("In-Review");
    expect(env.fake.botCommits()).toHaveLength(2);
    const log = visible(env.fake).split("<summary>What sep-bot did</summary>")[1]!;
    expect(log.match(/`\/sponsor` by/g)).toHaveLength(1);
    expect(log.match(/`\/review` by/g)).toHaveLength(1);
    expect(log).not.toMatch(/\(\/review by/); // the commit adds no second line for the same change
  });

  it("a comment someone else edited runs nothing they added: a writer turning a core maintainer's words into /accept", async () => {
    const env = await sepPr({ status: "In-Review", sponsor: TESS, assignees: ["tess-type"], label: "in-review" });
    const praise = await say(env, "lea-lead", "Nice work, I will read it properly next week.");
    const before = world(env.fake);
    env.fake.editComment(praise.id, "Nice work.\n\n/accept", "mallory");
    await settleInOrder(env.probot, env.fake);
    expect(world(env.fake)).toEqual(before);
    expect(replies(env.fake).at(-1)!.body).toContain("this comment was edited by @mallory, and a command runs with the authority of whoever wrote it");
  });

  it("a vote someone else edited is nobody's vote", async () => {
    const env = await sepPr({ status: "In-Review", sponsor: TESS, assignees: ["tess-type"], label: "in-review" });
    const vote = await say(env, "chen-core", "/vote no");
    expect(visible(env.fake)).toContain("0 yes, 1 no, 0 abstain");
    env.fake.editComment(vote.id, "/vote yes", "mallory");
    await settleInOrder(env.probot, env.fake);
    expect(visible(env.fake)).toContain("0 yes, 0 no, 0 abstain");
  });

  it("several commands in one comment run in order, in one commit", async () => {
    const env = await sepPr();
    const comment = await say(env, "tess-type", "Happy to sponsor this.\n/sponsor\n/review");
    expect(field(env.fake, "Sponsor")).toBe("@tess-type");
    expect(field(env.fake, "Status")).toBe("In-Review");
    expect(env.fake.botCommits()).toHaveLength(1);
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "in-review"]);
    expect(reactions(comment)).toEqual(["THUMBS_UP"]);
  });
});

describe("files the bot cannot simply rewrite", () => {
  it("a front-matter SEP gets the same edits in its YAML", async () => {
    const text = `---\ntitle: Streaming Widgets\nstatus: Draft\ntype: Standards Track\ncreated: 2026-01-15\nauthors:\n  - Pieter Author (@pieter)\nsponsor: None\npr: ${PR_URL}\n---\n\n# SEP-1933: Streaming Widgets\n\n${sepText().split("\n\n").slice(2).join("\n\n")}`;
    const env = await sepPr({ text });
    await say(env, "tess-type", "/sponsor\n/review");
    const file = env.fake.headFiles()[PATH]!;
    expect(file).toContain("\nstatus: In-Review\n");
    expect(file).toContain('\nsponsor: "@tess-type"\n');
    expect(file.replace("status: In-Review", "status: Draft").replace('sponsor: "@tess-type"', "sponsor: None")).toBe(text);
  });

  it("a fork the bot cannot push to: labels and assignees change, the reply gives the exact lines; the check then says the file is behind", async () => {
    const env = await sepPr({ fake: { headRepo: { owner: "pieter", name: "modelcontextprotocol", ownerType: "User" }, maintainerCanModify: false } });
    const comment = await say(env, "tess-type", "/sponsor");
    expect(env.fake.botCommits()).toEqual([]);
    expect(env.fake.pr.assignees).toEqual(["tess-type"]);
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "draft"]);
    expect(reactions(comment)).toEqual(["THUMBS_UP"]);
    const reply = replies(env.fake).at(-1)!.body;
    expect(reply).toContain("sep-bot cannot push to this branch (the fork does not allow edits by maintainers). @pieter, please set these lines in `seps/1933-streaming-widgets.md`:");
    expect(reply).toContain("- **Sponsor**: @tess-type");

    // The next event: the labels keep the approved state, and the check says which lines are behind, without blame.
    env.fake.editPullRequest("pieter", "A new title");
    await settleInOrder(env.probot, env.fake);
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "draft"]);
    expect(env.fake.latestCheck()!.summary).toContain("status-update-pending");
    expect(env.fake.latestCheck()!.summary).toContain("@tess-type moved this SEP to Draft (`/sponsor`), but the file does not say so yet: sep-bot could not write it. Set `- **Sponsor**: @tess-type`");
    expect(env.fake.latestCheck()!.summary).not.toContain("status-change-unauthorised");

    // The author sets the line: everything agrees, the finding goes.
    env.fake.push({ [PATH]: env.fake.headFiles()[PATH]!.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: @tess-type") });
    await settleInOrder(env.probot, env.fake);
    expect(env.fake.latestCheck()!.summary).not.toContain("status-update-pending");
    expect(env.fake.pr.labels.sort()).toEqual(["SEP", "draft"]);
  });
});

describe("aliases from the repository's rules", () => {
  it("`commandAliases: { lgtm: accept }` on the default branch: /lgtm accepts, with the same authority", async () => {
    const env = await sepPr({ status: "In-Review", sponsor: TESS, assignees: ["tess-type"], label: "in-review", fake: { base: base({ ".github/sep-bot.yml": "commandAliases:\n  lgtm: accept\n" }) } });
    expect(await refused(env, "tess-type", "/lgtm")).toContain("can use `/accept`");
    await say(env, "chen-core", "/lgtm");
    expect(field(env.fake, "Status")).toBe("Accepted");
  });
});
