/**
 * Request *builders* for the structured operations, for tests and the harness: the `Parameters`
 * body and a complete provider request (Ssp headers, JWT) at the structured root. They judge
 * nothing.
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { providerRequestHeaders, type ProviderRequestOptions } from "../provider-request.ts";
import { serviceRootPath } from "../provider-roots.ts";

/** The interaction ids of the structured root. */
export const structuredInteractions = {
  metadata: "urn:nhs:names:services:gpconnect:structured:fhir:rest:read:metadata-1",
  get: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1",
  migrate: "urn:nhs:names:services:gpconnect:fhir:operation:gpc.migratestructuredrecord-1",
} as const;

/** A `Parameters.parameter` as JSON. */
export type ParameterJson = Record<string, unknown> & { name: string };

/** The `patientNHSNumber` parameter. */
export function nhsNumberParameter(
  nhsNumber: string,
  system: string = identifierSystems.nhsNumber,
): ParameterJson {
  return { name: "patientNHSNumber", valueIdentifier: { system, value: nhsNumber } };
}

/**
 * A parameter with parts given as `{ partName: { valueBoolean: true } }`.
 *
 * @example
 * ```ts
 * parameter("includeAllergies", { includeResolvedAllergies: { valueBoolean: true } });
 * ```
 */
export function parameter(
  name: string,
  parts: Readonly<Record<string, Record<string, unknown>>> = {},
): ParameterJson {
  const list = Object.entries(parts).map(([partName, value]) => ({ name: partName, ...value }));
  return list.length === 0 ? { name } : { name, part: list };
}

/** A `Parameters` resource of the given parameters. */
export function parametersResource(parameters: readonly ParameterJson[]): Record<string, unknown> {
  return { resourceType: "Parameters", parameter: [...parameters] };
}

/** Options for {@linkcode structuredRequest}. */
export interface StructuredRequestOptions extends ProviderRequestOptions {
  /** Provider origin; default `http://127.0.0.1:8083`. */
  readonly origin?: string;
  /** Practice ODS code in the path; default `B82617`. */
  readonly odsCode?: string;
  /** Raw body text instead of the Parameters JSON. */
  readonly rawBody?: string;
}

/**
 * A `POST /Patient/$gpc.getstructuredrecord` (or migrate) request to the reference provider.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createProviderSandbox } from "../provider-sandbox.ts";
 * const provider = createProviderSandbox();
 * const response = await provider.request(
 *   structuredRequest("get", [nhsNumberParameter("9690937286"), parameter("includeProblems")]),
 * );
 * assert.equal(response.status, 200);
 * ```
 */
export function structuredRequest(
  operation: "get" | "migrate",
  parameters: readonly ParameterJson[],
  options: StructuredRequestOptions = {},
): Request {
  const root = serviceRootPath(options.odsCode ?? "B82617", "structured");
  const name = operation === "get" ? "gpc.getstructuredrecord" : "gpc.migratestructuredrecord";
  const headers = providerRequestHeaders(structuredInteractions[operation], options);
  if (!headers.has("Content-Type")) headers.set("Content-Type", "application/fhir+json");
  return new Request(`${options.origin ?? "http://127.0.0.1:8083"}${root}/Patient/$${name}`, {
    method: "POST",
    headers,
    body: options.rawBody ?? JSON.stringify(parametersResource(parameters)),
  });
}
