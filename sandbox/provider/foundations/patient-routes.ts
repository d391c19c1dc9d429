/**
 * Foundations Patient routes, relative to the foundations root: read patient, find a patient by
 * NHS number, and register a patient. Each serves fixture patients and stored temporary
 * registrations alike ({@linkcode PracticePatients}).
 *
 * - `GET /Patient/{id}` → Patient + ETag; not served → 404 PATIENT_NOT_FOUND.
 * - `GET /Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}` → searchset of 0..1
 *   (parameter errors: {@linkcode patientSearchNhsNumber}).
 * - `POST /Patient/$gpc.registerpatient` → 200 searchset with the registered Patient. The body
 *   is FHIR JSON (an XML body → 415, the reference provider reads no XML); request rules:
 *   {@linkcode parseRegisterPatientRequest}; registration rules: {@linkcode patientRegistrar}.
 *
 * @module
 */
import { Hono } from "hono";
import { contentTypeFhirFormat } from "../../../gpconnect/media-type.ts";
import type { ProviderEnv } from "../provider-duties.ts";
import { ProviderError } from "../provider-error.ts";
import type { PracticePatients } from "../provider-patients.ts";
import { searchsetResponse, versionedResponse } from "./foundations-responses.ts";
import { gpConnectPatient, type PatientReferences } from "./patient-resource.ts";
import type { PatientRegistrar } from "./patient-registrar.ts";
import { parseRegisterPatientRequest } from "./register-patient-request.ts";
import { patientSearchNhsNumber } from "./search-identifier.ts";

/** Options for {@linkcode patientRoutes}. */
export interface PatientRoutesOptions {
  readonly patients: PracticePatients;
  readonly registrar: PatientRegistrar;
  readonly references: PatientReferences;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * The Patient routes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "../../pds/fixture-patients.ts";
 * import { patientRegister, practicePatients } from "../provider-patients.ts";
 * import { inMemoryProviderStore } from "../provider-store.ts";
 * import { patientRegistrar } from "./patient-registrar.ts";
 * import { pdsSandboxFetch, testNow } from "./provider-test-client.ts";
 * import { Hono } from "hono";
 * import { type ProviderEnv, providerDuties } from "../provider-duties.ts";
 * import { providerRequestHeaders } from "../provider-request.ts";
 * const odsCode = "B82617";
 * const patients = practicePatients({
 *   register: patientRegister(fixturePatients, odsCode),
 *   store: inMemoryProviderStore(),
 *   odsCode,
 * });
 * const registrar = patientRegistrar({
 *   odsCode,
 *   patients,
 *   // PDS: the sandbox app, in-process.
 *   pds: { pdsBaseUrl: "http://pds.test", fetch: pdsSandboxFetch() },
 *   now: () => testNow,
 *   newId: () => crypto.randomUUID(),
 * });
 * const rootPath = "/B82617/STU3/1/gpconnect/fhir";
 * const now = () => testNow;
 * const app = new Hono<ProviderEnv>()
 *   .use(
 *     `${rootPath}/*`,
 *     providerDuties({ asid: "918999198738", rootKind: "foundations", rootPath, now }),
 *   )
 *   .route(
 *     rootPath,
 *     patientRoutes({
 *       patients,
 *       registrar,
 *       references: { organizationId: "1", locationId: "1" },
 *       now,
 *       newId: () => crypto.randomUUID(),
 *     }),
 *   );
 * const response = await app.request(`${rootPath}/Patient/2`, {
 *   headers: providerRequestHeaders("urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1", {
 *     issuedAt: testNow.getTime() / 1000,
 *   }),
 * });
 * assert.equal((await response.json()).id, "2");
 * ```
 */
export function patientRoutes(options: PatientRoutesOptions): Hono<ProviderEnv> {
  const app = new Hono<ProviderEnv>();
  const today = () => options.now().toISOString().slice(0, 10);

  app.post("/Patient/$gpc.registerpatient", async (c) => {
    const contentType = c.req.header("Content-Type");
    const bodyFormat = contentType === undefined
      ? "json"
      : contentTypeFhirFormat(contentType, c.get("fhirVersion"));
    if (bodyFormat !== "json") {
      throw new ProviderError(
        "BAD_REQUEST",
        `Unsupported request Content-Type ${
          JSON.stringify(contentType)
        }; send application/fhir+json`,
        415,
      );
    }
    const request = parseRegisterPatientRequest(await c.req.text());
    const held = await options.registrar(request);
    return searchsetResponse(c, [gpConnectPatient(held, today(), options.references)], {
      id: options.newId(),
      now: options.now(),
    });
  });

  app.get("/Patient/:id", async (c) => {
    const id = c.req.param("id");
    const held = await options.patients.byLogicalId(id);
    if (!held) throw new ProviderError("PATIENT_NOT_FOUND", `No patient with logical id ${id}`);
    return versionedResponse(c, gpConnectPatient(held, today(), options.references));
  });

  app.get("/Patient", async (c) => {
    const nhsNumber = patientSearchNhsNumber(c.req.queries("identifier"));
    const held = await options.patients.byNhsNumber(nhsNumber);
    const found = held ? [gpConnectPatient(held, today(), options.references)] : [];
    return searchsetResponse(c, found, { id: options.newId(), now: options.now() });
  });

  return app;
}
