import { appendFileSync } from "node:fs";
import { inline } from "../reports/digest/render.js";
import { escapeData, errorMessages, type Io } from "./log.js";

/**
 * The step summary: the markdown a workflow run shows on its page, appended
 * to $GITHUB_STEP_SUMMARY as @actions/core's `summary.write()` does (so the
 * steps before and after keep theirs); nothing outside a workflow. Text
 * people wrote (SEP titles, findings' messages, paths) goes through `text`:
 * one line, no HTML, no `|` to break a table, no mention.
 */

/** Untrusted text as markdown text, for a table cell or a list item. */
export function text(value: string, max = 300): string {
  return inline(value, max);
}

/** A markdown table; the cells are already markdown (pass people's text through `text`). */
export function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Count and noun: "1 pull request", "2 pull requests". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * Appends a step's summary. One that cannot be written is a warning: the
 * run's work is done, and its log says the same.
 */
export function writeSummary(env: NodeJS.ProcessEnv, io: Io, markdown: string): void {
  if (!env.GITHUB_STEP_SUMMARY) return;
  try {
    appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown.trimEnd()}\n\n`);
  } catch (error) {
    io.err(`::warning::${escapeData(`sep-bot: cannot write the step summary to GITHUB_STEP_SUMMARY (${errorMessages(error).join("; ")})`)}\n`);
  }
}
