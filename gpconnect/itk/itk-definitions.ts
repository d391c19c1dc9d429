/**
 * The ITK3 vocabulary GP Connect messaging uses (shared/reference/mesh.md §5.5–§5.7): profiles,
 * the handling-specification extension, message events, message definitions, recipient types and
 * the ITK3 response codes (`specs/itk-response-codes.json`). Data only: builders and readers use
 * it, judgements live with whoever judges (the practice, the harness).
 *
 * @module
 */
import responseCodesDoc from "../../specs/itk-response-codes.json" with { type: "json" };
import type { MeshProduct } from "../mesh/mesh-workflows.ts";

const stu3 = "https://fhir.nhs.uk/STU3";
const careConnect = "https://fhir.hl7.org.uk/STU3/StructureDefinition";

/** Profiles of the resources of an ITK3 message and response. */
export const itkProfiles = {
  messageBundle: `${stu3}/StructureDefinition/ITK-Message-Bundle-1`,
  messageHeader: `${stu3}/StructureDefinition/ITK-MessageHeader-2`,
  headerOrganization: `${stu3}/StructureDefinition/CareConnect-ITK-Header-Organization-1`,
  documentBundle: `${stu3}/StructureDefinition/ITK-Document-Bundle-1`,
  attachmentBinary: `${stu3}/StructureDefinition/ITK-Attachment-Binary-1`,
  composition: `${careConnect}/CareConnect-Composition-1`,
  patient: `${careConnect}/CareConnect-Patient-1`,
  practitioner: `${careConnect}/CareConnect-Practitioner-1`,
  organization: `${careConnect}/CareConnect-Organization-1`,
  operationOutcome: `${careConnect}/CareConnect-OperationOutcome-1`,
} as const;

/** Systems of identifiers and codings in ITK3 messages. */
export const itkSystems = {
  /** `Bundle.identifier` and Composition identifiers (UUIDs). */
  uuidIdentifier: "https://tools.ietf.org/html/rfc4122",
  messageEvent: `${stu3}/CodeSystem/ITK-MessageEvent-2`,
  recipientType: `${stu3}/CodeSystem/ITK-RecipientType-1`,
  responseCodes: responseCodesDoc.codeSystem,
  snomed: "http://snomed.info/sct",
} as const;

/** URL of the handling-specification extension on `MessageHeader`. */
export const messageHandlingExtension =
  `${stu3}/StructureDefinition/Extension-ITK-MessageHandling-2`;

/** The sub-extensions of the handling specification, by `url`. */
export const handlingKeys = {
  busAckRequested: "BusAckRequested",
  infAckRequested: "InfAckRequested",
  recipientType: "RecipientType",
  messageDefinition: "MessageDefinition",
  senderReference: "SenderReference",
  localExtension: "LocalExtension",
} as const;

/** A `MessageHeader.event` coding. */
export interface ItkEvent {
  readonly code: string;
  readonly display: string;
}

/** The events: Send Document (ITK007C), Update Record (ITK014M) and their responses (ITK008M). */
export const itkEvents = {
  sendDocument: { code: "ITK007C", display: "ITK GP Connect Send Document" },
  updateRecord: { code: "ITK014M", display: "ITK Update Record" },
  response: { code: "ITK008M", display: "ITK Response" },
} as const satisfies Record<string, ItkEvent>;

/** The business event of a product. */
export function productEvent(product: MeshProduct): ItkEvent {
  return product === "send-document" ? itkEvents.sendDocument : itkEvents.updateRecord;
}

/** Message definitions (the handling specification's `MessageDefinition` reference). */
export const messageDefinitions = {
  /** Send Document v1 (GP Connect Messaging 1.x, `GPFED_CONSULT_REPORT`). */
  sendDocumentV1: `${stu3}/MessageDefinition/ITK-GPConnectSendDocument-MessageDefinition-1`,
  /** Send Document v2 (SCAL 1.5.1, `GPCONNECT_SEND_DOCUMENT`). */
  sendDocumentV2:
    `${stu3}/MessageDefinition/ITK-GPConnectSendDocument-MessageDefinition-Instance-1`,
  /** Update Record has no specific definition: the base URL (IOPS UR). */
  updateRecord: "https://fhir.nhs.uk/MessageDefinition",
  /** ITK3 responses (ITK3 Messaging Distribution, "Message Definitions"). */
  response: `${stu3}/MessageDefinition/ITK-Response-MessageDefinition-Instance-1`,
} as const;

/** The message definitions a receiver accepts for a product (both Send Document versions). */
export function acceptedMessageDefinitions(product: MeshProduct): readonly string[] {
  return product === "send-document"
    ? [messageDefinitions.sendDocumentV2, messageDefinitions.sendDocumentV1]
    : [messageDefinitions.updateRecord];
}

/** `RecipientType` codes: for action, for information. */
export const recipientTypes = {
  FA: "For Action",
  FI: "For Information",
} as const;

/** Whether a response code travels in the InfAck or the BusAck. */
export type ItkResponseLevel = "infrastructure" | "business";

/** One ITK3 response code. */
export interface ItkResponseCode {
  readonly code: string;
  readonly display: string;
  readonly level: ItkResponseLevel;
  /** Positive codes: 20013, 30001. Every other code is fatal. */
  readonly positive: boolean;
  /** The FHIR IssueType of `OperationOutcome.issue.code`. */
  readonly issueType: string;
}

/** Every ITK3 response code, by code. */
export const itkResponseCodes: ReadonlyMap<string, ItkResponseCode> = new Map(
  (responseCodesDoc.codes as ItkResponseCode[]).map((entry) => [entry.code, entry]),
);

/**
 * The response code `code`; throws `RangeError` for a code ITK3 does not define.
 *
 * @example
 * ```ts
 * itkResponseCode("30002").display; // "Patient not known here"
 * ```
 */
export function itkResponseCode(code: string): ItkResponseCode {
  const found = itkResponseCodes.get(code);
  if (!found) throw new RangeError(`${JSON.stringify(code)} is not an ITK3 response code`);
  return found;
}
