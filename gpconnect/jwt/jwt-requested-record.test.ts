import assert from "node:assert/strict";
import { encodeUnsignedJwt, gpConnectJwtClaims } from "./gpc-jwt.ts";
import { findInteraction, type Interaction } from "../specs.ts";
import { checkGpConnectJwt, type JwtCheckResult } from "./jwt-claims-check.ts";
import { checkRequestedRecord } from "./jwt-requested-record.ts";

const now = 1_700_000_000;
const urn = "urn:nhs:names:services:gpconnect:";
const stu3 = findInteraction(`${urn}fhir:operation:gpc.getstructuredrecord-1`)!;
const careRecord = findInteraction(`${urn}fhir:operation:gpc.getcarerecord`)!;
const dstu2Metadata = findInteraction(`${urn}fhir:rest:read:metadata`)!;

type Json = Record<string, unknown>;

function check(target: Interaction, mutate: (claims: Json) => void): JwtCheckResult {
  const claims = gpConnectJwtClaims({
    requestedScope: target.requestedScope,
    fhirVersion: target.fhirVersion,
    issuedAt: now,
    nhsNumber: "9690937286",
  });
  mutate(claims);
  return checkGpConnectJwt(`Bearer ${encodeUnsignedJwt(claims)}`, {
    interaction: target,
    nowSeconds: now,
    leewaySeconds: 5,
  });
}

function one(target: Interaction, mutate: (claims: Json) => void): string {
  const { findings } = check(target, mutate);
  assert.equal(findings.length, 1, JSON.stringify(findings));
  assert.equal(findings[0]!.claim, "requested_record");
  assert.equal(findings[0]!.status, 400);
  assert.equal(findings[0]!.spineCode, "BAD_REQUEST");
  return findings[0]!.problem;
}

const patientRecord = {
  resourceType: "Patient",
  identifier: [{ system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690937286" }],
};

Deno.test("requested_record: any value in a 1.x token is 400, even null", () => {
  for (const value of [patientRecord, null, {}, "x"]) {
    assert.equal(
      one(stu3, (claims) => void (claims.requested_record = value)),
      'Claim "requested_record" must not be sent to GP Connect 1.x',
    );
  }
});

Deno.test("requested_record: DSTU2 missing, null or not an object is 400", () => {
  assert.equal(
    one(careRecord, (claims) => delete claims.requested_record),
    'Claim "requested_record" is missing',
  );
  assert.equal(
    one(careRecord, (claims) => void (claims.requested_record = null)),
    'Claim "requested_record" is null',
  );
  assert.equal(
    one(careRecord, (claims) => void (claims.requested_record = "9690937286")),
    'Claim "requested_record" must be a Patient or Organization (found string)',
  );
});

Deno.test("requested_record: DSTU2 resourceType must be Patient or Organization", () => {
  const problem = one(careRecord, (claims) => {
    claims.requested_record = { ...patientRecord, resourceType: "Practitioner" };
  });
  assert.equal(
    problem,
    'Claim "requested_record" resourceType must be "Patient" or "Organization" (found "Practitioner")',
  );
});

Deno.test("requested_record: DSTU2 Patient needs the legacy NHS number system with a value", () => {
  for (
    const identifier of [patientRecord.identifier, [], undefined, [{
      system: "http://fhir.nhs.net/Id/nhs-number",
    }], "x"]
  ) {
    assert.equal(
      one(
        careRecord,
        (claims) => void (claims.requested_record = { resourceType: "Patient", identifier }),
      ),
      'Claim "requested_record" has no identifier with system "http://fhir.nhs.net/Id/nhs-number" and a value',
    );
  }
});

Deno.test("requested_record: DSTU2 Patient NHS number is in the summary for the body comparison", () => {
  const result = check(careRecord, () => {});
  assert.deepEqual(result.findings, []);
  assert.equal(result.summary.requestedRecordNhsNumber, "9690937286");
});

Deno.test("requested_record: DSTU2 Organization needs the legacy ODS system", () => {
  const organization = (system: string) => (claims: Json) => {
    claims.requested_record = {
      resourceType: "Organization",
      identifier: [{ system, value: "B82617" }],
    };
  };
  const result = check(dstu2Metadata, organization("http://fhir.nhs.net/Id/ods-organization-code"));
  assert.deepEqual(result.findings, []);
  assert.equal(result.summary.requestedRecordOdsCode, "B82617");
  assert.equal(
    one(dstu2Metadata, organization("https://fhir.nhs.uk/Id/ods-organization-code")),
    'Claim "requested_record" has no identifier with system "http://fhir.nhs.net/Id/ods-organization-code" and a value',
  );
});

Deno.test("checkRequestedRecord: works on bare claims", () => {
  assert.deepEqual(checkRequestedRecord({}, "STU3"), { findings: [], summary: {} });
  assert.equal(checkRequestedRecord({}, "DSTU2").findings.length, 1);
});
