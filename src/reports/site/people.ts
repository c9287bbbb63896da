import { esc, personAnchor, plural, sepRef, since, statusName, t, who, type Links } from "./html.js";
import type { SiteData, SiteItem, SiteNeed, SiteSep, SiteWaiting } from "./model.js";

/**
 * Who each SEP waits on: the person picker above the table, one section per
 * person (what waits on them, then what they wrote or sponsor), and the
 * "Waiting on" list. The same person's section is the chosen view at the top,
 * an entry in the list, and a page of its own, so it is written once.
 */

/** The person picker, and the chosen person's view above the table (the script moves their section here). */
export function needsSection(data: SiteData, person: SiteWaiting | null, bySep: Map<number, SiteSep>, links: Links): string[] {
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

const NEED_WORDS: Record<SiteNeed["kind"], string> = { deadline: "Deadline", vote: "Your vote", sponsor: "To sponsor", author: "Your step", sdk: "Your SDK" };

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
export function personSection(data: SiteData, p: SiteWaiting, bySep: Map<number, SiteSep>, links: Links, chosen = false): string[] {
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

export function waitingSection(data: SiteData, bySep: Map<number, SiteSep>, links: Links, chosen: string | null): string[] {
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

