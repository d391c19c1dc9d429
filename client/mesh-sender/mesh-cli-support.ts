/**
 * Small pieces of `task mesh`: reading an Update Record payload file and the one line printed per
 * acknowledgement.
 *
 * @module
 */
import type { ItkResponseView } from "../../gpconnect/itk/itk-response-read.ts";
import { isJsonObject, type JsonObject } from "../../gpconnect/json-object.ts";
import { UsageError } from "../command-line.ts";

/**
 * The clinical resources of an Update Record payload: a FHIR resource, an array of resources or a
 * Bundle whose entries hold them. Throws {@linkcode UsageError} when the text is none of these.
 *
 * @example
 * ```ts
 * clinicalResourcesOf('{"resourceType":"Observation","status":"final"}').length; // 1
 * ```
 */
export function clinicalResourcesOf(text: string): JsonObject[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError("--payload is not JSON");
  }
  const resources = Array.isArray(json)
    ? json
    : isJsonObject(json) && json.resourceType === "Bundle"
    ? (Array.isArray(json.entry) ? json.entry : []).map((entry) =>
      isJsonObject(entry) ? entry.resource : undefined
    )
    : [json];
  const valid = resources.filter((resource): resource is JsonObject =>
    isJsonObject(resource) && typeof resource.resourceType === "string"
  );
  if (valid.length === 0 || valid.length !== resources.length) {
    throw new UsageError("--payload must hold FHIR resources (each with a resourceType)");
  }
  return valid;
}

/**
 * The line printed for an acknowledgement, e.g. `InfAck 20013 Success`.
 *
 * @example
 * ```ts
 * describeResponse({
 *   messageHeaderId: undefined, respondsTo: "x", responseCode: "fatal-error", code: "30002",
 *   display: "Patient not known here", level: "business", positive: false,
 *   diagnostics: undefined, senderReference: undefined,
 * }); // "BusAck 30002 Patient not known here"
 * ```
 */
export function describeResponse(response: ItkResponseView): string {
  const kind = response.level === "business" ? "BusAck" : "InfAck";
  const detail = response.diagnostics ? `: ${response.diagnostics}` : "";
  return `${kind} ${response.code} ${response.display ?? ""}${detail}`.trimEnd();
}
