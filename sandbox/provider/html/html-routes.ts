/**
 * Access Record HTML 0.7 on the DSTU2 root (GPC-0.7 `pages/accessrecord/*`; PT-0.7.4
 * `AccessRecord.feature`, `HTML.feature`), behind the provider duties (which answer in DSTU2
 * media types and the DSTU2 OperationOutcome shape on this root):
 * - `GET /metadata`: the DSTU2 Conformance;
 * - `POST /Patient/$gpc.getcarerecord`: the request rules of {@linkcode parseCareRecordRequest}
 *   (400/422), then the JWT `requested_record` must be the body's patient (400 BAD_REQUEST), the
 *   practice must serve the patient (404 PATIENT_NOT_FOUND: unknown, sensitive, deceased,
 *   inactive, not on Spine, or only temporarily registered, i.e. not its GMS patient), the patient
 *   must not have dissented (403 NO_PATIENT_CONSENT); the answer is the searchset of
 *   {@linkcode careRecordBundle} with the section's XHTML. A FHIR XML request body is 415.
 *
 * @module
 */
import { Hono } from "hono";
import type { ClinicalRecord } from "../clinical/clinical-record-types.ts";
import { clinicalRecordFor } from "../clinical/clinical-records.ts";
import { emptyRecord } from "../clinical/records/empty-record.ts";
import { fhirResponse } from "../fhir-format.ts";
import type { ProviderEnv } from "../provider-duties.ts";
import { ProviderError } from "../provider-error.ts";
import type { ProviderRoutesOptions } from "../provider-routes-options.ts";
import { careRecordBundle } from "./care-record-bundle.ts";
import { parseCareRecordRequest } from "./care-record-request.ts";
import { htmlConformance } from "./html-conformance.ts";
import { requireRequestedPatient } from "./requested-record-check.ts";
import { sectionXhtml } from "./section-view.ts";
import { recordSectionView } from "./section-views.ts";

/** Where the routes read clinical records; default the sandbox fixtures. */
export interface HtmlRoutesDeps {
  /** The clinical record of an NHS number on the day of `now`, if the practice holds one. */
  readonly recordFor?: (nhsNumber: string, now: Date) => ClinicalRecord | undefined;
}

/**
 * The Access Record HTML routes, to mount at the DSTU2 root.
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
 * const rootPath = serviceRootPath(odsCode, "dstu2");
 * // Behind the provider duties, as the provider sandbox mounts every product's routes.
 * const app = new Hono<ProviderEnv>()
 *   .use(`${rootPath}/*`, providerDuties({ asid, rootKind: "dstu2", rootPath, now }))
 *   .route(
 *     rootPath,
 *     htmlRoutes({
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
 * const response = await app.request(`${rootPath}/metadata`, {
 *   headers: providerRequestHeaders("urn:nhs:names:services:gpconnect:fhir:rest:read:metadata"),
 * });
 * assert.equal(response.status, 200); // the Conformance
 * ```
 */
export function htmlRoutes(
  options: ProviderRoutesOptions,
  deps: HtmlRoutesDeps = {},
): Hono<ProviderEnv> {
  const app = new Hono<ProviderEnv>();
  const recordFor = deps.recordFor ?? clinicalRecordFor;

  app.get("/metadata", (c) =>
    fhirResponse(htmlConformance(options.now()), {
      format: c.get("format"),
      fhirVersion: c.get("fhirVersion"),
    }));

  app.post("/Patient/$gpc.getcarerecord", async (c) => {
    const contentType = c.req.header("Content-Type");
    // Any XML media type (application/xml+fhir, application/fhir+xml, text/xml …).
    if (contentType !== undefined && /xml/i.test(contentType.split(";")[0]!)) {
      throw new ProviderError(
        "BAD_REQUEST",
        "The reference provider reads FHIR JSON request bodies only; send application/json+fhir",
        415,
      );
    }
    const request = parseCareRecordRequest(await c.req.text());
    requireRequestedPatient(c.req.header("Authorization"), request.nhsNumber);
    const held = options.register.byNhsNumber(request.nhsNumber);
    if (!held) {
      throw new ProviderError(
        "PATIENT_NOT_FOUND",
        `No patient with NHS number ${request.nhsNumber} is registered at this practice`,
      );
    }
    if (held.record.optedOut) {
      throw new ProviderError(
        "NO_PATIENT_CONSENT",
        `Patient ${request.nhsNumber} has dissented from sharing their record`,
      );
    }
    const now = options.now();
    const organization = options.practice.organizations.find((o) => o.odsCode === options.odsCode);
    const practitioner = options.practice.practitioners[0];
    if (!organization || !practitioner) {
      throw new ProviderError("INTERNAL_SERVER_ERROR", "The practice is not configured");
    }
    const view = recordSectionView(request.section, {
      record: recordFor(request.nhsNumber, now) ?? emptyRecord(request.nhsNumber),
      patient: held.patient,
      practice: options.practice,
      now,
      period: request.period,
      dateBanners: false,
    });
    const bundle = careRecordBundle({
      newId: options.newId,
      now,
      rootUrl: c.get("rootUrl"),
      held,
      section: request.section,
      div: sectionXhtml(view),
      organization,
      practitioner,
    });
    return fhirResponse(bundle, { format: c.get("format"), fhirVersion: c.get("fhirVersion") });
  });

  return app;
}
