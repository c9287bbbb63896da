import { chatMessage, postChat, type ChatTarget } from "../notify/chat.js";
import { graphql, type GitHub } from "./graphql.js";
import { readSweep } from "./read/sweep.js";
import { digestInput } from "../process/digest/build.js";
import { isoWeek, renderDigest } from "../process/digest/render.js";
import type { Logger } from "./reconcile.js";

/**
 * The weekly digest: read every SEP as the sweep does, render the markdown,
 * and keep one issue per ISO week. The issue is found by its hidden marker
 * (and its label), so a second run the same week edits it, and an unchanged
 * digest writes nothing. The chat announcement is recorded in the issue
 * before it is sent: at most once a week, even if two runs race.
 */

export const digestMarker = (week: string) => `<!-- sep-bot:digest week=${week} -->`;
export const chatMarker = (week: string) => `<!-- sep-bot:chat week=${week} -->`;

export interface DigestOptions {
  now?: () => Date;
  /** Write the issue (and tell the chat); otherwise only render. */
  post: boolean;
  chat?: ChatTarget | null;
  log: Logger;
  fetch?: typeof fetch;
}

export interface DigestResult {
  week: string;
  title: string;
  markdown: string;
  issue: { number: number; url: string; action: "created" | "updated" | "unchanged" } | null;
  chat: "sent" | "already sent" | "failed" | null;
}

const ISSUES_QUERY = `query SepDigestIssues($owner: String!, $name: String!, $labels: [String!]) {
  repository(owner: $owner, name: $name) {
    issues(first: 20, labels: $labels, states: [OPEN, CLOSED], orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes { number url body viewerDidAuthor }
    }
  }
}`;

export interface IssueNode {
  number: number;
  url: string;
  body: string;
  viewerDidAuthor: boolean;
}

/** This week's digest issue, if the bot has posted it (ours only: anyone can open an issue with the label and paste the marker). */
export async function findDigestIssue(octokit: GitHub, owner: string, repo: string, label: string, week: string): Promise<IssueNode | null> {
  const data = await graphql<{ repository: { issues: { nodes: Array<IssueNode | null> } } | null }>(octokit, ISSUES_QUERY, { owner, name: repo, labels: [label] }, []);
  return (data.repository?.issues.nodes ?? []).find((n): n is IssueNode => !!n && n.viewerDidAuthor && n.body.includes(digestMarker(week))) ?? null;
}

export async function digest(octokit: GitHub, owner: string, repo: string, options: DigestOptions): Promise<DigestResult> {
  const now = (options.now ?? (() => new Date()))();
  const { read, rules } = await readSweep(octokit, owner, repo, now);
  const markdown = renderDigest(digestInput(read, rules, now));
  const week = isoWeek(now.toISOString());
  const title = rules.digest.title.replace(/\{week\}/g, week);
  const result: DigestResult = { week, title, markdown, issue: null, chat: null };
  if (!options.post) return result;

  const existing = await findDigestIssue(octokit, owner, repo, rules.digest.label, week);
  const announced = existing?.body.includes(chatMarker(week)) ?? false;
  const announce = !!options.chat && !announced;
  const body = `${markdown}\n\n${digestMarker(week)}${announced || announce ? `\n${chatMarker(week)}` : ""}\n`;

  if (!existing) {
    const created = await octokit.rest.issues.create({ owner, repo, title, body, labels: [rules.digest.label] });
    result.issue = { number: created.data.number, url: created.data.html_url, action: "created" };
  } else if (existing.body !== body) {
    await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, title, body });
    result.issue = { number: existing.number, url: existing.url, action: "updated" };
  } else {
    result.issue = { number: existing.number, url: existing.url, action: "unchanged" };
  }
  options.log.info({ issue: result.issue.number, week }, `digest ${week}: issue ${result.issue.action}`);

  if (options.chat) {
    if (announced) result.chat = "already sent";
    else {
      const summary = markdown.split("\n")[2] ?? "";
      try {
        await postChat(options.chat, chatMessage(options.chat.format, title, summary, result.issue.url), options.fetch);
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
