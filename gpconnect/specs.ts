/**
 * Typed access to the spec data in `specs/`. The JSON is imported as a module so the worker
 * bundles into a Cloudflare Worker, which has no filesystem.
 *
 * @module
 */
import interactionsDoc from "../specs/interactions.json" with { type: "json" };
import errorCodesDoc from "../specs/error-codes.json" with { type: "json" };

/** The kind of service root an interaction's path is relative to. */
export type RootKind = "foundations" | "structured" | "documents" | "dstu2";

/** FHIR release an interaction speaks. */
export type FhirVersion = "STU3" | "DSTU2";

/** One GP Connect interaction of the catalogue (`specs/interactions.json`). */
export interface Interaction {
  /** The interaction URN, sent as `Ssp-InteractionID`. */
  readonly id: string;
  /** Product the interaction belongs to. */
  readonly product: "foundations" | "appointments" | "structured" | "documents" | "html";
  /** Human name. */
  readonly name: string;
  /** HTTP method. */
  readonly method: "GET" | "POST" | "PUT";
  /** Path template relative to the service root, e.g. `/Patient/{id}`. */
  readonly path: string;
  /** The kind of service root. */
  readonly root: RootKind;
  /** FHIR release. */
  readonly fhirVersion: FhirVersion;
  /** JWT `requested_scope` (without any `conf/` suffix). */
  readonly requestedScope: string;
  /** Allowed JWT `reason_for_request` values. */
  readonly reasonForRequest: readonly string[];
  /** Resource type of a successful response. */
  readonly responseResourceType: string;
}

/** Every interaction of the catalogue. */
export const interactions: readonly Interaction[] = interactionsDoc
  .interactions as unknown as readonly Interaction[];

const interactionsById: ReadonlyMap<string, Interaction> = new Map(
  interactions.map((interaction) => [interaction.id, interaction]),
);

/**
 * Finds an interaction by its URN; exact, case-sensitive match (GP Connect URLs and ids are case
 * sensitive).
 *
 * @example
 * ```ts
 * findInteraction("urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1")?.method; // "GET"
 * ```
 */
export function findInteraction(id: string): Interaction | undefined {
  return interactionsById.get(id);
}

/** Service root segments per root kind (`specs/interactions.json` `roots`). */
export const serviceRoots: Readonly<
  Record<RootKind, { segment: string; fhirVersion: FhirVersion; majorVersion: string }>
> = interactionsDoc.roots as Record<
  RootKind,
  { segment: string; fhirVersion: FhirVersion; majorVersion: string }
>;

/** One row of the Spine error-code table. */
export interface SpineErrorCode {
  readonly status: number;
  readonly issueCode: string;
  readonly display: string;
}

/** A GP Connect (1.x) Spine error code. */
export type GpConnectErrorCode = keyof typeof errorCodesDoc.gpconnect;

/** The GP Connect error-code table: Spine code → HTTP status, issue type, display. */
export const gpConnectErrorCodes: Readonly<Record<GpConnectErrorCode, SpineErrorCode>> =
  errorCodesDoc.gpconnect;

/** A kind of error the SSP itself raises. */
export type SspErrorKind = keyof typeof errorCodesDoc.ssp;

/** One row of the SSP error table. */
export interface SspErrorRow {
  readonly status: number;
  readonly issueCode: string;
  readonly severity: string;
  readonly pattern: string;
}

/** Errors the SSP raises itself (GP Connect error page, "SSP errors"). */
export const sspErrorCodes: Readonly<Record<SspErrorKind, SspErrorRow>> = errorCodesDoc.ssp;

/** Coding systems and profiles for error bodies. */
export const errorSystems = errorCodesDoc.systems;

/** OperationOutcome profiles per era. */
export const errorProfiles = errorCodesDoc.profiles;
