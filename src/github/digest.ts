import { graphql, type BlobNode, type GitHub } from "./graphql.js";
import { readSweep } from "./read/sweep.js";
import { digestInput } from "../reports/digest/build.js";
import { isoWeek, renderDigest } from "../reports/digest/render.js";
import type { Logger } from "../shared/logger.js";
import { overrideOf } from "./read/snapshot.js";
import { CONFIG_PATH } from "../rules/load.js";
import { defaultRules } from "../rules/load.js";

/**
 * The weekly digest: read every SEP as the sweep does, render the markdown,
 * and keep one issue per ISO week. The issue is found by its hidden marker
 * (and its label), so a second run the same week edits it, and an unchanged
 * digest writes nothing. The chat announcement is recorded in the issue
 * before it is sent: at most once a week, even if two runs race.
 *
 * Creating the issue is the one write that is not idempotent, so it is never
 * retried blindly: Octokit's retries are off for it, and after an error the
 * week's digest is looked up again (GitHub may have created it and answered
 * 502) before it is tried again. Two runs that create it at once (a workflow
 * racing the server, two instances) converge: after creating, each lists the
 * week's digest issues again, keeps the lowest-numbered and closes the others
 * as duplicates of it, so every racer ends on the same issue.
 */

export const digestMarker = (week: string) => `<!-- sep-bot:digest week=${week} -->`;
export const chatMarker = (week: string) => `<!-- sep-bot:chat week=${week} -->`;

/** The week's digest, announced: its title, its summary line and the issue. */
export type Announce = (digest: { title: string; summary: string; url: string }) => Promise<void>;

export interface DigestOptions {
  now?: () => Date;
  /** Write the issue (and announce it); otherwise only render. */
  post: boolean;
  /** Tells a chat about the week's issue (notify/chat.ts), once a week: whether it was told is recorded in the issue. */
  announce?: Announce | null;
  log: Logger;
  /**
   * Asked right before the week's issue would be created (no run has posted it
   * yet): false when another run is creating it, and this one leaves it (the
   * server's lock). Not asked to edit an issue that exists.
   */
  claim?: (week: string) => Promise<boolean>;
  /** Before creating again after an error GitHub may not have meant (5xx), this long times the attempt squared (default 1 s). */
  retryDelayMs?: number;
}

export interface DigestResult {
  week: string;
  title: string;
  markdown: string;
  /** The week's issue; null when not posting, or when `claim` left it to another run. */
  issue: { number: number; url: string; action: "created" | "updated" | "unchanged" } | null;
  chat: "sent" | "already sent" | "failed" | null;
  /** Issues of this week closed as duplicates of `issue` (two runs created it at once). */
  closedDuplicates: number[];
}

const ISSUE_FIELDS = "nodes { number url body viewerDidAuthor state }";

const ISSUES_QUERY = `query SepDigestIssues($owner: String!, $name: String!, $labels: [String!]) {
  repository(owner: $owner, name: $name) {
    issues(first: 20, labels: $labels, states: [OPEN, CLOSED], orderBy: { field: CREATED_AT, direction: DESC }) { ${ISSUE_FIELDS} }
  }
}`;

/** The repository's rules (for the digest's label) and the issues with the default label, in one request. */
const LOOKUP_QUERY = `query SepDigestLookup($owner: String!, $name: String!, $config: String!, $labels: [String!]) {
  repository(owner: $owner, name: $name) {
    config: object(expression: $config) { ... on Blob { text isTruncated } }
    issues(first: 20, labels: $labels, states: [OPEN, CLOSED], orderBy: { field: CREATED_AT, direction: DESC }) { ${ISSUE_FIELDS} }
  }
}`;

export interface IssueNode {
  number: number;
  url: string;
  body: string;
  viewerDidAuthor: boolean;
  state?: "OPEN" | "CLOSED";
}

type IssuesData = { issues: { nodes: Array<IssueNode | null> } };

/** The bot's own issues of `week` among `nodes`, lowest number first (anyone can open an issue with the label and paste the marker). */
function ofWeek(nodes: Array<IssueNode | null>, week: string): IssueNode[] {
  return nodes.filter((n): n is IssueNode => !!n && n.viewerDidAuthor && n.body.includes(digestMarker(week))).sort((a, b) => a.number - b.number);
}

