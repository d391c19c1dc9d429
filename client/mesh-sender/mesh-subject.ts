/**
 * `Mex-Subject` of a GP Connect message, by the templates of shared/reference/mesh.md §5.4:
 *
 * - Send Document v1 (`GPFED_CONSULT_REPORT`, GPCM-SD-064): `Consultation report for {Patient
 *   Name} , NHS Number {NHS Number}, seen at {Practice Name}, ODS Code {ODS Code}`;
 * - Send Document v2 (`GPCONNECT_SEND_DOCUMENT`): `[document-title] for [patient-name], NHS Number:
 *   [nhs-number], seen at [location-name], [ods-code], Version: [version-number]`;
 * - Update Record: `[payload-title] for [patient-name], NHS Number: [nhs-number], seen at
 *   [practice-name], ODS code: [ods-code], version [version]`.
 *
 * A confidential consultation leaves out where it happened (GPCM-SD-092/119).
 *
 * @module
 */
import { meshWorkflowIds } from "../../gpconnect/mesh/mesh-workflows.ts";

/** What a subject says. */
export interface SubjectParts {
  readonly workflowId: string;
  /** The document or payload title. */
  readonly title: string;
  /** "Given FAMILY". */
  readonly patientName: string;
  readonly nhsNumber: string;
  /** Where the patient was seen (the sending organisation). */
  readonly locationName: string;
  readonly odsCode: string;
  readonly version: string;
  /** Leave out the location and ODS code. */
  readonly confidential?: boolean;
}

/**
 * The subject line.
 *
 * @example
 * ```ts
 * meshSubject({
 *   workflowId: "GPCONNECT_SEND_DOCUMENT", title: "Consultation report",
 *   patientName: "Horace SKELLY", nhsNumber: "9690937286",
 *   locationName: "A11111 consumer organisation", odsCode: "A11111", version: "1",
 * });
 * // "Consultation report for Horace SKELLY, NHS Number: 9690937286, seen at A11111 consumer organisation, A11111, Version: 1"
 * ```
 */
export function meshSubject(parts: SubjectParts): string {
  const who = `for ${parts.patientName}`;
  switch (parts.workflowId) {
    case meshWorkflowIds.consultReport:
      return parts.confidential
        ? `Consultation report ${who} , NHS Number ${parts.nhsNumber}`
        : `Consultation report ${who} , NHS Number ${parts.nhsNumber}, seen at ${parts.locationName}, ODS Code ${parts.odsCode}`;
    case meshWorkflowIds.updateRecord:
      return parts.confidential
        ? `${parts.title} ${who}, NHS Number: ${parts.nhsNumber}, version ${parts.version}`
        : `${parts.title} ${who}, NHS Number: ${parts.nhsNumber}, seen at ${parts.locationName}, ODS code: ${parts.odsCode}, version ${parts.version}`;
    default:
      return parts.confidential
        ? `${parts.title} ${who}, NHS Number: ${parts.nhsNumber}, Version: ${parts.version}`
        : `${parts.title} ${who}, NHS Number: ${parts.nhsNumber}, seen at ${parts.locationName}, ${parts.odsCode}, Version: ${parts.version}`;
  }
}
