/**
 * The Foundations CapabilityStatement of the reference provider (GPC-1.6 foundations example):
 * FHIR 3.0.1, JSON and XML, and only what this provider implements so far: Patient read and
 * search by NHS number. It grows with the provider.
 *
 * @module
 */
import { gpcPatientProfile } from "./patient-resource.ts";

/** The GP Connect specification version the reference provider claims. */
export const gpConnectVersion = "1.6.2";

/**
 * The CapabilityStatement served at `GET [foundations root]/metadata`.
 *
 * @example
 * ```ts
 * foundationsCapabilityStatement(new Date("2025-01-15T00:00:00Z")).fhirVersion; // "3.0.1"
 * ```
 */
export function foundationsCapabilityStatement(now: Date): Record<string, unknown> {
  return {
    resourceType: "CapabilityStatement",
    version: gpConnectVersion,
    name: "GP Connect",
    status: "active",
    date: now.toISOString().slice(0, 10),
    publisher: "gpc-edge",
    contact: [{ name: "gpc-edge maintainers" }],
    description: `This server implements the GP Connect API version ${gpConnectVersion}`,
    copyright: "Copyright gpc-edge contributors",
    kind: "capability",
    software: {
      name: "gpc-edge reference provider sandbox",
      version: "0.1.0",
      releaseDate: "2025-01-01",
    },
    fhirVersion: "3.0.1",
    acceptUnknown: "both",
    format: ["application/fhir+json", "application/fhir+xml"],
    profile: [
      { reference: gpcPatientProfile },
      { reference: "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1" },
    ],
    rest: [{
      mode: "server",
      security: { cors: true },
      resource: [{
        type: "Patient",
        interaction: [{ code: "read" }, { code: "search-type" }],
        searchParam: [{
          name: "identifier",
          type: "token",
          documentation: "NHS Number (i.e. https://fhir.nhs.uk/Id/nhs-number|123456789)",
        }],
      }],
    }],
  };
}
