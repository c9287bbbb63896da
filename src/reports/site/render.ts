import { SITE_CSS, SITE_JS } from "./assets.js";
import { renderFeed } from "./feed.js";
import { esc, link, linksFor, pageName, plural, statusName, t } from "./html.js";
import type { SiteData, SiteWaiting } from "./model.js";
import { agendaSection, deadlinesSection } from "./calendar.js";
import { needsSection, personSection, waitingSection } from "./people.js";
import { changesSection, pipelineSection } from "./pipeline.js";
import { releasesSection } from "./releases-view.js";
import { indexSection, row, SORT_KEYS, tableHead, viewStatuses, type SiteView } from "./table.js";

/**
 * The SEP site as files: index.html (everything readable without JavaScript:
 * the table, the charts, the agenda, the deadlines, the releases across the
 * SDKs, who each SEP waits on, what changed), feed.xml (Atom), seps.json,
 * one stylesheet, one script; and,
 * for a site written as files, a page per status and per person, so those
 * views are links that work without JavaScript (`sep-bot serve` filters
 * `index.html?status=...&person=...` itself instead). A pure function of the
 * data, so the same state and time give the same bytes. Titles and names
 * come from files and pull requests anyone can open: every one is escaped,
 * made one line and capped, and links are only ever http(s) addresses.
 *
 * This module puts the page together: which files, in which order, the page
 * around the sections, and the view a query asks for. Each section is a
 * module of its own (table.ts, people.ts, calendar.ts, pipeline.ts,
 * releases-view.ts), and all of them escape and link through html.ts, so a
 * section can change without the page's frame, and the frame without them.
 */

export interface SiteAsset {
  /** The media type to serve it with. */
  type: string;
  body: string;
}

/**
 * The policy the page declares in a `<meta>` tag and a server should send as
 * a header: nothing but the page's own files (the script and stylesheet next
 * to it); no inline script or style, no other origin.
 */
export const SITE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'";

export type { SiteView } from "./table.js";

export interface RenderOptions {
  /** Served by `sep-bot serve`: views are `?status=`/`?person=` links the server filters; otherwise pages of their own. */
  served?: boolean;
  /** The site's published address (`links.site`): the feed names itself with it. */
  site?: string | null;
}

/** Every file of the site by its path, in the order to write them. */
export function renderSite(data: SiteData, options: RenderOptions = {}): Map<string, SiteAsset> {
  const html = "text/html; charset=utf-8";
  const files = new Map<string, SiteAsset>([
    ["index.html", { type: html, body: renderIndex(data, options) }],
    ["seps.json", { type: "application/json; charset=utf-8", body: renderJson(data) }],
    ["feed.xml", { type: "application/atom+xml; charset=utf-8", body: renderFeed(data, options.site ?? null) }],
    ["site.css", { type: "text/css; charset=utf-8", body: SITE_CSS }],
    ["site.js", { type: "text/javascript; charset=utf-8", body: SITE_JS }],
  ]);
  if (!options.served) {
    for (const id of viewStatuses(data)) files.set(`status/${id}.html`, { type: html, body: renderStatusPage(data, id) });
    for (const p of data.waitingOn.people) files.set(`people/${pageName(p.login)}.html`, { type: html, body: renderPersonPage(data, p) });
  }
  return files;
}

