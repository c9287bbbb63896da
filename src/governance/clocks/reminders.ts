import type { Rules } from "../../rules/schema.js";
import { setStatus, type TextChange } from "../../sep/edit.js";
import type { Sep } from "../../sep/model.js";
import { clocks, pingMessage, type ClockInput, type ClockReport, type DueStep } from "./deadlines.js";
import type { Contribution } from "../model/contribution.js";
import type { Effect } from "../model/effects.js";
import type { People } from "../people/roles.js";
import type { Activity, AuditEntry, Ping, Snapshot } from "../model/snapshot.js";
import { pingMarker, type Adopted, type Approved, type BotState } from "../model/record.js";
import { awaitingState, hasLabel, isStateLabel, processState, statusForLabel, statusRule } from "../status/states.js";
import { loginKey } from "../../shared/logins.js";

/**
 * The clocks in a reconcile: what the status comment shows (the deadlines),
 * and what is due now (a reminder comment, or dormancy: the status Dormant,
 * the label, the PR closed). Runs in every reconcile, so an event, a sweep and
 * a workflow run all send the same reminder, once: each is a comment with a
 * marker, and the next read sees it.
 */

export interface TimerPlan {
  report: ClockReport;
  /** The reminders, in order: written before the labels, so a dormancy cut short is finished, never repeated. */
  effects: Effect[];
  /** Close the pull request (dormancy): written after the labels. */
  close: boolean;
  entries: AuditEntry[];
  /** The state the clocks set (dormant), or null. */
  labelState: string | null;
  change: TextChange | null;
  what: string[];
  approved: Approved | null;
  /** What was sent now: carried over the commit to the plan made after it. */
  due: DueStep[];
  /** Each reminder's message, in the order of `due`: a first contact sends it inside the status comment instead. */
  messages: string[];
}

/**
 * The state the clocks run in: the file's, except while a dormancy the bot
 * began is unfinished (its commit landed, the labels not yet): then the file
 * says Dormant and the label still says what the clock ran on.
 */
export function clockState(rules: Rules, fileState: string | null, labels: readonly string[]): string | null {
  if (!statusRule(rules, fileState)?.closesPullRequest) return fileState;
  const stateLabels = labels.filter((l) => isStateLabel(rules, l));
  const labelled = stateLabels.length === 1 ? (statusForLabel(rules, stateLabels[0]!)?.id ?? null) : null;
  return labelled && labelled !== fileState ? labelled : fileState;
}

/**
 * What is left of a dormancy cut short, from what GitHub shows: `finish`
 * (its reminder is out, the label is not on), `close` (dormant, still open,
 * not reopened since the reminder), or null.
 */
export function unfinishedDormancy(
  rules: Rules,
  pr: { open: boolean; labels: readonly string[]; activity: readonly Activity[] },
  fileState: string | null,
  report: Pick<ClockReport, "sent">,
  pings: readonly Ping[],
): "finish" | "close" | null {
  const dormant = rules.statuses.find((s) => s.closesPullRequest);
  if (!dormant) return null;
  const dormantSteps = rules.clocks.list.flatMap((clock) => clock.steps.flatMap((step, i) => (step.action === "dormant" ? [{ clock: clock.id, step: i }] : [])));
  const labelled = hasLabel(pr.labels, dormant.label);
  if (!labelled && dormantSteps.some((d) => (report.sent[d.clock] ?? -1) >= d.step)) return "finish";
  if (!pr.open || !(labelled || fileState === dormant.id)) return null;
  const last = Math.max(-Infinity, ...pings.filter((p) => dormantSteps.some((d) => d.clock === p.clock && d.step === p.step)).map((p) => Date.parse(p.at)));
  const reopened = pr.activity.some((a) => a.kind === "ReopenedEvent" && Date.parse(a.at) >= last);
  return Number.isFinite(last) && !reopened ? "close" : null;
}

/**
 * How the clocks see the SEP when labels and file disagree since before
 * sep-bot (plan.ts decides it):
 * - `state`: the state they run in instead of the file's (the label's);
 * - `hold`: no clock that acts runs.
 */
export interface ClockView {
  state?: string | null;
  hold?: boolean;
}

