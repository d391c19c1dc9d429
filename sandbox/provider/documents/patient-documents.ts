/**
 * The documents the reference practice holds, as plain data with dates relative to the clock:
 * - `rich-record` (9690937286, patient2): three retrievable documents from the practice and two
 *   external organisations, plus one placeholder whose original is not available electronically;
 * - `large-document` (9690937308, patient4): one scanned record of 6 MB, over the 5 MB limit of
 *   "Retrieve a document" (only "Migrate a document" returns it);
 * - everyone else, including `investigations-referrals-diary` (patient3, the test pack's "NO
 *   Documents" patient), has none.
 *
 * Ids are stable: the DocumentReference id, the Binary id and the identifiers never change between
 * requests (GPC-1.6 DocumentReference page: identifier "doesn't change between requests").
 *
 * @module
 */
import { clinicalDates } from "../clinical/clinical-dates.ts";
import { snomed } from "../clinical/clinical-codes.ts";
import type { ClinicalCode } from "../clinical/clinical-record-types.ts";
import type { PracticeOrganization } from "../practice/practice-data.ts";
import { type DocumentContent, repeatingContent, textContent } from "./document-content.ts";

/**
 * Who authored a document: an organisation (by ODS code; with its details when it is not one of
 * the practice data's, as the sender of a filed message is) or a practitioner of the practice.
 */
export type DocumentAuthor =
  | {
    readonly kind: "Organization";
    readonly odsCode: string;
    readonly organization?: PracticeOrganization;
  }
  | { readonly kind: "Practitioner"; readonly practitionerId: string };

/** One document of a patient, dates resolved for a clock reading. */
export interface PatientDocument {
  /** DocumentReference logical id (also its identifier value). */
  readonly id: string;
  /** Binary logical id the attachment URL names. */
  readonly binaryId: string;
  /** `Binary.meta.versionId` and ETag. */
  readonly versionId: string;
  /** NHS number of the subject. */
  readonly nhsNumber: string;
  /** Kind of document (SNOMED CT). */
  readonly type: ClinicalCode;
  /** Human-readable title. */
  readonly description: string;
  /** MIME type of the content. */
  readonly contentType: string;
  /** When the document was created (ISO date-time). */
  readonly created: string;
  /** When the practice filed it (ISO instant). */
  readonly indexed: string;
  /** The author. */
  readonly author: DocumentAuthor;
  /** Where it was created, when coded. */
  readonly practiceSetting?: ClinicalCode;
  /** The bytes, or `undefined` for a placeholder whose original is not available. */
  readonly content: DocumentContent | undefined;
  /** Why the document cannot be retrieved (`attachment.title`), when it cannot. */
  readonly unavailableReason?: string;
}

/** The largest document "Retrieve a document" returns: 5 MB (GPC-1.6 documents guidance). */
export const retrieveSizeLimitBytes = 5 * 1024 * 1024;

/** Size of the large-document fixture: just over 6 MB. */
export const largeDocumentBytes = 6 * 1024 * 1024 + 1234;

const generalPracticeService = snomed("1060971000000108", "General practice service");

type DocumentBuilder = (now: Date) => readonly PatientDocument[];

