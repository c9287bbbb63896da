import type { Rules } from "../rules/schema.js";
import { setStatus, type TextChange } from "../sep/edit.js";
import type { Sep } from "../sep/model.js";
import { clocks, pingMessage, type ClockInput, type ClockReport, type DueStep } from "./clocks.js";
import type { Effect } from "./effects.js";
import type { People } from "./roles.js";
import type { AuditEntry, Snapshot } from "./snapshot.js";
import { pingMarker, type Approved, type BotState } from "./state.js";
import { processState, statusRule } from "./status.js";

/**
 * The clocks in a reconcile: what the status comment shows (the deadlines),
 * and what is due now (a reminder comment, or dormancy: the status Dormant,
 * the label, the PR closed). Runs in every reconcile, so an event, a sweep and
 * a workflow run all send the same reminder, once: each is a comment with a
 * marker, and the next read sees it.
 */

export interface TimerPlan {
  report: ClockReport;
  /** Reminders and the closing, in order. */
  effects: Effect[];
  entries: AuditEntry[];
  /** The state the clocks set (dormant), or null. */
  labelState: string | null;
  change: TextChange | null;
  what: string[];
  approved: Approved | null;
  /** What was sent now: carried over the commit to the plan made after it. */
  due: DueStep[];
}

export function clockInputOf(snapshot: Snapshot, sep: Sep, people: People, rules: Rules, memory: BotState, state: string | null, now: Date): ClockInput {
  const { pr } = snapshot;
  const fileState = processState(rules, sep);
  const labelEvents = [...pr.labelEvents];
  // A command just moved the SEP: its clock starts now.
  const moved = state !== fileState && state ? statusRule(rules, state)?.label : undefined;
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
    sponsor: sep.sponsors.find((s) => s.handle)?.handle ?? null,
    assignees: pr.assignees.filter((login) => roleHolders.has(login.toLowerCase())),
    botLogin: snapshot.botLogin,
    type: sep.type,
  };
}

export function planTimers(snapshot: Snapshot, rules: Rules, now: Date, input: ClockInput, sep: Sep, acting: boolean): TimerPlan {
  const report = clocks(input, rules, now);
  const plan: TimerPlan = { report, effects: [], entries: [], labelState: null, change: null, what: [], approved: null, due: [] };
  // Carried from the plan made before this reconcile's commit: answered again, not decided again.
  const carried = (snapshot.handledClocks as DueStep[] | undefined) ?? null;
  const due = carried ?? (acting && snapshot.pr.state === "open" ? report.due : []);
  const at = now.toISOString();
  for (const step of due) {
    const body = `${pingMessage(step, input, rules, now)}\n\n<sub>sep-bot: ${step.rule.deadline} (${step.days} days). Comment \`/help\` for what you can do.</sub>\n${pingMarker(step.clock, step.step, step.to)}`;
    plan.effects.push({ kind: "reply", body });
    plan.entries.push({ at, by: null, what: `${step.rule.deadline}${step.to.length ? ` (@${step.to.join(", @")})` : ""}: ${step.days} days` });
    plan.due.push(step);
    if (step.rule.action === "dormant") {
      const dormant = rules.statuses.find((s) => s.closesPullRequest) ?? statusRule(rules, "dormant");
      if (!dormant) continue;
      plan.labelState = dormant.id;
      const written = dormant.writeAs ?? dormant.display;
      const change = sep.fields.find((f) => f.id === "status")?.value === written ? null : setStatus(sep, written, null);
      plan.change = change;
      plan.what.push(`status ${dormant.display}: no sponsor in ${step.days} days`);
      plan.approved = { state: dormant.id, by: snapshot.botLogin.replace(/\[bot\]$/, ""), via: `${step.days} days without a sponsor`, at, lines: [`- **Status**: ${written}`] };
      if (snapshot.pr.state === "open") plan.effects.push({ kind: "pull-request-state", state: "closed" });
    }
  }
  return plan;
}

/** What the bot remembers of the reminders it sent now (the comments' markers are the record; this is the sweep's copy). */
export function withPings(state: BotState, due: readonly DueStep[], now: Date): BotState {
  if (due.length === 0) return state;
  return { ...state, pings: [...state.pings, ...due.map((d) => ({ clock: d.clock, step: d.step, to: d.to, at: now.toISOString() }))].slice(-30) };
}
