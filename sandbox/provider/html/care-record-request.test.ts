import assert from "node:assert/strict";
import { ProviderError } from "../provider-error.ts";
import { parseCareRecordRequest } from "./care-record-request.ts";

const NHS = "http://fhir.nhs.net/Id/nhs-number";
const SECTIONS = "http://fhir.nhs.net/ValueSet/gpconnect-record-section-1";
type Param = Record<string, unknown>;

const nhs = (value = "9690937286", system: string | null = NHS): Param => ({
  name: "patientNHSNumber",
  valueIdentifier: { ...(system === null ? {} : { system }), value },
});
const section = (code = "SUM", system: string | null = SECTIONS): Param => ({
  name: "recordSection",
  valueCodeableConcept: { coding: [{ ...(system === null ? {} : { system }), code }] },
});
const period = (start?: string, end?: string): Param => ({
  name: "timePeriod",
  valuePeriod: { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) },
});
const body = (...parameter: Param[]) => JSON.stringify({ resourceType: "Parameters", parameter });

function rejects(text: string, expected: string) {
  assert.throws(() => parseCareRecordRequest(text), (error: unknown) => {
    assert.ok(error instanceof ProviderError);
    assert.equal(`${error.status} ${error.code}`, expected, text);
    return true;
  });
}

Deno.test("parseCareRecordRequest: a valid request, parameters in any order", () => {
  const request = parseCareRecordRequest(body(section("ENC"), period("2014", "2016-02"), nhs()));
  assert.equal(request.nhsNumber, "9690937286");
  assert.equal(request.section.code, "ENC");
  assert.equal(request.section.title, "Encounters");
  assert.equal(request.period?.start?.firstDay, "2014-01-01");
  assert.equal(request.period?.end?.lastDay, "2016-02-29");
  assert.equal(parseCareRecordRequest(body(nhs(), section("SUM"))).period, undefined);
  assert.equal(
    parseCareRecordRequest(body(nhs(), section("ENC"), period("2012"))).period?.end,
    undefined,
  );
  assert.equal(
    parseCareRecordRequest(body(nhs(), section("ENC"), period(undefined, "2016"))).period?.start,
    undefined,
  );
});

Deno.test("parseCareRecordRequest: body shape errors", () => {
  rejects("", "400 BAD_REQUEST");
  rejects("   ", "400 BAD_REQUEST");
  rejects("{not json", "400 BAD_REQUEST");
  rejects(JSON.stringify({ resourceType: "Patient" }), "422 INVALID_RESOURCE");
  rejects(JSON.stringify([]), "422 INVALID_RESOURCE");
  rejects(JSON.stringify({ resourceType: "Parameters", parameter: {} }), "422 INVALID_RESOURCE");
  rejects(
    JSON.stringify({ resourceType: "Parameters", parameter: [{ valueString: "x" }] }),
    "422 INVALID_RESOURCE",
  );
  rejects(JSON.stringify({ resourceType: "Parameters" }), "400 BAD_REQUEST");
});

Deno.test("parseCareRecordRequest: parameter names are exact and case-sensitive", () => {
  for (
    const name of ["patientsNHSNumber", "patientnhsnumber", "RecordSection", "time", "TimePeriod"]
  ) {
    rejects(body(nhs(), section(), { ...period("2014", "2016"), name }), "422 INVALID_PARAMETER");
  }
  rejects(body({ ...nhs(), name: "PATIENTNHSNUMBER" }, section()), "422 INVALID_PARAMETER");
});

Deno.test("parseCareRecordRequest: patientNHSNumber rules", () => {
  rejects(body(section()), "400 BAD_REQUEST");
  rejects(body(nhs(), nhs("9690937294"), section()), "400 BAD_REQUEST");
  rejects(body(nhs(), nhs(), section()), "400 BAD_REQUEST");
  rejects(
    body({ name: "patientNHSNumber", valueString: "9690937286" }, section()),
    "400 BAD_REQUEST",
  );
  rejects(
    body(nhs("9690937286", "http://GPConnectTest.nhs.net/Id/identifierSystem"), section()),
    "400 INVALID_IDENTIFIER_SYSTEM",
  );
  rejects(
    body(nhs("9690937286", "https://fhir.nhs.uk/Id/nhs-number"), section()),
    "400 INVALID_IDENTIFIER_SYSTEM",
  );
  rejects(body(nhs("9690937286", ""), section()), "400 INVALID_IDENTIFIER_SYSTEM");
  rejects(body(nhs("9690937286", null), section()), "400 INVALID_IDENTIFIER_SYSTEM");
  rejects(body(nhs("1234567891"), section()), "400 INVALID_NHS_NUMBER");
  rejects(body(nhs(""), section()), "400 INVALID_NHS_NUMBER");
  rejects(body(nhs("96909372"), section()), "400 INVALID_NHS_NUMBER");
});

