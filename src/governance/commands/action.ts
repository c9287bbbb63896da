import type { CommandRule, Rules } from "../../rules/schema.js";
import type { Sep } from "../../sep/model.js";
import type { People } from "../people/roles.js";
import type { PersonComment, PullRequestState } from "../model/snapshot.js";
import type { Approved, BotState } from "../model/record.js";
import { awaitingState, statusRule } from "../status/states.js";
import type { AssignedSponsor } from "../status/sponsorship.js";
import type { CommandLine } from "./parse.js";
import type { Tally } from "./votes.js";
import type { FinalGate } from "../final/gate.js";
import type { Sdk } from "../sdks/list.js";
import { sameLogin } from "../../shared/logins.js";

/**
 * What a command action is: the handler a rules command's `does:` names
 * (registry.ts), one file each in actions/. evaluate.ts finds the command,
 * checks who may use it and whether the pull request lets it change
 * anything; the handler does the rest, on the working state.
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
  /** `/track`: implementation tracking across the SDKs asked for (the planner files the issues), or what needs none. */
  track: { by: string; none: string | null; skip: Array<{ repo: string; reason: string }> } | null;
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
  /** What the road to Final still needs: `/final` is refused while it needs anything, unless a maintainer overrides. */
  gate?: FinalGate | null;
  /** The SDKs (rules `sdks`), when known: what `/track skip <sdk>` may name. */
  sdks?: readonly Sdk[] | null;
}

/** One command line, run by its comment's author under its rule (`/accept` is `does: status` with `to: accepted`). */
export interface CommandUse {
  line: CommandLine;
  comment: PersonComment;
  command: CommandRule;
  /** The state so far: what the command changes, it changes here. */
  working: Working;
  ctx: CommandContext;
}

export interface CommandHandler {
  /**
   * Its usage and what it does, as `/help` and docs/commands.md word the
   * command of the same name; they read that wording from rules/default.yml,
   * which a repository may reword (test/unit/governance/commands/registry.test.ts
   * keeps the two equal).
   */
  help: { args?: string; summary: string };
  /** It changes the SEP or its pull request: refused once the pull request is merged, or closed unless `reopens`. */
  changesState: boolean;
  /** On a dormant SEP (its pull request closed): whether this line takes it out of dormancy, and so may run. */
  reopens?: (use: CommandUse) => boolean;
  /** Runs the line: changes `use.working`, or leaves it alone and says why not. */
  run: (use: CommandUse) => LineOutcome;
}

export const refuse = (use: Pick<CommandUse, "line">, why: string): LineOutcome => ({ status: "refused", line: use.line, why });

export const display = (rules: Rules, state: string | null) => (state ? (statusRule(rules, state)?.display ?? state) : "an unknown status");
/** Dormant: a status whose SEP's pull request is closed until it is revived. */
export const isDormant = (rules: Rules, state: string | null) => !!statusRule(rules, state)?.closesPullRequest;
/** Draft: the status a sponsored SEP starts in (awaits a sponsor without one, and is not the awaiting state itself). */
export const draftState = (rules: Rules) => rules.statuses.find((s) => s.awaitsSponsor && s.id !== awaitingState(rules)?.id)?.id ?? "draft";

export function assign(w: Working, login: string): void {
  if (!w.assignees.some((a) => sameLogin(a, login))) w.assignees.push(login);
}
export function unassign(w: Working, login: string): void {
  w.assignees = w.assignees.filter((a) => !sameLogin(a, login));
}
