/**
 * The `patientNHSNumber` parameter both structured operations take (GPC-1.6 retrieve and migrate
 * a patient's structured record, "Error handling"):
 *
 * | Problem | Answer |
 * |---|---|
 * | no `patientNHSNumber` | 422 INVALID_PARAMETER |
 * | more than one | 422 INVALID_RESOURCE (the OperationDefinition says 1..1) |
 * | not a `valueIdentifier` | 422 INVALID_PARAMETER |
 * | system missing or not `https://fhir.nhs.uk/Id/nhs-number` | 400 INVALID_IDENTIFIER_SYSTEM |
 * | value missing, or fails format or check digit | 400 INVALID_NHS_NUMBER |
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { nhsNumberProblem } from "../../../gpconnect/nhs-number.ts";
import { ProviderError } from "../provider-error.ts";
import type { OperationParameter } from "./parameters-body.ts";

/** The parameter's name. */
export const nhsNumberParameterName = "patientNHSNumber";

/**
 * The NHS number the parameters name; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * patientNhsNumber([{ name: "patientNHSNumber", parts: [], value: { type: "Identifier", value: { system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690937286" } } }]);
 * // "9690937286"
 * ```
 */
export function patientNhsNumber(parameters: readonly OperationParameter[]): string {
  const matches = parameters.filter((parameter) => parameter.name === nhsNumberParameterName);
  if (matches.length === 0) {
    throw new ProviderError("INVALID_PARAMETER", `${nhsNumberParameterName} is required`);
  }
  if (matches.length > 1) {
    throw new ProviderError("INVALID_RESOURCE", `${nhsNumberParameterName} must appear once`);
  }
  const parameter = matches[0]!;
  const raw = parameter.value;
  if (raw?.type !== "Identifier" || typeof raw.value !== "object" || raw.value === null) {
    throw new ProviderError(
      "INVALID_PARAMETER",
      `${nhsNumberParameterName} must be a valueIdentifier`,
    );
  }
  const identifier = raw.value as Record<string, unknown>;
  if (identifier.system !== identifierSystems.nhsNumber) {
    throw new ProviderError(
      "INVALID_IDENTIFIER_SYSTEM",
      `${nhsNumberParameterName} system must be ${identifierSystems.nhsNumber}, got ${
        JSON.stringify(identifier.system ?? null)
      }`,
    );
  }
  const value = typeof identifier.value === "string" ? identifier.value : "";
  const problem = nhsNumberProblem(value);
  if (problem !== undefined) {
    throw new ProviderError("INVALID_NHS_NUMBER", `${nhsNumberParameterName}: ${problem}`);
  }
  return value;
}
