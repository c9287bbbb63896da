import { describe, expect, it } from "vitest";
import { clocks, pingMessage, type ClockInput } from "../../../../src/governance/clocks/deadlines.js";
import type { LabelEvent } from "../../../../src/governance/model/snapshot.js";
import { loadRules } from "../../../../src/rules/load.js";
import { rules } from "../../../helpers/sep.js";

/** Every clock, by time travel: the same GitHub state, `now` moved on. */

const T0 = Date.parse("2026-01-01T12:00:00Z");
const day = (n: number) => new Date(T0 + n * 86_400_000);
const at = (n: number) => day(n).toISOString();
const BOT = "sep-bot[bot]";

const labelled = (label: string, n: number, actor = "sep-bot", added = true): LabelEvent => ({ label, added, actor, at: at(n) });

function input(o: Partial<ClockInput> = {}): ClockInput {
  return {
    state: "proposal",
    createdAt: at(0),
    labels: ["SEP", "proposal"],
    labelEvents: [labelled("SEP", 0), labelled("proposal", 0)],
    activity: [{ at: at(0), actor: "pieter" }],
    pings: [],
    author: "pieter",
    sponsor: null,
    assignees: [],
    botLogin: BOT,
    type: "standards-track",
    ...o,
  };
}

const due = (i: ClockInput, n: number) => clocks(i, rules, day(n)).due.map((d) => `${d.clock}#${d.step}->${d.to.join(",")}${d.rule.action ? `:${d.rule.action}` : ""}`);
const sentAt = (clock: string, step: number, n: number, to = ["pieter"]) => ({ clock, step, to, at: at(n) });

describe("awaiting a sponsor", () => {
  it("nudge at 14, reminder at 90, warning at 166, dormant at 180: each once, to the author", () => {
    const i = input();
    expect(due(i, 13)).toEqual([]);
    expect(due(i, 14)).toEqual(["awaiting-sponsor#0->pieter"]);
    const nudged = input({ pings: [sentAt("awaiting-sponsor", 0, 14)] });
    expect(due(nudged, 15)).toEqual([]);
    expect(due(nudged, 89)).toEqual([]);
    expect(due(nudged, 90)).toEqual(["awaiting-sponsor#1->pieter"]);
    const reminded = input({ pings: [sentAt("awaiting-sponsor", 0, 14), sentAt("awaiting-sponsor", 1, 90)] });
    expect(due(reminded, 166)).toEqual(["awaiting-sponsor#2->pieter"]);
    const warned = input({ pings: [...reminded.pings, sentAt("awaiting-sponsor", 2, 166)] });
    expect(due(warned, 179)).toEqual([]);
    expect(due(warned, 180)).toEqual(["awaiting-sponsor#3->pieter:dormant"]);
  });

  it("the status comment's deadlines: every step to come, as dates", () => {
    const report = clocks(input({ pings: [sentAt("awaiting-sponsor", 0, 14)] }), rules, day(20));
    expect(report.deadlines.map((d) => `${d.date} ${d.what}`)).toEqual([
      "2026-04-01 a reminder to the author",
      "2026-06-16 a last warning to the author",
      "2026-06-30 becomes dormant unless a sponsor is found",
    ]);
  });

  it("a PR the bot labels late (installed after it was opened) keeps its age: the first state label is where it started", () => {
    const late = input({ labelEvents: [labelled("SEP", 100), labelled("proposal", 100)] });
    expect(due(late, 101)).toEqual(["awaiting-sponsor#1->pieter"]);
    expect(clocks(late, rules, day(101)).deadlines.at(-1)?.date).toBe("2026-06-30");
  });

  it("/unsponsor or /revive restart it: the clock counts from entering the awaiting state again", () => {
    const events = [labelled("proposal", 0), labelled("draft", 30, "tess"), labelled("proposal", 100), labelled("proposal", 120, "sep-bot")];
    const i = input({ labelEvents: events, pings: [sentAt("awaiting-sponsor", 0, 14)] });
    expect(due(i, 113)).toEqual([]); // 13 days since /unsponsor; the nudge before it belongs to the old run
    expect(due(i, 114)).toEqual(["awaiting-sponsor#0->pieter"]); // re-adding the same label (day 120) is no restart
    expect(clocks(i, rules, day(114)).deadlines.at(-1)!.date).toBe(day(280).toISOString().slice(0, 10));
  });

  it("a rules change moves the deadline: the next event or sweep shows the new date", () => {
    const shorter = loadRules([{ text: "clocks:\n  pauseLabel: sep-timer-paused\n  cooldownDays: 14\n  list:\n    - id: awaiting-sponsor\n      states: [proposal]\n      from: state\n      steps:\n        - { day: 106, notify: [author], deadline: warning, message: soon }\n        - { day: 120, notify: [author], action: dormant, deadline: dormant, message: gone }\n", file: "x.yml" }]);
    expect(clocks(input(), shorter, day(10)).deadlines.map((d) => d.date)).toEqual(["2026-04-17", "2026-05-01"]);
    expect(clocks(input(), rules, day(10)).deadlines.at(-1)!.date).toBe("2026-06-30");
  });
});