/**
 * This week's digest issues the bot posted, lowest number first: the first is
 * the week's digest, any other a duplicate two racing runs made.
 */
export async function weekDigestIssues(octokit: GitHub, owner: string, repo: string, label: string, week: string): Promise<IssueNode[]> {
  const data = await graphql<{ repository: IssuesData | null }>(octokit, ISSUES_QUERY, { owner, name: repo, labels: [label] }, []);
  return ofWeek(data.repository?.issues.nodes ?? [], week);
}

/** This week's digest issue, if the bot has posted it: the lowest-numbered of the week's (the one every run keeps). */
export async function findDigestIssue(octokit: GitHub, owner: string, repo: string, label: string, week: string): Promise<IssueNode | null> {
  return (await weekDigestIssues(octokit, owner, repo, label, week))[0] ?? null;
}

/**
 * This week's digest issue under the repository's own rules (its digest
 * label, from `.github/sep-bot.yml` on the default branch): one request, two
 * when the rules name another label than the default one.
 */
export async function findWeekDigest(octokit: GitHub, owner: string, repo: string, week: string): Promise<IssueNode | null> {
  const fallback = defaultRules().digest.label;
  const data = await graphql<{ repository: (IssuesData & { config: BlobNode | null }) | null }>(
    octokit,
    LOOKUP_QUERY,
    { owner, name: repo, config: `HEAD:${CONFIG_PATH}`, labels: [fallback] },
    ["config"],
  );
  if (!data.repository) return null;
  const { label } = overrideOf(data.repository.config).rules.digest;
  if (label.toLowerCase() === fallback.toLowerCase()) return ofWeek(data.repository.issues.nodes, week)[0] ?? null;
  return findDigestIssue(octokit, owner, repo, label, week);
}

/** An error that may not mean GitHub did nothing: a 5xx, or no answer at all. */
const mayHaveHappened = (error: unknown): boolean => {
  const status = (error as { status?: number }).status;
  return status === undefined || status >= 500;
};

export async function digest(octokit: GitHub, owner: string, repo: string, options: DigestOptions): Promise<DigestResult> {
  const now = (options.now ?? (() => new Date()))();
  const { read, rules } = await readSweep(octokit, owner, repo, now, { files: true });
  const markdown = renderDigest(digestInput(read, rules, now));
  const week = isoWeek(now.toISOString());
  const title = rules.digest.title.replace(/\{week\}/g, week);
  const result: DigestResult = { week, title, markdown, issue: null, chat: null, closedDuplicates: [] };
  if (!options.post) return result;

  const label = rules.digest.label;
  const bodyOf = (announced: boolean) => `${markdown}\n\n${digestMarker(week)}${announced ? `\n${chatMarker(week)}` : ""}\n`;
  let all = await weekDigestIssues(octokit, owner, repo, label, week);
  let created: IssueNode | null = null; // the week's issue, made by this run
  let madeHere: number | null = null; // an issue this run created, kept or not
  if (all.length === 0) {
    if (options.claim && !(await options.claim(week))) {
      options.log.info({ week }, `digest ${week}: another run is creating this week's issue; this one leaves it`);
      return result;
    }
    const made = await createOnce(octokit, owner, repo, { title, body: bodyOf(!!options.announce), label, week, log: options.log, retryDelayMs: options.retryDelayMs ?? 1000 });
    // Another run may have created the week's issue at the same time: look again.
    all = await weekDigestIssues(octokit, owner, repo, label, week);
    if (!all.some((i) => i.number === made.issue.number)) all = [...all, made.issue].sort((a, b) => a.number - b.number);
    if (made.created) madeHere = made.issue.number;
    // An issue found after an error is taken as another run's (its announcement is not sent again).
    if (made.created && all[0]!.number === made.issue.number) created = made.issue;
  }
  // Converge: every run keeps the lowest-numbered of the week's issues. A run that created one closes
  // only its own, so racers never both comment on one; leftovers (a racer that stopped) are closed by the next run.
  const kept = all[0]!;
  for (const duplicate of all.slice(1)) {
    if (duplicate.state === "CLOSED" || (madeHere !== null && duplicate.number !== madeHere)) continue;
    await closeDuplicate(octokit, owner, repo, duplicate.number, kept.number);
    result.closedDuplicates.push(duplicate.number);
    options.log.warn({ issue: duplicate.number, week }, `digest ${week}: #${duplicate.number} closed as a duplicate of #${kept.number} (two runs posted the week's digest at once)`);
  }
  const existing = created ? null : kept;

  let announce: boolean;
  if (created) {
    // Made with the announcement's marker when the chat is set: the announcement is this run's to send.
    announce = !!options.announce;
    result.issue = { number: created.number, url: created.url, action: "created" };
  } else {
    const issue = existing!;
    const announced = issue.body.includes(chatMarker(week));
    announce = !!options.announce && !announced;
    const body = bodyOf(announced || announce);
    if (issue.body !== body) {
      await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, title, body });
      result.issue = { number: issue.number, url: issue.url, action: "updated" };
    } else {
      result.issue = { number: issue.number, url: issue.url, action: "unchanged" };
    }
  }
  options.log.info({ issue: result.issue.number, week }, `digest ${week}: issue ${result.issue.action}`);

  if (options.announce) {
    if (!announce) result.chat = "already sent";
    else {
      const summary = markdown.split("\n")[2] ?? "";
      try {
        await options.announce({ title, summary, url: result.issue.url });
        result.chat = "sent";
      } catch (error) {
        // Recorded as sent already: a retry could announce twice, and a missed announcement is the lesser harm.
        result.chat = "failed";
        options.log.warn({ week }, `digest ${week}: the chat announcement failed and will not be retried this week: ${(error as Error).message}`);
      }
    }
  }
  return result;
}

