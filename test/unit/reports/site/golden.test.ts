import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { siteData } from "../../../../src/reports/site/build.js";
import { renderSite } from "../../../../src/reports/site/render.js";
import { FIXTURES, goldenSource, GOLDEN_NOW } from "./golden-source.js";

/**
 * The site against golden files, as the digest: a frozen read (input.json,
 * made by test/fixtures/site/make-input.ts from the scenario repository) and
 * its time give expected.json and expected.html byte for byte. After a meant
 * change: SEP_BOT_UPDATE_GOLDEN=1 npx vitest run test/unit/reports/site/golden.test.ts,
 * then review the fixtures' diff.
 */

describe("the site: golden", () => {
  const files = renderSite(siteData(goldenSource(), GOLDEN_NOW));
  const json = files.get("seps.json")!.body;
  const html = files.get("index.html")!.body;
  if (process.env.SEP_BOT_UPDATE_GOLDEN) {
    writeFileSync(new URL("expected.json", FIXTURES), json);
    writeFileSync(new URL("expected.html", FIXTURES), html);
  }

  it("renders seps.json and index.html byte for byte", () => {
    expect(json).toBe(readFileSync(new URL("expected.json", FIXTURES), "utf8"));
    expect(html).toBe(readFileSync(new URL("expected.html", FIXTURES), "utf8"));
  });

  it("gives the same bytes twice, in any time zone, and for any order of the read", () => {
    const source = goldenSource();
    source.read.pulls.reverse();
    source.files = [...source.files].reverse();
    const tz = process.env.TZ;
    try {
      for (const zone of ["Pacific/Kiritimati", "America/Los_Angeles"]) {
        process.env.TZ = zone;
        const again = renderSite(siteData(source, new Date(GOLDEN_NOW)));
        expect(again.get("seps.json")!.body).toBe(json);
        expect(again.get("index.html")!.body).toBe(html);
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});
