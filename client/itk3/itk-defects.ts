/**
 * An ITK3 GP Connect message with exactly one defect, for testing a receiver's negative
 * acknowledgements (shared/reference/mesh.md §5.5–§5.7; ITK3 response codes 100xx/200xx): the
 * well-formed message comes from `gpconnect/itk/itk-message.ts` and one rule is broken in a copy
 * of it. A request builder only — which acknowledgement a defect deserves is the judge's.
 *
 * @module
 */
import {
  handlingKeys,
  itkEvents,
  messageHandlingExtension,
} from "../../gpconnect/itk/itk-definitions.ts";
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import type { ItkMessage, ItkPatient } from "../../gpconnect/itk/itk-message.ts";

/** The defects, each breaking one rule. */
export const itkDefects = [
  "none",
  /** The payload is not JSON at all. */
  "unparseable",
  /** `Bundle.type` is `collection`, not `message`. */
  "bundle-not-message",
  /** `MessageHeader.event` is the other product's event. */
  "wrong-event",
  /** `MessageHeader.destination` is present (MESH routes on the patient, GPCM-SD-049). */
  "destination-present",
  /** The handling specification has no `InfAckRequested`. */
  "inf-ack-flag-missing",
  /** The handling specification has no `BusAckRequested`. */
  "bus-ack-flag-missing",
  /** `InfAckRequested` is false, which GP Connect forbids (a business rule of the payload). */
  "inf-ack-not-requested",
  /** `MessageDefinition` names a definition no receiver knows. */
  "message-definition-unknown",
  /** The handling specification has no `SenderReference`. */
  "sender-reference-missing",
  /** `RecipientType` is a code outside ITK-RecipientType-1. */
  "recipient-type-invalid",
  /** The document's Patient is another patient than the one the message is addressed for. */
  "patient-differs-from-address",
  /** The document's Composition is not `final`. */
  "payload-invalid",
  /** A Binary attachment of a type GP systems do not file (an executable). */
  "attachment-type-unsupported",
] as const;

/** One defect. */
export type ItkDefect = typeof itkDefects[number];

type Json = Record<string, unknown>;

/** What some defects need. */
export interface DefectOptions {
  /** `patient-differs-from-address`: the patient the payload is wrongly about. */
  readonly otherPatient?: ItkPatient;
  /** `destination-present`: the mailbox named as destination. */
  readonly destinationMailbox?: string;
}

const entries = (bundle: Json): Json[] =>
  ((bundle.entry as Array<{ resource?: Json }> | undefined) ?? []).flatMap((e) =>
    e.resource ? [e.resource] : []
  );

function messageHeader(bundle: Json): Json {
  const header = entries(bundle).find((r) => r.resourceType === "MessageHeader");
  if (!header) throw new Error("the message has no MessageHeader");
  return header;
}

function documentBundle(bundle: Json): Json {
  const document = entries(bundle).find((r) => r.resourceType === "Bundle");
  if (!document) throw new Error("the message has no document Bundle");
  return document;
}

function handling(bundle: Json): Json[] {
  const extension = (messageHeader(bundle).extension as Json[] | undefined)?.find((e) =>
    e.url === messageHandlingExtension
  );
  if (!extension) throw new Error("the MessageHeader has no handling specification");
  return extension.extension as Json[];
}

function dropHandling(bundle: Json, key: string): void {
  const list = handling(bundle);
  const at = list.findIndex((e) => e.url === key);
  if (at >= 0) list.splice(at, 1);
}

function setHandling(bundle: Json, key: string, value: Json): void {
  const item = handling(bundle).find((e) => e.url === key);
  if (!item) throw new Error(`no ${key} in the handling specification`);
  for (const name of Object.keys(item)) if (name.startsWith("value")) delete item[name];
  Object.assign(item, value);
}

