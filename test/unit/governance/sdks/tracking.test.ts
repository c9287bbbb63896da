import { describe, expect, it } from "vitest";
import { EMPTY_STATE, type BotState, type Tracking } from "../../../../src/governance/model/record.js";
import type { FoundIssue, TrackingRead } from "../../../../src/governance/model/snapshot.js";
import { trackingOf, type TrackAsk } from "../../../../src/governance/sdks/tracking.js";
import { parseSep } from "../../../../src/sep/parse.js";
import { sdkPage } from "../../../helpers/sdks.js";
import { NOW, rules, sepText } from "../../../helpers/sep.js";
import { snapshot } from "../../../helpers/snapshot.js";

/** The SDK tracking room as the plan runs it: what it files, adopts and rewrites, from a read, with no GitHub. */

const TS = "o/ts-sdk";
const GO = "o/go-sdk";
const PAGE = sdkPage([
  { name: "TypeScript", repo: TS, tier: 1 },
  { name: "Go", repo: GO, tier: 1 },
  { name: "Java", repo: "o/java-sdk", tier: 2 },
]);
const SEP = parseSep(sepText({ heading: "# SEP-1933: Streaming Widgets", status: "Accepted", sponsor: "Tess Type (@tess-type)" }), "seps/1933-streaming-widgets.md", { rules });
const HOME = "modelcontextprotocol/modelcontextprotocol";
const issue = (repo: string, number: number, title: string, o: Partial<FoundIssue> = {}): FoundIssue => ({ repo, number, title, url: `https://github.com/${repo}/issues/${number}`, state: "open", stateReason: null, byBot: true, ...o });
const read = (issues: FoundIssue[], file: string | null = PAGE): TrackingRead => ({ sdkFile: file, milestone: { title: "2026-07-28", dueOn: null }, issues, sdksRead: true, unreadable: [] });
const asked: Tracking = { requested: { by: "tess-type", at: NOW.toISOString(), via: "/track" }, none: null, skip: [], umbrella: null, sdks: [], release: null, done: null, umbrellaBlock: null };

function run(o: { read?: TrackingRead; tracking?: Tracking | null; ask?: TrackAsk | null; memory?: Partial<BotState>; noAccess?: string[] }) {
  const memory: BotState = { ...EMPTY_STATE, ...o.memory, ...(o.tracking ? { tracking: o.tracking } : {}) };
  const result = trackingOf({ snapshot: snapshot({ files: [], ...(o.read ? { tracking: o.read } : {}) }), rules, now: NOW, sep: SEP, state: "accepted", memory, sponsor: "tess-type", ask: o.ask ?? null, noAccess: o.noAccess ?? [] });
  const effects = Object.values(result.part.effects ?? {}).flat();
  return { result, effects, memory: result.part.memory?.(memory).tracking ?? null, entries: result.part.entries ?? [] };
}

describe("the SDK tracking room", () => {
  it("asked, nothing read yet: it asks the reconcile to read the SDK repositories first", () => {
    const { result, effects } = run({ ask: { by: "tess-type", via: "/track" } });
    expect(result.needsRead).toBe(true);
    expect(effects).toEqual([]);
  });

  it("first read: files the selected SDKs' issues (Tier 1, with the release's label), not yet the umbrella", () => {
    const { effects } = run({ tracking: asked, read: read([]) });
    expect(effects.map((e) => e.kind === "create-issue" && [e.repo.name, e.title, e.labels])).toEqual([
      ["ts-sdk", "Implement SEP-1933: Streaming Widgets", ["2026-07-28"]],
      ["go-sdk", "Implement SEP-1933: Streaming Widgets", ["2026-07-28"]],
    ]);
  });

  it("every SDK issue there (one of them a person's, adopted): the umbrella is filed with the whole list", () => {
    const { effects, memory } = run({ tracking: asked, read: read([issue(TS, 7, "Implement SEP-1933: Streaming Widgets"), issue(GO, 3, "SEP 1933 streaming", { byBot: false })]) });
    expect(effects).toHaveLength(1);
    const umbrella = effects[0]!;
    expect(umbrella).toMatchObject({ kind: "create-issue", repo: { name: "modelcontextprotocol" }, title: "(implementation): SEP-1933 - Streaming Widgets", labels: ["implementation-needed", "tracking"] });
    expect(umbrella.kind === "create-issue" && umbrella.body).toContain(`- [ ] ${TS}#7 (Tier 1)\n- [ ] ${GO}#3 (Tier 1)`);
    expect(memory?.sdks).toEqual([
      { repo: TS, number: 7, adopted: false, state: "open", at: null },
      { repo: GO, number: 3, adopted: true, state: "open", at: null },
    ]);
  });

  it("the umbrella there and its list as recorded: nothing to write; an SDK issue closed: only the list is rewritten", () => {
    const issues = [issue(TS, 7, "Implement SEP-1933: Streaming Widgets"), issue(GO, 3, "Implement SEP-1933: Streaming Widgets"), issue(HOME, 2001, "(implementation): SEP-1933 - Streaming Widgets")];
    const first = run({ tracking: asked, read: read(issues) });
    expect(first.effects.map((e) => e.kind)).toEqual(["issue-block"]); // the list as it should be, once
    const settled = run({ tracking: first.memory, read: read(issues) });
    expect(settled.effects).toEqual([]);
    const closed = run({ tracking: first.memory, read: read([{ ...issues[0]!, state: "closed", stateReason: "completed" }, issues[1]!, issues[2]!]) });
    expect(closed.effects).toHaveLength(1);
    expect(closed.effects[0]).toMatchObject({ kind: "issue-block", number: 2001 });
    expect(closed.effects[0]!.kind === "issue-block" && closed.effects[0]!.block).toContain(`- [x] ${TS}#7 (Tier 1)`);
  });

  it("no access: recorded, not tried again before its days are up; a skipped SDK is filed nothing", () => {
    const noAccess = run({ tracking: { ...asked, skip: [{ repo: GO, by: "tess-type", at: NOW.toISOString(), reason: "has it" }] }, read: read([issue(HOME, 2001, "(implementation): SEP-1933 - x")]), noAccess: [TS] });
    expect(noAccess.memory?.sdks.map((s) => [s.repo, s.state])).toEqual([[TS, "no-access"], [GO, "not-needed"]]);
    expect(noAccess.effects.filter((e) => e.kind === "create-issue")).toEqual([]);
    const later = run({ tracking: noAccess.memory, read: read([issue(HOME, 2001, "(implementation): SEP-1933 - x")]) });
    expect(later.effects.filter((e) => e.kind === "create-issue")).toEqual([]);
  });

  it("no SDK selected (the SDK page unreadable): nothing filed, no empty umbrella, said once", () => {
    const { effects, entries } = run({ tracking: asked, read: read([], null), ask: { by: "tess-type", via: "/track" } });
    expect(effects).toEqual([]);
    expect(entries.map((e) => e.what)).toContain("no SDK to track: the rules' SDK list (sdks.file, sdks.list) names none of the tiers that get issues");
  });

  it("not asked and not tracked: nothing at all; a SEP found accepted at first contact is not tracked by itself", () => {
    expect(run({ read: read([]) }).result).toEqual({ part: {}, needsRead: false });
    expect(run({ read: read([]), memory: { sep: null } }).result.needsRead).toBe(false);
  });
});
