import type { Finding } from "../../lint/finding.js";
import type { Rules } from "../../rules/schema.js";
import type { Edit, Renumbering, TextChange } from "../../sep/edit.js";
import type { Contribution } from "../model/contribution.js";
import type { Effect } from "../model/effects.js";
import { replyMarker } from "../model/record.js";
import type { Snapshot } from "../model/snapshot.js";
import { allowed, describeRoles, type People } from "../people/roles.js";
import { findingsOf, type SepFile } from "./findings.js";

/**
 * "Fix these" (the check run's button) and `/fix`: the machine-applicable
 * fixes of a SEP's findings as one change. Two fixes touching the same text
 * (a heading both misspelt and misnumbered) cannot both apply: the first
 * wins, and so does any edit the plan already makes (the rename, a status
 * change), so the result is always a clean edit of the original text.
 */

export interface Fixes {
  change: TextChange;
  /** The file's new name (a lowercase slug), when a finding renames it. */
  rename: string | null;
  /** How many findings the change fixes. */
  count: number;
}

const overlaps = (a: Edit, b: Edit) => a.line === b.line && a.column < Math.max(b.endColumn, b.column + 1) && b.column < Math.max(a.endColumn, a.column + 1);

export function fixesOf(findings: readonly Finding[], taken: TextChange | null = null): Fixes {
  const edits: Edit[] = [];
  let rename: string | null = null;
  let count = 0;
  const busy = (edit: Edit) => [...edits, ...(taken?.edits ?? [])].some((e) => overlaps(e, edit));
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) continue;
    const own = fix.edits ?? [];
    if (own.some(busy) || (fix.rename && rename)) continue;
    if (own.length === 0 && !fix.rename) continue;
    edits.push(...own);
    if (fix.rename) rename = fix.rename;
    count++;
  }
  return { change: { edits, inserts: [] }, rename, count };
}

/** The file's name after a case fix: in its directory, numbered as the rename (when one is due) numbers it. */
export function renamedTo(path: string, pending: Renumbering | null, name: string, number: number): string {
  if (pending) return pending.newPath.replace(/[^/]*$/, `${number}-${name.replace(/^[^-]*-/, "")}`);
  return path.replace(/[^/]*$/, name);
}

export interface FixInput {
  snapshot: Snapshot;
  rules: Rules;
  now: Date;
  primary: SepFile;
  people: People;
  /** The planner's findings on the SEP so far, and every room's edits so far (fixes never touch text another edit takes). */
  findings: readonly Finding[];
  edit: TextChange | null;
  pending: Renumbering | null;
  /** `/fix` ran among the commands. */
  byCommand: boolean;
  canPush: boolean;
  /** Why it cannot push, for the reply. */
  blocker: string;
}

/**
 * "Fix these" pressed, or `/fix` by someone who may: the fixes join the
 * commit, around every other edit. Pressed by someone else, with nothing the
 * bot can push, or with nothing left to fix: a reply says so, once per person
 * and head. A press from an older head's check asks for nothing left: the
 * head moved since (the fixes were committed, or someone pushed), and the new
 * check says what remains.
 */
export function fixesApplied(input: FixInput): { renameTo: string | null; part: Contribution } {
  const { snapshot, rules, now, primary, people, canPush } = input;
  const { pr } = snapshot;
  const fixRule = Object.values(rules.commands).find((c) => c.does === "fix");
  const pressed = fixRule ? snapshot.trigger.fixes : [];
  const fixers = pressed.filter((actor) => allowed(actor, fixRule!.who, fixRule!.notBy, people));
  let renameTo: string | null = null;
  let fixed = false;
  const part: { edit?: Contribution["edit"]; entries?: Contribution["entries"]; effects?: Contribution["effects"]; reasons?: Contribution["reasons"] } = {};
  if ((input.byCommand || fixers.length) && canPush) {
    const fixes = fixesOf(findingsOf(primary, input.findings), input.edit);
    if (fixes.count > 0) {
      fixed = true;
      if (fixes.rename) renameTo = renamedTo(primary.file.path, input.pending, fixes.rename, pr.number);
      const count = `${fixes.count} finding${fixes.count === 1 ? "" : "s"}`;
      const by = input.byCommand ? "/fix" : `the Fix these button, by @${fixers.join(", @")}`;
      part.edit = { change: fixes.change, what: [`applied sep-bot's fixes for ${count} (${by})`], headline: true };
      if (!input.byCommand) part.entries = [{ at: now.toISOString(), by: fixers[0] ?? null, what: `applied sep-bot's fixes for ${count} (Fix these, by @${fixers.join(", @")})` }];
    }
  }
  const pressedHere = snapshot.trigger.fixHeads.length === 0 || snapshot.trigger.fixHeads.includes(pr.headSha);
  const replies: Effect[] = [];
  const reasons: string[] = [];
  for (const actor of pressed) {
    const may = fixers.includes(actor);
    if (may && canPush && (fixed || !pressedHere)) continue;
    const key = `fix=${actor.toLowerCase()}.${pr.headSha.slice(0, 8)}`;
    if (snapshot.replies.includes(key)) continue;
    const why = !may
      ? `only ${describeRoles(fixRule!.who, rules)} can have sep-bot commit its fixes to this pull request. Ask one of them, or make the changes the **SEP checks** run lists.`
      : canPush
        ? "there is nothing left that sep-bot can fix by itself here. What the **SEP checks** run still lists needs a person; each finding says what to change."
        : `sep-bot cannot push to this branch (${input.blocker}). Make the changes the **SEP checks** run lists; each says what to change.`;
    replies.push({ kind: "reply", body: `@${actor}: ${why}\n\n${replyMarker(key)}` });
    reasons.push(may && canPush ? `nothing to fix for ${actor}` : `fix refused for ${actor}`);
  }
  return { renameTo, part: { ...part, effects: { replies }, reasons: { replies: reasons } } };
}
