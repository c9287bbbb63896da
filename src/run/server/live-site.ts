import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { currentSource, type SiteStore } from "../../delivery/site-store.js";
import type { GitHub } from "../../github/graphql.js";
import type { Logger } from "../../shared/logger.js";
import { readSitePulls } from "../../github/read/site.js";
import { readSite } from "../../github/site.js";
import { siteData } from "../../reports/site/build.js";
import { SITE_CSS, SITE_JS } from "../../reports/site/assets.js";
import { esc } from "../../reports/site/html.js";
import { renderIndex, renderSite, SITE_CSP, viewOf, type SiteAsset } from "../../reports/site/render.js";
import type { SiteData } from "../../reports/site/model.js";
import { inFlight } from "./in-flight.js";

/**
 * The SEP site served live by `sep-bot serve`: the same page as `sep-bot
 * site` writes, drawn from the store (the last bulk read, and each pull
 * request read again after a reconcile), never from GitHub on a page view.
 *
 * - `GET <path>` (and `index.html`, `seps.json`, `feed.xml`, `site.css`,
 *   `site.js` under it): the site of the configured repository
 *   (SEP_BOT_SITE_REPO, the only one served then), or of the only repository
 *   read; with several and none configured, `<path>` lists them and each is
 *   at `<path><owner>/<repo>/`.
 * - The page's views are filtered here, so they work without JavaScript:
 *   `index.html?status=in-review&type=...&q=...&sort=-age&person=<login>&finished=1`
 *   is rendered with that view (each rendered once per store revision).
 * - The bulk reads come from run/site-refresh.ts (start-up, after each weekly
 *   sweep, every few hours); the pull requests this server reconciles are
 *   read again a few seconds later, together (one request for up to ten), and
 *   the next page view shows them, on every instance that shares the store.
 * - The page has no login: a repository GitHub says is private is taken off
 *   the site (unless private ones may be shown), whenever a read says so.
 * - A page is rendered once per store revision; `ETag` (the revision and this
 *   build's renderer) lets browsers and proxies revalidate for nothing.
 */

export interface LiveSiteOptions {
  store: SiteStore;
  log: Logger;
  /** Where the site is served (default "/"); always ends with "/". */
  path?: string;
  /** The one repository served (owner/name); null: every repository read. */
  repo?: string | null;
  /** Private repositories may be shown (SEP_BOT_SITE_PRIVATE=true). */
  showPrivate?: boolean;
  now?: () => Date;
  /** How long after a reconcile its pull request is read again (default 5 s: a burst of events costs one read). */
  patchDelayMs?: number;
}

interface Rendered {
  revision: number;
  files: Map<string, SiteAsset>;
  readAt: string;
  data: SiteData;
  site: string | null;
  /** The index rendered per view (its query, normalised), at this revision. */
  views: Map<string, string>;
}

/** Views kept rendered per revision: a handful of people and statuses are what gets linked. */
const MAX_VIEWS = 64;

/** Pull requests reconciled since the last read, per repository, and the client that can read them. */
interface Pending {
  octokit: GitHub;
  owner: string;
  repo: string;
  numbers: Set<number>;
  timer: NodeJS.Timeout;
}

const FILES = new Set(["", "index.html", "seps.json", "feed.xml", "site.css", "site.js"]);

/** This build's renderer (the package's version, its stylesheet and script): a deploy that changes the page changes every ETag. */
const BUILD = createHash("sha256").update(packageVersion()).update(SITE_CSS).update(SITE_JS).digest("base64url").slice(0, 12);

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string }).version ?? "";
  } catch {
    return ""; // bundled elsewhere: the assets still tell builds apart
  }
}

export class LiveSite {
  readonly path: string;
  private readonly rendered = new Map<string, Rendered>();
  private readonly pending = new Map<string, Pending>();
  /** Repositories taken off the site, and why (said instead of "being read"). */
  private readonly hidden = new Map<string, string>();
  private readonly running = inFlight();
  private readonly now: () => Date;

  constructor(private readonly options: LiveSiteOptions) {
    this.path = normalisePath(options.path ?? "/");
    this.now = options.now ?? (() => new Date());
  }

  /** The one repository configured (SEP_BOT_SITE_REPO), if any. */
  configured(): string | null {
    return this.options.repo ?? null;
  }

  /** Is this repository one the site shows (when allowed)? With SEP_BOT_SITE_REPO, only that one. */
  serves(repo: string): boolean {
    return !this.options.repo || this.options.repo.toLowerCase() === repo.toLowerCase();
  }

