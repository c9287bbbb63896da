import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { siteData } from "../../../../src/reports/site/build.js";
import { SITE_SCHEMA_URL, type SiteData } from "../../../../src/reports/site/model.js";
import { esc, oneLine, personAnchor, safeHref } from "../../../../src/reports/site/html.js";
import { renderIndex, renderSite, SITE_CSP } from "../../../../src/reports/site/render.js";
import { rules } from "../../../helpers/sep.js";
import { validate } from "./json-schema.js";
import { goldenSource, GOLDEN_NOW } from "./golden-source.js";

/**
 * The page and seps.json as text: untrusted titles and names cannot inject
 * markup, nothing is loaded from elsewhere, every link inside the page lands,
 * and seps.json is what its published schema says.
 */

const SCHEMA = JSON.parse(readFileSync(new URL("../../../../docs/seps-v2.schema.json", import.meta.url), "utf8"));
const golden = () => siteData(goldenSource(), GOLDEN_NOW);
const empty = () => siteData({ read: { repo: { owner: "o", name: "r", defaultBranch: "main" }, botLogin: "sep-bot", roles: {}, pulls: [] }, rules, files: [], discussions: [] }, GOLDEN_NOW);

/** Start tags as a browser's tokenizer sees them: `<name` then attributes up to `>`. */
const tags = (html: string) => [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)].map((m) => ({ name: m[1]!.toLowerCase(), attrs: m[2]! }));
const attrNames = (attrs: string) => [...attrs.matchAll(/\s+([^\s=>/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?/g)].map((m) => m[1]!.toLowerCase());
const attrValues = (html: string, name: string) => [...html.matchAll(new RegExp(`\\s${name}="([^"]*)"`, "g"))].map((m) => m[1]!);

describe("the page: untrusted text", () => {
  it("hostile titles and names stay text: the only elements are the page's own, and no attribute is an event handler", () => {
    const html = renderIndex(golden());
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    expect(html).toContain("Names &lt;/title&gt;&lt;script&gt;alert(5)&lt;/script&gt;");
    const names = new Set(tags(html).map((t) => t.name));
    expect([...names].filter((n) => !["html", "head", "meta", "title", "link", "script", "body", "a", "header", "p", "h1", "h2", "h3", "h4", "nav", "ul", "li", "main", "section", "form", "div", "label", "select", "option", "input", "button", "noscript", "table", "caption", "thead", "tbody", "tr", "th", "td", "time", "span", "code", "figure", "figcaption", "details", "summary", "svg", "desc", "text", "rect", "line", "circle", "footer"].includes(n))).toEqual([]);
    expect(tags(html).filter((t) => t.name === "script")).toEqual([{ name: "script", attrs: ' src="site.js" defer' }]);
    expect(tags(html).flatMap((t) => attrNames(t.attrs)).filter((a) => a.startsWith("on") || a === "style")).toEqual([]);
  });

  it("one line, no control or bidi characters, capped; links only to http(s) addresses", () => {
    expect(oneLine("a\n\tb\u202e\u0000c")).toBe("a bc");
    expect([...oneLine("x".repeat(500), 200)]).toHaveLength(200);
    expect(esc(`<a href="x" onclick='y'>&`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,<script>")).toBeNull();
    expect(safeHref('https://github.com/o/r/pull/1" onmouseover="x')).toBeNull();
    expect(safeHref("https://github.com/o/r/pull/1?a=1&b=2")).toBe("https://github.com/o/r/pull/1?a=1&amp;b=2");

    const data = golden();
    const tampered: SiteData = { ...data, seps: data.seps.map((s, i) => (i === 0 ? { ...s, file: { ...s.file, url: "javascript:alert(1)" }, pullRequest: s.pullRequest && { ...s.pullRequest, url: "data:text/html,x" } } : s)) };
    const html = renderIndex(tampered);
    expect(html).not.toMatch(/javascript:|data:text/);
    // GitHub, the documentation's rendered pages (the rules' template), the schema, and the site's own files and views.
    for (const href of attrValues(html, "href")) expect(href.startsWith("https://github.com/") || href.startsWith("https://modelcontextprotocol.io/seps/") || href === SITE_SCHEMA_URL || /^(#|\?status=|seps\.json$|site\.css$|feed\.xml$|(people|status)\/[a-z0-9_-]+\.html$)/.test(href), href).toBe(true);
  });
});

describe("the page: self-contained and navigable", () => {
  it("declares a strict policy and loads only its own files", () => {
    const html = renderIndex(golden());
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${esc(SITE_CSP)}">`);
    expect(SITE_CSP).toMatch(/default-src 'none'/);
    expect(SITE_CSP).not.toMatch(/unsafe|https?:|\*/);
    expect(attrValues(html, "src")).toEqual(["site.js"]);
    expect(tags(html).filter((t) => t.name === "link").map((t) => t.attrs)).toEqual([' rel="stylesheet" href="site.css"', ' rel="alternate" type="application/atom+xml" title="SEPs of modelcontextprotocol/modelcontextprotocol: what changed" href="feed.xml"']);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it("every fragment link lands on an element, ids are unique, each person's view has an anchor", () => {
    const data = golden();
    // Someone told of a deadline who has no view of their own (a pull request's author who is no file's author).
    data.deadlines.push({ date: "2026-12-01", kind: "reminder", what: "a reminder", to: ["stranger"], sep: 2003 });
    const html = renderIndex(data);
    expect(html).toContain('<td data-label="Who is told">@stranger</td>');
    const ids = attrValues(html, "id");
    expect(new Set(ids).size).toBe(ids.length);
    const targets = attrValues(html, "href").filter((h) => h.startsWith("#") || (h.startsWith("?") && h.includes("#"))).map((h) => h.slice(h.indexOf("#") + 1));
    expect(targets.filter((id) => !ids.includes(id))).toEqual([]);
    for (const p of data.waitingOn.people) expect(ids).toContain(personAnchor(p.login));
    expect(personAnchor("CaitieM20")).toBe("waiting-caitiem20");
  });

  it("the table holds every SEP in the HTML, with the filters' and the sort's keys", () => {
    const data = golden();
    const html = renderIndex(data);
    const rows = [...html.matchAll(/<tr id="sep-(\d+)" data-status="([^"]*)" data-type="([^"]*)"/g)].map((m) => [Number(m[1]), m[2], m[3]]);
    // SEPs in progress first; the finished ones in their own table, out of the way.
    const byFinished = [...data.seps.filter((s) => !s.finished), ...data.seps.filter((s) => s.finished)];
    expect(rows).toEqual(byFinished.map((s) => [s.number, s.status ?? "unknown", s.type ?? "unknown"]));
    expect(data.seps.filter((s) => s.finished).map((s) => s.number)).toEqual([932, 1850, 2200, 2322]);
    expect(html).toContain('<th scope="col" class="num" aria-sort="ascending"><span class="no-js">SEP</span><button type="button" class="js-only" data-sort="number">SEP</button></th>');
    expect(html).toContain('data-sort="age">Days in status</button>');
  });

  it("charts are drawn in SVG with a text alternative", () => {
    const html = renderIndex(golden());
    // Each in a wide and a narrow layout (a phone's), the stylesheet shows one.
    expect(html.match(/<svg class="chart (wide|narrow)" role="img" aria-labelledby="(counts|ages)(-n)?-title \2\3-desc"/g)).toHaveLength(4);
    expect(html).toMatch(/<desc id="counts-desc">Awaiting a sponsor: 4 \(4 in open pull requests, 0 only on the default branch\);/);
    expect(html).toMatch(/<desc id="ages-desc">Awaiting a sponsor: 4 open SEPs, median 3 days, from 3 to 163;/);
  });

  it("an empty repository says so in every part", () => {
    const html = renderIndex(empty());
    for (const text of ["No SEPs yet", "No open SEP pull requests.", "Nothing is in review.", "No deadline falls in the next 30 days.", "No SEP is waiting for a maintainer to take it."]) expect(html).toContain(text);
    expect(html).not.toContain('<svg class="chart" role="img" aria-labelledby="ages-title');
  });
});

describe("seps.json", () => {
  it("is what docs/seps.schema.json says, for the golden repository and an empty one", () => {
    expect(SCHEMA.$id).toBe(SITE_SCHEMA_URL);
    for (const data of [golden(), empty()]) {
      const json = JSON.parse(renderSite(data).get("seps.json")!.body);
      expect(validate(SCHEMA, json)).toEqual([]);
    }
  });

  it("the schema catches a document that breaks it", () => {
    const json = JSON.parse(renderSite(golden()).get("seps.json")!.body);
    json.seps[0].status = "Final";
    json.seps[1].deadlines = [{ date: "soon", kind: "reminder", what: "x", to: [] }];
    delete json.waitingOn.people[0].next;
    json.version = 1;
    const errors = validate(SCHEMA, json);
    expect(errors).toContain("/version: must be equal to constant");
    expect(errors).toContain("/seps/0/status: must match a schema in anyOf");
    expect(errors).toContain('/seps/1/deadlines/0/date: must match pattern "^\\d{4}-\\d{2}-\\d{2}$"');
    expect(errors).toContain("/waitingOn/people/0: must have required property 'next'");
  });

  it("every field is documented in docs/seps-json.md", () => {
    const doc = readFileSync(new URL("../../../../docs/seps-json.md", import.meta.url), "utf8");
    const fields = new Set<string>();
    const collect = (s: unknown): void => {
      if (typeof s !== "object" || s === null) return;
      for (const [k, v] of Object.entries(s)) {
        if (k === "properties") for (const name of Object.keys(v as object)) fields.add(name);
        collect(v);
      }
    };
    collect(SCHEMA);
    expect([...fields].filter((f) => !doc.includes(`\`${f}\``))).toEqual([]);
  });
});
