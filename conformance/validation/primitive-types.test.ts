import assert from "node:assert/strict";
import { primitiveProblem } from "./primitive-types.ts";

Deno.test("primitive types: valid values", () => {
  const valid: [unknown, string][] = [
    [true, "boolean"],
    [-3, "integer"],
    [0, "unsignedInt"],
    [1, "positiveInt"],
    [72.5, "decimal"],
    ["text", "string"],
    ["official", "code"],
    ["a-b.c", "id"],
    ["https://fhir.nhs.uk/Id/nhs-number", "uri"],
    ["urn:oid:2.16.840.1.113883", "oid"],
    ["2024", "date"],
    ["2024-02-29", "date"],
    ["2024-02", "dateTime"],
    ["2025-01-15T10:00:00+00:00", "dateTime"],
    ["2025-01-15T10:00:00.123Z", "instant"],
    ["09:30:00", "time"],
    ["aGVsbG8=", "base64Binary"],
    ['<div xmlns="http://www.w3.org/1999/xhtml">x</div>', "xhtml"],
  ];
  for (const [value, type] of valid) {
    assert.equal(primitiveProblem(value, type), undefined, `${type} ${value}`);
  }
});

Deno.test("primitive types: invalid values say why", () => {
  const invalid: [unknown, string, RegExp][] = [
    ["true", "boolean", /JSON boolean/],
    [1.5, "integer", /JSON integer/],
    [2 ** 31, "integer", /32-bit/],
    [-1, "unsignedInt", /negative/],
    [0, "positiveInt", /positive/],
    ["1.5", "decimal", /JSON number/],
    [5, "string", /JSON string/],
    ["two  spaces", "code", /valid code/],
    ["has space", "id", /valid id/],
    ["a b", "uri", /valid uri/],
    ["2023-02-29", "date", /real calendar date/],
    ["15/01/2025", "date", /valid date/],
    ["2025-01-15T10:00", "dateTime", /valid dateTime/],
    ["2025-01-15T10:00:00", "dateTime", /valid dateTime/],
    ["2025-01-15", "instant", /valid instant/],
    ["25:00:00", "time", /valid time/],
    ["abc", "base64Binary", /base64/],
    ["<p>x</p>", "xhtml", /<div>/],
    ["<div>x</div>", "xhtml", /xmlns/],
  ];
  for (const [value, type, why] of invalid) {
    assert.match(primitiveProblem(value, type) ?? "", why, `${type} ${JSON.stringify(value)}`);
  }
});
