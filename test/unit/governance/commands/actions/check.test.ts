import { describe, expect, it } from "vitest";
import { AWAITING, one } from "./run.js";

/** `/check` (actions/check.ts): the SEP checks run again. */

describe("/check", () => {
  it("by anyone: the checks are forced, nothing else changes, nothing for the audit log", () => {
    const { outcome, initial, final, approved } = one(AWAITING, "mallory", "/check");
    expect(outcome).toMatchObject({ status: "done", what: null });
    expect(final).toEqual({ ...initial, forceCheck: true });
    expect(approved).toBeNull();
  });

  it("changes nothing of the SEP, so a closed or merged pull request does not stop it", () => {
    expect(one({ state: "closed", merged: true }, "mallory", "/check").final.forceCheck).toBe(true);
  });
});
