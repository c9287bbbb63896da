import { describe, expect, it } from "vitest";
import { siteData } from "../../../../src/reports/site/build.js";
import { renderFeed } from "../../../../src/reports/site/feed.js";
import type { SiteData } from "../../../../src/reports/site/model.js";
import { atomProblems } from "../../../helpers/atom.js";
import { goldenSource, GOLDEN_NOW } from "./golden-source.js";

/** The Atom feed of what changes: valid RFC 4287 (test/helpers/atom.ts), stable ids, hostile titles kept as text. */

const golden = () => siteData(goldenSource(), GOLDEN_NOW);

describe("the feed (feed.xml)", () => {
  it("is valid Atom, with and without the site's published address", () => {
    const data = golden();
    expect(data.changes.length).toBeGreaterThan(0);
    for (const site of [null, "https://seps.example.org/mcp/"]) expect(atomProblems(renderFeed(data, site))).toEqual([]);
    const addressed = renderFeed(data, "https://seps.example.org/mcp/");
    expect(addressed).toContain('<link rel="self" type="application/atom+xml" href="https://seps.example.org/mcp/feed.xml"/>');
    expect(addressed).toContain("<id>https://seps.example.org/mcp/feed.xml</id>");
  });

  it("names each change: a SEP proposed, accepted, Final, dormant, any other move; each entry's id is stable", () => {
    const data = golden();
    const at = "2026-11-22T10:00:00.000Z";
    const changes: SiteData["changes"] = [
      { at, sep: 2004, kind: "status", from: "in-review", to: "accepted", by: "grace", pullRequest: 2004 },
      { at, sep: 2100, kind: "status", from: "accepted", to: "final", by: "grace", pullRequest: 2400 },
      { at, sep: 1990, kind: "status", from: "proposal", to: "dormant", by: null, pullRequest: 1990 },
      { at, sep: 2002, kind: "status", from: "proposal", to: "draft", by: "max", pullRequest: 2002 },
      { at, sep: 2001, kind: "proposed", from: null, to: "proposal", by: "mallory", pullRequest: 2001 },
    ];
    const xml = renderFeed({ ...data, changes });
    expect(atomProblems(xml)).toEqual([]);
    const titles = [...xml.matchAll(/<entry>\s*<id>[^<]*<\/id>\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      "SEP-2004 accepted: Accepted Widgets",
      "SEP-2100 is Final: Streaming Widgets",
      "SEP-1990 became dormant: Long Awaited Widgets",
      "SEP-2002 moved from Awaiting a sponsor to Draft: Drafted Widgets",
      "SEP-2001 proposed: &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(2)&gt;",
    ]);
    expect(renderFeed({ ...data, changes })).toBe(xml);
  });

  it("the checker itself refuses what RFC 4287 forbids", () => {
    expect(atomProblems("<feed>")).not.toEqual([]);
    expect(atomProblems('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')).toEqual(expect.arrayContaining(["feed: 0 atom:id (exactly one is required)", "feed: 0 atom:updated (exactly one is required)"]));
    const entry = '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>x</title><updated>2026-01-01T00:00:00Z</updated><entry><id>urn:e</id><title>e</title><updated>yesterday</updated></entry></feed>';
    expect(atomProblems(entry)).toEqual(['entry 1: atom:updated "yesterday" is not an RFC 3339 date', "entry 1: neither atom:content nor an alternate link", "entry 1: no atom:author, and the feed has none"]);
  });
});
