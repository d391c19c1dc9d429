import assert from "node:assert/strict";
import {
  onlyKeys,
  schemaBool,
  SchemaError,
  schemaObject,
  schemaOneOf,
  schemaText,
  schemaTexts,
} from "./schema-readers.ts";

function problem(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof SchemaError);
    return error.message;
  }
  assert.fail("expected a SchemaError");
}

Deno.test("readers pass good values through", () => {
  assert.deepEqual(schemaObject({ a: 1 }, "x"), { a: 1 });
  onlyKeys({ a: 1 }, ["a", "b"], "x");
  assert.equal(schemaText("t", "x"), "t");
  assert.deepEqual(schemaTexts([], "x"), []);
  assert.equal(schemaOneOf("b", ["a", "b"], "x"), "b");
  assert.equal(schemaBool(false, "x"), false);
});

Deno.test("readers name where the problem is", () => {
  assert.equal(problem(() => schemaObject([], "req")), "req: must be a mapping");
  assert.equal(problem(() => onlyKeys({ c: 1 }, ["a"], "req")), "req: unknown key c");
  assert.equal(problem(() => onlyKeys({ c: 1, d: 2 }, [], "req")), "req: unknown keys c, d");
  assert.equal(problem(() => schemaText(" ", "req.path")), "req.path: must be a non-empty string");
  assert.equal(problem(() => schemaTexts(["a", 2], "tags")), "tags[1]: must be a non-empty string");
  assert.equal(problem(() => schemaTexts([], "tags", true)), "tags: must not be empty");
  assert.equal(problem(() => schemaOneOf("c", ["a", "b"], "as")), "as: must be one of a, b");
  assert.equal(problem(() => schemaBool("yes", "gzip")), "gzip: must be true or false");
});
