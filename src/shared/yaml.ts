import { parseDocument, LineCounter, type Document } from "yaml";

/**
 * YAML for untrusted input: the `core` schema (no custom tags, no timestamps,
 * no functions), a small alias budget (defeats "billion laughs"), and a size
 * cap checked before parsing. Returns plain data or a readable error.
 */
export interface SafeYaml {
  data: unknown;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

export class YamlError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
  }
}

export function parseSafeYaml(text: string, opts: { maxBytes: number; maxAliases: number }): SafeYaml {
  if (Buffer.byteLength(text, "utf8") > opts.maxBytes) {
    throw new YamlError(`YAML is larger than ${opts.maxBytes} bytes`, null, null);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    schema: "core",
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: [],
    // `merge` keys (<<) would let aliases multiply; keep YAML 1.2 core only.
    merge: false,
  });
  const first = document.errors[0];
  if (first) {
    const pos = first.pos ? lineCounter.linePos(first.pos[0]) : null;
    throw new YamlError(first.message.split("\n")[0] ?? "invalid YAML", pos?.line ?? null, pos?.col ?? null);
  }
  try {
    const data = document.toJS({ maxAliasCount: opts.maxAliases });
    return { data, document, lineCounter };
  } catch (error) {
    throw new YamlError(error instanceof Error ? error.message : String(error), null, null);
  }
}
