import { describe, expect, it } from "vitest";
import { EMPTY_STATE, type Tracking } from "../../../../src/governance/model/record.js";
import type { SdksRead, SweepPull, SweepRead } from "../../../../src/reports/sweep/due.js";
import { implementationsOf, owes, releasesOf, sdkMaintainers, sdkTitle, stateIn } from "../../../../src/reports/sweep/releases.js";
import type { Rules } from "../../../../src/rules/schema.js";
import { GO, JAVA, PY, SDK_ROWS, sdkPage, TS } from "../../../helpers/sdks.js";
import { rules } from "../../../helpers/sep.js";
import { sweepPull } from "../../../helpers/sweep-pull.js";

/**
 * Implementation across the SDKs as the reports read it: the umbrellas' lists
 * and the status comments' records, one SEP once, grouped by release, with
 * what each SDK still owes; and who maintains which SDK.
 */

const SDK_PAGE = sdkPage(SDK_ROWS);
const MAINTAINERS = [
  "# Maintainers",
  "## Core Maintainers",
  "- @grace",
  "### TypeScript SDK", // outside the SDK section: not the TypeScript SDK's maintainers
  "- @impostor",
  "## SDK Maintainers (alphabetical)",
  "### TypeScript SDK",
  "- Tess Type (@tess-type)",
  "### Python SDK",
  "- [Pia Python](https://github.com/Pia-Py)",
  "```",
  "## Not a heading",
  "```",
  "- @max",
  "## Project Maintainers",
  "### Go SDK",
  "- @gus-go",
].join("\n");

type Umbrella = SdksRead["umbrellas"][number];
const umbrella = (o: Partial<Umbrella> & { number: number; sep: number }): Umbrella => ({ url: `https://github.com/o/r/issues/${o.number}`, open: true, release: "2026-07-28", done: false, sdks: [], ...o });
const line = (repo: string, number: number | null, state: Umbrella["sdks"][number]["state"]) => ({ repo, number, tier: 1, state });

function tracking(o: Partial<Tracking>): Tracking {
  return { requested: { by: null, at: "2026-11-02T10:00:00.000Z", via: "accepted" }, none: null, skip: [], umbrella: null, sdks: [], release: null, done: null, umbrellaBlock: null, ...o };
}
const tracked = (repo: string, number: number | null, state: Tracking["sdks"][number]["state"]) => ({ repo, number, adopted: false, state, at: null });
const pull = (number: number, t: Tracking, o: Partial<SweepPull> = {}) => sweepPull({ number, labels: ["SEP", "accepted"], memory: { ...EMPTY_STATE, log: [], commands: [], pings: [], tracking: t }, ...o });

function read(umbrellas: Umbrella[], pulls: SweepPull[] = [], sdks: Partial<SdksRead> = {}): SweepRead {
  return { repo: { owner: "o", name: "r", defaultBranch: "main" }, botLogin: "sep-bot[bot]", roles: {}, pulls, sdks: { file: SDK_PAGE, maintainersFile: MAINTAINERS, umbrellas, ...sdks } };
}

describe("each tracked SEP's implementation", () => {
  it("from its umbrella's list, or from its pull request's record over it (open first); one SEP once, by number", () => {
    const r = read(
      [
        umbrella({ number: 900, sep: 2100, sdks: [line(TS, 10, "done"), line(PY, 11, "open")] }),
        umbrella({ number: 800, sep: 2100, open: false, sdks: [line(TS, 10, "open")] }), // an older one, closed
        umbrella({ number: 901, sep: 2322, release: null, done: true, sdks: [line(TS, 12, "done")] }),
      ],
      [
        pull(2400, tracking({ umbrella: 900, release: "2026-07-28", sdks: [tracked(TS, 10, "done"), tracked(PY, 11, "done")], done: "2026-11-20T00:00:00Z" })),
        pull(2500, tracking({ release: "2027-01-26", sdks: [tracked(GO, null, "no-access")] }), { open: false }),
        pull(2500, tracking({ release: "2027-01-26", sdks: [tracked(GO, 4, "open")] })),
      ],
    );
    const impls = implementationsOf(r, rules);
    expect(impls.map((i) => i.sep)).toEqual([2100, 2322, 2500]);
    // The record of PR 2400 names umbrella #900, whose SEP is 2100: the record is 2100's, and says more than the list.
    expect(impls[0]).toEqual({ sep: 2100, release: "2026-07-28", umbrella: { number: 900, url: "https://github.com/o/r/issues/900", open: true }, none: false, done: true, since: "2026-11-02T10:00:00.000Z", sdks: [{ repo: TS, number: 10, state: "done" }, { repo: PY, number: 11, state: "done" }] });
    expect(impls[1]).toMatchObject({ sep: 2322, release: null, done: true, since: null, sdks: [{ repo: TS, number: 12, state: "done" }] });
    expect(impls[2]).toMatchObject({ sep: 2500, umbrella: null, sdks: [{ repo: GO, number: 4, state: "open" }] });
    // Without SDK tracking, nothing.
    expect(implementationsOf(r, { ...rules, sdks: null } as Rules)).toEqual([]);
    expect(implementationsOf({ ...r, sdks: null }, rules)).toEqual([]);
  });

  it("a line whose repository is not `owner/name` (an edited record) is dropped; `/track none` makes every SDK not needed", () => {
    const r = read([], [pull(2001, tracking({ sdks: [tracked("<img src=x>/y", 1, "open"), tracked(`${TS}) [x](javascript:1`, 2, "open"), tracked(PY, 3, "open")] })), pull(2002, tracking({ none: { by: "grace", at: "2026-11-02T10:00:00.000Z", reason: "wording" } }))]);
    const [one, none] = implementationsOf(r, rules);
    expect(one!.sdks).toEqual([{ repo: PY, number: 3, state: "open" }]);
    expect([stateIn(none!, TS), owes(none!, TS)]).toEqual(["not-needed", false]);
  });

  it("what an SDK owes: open, not filed (no line too) and no access; nothing once the umbrella is closed", () => {
    const [open, closed] = implementationsOf(
      read([
        umbrella({ number: 1, sep: 1, sdks: [line(TS, 1, "open"), line(PY, null, "no-access"), line(GO, 3, "not-planned")] }),
        umbrella({ number: 2, sep: 2, open: false, sdks: [line(TS, 1, "open")] }),
      ]),
      rules,
    );
    expect([TS, PY, GO, JAVA].map((repo) => [stateIn(open!, repo), owes(open!, repo)])).toEqual([
      ["open", true],
      ["no-access", true],
      ["not-planned", false],
      ["not-filed", true],
    ]);
    expect(owes(closed!, TS)).toBe(false);
  });
});

