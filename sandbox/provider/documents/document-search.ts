/**
 * The searchset a documents search returns (GPC-1.6 search page and `access_documents_development_
 * bundle`; PT-1.6 `StructuredDocuments.feature`): `GPConnect-Searchset-Bundle-1`, `Bundle.id` = the
 * request's `Ssp-TraceID`, absolute `fullUrl`s, and in the order of `documents_response.json`: the
 * Patient, the matching DocumentReferences (most recent first), then the Organizations, the
 * Practitioners and their PractitionerRoles they refer to.
 *
 * Matching: `created` bounds apply to `DocumentReference.created` (else `indexed`, as the page
 * requires); `author` and `facility` match the ODS code of the authoring organisation, or of the
 * practice for a document a practice practitioner wrote; `type` the coded type; `description` is
 * "contains", ignoring case.
 *
 * Decision (the page pulls two ways: "return the Organization … referenced from
 * Patient.managingOrganization" vs "only Organization resources associated with the
 * DocumentReferences"): the practice Organization is always included, because the Patient and
 * every DocumentReference (custodian) refer to it; other organisations only when a returned
 * document refers to them. Bundle `meta.lastUpdated`, `total` and `entry.search` are not set (the
 * bundle page: elements not listed "SHOULD NOT be populated").
 *
 * @module
 */
import { searchsetBundleProfile } from "../foundations/foundations-responses.ts";
import { gpConnectPatient, type PatientReferences } from "../foundations/patient-resource.ts";
import type { PracticeData } from "../practice/practice-data.ts";
import { gpConnectOrganization, gpConnectPractitioner } from "../practice/practice-resources.ts";
import type { HeldPatient } from "../provider-patients.ts";
import { gpConnectDocumentReference } from "./document-reference.ts";
import type { DocumentSearchCriteria } from "./document-search-params.ts";
import { instantOf } from "../fhir-date-span.ts";
import type { PatientDocument } from "./patient-documents.ts";
import { gpConnectPractitionerRole } from "./practitioner-role.ts";

/** Everything a documents search bundle is built from. */
export interface DocumentSearchInput {
  /** `Bundle.id`: the request's `Ssp-TraceID`. */
  readonly traceId: string;
  /** Absolute documents root URL. */
  readonly rootUrl: string;
  /** ODS code of the practice (custodian). */
  readonly practiceOds: string;
  /** The practice's world. */
  readonly practice: PracticeData;
  /** What the Patient refers to (practice Organization and preferred branch Location). */
  readonly references: PatientReferences;
  /** The subject. */
  readonly held: HeldPatient;
  /** Today (`YYYY-MM-DD`) for the Patient's relative dates. */
  readonly today: string;
  /** All the patient's documents. */
  readonly documents: readonly PatientDocument[];
  /** What to keep. */
  readonly criteria: DocumentSearchCriteria;
}

/** The ODS code of the organisation a document was authored at. */
function authoringOds(document: PatientDocument, practiceOds: string): string {
  return document.author.kind === "Organization" ? document.author.odsCode : practiceOds;
}

/**
 * Whether a document matches the search criteria.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { patientDocuments } from "./patient-documents.ts";
 * const documents = patientDocuments("9690937286", new Date());
 * const referrals = documents.filter((document) =>
 *   documentMatches(document, { description: "referral" }, "B82617")
 * );
 * assert.deepEqual(referrals.map((document) => document.description), [
 *   "Referral letter to cardiology",
 * ]);
 * ```
 */
export function documentMatches(
  document: PatientDocument,
  criteria: DocumentSearchCriteria,
  practiceOds: string,
): boolean {
  const created = instantOf(document.created || document.indexed);
  if (criteria.createdFrom !== undefined && created < criteria.createdFrom) return false;
  if (criteria.createdTo !== undefined && created > criteria.createdTo) return false;
  const ods = authoringOds(document, practiceOds);
  if (criteria.authorOds !== undefined && criteria.authorOds !== ods) return false;
  if (criteria.facilityOds !== undefined && criteria.facilityOds !== ods) return false;
  if (criteria.type !== undefined) {
    const { system, code } = criteria.type;
    if (document.type.code !== code) return false;
    if (system !== undefined && document.type.system !== system) return false;
  }
  if (
    criteria.description !== undefined &&
    !document.description.toLowerCase().includes(criteria.description)
  ) {
    return false;
  }
  return true;
}

/**
 * The searchset Bundle of a documents search.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "../../pds/fixture-patients.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * import { patientRegister } from "../provider-patients.ts";
 * import { patientDocuments } from "./patient-documents.ts";
 * const bundle = documentSearchBundle({
 *   traceId: crypto.randomUUID(),
 *   rootUrl: "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/documents/fhir",
 *   practiceOds: "B82617",
 *   practice: practiceData,
 *   references: { organizationId: "1", locationId: "1" },
 *   held: patientRegister(fixturePatients, "B82617").byLogicalId("2")!,
 *   today: "2025-01-15",
 *   documents: patientDocuments("9690937286", new Date()),
 *   criteria: {},
 * });
 * assert.equal(bundle.type, "searchset");
 * ```
 */
export function documentSearchBundle(input: DocumentSearchInput): Record<string, unknown> {
  const { practice, practiceOds, rootUrl } = input;
  const practiceOrg = practice.organizations.find((org) =>
    org.id === input.references.organizationId
  );
  if (!practiceOrg) throw new RangeError(`The practice data has no organisation ${practiceOds}`);
  const orgByOds = new Map(practice.organizations.map((org) => [org.odsCode, org]));
  const matches = input.documents
    .filter((document) => documentMatches(document, input.criteria, practiceOds))
    .sort((a, b) => instantOf(b.created) - instantOf(a.created));

  const organizations = new Map([[practiceOrg.id, practiceOrg]]);
  const practitionerIds = new Set<string>();
  const references = matches.map((document) => {
    let authorOrganizationId: string | undefined;
    if (document.author.kind === "Organization") {
      const org = orgByOds.get(document.author.odsCode) ?? document.author.organization;
      if (!org) throw new RangeError(`No organisation ${document.author.odsCode} in practice data`);
      organizations.set(org.id, org);
      authorOrganizationId = org.id;
    } else {
      practitionerIds.add(document.author.practitionerId);
    }
    return gpConnectDocumentReference(document, {
      rootUrl,
      patientId: input.held.record.logicalId,
      custodianId: practiceOrg.id,
      authorOrganizationId,
    });
  });
  const practitioners = practice.practitioners.filter((p) => practitionerIds.has(p.id));

  const resources: Record<string, unknown>[] = [
    gpConnectPatient(input.held, input.today, input.references),
    ...references,
    ...[...organizations.values()].map(gpConnectOrganization),
    ...practitioners.map(gpConnectPractitioner),
    ...practitioners.map((p) => gpConnectPractitionerRole(p, practiceOrg.id)),
  ];
  return {
    resourceType: "Bundle",
    id: input.traceId,
    meta: { profile: [searchsetBundleProfile] },
    type: "searchset",
    entry: resources.map((resource) => ({
      fullUrl: `${rootUrl}/${String(resource.resourceType)}/${String(resource.id)}`,
      resource,
    })),
  };
}
