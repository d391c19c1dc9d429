import assert from "node:assert/strict";
import { ProviderError } from "../provider-error.ts";
import { readParametersBody } from "./parameters-body.ts";

function invalid(text: string): string | undefined {
  try {
    readParametersBody(text);
  } catch (error) {
    assert.ok(error instanceof ProviderError);
    assert.equal(error.code, "INVALID_RESOURCE");
    return error.diagnostics;
  }
  assert.fail(`accepted ${text}`);
}

Deno.test("reads names, one value[x] and nested parts", () => {
  assert.deepEqual(
    readParametersBody(JSON.stringify({
      resourceType: "Parameters",
      parameter: [
        { name: "patientNHSNumber", valueIdentifier: { value: "1" } },
        { name: "includeProblems" },
        {
          name: "includeAllergies",
          part: [{ name: "includeResolvedAllergies", valueBoolean: true }],
        },
      ],
    })),
    [
      { name: "patientNHSNumber", value: { type: "Identifier", value: { value: "1" } }, parts: [] },
      { name: "includeProblems", value: undefined, parts: [] },
      {
        name: "includeAllergies",
        value: undefined,
        parts: [{
          name: "includeResolvedAllergies",
          value: { type: "Boolean", value: true },
          parts: [],
        }],
      },
    ],
  );
  assert.deepEqual(readParametersBody('{"resourceType":"Parameters"}'), []);
});

Deno.test("what is not a well-formed Parameters resource is INVALID_RESOURCE", () => {
  assert.match(invalid("") ?? "", /could not be parsed/);
  invalid("[]");
  invalid('{"resourceType":"Bundle"}');
  invalid('{"resourceType":"Parameters","parameter":"x"}');
  invalid('{"resourceType":"Parameters","parameter":[1]}');
  invalid('{"resourceType":"Parameters","parameter":[{"name":""}]}');
  invalid(
    '{"resourceType":"Parameters","parameter":[{"name":"a","valueBoolean":true,"valueString":"x"}]}',
  );
  invalid(
    '{"resourceType":"Parameters","parameter":[{"name":"a","valueBoolean":true,"part":[]}]}'
      .replace("[]", '[{"name":"b"}]'),
  );
  invalid('{"resourceType":"Parameters","parameter":[{"name":"a","part":{}}]}');
  invalid('{"resourceType":"Parameters","parameter":[{"name":"a","colour":"red"}]}');
  invalid(
    '{"resourceType":"Parameters","parameter":[{"name":"a","resource":{"resourceType":"Patient"}}]}',
  );
});
