import { awaitingState, statusRule } from "../../status/states.js";
import { sameLogin } from "../../../shared/logins.js";
import { assign, display, draftState, isDormant, refuse, type CommandHandler } from "../action.js";

/**
 * `/sponsor`: the commenter becomes the sponsor (named in the file and
 * assigned); a SEP awaiting a sponsor, or dormant, becomes Draft. Taking
 * over from a sponsor still assigned needs their `/unsponsor` first.
 */
export const sponsor: CommandHandler = {
  help: { summary: "become this SEP's sponsor (you are assigned, named Sponsor, and the SEP becomes Draft)" },
  changesState: true,
  reopens: () => true,
  run(use) {
    const { line, comment, working: w, ctx } = use;
    const { rules } = ctx;
    const actor = comment.author;
    if (statusRule(rules, w.state)?.frozen) return refuse(use, `this SEP is ${display(rules, w.state)}; it needs no sponsor any more.`);
    const current = w.sponsor;
    const assigned = current ? w.assignees.some((a) => sameLogin(a, current.login)) : false;
    if (current && sameLogin(current.login, actor)) {
      if (assigned) return { status: "done", line, what: null };
    } else if (current && assigned) {
      return refuse(use, `@${current.login} already sponsors this SEP. They can \`/unsponsor\` if you are to take over.`);
    }
    w.sponsor = { login: actor, name: comment.authorName };
    assign(w, actor);
    const awaiting = awaitingState(rules)?.id;
    if (w.state === awaiting || isDormant(rules, w.state) || w.state === null) {
      w.state = draftState(rules);
      w.open = true;
    }
    return { status: "done", line, what: `@${actor} sponsors this SEP; status ${display(rules, w.state)}` };
  },
};
