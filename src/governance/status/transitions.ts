import type { Rules } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";
import { finalRefusal, type FinalGate } from "../final/gate.js";
import { awaitingState, statusRule } from "./states.js";

/**
 * The lifecycle as the rules state it: which state may follow which, and what
 * must be true first (a guard: `/final` needs a real Reference
 * Implementation, and the road to Final done: final/gate.ts). Commands, labels and pushes all pass through here, so none
 * of them can skip a step the others may not.
 */

const display = (rules: Rules, state: string | null) => (state ? (statusRule(rules, state)?.display ?? state) : "an unknown status");

/** Why the SEP may not move from `from` to `to` (null: it may). A new SEP starts awaiting a sponsor. `gate`: what Final still needs. */
export function transitionRefusal(rules: Rules, from: string | null, to: string, sep: Sep, gate?: FinalGate | null): string | null {
  const start = from ?? awaitingState(rules)?.id ?? null;
  if (start === to) return null;
  const allowed = start ? (rules.transitions[start] ?? []) : [];
  if (!allowed.includes(to)) {
    const options = allowed.map((id) => `\`${display(rules, id)}\``);
    return `a SEP cannot move from ${display(rules, start)} to ${display(rules, to)}.${options.length ? ` From ${display(rules, start)} it can move to ${options.join(", ")}.` : ` ${display(rules, start)} is final.`}`;
  }
  return guardRefusal(rules, to, sep, [], gate);
}

/** A guard on reaching `to` (any `does: status` command to it names the sections it requires; Final, its road), or null. */
export function guardRefusal(rules: Rules, to: string, sep: Sep, extra: readonly string[] = [], gate?: FinalGate | null): string | null {
  const required = new Set([...extra, ...Object.values(rules.commands).filter((c) => c.does === "status" && c.to === to).flatMap((c) => c.requires)]);
  for (const id of required) {
    if (!hasContent(sep, id, rules)) {
      return `the ${rules.sections.find((s) => s.id === id)?.title ?? id} section is still empty or template text. Fill it in first.`;
    }
  }
  return to === rules.final.status ? finalRefusal(gate) : null;
}

/** A section with real content: present, not empty, and no template instructions left in it. */
export function hasContent(sep: Sep, id: string, rules: Pick<Rules, "sections">): boolean {
  const rule = rules.sections.find((s) => s.id === id);
  if (!rule) return true;
  const names = [rule.title, ...rule.aliases].map((n) => n.toLowerCase());
  const section = sep.sections.find((s) => names.includes(s.title.replace(/^\d+(\.\d+)*\.?\s+/, "").trim().toLowerCase()));
  if (!section || section.contentLines === 0) return false;
  return !sep.templateText.some((t) => t.line > section.line && t.line <= section.endLine);
}