/**
 * Creates the week's issue with Octokit's retries off (a POST GitHub completed
 * but answered 502 would be retried into a second issue). After an error the
 * week's digest is looked up first: there, it is the one (whoever made it).
 * Not there and the error may be GitHub's (5xx, no answer): tried again, at
 * most three times in all. Anything else is thrown. `created`: this request made it
 * (an issue found after an error is taken as another run's: its announcement is not re-sent).
 */
async function createOnce(
  octokit: GitHub,
  owner: string,
  repo: string,
  o: { title: string; body: string; label: string; week: string; log: Logger; retryDelayMs: number },
): Promise<{ issue: IssueNode; created: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await octokit.rest.issues.create({ owner, repo, title: o.title, body: o.body, labels: [o.label], request: { retries: 0 } });
      return { issue: { number: data.number, url: data.html_url, body: o.body, viewerDidAuthor: true, state: "OPEN" }, created: true };
    } catch (error) {
      const found = await findDigestIssue(octokit, owner, repo, o.label, o.week);
      if (found) {
        o.log.warn({ issue: found.number, week: o.week }, `digest ${o.week}: creating the issue failed (${(error as Error).message}), but #${found.number} is there: it is the week's`);
        return { issue: found, created: false };
      }
      if (attempt >= 3 || !mayHaveHappened(error)) throw error;
      o.log.warn({ week: o.week }, `digest ${o.week}: creating the issue failed (${(error as Error).message}) and it is not there: trying again`);
      await new Promise((resolve) => setTimeout(resolve, o.retryDelayMs * attempt * attempt));
    }
  }
}

/** A duplicate of the week's digest: a one-line comment naming the kept one (GitHub marks it a duplicate), then closed. */
async function closeDuplicate(octokit: GitHub, owner: string, repo: string, number: number, kept: number): Promise<void> {
  await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: `Duplicate of #${kept}: two runs posted this week's digest at the same time; #${kept} is the week's digest.` });
  try {
    await octokit.rest.issues.update({ owner, repo, issue_number: number, state: "closed", state_reason: "duplicate" });
  } catch (error) {
    // GitHub Enterprise Server versions without the `duplicate` reason refuse it: closed as not planned.
    if ((error as { status?: number }).status !== 422) throw error;
    await octokit.rest.issues.update({ owner, repo, issue_number: number, state: "closed", state_reason: "not_planned" });
  }
}
