import { describe, expect, it } from "vitest";
import { readSite } from "../../../src/github/site.js";
import { sweep } from "../../../src/github/sweep.js";
import { siteData } from "../../../src/reports/site/build.js";
import type { SiteData, SiteSep } from "../../../src/reports/site/model.js";
import { renderIndex } from "../../../src/reports/site/render.js";
import { BOT, OWNER, REPO, type GitHubFake } from "../../helpers/github-fake/index.js";
import { INSTALL, installDaySiteRepository } from "../../helpers/install-day.js";
import { testOctokit, useNock } from "../../helpers/octokit.js";

/**
 * The site on install day, on a repository shaped like the specification
 * repository (test/helpers/install-day.ts): merged SEPs, open pull requests
 * sep-bot has no record of, co-authors, two sponsors, a table preamble with a
 * Title field, a FAQ companion, a pull request that also edits an older SEP.
 * Every row is right before any sweep (as its file says, marked not checked),
 * and after a first sweep that the write budget stops: the rows it checked are
 * marked so and say the same; the others stay as their files say.
 */

useNock();
const quiet = { info() {}, warn() {} };

async function site(fake: GitHubFake): Promise<SiteData> {
  fake.clock = INSTALL.getTime();
  const { source } = await readSite(testOctokit(), OWNER, REPO, INSTALL);
  return siteData(source, INSTALL);
}

const who = (people: SiteSep["authors"]) => people.map((p) => p.login ?? `"${p.name}"`).join(",");
/** A row in one line: number, status, title, type, authors, sponsors, whose move, the dated acts coming. */
const line = (s: SiteSep) =>
  [s.number, s.status, s.title, s.type, who(s.authors), who(s.sponsors), s.next ? `${s.next.whose}:${s.next.logins.join(",")}` : "-", s.deadlines.filter((d) => d.kind !== "reminder").map((d) => `${d.date} ${d.kind}`).join(" ")].join(" | ");

const CORE = "000-000-000-000-000,bhosmer-ant,dsp-ant,ihrpr,jspahrsummers,localden,nicknotfun,pcarleton,pwwpche";
const ROWS = [
  "932 | final | Model Context Protocol Governance | process | \"David Soria Parra\" |  | - | ",
  "1850 | final | PR-Based SEP Workflow | process | nickcoai,davidsp | dsp-ant | - | ",
  "2100 | accepted | Streaming Widgets | standards-track | ana-author | pcarleton | - | ",
  "2322 | final | Multi Round-Trip Requests | standards-track | markdroth,CaitieM20,gjz22 | CaitieM20 | - | ",
  "2401 | proposal | Fresh Idea | standards-track | pat-author |  | maintainers: | 2027-05-15 warning 2027-05-29 dormancy",
  "2402 | proposal | Resource Hints | standards-track | ana-author |  | maintainers: | 2027-04-26 warning 2027-05-10 dormancy",
  "2403 | proposal | Tool Groups | standards-track | bo-author |  | maintainers: | 2027-02-05 warning 2027-02-19 dormancy",
  // Past their deadline: the first sweep warns them with a date, 14 days out.
  "2404 | proposal | Batch Calls | standards-track | cy-author |  | maintainers: | 2026-12-15 dormancy",
  "2405 | proposal | Server Cards | standards-track | di-author |  | maintainers: | 2026-12-15 dormancy",
  "2406 | proposal | Push Hints | standards-track | ed-author |  | maintainers: | 2026-12-15 dormancy",
  "2407 | draft | Extensions Framework | standards-track | dsp-ant,pat-author | dsp-ant | sponsor:dsp-ant | ",
  // A Sponsor written as a name, and one with a typo in the handle: the maintainers meant.
  "2408 | draft | Token Exchange | standards-track | fay-author | D-McAdams | sponsor:D-McAdams | ",
  "2409 | draft | Auth Hints | standards-track | gil-author | pcarleton | sponsor:pcarleton | ",
  `2410 | in-review | Streaming Widgets | standards-track | hal-author | localden | core-maintainers:${CORE} | `,
  "2411 | draft | Elicitation Forms | standards-track | ida-author | ihrpr | sponsor:ihrpr | ",
  // A maintainer assigned, no Sponsor line yet: theirs to sponsor (the first check takes them; no dormancy clock).
  "2412 | proposal | Progress Tokens | standards-track | jo-author | felixweinberger | sponsor:felixweinberger | ",
  // The table preamble's Title field; no heading, which the check will report.
  "2433 | proposal | Transfer Descriptors: Out-of-Band Data Transfer Negotiation | standards-track | bhanquier |  | author:bhanquier | 2027-03-07 warning 2027-03-21 dormancy",
  "2663 | final | Tasks Extension | extensions-track | LucaButBoring,CaitieM20 | CaitieM20 | - | ",
  // Three authors (one a name only) and two sponsors; the FAQ beside it is a companion, not the SEP.
  "3182 | draft | Request Idempotency | standards-track | kay-author,Lee-Coauthor,\"Mo Writer\" | pcarleton,localden | sponsor:pcarleton,localden | ",
  // Its own new file, not the older SEP it also edits; its title's markdown read.
  "3200 | proposal | Resource Hints for resources/read and _meta | standards-track | ana-author |  | maintainers: | 2027-05-11 warning 2027-05-25 dormancy",
];

