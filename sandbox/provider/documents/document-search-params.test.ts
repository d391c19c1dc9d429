import assert from "node:assert/strict";
import { ProviderError } from "../provider-error.ts";
import { documentSearchCriteria } from "./document-search-params.ts";

const required = "_include=DocumentReference:subject:Patient" +
  "&_include=DocumentReference:custodian:Organization" +
  "&_include=DocumentReference:author:Organization" +
  "&_include=DocumentReference:author:Practitioner" +
  "&_revinclude:recurse=PractitionerRole:practitioner";

function criteria(extra = "", base = required) {
  return documentSearchCriteria(new URLSearchParams(`${base}${extra}`));
}

function rejects(query: string, diagnostics: RegExp, base = required) {
  assert.throws(() => criteria(query, base), (error: unknown) => {
    assert.ok(error instanceof ProviderError);
    assert.equal(error.code, "INVALID_PARAMETER");
    assert.equal(error.status, 422);
    assert.match(error.diagnostics ?? "", diagnostics);
    return true;
  }, query);
}

Deno.test("documentSearchCriteria: the mandatory includes alone ask for everything", () => {
  assert.deepEqual(criteria(), {});
  assert.deepEqual(criteria("&_format=json"), {});
});

Deno.test("documentSearchCriteria: each mandatory include missing → 422 naming it", () => {
  const parts = required.split("&");
  for (const missing of parts) {
    const base = parts.filter((part) => part !== missing).join("&");
    const name = missing.split("=")[1]!;
    rejects("", new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), base);
  }
  rejects("", /Mandatory search parameters missing/, "");
});

Deno.test("documentSearchCriteria: unsupported parameters and include values → 422", () => {
  rejects("&BadParameter=BadParamValue", /Unsupported search parameter "BadParameter"/);
  rejects("&_include=DocumentReference:patient", /Unsupported _include/);
  rejects("&_revinclude:recurse=PractitionerRole:organization", /Unsupported _revinclude/);
  rejects("&_revinclude=PractitionerRole:practitioner", /Unsupported search parameter/);
});

Deno.test("documentSearchCriteria: created bounds are ge/le dates or date-times", () => {
  assert.deepEqual(criteria("&created=ge2024-01-15"), {
    createdFrom: Date.parse("2024-01-15T00:00:00Z"),
  });
  assert.deepEqual(criteria("&created=le2024-01"), {
    createdTo: Date.parse("2024-02-01T00:00:00Z") - 1,
  });
  assert.deepEqual(criteria("&created=ge2024&created=le2025-01-15T00:00:00+00:00"), {
    createdFrom: Date.parse("2024-01-01T00:00:00Z"),
    createdTo: Date.parse("2025-01-15T00:00:00Z"),
  });
  // An unencoded "+" arrives as a space.
  assert.deepEqual(criteria("&created=le2025-01-15T00:00:00+01:00"), {
    createdTo: Date.parse("2025-01-14T23:00:00Z"),
  });
});

Deno.test("documentSearchCriteria: bad created bounds → 422", () => {
  rejects("&created=2024-01-15", /ge or le/);
  rejects("&created=gt2024-01-15", /ge or le/);
  rejects("&created=ge2024-13-01", /ge or le/);
  rejects("&created=geabcd", /ge or le/);
  rejects("&created=le2024-01-15T10:00:00", /ge or le/);
  rejects("&created=ge2024&created=ge2023", /only one ge bound/);
  rejects("&created=ge2024&created=le2025&created=le2026", /at most twice/);
  rejects("&created=ge2025-02-01&created=le2025-01-31", /after its le bound/);
});

Deno.test("documentSearchCriteria: author and facility take one ODS code", () => {
  assert.deepEqual(criteria("&author=https://fhir.nhs.uk/Id/ods-organization-code|B82617"), {
    authorOds: "B82617",
  });
  assert.deepEqual(criteria("&facility=https://fhir.nhs.uk/Id/ods-organization-code|X12345"), {
    facilityOds: "X12345",
  });
  rejects("&author=https://bad-identifier|B82617", /ods-organization-code/);
  rejects("&author=B82617", /ods-organization-code/);
  rejects("&author=https://fhir.nhs.uk/Id/ods-organization-code|", /ods-organization-code/);
  rejects("&author=", /no value/);
  rejects("&facility=http://snomed.info/sct|1060971000000108", /ods-organization-code/);
  rejects(
    "&author=https://fhir.nhs.uk/Id/ods-organization-code|A&author=https://fhir.nhs.uk/Id/ods-organization-code|B",
    /at most once/,
  );
});

Deno.test("documentSearchCriteria: type is a token and description a lower-cased string", () => {
  assert.deepEqual(criteria("&type=http://snomed.info/sct|3457005"), {
    type: { system: "http://snomed.info/sct", code: "3457005" },
  });
  assert.deepEqual(criteria("&type=3457005"), { type: { system: undefined, code: "3457005" } });
  assert.deepEqual(criteria("&description=Referral%20LETTER"), {
    description: "referral letter",
  });
  rejects("&type=http://snomed.info/sct|", /no code/);
  rejects("&description=%20", /no value/);
});
