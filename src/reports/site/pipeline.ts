import { agesChart, countsChart } from "./charts.js";
import { changeHeadline } from "./feed.js";
import { esc, oneLine, sepRef, statusName, t, timeEl, who, type Links } from "./html.js";
import type { SiteData, SiteSep } from "./model.js";

/**
 * How the SEPs move: the pipeline (how many in each status, how long the
 * open ones have been there) and what changed lately (the feed's entries as
 * a table). The charts themselves are drawn in charts.ts; the headlines are
 * the feed's, so the page and the feed word a change the same way.
 */

export function pipelineSection(data: SiteData, links: Links): string[] {
  const e = (x: string) => esc(oneLine(x, 2000));
  const ages = agesChart(data, e);
  const filters = data.pipeline
    .filter((r) => r.status !== null && r.count > 0)
    .map((r) => `<li><a href="${esc(links.status(r.status!))}" data-status="${t(r.status!, 60)}">${t(statusName(data, r.status), 60)} (${r.count})</a></li>`);
  return [
    '<section id="pipeline" aria-labelledby="pipeline-h">',
    '<h2 id="pipeline-h">Pipeline</h2>',
    "<figure>",
    countsChart(data, e),
    countsChart(data, e, true),
    "<figcaption>SEPs per status. Dark: an open pull request; light: only a file on the default branch.</figcaption>",
    "</figure>",
    ...(filters.length ? ['<nav aria-label="Show a status in the table">', "<p>Show in the table:</p>", '<ul class="people">', ...filters, "</ul>", "</nav>"] : []),
    "<figure>",
    ...(ages ? [ages, agesChart(data, e, true)!] : ["<p>No open SEP pull requests.</p>"]),
    "<figcaption>How long each open SEP has been in its status: a dot per SEP, the box from the first to the third quartile, the line at the median.</figcaption>",
    "</figure>",
    "</section>",
  ];
}

export function changesSection(data: SiteData, bySep: Map<number, SiteSep>, links: Links): string[] {
  const shown = data.changes.slice(0, 20);
  return [
    '<section id="changes" aria-labelledby="changes-h">',
    '<h2 id="changes-h">What changed</h2>',
    `<p>New SEPs and status changes, newest first${data.changes.length > shown.length ? ` (the latest ${shown.length} of ${data.changes.length})` : ""}. Follow them in a feed reader: <a href="${links.root}feed.xml">feed.xml</a> (Atom).</p>`,
    ...(shown.length
      ? [
          '<table class="cards">',
          "<caption>What changed lately.</caption>",
          '<thead><tr><th scope="col">When</th><th scope="col">SEP</th><th scope="col">What</th><th scope="col">By</th></tr></thead>',
          "<tbody>",
          ...shown.map((c) => `<tr><td data-label="When">${timeEl(c.at)}</td><td data-label="SEP">${sepRef(bySep.get(c.sep), c.sep)}</td><td data-label="What">${t(changeHeadline(data, c), 200)}</td><td data-label="By">${c.by ? who(links, c.by) : "—"}</td></tr>`),
          "</tbody>",
          "</table>",
        ]
      : ["<p>Nothing changed lately.</p>"]),
    "</section>",
  ];
}

