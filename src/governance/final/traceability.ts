import { createHash } from "node:crypto";
import { z } from "zod";
import { parseSafeYaml, YamlError } from "../../shared/yaml.js";

/**
 * The conformance repository's files, as its own tooling writes them
 * (modelcontextprotocol/conformance, `src/seps/`):
 *
 * - `sep-NNNN.yaml`: `sep`, `spec_url`, and `requirements`, a list of rows,
 *   each with `text` and either `check` (a check ID) or `excluded` (why it
 *   is not tested; with `issue` when the framework cannot express it yet);
 *   optional `url`.
 * - `traceability.json`: per SEP, which listed checks a run against the
 *   reference SDK emitted (`tested`/`untested`), the exclusions, rows with
 *   neither check nor exclusion (`unkeyed`) and emitted checks with no row
 *   (`untracked`).
 *
 * Both come from another repository, written by people: read leniently
 * (unknown keys are kept out of the way), bounded, and a file that cannot be
 * read is an error that says where.
 */

export interface Row {
  /** 0-based, in file order (the CLI's JSON and the manifest count the same way). */
  index: number;
  /** Its line in the YAML file. */
  line: number | null;
  text: string;
  check: string | null;
  excluded: string | null;
  /** The tracking issue of an exclusion: the `issue` key when it names one (a URL to an issue, `owner/repo#N`, `#N`), or an issue link in the reason. */
  issue: string | null;
  /** An `issue` value that names no issue (`none`, `TBD`, `n/a`): shown, but not a tracking issue. */
  badIssue: string | null;
  url: string | null;
}

export interface Traceability {
  sep: number | null;
  specUrl: string | null;
  rows: Row[];
}

export class ConformanceFileError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

const MAX_FILE_BYTES = 1_000_000;
const MAX_ROWS = 1000;
/** A row's text is read up to here (a requirement's sentence is, too: requirements.ts MAX_SENTENCE); past it, it is not a quote. */
export const MAX_ROW_TEXT = 4000;

const Text = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const RowSchema = z.looseObject({
  text: Text.nullish(),
  check: Text.nullish(),
  excluded: Text.nullish(),
  issue: Text.nullish(),
  url: Text.nullish(),
});
const FileSchema = z.looseObject({
  sep: z.union([z.number(), z.string()]).nullish(),
  spec_url: Text.nullish(),
  requirements: z.array(z.unknown()).max(MAX_ROWS).nullish(),
});

