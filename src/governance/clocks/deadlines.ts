import type { ClockRule, ClockStep, Rules } from "../../rules/schema.js";
import { loginKey, sameLogin } from "../../shared/logins.js";
import { hasLabel, statusRule } from "../status/states.js";
import type { Activity, LabelEvent, Ping } from "../model/snapshot.js";

/**
 * The SEP process's clocks, as a pure function of (what GitHub shows, rules,
 * now). The same function runs in every reconcile (an event may find a
 * reminder due) and in the sweep's cheap filter, so both agree.
 *
 * - A clock runs while the SEP is in one of its states, from a start: when
 *   the SEP entered the state, or the last thing a person did on the PR (the
 *   bot's own comments, labels and commits never count), or, for assigned
 *   maintainers, since someone else acted and they have not.
 * - Paused days (the pause label) do not count; while paused nothing is due.
 * - A step is due on its day; when several are due (after a pause), only the
 *   latest is sent, never a backlog. A step is sent once per run of the clock:
 *   the bot's ping comments carry a marker saying which, and when.
 * - Nobody is told about the same SEP twice within `cooldownDays` (calendar
 *   days: told on the 1st, they may be told again from the 15th); a step
 *   that only tells and has nobody to tell is not sent.
 * - An act (dormancy) is due from 00:00 UTC of the date its warning promised,
 *   so the sweep on that date acts, however late in the run the warning's
 *   comment was stamped. Dates shown are stable: a warning the cooldown holds
 *   back is dated when the cooldown ends, not "today" again each day.
 */

export interface ClockInput {
  /** Process state (proposal while awaiting a sponsor); null when unknown. */
  state: string | null;
  createdAt: string;
  labels: readonly string[];
  /** Label changes, oldest first (the PR's timeline). */
  labelEvents: readonly LabelEvent[];
  /** What people (and the bot) did, any order: comments, reviews, pushes, label changes, edits. */
  activity: readonly Activity[];
  pings: readonly Ping[];
  author: string;
  sponsor: string | null;
  /** Assigned maintainers (assignees holding a role). */
  assignees: readonly string[];
  botLogin: string;
  type: string | null;
  /**
   * Labels and file disagree since before sep-bot (an adopted disagreement): a clock that acts
   * (dormancy) does not run at all until the sponsor or a maintainer settles it; nothing irreversible
   * is done, and no date is promised, on a state nobody has confirmed.
   */
  hold?: boolean;
}

export interface DueStep {
  clock: string;
  step: number;
  rule: ClockStep;
  /** Who is told (cooldown applied). */
  to: string[];
  /** Days on the clock. */
  days: number;
  /** When the clock started (ISO). */
  start: string;
  /** YYYY-MM-DD the clock's acting step (dormancy) is due, when it has one still to come: what the message promises. */
  actOn?: string;
}

/**
 * Why an acting step's date is later than its day:
 * - `first-met`: sep-bot's first reminder in this run of the clock was the warning, sent (or due)
 *   after the warning's day: it first met the SEP past its deadline (install day, a repository
 *   added later);
 * - `late`: the warning went out (or goes out) later than its day allowed for, after earlier
 *   reminders (a weekly sweep, an outage, a pause, a rules change);
 * - `held`: the warning waits for the cooldown (the author was told something recently).
 */
export type MovedBecause = "first-met" | "late" | "held";

export interface Deadline {
  /** YYYY-MM-DD the step falls due (paused days pushed it on). */
  date: string;
  what: string;
  clock: string;
  step: number;
  /** An act later than its day, and why (the status comment says it). */
  moved?: MovedBecause;
}

