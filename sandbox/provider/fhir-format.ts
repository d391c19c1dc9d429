/**
 * A GP Connect provider's content negotiation and FHIR response rendering (reference
 * gpconnect-ssp.md §1.6): `_format` overrides `Accept`; with neither naming a format the reply
 * uses the request `Content-Type` format, else JSON. An unsupported `_format` or `Accept` is a
 * 415. Every response carries `Cache-Control: no-store`.
 *
 * @module
 */
import {
  acceptedFhirFormat,
  contentTypeFhirFormat,
  type FhirFormat,
  fhirMediaType,
} from "../../gpconnect/media-type.ts";
import { fhirJsonToXml } from "../../gpconnect/xml.ts";
import type { FhirVersion } from "../../gpconnect/specs.ts";

/** What a request says about the format it wants. */
export interface FormatRequest {
  /** The `_format` query parameter, if any. */
  readonly format: string | undefined;
  /** The `Accept` header, if any. */
  readonly accept: string | undefined;
  /** The `Content-Type` header, if any. */
  readonly contentType: string | undefined;
}

const shortFormats: Readonly<Record<string, FhirFormat>> = { json: "json", xml: "xml" };

/**
 * The response format for a request, or `undefined` when `_format` or `Accept` names no FHIR
 * format of this release (→ 415).
 *
 * @example
 * ```ts
 * negotiateFhirFormat({ format: undefined, accept: "application/fhir+xml", contentType: undefined }, "STU3"); // "xml"
 * negotiateFhirFormat({ format: "json", accept: "application/fhir+xml", contentType: undefined }, "STU3"); // "json"
 * negotiateFhirFormat({ format: undefined, accept: "text/html", contentType: undefined }, "STU3"); // undefined
 * ```
 */
export function negotiateFhirFormat(
  request: FormatRequest,
  version: FhirVersion,
): FhirFormat | undefined {
  if (request.format !== undefined && request.format.trim() !== "") {
    // A `+` left unencoded in the query string arrives as a space.
    const format = request.format.trim().replace(/ /g, "+").toLowerCase();
    return shortFormats[format] ?? contentTypeFhirFormat(format, version);
  }
  const accepted = acceptedFhirFormat(request.accept, version);
  if (accepted === undefined) return undefined;
  if (accepted !== "any") return accepted;
  return contentTypeFhirFormat(request.contentType, version) ?? "json";
}

/** Options for {@linkcode fhirResponse}. */
export interface FhirResponseOptions {
  readonly format: FhirFormat;
  readonly fhirVersion: FhirVersion;
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A FHIR resource as a response in the negotiated format, `charset=utf-8`, never cacheable.
 *
 * @example
 * ```ts
 * fhirResponse({ resourceType: "Bundle", type: "searchset" }, { format: "xml", fhirVersion: "STU3" });
 * ```
 */
export function fhirResponse(
  resource: Record<string, unknown>,
  options: FhirResponseOptions,
): Response {
  const body = options.format === "xml" ? fhirJsonToXml(resource) : JSON.stringify(resource);
  return new Response(body, {
    status: options.status ?? 200,
    headers: {
      ...options.headers,
      "Content-Type": `${fhirMediaType(options.fhirVersion, options.format)};charset=utf-8`,
      "Cache-Control": "no-store",
    },
  });
}
