import { readFileSync } from "node:fs";
import { defaultBase, GitHubFake, OWNER, REPO, type Files } from "./github-fake/index.js";
import { sepText, SECTIONS } from "./sep.js";

/**
 * A repository shaped like the specification repository the day sep-bot is
 * installed on it: its real MAINTAINERS.md, a dozen open SEP pull requests
 * aged 1 to 280 days, labelled by the previous automation (a workflow bot)
 * and by maintainers, sponsored the ways people really sponsor (a lead
 * maintainer's own SEP, a Sponsor written as a name, a handle with a typo,
 * an assignment the old automation took as sponsorship), one file of
 * 600 KB, one whose labels and file disagree. Used by the install-day test
 * and by `npm run bench:api`.
 */

export const MCP_MAINTAINERS = readFileSync(new URL("../fixtures/maintainers/mcp-MAINTAINERS.md", import.meta.url), "utf8");
/** The day sep-bot is installed. */
export const INSTALL = new Date("2026-12-01T09:00:00Z");
export const DAY = 86_400_000;
/** The previous automation's actor, as GitHub shows a workflow's label changes. */
export const WORKFLOW_BOT = "github-actions[bot]";

export interface InstallPull {
  number: number;
  days: number;
  /** What this PR is in the scenario, for messages. */
  what: string;
  author: string;
  assignees: string[];
  /** State labels applied before the install, and by whom. */
  labels: Array<{ label: string; by: string }>;
  text: string;
  path: string;
}

const url = (n: number) => `https://github.com/${OWNER}/${REPO}/pull/${n}`;

const sep = (n: number, title: string, o: { status?: string; sponsor?: string; authors?: string; sections?: string } = {}) =>
  sepText({ heading: `# SEP-${n}: ${title}`, pr: url(n), created: "2026-02-01", status: o.status ?? "Draft", sponsor: o.sponsor ?? "None (seeking sponsor)", authors: o.authors ?? "Pat Author (@pat-author)", ...(o.sections ? { sections: o.sections } : {}) });

/** Real prose padded to 600 KB, with multibyte characters on both sides of GraphQL's 512,000-byte cut. */
function bigSections(): string {
  const paragraph = "Streaming widgets résumé → each chunk is acknowledged before the next; the server never buffers more than the window allows. ";
  let body = "";
  while (Buffer.byteLength(body) < 600_000) body += `${paragraph.repeat(8)}\n\n`;
  return SECTIONS.replace("## Specification\n\nA `widgets/stream` method.", `## Specification\n\nA \`widgets/stream\` method.\n\n${body}`);
}

/** The dozen kinds of pull request; `copies` of each (numbered 100 apart) for a repository of sixty. */
export function installDayPulls(copies = 1): InstallPull[] {
  return Array.from({ length: copies }, (_, k) => kinds().map((p) => renumbered(p, p.number + 100 * k))).flat();
}

function renumbered(p: InstallPull, number: number): InstallPull {
  if (number === p.number) return p;
  const text = p.text.replaceAll(`SEP-${p.number}:`, `SEP-${number}:`).replaceAll(`/pull/${p.number}`, `/pull/${number}`);
  return { ...p, number, text, path: p.path.replace(`/${p.number}-`, `/${number}-`) };
}

