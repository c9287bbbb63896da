import { Ajv2020 } from "ajv/dist/2020.js";

/**
 * seps.json against its published schema (docs/seps.schema.json) with Ajv,
 * the JSON Schema validator most tools use, in strict mode: a keyword the
 * schema misspells or Ajv does not know is an error, not a silent pass.
 * Returns every error as `<JSON pointer>: <Ajv's message>`; empty when valid.
 */
export function validate(schema: object, value: unknown): string[] {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const check = ajv.compile(schema);
  if (check(value)) return [];
  return (check.errors ?? []).map((e) => `${e.instancePath}: ${e.message}`);
}
