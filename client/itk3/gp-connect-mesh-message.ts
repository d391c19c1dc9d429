/**
 * A GP Connect Send Document or Update Record message ready for `POST /outbox` — the ITK3
 * message (gpconnect/itk/itk-message.ts) with at most one defect (itk-defects.ts), its address
 * (`GPPROVIDER_{nhs}_{yyyymmdd}_{surname}` or a mailbox id) and the MESH metadata GP Connect
 * requires (shared/reference/mesh.md §5.4): `Mex-WorkflowID`, `Mex-From`, `Mex-Subject` by the
 * product's template, `Mex-LocalID` (the sender's ODS code), `Mex-FileName`, `Mex-Content-Type`.
 * The request builder of the conformance harness's messaging cases; it sends nothing itself.
 *
 * @module
 */
import {
  buildItkMessage,
  type ItkMessageIds,
  type ItkPatient,
} from "../../gpconnect/itk/itk-message.ts";
import { buildGpProviderAddress } from "../../gpconnect/mesh/gpprovider-address.ts";
import {
  ackWorkflowOf,
  type MeshProduct,
  meshWorkflowIds,
} from "../../gpconnect/mesh/mesh-workflows.ts";
import { meshSubject } from "../mesh-sender/mesh-subject.ts";
import { type ItkDefect, itkPayloadWithDefect } from "./itk-defects.ts";

/** Who sends. */
export interface MessageSender {
  readonly mailboxId: string;
  readonly odsCode: string;
  readonly organizationName: string;
  readonly practitioner: {
    readonly family: string;
    readonly given: readonly string[];
    readonly sdsUserId?: string;
  };
}

/** What to build. */
export interface GpConnectMeshMessageInput {
  readonly product: MeshProduct;
  readonly patient: ItkPatient;
  readonly sender: MessageSender;
  /** A mailbox id, or undefined for the patient's GPPROVIDER address. */
  readonly toMailbox?: string;
  readonly defect?: ItkDefect;
  /** `patient-differs-from-address`: the patient the payload is wrongly about. */
  readonly otherPatient?: ItkPatient;
  /** Mailbox named by a `destination-present` defect. */
  readonly destinationMailbox?: string;
  /** Text in the attachment or the payload's note, e.g. the test's id. */
  readonly label: string;
  readonly now: Date;
  readonly newId: () => string;
}

/** A built message. */
export interface GpConnectMeshMessage {
  readonly workflowId: string;
  /** The workflow its acknowledgements travel on. */
  readonly ackWorkflowId: string;
  readonly to: string;
  /** `Mex-*` headers (and `Content-Type`), `Mex-Chunk-Range: 1:1` included. */
  readonly headers: Readonly<Record<string, string>>;
  /** The payload (JSON text, or not JSON for the `unparseable` defect). */
  readonly body: string;
  readonly ids: ItkMessageIds;
}

/** A one-page PDF naming `label`: a real document for the receiver to file. */
export function labelPdf(label: string): Uint8Array {
  const text = label.replace(/[()\\]/g, " ").slice(0, 80);
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

/** An Update Record payload: a blood pressure reading (Pharmacy First's blood pressure check). */
function bloodPressure(now: Date, label: string) {
  const quantity = (value: number) => ({
    value,
    unit: "mm[Hg]",
    system: "http://unitsofmeasure.org",
    code: "mm[Hg]",
  });
  const snomed = (code: string, display: string) => ({
    coding: [{ system: "http://snomed.info/sct", code, display }],
  });
  return [{
    resourceType: "Observation",
    status: "final",
    code: snomed("75367002", "Blood pressure"),
    subject: {},
    effectiveDateTime: now.toISOString(),
    comment: label,
    component: [
      { code: snomed("72313002", "Systolic arterial pressure"), valueQuantity: quantity(128) },
      {
        code: snomed("1091811000000102", "Diastolic arterial pressure"),
        valueQuantity: quantity(82),
      },
    ],
  }];
}

/**
 * Builds the message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const message = buildGpConnectMeshMessage({
 *   product: "send-document",
 *   patient: {
 *     nhsNumber: "9690937286",
 *     family: "SKELLY",
 *     given: ["Horace"],
 *     birthDate: "1942-02-03",
 *   },
 *   sender: {
 *     mailboxId: "A11111OT1",
 *     odsCode: "A11111",
 *     organizationName: "Consumer Org",
 *     practitioner: { family: "Jones", given: ["Claire"] },
 *   },
 *   label: "t1",
 *   now: new Date(),
 *   newId: () => crypto.randomUUID(),
 * });
 * assert.equal(message.to, "GPPROVIDER_9690937286_19420203_SKELLY");
 * ```
 */
export function buildGpConnectMeshMessage(input: GpConnectMeshMessageInput): GpConnectMeshMessage {
  const sendDocument = input.product === "send-document";
  const workflowId = sendDocument ? meshWorkflowIds.sendDocument : meshWorkflowIds.updateRecord;
  const title = sendDocument ? "Consultation report" : "Blood pressure check";
  const message = buildItkMessage({
    product: input.product,
    senderMailbox: input.sender.mailboxId,
    sender: { odsCode: input.sender.odsCode, name: input.sender.organizationName },
    practitioner: input.sender.practitioner,
    patient: input.patient,
    title,
    ...(sendDocument
      ? { attachments: [{ contentType: "application/pdf", data: labelPdf(input.label), title }] }
      : { clinicalResources: bloodPressure(input.now, input.label) }),
    timestamp: input.now.toISOString(),
    newId: input.newId,
  });
  const body = itkPayloadWithDefect(message, input.defect ?? "none", {
    ...(input.otherPatient ? { otherPatient: input.otherPatient } : {}),
    ...(input.destinationMailbox ? { destinationMailbox: input.destinationMailbox } : {}),
  });
  const to = input.toMailbox ?? buildGpProviderAddress({
    nhsNumber: input.patient.nhsNumber,
    birthDate: input.patient.birthDate,
    familyName: input.patient.family,
  });
  const subject = meshSubject({
    workflowId,
    title,
    patientName: [...input.patient.given, input.patient.family].join(" "),
    nhsNumber: input.patient.nhsNumber,
    locationName: input.sender.organizationName,
    odsCode: input.sender.odsCode,
    version: "1",
  });
  return {
    workflowId,
    ackWorkflowId: ackWorkflowOf(workflowId) ?? `${workflowId}_ACK`,
    to,
    headers: {
      "Mex-To": to,
      "Mex-From": input.sender.mailboxId,
      "Mex-WorkflowID": workflowId,
      "Mex-Subject": subject,
      "Mex-LocalID": input.sender.odsCode,
      "Mex-FileName": `${message.ids.bundleIdentifier}.json`,
      "Mex-Content-Type": "application/fhir+json",
      "Mex-Chunk-Range": "1:1",
      "Content-Type": "application/fhir+json",
    },
    body,
    ids: message.ids,
  };
}
