import { describe, expect, it } from "vitest";
import { withinLimit } from "../../../../src/governance/comment/status-comment.js";

/** The status comment never outgrows what GitHub takes (65,536 characters), and its record always survives whole. */

describe("the status comment's size", () => {
  const record = `<!-- sep-bot:state ${"r".repeat(2_000)} -->`;

  it("a comment that fits is left as written", () => {
    expect(withinLimit(["a", "b", "c"], 1, 2, record)).toBe(`a\nb\nc\n${record}`);
  });

  it("a Road to Final too long to show gives way to a pointer; the rest and the record stay", () => {
    const road = Array.from({ length: 2_000 }, (_, i) => `- row ${i} ${"x".repeat(40)}`);
    const out = withinLimit(["head", ...road, "tail"], 1, 1 + road.length, record);
    expect(out.length).toBeLessThanOrEqual(65_536);
    expect(out).toBe(`head\n**Road to Final**: too long to show here; \`sep-bot conformance <sep-file>\` prints it whole.\n\ntail\n${record}`);
  });

  it("anything else too long is cut, and the record is still whole at the end", () => {
    const out = withinLimit(["head", "y".repeat(100_000)], 1, 1, record);
    expect(out.length).toBeLessThanOrEqual(65_536);
    expect(out.endsWith(`\n${record}`)).toBe(true);
    expect(out).toContain("…(cut: too long for one comment)");
  });
});
