/**
 * Consumer-side builder of an SSP request: the URL `{ssp}/{provider service root}/{fhir request}`
 * and the `Ssp-*` and `Authorization` headers (reference gpconnect-ssp.md §1.1–§1.2).
 *
 * @module
 */
import { findInteraction } from "../gpconnect/specs.ts";
import { gpConnectJwt, type GpConnectJwtOptions } from "../gpconnect/jwt/gpc-jwt.ts";
export type { GpConnectJwtOptions };

/** Options for {@linkcode sspRequestInit}. */
export interface SspRequestOptions {
  /** The SSP base, e.g. `http://127.0.0.1:8080`. */
  readonly sspBaseUrl: string;
  /** The provider service root exactly as SDS holds it. */
  readonly providerRoot: string;
  /** The FHIR request relative to the root, e.g. `/metadata`. */
  readonly fhirPath: string;
  /** Interaction URN (`Ssp-InteractionID`). */
  readonly interactionId: string;
  /** Consumer ASID (`Ssp-From`); default the sandbox consumer 200000000359. */
  readonly fromAsid?: string;
  /** Provider ASID (`Ssp-To`); default the sandbox provider 918999198738. */
  readonly toAsid?: string;
  /** Trace id; default a new UUID. */
  readonly traceId?: string;
  /** JWT issue time in epoch seconds; default now. */
  readonly issuedAt?: number;
  /** NHS number (DSTU2 `requested_record`). */
  readonly nhsNumber?: string;
  /** JWT options that override the interaction's defaults (e.g. `requestingOdsCode`, a `conf/R` scope). */
  readonly jwt?: Partial<GpConnectJwtOptions>;
}

/**
 * The URL and headers of a well-formed SSP request for an interaction of the catalogue.
 *
 * @example
 * ```ts
 * const { url, headers } = sspRequestInit({
 *   sspBaseUrl: "http://127.0.0.1:8080",
 *   providerRoot: "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir",
 *   fhirPath: "/metadata",
 *   interactionId: "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
 * });
 * ```
 */
export function sspRequestInit(options: SspRequestOptions): { url: string; headers: Headers } {
  const interaction = findInteraction(options.interactionId);
  if (!interaction) {
    throw new RangeError(`Unknown interaction ${JSON.stringify(options.interactionId)}`);
  }
  const dstu2 = interaction.fhirVersion === "DSTU2";
  const mediaType = dstu2 ? "application/json+fhir" : "application/fhir+json";
  const headers = new Headers({
    "Ssp-TraceID": options.traceId ?? crypto.randomUUID(),
    "Ssp-From": options.fromAsid ?? "200000000359",
    "Ssp-To": options.toAsid ?? "918999198738",
    "Ssp-InteractionID": interaction.id,
    "Accept": `${mediaType};charset=utf-8`,
    "Authorization": `Bearer ${
      gpConnectJwt({
        requestedScope: interaction.requestedScope,
        fhirVersion: interaction.fhirVersion,
        reasonForRequest: interaction.reasonForRequest[0] ?? "directcare",
        ...(dstu2 ? {} : { audience: options.providerRoot }),
        ...(options.issuedAt === undefined ? {} : { issuedAt: options.issuedAt }),
        ...(options.nhsNumber === undefined ? {} : { nhsNumber: options.nhsNumber }),
        ...options.jwt,
      })
    }`,
  });
  if (interaction.method !== "GET") headers.set("Content-Type", `${mediaType};charset=utf-8`);
  return {
    url: `${options.sspBaseUrl.replace(/\/+$/, "")}/${options.providerRoot}${options.fhirPath}`,
    headers,
  };
}
