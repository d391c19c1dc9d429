/**
 * DSTU2's JWT names the record it asks for (`requested_record`; reference gpconnect-ssp.md §2.2
 * "0.x / DSTU2 differences"): for `$gpc.getcarerecord` it must be a Patient whose
 * `http://fhir.nhs.net/Id/nhs-number` is the body's `patientNHSNumber`, else 400 BAD_REQUEST
 * (PT-0.7.3 `JWT.feature` "JWT requested record patient does not match getCareRecord payload
 * patient"). The provider duties have already checked the token's structure and claims.
 *
 * @module
 */
import { decodeBearerJwt } from "../../../gpconnect/jwt/jwt-decode.ts";
import { checkRequestedRecord } from "../../../gpconnect/jwt/jwt-requested-record.ts";
import { ProviderError } from "../provider-error.ts";

/**
 * Throws 400 BAD_REQUEST unless the JWT's `requested_record` names the patient `nhsNumber`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gpConnectJwt } from "../../../gpconnect/jwt/gpc-jwt.ts";
 * const authorization = `Bearer ${
 *   gpConnectJwt({
 *     requestedScope: "patient/*.read",
 *     fhirVersion: "DSTU2",
 *     nhsNumber: "9690937286",
 *   })
 * }`;
 * requireRequestedPatient(authorization, "9690937286"); // the JWT names the patient: no error
 * assert.throws(() => requireRequestedPatient(authorization, "9690937278"), { status: 400 });
 * ```
 */
export function requireRequestedPatient(
  authorization: string | undefined,
  nhsNumber: string,
): void {
  const { claims } = decodeBearerJwt(authorization ?? "");
  const requested = claims
    ? checkRequestedRecord(claims, "DSTU2").summary.requestedRecordNhsNumber
    : undefined;
  if (requested === undefined) {
    throw new ProviderError(
      "BAD_REQUEST",
      "JWT requested_record must be the Patient whose care record is requested",
    );
  }
  if (requested !== nhsNumber) {
    throw new ProviderError(
      "BAD_REQUEST",
      `JWT requested_record NHS number ${requested} does not match patientNHSNumber ${nhsNumber}`,
    );
  }
}
