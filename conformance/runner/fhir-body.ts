/**
 * A response body as FHIR JSON: parsed JSON, or FHIR XML converted to its JSON form (repeating
 * elements as arrays), or undefined when the body is neither.
 *
 * @module
 */
import { fhirXmlToJson } from "../validation/fhir-xml.ts";

/**
 * The parsed body, if it is FHIR JSON or XML.
 *
 * @example
 * ```ts
 * parseFhirBody('{"resourceType":"Bundle"}', "application/fhir+json"); // { resourceType: "Bundle" }
 * ```
 */
export function parseFhirBody(text: string, contentType: string | null): unknown {
  const type = (contentType ?? "").toLowerCase();
  const start = text.trimStart()[0];
  if (type.includes("json") || start === "{" || start === "[") {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  if (type.includes("xml") || start === "<") {
    try {
      return fhirXmlToJson(text);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
