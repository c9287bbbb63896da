import { createHash } from "node:crypto";
import type { CommandRule, Rules } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";
import { resolveStatus } from "../../sep/values.js";
import { allowed, describeRoles, maySetStatus, maySponsor, type People } from "../people/roles.js";
import type { PersonComment, PullRequestState } from "../model/snapshot.js";
import { handledKeys, unchangedSinceHandled, type Approved, type BotState } from "../record/memory.js";
import { awaitingState, processState, statusRule } from "../status/states.js";
import { guardRefusal, transitionRefusal } from "../status/transitions.js";
import { editDistance } from "../../shared/near.js";
import { helpFor, usage } from "./help.js";
import { parseCommands, type CommandLine } from "./parse.js";
import { readVote, tallyText, type Tally } from "./votes.js";
import { sameLogin } from "../../shared/logins.js";
import type { AssignedSponsor } from "../status/sponsorship.js";

/**
 * Slash commands, evaluated in order against the state they find: the pure
 * heart of "people drive the SEP process from comments". Each command either
 * changes the working state (status, sponsor, assignees, open/closed,
 * Superseded-By) or is refused with a reason; the planner turns the final
 * state into the same file edit, labels, assignees and comment that a hand
 * edit would get, so a command and a hand edit can never disagree.
 *
 * Which lines still have to run comes from GitHub: the bot's reaction on a
 * comment says it was handled, the status comment's record says which of its
 * lines (so an edit runs only what it added). A reacted comment with no
 * record (the status comment was deleted) is never run again.
 */

/** Where the SEP stands while commands are applied one after another. */
export interface Working {
  /** Process state: a status id, `proposal` while awaiting a sponsor. */
  state: string | null;
  sponsor: { login: string; name: string | null } | null;
  assignees: string[];
  open: boolean;
  supersededBy: number | null;
  /** The Accepted field's new text (date, tally), when a command stamped it. */
  stamp: string | null;
  forceCheck: boolean;
  /** `/fix`: commit the fixes the check knows (the planner computes them from the findings). */
  fix: boolean;
}

export type LineOutcome =
  /**
   * `what`: the audit log line; null when nothing needed to change (already so).
   * `sets`: the state the command set, or found already set (the labels follow it either way).
   */
  | { status: "done"; line: CommandLine; what: string | null; sets?: string | null }
  | { status: "refused"; line: CommandLine; why: string }
  | { status: "unknown"; line: CommandLine; suggestion: string }
  | { status: "help"; line: CommandLine; text: string };

export interface CommentResult {
  comment: PersonComment;
  /** Keys of the lines handled now (recorded in the status comment). */
  keys: string[];
  outcomes: LineOutcome[];
}

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

