import { describe, expect, it } from "vitest";
import { one, refusal, SPONSORED } from "./run.js";

/** `/supersede <SEP number>` (actions/supersede.ts): Superseded, and Superseded-By names the replacement. */

const ACCEPTED = { ...SPONSORED, status: "Accepted" };

describe("/supersede", () => {
  it("on an accepted SEP: Superseded, Superseded-By the SEP named", () => {
    const { outcome, initial, final, approved } = one(ACCEPTED, "tess-type", "/supersede 2001 it does it better");
    expect(outcome).toMatchObject({ status: "done", what: "superseded by SEP-2001" });
    expect(final).toEqual({ ...initial, state: "superseded", supersededBy: 2001 });
    expect(approved).toMatchObject({ state: "superseded", by: "tess-type", via: "/supersede" });
  });

  it("reads the number as people write it", () => {
    for (const arg of ["#2001", "SEP-2001", "sep 2001", "SEP2001"]) expect(one(ACCEPTED, "tess-type", `/supersede ${arg}`).final.supersededBy).toBe(2001);
  });

  it("refused without a number, or with its own", () => {
    expect(refusal(ACCEPTED, "tess-type", "/supersede")).toBe("say which SEP replaces this one: `/supersede 1234`.");
    expect(refusal(ACCEPTED, "tess-type", "/supersede the new one")).toBe("say which SEP replaces this one: `/supersede 1234`.");
    expect(refusal(ACCEPTED, "tess-type", "/supersede 1933")).toBe("a SEP cannot supersede itself; give the number of the SEP that replaces it.");
  });

  it("refused where the lifecycle allows no move to Superseded, answering the line as written", () => {
    const { outcome } = one(SPONSORED, "tess-type", "/supersede 2001");
    expect(outcome).toMatchObject({ status: "refused", line: { name: "supersede", rest: "2001" }, why: "a SEP cannot move from Draft to Superseded. From Draft it can move to `In-Review`, `Dormant`, `Withdrawn`." });
  });

  it("refused for the author", () => {
    expect(refusal(ACCEPTED, "pieter", "/supersede 2001")).toBe("only the sponsor or a maintainer can use `/supersede`. Ask one of them.");
  });

  it("refused on a merged or closed pull request", () => {
    expect(refusal({ ...ACCEPTED, merged: true, state: "closed" }, "tess-type", "/supersede 2001")).toBe("this pull request is merged; a merged SEP changes status in a new pull request.");
    expect(refusal({ ...ACCEPTED, state: "closed" }, "tess-type", "/supersede 2001")).toBe("this pull request is closed; reopen it first.");
  });
});
