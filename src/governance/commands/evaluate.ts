import { createHash } from "node:crypto";
import type { Rules } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";
import { allowed, describeRoles, type People } from "../people/roles.js";
import type { PersonComment, PullRequestState } from "../model/snapshot.js";
import { handledKeys, unchangedSinceHandled, type Approved } from "../model/record.js";
import { awaitingState, processState } from "../status/states.js";
import { editDistance } from "../../shared/near.js";
import { parseCommands, type CommandLine } from "./parse.js";
import { sameLogin } from "../../shared/logins.js";
import type { AssignedSponsor } from "../status/sponsorship.js";
import { draftState, isDormant, refuse, type CommandContext, type CommandUse, type CommentResult, type LineOutcome, type Working } from "./action.js";
import { HANDLERS } from "./registry.js";

/**
 * Slash commands, evaluated in order against the state they find: the pure
 * heart of "people drive the SEP process from comments". Each command either
 * changes the working state (status, sponsor, assignees, open/closed,
 * Superseded-By) or is refused with a reason. Here: which lines run, who may
 * use a command, and whether the pull request lets it change anything; what
 * each action does is its handler (registry.ts). The planner turns the final
 * state into the same file edit, labels, assignees and comment that a hand
 * edit would get, so a command and a hand edit can never disagree.
 *
 * Which lines still have to run comes from GitHub: the bot's reaction on a
 * comment says it was handled, the status comment's record says which of its
 * lines (so an edit runs only what it added). A reacted comment with no
 * record (the status comment was deleted) is never run again.
 */

export interface CommandsOutcome {
  results: CommentResult[];
  /** The state before any command (as the file and the PR say) and after all of them. */
  initial: Working;
  final: Working;
  /** The last status change a command made, for the record. */
  approved: Approved | null;
  /** The maintainer whose assignment made them the sponsor before any command ran (and who assigned them). */
  assigned: AssignedSponsor | null;
}

/** A command line's identity: its name and arguments, case and spacing aside. */
export function lineKey(line: Pick<CommandLine, "name" | "rest">): string {
  return createHash("sha1").update(`${line.name} ${line.rest.toLowerCase().replace(/\s+/g, " ").trim()}`).digest("hex").slice(0, 8);
}

export function initialWorking(sep: Sep, pr: PullRequestState, rules: Rules, people: Pick<People, "sponsor">): Working {
  // The recognised sponsor (a name or a typo resolved to the maintainer meant), else the handle the file names.
  const handle = sep.sponsors.find((s) => s.handle);
  const named = people.sponsor ? { handle: people.sponsor.login, name: people.sponsor.name } : handle;
  const by = /(\d{1,9})/.exec(sep.fields.find((f) => f.key.toLowerCase().replace(/[\s_]/g, "-") === "superseded-by")?.value ?? "");
  return {
    state: processState(rules, sep),
    sponsor: named ? { login: named.handle!, name: named.name } : null,
    assignees: [...pr.assignees],
    open: pr.state === "open",
    supersededBy: by ? Number(by[1]) : null,
    stamp: null,
    forceCheck: false,
    fix: false,
    track: null,
  };
}

