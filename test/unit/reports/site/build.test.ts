import { describe, expect, it } from "vitest";
import { siteData, type SiteSource } from "../../../../src/reports/site/build.js";
import { renderJson } from "../../../../src/reports/site/render.js";
import type { PersonComment } from "../../../../src/governance/model/snapshot.js";
import { EMPTY_STATE, type BotState } from "../../../../src/governance/model/record.js";
import type { SweepPull, SweepRead } from "../../../../src/reports/sweep/due.js";
import { rules, sepText } from "../../../helpers/sep.js";
import { sweepPull } from "../../../helpers/sweep-pull.js";

/** The site's data from the sweep's read, the files on the default branch and the votes: every SEP once, and who each waits on. */

const NOW = new Date("2026-12-07T09:00:00Z");
const BOT = "sep-bot[bot]";
const URL_BASE = "https://github.com/o/r/pull/";

function memory(sep: Partial<NonNullable<BotState["sep"]>>): BotState {
  return {
    ...EMPTY_STATE,
    // Fresh arrays: tests push pings into them, and EMPTY_STATE's are shared (and frozen).
    log: [],
    commands: [],
    pings: [],
    sep: { state: "proposal", status: "draft", type: "standards-track", title: "Widgets", sponsor: null, referenceImplementation: true, conformance: false, checks: "success", votes: null, deadlines: [], paused: false, label: "proposal", clock: "proposal", ...sep },
  };
}

function pull(o: Partial<SweepPull> & { number: number }, state = "proposal"): SweepPull {
  return sweepPull({
    url: `${URL_BASE}${o.number}`,
    title: `SEP: PR ${o.number}`,
    labels: ["SEP", state],
    labelEvents: [{ label: state, added: true, actor: BOT, at: "2026-11-01T10:01:00Z" }],
    memory: memory({ state, label: state, clock: state }),
    checks: "success",
    ...o,
  });
}

const read = (pulls: SweepPull[]): SweepRead => ({ repo: { owner: "o", name: "r", defaultBranch: "main" }, botLogin: BOT, roles: { "core-maintainer": ["grace", "max"], maintainer: ["grace", "max", "sam"] }, pulls });

function source(pulls: SweepPull[], files: SiteSource["files"] = [], discussions: SiteSource["discussions"] = []): SiteSource {
  return { read: read(pulls), rules, files, discussions };
}

function vote(author: string, body: string, id: number): PersonComment {
  return { id, author, authorName: null, body, createdAt: "2026-12-01T10:00:00Z", editedAt: null, editor: null, url: `${URL_BASE}2003#c${id}`, reacted: false };
}

const merged = (number: number, o: Parameters<typeof sepText>[0] = {}) => ({
  path: `seps/${number}-widgets.md`,
  text: sepText({ heading: `# SEP-${number}: Merged Widgets ${number}`, pr: `${URL_BASE}${number}`, ...o }),
});

