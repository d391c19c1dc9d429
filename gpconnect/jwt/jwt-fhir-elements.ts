/**
 * Reading the minimal FHIR resources carried in JWT claims (`requesting_device`,
 * `requesting_organization`, `requesting_practitioner`) the way a strict FHIR parser would, and
 * telling a resource that is not FHIR (422 INVALID_RESOURCE) from one that lacks an element GP
 * Connect requires (400 BAD_REQUEST). Reference gpconnect-ssp.md §2.1, §2.3, §8.1.
 *
 * @module
 */
import { isJsonObject, jsonType } from "../json-object.ts";
import type { FhirVersion } from "../specs.ts";
import { badRequest, invalidResource, type JwtFinding, quote } from "./jwt-finding.ts";

/** Where element problems are reported: the claim name and the findings list to append to. */
export interface ElementContext {
  /** Claim name, e.g. `requesting_device`. */
  readonly claim: string;
  /** Findings are appended here, in check order. */
  readonly findings: JwtFinding[];
}

/** A FHIR Identifier as read from a claim: string fields only, others dropped. */
export interface ClaimIdentifier {
  readonly system: string | undefined;
  readonly value: string | undefined;
}

/** The resource types a claim may carry. */
export type ClaimResourceType = "Device" | "Organization" | "Practitioner";

const domainResource = [
  "resourceType",
  "id",
  "meta",
  "implicitRules",
  "language",
  "text",
  "contained",
  "extension",
  "modifierExtension",
];

/** Top-level elements of each resource per FHIR release (STU3 3.0.1, DSTU2 1.0.2). */
const elements: Readonly<Record<FhirVersion, Readonly<Record<ClaimResourceType, Set<string>>>>> = {
  STU3: {
    Device: new Set([
      ...domainResource,
      ...["identifier", "udi", "status", "type", "lotNumber", "manufacturer", "manufactureDate"],
      ...["expirationDate", "model", "version", "patient", "owner", "contact", "location", "url"],
      ...["note", "safety"],
    ]),
    Organization: new Set([
      ...domainResource,
      ...["identifier", "active", "type", "name", "alias", "telecom", "address", "partOf"],
      ...["contact", "endpoint"],
    ]),
    Practitioner: new Set([
      ...domainResource,
      ...["identifier", "active", "name", "telecom", "address", "gender", "birthDate", "photo"],
      ...["qualification", "communication"],
    ]),
  },
  DSTU2: {
    Device: new Set([
      ...domainResource,
      ...["identifier", "type", "note", "status", "manufacturer", "model", "version"],
      ...["manufactureDate", "expiry", "udi", "lotNumber", "owner", "location", "patient"],
      ...["contact", "url"],
    ]),
    Organization: new Set([
      ...domainResource,
      ...["identifier", "active", "type", "name", "telecom", "address", "partOf", "contact"],
    ]),
    Practitioner: new Set([
      ...domainResource,
      ...["identifier", "active", "name", "telecom", "address", "gender", "birthDate", "photo"],
      ...["practitionerRole", "qualification", "communication"],
    ]),
  },
};

/**
 * Reads a resource claim. Missing or null → 400 (PT "missing → 400"). Not a JSON object → 422.
 * Wrong or missing `resourceType` → 422 for 1.x (PT-1.6) but 400 for DSTU2 (PT-0.7, §8.1); the
 * resource is then not read further. Unknown top-level elements → 422 (PT's "invalid Device");
 * the resource is still read so later findings are collected too.
 */
export function resourceClaim(
  context: ElementContext,
  value: unknown,
  resourceType: ClaimResourceType,
  fhirVersion: FhirVersion,
): Record<string, unknown> | undefined {
  const { claim, findings } = context;
  if (value === undefined || value === null) {
    findings.push(badRequest(claim, `Claim "${claim}" is ${value === null ? "null" : "missing"}`));
    return undefined;
  }
  if (!isJsonObject(value)) {
    findings.push(
      invalidResource(
        claim,
        `Claim "${claim}" must be a FHIR ${resourceType} object (found ${jsonType(value)})`,
      ),
    );
    return undefined;
  }
  if (value.resourceType !== resourceType) {
    const problem = value.resourceType === undefined
      ? `Claim "${claim}" has no "resourceType" (expected "${resourceType}")`
      : `Claim "${claim}" has resourceType ${
        quote(value.resourceType)
      } (expected "${resourceType}")`;
    findings.push(
      fhirVersion === "DSTU2" ? badRequest(claim, problem) : invalidResource(claim, problem),
    );
    return undefined;
  }
  const allowed = elements[fhirVersion][resourceType];
  const unknown = Object.keys(value).filter((key) =>
    !allowed.has(key.startsWith("_") ? key.slice(1) : key)
  );
  if (unknown.length > 0) {
    findings.push(
      invalidResource(
        claim,
        `Claim "${claim}" is not a valid ${fhirVersion} ${resourceType}: unknown elements ${
          unknown.map(quote).join(", ")
        }`,
      ),
    );
  }
  return value;
}

/**
 * A string element. Missing, null or empty → undefined, plus a 400 when `required`. Any other
 * non-string → 422 (a FHIR parser rejects it).
 */
export function stringElement(
  context: ElementContext,
  resource: Readonly<Record<string, unknown>>,
  element: string,
  required: boolean,
  label: string = element,
): string | undefined {
  const value = resource[element];
  if (typeof value === "string" && value !== "") return value;
  if (value !== undefined && value !== null && value !== "") {
    context.findings.push(
      invalidResource(
        context.claim,
        `Claim "${context.claim}" element "${label}" must be a string (found ${jsonType(value)})`,
      ),
    );
  } else if (required) {
    context.findings.push(badRequest(context.claim, `Claim "${context.claim}" has no "${label}"`));
  }
  return undefined;
}

/**
 * The `identifier` list. Missing, null or empty → undefined, plus a 400 when `required` (PT
 * "identifier missing → 400"). Not an array, an entry not an object, or a non-string
 * `system`/`value` → 422.
 */
export function identifierList(
  context: ElementContext,
  resource: Readonly<Record<string, unknown>>,
  required: boolean,
): readonly ClaimIdentifier[] | undefined {
  const { claim, findings } = context;
  const value = resource.identifier;
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    if (required) findings.push(badRequest(claim, `Claim "${claim}" has no "identifier"`));
    return undefined;
  }
  if (!Array.isArray(value)) {
    findings.push(
      invalidResource(
        claim,
        `Claim "${claim}" element "identifier" must be an array (found ${jsonType(value)})`,
      ),
    );
    return undefined;
  }
  const list: ClaimIdentifier[] = [];
  value.forEach((entry: unknown, index) => {
    if (!isJsonObject(entry)) {
      findings.push(
        invalidResource(
          claim,
          `Claim "${claim}" element "identifier[${index}]" must be an object (found ${
            jsonType(entry)
          })`,
        ),
      );
      return;
    }
    list.push({
      system: stringElement(context, entry, "system", false, `identifier[${index}].system`),
      value: stringElement(context, entry, "value", false, `identifier[${index}].value`),
    });
  });
  return list;
}

/** The value of the first identifier whose system is one of `systems`, if it has a value. */
export function identifierValue(
  list: readonly ClaimIdentifier[] | undefined,
  systems: readonly string[],
): string | undefined {
  return list?.find((entry) =>
    entry.system !== undefined && systems.includes(entry.system) && entry.value !== undefined
  )?.value;
}
