import assert from "node:assert/strict";
import { replaceJsonString } from "./replace-json-string.ts";

Deno.test("only whole string values equal to from are replaced, at any depth", () => {
  const json = {
    "9690937286": "9690937286",
    list: ["9690937286", "Patient/9690937286", 9690937286, null, true],
    nested: { deeper: [{ id: "9690937286" }] },
  };
  assert.deepEqual(replaceJsonString(json, "9690937286", "p1"), {
    "9690937286": "p1",
    list: ["p1", "Patient/9690937286", 9690937286, null, true],
    nested: { deeper: [{ id: "p1" }] },
  });
  assert.equal(replaceJsonString("x", "y", "z"), "x");
});