describe("the site on install day", () => {
  it("before any sweep: every row as its file says, marked not checked; after a first sweep the budget stops, the same rows, those it checked marked so", async () => {
    const { fake } = installDaySiteRepository({ maxWrites: 15 });
    fake.install();
    const before = await site(fake);
    expect(before.seps.map(line)).toEqual(ROWS);
    const open = before.seps.filter((s) => s.pullRequest?.open);
    expect(open.map((s) => s.checked)).toEqual(open.map(() => false));
    expect(before.seps.find((s) => s.number === 3182)!.file.path).toBe("seps/3182-request-idempotency.md");
    expect(before.seps.find((s) => s.number === 3200)!.file.path).toBe("seps/3200-resource-hints-v2.md");
    expect(before.seps.find((s) => s.number === 2100)!.pullRequest).toMatchObject({ number: 2100, open: false });
    // Waiting on: each sponsor's own list, co-authors included, found by search.
    const person = (login: string) => before.waitingOn.people.find((p) => p.login === login)!;
    expect(person("pcarleton").next.filter((n) => n.kind === "sponsor").map((n) => n.sep)).toEqual([2409, 3182]);
    expect(person("localden").sponsoring).toEqual([2410, 3182]);
    expect(person("Lee-Coauthor")).toMatchObject({ authored: [3182], roles: ["author"] });
    expect(renderIndex(before)).toMatch(/<tr id="sep-3182"[^>]*data-text="[^"]*lee-coauthor[^"]*mo writer/);
    // The dated acts coming, for the core maintainers' planning: what the first sweep will date.
    expect(before.deadlines.filter((d) => d.kind === "dormancy").map((d) => `${d.sep} ${d.date}`)).toEqual(["2404 2026-12-15", "2405 2026-12-15", "2406 2026-12-15"]);

    const first = await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => INSTALL, log: quiet });
    expect(first.stoppedBy).toBe("budget");
    expect(first.done.length).toBeGreaterThan(0);
    const after = await site(fake);
    const checked = new Set(first.done.map((d) => d.number));
    expect(after.seps.filter((s) => s.checked).map((s) => s.number).sort()).toEqual([...checked].sort());
    expect(after.seps.filter((s) => s.checked === false).length).toBe(open.length - checked.size);
    expect(after.seps.map(line)).toEqual(ROWS);
  });

  it("what the first sweep checks is what the rows said: a full sweep leaves every title, type, author, sponsor and dated act as shown before it", async () => {
    const { fake } = installDaySiteRepository();
    fake.install();
    const before = await site(fake);
    const full = await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => INSTALL, log: quiet });
    expect(full.failed).toEqual([]);
    expect(full.stopped).toBeNull();
    const after = await site(fake);
    expect(after.seps.every((s) => s.checked !== false)).toBe(true);
    const facts = (s: SiteSep) => [s.number, s.title, s.type, who(s.authors), who(s.sponsors), s.deadlines.filter((d) => d.kind === "dormancy").map((d) => d.date).join()].join(" | ");
    expect(after.seps.map(facts)).toEqual(before.seps.map(facts));
    // The check read the SEP and left its companion alone: one SEP, checked, and the FAQ where it was.
    const pr3182 = fake.pull(3182);
    expect(fake.latestCheck(pr3182.headSha)!.conclusion).toBe("success");
    expect(Object.keys(fake.headFiles(3182)).filter((p) => p.startsWith("seps/3182-"))).toEqual(["seps/3182-request-idempotency-faq.md", "seps/3182-request-idempotency.md"].sort());
    // 2412: the maintainer assigned became its sponsor, as the row said before.
    expect(after.seps.find((s) => s.number === 2412)).toMatchObject({ status: "draft", next: { whose: "sponsor", logins: ["felixweinberger"] } });
    // SEP-2433's title, where the status comment says it too.
    const comment = fake.commentsOn(2433).find((c) => c.author === BOT)!;
    expect(comment.body).toContain("Transfer Descriptors: Out-of-Band Data Transfer Negotiation");
    expect(comment.body).not.toContain("(no title)");
  });
});
