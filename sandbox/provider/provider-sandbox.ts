/**
 * The reference GP provider sandbox: one practice's GP Connect service roots, each behind the
 * provider duties. Implemented so far: all of Foundations (metadata, Patient read/find/register,
 * Practitioner read/find, Organization read/find, Location read).
 * Other catalogue interactions of any root answer 501 NOT_IMPLEMENTED; paths that are no
 * catalogue path answer 404 NO_RECORD_FOUND. Every response carries `Cache-Control: no-store`.
 *
 * Growing it: add a `<product>/…-routes.ts` sub-app and mount it at its root below, before the
 * 501 fallback; the duties, negotiation and error rendering already apply.
 *
 * @module
 */
import { Hono } from "hono";
import { compress } from "hono/compress";
import type { ProviderFetch } from "./provider-routes-options.ts";
import { inMemoryProviderStore, type ProviderStore } from "./provider-store.ts";
import { appointmentsRoutes } from "./appointments/appointments-routes.ts";
import { documentsRoutes } from "./documents/documents-routes.ts";
import { htmlRoutes } from "./html/html-routes.ts";
import { practiceData } from "./practice/practice-data.ts";
import type { ProviderRoutesOptions } from "./provider-routes-options.ts";
import { structuredRoutes } from "./structured/structured-routes.ts";
import { type RootKind, serviceRoots } from "../../gpconnect/specs.ts";
import { type FixturePatient, fixturePatients } from "../pds/fixture-patients.ts";
import { foundationsRoutes } from "./foundations/foundations-routes.ts";
import { negotiateFhirFormat } from "./fhir-format.ts";
import { providerDuties, type ProviderEnv } from "./provider-duties.ts";
import { ProviderError, providerErrorResponse } from "./provider-error.ts";
import { patientRegister } from "./provider-patients.ts";
import { rootKinds, serviceRootPath } from "./provider-roots.ts";
import type { PatientFacingOptions } from "./patient-facing/pf-authorisation-service.ts";
import { patientFacingRoutes } from "./patient-facing/pf-routes.ts";

/** Options for {@linkcode createProviderSandbox}. */
export interface ProviderSandboxOptions {
  /** This provider's ASID (`Ssp-To` must equal it); default `918999198738`. */
  readonly asid?: string;
  /** The practice ODS code in every root path; default `B82617`. */
  readonly odsCode?: string;
  /** The patients (fixture shape); those whose provider record is at `odsCode` are held. */
  readonly pdsPatients?: readonly FixturePatient[];
  /** Clock for JWT expiry and resource dates; default the system clock. */
  readonly now?: () => Date;
  /** Ids of Bundles and of registered patients; default `crypto.randomUUID`. */
  readonly newId?: () => string;
  /** The provider's store (bookings, registrations); default an in-memory Deno KV. */
  readonly store?: ProviderStore;
  /** PDS base URL for registration checks; default the PDS sandbox, http://127.0.0.1:8081. */
  readonly pdsBaseUrl?: string;
  /** Fetch for PDS calls; default the global fetch. */
  readonly fetch?: ProviderFetch;
  /**
   * The patient-facing side (patient-facing/pf-routes.ts): whom its authorisation service trusts.
   * Absent: no patient-facing endpoints.
   */
  readonly patientFacing?: PatientFacingOptions;
}

/** The sandbox provider's defaults (ARCHITECTURE.md §4). */
export const providerDefaults = { asid: "918999198738", odsCode: "B82617" } as const;

/**
 * Creates the reference provider app for one practice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { providerRequestHeaders } from "./provider-request.ts";
 * const provider = createProviderSandbox();
 * // `task start` serves it: Deno.serve({ hostname: "127.0.0.1", port: 8083 }, provider.fetch)
 * const response = await provider.request("/B82617/STU3/1/gpconnect/fhir/metadata", {
 *   headers: providerRequestHeaders("urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1"),
 * });
 * assert.equal((await response.json()).resourceType, "CapabilityStatement");
 * ```
 */
export function createProviderSandbox(options: ProviderSandboxOptions = {}): Hono<ProviderEnv> {
  const asid = options.asid ?? providerDefaults.asid;
  const odsCode = options.odsCode ?? providerDefaults.odsCode;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => crypto.randomUUID());
  const register = patientRegister(options.pdsPatients ?? fixturePatients, odsCode);
  const routesOptions: ProviderRoutesOptions = {
    odsCode,
    asid,
    register,
    practice: practiceData,
    store: options.store ?? inMemoryProviderStore(),
    now,
    newId,
    pdsBaseUrl: options.pdsBaseUrl ?? "http://127.0.0.1:8081",
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
  };
  const app = new Hono<ProviderEnv>();

  app.use("*", async (c, next) => {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
  });
  // gzip when the consumer asks (reference gpconnect-ssp.md §1.6: Accept-Encoding gzip is tested).
  app.use("*", compress({ encoding: "gzip" }));

  for (const rootKind of rootKinds) {
    const rootPath = serviceRootPath(odsCode, rootKind);
    app.use(`${rootPath}/*`, providerDuties({ asid, rootKind, rootPath, now }));
  }

  const foundations = serviceRootPath(odsCode, "foundations");
  app.route(foundations, foundationsRoutes(routesOptions));

  app.route(foundations, appointmentsRoutes(routesOptions));
  app.route(serviceRootPath(odsCode, "structured"), structuredRoutes(routesOptions));
  app.route(serviceRootPath(odsCode, "documents"), documentsRoutes(routesOptions));
  app.route(serviceRootPath(odsCode, "dstu2"), htmlRoutes(routesOptions));
  if (options.patientFacing) {
    app.route("/", patientFacingRoutes(routesOptions, options.patientFacing));
  }

  for (const rootKind of rootKinds) {
    app.all(`${serviceRootPath(odsCode, rootKind)}/*`, (c) => {
      throw new ProviderError(
        "NOT_IMPLEMENTED",
        `${
          c.get("interaction")?.name ?? "This interaction"
        } is not implemented by the reference provider`,
      );
    });
  }

  app.notFound((c) => {
    const rootKind = rootKinds.find((kind) =>
      c.req.path.startsWith(serviceRootPath(odsCode, kind))
    );
    const fhirVersion = serviceRoots[rootKind ?? "foundations" satisfies RootKind].fhirVersion;
    return providerErrorResponse(
      new ProviderError("NO_RECORD_FOUND", `No resource or operation at ${c.req.path}`),
      "json",
      fhirVersion,
    );
  });

  app.onError((error, c) => {
    const fhirVersion = c.get("fhirVersion") ?? "STU3";
    const format = c.get("format") ?? negotiateFhirFormat({
      format: c.req.query("_format"),
      accept: c.req.header("Accept"),
      contentType: c.req.header("Content-Type"),
    }, fhirVersion) ?? "json";
    const providerError = error instanceof ProviderError
      ? error
      : new ProviderError("INTERNAL_SERVER_ERROR", "The reference provider failed unexpectedly");
    return providerErrorResponse(providerError, format, fhirVersion);
  });

  return app;
}
