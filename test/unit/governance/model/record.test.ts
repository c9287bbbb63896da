import { describe, expect, it } from "vitest";
import { EMPTY_STATE, readState, withEntries, withHandled, writeState } from "../../../../src/governance/model/record.js";

/** The bot's memory in its status comment: written by the bot, editable by anyone with write access. */

const body = (state: unknown) => `<!-- sep-bot:status -->\ntext\n<!-- sep-bot:state ${Buffer.from(JSON.stringify(state)).toString("base64")} -->`;

describe("the hidden state", () => {
  it("round-trips", () => {
    const state = withHandled(withEntries(EMPTY_STATE, [{ at: "2026-11-21T12:00:00Z", by: "grace", what: "`/review` by @grace: status In-Review" }]), 42, ["0123abcd"], "2026-11-21T12:00:00Z", null);
    expect(readState(`x\n${writeState(state)}`)).toEqual(state);
  });

  it("a long line (a 221-character file name) is clipped when written, never making the block unreadable", () => {
    const what = `renamed \`seps/0000-${"x".repeat(221)}.md\` to \`seps/1933-${"x".repeat(221)}.md\` and set the heading and PR field to #1933`;
    const state = withHandled(withEntries(EMPTY_STATE, [{ at: "2026-11-21T12:00:00Z", by: null, what }]), 42, ["0123abcd"], "2026-11-21T12:00:00Z", null);
    const read = readState(writeState(state));
    expect(read.commands).toHaveLength(1);
    expect(read.log[0]!.what.length).toBe(500);
  });

  it("one bad entry (edited by hand, an older version) is dropped; the rest is kept", () => {
    const read = readState(
      body({
        v: 1,
        log: [{ at: "2026-11-21", by: null, what: "x".repeat(600) }, { at: "2026-11-21", by: "a", what: "kept" }],
        commands: [{ c: 7, k: ["0123abcd"], at: "t" }, { c: "seven", k: [] }],
        approved: { state: "draft", by: "tess", via: "/sponsor", at: "t" },
        pings: "not a list",
      }),
    );
    expect(read.log.map((e) => e.what)).toEqual(["kept"]);
    expect(read.commands).toEqual([{ c: 7, k: ["0123abcd"], at: "t", e: null }]);
    expect(read.approved).toEqual({ state: "draft", by: "tess", via: "/sponsor", at: "t", lines: [] });
    expect(read.pings).toEqual([]);
  });

  it("anything that is no state at all reads as empty", () => {
    for (const bad of [null, "", "no block", "<!-- sep-bot:state !!! -->", body({ v: 2, log: [] }), body([1, 2])]) expect(readState(bad)).toEqual(EMPTY_STATE);
  });
});
