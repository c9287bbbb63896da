import { describe, expect, it } from "vitest";
import { readPingMarker, readState, STATUS_MARKER } from "../../../src/governance/model/record.js";
import { parseSep } from "../../../src/sep/parse.js";
import { sweep, type SweepReport } from "../../../src/github/sweep.js";
import { mentionsIn } from "../../../src/reports/sweep/preview.js";
import { BOT, defaultBase, GitHubFake, OWNER, REPO } from "../../helpers/github-fake/index.js";
import { DAY, INSTALL, installDayRepository, MCP_MAINTAINERS, WORKFLOW_BOT, type InstallPull } from "../../helpers/install-day.js";
import { testOctokit, useNock } from "../../helpers/octokit.js";
import { rules, sepText } from "../../helpers/sep.js";

/**
 * Install day on a repository shaped like the real one (test/helpers/install-day.ts):
 * the first sweep meets every open SEP pull request and closes nothing; it
 * warns, with a date, the SEPs already past their deadline; it takes the
 * labels the previous automation left as they are; it recognises sponsors as
 * people write them and @mentions nobody who is not there. Two weeks later a
 * sweep closes exactly what it warned; a third sweep writes nothing.
 */

useNock();

const quiet = { info() {}, warn() {} };
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function sweepAt(fake: GitHubFake, now: Date): Promise<SweepReport> {
  fake.clock = Math.max(fake.clock, now.getTime());
  return sweep(testOctokit(), fake.owner, fake.repo, { dryRun: false, now: () => now, log: quiet });
}

const statusComment = (fake: GitHubFake, n: number) => fake.commentsOn(n).find((c) => c.author === BOT && c.body.includes(STATUS_MARKER))!;
const checkOf = (fake: GitHubFake, n: number) => fake.latestCheck(fake.pull(n).headSha)!;
const by = (pulls: InstallPull[], n: number) => pulls.find((p) => p.number === n)!;
const sepAt = (fake: GitHubFake, n: number) => {
  const [path, text] = Object.entries(fake.headFiles(n)).find(([p]) => p.startsWith("seps/") && !/README|TEMPLATE|1850-/.test(p) && (p.includes(`/${n}-`) || n === 2401))!;
  return parseSep(text, path, { rules });
};

