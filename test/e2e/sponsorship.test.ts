import { readFileSync } from "node:fs";
import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { readState, STATUS_MARKER } from "../../src/governance/model/record.js";
import { parseSep } from "../../src/sep/parse.js";
import { BOT, defaultBase, deliver, GitHubFake, PR_URL, settle, testProbot, webhook, type FakeEvent, type Files } from "../helpers/github-fake/index.js";
import { useNock } from "../helpers/octokit.js";
import { rules, sepText } from "../helpers/sep.js";

/**
 * Sponsorship as people really do it, through the real app against the
 * stateful fake, each path in both orders and with its deliveries arriving
 * at once, twice:
 * - a maintainer assigns themselves (or another maintainer assigns them) to a
 *   SEP awaiting a sponsor: they sponsor it, and sep-bot writes the line;
 * - the guidelines' manual flow: the Sponsor line names the maintainer (by
 *   handle, or by name as MAINTAINERS.md writes it) and they are assigned;
 * - a maintainer sponsors the SEP they co-authored.
 * None of them is ever "an unauthorised status change".
 *
 * People (test/fixtures/maintainers/MAINTAINERS.md): maintainers tess-type
 * ("Tess Type") and ivo-ig, core maintainer lea-lead; pieter is the author;
 * mallory is someone with triage rights but no role.
 */

useNock();

const MAINTAINERS = readFileSync(new URL("../fixtures/maintainers/MAINTAINERS.md", import.meta.url), "utf8");
const PATH = "seps/1933-streaming-widgets.md";

function awaiting(o: { sponsor?: string; authors?: string; author?: string; config?: string } = {}): GitHubFake {
  const text = sepText({ heading: "# SEP-1933: Streaming Widgets", pr: PR_URL, status: "Draft", sponsor: o.sponsor ?? "None (seeking sponsor)", authors: o.authors ?? "Pieter Author (@pieter)" });
  const base: Files = { ...defaultBase(), "MAINTAINERS.md": MAINTAINERS, ...(o.config ? { ".github/sep-bot.yml": o.config } : {}) };
  const fake = new GitHubFake({ base, changes: { [PATH]: text }, author: o.author ?? "pieter" }).install();
  fake.latency = { read: 3, write: 6 };
  return fake;
}

/** The PR opened and reconciled (awaiting a sponsor, status comment there), requests forgotten. */
async function opened(fake: GitHubFake): Promise<Probot> {
  const probot = await testProbot();
  await deliver(probot, webhook(fake, { name: "pull_request", action: "opened", sender: fake.pr.author }));
  await settle([probot], fake);
  expect(fake.pr.labels.sort()).toEqual(["SEP", "proposal"]);
  fake.resetRequests();
  return probot;
}

/** What people did, delivered all at once, each twice, in the given order; then whatever the bot's writes cause. */
async function deliverTogether(probot: Probot, fake: GitHubFake, order: (events: FakeEvent[]) => FakeEvent[]): Promise<void> {
  const events = order(fake.takeEvents());
  await Promise.all(events.flatMap((event) => [deliver(probot, webhook(fake, event)), deliver(probot, webhook(fake, event))]));
  await settle([probot], fake, 2);
}

const asIs = (e: FakeEvent[]) => e;
const reversed = (e: FakeEvent[]) => [...e].reverse();
const sponsorLine = (fake: GitHubFake) => parseSep(fake.headFiles()[PATH]!, PATH, { rules }).fields.find((f) => f.id === "sponsor")?.value;
const check = (fake: GitHubFake) => fake.latestCheck()!;
const memory = (fake: GitHubFake) => readState(fake.botComments().find((c) => c.body.includes(STATUS_MARKER))!.body);

function expectSponsored(fake: GitHubFake, login: string) {
  expect(fake.pr.labels.sort()).toEqual(["SEP", "draft"]);
  expect(check(fake).summary).not.toContain("status-change-unauthorised");
  expect(check(fake).conclusion).toBe("success");
  expect(memory(fake).sep?.sponsor).toBe(login);
  expect(memory(fake).sep?.state).toBe("draft");
  expect(fake.botComments().filter((c) => c.body.includes(STATUS_MARKER))).toHaveLength(1);
}

