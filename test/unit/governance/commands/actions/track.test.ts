import { describe, expect, it } from "vitest";
import { one, refusal, run, said, SPONSORED } from "./run.js";

/** `/track` (actions/track.ts): asks for the SEP's SDK issues, or records what needs none. */

const ACCEPTED = { ...SPONSORED, status: "Accepted" };

describe("/track", () => {
  it("on an accepted SEP, by the sponsor: asked for", () => {
    expect(one(ACCEPTED, "tess-type", "/track")).toMatchObject({ outcome: { status: "done", what: "implementation tracking across the SDKs asked for" }, final: { track: { by: "tess-type", none: null, skip: [] } } });
  });

  it("`none [why]`: no SDK needs work, recorded with the reason", () => {
    expect(one(ACCEPTED, "ivo-ig", "/track none wording only").final.track).toEqual({ by: "ivo-ig", none: "wording only", skip: [] });
  });

  it("`skip <sdk>... [why]`: named by repository, short name or language (after a comma), one reason for all; several lines add up, the last word on an SDK wins", () => {
    const sdks = [
      { repo: "modelcontextprotocol/go-sdk", name: "Go", tier: 1 },
      { repo: "modelcontextprotocol/rust-sdk", name: "Rust", tier: 1 },
      { repo: "modelcontextprotocol/java-sdk", name: "Java", tier: 2 },
    ];
    const pr = { ...ACCEPTED, sdks };
    expect(one(pr, "ivo-ig", "/track skip go-sdk, Rust wording only").final.track).toEqual({
      by: "ivo-ig",
      none: null,
      skip: [
        { repo: "modelcontextprotocol/go-sdk", reason: "wording only" },
        { repo: "modelcontextprotocol/rust-sdk", reason: "wording only" },
      ],
    });
    // After the first, a language's name without a comma before it is a word of the reason; a repository's name is an SDK.
    expect(one(pr, "ivo-ig", "/track skip go Python parity is enough").final.track?.skip).toEqual([{ repo: "modelcontextprotocol/go-sdk", reason: "Python parity is enough" }]);
    expect(one(pr, "ivo-ig", "/track skip go-sdk rust-sdk java-sdk").final.track?.skip.map((s) => s.repo)).toEqual(["modelcontextprotocol/go-sdk", "modelcontextprotocol/rust-sdk", "modelcontextprotocol/java-sdk"]);
    const outcome = run(pr, said("ivo-ig", "/track skip go-sdk first\n/track skip java second\n/track skip modelcontextprotocol/go-sdk again"));
    expect(outcome.final.track?.skip).toEqual([
      { repo: "modelcontextprotocol/java-sdk", reason: "second" },
      { repo: "modelcontextprotocol/go-sdk", reason: "again" },
    ]);
  });

  it("refused: not accepted yet, by someone who is not the sponsor or a maintainer, `skip` without an SDK it knows", () => {
    expect(refusal(SPONSORED, "tess-type", "/track")).toBe("only an accepted SEP is implemented across the SDKs; this one is Draft.");
    expect(refusal(ACCEPTED, "pieter", "/track")).toBe("only the sponsor or a maintainer can use `/track`. Ask one of them.");
    expect(refusal(ACCEPTED, "tess-type", "/track skip cobol")).toBe("say which SDK needs no work: `/track skip <sdk> [reason]`.");
    // Every form on a type that needs no SDK work: `skip` would otherwise file the others' issues.
    expect(refusal({ ...ACCEPTED, type: "Informational" }, "tess-type", "/track skip go-sdk")).toBe("Informational SEPs need no SDK work (the rules' `sdks.types`).");
  });
});
