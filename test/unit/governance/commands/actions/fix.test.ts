import { describe, expect, it } from "vitest";
import { one, refusal, SPONSORED } from "./run.js";

/** `/fix` (actions/fix.ts): asks the planner to commit the check's fixes. */

describe("/fix", () => {
  it("by the author, with fixes to commit: asked for, and counted for the record", () => {
    const { outcome, initial, final, approved } = one({ fixable: 2 }, "pieter", "/fix");
    expect(outcome).toMatchObject({ status: "done", what: "applied sep-bot's fixes for 2 findings" });
    expect(final).toEqual({ ...initial, fix: true });
    expect(approved).toBeNull();
    expect(one({ ...SPONSORED, fixable: 1 }, "tess-type", "/fix").outcome).toMatchObject({ what: "applied sep-bot's fixes for 1 finding" });
  });

  it("refused with nothing to fix, and when sep-bot cannot push", () => {
    expect(refusal({}, "pieter", "/fix")).toBe("there is nothing sep-bot can fix by itself here: the **SEP checks** run lists what needs a person, and how.");
    expect(refusal({ fixable: 2, blocker: "the fork does not allow edits by maintainers" }, "pieter", "/fix")).toBe(
      "sep-bot cannot push to this branch (the fork does not allow edits by maintainers). Apply the fixes listed in the **SEP checks** run yourself; each says what to change.",
    );
  });

  it("refused for anyone who is not an author, the sponsor or a maintainer", () => {
    expect(refusal({ fixable: 2 }, "mallory", "/fix")).toBe("only an author, the sponsor or a maintainer can use `/fix`. Ask one of them.");
  });

  it("refused on a merged or closed pull request", () => {
    expect(refusal({ fixable: 2, merged: true, state: "closed" }, "pieter", "/fix")).toBe("this pull request is merged; a merged SEP changes status in a new pull request.");
    expect(refusal({ fixable: 2, state: "closed" }, "pieter", "/fix")).toBe("this pull request is closed; reopen it first.");
  });
});