/**
 * The clocks' view of a SEP (see ClockView). `sep`: as the plan judges it (no
 * confirmed sponsor: awaiting one).
 * - Only a confirmed sponsor counts (named and assigned, named on the default
 *   branch, or taken as found at first contact): a maintainer an author merely
 *   names never stops the sponsor clock, and is never told as its sponsor.
 * - Labels and file disagreeing since before sep-bot (`disagreement`): they
 *   run in the label's state (the one a person set), or the file's when only
 *   that one has a sponsor, and no clock that acts runs until it is settled.
 */
export function clockView(rules: Rules, sep: Sep, labels: readonly string[], disagreement: Adopted | null): ClockView {
  if (!disagreement) return {};
  const fileState = processState(rules, sep);
  const stateLabels = labels.filter((l) => isStateLabel(rules, l));
  const labelled = stateLabels.length === 1 ? (statusForLabel(rules, stateLabels[0]!)?.id ?? null) : null;
  const awaiting = awaitingState(rules)?.id;
  const state = labelled && labelled !== awaiting ? labelled : fileState && fileState !== awaiting ? fileState : (labelled ?? fileState);
  return { state, hold: true };
}

/** `commandState`: the state a command of this plan just set, if any. */
export function clockInputOf(snapshot: Snapshot, sep: Sep, people: People, rules: Rules, memory: BotState, commandState: string | null, now: Date, view: ClockView = {}): ClockInput {
  const { pr } = snapshot;
  const state = commandState ?? clockState(rules, view.state !== undefined ? view.state : processState(rules, sep), pr.labels);
  const labelEvents = [...pr.labelEvents];
  // A command just moved the SEP: its clock starts now.
  const moved = commandState && commandState !== processState(rules, sep) ? statusRule(rules, commandState)?.label : undefined;
  if (moved) labelEvents.push({ label: moved, added: true, actor: snapshot.botLogin, at: now.toISOString() });
  const roleHolders = new Set(Object.values(people.roles).flatMap((set) => [...set]));
  return {
    state,
    createdAt: pr.createdAt,
    labels: pr.labels,
    labelEvents,
    // Label changes are activity too; the clocks tell people from the bot by login.
    activity: [...pr.activity, ...pr.labelEvents.map((e) => ({ at: e.at, actor: e.actor }))],
    // The markers on the bot's comments, and its memory (a deleted reminder still counts as sent).
    pings: [...snapshot.pings, ...memory.pings],
    author: pr.author,
    sponsor: people.sponsor?.login ?? null,
    assignees: pr.assignees.filter((login) => roleHolders.has(loginKey(login))),
    botLogin: snapshot.botLogin,
    type: sep.type,
    // A command just set the state: it is confirmed, nothing is held.
    ...(view.hold && !commandState ? { hold: true } : {}),
  };
}

/**
 * Dormancy is four writes (the file, the reminder, the label, closing). Any
 * of them may be the last before a crash or a rate limit; the next run sees
 * how far it got and finishes, without a second reminder:
 * - the reminder was sent in this run of the clock: the SEP is dormant;
 * - dormant, still open, and not reopened since the reminder: close it.
 */
export function planTimers(snapshot: Snapshot, rules: Rules, now: Date, input: ClockInput, sep: Sep, acting: boolean, carried: readonly DueStep[] | null = null): TimerPlan {
  const report = clocks(input, rules, now);
  const plan: TimerPlan = { report, effects: [], close: false, entries: [], labelState: null, change: null, what: [], approved: null, due: [], messages: [] };
  const open = snapshot.pr.state === "open";
  // Carried from the plan made before this reconcile's commit: answered again, not decided again.
  const due = carried ?? (acting && open ? report.due : []);
  const at = now.toISOString();
  const dormant = rules.statuses.find((s) => s.closesPullRequest);
  const makeDormant = (days: number | null) => {
    if (!dormant) return;
    plan.labelState = dormant.id;
    const written = dormant.writeAs ?? dormant.display;
    plan.change = sep.fields.find((f) => f.id === "status")?.value === written ? null : setStatus(sep, written, null);
    plan.what.push(`status ${dormant.display}${days === null ? "" : `: no sponsor in ${days} days`}`);
    plan.approved = { state: dormant.id, by: snapshot.botLogin.replace(/\[bot\]$/, ""), via: days === null ? "no sponsor in time" : `${days} days without a sponsor`, at, lines: [`- **Status**: ${written}`] };
    plan.close = open;
  };
  for (const step of due) {
    const message = pingMessage(step, input, rules, now);
    plan.messages.push(message);
    const body = `${message}\n\n<sub>sep-bot: ${step.rule.deadline} (${step.days} days). Comment \`/help\` for what you can do.</sub>\n${pingMarker(step.clock, step.step, step.to)}`;
    plan.effects.push({ kind: "reply", body });
    plan.entries.push({ at, by: null, what: `${step.rule.deadline}${step.to.length ? ` (@${step.to.join(", @")})` : ""}: ${step.days} days` });
    plan.due.push(step);
    if (step.rule.action === "dormant") makeDormant(step.days);
  }
  if (plan.labelState || !acting || !dormant) return plan;
  // Finishing a dormancy cut short: its reminder is out, the rest is not.
  const left = unfinishedDormancy(rules, { open, labels: snapshot.pr.labels, activity: snapshot.pr.activity }, processState(rules, sep), report, input.pings);
  if (left === "finish") makeDormant(null);
  if (left === "close") plan.close = true;
  return plan;
}

