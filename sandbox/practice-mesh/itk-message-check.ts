/**
 * The reference practice's structural check of a received GP Connect message, the part of its
 * infrastructure acknowledgement that needs nothing but the payload (shared/reference/mesh.md
 * §5.5–§5.7; ITK3 response codes). In order, the first failure decides the negative InfAck:
 *
 * | Check | Code |
 * |---|---|
 * | the payload is JSON | 10009 unreadable (answers `UNREADABLE-IN-ORIGINAL-MESSAGE`) |
 * | a `Bundle` of type `message`, first entry a `MessageHeader` with an id | 20006 |
 * | the handling extension is there | 10001 |
 * | `InfAckRequested` / `BusAckRequested` are booleans | 10002 / 10003 |
 * | `MessageDefinition` is the product's (either Send Document version) | 10004 |
 * | `SenderReference` is a non-empty string | 10007 |
 * | `RecipientType` is FA or FI of ITK-RecipientType-1 | 10010 |
 * | both acknowledgements requested (GP Connect requires them) | 10008 |
 * | `event` is the workflow's (ITK007C, ITK014M) | 20006 |
 * | no `destination`, no `receiver` (GPCM-SD-049) | 20006 |
 * | `source.endpoint` is the sending mailbox; `sender` an Organization with an ODS code | 20006 |
 * | `focus` → a `Bundle` of type `document` whose first entry is a final `Composition` | 20009 |
 * | the Composition's subject: a Patient with a valid NHS number, official family name, birth date | 20009 |
 * | Send Document: ≥ 1 section Binary, base64 content, a supported type | 20009 / 20005 |
 * | Update Record: ≥ 1 clinical resource | 20009 |
 *
 * What needs the outside world — the Patient against `mex-To` and PDS, duplicates, the patient
 * register — is checked afterwards by the caller.
 *
 * @module
 */
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import {
  acceptedMessageDefinitions,
  handlingKeys,
  itkSystems,
  messageHandlingExtension,
  productEvent,
} from "../../gpconnect/itk/itk-definitions.ts";
import { unreadableOriginalIdentifier } from "../../gpconnect/itk/itk-response.ts";
import { isJsonObject, type JsonObject } from "../../gpconnect/json-object.ts";
import type { MeshProduct } from "../../gpconnect/mesh/mesh-workflows.ts";
import { nhsNumberProblem } from "../../gpconnect/nhs-number.ts";

/** Attachment media types the practice files (others: 20005 unsupported). */
export const supportedAttachmentTypes: ReadonlySet<string> = new Set([
  "application/pdf",
  "text/plain",
  "text/html",
  "text/rtf",
  "application/rtf",
  "image/jpeg",
  "image/png",
  "image/tiff",
]);

/** The patient a message is about, as the message says. */
export interface MessagePatient {
  readonly nhsNumber: string;
  readonly family: string;
  readonly given: readonly string[];
  readonly birthDate: string;
}

