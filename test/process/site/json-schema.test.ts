import { describe, expect, it } from "vitest";
import { UnsupportedSchema, validate } from "./json-schema.js";

/** The schema walker the seps.json test relies on: it must catch what each keyword forbids, and refuse keywords it does not know. */

const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["version", "items"],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    items: { type: "array", items: { $ref: "#/$defs/item" } },
    kind: { type: "string", enum: ["a", "b"] },
    when: { anyOf: [{ type: "string", pattern: "^\\d{4}$" }, { type: "null" }] },
  },
  $defs: {
    item: {
      type: "object",
      required: ["n"],
      properties: { n: { type: "integer", minimum: 1 }, label: { type: ["string", "null"] } },
    },
  },
};

describe("the JSON Schema walker", () => {
  it("accepts a valid document", () => {
    expect(validate(schema, { version: 1, items: [{ n: 1, label: null }, { n: 2, label: "x", extra: true }], kind: "a", when: "2026" })).toEqual([]);
    expect(validate(schema, { version: 1, items: [], when: null })).toEqual([]);
  });

  it("reports each broken rule at its place", () => {
    expect(validate(schema, { items: [] })).toEqual(['"version" is required'].map((e) => `: ${e}`));
    expect(validate(schema, { version: 2, items: [] })).toEqual(["/version: expected 1"]);
    expect(validate(schema, { version: 1, items: [], other: 1 })).toEqual(["/other: not allowed (additionalProperties is false)"]);
    expect(validate(schema, { version: 1, items: [{ n: 0 }] })).toEqual(["/items/0/n: 0 is less than 1"]);
    expect(validate(schema, { version: 1, items: [{ n: 1.5 }] })).toEqual(["/items/0/n: expected integer, got number"]);
    expect(validate(schema, { version: 1, items: [{}] })).toEqual(['/items/0: "n" is required']);
    expect(validate(schema, { version: 1, items: [{ n: 1, label: 3 }] })).toEqual(["/items/0/label: expected string or null, got number"]);
    expect(validate(schema, { version: 1, items: {} })).toEqual(["/items: expected array, got object"]);
    expect(validate(schema, { version: 1, items: [], kind: "c" })).toEqual(['/kind: "c" is not one of ["a","b"]']);
    expect(validate(schema, { version: 1, items: [], when: "26" })[0]).toMatch(/^\/when: matches none of anyOf/);
  });

  it("refuses a keyword it does not check, and a reference it cannot follow", () => {
    expect(() => validate({ type: "string", maxLength: 3 }, "abcd")).toThrow(UnsupportedSchema);
    expect(() => validate({ $ref: "https://example.com/s.json" }, 1)).toThrow(UnsupportedSchema);
    expect(() => validate({ $ref: "#/$defs/missing" }, 1)).toThrow(UnsupportedSchema);
  });
});
