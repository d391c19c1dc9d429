/**
 * Builds the ITK3 message Bundle of a GP Connect Send Document or Update Record (shared/reference/
 * mesh.md §5.5, §5.6; GP Connect Messaging `consultation_report.xml`): a `Bundle` of type
 * `message` whose entries are
 *
 * 1. the `MessageHeader` — the handling extension (`BusAckRequested` and `InfAckRequested` true,
 *    `RecipientType` FA, `MessageDefinition`, `SenderReference`, `LocalExtension`), `event`
 *    ITK007C or ITK014M, `source.endpoint` the sender's mailbox, `sender` the header
 *    Organization, `timestamp`, `focus` the document Bundle — and **no** `destination` or
 *    `receiver` (MESH routes on the patient, GPCM-SD-049);
 * 2. the header `Organization` (the sender's ODS code);
 * 3. the document `Bundle` (type `document`): `Composition` (status final, type, title,
 *    confidentiality, date, subject, author, custodian, one section per attachment or one for the
 *    clinical entries, `relatesTo replaces` for a replacement), the attachments as `Binary`, the
 *    `Patient` (NHS number, official name, birth date — as PDS holds them, GPCM-SD-038/084), the
 *    `Practitioner` and the sending `Organization`; for Update Record also the clinical resources.
 *
 * Every entry has a `urn:uuid:` fullUrl and references use them. The builder makes a well-formed
 * message only; a test that needs a defective one edits the result.
 *
 * @module
 */
import { identifierSystems } from "../identifier-systems.ts";
import type { MeshProduct } from "../mesh/mesh-workflows.ts";
import {
  handlingKeys,
  itkProfiles,
  itkSystems,
  messageDefinitions,
  messageHandlingExtension,
  productEvent,
  recipientTypes,
} from "./itk-definitions.ts";

type Json = Record<string, unknown>;

/** An organisation named in a message: the sender. */
export interface ItkOrganization {
  readonly odsCode: string;
  readonly name: string;
  readonly phone?: string;
}

/** The patient, as PDS holds them. */
export interface ItkPatient {
  readonly nhsNumber: string;
  readonly family: string;
  readonly given: readonly string[];
  /** `yyyy-mm-dd`. */
  readonly birthDate: string;
}

/** The author. */
export interface ItkPractitioner {
  readonly sdsUserId?: string;
  readonly family: string;
  readonly given: readonly string[];
  readonly prefix?: string;
  readonly phone?: string;
}

/** One attachment of a Send Document. */
export interface ItkAttachment {
  readonly contentType: string;
  readonly data: Uint8Array;
  /** The section title. */
  readonly title: string;
}

/** What {@linkcode buildItkMessage} needs. */
export interface ItkMessageInput {
  readonly product: MeshProduct;
  /** Default: Send Document v2's, or Update Record's base URL. */
  readonly messageDefinition?: string;
  /** The sender's MESH mailbox (`MessageHeader.source.endpoint`). */
  readonly senderMailbox: string;
  readonly sender: ItkOrganization;
  readonly practitioner: ItkPractitioner;
  readonly patient: ItkPatient;
  /** `Composition.title`, e.g. "Consultation report". */
  readonly title: string;
  /** `Composition.type` (default SNOMED 371531000 Report of clinical encounter). */
  readonly documentType?: { readonly code: string; readonly display: string };
  /** `N` (default) or `R` (restricted). */
  readonly confidentiality?: "N" | "R";
  /** Send Document: the documents, primary first (at least one). */
  readonly attachments?: readonly ItkAttachment[];
  /** Update Record: the clinical resources (their `subject`/`patient` references are set). */
  readonly clinicalResources?: readonly Json[];
  /** The document identifier (UUID) this document replaces. */
  readonly replaces?: string;
  /** `SenderReference`: the encounter's unique id (default a new UUID). */
  readonly senderReference?: string;
  /** `LocalExtension` (default `None`: v2 deprecates it, and it must not identify the document). */
  readonly localExtension?: string;
  /** `MessageHeader.timestamp` and `Composition.date`, an ISO instant. */
  readonly timestamp: string;
  /** UUID generator. */
  readonly newId: () => string;
}

