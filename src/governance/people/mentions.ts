import { HANDLE } from "../../sep/values.js";

/** Who a comment notifies: what the planner and the sweep's preview count as an @mention. */

const MENTION = new RegExp(`(?:^|[^A-Za-z0-9_.\`/])@(${HANDLE}(?:/[A-Za-z0-9][A-Za-z0-9_-]*)?)(?![A-Za-z0-9-])`, "g");
const FENCE = /^\s*(`{3,}|~{3,})/;

/**
 * The people a markdown body @mentions, as GitHub would notify them: `@login`
 * (or `@org/team`) at a word start, outside code (fenced blocks, code spans)
 * and HTML comments; `@\u200b` (how sep-bot writes a name it must not ping)
 * is no mention. Lowercase, each once, in order of appearance.
 */
export function mentionsIn(body: string): string[] {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of body.replace(/<!--[\s\S]*?-->/g, " ").split(/\r\n|\r|\n/)) {
    const marker = FENCE.exec(line)?.[1];
    if (fence === null && marker) fence = marker;
    else if (fence !== null && marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
    else if (fence === null) lines.push(line);
  }
  // A code span: a run of backticks to the next run of the same length.
  const text = lines.join("\n").replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, " ");
  const seen = new Set<string>();
  for (const m of text.matchAll(MENTION)) seen.add(m[1]!.toLowerCase());
  return [...seen];
}
