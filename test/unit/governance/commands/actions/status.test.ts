import { describe, expect, it } from "vitest";
import { SECTIONS } from "../../../../helpers/sep.js";
import { finalGate, finalRefusal } from "../../../../../src/governance/final/gate.js";
import { AWAITING, IN_REVIEW, one, refusal, run, said, SPONSORED } from "./run.js";

/**
 * `/status <status>` and the commands the rules give a `to:` (`/review`,
 * `/accept`, `/reject`, `/final`, `/withdraw`, `/dormant`), all
 * actions/status.ts: the lifecycle, the target's setters and guards.
 */

describe("/status and its named moves", () => {
  it("/review by the sponsor: In-Review", () => {
    const { outcome, initial, final, approved } = one(SPONSORED, "tess-type", "/review");
    expect(outcome).toMatchObject({ status: "done", what: "status In-Review" });
    expect(final).toEqual({ ...initial, state: "in-review" });
    expect(approved).toMatchObject({ state: "in-review", by: "tess-type", via: "/review" });
  });

  it("/status names the status at the start of its arguments, the rest is the reason", () => {
    expect(one(SPONSORED, "ivo-ig", "/status In Review because it is ready").final.state).toBe("in-review");
  });

  it("refused: a move the lifecycle does not allow, a status that does not exist, none at all", () => {
    expect(refusal(SPONSORED, "tess-type", "/status final")).toBe("a SEP cannot move from Draft to Final. From Draft it can move to `In-Review`, `Dormant`, `Withdrawn`.");
    expect(refusal(SPONSORED, "tess-type", "/status shipped")).toBe("`shipped` is not a status; from Draft this SEP can move to `In-Review`, `Dormant`, `Withdrawn`: `/status <status>`.");
    expect(refusal(SPONSORED, "tess-type", "/status")).toBe("say which status; from Draft this SEP can move to `In-Review`, `Dormant`, `Withdrawn`: `/status <status>`.");
  });

  it("refused for whoever the command's rule leaves out", () => {
    expect(refusal(SPONSORED, "pieter", "/status in-review")).toBe("only the sponsor or a maintainer can use `/status`. Ask one of them.");
    expect(refusal(IN_REVIEW, "tess-type", "/accept")).toBe("only a core maintainer who is not an author of this SEP can use `/accept`. Ask one of them.");
  });

  it("refused for whoever the target status's setters leave out, whichever command asks", () => {
    expect(refusal(IN_REVIEW, "tess-type", "/status accepted")).toBe("only a core maintainer (never an author of this SEP) can move a SEP to Accepted.");
  });

  it("/accept by a core maintainer stamps the date and the vote tally", () => {
    const result = run(IN_REVIEW, said("chen-core", "/vote yes"), said("lea-lead", "/vote no\n/accept"));
    expect(result.final).toMatchObject({ state: "accepted", stamp: "2026-11-21, 1 Yes, 1 No, 0 Abstain" });
    expect(one(IN_REVIEW, "lea-lead", "/accept").final).toMatchObject({ state: "accepted", stamp: "2026-11-21" });
  });

  it("the road to Final: /final refused with what is missing; a maintainer overrides with a reason, recorded; nobody else, never without one", () => {
    const ACCEPTED = { ...SPONSORED, status: "Accepted", gate: { missing: ["changelog entry: `docs/changelog.mdx` does not name SEP-1933 yet: add an entry", "conformance traceability: 1 requirement with no row (line 40)"] } };
    expect(refusal(ACCEPTED, "tess-type", "/final")).toBe(
      "this SEP is not ready for Final: changelog entry: `docs/changelog.mdx` does not name SEP-1933 yet: add an entry; conformance traceability: 1 requirement with no row (line 40). Finish them (the status comment's Road to Final lists each), or a maintainer writes `/final override <why>`.",
    );
    expect(refusal(ACCEPTED, "tess-type", "/final override")).toBe("say why, for the record: `/final override <reason>`.");
    expect(refusal(ACCEPTED, "pieter", "/final override please")).toBe("only the sponsor or a maintainer can use `/final`. Ask one of them.");
    const decided = one(ACCEPTED, "ivo-ig", "/status final override: the row lands with SEP-2001's scenario");
    expect(decided.outcome).toMatchObject({ status: "done", what: 'status Final, decided by @ivo-ig with 2 items of the road open (changelog entry, conformance traceability): "the row lands with SEP-2001\'s scenario"' });
    expect(decided.final.state).toBe("final");
    // "override" only as the first word after the status: a sentence that mentions one asks none; "." is no reason.
    expect(refusal(ACCEPTED, "ivo-ig", "/final (no override needed: the row landed)")).toMatch(/^this SEP is not ready for Final/);
    expect(refusal(ACCEPTED, "ivo-ig", "/final I don't think an override is right here")).toMatch(/^this SEP is not ready for Final/);
    expect(refusal(ACCEPTED, "ivo-ig", "/status final we could override")).toMatch(/^this SEP is not ready for Final/);
    expect(refusal(ACCEPTED, "ivo-ig", "/final override .")).toBe("say why, for the record: `/final override <reason>`.");
    expect(refusal(ACCEPTED, "ivo-ig", "/final override \u200b")).toBe("say why, for the record: `/final override <reason>`.");
    // What the conformance repository's files say is quoted safely, and a long list is cut (the status comment has it all).
    const hostile = finalRefusal(finalGate({ items: [...Array(9).keys()].map((n) => ({ id: `x${n}`, title: "Conformance traceability", state: "missing", blocking: true, detail: `check \`x @org/security-team <img src=x>\` ![p](https://evil.example/p.png)\nline ${n}` })) } as never))!;
    expect(hostile).not.toMatch(/@org|<img|!\[/);
    expect(hostile).toContain("@\u200borg/security-team");
    expect(hostile).toContain("; and 3 more.");
    // A detail cut inside a code span leaves no span open.
    const cut = finalRefusal(finalGate({ items: [{ id: "c", title: "Conformance traceability", state: "missing", blocking: true, detail: `untested: \`${"x".repeat(800)}\`` }] } as never))!;
    expect((cut.match(/`/g) ?? []).length % 2).toBe(0);
    // Nothing missing: /final as always, and "override" asks nothing more.
    expect(one({ ...ACCEPTED, gate: { missing: [] } }, "tess-type", "/final").outcome).toMatchObject({ status: "done", what: "status Final" });
  });

  it("a guard: /final refused while the Reference Implementation is template text", () => {
    const template = SECTIONS.replace("A branch in the TypeScript SDK.", "Link to a working prototype demonstrating the proposal.");
    const why = refusal({ ...SPONSORED, status: "Accepted", sections: template }, "tess-type", "/final");
    expect(why).toContain("the Reference Implementation section is still empty or template text");
    expect(why).toMatch(/; then run `\/final` again\.$/);
    expect(one({ ...SPONSORED, status: "Accepted" }, "tess-type", "/final").final.state).toBe("final");
  });

  it("already so: done, nothing changes, and the labels follow the status it names", () => {
    const { outcome, initial, final, approved } = one(SPONSORED, "tess-type", "/status draft");
    expect(outcome).toEqual({ status: "done", line: expect.anything(), what: "status Draft", sets: "draft" });
    expect(final).toEqual(initial);
    expect(approved).toMatchObject({ state: "draft", via: "/status" });
  });

  it("moving a SEP that awaits a sponsor past it makes the mover its sponsor", () => {
    const { final } = one(AWAITING, "ivo-ig", "/status draft");
    expect(final).toMatchObject({ state: "draft", sponsor: { login: "ivo-ig", name: null }, assignees: ["ivo-ig"] });
  });

  it("/dormant closes the pull request; a status that does not close it reopens it", () => {
    const dormant = one(SPONSORED, "ivo-ig", "/dormant no sponsor found");
    expect(dormant.outcome).toMatchObject({ status: "done", what: "status Dormant, pull request closed" });
    expect(dormant.final).toMatchObject({ state: "dormant", open: false });
    const back = one({ ...SPONSORED, status: "Dormant", state: "closed" }, "tess-type", "/status draft");
    expect(back.final).toMatchObject({ state: "draft", open: true, sponsor: { login: "tess-type" } });
  });

  it("back to awaiting a sponsor clears the sponsor", () => {
    const { final } = one({ ...SPONSORED, status: "Dormant", state: "closed" }, "tess-type", "/status proposal");
    expect(final).toMatchObject({ state: "proposal", open: true, sponsor: null, assignees: [] });
  });

  it("on a closed pull request: refused unless it takes a dormant SEP out of dormancy; on a merged one, always", () => {
    expect(refusal({ ...SPONSORED, status: "Dormant", state: "closed" }, "ivo-ig", "/dormant")).toBe("this pull request is closed; `/revive` reopens a dormant SEP.");
    expect(refusal({ ...SPONSORED, state: "closed" }, "tess-type", "/review")).toBe("this pull request is closed; reopen it first.");
    expect(refusal({ ...SPONSORED, merged: true, state: "closed" }, "tess-type", "/review")).toBe("this pull request is merged; a merged SEP changes status in a new pull request.");
  });
});