describe("the pause label", () => {
  const pausedFrom = (from: number, to?: number) => {
    const events = [labelled("proposal", 0), labelled("sep-timer-paused", from, "grace")];
    if (to !== undefined) events.push(labelled("sep-timer-paused", to, "grace", false));
    return input({ labelEvents: events, labels: to === undefined ? ["SEP", "proposal", "sep-timer-paused"] : ["SEP", "proposal"] });
  };

  it("stops every clock: nothing due while it is on, however long", () => {
    expect(due(pausedFrom(10), 400)).toEqual([]);
    expect(clocks(pausedFrom(10), rules, day(400)).paused).toBe(true);
  });

  it("paused days do not count, and removing it resumes without a backlog: one step, the latest", () => {
    const resumed = pausedFrom(10, 300); // paused 290 days: 10 days on the clock at day 300
    expect(due(resumed, 303)).toEqual([]);
    expect(due(resumed, 304)).toEqual(["awaiting-sponsor#0->pieter"]);
    // Paused just after the nudge was due but before it went out; 100 days on the clock at resumption: only the reminder.
    const late = input({ labelEvents: [labelled("proposal", 0), labelled("sep-timer-paused", 15, "grace"), labelled("sep-timer-paused", 200, "grace", false)] });
    expect(due(late, 285)).toEqual(["awaiting-sponsor#1->pieter"]);
  });

  it("deadlines shown while paused move on with the pause", () => {
    const report = clocks(pausedFrom(10), rules, day(50));
    expect(report.deadlines[0]!.date).toBe(day(54).toISOString().slice(0, 10)); // 4 days left on the clock, counted from now
  });
});

