import matter from "gray-matter";
import { isMap, isNode, isScalar, type Pair } from "yaml";
import { parseSafeYaml, YamlError } from "../shared/yaml.js";
import type { Field } from "./model.js";
import { MAX_VALUE_LENGTH, type FieldNamer } from "./preamble.js";

/**
 * YAML front matter (`---` ... `---`), as some authors and other proposal
 * processes write the preamble. gray-matter finds the block; every engine
 * that is not data is replaced by one that refuses, because gray-matter would
 * otherwise `eval` a `---js` block (CVE-2022-25863). YAML is parsed with the
 * safe parser (core schema, alias budget, size cap).
 */
export interface FrontMatter {
  fields: Field[];
  title: string | null;
  number: string | null;
  closeLine: number; // 0-based index of the closing `---` (or the last line if unclosed)
  /** A block mapping: values can be rewritten and keys added. A flow mapping (JSON) cannot. */
  editable?: boolean;
}

export class FrontMatterError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const DATA_LANGUAGES = new Set(["", "yaml", "yml", "json"]);

function refuse(language: string) {
  return () => {
    throw new FrontMatterError(`front matter in \`${language}\` is not allowed; only YAML is read`, 1);
  };
}

/** True when the text opens with a front matter delimiter (`---` alone, or `---lang`). */
export function hasFrontMatter(lines: readonly string[]): boolean {
  const first = lines[0];
  return first !== undefined && /^---(?!-)[ \t]*[A-Za-z]*[ \t]*$/.test(first) && lines.length > 1;
}

export function readFrontMatter(
  lines: readonly string[],
  named: FieldNamer,
  limits: { maxBytes: number; maxAliases: number },
): FrontMatter {
  const language = lines[0]!.slice(3).trim().toLowerCase();
  if (!DATA_LANGUAGES.has(language)) {
    throw new FrontMatterError(`front matter in \`${language}\` is not allowed; only YAML is read, never code`, 1);
  }
  let closeLine = lines.findIndex((line, i) => i > 0 && /^---[ \t]*$/.test(line));
  if (closeLine === -1) throw new FrontMatterError("front matter opened with `---` is never closed with `---`", 1);

  let parsed: ReturnType<typeof parseSafeYaml> | undefined;
  const yamlEngine = (text: string) => {
    parsed = parseSafeYaml(text, limits);
    return parsed.data;
  };
  const text = lines.slice(0, closeLine + 1).join("\n") + "\n";
  try {
    // Passing options also keeps gray-matter's global cache out of it.
    matter(text, {
      language: "yaml",
      engines: {
        yaml: yamlEngine,
        yml: yamlEngine,
        json: yamlEngine, // JSON is YAML; one safe parser for both
        javascript: refuse("javascript"),
        js: refuse("js"),
        coffee: refuse("coffee"),
        coffeescript: refuse("coffeescript"),
        cson: refuse("cson"),
        toml: refuse("toml"),
      },
    } as unknown as Parameters<typeof matter>[1]);
  } catch (error) {
    if (error instanceof FrontMatterError) throw error;
    const line = error instanceof YamlError && error.line ? error.line : 1;
    throw new FrontMatterError(`front matter is not valid YAML: ${(error as Error).message}`, line);
  }

  const fields: Field[] = [];
  let title: string | null = null;
  let number: string | null = null;
  if (!parsed) return { fields, title, number, closeLine, editable: true };
  const contents = parsed.document.contents;
  if (contents !== null && !isMap(contents)) throw new FrontMatterError("front matter must be a YAML mapping of fields", 2);
  // A flow mapping (`{status: draft, ...}`, JSON) is read, never edited in place: a value written into it
  // could end it early or add keys. People change those by hand; the bot says what to set.
  const editable = !(contents && isMap(contents) && contents.flow);
  for (const pair of (contents?.items ?? []) as Pair[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : null;
    if (key === null) continue;
    const offset = isScalar(pair.key) && pair.key.range ? pair.key.range[0] : 0;
    const pos = parsed.lineCounter.linePos(offset);
    const value = stringify(isNode(pair.value) ? pair.value.toJS(parsed.document, { maxAliasCount: limits.maxAliases }) : pair.value);
    const lower = key.toLowerCase();
    if (lower === "title") {
      title = value;
      continue;
    }
    if (lower === "sep" || lower === "number") {
      number = value;
      continue;
    }
    const line = pos.line; // the matter text starts at document line 1 (the opening ---)
    const field: Field = { key: key.slice(0, 100), id: named(key), value: value.slice(0, MAX_VALUE_LENGTH), line, column: pos.col, endLine: line, valueColumn: pos.col + key.length + 2 };
    // A one-line scalar (plain or quoted) can be rewritten in place; anything else is left to people.
    const emptyAt = { line, column: pos.col + key.length + 1, endColumn: pos.col + key.length + 1 }; // just after `key:`
    if (!editable) {
      // no yamlValue: not rewritten in place
    } else if (pair.value === null || (isScalar(pair.value) && pair.value.value === null && (!pair.value.range || pair.value.range[0] === pair.value.range[1]))) {
      if (lines[line - 1]?.slice(pos.col - 1, pos.col + key.length) === `${key}:`) field.yamlValue = emptyAt;
    } else if (isScalar(pair.value) && pair.value.range) {
      const start = parsed.lineCounter.linePos(pair.value.range[0]);
      const end = parsed.lineCounter.linePos(pair.value.range[1]);
      if (start.line === end.line && typeof pair.value.value !== "object") field.yamlValue = { line: start.line, column: start.col, endColumn: end.col };
    }
    fields.push(field);
  }
  return { fields, title, number, closeLine, editable };
}

/** Front matter values become the same text a bullet preamble would hold. */
function stringify(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(stringify).filter(Boolean).join(", ");
  if (typeof value === "object") {
    // An author as a mapping: { name, github|handle, email }
    const record = value as Record<string, unknown>;
    const name = typeof record.name === "string" ? record.name : "";
    const handle = [record.github, record.handle, record.username, record.login].find((v) => typeof v === "string") as string | undefined;
    const email = typeof record.email === "string" ? record.email : "";
    return [name, email && `<${email}>`, handle && `(@${handle.replace(/^@/, "")})`].filter(Boolean).join(" ");
  }
  return "";
}
