import { describe, expect, it } from "vitest";
import { digestInput } from "../../../../src/reports/digest/build.js";
import { renderDigest } from "../../../../src/reports/digest/render.js";
import { EMPTY_STATE, type BotState } from "../../../../src/governance/model/record.js";
import type { SweepPull, SweepRead } from "../../../../src/reports/sweep/due.js";
import { rules } from "../../../helpers/sep.js";
import { sweepPull } from "../../../helpers/sweep-pull.js";

/** The digest's input from the sweep's read: labels say the approved state, the memory what the file says. */

const NOW = new Date("2026-12-07T09:00:00Z");
const BOT = "sep-bot[bot]";

function memory(sep: Partial<NonNullable<BotState["sep"]>>, log: BotState["log"] = []): BotState {
  return {
    ...EMPTY_STATE,
    log,
    sep: { state: "proposal", status: "Draft", type: "standards-track", title: "Widgets", sponsor: null, referenceImplementation: false, conformance: false, checks: "success", votes: null, deadlines: [], paused: false, label: "proposal", clock: "proposal", ...sep },
  };
}

function pull(o: Partial<SweepPull>): SweepPull {
  return sweepPull({
    number: 2000,
    url: "https://github.com/o/r/pull/2000",
    title: "SEP: PR title",
    labelEvents: [
      { label: "SEP", added: true, actor: BOT, at: "2026-11-01T10:01:00Z" },
      { label: "proposal", added: true, actor: BOT, at: "2026-11-01T10:01:00Z" },
    ],
    memory: memory({}),
    checks: "success",
    ...o,
  });
}

const read = (pulls: SweepPull[]): SweepRead => ({ repo: { owner: "o", name: "r", defaultBranch: "main" }, botLogin: BOT, roles: { "core-maintainer": ["grace"], maintainer: ["grace", "max"] }, pulls });

describe("the digest's input", () => {
  it("awaiting a sponsor: counted from the PR's creation, with the date it becomes dormant", () => {
    const [sep] = digestInput(read([pull({})]), rules, NOW).seps;
    expect(sep).toMatchObject({ state: "proposal", stateLabel: "proposal", stateSince: "2026-11-01T10:00:00Z", dormantOn: "2027-04-30", paused: false, title: "Widgets" });
  });

  it("a state set by a command: the label is the bot's, the change is the commenter's (from the audit log)", () => {
    const inReview = pull({
      number: 2001,
      labels: ["SEP", "in-review"],
      labelEvents: [
        { label: "proposal", added: true, actor: BOT, at: "2026-11-01T10:01:00Z" },
        { label: "draft", added: true, actor: "grace", at: "2026-11-10T10:00:00Z" },
        { label: "proposal", added: false, actor: BOT, at: "2026-11-10T10:00:30Z" },
        { label: "in-review", added: true, actor: BOT, at: "2026-12-01T12:00:20Z" },
      ],
      memory: memory({ state: "in-review", sponsor: "grace", label: "in-review", clock: "in-review", votes: { yes: 2, no: 0, abstain: 1 } }, [{ at: "2026-12-01T12:00:05Z", by: "grace", what: "/review: status In-Review" }]),
    });
    const [sep] = digestInput(read([inReview]), rules, NOW).seps;
    expect(sep!.transitions).toEqual([
      { to: "proposal", at: "2026-11-01T10:01:00Z", by: BOT },
      { to: "draft", at: "2026-11-10T10:00:00Z", by: "grace" },
      { to: "in-review", at: "2026-12-01T12:00:20Z", by: "grace" },
    ]);
    expect(sep).toMatchObject({ state: "in-review", stateSince: "2026-12-01T12:00:20.000Z", sponsor: "grace", votes: { yes: 2, no: 0, abstain: 1 }, dormantOn: null });
  });

  it("labels and file disagree: the state is the labels', the file's is kept beside it for the problems list", () => {
    const [sep] = digestInput(read([pull({ memory: memory({ state: "accepted", label: "proposal" }) })]), rules, NOW).seps;
    expect(sep).toMatchObject({ state: "proposal", fileState: "accepted" });
    expect(renderDigest(digestInput(read([pull({ memory: memory({ state: "accepted", label: "proposal" }) })]), rules, NOW))).toContain("file says Accepted, labels say Proposal");
  });

  it("paused: no dormancy date; pull requests that are no SEP are left out", () => {
    const paused = pull({ labels: ["SEP", "proposal", "sep-timer-paused"], labelEvents: [...pull({}).labelEvents, { label: "sep-timer-paused", added: true, actor: "grace", at: "2026-11-20T10:00:00Z" }] });
    const docs = pull({ number: 2999, labels: [], touchesSep: false, memory: null });
    const input = digestInput(read([paused, docs]), rules, NOW);
    expect(input.seps.map((s) => [s.number, s.paused, s.dormantOn])).toEqual([[2000, true, null]]);
  });

  it("implementation across the SDKs: each release's dates and, per SDK, how many SEPs it owes; none without SDK tracking", () => {
    const TS = "modelcontextprotocol/typescript-sdk";
    const GO = "modelcontextprotocol/go-sdk";
    const sdkPage = `| SDK | Repository | Tier |\n| -- | -- | -- |\n| TypeScript | [${TS}](https://github.com/${TS}) | Tier 1 |\n| Go | [${GO}](https://github.com/${GO}) | Tier 1 |\n`;
    const umbrella = (number: number, sep: number, release: string | null, ts: "open" | "done", go: "open" | "no-access") => ({
      number, url: `https://github.com/o/r/issues/${number}`, open: true, sep, release, done: false,
      sdks: [{ repo: TS, number: 1, tier: 1, state: ts }, { repo: GO, number: null, tier: 1, state: go }],
    });
    const r: SweepRead = { ...read([]), sdks: { file: sdkPage, maintainersFile: null, umbrellas: [umbrella(1, 2100, "2026-07-28", "done", "no-access"), umbrella(2, 2101, "2026-07-28", "open", "no-access"), umbrella(3, 2102, null, "done", "open")] } };
    expect(digestInput(r, rules, NOW).releases).toEqual([
      { version: "2026-07-28", candidate: "2026-07-14", release: "2026-07-28", deadlines: [{ tier: 1, date: "2026-07-28" }, { tier: 2, date: "2027-01-26" }], seps: 2, owed: [{ name: "TypeScript", tier: 1, seps: 1 }, { name: "Go", tier: 1, seps: 2 }] },
      { version: null, candidate: null, release: null, deadlines: [], seps: 1, owed: [{ name: "Go", tier: 1, seps: 1 }] },
    ]);
    expect(renderDigest(digestInput(r, rules, NOW))).toContain("| 2026-07-28 | 2 | 2026-07-14 | 2026-07-28 | Tier 1: 2026-07-28 ⚠️, Tier 2: 2027-01-26 | TypeScript: 1, Go: 2 |");
    expect(digestInput(r, { ...rules, sdks: null }, NOW).releases).toBeNull();
    expect(digestInput(read([]), rules, NOW).releases).toBeNull(); // not read
  });

  it("the same read and time give the same bytes", () => {
    const r = read([pull({}), pull({ number: 2002, createdAt: "2026-06-01T10:00:00Z" })]);
    expect(renderDigest(digestInput(r, rules, NOW))).toBe(renderDigest(digestInput(structuredClone(r), rules, new Date(NOW))));
  });
});
