import { SITE_CSS, SITE_JS } from "./assets.js";
import { agesChart, countsChart } from "./charts.js";
import { DEADLINE_WINDOW_DAYS, type SiteData, type SiteItem, type SitePerson, type SiteSep, type SiteWaiting } from "./model.js";

/**
 * The SEP site as files: index.html (everything readable without JavaScript:
 * the table, the charts, the agenda, the deadlines, who each SEP waits on),
 * seps.json, one stylesheet, one script. A pure function of the data, so the
 * same state and time give the same bytes. Titles and names come from files
 * and pull requests anyone can open: every one is escaped, made one line and
 * capped, and links are only ever http(s) addresses.
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

/** Every file of the site by its path, in the order to write them. */
export function renderSite(data: SiteData): Map<string, SiteAsset> {
  return new Map<string, SiteAsset>([
    ["index.html", { type: "text/html; charset=utf-8", body: renderIndex(data) }],
    ["seps.json", { type: "application/json; charset=utf-8", body: renderJson(data) }],
    ["site.css", { type: "text/css; charset=utf-8", body: SITE_CSS }],
    ["site.js", { type: "text/javascript; charset=utf-8", body: SITE_JS }],
  ]);
}

export function renderJson(data: SiteData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
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
  return `waiting-${login.toLowerCase().replace(/[^a-z0-9-]/g, "_").slice(0, 60)}`;
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

function personText(p: SitePerson): string {
  if (p.name && p.login) return `${t(p.name, 80)} (@${t(p.login, 40)})`;
  if (p.login) return `@${t(p.login, 40)}`;
  return t(p.name ?? "", 80);
}

type Who = (login: string) => string;

/** Shows a login: a link to their "waiting on" view when the page has one, else the login alone. */
function whoFor(data: SiteData): Who {
  const viewable = new Set(data.waitingOn.people.map((p) => personAnchor(p.login)));
  return (login) => {
    const anchor = personAnchor(login);
    return viewable.has(anchor) ? `<a href="#${esc(anchor)}">@${t(login, 40)}</a>` : `@${t(login, 40)}`;
  };
}

function timeEl(iso: string | null): string {
  return iso === null ? "—" : `<time datetime="${t(iso, 40)}">${t(ymd(iso), 10)}</time>`;
}

function since(data: SiteData, iso: string | null): string {
  const n = days(data.generatedAt, iso);
  return iso === null ? "—" : `${timeEl(iso)} <span class="muted">(${n === null || Number.isNaN(n) ? "?" : plural(n, "day")})</span>`;
}

/** SEP-n and its title, linking to the pull request when open, else to the file. */
function sepRef(sep: SiteSep | undefined, number: number): string {
  if (!sep) return `SEP-${number}`;
  const url = sep.pullRequest?.open ? sep.pullRequest.url : sep.file.url;
  return `${link(url, `SEP-${sep.number}`)} ${t(sep.title)}`;
}

// ---------------------------------------------------------------- the page

export function renderIndex(data: SiteData): string {
  const bySep = new Map(data.seps.map((s) => [s.number, s]));
  const who = whoFor(data);
  const repo = `${data.repository.owner}/${data.repository.name}`;
  const open = data.seps.filter((s) => s.pullRequest?.open).length;
  const generated = `${data.generatedAt.slice(0, 10)} ${data.generatedAt.slice(11, 16)} UTC`;
  const lines = [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(SITE_CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>SEPs: ${t(repo, 140)}</title>`,
    '<link rel="stylesheet" href="site.css">',
    '<script src="site.js" defer></script>',
    "</head>",
    "<body>",
    '<a class="skip" href="#main">Skip to the content</a>',
    "<header>",
    `<p class="repo">${link(data.repository.url, t(repo, 140))}</p>`,
    "<h1>Specification Enhancement Proposals</h1>",
    `<p>${plural(data.seps.length, "SEP")}: ${open} in open pull requests, ${data.seps.length - open} only on the default branch (<code>${t(data.repository.defaultBranch, 100)}</code>). As of <time datetime="${t(data.generatedAt, 40)}">${t(generated, 30)}</time>.</p>`,
    '<nav aria-label="On this page">',
    "<ul>",
    '<li><a href="#seps">All SEPs</a></li>',
    '<li><a href="#pipeline">Pipeline</a></li>',
    '<li><a href="#agenda">Review agenda</a></li>',
    '<li><a href="#deadlines">Deadlines</a></li>',
    '<li><a href="#waiting">Waiting on</a></li>',
    '<li><a href="seps.json">seps.json</a></li>',
    "</ul>",
    "</nav>",
    "</header>",
    '<main id="main">',
    ...indexSection(data, who),
    ...pipelineSection(data),
    ...agendaSection(data, bySep, who),
    ...deadlinesSection(data, bySep, who),
    ...waitingSection(data, bySep, who),
    "</main>",
    "<footer>",
    `<p>Made by sep-bot from one read of the repository's pull requests and SEP files. The same data for other tools: <a href="seps.json">seps.json</a> (format version ${data.version}, ${link(data.schema, "its schema")}).</p>`,
    "</footer>",
    "</body>",
    "</html>",
    "",
  ];
  return lines.join("\n");
}

const SORTABLE = [
  ["number", "SEP", "num"],
  ["title", "Title", ""],
  ["status", "Status", ""],
  ["type", "Type", ""],
  [null, "Authors", ""],
  [null, "Sponsor", ""],
  ["created", "Created", ""],
  ["activity", "Last activity", ""],
  ["age", "Days in status", "num"],
  [null, "Pull request", ""],
] as const;

function indexSection(data: SiteData, who: Who): string[] {
  const statusRank = new Map(data.statuses.map((s, i) => [s.id, i]));
  const typeRank = new Map(data.types.map((s, i) => [s.id, i]));
  const presentStatuses = new Set(data.seps.map((s) => s.status));
  const presentTypes = new Set(data.seps.map((s) => s.type));
  const count = (pred: (s: SiteSep) => boolean) => data.seps.filter(pred).length;
  const statusOptions = [
    '<option value="">Any status</option>',
    ...data.statuses.map((s) => `<option value="${t(s.id, 60)}">${t(s.name, 60)} (${count((x) => x.status === s.id)})</option>`),
    ...[...presentStatuses].filter((id): id is string => id !== null && !statusRank.has(id)).sort().map((id) => `<option value="${t(id, 60)}">${t(id, 60)} (${count((x) => x.status === id)})</option>`),
    ...(presentStatuses.has(null) ? [`<option value="unknown">Unknown (${count((x) => x.status === null)})</option>`] : []),
  ];
  const typeOptions = [
    '<option value="">Any type</option>',
    ...data.types.map((s) => `<option value="${t(s.id, 60)}">${t(s.name, 60)} (${count((x) => x.type === s.id)})</option>`),
    ...[...presentTypes].filter((id): id is string => id !== null && !typeRank.has(id)).sort().map((id) => `<option value="${t(id, 60)}">${t(id, 60)} (${count((x) => x.type === id)})</option>`),
    ...(presentTypes.has(null) ? [`<option value="unknown">Unknown (${count((x) => x.type === null)})</option>`] : []),
  ];
  const head = SORTABLE.map(([key, label, cls]) => {
    const c = cls ? ` class="${cls}"` : "";
    if (key === null) return `<th scope="col"${c}>${label}</th>`;
    return `<th scope="col"${c}${key === "number" ? ' aria-sort="ascending"' : ""}><button type="button" data-sort="${key}">${label}</button></th>`;
  });
  const rows = data.seps.map((s) => {
    const text = [String(s.number), `sep-${s.number}`, s.title, ...s.authors.flatMap((a) => [a.name ?? "", a.login ?? ""]), s.sponsor?.name ?? "", s.sponsor?.login ?? ""]
      .map((x) => oneLine(x, 200).toLowerCase())
      .filter(Boolean)
      .join(" ");
    const attrs = [
      `id="sep-${s.number}"`,
      `data-status="${t(s.status ?? "unknown", 60)}"`,
      `data-type="${t(s.type ?? "unknown", 60)}"`,
      `data-text="${esc(text)}"`,
      `data-key-number="${s.number}"`,
      `data-key-title="${t(s.title.toLowerCase())}"`,
      `data-key-status="${s.status === null ? "" : (statusRank.get(s.status) ?? data.statuses.length)}"`,
      `data-key-type="${s.type === null ? "" : (typeRank.get(s.type) ?? data.types.length)}"`,
      `data-key-created="${t(s.created ?? "", 10)}"`,
      `data-key-activity="${t(s.lastActivity ?? "", 40)}"`,
      `data-key-age="${s.daysInStatus ?? ""}"`,
    ];
    const pr = s.pullRequest
      ? `${link(s.pullRequest.url, `#${s.pullRequest.number}`)}${s.pullRequest.open ? ' <span class="badge">open</span>' : ""}`
      : "—";
    const flags = [
      ...(s.paused ? ['<span class="badge">clocks paused</span>'] : []),
      ...(s.checks === "failure" ? ['<span class="badge failure">checks fail</span>'] : []),
    ];
    return [
      `<tr ${attrs.join(" ")}>`,
      `<td class="num">${s.number}</td>`,
      `<td>${link(s.file.url, t(s.title))}${s.file.onDefaultBranch ? "" : ' <span class="muted">(proposed)</span>'}</td>`,
      `<td>${t(statusName(data, s.status), 60)}${flags.length ? ` ${flags.join(" ")}` : ""}</td>`,
      `<td>${t(typeName(data, s.type), 60)}</td>`,
      `<td>${s.authors.length ? s.authors.slice(0, 8).map(personText).join(", ") : "—"}${s.authors.length > 8 ? ` and ${s.authors.length - 8} more` : ""}</td>`,
      `<td>${s.sponsor ? (s.sponsor.login && s.pullRequest?.open ? who(s.sponsor.login) : personText(s.sponsor)) : "—"}</td>`,
      `<td>${s.created ? `<time datetime="${t(s.created, 10)}">${t(s.created, 10)}</time>` : "—"}</td>`,
      `<td>${timeEl(s.lastActivity)}</td>`,
      `<td class="num">${s.daysInStatus ?? "—"}</td>`,
      `<td>${pr}</td>`,
      "</tr>",
    ].join("");
  });
  return [
    '<section id="seps" aria-labelledby="seps-h">',
    '<h2 id="seps-h">All SEPs</h2>',
    '<form id="sep-filter" class="filters" method="get" role="search" aria-label="Filter the SEPs">',
    `<div><label for="f-status">Status</label><select id="f-status" name="status">${statusOptions.join("")}</select></div>`,
    `<div><label for="f-type">Type</label><select id="f-type" name="type">${typeOptions.join("")}</select></div>`,
    '<div><label for="f-q">Search titles, numbers and people</label><input id="f-q" name="q" type="search" maxlength="200" autocomplete="off"></div>',
    '<input type="hidden" name="sort" value="">',
    '<div><button type="submit">Filter</button></div>',
    "</form>",
    // Not <noscript>: a browser that blocks this page's script but runs others would hide it.
    '<p id="sep-nojs" class="muted">Filtering and sorting need JavaScript; every SEP is listed below.</p>',
    `<p id="sep-count" class="count" role="status">Showing all ${plural(data.seps.length, "SEP")}.</p>`,
    '<div class="scroll" role="region" aria-label="Table of the SEPs" tabindex="0">',
    '<table id="sep-table">',
    "<caption>Every SEP: open pull requests (the live state) and files on the default branch. Days in status are known for open pull requests.</caption>",
    `<thead><tr>${head.join("")}</tr></thead>`,
    "<tbody>",
    ...(rows.length ? rows : []),
    "</tbody>",
    "</table>",
    "</div>",
    ...(rows.length ? [] : ['<p>No SEPs yet: no open SEP pull request and no SEP file on the default branch.</p>']),
    "</section>",
  ];
}

function pipelineSection(data: SiteData): string[] {
  const ages = agesChart(data, (x) => esc(oneLine(x, 2000)));
  const filters = data.pipeline
    .filter((r) => r.status !== null && r.count > 0)
    .map((r) => `<li><a href="?status=${encodeURIComponent(r.status!)}#seps">${t(statusName(data, r.status), 60)} (${r.count})</a></li>`);
  return [
    '<section id="pipeline" aria-labelledby="pipeline-h">',
    '<h2 id="pipeline-h">Pipeline</h2>',
    "<figure>",
    countsChart(data, (x) => esc(oneLine(x, 2000))),
    "<figcaption>SEPs per status. Dark: an open pull request; light: only a file on the default branch.</figcaption>",
    "</figure>",
    ...(filters.length ? ['<nav aria-label="Show a status in the table">', "<p>Show in the table:</p>", '<ul class="people">', ...filters, "</ul>", "</nav>"] : []),
    "<figure>",
    ages ?? "<p>No open SEP pull requests.</p>",
    "<figcaption>How long each open SEP has been in its status: a dot per SEP, the box from the first to the third quartile, the line at the median.</figcaption>",
    "</figure>",
    "</section>",
  ];
}

function agendaSection(data: SiteData, bySep: Map<number, SiteSep>, who: Who): string[] {
  const rows = data.agenda.map((n) => {
    const s = bySep.get(n)!;
    const v = s.votes;
    const tally = v ? `${v.yes} yes, ${v.no} no, ${v.abstain} abstain` : "none yet";
    const missing = v?.notVoted ? (v.notVoted.length ? v.notVoted.map(who).join(", ") : "everyone has voted") : "unknown";
    return `<tr><td>${sepRef(s, n)}</td><td>${s.sponsor?.login ? who(s.sponsor.login) : s.sponsor ? personText(s.sponsor) : "—"}</td><td class="num">${s.daysInStatus ?? "—"}</td><td>${tally}</td><td>${missing}</td></tr>`;
  });
  return [
    '<section id="agenda" aria-labelledby="agenda-h">',
    '<h2 id="agenda-h">Agenda of the next core-maintainer review</h2>',
    ...(rows.length
      ? [
          "<p>SEPs in review, longest first. Core maintainers vote with <code>/vote yes|no|abstain</code> and decide with <code>/accept</code>, <code>/reject</code> or <code>/status draft</code>.</p>",
          '<div class="scroll" role="region" aria-label="Table of the agenda" tabindex="0">',
          "<table>",
          '<thead><tr><th scope="col">SEP</th><th scope="col">Sponsor</th><th scope="col" class="num">Days in review</th><th scope="col">Votes</th><th scope="col">Not voted yet</th></tr></thead>',
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

function deadlinesSection(data: SiteData, bySep: Map<number, SiteSep>, who: Who): string[] {
  const rows = data.deadlines.map(
    (d) =>
      `<tr><td><time datetime="${t(d.date, 10)}">${t(d.date, 10)}</time></td><td>${sepRef(bySep.get(d.sep), d.sep)}</td><td><span class="badge ${d.kind}">${d.kind}</span> ${t(d.what, 200)}</td><td>${d.to.length ? d.to.map(who).join(", ") : "—"}</td></tr>`,
  );
  return [
    '<section id="deadlines" aria-labelledby="deadlines-h">',
    `<h2 id="deadlines-h">Deadlines in the next ${DEADLINE_WINDOW_DAYS} days</h2>`,
    ...(rows.length
      ? [
          "<p>Reminders, the dated warnings before dormancy, and dormancy itself, as the clocks will send them. Any activity by a person can move them.</p>",
          '<div class="scroll" role="region" aria-label="Table of the deadlines" tabindex="0">',
          "<table>",
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

function itemsTable(data: SiteData, items: readonly SiteItem[], bySep: Map<number, SiteSep>, caption: string): string[] {
  return [
    "<table>",
    `<caption>${caption}</caption>`,
    '<thead><tr><th scope="col">SEP</th><th scope="col">Status</th><th scope="col">Next step</th><th scope="col">Since</th></tr></thead>',
    "<tbody>",
    ...items.map((i) => {
      const s = bySep.get(i.sep);
      return `<tr><td>${sepRef(s, i.sep)}</td><td>${t(statusName(data, s?.status ?? null), 60)}</td><td>${t(i.step, 300)}</td><td>${since(data, i.since)}</td></tr>`;
    }),
    "</tbody>",
    "</table>",
  ];
}

function waitingOnWhom(s: SiteSep, who: Who): string {
  const n = s.next;
  if (!n) return "nobody";
  if (n.logins.length) return n.logins.map(who).join(", ");
  return n.whose === "core-maintainers" ? "the core maintainers" : n.whose === "maintainers" ? '<a href="#any-maintainer">any maintainer</a>' : n.whose;
}

function personSection(data: SiteData, p: SiteWaiting, bySep: Map<number, SiteSep>, who: Who): string[] {
  const id = personAnchor(p.login);
  const mine = [...new Set([...p.authored, ...p.sponsoring])].sort((a, b) => a - b);
  return [
    `<section class="person" id="${esc(id)}" aria-labelledby="${esc(id)}-h">`,
    `<h3 id="${esc(id)}-h">@${t(p.login, 40)}</h3>`,
    `<p class="muted">${p.roles.length ? t(p.roles.map((r) => r.replace(/-/g, " ")).join(", "), 200) : "no role"}</p>`,
    ...(p.next.length
      ? itemsTable(data, p.next, bySep, `Waiting on @${t(p.login, 40)}: ${plural(p.next.length, "SEP")}, longest waiting first.`)
      : [`<p>Nothing waits on @${t(p.login, 40)}.</p>`]),
    ...(mine.length
      ? [
          `<h4>SEPs @${t(p.login, 40)} wrote or sponsors</h4>`,
          "<ul>",
          ...mine.map((n) => {
            const s = bySep.get(n);
            return `<li>${sepRef(s, n)}: ${t(statusName(data, s?.status ?? null), 60)}, waiting on ${s ? waitingOnWhom(s, who) : "nobody"}</li>`;
          }),
          "</ul>",
        ]
      : []),
    "</section>",
  ];
}

function waitingSection(data: SiteData, bySep: Map<number, SiteSep>, who: Who): string[] {
  const { anyMaintainer, people } = data.waitingOn;
  return [
    '<section id="waiting" aria-labelledby="waiting-h">',
    '<h2 id="waiting-h">Waiting on</h2>',
    "<p>For each person, the SEPs where the next step is theirs, and since when; then the SEPs they wrote or sponsor.</p>",
    ...(people.length
      ? ['<nav aria-label="People">', '<ul class="people">', ...people.map((p) => `<li>${who(p.login)} (${p.next.length})</li>`), '<li><a href="#any-maintainer">Any maintainer</a> (' + anyMaintainer.length + ")</li>", "</ul>", "</nav>"]
      : []),
    '<section class="person" id="any-maintainer" aria-labelledby="any-maintainer-h">',
    '<h3 id="any-maintainer-h">Any maintainer</h3>',
    ...(anyMaintainer.length
      ? itemsTable(data, anyMaintainer, bySep, `SEPs any maintainer can take: ${plural(anyMaintainer.length, "SEP")}, longest waiting first.`)
      : ["<p>No SEP is waiting for a maintainer to take it.</p>"]),
    "</section>",
    ...people.flatMap((p) => personSection(data, p, bySep, who)),
    "</section>",
  ];
}