/** What the bot remembers of the reminders it sent now (the comments' markers are the record; this is the sweep's copy). */
export function withPings(state: BotState, due: readonly DueStep[], now: Date): BotState {
  if (due.length === 0) return state;
  return { ...state, pings: [...state.pings, ...due.map((d) => ({ clock: d.clock, step: d.step, to: d.to, at: now.toISOString() }))].slice(-30) };
}

export interface ClocksInput {
  snapshot: Snapshot;
  rules: Rules;
  now: Date;
  sep: Sep;
  people: People;
  memory: BotState;
  /** The state a command just set (the clocks restart from it), or null. */
  commandState: string | null;
  /** Labels and file disagreeing since before sep-bot: the clocks run on what the labels say, and hold every act. */
  view: ClockView;
  firstContact: boolean;
  /** A command or a pull request state already closes or reopens it: the clocks do not close it too. */
  stateSetElsewhere: boolean;
  /** Steps the plan before this reconcile's commit acted on. */
  carried: readonly DueStep[] | null;
}

/**
 * The clocks' contribution: the reminders due (in their own comment, or at
 * first contact inside the status comment: one notification, not two),
 * dormancy (the file, the label, closing), and the deadlines to show.
 */
export function clocksOf(input: ClocksInput): { clockInput: ClockInput; timers: TimerPlan; part: Contribution } {
  const { snapshot, rules, now, sep, firstContact } = input;
  const clockInput = clockInputOf(snapshot, sep, input.people, rules, input.memory, input.commandState, now, input.view);
  const timers = planTimers(snapshot, rules, now, clockInput, sep, !input.commandState, input.carried);
  // First contact: the status comment and a due reminder are one message (one notification, not two).
  const inline = firstContact && timers.due.length > 0 && timers.due.every((d) => !d.rule.action);
  const reminders = inline ? timers.effects.filter((e) => e.kind !== "reply") : timers.effects;
  const memory = (m: BotState): BotState => {
    let out = m;
    if (inline) out = { ...out, notice: { clock: timers.due[0]!.clock, at: now.toISOString(), text: timers.messages.join("\n\n").slice(0, 2000) } };
    else if (out.notice && (!timers.report.starts[out.notice.clock] || [...snapshot.pings, ...out.pings].some((p) => p.at > out.notice!.at))) out = { ...out, notice: null }; // its clock stopped, or a later reminder replaced it
    out = withPings(out, timers.due, now);
    return timers.approved ? { ...out, approved: timers.approved } : out;
  };
  const close = timers.close && !input.stateSetElsewhere;
  return {
    clockInput,
    timers,
    part: {
      entries: timers.entries,
      memory,
      edit: timers.change ? { change: timers.change, what: timers.what, headline: false } : null,
      effects: { reminders: reminders, close: close ? [{ kind: "pull-request-state", state: "closed" }] : [] },
      reasons: { reminders: reminders.length ? [`clocks: ${timers.due.map((d) => `${d.clock} step ${d.step + 1}`).join(", ")}`] : [], close: close ? ["close: the SEP is dormant"] : [] },
    },
  };
}
