import { statusRule } from "../../status/states.js";
import { readVote } from "../votes.js";
import { refuse, type CommandHandler } from "../action.js";

/**
 * `/vote yes|no|abstain [reason]`: answered here; the vote itself is read
 * from the comments every time (votes.ts, which parses it with the same
 * `readVote`), so nothing in the working state changes.
 */
export const vote: CommandHandler = {
  help: { args: "yes|no|abstain [reason]", summary: "record your vote; a later vote replaces an earlier one" },
  changesState: false,
  run(use) {
    const { line, working: w, ctx } = use;
    const choice = readVote(line.rest);
    if (!choice) return refuse(use, "say how you vote: `/vote yes`, `/vote no` or `/vote abstain`, then your reason if you like.");
    const state = statusRule(ctx.rules, w.state);
    if (state?.frozen) return refuse(use, `voting is over: this SEP is ${state.display}.`);
    return { status: "done", line, what: `voted ${choice.choice}${choice.reason ? ` (${choice.reason.slice(0, 120)})` : ""}` };
  },
};