function richRecordDocuments(now: Date): readonly PatientDocument[] {
  const d = clinicalDates(now);
  const nhsNumber = "9690937286";
  return [
    {
      id: "doc-2-1",
      binaryId: "bin-2-1",
      versionId: "1",
      nhsNumber,
      type: snomed("371531000", "Report of clinical encounter"),
      description: "Urgent care attendance summary",
      contentType: "text/plain",
      created: d.ago(45, "16:20"),
      indexed: d.ago(44, "09:05"),
      author: { kind: "Organization", odsCode: "X12345" },
      content: textContent(
        "THE HEALTH CENTRE URGENT CARE\nAttendance summary for Horace SKELLY (NHS 969 093 7286)\n\n" +
          "Presented with wheeze after a viral illness. Peak flow 380 L/min.\n" +
          "Treated with salbutamol via spacer; discharged home with safety-netting advice.\n",
      ),
    },
    {
      id: "doc-2-2",
      binaryId: "bin-2-2",
      versionId: "1",
      nhsNumber,
      type: snomed("3457005", "Patient referral"),
      description: "Referral letter to cardiology",
      contentType: "text/rtf",
      created: d.ago(120, "10:40"),
      indexed: d.ago(120, "10:45"),
      author: { kind: "Practitioner", practitionerId: "3" },
      practiceSetting: generalPracticeService,
      content: textContent(
        "{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}}\\f0\\fs22 " +
          "Dear Cardiology team,\\par Please see Mr Skelly, who has hypertension and " +
          "exertional chest tightness.\\par Yours sincerely,\\par Dr Melissa Parsons}",
      ),
    },
    {
      id: "doc-2-3",
      binaryId: "bin-2-3",
      versionId: "2",
      nhsNumber,
      type: snomed("371525003", "Clinical procedure report"),
      description: "Spirometry report",
      contentType: "text/html",
      created: d.ago(900, "14:00"),
      indexed: d.ago(898, "08:30"),
      author: { kind: "Organization", odsCode: "R1A14" },
      content: textContent(
        "<!DOCTYPE html><html><head><title>Spirometry report</title></head><body>" +
          "<h1>Spirometry</h1><p>FEV1/FVC 0.68 &amp; reversibility 14%: consistent with asthma.</p>" +
          "</body></html>",
      ),
    },
    {
      id: "doc-2-4",
      binaryId: "bin-2-4",
      versionId: "1",
      nhsNumber,
      type: snomed("371531000", "Report of clinical encounter"),
      description: "Hospital correspondence (paper)",
      contentType: "application/pdf",
      created: d.ago(4000, "12:00"),
      indexed: d.ago(3990, "12:00"),
      author: { kind: "Organization", odsCode: "R1A14" },
      content: undefined,
      unavailableReason:
        "Document not available electronically: the original is held on paper in the patient's " +
        "Lloyd George record",
    },
  ];
}

function largeDocumentDocuments(now: Date): readonly PatientDocument[] {
  const d = clinicalDates(now);
  return [{
    id: "doc-4-1",
    binaryId: "bin-4-1",
    versionId: "1",
    nhsNumber: "9690937308",
    type: snomed("371531000", "Report of clinical encounter"),
    description: "Scanned paper record from previous practice",
    contentType: "text/plain",
    created: d.ago(400, "09:00"),
    indexed: d.ago(399, "15:10"),
    author: { kind: "Organization", odsCode: "R1A14" },
    content: repeatingContent(
      "SCANNED PAPER RECORD - TEMPLE SOWERBY MEDICAL PRACTICE (R1A14)\n",
      "Transcribed continuation card: no further entries on this page.\n",
      largeDocumentBytes,
    ),
  }];
}

const builders: Readonly<Record<string, DocumentBuilder>> = {
  "9690937286": richRecordDocuments,
  "9690937308": largeDocumentDocuments,
};

/**
 * The documents of the patient with an NHS number on the day of `now` (none when unknown).
 *
 * @example
 * ```ts
 * patientDocuments("9690937308", new Date())[0]?.content?.size; // 6292690
 * ```
 */
export function patientDocuments(nhsNumber: string, now: Date): readonly PatientDocument[] {
  return Object.hasOwn(builders, nhsNumber) ? builders[nhsNumber]!(now) : [];
}

/**
 * The document whose Binary has this id, whoever the patient, or `undefined`.
 *
 * @example
 * ```ts
 * documentByBinaryId("bin-2-1", new Date())?.contentType; // "text/plain"
 * ```
 */
export function documentByBinaryId(binaryId: string, now: Date): PatientDocument | undefined {
  for (const build of Object.values(builders)) {
    const found = build(now).find((document) => document.binaryId === binaryId);
    if (found) return found;
  }
  return undefined;
}
