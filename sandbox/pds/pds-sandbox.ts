/**
 * The PDS sandbox: PDS FHIR R4 `GET /Patient/{id}` and `GET /Patient?…` as the hosted PDS
 * sandbox answers them (reference pds-sds.md §1.3–§1.10), over the fixture patients.
 *
 * Check order per request, as the hosted sandbox: `X-Request-ID` (missing → 400 MISSING_VALUE,
 * not a UUID → 400 INVALID_VALUE) → `Authorization` (optional; present but not `Bearer <token>`
 * → 401 "Missing access token"; a token not shaped like an access token → 401 "Invalid Access
 * Token") → NHS number (format and mod 11 → 400 INVALID_RESOURCE_ID) → record.
 * `X-Request-ID`/`X-Correlation-ID` are mirrored on every response; bodies are
 * `application/fhir+json`; a retrieved record carries `ETag: W/"<versionId>"`.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { echoRequestIds } from "../echo-request-ids.ts";
import { type FixturePatient, fixturePatients, systemToday } from "./fixture-patients.ts";
import { lookupPdsRecord } from "./pds-lookup.ts";
import { PdsError, type PdsErrorCode, pdsOperationOutcome } from "./pds-outcome.ts";
import { pdsPatientResource } from "./pds-patient.ts";
import { parsePdsSearch, searchPdsPatients } from "./pds-search.ts";
import { uuidPattern } from "../../gpconnect/uuid.ts";

/** Options for {@linkcode createPdsSandbox}. */
export interface PdsSandboxOptions {
  /** The patients PDS holds; default the fixture patients of `specs/fixture-patients.json`. */
  readonly patients?: readonly FixturePatient[];
  /** Today as `yyyy-mm-dd`, resolving relative fixture dates; default the system date (UTC). */
  readonly today?: () => string;
  /** Clock for search `Bundle.timestamp`; default the system clock. */
  readonly now?: () => Date;
}

const accessTokenPattern = /^(?=.*[a-zA-Z])(?=.*\d)[a-zA-Z0-9]+(_[a-zA-Z0-9]+)?$/;
const fhirJson = "application/fhir+json";

function fhirResponse(
  body: unknown,
  status: number,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": fhirJson, ...headers },
  });
}

function errorResponse(code: PdsErrorCode, status: number, diagnostics?: string): Response {
  return fhirResponse(pdsOperationOutcome(code, diagnostics), status);
}

/** The header checks every PDS operation makes first, in the hosted sandbox's order. */
function checkHeaders(c: Context): void {
  const requestId = c.req.header("X-Request-ID");
  if (!requestId) {
    throw new PdsError(
      "MISSING_VALUE",
      "Invalid request with error - X-Request-ID header must be supplied to access this resource",
    );
  }
  if (!uuidPattern.test(requestId)) {
    throw new PdsError("INVALID_VALUE", `Invalid value - '${requestId}' in header 'X-Request-ID'`);
  }
  const authorization = c.req.header("Authorization");
  if (authorization === undefined) return;
  const parts = authorization.split(" ");
  if (parts.length !== 2 || parts[0] !== "Bearer" || parts[1] === "") {
    throw new PdsError("ACCESS_DENIED", "Missing access token");
  }
  if (!accessTokenPattern.test(parts[1]!)) {
    throw new PdsError("ACCESS_DENIED", "Invalid Access Token");
  }
}

function methodNotAllowed(c: Context): Response {
  const response = errorResponse(
    "METHOD_NOT_ALLOWED",
    405,
    `Invalid request with error - ${c.req.method} is not supported by this sandbox`,
  );
  response.headers.set("Allow", "GET");
  return response;
}

/**
 * Creates the PDS sandbox app. Stateless: every request is answered from `options.patients`.
 *
 * @example
 * ```ts
 * const pds = createPdsSandbox({ today: () => "2025-01-15" });
 * const res = await pds.request("/Patient/9690937278", {
 *   headers: { "X-Request-ID": crypto.randomUUID() },
 * });
 * res.headers.get("ETag"); // 'W/"2"'
 * ```
 */
export function createPdsSandbox(options: PdsSandboxOptions = {}): Hono {
  const patients = options.patients ?? fixturePatients;
  const today = options.today ?? systemToday;
  const now = options.now ?? (() => new Date());
  const app = new Hono();

  app.use("*", echoRequestIds);

  app.all("/Patient/:id", (c) => {
    if (c.req.method !== "GET") return methodNotAllowed(c);
    checkHeaders(c);
    const { patient } = lookupPdsRecord(patients, c.req.param("id"));
    const resource = pdsPatientResource(patient, today());
    return fhirResponse(resource, 200, { ETag: `W/"${resource.meta.versionId}"` });
  });

  app.all("/Patient", (c) => {
    if (c.req.method !== "GET") return methodNotAllowed(c);
    checkHeaders(c);
    const url = new URL(c.req.url);
    const found = searchPdsPatients(patients, parsePdsSearch(url.searchParams));
    const base = `${url.origin}${c.req.path.slice(0, c.req.path.lastIndexOf("/Patient"))}`;
    const day = today();
    return fhirResponse({
      resourceType: "Bundle",
      type: "searchset",
      timestamp: now().toISOString().replace(/\.\d{3}Z$/, "+00:00"),
      total: found.length,
      ...(found.length === 0 ? {} : {
        entry: found.map((patient) => ({
          fullUrl: `${base}/Patient/${patient.nhsNumber}`,
          search: { score: 1 },
          resource: pdsPatientResource(patient, day),
        })),
      }),
    }, 200);
  });

  app.notFound((c) =>
    errorResponse(
      "RESOURCE_NOT_FOUND",
      404,
      `Invalid request with error - no such path ${c.req.path}`,
    )
  );

  app.onError((error) => {
    if (error instanceof PdsError) {
      return errorResponse(error.code, error.status, error.diagnostics);
    }
    return errorResponse("UNKNOWN_ERROR", 500, "The PDS sandbox failed to answer this request");
  });

  return app;
}
