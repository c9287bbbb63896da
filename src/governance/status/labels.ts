import type { Rules } from "../../rules/schema.js";
import { sameLogin } from "../../shared/logins.js";
import type { LabelsEffect } from "../model/effects.js";
import type { Snapshot } from "../model/snapshot.js";
import { isStateLabel } from "./states.js";

/**
 * The label change for the wanted state labels. The bot manages only state
 * labels and the SEP label; any other label its timeline shows the bot
 * removing was lost to a concurrent edit while the bot set the whole list,
 * and comes back.
 */
export function labelsEffect(snapshot: Snapshot, rules: Rules, wanted: ReadonlySet<string>, hasPrimary: boolean): LabelsEffect | null {
  const { pr } = snapshot;
  const lower = (l: string) => l.toLowerCase();
  const have = new Set(pr.labels.map(lower));
  const managed = (l: string) => isStateLabel(rules, l) || lower(l) === lower(rules.labels.sep);
  const lost = new Map<string, string>();
  for (const event of pr.labelEvents) {
    if (managed(event.label)) continue;
    if (!event.added && event.actor && sameLogin(event.actor, snapshot.botLogin)) lost.set(lower(event.label), event.label);
    else lost.delete(lower(event.label));
  }
  const add = [...wanted, ...lost.values()].filter((l, i, all) => !have.has(lower(l)) && all.findIndex((x) => lower(x) === lower(l)) === i);
  const wantedLower = new Set([...wanted].map(lower));
  const remove = hasPrimary ? pr.labels.filter((l) => isStateLabel(rules, l) && !wantedLower.has(lower(l))) : [];
  if (add.length === 0 && remove.length === 0) return null;
  const removed = new Set(remove.map(lower));
  return { kind: "labels", add, remove, labels: [...pr.labels.filter((l) => !removed.has(lower(l))), ...add] };
}
