import { describe, expect, it } from "vitest";
import { renderDigest } from "../../../src/reports/digest/render.js";
import type { DigestInput } from "../../../src/reports/digest/model.js";
import { markdownUrl, siteLink } from "../../../src/shared/markdown.js";
import { plan } from "../../../src/governance/plan.js";
import { loadRules } from "../../../src/rules/load.js";
import { NOW, rules, sepText } from "../../helpers/sep.js";
import { pushedBy, sepFile, snapshot } from "../../helpers/snapshot.js";

/** With `links.site` set, the status comments and the weekly digest link to the published SEP site; without it, nothing changes. */

const SITE = "https://modelcontextprotocol.github.io/modelcontextprotocol/";
const withSite = loadRules([{ text: `links:\n  site: ${SITE}\n`, file: ".github/sep-bot.yml" }]);

const commentOf = (r: typeof rules) => {
  const s = snapshot({ files: [sepFile("seps/1933-widgets.md", sepText({ heading: "# SEP-1933: Widgets" }))], trigger: pushedBy("pieter") });
  const effect = plan(s, r, NOW).effects.find((e) => e.kind === "create-comment");
  return effect && "body" in effect ? effect.body : "";
};

describe("links to the SEP site", () => {
  it("the status comment links to its SEP on the site, only when a site is configured", () => {
    expect(commentOf(withSite)).toContain(`[all SEPs](${SITE}#sep-1933)`);
    expect(commentOf(rules)).not.toContain("all SEPs");
  });

  it("the digest links to the site at its top, only when configured", () => {
    const input: DigestInput = { repo: { owner: "o", name: "r" }, now: "2026-12-07T09:00:00Z", seps: [], states: [], dormantAfterDays: 180, reviewDays: 28 };
    expect(renderDigest({ ...input, siteUrl: SITE }).split("\n").slice(0, 6).join("\n")).toContain(`[the SEP site](${SITE})`);
    expect(renderDigest(input)).not.toContain("SEP site");
  });

  it("a configured URL is safe in markdown; a fragment it had is replaced; only http(s) is accepted", () => {
    expect(siteLink("https://x.example/a b)(c/#old", "#sep-1")).toBe("https://x.example/a%20b%29%28c/#sep-1");
    expect(markdownUrl("https://x.example/é")).toBe("https://x.example/%C3%A9");
    expect(() => loadRules([{ text: "links:\n  site: javascript:alert(1)\n", file: ".github/sep-bot.yml" }])).toThrow(/links\.site/);
  });
});
