import { describe, expect, it } from "vitest";
import { AWAITING, one, refusal, SPONSORED } from "./run.js";

/** `/unsponsor` (actions/unsponsor.ts): the sponsor steps back; the SEP awaits a sponsor again. */

describe("/unsponsor", () => {
  it("the sponsor: Sponsor cleared, unassigned, awaiting a sponsor", () => {
    const { outcome, initial, final, approved } = one(SPONSORED, "tess-type", "/unsponsor");
    expect(outcome).toMatchObject({ status: "done", what: "@tess-type no longer sponsors this SEP; it awaits a sponsor" });
    expect(final).toEqual({ ...initial, state: "proposal", sponsor: null, assignees: [] });
    expect(approved).toMatchObject({ state: "proposal", by: "tess-type", via: "/unsponsor" });
  });

  it("a maintainer who is not the sponsor may too", () => {
    expect(one(SPONSORED, "ivo-ig", "/unsponsor").final).toMatchObject({ state: "proposal", sponsor: null, assignees: [] });
  });

  it("refused for the author and for anyone", () => {
    for (const who of ["pieter", "mallory"]) expect(refusal(SPONSORED, who, "/unsponsor")).toBe("only the sponsor or a maintainer can use `/unsponsor`. Ask one of them.");
  });

  it("refused without a sponsor, and once the SEP is frozen", () => {
    expect(refusal(AWAITING, "tess-type", "/unsponsor")).toBe("this SEP has no sponsor to remove.");
    expect(refusal({ ...SPONSORED, status: "Final" }, "tess-type", "/unsponsor")).toBe("this SEP is Final; its sponsor stays on the record.");
  });

  it("a dormant SEP stays dormant; on its closed pull request, refused (only `/revive` reopens it)", () => {
    const open = one({ ...SPONSORED, status: "Dormant" }, "tess-type", "/unsponsor");
    expect(open.final).toMatchObject({ state: "dormant", sponsor: null, assignees: [] });
    expect(refusal({ ...SPONSORED, status: "Dormant", state: "closed" }, "tess-type", "/unsponsor")).toBe("this pull request is closed; `/revive` reopens a dormant SEP.");
  });

  it("refused on a merged pull request", () => {
    expect(refusal({ ...SPONSORED, merged: true, state: "closed" }, "tess-type", "/unsponsor")).toBe("this pull request is merged; a merged SEP changes status in a new pull request.");
  });
});
