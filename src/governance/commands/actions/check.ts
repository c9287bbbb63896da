import type { CommandHandler } from "../action.js";

/** `/check`: the SEP checks run again, whatever their digest says (the planner posts the check run). */
export const check: CommandHandler = {
  help: { summary: "run the SEP checks again" },
  changesState: false,
  run({ line, working }) {
    working.forceCheck = true;
    return { status: "done", line, what: null };
  },
};