describe("a maintainer assigned to a SEP awaiting a sponsor sponsors it", () => {
  for (const [name, order] of [["as delivered", asIs], ["reversed", reversed]] as const) {
    it(`assigning themselves: labels move to draft and sep-bot writes \`Sponsor: Name (@login)\` (${name}, every delivery twice)`, async () => {
      const fake = awaiting();
      const probot = await opened(fake);
      fake.assign("tess-type", "tess-type");
      fake.editPullRequest("pieter", "SEP-1933: Streaming Widgets"); // another event in the same burst
      await deliverTogether(probot, fake, order);
      expectSponsored(fake, "tess-type");
      expect(sponsorLine(fake)).toBe("Tess Type (@tess-type)");
      expect(fake.botCommits()).toHaveLength(1);
      expect(fake.calls("write").filter((w) => w.includes("/comments") && w.startsWith("POST"))).toEqual([]); // no new comment: the status comment is edited
      expect(memory(fake).log.map((e) => e.what)).toContainEqual("@tess-type sponsors this SEP (assigned themselves); status Draft");
    });
  }

  it("assigned by another maintainer: the one assigned sponsors it", async () => {
    const fake = awaiting();
    const probot = await opened(fake);
    fake.assign("ivo-ig", "lea-lead");
    await deliverTogether(probot, fake, asIs);
    expectSponsored(fake, "ivo-ig");
    expect(sponsorLine(fake)).toBe("Ivo Interest (@ivo-ig)"); // the name MAINTAINERS.md gives
    expect(memory(fake).log.map((e) => e.what)).toContainEqual("@ivo-ig sponsors this SEP (assigned by @lea-lead); status Draft");
  });

  it("assigned by someone who holds no role, or when the rules switch it off: no sponsorship", async () => {
    const byNobody = awaiting();
    const probot = await opened(byNobody);
    byNobody.assign("tess-type", "mallory");
    await deliverTogether(probot, byNobody, asIs);
    expect(byNobody.pr.labels.sort()).toEqual(["SEP", "proposal"]);
    expect(byNobody.botCommits()).toEqual([]);

    const off = awaiting({ config: "sponsorship:\n  byAssignment: false\n" });
    const offProbot = await opened(off);
    off.assign("tess-type", "tess-type");
    await deliverTogether(offProbot, off, asIs);
    expect(off.pr.labels.sort()).toEqual(["SEP", "proposal"]);
    expect(off.botCommits()).toEqual([]);
  });

  it("a maintainer who co-authored the SEP, and opened its PR, sponsors it by assigning themselves", async () => {
    const fake = awaiting({ author: "tess-type", authors: "Tess Type (@tess-type), Pieter Author (@pieter)" });
    const probot = await opened(fake);
    fake.assign("tess-type", "tess-type");
    await deliverTogether(probot, fake, asIs);
    expectSponsored(fake, "tess-type");
  });
});

