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

  // The faults a review found: each input from the real world that once filed twice, forgot, or lost people's words.
  const TITLE = "Implement SEP-1933: Streaming Widgets";
  const UMBRELLA = issue(HOME, 2001, "(implementation): SEP-1933 - Streaming Widgets");
  const settledOn = (issues: FoundIssue[]) => run({ tracking: run({ tracking: asked, read: read(issues) }).memory, read: read(issues) });

  it("the SDK page unreadable once: what is tracked is kept, nothing written", () => {
    const before = settledOn([issue(TS, 7, TITLE), issue(GO, 3, TITLE), UMBRELLA]);
    expect(before.effects).toEqual([]);
    const blind = run({ tracking: before.memory, read: read([issue(TS, 7, TITLE), issue(GO, 3, TITLE), UMBRELLA], null) });
    expect(blind.effects).toEqual([]);
    expect(blind.memory?.sdks).toEqual(before.memory?.sdks);
  });

  it("an SDK repository unreadable this time keeps its known issue (no 'no access', no rewrite)", () => {
    const before = settledOn([issue(TS, 7, TITLE), issue(GO, 3, TITLE), UMBRELLA]);
    const r = { ...read([issue(TS, 7, TITLE), UMBRELLA]), unreadable: [GO] };
    const after = run({ tracking: before.memory, read: r });
    expect(after.memory?.sdks.find((x) => x.repo === GO)).toEqual({ repo: GO, number: 3, adopted: false, state: "open", at: null });
    expect(after.effects).toEqual([]);
  });

  it("a person's closed issue that only mentions the SEP is not adopted; an open one that links it is", () => {
    const mention = issue(TS, 5, "Fix a crash", { byBot: false, state: "closed", stateReason: "completed", linksSep: true });
    const first = run({ tracking: asked, read: read([mention]) });
    expect(first.effects.filter((e) => e.kind === "create-issue").map((e) => e.kind === "create-issue" && e.repo.name)).toEqual(["ts-sdk", "go-sdk"]);
    const open = run({ tracking: asked, read: read([{ ...mention, state: "open", stateReason: null }]) });
    expect(open.effects.filter((e) => e.kind === "create-issue").map((e) => e.kind === "create-issue" && e.repo.name)).toEqual(["go-sdk"]);
  });

  it("the known issue closed as a duplicate of a person's: theirs is followed, and done when it is", () => {
    const before = settledOn([issue(TS, 7, TITLE), issue(GO, 3, TITLE), UMBRELLA]);
    const dup = [issue(TS, 7, TITLE, { state: "closed", stateReason: "duplicate" }), issue(TS, 1, "SEP-1933: streaming", { byBot: false, state: "closed", stateReason: "completed" }), issue(GO, 3, TITLE), UMBRELLA];
    const after = run({ tracking: before.memory, read: read(dup) });
    expect(after.memory?.sdks.find((x) => x.repo === TS)).toEqual({ repo: TS, number: 1, adopted: true, state: "done", at: null });
  });

  it("the umbrella retitled by a person is still the umbrella (by its number): no second one", () => {
    const before = settledOn([issue(TS, 7, TITLE), issue(GO, 3, TITLE), UMBRELLA]);
    const after = run({ tracking: before.memory, read: read([issue(TS, 7, TITLE, { state: "closed", stateReason: "completed" }), issue(GO, 3, TITLE), { ...UMBRELLA, title: "Streaming widgets: the SDKs" }]) });
    expect(after.effects.map((e) => [e.kind, e.kind === "issue-block" && e.number])).toEqual([["issue-block", 2001]]);
  });

  it("a list people edited by hand (a box ticked) is put back; one as sep-bot wrote it is left alone", () => {
    const issues = [issue(TS, 7, TITLE), issue(GO, 3, TITLE), UMBRELLA];
    const first = run({ tracking: asked, read: read(issues) });
    const block = first.effects[0]!.kind === "issue-block" ? first.effects[0]!.block : "";
    const as = (body: string) => run({ tracking: first.memory, read: read([issues[0]!, issues[1]!, { ...UMBRELLA, body }]) }).effects.map((e) => e.kind);
    expect(as(`Intro\r\n\r\n${block}\r\n`)).toEqual([]);
    expect(as(`Intro\n\n${block.replace(`- [ ] ${TS}#7`, `- [x] ${TS}#7`)}`)).toEqual(["issue-block"]);
  });

  it("sep-bot may not open the umbrella here: said once, waits its days, the SEP's other writes go on", () => {
    const issues = [issue(TS, 7, TITLE), issue(GO, 3, TITLE)];
    const refused = run({ tracking: asked, read: read(issues), noAccess: [HOME] });
    expect(refused.effects).toEqual([]);
    expect(refused.memory?.umbrellaNoAccess).toBe(NOW.toISOString());
    expect(refused.entries.map((e) => e.what)).toContain("could not file the umbrella issue here: sep-bot may not open issues in this repository");
    const next = run({ tracking: refused.memory, read: read(issues) });
    expect(next.effects).toEqual([]);
    expect(next.entries).toEqual([]);
    const again = run({ tracking: refused.memory, read: read(issues), ask: { by: "tess-type", via: "/track" } });
    expect(again.effects.map((e) => e.kind === "create-issue" && e.what)).toEqual(["the umbrella"]);
  });

  it("`/track none` after the issues were filed: the umbrella's list says none is needed, no 'done' is announced", () => {
    const before = settledOn([issue(TS, 7, TITLE), issue(GO, 3, TITLE), UMBRELLA]);
    const none = run({ tracking: before.memory, read: read([issue(TS, 7, TITLE), issue(GO, 3, TITLE), UMBRELLA]), ask: { by: "ivo-ig", via: "/track", none: "wording only", skip: [] } });
    expect(none.effects.map((e) => e.kind)).toEqual(["issue-block"]);
    const block = none.effects[0]!.kind === "issue-block" ? none.effects[0]!.block : "";
    expect(block).toContain(`- [x] ${TS}#7 (Tier 1): not needed (ivo-ig: wording only)`);
    expect(block).not.toContain("**Done**");
    expect(none.memory?.done).toBeNull();
  });

  it("an SDK gone from the page keeps its line while it has an issue, and no longer counts as required", () => {
    const before = settledOn([issue(TS, 7, TITLE), issue(GO, 3, TITLE), UMBRELLA]);
    const page = sdkPage([{ name: "TypeScript", repo: TS, tier: 1 }]);
    const after = run({ tracking: before.memory, read: read([issue(TS, 7, TITLE, { state: "closed", stateReason: "completed" }), issue(GO, 3, TITLE), UMBRELLA], page) });
    const block = after.effects.find((e) => e.kind === "issue-block");
    expect(block?.kind === "issue-block" && block.block).toContain(`- [ ] ${GO}#3\n`);
    expect(after.memory?.sdks.map((x) => [x.repo, x.state])).toEqual([[TS, "done"], [GO, "open"]]);
    expect(after.memory?.done).toBe(NOW.toISOString());
  });

  it("a type that needs no SDK work is never tracked, whatever is asked", () => {
    const informational = parseSep(sepText({ heading: "# SEP-1933: Streaming Widgets", status: "Accepted", type: "Informational", sponsor: "Tess Type (@tess-type)" }), "seps/1933-streaming-widgets.md", { rules });
    const memory: BotState = { ...EMPTY_STATE };
    const result = trackingOf({ snapshot: snapshot({ files: [], tracking: read([]) }), rules, now: NOW, sep: informational, state: "accepted", memory, sponsor: null, ask: { by: "tess-type", via: "/track", skip: [{ repo: GO, reason: "" }] }, noAccess: [] });
    expect(result).toEqual({ part: {}, needsRead: false });
  });

  it("not asked and not tracked: nothing at all; a SEP found accepted at first contact is not tracked by itself", () => {
    expect(run({ read: read([]) }).result).toEqual({ part: {}, needsRead: false });
    expect(run({ read: read([]), memory: { sep: null } }).result.needsRead).toBe(false);
  });
});
