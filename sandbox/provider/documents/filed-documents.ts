/**
 * Documents the practice filed from GP Connect messages (Send Document attachments, Update Record
 * payloads; sandbox/practice-mesh/), kept in the provider's store so Access Document finds and
 * retrieves them beside the fixture documents, and so they survive restarts.
 *
 * Key schema (Deno KV values are limited to 64 KiB, so the bytes are split):
 * - `provider:{ods}:filed-document:{id}` → {@linkcode FiledDocumentRecord};
 * - `provider:{ods}:filed-document-content:{id}:{n}` → base64 of bytes `n·36 KiB …`, n = 000000…;
 * - `provider:{ods}:filed-document-identifier:{documentIdentifier}` → the id (duplicates and
 *   `relatesTo replaces`).
 *
 * Filing writes the content first and the record last, under ids the caller derives from the MESH
 * message: filing the same message again rewrites the same keys, so a redelivered message is filed
 * once. A replaced document keeps its record with `supersededBy` and leaves the searches.
 *
 * @module
 */
import type { ProviderStore } from "../provider-store.ts";
import type { PracticeOrganization } from "../practice/practice-data.ts";
import type { ClinicalCode } from "../clinical/clinical-record-types.ts";
import type { DocumentContent } from "./document-content.ts";
import type { PatientDocument } from "./patient-documents.ts";

/** A filed document, as stored. */
export interface FiledDocumentRecord {
  /** DocumentReference id. */
  readonly id: string;
  /** Binary id. */
  readonly binaryId: string;
  readonly nhsNumber: string;
  readonly type: ClinicalCode;
  /** The title. */
  readonly description: string;
  readonly contentType: string;
  /** When the document was made (the Composition's date). */
  readonly created: string;
  /** When the practice filed it. */
  readonly indexed: string;
  /** The sending organisation. */
  readonly author: { readonly odsCode: string; readonly name: string };
  readonly size: number;
  /** Number of content keys. */
  readonly parts: number;
  /** The document's identifier in the message (the Composition identifier). */
  readonly documentIdentifier: string;
  /** The MESH message it came in. */
  readonly meshMessageId: string;
  /** Id of the document that replaced this one. */
  readonly supersededBy?: string;
}

/** Bytes per content key: 36 KiB, whose base64 (48 KiB) fits a Deno KV value. */
export const filedContentPartBytes = 36 * 1024;

/** The filed documents of one practice. */
export interface FiledDocuments {
  /** Stores a document: its bytes, then its record and identifier index. */
  file(record: Omit<FiledDocumentRecord, "size" | "parts">, bytes: Uint8Array): Promise<void>;
  /** The record with this id. */
  get(id: string): Promise<FiledDocumentRecord | undefined>;
  /** The record filed under a document identifier. */
  byIdentifier(documentIdentifier: string): Promise<FiledDocumentRecord | undefined>;
  /** Marks a record replaced by `replacementId`. */
  supersede(id: string, replacementId: string): Promise<void>;
  /** The current (not superseded) documents of a patient, as Access Document serves them. */
  forPatient(nhsNumber: string): Promise<PatientDocument[]>;
  /** The document behind a Binary id, with its bytes (superseded ones included). */
  byBinaryId(binaryId: string): Promise<PatientDocument | undefined>;
  /** Every record, superseded ones included. */
  all(): Promise<FiledDocumentRecord[]>;
}

/**
 * The filed documents of practice `odsCode` in `store`.
 *
 * @example
 * ```ts
 * import { inMemoryProviderStore } from "../provider-store.ts";
 * const filed = filedDocuments(inMemoryProviderStore(), "B82617");
 * await filed.forPatient("9690937286"); // []
 * ```
 */
