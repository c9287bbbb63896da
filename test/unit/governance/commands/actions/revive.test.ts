import { describe, expect, it } from "vitest";
import { AWAITING, one, refusal, SPONSORED } from "./run.js";

/** `/revive` (actions/revive.ts): a dormant SEP's pull request reopens. */

const DORMANT = { status: "Dormant", state: "closed" } as const;

describe("/revive", () => {
  it("by the author: awaiting a sponsor, pull request reopened", () => {
    const { outcome, initial, final, approved } = one(DORMANT, "pieter", "/revive I found a sponsor candidate");
    expect(initial).toMatchObject({ state: "dormant", open: false });
    expect(outcome).toMatchObject({ status: "done", what: "revived: awaiting a sponsor, pull request reopened" });
    expect(final).toEqual({ ...initial, state: "proposal", open: true });
    expect(approved).toMatchObject({ state: "proposal", by: "pieter", via: "/revive" });
  });

  it("with a sponsor: Draft", () => {
    const { outcome, final } = one({ ...SPONSORED, ...DORMANT }, "tess-type", "/revive");
    expect(outcome).toMatchObject({ status: "done", what: "revived: Draft, pull request reopened" });
    expect(final).toMatchObject({ state: "draft", open: true, sponsor: { login: "tess-type" } });
  });

  it("refused on a SEP that is not dormant", () => {
    expect(refusal(AWAITING, "pieter", "/revive")).toBe("only a dormant SEP can be revived; this one is Proposal.");
  });

  it("refused for anyone who is not an author, the sponsor or a maintainer", () => {
    expect(refusal(DORMANT, "mallory", "/revive")).toBe("only an author, the sponsor or a maintainer can use `/revive`. Ask one of them.");
  });

  it("refused on a merged pull request", () => {
    expect(refusal({ ...DORMANT, merged: true }, "pieter", "/revive")).toBe("this pull request is merged; a merged SEP changes status in a new pull request.");
  });
});