  /** A bulk read of one repository into the store; false when it has no SEP directory (taken off the site). */
  async refresh(octokit: GitHub, owner: string, repo: string): Promise<boolean> {
    const readAt = this.now().toISOString();
    const { sweep, source } = await readSite(octokit, owner, repo, new Date(readAt));
    if (!sweep.hasSepDirectory) {
      await this.hide(`${owner}/${repo}`, `it has no \`${sweep.rules.sepDirectory}\` directory on its default branch`);
      return false;
    }
    this.hidden.delete(`${owner}/${repo}`);
    await this.options.store.replace(`${owner}/${repo}`, { source, readAt });
    return true;
  }

  /** Takes a repository off the site (private, uninstalled, no SEPs), saying why to whoever asks for it. */
  async hide(repo: string, why: string): Promise<void> {
    this.hidden.set(repo, why);
    await this.options.store.remove(repo);
  }

  /**
   * After a reconcile: its pull request is read again a little later, with
   * any others reconciled meanwhile, if the repository is on the site at all.
   * Never throws, never delays the reconcile.
   */
  touched(octokit: GitHub, owner: string, repo: string, number: number): void {
    const name = `${owner}/${repo}`;
    if (!this.serves(name)) return;
    const pending = this.pending.get(name);
    if (pending) {
      pending.octokit = octokit; // the newest token
      pending.numbers.add(number);
      return;
    }
    const timer = setTimeout(() => this.running.track(this.patch(name)), this.options.patchDelayMs ?? 5000);
    timer.unref();
    this.pending.set(name, { octokit, owner, repo, numbers: new Set([number]), timer });
  }

