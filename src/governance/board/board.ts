import type { Rules } from "../../rules/schema.js";
import type { Contribution } from "../model/contribution.js";
import type { ProjectItemEffect } from "../model/effects.js";
import { statusRule } from "../status/states.js";
import type { BoardRead } from "../model/snapshot.js";

/**
 * The maintainers' project board (Projects v2), kept in step with each SEP:
 * the pull request is an item of the board, and the board's single-select
 * field (Status) shows the option of the SEP's state. Pure: the snapshot
 * reads the board and the item, this says what to write, or why it cannot
 * (a missing permission, a renamed option), for the check run to say.
 */

export interface BoardPlan {
  effect: ProjectItemEffect | null;
  note: string | null;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The option a state should show: the rules' mapping, else an option named like the state. */
export function optionFor(rules: Rules, state: string | null, options: ReadonlyArray<{ id: string; name: string }>): { option: { id: string; name: string } | null; missing: string | null } {
  const project = rules.project;
  if (!project || !state) return { option: null, missing: null };
  const mapped = project.options[state];
  const name = mapped ?? statusRule(rules, state)?.display ?? state;
  const option = options.find((o) => same(o.name, name)) ?? null;
  // A state the rules map to an option the board no longer has is drift worth saying; an unmapped one is left alone.
  return { option, missing: !option && mapped ? mapped : null };
}

export function planBoard(rules: Rules, read: BoardRead | null | undefined, state: string | null): BoardPlan {
  const project = rules.project;
  if (!project || !read) return { effect: null, note: null };
  const where = `project ${project.owner}#${project.number}`;
  if (!read.board) return { effect: null, note: read.note ?? `The ${where} could not be read, so its item for this SEP was not updated.` };
  if (!read.board.canUpdate) {
    return { effect: null, note: `sep-bot may not edit the ${where} (the app needs the Organization projects: read and write permission), so the board may not show this SEP's status.` };
  }
  const field = read.board.field;
  if (!field) return { effect: null, note: `The ${where} has no single-select field named \`${project.field}\`; set \`project.field\` in the rules to the board's status field.` };
  const { option, missing } = optionFor(rules, state, field.options);
  const note = missing
    ? `The ${where} has no option \`${missing}\` in its \`${project.field}\` field (for ${statusRule(rules, state)?.display ?? state}); rename the option back, or change \`project.options.${state}\` in the rules.`
    : null;
  const onBoard = read.item !== null;
  const rightOption = !option || (read.item?.option !== null && read.item?.option !== undefined && same(read.item.option, option.name));
  if (onBoard && rightOption) return { effect: null, note };
  return {
    effect: {
      kind: "project-item",
      projectId: read.board.id,
      contentId: read.contentId,
      itemId: read.item?.id ?? null,
      fieldId: field.id,
      optionId: option?.id ?? null,
      option: option?.name ?? null,
    },
    note,
  };
}

/** The board's contribution: its item, last (an extra whose failure must not hold back the record); what stops it, a note for the check. */
export function boardOf(rules: Rules, read: BoardRead | null | undefined, state: string | null): { note: string | null; part: Contribution } {
  const { effect, note } = planBoard(rules, read, state);
  if (!effect) return { note, part: {} };
  const what = `${effect.itemId ? "" : "add the item, "}${effect.option ? `set ${rules.project!.field} to ${effect.option}` : "leave its field"}`;
  return { note, part: { effects: { board: [effect] }, reasons: { board: [`project board: ${what}`] } } };
}
