import assert from "node:assert/strict";
import { baseRequest } from "../base-requests.ts";
import { requireInteraction } from "../catalogue.ts";
import { invalidNhsNumbers, nhsNumberScenarios } from "./nhs-number.ts";

function valid(nhs: string): boolean {
  if (!/^\d{10}$/.test(nhs)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nhs[i]) * (10 - i);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === Number(nhs[9]);
}

Deno.test("every invalid NHS number is invalid, and the check-digit one only by its check digit", () => {
  for (const [rule, nhs] of invalidNhsNumbers) assert.equal(valid(nhs), false, rule);
  const checkDigit = invalidNhsNumbers.find(([rule]) => rule === "nhs-number-check-digit")![1];
  assert.match(checkDigit, /^\d{10}$/);
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
