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
import { until } from "../helpers/wait.js";
import nock from "nock";

/**
 * The generated site in a real browser (Debian's chromium, headless, driven
 * by playwright-core), opened from file:// as someone would open the
 * directory `sep-bot site` wrote: filtering, search, sorting, a person's
 * "waiting on" view, links; no console error, no request to anywhere but the
 * site's own files, the page's own Content-Security-Policy enforced, no
 * serious accessibility violation (axe-core), and readable without
 * JavaScript. Screenshots go to test/artifacts/. One browser for the file.
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

  async function watched(options: { javaScriptEnabled?: boolean } = {}, origin = "file://"): Promise<Watched> {
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
      const age = page.getByRole("button", { name: "Days in status" });
      await age.click();
      await age.click();
      expect(await page.getAttribute("th:has(button[data-sort=age])", "aria-sort")).toBe("descending");
      expect((await shown(page))[0]).toBe(1990); // the oldest wait first
      await page.locator('nav[aria-label="People"]').getByRole("link", { name: "@max" }).click();
      await page.waitForURL(/#waiting-max$/);
      expect(await page.locator("#waiting-max table tbody tr").count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${ARTIFACTS}site-live-waiting-max.png` });
      await page.evaluate(readFileSync(AXE, "utf8"));
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: Array<{ id: string; impact: string | null }> }> } }).axe;
        return axe.run(document, { resultTypes: ["violations"] });
      });
      expect(result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
      await page.getByRole("link", { name: "seps.json" }).first().click();
      await page.waitForURL(`${origin}/seps.json`);
      expect(JSON.parse((await page.textContent("body"))!)).toMatchObject({ version: 1 });
      clean(o);
      await o.context.close();
    } finally {
      stopServers();
      await github.close();
    }
  });

  async function open(query = ""): Promise<Watched> {
    await shared.page.goto(`${index}${query}`);
    return shared;
  }

  /** The numbers of the SEP rows shown, in order. */
  const shown = (page: Page) => page.$$eval("#sep-table tbody tr:not([hidden])", (rows) => rows.map((r) => Number(r.getAttribute("data-key-number"))));
  const query = (page: Page) => new URL(page.url()).searchParams.toString();
  const clean = (o: Watched) => {
    expect(o.problems).toEqual([]);
    expect([...new Set(o.leaks)]).toEqual([]);
  };

  it("filters to one status and searches a title; the URL keeps both, so the link opens the same view", async () => {
    const o = await open();
    const { page } = o;
    expect(await shown(page)).toEqual(data.seps.map((s) => s.number));
    await page.selectOption("#f-status", "in-review");
    expect(await shown(page)).toEqual([2003, 2007]);
    expect(query(page)).toBe("status=in-review");
    await page.fill("#f-q", "decided");
    expect(await shown(page)).toEqual([2007]);
    expect(await page.textContent("#sep-count")).toBe("Showing 1 of 14 SEPs.");
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
    await o.page.getByRole("link", { name: "In-Review (2)" }).click();
    await o.page.waitForURL(/\?status=in-review#seps$/);
    expect(await shown(o.page)).toEqual([2003, 2007]);
    clean(o);
  });

  it("sorts by age with the mouse and the keyboard; aria-sort and the URL follow", async () => {
    const o = await open();
    const { page } = o;
    const age = page.getByRole("button", { name: "Days in status" });
    await age.click();
    const ages = (numbers: number[]) => numbers.map((n) => data.seps.find((s) => s.number === n)!.daysInStatus);
    const ascending = await shown(page);
    expect(ages(ascending)).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 163, null, null, null, null]);
    expect(await page.getAttribute("th:has(button[data-sort=age])", "aria-sort")).toBe("ascending");
    expect(await page.getAttribute("th:has(button[data-sort=number])", "aria-sort")).toBeNull();
    expect(query(page)).toBe("sort=age");
    await age.focus();
    await page.keyboard.press("Enter");
    const descending = await shown(page);
    expect(descending[0]).toBe(1990);
    expect(ages(descending).slice(-4)).toEqual([null, null, null, null]);
    expect(await page.getAttribute("th:has(button[data-sort=age])", "aria-sort")).toBe("descending");
    expect(query(page)).toBe("sort=-age");
    clean(o);
  });

  it("opens a maintainer's “waiting on” view from their link, and follows a link out of it", async () => {
    const o = await open();
    const { page } = o;
    await page.locator('nav[aria-label="People"]').getByRole("link", { name: "@max" }).click();
    await page.waitForURL(/#waiting-max$/);
    const view = page.locator("#waiting-max");
    expect(await view.evaluate((el) => Math.round(el.getBoundingClientRect().top))).toBeLessThan(50);
    const rows = await view.locator("table tbody tr td:first-child").allTextContents();
    expect(rows.map((r) => r.split(" ")[0])).toEqual(data.waitingOn.people.find((p) => p.login === "max")!.next.map((i) => `SEP-${i.sep}`));
    expect(rows.length).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}site-waiting-max.png` });
    // Its SEPs link to their pull requests (on GitHub: only the address is checked, nothing is fetched).
    expect(await view.getByRole("link", { name: "SEP-2002" }).first().getAttribute("href")).toBe(data.seps.find((s) => s.number === 2002)!.pullRequest!.url);
    // A link within the site is followed: seps.json, the same data.
    await page.getByRole("link", { name: "seps.json" }).first().click();
    await page.waitForURL(/seps\.json$/);
    expect(JSON.parse((await page.textContent("body"))!)).toMatchObject({ version: 1, agenda: data.agenda });
    clean(o);
  });

  it("runs under its own strict Content-Security-Policy: its script works, an injected inline one does not", async () => {
    const o = await open("?sort=-number");
    const { page } = o;
    expect((await shown(page))[0]).toBe(2322); // the page's own script applied the URL's sort
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
    await page.getByRole("button", { name: "Created" }).click();
    expect(serious(await violations())).toEqual([]);
    clean(o);
  });

  it("reads without JavaScript: every SEP is in the table, and the page says filtering needs it", async () => {
    const o = await watched({ javaScriptEnabled: false });
    const { page } = o;
    await page.goto(`${index}?status=in-review`);
    expect(await shown(page)).toEqual(data.seps.map((s) => s.number));
    expect(await page.textContent("#sep-count")).toBe("Showing all 14 SEPs.");
    expect(await page.isVisible("#sep-nojs")).toBe(true);
    expect(await page.locator("#agenda tbody tr").count()).toBe(data.agenda.length);
    expect(await page.locator("svg.chart").count()).toBe(2);
    await page.screenshot({ path: `${ARTIFACTS}site-no-javascript.png` });
    // The form still submits (the page's policy allows its own address): the same page, the full table.
    await page.selectOption("#f-status", "draft");
    await Promise.all([page.waitForURL(/\?status=draft&/), page.getByRole("button", { name: "Filter" }).click()]);
    expect(await shown(page)).toHaveLength(data.seps.length);
    clean(o);
    await o.context.close();
  });
});
