/**
 * Files a message for a patient known here into the practice's record, where Access Document
 * finds it (sandbox/provider/documents/filed-documents.ts):
 *
 * - **Send Document**: each section attachment becomes a DocumentReference + Binary with the
 *   bytes exactly as sent, typed by the Composition (`type`), described by its title (a second
 *   attachment by "title: section title"), created at the Composition's date, authored by the
 *   sending organisation;
 * - **Update Record**: the payload is recorded as received and listed the same way — one document
 *   of type `application/fhir+json` holding the document Bundle, described by the Composition's
 *   title (specs/decisions.md I5).
 *
 * A replacement (`relatesTo replaces`) supersedes the document it names, which leaves the searches.
 * Document ids derive from the MESH message id, so filing a message again rewrites the same
 * documents: a message redelivered after a crash is filed once.
 *
 * @module
 */
import type { FiledDocuments } from "../provider/documents/filed-documents.ts";
import type { CheckedMessage } from "./itk-message-check.ts";

/** One document to file. */
interface DocumentToFile {
  readonly description: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly documentIdentifier: string;
}

/**
 * The ids of the documents a message files (stable for a MESH message id), in filing order.
 *
 * @example
 * ```ts
 * filedDocumentIds("20250101120000000000_ABCDEF", 1); // ["msg-20250101120000000000-abcdef-1"]
 * ```
 */
export function filedDocumentIds(meshMessageId: string, count: number): string[] {
  const stem = meshMessageId.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return Array.from({ length: count }, (_, n) => `msg-${stem}-${n + 1}`);
}

/** How many documents a checked message files. */
export function documentCount(message: CheckedMessage): number {
  return message.product === "send-document" ? message.attachments.length : 1;
}

/**
 * Files the message's documents under `documentIds` and supersedes what it replaces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildItkMessage } from "../../gpconnect/itk/itk-message.ts";
 * import { filedDocuments } from "../provider/documents/filed-documents.ts";
 * import { inMemoryProviderStore } from "../provider/provider-store.ts";
 * import { checkItkMessage } from "./itk-message-check.ts";
 * const { bundle } = buildItkMessage({
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
 *     data: new TextEncoder().encode("%PDF-1.7\n"),
 *     title: "Consultation report",
 *   }],
 *   timestamp: new Date().toISOString(),
 *   newId: () => crypto.randomUUID(),
 * });
 * const check = checkItkMessage(JSON.stringify(bundle), {
 *   product: "send-document",
 *   senderMailbox: "A11111OT1",
 * });
 * assert.ok(check.ok);
 * const filed = filedDocuments(inMemoryProviderStore(), "B82617");
 * await fileMessage(check.message, {
 *   meshMessageId: "20261205090000000000_ABCDEF",
 *   documentIds: ["filed-1"],
 *   filed,
 *   indexed: new Date().toISOString(),
 * });
 * assert.equal((await filed.forPatient("9690937286")).length, 1);
 * ```
 */
export async function fileMessage(
  message: CheckedMessage,
  options: {
    readonly meshMessageId: string;
    readonly documentIds: readonly string[];
    readonly filed: FiledDocuments;
    /** When the practice files it (ISO instant). */
    readonly indexed: string;
  },
): Promise<void> {
  const documents = documentsOf(message);
  for (const [n, document] of documents.entries()) {
    const id = options.documentIds[n];
    if (id === undefined) throw new RangeError(`no document id for document ${n + 1}`);
    await options.filed.file({
      id,
      binaryId: `${id}-content`,
      nhsNumber: message.patient.nhsNumber,
      type: message.type,
      description: document.description,
      contentType: document.contentType,
      created: message.date || options.indexed,
      indexed: options.indexed,
      author: message.sender,
      documentIdentifier: document.documentIdentifier,
      meshMessageId: options.meshMessageId,
    }, document.bytes);
  }
  if (message.replaces !== undefined) {
    const replaced = await options.filed.byIdentifier(message.replaces);
    const replacement = options.documentIds[0];
    if (replaced && replacement !== undefined && replaced.id !== replacement) {
      await options.filed.supersede(replaced.id, replacement);
    }
  }
}

function documentsOf(message: CheckedMessage): DocumentToFile[] {
  if (message.product === "update-record") {
    return [{
      description: message.title,
      contentType: "application/fhir+json",
      bytes: new TextEncoder().encode(JSON.stringify(message.documentBundle)),
      documentIdentifier: message.documentIdentifier,
    }];
  }
  return message.attachments.map((attachment, n) => ({
    description: n === 0 || attachment.title === message.title
      ? message.title
      : `${message.title}: ${attachment.title}`,
    contentType: attachment.contentType,
    bytes: attachment.bytes,
    documentIdentifier: n === 0
      ? message.documentIdentifier
      : `${message.documentIdentifier}#${n + 1}`,
  }));
}
