/**
 * The `mex-*` headers of a send (mesh.md §3.1, §9), read case-insensitively and validated the
 * way MESH does: control characters or a URL in an address → 400 code 06; over-long values → 400;
 * missing `mex-To`/`mex-WorkflowID` → 400, empty `mex-To` → 400 code 08; a content encoding other
 * than gzip → 422; a first chunk other than `1:N` → 417; a checksum outside MESH's character set
 * → 400.
 *
 * @module
 */
import { type ChunkRange, parseChunkRange } from "./chunk-range.ts";
import type { MessageMetadata } from "./message-record.ts";
import { MeshError } from "./mesh-errors.ts";
import { headerPairs } from "../../gpconnect/header-pairs.ts";

/** The longest value MESH accepts for each header it defines (mesh.md §3.1). */
export const mexHeaderMaxLengths: Readonly<Record<string, number>> = {
  "mex-to": 100,
  "mex-workflowid": 300,
  "mex-chunk-range": 20,
  "mex-subject": 500,
  "mex-localid": 300,
  "mex-partnerid": 500,
  "mex-filename": 300,
  "mex-content-checksum": 100,
  "mex-content-encrypted": 20,
  "mex-content-compressed": 20,
  "mex-content-type": 100,
};

/** A validated send. */
export interface SendHeaders {
  /** `mex-To`, trimmed, case as sent (mailbox ids are upper-cased by the caller). */
  readonly to: string;
  /** `mex-WorkflowID`, trimmed. */
  readonly workflowId: string;
  /** The chunk range (`1:1` when absent). */
  readonly range: ChunkRange;
  /** `gzip` or `""`. */
  readonly contentEncoding: string;
  /** `mex-From` if sent (must be the authenticated mailbox). */
  readonly from: string | undefined;
  /** `mex-MessageType` if sent (must be DATA). */
  readonly messageType: string | undefined;
  /** Metadata passed through to the recipient (file name not yet defaulted). */
  readonly metadata: MessageMetadata;
}

// deno-lint-ignore no-control-regex -- control characters are exactly what MESH refuses (code 06)
const controlCharacter = /[\x00-\x1f\x7f]/;
const url = /^https?:\/\//i;
const checksumCharacters = /^[A-Za-z0-9\s:\-/]*$/;

/** MESH's truthy/falsy flag words (mesh-sandbox); anything else is "not said". */
export function meshFlag(value: string | undefined): boolean | undefined {
  const word = value?.trim().toLowerCase();
  if (word === undefined || word === "") return undefined;
  if (["y", "yes", "t", "true", "on", "1"].includes(word)) return true;
  if (["n", "no", "f", "false", "off", "0"].includes(word)) return false;
  return undefined;
}

/**
 * Checks every `mex-*` header for control characters, URLs in addresses and length.
 *
 * @throws {MeshError} 400 code 06 naming the fields, or 400 for an over-long value.
 */
export function checkMexHeaders(headers: Headers): void {
  const malformed: string[] = [];
  for (const [name, value] of headerPairs(headers)) {
    if (!name.startsWith("mex-")) continue;
    if (controlCharacter.test(value)) malformed.push(name);
    else if (
      ["mex-to", "mex-workflowid", "mex-content-checksum"].includes(name) && url.test(value.trim())
    ) malformed.push(name);
  }
  if (malformed.length > 0) {
    throw MeshError.coded(400, "06", {
      description: `Malformed control file: invalid value in ${malformed.join(", ")}`,
    });
  }
  for (const [name, max] of Object.entries(mexHeaderMaxLengths)) {
    const value = headers.get(name);
    if (value !== null && value.length > max) {
      throw MeshError.plain(400, `${name} is longer than ${max} characters`);
    }
  }
}

/** `Content-Encoding` of a send or chunk: `gzip` or `""`, else 422. */
export function readContentEncoding(headers: Headers): string {
  const encoding = (headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (encoding === "" || encoding === "identity") return "";
  if (encoding === "gzip") return "gzip";
  throw MeshError.coded(422, "UnsupportedContentEncoding");
}

/**
 * Reads and validates the headers of `POST /{mailbox}/outbox`.
 *
 * @throws {MeshError} as described in the module documentation.
 * @example
 * ```ts
 * const send = readSendHeaders(new Headers({ "Mex-To": "B82617OT1", "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT" }), 1000);
 * send.range; // { chunk: 1, total: 1 }
 * ```
 */
export function readSendHeaders(headers: Headers, maxChunks: number): SendHeaders {
  checkMexHeaders(headers);
  const rawTo = headers.get("mex-to");
  if (rawTo === null) throw MeshError.plain(400, "mex-To header is required");
  const to = rawTo.trim();
  if (to === "") throw MeshError.coded(400, "08");
  const workflowId = headers.get("mex-workflowid")?.trim() ?? "";
  if (workflowId === "") throw MeshError.plain(400, "mex-WorkflowID header is required");
  const contentEncoding = readContentEncoding(headers);
  const rangeText = headers.get("mex-chunk-range");
  const range = rangeText === null || rangeText.trim() === ""
    ? { chunk: 1, total: 1 }
    : parseChunkRange(rangeText);
  if (!range || range.chunk !== 1 || range.total > maxChunks) {
    throw MeshError.coded(417, "InvalidHeaderChunks", {
      ...(range && range.total > maxChunks
        ? { description: `A message may have at most ${maxChunks} chunks` }
        : {}),
    });
  }
  const checksum = headers.get("mex-content-checksum")?.trim() ?? "";
  if (!checksumCharacters.test(checksum)) throw MeshError.coded(400, "InvalidChecksum");
  const text = (name: string) => headers.get(name)?.trim() ?? "";
  return {
    to,
    workflowId,
    range,
    contentEncoding,
    from: headers.get("mex-from")?.trim() || undefined,
    messageType: headers.get("mex-messagetype")?.trim() || undefined,
    metadata: {
      subject: text("mex-subject"),
      localId: text("mex-localid"),
      partnerId: text("mex-partnerid"),
      fileName: text("mex-filename"),
      checksum,
      contentType: text("mex-content-type") || text("content-type"),
      compressed: meshFlag(headers.get("mex-content-compressed") ?? undefined),
      encrypted: meshFlag(headers.get("mex-content-encrypted") ?? undefined),
    },
  };
}
