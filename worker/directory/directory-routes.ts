/**
 * The directory API, a Hono sub-app the composition root mounts at `/directory`:
 *
 * - `GET /resolve?nhs-number={nhs}&interaction={urn}`: the whole routing chain (PDS → practice
 *   → SDS → endpoint + ASID) in one call, with where each answer came from.
 *   `Cache-Control: no-cache` on the request bypasses both cache tiers (the fresh answers are
 *   still stored), like the SDS API's own cache.
 * - `GET /stats`: the cache counters.
 *
 * Errors are gpc-edge's own API errors, so the one `onError` renders them in GP Connect's
 * OperationOutcome (directory-error-response.ts) and logs each once with the request id.
 * Answers are per patient and never cacheable downstream. A request carries `X-Request-ID` (a
 * UUID, or one is made) to PDS and SDS and back to the caller.
 *
 * @module
 */
import { Hono } from "hono";
import type { Clock, Logger } from "../app-deps.ts";
import { logException } from "../error-log.ts";
import { GpcEdgeError } from "../errors.ts";
import { type RequestBindings, requestBindings } from "../request-bindings.ts";
import { findInteraction } from "../../gpconnect/specs.ts";
import { directoryErrorResponse, directoryRequestId } from "./directory-error-response.ts";
import type { CacheSource, DirectoryResolver } from "./directory-types.ts";

/** What {@linkcode createDirectoryApp} needs besides the resolver. */
export interface DirectoryAppOptions {
  /** UUID generator for the request id when the caller sends no `X-Request-ID` UUID. */
  readonly randomUUID: () => string;
  /** Where each exception is logged, once. */
  readonly logger: Logger;
  /** Clock for the log lines. */
  readonly clock: Clock;
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

/** The directory API's Hono environment. */
export interface DirectoryEnv {
  Bindings: RequestBindings;
  Variables: {
    /** The request id (`X-Request-ID`), set first, before anything can fail. */
    directoryRequestId: string;
  };
}

/**
 * Creates the directory API sub-app, for `app.route("/directory", …)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
 * import {
 *   directorySandboxes,
 *   fakeClock,
 *   structured,
 *   testConfig,
 * } from "../testing/directory-sandboxes.ts";
 * import { createDirectoryResolver } from "./directory-resolver.ts";
 * const clock = fakeClock();
 * const randomUUID = () => crypto.randomUUID();
 * const resolver = createDirectoryResolver({
 *   config: testConfig(),
 *   store: createMemoryCacheStore(),
 *   fetch: directorySandboxes().fetch,
 *   clock,
 *   randomUUID,
 * });
 * const audit: unknown[] = []; // deployments log to the console (`consoleLogger`)
 * const app = new Hono().route(
 *   "/directory",
 *   createDirectoryApp(resolver, { randomUUID, logger: { log: (r) => audit.push(r) }, clock }),
 * );
 * const response = await app.request(
 *   `/directory/resolve?nhs-number=9990000204&interaction=${structured}`,
 * );
 * assert.equal(response.status, 200);
 * ```
 */
export function createDirectoryApp(
  resolver: DirectoryResolver,
  options: DirectoryAppOptions,
): Hono<DirectoryEnv> {
  const app = new Hono<DirectoryEnv>();

  app.use(async (c, next) => {
    c.set(
      "directoryRequestId",
      directoryRequestId(c.req.header("X-Request-ID"), options.randomUUID),
    );
    await next();
    // A path under /directory that no route here owns was answered by the root's 404, with its
    // own request id (logged with it): that one stays.
    if (!c.res.headers.has("X-Request-ID")) c.header("X-Request-ID", c.get("directoryRequestId"));
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
    const defer = requestBindings(c).defer;
    const lookup = {
      requestId: c.get("directoryRequestId"),
      bypassCache: noCache(c.req.header("Cache-Control")),
      ...(defer ? { waitUntil: defer } : {}),
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
    // Set by the first middleware; the fallback covers only a failure before it ran.
    const requestId = (c.get("directoryRequestId") as string | undefined) ??
      directoryRequestId(c.req.header("X-Request-ID"), options.randomUUID);
    const response = directoryErrorResponse(error, { accept: c.req.header("Accept"), requestId });
    logException(options.logger, options.clock, error, response.status, {
      audience: "directory",
      requestId,
      method: c.req.method,
      path: c.req.path,
    });
    return response;
  });

  return app;
}

/** Whether a `Cache-Control` request header carries the `no-cache` directive. */
function noCache(header: string | undefined): boolean {
  return (header ?? "").split(",").some((d) => d.trim().toLowerCase() === "no-cache");
}
