/**
 * The directory API, a Hono sub-app the composition root mounts at `/directory`:
 *
 * - `GET /resolve?nhs-number={nhs}&interaction={urn}`: the whole routing chain (PDS → practice
 *   → SDS → endpoint + ASID) in one call, with where each answer came from.
 *   `Cache-Control: no-cache` on the request bypasses both cache tiers (the fresh answers are
 *   still stored), like the SDS API's own cache.
 * - `GET /stats`: the cache counters.
 *
 * Errors are gpc-edge's own API errors, so they use GP Connect's OperationOutcome
 * (`GPConnect-OperationOutcome-1`, Spine codes; ARCHITECTURE.md §3.4), with the error's status
 * and headers (e.g. `Retry-After`). Answers are per patient and never cacheable downstream.
 *
 * @module
 */
import { Hono } from "hono";
import type { Logger } from "../app-deps.ts";
import { GpcEdgeError } from "../errors.ts";
import { errorResponse } from "../error-response.ts";
import { findInteraction } from "../../gpconnect/specs.ts";
import type { CacheSource, DirectoryResolver } from "./directory-types.ts";
import { isUuid } from "../../gpconnect/uuid.ts";

/** Options of {@linkcode directoryRoutes}. */
export interface DirectoryRoutesOptions {
  /** UUID generator for the request id when the caller sends no `X-Request-ID` UUID. */
  readonly randomUUID: () => string;
  /** Where unexpected errors are reported (message only). */
  readonly logger?: Logger | undefined;
}

/** The body of a successful `GET /resolve`. */
export interface ResolveAnswer {
  /** NHS number of the record PDS returned (differs from the requested one when superseded). */
  readonly nhsNumber: string;
  /** NHS number asked for. */
  readonly requestedNhsNumber: string;
  /** Whether the requested number was superseded by `nhsNumber`. */
  readonly superseded: boolean;
  /** Whether PDS records the patient as deceased. */
  readonly deceased: boolean;
  /** PDS `meta.versionId`, or `null`. */
  readonly versionId: string | null;
  /** Registered practice ODS code. */
  readonly odsCode: string;
  /** Interaction URN asked for. */
  readonly interactionId: string;
  /** The provider endpoint for the practice and interaction. */
  readonly endpoint: {
    readonly address: string;
    readonly asid: string;
    readonly partyKey: string;
    readonly cpaId: string | null;
  };
  /** Where each answer came from. */
  readonly cache: { readonly pds: CacheSource; readonly sds: CacheSource };
}

const REQUEST_ID = "requestId";

type Env = { Variables: { [REQUEST_ID]: string } };

/**
 * Creates the directory API sub-app.
 *
 * @example
 * ```ts
 * app.route("/directory", directoryRoutes(resolver, { randomUUID: () => crypto.randomUUID() }));
 * // GET /directory/resolve?nhs-number=9693632109&interaction=urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1
 * ```
 */
export function directoryRoutes(
  resolver: DirectoryResolver,
  options: DirectoryRoutesOptions,
): Hono<Env> {
  const app = new Hono<Env>();

  app.use(async (c, next) => {
    const given = c.req.header("X-Request-ID");
    c.set(REQUEST_ID, isUuid(given) ? given : options.randomUUID());
    await next();
    c.header("X-Request-ID", c.get(REQUEST_ID));
  });

  app.get("/resolve", async (c) => {
    const nhsNumber = c.req.query("nhs-number");
    const interactionId = c.req.query("interaction");
    for (const [name, value] of [["nhs-number", nhsNumber], ["interaction", interactionId]]) {
      if (value === undefined || value === "") {
        throw GpcEdgeError.gpconnect("INVALID_PARAMETER", {
          diagnostics: `Missing query parameter ${name}`,
        });
      }
    }
    if (findInteraction(interactionId!) === undefined) {
      throw GpcEdgeError.gpconnect("INVALID_PARAMETER", {
        diagnostics: `Unknown interaction ${JSON.stringify(interactionId)}`,
      });
    }
    const lookup = {
      requestId: c.get(REQUEST_ID),
      bypassCache: noCache(c.req.header("Cache-Control")),
    };
    const patient = await resolver.lookupPatient(nhsNumber!, lookup);
    const endpoint = await resolver.lookupEndpoint(patient.value.odsCode, interactionId!, lookup);
    const body: ResolveAnswer = {
      nhsNumber: patient.value.nhsNumber,
      requestedNhsNumber: patient.value.requestedNhsNumber,
      superseded: patient.value.superseded,
      deceased: patient.value.deceased,
      versionId: patient.value.versionId ?? null,
      odsCode: patient.value.odsCode,
      interactionId: interactionId!,
      endpoint: {
        address: endpoint.value.address,
        asid: endpoint.value.asid,
        partyKey: endpoint.value.partyKey,
        cpaId: endpoint.value.cpaId ?? null,
      },
      cache: { pds: patient.source, sds: endpoint.source },
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });

  app.get("/stats", (c) => c.json(resolver.stats(), 200, { "Cache-Control": "no-store" }));

  app.onError((error, c) => {
    const requestId = c.get(REQUEST_ID) ?? options.randomUUID();
    if (!(error instanceof GpcEdgeError)) {
      options.logger?.log({
        event: "directory.unexpected_error",
        requestId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    const response = errorResponse(error, { accept: c.req.header("Accept"), id: requestId });
    response.headers.set("X-Request-ID", requestId);
    return response;
  });

  return app;
}

/** Whether a `Cache-Control` request header carries the `no-cache` directive. */
function noCache(header: string | undefined): boolean {
  return (header ?? "").split(",").some((d) => d.trim().toLowerCase() === "no-cache");
}