export interface ClockReport {
  paused: boolean;
  /** Upcoming steps of running clocks, soonest first. */
  deadlines: Deadline[];
  /** What is due now: at most one step per clock. */
  due: DueStep[];
  /** When each running clock started (for the digest: "awaiting since"). */
  starts: Record<string, string>;
  /** The last step sent in each running clock's current run (-1: none). */
  sent: Record<string, number>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** 00:00 UTC of the day `ms` falls on: an act is due on the date the warning promised, from its start. */
const dayStart = (ms: number) => Math.floor(ms / DAY) * DAY;

/** One clock's run as seen with a given record of reminders. */
interface Run {
  clock: ClockRule;
  started: number;
  elapsed: number;
  lastSent: number;
  /** The step due now (before the cooldown), or -1. */
  dueIndex: number;
  /** When step `i` falls due, in ms (an acting step: from 00:00 UTC of its date). */
  dateOf: (i: number) => number;
  /** Why acting step `i` is later than its day, if it is. */
  movedOf: (i: number) => MovedBecause | undefined;
  actIndex: number;
}

export function clocks(input: ClockInput, rules: Pick<Rules, "clocks" | "statuses" | "labels">, now: Date): ClockReport {
  const pause = rules.clocks.pauseLabel.toLowerCase();
  const paused = hasLabel(input.labels, pause);
  const pausedSpans = pauseSpans(input, pause, paused, now);
  const report: ClockReport = { paused, deadlines: [], due: [], starts: {}, sent: {} };
  const toldNow = new Set<string>(); // one message per person per run, whichever clocks are due
  if (!input.state) return report;
  const human = (actor: string | null) => !!actor && !sameLogin(actor, input.botLogin) && !/\[bot\]$/i.test(actor);
  const running = rules.clocks.list.filter((clock) => clock.states.includes(input.state!) && !(input.hold && clock.steps.some((s) => s.action)));
  const runOf = (clock: ClockRule, pings: readonly Ping[]) => clockRun(clock, input, rules, now, pings, pausedSpans, paused, human);

  // What is due now, from the reminders sent so far.
  for (const clock of running) {
    const run = runOf(clock, input.pings);
    if (!run) continue;
    report.starts[clock.id] = iso(run.started);
    report.sent[clock.id] = run.lastSent;
    if (paused || run.dueIndex < 0) continue;
    const step = clock.steps[run.dueIndex]!;
    if (step.action && run.dateOf(run.dueIndex) > now.getTime()) continue; // an act whose notice is still running
    const targets = recipients(step, input);
    const cooled = targets.filter((login) => !toldNow.has(loginKey(login)) && !recentlyPinged(input.pings, login, rules.clocks.cooldownDays, now));
    // A step that only tells waits for the cooldown, and needs someone to tell; one that acts (dormant) acts anyway.
    if (cooled.length === 0 && !step.action) continue;
    for (const login of cooled) toldNow.add(loginKey(login));
    report.due.push({ clock: clock.id, step: run.dueIndex, rule: step, to: cooled, days: Math.floor(run.elapsed / DAY), start: iso(run.started) });
  }

  // What comes next, as the next run will see it: with what is sent now on the record, so the dates
  // shown (and promised in the messages) do not move when those reminders are read back.
  const after = [...input.pings, ...report.due.map((d) => ({ clock: d.clock, step: d.step, to: d.to, at: now.toISOString() }))];
  for (const clock of running) {
    const run = runOf(clock, after);
    if (!run) continue;
    const due = report.due.find((d) => d.clock === clock.id);
    if (due && run.actIndex > due.step) due.actOn = iso(run.dateOf(run.actIndex)).slice(0, 10);
    // Upcoming: steps after the last sent, with the date they fall due if nothing is paused from now on.
    for (const i of clock.steps.keys()) {
      if (i <= run.lastSent || run.dateOf(i) <= now.getTime()) continue;
      const moved = run.movedOf(i);
      report.deadlines.push({ date: iso(run.dateOf(i)).slice(0, 10), what: clock.steps[i]!.deadline, clock: clock.id, step: i, ...(moved ? { moved } : {}) });
    }
  }
  report.deadlines.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.clock < b.clock ? -1 : 1));
  return report;
}

