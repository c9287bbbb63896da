import { describe, expect, it } from "vitest";
import { onRoadToFinal } from "../../../../src/github/read/final.js";
import { loadRules } from "../../../../src/rules/load.js";
import { rules } from "../../../helpers/sep.js";

/** When a reconcile spends its third read (the changelog and the conformance repository): only for a SEP on the road to Final. */

const file = (head: string | null, base: string | null = null) => ({ head, base });
const said = (...bodies: string[]) => bodies.map((body) => ({ body }));

describe("on the road to Final", () => {
  it("its state labels all say Accepted or Final (the approved status); with none yet, its file does", () => {
    expect(onRoadToFinal(rules, file("accepted"), ["SEP", "accepted"], [])).toBe(true);
    expect(onRoadToFinal(rules, file("final"), ["SEP", "accepted", "final"], [])).toBe(true); // the sponsor's Final label
    expect(onRoadToFinal(rules, file("accepted"), [], [])).toBe(true); // first contact
    expect(onRoadToFinal(rules, file("draft"), ["SEP", "draft"], [])).toBe(false);
  });

  it("not for a push or a label by someone who may not make it so: the approved status is not there", () => {
    expect(onRoadToFinal(rules, file("accepted"), ["SEP", "draft"], [])).toBe(false); // the author's push
    expect(onRoadToFinal(rules, file("draft"), ["SEP", "draft", "accepted"], [])).toBe(false); // a label put back
  });

  it("a command that moves it to Final, by name, by `/status final`, or by an alias", () => {
    expect(onRoadToFinal(rules, file("in-review"), ["in-review"], said("/accept\n/final"))).toBe(true);
    expect(onRoadToFinal(rules, file("in-review"), ["in-review"], said("thanks\n/Status Final please"))).toBe(true);
    expect(onRoadToFinal(rules, file("in-review"), ["in-review"], said("/status draft", "the final word", "`/final`? not yet"))).toBe(false);
    const aliased = loadRules([{ text: "commandAliases:\n  ship: final\n", file: "x.yml" }]);
    expect(onRoadToFinal(aliased, file("draft"), ["draft"], said("/ship it"))).toBe(true);
  });

  it("not once it is Final on the default branch: it reached it", () => {
    expect(onRoadToFinal(rules, file("final", "final"), ["SEP", "final"], said("/final"))).toBe(false);
  });
});
