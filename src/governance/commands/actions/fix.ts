import { refuse, type CommandHandler } from "../action.js";

/**
 * `/fix`: commit the fixes the check knows for its findings (the planner
 * computes them; this only asks for them), when there are any and sep-bot
 * can push to the branch.
 */
export const fix: CommandHandler = {
  help: { summary: `commit the fixes sep-bot knows for the check's findings (where the check offers a "Fix these" button, it does the same)` },
  changesState: true,
  run(use) {
    const { line, working, ctx } = use;
    if (!ctx.fixable) return refuse(use, "there is nothing sep-bot can fix by itself here: the **SEP checks** run lists what needs a person, and how.");
    if (ctx.blocker) return refuse(use, `sep-bot cannot push to this branch (${ctx.blocker}). Apply the fixes listed in the **SEP checks** run yourself; each says what to change.`);
    working.fix = true;
    return { status: "done", line, what: `applied sep-bot's fixes for ${ctx.fixable} finding${ctx.fixable === 1 ? "" : "s"}` };
  },
};
