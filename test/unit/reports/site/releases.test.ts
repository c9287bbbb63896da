import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EMPTY_STATE, type BotState, type Tracking } from "../../../../src/governance/model/record.js";
import { siteData, type SiteSource } from "../../../../src/reports/site/build.js";
import { renderIndex, renderSite } from "../../../../src/reports/site/render.js";
import type { SdksRead, SweepPull, SweepRead } from "../../../../src/reports/sweep/due.js";
import { GO, PY, SDK_ROWS, sdkPage, TS } from "../../../helpers/sdks.js";
import { rules, sepText } from "../../../helpers/sep.js";
import { sweepPull } from "../../../helpers/sweep-pull.js";
import { validate } from "./json-schema.js";

/**
 * The release view: each tracked SEP against each SDK, per release, with its
 * dates and what each SDK still owes; an SDK maintainer's part of it in their
 * view; and hostile release and SDK names kept as text.
 */

const NOW = new Date("2026-12-07T09:00:00Z");
const BOT = "sep-bot[bot]";
const URL_BASE = "https://github.com/o/r/pull/";
const SCHEMA = JSON.parse(readFileSync(new URL("../../../../docs/seps-v2.schema.json", import.meta.url), "utf8"));
const SDK_PAGE = sdkPage(SDK_ROWS.slice(0, 3)); // the three Tier 1
const MAINTAINERS = "# Maintainers\n\n## Core Maintainers\n\n- @grace\n\n## SDK Maintainers\n\n### TypeScript SDK\n\n- Tess Type (@tess-type)\n- @grace\n\n### Python SDK\n\n- @tess-type\n\n### Go SDK\n\n- @gus-go\n";

type Umbrella = SdksRead["umbrellas"][number];
const umbrella = (o: Partial<Umbrella> & { number: number; sep: number }): Umbrella => ({ url: `https://github.com/o/r/issues/${o.number}`, open: true, release: "2026-07-28", done: false, sdks: [], ...o });
const line = (repo: string, number: number | null, state: Umbrella["sdks"][number]["state"]) => ({ repo, number, tier: 1, state });

function memory(state: string, tracking: Tracking | undefined): BotState {
  return {
    ...EMPTY_STATE,
    log: [],
    commands: [],
    pings: [],
    sep: { state, status: state, type: "standards-track", title: `Widgets ${state}`, sponsor: "grace", referenceImplementation: true, conformance: true, checks: "success", votes: null, deadlines: [], paused: false, label: state, clock: state },
    ...(tracking ? { tracking } : {}),
  };
}
const tracking = (o: Partial<Tracking>): Tracking => ({ requested: { by: "grace", at: "2026-11-02T10:00:00.000Z", via: "/track" }, none: null, skip: [], umbrella: null, sdks: [], release: null, done: null, umbrellaBlock: null, ...o });
const tracked = (repo: string, number: number | null, state: Tracking["sdks"][number]["state"]) => ({ repo, number, adopted: false, state, at: null });
const pull = (number: number, state: string, t?: Tracking, o: Partial<SweepPull> = {}): SweepPull =>
  sweepPull({ number, url: `${URL_BASE}${number}`, labels: ["SEP", state], labelEvents: [{ label: state, added: true, actor: BOT, at: "2026-11-01T10:01:00Z" }], memory: memory(state, t), checks: "success", ...o });
const merged = (number: number, status = "Accepted") => ({ path: `seps/${number}-widgets.md`, text: sepText({ heading: `# SEP-${number}: Merged Widgets ${number}`, status, sponsor: "Grace (@grace)", pr: `${URL_BASE}${number}` }) });

function source(umbrellas: Umbrella[], pulls: SweepPull[] = [], files: SiteSource["files"] = [], sdks: Partial<SdksRead> = {}): SiteSource {
  const read: SweepRead = {
    repo: { owner: "o", name: "r", defaultBranch: "main" },
    botLogin: BOT,
    roles: { "core-maintainer": ["grace"], maintainer: ["grace", "tess-type", "gus-go"] },
    directory: [{ login: "tess-type", name: "Tess Type" }],
    pulls,
    sdks: { file: SDK_PAGE, maintainersFile: MAINTAINERS, umbrellas, ...sdks },
  };
  return { read, rules, files, discussions: [] };
}