function clockRun(
  clock: ClockRule,
  input: ClockInput,
  rules: Pick<Rules, "clocks" | "statuses" | "labels">,
  now: Date,
  pings: readonly Ping[],
  pausedSpans: ReadonlyArray<[number, number]>,
  paused: boolean,
  human: (actor: string | null) => boolean,
): Run | null {
  const started = startOf(clock, input, rules, human);
  if (started === null) return null;
  // Days on the clock: elapsed time minus paused time since it started.
  const elapsed = now.getTime() - started.at - overlap(pausedSpans, started.at, now.getTime());
  const sent = pings.filter((p) => p.clock === clock.id && Date.parse(p.at) >= started.at);
  const lastSent = Math.max(-1, ...sent.map((p) => p.step));

  // Nothing irreversible without warning: an acting step (dormancy) is due only once the step
  // before it, the warning with the date, went out in this run of the clock, on the date it
  // promised (warnBeforeActDays after it) or later. Found past its day unwarned (install day,
  // after an outage or a pause), the warning goes out first and the act gets a new date.
  const warnMs = rules.clocks.warnBeforeActDays * DAY;
  // A warning counts while no pause came after it: a SEP resumed past its deadline is warned again.
  // One sending is recorded twice (its comment, seconds or minutes after the run; the memory, at the
  // run's time): the earliest record of the latest sending is when it went out.
  const warnedAt = (i: number) => {
    const times = sent.filter((p) => p.step === i - 1 && !pausedSpans.some(([, end]) => end > Date.parse(p.at))).map((p) => Date.parse(p.at));
    if (times.length === 0) return -Infinity;
    const latest = Math.max(...times);
    return Math.min(...times.filter((t) => t > latest - HOUR));
  };
  const dayOf = (i: number) => now.getTime() + (clock.steps[i]!.day * DAY - elapsed);
  const latest = clock.steps.findLastIndex((step) => step.day * DAY <= elapsed);
  const unwarned = (i: number) => clock.steps[i]!.action !== undefined && !Number.isFinite(warnedAt(i));
  // What is due: the latest step whose day has come (never a backlog), its warning first if it acts.
  const dueIndex = latest > lastSent ? (unwarned(latest) ? latest - 1 : latest) : -1;
  // When step `i` can next tell anyone: the cooldown since its recipients were last told.
  const cooldownMs = rules.clocks.cooldownDays * DAY;
  const freeAt = (i: number) => {
    const targets = recipients(clock.steps[i]!, input);
    if (targets.length === 0) return -Infinity;
    return Math.min(...targets.map((login) => dayStart(Math.max(-Infinity, ...pings.filter((p) => p.to.some((t) => sameLogin(t, login))).map((p) => Date.parse(p.at)))) + cooldownMs));
  };
  /** When acting step `i`'s warning went out, or will: its day, or once the cooldown lets it, not before now. */
  const warningAt = (i: number) => {
    const warned = warnedAt(i);
    return Number.isFinite(warned) ? warned : Math.max(now.getTime(), dayOf(i - 1), freeAt(i - 1));
  };
  /** When acting step `i` may act: from the start of its day, and of the date its warning promised. */
  const actDate = (i: number) => dayStart(Math.max(dayOf(i), warningAt(i) + warnMs));
  // A step that tells falls due on its day, or once the cooldown lets it tell anyone.
  const dateOf = (i: number) => (clock.steps[i]!.action ? actDate(i) : Math.max(dayOf(i), freeAt(i)));
  const movedOf = (i: number): MovedBecause | undefined => {
    if (!clock.steps[i]!.action || actDate(i) <= dayStart(dayOf(i))) return undefined;
    const warned = warnedAt(i);
    if (!Number.isFinite(warned) && freeAt(i - 1) > Math.max(now.getTime(), dayOf(i - 1))) return "held";
    const warning = warningAt(i);
    const pastItsDay = warning > dayOf(i - 1) + HOUR;
    return pastItsDay && !sent.some((p) => Date.parse(p.at) <= warning - HOUR) ? "first-met" : "late";
  };
  return { clock, started: started.at, elapsed, lastSent, dueIndex, dateOf, movedOf, actIndex: clock.steps.findIndex((step) => step.action !== undefined) };
}

/** When the clock started, in ms; null when it is not running (nobody is waiting on the assignees). */
function startOf(clock: ClockRule, input: ClockInput, rules: Pick<Rules, "statuses" | "labels">, human: (a: string | null) => boolean): { at: number } | null {
  const created = Date.parse(input.createdAt);
  if (clock.from === "state") return { at: enteredState(input, rules) ?? created };
  const people = input.activity.filter((a) => human(a.actor));
  if (clock.from === "activity") return { at: Math.max(created, ...people.map((a) => Date.parse(a.at))) };
  // assignee-wait: the latest action by someone else, if newer than everything the assignees did.
  const assignees = input.assignees.map(loginKey);
  if (assignees.length === 0) return null;
  const theirs = Math.max(-Infinity, ...people.filter((a) => assignees.includes(loginKey(a.actor!))).map((a) => Date.parse(a.at)));
  const others = people.filter((a) => !assignees.includes(loginKey(a.actor!))).map((a) => Date.parse(a.at));
  const waitingSince = Math.max(-Infinity, ...others);
  if (!Number.isFinite(waitingSince) || waitingSince <= theirs) return null;
  return { at: waitingSince };
}

