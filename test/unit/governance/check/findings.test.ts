import { describe, expect, it } from "vitest";
import { primaryOf, sepFilesOf, whichIsTheSep } from "../../../../src/governance/check/findings.js";
import type { ChangedSepFile } from "../../../../src/governance/model/snapshot.js";
import { parseSep } from "../../../../src/sep/parse.js";
import { NOW, rules, sepText } from "../../../helpers/sep.js";

/** Which file of a pull request is the SEP, as a maintainer reads them: companions (a FAQ, notes) are not second SEPs. */

const FAQ = "# SEP-3182 FAQ: Request Idempotency\n\nQuestions reviewers asked.\n\n## Why a key per request?\n\nSo a retry is recognised.\n";
const NOTES = "# Notes\n\nBenchmarks behind the design.\n";
const added = (path: string, text: string): ChangedSepFile => ({ path, change: "added", previousPath: null, headText: text, headSize: text.length, baseText: null });
const modified = (path: string, text: string): ChangedSepFile => ({ ...added(path, text), change: "modified", baseText: text });
const sep = (n: number | string, title = "Request Idempotency") => sepText({ heading: `# SEP-${n}: ${title}` });
const paths = (files: ReturnType<typeof sepFilesOf>) => files.map((f) => f.file.path);

describe("which file is the SEP", () => {
  it("a FAQ named after the SEP is its companion: not linted, not a second SEP; the SEP is the pull request's", () => {
    const files = sepFilesOf([added("seps/3182-request-idempotency-faq.md", FAQ), added("seps/3182-request-idempotency.md", sep(3182))], rules, NOW);
    expect(paths(files)).toEqual(["seps/3182-request-idempotency.md"]);
    expect(primaryOf(files)?.file.path).toBe("seps/3182-request-idempotency.md");
    expect(files.flatMap((f) => f.extra.map((x) => x.rule))).toEqual([]);
  });

  it("still a companion once the SEP is renamed from 0000 (the FAQ keeps its placeholder), and one under the SEP's number with no SEP heading", () => {
    const renamed = sepFilesOf([added("seps/3182-request-idempotency.md", sep(3182)), added("seps/0000-request-idempotency-faq.md", FAQ)], rules, NOW);
    expect(paths(renamed)).toEqual(["seps/3182-request-idempotency.md"]);
    const notes = sepFilesOf([added("seps/3182-request-idempotency.md", sep(3182)), added("seps/3182-benchmarks.md", NOTES)], rules, NOW);
    expect(paths(notes)).toEqual(["seps/3182-request-idempotency.md"]);
  });

  it("two SEPs (each with a preamble), or a file not named after it, are still two SEPs: each is told to move", () => {
    const two = sepFilesOf([added("seps/0000-request-idempotency.md", sep("0000")), added("seps/0000-request-idempotency-v2.md", sep("0000", "Idempotency Two"))], rules, NOW);
    expect(paths(two)).toHaveLength(2);
    expect(primaryOf(two)).toBeNull();
    expect(two.every((f) => f.extra.some((x) => x.rule === "sep-multiple"))).toBe(true);
    const unrelated = sepFilesOf([added("seps/0000-request-idempotency.md", sep("0000")), added("seps/0000-other-idea.md", NOTES)], rules, NOW);
    expect(unrelated.every((f) => f.extra.some((x) => x.rule === "sep-multiple"))).toBe(true);
  });

  it("a pull request that adds its SEP and also edits an older one is about its own", () => {
    const files = sepFilesOf([modified("seps/2100-streaming-widgets.md", sep(2100, "Streaming Widgets")), added("seps/3200-resource-hints.md", sep(3200, "Resource Hints"))], rules, NOW);
    expect(paths(files)).toEqual(["seps/2100-streaming-widgets.md", "seps/3200-resource-hints.md"]);
    expect(primaryOf(files)?.file.path).toBe("seps/3200-resource-hints.md");
  });

  it("the one function decides for the check and the site alike", () => {
    const candidates = [
      { path: "seps/3182-request-idempotency-faq.md", isNew: true, sep: parseSep(FAQ, "seps/3182-request-idempotency-faq.md", { rules }) },
      { path: "seps/3182-request-idempotency.md", isNew: true, sep: parseSep(sep(3182), "seps/3182-request-idempotency.md", { rules }) },
    ];
    expect(whichIsTheSep(candidates)).toEqual({ primary: 1, companions: new Map([[0, "seps/3182-request-idempotency.md"]]) });
  });
});