function kinds(): InstallPull[] {
  const wf = (label: string) => ({ label, by: WORKFLOW_BOT });
  const list: Array<Omit<InstallPull, "path">> = [
    { number: 2401, days: 1, what: "new, still named 0000", author: "pat-author", assignees: [], labels: [], text: sep(0, "Fresh Idea").replace("# SEP-0: ", "# SEP-0000: ") },
    { number: 2402, days: 20, what: "awaiting a sponsor 20 days", author: "ana-author", assignees: [], labels: [wf("proposal")], text: sep(2402, "Resource Hints", { authors: "Ana Author (@ana-author)" }) },
    { number: 2403, days: 100, what: "awaiting a sponsor 100 days", author: "bo-author", assignees: [], labels: [wf("proposal")], text: sep(2403, "Tool Groups", { authors: "Bo Author (@bo-author)" }) },
    { number: 2404, days: 170, what: "awaiting a sponsor 170 days, a commit last month", author: "cy-author", assignees: [], labels: [wf("proposal")], text: sep(2404, "Batch Calls", { authors: "Cy Author (@cy-author)" }) },
    { number: 2405, days: 200, what: "awaiting a sponsor 200 days", author: "di-author", assignees: [], labels: [wf("proposal")], text: sep(2405, "Server Cards", { authors: "Di Author (@di-author)" }) },
    { number: 2406, days: 280, what: "awaiting a sponsor 280 days", author: "ed-author", assignees: [], labels: [wf("proposal")], text: sep(2406, "Push Hints", { authors: "Ed Author (@ed-author)" }) },
    { number: 2407, days: 250, what: "a lead maintainer's own SEP, sponsored by its author", author: "dsp-ant", assignees: ["dsp-ant"], labels: [wf("proposal"), wf("draft")], text: sep(2407, "Extensions Framework", { authors: "David Soria Parra (@dsp-ant), Pat Author (@pat-author)", sponsor: "David Soria Parra (@dsp-ant)" }) },
    { number: 2408, days: 190, what: "Sponsor written as a name", author: "fay-author", assignees: ["D-McAdams"], labels: [wf("proposal"), wf("draft")], text: sep(2408, "Token Exchange", { authors: "Fay Author (@fay-author)", sponsor: "Darin McAdams" }) },
    { number: 2409, days: 150, what: "Sponsor handle with a typo", author: "gil-author", assignees: ["pcarleton"], labels: [wf("proposal"), wf("draft")], text: sep(2409, "Auth Hints", { authors: "Gil Author (@gil-author)", sponsor: "Paul Carleton (@pcarlton)" }) },
    { number: 2410, days: 60, what: "a 600 KB SEP in review", author: "hal-author", assignees: ["localden"], labels: [wf("proposal"), wf("draft"), { label: "in-review", by: "localden" }], text: sep(2410, "Streaming Widgets", { status: "In-Review", authors: "Hal Author (@hal-author)", sponsor: "Den Delimarsky (@localden)", sections: bigSections() }) },
    { number: 2411, days: 90, what: "file says In-Review, label says draft", author: "ida-author", assignees: ["ihrpr"], labels: [wf("proposal"), wf("draft")], text: sep(2411, "Elicitation Forms", { status: "In-Review", authors: "Ida Author (@ida-author)", sponsor: "Inna Harper (@ihrpr)" }) },
    { number: 2412, days: 30, what: "a maintainer assigned, the Sponsor line not yet written", author: "jo-author", assignees: ["felixweinberger"], labels: [wf("proposal")], text: sep(2412, "Progress Tokens", { authors: "Jo Author (@jo-author)" }) },
  ];
  return list.map((p) => ({ ...p, path: p.number === 2401 ? "seps/0000-fresh-idea.md" : `seps/${p.number}-${p.text.split("\n")[0]!.replace(/^# SEP-\d+: /, "").toLowerCase().replace(/[^a-z0-9]+/g, "-")}.md` }));
}

/** The repository as it is the morning sep-bot is installed; GitHub's clock at the install. */
export function installDayRepository(copies = 1, moreBase: Files = {}): { fake: GitHubFake; pulls: InstallPull[] } {
  const pulls = installDayPulls(copies);
  const base: Files = { ...defaultBase(), "MAINTAINERS.md": MCP_MAINTAINERS, ...moreBase };
  const [first, ...rest] = pulls;
  const open = (p: InstallPull) => ({ number: p.number, createdAt: new Date(INSTALL.getTime() - p.days * DAY).toISOString(), author: p.author, assignees: p.assignees, changes: { [p.path]: p.text }, headRef: `sep-${p.number}`, title: p.text.split("\n")[0]!.slice(2) });
  const fake = new GitHubFake({ base, ...open(first!) });
  for (const p of rest) fake.openPullRequest(open(p));
  // The previous automation labelled each PR within minutes of its opening; maintainers later.
  for (const p of pulls) {
    p.labels.forEach(({ label, by }, i) => {
      fake.clock = INSTALL.getTime() - p.days * DAY + (i + 1) * (i === 0 ? 60_000 : 10 * DAY);
      const pr = fake.pull(p.number);
      if (label !== "proposal" && pr.labels.includes("proposal")) fake.removeLabel("proposal", by, p.number);
      fake.addLabel(label, by, p.number);
    });
  }
  fake.takeEvents(); // all before the install: nobody delivers them to sep-bot
  fake.clock = INSTALL.getTime();
  return { fake, pulls };
}

/**
 * The site's install day (issue 20): the repository above, with what the
 * site must read right before any sweep: merged SEPs (real files) on the
 * default branch, and besides the dozen pull requests with no sep-bot record,
 * one whose preamble is a table with a Title field and no heading (as
 * SEP-2433 writes it), one with co-authors, two sponsors and a FAQ companion
 * named after it (as #3182), and one that also edits an older, merged SEP,
 * with markdown in its title.
 */
export const SITE_EXTRA = { table: 2433, companion: 3182, editsOlder: 3200 } as const;

