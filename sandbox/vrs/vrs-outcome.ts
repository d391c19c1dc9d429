/**
 * The VRS sandbox's errors, in VRS's shape (NHSDigital/validated-relationships-service-api,
 * specification/examples/responses/GET_RelatedPerson/errors/*.yaml): an OperationOutcome whose
 * coding system is `ValidatedRelationships-ErrorOrWarningCode`, version "1".
 *
 * @module
 */

/** VRS's error code system. */
export const vrsErrorSystem =
  "https://fhir.nhs.uk/R4/CodeSystem/ValidatedRelationships-ErrorOrWarningCode";

/** One VRS error. */
export interface VrsError {
  readonly status: 400 | 401 | 404 | 500;
  readonly code: string;
  readonly issueCode: "invalid" | "forbidden" | "not-found";
  readonly display: string;
  readonly diagnostics: string;
  readonly expression?: string;
}

/** The errors the RelatedPerson search answers. */
export const vrsErrors = {
  accessDenied: {
    status: 401,
    code: "ACCESS_DENIED",
    issueCode: "forbidden",
    display: "Access denied",
    diagnostics: "A bearer access token is required",
  },
  missingIdentifier: {
    status: 400,
    code: "MISSING_IDENTIFIER_VALUE",
    issueCode: "invalid",
    display: "Missing RelatedPerson NHS number.",
    diagnostics: "The 'identifier' parameter is required",
  },
  invalidIdentifierSystem: {
    status: 400,
    code: "INVALID_IDENTIFIER_SYSTEM",
    issueCode: "invalid",
    display: "Invalid identifier system.",
    diagnostics: "The identifier system is not valid.",
  },
  invalidIdentifier: {
    status: 400,
    code: "INVALID_IDENTIFIER_VALUE",
    issueCode: "invalid",
    display: "Provided value is invalid",
    diagnostics: "Not a valid NHS Number provided for the 'identifier' parameter",
    expression: "RelatedPerson.identifier",
  },
  invalidPatientIdentifier: {
    status: 400,
    code: "INVALID_PATIENT_IDENTIFIER_VALUE",
    issueCode: "invalid",
    display: "Provided value is invalid",
    diagnostics: "Not a valid NHS Number provided for the 'patient:identifier' parameter",
  },
  invalidInclude: {
    status: 400,
    code: "INVALID_PARAMETER",
    issueCode: "invalid",
    display: "Invalid parameter",
    diagnostics: "The only _include supported is RelatedPerson:patient",
  },
  notFound: {
    status: 404,
    code: "NOT_FOUND",
    issueCode: "not-found",
    display: "Not found",
    diagnostics: "No resource or operation at this path",
  },
} as const satisfies Record<string, VrsError>;

/**
 * The OperationOutcome body of an error.
 *
 * @example
 * ```ts
 * vrsOperationOutcome(vrsErrors.missingIdentifier).issue[0]?.details.coding[0]?.code; // "MISSING_IDENTIFIER_VALUE"
 * ```
 */
export function vrsOperationOutcome(error: VrsError) {
  return {
    resourceType: "OperationOutcome" as const,
    issue: [{
      severity: "error",
      code: error.issueCode,
      details: {
        coding: [{
          system: vrsErrorSystem,
          version: "1",
          code: error.code,
          display: error.display,
        }],
      },
      diagnostics: error.diagnostics,
      ...(error.expression ? { expression: [error.expression] } : {}),
    }],
  };
}