describe("activity clocks: only people count", () => {
  const draft = (activity: ClockInput["activity"], o: Partial<ClockInput> = {}) =>
    input({ state: "draft", labels: ["SEP", "draft"], labelEvents: [labelled("proposal", 0), labelled("draft", 5, "tess")], sponsor: "tess", activity, ...o });

  it("a draft with no human activity for 90 days: the sponsor is asked for an update", () => {
    const quiet = draft([{ at: at(10), actor: "pieter" }]);
    expect(due(quiet, 99)).toEqual([]);
    expect(due(quiet, 100)).toEqual(["draft-idle#0->tess"]);
  });

  it("the bot's own comments, labels and commits never reset it; a person's comment does", () => {
    const botBusy = draft([{ at: at(10), actor: "pieter" }, { at: at(60), actor: "sep-bot" }, { at: at(80), actor: BOT }, { at: at(90), actor: "renovate[bot]" }]);
    expect(due(botBusy, 100)).toEqual(["draft-idle#0->tess"]);
    const human = draft([{ at: at(10), actor: "pieter" }, { at: at(60), actor: "mallory" }]);
    expect(due(human, 100)).toEqual([]);
    expect(due(human, 150)).toEqual(["draft-idle#0->tess"]);
  });

  it("the assigned maintainer idle 14 days while someone waits on them is pinged; their answer stops it", () => {
    const waiting = draft([{ at: at(10), actor: "tess" }, { at: at(20), actor: "pieter" }], { assignees: ["tess"] });
    expect(due(waiting, 33)).toEqual([]);
    expect(due(waiting, 34)).toEqual(["assignee-idle#0->tess"]);
    const answered = draft([{ at: at(10), actor: "tess" }, { at: at(20), actor: "pieter" }, { at: at(25), actor: "tess" }], { assignees: ["tess"] });
    expect(due(answered, 60)).toEqual([]);
  });

  it("accepted, idle 30 days: author and sponsor, reminded of the reference implementation and (Standards Track) the conformance scenario", () => {
    const accepted = input({ state: "accepted", labels: ["SEP", "accepted"], sponsor: "tess", labelEvents: [labelled("accepted", 40, "lea")], activity: [{ at: at(40), actor: "lea" }] });
    expect(due(accepted, 70)).toEqual(["accepted-idle#0->pieter,tess"]);
    const [step] = clocks(accepted, rules, day(70)).due;
    expect(pingMessage(step!, accepted, rules, day(70))).toBe(
      "@pieter @tess, this SEP was accepted and nothing has happened for 30 days. It becomes Final once the reference implementation is complete and, as a Standards Track SEP, its conformance scenario is merged (the Road to Final in the status comment lists what is left); then the sponsor comments `/final`.",
    );
  });
});

describe("in review", () => {
  it("longer than 28 days, counted from entering review (activity does not reset it): the sponsor is reminded", () => {
    const review = input({ state: "in-review", labels: ["SEP", "in-review"], sponsor: "tess", labelEvents: [labelled("draft", 1), labelled("in-review", 10, "tess")], activity: [{ at: at(37), actor: "lea" }] });
    expect(due(review, 37)).toEqual([]);
    expect(due(review, 38)).toEqual(["in-review#0->tess"]);
  });
});

describe("cooldown", () => {
  it("nobody is told about the same SEP twice within 14 days, whichever clock; an action (dormancy) is not held back", () => {
    const busy = input({ state: "draft", labels: ["SEP", "draft"], sponsor: "tess", assignees: ["tess"], labelEvents: [labelled("draft", 1)], activity: [{ at: at(2), actor: "tess" }, { at: at(5), actor: "pieter" }], pings: [sentAt("in-review", 0, 100, ["tess"])] });
    expect(due(busy, 105)).toEqual([]); // draft-idle and assignee-idle are due, but tess heard from the bot 5 days ago
    // Both due again: one message to tess now, the other once the cooldown has passed.
    expect(due(busy, 114)).toEqual(["draft-idle#0->tess"]);
    const afterOne = { ...busy, pings: [...busy.pings, sentAt("draft-idle", 0, 114, ["tess"])] };
    expect(due(afterOne, 127)).toEqual([]);
    expect(due(afterOne, 128)).toEqual(["assignee-idle#0->tess"]);
    // Counted in calendar days: told by a comment stamped minutes after the noon sweep of day 100,
    // tess is told again by the noon sweep of day 114, not a week later.
    const stamped = { ...busy, pings: [{ ...sentAt("in-review", 0, 100, ["tess"]), at: new Date(day(100).getTime() + 3 * 60_000).toISOString() }] };
    expect(due(stamped, 114)).toEqual(["draft-idle#0->tess"]);
    // Warned at 166, and told something else two days ago: the dormancy is not held back by the cooldown.
    const dormancy = input({ pings: [sentAt("awaiting-sponsor", 2, 166), sentAt("accepted-idle", 0, 178)] });
    expect(due(dormancy, 180)).toEqual(["awaiting-sponsor#3->:dormant"]);
  });
});

