import assert from "node:assert/strict";
import { isJsonObject, jsonType } from "./json-object.ts";

Deno.test("isJsonObject: objects yes; null, arrays and primitives no", () => {
  assert.equal(isJsonObject({}), true);
  assert.equal(isJsonObject(JSON.parse('{"a":[1]}')), true);
  for (const value of [null, undefined, [], [{}], "{}", 1, true]) {
    assert.equal(isJsonObject(value), false, JSON.stringify(value) ?? "undefined");
  }
});

Deno.test("jsonType tells JSON kinds apart", () => {
  assert.deepEqual([null, [], {}, "", 1, true].map(jsonType), [
    "null",
    "array",
    "object",
    "string",
    "number",
    "boolean",
  ]);
});
