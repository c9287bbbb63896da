import { sweep } from "../../../../src/github/sweep.js";
import { defaultBase, GitHubFake, OWNER, realSep, REPO, WIF_PATH, WIF_RENAMED } from "../../../helpers/github-fake/index.js";
import { testOctokit } from "../../../helpers/octokit.js";
import { SECTIONS, sepText } from "../../../helpers/sep.js";

/**
 * A repository with SEPs in every part of the pipeline, on the stateful fake:
 * merged files (real ones, one with hostile author names, one Accepted that an
 * open pull request moves to Final), and open SEP pull requests awaiting a
 * sponsor (one near dormancy), in draft (one paused, one failing its checks),
 * in review (one with a vote missing, one fully voted) and accepted without
 * its reference implementation; plus a pull request that is no SEP. A sweep
 * reconciles each once, as sep-bot would have. The site test reads it; the
 * golden fixture (test/fixtures/site/input.json) is this read, frozen.
 */

const DAY = 86_400_000;
export const CREATED = Date.parse("2026-11-20T10:00:00Z");
/** Noon on day `n` after the repository's first pull request. */
export const day = (n: number) => new Date(CREATED + n * DAY + 12 * 3_600_000);
/** When the site is made. */
export const SITE_NOW = day(3);
export const url = (n: number) => `https://github.com/${OWNER}/${REPO}/pull/${n}`;
export const HOSTILE_TITLE = `<script>alert(1)</script> "><img src=x onerror=alert(2)>`;
export const HOSTILE_NAME = `"><svg onload=alert(3)>`;

const quiet = { info() {}, warn() {} };
const NO_REFERENCE = SECTIONS.replace("A branch in the TypeScript SDK.", "");

export async function siteRepository(): Promise<GitHubFake> {
  const base = {
    ...defaultBase(),
    "seps/932-model-context-protocol-governance.md": realSep("932-model-context-protocol-governance.md"),
    "seps/2322-MRTR.md": realSep("2322-MRTR.md"),
    "seps/2100-streaming-widgets.md": sepText({ heading: "# SEP-2100: Streaming Widgets", status: "Accepted", sponsor: "Grace Hopper (@grace)", pr: url(2100), authors: "Ada Lovelace (@ada)" }),
    "seps/2200-quoted-names.md": sepText({ heading: "# SEP-2200: Names </title><script>alert(5)</script>", status: "Withdrawn", type: "Informational", sponsor: "Max Core (@max)", pr: url(2200), authors: `${HOSTILE_NAME} (@evil), Ada Lovelace (@ada)` }),
  };
  // #1933, awaiting a sponsor; GitHub's clock at the scenario's start, so the frozen read's dates do not follow the calendar.
  const fake = new GitHubFake({ base, changes: { [WIF_PATH]: WIF_RENAMED }, createdAt: new Date(CREATED).toISOString() }).install();
  const open = (number: number, o: { author?: string; assignees?: string[]; labels?: string[]; createdAt?: string; comments?: Array<{ author: string; body: string }>; path?: string; text: string }) =>
    fake.openPullRequest({
      number,
      author: o.author ?? "ada",
      assignees: o.assignees ?? [],
      labels: o.labels ?? [],
      ...(o.createdAt ? { createdAt: o.createdAt } : {}),
      comments: o.comments ?? [],
      changes: { [o.path ?? `seps/${number}-sep-${number}.md`]: o.text },
    });
  open(1990, {
    author: "pieter",
    createdAt: new Date(CREATED - 160 * DAY).toISOString(),
    text: sepText({ heading: "# SEP-1990: Long Awaited Widgets", status: "Draft", sponsor: "None (seeking sponsor)", pr: url(1990), authors: "Pieter (@pieter)" }),
  });
  open(2001, { author: "mallory", text: sepText({ heading: `# SEP-2001: ${HOSTILE_TITLE}`, status: "Draft", sponsor: "None", pr: url(2001), authors: "Mallory (@mallory)" }) });
  open(2002, { assignees: ["max"], text: sepText({ heading: "# SEP-2002: Drafted Widgets", status: "Draft", type: "Extensions Track", sponsor: "Max Core (@max)", pr: url(2002) }) });
  open(2003, {
    assignees: ["grace"],
    comments: [{ author: "grace", body: "Looks right to me.\n\n/vote yes" }],
    text: sepText({ heading: "# SEP-2003: Reviewed Widgets", status: "In-Review", sponsor: "Grace Hopper (@grace)", pr: url(2003) }),
  });
  open(2004, { assignees: ["grace"], text: sepText({ heading: "# SEP-2004: Accepted Widgets", status: "Accepted", type: "Process", sponsor: "Grace Hopper (@grace)", pr: url(2004), sections: NO_REFERENCE }) });
  open(2005, { author: "pieter", assignees: ["max"], labels: ["sep-timer-paused"], text: sepText({ heading: "# SEP-2005: Paused Widgets", status: "Draft", sponsor: "Max Core (@max)", pr: url(2005), authors: "Pieter (@pieter)" }) });
  open(2006, { author: "pieter", text: sepText({ heading: "# SEP-2006: Unfinished Widgets", status: "Draft", sponsor: "None", pr: url(2006), authors: "Pieter (@pieter)", sections: "## Abstract\n\nWidgets.\n" }) });
  open(2007, {
    assignees: ["max"],
    comments: [
      { author: "grace", body: "/vote no not yet" },
      { author: "max", body: "/vote yes" },
    ],
    text: sepText({ heading: "# SEP-2007: Decided Widgets", status: "In-Review", type: "Informational", sponsor: "Max Core (@max)", pr: url(2007) }),
  });
  open(2400, {
    author: "grace",
    assignees: ["grace"],
    path: "seps/2100-streaming-widgets.md",
    text: sepText({ heading: "# SEP-2100: Streaming Widgets", status: "Final", sponsor: "Grace Hopper (@grace)", pr: url(2100), authors: "Ada Lovelace (@ada)" }),
  });
  fake.openPullRequest({ number: 2500, author: "ada", changes: { "README.md": "# Model Context Protocol\n\nA typo fixed.\n" } });
  fake.comment("pieter", "Any maintainer interested?", 1990);
  fake.clock = day(1).getTime();
  await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => day(1), log: quiet });
  fake.clock = SITE_NOW.getTime();
  fake.resetRequests();
  return fake;
}
