import assert from "node:assert/strict";
import { headerPairs } from "./header-pairs.ts";

Deno.test("headerPairs lists what the Headers iterator lists, in the same order", () => {
  const headers = new Headers([
    ["X-B", "2"],
    ["x-a", "1"],
    ["X-A", "3"],
    ["Set-Cookie", "a=1"],
    ["set-cookie", "b=2"],
  ]);
  assert.deepEqual(headerPairs(headers), [...headers]);
  assert.deepEqual(headerPairs(new Headers()), []);
});