describe("nothing irreversible without a dated warning", () => {
  const act = (i: ClockInput, n: number) => clocks(i, rules, day(n));

  it("a SEP met past its deadline (install day, an outage) gets the warning now and a new date, never the act", () => {
    const report = act(input(), 200);
    expect(report.due.map((d) => [d.step, d.actOn])).toEqual([[2, "2026-08-03"]]); // day 214
    expect(report.deadlines.map((d) => `${d.date} ${d.clock}:${d.step}`)).toEqual(["2026-08-03 awaiting-sponsor:3"]);
    const text = pingMessage(report.due[0]!, input(), rules, day(200));
    expect(text).toContain("becomes dormant on 2026-08-03, in 14 days");
  });

  it("warned: nothing until warnBeforeActDays have passed, then the act, once", () => {
    const warned = input({ pings: [sentAt("awaiting-sponsor", 2, 200)] });
    expect(due(warned, 201)).toEqual([]);
    expect(due(warned, 213)).toEqual([]);
    expect(act(warned, 213).deadlines.map((d) => d.date)).toEqual(["2026-08-03"]);
    expect(due(warned, 214)).toEqual(["awaiting-sponsor#3->pieter:dormant"]);
    expect(due({ ...warned, pings: [...warned.pings, sentAt("awaiting-sponsor", 3, 214)] }, 230)).toEqual([]);
  });

  it("on time: the warning on day 166, the act on day 180, as the rules say", () => {
    expect(due(input({ pings: [sentAt("awaiting-sponsor", 1, 90)] }), 166)).toEqual(["awaiting-sponsor#2->pieter"]);
    expect(due(input({ pings: [sentAt("awaiting-sponsor", 2, 166)] }), 180)).toEqual(["awaiting-sponsor#3->pieter:dormant"]);
  });

  it("a warning before a pause no longer counts: resumed past the deadline, the author is warned again", () => {
    // Warned at 166, paused from 170 to 270: at 285 the clock says 185 days.
    const events = [labelled("proposal", 0), labelled("sep-timer-paused", 170, "grace"), labelled("sep-timer-paused", 270, "grace", false)];
    const resumed = input({ labelEvents: events, pings: [sentAt("awaiting-sponsor", 2, 166)] });
    expect(due(resumed, 285)).toEqual(["awaiting-sponsor#2->pieter"]);
    expect(due({ ...resumed, pings: [...resumed.pings, sentAt("awaiting-sponsor", 2, 285)] }, 299)).toEqual(["awaiting-sponsor#3->pieter:dormant"]);
  });

  it("the rules refuse a clock that acts without a step before it to warn", () => {
    expect(() => loadRules([{ text: "clocks:\n  pauseLabel: p\n  cooldownDays: 14\n  list:\n    - id: c\n      states: [proposal]\n      from: state\n      steps:\n        - { day: 120, action: dormant, deadline: d, message: m }\n", file: "x.yml" }])).toThrow(/needs a step before it that warns/);
  });
});

