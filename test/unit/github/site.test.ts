import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSite, readSite, writeSite } from "../../../src/github/site.js";
import { readSweep } from "../../../src/github/read/sweep.js";
import { main, type Io } from "../../../src/run/cli.js";
import { siteCommand } from "../../../src/run/cli/site.js";
import { OWNER, REPO, serverError, testLog } from "../../helpers/github-fake/index.js";
import { testOctokit, useNock } from "../../helpers/octokit.js";
import { HOSTILE_TITLE, SITE_NOW, siteRepository } from "../reports/site/scenario.js";

/**
 * `sep-bot site` against the stateful fake: the same bulk read as the sweep
 * plus one request, whatever the number of SEPs; the files written; and the
 * command's exits.
 */

useNock();

function io(): Io & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return { out: (s: string) => void (out += s), err: (s: string) => void (err += s), stdout: () => out, stderr: () => err };
}

const connect = async () => ({ octokit: testOctokit(), log: testLog() });
const scratch = () => mkdtempSync(join(tmpdir(), "sep-site-"));

describe("the site's read", () => {
  it("costs the sweep's bulk read, a request for the pull requests' SEP files and one request more, and writes nothing", async () => {
    const fake = await siteRepository();
    await readSweep(testOctokit(), OWNER, REPO, SITE_NOW);
    const sweepCalls = fake.calls();
    expect(sweepCalls.length).toBeGreaterThan(0);
    fake.resetRequests();
    const { source } = await readSite(testOctokit(), OWNER, REPO, SITE_NOW);
    // The pull requests' SEP files at their heads, 50 a request (ten pull requests here: one), after the pages.
    expect(fake.calls()).toEqual([...sweepCalls, "POST /graphql SepPullFiles", "POST /graphql SepSiteFiles"]);
    expect(fake.calls("write")).toEqual([]);
    // The extra request brought the files on the default branch and the votes of the SEPs in review.
    expect(source.files.map((f) => f.path).sort()).toEqual(["seps/1850-pr-based-sep-workflow.md", "seps/2100-streaming-widgets.md", "seps/2200-quoted-names.md", "seps/2322-MRTR.md", "seps/932-model-context-protocol-governance.md"]);
    expect(source.discussions.map((d) => [d.number, d.comments.map((c) => `${c.author}: ${c.body.split("\n").at(-1)}`)])).toEqual([
      [2003, ["grace: /vote yes"]],
      [2007, ["grace: /vote no not yet", "max: /vote yes"]],
    ]);
  });

  it("every SEP once, merged or open, each in the state GitHub shows", async () => {
    await siteRepository();
    const { data } = await buildSite(testOctokit(), OWNER, REPO, { now: () => SITE_NOW });
    expect(data.seps.map((s) => [s.number, s.status, s.pullRequest && `${s.pullRequest.number}${s.pullRequest.open ? " open" : ""}`])).toEqual([
      [932, "final", "931"],
      [1850, "final", "1850"],
      [1933, "proposal", "1933 open"],
      [1990, "proposal", "1990 open"],
      [2001, "proposal", "2001 open"],
      [2002, "draft", "2002 open"],
      [2003, "in-review", "2003 open"],
      [2004, "accepted", "2004 open"],
      [2005, "draft", "2005 open"],
      [2006, "proposal", "2006 open"],
      [2007, "in-review", "2007 open"],
      // Merged as Accepted; its open pull request #2400 moves it to Final: once, as the pull request says.
      [2100, "final", "2400 open"],
      [2200, "withdrawn", "2200"],
      [2322, "final", "2322"],
    ]);
    expect(data.seps.find((s) => s.number === 2001)!.title).toBe(HOSTILE_TITLE);
    expect(data.agenda).toEqual([2003, 2007]);
    expect(data.seps.find((s) => s.number === 2003)!.votes).toEqual({ yes: 1, no: 0, abstain: 0, cast: [{ login: "grace", vote: "yes" }], notVoted: ["max"] });
    expect(data.seps.find((s) => s.number === 2007)!.next).toMatchObject({ whose: "core-maintainers", logins: [] });
    // The SEP near dormancy: its warning and its dormancy within 30 days, dated.
    expect(data.deadlines.filter((d) => d.sep === 1990).map((d) => d.kind)).toEqual(["warning", "dormancy"]);
  });
});

describe("sep-bot site", () => {
  it("writes index.html, seps.json, feed.xml, site.css, site.js and the status and people pages, and says what it read", async () => {
    await siteRepository();
    const out = scratch();
    try {
      const run = io();
      expect(await siteCommand(["--repo", `${OWNER}/${REPO}`, "--out", join(out, "site")], run, {}, connect, () => SITE_NOW)).toBe(0);
      expect(readdirSync(join(out, "site")).sort()).toEqual(["feed.xml", "index.html", "people", "seps.json", "site.css", "site.js", "status"]);
      expect(readdirSync(join(out, "site", "status")).sort()).toEqual(["accepted.html", "draft.html", "final.html", "in-review.html", "proposal.html", "withdrawn.html"]);
      expect(readdirSync(join(out, "site", "people"))).toContain("max.html");
      expect(JSON.parse(readFileSync(join(out, "site", "seps.json"), "utf8"))).toMatchObject({ version: 2, generatedAt: SITE_NOW.toISOString() });
      expect(readFileSync(join(out, "site", "index.html"), "utf8")).toMatch(/^<!doctype html>/);
      expect(run.stdout()).toMatch(new RegExp(`^${OWNER}/${REPO}: 14 SEPs \\(10 in open pull requests\\), 2 in review, \\d+ deadlines in the next 30 days; wrote index.html, seps.json, feed.xml, site.css, site.js and \\d+ view pages \\(status/, people/\\) to .+ \\(\\d+ requests\\)\\.\\n$`));
      expect(run.stderr()).toBe("");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("a usage error exits 2; GitHub failing exits 1 with one line; nothing is written then", async () => {
    const missingOut = io();
    expect(await main(["site", "--repo", "o/r"], missingOut)).toBe(2);
    expect(missingOut.stderr()).toBe("sep-bot: --out DIR is needed: where to write the site\n");
    const badRepo = io();
    expect(await main(["site", "--repo", "not a repo", "--out", "x"], badRepo)).toBe(2);
    expect(badRepo.stderr()).toMatch(/--repo must be owner\/name/);
    const help = io();
    expect(await main(["site", "--help"], help)).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: sep-bot site --repo owner\/name --out DIR/);

    const fake = await siteRepository();
    fake.inject({ path: "/graphql", operation: "SepSiteFiles", reply: serverError() });
    const out = scratch();
    try {
      const run = io();
      expect(await siteCommand(["--repo", `${OWNER}/${REPO}`, "--out", join(out, "site")], run, {}, connect, () => SITE_NOW)).toBe(1);
      expect(run.stderr()).toMatch(/^sep-bot: site failed: [^\n]+\n$/);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("writes each file whole: a directory read meanwhile sees the old file or the new one", async () => {
    const out = scratch();
    try {
      await writeSite(out, new Map([["index.html", { type: "text/html", body: "old" }]]));
      await writeSite(out, new Map([["index.html", { type: "text/html", body: "new" }]]));
      expect(readdirSync(out)).toEqual(["index.html"]);
      expect(readFileSync(join(out, "index.html"), "utf8")).toBe("new");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
