import type { Rules } from "../rules/schema.js";
import type { Sep } from "./model.js";
import { isPlaceholder } from "./values.js";

/** A single-line text replacement: columns are 1-based, endColumn exclusive. */
export interface Edit {
  line: number;
  column: number;
  endColumn: number;
  text: string;
}

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

/** A YAML scalar for a front matter value: plain when that reads back the same, else double-quoted (JSON is YAML). */
export function yamlScalar(value: string): string {
  const plain = /^[A-Za-z0-9(][\w .,()@/+'-]*$/.test(value) && !/:\s|\s#|\s$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+]?[\d._]+(e[-+]?\d+)?)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** The field to change, by rules id (`status`) or by its key as written (`Superseded-By`). */
export interface FieldRef {
  id?: string;
  key: string;
}

function findField(sep: Sep, ref: FieldRef) {
  return sep.fields.find((f) => (ref.id ? f.id === ref.id : f.key.toLowerCase() === ref.key.toLowerCase()));
}

/**
 * Sets one preamble field to `value`, whatever the preamble style: the value
 * of a one-line field is replaced in place (front matter: the YAML scalar, its
 * quoting chosen anew); a missing field is added after the first of `after`
 * that exists (bullets) or at the end of the front matter. Null when it cannot
 * be done without touching more than that line (a value over several lines, a
 * table row to add): people must do it, and the bot says how.
 */
export function setField(sep: Sep, ref: FieldRef, value: string, after: readonly string[] = []): TextChange | null {
  const field = findField(sep, ref);
  if (field) {
    if (sep.preambleStyle === "front-matter") {
      const at = field.yamlValue;
      if (!at) return null;
      const written = yamlScalar(value);
      const text = at.column === at.endColumn ? ` ${written}` : written;
      return { edits: [{ line: at.line, column: at.column, endColumn: at.endColumn, text }], inserts: [] };
    }
    if (field.line !== field.endLine) return null;
    if (field.value === value) return { edits: [], inserts: [] };
    return { edits: [{ line: field.line, column: field.valueColumn, endColumn: field.valueColumn + field.value.length, text: value }], inserts: [] };
  }
  if (sep.preambleStyle === "front-matter") {
    if (sep.frontMatterEnd === null) return null;
    return { edits: [], inserts: [{ afterLine: sep.frontMatterEnd - 1, text: `${ref.key.toLowerCase()}: ${yamlScalar(value)}` }] };
  }
  if (sep.preambleStyle !== "bullets") return null;
  const anchor = after.map((id) => sep.fields.find((f) => f.id === id || f.key.toLowerCase() === id.toLowerCase())).find(Boolean) ?? sep.fields.at(-1);
  if (!anchor) return null;
  return { edits: [], inserts: [{ afterLine: anchor.endLine, text: `- **${ref.key}**: ${value}` }] };
}

/**
 * Sets the Status field (and, when the status stamps a field such as
 * Accepted, that field too, when it is missing or still empty or a placeholder).
 */
export function setStatus(sep: Sep, display: string, stamp: { field: string; date: string } | null): TextChange | null {
  const change = setField(sep, { id: "status", key: "Status" }, display);
  if (!change) return null;
  if (stamp) {
    const existing = findField(sep, { key: stamp.field });
    if (!existing || existing.value.trim() === "" || isPlaceholder(existing.value)) {
      const stamped = setField(sep, { key: stamp.field }, stamp.date, ["created", "status"]);
      if (stamped) return mergeChanges(change, stamped);
    }
  }
  return change;
}

/** Names a sponsor: replaces the Sponsor value ("None (seeking sponsor)"), or adds the field after Author(s). */
export function setSponsor(sep: Sep, sponsor: string): TextChange | null {
  return setField(sep, { id: "sponsor", key: "Sponsor" }, sponsor, ["authors"]);
}
