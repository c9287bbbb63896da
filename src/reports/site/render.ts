import { SITE_CSS, SITE_JS } from "./assets.js";
import { agesChart, countsChart } from "./charts.js";
import { changeHeadline, renderFeed } from "./feed.js";
import { DEADLINE_WINDOW_DAYS, type SiteData, type SiteItem, type SiteNeed, type SitePerson, type SiteRelease, type SiteSdkState, type SiteSep, type SiteWaiting } from "./model.js";

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

/** What a URL's query asks the page to show: `?status=in-review&type=process&q=widgets&sort=-age&person=grace&finished=1`. */
export interface SiteView {
  status?: string;
  type?: string;
  q?: string;
  sort?: string;
  person?: string;
  /** The finished SEPs' table open. */
  finished?: boolean;
}

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

// ---------------------------------------------------------------- escaping

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Untrusted text as one line: no control or bidi-override characters, at most `max` code points. */
export function oneLine(text: string, max = 200): string {
  const line = text
    .replace(/[\s\u0085]+/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "")
    .trim();
  const points = [...line];
  return points.length <= max ? line : `${points.slice(0, max - 1).join("").trimEnd()}…`;
}

/** Text safe in element content and in quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const t = (text: string, max = 200) => esc(oneLine(text, max));

/** An http(s) address, escaped for an attribute; null for anything else (`javascript:`, `data:`...). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url || !/^https?:\/\/[^\s<>"'`]+$/i.test(url)) return null;
  return esc(url);
}

function link(url: string | null | undefined, text: string, attrs = ""): string {
  const href = safeHref(url);
  return href ? `<a href="${href}"${attrs}>${text}</a>` : text;
}

/** A login as an id fragment: `waiting-<login>`; GitHub logins are letters, digits and hyphens. */
export function personAnchor(login: string): string {
  return `waiting-${pageName(login)}`;
}

/** A login or a status id as a file name: lowercase letters, digits and hyphens. */
function pageName(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9-]/g, "_").slice(0, 60);
}

// ---------------------------------------------------------------- formatting

const DAY = 86_400_000;
const ymd = (iso: string | null) => (iso === null ? "—" : iso.slice(0, 10));
const days = (now: string, iso: string | null) => (iso === null ? null : Math.floor((Date.parse(now) - Date.parse(iso)) / DAY));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function statusName(data: SiteData, id: string | null): string {
  return id === null ? "Unknown" : (data.statuses.find((s) => s.id === id)?.name ?? id);
}
function typeName(data: SiteData, id: string | null): string {
  return id === null ? "Unknown" : (data.types.find((s) => s.id === id)?.name ?? id);
}

function timeEl(iso: string | null): string {
  return iso === null ? "—" : `<time datetime="${t(iso, 40)}">${t(ymd(iso), 10)}</time>`;
}

function since(data: SiteData, iso: string | null): string {
  const n = days(data.generatedAt, iso);
  return iso === null ? "—" : `${timeEl(iso)} <span class="muted">(${n === null || Number.isNaN(n) ? "?" : plural(n, "day")})</span>`;
}

/** The statuses a view can show: the rules' ones some SEP is in, others, and unknown. */
function viewStatuses(data: SiteData): string[] {
  return [...new Set(data.seps.map((s) => s.status ?? "unknown"))].sort();
}

/**
 * How the page links to its views and people: to pages of their own (a site
 * of files; the script turns them into this page's `?status=` and `?person=`
 * views), or to the server's filtered page (`sep-bot serve`).
 */
interface Links {
  served: boolean;
  /** "" on index.html, "../" on a page in status/ or people/. */
  root: string;
  person: (login: string) => string;
  status: (id: string) => string;
  /** Logins that have a view. */
  viewable: Set<string>;
}

function linksFor(data: SiteData, served: boolean, root = ""): Links {
  return {
    served,
    root,
    person: (login) => (served ? `?person=${encodeURIComponent(login)}` : `${root}people/${pageName(login)}.html`),
    status: (id) => (served ? `?status=${encodeURIComponent(id)}#seps` : `${root}status/${pageName(id)}.html`),
    viewable: new Set(data.waitingOn.people.map((p) => p.login.toLowerCase())),
  };
}

/** A login: a link to their view when the page has one, else the login alone. */
function who(links: Links, login: string): string {
  const text = `@${t(login, 40)}`;
  if (!links.viewable.has(login.toLowerCase())) return text;
  return `<a href="${esc(links.person(login))}" data-person="${t(login, 40)}">${text}</a>`;
}

