/**
 * The DSTU2 Conformance resource of the Access Record HTML root (GPC-0.7
 * `accessrecord_development_conformance_profile`): FHIR 1.0.2, JSON and XML, the GP Connect 0.x
 * profiles and the one operation, `gpc.getcarerecord`.
 *
 * @module
 */
import { sandboxPublisher, sandboxSoftware } from "../capability-statement-base.ts";
import { dstu2Profiles } from "./dstu2-resources.ts";

/** The GP Connect DSTU2 specification version the reference provider claims. */
export const accessRecordHtmlVersion = "0.7.4";

/**
 * The Conformance served at `GET [DSTU2 root]/metadata`.
 *
 * @example
 * ```ts
 * htmlConformance(new Date("2025-01-15T00:00:00Z")).fhirVersion; // "1.0.2"
 * ```
 */
export function htmlConformance(now: Date): Record<string, unknown> {
  return {
    resourceType: "Conformance",
    version: accessRecordHtmlVersion,
    name: "Access Record HTML",
    status: "active",
    publisher: sandboxPublisher.publisher,
    contact: sandboxPublisher.contact.map((contact) => ({ ...contact })),
    date: now.toISOString().slice(0, 10),
    description: "This server implements the GP Connect Access Record HTML FHIR APIs",
    copyright: sandboxPublisher.copyright,
    kind: "capability",
    software: { ...sandboxSoftware },
    fhirVersion: "1.0.2",
    acceptUnknown: "both",
    format: ["application/json+fhir", "application/xml+fhir"],
    profile: [
      dstu2Profiles.Patient,
      dstu2Profiles.OperationOutcome,
      dstu2Profiles.Practitioner,
      dstu2Profiles.Location,
      dstu2Profiles.Organization,
      dstu2Profiles.Device,
      dstu2Profiles.Bundle,
      dstu2Profiles.Composition,
    ].map((reference) => ({ reference })),
    rest: [{
      mode: "server",
      security: { cors: true },
      operation: [{
        name: "gpc.getcarerecord",
        definition: { reference: "OperationDefinition/gpc.getcarerecord" },
      }],
    }],
  };
}
