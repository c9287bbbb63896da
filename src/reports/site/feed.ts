import type { SiteChange, SiteData } from "./model.js";

/**
 * The site's Atom feed (RFC 4287) of what changes: a new SEP, and each move
 * of its status (accepted, final, dormant among them), newest first, from
 * `data.changes`. Written by hand: a few elements, every text escaped for
 * XML, every id stable (the same change is the same entry in every build),
 * so feed readers show each change once.
 */

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text safe in XML content and attributes; characters XML 1.0 forbids (controls) are dropped. */
export function xmlText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

const statusName = (data: SiteData, id: string | null) => (id === null ? "unknown" : (data.statuses.find((s) => s.id === id)?.name ?? id));

/** "SEP-2003 accepted", "SEP-2100 is Final", "SEP-1990 became dormant", "SEP-2004 moved from Draft to In-Review". */
export function changeHeadline(data: SiteData, c: SiteChange): string {
  if (c.kind === "proposed") return `SEP-${c.sep} proposed`;
  switch (c.to) {
    case "accepted":
      return `SEP-${c.sep} accepted`;
    case "final":
      return `SEP-${c.sep} is Final`;
    case "dormant":
      return `SEP-${c.sep} became dormant`;
    case "rejected":
      return `SEP-${c.sep} rejected`;
    case "withdrawn":
      return `SEP-${c.sep} withdrawn`;
    default:
      return `SEP-${c.sep} moved from ${statusName(data, c.from)} to ${statusName(data, c.to)}`;
  }
}

/**
 * The feed. `site`: the page's absolute address (`links.site`), when known:
 * then the feed names itself and links there; otherwise links are relative
 * to the feed (beside index.html) and its id is a tag URI of the repository.
 */
export function renderFeed(data: SiteData, site: string | null = null): string {
  const repo = `${data.repository.owner}/${data.repository.name}`;
  const base = site ? site.replace(/[#?].*$/s, "").replace(/\/?$/, "/") : null;
  const page = base ? `${base}index.html` : "index.html";
  const feedId = base ? `${base}feed.xml` : `tag:github.com,2025:${repo}/seps`;
  const bySep = new Map(data.seps.map((s) => [s.number, s]));
  const updated = data.changes[0]?.at ?? data.generatedAt;
  const entries = data.changes.map((c) => {
    const sep = bySep.get(c.sep);
    const title = `${changeHeadline(data, c)}${sep ? `: ${sep.title}` : ""}`;
    const pr = `${data.repository.url}/pull/${c.pullRequest}`;
    const by = c.by ? ` by @${c.by}` : "";
    const summary =
      c.kind === "proposed"
        ? `Pull request #${c.pullRequest} proposes SEP-${c.sep}${by}${c.to ? ` (${statusName(data, c.to)})` : ""}.`
        : `SEP-${c.sep} moved from ${statusName(data, c.from)} to ${statusName(data, c.to)}${by}, on pull request #${c.pullRequest}.`;
    return [
      "  <entry>",
      `    <id>${xmlText(`tag:github.com,2025:${repo}/seps/${c.sep}/${c.kind}/${c.to ?? "none"}/${c.at}`)}</id>`,
      `    <title>${xmlText(title)}</title>`,
      `    <updated>${xmlText(c.at)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(pr)}"/>`,
      `    <link rel="related" type="text/html" href="${xmlText(`${page}#sep-${c.sep}`)}"/>`,
      ...(c.by ? [`    <author><name>${xmlText(c.by)}</name><uri>${xmlText(`https://github.com/${c.by}`)}</uri></author>`] : []),
      `    <category term="${xmlText(c.kind === "proposed" ? "proposed" : (c.to ?? "unknown"))}"/>`,
      `    <summary>${xmlText(summary)}</summary>`,
      "  </entry>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(feedId)}</id>`,
    `  <title>${xmlText(`SEPs of ${repo}: what changed`)}</title>`,
    `  <subtitle>New SEPs and status changes (accepted, Final, dormant...), from sep-bot.</subtitle>`,
    `  <updated>${xmlText(updated)}</updated>`,
    // Entries by people name them; the feed's own author covers the others (RFC 4287 4.1.1).
    `  <author><name>sep-bot</name></author>`,
    `  <generator>sep-bot</generator>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(page)}"/>`,
    ...(base ? [`  <link rel="self" type="application/atom+xml" href="${xmlText(`${base}feed.xml`)}"/>`] : []),
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
