import { describe, expect, it } from "vitest";
import { renderCheck } from "../../../../src/governance/check/check-run.js";
import { rules } from "../../../helpers/sep.js";

/** The `SEP checks` run stays within what GitHub takes, whatever a finding quotes. */

describe("the check run's limits", () => {
  it("an annotation's message is capped well under GitHub's 64 KB; a short one is whole", () => {
    const long = { rule: "final-incomplete", severity: "error", message: `Missing: ${"x".repeat(100_000)}`, line: 3, column: 1 } as const;
    const short = { rule: "final-incomplete", severity: "error", message: "Missing: the changelog entry.", line: 4, column: 1 } as const;
    const check = renderCheck([{ path: "seps/1-x.md", findings: [long, short] }], "a".repeat(40), rules, null);
    const [first, second] = check.annotations;
    expect(first!.message.length).toBeLessThanOrEqual(4_000);
    expect(first!.message.endsWith("…")).toBe(true);
    expect(second!.message).toBe("Missing: the changelog entry.");
  });
});