function personText(links: Links, p: SitePerson): string {
  const login = p.login ? who(links, p.login) : "";
  if (p.name && login) return `${t(p.name, 80)} (${login})`;
  return login || t(p.name ?? "", 80);
}

/** SEP-n and its title, linking to the pull request when open, else to the file. */
function sepRef(sep: SiteSep | undefined, number: number): string {
  if (!sep) return `SEP-${number}`;
  const url = sep.pullRequest?.open ? sep.pullRequest.url : sep.file.url;
  return `${link(url, `SEP-${sep.number}`)} ${t(sep.title)}`;
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

/** The person picker, and the chosen person's view above the table (the script moves their section here). */
function needsSection(data: SiteData, person: SiteWaiting | null, bySep: Map<number, SiteSep>, links: Links): string[] {
  const options = data.waitingOn.people.map((p) => {
    const label = `@${p.login}${p.name ? ` (${p.name})` : ""}: ${p.next.length} waiting`;
    return `<option value="${t(p.login, 40)}"${person?.login === p.login ? " selected" : ""}>${t(label, 140)}</option>`;
  });
  return [
    '<section id="needs" aria-labelledby="needs-h">',
    '<h2 id="needs-h">What waits on you</h2>',
    // Without the script a file site cannot answer a query: its people's pages (below, "Waiting on") are the links then.
    `<form id="person-picker" class="filters${links.served ? "" : " js-only"}" method="get" role="search" aria-label="Choose a person">`,
    `<div><label for="f-person">Person</label><select id="f-person" name="person"><option value="">Choose a person</option>${options.join("")}</select></div>`,
    '<div><button type="submit">Show</button></div>',
    "</form>",
    `<p class="muted">What waits on a maintainer, sponsor or author, most urgent first: a dated deadline coming, a vote not cast, a SEP to sponsor, an author's next step; then, for an SDK's maintainers, the SEPs their SDK has not implemented yet. Each person's view is also a link: ${links.served ? "<code>?person=&lt;login&gt;</code>" : "<code>index.html?person=&lt;login&gt;</code>, or their page under <code>people/</code>"}.</p>`,
    `<div id="needs-view"${person ? "" : " hidden"}>`,
    ...(person ? personSection(data, person, bySep, links, true) : []),
    "</div>",
    "</section>",
  ];
}

const SORT_KEYS = ["number", "title", "status", "type", "created", "activity", "age"];
const COLUMNS = [
  ["number", "SEP", "num"],
  ["title", "Title", "title"],
  ["status", "Status", ""],
  ["type", "Type", ""],
  [null, "Authors", "people"],
  [null, "Sponsors", "people"],
  ["created", "Created", ""],
  ["activity", "Last activity", ""],
  ["age", "Days in status", "num"],
  [null, "Pull request", ""],
] as const;

/** A row's words for search: number, title, every author's and sponsor's name and login. */
function searchText(s: SiteSep): string {
  return [String(s.number), `sep-${s.number}`, s.title, ...[...s.authors, ...s.sponsors].flatMap((p) => [p.name ?? "", p.login ?? "", p.login ? `@${p.login}` : ""])]
    .map((x) => oneLine(x, 200).toLowerCase())
    .filter(Boolean)
    .join(" ");
}

/** Does the row show in this view (status, type, words)? */
function shows(s: SiteSep, view: SiteView): boolean {
  const words = (view.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const text = searchText(s);
  return (!view.status || (s.status ?? "unknown") === view.status) && (!view.type || (s.type ?? "unknown") === view.type) && words.every((w) => text.includes(w));
}

function sortRows(data: SiteData, seps: readonly SiteSep[], sort: string | undefined): SiteSep[] {
  const key = (sort ?? "").replace(/^-/, "");
  if (!key || key === "number") return sort === "-number" ? [...seps].reverse() : [...seps];
  const dir = sort!.startsWith("-") ? -1 : 1;
  const rank = new Map(data.statuses.map((s, i) => [s.id, i]));
  const typeRank = new Map(data.types.map((s, i) => [s.id, i]));
  const value = (s: SiteSep): string | number | null =>
    key === "title" ? s.title.toLowerCase()
    : key === "status" ? (s.status === null ? null : (rank.get(s.status) ?? data.statuses.length))
    : key === "type" ? (s.type === null ? null : (typeRank.get(s.type) ?? data.types.length))
    : key === "created" ? s.created
    : key === "activity" ? s.lastActivity
    : s.daysInStatus;
  return [...seps].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? a.number - b.number : x === null ? 1 : -1;
    return ((x < y ? -1 : x > y ? 1 : 0) * dir) || a.number - b.number;
  });
}