/** One attachment of a Send Document. */
export interface MessageAttachment {
  readonly title: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/** A message that passed the structural check. */
export interface CheckedMessage {
  readonly product: MeshProduct;
  readonly bundleIdentifier: string;
  readonly messageHeaderId: string;
  readonly senderReference: string;
  readonly sender: { readonly odsCode: string; readonly name: string };
  readonly patient: MessagePatient;
  /** The Composition identifier (the document's id). */
  readonly documentIdentifier: string;
  readonly title: string;
  readonly type: { readonly system: string; readonly code: string; readonly display: string };
  readonly date: string;
  /** The document identifier this one replaces (`relatesTo replaces`). */
  readonly replaces: string | undefined;
  /** Send Document: the section attachments, primary first. */
  readonly attachments: readonly MessageAttachment[];
  /** The document Bundle (Update Record files it whole). */
  readonly documentBundle: JsonObject;
}

/** A negative infrastructure acknowledgement to send. */
export interface Rejection {
  readonly code: string;
  readonly diagnostics: string;
  /** The original MessageHeader id, or `UNREADABLE-IN-ORIGINAL-MESSAGE`. */
  readonly messageHeaderId: string;
  readonly senderReference: string;
}

/** The check's outcome. */
export type MessageCheck =
  | { readonly ok: true; readonly message: CheckedMessage }
  | { readonly ok: false; readonly rejection: Rejection };

/** What the check reads besides the payload. */
export interface MessageCheckContext {
  readonly product: MeshProduct;
  /** `mex-From`: the sending mailbox. */
  readonly senderMailbox: string;
}

/**
 * Checks a received payload.
 *
 * @example
 * ```ts
 * const check = checkItkMessage("not json", { product: "send-document", senderMailbox: "A11111OT1" });
 * check.ok; // false (10009)
 * ```
 */
export function checkItkMessage(payload: string, context: MessageCheckContext): MessageCheck {
  let headerId = unreadableOriginalIdentifier;
  let senderReference = "None";
  const reject = (code: string, diagnostics: string): MessageCheck => ({
    ok: false,
    rejection: { code, diagnostics, messageHeaderId: headerId, senderReference },
  });

  let bundle: unknown;
  try {
    bundle = JSON.parse(payload);
  } catch {
    return reject("10009", "The message is not readable: the payload is not JSON");
  }
  if (!isJsonObject(bundle) || bundle.resourceType !== "Bundle" || bundle.type !== "message") {
    return reject("20006", "The payload is not a FHIR Bundle of type message");
  }
  const entries = list(bundle.entry);
  const resolve = (reference: unknown) => resolveReference(entries, reference);
  const header = isJsonObject(entries[0]?.resource) ? entries[0].resource : undefined;
  if (header?.resourceType !== "MessageHeader" || typeof header.id !== "string") {
    return reject("20006", "The Bundle's first entry is not a MessageHeader with an id");
  }
  headerId = header.id;
  const identifier = isJsonObject(bundle.identifier) ? bundle.identifier.value : undefined;
  if (typeof identifier !== "string" || identifier === "") {
    return reject("20006", "The message Bundle has no identifier");
  }

  const handling = list(header.extension).find((e) => e.url === messageHandlingExtension);
  if (!handling) return reject("10001", "The MessageHeader has no handling specification");
  const key = (name: string) => list(handling.extension).find((e) => e.url === name);
  const reference = key(handlingKeys.senderReference)?.valueString;
  if (typeof reference === "string" && reference.trim() !== "") senderReference = reference;
  const infAck = key(handlingKeys.infAckRequested)?.valueBoolean;
  if (typeof infAck !== "boolean") return reject("10002", "InfAckRequested is not a boolean");
  const busAck = key(handlingKeys.busAckRequested)?.valueBoolean;
  if (typeof busAck !== "boolean") return reject("10003", "BusAckRequested is not a boolean");
  const definitionRef = key(handlingKeys.messageDefinition)?.valueReference;
  const definition = isJsonObject(definitionRef) ? definitionRef.reference : undefined;
  if (
    typeof definition !== "string" ||
    !acceptedMessageDefinitions(context.product).includes(definition)
  ) {
    return reject(
      "10004",
      `MessageDefinition ${JSON.stringify(definition)} is not one of ${context.product}'s`,
    );
  }
  if (typeof reference !== "string" || reference.trim() === "") {
    return reject("10007", "SenderReference is missing or empty");
  }
  const recipientType = key(handlingKeys.recipientType)?.valueCoding;
  if (
    !isJsonObject(recipientType) || recipientType.system !== itkSystems.recipientType ||
    (recipientType.code !== "FA" && recipientType.code !== "FI")
  ) {
    return reject("10010", "RecipientType is not FA or FI of ITK-RecipientType-1");
  }
  if (!infAck || !busAck) {
    return reject("10008", "GP Connect messages must request both InfAck and BusAck");
  }

  const event = isJsonObject(header.event) ? header.event : {};
  const expected = productEvent(context.product);
  if (event.system !== itkSystems.messageEvent || event.code !== expected.code) {
    return reject(
      "20006",
      `MessageHeader.event is ${JSON.stringify(event.code)}, expected ${expected.code}`,
    );
  }
  if (header.destination !== undefined || header.receiver !== undefined) {
    return reject(
      "20006",
      "MessageHeader must not have a destination or receiver: MESH routes on the patient",
    );
  }
  const source = isJsonObject(header.source) ? header.source.endpoint : undefined;
  if (typeof source !== "string" || source.toUpperCase() !== context.senderMailbox.toUpperCase()) {
    return reject("20006", "MessageHeader.source.endpoint is not the sending mailbox");
  }
  const senderOrg = resolve(isJsonObject(header.sender) ? header.sender.reference : undefined);
  const senderOds = odsCodeOf(senderOrg);
  if (senderOrg?.resourceType !== "Organization" || !senderOds) {
    return reject("20006", "MessageHeader.sender is not an Organization with an ODS code");
  }

  const document = resolve(isJsonObject(header.focus) ? header.focus.reference : undefined);
  if (document?.resourceType !== "Bundle" || document.type !== "document") {
    return reject("20009", "MessageHeader.focus is not a Bundle of type document");
  }
  const docEntries = list(document.entry);
  const docResolve = (ref: unknown) => resolveReference(docEntries, ref);
  const composition = isJsonObject(docEntries[0]?.resource) ? docEntries[0].resource : undefined;
  if (composition?.resourceType !== "Composition" || composition.status !== "final") {
    return reject("20009", "The document's first entry is not a final Composition");
  }
  const patient = readPatient(
    docResolve(isJsonObject(composition.subject) ? composition.subject.reference : undefined),
  );
  if (typeof patient === "string") return reject("20009", patient);
  const custodian = docResolve(
    isJsonObject(composition.custodian) ? composition.custodian.reference : undefined,
  );
  const typeCoding = list(isJsonObject(composition.type) ? composition.type.coding : undefined)[0];
  const sections = list(composition.section);
  const sectionResources = sections.flatMap((section) =>
    list(section.entry).map((e) => ({ section, resource: docResolve(e.reference) }))
  );

  const attachments: MessageAttachment[] = [];
  if (context.product === "send-document") {
    for (const { section, resource } of sectionResources) {
      if (resource?.resourceType !== "Binary") continue;
      const contentType = String(resource.contentType ?? "");
      if (!supportedAttachmentTypes.has(contentType.toLowerCase())) {
        return reject("20005", `Attachments of type ${JSON.stringify(contentType)} are not filed`);
      }
      let bytes: Uint8Array;
      try {
        bytes = Uint8Array.fromBase64(String(resource.content ?? ""));
      } catch {
        return reject("20009", "A Binary's content is not base64");
      }
      const title = typeof section.title === "string" ? section.title : String(composition.title);
      attachments.push({ title, contentType, bytes });
    }
    if (attachments.length === 0) {
      return reject("20009", "The Composition's sections hold no Binary attachment");
    }
  } else {
    const clinical = sectionResources.filter(({ resource }) =>
      resource !== undefined &&
      !["Composition", "Patient", "Practitioner", "Organization"].includes(
        String(resource.resourceType),
      )
    );
    if (clinical.length === 0) {
      return reject("20009", "The Composition's sections hold no clinical resource");
    }
  }

  const relatesTo = list(composition.relatesTo).find((r) => r.code === "replaces");
  const target = isJsonObject(relatesTo?.targetIdentifier) ? relatesTo.targetIdentifier.value : "";
  const compositionIdentifier = isJsonObject(composition.identifier)
    ? composition.identifier.value
    : undefined;
  return {
    ok: true,
    message: {
      product: context.product,
      bundleIdentifier: identifier,
      messageHeaderId: headerId,
      senderReference,
      sender: {
        odsCode: senderOds,
        name: typeof custodian?.name === "string"
          ? custodian.name
          : typeof senderOrg.name === "string"
          ? senderOrg.name
          : senderOds,
      },
      patient,
      documentIdentifier: typeof compositionIdentifier === "string"
        ? compositionIdentifier
        : String(composition.id ?? identifier),
      title: typeof composition.title === "string" ? composition.title : "Document",
      type: {
        system: String(typeCoding?.system ?? itkSystems.snomed),
        code: String(typeCoding?.code ?? "371531000"),
        display: String(typeCoding?.display ?? "Report of clinical encounter"),
      },
      date: typeof composition.date === "string" ? composition.date : "",
      replaces: typeof target === "string" && target !== "" ? target : undefined,
      attachments,
      documentBundle: document,
    },
  };
}

function list(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** The resource an entry's `fullUrl` (or `Type/id`) names. */
function resolveReference(entries: JsonObject[], reference: unknown): JsonObject | undefined {
  if (typeof reference !== "string") return undefined;
  for (const entry of entries) {
    const resource = isJsonObject(entry.resource) ? entry.resource : undefined;
    if (!resource) continue;
    if (entry.fullUrl === reference) return resource;
    if (reference === `${String(resource.resourceType)}/${String(resource.id)}`) return resource;
  }
  return undefined;
}

function odsCodeOf(organization: JsonObject | undefined): string | undefined {
  const id = list(organization?.identifier).find((i) =>
    i.system === identifierSystems.odsOrganizationCode
  );
  return typeof id?.value === "string" && id.value !== "" ? id.value : undefined;
}

/** The Patient's NHS number, official name and birth date, or what is wrong. */
function readPatient(patient: JsonObject | undefined): MessagePatient | string {
  if (patient?.resourceType !== "Patient") return "The Composition's subject is not a Patient";
  const nhs = list(patient.identifier).find((i) => i.system === identifierSystems.nhsNumber);
  const nhsNumber = typeof nhs?.value === "string" ? nhs.value : "";
  const problem = nhsNumberProblem(nhsNumber);
  if (problem) return `The Patient's NHS number is not valid (${problem})`;
  const names = list(patient.name);
  const name = names.find((n) => n.use === "official") ?? names[0];
  if (typeof name?.family !== "string" || name.family.trim() === "") {
    return "The Patient has no official family name";
  }
  const birthDate = patient.birthDate;
  if (typeof birthDate !== "string" || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(birthDate)) {
    return "The Patient has no full birth date";
  }
  return {
    nhsNumber,
    family: name.family,
    given: Array.isArray(name.given) ? name.given.map(String) : [],
    birthDate,
  };
}
