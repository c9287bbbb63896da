import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rulesMarkdown } from "../../../src/lint/docs.js";
import { rules } from "../../helpers/sep.js";

describe("rule documentation", () => {
  it("docs/rules.md is up to date with the catalog (run `npm run docs`)", () => {
    expect(readFileSync("docs/rules.md", "utf8")).toBe(rulesMarkdown(rules));
  });
});