  /** Reads now what waits to be read (on stop, and in tests); resolves when every read so far is stored. */
  async flush(): Promise<void> {
    for (const [name, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.running.track(this.patch(name));
    }
    await this.running.settled();
  }

  private async patch(name: string): Promise<void> {
    const pending = this.pending.get(name);
    if (!pending) return;
    this.pending.delete(name);
    try {
      const rules = await this.options.store.rules(name);
      if (!rules) return;
      const readAt = this.now().toISOString();
      const read = await readSitePulls(pending.octokit, pending.owner, pending.repo, [...pending.numbers], rules, new Date(readAt));
      if (read.isPrivate && !this.options.showPrivate) {
        await this.hide(name, "it is private (SEP_BOT_SITE_PRIVATE=true shows private repositories; the page has no login)");
        this.options.log.info({ repo: name }, `site: ${name} is private now: taken off the site`);
        return;
      }
      for (const { number, pull, comments } of read.pulls) await this.options.store.patch(name, { number, pull, comments, readAt });
    } catch (error) {
      // The page shows the older read until the next one: never a failed reconcile for it.
      this.options.log.warn({ err: error, repo: name }, `site: could not read ${name}'s pull requests again; the page shows the last read`);
    }
  }

  /** The repositories the store has (any instance's reads). */
  shown(): Promise<string[]> {
    return this.options.store.repos();
  }

  /** Whether the store has a bulk read of this repository (any instance's). */
  async has(repo: string): Promise<boolean> {
    return (await this.options.store.revision(repo)) !== null;
  }

  /** How old each repository's bulk read is, for the health route (cheap: nothing is rendered). */
  async freshness(): Promise<Array<{ repo: string; readAt: string; ageSeconds: number }>> {
    const out = [];
    for (const repo of await this.options.store.repos()) {
      const readAt = await this.options.store.readAt(repo);
      if (readAt) out.push({ repo, readAt, ageSeconds: Math.max(0, Math.floor((this.now().getTime() - Date.parse(readAt)) / 1000)) });
    }
    return out;
  }

  /** Probot's server handler: true when the request was the site's. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const [url = "", search = ""] = (req.url ?? "").split(/\?(.*)/s);
    // `/seps` for a site at `/seps/`: the page's relative links need the slash.
    if (`${url}/` === this.path) return redirect(res, this.path);
    if (!url.startsWith(this.path)) return false;
    const rest = url.slice(this.path.length);
    const repos = (await this.options.store.repos()).filter((r) => this.serves(r));

    // <path><owner>/<repo>/<file>
    const m = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})(\/.*)?$/.exec(rest);
    if (m && repos.includes(`${m[1]}/${m[2]}`)) {
      if (m[3] === undefined) return redirect(res, `${this.path}${m[1]}/${m[2]}/`);
      const file = m[3].slice(1);
      return FILES.has(file) ? this.serveFile(req, res, `${m[1]}/${m[2]}`, file, search) : false;
    }
    if (!FILES.has(rest)) return false;
    const chosen = this.options.repo ?? (repos.length === 1 ? repos[0]! : null);
    if (chosen && repos.includes(chosen)) return this.serveFile(req, res, chosen, rest, search);
    if (rest !== "" && rest !== "index.html") return notFound(res, "No repository's site is here yet.");
    // Taken off the site, or never shown: say why rather than "being read" forever.
    const why = chosen ? this.hidden.get(chosen) : undefined;
    if (chosen && why) return notFound(res, `${chosen} is not shown here: ${why}.`);
    if (!chosen && repos.length === 0 && this.hidden.size > 0) return notFound(res, [...this.hidden].map(([repo, reason]) => `${repo} is not shown here: ${reason}.`).join(" "));
    if (repos.length === 0 || chosen) {
      // Not read yet (the server started a moment ago): say so, and when to come back.
      return send(res, 503, "text/html; charset=utf-8", page("The SEP site is being read", `<p>sep-bot is reading ${chosen ? esc(chosen) : "the repositories"} from GitHub. Try again in a minute.</p>`), { "retry-after": "60" });
    }
    const list = repos.map((r) => `<li><a href="${esc(`${this.path}${r}/`)}">${esc(r)}</a></li>`).join("\n");
    return send(res, 200, "text/html; charset=utf-8", page("SEP sites", `<ul>\n${list}\n</ul>`));
  }

  private async serveFile(req: IncomingMessage, res: ServerResponse, repo: string, file: string, search: string): Promise<boolean> {
    const site = await this.current(repo);
    if (!site) return notFound(res, "This repository's site is not read yet.");
    const name = file === "" ? "index.html" : file;
    let asset = site.files.get(name)!;
    let key = "";
    if (name === "index.html" && search) {
      // A view, filtered here: the same page, its rows and its person chosen by the query.
      const view = viewOf(new URLSearchParams(search), site.data);
      key = new URLSearchParams(Object.entries(view).map(([k, v]) => [k, v === true ? "1" : String(v)])).toString();
      if (key) {
        let body = site.views.get(key);
        if (body === undefined) {
          body = renderIndex(site.data, { served: true, site: site.site, view });
          if (site.views.size >= MAX_VIEWS) site.views.delete(site.views.keys().next().value!);
          site.views.set(key, body);
        }
        asset = { type: asset.type, body };
      }
    }
    const viewTag = key ? `-${createHash("sha256").update(key).digest("base64url").slice(0, 10)}` : "";
    const etag = `"${Buffer.from(repo).toString("base64url")}-${site.revision}-${BUILD}${viewTag}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag }).end();
      return true;
    }
    return send(res, 200, asset.type, req.method === "HEAD" ? "" : asset.body, { etag, "last-modified": new Date(site.readAt).toUTCString() });
  }

  /** The site of `repo` at the store's revision, rendered once per revision. */
  private async current(repo: string): Promise<Rendered | null> {
    const revision = await this.options.store.revision(repo);
    if (revision === null) return null;
    const cached = this.rendered.get(repo);
    if (cached && cached.revision === revision) return cached;
    const stored = await this.options.store.get(repo);
    if (!stored) return null;
    const { source, readAt } = currentSource(stored);
    // Drawn as of its newest read: the same data gives the same page on every instance.
    const data = siteData(source, new Date(readAt));
    const site = source.rules.links.site;
    const rendered: Rendered = { revision: stored.revision, files: renderSite(data, { served: true, site }), readAt, data, site, views: new Map() };
    this.rendered.set(repo, rendered);
    return rendered;
  }
}

function normalisePath(path: string): string {
  const trimmed = `/${path.trim().replace(/^\/+|\/+$/g, "")}/`.replace(/^\/\/$/, "/");
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(trimmed)) throw new Error(`the site's path must be a URL path such as /seps/ (got "${path}")`);
  return trimmed;
}

const HEADERS = {
  "content-security-policy": SITE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): true {
  res.writeHead(status, { ...HEADERS, "content-type": type, ...extra }).end(body);
  return true;
}

function redirect(res: ServerResponse, location: string): true {
  res.writeHead(301, { location }).end();
  return true;
}

function notFound(res: ServerResponse, why: string): true {
  return send(res, 404, "text/html; charset=utf-8", page("Not found", `<p>${esc(why)}</p>`));
}

/** A small page of the server's own (no stylesheet needed: the CSP forbids inline styles). */
function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${esc(title)}</title>\n</head>\n<body>\n<main>\n<h1>${esc(title)}</h1>\n${body}\n</main>\n</body>\n</html>\n`;
}
