import { awaitingState, statusRule } from "../../status/states.js";
import { isDormant, refuse, unassign, type CommandHandler } from "../action.js";

/**
 * `/unsponsor`: the sponsor steps back (Sponsor cleared, unassigned) and the
 * SEP awaits a sponsor again; a dormant one stays dormant, and a SEP past
 * review keeps its sponsor on the record.
 */
export const unsponsor: CommandHandler = {
  help: { summary: "stop sponsoring (Sponsor cleared, unassigned; the SEP awaits a sponsor again)" },
  changesState: true,
  run(use) {
    const { line, working: w, ctx } = use;
    const { rules } = ctx;
    const current = w.sponsor;
    if (!current) return refuse(use, "this SEP has no sponsor to remove.");
    const state = statusRule(rules, w.state);
    if (state?.frozen) return refuse(use, `this SEP is ${state.display}; its sponsor stays on the record.`);
    w.sponsor = null;
    unassign(w, current.login);
    const awaiting = awaitingState(rules)?.id ?? null;
    if (!isDormant(rules, w.state)) w.state = awaiting;
    return { status: "done", line, what: `@${current.login} no longer sponsors this SEP; it awaits a sponsor` };
  },
};