export function renderJson(data: SiteData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** The view a query asks for, each value checked against the data (an unknown status, type or person is no filter). */
export function viewOf(query: URLSearchParams, data: SiteData): SiteView {
  const view: SiteView = {};
  const status = query.get("status") ?? "";
  if (status && (status === "unknown" ? data.seps.some((s) => s.status === null) : data.seps.some((s) => s.status === status) || data.statuses.some((s) => s.id === status))) view.status = status;
  const type = query.get("type") ?? "";
  if (type && (type === "unknown" ? data.seps.some((s) => s.type === null) : data.seps.some((s) => s.type === type) || data.types.some((t) => t.id === type))) view.type = type;
  const q = (query.get("q") ?? "").trim().slice(0, 200);
  if (q) view.q = q;
  const sort = query.get("sort") ?? "";
  if (SORT_KEYS.includes(sort.replace(/^-/, ""))) view.sort = sort;
  const person = query.get("person") ?? "";
  const found = data.waitingOn.people.find((p) => p.login.toLowerCase() === person.toLowerCase());
  if (found) view.person = found.login;
  if (query.get("finished") === "1") view.finished = true;
  return view;
}

// ---------------------------------------------------------------- the page

function head(data: SiteData, title: string, root: string, script: boolean): string[] {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(SITE_CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${title}</title>`,
    `<link rel="stylesheet" href="${root}site.css">`,
    `<link rel="alternate" type="application/atom+xml" title="${t(`SEPs of ${data.repository.owner}/${data.repository.name}: what changed`, 200)}" href="${root}feed.xml">`,
    ...(script ? [`<script src="${root}site.js" defer></script>`] : []),
    "</head>",
  ];
}

function footer(data: SiteData, root: string): string[] {
  return [
    "<footer>",
    `<p>Made by sep-bot from one read of the repository's pull requests and SEP files. The same data for other tools: <a href="${root}seps.json">seps.json</a> (format version ${data.version}, ${link(data.schema, "its schema")}); what changes, as a feed: <a href="${root}feed.xml">feed.xml</a> (Atom).</p>`,
    "</footer>",
  ];
}

export function renderIndex(data: SiteData, options: RenderOptions & { view?: SiteView } = {}): string {
  const view = options.view ?? {};
  const links = linksFor(data, !!options.served);
  const bySep = new Map(data.seps.map((s) => [s.number, s]));
  const repo = `${data.repository.owner}/${data.repository.name}`;
  const open = data.seps.filter((s) => s.pullRequest?.open).length;
  const generated = `${data.generatedAt.slice(0, 10)} ${data.generatedAt.slice(11, 16)} UTC`;
  const person = view.person ? (data.waitingOn.people.find((p) => p.login === view.person) ?? null) : null;
  return [
    ...head(data, `SEPs: ${t(repo, 140)}`, "", true),
    "<body>",
    '<a class="skip" href="#main">Skip to the content</a>',
    "<header>",
    `<p class="repo">${link(data.repository.url, t(repo, 140))}</p>`,
    "<h1>Specification Enhancement Proposals</h1>",
    `<p>${plural(data.seps.length, "SEP")}: ${open} in open pull requests, ${data.seps.length - open} only on the default branch (<code>${t(data.repository.defaultBranch, 100)}</code>). As of <time datetime="${t(data.generatedAt, 40)}">${t(generated, 30)}</time>.</p>`,
    '<nav aria-label="On this page">',
    "<ul>",
    '<li><a href="#needs-h">What waits on you</a></li>',
    '<li><a href="#seps">All SEPs</a></li>',
    '<li><a href="#pipeline">Pipeline</a></li>',
    '<li><a href="#agenda">Review agenda</a></li>',
    '<li><a href="#deadlines">Deadlines</a></li>',
    '<li><a href="#releases">Releases</a></li>',
    '<li><a href="#waiting">Waiting on</a></li>',
    '<li><a href="#changes">What changed</a></li>',
    '<li><a href="seps.json">seps.json</a></li>',
    '<li><a href="feed.xml">Feed (Atom)</a></li>',
    "</ul>",
    "</nav>",
    "</header>",
    '<main id="main">',
    ...needsSection(data, person, bySep, links),
    ...indexSection(data, view, links),
    ...pipelineSection(data, links),
    ...agendaSection(data, bySep, links),
    ...deadlinesSection(data, bySep, links),
    ...releasesSection(data, bySep, links),
    ...waitingSection(data, bySep, links, person?.login ?? null),
    ...changesSection(data, bySep, links),
    "</main>",
    ...footer(data, ""),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------- pages of their own (a site of files, without JavaScript)

function viewPage(data: SiteData, title: string, body: string[]): string {
  const repo = `${data.repository.owner}/${data.repository.name}`;
  return [
    ...head(data, `${title} · SEPs: ${t(repo, 140)}`, "../", false),
    "<body>",
    '<a class="skip" href="#main">Skip to the content</a>',
    "<header>",
    `<p class="repo">${link(data.repository.url, t(repo, 140))} · <a href="../index.html">All SEPs</a></p>`,
    `<h1>${title}</h1>`,
    `<p>As of <time datetime="${t(data.generatedAt, 40)}">${t(`${data.generatedAt.slice(0, 10)} ${data.generatedAt.slice(11, 16)} UTC`, 30)}</time>.</p>`,
    "</header>",
    '<main id="main">',
    ...body,
    "</main>",
    ...footer(data, "../"),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function renderStatusPage(data: SiteData, id: string): string {
  const links = linksFor(data, false, "../");
  const name = statusName(data, id === "unknown" ? null : id);
  const list = data.seps.filter((s) => (s.status ?? "unknown") === id);
  return viewPage(data, `SEPs: ${t(name, 60)}`, [
    '<section id="seps" aria-labelledby="seps-h">',
    `<h2 id="seps-h">${plural(list.length, "SEP")}: ${t(name, 60)}</h2>`,
    `<p><a href="../index.html?status=${encodeURIComponent(id)}#seps">The same on the full page</a> (filters and sorting, with JavaScript).</p>`,
    '<div class="scroll" role="region" aria-label="Table of the SEPs" tabindex="0">',
    '<table id="sep-table" class="sep-table cards">',
    `<caption>SEPs whose status is ${t(name, 60)}.</caption>`,
    tableHead({}, false),
    "<tbody>",
    ...list.map((s) => row(data, s, links, false)),
    "</tbody>",
    "</table>",
    "</div>",
    "</section>",
  ]);
}

function renderPersonPage(data: SiteData, p: SiteWaiting): string {
  const links = linksFor(data, false, "../");
  const bySep = new Map(data.seps.map((s) => [s.number, s]));
  return viewPage(data, `What waits on @${t(p.login, 40)}`, [
    `<p><a href="../index.html?person=${encodeURIComponent(p.login)}">The same above the full table</a> (with JavaScript).</p>`,
    ...personSection(data, p, bySep, links, true),
  ]);
}