function tableHead(view: SiteView, sortable: boolean): string {
  const current = view.sort ?? "number";
  const key = current.replace(/^-/, "");
  return `<thead><tr>${COLUMNS.map(([k, label, cls]) => {
    const c = cls ? ` class="${cls}"` : "";
    if (k === null || !sortable) return `<th scope="col"${c}>${label}</th>`;
    const sorted = k === key ? ` aria-sort="${current.startsWith("-") ? "descending" : "ascending"}"` : "";
    // The label for a page without its script, the button (sorting) with it.
    return `<th scope="col"${c}${sorted}><span class="no-js">${label}</span><button type="button" class="js-only" data-sort="${k}">${label}</button></th>`;
  }).join("")}</tr></thead>`;
}

function row(data: SiteData, s: SiteSep, links: Links, hidden: boolean): string {
  const statusRank = new Map(data.statuses.map((x, i) => [x.id, i]));
  const typeRank = new Map(data.types.map((x, i) => [x.id, i]));
  const attrs = [
    `id="sep-${s.number}"`,
    `data-status="${t(s.status ?? "unknown", 60)}"`,
    `data-type="${t(s.type ?? "unknown", 60)}"`,
    `data-text="${esc(searchText(s))}"`,
    `data-key-number="${s.number}"`,
    `data-key-title="${t(s.title.toLowerCase())}"`,
    `data-key-status="${s.status === null ? "" : (statusRank.get(s.status) ?? data.statuses.length)}"`,
    `data-key-type="${s.type === null ? "" : (typeRank.get(s.type) ?? data.types.length)}"`,
    `data-key-created="${t(s.created ?? "", 10)}"`,
    `data-key-activity="${t(s.lastActivity ?? "", 40)}"`,
    `data-key-age="${s.daysInStatus ?? ""}"`,
    ...(hidden ? ["hidden"] : []),
  ];
  const pr = s.pullRequest ? `${link(s.pullRequest.url, `#${s.pullRequest.number}`)}${s.pullRequest.open ? ' <span class="badge">open</span>' : ""}` : "—";
  const fileSays = s.fileStatus !== null && s.fileStatus !== s.status && s.pullRequest?.open ? ` <span class="muted">(its file says ${t(statusName(data, s.fileStatus), 60)})</span>` : "";
  const flags = [
    ...(s.checked === false ? ['<span class="badge unchecked">not checked by sep-bot yet</span>'] : []),
    ...(s.paused ? ['<span class="badge">clocks paused</span>'] : []),
    ...(s.checks === "failure" ? ['<span class="badge failure">checks fail</span>'] : []),
  ];
  // The title leads to the rendered page when there is one, else to the file; the file is linked either way.
  const title = s.page ? `${link(s.page, t(s.title))} <span class="muted">(${link(s.file.url, "file")})</span>` : link(s.file.url, t(s.title));
  // Awaiting a sponsor: the people its file names have not taken it up yet.
  const awaiting = s.status !== null && data.statuses.find((x) => x.id === s.status)?.name === "Awaiting a sponsor";
  const sponsors = s.sponsors.length ? `${awaiting ? '<span class="muted">named:</span> ' : ""}${s.sponsors.map((p) => personText(links, p)).join(", ")}` : "—";
  const cell = (label: string, body: string, cls = "") => `<td data-label="${label}"${cls ? ` class="${cls}"` : ""}>${body}</td>`;
  return [
    `<tr ${attrs.join(" ")}>`,
    cell("SEP", String(s.number), "num"),
    cell("Title", title, "title"),
    cell("Status", `${t(statusName(data, s.status), 60)}${fileSays}${flags.length ? ` ${flags.join(" ")}` : ""}`),
    cell("Type", t(typeName(data, s.type), 60)),
    cell("Authors", `${s.authors.length ? s.authors.slice(0, 8).map((p) => personText(links, p)).join(", ") : "—"}${s.authors.length > 8 ? ` and ${s.authors.length - 8} more` : ""}`, "people"),
    cell("Sponsors", sponsors, "people"),
    cell("Created", s.created ? `<time datetime="${t(s.created, 10)}">${t(s.created, 10)}</time>` : "—"),
    cell("Last activity", timeEl(s.lastActivity)),
    cell("Days in status", String(s.daysInStatus ?? "—"), "num"),
    cell("Pull request", pr),
    "</tr>",
  ].join("");
}

