import { describe, expect, it } from "vitest";
import { lintSep } from "../../../src/lint/index.js";
import { parseSep } from "../../../src/sep/parse.js";
import { NOW, rules } from "../../helpers/sep.js";

/**
 * Values shaped to make a backtracking regex quadratic, at 200,000
 * characters (a file well under the 1 MB limit). With a quadratic pattern
 * each of these takes minutes and the test times out; linear readers finish
 * in milliseconds. No timing is asserted: the timeout is the guard.
 */
const base = (field: string, value: string) => `# SEP-2001: X\n\n- **Status**: Draft\n- **${field}**: ${value}\n\n## Abstract\n\nx\n`;

const CASES: Array<[string, string, string]> = [
  ["backticks then a letter", "Status", "`".repeat(200_000) + "x"],
  ["spaces before an unclosed parenthesis", "Status", `Draft${" ".repeat(150_000)}(x`],
  ["one long word as authors", "Author(s)", "a".repeat(200_000)],
  ["a long local part and domain without a dot", "Author(s)", `${"a".repeat(100_000)}@${"b".repeat(100_000)}`],
  ["repeated /pull/{", "PR", "/pull/{".repeat(30_000)],
  ["open parentheses", "Sponsor", "(".repeat(200_000)],
  ["repeated [x](", "Author(s)", "[x](".repeat(50_000)],
  ["repeated <b", "Type", "<b".repeat(100_000)],
  ["a run of dashes", "Author(s)", `a${"-".repeat(200_000)}b`],
  ["a run of stars", "Type", `a${"*".repeat(200_000)}b`],
  ["repeated {A", "PR", "{A".repeat(100_000)],
  ["an email with many dots", "Author(s)", `a@${".a".repeat(100_000)}`],
];

describe("no value makes a reader backtrack", () => {
  for (const [name, field, value] of CASES) {
    it(name, () => {
      const sep = parseSep(base(field, value), "seps/2001-x.md", { rules });
      const findings = lintSep(sep, rules, { now: NOW });
      expect(sep.fields.findLast((f) => f.key === field)?.value.length).toBeGreaterThan(1000);
      for (const f of findings) expect(f.message.length).toBeLessThanOrEqual(600);
    });
  }
});
