/**
 * The `identifier=[system]|[value]` parameter of the Foundations find interactions (GPC-1.6
 * find a patient / practitioner / organisation; PT-1.6 `PatientSearch.feature`,
 * `PractitionerSearch.feature`, `OrganizationSearch.feature`):
 *
 * - no `identifier` parameter, or more than one → 400 BAD_REQUEST;
 * - no `|`, an empty system or an empty value → 422 INVALID_PARAMETER (diagnostics name it);
 * - a system other than the one the interaction searches by → 400 INVALID_IDENTIFIER_SYSTEM;
 * - Patient only: a value that is not a valid NHS number → 400 INVALID_NHS_NUMBER.
 *
 * Failing to find a match is not an error: the caller answers an empty searchset.
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { nhsNumberProblem } from "../../../gpconnect/nhs-number.ts";
import { ProviderError } from "../provider-error.ts";

/**
 * The value of the single `identifier` parameter in `system`; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * searchIdentifierValue(["https://fhir.nhs.uk/Id/sds-user-id|G13579135"], "https://fhir.nhs.uk/Id/sds-user-id");
 * // "G13579135"
 * ```
 */
export function searchIdentifierValue(
  identifiers: readonly string[] | undefined,
  system: string,
): string {
  if (!identifiers || identifiers.length === 0) {
    throw new ProviderError("BAD_REQUEST", "The identifier parameter is required");
  }
  if (identifiers.length > 1) {
    throw new ProviderError("BAD_REQUEST", "Exactly one identifier parameter is allowed");
  }
  const identifier = identifiers[0]!;
  const bar = identifier.indexOf("|");
  const given = bar < 0 ? "" : identifier.slice(0, bar);
  const value = bar < 0 ? identifier : identifier.slice(bar + 1);
  if (given === "" || value === "") {
    throw new ProviderError(
      "INVALID_PARAMETER",
      `identifier must be ${system}|<value>, got ${JSON.stringify(identifier)}`,
    );
  }
  if (given !== system) {
    throw new ProviderError(
      "INVALID_IDENTIFIER_SYSTEM",
      `Unsupported identifier system ${given}; this search takes ${system}`,
    );
  }
  return value;
}

/** The NHS number a find-a-patient query names; throws {@linkcode ProviderError}. */
export function patientSearchNhsNumber(identifiers: readonly string[] | undefined): string {
  const value = searchIdentifierValue(identifiers, identifierSystems.nhsNumber);
  const problem = nhsNumberProblem(value);
  if (problem !== undefined) throw new ProviderError("INVALID_NHS_NUMBER", problem);
  return value;
}