Deno.test("parseCareRecordRequest: recordSection rules", () => {
  rejects(body(nhs()), "400 BAD_REQUEST");
  rejects(body(nhs(), section("SUM"), section("ALL")), "400 BAD_REQUEST");
  rejects(body(nhs(), section("SUM"), section("SUM")), "400 BAD_REQUEST");
  rejects(body(nhs(), { name: "recordSection", valueString: "SUM" }), "400 BAD_REQUEST");
  rejects(
    body(nhs(), section("SUM", "http://GPConnectTest.nhs.net/ValueSet/record-section")),
    "400 BAD_REQUEST",
  );
  rejects(
    body(nhs(), {
      name: "recordSection",
      valueCodeableConcept: {
        coding: [{ system: SECTIONS, code: "SUM" }, { system: SECTIONS, code: "ALL" }],
      },
    }),
    "400 BAD_REQUEST",
  );
  rejects(body(nhs(), section("SUM", "")), "422 INVALID_PARAMETER");
  rejects(body(nhs(), section("SUM", null)), "422 INVALID_PARAMETER");
  rejects(
    body(nhs(), { name: "recordSection", valueCodeableConcept: { text: "SUM" } }),
    "422 INVALID_PARAMETER",
  );
  for (
    const code of ["ZZZ", "", "sum", "Sum", "sUm", "adm", "Enc", "iMM", "mEd", "Obs", "prb", "Ref"]
  ) {
    rejects(body(nhs(), section(code)), "422 INVALID_PARAMETER");
  }
});

Deno.test("parseCareRecordRequest: timePeriod rules", () => {
  rejects(body(nhs(), section("ENC"), period("2014"), period("2015")), "400 BAD_REQUEST");
  rejects(
    body(nhs(), section("ENC"), { name: "timePeriod", valueString: "2014" }),
    "422 INVALID_PARAMETER",
  );
  rejects(body(nhs(), section("ENC"), period()), "422 INVALID_PARAMETER");
  rejects(body(nhs(), section("ENC"), period("", "")), "422 INVALID_PARAMETER");
  rejects(body(nhs(), section("ENC"), period("abcd", "2016")), "422 INVALID_PARAMETER");
  rejects(body(nhs(), section("ENC"), period("2014", "abcd")), "422 INVALID_PARAMETER");
  rejects(body(nhs(), section("ENC"), period("2016", "2014")), "422 INVALID_PARAMETER");
  rejects(
    body(nhs(), section("ADM"), period("2015-10-23T11:08:32", "2016-12-08T23:59:59")),
    "422 INVALID_PARAMETER",
  );
  assert.ok(
    parseCareRecordRequest(
      body(nhs(), section("ADM"), period("2015-10-23T11:08:32+00:00", "2016-12-08T23:59:59+00:00")),
    ).period,
  );
  assert.ok(parseCareRecordRequest(body(nhs(), section("ENC"), period("2016-05", "2016"))).period);
});

Deno.test("parseCareRecordRequest: a period only for sections that take one", () => {
  for (const code of ["ADM", "CLI", "ENC", "INV", "MED", "OBS", "PRB", "REF"]) {
    assert.ok(
      parseCareRecordRequest(body(nhs(), section(code), period("2014-02-03", "2016-01-24"))).period,
      code,
    );
  }
  for (const code of ["ALL", "IMM", "SUM", "PAT"]) {
    rejects(body(nhs(), section(code), period("2014-02-03", "2016-01-24")), "400 BAD_REQUEST");
    assert.equal(parseCareRecordRequest(body(nhs(), section(code))).section.code, code);
  }
});