/**
 * When the SEP entered its current state: the first time its state label was
 * added after another state label had been (re-adding the same label, as the
 * bot does when someone removes it, is no new start). The first state label a
 * PR ever gets only says where it started: that counts from its creation, so
 * a PR labelled late (the app installed after it was opened) keeps its age.
 * Null: since the PR was opened, or not in the timeline.
 */
export function enteredState(input: Pick<ClockInput, "state" | "labelEvents">, rules: Pick<Rules, "statuses" | "labels">): number | null {
  const label = input.state ? statusRule(rules as Rules, input.state)?.label.toLowerCase() : undefined;
  if (!label) return null;
  const stateLabels = new Set(rules.statuses.map((s) => s.label.toLowerCase()));
  let current: string | null = null;
  let since: number | null = null;
  for (const event of input.labelEvents) {
    const name = event.label.toLowerCase();
    if (!event.added || !stateLabels.has(name) || name === current) continue;
    since = current === null ? null : Date.parse(event.at);
    current = name;
  }
  return current === label ? since : null;
}

function recipients(step: ClockStep, input: ClockInput): string[] {
  const out: string[] = [];
  for (const who of step.notify) {
    if (who === "author") out.push(input.author);
    if (who === "sponsor" && input.sponsor) out.push(input.sponsor);
    if (who === "assignees") out.push(...input.assignees);
  }
  return [...new Map(out.map((login) => [loginKey(login), login])).values()];
}

/** Told within the cooldown: in calendar days, so a sweep on the day it ends tells them, whatever minute the last comment was stamped. */
function recentlyPinged(pings: readonly Ping[], login: string, days: number, now: Date): boolean {
  return pings.some((p) => p.to.some((t) => sameLogin(t, login)) && now.getTime() < dayStart(Date.parse(p.at)) + days * DAY);
}

/** Intervals (ms) the pause label was on, from the timeline; an open one runs to `now`. */
function pauseSpans(input: ClockInput, pause: string, on: boolean, now: Date): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let from: number | null = null;
  for (const event of input.labelEvents) {
    if (event.label.toLowerCase() !== pause) continue;
    if (event.added && from === null) from = Date.parse(event.at);
    if (!event.added && from !== null) {
      spans.push([from, Date.parse(event.at)]);
      from = null;
    }
  }
  if (on) spans.push([from ?? Date.parse(input.createdAt), now.getTime()]);
  return spans;
}

function overlap(spans: ReadonlyArray<[number, number]>, from: number, to: number): number {
  let total = 0;
  for (const [a, b] of spans) total += Math.max(0, Math.min(b, to) - Math.max(a, from));
  return total;
}

/**
 * The step's message, its placeholders filled. People's names are @mentions:
 * they are meant to be told, and each is someone taking part (the PR's
 * author, the recognised sponsor, assigned maintainers), never a handle only
 * written in the file.
 */
export function pingMessage(due: DueStep, input: ClockInput, rules: Pick<Rules, "clocks" | "links">, now: Date): string {
  const mention = (logins: readonly string[]) => logins.map((l) => `@${l}`).join(" ");
  // The date the act is due, as the clock computed it (after a late warning, later than its day).
  const dormant = due.actOn ?? "";
  const actIn = due.actOn ? String(Math.max(0, Math.round((Date.parse(`${due.actOn}T00:00:00Z`) - Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`)) / DAY))) : "";
  const values: Record<string, string> = {
    author: mention([input.author]),
    sponsor: input.sponsor ? mention([input.sponsor]) : "",
    assignees: mention(input.assignees),
    days: String(due.days),
    dormant,
    actIn,
    conformance: input.type === "standards-track" ? " and, as a Standards Track SEP, its conformance scenario is merged" : "",
    maintainers: rules.links.maintainers,
    community: rules.links.community,
    guidelines: rules.links.guidelines,
  };
  return due.rule.message.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole).replace(/\s+,/g, ",").trim();
}
