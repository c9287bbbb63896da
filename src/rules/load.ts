import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseSafeYaml, YamlError } from "../shared/yaml.js";
import { RulesSchema, type Rules } from "./schema.js";

/** The bundled policy; works from `src/` (tsx) and `lib/` (built) alike. */
export const DEFAULT_RULES_PATH = fileURLToPath(new URL("../../rules/default.yml", import.meta.url));

/** The Action's single-file bundle carries the policy's text (esbuild `define`); elsewhere it is read from rules/. */
declare const __SEP_BOT_DEFAULT_RULES__: string | undefined;
const BUNDLED_RULES = typeof __SEP_BOT_DEFAULT_RULES__ === "string" ? __SEP_BOT_DEFAULT_RULES__ : null;

/** A rules file that cannot be used; the message names the file, the key and what is allowed. */
export class RulesError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid rules\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "RulesError";
  }
}

const YAML_LIMITS = { maxBytes: 1024 * 1024, maxAliases: 50 };

function readYamlObject(text: string, file: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = parseSafeYaml(text, YAML_LIMITS).data;
  } catch (error) {
    const where = error instanceof YamlError && error.line ? `line ${error.line}: ` : "";
    throw new RulesError(file, [`${where}${(error as Error).message}`]);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) throw new RulesError(file, ["the file must be a YAML mapping"]);
  return data as Record<string, unknown>;
}

function describe(issue: z.core.$ZodIssue): string {
  const key = issue.path.length ? issue.path.join(".") : "(top level)";
  if (issue.code === "unrecognized_keys") {
    const parent = issue.path.length ? `${key}.` : "";
    return `${issue.keys.map((k) => `${parent}${k}`).join(", ")}: unknown key${issue.keys.length > 1 ? "s" : ""}; ${allowedKeys(issue.path)}`;
  }
  return `${key}: ${issue.message}`;
}

/** Lists the keys the schema allows at a path, so a typo's error shows the right spelling. */
function allowedKeys(path: PropertyKey[]): string {
  let schema: z.ZodType | undefined = RulesSchema;
  for (const segment of path) {
    const current: z.ZodType = unwrap(schema);
    if (typeof segment === "number" && current instanceof z.ZodArray) schema = current.element as z.ZodType;
    else if (current instanceof z.ZodObject) schema = current.shape[String(segment)] as z.ZodType | undefined;
    else return "";
    if (!schema) return "";
  }
  const target = unwrap(schema);
  if (target instanceof z.ZodObject) return `allowed: ${Object.keys(target.shape).join(", ")}`;
  if (target instanceof z.ZodRecord && target.keyType instanceof z.ZodEnum)
    return `allowed: ${target.keyType.options.join(", ")}`;
  return "";
}

/** Sees through .default()/.optional()/.refine() wrappers to the schema that has the shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    const def = (current as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } }).def;
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else break;
  }
  return current;
}

/** Mappings merge key by key; lists and scalars are replaced whole. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    const prev = out[key];
    out[key] = isMapping(prev) && isMapping(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Loads the policy: the bundled defaults, then each override (a repository's
 * `.github/sep-bot.yml`, a `--rules` file) merged over it: mappings key by
 * key, lists replaced whole (so a repository can drop a status or a section).
 */
export function loadRules(overrides: Array<{ text: string; file: string }> = [], defaultsPath = DEFAULT_RULES_PATH): Rules {
  const text = BUNDLED_RULES !== null && defaultsPath === DEFAULT_RULES_PATH ? BUNDLED_RULES : readFileSync(defaultsPath, "utf8");
  const base = readYamlObject(text, defaultsPath);
  let merged: Record<string, unknown> = { ...base };
  let blame = defaultsPath;
  for (const override of overrides) {
    merged = deepMerge(merged, readYamlObject(override.text, override.file));
    blame = override.file;
  }
  const result = RulesSchema.safeParse(merged);
  if (!result.success) throw new RulesError(blame, result.error.issues.map(describe));
  return result.data;
}

let cachedDefaults: Rules | undefined;
/** The bundled policy, parsed once per process. Treat as read-only. */
export function defaultRules(): Rules {
  cachedDefaults ??= loadRules();
  return cachedDefaults;
}

/** Where a repository keeps its rules override, on its default branch. */
export const CONFIG_PATH = ".github/sep-bot.yml";

/**
 * A repository's override as the bot uses it: absent, the defaults; there
 * but unusable (binary, too large, invalid), the defaults and why, which the
 * check run says. A rules file a person names on the command line is loaded
 * with `loadRules` instead: there, a mistake is an error.
 */
export function repositoryRules(file: { text: string | null } | null): { rules: Rules; configError: string | null } {
  if (!file) return { rules: defaultRules(), configError: null };
  if (file.text === null) return { rules: defaultRules(), configError: `${CONFIG_PATH}: could not be read as text (binary or too large)` };
  try {
    return { rules: loadRules([{ text: file.text, file: CONFIG_PATH }]), configError: null };
  } catch (error) {
    if (error instanceof RulesError) return { rules: defaultRules(), configError: error.message };
    throw error;
  }
}
