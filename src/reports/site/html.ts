import type { SiteData, SitePerson, SiteSep } from "./model.js";

/**
 * What every part of the page shares, in one place so that escaping is done
 * one way: titles and names come from files and pull requests anyone can
 * open, so each is escaped, made one line and capped, and links are only
 * ever http(s) addresses. Also the small formatters (days, dates, names of
 * statuses) and the links to views and people, which must read the same in
 * every section and on every page.
 */

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

/** Untrusted text for the page: one line, capped at `max` code points, escaped. */
export const t = (text: string, max = 200) => esc(oneLine(text, max));

/** An http(s) address, escaped for an attribute; null for anything else (`javascript:`, `data:`...). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url || !/^https?:\/\/[^\s<>"'`]+$/i.test(url)) return null;
  return esc(url);
}

/** A link when the address is http(s), else the text alone (already escaped HTML). */
export function link(url: string | null | undefined, text: string, attrs = ""): string {
  const href = safeHref(url);
  return href ? `<a href="${href}"${attrs}>${text}</a>` : text;
}

/** A login as an id fragment: `waiting-<login>`; GitHub logins are letters, digits and hyphens. */
export function personAnchor(login: string): string {
  return `waiting-${pageName(login)}`;
}

/** A login or a status id as a file name: lowercase letters, digits and hyphens. */
export function pageName(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9-]/g, "_").slice(0, 60);
}

// ---------------------------------------------------------------- formatting

const DAY = 86_400_000;
const ymd = (iso: string | null) => (iso === null ? "—" : iso.slice(0, 10));
const days = (now: string, iso: string | null) => (iso === null ? null : Math.floor((Date.parse(now) - Date.parse(iso)) / DAY));
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function statusName(data: SiteData, id: string | null): string {
  return id === null ? "Unknown" : (data.statuses.find((s) => s.id === id)?.name ?? id);
}
export function typeName(data: SiteData, id: string | null): string {
  return id === null ? "Unknown" : (data.types.find((s) => s.id === id)?.name ?? id);
}

export function timeEl(iso: string | null): string {
  return iso === null ? "—" : `<time datetime="${t(iso, 40)}">${t(ymd(iso), 10)}</time>`;
}

export function since(data: SiteData, iso: string | null): string {
  const n = days(data.generatedAt, iso);
  return iso === null ? "—" : `${timeEl(iso)} <span class="muted">(${n === null || Number.isNaN(n) ? "?" : plural(n, "day")})</span>`;
}

// ---------------------------------------------------------------- links to views and people

/**
 * How the page links to its views and people: to pages of their own (a site
 * of files; the script turns them into this page's `?status=` and `?person=`
 * views), or to the server's filtered page (`sep-bot serve`).
 */
export interface Links {
  served: boolean;
  /** "" on index.html, "../" on a page in status/ or people/. */
  root: string;
  person: (login: string) => string;
  status: (id: string) => string;
  /** Logins that have a view. */
  viewable: Set<string>;
}

export function linksFor(data: SiteData, served: boolean, root = ""): Links {
  return {
    served,
    root,
    person: (login) => (served ? `?person=${encodeURIComponent(login)}` : `${root}people/${pageName(login)}.html`),
    status: (id) => (served ? `?status=${encodeURIComponent(id)}#seps` : `${root}status/${pageName(id)}.html`),
    viewable: new Set(data.waitingOn.people.map((p) => p.login.toLowerCase())),
  };
}

/** A login: a link to their view when the page has one, else the login alone. */
export function who(links: Links, login: string): string {
  const text = `@${t(login, 40)}`;
  if (!links.viewable.has(login.toLowerCase())) return text;
  return `<a href="${esc(links.person(login))}" data-person="${t(login, 40)}">${text}</a>`;
}

export function personText(links: Links, p: SitePerson): string {
  const login = p.login ? who(links, p.login) : "";
  if (p.name && login) return `${t(p.name, 80)} (${login})`;
  return login || t(p.name ?? "", 80);
}

/** SEP-n and its title, linking to the pull request when open, else to the file. */
export function sepRef(sep: SiteSep | undefined, number: number): string {
  if (!sep) return `SEP-${number}`;
  const url = sep.pullRequest?.open ? sep.pullRequest.url : sep.file.url;
  return `${link(url, `SEP-${sep.number}`)} ${t(sep.title)}`;
}
