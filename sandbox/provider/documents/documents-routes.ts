/**
 * Access Document 1.6 on the documents root (GPC-1.6 `pages/access_documents/*`; PT-1.6
 * `StructuredDocuments.feature`), behind the provider duties:
 * - `GET /metadata`: the Access Document CapabilityStatement;
 * - `GET /Patient?identifier=…`: find a patient, the Foundations rules
 *   ({@linkcode patientSearchNhsNumber}), `Bundle.id` = `Ssp-TraceID`;
 * - `GET /Patient/{id}/DocumentReference?…`: 422 INVALID_PARAMETER for a bad query
 *   ({@linkcode documentSearchCriteria}), 404 PATIENT_NOT_FOUND for an id the practice does not
 *   serve as a regular (GMS) patient (temporary registrations included: PT-1.6 "Search for
 *   Documents on a patient which exists on the system as a temporary patient"), 403
 *   NO_PATIENT_CONSENT for a patient who dissented, else the searchset;
 * - `GET /Binary/{id}`: "Retrieve a document" (`read:binary-1`) returns documents up to 5 MB and
 *   answers 404 NO_RECORD_FOUND above; "Migrate a document" (`migrate:binary-1`, the same path,
 *   told apart by `Ssp-InteractionID`) has no size limit. Unknown ids and placeholders without an
 *   original are 404 NO_RECORD_FOUND.
 *
 * Besides the fixture documents, a patient's searches list and retrieve the documents the practice
 * filed from GP Connect messages (filed-documents.ts, in the provider's store).
 *
 * @module
 */
import { Hono } from "hono";
import { searchsetBundleProfile } from "../foundations/foundations-responses.ts";
import { practiceReferences } from "../foundations/foundations-routes.ts";
import { gpConnectPatient } from "../foundations/patient-resource.ts";
import { patientSearchNhsNumber } from "../foundations/search-identifier.ts";
import type { ProviderEnv } from "../provider-duties.ts";
import { ProviderError } from "../provider-error.ts";
import { practicePatients } from "../provider-patients.ts";
import type { ProviderRoutesOptions } from "../provider-routes-options.ts";
import { fhirResponse } from "../fhir-format.ts";
import { binaryResponse } from "./binary-response.ts";
import { documentsCapabilityStatement } from "./documents-capability-statement.ts";
import { documentSearchCriteria } from "./document-search-params.ts";
import { documentSearchBundle } from "./document-search.ts";
import { filedDocuments } from "./filed-documents.ts";
import {
  documentByBinaryId,
  type PatientDocument,
  patientDocuments,
  retrieveSizeLimitBytes,
} from "./patient-documents.ts";

/** Where the routes find documents; defaults are the sandbox fixtures. */
export interface DocumentsRoutesDeps {
  /** The documents of a patient on the day of `now`. */
  readonly documentsFor?: (nhsNumber: string, now: Date) => readonly PatientDocument[];
  /** The document behind a Binary id. */
  readonly documentByBinaryId?: (binaryId: string, now: Date) => PatientDocument | undefined;
}

const migrateBinary = "urn:nhs:names:services:gpconnect:documents:fhir:rest:migrate:binary-1";

/**
 * The Access Document routes, to mount at the documents root.
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
 * const rootPath = serviceRootPath(odsCode, "documents");
 * // Behind the provider duties, as the provider sandbox mounts every product's routes.
 * const app = new Hono<ProviderEnv>()
 *   .use(`${rootPath}/*`, providerDuties({ asid, rootKind: "documents", rootPath, now }))
 *   .route(
 *     rootPath,
 *     documentsRoutes({
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
 *   headers: providerRequestHeaders(
 *     "urn:nhs:names:services:gpconnect:documents:fhir:rest:read:metadata-1",
 *   ),
 * });
 * assert.equal(response.status, 200); // the CapabilityStatement
 * ```
 */
export function documentsRoutes(
  options: ProviderRoutesOptions,
  deps: DocumentsRoutesDeps = {},
): Hono<ProviderEnv> {
  const app = new Hono<ProviderEnv>();
  const documentsFor = deps.documentsFor ?? patientDocuments;
  const findBinary = deps.documentByBinaryId ?? documentByBinaryId;
  const filed = filedDocuments(options.store, options.odsCode);
  const patients = practicePatients(options);
  const references = practiceReferences(options.practice, options.odsCode);
  const today = () => options.now().toISOString().slice(0, 10);

  app.get("/metadata", (c) =>
    fhirResponse(documentsCapabilityStatement(options.now()), {
      format: c.get("format"),
      fhirVersion: c.get("fhirVersion"),
    }));

  app.get("/Patient", async (c) => {
    const nhsNumber = patientSearchNhsNumber(c.req.queries("identifier"));
    const held = await patients.byNhsNumber(nhsNumber);
    const found = held ? [gpConnectPatient(held, today(), references)] : [];
    return fhirResponse({
      resourceType: "Bundle",
      id: c.req.header("Ssp-TraceID")!.trim(),
      meta: { profile: [searchsetBundleProfile] },
      type: "searchset",
      ...(found.length === 0 ? {} : {
        entry: found.map((resource) => ({
          fullUrl: `${c.get("rootUrl")}/Patient/${String(resource.id)}`,
          resource,
        })),
      }),
    }, { format: c.get("format"), fhirVersion: c.get("fhirVersion") });
  });

  app.get("/Patient/:id/DocumentReference", async (c) => {
    const criteria = documentSearchCriteria(new URL(c.req.url).searchParams);
    const id = c.req.param("id");
    const held = options.register.byLogicalId(id);
    if (!held) throw new ProviderError("PATIENT_NOT_FOUND", `No patient with logical id ${id}`);
    if (held.record.optedOut) {
      throw new ProviderError(
        "NO_PATIENT_CONSENT",
        `Patient ${id} has dissented from sharing their record`,
      );
    }
    const bundle = documentSearchBundle({
      traceId: c.req.header("Ssp-TraceID")!.trim(),
      rootUrl: c.get("rootUrl"),
      practiceOds: options.odsCode,
      practice: options.practice,
      references,
      held,
      today: today(),
      documents: [
        ...documentsFor(held.patient.nhsNumber, options.now()),
        ...await filed.forPatient(held.patient.nhsNumber),
      ],
      criteria,
    });
    return fhirResponse(bundle, { format: c.get("format"), fhirVersion: c.get("fhirVersion") });
  });

  app.get("/Binary/:id", async (c) => {
    const id = c.req.param("id");
    const document = findBinary(id, options.now()) ?? await filed.byBinaryId(id);
    if (!document?.content) throw new ProviderError("NO_RECORD_FOUND", `No document with id ${id}`);
    const size = document.content.size;
    if (c.get("interaction").id !== migrateBinary && size > retrieveSizeLimitBytes) {
      throw new ProviderError(
        "NO_RECORD_FOUND",
        `Document ${id} is ${size} bytes, which exceeds the 5 MB (${retrieveSizeLimitBytes} ` +
          "bytes) file size limit of Retrieve a document; use Migrate a document",
      );
    }
    return binaryResponse({
      id: document.binaryId,
      versionId: document.versionId,
      contentType: document.contentType,
      content: document.content,
    }, { format: c.get("format"), fhirVersion: c.get("fhirVersion") });
  });

  return app;
}
