import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { writeSite } from "../../src/github/site.js";
import { siteData } from "../../src/reports/site/build.js";
import type { SiteData } from "../../src/reports/site/model.js";
import { renderSite } from "../../src/reports/site/render.js";
import { goldenSource, GOLDEN_NOW } from "../unit/reports/site/golden-source.js";
import { siteRepository } from "../unit/reports/site/scenario.js";
import { startServe, stopServers } from "../helpers/serve.js";
import { atomProblems } from "../helpers/atom.js";
import { until } from "../helpers/wait.js";
import nock from "nock";

/**
 * The generated site in a real browser (Debian's chromium, headless, driven
 * by playwright-core), opened from file:// as someone would open the
 * directory `sep-bot site` wrote: filtering, search, sorting, a person's
 * view (the picker, `?person=`), links, the release view, the Atom feed it links to (checked
 * against RFC 4287: test/helpers/atom.ts); no page wider than the screen at
 * 1280, 1400, 1920 and 390 px, every column of the table shown at 1400 px,
 * the charts legible on a phone; no console error, no request to anywhere but
 * the site's own files, the page's own Content-Security-Policy enforced, no
 * serious accessibility violation (axe-core); without JavaScript, status and
 * person views that work as links and no control that does nothing (and,
 * served by `sep-bot serve`, the same views filtered by the server).
 * Screenshots go to test/artifacts/. One browser for the file.
 */

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;
const AXE = new URL("../../node_modules/axe-core/axe.min.js", import.meta.url).pathname;
const present = existsSync(CHROMIUM);

interface Watched {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions and dialogs (an injected alert()), since the test began. */
  problems: string[];
  /** Requests to anything but the site's files, since the test began. */
  leaks: string[];
}