describe("the release view's data", () => {
  const data = siteData(
    source(
      [
        umbrella({ number: 900, sep: 2100, sdks: [line(TS, 10, "done"), line(PY, 11, "open"), line(GO, null, "no-access")] }),
        umbrella({ number: 901, sep: 2200, release: null, sdks: [line(TS, 12, "open"), line(PY, 13, "not-planned")] }),
        umbrella({ number: 902, sep: 2300, open: false, sdks: [line(TS, 14, "open")] }), // closed by hand: no longer tracked
        umbrella({ number: 903, sep: 4242, sdks: [line(TS, 15, "open")] }), // a SEP the site does not list
      ],
      [
        // An accepted SEP in its pull request: its record says more than an umbrella (none yet).
        pull(2500, "accepted", tracking({ release: "2026-07-28", sdks: [tracked(TS, 20, "open"), tracked(PY, null, "not-filed")] })),
        pull(2600, "accepted", tracking({ none: { by: "grace", at: "2026-11-03T10:00:00.000Z", reason: "wording only" } })),
      ],
      [merged(2100), merged(2200, "Final"), merged(2300)],
    ),
    NOW,
  );
  const sep = (n: number) => data.seps.find((s) => s.number === n)!;

  it("each tracked SEP's implementation: its release, its umbrella, each SDK's state and issue", () => {
    expect(sep(2100).implementation).toEqual({
      release: "2026-07-28",
      umbrella: { number: 900, url: "https://github.com/o/r/issues/900", open: true },
      none: false,
      done: false,
      sdks: [
        { repo: TS, state: "done", issue: { number: 10, url: `https://github.com/${TS}/issues/10` } },
        { repo: PY, state: "open", issue: { number: 11, url: `https://github.com/${PY}/issues/11` } },
        { repo: GO, state: "no-access", issue: null },
      ],
    });
    expect(sep(2500).implementation).toMatchObject({ release: "2026-07-28", umbrella: null, sdks: [{ repo: TS, state: "open" }, { repo: PY, state: "not-filed", issue: null }] });
    expect(sep(2600).implementation).toMatchObject({ none: true, sdks: [] });
    expect(data.seps.map((s) => s.number)).not.toContain(4242);
  });

  it("each release: its dates, its SEPs, and per SDK its deadline, its maintainers and what it owes", () => {
    expect(data.releases.map((r) => [r.version, r.candidate, r.release, r.deadlines, r.seps])).toEqual([
      ["2026-07-28", "2026-07-14", "2026-07-28", [{ tier: 1, date: "2026-07-28" }, { tier: 2, date: "2027-01-26" }], [2100, 2300, 2500]],
      // `/track none` before any release was read: with no release, every SDK not needed.
      [null, null, null, [], [2200, 2600]],
    ]);
    const july = data.releases[0]!;
    expect(july.sdks.map((s) => [s.name, s.deadline, s.maintainers, s.owes])).toEqual([
      ["TypeScript", "2026-07-28", ["grace", "tess-type"], [2500]], // 2300's umbrella is closed, 2600 needs nothing
      ["Python", "2026-07-28", ["tess-type"], [2100, 2500]],
      ["Go", "2026-07-28", ["gus-go"], [2100, 2500]], // 2500 has no Go line: not filed
    ]);
    expect(july.sdks[0]!.url).toBe(`https://github.com/${TS}`);
  });

  it("an SDK maintainer sees their SDKs' open items last, one per SEP, the soonest deadline first (none known: last)", () => {
    const tess = data.waitingOn.people.find((p) => p.login === "tess-type")!;
    expect(tess.name).toBe("Tess Type");
    expect(tess.roles).toEqual(["maintainer", "sdk-maintainer"]);
    // The same deadline: the one known to wait longest first, then one whose wait is unknown.
    expect(tess.next).toEqual([
      { sep: 2500, step: `Implement it in the TypeScript SDK (${TS}#20) and the Python SDK (${PY}: no issue filed yet) for the 2026-07-28 release.`, since: "2026-11-02T10:00:00.000Z", kind: "sdk", due: "2026-07-28" },
      { sep: 2100, step: `Implement it in the Python SDK (${PY}#11) for the 2026-07-28 release.`, since: null, kind: "sdk", due: "2026-07-28" },
      { sep: 2200, step: `Implement it in the TypeScript SDK (${TS}#12).`, since: null, kind: "sdk", due: null },
    ]);
    const gus = data.waitingOn.people.find((p) => p.login === "gus-go")!;
    expect(gus.next.map((n) => [n.sep, n.step])).toEqual([
      [2500, `Implement it in the Go SDK (${GO}: no issue filed yet) for the 2026-07-28 release.`], // no Go line: not filed
      [2100, `Implement it in the Go SDK (${GO}: not filed, sep-bot has no access there) for the 2026-07-28 release.`],
      [2200, `Implement it in the Go SDK (${GO}: no issue filed yet).`],
    ]);
    // A core maintainer who keeps an SDK: their process steps come first.
    const grace = data.waitingOn.people.find((p) => p.login === "grace")!;
    expect(grace.roles).toContain("sdk-maintainer");
    expect(grace.next.map((n) => n.kind).indexOf("sdk")).toBe(grace.next.length - grace.next.filter((n) => n.kind === "sdk").length);
  });

  it("is what its schema says", () => {
    expect(validate(SCHEMA, JSON.parse(renderSite(data).get("seps.json")!.body))).toEqual([]);
  });

  it("nothing tracked, or SDK tracking off: no release, no SDK item", () => {
    const none = siteData(source([], [pull(2500, "accepted")], []), NOW);
    expect(none.releases).toEqual([]);
    expect(none.seps[0]!.implementation).toBeNull();
    const off = siteData({ ...source([umbrella({ number: 900, sep: 2500, sdks: [line(TS, 1, "open")] })], [pull(2500, "accepted")]), rules: { ...rules, sdks: null } }, NOW);
    expect(off.releases).toEqual([]);
    expect(off.waitingOn.people.flatMap((p) => p.next).filter((n) => n.kind === "sdk")).toEqual([]);
    expect(renderIndex(off)).toContain("<p>No SEP is tracked across the SDKs.</p>");
  });
});

