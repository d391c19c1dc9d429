import assert from "node:assert/strict";
import { isValidNhsNumber as valid, nhsNumberProblem } from "../../../gpconnect/nhs-number.ts";
import { baseRequest } from "../base-requests.ts";
import { requireInteraction } from "../catalogue.ts";
import { invalidNhsNumbers, nhsNumberScenarios } from "./nhs-number.ts";

Deno.test("every invalid NHS number is invalid, and the check-digit one only by its check digit", () => {
  for (const [rule, nhs] of invalidNhsNumbers) assert.equal(valid(nhs), false, rule);
  const checkDigit = invalidNhsNumbers.find(([rule]) => rule === "nhs-number-check-digit")![1];
  assert.match(checkDigit, /^\d{10}$/);
  assert.match(nhsNumberProblem(checkDigit) ?? "", /check digit/);
});

Deno.test("an invalid NHS number is 400 INVALID_NHS_NUMBER, in the query or the body", () => {
  const search = nhsNumberScenarios(baseRequest(requireInteraction("search-patient")));
  assert.equal(search.length, invalidNhsNumbers.length);
  assert.equal(search[0]!.expect.spineCode, "INVALID_NHS_NUMBER");
  assert.equal(
    search[0]!.request.path,
    "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|969093728",
  );
  const structured = nhsNumberScenarios(baseRequest(requireInteraction("get-structured-record")));
  assert.match(JSON.stringify(structured[4]!.request.body), /"value":"9690937287"/);
  assert.deepEqual(nhsNumberScenarios(baseRequest(requireInteraction("read-metadata"))), []);
});

Deno.test("DSTU2: requested_record names the same invalid number", () => {
  const html = nhsNumberScenarios(baseRequest(requireInteraction("get-care-record")));
  assert.match(JSON.stringify(html[0]!.mutations), /"value":"969093728"/);
});
