import type { Edit } from "../lint/finding.js";
import type { Rules } from "../rules/schema.js";
import type { Sep } from "./model.js";

/**
 * Edits to a SEP's text that change only the bytes they must: line endings,
 * the byte-order mark, trailing spaces and every other line stay exactly as
 * they were. Columns in `Edit` are those of the parsed lines (BOM removed).
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const starts = lineStarts(text, bom);
  // Apply from the end so earlier offsets stay valid.
  const sorted = [...edits].sort((a, b) => b.line - a.line || b.column - a.column);
  let out = text;
  for (const edit of sorted) {
    const start = starts[edit.line - 1];
    if (start === undefined) throw new RangeError(`edit on line ${edit.line} is past the end of the file`);
    out = out.slice(0, start + edit.column - 1) + edit.text + out.slice(start + edit.endColumn - 1);
  }
  return out;
}

/** Offsets where each line starts, for \n, \r\n and lone \r alike. */
function lineStarts(text: string, from: number): number[] {
  const starts = [from];
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The line ending the file already uses, for inserted lines. */
function eol(text: string): string {
  return /\r\n/.test(text) ? "\r\n" : "\n";
}

/** A line to add after `afterLine` (1-based; 0 = at the top), e.g. a missing PR field. */
export interface Insert {
  afterLine: number;
  text: string;
}

/** Edits and inserted lines, all in the coordinates of the original text. */
export interface TextChange {
  edits: Edit[];
  inserts: Insert[];
}

export interface Renumbering extends TextChange {
  newPath: string;
}

/**
 * Renaming a SEP to its PR number: the file name, the number in the title
 * heading, and the PR field (set to the PR's URL). The heading's title text
 * and every other byte are kept.
 */
export function renumber(sep: Sep, prNumber: number, prUrl: string, rules: Rules): Renumbering {
  const edits: Edit[] = [];
  const heading = sep.titleHeading;
  if (heading && heading.line === heading.endLine) {
    const title = sep.title ?? "";
    const text = `SEP-${prNumber}: ${title}`.trimEnd();
    const current = heading.text;
    if (current !== text) edits.push({ line: heading.line, column: heading.textColumn, endColumn: heading.textColumn + current.length, text });
  }
  const inserts: Insert[] = [];
  const pr = sep.fields.find((f) => f.id === "pr");
  if (pr && sep.preambleStyle !== "front-matter") {
    if (pr.value !== prUrl && pr.line === pr.endLine) edits.push({ line: pr.line, column: pr.valueColumn, endColumn: pr.valueColumn + pr.value.length, text: prUrl });
  } else if (!pr && sep.preambleStyle === "bullets") {
    const last = sep.fields[sep.fields.length - 1]!;
    inserts.push({ afterLine: last.endLine, text: `- **PR**: ${prUrl}` });
  }
  const dir = sep.path.includes("/") ? sep.path.slice(0, sep.path.lastIndexOf("/") + 1) : `${rules.sepDirectory}/`;
  const slug = sep.slug ?? sep.fileName.replace(/\.md$/i, "");
  return { edits, inserts, newPath: `${dir}${prNumber}-${slug}.md` };
}

/** Applies edits, then inserted lines (bottom up, so line numbers stay those of the original). */
export function applyChange(text: string, change: TextChange): string {
  let out = applyEdits(text, change.edits);
  const nl = eol(out);
  for (const insert of [...change.inserts].sort((a, b) => b.afterLine - a.afterLine)) {
    const starts = lineStarts(out, out.charCodeAt(0) === 0xfeff ? 1 : 0);
    const at = starts[insert.afterLine];
    if (at === undefined || at >= out.length) out = `${out}${out === "" || /[\r\n]$/.test(out) ? "" : nl}${insert.text}${nl}`;
    else out = out.slice(0, at) + insert.text + nl + out.slice(at);
  }
  return out;
}

export function mergeChanges(a: TextChange, b: TextChange): TextChange {
  return { edits: [...a.edits, ...b.edits], inserts: [...a.inserts, ...b.inserts] };
}

/**
 * Sets the Status field (and, when the status stamps a date field such as
 * Accepted, that field too, if it is not already filled in).
 */
export function setStatus(sep: Sep, display: string, stamp: { field: string; date: string } | null): TextChange | null {
  const status = sep.fields.find((f) => f.id === "status");
  if (!status || status.line !== status.endLine || sep.preambleStyle === "front-matter") return null;
  const edits: Edit[] = [];
  if (status.value !== display) edits.push({ line: status.line, column: status.valueColumn, endColumn: status.valueColumn + status.value.length, text: display });
  const inserts: Insert[] = [];
  if (stamp) {
    const existing = sep.fields.find((f) => f.key.toLowerCase() === stamp.field.toLowerCase());
    if (!existing && sep.preambleStyle === "bullets") {
      const created = sep.fields.find((f) => f.id === "created") ?? status;
      inserts.push({ afterLine: created.endLine, text: `- **${stamp.field}**: ${stamp.date}` });
    }
  }
  return { edits, inserts };
}

/** Names a sponsor: replaces the Sponsor value ("None (seeking sponsor)"), or adds the field after Author(s). */
export function setSponsor(sep: Sep, sponsor: string): TextChange | null {
  if (sep.preambleStyle === "front-matter") return null;
  const field = sep.fields.find((f) => f.id === "sponsor");
  if (field) {
    if (field.line !== field.endLine) return null;
    return { edits: [{ line: field.line, column: field.valueColumn, endColumn: field.valueColumn + field.value.length, text: sponsor }], inserts: [] };
  }
  const after = sep.fields.find((f) => f.id === "authors") ?? sep.fields[sep.fields.length - 1];
  if (!after || sep.preambleStyle !== "bullets") return null;
  return { edits: [], inserts: [{ afterLine: after.endLine, text: `- **Sponsor**: ${sponsor}` }] };
}
