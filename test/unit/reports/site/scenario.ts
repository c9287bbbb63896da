import { sweep } from "../../../../src/github/sweep.js";
import type { TrackedSdk } from "../../../../src/governance/model/record.js";
import { umbrellaBlock, umbrellaText } from "../../../../src/governance/sdks/umbrella.js";
import { BOT, defaultBase, GitHubFake, OWNER, realSep, REPO, WIF_PATH, WIF_RENAMED } from "../../../helpers/github-fake/index.js";
import { testOctokit } from "../../../helpers/octokit.js";
import { SECTIONS, sepText } from "../../../helpers/sep.js";

/**
 * A repository with SEPs in every part of the pipeline, on the stateful fake:
 * merged files (real ones, one with hostile author names, one Accepted that an
 * open pull request moves to Final), and open SEP pull requests awaiting a
 * sponsor (one near dormancy), in draft (one paused, one failing its checks),
 * in review (one with a vote missing, one fully voted) and accepted without
 * its reference implementation; plus a pull request that is no SEP. Two
 * merged SEPs are tracked across three Tier 1 SDKs (umbrella issues as
 * sep-bot writes them, the SDK issues in their repositories; sep-bot is not
 * installed on the Go SDK's): one for the 2026-07-28 release, one with no
 * release. A sweep reconciles each pull request once, as sep-bot would have. The site test reads it; the
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
export const SDKS = { ts: "modelcontextprotocol/typescript-sdk", py: "modelcontextprotocol/python-sdk", go: "modelcontextprotocol/go-sdk", java: "modelcontextprotocol/java-sdk" };
const SDK_PAGE = [
  "| SDK | Repository | Tier |",
  "| :-- | :-- | --: |",
  `| [TypeScript](https://ts.sdk.example) | [${SDKS.ts}](https://github.com/${SDKS.ts}) | <Badge color="blue">Tier&nbsp;1</Badge> |`,
  `| [Python](https://py.sdk.example) | [${SDKS.py}](https://github.com/${SDKS.py}) | <Badge color="blue">Tier&nbsp;1</Badge> |`,
  `| Go | [${SDKS.go}](https://github.com/${SDKS.go}) | <Badge color="blue">Tier&nbsp;1</Badge> |`,
  `| Java | [${SDKS.java}](https://github.com/${SDKS.java}) | <Badge color="purple">Tier&nbsp;2</Badge> |`,
  "",
].join("\n");
/** The core maintainers as before, and who maintains which SDK (the rules' `sdks.maintainersSection`). */
const MAINTAINERS = "# Maintainers\n\n## Core Maintainers\n\n- @grace\n- @max\n\n## SDK Maintainers\n\n### TypeScript SDK\n\n- Tess Type (@tess-type)\n\n### Python SDK\n\n- @max\n- Pia Python (@pia-py)\n\n### Go SDK\n\n- Gus Gopher (@gus-go)\n";

export async function siteRepository(): Promise<GitHubFake> {
  const base = {
    ...defaultBase(),
    "seps/932-model-context-protocol-governance.md": realSep("932-model-context-protocol-governance.md"),
    "seps/2322-MRTR.md": realSep("2322-MRTR.md"),
    "seps/2100-streaming-widgets.md": sepText({ heading: "# SEP-2100: Streaming Widgets", status: "Accepted", sponsor: "Grace Hopper (@grace)", pr: url(2100), authors: "Ada Lovelace (@ada)" }),
    "MAINTAINERS.md": MAINTAINERS,
    "docs/docs/draft/sdk.mdx": SDK_PAGE,
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
  trackedAcrossSdks(fake);
  fake.comment("pieter", "Any maintainer interested?", 1990);
  fake.clock = day(1).getTime();
  await sweep(testOctokit(), OWNER, REPO, { dryRun: false, now: () => day(1), log: quiet });
  fake.clock = SITE_NOW.getTime();
  fake.resetRequests();
  return fake;
}

/**
 * SEP-2100 (accepted) for the 2026-07-28 release: done in TypeScript, open in
 * Python, not filed in Go (no access). SEP-2322 (final), no release: done in
 * TypeScript, open in Python, closed as not planned in Go. Each umbrella's
 * list is the one sep-bot writes, so the sweep finds nothing moved.
 */
function trackedAcrossSdks(fake: GitHubFake): void {
  fake.addRepository(SDKS.ts, {}, true, true);
  fake.addRepository(SDKS.py, {}, true, true);
  fake.addRepository(SDKS.go, {}, true, false);
  const sdk = (repo: string, name: string) => ({ repo, name, tier: 1 });
  const tracked = (repo: string, number: number | null, state: TrackedSdk["state"]): TrackedSdk => ({ repo, number, adopted: false, state, at: null });
  const issue = (repo: string, number: number, title: string, closed: "completed" | "not_planned" | null) => {
    const filed = fake.fileIssue(repo, BOT, title, `Tracking implementation of SEP.`);
    if (filed.number !== number) throw new Error(`${repo}: issue ${filed.number}, expected ${number}`);
    if (closed) fake.closeIssue(repo, number, closed);
  };
  const umbrella = (sep: { number: number; title: string; release: string | null }, lines: Array<[string, string, TrackedSdk]>) => {
    const ref = { ...sep, url: url(sep.number) };
    const block = umbrellaBlock(sep.number, sep.number, sep.release, lines.map(([repo, name, t]) => ({ sdk: sdk(repo, name), tracked: t })), null, "install sep-bot there, or give its workflow a token that can write there");
    const text = umbrellaText({ sdkTitle: "Implement SEP-{number}: {title}", sdkBody: "", umbrellaTitle: "(implementation): SEP-{number} - {title}" }, ref, block);
    const number = fake.takeNumber();
    fake.issues.set(number, { number, title: text.title, body: text.body, labels: ["implementation-needed", "tracking"], author: BOT, state: "open", createdAt: fake.tick() });
  };
  issue(SDKS.ts, 100, "Implement SEP-2100: Streaming Widgets", "completed");
  issue(SDKS.py, 100, "Implement SEP-2100: Streaming Widgets", null);
  umbrella({ number: 2100, title: "Streaming Widgets", release: "2026-07-28" }, [
    [SDKS.ts, "TypeScript", tracked(SDKS.ts, 100, "done")],
    [SDKS.py, "Python", tracked(SDKS.py, 100, "open")],
    [SDKS.go, "Go", tracked(SDKS.go, null, "no-access")],
  ]);
  issue(SDKS.ts, 101, "Implement SEP-2322: Multi Round-Trip Requests", "completed");
  issue(SDKS.py, 101, "Implement SEP-2322: Multi Round-Trip Requests", null);
  issue(SDKS.go, 100, "Implement SEP-2322: Multi Round-Trip Requests", "not_planned");
  umbrella({ number: 2322, title: "Multi Round-Trip Requests", release: null }, [
    [SDKS.ts, "TypeScript", tracked(SDKS.ts, 101, "done")],
    [SDKS.py, "Python", tracked(SDKS.py, 101, "open")],
    [SDKS.go, "Go", tracked(SDKS.go, 100, "not-planned")],
  ]);
}