describe("the guidelines' manual flow: the Sponsor line, and the sponsor assigned, in either order", () => {
  for (const [name, order] of [["line first", asIs], ["assignment first", reversed]] as const) {
    it(`named in the file by the maintainer's push, Status left at Draft, self-assigned: sponsored, nothing refused (${name}, one burst)`, async () => {
      // With sponsorship by assignment off, the manual flow alone must carry it.
      const fake = awaiting({ config: "sponsorship:\n  byAssignment: false\n" });
      const probot = await opened(fake);
      fake.push({ [PATH]: fake.headFiles()[PATH]!.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Tess Type (@tess-type)") }, "tess-type");
      fake.assign("tess-type", "tess-type");
      await deliverTogether(probot, fake, order);
      expectSponsored(fake, "tess-type");
      expect(fake.botCommits()).toEqual([]); // the file already says it
      // Credited to the sponsor, by their push or by being named and assigned, whichever GitHub showed first.
      expect(memory(fake).log.map((e) => e.what).join("\n")).toMatch(/(@tess-type sponsors this SEP \(named as its Sponsor and assigned\)|status set to Draft in the file by @tess-type); labels follow|status Draft/);
    });
  }

  it("one step per delivery, assignment then line: the same end", async () => {
    const fake = awaiting({ config: "sponsorship:\n  byAssignment: false\n" });
    const probot = await opened(fake);
    fake.assign("tess-type", "tess-type");
    await deliverTogether(probot, fake, asIs);
    expect(fake.pr.labels.sort()).toEqual(["SEP", "proposal"]); // assigned, not yet named
    fake.push({ [PATH]: fake.headFiles()[PATH]!.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: @tess-type") }, "tess-type");
    await deliverTogether(probot, fake, asIs);
    expectSponsored(fake, "tess-type");
  });

  it("one step per delivery, line then assignment: the same end, and the line alone changes nothing", async () => {
    const fake = awaiting({ config: "sponsorship:\n  byAssignment: false\n" });
    const probot = await opened(fake);
    fake.push({ [PATH]: fake.headFiles()[PATH]!.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Tess Type (@tess-type)") }, "tess-type");
    await deliverTogether(probot, fake, asIs);
    // Named, not yet assigned: still awaiting a sponsor, and nothing refused.
    expect(fake.pr.labels.sort()).toEqual(["SEP", "proposal"]);
    expect(check(fake).summary).not.toContain("status-change-unauthorised");
    expect(check(fake).conclusion).toBe("success");
    fake.assign("tess-type", "tess-type");
    await deliverTogether(probot, fake, asIs);
    expectSponsored(fake, "tess-type");
    expect(fake.botCommits()).toEqual([]); // the file already says it
    expect(memory(fake).log.map((e) => e.what)).toContainEqual("@tess-type sponsors this SEP (named as its Sponsor and assigned); status Draft");
  });

  for (const [name, order] of [["as delivered", asIs], ["reversed", reversed]] as const) {
    it(`the sponsor's push sets Status to Draft and the Sponsor line together, and they assign themselves: sponsored (${name})`, async () => {
      // The author wrote `Status: Proposal` while seeking a sponsor.
      const fake = awaiting({ config: "sponsorship:\n  byAssignment: false\n" });
      fake.push({ [PATH]: fake.headFiles()[PATH]!.replace("- **Status**: Draft", "- **Status**: Proposal") }, "pieter");
      fake.takeEvents();
      const probot = await opened(fake);
      fake.push({ [PATH]: fake.headFiles()[PATH]!.replace("- **Status**: Proposal", "- **Status**: Draft").replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Tess Type (@tess-type)") }, "tess-type");
      fake.assign("tess-type", "tess-type");
      await deliverTogether(probot, fake, order);
      expectSponsored(fake, "tess-type");
      expect(fake.botCommits()).toEqual([]);
      expect(sponsorLine(fake)).toBe("Tess Type (@tess-type)");
    });
  }

  it("the author names the sponsor by name only; the maintainer assigns themselves: sponsored, and the finding offers the handle", async () => {
    const fake = awaiting({ config: "sponsorship:\n  byAssignment: false\n" });
    const probot = await opened(fake);
    fake.push({ [PATH]: fake.headFiles()[PATH]!.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Tess Type") }, "pieter");
    fake.assign("tess-type", "tess-type");
    await deliverTogether(probot, fake, reversed);
    expect(fake.pr.labels.sort()).toEqual(["SEP", "draft"]);
    expect(check(fake).summary).not.toContain("status-change-unauthorised");
    expect(check(fake).summary).toContain("The Sponsor Tess Type is the maintainer `tess-type`. Write `Tess Type (@tess-type)`");
  });

  it("a typo in the handle: the maintainer meant is named without an @mention, and sponsors once assigned", async () => {
    const fake = awaiting({ config: "sponsorship:\n  byAssignment: false\n" });
    const probot = await opened(fake);
    fake.push({ [PATH]: fake.headFiles()[PATH]!.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: @tess-typ") }, "pieter");
    await deliverTogether(probot, fake, asIs);
    expect(check(fake).summary).toContain("did you mean `tess-type`?");
    const everything = fake.botComments().map((c) => c.body).join("\n") + check(fake).summary;
    expect(everything).not.toMatch(/@tess-typ\b/);
    fake.assign("tess-type", "tess-type");
    await deliverTogether(probot, fake, asIs);
    expect(fake.pr.labels.sort()).toEqual(["SEP", "draft"]);
  });

  it("the author naming a maintainer who is not assigned sponsors nothing", async () => {
    const fake = awaiting();
    const probot = await opened(fake);
    fake.push({ [PATH]: fake.headFiles()[PATH]!.replace("- **Sponsor**: None (seeking sponsor)", "- **Sponsor**: Tess Type (@tess-type)") }, "pieter");
    await deliverTogether(probot, fake, asIs);
    expect(fake.pr.labels.sort()).toEqual(["SEP", "proposal"]);
    expect(check(fake).summary).not.toContain("status-change-unauthorised");
    const status = fake.botComments().find((c) => c.body.includes(STATUS_MARKER))!.body;
    expect(status).toContain("none yet (the file names `tess-type`; the maintainer `tess-type` sponsors it once assigned)");
    expect(fake.botComments().every((c) => c.author === BOT)).toBe(true);
  });
});
