import { awaitingState } from "../../status/states.js";
import { display, draftState, isDormant, refuse, type CommandHandler } from "../action.js";

/** `/revive`: a dormant SEP's pull request reopens, Draft if it has a sponsor, else awaiting one. */
export const revive: CommandHandler = {
  help: { summary: "reopen a dormant SEP (awaiting a sponsor, or Draft if it has one)" },
  changesState: true,
  reopens: () => true,
  run(use) {
    const { line, working: w, ctx } = use;
    const { rules } = ctx;
    if (!isDormant(rules, w.state)) return refuse(use, `only a dormant SEP can be revived; this one is ${display(rules, w.state)}.`);
    w.state = w.sponsor ? draftState(rules) : (awaitingState(rules)?.id ?? draftState(rules));
    w.open = true;
    return { status: "done", line, what: `revived: ${w.sponsor ? "Draft" : "awaiting a sponsor"}, pull request reopened` };
  },
};
