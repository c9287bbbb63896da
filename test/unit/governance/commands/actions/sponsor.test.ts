import { describe, expect, it } from "vitest";
import { AWAITING, one, refusal, SPONSORED, TESS } from "./run.js";

/** `/sponsor` (actions/sponsor.ts): a maintainer becomes the sponsor; the SEP becomes Draft. */

describe("/sponsor", () => {
  it("a maintainer: named Sponsor, assigned, and the SEP awaiting a sponsor becomes Draft", () => {
    const { outcome, initial, final, approved } = one(AWAITING, "tess-type", "/sponsor");
    expect(initial).toMatchObject({ state: "proposal", sponsor: null, assignees: [] });
    expect(outcome).toMatchObject({ status: "done", what: "@tess-type sponsors this SEP; status Draft" });
    expect(final).toEqual({ ...initial, state: "draft", sponsor: { login: "tess-type", name: null }, assignees: ["tess-type"] });
    expect(approved).toMatchObject({ state: "draft", by: "tess-type", via: "/sponsor" });
  });

  it("with their display name, for `Sponsor: Name (@login)`", () => {
    expect(one(AWAITING, "lea-lead", "/sponsor", { authorName: "Lea Lead" }).final.sponsor).toEqual({ login: "lea-lead", name: "Lea Lead" });
  });

  it("refused for anyone who is no maintainer: the author, emeritus, moderators, anyone", () => {
    for (const who of ["pieter", "emil-emeritus", "mo-moderator", "mallory"]) {
      expect(refusal(AWAITING, who, "/sponsor")).toBe("only a maintainer can use `/sponsor`. Ask one of them.");
    }
  });

  it("refused while another sponsor is assigned; the same sponsor again changes nothing", () => {
    expect(refusal(SPONSORED, "ivo-ig", "/sponsor")).toBe("@tess-type already sponsors this SEP. They can `/unsponsor` if you are to take over.");
    const again = one(SPONSORED, "tess-type", "/sponsor");
    expect(again.outcome).toMatchObject({ status: "done", what: null });
    expect(again.final).toEqual(again.initial);
    expect(again.approved).toBeNull();
  });

  it("a sponsor the file names but nobody assigned: another maintainer takes over", () => {
    const { outcome, initial, final } = one({ sponsor: TESS }, "ivo-ig", "/sponsor");
    expect(initial).toMatchObject({ state: "draft", sponsor: { login: "tess-type", name: "Tess Type" }, assignees: [] });
    expect(outcome).toMatchObject({ status: "done", what: "@ivo-ig sponsors this SEP; status Draft" });
    expect(final).toEqual({ ...initial, sponsor: { login: "ivo-ig", name: null }, assignees: ["ivo-ig"] });
  });

  it("refused once the SEP is frozen", () => {
    expect(refusal({ ...SPONSORED, status: "Final" }, "ivo-ig", "/sponsor")).toBe("this SEP is Final; it needs no sponsor any more.");
  });

  it("takes a dormant SEP out of dormancy: Draft, pull request reopened", () => {
    const { outcome, final } = one({ status: "Dormant", state: "closed" }, "tess-type", "/sponsor");
    expect(outcome).toMatchObject({ status: "done", what: "@tess-type sponsors this SEP; status Draft" });
    expect(final).toMatchObject({ state: "draft", open: true, sponsor: { login: "tess-type" }, assignees: ["tess-type"] });
  });

  it("refused on a merged pull request, and on a closed one that is not dormant", () => {
    expect(refusal({ ...AWAITING, merged: true, state: "closed" }, "tess-type", "/sponsor")).toBe("this pull request is merged; a merged SEP changes status in a new pull request.");
    expect(refusal({ ...AWAITING, state: "closed" }, "tess-type", "/sponsor")).toBe("this pull request is closed; reopen it first.");
  });
});
