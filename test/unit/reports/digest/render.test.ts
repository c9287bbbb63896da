import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DigestInput, DigestRelease, DigestSep } from "../../../../src/reports/digest/model.js";
import { MAX_DIGEST_CHARS, inline, isoWeek, median, mention, renderDigest, wholeDays } from "../../../../src/reports/digest/render.js";

const FIXTURES = new URL("../../../fixtures/digest", import.meta.url).pathname;
const golden = JSON.parse(readFileSync(`${FIXTURES}/input.json`, "utf8")) as DigestInput;
const expected = readFileSync(`${FIXTURES}/expected.md`, "utf8");

const NOW = "2026-12-07T09:00:00Z";
const URL_BASE = "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/";
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.parse(NOW) - days * DAY).toISOString();

function sep(o: Partial<DigestSep> & { number: number }): DigestSep {
  return {
    title: `SEP number ${o.number}`,
    url: `${URL_BASE}${o.number}`,
    state: "draft",
    stateLabel: o.state === undefined ? "draft" : o.state,
    fileState: o.state === undefined ? "draft" : o.state,
    type: "standards-track",
    sponsor: "bob",
    author: "alice",
    createdAt: daysAgo(30),
    stateSince: daysAgo(10),
    open: true,
    merged: false,
    closedAt: null,
    checks: "success",
    votes: null,
    referenceImplementation: null,
    conformance: null,
    final: null,
    transitions: [],
    dormantOn: null,
    paused: false,
    ...o,
  };
}

function input(seps: DigestSep[], o: Partial<DigestInput> = {}): DigestInput {
  return { ...golden, seps, ...o };
}

/** The lines of the section under `## <heading>` (up to the next `## `). */
function sectionOf(md: string, heading: string): string[] {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`## ${heading}`));
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** Cell separators GitHub sees: pipes not written as an entity or escaped. */
const cells = (row: string) => row.replace(/\\\|/g, "").split("|").length - 1;

