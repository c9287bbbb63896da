import { describe, expect, it, vi } from "vitest";
import { traceRows } from "../../../../src/governance/final/match.js";
import { stancesOf } from "../../../../src/governance/final/normative.js";
import { requirementsIn } from "../../../../src/governance/final/requirements.js";
import { tokensOf, Weights } from "../../../../src/governance/final/tokens.js";
import { MAX_ROW_TEXT, parseTraceability } from "../../../../src/governance/final/traceability.js";
import { defaultRules } from "../../../../src/rules/load.js";

/** Tracing rows to requirements: what a row says against what the SEP says, beyond its words. */

const fences = defaultRules().final.fences;

function trace(spec: string, rowTexts: string[]) {
  const lines = spec.split("\n");
  const requirements = requirementsIn(lines, 1, lines.length, fences);
  const yaml = `sep: 5000\nrequirements:\n${rowTexts.map((t, i) => `  - check: c${i}\n    text: ${JSON.stringify(t)}\n`).join("")}`;
  return traceRows(requirements, parseTraceability(yaml).rows).requirements.map((t) => [t.coverage, t.rows, t.notes]);
}

describe("which way a row says it", () => {
  it("a row that says the opposite (MUST for MUST NOT, RECOMMENDED for NOT RECOMMENDED, lowercase must not for MUST) is partial, and says why", () => {
    expect(trace("Servers MUST NOT cache tokens.", ["Servers MUST cache tokens"])).toEqual([["partial", [0], ["row 0 says MUST where the SEP says MUST NOT: the opposite, or another clause"]]]);
    expect(trace("Servers SHOULD NOT cache tokens.", ["Servers SHOULD cache tokens"])).toEqual([["partial", [0], ["row 0 says SHOULD where the SEP says SHOULD NOT: the opposite, or another clause"]]]);
    expect(trace("It is NOT RECOMMENDED for servers to cache tokens.", ["It is RECOMMENDED for servers to cache tokens"])).toEqual([
      ["partial", [0], ["row 0 says RECOMMENDED where the SEP says NOT RECOMMENDED: the opposite, or another clause"]],
    ]);
    expect(trace("Servers MUST cache tokens.", ["Servers must not cache tokens"])).toEqual([["partial", [0], ["row 0 says must not where the SEP says MUST: the opposite, or another clause"]]]);
    expect(trace("Servers MUST cache tokens.", ["Servers MUST never cache tokens"])[0]![0]).toBe("partial");
  });

  it("a row that only grants (MAY) is weaker than any obligation", () => {
    expect(trace("Servers MUST cache tokens.", ["Servers MAY cache tokens"])).toEqual([["partial", [0], ["row 0 says MAY where the SEP says MUST"]]]);
    expect(trace("Servers SHOULD cache tokens.", ["Servers OPTIONAL cache tokens"])[0]![0]).toBe("partial");
  });

  it("the same way is full: the same keyword, lower case the same way, no keyword at all, or a clause of a sentence that says both", () => {
    expect(trace("Servers MUST NOT cache tokens.", ["Servers MUST NOT cache tokens"])).toEqual([["full", [0], []]]);
    expect(trace("Servers MUST NOT cache tokens.", ["Servers must not cache tokens"])).toEqual([["full", [0], []]]);
    expect(trace("Servers MUST cache tokens.", ["Servers cache tokens"])).toEqual([["full", [0], []]]);
    expect(trace("Servers MUST cache tokens and MUST NOT log tokens.", ["Servers MUST NOT log tokens, and MUST cache tokens"])).toEqual([["full", [0], []]]);
  });

  it("stances: keyword, following not or never, a preceding not; MAY only without a keyword; lower case without either", () => {
    expect(stancesOf("Clients MUST not retry").map((s) => [s.said, s.level, s.negative])).toEqual([["MUST", "must", true]]);
    expect(stancesOf("It is not RECOMMENDED").map((s) => s.negative)).toEqual([true]);
    expect(stancesOf("Clients MAY retry; servers MUST answer").map((s) => s.said)).toEqual(["MUST"]);
    expect(stancesOf("Clients mustn't retry").map((s) => [s.said, s.level, s.negative])).toEqual([["mustn't", null, true]]);
    expect(stancesOf("Clients retry")).toEqual([]);
  });
});

describe("a requirement no row can be matched to by its words", () => {
  it("'It MUST be so.' is never left with no row for ever: the sponsor confirms, with a note; a row saying the same is named", () => {
    expect(trace("Support for this is REQUIRED.\n\nIt MUST be so.", ["Support for this is REQUIRED.", "It MUST be so."])).toEqual([
      ["full", [0], []],
      ["partial", [1], ["it says nothing a row can be matched on (no word but its keyword): the sponsor confirms a row traces it"]],
    ]);
    expect(trace("It MUST be so.", [])[0]![0]).toBe("partial");
  });
});

describe("the matcher's cost is bounded", () => {
  it("a row is read up to MAX_ROW_TEXT characters: what it says past that does not trace", () => {
    const padded = `${"alpha ".repeat(Math.ceil(MAX_ROW_TEXT / 6))}Servers MUST reject widget_state updates`;
    const [row] = parseTraceability(`sep: 5000\nrequirements:\n  - check: a\n    text: ${JSON.stringify(padded)}\n`).rows;
    expect(row!.text.length).toBe(MAX_ROW_TEXT);
    const lines = ["Servers MUST reject widget_state updates."];
    const requirements = requirementsIn(lines, 1, 1, fences);
    // Handed a longer text directly, the matcher reads the same MAX_ROW_TEXT characters.
    const tracing = traceRows(requirements, [{ ...row!, text: padded }]);
    expect(tracing.requirements[0]!.coverage).toBe("none");
    expect(traceRows(requirements, [{ ...row!, text: padded.slice(-200) }]).requirements[0]!.coverage).toBe("full");
  });

  it("a set's total weight is summed once, however many pairs it is in", () => {
    const sets = [new Set(tokensOf("servers reject widget_state updates")), new Set(tokensOf("clients retry widget_state")), new Set(tokensOf("alpha beta"))];
    const weights = new Weights(sets);
    const sum = vi.spyOn(weights, "sum");
    for (let i = 0; i < 100; i++) for (const other of sets) weights.share(sets[0]!, other);
    expect(sum).toHaveBeenCalledTimes(1);
    expect(weights.share(sets[0]!, sets[0]!)).toBeCloseTo(1);
    expect(weights.share(sets[2]!, sets[0]!)).toBe(0);
  });
});
