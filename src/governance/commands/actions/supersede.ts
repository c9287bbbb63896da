import { refuse, type CommandHandler } from "../action.js";
import { moveTo } from "./status.js";

/**
 * `/supersede <SEP number>`: a status change to Superseded (with its
 * lifecycle, setters and guards, as `/status superseded`), plus the
 * Superseded-By field naming the SEP that replaces this one.
 */
export const supersede: CommandHandler = {
  help: { args: "<SEP number>", summary: "mark the SEP superseded by another (Superseded-By in the preamble)" },
  changesState: true,
  run(use) {
    const { line, working, ctx } = use;
    const by = replacement(line.rest);
    if (by === null) return refuse(use, "say which SEP replaces this one: `/supersede 1234`.");
    if (by === ctx.pr.number || by === ctx.sep.number) return refuse(use, "a SEP cannot supersede itself; give the number of the SEP that replaces it.");
    // The line stays as written: a refusal answers (and records) the line the person wrote.
    const moved = moveTo({ ...use, command: { ...use.command, to: "superseded" } });
    if (moved.status !== "done") return moved;
    working.supersededBy = by;
    return { status: "done", line, what: `superseded by SEP-${by}` };
  },
};

/** The replacing SEP's number at the start of the arguments: `1234`, `#1234`, `SEP-1234`; null when there is none. */
function replacement(rest: string): number | null {
  const match = /^(?:SEP[-\s]?)?#?(\d{1,9})\b/i.exec(rest.trim());
  return match ? Number(match[1]) : null;
}
