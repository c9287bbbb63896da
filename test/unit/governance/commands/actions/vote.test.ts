import { describe, expect, it } from "vitest";
import { IN_REVIEW, one, refusal } from "./run.js";

/** `/vote` (actions/vote.ts): answered, nothing changed; the tally reads the comments (votes.ts). */

describe("/vote", () => {
  it("a core maintainer: done, with the choice and the reason for the record", () => {
    const { outcome, initial, final, approved } = one(IN_REVIEW, "lea-lead", "/vote yes, a clean design");
    expect(outcome).toMatchObject({ status: "done", what: "voted yes (a clean design)" });
    expect(final).toEqual(initial);
    expect(approved).toBeNull();
    expect(one(IN_REVIEW, "chen-core", "/vote ABSTAIN").outcome).toMatchObject({ status: "done", what: "voted abstain" });
  });

  it("a long reason is cut for the record", () => {
    const reason = "because ".repeat(30).trim();
    expect(one(IN_REVIEW, "lea-lead", `/vote no ${reason}`).outcome).toMatchObject({ what: `voted no (${reason.slice(0, 120)})` });
  });

  it("refused without a choice", () => {
    expect(refusal(IN_REVIEW, "lea-lead", "/vote maybe")).toBe("say how you vote: `/vote yes`, `/vote no` or `/vote abstain`, then your reason if you like.");
    expect(refusal(IN_REVIEW, "lea-lead", "/vote")).toBe("say how you vote: `/vote yes`, `/vote no` or `/vote abstain`, then your reason if you like.");
  });

  it("refused for a maintainer who is not core", () => {
    expect(refusal(IN_REVIEW, "tess-type", "/vote yes")).toBe("only a core maintainer can use `/vote`. Ask one of them.");
  });

  it("refused once the SEP is frozen", () => {
    expect(refusal({ ...IN_REVIEW, status: "Rejected" }, "lea-lead", "/vote yes")).toBe("voting is over: this SEP is Rejected.");
  });

  it("changes nothing, so a closed or merged pull request does not stop it", () => {
    expect(one({ ...IN_REVIEW, state: "closed", merged: true }, "lea-lead", "/vote yes").outcome).toMatchObject({ status: "done", what: "voted yes" });
  });
});
