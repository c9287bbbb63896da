import { describe, expect, it } from "vitest";
import type { Effect } from "../../../../src/governance/model/effects.js";
import { assignRuns, mentionsIn, previewOf, renderPreview, type PlannedReconcile } from "../../../../src/reports/sweep/preview.js";

/**
 * The sweep's preview, pure: mentions as GitHub would notify them, the runs of
 * the budget as the real sweep stops, the order (irreversible, notifying,
 * the rest) and the summary, from plans built by hand.
 */

describe("mentionsIn", () => {
  it.each([
    ["a login at the start", "@pieter: find a sponsor", ["pieter"]],
    ["after a space, a parenthesis, a comma", "hi @a, (@b-c) and,@d_e", ["a", "b-c", "d_e"]],
    ["each login once, case folded", "@Pieter @pieter @PIETER", ["pieter"]],
    ["a team", "ping @modelcontextprotocol/core-maintainers please", ["modelcontextprotocol/core-maintainers"]],
    ["neutralised by sep-bot", "by @\u200bgrace", []],
    ["an e-mail address", "write to pieter@example.com", []],
    ["inside a word or a path", "a@b x/@c .@d", []],
    ["in a code span", "run `@pieter` or ``a @b` c``", []],
    ["in a fenced block", "- @grace:\n\n  ```sh\n  echo @max\n  ```\nthen @kim", ["grace", "kim"]],
    ["in a tilde fence", "~~~\n@max\n~~~", []],
    ["an unclosed fence hides the rest", "```\n@max", []],
    ["in an HTML comment (the bot's markers)", "<!-- sep-bot:ping to=@pieter -->done", []],
    ["a trailing hyphen is no login character", "@grace- says", []],
    ["at the end of a sentence", "thanks @grace.", ["grace"]],
    ["a lone @", "@ nobody", []],
  ])("%s", (_name, body, expected) => {
    expect(mentionsIn(body)).toEqual(expected);
  });
});

describe("assignRuns", () => {
  it("a run ends once its writes reach the budget; the PR that passes it is still in that run", () => {
    expect(assignRuns([3, 3, 3, 3], 4)).toEqual([1, 1, 2, 2]);
    expect(assignRuns([4, 1, 2, 2], 4)).toEqual([1, 2, 2, 2]);
    expect(assignRuns([10, 1], 4)).toEqual([1, 2]);
    // A PR that writes nothing still waits for its run.
    expect(assignRuns([2, 2, 0, 1], 4)).toEqual([1, 1, 2, 2]);
    expect(assignRuns([0, 0], 1)).toEqual([1, 1]);
    expect(assignRuns([], 60)).toEqual([]);
  });
});

const check: Effect = { kind: "check-run", name: "SEP checks", headSha: "a".repeat(40), conclusion: "success", title: "", summary: "", text: "", annotations: [] };
const labels = (add: string[], remove: string[] = []): Effect => ({ kind: "labels", add, remove, labels: add });
const comment = (body: string): Effect => ({ kind: "create-comment", body });
const reply = (body: string): Effect => ({ kind: "reply", body });
const update: Effect = { kind: "update-comment", id: 7, body: "@grace edited: no notification" };
const planned = (number: number, effects: Effect[], reasons = [`reason ${number}`]): PlannedReconcile => ({ number, reasons, writes: effects.length, effects });

describe("previewOf", () => {
  const plans: PlannedReconcile[] = [
    planned(10, [check, labels(["SEP", "proposal"]), comment("status <!-- sep-bot:status -->")]), // run 1: 3
    planned(11, [reply("@pieter: find a sponsor (@grace, @max)"), update]), // run 1: 5, passes the budget
    planned(12, []), // run 2: nothing to write
    planned(13, [{ kind: "commit" } as Effect, labels(["dormant"], ["proposal"]), reply("@pieter: this SEP is now dormant."), update, { kind: "pull-request-state", state: "closed" }]), // run 2: 5
    planned(14, [labels(["SEP"])]), // run 3
    planned(15, [reply("@Pieter, the 90-day reminder"), update]), // run 3
    planned(16, [{ kind: "pull-request-state", state: "open" }, labels(["draft"], ["dormant"])]), // run 3: 6
  ];
  const preview = previewOf(plans, { maxWrites: 4, closingLabels: ["Dormant"] });

  it("irreversible first (closes, dormancy), then notifying, then the rest; oldest first within each", () => {
    expect(preview.pulls.map((p) => [p.number, p.run, p.irreversible, p.notifying])).toEqual([
      [13, 2, true, true],
      [11, 1, false, true],
      [15, 3, false, true],
      [10, 1, false, false],
      [14, 3, false, false],
      [16, 3, false, false],
    ]);
    expect(preview.unchanged).toEqual([12]);
  });

  it("a PR that only adds the dormant label is irreversible too (a dormancy cut short)", () => {
    const only = previewOf([planned(20, [labels(["dormant"])]), planned(21, [reply("@pieter: hello")])], { maxWrites: 60, closingLabels: ["dormant"] });
    expect(only.pulls.map((p) => p.number)).toEqual([20, 21]);
    expect(only.pulls[0]).toMatchObject({ irreversible: true, notifying: false, run: 1 });
  });

  it("each PR says what it writes, why, and whom it mentions (in the comments it posts, not in edits)", () => {
    expect(preview.pulls.find((p) => p.number === 11)).toEqual({
      number: 11,
      run: 1,
      reasons: ["reason 11"],
      effects: ["reply", "update-comment"],
      writes: 2,
      mentions: ["pieter", "grace", "max"],
      irreversible: false,
      notifying: true,
    });
  });

  it("sums what the whole install would write, and the runs it needs", () => {
    expect(preview.summary).toEqual({
      pulls: 6,
      writes: 3 + 2 + 5 + 1 + 2 + 2,
      comments: 4, // one created comment, three replies
      mentions: 3 + 1 + 1, // per pull request: #11 three people, #13 and #15 one each
      people: 3,
      labelChanges: 2 + 2 + 1 + 2,
      commits: 1,
      closes: 1,
      reopenings: 1,
      checkRuns: 1,
      runs: 3,
    });
    expect(previewOf([], { maxWrites: 60, closingLabels: [] }).summary.runs).toBe(0);
  });

  it("renders the groups and the summary as text", () => {
    const text = renderPreview(preview);
    const lines = text.split("\n");
    const at = (s: string) => lines.findIndex((l) => l.startsWith(s));
    expect(at("Closes or makes dormant (1):")).toBeLessThan(at("  #13 (run 2): reason 13 -> would write 5 (commit, labels, reply, update-comment, pull-request-state); mentions @pieter"));
    expect(at("  #13 (run 2)")).toBeLessThan(at("Notifies people (@mentions) (2):"));
    expect(at("Notifies people")).toBeLessThan(at("Other changes (3):"));
    expect(text).toContain("  #11 (run 1): reason 11 -> would write 2 (reply, update-comment); mentions @pieter, @grace, @max\n");
    expect(text).toContain("Nothing to write (1): #12\n");
    expect(text).toContain(
      "In all: 6 pull requests would change, 15 writes in 3 runs: 4 comments with 5 @mentions (3 people), 7 label changes, 1 commit, 1 close, 1 reopening, 1 check run.\n",
    );
  });
});