function indexSection(data: SiteData, view: SiteView, links: Links): string[] {
  const presentStatuses = new Set(data.seps.map((s) => s.status));
  const presentTypes = new Set(data.seps.map((s) => s.type));
  const count = (pred: (s: SiteSep) => boolean) => data.seps.filter(pred).length;
  const option = (value: string, label: string, selected: string | undefined) => `<option value="${t(value, 60)}"${selected === value ? " selected" : ""}>${label}</option>`;
  const known = new Set(data.statuses.map((s) => s.id));
  const knownTypes = new Set(data.types.map((s) => s.id));
  const statusOptions = [
    option("", "Any status", view.status),
    ...data.statuses.map((s) => option(s.id, `${t(s.name, 60)} (${count((x) => x.status === s.id)})`, view.status)),
    ...[...presentStatuses].filter((id): id is string => id !== null && !known.has(id)).sort().map((id) => option(id, `${t(id, 60)} (${count((x) => x.status === id)})`, view.status)),
    ...(presentStatuses.has(null) ? [option("unknown", `Unknown (${count((x) => x.status === null)})`, view.status)] : []),
  ];
  const typeOptions = [
    option("", "Any type", view.type),
    ...data.types.map((s) => option(s.id, `${t(s.name, 60)} (${count((x) => x.type === s.id)})`, view.type)),
    ...[...presentTypes].filter((id): id is string => id !== null && !knownTypes.has(id)).sort().map((id) => option(id, `${t(id, 60)} (${count((x) => x.type === id)})`, view.type)),
    ...(presentTypes.has(null) ? [option("unknown", `Unknown (${count((x) => x.type === null)})`, view.type)] : []),
  ];
  const active = data.seps.filter((s) => !s.finished);
  const finished = data.seps.filter((s) => s.finished);
  const sorted = (list: SiteSep[]) => sortRows(data, list, view.sort);
  const shownActive = active.filter((s) => shows(s, view)).length;
  const shownFinished = finished.filter((s) => shows(s, view)).length;
  // A status filter on an end state asks for the finished SEPs.
  const openFinished = !!view.finished || (!!view.status && finished.some((s) => (s.status ?? "unknown") === view.status));
  const filtered = !!(view.status || view.type || view.q);
  const statusLinks = viewStatuses(data).map((id) => `<li><a href="${esc(links.status(id))}" data-status="${t(id, 60)}">${t(statusName(data, id === "unknown" ? null : id), 60)} (${count((s) => (s.status ?? "unknown") === id)})</a></li>`);
  const table = (id: string, caption: string, list: SiteSep[]) => [
    '<div class="scroll" role="region" aria-label="' + esc(caption) + '" tabindex="0">',
    `<table id="${id}" class="sep-table cards">`,
    `<caption>${caption}</caption>`,
    tableHead(view, true),
    "<tbody>",
    ...sorted(list).map((s) => row(data, s, links, !shows(s, view))),
    "</tbody>",
    "</table>",
    "</div>",
  ];
  return [
    '<section id="seps" aria-labelledby="seps-h">',
    '<h2 id="seps-h">All SEPs</h2>',
    `<form id="sep-filter" class="filters${links.served ? "" : " js-only"}" method="get" role="search" aria-label="Filter the SEPs">`,
    `<div><label for="f-status">Status</label><select id="f-status" name="status">${statusOptions.join("")}</select></div>`,
    `<div><label for="f-type">Type</label><select id="f-type" name="type">${typeOptions.join("")}</select></div>`,
    `<div><label for="f-q">Search titles, numbers and people</label><input id="f-q" name="q" type="search" maxlength="200" autocomplete="off" value="${t(view.q ?? "", 200)}"></div>`,
    `<input type="hidden" name="sort" value="${t(view.sort ?? "", 20)}">`,
    `<input type="hidden" name="person" value="${t(view.person ?? "", 40)}">`,
    '<div><button type="submit">Filter</button></div>',
    "</form>",
    '<nav aria-label="Show one status">',
    `<p>${links.served ? "One status:" : "One status (a page of its own):"}</p>`,
    `<ul class="statuses">${statusLinks.join("")}</ul>`,
    "</nav>",
    `<p id="sep-count" class="count" role="status">${filtered ? `Showing ${shownActive} of ${plural(active.length, "SEP")} in progress${finished.length ? `, and ${shownFinished} of ${finished.length} finished` : ""}.` : `Showing all ${plural(active.length, "SEP")} in progress${finished.length ? `; ${finished.length} finished below` : ""}.`}</p>`,
    ...table("sep-table", "SEPs in progress: open pull requests (the live state) and files on the default branch. Days in status are known for open pull requests.", active),
    ...(active.length ? [] : ["<p>No SEP is in progress.</p>"]),
    ...(finished.length
      ? [
          `<details id="finished"${openFinished ? " open" : ""}>`,
          `<summary>Finished SEPs (${finished.length}): ${t([...new Set(finished.map((s) => statusName(data, s.status)))].join(", "), 200)}</summary>`,
          ...table("sep-finished", "Finished SEPs: final, rejected, withdrawn, superseded or dormant, with nothing left to do.", finished),
          "</details>",
        ]
      : []),
    ...(data.seps.length ? [] : ["<p>No SEPs yet: no open SEP pull request and no SEP file on the default branch.</p>"]),
    "</section>",
  ];
}

