/**
 * PDS retrieval by NHS number (reference pds-sds.md §1.7, §1.10): the mod-11 check, then the
 * record: unknown → RESOURCE_NOT_FOUND, invalidated → INVALIDATED_RESOURCE, superseded → the
 * superseding record (followed for a bounded number of merges).
 *
 * @module
 */
import { isValidNhsNumber } from "../../gpconnect/nhs-number.ts";
import type { FixturePatient } from "./fixture-patients.ts";
import { PdsError } from "./pds-outcome.ts";

/** The most merges followed from a superseded number before giving up. */
const maxSupersededHops = 5;

/** The record PDS returns for a requested NHS number. */
export interface PdsLookupResult {
  /** The record returned (its NHS number differs from the request when superseded). */
  readonly patient: FixturePatient;
  /** Whether the requested number was superseded. */
  readonly superseded: boolean;
}

/**
 * The record PDS returns for `nhsNumber`, or a {@linkcode PdsError}
 * (INVALID_RESOURCE_ID, RESOURCE_NOT_FOUND or INVALIDATED_RESOURCE).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "./fixture-patients.ts";
 * // 9690938622 is superseded by 9690938614.
 * assert.equal(lookupPdsRecord(fixturePatients, "9690938622").patient.nhsNumber, "9690938614");
 * ```
 */
export function lookupPdsRecord(
  patients: readonly FixturePatient[],
  nhsNumber: string,
): PdsLookupResult {
  if (!isValidNhsNumber(nhsNumber)) throw new PdsError("INVALID_RESOURCE_ID");
  const byNumber = new Map(patients.map((patient) => [patient.nhsNumber, patient]));
  let current = byNumber.get(nhsNumber);
  for (let hop = 0; hop <= maxSupersededHops && current; hop++) {
    switch (current.pds.record) {
      case "present":
        return { patient: current, superseded: hop > 0 };
      case "invalidated":
        throw new PdsError("INVALIDATED_RESOURCE");
      case "superseded":
        current = current.pds.supersededBy === undefined
          ? undefined
          : byNumber.get(current.pds.supersededBy);
        break;
      default:
        current = undefined;
    }
  }
  throw new PdsError("RESOURCE_NOT_FOUND");
}
