import type { Rules } from "../../rules/schema.js";
import type { FinalGate } from "../final/gate.js";
import type { Sdk } from "../sdks/list.js";
import { mergeChanges, setField, setSponsor, setStatus, type TextChange } from "../../sep/edit.js";
import type { Sep } from "../../sep/model.js";
import type { NextStep } from "../model/contribution.js";
import type { Effect } from "../model/effects.js";
import type { People } from "../people/roles.js";
import type { AuditEntry, Snapshot } from "../model/snapshot.js";
import { replyMarker, withHandled, type BotState } from "../model/record.js";
import { statusRule } from "../status/states.js";
import { evaluateCommands, type CommandsOutcome } from "./evaluate.js";
import type { CommentResult, Working } from "./action.js";
import type { AssignedSponsor } from "../status/sponsorship.js";
import { tally, type Tally } from "./votes.js";
import { sameLogin } from "../../shared/logins.js";

/**
 * From what the commands did to what GitHub must show: one file edit (merged
 * into the PR's one commit), the state label, assignees, the pull request
 * opened or closed, a reaction on each command comment, one reply to each
 * comment with something refused (or to answer `/help`), audit lines, and the
 * record of which lines ran.
 */

export interface CommandPlan {
  outcome: CommandsOutcome;
  /** Edits to the SEP's text (null: nothing to change in the file, or the bot cannot push). */
  change: TextChange | null;
  /** What the commands changed, for the commit message. */
  what: string[];
  /** The state the labels must show because a command set it (null: no command changed the status). */
  labelState: string | null;
  /** Assignees, open/closed, reactions, replies. */
  effects: Effect[];
  entries: AuditEntry[];
  nextSteps: NextStep[];
  forceCheck: boolean;
  /** `/fix` ran: the plan commits the check's machine-applicable fixes. */
  fix: boolean;
  /** `/track` ran: what it asked of the SDK tracking. */
  track: Working["track"];
  /** The bot's memory with what ran recorded. */
  state: BotState;
  votes: Tally;
}

const REACTION = { done: "+1", help: "+1", refused: "-1", unknown: "confused" } as const;

/** What the commands are planned from. */
export interface CommandsInput {
  snapshot: Snapshot;
  rules: Rules;
  now: Date;
  sep: Sep;
  /** Who holds which role on this PR (people/roles.ts), as the plan read them. */
  people: People;
  /** The SEP's path once this plan's rename is done. */
  path: string;
  memory: BotState;
  /** Why sep-bot cannot push to the branch (null: it can). */
  blocker: string | null;
  /** A maintainer whose assignment sponsors the SEP (status/sponsorship.ts). */
  assigned?: AssignedSponsor | null;
  /** How many findings have a fix sep-bot can commit (for `/fix`). */
  fixable?: number;
  /** What the plan made before this reconcile's commit handled: answered again, not run again. */
  handled?: CommandsOutcome | null;
  /** What the road to Final still needs (`/final` is refused while it needs anything). */
  gate?: FinalGate | null;
  /** The SDKs, when known (for `/track skip`). */
  sdks?: readonly Sdk[] | null;
}

