/**
 * What every STU3 CapabilityStatement of the reference provider shares (GPC-1.6 foundations,
 * structured and documents `metadata` examples): the GP Connect version, status, the day it is
 * served as its date, publisher, contact, copyright, the sandbox as its software, FHIR 3.0.1,
 * `acceptUnknown`, JSON and XML, and one server `rest` entry with CORS. Each root supplies its
 * name, description, profiles and what its `rest` entry offers.
 *
 * The DSTU2 Conformance of the HTML root has its own element order and formats, and shares only
 * the facts about the sandbox ({@linkcode sandboxPublisher}, {@linkcode sandboxSoftware}).
 *
 * @module
 */

/** The GP Connect specification version the reference provider claims. */
export const gpConnectVersion = "1.6.2";

/** Who publishes the reference provider's capability statements. */
export const sandboxPublisher = {
  publisher: "gpc-edge",
  contact: [{ name: "gpc-edge maintainers" }],
  copyright: "Copyright gpc-edge contributors",
} as const;

/** The software a capability statement names: the reference provider sandbox. */
export const sandboxSoftware = {
  name: "gpc-edge reference provider sandbox",
  version: "0.1.0",
  releaseDate: "2025-01-01",
} as const;

/** What one root's CapabilityStatement says of itself. */
export interface CapabilityStatementParts<Rest extends object> {
  /** `CapabilityStatement.name`. */
  readonly name: string;
  /** `CapabilityStatement.description`. */
  readonly description: string;
  /** The profile references, in order. */
  readonly profiles: readonly string[];
  /** What the server `rest` entry offers after `mode` and `security` (resources, operations). */
  readonly rest: Rest;
}

/** An STU3 CapabilityStatement whose `rest` entry carries `Rest`. */
export interface CapabilityStatement<Rest extends object> extends Record<string, unknown> {
  readonly resourceType: "CapabilityStatement";
  readonly profile: Array<{ reference: string }>;
  readonly rest: Array<{ mode: "server"; security: { cors: true } } & Rest>;
}

/**
 * The CapabilityStatement of a root, dated `now`, in the STU3 element order.
 *
 * @example
 * ```ts
 * capabilityStatement(new Date("2025-01-15T00:00:00Z"), {
 *   name: "GP Connect",
 *   description: "This server implements the GP Connect API version 1.6.2",
 *   profiles: [],
 *   rest: { operation: [] },
 * }).date; // "2025-01-15"
 * ```
 */
export function capabilityStatement<Rest extends object>(
  now: Date,
  parts: CapabilityStatementParts<Rest>,
): CapabilityStatement<Rest> {
  return {
    resourceType: "CapabilityStatement",
    version: gpConnectVersion,
    name: parts.name,
    status: "active",
    date: now.toISOString().slice(0, 10),
    publisher: sandboxPublisher.publisher,
    contact: sandboxPublisher.contact.map((contact) => ({ ...contact })),
    description: parts.description,
    copyright: sandboxPublisher.copyright,
    kind: "capability",
    software: { ...sandboxSoftware },
    fhirVersion: "3.0.1",
    acceptUnknown: "both",
    format: ["application/fhir+json", "application/fhir+xml"],
    profile: parts.profiles.map((reference) => ({ reference })),
    rest: [{ mode: "server", security: { cors: true }, ...parts.rest }],
  };
}
