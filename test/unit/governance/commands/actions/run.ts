import { readFileSync } from "node:fs";
import type { LineOutcome, Working } from "../../../../../src/governance/commands/action.js";
import { evaluateCommands, type CommandsOutcome } from "../../../../../src/governance/commands/evaluate.js";
import { tally } from "../../../../../src/governance/commands/votes.js";
import { EMPTY_STATE } from "../../../../../src/governance/model/record.js";
import type { PersonComment } from "../../../../../src/governance/model/snapshot.js";
import { peopleOf, roleMembers } from "../../../../../src/governance/people/roles.js";
import { parseSep } from "../../../../../src/sep/parse.js";
import type { FinalGate } from "../../../../../src/governance/final/gate.js";
import type { Sdk } from "../../../../../src/governance/sdks/list.js";
import { NOW, rules, sepText } from "../../../../helpers/sep.js";
import { snapshot } from "../../../../helpers/snapshot.js";

/**
 * Commands run on one SEP pull request through `evaluateCommands`, as the
 * planner runs them, without Probot or the fake GitHub.
 *
 * People (test/fixtures/maintainers/MAINTAINERS.md): core maintainers
 * lea-lead and chen-core; maintainers tess-type (the usual sponsor) and
 * ivo-ig; emil-emeritus is emeritus; mo-moderator moderates; pieter wrote
 * the SEP and opened the PR; mallory is anyone.
 */

const MAINTAINERS = readFileSync(new URL("../../../../fixtures/maintainers/MAINTAINERS.md", import.meta.url), "utf8");
const ROLES = roleMembers(rules, MAINTAINERS, {});
const PATH = "seps/1933-streaming-widgets.md";
export const TESS = "Tess Type (@tess-type)";

export interface Pr {
  /** The Status field (default Draft). */
  status?: string;
  /** The Sponsor field (default none). */
  sponsor?: string;
  assignees?: string[];
  state?: "open" | "closed";
  merged?: boolean;
  /** The SEP's sections (default: all written). */
  sections?: string;
  fixable?: number;
  blocker?: string | null;
  /** What the road to Final still needs (final/gate.ts). */
  gate?: FinalGate | null;
  /** The Type field (default the template's). */
  type?: string;
  /** The SDKs `/track skip` may name (default none known). */
  sdks?: Sdk[];
}

/** A SEP awaiting a sponsor; one sponsored by tess-type; one in review. */
export const AWAITING: Pr = {};
export const SPONSORED: Pr = { sponsor: TESS, assignees: ["tess-type"] };
export const IN_REVIEW: Pr = { ...SPONSORED, status: "In-Review" };

let nextId = 100;

/** A comment by `author`. */
export function said(author: string, body: string, o: Partial<PersonComment> = {}): PersonComment {
  const id = nextId++;
  return { id, author, authorName: null, body, createdAt: NOW.toISOString(), editedAt: null, editor: null, url: `https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1933#issuecomment-${id}`, reacted: false, ...o };
}

/** The comments' commands, run in order on the pull request. */
export function run(pr: Pr, ...discussion: PersonComment[]): CommandsOutcome {
  const text = sepText({
    heading: "# SEP-1933: Streaming Widgets",
    status: pr.status ?? "Draft",
    sponsor: pr.sponsor ?? "None (seeking sponsor)",
    authors: "Pieter Author (@pieter)",
    pr: "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/1933",
    ...(pr.type ? { type: pr.type } : {}),
    ...(pr.sections ? { sections: pr.sections } : {}),
  });
  const sep = parseSep(text, PATH, { rules });
  const s = snapshot({ files: [], roles: ROLES, discussion, pr: { assignees: pr.assignees ?? [], state: pr.state ?? "open", merged: pr.merged ?? false } });
  const people = peopleOf(s, sep, null, rules);
  return evaluateCommands({
    rules,
    people,
    sep,
    pr: s.pr,
    discussion,
    state: EMPTY_STATE,
    tally: tally(discussion, people, rules),
    now: NOW,
    fixable: pr.fixable ?? 0,
    blocker: pr.blocker ?? null,
    gate: pr.gate ?? null,
    sdks: pr.sdks ?? null,
  });
}

/** One comment holding one command: what became of it, and the state before and after. */
export function one(pr: Pr, author: string, body: string, o: Partial<PersonComment> = {}): { outcome: LineOutcome; initial: Working; final: Working; approved: CommandsOutcome["approved"] } {
  const result = run(pr, said(author, body, o));
  const outcomes = result.results.flatMap((r) => r.outcomes);
  if (outcomes.length !== 1) throw new Error(`expected one outcome, got ${JSON.stringify(outcomes)}`);
  return { outcome: outcomes[0]!, initial: result.initial, final: result.final, approved: result.approved };
}

/** Why the command was refused; it must also have changed nothing. */
export function refusal(pr: Pr, author: string, body: string): string {
  const { outcome, initial, final, approved } = one(pr, author, body);
  if (outcome.status !== "refused") throw new Error(`not refused: ${JSON.stringify(outcome)}`);
  if (JSON.stringify(final) !== JSON.stringify(initial) || approved) throw new Error(`a refusal changed the state: ${JSON.stringify({ initial, final, approved })}`);
  return outcome.why;
}
