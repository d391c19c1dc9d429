/**
 * Checks the `requested_record` claim (reference gpconnect-ssp.md §2.1, §2.2 "0.x / DSTU2
 * differences"). Every failure is 400 BAD_REQUEST.
 * - 1.x: the claim must not be sent at all, not even as null (DEMO `WebTokenFactory.java` → 400).
 * - DSTU2: required; a Patient with an `http://fhir.nhs.net/Id/nhs-number` identifier or an
 *   Organization with an `http://fhir.nhs.net/Id/ods-organization-code` identifier, each with a
 *   value (PT-0.7 `JWT.feature` "missing requested record → 400"). Its kind is not matched to
 *   the scope: DEMO 0.7 rejects a Patient record with an `organization/*` scope, but neither
 *   GPC-0.7 nor PT-0.7 requires that, and gpc-edge's own client sends a Patient for metadata.
 *   Comparing the NHS number with the request body is the caller's job (summary field).
 *
 * @module
 */
import type { FhirVersion } from "../specs.ts";
import { identifierSystems } from "../identifier-systems.ts";
import { isJsonObject, jsonType } from "../json-object.ts";
import { badRequest, type JwtFinding, quote } from "./jwt-finding.ts";

/** What `requested_record` names, for the caller to compare with the request. */
export interface RequestedRecordSummary {
  /** DSTU2 `requested_record` Patient NHS number, for the caller to compare with the body. */
  readonly requestedRecordNhsNumber?: string;
  /** DSTU2 `requested_record` Organization ODS code. */
  readonly requestedRecordOdsCode?: string;
}

/**
 * Checks `requested_record` for the interaction's FHIR release.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gpConnectJwtClaims } from "./gpc-jwt.ts";
 * const claims = gpConnectJwtClaims({
 *   requestedScope: "patient/*.read",
 *   fhirVersion: "DSTU2",
 *   nhsNumber: "9690937278",
 * });
 * const { summary } = checkRequestedRecord(claims, "DSTU2");
 * assert.equal(summary.requestedRecordNhsNumber, "9690937278");
 * ```
 */
export function checkRequestedRecord(
  claims: Readonly<Record<string, unknown>>,
  fhirVersion: FhirVersion,
): { readonly findings: readonly JwtFinding[]; readonly summary: RequestedRecordSummary } {
  const findings: JwtFinding[] = [];
  const summary: { -readonly [K in keyof RequestedRecordSummary]: RequestedRecordSummary[K] } = {};
  check(claims, fhirVersion, findings, summary);
  return { findings, summary };
}

function check(
  claims: Readonly<Record<string, unknown>>,
  fhirVersion: FhirVersion,
  findings: JwtFinding[],
  summary: { -readonly [K in keyof RequestedRecordSummary]: RequestedRecordSummary[K] },
): void {
  const claim = "requested_record";
  if (fhirVersion === "STU3") {
    if (claim in claims) {
      findings.push(badRequest(claim, `Claim "${claim}" must not be sent to GP Connect 1.x`));
    }
    return;
  }
  const record = claims[claim];
  if (record === undefined || record === null) {
    findings.push(badRequest(claim, `Claim "${claim}" is ${record === null ? "null" : "missing"}`));
    return;
  }
  if (!isJsonObject(record)) {
    findings.push(
      badRequest(
        claim,
        `Claim "${claim}" must be a Patient or Organization (found ${jsonType(record)})`,
      ),
    );
    return;
  }
  const system = record.resourceType === "Patient"
    ? identifierSystems.nhsNumberDstu2
    : record.resourceType === "Organization"
    ? identifierSystems.odsOrganizationCodeDstu2
    : undefined;
  if (system === undefined) {
    findings.push(
      badRequest(
        claim,
        `Claim "${claim}" resourceType must be "Patient" or "Organization" (found ${
          quote(record.resourceType)
        })`,
      ),
    );
    return;
  }
  const identifiers: unknown[] = Array.isArray(record.identifier) ? record.identifier : [];
  const match = identifiers.find((entry) =>
    isJsonObject(entry) && entry.system === system && typeof entry.value === "string" &&
    entry.value !== ""
  );
  if (isJsonObject(match) && typeof match.value === "string") {
    if (record.resourceType === "Patient") summary.requestedRecordNhsNumber = match.value;
    else summary.requestedRecordOdsCode = match.value;
  } else {
    findings.push(
      badRequest(
        claim,
        `Claim "${claim}" has no identifier with system "${system}" and a value`,
      ),
    );
  }
}