/**
 * The message's payload text with `defect` applied (the message itself is not changed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildItkMessage } from "../../gpconnect/itk/itk-message.ts";
 * const message = buildItkMessage({
 *   product: "send-document",
 *   senderMailbox: "A11111OT1",
 *   sender: { odsCode: "A11111", name: "A11111 consumer organisation" },
 *   practitioner: { family: "Clinician", given: ["Jo"] },
 *   patient: {
 *     nhsNumber: "9690937286",
 *     family: "SKELLY",
 *     given: ["Horace"],
 *     birthDate: "1942-02-03",
 *   },
 *   title: "Consultation report",
 *   attachments: [{
 *     contentType: "application/pdf",
 *     data: new Uint8Array([37, 80, 68, 70]),
 *     title: "Consultation report",
 *   }],
 *   timestamp: new Date().toISOString(),
 *   newId: () => crypto.randomUUID(),
 * });
 * const payload = itkPayloadWithDefect(message, "wrong-event");
 * assert.notEqual(payload, JSON.stringify(message.bundle)); // a changed copy of the payload
 * ```
 */
export function itkPayloadWithDefect(
  message: ItkMessage,
  defect: ItkDefect,
  options: DefectOptions = {},
): string {
  const bundle = structuredClone(message.bundle) as Json;
  switch (defect) {
    case "none":
      break;
    case "unparseable": {
      const text = JSON.stringify(bundle);
      return `${text.slice(0, Math.floor(text.length / 2))}<<not JSON>>`;
    }
    case "bundle-not-message":
      bundle.type = "collection";
      break;
    case "wrong-event": {
      const event = messageHeader(bundle).event as Json;
      const other = event.code === itkEvents.sendDocument.code
        ? itkEvents.updateRecord
        : itkEvents.sendDocument;
      Object.assign(event, other);
      break;
    }
    case "destination-present":
      messageHeader(bundle).destination = [{
        name: "GP practice",
        endpoint: options.destinationMailbox ?? "B82617OT1",
      }];
      break;
    case "inf-ack-flag-missing":
      dropHandling(bundle, handlingKeys.infAckRequested);
      break;
    case "bus-ack-flag-missing":
      dropHandling(bundle, handlingKeys.busAckRequested);
      break;
    case "inf-ack-not-requested":
      setHandling(bundle, handlingKeys.infAckRequested, { valueBoolean: false });
      break;
    case "message-definition-unknown":
      setHandling(bundle, handlingKeys.messageDefinition, {
        valueReference: {
          reference: "https://fhir.nhs.uk/STU3/MessageDefinition/ITK-Unknown-MessageDefinition-1",
        },
      });
      break;
    case "sender-reference-missing":
      dropHandling(bundle, handlingKeys.senderReference);
      break;
    case "recipient-type-invalid":
      setHandling(bundle, handlingKeys.recipientType, {
        valueCoding: {
          system: "https://fhir.nhs.uk/STU3/CodeSystem/ITK-RecipientType-1",
          code: "XX",
        },
      });
      break;
    case "patient-differs-from-address": {
      const other = options.otherPatient;
      if (!other) throw new Error("patient-differs-from-address needs otherPatient");
      const patient = entries(documentBundle(bundle)).find((r) => r.resourceType === "Patient");
      if (!patient) throw new Error("the document has no Patient");
      patient.identifier = [{ system: identifierSystems.nhsNumber, value: other.nhsNumber }];
      patient.name = [{ use: "official", family: other.family, given: [...other.given] }];
      patient.birthDate = other.birthDate;
      break;
    }
    case "payload-invalid": {
      const composition = entries(documentBundle(bundle)).find((r) =>
        r.resourceType === "Composition"
      );
      if (!composition) throw new Error("the document has no Composition");
      composition.status = "preliminary";
      break;
    }
    case "attachment-type-unsupported": {
      const binary = entries(documentBundle(bundle)).find((r) => r.resourceType === "Binary");
      if (!binary) throw new Error("attachment-type-unsupported needs a Send Document");
      binary.contentType = "application/x-msdownload";
      break;
    }
  }
  return JSON.stringify(bundle);
}