describe("the site's data", () => {
  it("an empty repository: no SEP, every state of the pipeline at zero, the core maintainers with nothing waiting", () => {
    const data = siteData(source([]), NOW);
    expect(data.seps).toEqual([]);
    expect(data.pipeline.map((r) => [r.status, r.count])).toEqual(rules.statuses.map((s) => [s.id, 0]));
    expect(data.agenda).toEqual([]);
    expect(data.deadlines).toEqual([]);
    expect(data.waitingOn).toEqual({
      anyMaintainer: [],
      people: [
        { login: "grace", name: null, roles: ["core-maintainer", "maintainer"], next: [], authored: [], sponsoring: [] },
        { login: "max", name: null, roles: ["core-maintainer", "maintainer"], next: [], authored: [], sponsoring: [] },
      ],
    });
    expect(data).toMatchObject({ schema: expect.stringMatching(/seps-v2\.schema\.json$/), version: 2, generatedAt: NOW.toISOString() });
  });

  it("a SEP both merged and in an open pull request appears once, as the pull request says, with the file's authors and link", () => {
    const live = pull({ number: 2100, labels: ["SEP", "in-review"], memory: memory({ state: "in-review", sponsor: "grace", title: "Merged Widgets 2100", label: "in-review" }) }, "in-review");
    const data = siteData(source([live], [merged(2100, { status: "Draft", authors: "Ada Lovelace (@ada)" })]), NOW);
    expect(data.seps).toHaveLength(1);
    expect(data.seps[0]).toMatchObject({
      number: 2100,
      status: "in-review",
      authors: [{ name: "Ada Lovelace", login: "ada" }],
      sponsors: [{ name: null, login: "grace" }],
      created: "2026-01-15",
      pullRequest: { number: 2100, url: `${URL_BASE}2100`, open: true },
      file: { path: "seps/2100-widgets.md", url: "https://github.com/o/r/blob/main/seps/2100-widgets.md", onDefaultBranch: true },
    });
    expect(data.pipeline.find((r) => r.status === "in-review")).toMatchObject({ count: 1, open: 1, merged: 0 });
  });

  it("a pull request that changes a merged SEP is that SEP's live state (found by title); a title two files share matches neither", () => {
    const toFinal = pull({ number: 2400, memory: memory({ state: "final", title: "Merged Widgets 2100", sponsor: "grace", label: "final" }), labels: ["SEP", "final"] }, "final");
    const one = siteData(source([toFinal], [merged(2100, { status: "Accepted" })]), NOW);
    expect(one.seps.map((s) => [s.number, s.status, s.pullRequest?.number])).toEqual([[2100, "final", 2400]]);

    const twin = { path: "seps/2101-widgets-again.md", text: sepText({ heading: "# SEP-2101: Merged Widgets 2100", pr: `${URL_BASE}2101` }) };
    const both = siteData(source([toFinal], [merged(2100, { status: "Accepted" }), twin]), NOW);
    expect(both.seps.map((s) => [s.number, s.status, s.pullRequest?.number])).toEqual([
      [2100, "accepted", 2100],
      [2101, "draft", 2101],
      [2400, "final", 2400],
    ]);
  });

  it("leaves out closed pull requests and pull requests that are no SEP; merged files without a pull request keep their own status", () => {
    const closed = pull({ number: 2001, open: false, closedAt: "2026-12-05T10:00:00Z" });
    const docs = pull({ number: 2002, labels: [], touchesSep: false, memory: null });
    const data = siteData(source([closed, docs], [merged(1999, { status: "Final" }), { path: "seps/2000-binary.md", text: null }]), NOW);
    expect(data.seps.map((s) => [s.number, s.status, s.next, s.statusSince])).toEqual([[1999, "final", null, null]]);
    expect(data.seps[0]!.pullRequest).toEqual({ number: 1999, url: `${URL_BASE}1999`, open: false });
  });

  it("in review: who voted what and who has not, from the comments; the next step names those who have not", () => {
    const inReview = pull({ number: 2003, author: "ada", memory: memory({ state: "in-review", sponsor: "grace", label: "in-review", votes: { yes: 1, no: 0, abstain: 0 } }), labels: ["SEP", "in-review"] }, "in-review");
    const data = siteData(source([inReview], [], [{ number: 2003, comments: [vote("grace", "/vote yes", 1), vote("sam", "/vote yes", 2), vote("ada", "/vote no", 3)] }]), NOW);
    const sep = data.seps[0]!;
    // sam and ada hold no voting role: their lines are not votes.
    expect(sep.votes).toEqual({ yes: 1, no: 0, abstain: 0, cast: [{ login: "grace", vote: "yes" }], notVoted: ["max"] });
    expect(sep.next).toMatchObject({ whose: "core-maintainers", logins: ["max"] });
    expect(data.agenda).toEqual([2003]);
    expect(data.waitingOn.people.find((p) => p.login === "max")!.next.map((i) => i.sep)).toEqual([2003]);
    expect(data.waitingOn.people.find((p) => p.login === "grace")!.next).toEqual([]);

    // Without its comments: the counts the bot remembers, and nobody named.
    const remembered = siteData(source([inReview]), NOW).seps[0]!;
    expect(remembered.votes).toEqual({ yes: 1, no: 0, abstain: 0, cast: null, notVoted: null });
    expect(remembered.next).toMatchObject({ whose: "core-maintainers", logins: [] });
  });

  it("whose move it is, in each state, and since when", () => {
    const sponsored = (number: number, state: string, sep: Partial<NonNullable<BotState["sep"]>> = {}, o: Partial<SweepPull> = {}) =>
      pull({ number, labels: ["SEP", state], memory: memory({ state, sponsor: "grace", label: state, ...sep }), ...o }, state);
    const data = siteData(
      source([
        pull({ number: 1 }),
        sponsored(2, "draft"),
        sponsored(3, "accepted", { referenceImplementation: false }),
        sponsored(4, "accepted", { type: "process", referenceImplementation: true }),
        sponsored(5, "draft", {}, { checks: "failure", activity: [{ at: "2026-12-02T10:00:00Z", actor: "pieter" }] }),
        sponsored(6, "withdrawn"),
      ]),
      NOW,
    );
    const next = Object.fromEntries(data.seps.map((s) => [s.number, s.next && [s.next.whose, s.next.logins, s.next.since]]));
    expect(next).toEqual({
      1: ["maintainers", [], "2026-11-01T10:00:00Z"],
      2: ["sponsor", ["grace"], "2026-11-01T10:00:00Z"],
      3: ["author", ["pieter"], "2026-11-01T10:00:00Z"],
      4: ["sponsor", ["grace"], "2026-11-01T10:00:00Z"],
      5: ["author", ["pieter"], "2026-12-02T10:00:00.000Z"],
      6: null,
    });
    expect(data.waitingOn.anyMaintainer.map((i) => i.sep)).toEqual([1]);
    expect(data.waitingOn.people.find((p) => p.login === "grace")).toMatchObject({ roles: ["core-maintainer", "maintainer", "sponsor"], next: [{ sep: 2 }, { sep: 4 }], sponsoring: [2, 3, 4, 5, 6] });
  });

  it("deadlines: every upcoming one per SEP, the next 30 days on the dashboard, none while paused; the bot's own activity is no one's", () => {
    const old = pull({ number: 1990, createdAt: "2026-06-25T10:00:00Z", activity: [{ at: "2026-12-06T10:00:00Z", actor: "sep-bot" }, { at: "2026-11-02T10:00:00Z", actor: "pieter" }], labelEvents: [] });
    old.memory!.pings.push({ clock: "awaiting-sponsor", step: 1, to: ["pieter"], at: "2026-09-23T10:00:00Z" });
    const young = pull({ number: 1992 });
    young.memory!.pings.push({ clock: "awaiting-sponsor", step: 0, to: ["pieter"], at: "2026-11-15T10:00:00Z" });
    const paused = pull({ number: 1991, labels: ["SEP", "proposal", "sep-timer-paused"] });
    const data = siteData(source([old, young, paused]), NOW);
    const sep = data.seps.find((s) => s.number === 1990)!;
    expect(sep.deadlines.map((d) => [d.date, d.kind, d.to])).toEqual([
      ["2026-12-08", "warning", ["pieter"]],
      ["2026-12-22", "dormancy", ["pieter"]],
    ]);
    expect(sep.lastActivity).toBe("2026-11-02T10:00:00.000Z");
    expect(data.seps.find((s) => s.number === 1992)!.deadlines.map((d) => [d.date, d.kind])).toEqual([
      ["2027-01-30", "reminder"],
      ["2027-04-16", "warning"],
      ["2027-04-30", "dormancy"],
    ]);
    expect(data.deadlines.map((d) => [d.sep, d.date, d.kind])).toEqual([
      [1990, "2026-12-08", "warning"],
      [1990, "2026-12-22", "dormancy"],
    ]);
    expect(data.seps.find((s) => s.number === 1991)).toMatchObject({ paused: true, deadlines: [] });
  });

  it("the same read and time give the same document, whatever the order of the pulls and files", () => {
    const pulls = [pull({ number: 2 }), pull({ number: 1, author: "Ada" }), pull({ number: 3, labels: ["SEP", "draft"], memory: memory({ state: "draft", sponsor: "max", label: "draft" }) }, "draft")];
    const files = [merged(900, { status: "Final" }), merged(901, { status: "Withdrawn" })];
    const first = renderJson(siteData(source(pulls, files), NOW));
    expect(renderJson(siteData(source(structuredClone(pulls).reverse(), [...files].reverse()), new Date(NOW)))).toBe(first);
  });
});
