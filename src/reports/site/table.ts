import { esc, link, oneLine, personText, plural, statusName, t, timeEl, typeName, type Links } from "./html.js";
import type { SiteData, SiteSep } from "./model.js";

/**
 * The index of every SEP: its filters, its sort and its rows. The page
 * without JavaScript and the server's filtered page (`?status=&type=&q=&sort=`)
 * are the same function of a view; the script sorts and filters the same
 * rows in the browser through the data-* keys written here, so what a row
 * says and how it sorts live together.
 */

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

/** The statuses a view can show: the rules' ones some SEP is in, others, and unknown. */
export function viewStatuses(data: SiteData): string[] {
  return [...new Set(data.seps.map((s) => s.status ?? "unknown"))].sort();
}

/** The columns a view can sort by (`?sort=age`, `?sort=-age`). */
export const SORT_KEYS = ["number", "title", "status", "type", "created", "activity", "age"];

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

export function tableHead(view: SiteView, sortable: boolean): string {
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

export function row(data: SiteData, s: SiteSep, links: Links, hidden: boolean): string {
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

export function indexSection(data: SiteData, view: SiteView, links: Links): string[] {
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

