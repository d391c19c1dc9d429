/**
 * The SDS sandbox: SDS FHIR `GET /Endpoint` (MHS records) and `GET /Device` (AS records) as the
 * SDS FHIR API answers them (reference pds-sds.md §2), over {@linkcode sdsRecords}.
 *
 * Per request: `apikey` when the sandbox was given one (401) → method (non-GET → 405, `Allow:
 * GET`) → `X-Correlation-Id` (if present it must be a UUID, else 400; echoed as
 * `X-Correlation-ID`, generated when absent) → query parameters (400) → `Accept` (406) → 200
 * searchset Bundle, possibly empty. Unknown paths → 404 NO_RECORD_FOUND.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { SdsError, sdsOperationOutcome } from "./sds-outcome.ts";
import { matchDevices, matchEndpoints, parseSdsQuery, type SdsResourceType } from "./sds-query.ts";
import { type SdsRecords, sdsRecords } from "./sds-records.ts";
import { deviceResource, endpointResource, searchsetBundle } from "./sds-resources.ts";
import { uuidPattern } from "../../gpconnect/uuid.ts";

/** Options for {@linkcode createSdsSandbox}. */
export interface SdsSandboxOptions {
  /** Base URL of the reference provider, e.g. `http://127.0.0.1:8083`; endpoint addresses hang off it. */
  readonly providerBaseUrl: string;
  /** The directory; default {@linkcode sdsRecords} for `providerBaseUrl`. */
  readonly records?: SdsRecords;
  /** When set, requests must carry this `apikey` header (401 otherwise), as the API platform does. */
  readonly apiKey?: string;
  /** Id generator for Bundle and resource ids; default `crypto.randomUUID`. */
  readonly newId?: () => string;
}

const acceptableTypes = new Set(["application/fhir+json", "application/json"]);

/** The response media type for an `Accept` header, or `undefined` when SDS would answer 406. */
function responseMediaType(accept: string | undefined): string | undefined {
  if (accept === undefined || accept.trim() === "") return "application/fhir+json";
  for (const part of accept.toLowerCase().split(",")) {
    const type = part.split(";")[0]!.trim();
    if (type === "*/*") return "application/fhir+json";
    if (acceptableTypes.has(type)) return type;
  }
  return undefined;
}

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/**
 * Creates the SDS sandbox app. Stateless: every request is answered from `options.records`.
 *
 * @example
 * ```ts
 * const sds = createSdsSandbox({ providerBaseUrl: "http://127.0.0.1:8083" });
 * const res = await sds.request(
 *   "/Device?organization=https://fhir.nhs.uk/Id/ods-organization-code|B82617" +
 *     "&identifier=https://fhir.nhs.uk/Id/nhsServiceInteractionId|urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
 * );
 * (await res.json()).total; // 1
 * ```
 */
export function createSdsSandbox(options: SdsSandboxOptions): Hono {
  const records = options.records ?? sdsRecords(options.providerBaseUrl);
  const newId = options.newId ?? (() => crypto.randomUUID());
  const app = new Hono();

  function correlationIdOf(c: Context): string {
    const header = c.req.header("X-Correlation-Id");
    return header && uuidPattern.test(header) ? header : newId();
  }

  function errorResponse(c: Context, error: SdsError): Response {
    const correlationId = correlationIdOf(c);
    return new Response(JSON.stringify(sdsOperationOutcome(error, correlationId)), {
      status: error.status,
      headers: {
        "Content-Type": "application/fhir+json",
        "X-Correlation-ID": correlationId,
        ...error.headers,
      },
    });
  }

  function search(c: Context, resource: SdsResourceType): Response {
    if (options.apiKey !== undefined && c.req.header("apikey") !== options.apiKey) {
      throw new SdsError(401, "ACCESS_DENIED", "forbidden", "Invalid or missing apikey");
    }
    if (c.req.method !== "GET") {
      throw new SdsError(405, "NOT_IMPLEMENTED", "not-supported", "HTTP operation not supported", {
        Allow: "GET",
      });
    }
    const correlationHeader = c.req.header("X-Correlation-Id");
    if (correlationHeader && !uuidPattern.test(correlationHeader)) {
      throw SdsError.badRequest(
        `Invalid X-Correlation-ID header. Should be an UUIDv4 matching regex '${uuidPattern.source}'`,
        "reason",
      );
    }
    const url = new URL(c.req.url);
    const query = parseSdsQuery(resource, url.searchParams);
    const mediaType = responseMediaType(c.req.header("Accept"));
    if (mediaType === undefined) {
      throw new SdsError(
        406,
        "MISSING_OR_INVALID_HEADER",
        "not-supported",
        "Accept type not supported",
      );
    }
    const resources = resource === "Endpoint"
      ? matchEndpoints(records, query).map((record) => endpointResource(record, newId()))
      : matchDevices(records, query).map((record) => deviceResource(record, newId()));
    const bundle = searchsetBundle(
      resources,
      `${url.origin}${url.pathname}`,
      safeDecode(c.req.url),
      newId(),
    );
    return new Response(JSON.stringify(bundle), {
      status: 200,
      headers: { "Content-Type": mediaType, "X-Correlation-ID": correlationIdOf(c) },
    });
  }

  app.all("/Endpoint", (c) => search(c, "Endpoint"));
  app.all("/Device", (c) => search(c, "Device"));

  app.notFound((c) =>
    errorResponse(c, new SdsError(404, "NO_RECORD_FOUND", "not-found", "HTTP endpoint not found"))
  );

  app.onError((error, c) => {
    if (error instanceof SdsError) return errorResponse(c, error);
    return errorResponse(
      c,
      new SdsError(500, "INTERNAL_SERVER_ERROR", "exception", "The SDS sandbox failed to answer"),
    );
  });

  return app;
}