describe("install day on a repository with a backlog", () => {
  it("first sweep: everything met, nothing closed, late SEPs warned with a date, nothing judged, nobody unknown mentioned; two weeks later only the warned close; then nothing", async () => {
    const { fake, pulls } = installDayRepository();
    fake.install();
    const participants = new Set([
      ...pulls.flatMap((p) => [p.author, ...p.assignees, ...p.labels.map((l) => l.by)]),
      ...[...MCP_MAINTAINERS.matchAll(/github\.com\/([A-Za-z0-9-]+)/g)].map((m) => m[1]!),
    ].map((l) => l.toLowerCase()));

    const first = await sweepAt(fake, INSTALL);
    expect(first.failed).toEqual([]);
    expect(first.stopped).toBeNull();
    expect(first.due.map((d) => d.number).sort()).toEqual(pulls.map((p) => p.number).sort());

    for (const p of pulls) {
      const n = p.number;
      const context = `#${n} (${p.what})`;
      const pr = fake.pull(n);
      // Met: a check on its head, its labels, one status comment.
      expect(pr.state, context).toBe("open");
      expect(pr.labels, context).toContain("SEP");
      expect(pr.labels, context).not.toContain("dormant");
      expect(checkOf(fake, n), context).toBeDefined();
      expect(checkOf(fake, n).summary, context).not.toContain("status-change-unauthorised");
      expect(checkOf(fake, n).summary, context).not.toContain("file-encoding");
      // At most one comment that @mentions anyone: the status comment carries any reminder.
      const comments = fake.commentsOn(n).filter((c) => c.author === BOT);
      expect(comments.filter((c) => mentionsIn(c.body).length > 0).length, context).toBeLessThanOrEqual(1);
      expect(comments, context).toHaveLength(1);
      // Nobody is @mentioned who is not taking part.
      for (const login of comments.flatMap((c) => mentionsIn(c.body))) expect(participants.has(login), `${context}: @${login}`).toBe(true);
      expect(fake.botCommits(n).every((c) => !c.message.includes("Dormant")), context).toBe(true);
    }

    // Already past the warning's day (166) unwarned: warned now, dormancy in 14 days, said in the deadlines.
    const actOn = iso(INSTALL.getTime() + 14 * DAY);
    for (const n of [2404, 2405, 2406]) {
      const body = statusComment(fake, n).body;
      expect(body, `#${n}`).toContain(`becomes dormant on ${actOn}, in 14 days`);
      // The deadline says why it is later than day 180, kindly.
      expect(body, `#${n}`).toContain(`- ${actOn}: becomes dormant unless a sponsor is found (sep-bot first met this SEP past its deadline, so it gives 14 days' notice).`);
      expect(body, `#${n}`).toContain(`@${by(pulls, n).author}`);
    }
    // Younger SEPs awaiting a sponsor get their due reminder, in the same one comment.
    expect(statusComment(fake, 2402).body).toContain("this SEP has waited 20 days for a sponsor");
    expect(statusComment(fake, 2403).body).toContain("still has no sponsor after 100 days");

    // The new SEP is numbered after its pull request.
    expect(Object.keys(fake.headFiles(2401))).toContain("seps/2401-fresh-idea.md");
    // A lead maintainer sponsoring their own SEP; a Sponsor written as a name; a typo: all sponsored, labels kept.
    for (const n of [2407, 2408, 2409]) {
      expect(fake.pull(n).labels.sort(), `#${n}`).toEqual(["SEP", "draft"]);
      expect(statusComment(fake, n).body, `#${n}`).not.toContain("dormant");
    }
    expect(readState(statusComment(fake, 2408).body).sep?.sponsor).toBe("D-McAdams");
    expect(checkOf(fake, 2408).summary).toContain("Write `Darin McAdams (@D-McAdams)`");
    expect(checkOf(fake, 2409).summary).toContain("`pcarlton` is not a maintainer's handle");
    expect(JSON.stringify(fake.allComments.map((c) => c.body))).not.toContain("@pcarlton");
    // The 600 KB file is read whole and passes.
    expect(checkOf(fake, 2410).conclusion).toBe("success");
    expect(fake.pull(2410).labels.sort()).toEqual(["SEP", "in-review"]);
    // Labels and file disagreeing since before sep-bot: said, not failed, labels kept.
    expect(fake.pull(2411).labels.sort()).toEqual(["SEP", "draft"]);
    expect(checkOf(fake, 2411).conclusion).toBe("success");
    expect(statusComment(fake, 2411).body).toContain("both were set before sep-bot came");
    // The maintainer the previous automation took as sponsor: sep-bot writes the line.
    expect(sepAt(fake, 2412).fields.find((f) => f.id === "sponsor")?.value).toBe("Felix Weinberger (@felixweinberger)");
    expect(fake.pull(2412).labels.sort()).toEqual(["SEP", "draft"]);

    // An hour later (a follow-up run, an event): nothing new for anyone. A reminder that fell due since
    // waits: the first status comment counts as having told the people it @mentions.
    fake.resetRequests();
    const hourLater = await sweepAt(fake, new Date(INSTALL.getTime() + 3_600_000));
    expect(hourLater.failed).toEqual([]);
    expect(fake.calls("write").filter((w) => w.startsWith("POST") && w.endsWith("/comments"))).toEqual([]);

    // Two weeks on: the warned ones, and only those, become dormant.
    const later = new Date(INSTALL.getTime() + 14 * DAY);
    const second = await sweepAt(fake, later);
    expect(second.failed).toEqual([]);
    const closed = pulls.filter((p) => fake.pull(p.number).state === "closed").map((p) => p.number);
    expect(closed).toEqual([2404, 2405, 2406]);
    for (const n of closed) {
      expect(fake.pull(n).labels.sort()).toEqual(["SEP", "dormant"]);
      expect(sepAt(fake, n).status).toBe("dormant");
      expect(fake.commentsOn(n).flatMap((c) => (c.author === BOT ? [readPingMarker(c.body, c.createdAt)?.step] : [])).filter((s) => s !== undefined)).toEqual([3]);
    }

    // And then nothing.
    fake.resetRequests();
    const third = await sweepAt(fake, new Date(later.getTime() + 3_600_000));
    expect(third.writes).toBe(0);
    expect(fake.calls("write")).toEqual([]);
  });
});