describe.skipIf(!present)(present ? "the site in a real browser" : `the site in a real browser: SKIPPED, ${CHROMIUM} is missing (.ci/run installs Debian's chromium)`, () => {
  let browser: Browser;
  let dir: string;
  let index: string;
  let data: SiteData;
  /** The page the scripted tests share (a new page costs a second): each test navigates it afresh. */
  let shared: Watched;

  beforeAll(async () => {
    data = siteData(goldenSource(), GOLDEN_NOW);
    dir = mkdtempSync(join(tmpdir(), "sep-site-"));
    await writeSite(dir, renderSite(data));
    index = pathToFileURL(join(dir, "index.html")).href;
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // The machine's network is closed: without these chromium reaches for Google's services.
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    });
    shared = await watched();
  });

  beforeEach(() => {
    if (!shared) return;
    shared.problems.length = 0;
    shared.leaks.length = 0;
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function watched(options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}, origin = "file://"): Promise<Watched> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const problems: string[] = [];
    const leaks: string[] = [];
    // Anything not a file of the site (or the live site's own origin) is recorded and refused before it leaves.
    await context.route((url) => !url.href.startsWith(origin), (route) => {
      leaks.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("dialog", (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on("request", (r) => {
      if (!r.url().startsWith(origin)) leaks.push(r.url());
    });
    return { page, context, problems, leaks };
  }

  /**
   * The live page: `sep-bot serve` (the container's command) against the fake
   * over HTTP, read at its start-up, opened at http://127.0.0.1:<port>/.
   */
  it("served live by `sep-bot serve`: filter, search, sort, a maintainer's view, a link; nothing leaves the origin; no serious accessibility violation", async () => {
    const fake = await siteRepository();
    fake.uninstall(); // the servers reach it over HTTP; no nock in this file
    nock.enableNetConnect("127.0.0.1");
    const github = await fake.listen();
    try {
      const serve = await startServe(github.url);
      const origin = `http://127.0.0.1:${serve.port}`;
      await until(async () => (await fetch(`${origin}/`)).status === 200, "the live page");
      const o = await watched({}, origin);
      const { page } = o;
      await page.goto(`${origin}/`);
      const all = await shown(page);
      expect(all).toContain(2003);
      await page.selectOption("#f-status", "in-review");
      expect(await shown(page)).toEqual([2003, 2007]);
      await page.fill("#f-q", "decided");
      expect(await shown(page)).toEqual([2007]);
      expect(query(page)).toBe("status=in-review&q=decided");
      await page.goto(page.url()); // the link keeps the view, served live too
      expect(await shown(page)).toEqual([2007]);
      await page.goto(`${origin}/`);
      const age = page.locator("#sep-table").getByRole("button", { name: "Days in status" });
      await age.click();
      await age.click();
      expect(await page.getAttribute("#sep-table th:has(button[data-sort=age])", "aria-sort")).toBe("descending");
      expect((await shown(page))[0]).toBe(1990); // the oldest wait first
      await page.locator('nav[aria-label="People"]').getByRole("link", { name: "@max" }).click();
      await page.waitForURL(/\?person=max$/);
      expect(await page.locator("#needs-view #waiting-max table tbody tr").count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${ARTIFACTS}site-live-waiting-max.png` });
      await page.evaluate(readFileSync(AXE, "utf8"));
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: Array<{ id: string; impact: string | null }> }> } }).axe;
        return axe.run(document, { resultTypes: ["violations"] });
      });
      expect(result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
      await page.getByRole("link", { name: "seps.json" }).first().click();
      await page.waitForURL(`${origin}/seps.json`);
      expect(JSON.parse((await page.textContent("body"))!)).toMatchObject({ version: 2 });
      clean(o);
      await o.context.close();

      // The feed the page links to, as served.
      const feed = await fetch(`${origin}/feed.xml`);
      expect(feed.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
      expect(atomProblems(await feed.text())).toEqual([]);

      // Without JavaScript the server filters: a status and a person are links that work, and so does the form.
      const plain = await watched({ javaScriptEnabled: false }, origin);
      await plain.page.goto(`${origin}/?status=in-review`);
      expect(await shown(plain.page)).toEqual([2003, 2007]);
      expect(await plain.page.inputValue("#f-status")).toBe("in-review");
      expect(await plain.page.textContent("#sep-count")).toBe("Showing 2 of 10 SEPs in progress, and 0 of 4 finished.");
      await plain.page.selectOption("#f-status", "draft");
      await Promise.all([plain.page.waitForURL(/\?status=draft&/), plain.page.getByRole("button", { name: "Filter" }).click()]);
      expect(await shown(plain.page)).toEqual([2002, 2005]);
      await plain.page.goto(`${origin}/?person=max`);
      expect(await plain.page.isVisible("#needs-view #waiting-max")).toBe(true);
      expect(await plain.page.locator("#waiting #waiting-max").count()).toBe(0); // once, above the table
      expect(await plain.page.isVisible("#sep-table")).toBe(true);
      await plain.page.screenshot({ path: `${ARTIFACTS}site-live-no-javascript-max.png` });
      clean(plain);
      await plain.context.close();
    } finally {
      stopServers();
      await github.close();
    }
  });

  async function open(query = ""): Promise<Watched> {
    await shared.page.goto(`${index}${query}`);
    return shared;
  }

  /** The numbers of the SEP rows shown (not filtered out), in order: those in progress, then the finished ones. */
  const shown = (page: Page) => page.$$eval("table.sep-table tbody tr:not([hidden])", (rows) => rows.map((r) => Number(r.getAttribute("data-key-number"))));
  const inOrder = (d: SiteData) => [...d.seps.filter((s) => !s.finished), ...d.seps.filter((s) => s.finished)].map((s) => s.number);
  const query = (page: Page) => new URL(page.url()).searchParams.toString();
  const clean = (o: Watched) => {
    expect(o.problems).toEqual([]);
    expect([...new Set(o.leaks)]).toEqual([]);
  };

  it("filters to one status and searches a title; the URL keeps both, so the link opens the same view", async () => {
    const o = await open();
    const { page } = o;
    expect(await shown(page)).toEqual(inOrder(data));
    await page.selectOption("#f-status", "in-review");
    expect(await shown(page)).toEqual([2003, 2007]);
    expect(query(page)).toBe("status=in-review");
    await page.fill("#f-q", "decided");
    expect(await shown(page)).toEqual([2007]);
    expect(await page.textContent("#sep-count")).toBe("Showing 1 of 10 SEPs in progress, and 0 of 4 finished.");
    expect(query(page)).toBe("status=in-review&q=decided");
    await page.screenshot({ path: `${ARTIFACTS}site-filtered.png` });

    // The link, opened afresh: the same rows, the same controls.
    await page.goto(page.url());
    expect(await shown(page)).toEqual([2007]);
    expect([await page.inputValue("#f-status"), await page.inputValue("#f-q")]).toEqual(["in-review", "decided"]);
    // A value no option has is ignored, not applied.
    await page.goto(`${index}?status=%22%3E%3Cimg%20src%3Dx%3E&q=widgets`);
    expect(await page.inputValue("#f-status")).toBe("");
    expect(await shown(page)).toEqual([1990, 2002, 2003, 2004, 2005, 2006, 2007, 2100]);
    clean(o);
  });

  it("the pipeline links to a status: “all in review” opens the table filtered", async () => {
    const o = await open();
    await o.page.locator("#pipeline").getByRole("link", { name: "In-Review (2)" }).click();
    await o.page.waitForURL(/\?status=in-review#seps$/);
    expect(await shown(o.page)).toEqual([2003, 2007]);
    clean(o);
  });

  it("sorts by age with the mouse and the keyboard; aria-sort and the URL follow", async () => {
    const o = await open();
    const { page } = o;
    const age = page.locator("#sep-table").getByRole("button", { name: "Days in status" });
    await age.click();
    const ages = (numbers: number[]) => numbers.map((n) => data.seps.find((s) => s.number === n)!.daysInStatus);
    const ascending = await shown(page);
    expect(ages(ascending)).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 163, null, null, null, null]);
    expect(await page.getAttribute("#sep-table th:has(button[data-sort=age])", "aria-sort")).toBe("ascending");
    expect(await page.getAttribute("#sep-table th:has(button[data-sort=number])", "aria-sort")).toBeNull();
    expect(query(page)).toBe("sort=age");
    await age.focus();
    await page.keyboard.press("Enter");
    const descending = await shown(page);
    expect(descending[0]).toBe(1990);
    expect(ages(descending).slice(-4)).toEqual([null, null, null, null]);
    expect(await page.getAttribute("#sep-table th:has(button[data-sort=age])", "aria-sort")).toBe("descending");
    expect(query(page)).toBe("sort=-age");
    clean(o);
  });

  it("opens a maintainer's view from their link (`?person=`), above the full table, most urgent first, and follows a link out of it", async () => {
    const o = await open();
    const { page } = o;
    await page.locator('nav[aria-label="People"]').getByRole("link", { name: "@max" }).click();
    await page.waitForURL(/\?person=max$/);
    const view = page.locator("#needs-view #waiting-max");
    expect(await view.isVisible()).toBe(true);
    const above = await page.evaluate(() => document.getElementById("needs-view")!.getBoundingClientRect().bottom <= document.getElementById("sep-table")!.getBoundingClientRect().top);
    expect(above).toBe(true);
    const rows = await view.locator("table").first().locator("tbody tr td:first-child").allTextContents();
    expect(rows.map((r) => r.split(" ")[0])).toEqual(data.waitingOn.people.find((p) => p.login === "max")!.next.map((i) => `SEP-${i.sep}`));
    expect(rows.length).toBeGreaterThan(0);
    expect(await shown(page)).toEqual(inOrder(data)); // the full table is still there
    await view.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}site-waiting-max.png` });
    // Its SEPs link to their pull requests (on GitHub: only the address is checked, nothing is fetched).
    expect(await view.getByRole("link", { name: "SEP-2002" }).first().getAttribute("href")).toBe(data.seps.find((s) => s.number === 2002)!.pullRequest!.url);
    // A link within the site is followed: seps.json, the same data.
    await page.getByRole("link", { name: "seps.json" }).first().click();
    await page.waitForURL(/seps\.json$/);
    expect(JSON.parse((await page.textContent("body"))!)).toMatchObject({ version: 2, agenda: data.agenda });
    clean(o);
  });

  it("the person picker shows one person's view above the table and keeps it in the URL; choosing another moves the view", async () => {
    const o = await open();
    const { page } = o;
    await page.selectOption("#f-person", "pieter");
    expect(query(page)).toBe("person=pieter");
    expect(await page.isVisible("#needs-view #waiting-pieter")).toBe(true);
    // Most urgent first: the dated dormancy of SEP-1990 before the failing check of SEP-2006.
    const pieter = await page.locator("#needs-view #waiting-pieter table tbody tr td:first-child").allTextContents();
    expect(pieter.map((r) => r.split(" ")[0])).toEqual(["SEP-1990", "SEP-2006"]);
    await page.selectOption("#f-person", "max");
    expect(await page.locator("#needs-view section.person").count()).toBe(1);
    expect(await page.isVisible("#needs-view #waiting-max")).toBe(true);
    expect(await page.locator("#waiting #waiting-pieter").count()).toBe(1); // back in its place
    await page.screenshot({ path: `${ARTIFACTS}site-person-max.png` });
    clean(o);
  });

  it("links to its Atom feed, which is valid RFC 4287", async () => {
    const o = await open();
    const href = await o.page.getAttribute('link[rel="alternate"][type="application/atom+xml"]', "href");
    expect(href).toBe("feed.xml");
    expect(await o.page.getByRole("link", { name: "Feed (Atom)" }).getAttribute("href")).toBe("feed.xml");
    const response = await o.page.goto(new URL(href!, index).href);
    const xml = (await response!.body()).toString("utf8");
    expect(atomProblems(xml)).toEqual([]);
    expect(xml).toContain("<title>SEP-2007 proposed: Decided Widgets</title>");
    clean(o);
  });

  for (const width of [1280, 1400, 1920]) {
    it(`at ${width} px: no page wider than the screen, every column of the table shown whole`, async () => {
      const o = await watched({ viewport: { width, height: 900 } });
      const { page } = o;
      await page.goto(index);
      const fit = await page.evaluate(() => {
        const doc = document.documentElement;
        const table = document.getElementById("sep-table")!;
        const region = table.parentElement!;
        const heads = Array.from(table.querySelectorAll("thead th")).map((th) => {
          const r = th.getBoundingClientRect();
          return { text: (th as HTMLElement).innerText.trim(), visible: r.width > 0 && r.left >= 0 && r.right <= doc.clientWidth };
        });
        return { page: doc.scrollWidth - doc.clientWidth, region: region.scrollWidth - region.clientWidth, heads };
      });
      expect(fit.page).toBeLessThanOrEqual(0);
      expect(fit.region).toBeLessThanOrEqual(0); // nothing scrolled out of the table's box either
      expect(fit.heads.map((h) => h.text.replace(/\s+/g, " "))).toEqual(["SEP", "Title", "Status", "Type", "Authors", "Sponsors", "Created", "Last activity", "Days in status", "Pull request"]);
      expect(fit.heads.filter((h) => !h.visible)).toEqual([]);
      if (width === 1400) await page.screenshot({ path: `${ARTIFACTS}site-1400.png` });
      clean(o);
      await o.context.close();
    });
  }

  it("at 390 px: a phone's layout, no page wider than the screen, the tables as cards, the charts legible", async () => {
    const o = await watched({ viewport: { width: 390, height: 844 } });
    const { page } = o;
    await page.goto(index);
    const fit = await page.evaluate(() => {
      const doc = document.documentElement;
      const charts = Array.from(document.querySelectorAll("svg.chart")).filter((svg) => svg.getBoundingClientRect().width > 0);
      // The smallest text in the charts, as drawn: its font size times the drawing's scale.
      const smallest = Math.min(...charts.flatMap((svg) => {
        const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute("viewBox")!.split(" ")[2]);
        return Array.from(svg.querySelectorAll("text")).map((t) => Number(t.getAttribute("font-size")) * scale);
      }));
      const wider = Array.from(document.querySelectorAll("main *")).filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 0.5).map((el) => el.tagName + (el.id ? `#${el.id}` : ""));
      const cards = [getComputedStyle(document.querySelector("#sep-table tbody tr")!).display, getComputedStyle(document.querySelector("#releases table.release-matrix tbody tr")!).display];
      return { page: doc.scrollWidth - doc.clientWidth, charts: charts.map((c) => c.getAttribute("class")), smallest, wider, cards };
    });
    expect(fit.page).toBeLessThanOrEqual(0);
    expect(fit.wider).toEqual([]);
    expect(fit.charts).toEqual(["chart narrow", "chart narrow"]);
    expect(fit.smallest).toBeGreaterThanOrEqual(12);
    expect(fit.cards).toEqual(["block", "block"]);
    await page.screenshot({ path: `${ARTIFACTS}site-390.png`, fullPage: true });
    clean(o);
    await o.context.close();
  });

  it("runs under its own strict Content-Security-Policy: its script works, an injected inline one does not", async () => {
    const o = await open("?sort=-number");
    const { page } = o;
    expect((await shown(page))[0]).toBe(2100); // the page's own script applied the URL's sort
    const ran = await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.injected = true";
      document.body.appendChild(s);
      return (window as unknown as { injected?: boolean }).injected === true;
    });
    expect(ran).toBe(false);
    expect(o.problems.filter((p) => !/Content Security Policy/.test(p))).toEqual([]);
    expect(o.problems.some((p) => /inline script violates the following Content Security Policy directive 'script-src 'self''/.test(p))).toBe(true);
    o.problems.length = 0;
    clean(o);
  });

  it("has no serious or critical accessibility violation (axe-core), before and after filtering and sorting", async () => {
    const o = await open();
    const { page } = o;
    // page.addScriptTag would inject axe as an inline script, which the page's own policy refuses (and says so);
    // evaluated through the DevTools protocol the same file runs on the page exactly as it is served.
    await page.evaluate(readFileSync(AXE, "utf8"));
    const violations = async () => {
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> }> } }).axe;
        // preload: false, or axe fetches the stylesheet itself, which a file: page may not.
        return axe.run(document, { resultTypes: ["violations"], preload: false });
      });
      return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
    };
    const serious = (list: string[]) => list.filter((v) => /\((serious|critical)\)/.test(v));
    const first = await violations();
    expect(serious(first)).toEqual([]);
    expect(first).toEqual([]); // nor any lesser one, today
    await page.selectOption("#f-type", "standards-track");
    await page.locator("#sep-table").getByRole("button", { name: "Created" }).click();
    await page.selectOption("#f-person", "max");
    expect(serious(await violations())).toEqual([]);
    clean(o);
  });

  it("reads without JavaScript: every SEP in the tables, no control that does nothing, status and person views as pages of their own", async () => {
    const o = await watched({ javaScriptEnabled: false });
    const { page } = o;
    await page.goto(`${index}?status=in-review`);
    expect(await shown(page)).toEqual(inOrder(data));
    expect(await page.textContent("#sep-count")).toBe("Showing all 10 SEPs in progress; 4 finished below.");
    expect(await page.locator("#agenda tbody tr").count()).toBe(data.agenda.length);
    expect(await page.locator("svg.chart.wide").count()).toBe(2);
    // The releases: every tracked SEP against every SDK, open where something is owed; an SDK's SEP links to its row.
    expect(await page.locator("#releases table.release-matrix tbody tr:visible").count()).toBe(data.releases.flatMap((r) => r.seps).length);
    await page.locator("#release-2026-07-28 tbody tr", { hasText: "Python" }).getByRole("link", { name: "SEP-2100" }).click();
    await page.waitForURL(/#release-2026-07-28-sep-2100$/);
    // The filters, the picker and the sort buttons need the script: not there without it; the headers are text.
    for (const control of ["#sep-filter", "#person-picker", "#sep-table button[data-sort]"]) expect(await page.locator(control).first().isVisible(), control).toBe(false);
    expect(await page.locator("#sep-table thead th").first().textContent()).toBe("SEPSEP");
    expect(await page.isVisible("#sep-table thead th .no-js")).toBe(true);
    // The finished SEPs are out of the way, one click away.
    expect(await page.isVisible("#sep-finished")).toBe(false);
    await page.locator("#finished summary").click();
    expect(await page.isVisible("#sep-finished")).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}site-no-javascript.png` });
    // A status is a link to its own page.
    await page.locator('nav[aria-label="Show one status"]').getByRole("link", { name: "In-Review (2)" }).click();
    await page.waitForURL(/status\/in-review\.html$/);
    expect(await shown(page)).toEqual([2003, 2007]);
    // So is a person, with what waits on them.
    await page.goto(index);
    await page.locator('nav[aria-label="People"]').getByRole("link", { name: "@max" }).click();
    await page.waitForURL(/people\/max\.html$/);
    const rows = await page.locator("#waiting-max table").first().locator("tbody tr td:first-child").allTextContents();
    expect(rows.map((r) => r.split(" ")[0])).toEqual(data.waitingOn.people.find((p) => p.login === "max")!.next.map((i) => `SEP-${i.sep}`));
    await page.screenshot({ path: `${ARTIFACTS}site-no-javascript-max.png` });
    clean(o);
    await o.context.close();
  });
});
