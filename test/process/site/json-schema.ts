/**
 * A small JSON Schema (draft 2020-12) validator for the keywords
 * docs/seps.schema.json uses, so a test can check seps.json against the
 * published schema without a validator package. A keyword it does not know
 * is an error, not a pass: the schema cannot grow past what is checked here.
 * Returns every error as `<JSON pointer>: <what>`; empty when valid.
 */

type Schema = boolean | { [keyword: string]: unknown };

const ANNOTATIONS = new Set(["$schema", "$id", "$defs", "title", "description", "examples", "$comment"]);
const ASSERTIONS = new Set(["type", "required", "additionalProperties", "properties", "items", "const", "enum", "pattern", "minimum", "anyOf", "$ref"]);

export class UnsupportedSchema extends Error {}

export function validate(schema: Schema, value: unknown): string[] {
  const root = schema;
  const errors: string[] = [];

  const resolve = (ref: string): Schema => {
    if (!ref.startsWith("#/")) throw new UnsupportedSchema(`only local references are supported: ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))) {
      if (typeof node !== "object" || node === null || !(part in node)) throw new UnsupportedSchema(`unresolved reference ${ref}`);
      node = (node as Record<string, unknown>)[part];
    }
    return node as Schema;
  };

  const typeOk = (type: string, v: unknown): boolean => {
    switch (type) {
      case "null":
        return v === null;
      case "boolean":
        return typeof v === "boolean";
      case "string":
        return typeof v === "string";
      case "integer":
        return typeof v === "number" && Number.isInteger(v);
      case "number":
        return typeof v === "number" && Number.isFinite(v);
      case "array":
        return Array.isArray(v);
      case "object":
        return typeof v === "object" && v !== null && !Array.isArray(v);
      default:
        throw new UnsupportedSchema(`unknown type ${type}`);
    }
  };

  const walk = (s: Schema, v: unknown, at: string, out: string[]): void => {
    if (s === true) return;
    if (s === false) {
      out.push(`${at}: not allowed`);
      return;
    }
    for (const keyword of Object.keys(s)) {
      if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) throw new UnsupportedSchema(`unsupported keyword "${keyword}" at ${at || "/"}`);
    }
    if (typeof s.$ref === "string") walk(resolve(s.$ref), v, at, out);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => typeOk(t, v))) {
        out.push(`${at}: expected ${types.join(" or ")}, got ${v === null ? "null" : Array.isArray(v) ? "array" : typeof v}`);
        return;
      }
    }
    if ("const" in s && JSON.stringify(s.const) !== JSON.stringify(v)) out.push(`${at}: expected ${JSON.stringify(s.const)}`);
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) out.push(`${at}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
    if (typeof s.pattern === "string" && typeof v === "string" && !new RegExp(s.pattern, "u").test(v)) out.push(`${at}: ${JSON.stringify(v)} does not match ${s.pattern}`);
    if (typeof s.minimum === "number" && typeof v === "number" && v < s.minimum) out.push(`${at}: ${v} is less than ${s.minimum}`);
    if (Array.isArray(s.anyOf)) {
      const branches = (s.anyOf as Schema[]).map((branch) => {
        const e: string[] = [];
        walk(branch, v, at, e);
        return e;
      });
      if (!branches.some((e) => e.length === 0)) out.push(`${at}: matches none of anyOf (${branches.map((e) => e[0]).join(" | ")})`);
    }
    if (typeOk("object", v)) {
      const object = v as Record<string, unknown>;
      for (const name of (s.required as string[] | undefined) ?? []) if (!(name in object)) out.push(`${at}: "${name}" is required`);
      const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
      for (const [name, item] of Object.entries(object)) {
        const pointer = `${at}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        if (name in properties) walk(properties[name]!, item, pointer, out);
        else if (s.additionalProperties === false) out.push(`${pointer}: not allowed (additionalProperties is false)`);
        else if (typeof s.additionalProperties === "object") walk(s.additionalProperties as Schema, item, pointer, out);
      }
    }
    if (Array.isArray(v) && s.items !== undefined) v.forEach((item, i) => walk(s.items as Schema, item, `${at}/${i}`, out));
  };

  walk(schema, value, "", errors);
  return errors;
}
