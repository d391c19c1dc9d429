import assert from "node:assert/strict";
import { appendHeaders, headerPairs, receivedFields, receivedFrom } from "./header-pairs.ts";

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

Deno.test("appendHeaders takes every HeadersInit form and keeps repeated fields", () => {
  const expected = [["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-a", "1, 2"]];
  for (
    const fields of [
      [["X-A", "1"], ["Set-Cookie", "a=1"], ["x-a", "2"], ["set-cookie", "b=2"]],
      new Headers([["X-A", "1"], ["Set-Cookie", "a=1"], ["x-a", "2"], ["set-cookie", "b=2"]]),
    ] as HeadersInit[]
  ) {
    const target = new Headers();
    appendHeaders(target, fields);
    assert.deepEqual(headerPairs(target), expected);
  }
  const fromRecord = new Headers({ "x-z": "0" });
  appendHeaders(fromRecord, { "X-A": "1", "x-b": "2" });
  assert.deepEqual(headerPairs(fromRecord), [["x-a", "1"], ["x-b", "2"], ["x-z", "0"]]);
});

Deno.test("receivedFields: what Headers.get answers, by lower-case name, read once per Headers", () => {
  const headers = new Headers([
    ["Accept", "application/fhir+json"],
    ["X-Repeated", "1"],
    ["x-repeated", "2"],
    ["Set-Cookie", "a=1"],
    ["Set-Cookie", "b=2"],
  ]);
  const fields = receivedFields(headers);
  headers.forEach((_, name) => assert.equal(fields.get(name), headers.get(name), name));
  assert.equal(fields.get("x-repeated"), "1, 2");
  assert.equal(fields.get("Accept"), undefined); // keys are lower case
  assert.equal(fields.get("absent"), undefined);
  assert.equal(receivedFields(headers), fields);
  assert.notEqual(receivedFields(new Headers(headers)), fields);
});

Deno.test("receivedFrom: the index read from the lines the fields were made from, in the order received", () => {
  const lines: Array<[string, string]> = [
    ["X-Repeated", "1"],
    ["Accept", "application/fhir+json"],
    ["x-repeated", "2"],
    ["Set-Cookie", "a=1"],
    ["Set-Cookie", "b=2"],
  ];
  const headers = new Headers(lines);
  receivedFrom(headers, lines);
  const fields = receivedFields(headers);
  // Every answer is what Headers.get gives; the order is the order received, not Headers' sort.
  headers.forEach((_, name) => assert.equal(fields.get(name), headers.get(name), name));
  assert.deepEqual([...fields.keys()], ["x-repeated", "accept", "set-cookie"]);
  assert.equal(receivedFields(headers), fields);
  // Noted after the index was built: the index stands.
  receivedFrom(headers, [["Other", "x"]]);
  assert.equal(receivedFields(headers), fields);
  assert.equal(fields.get("other"), undefined);
});
