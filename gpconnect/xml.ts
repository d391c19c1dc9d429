/**
 * FHIR JSON → FHIR XML, enough for any resource gpc-edge or its sandboxes emit: primitives as
 * `value` attributes, repeated elements for arrays, nested resources wrapped in their type,
 * `id`/`url` attributes where FHIR puts them, and XHTML narrative copied through.
 *
 * @module
 */
import { isJsonObject, type JsonObject } from "./json-object.ts";

const FHIR_NS = "http://hl7.org/fhir";

/** Code points outside XML 1.0's `Char` production (lone surrogates are handled separately). */
// deno-lint-ignore no-control-regex
const NOT_XML_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

/**
 * Escapes text for an XML attribute or element. Tab, line feed and carriage return become
 * character references, because a parser normalises them to spaces inside an attribute value and
 * every FHIR primitive is a `value` attribute. Characters XML 1.0 cannot carry at all (other C0
 * controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD so the document stays well formed.
 */
export function escapeXml(text: string): string {
  return text.toWellFormed()
    .replace(NOT_XML_CHARACTER, "\uFFFD")
    .replace(/[&<>"'\t\n\r]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function isResource(value: unknown): value is JsonObject & { resourceType: string } {
  return isJsonObject(value) && typeof value.resourceType === "string";
}

function elementXml(name: string, value: unknown, depth: number): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((item) => elementXml(name, item, depth)).join("");
  if (name === "div" && typeof value === "string") return value;
  if (typeof value !== "object") {
    return `<${name} value="${escapeXml(String(value))}"/>`;
  }
  if (isResource(value)) return `<${name}>${resourceXml(value, depth + 1)}</${name}>`;
  const record = value as Record<string, unknown>;
  // Complex types carry id and url (extensions) as attributes.
  let attributes = "";
  let children = "";
  const isExtension = name === "extension" || name === "modifierExtension";
  for (const [key, child] of Object.entries(record)) {
    if (key.startsWith("_")) continue;
    if ((key === "id" || (key === "url" && isExtension)) && typeof child === "string") {
      attributes += ` ${key}="${escapeXml(child)}"`;
      continue;
    }
    children += elementXml(key, child, depth + 1);
  }
  return `<${name}${attributes}>${children}</${name}>`;
}

function resourceXml(resource: Record<string, unknown>, depth: number): string {
  const type = String(resource.resourceType);
  let children = "";
  for (const [key, child] of Object.entries(resource)) {
    if (key === "resourceType" || key.startsWith("_")) continue;
    children += elementXml(key, child, depth + 1);
  }
  return `<${type} xmlns="${FHIR_NS}">${children}</${type}>`;
}

/**
 * Serialises a FHIR resource (JSON form) as FHIR XML.
 *
 * @example
 * ```ts
 * fhirJsonToXml({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "invalid" }] });
 * // '<?xml version="1.0" encoding="UTF-8"?><OperationOutcome xmlns="http://hl7.org/fhir"><issue>…'
 * ```
 */
export function fhirJsonToXml(resource: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${resourceXml(resource, 0)}`;
}