describe("the release view on the page", () => {
  const page = (umbrellas: Umbrella[], pulls: SweepPull[] = [], files = [merged(2100), merged(2200)], sdks: Partial<SdksRead> = {}) => renderIndex(siteData(source(umbrellas, pulls, files, sdks), NOW));

  it("per release: the dates, a table of what each SDK owes (a passed deadline marked), each SEP against each SDK; a release owing nothing folded away", () => {
    const html = page([
      umbrella({ number: 900, sep: 2100, sdks: [line(TS, 10, "done"), line(PY, 11, "open"), line(GO, null, "no-access")] }),
      umbrella({ number: 901, sep: 2200, release: "2025-11-25", sdks: [line(TS, 12, "done"), line(PY, 13, "not-needed"), line(GO, 14, "not-planned")] }),
    ]);
    const section = html.slice(html.indexOf('<section id="releases"'), html.indexOf('<section id="waiting"'));
    expect(section).toContain('<h3 id="release-2026-07-28-h">Release 2026-07-28</h3>');
    expect(section).toContain('Dates: release candidate <time datetime="2026-07-14">2026-07-14</time>; release <time datetime="2026-07-28">2026-07-28</time>; Tier 1 SDKs by <time datetime="2026-07-28">2026-07-28</time>');
    expect(section).toContain('<td data-label="Deadline"><span><time datetime="2026-07-28">2026-07-28</time> <span class="badge failure">passed</span></span></td><td data-label="Still owes"><span>1 SEP: <a href="#release-2026-07-28-sep-2100">SEP-2100</a></span></td>');
    expect(section).toContain('<td data-label="Go"><span><span class="badge sdk-no-access">no access</span></span></td>');
    expect(section).toContain(`<td data-label="TypeScript"><span><span class="badge sdk-done">done</span> <a href="https://github.com/${TS}/issues/10">#10</a></span></td>`);
    expect(section).toContain(`<td data-label="Go"><span><span class="badge sdk-not-planned">closed as not planned</span> <a href="https://github.com/${GO}/issues/14">#14</a></span></td>`);
    // The one owing something is open; the finished one is there, folded.
    expect(section.match(/<details( open)?>/g)).toEqual(["<details open>", "<details>"]);
    expect(section.indexOf("Release 2026-07-28")).toBeLessThan(section.indexOf("Release 2025-11-25"));
  });

  it("hostile release and SDK names stay text, their ids stay ids, and every link inside lands", () => {
    const hostile = `"><script>alert(1)</script> @everyone [x](javascript:alert(2))`;
    const html = page(
      [umbrella({ number: 900, sep: 2100, release: `<img/src=x/onerror=alert(3)>`, sdks: [line(TS, 10, "open")] })],
      [pull(2200, "accepted", tracking({ release: hostile, sdks: [tracked(TS, 11, "open"), tracked(`${TS}"><b>x</b>`, 12, "open")] }))],
      [merged(2100)],
      { file: SDK_PAGE.replace("[TypeScript](https://ts.example)", "[<b>Type</b>Script\"'](https://ts.example)") },
    );
    const section = html.slice(html.indexOf('<section id="releases"'), html.indexOf('<section id="waiting"'));
    // Markup only as text: no element but the page's own, no event handler, no link but http(s) and the page's.
    expect(section).not.toMatch(/<(script|img|b)\b/i);
    expect([...section.matchAll(/<[a-z]+\s[^>]*>/g)].map((m) => m[0]).filter((tag) => /\son\w+=/i.test(tag))).toEqual([]);
    expect([...section.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!).filter((h) => !/^(https:\/\/github\.com\/|#|people\/)/.test(h))).toEqual([]);
    // One line, capped at 60 characters.
    expect(section).toMatch(/<h3 id="release-[a-z0-9_-]+-h">Release &quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt; @everyone \[x\]\(javascript:alert\(…<\/h3>/);
    expect(section).toMatch(/<h3 id="release-[a-z0-9_-]+-h">Release &lt;img\/src=x\/onerror=alert\(3\)&gt;<\/h3>/);
    // The SDK list's HTML is dropped when it is read; its quotes are text.
    expect(section).toContain('<th scope="col">TypeScript&quot;&#39; <span class="muted">Tier 1</span></th>');
    // The line whose repository is no repository is not there.
    expect(section).not.toContain("&lt;b&gt;x&lt;/b&gt;");
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith("release-")).every((id) => /^release-[a-z0-9_-]+$/.test(id))).toBe(true);
    const targets = [...html.matchAll(/\shref="#([^"]*)"/g)].map((m) => m[1]!);
    expect(targets.filter((id) => !ids.includes(id))).toEqual([]);
  });
});