describe("renderDigest: golden", () => {
  it("renders the fixture byte for byte", () => {
    expect(renderDigest(golden)).toBe(expected);
  });

  it("gives the same bytes twice, in any time zone, and for any order of the input", () => {
    const first = renderDigest(golden);
    expect(renderDigest(structuredClone(golden))).toBe(first);
    expect(renderDigest({ ...golden, seps: [...golden.seps].reverse() })).toBe(first);
    const tz = process.env.TZ;
    try {
      for (const zone of ["Pacific/Kiritimati", "America/Los_Angeles"]) {
        process.env.TZ = zone;
        expect(renderDigest(golden)).toBe(first);
        // A time without a zone is UTC too, wherever the digest runs.
        expect(renderDigest({ ...golden, now: "2026-12-07T09:00:00" })).toBe(first);
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it("keeps every table row's cell count equal to its header's", () => {
    const lines = expected.split("\n");
    for (const [i, line] of lines.entries()) {
      if (!line.startsWith("| ") || lines[i - 1]?.startsWith("|")) continue;
      for (let j = i + 1; lines[j]?.startsWith("|"); j++) expect(cells(lines[j]!), lines[j]).toBe(cells(line));
    }
  });
});

describe("isoWeek", () => {
  it.each([
    ["2026-01-01T00:00:00Z", "2026-W01"],
    ["2027-01-01T12:00:00Z", "2026-W53"],
    ["2024-12-30T00:00:00Z", "2025-W01"],
    ["2021-01-03T23:59:59Z", "2020-W53"],
    ["2021-01-04T00:00:00Z", "2021-W01"],
    ["2020-12-31", "2020-W53"],
    ["2026-12-31T23:59:59.999Z", "2026-W53"],
    ["2026-12-06T23:59:59.999Z", "2026-W49"],
    ["2026-12-07T00:00:00Z", "2026-W50"],
    // UTC decides: 01:00 at +02:00 is still Sunday in UTC.
    ["2026-12-07T01:00:00+02:00", "2026-W49"],
    ["2008-12-29T00:00:00Z", "2009-W01"],
    ["1969-12-31T00:00:00Z", "1970-W01"],
  ])("%s is %s", (iso, week) => {
    expect(isoWeek(iso)).toBe(week);
  });

  it("agrees with counting Mondays, every day from 2000 to 2040", () => {
    // 2000-01-03 is the Monday of 2000-W01; a new year's W01 is the week holding its first Thursday.
    let t = Date.UTC(2000, 0, 3);
    let year = 2000;
    let week = 1;
    for (; t < Date.UTC(2041, 0, 1); t += DAY) {
      const day = new Date(t);
      if (day.getUTCDay() === 1 && t !== Date.UTC(2000, 0, 3)) {
        const thursdayYear = new Date(t + 3 * DAY).getUTCFullYear();
        [year, week] = thursdayYear === year ? [year, week + 1] : [thursdayYear, 1];
      }
      expect(isoWeek(day.toISOString())).toBe(`${year}-W${String(week).padStart(2, "0")}`);
    }
  });

  it("refuses a time it cannot read", () => {
    expect(() => isoWeek("last monday")).toThrow(RangeError);
    expect(() => renderDigest(input([], { now: "soon" }))).toThrow(RangeError);
  });
});

describe("day counting and median", () => {
  it("counts whole days, rounding down", () => {
    expect(wholeDays(NOW, NOW)).toBe(0);
    expect(wholeDays(NOW, "2026-12-06T09:00:00.001Z")).toBe(0);
    expect(wholeDays(NOW, "2026-12-06T09:00:00Z")).toBe(1);
    expect(wholeDays(NOW, "2026-11-07T09:00:01Z")).toBe(29);
    expect(wholeDays(NOW, "2026-12-07T09:00:00.001Z")).toBe(-1);
  });

  it("takes the middle value, or the mean of the two middle values rounded down", () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([30, 1, 2])).toBe(2);
    expect(median([7, 8])).toBe(7);
    expect(median([10, 1, 3, 2])).toBe(2);
    expect(median([40, 10, 31, 20])).toBe(25);
  });

  it("shows ages, days in state, and medians per state in the digest", () => {
    const md = renderDigest(
      input([
        sep({ number: 1, state: "in-review", stateSince: daysAgo(10) }),
        sep({ number: 2, state: "in-review", stateSince: daysAgo(20.5) }),
        sep({ number: 3, state: "in-review", stateSince: daysAgo(31.99) }),
        sep({ number: 4, state: "in-review", stateSince: daysAgo(40) }),
        sep({ number: 5, state: "accepted", stateSince: daysAgo(3) }),
        sep({ number: 6, state: "accepted", stateSince: daysAgo(9) }),
        sep({ number: 7, state: "accepted", stateSince: daysAgo(4) }),
        sep({ number: 8, state: "accepted", stateSince: daysAgo(400), open: false }),
      ]),
    );
    // In review: 10, 20, 31, 40 -> (20 + 31) / 2 = 25.5 -> 25. Accepted (open only): 3, 4, 9 -> 4.
    expect(md).toContain("| In-Review | 4 | 25 | 0 |");
    expect(md).toContain("| Accepted | 3 | 4 | 1 |");
    const agenda = sectionOf(md, "Agenda");
    expect(agenda.filter((l) => l.startsWith("| [SEP-")).map((l) => l.split(" | ")[2])).toEqual(["40 ⚠️", "31 ⚠️", "20", "10"]);
  });
});

describe("renderDigest: empty input", () => {
  it("says None. in every section and draws no chart", () => {
    expect(renderDigest(input([], { releases: [] }))).toBe(
      [
        "# SEP digest: 2026-W50",
        "",
        "0 open SEPs: 0 awaiting a sponsor, 0 in review (0 over 28 days), 0 accepted and unfinished, 0 with problems. Last 7 days: 0 status changes, 0 went dormant.",
        "",
        ...[
          "Awaiting a sponsor",
          "Agenda for the next core-maintainer meeting",
          "Accepted, on the road to Final",
          "Implementation across the SDKs",
          "Status changes in the last 7 days",
          "Went dormant in the last 7 days",
          "Problems",
          "Sponsors with the most waiting SEPs",
          "SEPs by state",
        ].flatMap((h) => [`## ${h}`, "", "None.", ""]),
      ].join("\n"),
    );
  });
});

describe("renderDigest: sections", () => {
  it("counts down to dormancy, and says when it is paused, overdue or unknown", () => {
    const md = renderDigest(
      input([
        sep({ number: 1, state: "proposal", sponsor: null, createdAt: daysAgo(100), dormantOn: "2027-02-04" }),
        sep({ number: 2, state: "proposal", sponsor: null, createdAt: daysAgo(200), dormantOn: "2026-12-01" }),
        sep({ number: 3, state: "proposal", sponsor: null, createdAt: daysAgo(100), paused: true }),
        sep({ number: 4, state: "proposal", sponsor: null, createdAt: daysAgo(50), dormantOn: null }),
        sep({ number: 5, state: "proposal", sponsor: null, createdAt: daysAgo(179.7), dormantOn: "2026-12-07" }),
      ]),
    );
    const rows = sectionOf(md, "Awaiting a sponsor").filter((l) => l.startsWith("| [SEP-"));
    // Oldest first; equal ages by SEP number.
    expect(rows.map((l) => [l.match(/SEP-(\d+)/)![1], l.split(" | ").slice(2).join(" | ")])).toEqual([
      ["2", "200 | overdue (2026-12-01) |"],
      ["5", "179 | 0 (2026-12-07) |"],
      ["1", "100 | 59 (2027-02-04) |"],
      ["3", "100 | paused |"],
      ["4", "50 | unknown |"],
    ]);
  });

  it("lists changes within (now - 7 days, now] only, with the state before each", () => {
    const md = renderDigest(
      input([
        sep({
          number: 10,
          transitions: [
            { to: "proposal", at: daysAgo(9), by: null },
            { to: "draft", at: daysAgo(7), by: "bob" }, // exactly 7 days ago: the last digest had it
            { to: "in-review", at: daysAgo(2), by: "bob" },
            { to: "accepted", at: daysAgo(-1), by: "carol" }, // after now: the next digest's
          ],
        }),
        sep({ number: 11, state: "dormant", open: false, closedAt: null, transitions: [{ to: "dormant", at: daysAgo(1), by: null }] }),
      ]),
    );
    expect(sectionOf(md, "Status changes").filter((l) => l.startsWith("| [SEP-"))).toEqual([
      `| [SEP-10](${URL_BASE}10) SEP number 10 | Draft → In-Review | 2026-12-05 | @\u200bbob |`,
    ]);
    expect(sectionOf(md, "Went dormant").filter((l) => l.startsWith("| [SEP-"))).toEqual([
      `| [SEP-11](${URL_BASE}11) SEP number 11 | unknown | 2026-12-06 | closed |`,
    ]);
  });

  it("names each problem, and ranks sponsors by waiting SEPs with ties by login", () => {
    const seps = [
      sep({ number: 1, checks: "failure", fileState: "accepted", state: "in-review", stateLabel: null }),
      sep({ number: 2, fileState: null, state: "draft" }), // unknown file status: nothing to compare
      ...["zed", "yan", "xia", "wes", "val", "uma"].flatMap((login, i) =>
        Array.from({ length: i < 2 ? 2 : 1 }, (_, k) => sep({ number: 100 + i * 10 + k, sponsor: login })),
      ),
      sep({ number: 200, sponsor: "bob", state: "final" }), // not waiting on its sponsor
    ];
    const md = renderDigest(input(seps));
    expect(sectionOf(md, "Problems").filter((l) => l.startsWith("| [SEP-"))).toEqual([
      `| [SEP-1](${URL_BASE}1) SEP number 1 | SEP checks fail; file says Accepted, labels say In-Review; no state label |`,
    ]);
    const sponsors = sectionOf(md, "Sponsors").filter((l) => l.startsWith("| @"));
    expect(sponsors.map((l) => l.split(" | ")[0]!.slice(4))).toEqual(["bob", "yan", "zed", "uma", "val"]);
  });
});

describe("renderDigest: implementation across the SDKs", () => {
  const release = (o: Partial<DigestRelease>): DigestRelease => ({ version: "2026-07-28", candidate: "2026-07-14", release: "2026-07-28", deadlines: [{ tier: 1, date: "2026-07-28" }, { tier: 2, date: "2027-01-26" }], seps: 4, owed: [], ...o });
  const rows = (md: string) => sectionOf(md, "Implementation across the SDKs").filter((l) => l.startsWith("| ") && !l.startsWith("| Release") && !l.startsWith("| ---"));

  it("one row per release with something owed: its dates, and per SDK how many SEPs; ⚠️ on a passed deadline of a tier that still owes", () => {
    const md = renderDigest(
      input([], {
        releases: [
          release({ version: "2027-01-26", candidate: null, release: "2027-01-26", deadlines: [{ tier: 2, date: "2027-07-27" }], seps: 2, owed: [{ name: "TypeScript", tier: 1, seps: 2 }] }),
          release({ owed: [{ name: "Go", tier: 1, seps: 1 }, { name: "Java", tier: 2, seps: 3 }] }),
          release({ version: "2025-11-25", seps: 9, owed: [] }),
          release({ version: null, candidate: null, release: null, deadlines: [], seps: 1, owed: [{ name: "Python", tier: 1, seps: 1 }] }),
        ],
      }),
    );
    expect(rows(md)).toEqual([
      "| 2027-01-26 | 2 | — | 2027-01-26 | Tier 2: 2027-07-27 | TypeScript: 2 |",
      "| 2026-07-28 | 4 | 2026-07-14 | 2026-07-28 | Tier 1: 2026-07-28 ⚠️, Tier 2: 2027-01-26 | Go: 1, Java: 3 |",
      "| no release yet | 1 | — | — | — | Python: 1 |",
    ]);
    // A passed deadline no SDK of its tier owes anything for: no mark.
    const tier2Only = renderDigest(input([], { releases: [release({ owed: [{ name: "Java", tier: 2, seps: 1 }] })] }));
    expect(rows(tier2Only)).toEqual(["| 2026-07-28 | 4 | 2026-07-14 | 2026-07-28 | Tier 1: 2026-07-28, Tier 2: 2027-01-26 | Java: 1 |"]);
  });

  it("the summary line counts the SDKs that still owe SEPs and the releases past a tier's deadline, and says nothing when none owes", () => {
    const summary = (md: string) => md.split("\n")[2]!;
    const late = renderDigest(input([], { releases: [release({ owed: [{ name: "Go", tier: 1, seps: 1 }, { name: "Java", tier: 2, seps: 3 }] }), release({ version: null, candidate: null, release: null, deadlines: [], seps: 1, owed: [{ name: "Go", tier: 1, seps: 1 }] })] }));
    expect(summary(late)).toMatch(/ Across the SDKs: 2 SDKs still owe SEPs, 1 release past a tier's deadline\.$/);
    const onTime = renderDigest(input([], { releases: [release({ owed: [{ name: "Java", tier: 2, seps: 1 }] })] }));
    expect(summary(onTime)).toMatch(/ Across the SDKs: 1 SDK still owes SEPs\.$/);
    expect(summary(renderDigest(input([], { releases: [release({})] })))).not.toContain("SDK");
    expect(summary(renderDigest(input([], { releases: null })))).not.toContain("SDK");
  });

  it("says None. when every SDK is done, and has no section when SDK tracking is off", () => {
    expect(sectionOf(renderDigest(input([], { releases: [release({})] })), "Implementation across the SDKs")).toEqual(["## Implementation across the SDKs", "", "None.", ""]);
    expect(renderDigest(input([], { releases: null }))).not.toContain("## Implementation across the SDKs");
    expect(renderDigest(input([], { releases: undefined }))).not.toContain("## Implementation across the SDKs");
  });
});

describe("renderDigest: hostile titles and logins", () => {
  const hostile = "a | b <script>alert(1)</script> `rm -rf` \n# injected heading\r\n| x | y |\u2028@everyone [click](javascript:alert(1)) \u202eevil";
  const md = renderDigest(
    input([
      sep({ number: 1, title: hostile, state: "proposal", sponsor: null, author: "@everyone", dormantOn: "2027-01-01" }),
      sep({ number: 2, title: hostile, state: "in-review", sponsor: "evil|<b>`x`\n@org/team", url: "javascript:alert(1)" }),
      sep({ number: 3, title: hostile, checks: "failure", url: `${URL_BASE}3?a=(x) "y"` }),
      sep({ number: 4, title: hostile, transitions: [{ to: "draft", at: daysAgo(1), by: "@everyone" }] }),
    ], {
      // A release named by a milestone anyone with triage rights can name, an SDK named by a documentation page.
      releases: [{ version: hostile, candidate: null, release: null, deadlines: [], seps: 2, owed: [{ name: hostile, tier: 1, seps: 2 }] }],
    }),
  );

  it("injects no HTML, code, heading, link or line", () => {
    expect(md).not.toMatch(/<script|<b>|`rm|javascript:/i);
    expect(md.split("\n").filter((l) => l.startsWith("#"))).toEqual([
      "# SEP digest: 2026-W50",
      ...md.split("\n").filter((l) => l.startsWith("## ")),
    ]);
    expect(md).not.toMatch(/[\u2028\u202e]/);
    // Every SEP link is ours: the title's own brackets are escaped.
    expect(md.match(/\]\(/g)?.length).toBe(md.match(/\[SEP-\d+\]\(/g)?.length);
    expect(md).toContain(`[SEP-2](${URL_BASE}2)`);
    expect(md).toContain(`[SEP-3](${URL_BASE}3?a=%28x%29%20%22y%22)`);
    // The release and the SDK are there, as text.
    expect(sectionOf(md, "Implementation across the SDKs").join("\n")).toContain("| a &#124; b &lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("keeps every table row's cell count", () => {
    const lines = md.split("\n");
    for (const [i, line] of lines.entries()) {
      if (!line.startsWith("| ") || lines[i - 1]?.startsWith("|")) continue;
      for (let j = i + 1; lines[j]?.startsWith("|"); j++) expect(cells(lines[j]!), lines[j]).toBe(cells(line));
    }
  });

  it("pings nobody", () => {
    expect(md).not.toMatch(/@(?!\u200b)/);
    expect(md).toContain("@\u200beveryone");
    expect(mention("@everyone")).toBe("@\u200beveryone");
    expect(mention(null)).toBe("—");
  });

  it("caps titles at 80 characters with an ellipsis", () => {
    expect(inline("x".repeat(80))).toBe("x".repeat(80));
    expect(inline("x".repeat(81))).toBe(`${"x".repeat(79)}…`);
    // Cut before escaping (no half entity) and by code points (no half emoji).
    expect(inline("|".repeat(100))).toBe(`${"&#124;".repeat(79)}…`);
    expect(inline("😀".repeat(100))).toBe(`${"😀".repeat(79)}…`);
    expect(inline("a\n\tb  c")).toBe("a b c");
  });
});

describe("renderDigest: size", () => {
  const states = ["proposal", "draft", "in-review", "accepted", "dormant"];
  const many = (title: (n: number) => string, login: (n: number) => string) =>
    Array.from({ length: 2000 }, (_, i) => {
      const number = 1000 + i;
      const state = states[i % states.length]!;
      return sep({
        number,
        title: title(number),
        state,
        stateLabel: i % 7 === 0 ? null : state,
        open: state !== "dormant",
        sponsor: state === "proposal" || state === "dormant" ? null : login(i % 40),
        author: login(i),
        checks: i % 3 === 0 ? "failure" : "success",
        referenceImplementation: false,
        dormantOn: state === "proposal" ? "2027-03-01" : null,
        votes: state === "in-review" ? { yes: i % 9, no: 1, abstain: 0 } : null,
        createdAt: daysAgo(i % 300),
        stateSince: daysAgo(i % 200),
        transitions: [
          { to: "proposal", at: daysAgo(6), by: null },
          { to: state, at: daysAgo((i % 6) + 0.5), by: login(i) },
        ],
      });
    });

  it.each([
    ["plain titles", (n: number) => `A realistic title for SEP ${n} about streaming resources and tools`, (n: number) => `maintainer-${n}`],
    ["hostile titles", () => "|<>`@&".repeat(40), (n: number) => `${"|@<".repeat(30)}${n}`],
  ])("stays under 60,000 characters with 2,000 SEPs (%s) and says how many more", (_, title, login) => {
    const seps = many(title, login);
    const md = renderDigest(input(seps));
    expect(md.length).toBeLessThan(MAX_DIGEST_CHARS);
    const proposals = seps.filter((s) => s.state === "proposal").length;
    const awaiting = sectionOf(md, "Awaiting a sponsor");
    const shown = awaiting.filter((l) => l.startsWith("| [SEP-")).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(50);
    expect(awaiting).toContain(`…and ${proposals - shown} more.`);
    for (const heading of ["Agenda", "Accepted", "Status changes", "Went dormant", "Problems"]) {
      expect(sectionOf(md, heading).some((l) => /^…and \d+ more\.$/.test(l)), heading).toBe(true);
    }
    expect(sectionOf(md, "Sponsors").filter((l) => l.startsWith("| @"))).toHaveLength(5);
  });
});