describe("the act on the date the warning promised", () => {
  const minutes = (n: number, m: number) => new Date(day(n).getTime() + m * 60_000).toISOString();

  it("a warning's comment stamped minutes after the run (its memory copy at the run's time): the sweep exactly 14 days later acts", () => {
    // The weekly sweep at noon on day 170 sent the warning; its comment is stamped 3 minutes later.
    const both = input({ pings: [sentAt("awaiting-sponsor", 1, 90), { ...sentAt("awaiting-sponsor", 2, 170), at: minutes(170, 3) }, sentAt("awaiting-sponsor", 2, 170)] });
    const promised = clocks(input({ pings: [sentAt("awaiting-sponsor", 1, 90)] }), rules, day(170)).due[0]!.actOn;
    expect(promised).toBe(day(184).toISOString().slice(0, 10));
    const acts = (i: ClockInput, d: Date) => clocks(i, rules, d).due.map((x) => `${x.step}:${x.rule.action}`);
    expect(acts(both, day(184))).toEqual(["3:dormant"]);
    // Only the comment to go by (the memory was lost): the date compared, not the minute.
    const commentOnly = input({ pings: [sentAt("awaiting-sponsor", 1, 90), { ...sentAt("awaiting-sponsor", 2, 170), at: minutes(170, 3) }] });
    expect(acts(commentOnly, day(184))).toEqual(["3:dormant"]);
    // From the start of the promised date, not before it.
    const midnight = Date.parse(`${promised}T00:00:00Z`);
    expect(clocks(commentOnly, rules, new Date(midnight - 60_000)).due).toEqual([]);
    expect(clocks(commentOnly, rules, new Date(midnight)).due.map((d) => d.step)).toEqual([3]);
  });

  it("a warning the cooldown holds back: the date shown is when it can go out plus the notice, the same every day until then", () => {
    // Met on day 160 (install day): the day-90 reminder went out then, inside the status comment.
    const met = input({ pings: [{ clock: "first-contact", step: 0, to: ["pieter"], at: at(160) }, sentAt("awaiting-sponsor", 1, 160)] });
    const shown = (n: number) => clocks(met, rules, day(n)).deadlines.map((d) => `${d.date} ${d.step} ${d.moved ?? ""}`);
    expect(shown(160)).toEqual([`${day(174).toISOString().slice(0, 10)} 2 `, `${day(188).toISOString().slice(0, 10)} 3 held`]);
    for (const n of [161, 166, 167, 173]) expect(shown(n), `day ${n}`).toEqual(shown(160));
    expect(due(met, 173)).toEqual([]);
    // Day 174, the cooldown over: the warning goes out, promising that same date.
    const [warning] = clocks(met, rules, day(174)).due;
    expect([warning!.step, warning!.actOn]).toEqual([2, day(188).toISOString().slice(0, 10)]);
  });

  it("says why an act is later than its day: first met past it, or a warning sent late", () => {
    const moved = (i: ClockInput, n: number) => clocks(i, rules, day(n)).deadlines.filter((d) => d.step === 3).map((d) => d.moved ?? "on time");
    expect(moved(input({ pings: [sentAt("awaiting-sponsor", 1, 90)] }), 100)).toEqual(["on time"]);
    expect(moved(input({ pings: [sentAt("awaiting-sponsor", 2, 200)] }), 201)).toEqual(["first-met"]);
    expect(moved(input({ pings: [sentAt("awaiting-sponsor", 1, 90), sentAt("awaiting-sponsor", 2, 200)] }), 201)).toEqual(["late"]);
  });
});

describe("labels and file disagreeing since before sep-bot", () => {
  it("hold: a clock that acts does not run at all (no warning, no date, no dormancy); the others do", () => {
    const held = input({ hold: true, pings: [] });
    for (const n of [14, 166, 200, 400]) expect(due(held, n), `day ${n}`).toEqual([]);
    expect(clocks(held, rules, day(400)).deadlines).toEqual([]);
    const draft = input({ hold: true, state: "draft", labels: ["SEP", "draft"], sponsor: "tess", labelEvents: [labelled("proposal", 0), labelled("draft", 5, "tess")] });
    expect(due(draft, 100)).toEqual(["draft-idle#0->tess"]);
  });

  it("a step that only tells, with nobody to tell (a draft without a sponsor), is not sent", () => {
    const nobody = input({ state: "draft", labels: ["SEP", "draft"], sponsor: null, labelEvents: [labelled("draft", 5, "tess")] });
    expect(due(nobody, 200)).toEqual([]);
  });
});

describe("the message", () => {
  it("fills in people, days and the dormancy date", () => {
    const i = input();
    const [step] = clocks(i, rules, day(14)).due;
    const text = pingMessage(step!, i, rules, day(14));
    expect(text).toContain("@pieter, this SEP has waited 14 days for a sponsor.");
    expect(text).toContain(`([maintainers](${rules.links.maintainers}))`);
    expect(text).toContain("Without a sponsor it becomes dormant on 2026-06-30.");
  });
});