const TABLE_PREAMBLE = [
  "| Field         | Value |",
  "| ------------- | ----- |",
  "| **SEP**       | 2433  |",
  "| **Title**     | Transfer Descriptors: Out-of-Band Data Transfer Negotiation |",
  "| **Status**    | Draft |",
  "| **Type**      | Standards Track |",
  "| **Created**   | 2026-03-22 |",
  "| **Author(s)** | Baptiste Hanquier ([@bhanquier](https://github.com/bhanquier)) |",
  "| **Sponsor**   | None (seeking sponsor) |",
  `| **PR**        | [#2433](${url(2433)}) |`,
  "",
  SECTIONS,
].join("\n");

const COMPANION_FAQ = "# SEP-3182 FAQ: Request Idempotency\n\nQuestions reviewers asked, with answers.\n\n## Why a key per request?\n\nSo a retry is recognised.\n";

export const MERGED_2100 = sepText({ heading: "# SEP-2100: Streaming Widgets", status: "Accepted", type: "Standards Track", created: "2025-10-01", sponsor: "Paul Carleton (@pcarleton)", authors: "Ana Author (@ana-author)", pr: url(2100) });

export function installDaySiteRepository(o: { maxWrites?: number } = {}): { fake: GitHubFake; pulls: InstallPull[] } {
  const merged: Files = { "seps/2100-streaming-widgets.md": MERGED_2100, ...(o.maxWrites ? { ".github/sep-bot.yml": `sweep:\n  maxWrites: ${o.maxWrites}\n` } : {}) };
  for (const name of ["1850-pr-based-sep-workflow.md", "2322-MRTR.md", "932-model-context-protocol-governance.md", "2663-tasks-extension.md"]) merged[`seps/${name}`] = readFileSync(new URL(`../fixtures/real-seps/${name}`, import.meta.url), "utf8");
  const { fake, pulls } = installDayRepository(1, merged);
  const wf = (label: string) => ({ label, by: WORKFLOW_BOT });
  const extra: InstallPull[] = [
    { number: 2433, days: 70, what: "a table preamble with a Title field, no heading", author: "bhanquier", assignees: [], labels: [wf("proposal")], path: "seps/2433-transfer-descriptors.md", text: TABLE_PREAMBLE },
    {
      number: 3182,
      days: 12,
      what: "co-authors, two sponsors, a FAQ companion",
      author: "kay-author",
      assignees: ["pcarleton", "localden"],
      labels: [wf("proposal"), { label: "draft", by: "pcarleton" }],
      path: "seps/3182-request-idempotency.md",
      text: sepText({ heading: "# SEP-3182: Request Idempotency", pr: url(3182), created: "2026-11-19", authors: "Kay Author (@kay-author), Lee Coauthor (@Lee-Coauthor), Mo Writer", sponsor: "Paul Carleton (@pcarleton), Den Delimarsky (@localden)" }),
    },
    {
      number: 3200,
      days: 5,
      what: "also edits an older SEP, markdown in its title",
      author: "ana-author",
      assignees: [],
      labels: [wf("proposal")],
      path: "seps/3200-resource-hints-v2.md",
      text: sepText({ heading: "# SEP-3200: Resource Hints for `resources/read` and \\_meta", pr: url(3200), created: "2026-11-26", authors: "Ana Author (@ana-author)", sponsor: "None (seeking sponsor)" }),
    },
  ];
  const companions: Record<number, Record<string, string>> = {
    3182: { "seps/3182-request-idempotency-faq.md": COMPANION_FAQ },
    3200: { "seps/2100-streaming-widgets.md": MERGED_2100.replace("## Abstract\n\nWidgets stream.", "## Abstract\n\nWidgets stream. See also SEP-3200.") },
  };
  for (const p of extra) {
    fake.clock = INSTALL.getTime() - p.days * DAY;
    fake.openPullRequest({ number: p.number, createdAt: new Date(fake.clock).toISOString(), author: p.author, assignees: p.assignees, changes: { [p.path]: p.text, ...companions[p.number] }, headRef: `sep-${p.number}`, title: p.path.split("/").pop()! });
    p.labels.forEach(({ label, by }, i) => {
      fake.clock = INSTALL.getTime() - p.days * DAY + (i + 1) * (i === 0 ? 60_000 : DAY);
      if (label !== "proposal" && fake.pull(p.number).labels.includes("proposal")) fake.removeLabel("proposal", by, p.number);
      fake.addLabel(label, by, p.number);
    });
  }
  fake.takeEvents();
  fake.clock = INSTALL.getTime();
  return { fake, pulls: [...pulls, ...extra] };
}