export interface CommandContext {
  rules: Rules;
  people: People;
  sep: Sep;
  pr: PullRequestState;
  discussion: readonly PersonComment[];
  state: BotState;
  tally: Tally;
  now: Date;
  /** What the first plan of this reconcile did before its commit: answered now, not run again. */
  handled?: { results: CommentResult[]; final: Working; approved: Approved | null; assigned?: AssignedSponsor | null } | null;
  /** A maintainer assigned to this SEP while it awaits a sponsor: sponsors it first. */
  assigned?: AssignedSponsor | null;
  /** How many findings have a fix sep-bot can commit, and why it cannot push (for `/fix`). */
  fixable?: number;
  blocker?: string | null;
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

const STATE_CHANGING = new Set(["sponsor", "unsponsor", "status", "revive", "supersede", "fix"]);

function evaluateLine(line: CommandLine, comment: PersonComment, w: Working, ctx: CommandContext): LineOutcome | null {
  const { rules, people } = ctx;
  const name = rules.commandAliases[line.name] ?? line.name;
  const command = rules.commands[name];
  if (!command) {
    const suggestion = nearest(line.name, [...Object.keys(rules.commands), ...Object.keys(rules.commandAliases)]);
    return suggestion ? { status: "unknown", line, suggestion } : null;
  }
  const actor = comment.author;
  const refuse = (why: string): LineOutcome => ({ status: "refused", line, why });
  if (!allowed(actor, command.who, command.notBy, people)) {
    const not = command.notBy.length ? ` who is not ${describeRoles(command.notBy, rules)} of this SEP` : "";
    return refuse(`only ${describeRoles(command.who, rules)}${not} can use \`/${name}\`. Ask one of them.`);
  }
  if (STATE_CHANGING.has(command.does)) {
    if (ctx.pr.merged) return refuse("this pull request is merged; a merged SEP changes status in a new pull request.");
    if (!w.open && !reopens(command, line, w, rules)) {
      return refuse(`this pull request is closed${isDormant(rules, w.state) ? "; `/revive` reopens a dormant SEP" : "; reopen it first"}.`);
    }
  }
  switch (command.does) {
    case "help":
      return { status: "help", line, text: helpFor(actor, people, rules) };
    case "check":
      w.forceCheck = true;
      return { status: "done", line, what: null };
    case "fix":
      if (!ctx.fixable) return refuse("there is nothing sep-bot can fix by itself here: the **SEP checks** run lists what needs a person, and how.");
      if (ctx.blocker) return refuse(`sep-bot cannot push to this branch (${ctx.blocker}). Apply the fixes listed in the **SEP checks** run yourself; each says what to change.`);
      w.fix = true;
      return { status: "done", line, what: `applied sep-bot's fixes for ${ctx.fixable} finding${ctx.fixable === 1 ? "" : "s"}` };
    case "vote":
      return vote(line, w, ctx, refuse);
    case "sponsor":
      return sponsor(line, comment, w, ctx, refuse);
    case "unsponsor":
      return unsponsor(line, w, ctx, refuse);
    case "revive":
      return revive(line, w, ctx, refuse);
    case "supersede":
      return supersede(line, comment, w, ctx, command, refuse);
    case "status":
      return moveTo(line, comment, w, ctx, command, refuse);
  }
}

type Refuse = (why: string) => LineOutcome;

const display = (rules: Rules, state: string | null) => (state ? (statusRule(rules, state)?.display ?? state) : "an unknown status");
/** Dormant: a status whose SEP's pull request is closed until it is revived. */
const isDormant = (rules: Rules, state: string | null) => !!statusRule(rules, state)?.closesPullRequest;
/** Draft: the status a sponsored SEP starts in (awaits a sponsor without one, and is not the awaiting state itself). */
const draftState = (rules: Rules) => rules.statuses.find((s) => s.awaitsSponsor && s.id !== awaitingState(rules)?.id)?.id ?? "draft";

/** Whether this command would take the SEP out of a closed pull request (reviving it). */
function reopens(command: CommandRule, line: CommandLine, w: Working, rules: Rules): boolean {
  if (!isDormant(rules, w.state)) return false;
  if (command.does === "revive" || command.does === "sponsor") return true;
  if (command.does !== "status") return false;
  const target = command.to ?? targetOf(line.rest, rules);
  return !!target && !statusRule(rules, target)?.closesPullRequest;
}

/** The status named at the start of the arguments ("in-review", "In Review because..."): the longest match of up to three words. */
function targetOf(rest: string, rules: Rules): string | null {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    const resolved = resolveStatus(words.slice(0, n).join(" "), rules);
    if (resolved && "id" in resolved) return resolved.id;
  }
  return null;
}

function assign(w: Working, login: string): void {
  if (!w.assignees.some((a) => sameLogin(a, login))) w.assignees.push(login);
}
function unassign(w: Working, login: string): void {
  w.assignees = w.assignees.filter((a) => !sameLogin(a, login));
}

function vote(line: CommandLine, w: Working, ctx: CommandContext, refuse: Refuse): LineOutcome {
  const choice = readVote(line.rest);
  if (!choice) return refuse("say how you vote: `/vote yes`, `/vote no` or `/vote abstain`, then your reason if you like.");
  const state = statusRule(ctx.rules, w.state);
  if (state?.frozen) return refuse(`voting is over: this SEP is ${state.display}.`);
  return { status: "done", line, what: `voted ${choice.choice}${choice.reason ? ` (${choice.reason.slice(0, 120)})` : ""}` };
}

function sponsor(line: CommandLine, comment: PersonComment, w: Working, ctx: CommandContext, refuse: Refuse): LineOutcome {
  const { rules } = ctx;
  const actor = comment.author;
  if (statusRule(rules, w.state)?.frozen) return refuse(`this SEP is ${display(rules, w.state)}; it needs no sponsor any more.`);
  const current = w.sponsor;
  const assigned = current ? w.assignees.some((a) => sameLogin(a, current.login)) : false;
  if (current && sameLogin(current.login, actor)) {
    if (assigned) return { status: "done", line, what: null };
  } else if (current && assigned) {
    return refuse(`@${current.login} already sponsors this SEP. They can \`/unsponsor\` if you are to take over.`);
  }
  w.sponsor = { login: actor, name: comment.authorName };
  assign(w, actor);
  const awaiting = awaitingState(rules)?.id;
  if (w.state === awaiting || isDormant(rules, w.state) || w.state === null) {
    w.state = draftState(rules);
    w.open = true;
  }
  return { status: "done", line, what: `@${actor} sponsors this SEP; status ${display(rules, w.state)}` };
}

