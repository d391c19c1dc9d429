/**
 * The expectations generated scenarios share: a GP Connect error (STU3 `GPConnect-OperationOutcome-1`
 * or the DSTU2 shape), an SSP-raised error for `viaSsp`, and a success in a given format.
 *
 * `viaSsp.spineCode` names a row of the `ssp` table of `specs/error-codes.json` (e.g.
 * `PARTYKEY_CHECK_FAILED`); the runner matches `issue.details.coding.display` against that row's
 * pattern, `<…>` standing for any text. A `viaSsp` expectation replaces the direct one whole.
 *
 * @module
 */
import errorCodes from "../../../specs/error-codes.json" with { type: "json" };
import { fhirMediaType } from "../../../gpconnect/media-type.ts";
import type { Expectation, FhirPathAssertion } from "../../model.ts";
import type { CatalogueInteraction } from "../catalogue.ts";

/** `Cache-Control: no-store` on every response, errors included (GPC-1.6 general API guidance). */
export const noStore = { "Cache-Control": "/no-store/" } as const;

/** A Content-Type header pattern for a release and format, e.g. `/^application\/fhir\+xml/`. */
export function contentTypePattern(fhirVersion: "STU3" | "DSTU2", format: "json" | "xml"): string {
  return `/^${fhirMediaType(fhirVersion, format).replace(/[/+]/g, "\\$&")}/`;
}

const dstu2ErrorShape: readonly FhirPathAssertion[] = [
  {
    expression:
      "issue.details.coding.system contains 'http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1'",
    description: "the error is coded in the DSTU2 gpconnect-error-or-warning-code-1 value set",
    requirement: "FHIR-ERR-DSTU2",
  },
  {
    expression:
      "meta.profile contains 'http://fhir.nhs.net/StructureDefinition/gpconnect-operationoutcome-1'",
    description: "the OperationOutcome claims the DSTU2 gpconnect-operationoutcome-1 profile",
    requirement: "FHIR-ERR-DSTU2",
  },
];

const displays = errorCodes.gpconnect as Readonly<Record<string, { readonly display: string }>>;

/**
 * The display the Spine error-code value set fixes for `code` (GPC-1.6 error page), checked
 * case-insensitively: a negative must be refused for its reason, and a provider that answers
 * every request with one canned error shows it here as well as in the code. Only for one
 * expected STU3 code (variants have no single display).
 */
export function spineDisplayAssertion(code: string): FhirPathAssertion | undefined {
  const row = Object.hasOwn(displays, code) ? displays[code] : undefined;
  if (!row) return undefined;
  const quote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  return {
    expression: `issue.details.coding.where(system = ${quote(errorCodes.systems.stu3)} and ` +
      `code = ${quote(code)}).display.lower() = ${quote(row.display.toLowerCase())}`,
    description: `the ${code} coding carries the value set's display "${row.display}"`,
    requirement: "FHIR-ERR-OPERATIONOUTCOME",
  };
}

/**
 * A GP Connect error answered by the provider: status, Spine code(s), an OperationOutcome,
 * `Cache-Control: no-store`; STU3 errors are validated against their profile and, for one
 * expected code, carry its display ({@linkcode spineDisplayAssertion}); DSTU2 errors have their
 * shape checked.
 *
 * @example
 * ```ts
 * import { requireInteraction } from "../catalogue.ts";
 *
 * providerError(requireInteraction("read-metadata"), 400, "BAD_REQUEST");
 * ```
 */
export function providerError(
  interaction: Pick<CatalogueInteraction, "fhirVersion">,
  status: number | readonly number[],
  spineCode: string | readonly string[],
): Expectation {
  const base = { status, spineCode, resourceType: "OperationOutcome", headers: noStore };
  if (interaction.fhirVersion === "DSTU2") return { ...base, fhirpath: dstu2ErrorShape };
  const display = typeof spineCode === "string" ? spineDisplayAssertion(spineCode) : undefined;
  return { ...base, validate: true, ...(display ? { fhirpath: [display] } : {}) };
}

/**
 * An error the SSP raises itself (GPC-1.6 error page, "SSP errors"): `row` names the `ssp` table
 * row of `specs/error-codes.json` whose display pattern must match.
 */
export function sspError(status: number, row: string): Omit<Expectation, "viaSsp"> {
  return { status, spineCode: row, resourceType: "OperationOutcome" };
}

/** {@linkcode providerError} with an SSP override. */
export function errorWithSsp(
  interaction: Pick<CatalogueInteraction, "fhirVersion">,
  status: number | readonly number[],
  spineCode: string | readonly string[],
  viaSsp: Omit<Expectation, "viaSsp">,
): Expectation {
  return { ...providerError(interaction, status, spineCode), viaSsp };
}

/**
 * A success of the interaction in `format`: its status and resource type, the media type of the
 * format, `Cache-Control: no-store`, and (STU3; the profile validator knows no DSTU2) profile
 * validation.
 */
export function success(
  interaction: Pick<CatalogueInteraction, "fhirVersion" | "responseResourceType">,
  status: number,
  format: "json" | "xml" = "json",
): Expectation {
  return {
    status,
    resourceType: interaction.responseResourceType,
    ...(interaction.fhirVersion === "STU3" ? { validate: true } : {}),
    headers: { ...noStore, "Content-Type": contentTypePattern(interaction.fhirVersion, format) },
  };
}
