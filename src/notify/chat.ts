/**
 * The digest's announcement in a team chat: one short message with the
 * week's numbers and the link, to a Discord or Slack incoming webhook
 * whose URL comes from the environment (it is a secret: never logged).
 */

export type ChatFormat = "discord" | "slack";

export interface ChatTarget {
  url: string;
  format: ChatFormat;
}

export class ChatError extends Error {}

/** SEP_BOT_CHAT_WEBHOOK (and SEP_BOT_CHAT_FORMAT when the host does not say); null when unset. */
export function chatTarget(env: NodeJS.ProcessEnv): ChatTarget | null {
  const raw = env.SEP_BOT_CHAT_WEBHOOK?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ChatError("SEP_BOT_CHAT_WEBHOOK is not a URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && ["127.0.0.1", "localhost"].includes(url.hostname))) {
    throw new ChatError("SEP_BOT_CHAT_WEBHOOK must be an https:// URL");
  }
  const given = env.SEP_BOT_CHAT_FORMAT?.trim().toLowerCase();
  if (given && given !== "discord" && given !== "slack") throw new ChatError(`SEP_BOT_CHAT_FORMAT must be discord or slack (got "${given}")`);
  const byHost = /(^|\.)discord(app)?\.com$/.test(url.hostname) ? "discord" : url.hostname === "hooks.slack.com" ? "slack" : null;
  const format = (given as ChatFormat | undefined) ?? byHost;
  if (!format) throw new ChatError(`cannot tell the chat from ${url.hostname}: set SEP_BOT_CHAT_FORMAT to discord or slack`);
  return { url: url.toString(), format };
}

/** The message: the digest's headline and summary, and where to read it. */
export function chatMessage(format: ChatFormat, title: string, summary: string, link: string): Record<string, unknown> {
  // Mentions in a chat would ping people; the digest never means to.
  const plain = (text: string) => text.replace(/@/g, "@\u200b").replace(/[<>]/g, "");
  const text = `**${plain(title)}**\n${plain(summary)}\n${link}`;
  if (format === "discord") return { content: text.slice(0, 2000), allowed_mentions: { parse: [] } };
  return { text: `*${plain(title)}*\n${plain(summary)}\n<${link}|Read the digest>`, unfurl_links: false };
}

export async function postChat(target: ChatTarget, body: Record<string, unknown>, fetchImpl: typeof fetch = fetch): Promise<void> {
  let response: Response;
  try {
    response = await fetchImpl(target.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new ChatError(`the ${target.format} webhook could not be reached: ${(error as Error).message}`);
  }
  if (!response.ok) throw new ChatError(`the ${target.format} webhook answered ${response.status}`);
}

/** What the digest calls once the week's issue is there: this chat told, once (the digest records it). */
export function chatAnnouncer(target: ChatTarget, fetchImpl: typeof fetch = fetch): (digest: { title: string; summary: string; url: string }) => Promise<void> {
  return (digest) => postChat(target, chatMessage(target.format, digest.title, digest.summary, digest.url), fetchImpl);
}
