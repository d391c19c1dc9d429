/**
 * A request *builder* for calling the reference provider directly (no SSP in between): the
 * `Ssp-*` headers and a valid JWT for an interaction of the catalogue, with overrides so tests
 * can break one thing at a time. It judges nothing.
 *
 * @module
 */
import { gpConnectJwt, type GpConnectJwtOptions } from "../../gpconnect/jwt/gpc-jwt.ts";
import { findInteraction } from "../../gpconnect/specs.ts";

/** Options for {@linkcode providerRequestHeaders}. */
export interface ProviderRequestOptions {
  /** JWT issue time in epoch seconds; default now. */
  readonly issuedAt?: number;
  /** Provider ASID (`Ssp-To`); default 918999198738. */
  readonly toAsid?: string;
  /** JWT options to change, e.g. `{ requestedScope: "patient/*.read conf/R" }` or a DSTU2 `nhsNumber`. */
  readonly jwt?: Partial<GpConnectJwtOptions>;
  /** Headers to set (a value) or remove (`null`) after the defaults. */
  readonly overrides?: Readonly<Record<string, string | null>>;
}

/**
 * Headers of a well-formed provider request for an interaction.
 *
 * @example
 * ```ts
 * const headers = providerRequestHeaders("urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1", {
 *   overrides: { Accept: "application/fhir+xml" },
 * });
 * ```
 */
export function providerRequestHeaders(
  interactionId: string,
  options: ProviderRequestOptions = {},
): Headers {
  const interaction = findInteraction(interactionId);
  if (!interaction) throw new RangeError(`Unknown interaction ${JSON.stringify(interactionId)}`);
  const headers = new Headers({
    "Ssp-TraceID": crypto.randomUUID(),
    "Ssp-From": "200000000359",
    "Ssp-To": options.toAsid ?? "918999198738",
    "Ssp-InteractionID": interaction.id,
    "Authorization": `Bearer ${
      gpConnectJwt({
        requestedScope: interaction.requestedScope,
        fhirVersion: interaction.fhirVersion,
        reasonForRequest: interaction.reasonForRequest[0] ?? "directcare",
        ...(options.issuedAt === undefined ? {} : { issuedAt: options.issuedAt }),
        ...options.jwt,
      })
    }`,
  });
  for (const [name, value] of Object.entries(options.overrides ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return headers;
}
