/**
 * The `$gpc.migratestructuredrecord` request (GPC-1.6 migrate a patient's structured record;
 * reference gpconnect-ssp.md §2.2 `requested_scope` and `requesting_organization`):
 *
 * | Rule | Answer |
 * |---|---|
 * | an unknown parameter or part (no forwards compatibility for migration) | 422 INVALID_PARAMETER |
 * | `includeFullRecord` repeated or carrying a value, a part repeated | 422 INVALID_RESOURCE |
 * | `includeFullRecord` without `includeSensitiveInformation` (1..1), a part without a value | 422 INVALID_PARAMETER |
 * | `includeSensitiveInformation` true while the JWT scope is `conf/N` (or has no `conf/`) | 400 CONFLICTING_VALUES |
 * | the JWT `requesting_organization` ODS code is not the patient's registered practice | 403 NO_RELATIONSHIP |
 *
 * Without `includeFullRecord` the response holds no clinical information.
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { ProviderError } from "../provider-error.ts";
import { nhsNumberParameterName, patientNhsNumber } from "./nhs-number-parameter.ts";
import type { OperationParameter } from "./parameters-body.ts";
import { booleanPart } from "./part-values.ts";

/** What a migration asked for. */
export interface MigrateQuery {
  readonly nhsNumber: string;
  /** Present when `includeFullRecord` was sent. */
  readonly fullRecord?: { readonly includeSensitive: boolean };
}

/**
 * Reads the migration parameters; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readParametersBody } from "./parameters-body.ts";
 * import { nhsNumberParameter, parameter, parametersResource } from "./structured-requests.ts";
 * const text = JSON.stringify(parametersResource([
 *   nhsNumberParameter("9690937286"),
 *   parameter("includeFullRecord", { includeSensitiveInformation: { valueBoolean: true } }),
 * ]));
 * assert.equal(migrateQuery(readParametersBody(text)).fullRecord?.includeSensitive, true);
 * ```
 */
export function migrateQuery(parameters: readonly OperationParameter[]): MigrateQuery {
  const nhsNumber = patientNhsNumber(parameters);
  let fullRecord: MigrateQuery["fullRecord"];
  for (const parameter of parameters) {
    if (parameter.name === nhsNumberParameterName) continue;
    if (parameter.name !== "includeFullRecord") {
      throw new ProviderError(
        "INVALID_PARAMETER",
        `${parameter.name} is not a parameter of $gpc.migratestructuredrecord`,
      );
    }
    if (fullRecord !== undefined) {
      throw new ProviderError(
        "INVALID_RESOURCE",
        "includeFullRecord must not appear more than once",
      );
    }
    if (parameter.value !== undefined) {
      throw new ProviderError("INVALID_RESOURCE", "includeFullRecord takes part parameters only");
    }
    let includeSensitive: boolean | undefined;
    for (const part of parameter.parts) {
      const label = `includeFullRecord.${part.name}`;
      if (part.name !== "includeSensitiveInformation") {
        throw new ProviderError("INVALID_PARAMETER", `${label} is not a part of includeFullRecord`);
      }
      if (includeSensitive !== undefined) {
        throw new ProviderError("INVALID_RESOURCE", `${label} must not appear more than once`);
      }
      includeSensitive = booleanPart(part, label);
    }
    if (includeSensitive === undefined) {
      throw new ProviderError(
        "INVALID_PARAMETER",
        "includeFullRecord.includeSensitiveInformation is required with includeFullRecord",
      );
    }
    fullRecord = { includeSensitive };
  }
  return { nhsNumber, ...(fullRecord ? { fullRecord } : {}) };
}

/** The confidentiality a JWT `requested_scope` grants: `R` only with an explicit `conf/R`. */
export function scopeConfidentiality(claims: Record<string, unknown> | undefined): "N" | "R" {
  const scope = typeof claims?.requested_scope === "string" ? claims.requested_scope : "";
  return scope.split(/\s+/).includes("conf/R") ? "R" : "N";
}

/** The ODS code of the JWT `requesting_organization`, if it has one. */
export function requestingOdsCode(claims: Record<string, unknown> | undefined): string | undefined {
  const organization = claims?.requesting_organization as
    | { identifier?: Array<{ system?: unknown; value?: unknown }> }
    | undefined;
  const identifier = Array.isArray(organization?.identifier)
    ? organization.identifier.find((id) => id?.system === identifierSystems.odsOrganizationCode)
    : undefined;
  return typeof identifier?.value === "string" ? identifier.value : undefined;
}

/** Sensitive information needs a `conf/R` scope: else 400 CONFLICTING_VALUES. */
export function checkSensitiveScope(
  query: MigrateQuery,
  claims: Record<string, unknown> | undefined,
): void {
  if (query.fullRecord?.includeSensitive && scopeConfidentiality(claims) !== "R") {
    throw new ProviderError(
      "CONFLICTING_VALUES",
      "includeSensitiveInformation is true but the JWT requested_scope is not conf/R",
    );
  }
}

/** The requester must be the patient's registered practice: else 403 NO_RELATIONSHIP. */
export function checkRelationship(
  claims: Record<string, unknown> | undefined,
  registeredOdsCode: string,
): void {
  const requester = requestingOdsCode(claims);
  if (requester !== registeredOdsCode) {
    throw new ProviderError(
      "NO_RELATIONSHIP",
      `The requesting organisation ${
        requester ?? "(no ODS code)"
      } is not the patient's registered practice on PDS (${registeredOdsCode})`,
    );
  }
}
