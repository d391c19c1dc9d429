/**
 * Sends one GP Connect message over MESH as a consumer system must (shared/reference/mesh.md
 * §5.2–§5.6): the ITK3 message Bundle (gpconnect/itk/itk-message.ts) for the traced patient,
 * addressed `GPPROVIDER_{nhs}_{yyyymmdd}_{surname}` with PDS's values, on the product's workflow,
 * with the metadata GP Connect requires — `Mex-From` (the sending mailbox), `Mex-Subject` (§5.4
 * template), `Mex-LocalID` (the sender's ODS code, never patient details), `Mex-FileName`,
 * `Mex-Content-Type` (`application/fhir+json`).
 *
 * @module
 */
import { messageDefinitions } from "../../gpconnect/itk/itk-definitions.ts";
import {
  buildItkMessage,
  type ItkAttachment,
  type ItkMessageIds,
  type ItkPractitioner,
} from "../../gpconnect/itk/itk-message.ts";
import { buildGpProviderAddress } from "../../gpconnect/mesh/gpprovider-address.ts";
import { type MeshProduct, meshWorkflowIds } from "../../gpconnect/mesh/mesh-workflows.ts";
import type { MeshClient } from "../mesh/mesh-client.ts";
import { meshSubject } from "./mesh-subject.ts";
import type { TracedPatient } from "./pds-patient-trace.ts";

type Json = Record<string, unknown>;

/** Who sends. */
export interface SenderIdentity {
  /** The sending MESH mailbox. */
  readonly mailboxId: string;
  readonly odsCode: string;
  readonly organizationName: string;
  readonly practitioner: ItkPractitioner;
}

/** One message to send. */
export interface GpConnectSendRequest {
  readonly product: MeshProduct;
  /** Default `GPCONNECT_SEND_DOCUMENT` / `GPCONNECT_UPDATE_RECORD`. */
  readonly workflowId?: string;
  readonly patient: TracedPatient;
  readonly title: string;
  /** Send Document: the documents, primary first. */
  readonly attachments?: readonly ItkAttachment[];
  /** Update Record: the clinical resources. */
  readonly clinicalResources?: readonly Json[];
  /** Document identifier this one replaces. */
  readonly replaces?: string;
  /** The document's version in the subject (default `1`). */
  readonly version?: string;
  readonly confidential?: boolean;
}

/** A sent message. */
export interface GpConnectSent {
  readonly meshMessageId: string;
  readonly workflowId: string;
  /** The `GPPROVIDER_…` address. */
  readonly address: string;
  readonly subject: string;
  readonly ids: ItkMessageIds;
}

/**
 * Builds and sends the message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startMessagingWorld } from "../../sandbox/practice-mesh/messaging-test-world.ts";
 * import { tracePatient } from "./pds-patient-trace.ts";
 * // gpc-edge's MESH, PDS and the reference practice on free ports (`task start` on 8080…).
 * const world = await startMessagingWorld();
 * try {
 *   const mesh = world.mesh("A11111OT1");
 *   const identity = {
 *     mailboxId: "A11111OT1",
 *     odsCode: "A11111",
 *     organizationName: "A11111 consumer organisation",
 *     practitioner: { family: "Clinician", given: ["Jo"] },
 *   };
 *   const patient = await tracePatient("9690937286", { pdsBaseUrl: world.pdsUrl });
 *   const pdf = new TextEncoder().encode("%PDF-1.7\n");
 *   const sent = await sendGpConnectMessage(mesh, identity, {
 *     product: "send-document",
 *     patient,
 *     title: "Consultation report",
 *     attachments: [{ contentType: "application/pdf", data: pdf, title: "Consultation report" }],
 *   }, { now: () => new Date(), newId: () => crypto.randomUUID() });
 *   assert.equal(sent.address, "GPPROVIDER_9690937286_19420203_SKELLY");
 * } finally {
 *   await world.close();
 * }
 * ```
 */
export async function sendGpConnectMessage(
  mesh: MeshClient,
  identity: SenderIdentity,
  request: GpConnectSendRequest,
  clock: { readonly now: () => Date; readonly newId: () => string },
): Promise<GpConnectSent> {
  const workflowId = request.workflowId ??
    (request.product === "send-document"
      ? meshWorkflowIds.sendDocument
      : meshWorkflowIds.updateRecord);
  const { patient } = request;
  const { bundle, ids } = buildItkMessage({
    product: request.product,
    // Send Document v1 (GPFED_CONSULT_REPORT) has its own message definition.
    ...(workflowId === meshWorkflowIds.consultReport
      ? { messageDefinition: messageDefinitions.sendDocumentV1 }
      : {}),
    senderMailbox: identity.mailboxId,
    sender: { odsCode: identity.odsCode, name: identity.organizationName },
    practitioner: identity.practitioner,
    patient: {
      nhsNumber: patient.nhsNumber,
      family: patient.family,
      given: patient.given,
      birthDate: patient.birthDate,
    },
    title: request.title,
    ...(request.confidential ? { confidentiality: "R" as const } : {}),
    ...(request.attachments ? { attachments: request.attachments } : {}),
    ...(request.clinicalResources ? { clinicalResources: request.clinicalResources } : {}),
    ...(request.replaces ? { replaces: request.replaces } : {}),
    timestamp: clock.now().toISOString(),
    newId: clock.newId,
  });
  const address = buildGpProviderAddress({
    nhsNumber: patient.nhsNumber,
    birthDate: patient.birthDate,
    familyName: patient.family,
  });
  const subject = meshSubject({
    workflowId,
    title: request.title,
    patientName: [...patient.given, patient.family].join(" "),
    nhsNumber: patient.nhsNumber,
    locationName: identity.organizationName,
    odsCode: identity.odsCode,
    version: request.version ?? "1",
    ...(request.confidential ? { confidential: true } : {}),
  });
  const meshMessageId = await mesh.send({
    to: address,
    from: identity.mailboxId,
    workflowId,
    body: JSON.stringify(bundle),
    subject,
    localId: identity.odsCode,
    fileName: `${ids.bundleIdentifier}.json`,
    contentType: "application/fhir+json",
  });
  return { meshMessageId, workflowId, address, subject, ids };
}
