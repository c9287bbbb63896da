import { describe, expect, it } from "vitest";
import { validate } from "./json-schema.js";

/** The validator the seps.json test relies on: it catches what each keyword forbids, and refuses a schema it cannot read. */

const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["version", "items"],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    items: { type: "array", items: { $ref: "#/$defs/item" } },
    kind: { type: "string", enum: ["a", "b"] },
  },
  $defs: { item: { type: "object", required: ["n"], properties: { n: { type: "integer", minimum: 1 } } } },
};

describe("the JSON Schema validator", () => {
  it("accepts a valid document, and reports each broken rule at its place", () => {
    expect(validate(schema, { version: 1, items: [{ n: 1 }], kind: "a" })).toEqual([]);
    expect(validate(schema, { version: 2, items: [{ n: 0 }], other: 1 })).toEqual([
      ": must NOT have additional properties",
      "/version: must be equal to constant",
      "/items/0/n: must be >= 1",
    ]);
  });

  it("refuses a keyword it does not know (strict) and a reference it cannot follow", () => {
    expect(() => validate({ type: "string", maxLenght: 3 }, "abcd")).toThrow(/unknown keyword/);
    expect(() => validate({ $ref: "#/$defs/missing" }, 1)).toThrow(/can't resolve reference/);
  });
});
