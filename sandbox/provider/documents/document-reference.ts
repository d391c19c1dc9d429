/**
 * A patient document as a `CareConnect-GPC-DocumentReference-1` (GPC-1.6 DocumentReference page
 * and `documents_response.json`): stable identifiers, status `current`, SNOMED CT type, subject,
 * created and indexed, author (organisation or practitioner), custodian (the practice),
 * description, one attachment and the practice setting when coded. Elements "not in use"
 * (docStatus, class, authenticator, attachment.data, relatesTo, securityLabel) are never set.
 *
 * The attachment URL is the absolute URL of the Binary on the documents root that served the
 * search. It is left out when the document cannot be retrieved: a placeholder (no original) or a
 * document over the 5 MB limit, whose `attachment.title` then says why (GPC-1.6 documents
 * guidance "File size of the document"; PT-1.6 `StructuredDocuments.feature` "Content Doesnot
 * Contain URL for over 5MB Attachment").
 *
 * @module
 */
import type { PatientDocument } from "./patient-documents.ts";
import { retrieveSizeLimitBytes } from "./patient-documents.ts";

/** The profile every DocumentReference declares. */
export const documentReferenceProfile =
  "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-DocumentReference-1";

/** The provider-scoped namespace of document identifiers. */
export const documentIdentifierSystem = "https://gpc-edge.invalid/reference-provider/Id/document";

/** The provider-scoped namespace of document version identifiers (`masterIdentifier`). */
export const documentVersionSystem =
  "https://gpc-edge.invalid/reference-provider/Id/document-version";

/** What a DocumentReference refers to, as logical ids of this root's resources. */
export interface DocumentReferenceContext {
  /** Absolute URL of the documents service root (no trailing `/`). */
  readonly rootUrl: string;
  /** Logical id of the subject Patient. */
  readonly patientId: string;
  /** Logical id of the custodian Organization (the practice). */
  readonly custodianId: string;
  /** Logical id of the author Organization for an organisation author. */
  readonly authorOrganizationId: string | undefined;
  /**
   * Give documents over 5 MB their URL too: a migrate structured record must link every document
   * it lists (GPC-1.6 DocumentReference page, `content.attachment.url`), and only "Migrate a
   * document" retrieves those. Default `false` (direct care: no URL over the limit).
   */
  readonly urlOverSizeLimit?: boolean;
}

/** The reason a document over the size limit is not retrievable (its `attachment.title`). */
export function oversizeReason(size: number): string {
  return `Document not available: its size (${size} bytes) exceeds the 5 MB ` +
    `(${retrieveSizeLimitBytes} bytes) limit for retrieval through GP Connect`;
}

/**
 * The DocumentReference for a patient document.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { patientDocuments } from "./patient-documents.ts";
 * const [document] = patientDocuments("9690937286", new Date());
 * const reference = gpConnectDocumentReference(document!, {
 *   rootUrl: "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/documents/fhir",
 *   patientId: "2",
 *   custodianId: "1",
 *   authorOrganizationId: "3",
 * });
 * assert.equal(reference.resourceType, "DocumentReference");
 * ```
 */
export function gpConnectDocumentReference(
  document: PatientDocument,
  context: DocumentReferenceContext,
): Record<string, unknown> {
  const size = document.content?.size ?? 0;
  const oversize = size > retrieveSizeLimitBytes;
  const retrievable = document.content !== undefined &&
    (!oversize || context.urlOverSizeLimit === true);
  const title = document.unavailableReason ??
    (oversize && !retrievable ? oversizeReason(size) : undefined);
  const author = document.author.kind === "Practitioner"
    ? `Practitioner/${document.author.practitionerId}`
    : `Organization/${context.authorOrganizationId}`;
  return {
    resourceType: "DocumentReference",
    id: document.id,
    meta: { versionId: document.versionId, profile: [documentReferenceProfile] },
    masterIdentifier: {
      system: documentVersionSystem,
      value: `${document.id}-v${document.versionId}`,
    },
    identifier: [{ system: documentIdentifierSystem, value: document.id }],
    status: "current",
    type: {
      coding: [{
        system: document.type.system,
        code: document.type.code,
        display: document.type.display,
      }],
    },
    subject: { reference: `Patient/${context.patientId}` },
    created: document.created,
    indexed: document.indexed,
    author: [{ reference: author }],
    custodian: { reference: `Organization/${context.custodianId}` },
    description: document.description,
    content: [{
      attachment: {
        contentType: document.contentType,
        ...(retrievable ? { url: `${context.rootUrl}/Binary/${document.binaryId}` } : {}),
        size,
        ...(title === undefined ? {} : { title }),
      },
    }],
    ...(document.practiceSetting
      ? {
        context: {
          practiceSetting: {
            coding: [{
              system: document.practiceSetting.system,
              code: document.practiceSetting.code,
              display: document.practiceSetting.display,
            }],
          },
        },
      }
      : {}),
  };
}