function pipelineSection(data: SiteData, links: Links): string[] {
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

function sponsorsOf(s: SiteSep, links: Links): string {
  return s.sponsors.length ? s.sponsors.map((p) => (p.login ? who(links, p.login) : personText(links, p))).join(", ") : "—";
}

function agendaSection(data: SiteData, bySep: Map<number, SiteSep>, links: Links): string[] {
  const rows = data.agenda.map((n) => {
    const s = bySep.get(n)!;
    const v = s.votes;
    const tally = v ? `${v.yes} yes, ${v.no} no, ${v.abstain} abstain` : "none yet";
    const missing = v?.notVoted ? (v.notVoted.length ? v.notVoted.map((l) => who(links, l)).join(", ") : "everyone has voted") : "unknown";
    return `<tr><td data-label="SEP">${sepRef(s, n)}</td><td data-label="Sponsors">${sponsorsOf(s, links)}</td><td data-label="Days in review" class="num">${s.daysInStatus ?? "—"}</td><td data-label="Votes">${tally}</td><td data-label="Not voted yet">${missing}</td></tr>`;
  });
  return [
    '<section id="agenda" aria-labelledby="agenda-h">',
    '<h2 id="agenda-h">Agenda of the next core-maintainer review</h2>',
    ...(rows.length
      ? [
          "<p>SEPs in review, longest first. Core maintainers vote with <code>/vote yes|no|abstain</code> and decide with <code>/accept</code>, <code>/reject</code> or <code>/status draft</code>.</p>",
          '<div class="scroll" role="region" aria-label="Table of the agenda" tabindex="0">',
          '<table class="cards">',
          '<thead><tr><th scope="col">SEP</th><th scope="col">Sponsors</th><th scope="col" class="num">Days in review</th><th scope="col">Votes</th><th scope="col">Not voted yet</th></tr></thead>',
          "<tbody>",
          ...rows,
          "</tbody>",
          "</table>",
          "</div>",
        ]
      : ["<p>Nothing is in review.</p>"]),
    "</section>",
  ];
}

function deadlinesSection(data: SiteData, bySep: Map<number, SiteSep>, links: Links): string[] {
  const rows = data.deadlines.map(
    (d) =>
      `<tr><td data-label="Date"><time datetime="${t(d.date, 10)}">${t(d.date, 10)}</time></td><td data-label="SEP">${sepRef(bySep.get(d.sep), d.sep)}</td><td data-label="What"><span class="badge ${d.kind}">${d.kind}</span> ${t(d.what, 200)}</td><td data-label="Who is told">${d.to.length ? d.to.map((l) => who(links, l)).join(", ") : "—"}</td></tr>`,
  );
  return [
    '<section id="deadlines" aria-labelledby="deadlines-h">',
    `<h2 id="deadlines-h">Deadlines in the next ${DEADLINE_WINDOW_DAYS} days</h2>`,
    ...(rows.length
      ? [
          "<p>Reminders, the dated warnings before dormancy, and dormancy itself, as the clocks will send them (for a pull request sep-bot has not checked yet, as its first check will date them). Any activity by a person can move them.</p>",
          '<div class="scroll" role="region" aria-label="Table of the deadlines" tabindex="0">',
          '<table class="cards">',
          '<thead><tr><th scope="col">Date</th><th scope="col">SEP</th><th scope="col">What</th><th scope="col">Who is told</th></tr></thead>',
          "<tbody>",
          ...rows,
          "</tbody>",
          "</table>",
          "</div>",
        ]
      : [`<p>No deadline falls in the next ${DEADLINE_WINDOW_DAYS} days.</p>`]),
    "</section>",
  ];
}

const NEED_WORDS: Record<SiteNeed["kind"], string> = { deadline: "Deadline", vote: "Your vote", sponsor: "To sponsor", author: "Your step", sdk: "Your SDK" };

// ---------------------------------------------------------------- the releases across the SDKs

const SDK_STATE_WORDS: Record<SiteSdkState, string> = { done: "done", open: "open", "not-filed": "not filed", "no-access": "no access", "not-needed": "not needed", "not-planned": "closed as not planned" };

/** A release's section id: its name as an id fragment (two names alike get a number). */
function releaseAnchors(releases: readonly SiteRelease[]): string[] {
  const used = new Set<string>();
  return releases.map((r) => {
    const base = `release-${r.version === null ? "none" : pageName(r.version)}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

/**
 * Each release: its dates, what each SDK still owes (with its tier's deadline and
 * its maintainers), and every SEP of the release against every SDK. A release
 * with nothing owed is folded away; the SEPs with no release yet come last.
 */
function releasesSection(data: SiteData, bySep: Map<number, SiteSep>, links: Links): string[] {
  const today = data.generatedAt.slice(0, 10);
  // A cell's content in one element: a phone's card lays the label and it side by side (a grid of two columns).
  const cell = (label: string, body: string, cls = "") => `<td data-label="${label}"${cls ? ` class="${cls}"` : ""}><span>${body}</span></td>`;
  const anchors = releaseAnchors(data.releases);
  const day = (date: string) => `<time datetime="${t(date, 10)}">${t(date, 10)}</time>`;
  const one = (r: SiteRelease, id: string): string[] => {
    const name = r.version === null ? "No release yet" : `Release ${t(r.version, 60)}`;
    const dates = [
      ...(r.candidate ? [`release candidate ${day(r.candidate)}`] : []),
      ...(r.release ? [`release ${day(r.release)}`] : []),
      ...r.deadlines.map((d) => `Tier ${d.tier} SDKs by ${day(d.date)}`),
    ];
    const owed = new Set(r.sdks.flatMap((s) => s.owes));
    const rowId = (sep: number) => `${id}-sep-${sep}`;
    const owes = r.sdks.map((s) => {
      const late = s.deadline !== null && s.deadline < today && s.owes.length > 0;
      const deadline = s.deadline ? `${day(s.deadline)}${late ? ' <span class="badge failure">passed</span>' : ""}` : "—";
      const seps = s.owes.length ? `${plural(s.owes.length, "SEP")}: ${s.owes.map((n) => `<a href="#${esc(rowId(n))}">SEP-${n}</a>`).join(", ")}` : "nothing";
      return `<tr>${cell("SDK", link(s.url, t(s.name, 60)))}${cell("Tier", String(s.tier ?? "—"), "num")}${cell("Deadline", deadline)}${cell("Still owes", seps)}${cell("Maintainers", s.maintainers.length ? s.maintainers.map((l) => who(links, l)).join(", ") : "—")}</tr>`;
    });
    const rows = r.seps.map((n) => {
      const s = bySep.get(n);
      const impl = s?.implementation ?? null;
      const umbrella = impl?.umbrella ? ` <span class="muted">(umbrella ${link(impl.umbrella.url, `#${impl.umbrella.number}`)}${impl.umbrella.open ? "" : ", closed: no longer tracked"})</span>` : "";
      const cells = r.sdks.map((sdk) => {
        const line = impl?.sdks.find((l) => l.repo.toLowerCase() === sdk.repo.toLowerCase()) ?? null;
        const said: SiteSdkState = impl?.none ? "not-needed" : (line?.state ?? "not-filed");
        // A state the page does not know (a hand-made seps.json) is no class name.
        const state: SiteSdkState = Object.hasOwn(SDK_STATE_WORDS, said) ? said : "not-filed";
        const issue = line?.issue ? ` ${link(line.issue.url, `#${line.issue.number}`)}` : "";
        return cell(t(sdk.name, 60), `<span class="badge sdk-${state}">${SDK_STATE_WORDS[state]}</span>${issue}`);
      });
      return `<tr id="${esc(rowId(n))}">${cell("SEP", `${sepRef(s, n)}${umbrella}`, "title")}${cells.join("")}</tr>`;
    });
    return [
      `<section class="release" id="${esc(id)}" aria-labelledby="${esc(id)}-h">`,
      `<h3 id="${esc(id)}-h">${name}</h3>`,
      `<p>${plural(r.seps.length, "SEP")}${owed.size ? `, ${owed.size} not implemented everywhere yet` : ", implemented everywhere they are owed"}${dates.length ? `. Dates: ${dates.join("; ")}` : ""}.</p>`,
      '<table class="cards">',
      `<caption>What each SDK still owes${r.version === null ? "" : ` for ${t(r.version, 60)}`}: its issue open, not filed, or sep-bot without access there.</caption>`,
      '<thead><tr><th scope="col">SDK</th><th scope="col" class="num">Tier</th><th scope="col">Deadline</th><th scope="col">Still owes</th><th scope="col">Maintainers</th></tr></thead>',
      "<tbody>",
      ...owes,
      "</tbody>",
      "</table>",
      `<details${owed.size ? " open" : ""}>`,
      `<summary>Each SEP against each SDK (${plural(r.seps.length, "SEP")})</summary>`,
      `<div class="scroll" role="region" aria-label="${esc(`Table of the SEPs of ${r.version === null ? "no release" : oneLine(r.version, 60)} against each SDK`)}" tabindex="0">`,
      '<table class="cards release-matrix">',
      `<caption>Each SEP${r.version === null ? " with no release yet" : ` of ${t(r.version, 60)}`} in each SDK, and its issue there.</caption>`,
      `<thead><tr><th scope="col">SEP</th>${r.sdks.map((sdk) => `<th scope="col">${t(sdk.name, 60)}${sdk.tier ? ` <span class="muted">Tier ${sdk.tier}</span>` : ""}</th>`).join("")}</tr></thead>`,
      "<tbody>",
      ...rows,
      "</tbody>",
      "</table>",
      "</div>",
      "</details>",
      "</section>",
    ];
  };
  return [
    '<section id="releases" aria-labelledby="releases-h">',
    '<h2 id="releases-h">Releases: implementation across the SDKs</h2>',
    ...(data.releases.length
      ? [
          "<p>Each accepted SEP whose implementation sep-bot tracks, per specification release: one issue in each SDK's repository, listed in the SEP's umbrella issue here, as sep-bot last read them (the weekly sweep keeps them in step). An SDK with no issue for a SEP has it “not filed”; “no access”: sep-bot may not file there.</p>",
          '<nav aria-label="Releases">',
          '<ul class="people">',
          ...data.releases.map((r, i) => `<li><a href="#${esc(anchors[i]!)}">${r.version === null ? "No release yet" : t(r.version, 60)}</a> (${plural(r.seps.length, "SEP")})</li>`),
          "</ul>",
          "</nav>",
          ...data.releases.flatMap((r, i) => one(r, anchors[i]!)),
        ]
      : ["<p>No SEP is tracked across the SDKs.</p>"]),
    "</section>",
  ];
}

function itemsTable(data: SiteData, items: ReadonlyArray<SiteItem & Partial<Pick<SiteNeed, "kind" | "due">>>, bySep: Map<number, SiteSep>, caption: string, withWhy: boolean): string[] {
  return [
    '<table class="cards">',
    `<caption>${caption}</caption>`,
    `<thead><tr><th scope="col">SEP</th>${withWhy ? '<th scope="col">Why now</th>' : ""}<th scope="col">Status</th><th scope="col">Next step</th><th scope="col">Since</th></tr></thead>`,
    "<tbody>",
    ...items.map((i) => {
      const s = bySep.get(i.sep);
      const why = i.kind ? `${NEED_WORDS[i.kind]}${i.due ? `${i.kind === "sdk" ? ", due" : ""} <time datetime="${t(i.due, 10)}">${t(i.due, 10)}</time>` : ""}` : "";
      return `<tr><td data-label="SEP">${sepRef(s, i.sep)}</td>${withWhy ? `<td data-label="Why now"><span>${why}</span></td>` : ""}<td data-label="Status">${t(statusName(data, s?.status ?? null), 60)}</td><td data-label="Next step">${t(i.step, 300)}</td><td data-label="Since">${since(data, i.since)}</td></tr>`;
    }),
    "</tbody>",
    "</table>",
  ];
}

function waitingOnWhom(s: SiteSep, links: Links): string {
  const n = s.next;
  if (!n) return "nobody";
  if (n.logins.length) return n.logins.map((l) => who(links, l)).join(", ");
  return n.whose === "core-maintainers" ? "the core maintainers" : n.whose === "maintainers" ? '<a href="#any-maintainer">any maintainer</a>' : n.whose;
}

/** One person's view: what waits on them, most urgent first; then the SEPs they wrote or sponsor. */
function personSection(data: SiteData, p: SiteWaiting, bySep: Map<number, SiteSep>, links: Links, chosen = false): string[] {
  const id = personAnchor(p.login);
  const mine = [...new Set([...p.authored, ...p.sponsoring])].sort((a, b) => a - b);
  const maintainer = p.roles.some((r) => r !== "author" && r !== "sponsor" && r !== "sdk-maintainer");
  const pool = maintainer && chosen ? data.waitingOn.anyMaintainer : [];
  const name = `@${t(p.login, 40)}${p.name ? ` <span class="muted">(${t(p.name, 80)})</span>` : ""}`;
  return [
    `<section class="person${chosen ? " chosen" : ""}" id="${esc(id)}" aria-labelledby="${esc(id)}-h" data-login="${t(p.login, 40)}">`,
    `<h3 id="${esc(id)}-h">${name}</h3>`,
    `<p class="muted">${p.roles.length ? t(p.roles.map((r) => r.replace(/-/g, " ")).join(", "), 200) : "no role"}${chosen ? "" : ` · <a href="${esc(links.person(p.login))}" data-person="${t(p.login, 40)}">their view</a>`}</p>`,
    ...(p.next.length
      ? itemsTable(data, p.next, bySep, `Waiting on @${t(p.login, 40)}: ${plural(new Set(p.next.map((n) => n.sep)).size, "SEP")}, most urgent first.`, true)
      : [`<p>Nothing waits on @${t(p.login, 40)}.</p>`]),
    ...(pool.length ? itemsTable(data, pool.slice(0, 10), bySep, `Any maintainer could sponsor or merge these: ${plural(pool.length, "SEP")}${pool.length > 10 ? " (the 10 waiting longest)" : ""}.`, false) : []),
    ...(mine.length
      ? [
          `<h4>SEPs @${t(p.login, 40)} wrote or sponsors</h4>`,
          "<ul>",
          ...mine.map((n) => {
            const s = bySep.get(n);
            return `<li>${sepRef(s, n)}: ${t(statusName(data, s?.status ?? null), 60)}, waiting on ${s ? waitingOnWhom(s, links) : "nobody"}</li>`;
          }),
          "</ul>",
        ]
      : []),
    "</section>",
  ];
}

function waitingSection(data: SiteData, bySep: Map<number, SiteSep>, links: Links, chosen: string | null): string[] {
  const { anyMaintainer, people } = data.waitingOn;
  return [
    '<section id="waiting" aria-labelledby="waiting-h">',
    '<h2 id="waiting-h">Waiting on</h2>',
    "<p>For each person, the SEPs where the next step is theirs, most urgent first; then the SEPs they wrote or sponsor.</p>",
    ...(people.length
      ? ['<nav aria-label="People">', '<ul class="people">', ...people.map((p) => `<li>${who(links, p.login)} (${p.next.length})</li>`), `<li><a href="#any-maintainer">Any maintainer</a> (${anyMaintainer.length})</li>`, "</ul>", "</nav>"]
      : []),
    '<section class="person" id="any-maintainer" aria-labelledby="any-maintainer-h">',
    '<h3 id="any-maintainer-h">Any maintainer</h3>',
    ...(anyMaintainer.length
      ? itemsTable(data, anyMaintainer, bySep, `SEPs any maintainer can take: ${plural(anyMaintainer.length, "SEP")}, longest waiting first.`, false)
      : ["<p>No SEP is waiting for a maintainer to take it.</p>"]),
    "</section>",
    // The chosen person's section is above the table already.
    ...people.filter((p) => p.login !== chosen).flatMap((p) => personSection(data, p, bySep, links)),
    "</section>",
  ];
}

function changesSection(data: SiteData, bySep: Map<number, SiteSep>, links: Links): string[] {
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
