/**
 * Reading the Appointment a consumer sends to Book, Amend or Cancel (PT-1.6
 * `AppointmentBook.feature`): a body that is not a FHIR resource, or that has elements the STU3
 * Appointment does not define, is malformed → 400 BAD_REQUEST; a resource of another type →
 * 422 INVALID_RESOURCE. JSON is read as JSON; a body whose `Content-Type` names the FHIR XML
 * format is read as FHIR XML.
 *
 * @module
 */
import { isJsonObject } from "../../../gpconnect/json-object.ts";
import { contentTypeFhirFormat } from "../../../gpconnect/media-type.ts";
import { ProviderError } from "../provider-error.ts";
import { fhirXmlToJson } from "./appointment-xml.ts";

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** Elements of the STU3 Appointment (https://hl7.org/fhir/STU3/appointment.html). */
const appointmentElements = new Set([
  "resourceType",
  "id",
  "meta",
  "implicitRules",
  "language",
  "text",
  "contained",
  "extension",
  "modifierExtension",
  "identifier",
  "status",
  "serviceCategory",
  "serviceType",
  "specialty",
  "appointmentType",
  "reason",
  "indication",
  "priority",
  "description",
  "supportingInformation",
  "start",
  "end",
  "minutesDuration",
  "slot",
  "created",
  "comment",
  "incomingReferral",
  "participant",
  "requestedPeriod",
]);

/**
 * The Appointment of a request body; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const request = new Request("http://provider.test/Appointment", {
 *   method: "POST",
 *   headers: { "Content-Type": "application/fhir+json" },
 *   body: JSON.stringify({ resourceType: "Appointment", status: "booked" }),
 * });
 * const appointment = await appointmentBody(request);
 * assert.equal(appointment.status, "booked");
 * ```
 */
export async function appointmentBody(request: Request): Promise<Json> {
  const text = await request.text();
  let parsed: unknown;
  try {
    parsed = contentTypeFhirFormat(request.headers.get("Content-Type") ?? undefined, "STU3") ===
        "xml"
      ? fhirXmlToJson(text)
      : JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ProviderError("BAD_REQUEST", `The request body is not a FHIR resource: ${reason}`);
  }
  if (!isJsonObject(parsed) || typeof parsed.resourceType !== "string") {
    throw new ProviderError("BAD_REQUEST", "The request body is not a FHIR resource");
  }
  if (parsed.resourceType !== "Appointment") {
    throw new ProviderError(
      "INVALID_RESOURCE",
      `Expected an Appointment resource, got ${parsed.resourceType}`,
    );
  }
  const unknown = Object.keys(parsed).filter((key) =>
    !appointmentElements.has(key.startsWith("_") ? key.slice(1) : key)
  );
  if (unknown.length > 0) {
    throw new ProviderError(
      "BAD_REQUEST",
      `Appointment has elements FHIR STU3 does not define: ${unknown.join(", ")}`,
    );
  }
  return parsed;
}