/** The identifiers a built message carries (the sender prints them and matches responses). */
export interface ItkMessageIds {
  /** `Bundle.identifier.value` of the message. */
  readonly bundleIdentifier: string;
  /** `MessageHeader.id`: what a response's `MessageHeader.response.identifier` names. */
  readonly messageHeaderId: string;
  /** `Composition.identifier.value`: the document's id (the target of a later `replaces`). */
  readonly documentId: string;
  readonly senderReference: string;
}

/** A built message. */
export interface ItkMessage {
  readonly bundle: Json;
  readonly ids: ItkMessageIds;
}

const reportOfClinicalEncounter = { code: "371531000", display: "Report of clinical encounter" };

/**
 * Builds the message.
 *
 * @example
 * ```ts
 * const { bundle, ids } = buildItkMessage({
 *   product: "send-document", senderMailbox: "A11111OT1",
 *   sender: { odsCode: "A11111", name: "A11111 consumer organisation" },
 *   practitioner: { family: "Clinician", given: ["Jo"] },
 *   patient: { nhsNumber: "9690937286", family: "SKELLY", given: ["Horace"], birthDate: "1942-02-03" },
 *   title: "Consultation report",
 *   attachments: [{ contentType: "application/pdf", data: new Uint8Array([37, 80, 68, 70]), title: "Consultation report" }],
 *   timestamp: new Date().toISOString(), newId: () => crypto.randomUUID(),
 * });
 * ```
 */
export function buildItkMessage(input: ItkMessageInput): ItkMessage {
  const id = () => input.newId();
  const [headerId, headerOrgId, documentBundleId, compositionId, patientId, practitionerId] = [
    id(),
    id(),
    id(),
    id(),
    id(),
    id(),
  ];
  const senderOrgId = id();
  const bundleIdentifier = id();
  const senderReference = input.senderReference ?? id();
  const urn = (uuid: string) => `urn:uuid:${uuid}`;
  const entry = (uuid: string, resource: Json) => ({ fullUrl: urn(uuid), resource });

  const attachments = (input.attachments ?? []).map((attachment) => ({ attachment, id: id() }));
  const clinical = (input.clinicalResources ?? []).map((resource) => {
    const uuid = id();
    return { uuid, resource: withPatient({ ...resource, id: uuid }, urn(patientId)) };
  });
  const sections = input.product === "send-document"
    ? attachments.map(({ attachment, id }) => ({
      title: attachment.title,
      entry: [{ reference: urn(id) }],
    }))
    : [{ title: input.title, entry: clinical.map(({ uuid }) => ({ reference: urn(uuid) })) }];

  const composition: Json = {
    resourceType: "Composition",
    id: compositionId,
    meta: { profile: [itkProfiles.composition] },
    identifier: { system: itkSystems.uuidIdentifier, value: compositionId },
    status: "final",
    type: {
      coding: [{ system: itkSystems.snomed, ...(input.documentType ?? reportOfClinicalEncounter) }],
    },
    subject: { reference: urn(patientId) },
    date: input.timestamp,
    author: [{ reference: urn(practitionerId) }],
    title: input.title,
    confidentiality: input.confidentiality ?? "N",
    ...(input.replaces
      ? {
        relatesTo: [{
          code: "replaces",
          targetIdentifier: { system: itkSystems.uuidIdentifier, value: input.replaces },
        }],
      }
      : {}),
    custodian: { reference: urn(senderOrgId) },
    section: sections,
  };

  const documentBundle: Json = {
    resourceType: "Bundle",
    id: documentBundleId,
    meta: { profile: [itkProfiles.documentBundle] },
    identifier: { system: itkSystems.uuidIdentifier, value: documentBundleId },
    type: "document",
    entry: [
      entry(compositionId, composition),
      ...attachments.map(({ attachment, id }) =>
        entry(id, {
          resourceType: "Binary",
          id,
          meta: { profile: [itkProfiles.attachmentBinary] },
          contentType: attachment.contentType,
          content: attachment.data.toBase64(),
        })
      ),
      ...clinical.map(({ uuid, resource }) => entry(uuid, resource)),
      entry(patientId, patientResource(patientId, input.patient)),
      entry(practitionerId, practitionerResource(practitionerId, input.practitioner)),
      entry(senderOrgId, organizationResource(senderOrgId, input.sender)),
    ],
  };

  const header: Json = {
    resourceType: "MessageHeader",
    id: headerId,
    meta: { profile: [itkProfiles.messageHeader] },
    extension: [handlingExtension({
      busAck: true,
      infAck: true,
      messageDefinition: input.messageDefinition ?? defaultDefinition(input.product),
      senderReference,
      localExtension: input.localExtension ?? "None",
    })],
    event: { system: itkSystems.messageEvent, ...productEvent(input.product) },
    sender: { reference: urn(headerOrgId) },
    timestamp: input.timestamp,
    source: { endpoint: input.senderMailbox },
    focus: { reference: urn(documentBundleId) },
  };

  const bundle: Json = {
    resourceType: "Bundle",
    id: id(),
    meta: { profile: [itkProfiles.messageBundle] },
    identifier: { system: itkSystems.uuidIdentifier, value: bundleIdentifier },
    type: "message",
    entry: [
      entry(headerId, header),
      entry(headerOrgId, {
        resourceType: "Organization",
        id: headerOrgId,
        meta: { profile: [itkProfiles.headerOrganization] },
        identifier: [{
          system: identifierSystems.odsOrganizationCode,
          value: input.sender.odsCode,
        }],
        name: input.sender.name,
      }),
      entry(documentBundleId, documentBundle),
    ],
  };
  return {
    bundle,
    ids: {
      bundleIdentifier,
      messageHeaderId: headerId,
      documentId: compositionId,
      senderReference,
    },
  };
}