function unsponsor(line: CommandLine, w: Working, ctx: CommandContext, refuse: Refuse): LineOutcome {
  const { rules } = ctx;
  const current = w.sponsor;
  if (!current) return refuse("this SEP has no sponsor to remove.");
  const state = statusRule(rules, w.state);
  if (state?.frozen) return refuse(`this SEP is ${state.display}; its sponsor stays on the record.`);
  w.sponsor = null;
  unassign(w, current.login);
  const awaiting = awaitingState(rules)?.id ?? null;
  if (!isDormant(rules, w.state)) w.state = awaiting;
  return { status: "done", line, what: `@${current.login} no longer sponsors this SEP; it awaits a sponsor` };
}

function revive(line: CommandLine, w: Working, ctx: CommandContext, refuse: Refuse): LineOutcome {
  const { rules } = ctx;
  if (!isDormant(rules, w.state)) return refuse(`only a dormant SEP can be revived; this one is ${display(rules, w.state)}.`);
  w.state = w.sponsor ? draftState(rules) : (awaitingState(rules)?.id ?? draftState(rules));
  w.open = true;
  return { status: "done", line, what: `revived: ${w.sponsor ? "Draft" : "awaiting a sponsor"}, pull request reopened` };
}

function supersede(line: CommandLine, comment: PersonComment, w: Working, ctx: CommandContext, command: CommandRule, refuse: Refuse): LineOutcome {
  const match = /^(?:SEP[-\s]?)?#?(\d{1,9})\b/i.exec(line.rest.trim());
  if (!match) return refuse("say which SEP replaces this one: `/supersede 1234`.");
  const by = Number(match[1]);
  if (by === ctx.pr.number || by === ctx.sep.number) return refuse("a SEP cannot supersede itself; give the number of the SEP that replaces it.");
  const moved = moveTo({ ...line, rest: "superseded" }, comment, w, ctx, { ...command, to: "superseded" }, refuse);
  if (moved.status !== "done") return moved;
  w.supersededBy = by;
  return { status: "done", line, what: `superseded by SEP-${by}` };
}

/** `/status <state>`, `/review`, `/accept`...: a status change the lifecycle and the roles allow. */
function moveTo(line: CommandLine, comment: PersonComment, w: Working, ctx: CommandContext, command: CommandRule, refuse: Refuse): LineOutcome {
  const { rules, people } = ctx;
  const actor = comment.author;
  const target = command.to ?? targetOf(line.rest, rules);
  const allowedTargets = (w.state ? (rules.transitions[w.state] ?? []) : []).map((id) => `\`${display(rules, id)}\``);
  if (!target) {
    const asked = line.rest.trim().split(/\s+/)[0];
    return refuse(`${asked ? `\`${asked}\` is not a status` : "say which status"}${allowedTargets.length ? `; from ${display(rules, w.state)} this SEP can move to ${allowedTargets.join(", ")}` : ""}: \`/status <status>\`.`);
  }
  // Already so (a retry after the commit landed but a later write failed): done, and the labels follow.
  if (target === w.state) return { status: "done", line, what: `status ${display(rules, target)}`, sets: target };
  if (!w.state || !(rules.transitions[w.state] ?? []).includes(target)) return refuse(transitionRefusal(rules, w.state ?? "", target, ctx.sep) ?? "that move is not allowed.");
  if (!maySetStatus(actor, target, people, rules)) {
    const status = statusRule(rules, target)!;
    const who = describeRoles(status.setBy ?? rules.statusChange.by, rules);
    const not = status.notBy.length ? ` (never ${describeRoles(status.notBy, rules)} of this SEP)` : "";
    return refuse(`only ${who}${not} can move a SEP to ${status.display}.`);
  }
  // Guards: a command's requirements also hold for /status to the same status (and for labels and pushes).
  const guard = guardRefusal(rules, target, ctx.sep, command.requires);
  if (guard) return refuse(`${guard.replace(/\.$/, "")}; then run \`${usage(line.name, command)}\` again.`);
  const status = statusRule(rules, target)!;
  const awaiting = awaitingState(rules)?.id;
  if (target === awaiting) {
    if (w.sponsor) unassign(w, w.sponsor.login);
    w.sponsor = null;
  } else if ((status.sponsored || status.awaitsSponsor) && !w.sponsor) {
    // Moving a SEP that awaits a sponsor past that stage: whoever may sponsor it does so now.
    if (!maySponsor(actor, people, rules)) return refuse(`${status.display} needs a sponsor first: a maintainer runs \`/sponsor\`.`);
    w.sponsor = { login: actor, name: comment.authorName };
    assign(w, actor);
  }
  w.state = target;
  if (status.stampField) w.stamp = ctx.tally.votes.length ? `${ctx.now.toISOString().slice(0, 10)}, ${tallyText(ctx.tally)}` : ctx.now.toISOString().slice(0, 10);
  if (status.closesPullRequest) w.open = false;
  else if (!w.open) w.open = true;
  return { status: "done", line, what: `status ${status.display}${status.closesPullRequest ? ", pull request closed" : ""}` };
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
