import type { Field, PreambleStyle } from "./model.js";
import { LINE_CODE, LINE_HTML } from "./blocks.js";

/**
 * Reads the markdown preamble: the fields between the title heading and the
 * first section. Real SEPs write it as a bullet list of bold keys
 * (`- **Status**: Draft`, also `* ` and `**Status:**`), as a table
 * (`| Status | Draft |`), or as bold lines without bullets. Values may go on
 * over indented lines.
 */
export interface Preamble {
  style: PreambleStyle;
  fields: Field[];
}

/** Maps a key as written to a field id, or null for an extra field. */
export type FieldNamer = (key: string) => string | null;

/**
 * Longest value kept. Real values are a few dozen characters (a long author
 * list a few hundred). The value readers are linear; the cap bounds what a
 * hostile file can make any later step (messages, comments) carry.
 */
export const MAX_VALUE_LENGTH = 200_000;

const BULLET = /^( {0,3})([-*+])[ \t]+/;
// `**Key**: value` / `**Key:** value` / `__Key__:` ; the key is short and has no sentence punctuation.
const BOLD_KEY = /^(\*\*|__)([A-Za-z][A-Za-z0-9 ()/&.'-]{0,40}?)(:?)\1[ \t]*(:?)[ \t]*/;
const PLAIN_KEY = /^([A-Za-z][A-Za-z0-9 ()/-]{0,30}?)[ \t]*:[ \t]+/;
const TABLE_ROW = /^ {0,3}\|(.*)\|[ \t]*$/;
const HTML_BOLD_KEY = /^ {0,3}<(b|strong)>([A-Za-z][A-Za-z0-9 ()/&.'-]{0,40}?):?<\/\1>:?[ \t]*/i;
const TABLE_RULE = /^[\s|:-]+$/;

interface KeyMatch {
  key: string;
  valueOffset: number; // index in the line where the value starts
  bold: boolean;
}

function matchKey(line: string, offset: number, named: FieldNamer): KeyMatch | null {
  const rest = line.slice(offset);
  // Issue-era SEPs: `<b>Status:</b> Accepted<br>`.
  const html = HTML_BOLD_KEY.exec(rest);
  if (html) return { key: html[2]!.trim(), valueOffset: offset + html[0].length, bold: true };
  const bold = BOLD_KEY.exec(rest);
  // Exactly one colon, inside or after the bold.
  if (bold && (bold[3] === ":") !== (bold[4] === ":")) {
    return { key: bold[2]!.trim(), valueOffset: offset + bold[0].length, bold: true };
  }
  const plain = PLAIN_KEY.exec(rest);
  // Plain `Key: value` only for known keys: otherwise prose like "Note: ..." would become a field.
  if (plain && named(plain[1]!.trim()) !== null) {
    return { key: plain[1]!.trim(), valueOffset: offset + plain[0].length, bold: false };
  }
  return null;
}

function stripCell(cell: string): string {
  return cell.trim().replace(/^(\*\*|__)(.*)\1$/, "$2").replace(/:$/, "").trim();
}

export function readPreamble(
  lines: readonly string[],
  kinds: Uint8Array,
  from: number, // 0-based first line to look at
  to: number, // 0-based line to stop before (the first section)
  named: FieldNamer,
): Preamble {
  const fields: Field[] = [];
  let style: PreambleStyle = "none";
  let last: Field | null = null; // the field a continuation line would extend
  let lastIndent = 0;

  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (kinds[i] === LINE_CODE) {
      if (fields.length) break;
      continue;
    }
    if (kinds[i] === LINE_HTML && !HTML_BOLD_KEY.test(line)) {
      if (fields.length) break;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === "") {
      last = null;
      continue;
    }
    if (/^ {0,3}>/.test(line)) {
      if (fields.length) break;
      continue; // the template's "> **Note**" before the fields
    }

    let match: KeyMatch | null = null;
    let lineStyle: PreambleStyle = "none";
    let column = 1;
    const bullet = BULLET.exec(line);
    const row = TABLE_ROW.exec(line);
    if (bullet) {
      match = matchKey(line, bullet[0].length, named);
      lineStyle = "bullets";
      column = bullet[1]!.length + 1;
    } else if (row) {
      if (TABLE_RULE.test(trimmed)) continue;
      const cells = row[1]!.split("|");
      const key = stripCell(cells[0] ?? "");
      const value = cells.slice(1).join("|").trim();
      if (/^(field|key|name|property|metadata)$/i.test(key) || key === "" || cells.length < 2) continue;
      if (/^[A-Za-z][A-Za-z0-9 ()/&.'-]{0,40}$/.test(key)) {
        const valueOffset = line.indexOf(value, line.indexOf("|", line.indexOf("|") + 1));
        match = { key, valueOffset: valueOffset >= 0 ? valueOffset : line.length, bold: false };
        lineStyle = "table";
        column = line.indexOf("|") + 1;
      }
    } else {
      const indent = line.length - line.trimStart().length;
      // An indented line after a field (or a lazy line inside a bullet) continues its value.
      if (last && (indent > lastIndent || (style === "bullets" && !matchKey(line, indent, named)))) {
        if (last.value.length < MAX_VALUE_LENGTH) last.value = `${last.value} ${trimmed}`.trim().slice(0, MAX_VALUE_LENGTH);
        last.endLine = i + 1;
        continue;
      }
      if (indent <= 3) {
        match = matchKey(line, indent, named);
        lineStyle = "bold-lines";
        column = indent + 1;
      }
    }

    if (!match) {
      // Prose after the fields ends the preamble; prose before them is an introduction.
      if (fields.length) break;
      last = null;
      continue;
    }
    const rawValue = line.slice(match.valueOffset);
    // A trailing <br> is the line break of an HTML preamble, not part of the value.
    const capped = rawValue.slice(0, MAX_VALUE_LENGTH + 1).replace(/<br\s*\/?>\s*$/i, "");
    const value = (lineStyle === "table" ? capped.replace(/\|[ \t]*$/, "").trim() : capped.trim()).slice(0, MAX_VALUE_LENGTH);
    const field: Field = {
      key: match.key,
      id: named(match.key),
      value,
      line: i + 1,
      column,
      endLine: i + 1,
      valueColumn: match.valueOffset + 1 + (rawValue.length - rawValue.trimStart().length),
    };
    fields.push(field);
    if (style === "none") style = lineStyle;
    last = lineStyle === "table" ? null : field;
    lastIndent = column - 1;
  }
  return { style, fields };
}
