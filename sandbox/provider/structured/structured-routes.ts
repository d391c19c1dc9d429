/**
 * Access Record Structured 1.6 (structured root): metadata, $gpc.getstructuredrecord, $gpc.migratestructuredrecord.
 * Routes are relative to their service root and run behind the provider duties (headers,
 * interaction, JWT incl. `reason_for_request` and scope, format).
 *
 * - `GET /metadata` → the structured CapabilityStatement.
 * - `POST /Patient/$gpc.getstructuredrecord` → the requested clinical areas
 *   ({@linkcode structuredQuery}): body → parameters → patient (404 PATIENT_NOT_FOUND when not
 *   served, 403 NO_PATIENT_CONSENT when the patient dissented) → Bundle with `id` = `Ssp-TraceID`.
 *   Confidential items are always withheld (with a warning).
 * - `POST /Patient/$gpc.migratestructuredrecord` → the full record ({@linkcode migrateQuery}):
 *   body → parameters → `conf/N` vs sensitive (400 CONFLICTING_VALUES) → patient (404) →
 *   requester is the patient's registered practice (403 NO_RELATIONSHIP) → Bundle. Confidential
 *   items only with `conf/R` and `includeSensitiveInformation`. Dissent does not stop a migration
 *   (the spec lists no NO_PATIENT_CONSENT for it: the record moves with the registration).
 *
 * @module
 */
import { Hono } from "hono";
import { decodeBearerJwt } from "../../../gpconnect/jwt/jwt-decode.ts";
import { clinicalRecordFor } from "../clinical/clinical-records.ts";
import { emptyRecord } from "../clinical/records/empty-record.ts";
import { fhirResponse } from "../fhir-format.ts";
import type { ProviderEnv } from "../provider-duties.ts";
import { ProviderError } from "../provider-error.ts";
import { type HeldPatient, practicePatients } from "../provider-patients.ts";
import type { ProviderRoutesOptions } from "../provider-routes-options.ts";
import type { RecordRequest } from "./area-sections.ts";
import { checkRelationship, checkSensitiveScope, migrateQuery } from "./migrate-query.ts";
import { readParametersBody } from "./parameters-body.ts";
import { structuredBundle } from "./structured-bundle.ts";
import { structuredCapabilityStatement } from "./structured-capability.ts";
import { structuredQuery } from "./structured-query.ts";

/** Every clinical area, unfiltered: what a migration returns. */
export const fullRecordRequest: RecordRequest = {
  allergies: { includeResolved: true },
  medication: { includeIssues: true },
  consultations: {},
  problems: [{}],
  immunisations: { includeNotGiven: true, includeStatus: true },
  uncategorised: {},
  investigations: {},
  referrals: {},
  diary: {},
};

/** The routes, to mount at their service root. */
export function structuredRoutes(options: ProviderRoutesOptions): Hono<ProviderEnv> {
  const app = new Hono<ProviderEnv>();
  const patients = practicePatients({
    register: options.register,
    store: options.store,
    odsCode: options.odsCode,
  });

  const servedPatient = async (nhsNumber: string): Promise<HeldPatient> => {
    const held = await patients.byNhsNumber(nhsNumber);
    if (!held) {
      throw new ProviderError(
        "PATIENT_NOT_FOUND",
        `No patient with NHS number ${nhsNumber} is served by ${options.odsCode}`,
      );
    }
    return held;
  };

  app.get("/metadata", (c) =>
    fhirResponse(structuredCapabilityStatement(options.now()), {
      format: c.get("format"),
      fhirVersion: c.get("fhirVersion"),
    }));

  app.post("/Patient/$gpc.getstructuredrecord", async (c) => {
    const now = options.now();
    const { nhsNumber, unsupported, ...request } = structuredQuery(
      readParametersBody(await c.req.text()),
      now,
    );
    const held = await servedPatient(nhsNumber);
    if (held.record.optedOut) {
      throw new ProviderError(
        "NO_PATIENT_CONSENT",
        `Patient ${nhsNumber} has dissented to sharing their record`,
      );
    }
    const bundle = structuredBundle({
      id: c.req.header("Ssp-TraceID") ?? options.newId(),
      held,
      record: clinicalRecordFor(nhsNumber, now) ?? emptyRecord(nhsNumber),
      request,
      practice: options.practice,
      odsCode: options.odsCode,
      now,
      includeConfidential: false,
      unsupported,
      newId: options.newId,
    });
    return fhirResponse(bundle, { format: c.get("format"), fhirVersion: c.get("fhirVersion") });
  });

  app.post("/Patient/$gpc.migratestructuredrecord", async (c) => {
    const now = options.now();
    const query = migrateQuery(readParametersBody(await c.req.text()));
    const claims = decodeBearerJwt(c.req.header("Authorization") ?? "").claims;
    checkSensitiveScope(query, claims);
    const held = await servedPatient(query.nhsNumber);
    checkRelationship(claims, held.patient.pds.generalPractitioner?.odsCode ?? options.odsCode);
    const bundle = structuredBundle({
      id: c.req.header("Ssp-TraceID") ?? options.newId(),
      held,
      record: clinicalRecordFor(query.nhsNumber, now) ?? emptyRecord(query.nhsNumber),
      request: query.fullRecord ? fullRecordRequest : undefined,
      practice: options.practice,
      odsCode: options.odsCode,
      now,
      includeConfidential: query.fullRecord?.includeSensitive === true,
      newId: options.newId,
    });
    return fhirResponse(bundle, { format: c.get("format"), fhirVersion: c.get("fhirVersion") });
  });

  return app;
}