/** The handling specification of an ITK3 MessageHeader (also a response's, with both flags false). */
export function handlingExtension(options: {
  readonly busAck: boolean;
  readonly infAck: boolean;
  readonly messageDefinition: string;
  readonly senderReference: string;
  readonly localExtension: string;
}): Json {
  return {
    url: messageHandlingExtension,
    extension: [
      { url: handlingKeys.busAckRequested, valueBoolean: options.busAck },
      { url: handlingKeys.infAckRequested, valueBoolean: options.infAck },
      {
        url: handlingKeys.recipientType,
        valueCoding: { system: itkSystems.recipientType, code: "FA", display: recipientTypes.FA },
      },
      {
        url: handlingKeys.messageDefinition,
        valueReference: { reference: options.messageDefinition },
      },
      { url: handlingKeys.senderReference, valueString: options.senderReference },
      { url: handlingKeys.localExtension, valueString: options.localExtension },
    ],
  };
}

function defaultDefinition(product: MeshProduct): string {
  return product === "send-document"
    ? messageDefinitions.sendDocumentV2
    : messageDefinitions.updateRecord;
}

function patientResource(id: string, patient: ItkPatient): Json {
  return {
    resourceType: "Patient",
    id,
    meta: { profile: [itkProfiles.patient] },
    identifier: [{ system: identifierSystems.nhsNumber, value: patient.nhsNumber }],
    name: [{ use: "official", family: patient.family, given: [...patient.given] }],
    birthDate: patient.birthDate,
  };
}

function practitionerResource(id: string, practitioner: ItkPractitioner): Json {
  return {
    resourceType: "Practitioner",
    id,
    meta: { profile: [itkProfiles.practitioner] },
    ...(practitioner.sdsUserId
      ? { identifier: [{ system: identifierSystems.sdsUserId, value: practitioner.sdsUserId }] }
      : {}),
    name: [{
      use: "official",
      family: practitioner.family,
      given: [...practitioner.given],
      ...(practitioner.prefix ? { prefix: [practitioner.prefix] } : {}),
    }],
    ...(practitioner.phone
      ? { telecom: [{ system: "phone", value: practitioner.phone, use: "work" }] }
      : {}),
  };
}

function organizationResource(id: string, organization: ItkOrganization): Json {
  return {
    resourceType: "Organization",
    id,
    meta: { profile: [itkProfiles.organization] },
    identifier: [{ system: identifierSystems.odsOrganizationCode, value: organization.odsCode }],
    name: organization.name,
    ...(organization.phone
      ? { telecom: [{ system: "phone", value: organization.phone, use: "work" }] }
      : {}),
  };
}

/** Points a clinical resource's `subject` and `patient` at the message's Patient. */
function withPatient(resource: Json, patientUrn: string): Json {
  const out: Json = { ...resource };
  for (const key of ["subject", "patient"]) {
    if (key in out) out[key] = { reference: patientUrn };
  }
  return out;
}
