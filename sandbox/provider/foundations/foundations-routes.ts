/**
 * Foundations handlers of the reference provider, relative to the foundations root: read
 * metadata, the Patient routes (read, find, `$gpc.registerpatient`) and the practice's
 * Practitioner, Organization and Location routes. Requests reach them only after
 * {@linkcode providerDuties} accepted them.
 *
 * @module
 */
import { Hono } from "hono";
import { fhirResponse } from "../fhir-format.ts";
import type { PracticeData } from "../practice/practice-data.ts";
import type { ProviderEnv } from "../provider-duties.ts";
import { practicePatients } from "../provider-patients.ts";
import type { ProviderRoutesOptions } from "../provider-routes-options.ts";
import { foundationsCapabilityStatement } from "./capability-statement.ts";
import type { PatientReferences } from "./patient-resource.ts";
import { patientRegistrar } from "./patient-registrar.ts";
import { patientRoutes } from "./patient-routes.ts";
import { practiceRoutes } from "./practice-routes.ts";

/**
 * What a practice's Patients refer to: its Organization, and its main site as the preferred
 * branch surgery (the first Location it manages). Unknown practices fall back to id `1`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "../practice/practice-data.ts";
 * assert.deepEqual(practiceReferences(practiceData, "B82617"), {
 *   organizationId: "1",
 *   locationId: "1",
 * });
 * ```
 */
export function practiceReferences(practice: PracticeData, odsCode: string): PatientReferences {
  const organization = practice.organizations.find((candidate) => candidate.odsCode === odsCode);
  const organizationId = organization?.id ?? "1";
  const location = practice.locations.find((candidate) =>
    candidate.managingOrganizationId === organizationId
  );
  return { organizationId, locationId: location?.id ?? "1" };
}

/**
 * The Foundations routes, to mount at the foundations root behind the provider duties.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { fixturePatients } from "../../pds/fixture-patients.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * import { type ProviderEnv, providerDuties } from "../provider-duties.ts";
 * import { patientRegister } from "../provider-patients.ts";
 * import { providerRequestHeaders } from "../provider-request.ts";
 * import { serviceRootPath } from "../provider-roots.ts";
 * import { inMemoryProviderStore } from "../provider-store.ts";
 * const now = () => new Date();
 * const [odsCode, asid] = ["B82617", "918999198738"];
 * const rootPath = serviceRootPath(odsCode, "foundations");
 * // Behind the provider duties, as the provider sandbox mounts every product's routes.
 * const app = new Hono<ProviderEnv>()
 *   .use(`${rootPath}/*`, providerDuties({ asid, rootKind: "foundations", rootPath, now }))
 *   .route(
 *     rootPath,
 *     foundationsRoutes({
 *       odsCode,
 *       asid,
 *       register: patientRegister(fixturePatients, odsCode),
 *       practice: practiceData,
 *       store: inMemoryProviderStore(),
 *       now,
 *       newId: () => crypto.randomUUID(),
 *       pdsBaseUrl: undefined,
 *       fetch: () => Promise.reject(new Error("no PDS trace in this example")),
 *     }),
 *   );
 * const response = await app.request(`${rootPath}/Organization/1`, {
 *   headers: providerRequestHeaders(
 *     "urn:nhs:names:services:gpconnect:fhir:rest:read:organization-1",
 *   ),
 * });
 * assert.equal(response.status, 200);
 * ```
 */
export function foundationsRoutes(options: ProviderRoutesOptions): Hono<ProviderEnv> {
  const app = new Hono<ProviderEnv>();
  const patients = practicePatients(options);
  const registrar = patientRegistrar({
    odsCode: options.odsCode,
    patients,
    pds: { pdsBaseUrl: options.pdsBaseUrl, fetch: options.fetch },
    now: options.now,
    newId: options.newId,
  });

  app.get("/metadata", (c) =>
    fhirResponse(foundationsCapabilityStatement(options.now()), {
      format: c.get("format"),
      fhirVersion: c.get("fhirVersion"),
    }));
  app.route(
    "/",
    patientRoutes({
      patients,
      registrar,
      references: practiceReferences(options.practice, options.odsCode),
      now: options.now,
      newId: options.newId,
    }),
  );
  app.route("/", practiceRoutes(options));
  return app;
}
