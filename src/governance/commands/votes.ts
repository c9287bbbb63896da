import type { Rules } from "../../rules/schema.js";
import { holds, type People } from "../people/roles.js";
import type { PersonComment } from "../model/snapshot.js";
import { parseCommands } from "./parse.js";
import { loginKey, sameLogin } from "../../shared/logins.js";

/**
 * The vote tally, read from the comments themselves every time (reconcile,
 * don't remember): each core maintainer's latest `/vote` counts, a later one
 * replacing an earlier, an edited comment counting as it reads now, a deleted
 * one not at all. Nothing in the bot's own memory can add or change a vote.
 */

export const VOTE_CHOICES = ["yes", "no", "abstain"] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

export interface Vote {
  login: string;
  choice: VoteChoice;
  reason: string;
  url: string;
}

export interface Tally {
  votes: Vote[];
  yes: number;
  no: number;
  abstain: number;
  /** Who may vote and has not (the voting role's members, authors of this SEP excepted). */
  missing: string[];
}

/** `yes`, `no` or `abstain`, and the rest as the reason; null when the first word is none of them. */
export function readVote(rest: string): { choice: VoteChoice; reason: string } | null {
  const [first = "", ...words] = rest.trim().split(/\s+/);
  const choice = VOTE_CHOICES.find((c) => c === first.toLowerCase().replace(/[.,!:;]+$/, ""));
  return choice ? { choice, reason: words.join(" ") } : null;
}

/** The commands (names, aliases included) that record a vote, and who may cast one. */
function voteCommands(rules: Pick<Rules, "commands" | "commandAliases">): { names: Set<string>; who: string[]; notBy: string[] } {
  const names = new Set<string>();
  let who: string[] = [];
  let notBy: string[] = [];
  for (const [name, command] of Object.entries(rules.commands)) {
    if (command.does !== "vote") continue;
    names.add(name);
    who = command.who;
    notBy = command.notBy;
  }
  for (const [alias, target] of Object.entries(rules.commandAliases)) if (names.has(target)) names.add(alias);
  return { names, who, notBy };
}

export function tally(discussion: readonly PersonComment[], people: People, rules: Pick<Rules, "commands" | "commandAliases">): Tally {
  const { names, who, notBy } = voteCommands(rules);
  const mayVote = (login: string) => who.some((role) => holds(login, role, people)) && !notBy.some((role) => holds(login, role, people));
  const latest = new Map<string, Vote>();
  for (const comment of discussion) {
    if (!mayVote(comment.author)) continue;
    // A vote someone else edited is nobody's vote: the voter's own comment counts, as they wrote it.
    if (comment.editor && !sameLogin(comment.editor, comment.author)) continue;
    for (const line of parseCommands(comment.body)) {
      if (!names.has(line.name)) continue;
      const vote = readVote(line.rest);
      if (!vote) continue;
      const login = loginKey(comment.author);
      latest.delete(login); // re-inserted: the map stays in vote order
      latest.set(login, { login: comment.author, choice: vote.choice, reason: vote.reason, url: comment.url });
    }
  }
  const votes = [...latest.values()];
  const eligible = new Set<string>();
  for (const role of who) for (const login of people.roles[role] ?? []) if (mayVote(login)) eligible.add(login);
  const missing = [...eligible].filter((login) => !latest.has(login)).sort();
  return {
    votes,
    yes: votes.filter((v) => v.choice === "yes").length,
    no: votes.filter((v) => v.choice === "no").length,
    abstain: votes.filter((v) => v.choice === "abstain").length,
    missing,
  };
}

/** The tally as the Accepted field records it: "5 Yes, 1 No, 0 Abstain". */
export function tallyText(t: Tally): string {
  return `${t.yes} Yes, ${t.no} No, ${t.abstain} Abstain`;
}