export function evaluateCommands(ctx: CommandContext): CommandsOutcome {
  const initial = initialWorking(ctx.sep, ctx.pr, ctx.rules, ctx.people);
  const carried = ctx.handled ?? null;
  let working: Working = carried ? structuredClone(carried.final) : structuredClone(initial);
  let approved = carried?.approved ?? null;
  // Sponsorship by assignment comes first: the commands then find the SEP sponsored.
  let assigned = carried ? (carried.assigned ?? null) : null;
  if (!carried && ctx.assigned && working.state === awaitingState(ctx.rules)?.id && working.open) {
    assigned = ctx.assigned;
    working.sponsor = { login: assigned.login, name: assigned.name };
    working.state = draftState(ctx.rules);
    approved = { state: working.state, by: assigned.login, via: "assignment", at: ctx.now.toISOString(), lines: [] };
  }
  const results: CommentResult[] = carried ? [...carried.results] : [];
  const handledNow = new Map<number, Set<string>>();
  for (const r of results) handledNow.set(r.comment.id, new Set([...(handledNow.get(r.comment.id) ?? []), ...r.keys]));

  for (const comment of ctx.discussion) {
    const recorded = handledKeys(ctx.state, comment.id);
    const now = handledNow.get(comment.id);
    if (!recorded && !now && comment.reacted) continue; // handled before the record was lost: never again
    // Handled and not edited since: nothing new can be in it (and a long comment is not parsed again and again).
    if (recorded && comment.reacted && !now && unchangedSinceHandled(ctx.state, comment.id, comment.editedAt)) continue;
    const lines = parseCommands(comment.body);
    if (lines.length === 0) continue;
    const known = new Set([...(recorded ?? []), ...(now ?? [])]);
    const outcomes: LineOutcome[] = [];
    const editedByOther = comment.editor !== null && !sameLogin(comment.editor, comment.author);
    for (const line of lines) {
      if (known.has(lineKey(line))) continue;
      known.add(lineKey(line));
      if (editedByOther) {
        outcomes.push({
          status: "refused",
          line,
          why: `this comment was edited by @${comment.editor}, and a command runs with the authority of whoever wrote it, so sep-bot does not run lines in an edited comment of someone else's. Write the command in a comment of your own.`,
        });
        continue;
      }
      const before = working.state;
      const outcome = evaluateLine(line, comment, working, ctx);
      if (!outcome) continue; // not ours (`/cc`, a path): silent
      outcomes.push(outcome);
      if (outcome.status === "done" && (working.state !== before || outcome.sets !== undefined)) {
        approved = { state: working.state ?? "", by: comment.author, via: `/${line.name}`, at: ctx.now.toISOString(), lines: [] };
      }
    }
    if (outcomes.length) results.push({ comment, keys: outcomes.map((o) => lineKey(o.line)), outcomes });
  }
  return { results, initial, final: working, approved, assigned };
}

// ---------------------------------------------------------------------------
// One line

function evaluateLine(line: CommandLine, comment: PersonComment, working: Working, ctx: CommandContext): LineOutcome | null {
  const { rules, people } = ctx;
  const name = rules.commandAliases[line.name] ?? line.name;
  const command = rules.commands[name];
  if (!command) {
    const suggestion = nearest(line.name, [...Object.keys(rules.commands), ...Object.keys(rules.commandAliases)]);
    return suggestion ? { status: "unknown", line, suggestion } : null;
  }
  const use: CommandUse = { line, comment, command, working, ctx };
  if (!allowed(comment.author, command.who, command.notBy, people)) {
    const not = command.notBy.length ? ` who is not ${describeRoles(command.notBy, rules)} of this SEP` : "";
    return refuse(use, `only ${describeRoles(command.who, rules)}${not} can use \`/${name}\`. Ask one of them.`);
  }
  const handler = HANDLERS[command.does];
  if (handler.changesState) {
    if (ctx.pr.merged) return refuse(use, "this pull request is merged; a merged SEP changes status in a new pull request.");
    const dormant = isDormant(rules, working.state);
    if (!working.open && !(dormant && handler.reopens?.(use))) {
      return refuse(use, `this pull request is closed${dormant ? "; `/revive` reopens a dormant SEP" : "; reopen it first"}.`);
    }
  }
  return handler.run(use);
}

/** The known command nearest to an unknown name (`acept` -> `accept`), or null when none is close. */
export function nearest(name: string, known: readonly string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (!best || d < best.distance) best = { name: candidate, distance: d };
  }
  if (!best) return null;
  const limit = name.length <= 4 ? 1 : 2;
  if (best.distance <= limit) return best.name;
  const prefix = known.find((k) => name.length >= 3 && (k.startsWith(name) || name.startsWith(k)));
  return prefix ?? null;
}