describe("install day: what the repository decided before sep-bot stands", () => {
  /**
   * Three pull requests the real repository has: a maintainer named as Sponsor who applied `draft`
   * but never assigned themselves; a `draft` label a maintainer applied while the file still seeks
   * a sponsor; and slash commands people wrote before sep-bot was there.
   */
  function repository(): GitHubFake {
    const url = (n: number) => `https://github.com/${OWNER}/${REPO}/pull/${n}`;
    const text = (n: number, title: string, sponsor: string, authors: string) => sepText({ heading: `# SEP-${n}: ${title}`, pr: url(n), created: "2026-02-01", status: "Draft", sponsor, authors });
    const opened = (n: number, days: number) => new Date(INSTALL.getTime() - days * DAY).toISOString();
    const fake = new GitHubFake({
      base: { ...defaultBase(), "MAINTAINERS.md": MCP_MAINTAINERS },
      number: 2420,
      createdAt: opened(2420, 200),
      author: "kim-author",
      changes: { "seps/2420-named-sponsor.md": text(2420, "Named Sponsor", "Den Delimarsky (@localden)", "Kim Author (@kim-author)") },
      headRef: "sep-2420",
      title: "SEP-2420: Named Sponsor",
    });
    fake.openPullRequest({ number: 2421, createdAt: opened(2421, 200), author: "lu-author", changes: { "seps/2421-labelled-only.md": text(2421, "Labelled Only", "None (seeking sponsor)", "Lu Author (@lu-author)") }, headRef: "sep-2421", title: "SEP-2421: Labelled Only" });
    fake.openPullRequest({ number: 2430, createdAt: opened(2430, 100), author: "kim-author", assignees: ["localden"], changes: { "seps/2430-old-commands.md": text(2430, "Old Commands", "Den Delimarsky (@localden)", "Kim Author (@kim-author)") }, headRef: "sep-2430", title: "SEP-2430: Old Commands" });
    const at = (days: number) => (fake.clock = INSTALL.getTime() - days * DAY);
    for (const [n, days, by] of [[2420, 150, "localden"], [2421, 150, "localden"], [2430, 90, WORKFLOW_BOT]] as const) {
      at(n === 2430 ? 100 : 200);
      fake.addLabel("proposal", WORKFLOW_BOT, n);
      at(days);
      fake.removeLabel("proposal", by, n);
      fake.addLabel("draft", by, n);
    }
    at(60);
    fake.addComment("kim-author", "/sponsor\nplease, anyone?", 2430);
    at(50);
    fake.addComment("localden", "Looks good.\n/review", 2430);
    at(40);
    fake.addComment("random-person", "/lgtm", 2430);
    fake.takeEvents(); // all before the install: nobody delivers them to sep-bot
    fake.clock = INSTALL.getTime();
    return fake.install();
  }

  it("a maintainer named as Sponsor with their label is taken as found; a disagreement never makes a SEP dormant; old commands are history", async () => {
    const fake = repository();
    const first = await sweepAt(fake, INSTALL);
    expect(first.failed).toEqual([]);
    for (const n of [2420, 2421, 2430]) {
      const comments = fake.commentsOn(n).filter((c) => c.author === BOT);
      expect(comments, `#${n}`).toHaveLength(1); // the status comment, nothing else: no refusal, no warning
      expect(comments[0]!.body, `#${n}`).not.toContain("dormant");
      expect(fake.pull(n).labels.sort(), `#${n}`).toEqual(["SEP", "draft"]);
      expect(checkOf(fake, n).summary, `#${n}`).not.toContain("status-change-unauthorised");
    }
    // Named and labelled before sep-bot: the sponsor, as found; no disagreement to settle.
    const named = statusComment(fake, 2420).body;
    expect(named).toContain("| **Sponsor** | @localden |");
    expect(named).not.toContain("both were set before sep-bot came");
    expect(readState(named).sep).toMatchObject({ sponsor: "localden", state: "draft", clock: "draft" });
    // Labelled `draft` by a maintainer, the file still seeking a sponsor: said, and its clocks run as the label says.
    const labelled = statusComment(fake, 2421).body;
    expect(labelled).toContain("both were set before sep-bot came");
    expect(readState(labelled).sep?.clock).toBe("draft");
    // The old `/review` did not move the SEP, the old `/sponsor` got no refusal, nothing was reacted to.
    expect(Object.values(fake.headFiles(2430)).some((t) => t.includes("- **Status**: In-Review"))).toBe(false);
    expect(fake.commentsOn(2430).filter((c) => c.author !== BOT).every((c) => c.reactions.length === 0)).toBe(true);
    expect(statusComment(fake, 2430).body).toContain("3 comments with commands from before sep-bot came taken as history, not run");

    // An hour later: nothing to write. Then months on: still open, never dormant.
    fake.resetRequests();
    expect((await sweepAt(fake, new Date(INSTALL.getTime() + 3_600_000))).writes).toBe(0);
    for (const days of [14, 100, 200]) {
      const later = await sweepAt(fake, new Date(INSTALL.getTime() + days * DAY));
      expect(later.failed).toEqual([]);
      for (const n of [2420, 2421, 2430]) {
        expect(fake.pull(n).state, `#${n} day ${days}`).toBe("open");
        expect(fake.pull(n).labels, `#${n} day ${days}`).not.toContain("dormant");
      }
    }
    expect(JSON.stringify(fake.allComments.filter((c) => c.author === BOT).map((c) => c.body))).not.toContain("becomes dormant");
  });
});