export function planCommands(input: CommandsInput): CommandPlan {
  const { snapshot, rules, now, sep, people, path, memory, blocker, assigned = null, fixable = 0 } = input;
  const votes = tally(snapshot.discussion, people, rules);
  const outcome = evaluateCommands({
    rules,
    people,
    sep,
    pr: snapshot.pr,
    discussion: snapshot.discussion,
    state: memory,
    tally: votes,
    now,
    handled: input.handled ?? null,
    assigned,
    fixable,
    blocker,
    gate: input.gate ?? null,
    sdks: input.sdks ?? null,
  });
  const { initial, final } = outcome;

  // The file, as the final state says: Status (and its stamp), Sponsor, Superseded-By.
  const lines = fieldLines(final, initial, rules, sep);
  const edits: TextChange[] = [];
  let writable = lines.length > 0;
  for (const line of lines) {
    const change = line.set(sep);
    if (change) edits.push(change);
    else writable = false; // a value over several lines: people change it
  }
  const change = writable && !blocker ? edits.reduce(mergeChanges) : null;
  const manual = lines.length && !change ? lines.map((l) => l.text) : [];

  // Per comment: audit lines, reactions, one reply, the record.
  const at = now.toISOString();
  const effects: Effect[] = [];
  const entries: AuditEntry[] = [];
  const what: string[] = [];
  let state = memory;
  if (outcome.assigned) {
    const { login, by } = outcome.assigned;
    const how = by && !sameLogin(by, login) ? `assigned by @${by}` : "assigned themselves";
    entries.push({ at, by: by ?? login, what: `@${login} sponsors this SEP (${how}); status ${statusRule(rules, final.state)?.display ?? final.state}` });
    what.push(`Sponsor ${login} and status ${statusRule(rules, final.state)?.display ?? final.state} (@${login} ${how})`);
  }
  const lastChanging = [...outcome.results].reverse().find(changedSomething);
  for (const result of outcome.results) {
    const { comment } = result;
    const link = comment.url ? ` ([comment](${comment.url}))` : "";
    const problems: string[] = [];
    let help: string | null = null;
    for (const o of result.outcomes) {
      if (o.status === "done" && o.what) {
        entries.push({ at, by: comment.author, what: `\`/${o.line.name}\` by @${comment.author}: ${o.what}${link}` });
        what.push(`${o.what} (/${o.line.name} by @${comment.author})`);
      }
      if (o.status === "refused") problems.push(`- \`${clip(o.line.text)}\` was refused: ${o.why}`);
      if (o.status === "unknown") problems.push(`- \`${clip(o.line.text)}\` is not a sep-bot command: did you mean \`/${o.suggestion}\`? \`/help\` lists the commands you may use.`);
      if (o.status === "help") help = o.text;
    }
    for (const content of new Set(result.outcomes.map((o) => REACTION[o.status]))) effects.push({ kind: "reaction", commentId: comment.id, content });
    const parts = [...(problems.length ? [problems.join("\n")] : []), ...(help ? [help] : [])];
    if (manual.length && result === lastChanging) parts.push(fileUpdateNote(snapshot.pr.author, path, manual, blocker));
    const key = `c=${comment.id} k=${result.keys.join(".")}`;
    if (parts.length && !snapshot.replies.includes(key)) effects.push({ kind: "reply", body: `@${comment.author}: ${parts.join("\n\n")}\n\n${replyMarker(key)}` });
    state = withHandled(state, comment.id, result.keys, at, comment.editedAt);
  }
  if (outcome.approved) state = { ...state, approved: { ...outcome.approved, lines: manual.slice(0, 6) } };

  // The PR: assignees and open/closed, as the final state says.
  const add = final.assignees.filter((a) => !snapshot.pr.assignees.some((b) => sameLogin(a, b)));
  const remove = snapshot.pr.assignees.filter((a) => !final.assignees.some((b) => sameLogin(a, b)));
  const prEffects: Effect[] = [];
  if (add.length || remove.length) prEffects.push({ kind: "assignees", add, remove });
  if (final.open !== (snapshot.pr.state === "open") && !snapshot.pr.merged) prEffects.push({ kind: "pull-request-state", state: final.open ? "open" : "closed" });

  return {
    outcome,
    change,
    what,
    labelState: outcome.approved ? final.state : null,
    effects: [...prEffects, ...effects],
    entries,
    nextSteps: manual.length ? [{ who: snapshot.pr.author, what: `Set these lines in \`${path}\`${blocker ? ` (sep-bot cannot push: ${blocker})` : ""}: ${manual.map((l) => `\`${l}\``).join(", ")}.` }] : [],
    forceCheck: final.forceCheck,
    fix: final.fix && !initial.fix,
    track: final.track,
    state,
    votes,
  };
}

function changedSomething(result: CommentResult): boolean {
  return result.outcomes.some((o) => o.status === "done" && o.what !== null);
}

function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

interface FieldLine {
  /** As the template writes it, for people: "- **Status**: In-Review". */
  text: string;
  set: (sep: Sep) => TextChange | null;
}

/** The preamble fields the final state needs changed, each with its edit. */
function fieldLines(final: Working, initial: Working, rules: Rules, sep: Sep): FieldLine[] {
  const lines: FieldLine[] = [];
  if (final.state && final.state !== initial.state) {
    const status = statusRule(rules, final.state)!;
    const written = status.writeAs ?? status.display;
    const stamp = status.stampField && final.stamp ? { field: status.stampField, date: final.stamp } : null;
    // Awaiting a sponsor -> Draft changes the Sponsor line, not the Status line (both read Draft).
    if (sep.fields.find((f) => f.id === "status")?.value !== written || stamp) {
      lines.push({ text: `- **Status**: ${written}`, set: (s) => setStatus(s, written, stamp) });
    }
    if (stamp) lines.push({ text: `- **${stamp.field}**: ${stamp.date}`, set: () => ({ edits: [], inserts: [] }) }); // written with the Status
  }
  if (!sameLogin(final.sponsor?.login ?? "", initial.sponsor?.login ?? "")) {
    const value = final.sponsor ? (final.sponsor.name ? `${final.sponsor.name} (@${final.sponsor.login})` : `@${final.sponsor.login}`) : "None (seeking sponsor)";
    lines.push({ text: `- **Sponsor**: ${value}`, set: (sep) => setSponsor(sep, value) });
  }
  if (final.supersededBy !== null && final.supersededBy !== initial.supersededBy) {
    const value = `SEP-${final.supersededBy}`;
    lines.push({ text: `- **Superseded-By**: ${value}`, set: (sep) => setField(sep, { key: "Superseded-By" }, value, ["status"]) });
  }
  return lines;
}

function fileUpdateNote(author: string, path: string, lines: string[], blocker: string | null): string {
  const why = blocker ? `sep-bot cannot push to this branch (${blocker})` : "sep-bot cannot rewrite these lines (they span several lines)";
  return [`${why}. @${author}, please set these lines in \`${path}\`:`, "", "```markdown", ...lines, "```"].join("\n");
}