describe("the releases", () => {
  const r = read([
    umbrella({ number: 1, sep: 10, release: "2026-07-28", sdks: [line(TS, 1, "done"), line(PY, 2, "open")] }),
    umbrella({ number: 2, sep: 11, release: "2026-07-28", sdks: [line(TS, 3, "open"), line(JAVA, 4, "open"), line("someone/kotlin-sdk", 5, "done")] }),
    umbrella({ number: 3, sep: 12, release: "2027-01-26", sdks: [line(TS, 6, "open")] }),
    umbrella({ number: 4, sep: 13, release: null, sdks: [line(GO, 7, "open")] }),
  ]);
  const releases = releasesOf(implementationsOf(r, rules), r, rules);

  it("the newest first, no release last; each with its dates from the rules", () => {
    expect(releases.map((x) => [x.version, x.candidate, x.release, x.deadlines, x.seps])).toEqual([
      ["2027-01-26", null, "2027-01-26", [{ tier: 2, date: "2027-07-27" }], [12]], // no candidate in the rules: no Tier 1 day
      ["2026-07-28", "2026-07-14", "2026-07-28", [{ tier: 1, date: "2026-07-28" }, { tier: 2, date: "2027-01-26" }], [10, 11]],
      [null, null, null, [], [13]],
    ]);
  });

  it("its SDKs: the selected ones (Tier 1) in the list's order, then others its lists name; each with its tier's deadline and what it owes", () => {
    const july = releases[1]!;
    expect(july.sdks.map((s) => [s.name, s.tier, s.deadline, s.owes])).toEqual([
      ["TypeScript", 1, "2026-07-28", [11]],
      ["Python", 1, "2026-07-28", [10, 11]], // SEP-11 has no Python line: not filed, owed
      ["Go", 1, "2026-07-28", [10, 11]],
      ["Java", 2, "2027-01-26", [10, 11]],
      ["kotlin-sdk", null, null, [10]], // not in the list: named by its repository
    ]);
  });
});

describe("who maintains an SDK", () => {
  const r = read([]);
  it("the subsection `<name> SDK` of the rules' section, as the roles read it; nothing elsewhere in the file", () => {
    expect(sdkMaintainers(r, rules, { name: "TypeScript" })).toEqual(["tess-type"]);
    expect(sdkMaintainers(r, rules, { name: "Python" })).toEqual(["max", "pia-py"]); // the fence's heading is no heading
    expect(sdkMaintainers(r, rules, { name: "Go" })).toEqual([]); // under Project Maintainers
    expect(sdkMaintainers(r, { ...rules, sdks: { ...rules.sdks!, maintainersSection: null } }, { name: "TypeScript" })).toEqual([]);
    expect(sdkMaintainers(read([], [], { maintainersFile: null }), rules, { name: "TypeScript" })).toEqual([]);
  });

  it("names an SDK's subsection as the file does", () => {
    expect([sdkTitle({ name: "C#" }), sdkTitle({ name: "Rust SDK" }), sdkTitle({ name: " Go " })]).toEqual(["C# SDK", "Rust SDK", "Go SDK"]);
  });
});