export function filedDocuments(store: ProviderStore, odsCode: string): FiledDocuments {
  const root = `provider:${odsCode}:`;
  const recordKey = (id: string) => `${root}filed-document:${id}`;
  const partKey = (id: string, n: number) =>
    `${root}filed-document-content:${id}:${String(n).padStart(6, "0")}`;
  const identifierKey = (identifier: string) => `${root}filed-document-identifier:${identifier}`;
  const all = async () =>
    (await store.list<FiledDocumentRecord>(`${root}filed-document:`)).map((entry) => entry.value);

  const readBytes = async (record: FiledDocumentRecord) => {
    const bytes = new Uint8Array(record.size);
    let offset = 0;
    for (let n = 0; n < record.parts; n++) {
      const part = await store.get<string>(partKey(record.id, n));
      if (part === undefined) throw new Error(`filed document ${record.id} lacks part ${n}`);
      const decoded = Uint8Array.fromBase64(part);
      bytes.set(decoded, offset);
      offset += decoded.length;
    }
    return bytes;
  };

  return {
    async file(record, bytes) {
      const parts = Math.max(1, Math.ceil(bytes.length / filedContentPartBytes));
      for (let n = 0; n < parts; n++) {
        const slice = bytes.subarray(n * filedContentPartBytes, (n + 1) * filedContentPartBytes);
        await store.set(partKey(record.id, n), slice.toBase64());
      }
      const previous = await store.get<FiledDocumentRecord>(recordKey(record.id));
      await store.set(recordKey(record.id), {
        ...record,
        ...(previous?.supersededBy ? { supersededBy: previous.supersededBy } : {}),
        size: bytes.length,
        parts,
      });
      await store.set(identifierKey(record.documentIdentifier), record.id);
    },
    get: (id) => store.get<FiledDocumentRecord>(recordKey(id)),
    async byIdentifier(identifier) {
      const id = await store.get<string>(identifierKey(identifier));
      return id === undefined ? undefined : await store.get<FiledDocumentRecord>(recordKey(id));
    },
    async supersede(id, replacementId) {
      const record = await store.get<FiledDocumentRecord>(recordKey(id));
      if (record) await store.set(recordKey(id), { ...record, supersededBy: replacementId });
    },
    async forPatient(nhsNumber) {
      return (await all())
        .filter((record) => record.nhsNumber === nhsNumber && !record.supersededBy)
        .map((record) => patientDocument(record, sizeOnly(record.size)));
    },
    async byBinaryId(binaryId) {
      const record = (await all()).find((candidate) => candidate.binaryId === binaryId);
      if (!record) return undefined;
      const bytes = await readBytes(record);
      return patientDocument(record, {
        size: bytes.length,
        bytes: (offset, length) => bytes.subarray(offset, offset + length),
      });
    },
    all,
  };
}

/** The organisation resource data of a document's sender (not one of the practice's). */
export function senderOrganization(author: FiledDocumentRecord["author"]): PracticeOrganization {
  return {
    id: `sender-${author.odsCode.toLowerCase().replace(/[^a-z0-9]/g, "")}`,
    odsCode: author.odsCode,
    name: author.name,
    type: "other",
    phone: "",
    address: [],
    postcode: "",
    versionId: "1",
  };
}

function patientDocument(record: FiledDocumentRecord, content: DocumentContent): PatientDocument {
  return {
    id: record.id,
    binaryId: record.binaryId,
    versionId: "1",
    nhsNumber: record.nhsNumber,
    type: record.type,
    description: record.description,
    contentType: record.contentType,
    created: record.created,
    indexed: record.indexed,
    author: {
      kind: "Organization",
      odsCode: record.author.odsCode,
      organization: senderOrganization(record.author),
    },
    content,
  };
}

/**
 * The content of a document listed by a search: its size only. A search never reads the bytes
 * (it lists the size and the Binary URL); retrieval loads them ({@linkcode FiledDocuments.byBinaryId}).
 */
function sizeOnly(size: number): DocumentContent {
  return {
    size,
    bytes: () => {
      throw new Error("a filed document's bytes are read by Binary retrieval, not by a search");
    },
  };
}
