import type { Rules } from "../../../rules/schema.js";
import { allowed, type People } from "../../people/roles.js";
import { helpLine } from "../help.js";
import type { CommandHandler } from "../action.js";

/** `/help`: the commands its author may use on this pull request, each as docs/commands.md words it. */
export const help: CommandHandler = {
  help: { summary: "list the commands you may use here" },
  changesState: false,
  run: ({ line, comment, ctx }) => ({ status: "help", line, text: helpFor(comment.author, ctx.people, ctx.rules) }),
};

/** The reply to `/help`: the commands `login` may use on this pull request. */
export function helpFor(login: string, people: People, rules: Rules): string {
  const mine = Object.entries(rules.commands).filter(([, command]) => allowed(login, command.who, command.notBy, people));
  const lines = mine.map(([name, command]) => `- ${helpLine(rules, name, command)}`);
  return [
    `Commands you may use on this pull request (one per line in a comment; [all commands](${rules.links.commands})):`,
    "",
    ...lines,
  ].join("\n");
}