const ISSUE_LINK = /https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/issues\/\d+/;
/** What names an issue in `issue:`: a URL to one (`.../issues/12`), `owner/repo#12`, or `#12`. */
const ISSUE_REFERENCE = /https?:\/\/[^\s/]+\/\S*?\/issues\/\d+\b|(?<![\w/#])[\w.-]+\/[\w.-]+#\d+\b|(?<![\w/#&])#\d+\b/;

/** The issue an `issue:` value names, or null (`none`, `TBD`, `n/a`, a pull request). */
function issueReference(value: string): string | null {
  return ISSUE_REFERENCE.exec(value.slice(0, 1000))?.[0] ?? null;
}

export function parseTraceability(text: string): Traceability {
  let parsed;
  try {
    parsed = parseSafeYaml(text, { maxBytes: MAX_FILE_BYTES, maxAliases: 100 });
  } catch (error) {
    if (error instanceof YamlError) throw new ConformanceFileError(`not valid YAML: ${error.message}`, error.line);
    throw error;
  }
  const file = FileSchema.safeParse(parsed.data ?? {});
  if (!file.success) throw new ConformanceFileError(`not a traceability file: ${file.error.issues[0]?.path.join(".") || "top level"} ${file.error.issues[0]?.message ?? ""}`.trim());
  const items = parsed.document.get("requirements", true) as { items?: Array<{ range?: [number, number, number] }> } | undefined;
  const rows: Row[] = (file.data.requirements ?? []).map((raw, index) => {
    const row = RowSchema.safeParse(raw);
    const start = items?.items?.[index]?.range?.[0];
    const line = start !== undefined ? parsed.lineCounter.linePos(start).line : null;
    if (!row.success) throw new ConformanceFileError(`row ${index} is not a mapping with text and check or excluded`, line);
    const excluded = row.data.excluded?.trim() || null;
    const given = row.data.issue?.trim() || null;
    const named = given ? issueReference(given) : null;
    const issue = named ?? (excluded ? (ISSUE_LINK.exec(excluded)?.[0] ?? null) : null);
    const badIssue = given && !named ? given.slice(0, 200) : null;
    return { index, line, text: row.data.text?.trim().slice(0, MAX_ROW_TEXT) ?? "", check: row.data.check?.trim() || null, excluded, issue, badIssue, url: row.data.url?.trim() || null };
  });
  return { sep: sepNumber(file.data.sep), specUrl: file.data.spec_url ?? null, rows };
}

/** `sep: 2164`, `sep: "2164"`, `sep: SEP-2164`: the number; anything else null. */
function sepNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : null;
  const m = typeof value === "string" ? /^\s*(?:SEP[- ]?)?(\d{1,15})\s*$/i.exec(value) : null;
  return m ? Number(m[1]) : null;
}

/** One SEP's entry in `traceability.json`. */
export interface ManifestEntry {
  /** Check IDs a run against the reference SDK emitted, and those it did not. */
  tested: string[];
  untested: string[];
  /** Rows with neither a check nor an exclusion, by their text. */
  unkeyed: string[];
  /** Emitted check IDs that no row lists. */
  untracked: string[];
}

export interface Manifest {
  /** The run it came from ("typescript-sdk@258f1a04a5d3"). */
  source: string | null;
  seps: Map<number, ManifestEntry>;
}

const Strings = z.array(z.unknown()).max(10_000).nullish().transform((list) => (list ?? []).flatMap((v) => (typeof v === "string" ? [v] : [])));
const ManifestRequirement = z.looseObject({ check: z.string().nullish(), status: z.string().nullish() });
const ManifestSep = z.looseObject({
  requirements: z.array(z.unknown()).max(10_000).nullish(),
  unkeyed: z.array(z.unknown()).max(10_000).nullish(),
  untracked: Strings,
});
const ManifestSchema = z.looseObject({
  source: z.unknown().optional(),
  seps: z.record(z.string(), z.unknown()),
});
/** A SEP's key in `seps`: its number, digits only ("2164", "02164"); "1e3", "0x10" and "2164abc" are no SEP's. */
const SEP_KEY = /^\d{1,15}$/;

const MAX_MANIFEST_BYTES = 20_000_000;

export function parseManifest(text: string): Manifest {
  if (text.length > MAX_MANIFEST_BYTES) throw new ConformanceFileError(`larger than ${MAX_MANIFEST_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConformanceFileError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const manifest = ManifestSchema.safeParse(json);
  if (!manifest.success) {
    const what = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`);
    const seps = json && typeof json === "object" && !Array.isArray(json) ? (json as { seps?: unknown }).seps : undefined;
    const why = !json || typeof json !== "object" || Array.isArray(json) ? `the top level is ${what(json)}, not an object` : seps === undefined ? "it has no `seps` object" : `its \`seps\` is ${what(seps)}, not an object`;
    throw new ConformanceFileError(`not a traceability manifest: ${why}`);
  }
  const seps = new Map<number, ManifestEntry>();
  for (const [key, value] of Object.entries(manifest.data.seps)) {
    const number = SEP_KEY.test(key) ? Number(key) : Number.NaN;
    const entry = ManifestSep.safeParse(value);
    if (!Number.isSafeInteger(number) || !entry.success) continue;
    const requirements = (entry.data.requirements ?? []).flatMap((r) => {
      const parsed = ManifestRequirement.safeParse(r);
      return parsed.success && parsed.data.check ? [{ check: parsed.data.check, status: parsed.data.status ?? null }] : [];
    });
    const read: ManifestEntry = {
      tested: requirements.filter((r) => r.status === "tested").map((r) => r.check),
      untested: requirements.filter((r) => r.status !== "tested").map((r) => r.check),
      unkeyed: (entry.data.unkeyed ?? []).flatMap((u) => (typeof u === "string" ? [u] : u && typeof u === "object" && typeof (u as { text?: unknown }).text === "string" ? [(u as { text: string }).text] : [])),
      untracked: entry.data.untracked,
    };
    // "5" and "05" are the same SEP: both entries count (a check either lists as untested stays so).
    const known = seps.get(number);
    const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
    seps.set(number, known ? { tested: union(known.tested, read.tested), untested: union(known.untested, read.untested), unkeyed: union(known.unkeyed, read.unkeyed), untracked: union(known.untracked, read.untracked) } : read);
  }
  const source = manifest.data.source;
  return { source: typeof source === "string" ? source : source && typeof source === "object" ? JSON.stringify(source).slice(0, 200) : null, seps };
}

/**
 * What the status comment remembers of the conformance repository for a
 * SEP: its traceability file's object ID and a hash of its manifest entry.
 * The sweep computes the same from its one read of the repository and
 * re-plans an accepted SEP whose key moved (a file merged, a weekly run).
 */
export function conformanceKey(traceabilityOid: string | null, entry: ManifestEntry | null): string {
  const manifest = entry ? createHash("sha1").update(JSON.stringify([entry.tested, entry.untested, entry.unkeyed, entry.untracked])).digest("hex").slice(0, 12) : "none";
  return `${traceabilityOid?.slice(0, 12) ?? "none"}:${manifest}`;
}
