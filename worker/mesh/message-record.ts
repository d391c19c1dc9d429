/**
 * A MESH message as stored in the `records` store, and the key schema of everything MESH keeps
 * there (mesh.md §4.1). Message bodies live in the `blobs` store, one blob per chunk.
 *
 * Records keys (all written in the same commit as the state change they index):
 * - `mesh:message:{id}` → {@linkcode MessageRecord}; ids sort by creation time.
 * - `mesh:inbox:{recipient}:{id}` → {@linkcode InboxEntry}; present exactly while the message
 *   is `accepted` (what the inbox lists).
 * - `mesh:pending:{id}` → `{ recipient }`; present while an accepted DATA message waits for
 *   download (what the 5-day expiry sweeps).
 * - `mesh:localid:{sender}:{encodeURIComponent(localId)}:{id}` → `{}`; tracking by local id.
 * - `mesh:replay:{mailbox}:{nonce}:{count}` → used tokens (mesh-auth.ts), expiring.
 *
 * Blob keys: `mesh/{id}/{chunk}-{suffix}`, a fresh suffix per upload so a retried or late
 * upload never overwrites a body that a record already points at.
 *
 * @module
 */

/** A message's state (v2 lowercase; v1 title case). */
export type MessageStatus = "uploading" | "accepted" | "acknowledged" | "error" | "undeliverable";

/** DATA from a mailbox, or a REPORT from MESH itself. */
export type MessageType = "DATA" | "REPORT";

/** One stored chunk: the blob key's suffix and the bytes stored (as sent). */
export type ChunkRef = readonly [suffix: string, size: number];

/** Sender-supplied metadata, passed through to the recipient. Empty strings mean absent. */
export interface MessageMetadata {
  readonly subject: string;
  readonly localId: string;
  readonly partnerId: string;
  readonly fileName: string;
  readonly checksum: string;
  readonly contentType: string;
  readonly compressed: boolean | undefined;
  readonly encrypted: boolean | undefined;
}

/** The error a REPORT carries, or an errored DATA message ended with. */
export interface MessageErrorEvent {
  readonly event: string;
  readonly code: string;
  readonly description: string;
  readonly linkedMessageId: string;
  readonly at: number;
}

/** A message's stored state. */
export interface MessageRecord {
  readonly id: string;
  readonly type: MessageType;
  /** Sender mailbox; `""` for REPORTs from MESH. */
  readonly sender: string;
  /** Recipient mailbox; `""` when a GPPROVIDER address could not be routed. */
  readonly recipient: string;
  /** Recipient's ODS code (routing result or directory), for tracking. */
  readonly recipientOdsCode: string;
  readonly workflowId: string;
  readonly status: MessageStatus;
  readonly totalChunks: number;
  /** Stored chunks by number − 1; `null` until that chunk has arrived. */
  readonly chunks: ReadonlyArray<ChunkRef | null>;
  /** `gzip` or `""`: every chunk is stored as sent. */
  readonly contentEncoding: string;
  readonly metadata: MessageMetadata;
  readonly createdAt: number;
  readonly statusAt: number;
  readonly acceptedAt: number | undefined;
  readonly acknowledgedAt: number | undefined;
  /** A GPPROVIDER routing failure, applied when the last chunk arrives. */
  readonly routingFailure: { readonly code: string; readonly description: string } | undefined;
  /** The error of a REPORT, or of a DATA message in `error`/`undeliverable`. */
  readonly error: MessageErrorEvent | undefined;
}

/** What an inbox index entry keeps, so listing and filtering read no message records. */
export interface InboxEntry {
  readonly workflowId: string;
}

/** `mesh:message:{id}`. */
export const messageKey = (id: string): string => `mesh:message:${id}`;
/** `mesh:message:` (every message, in creation order). */
export const messagePrefix = "mesh:message:";
/** `mesh:inbox:{mailbox}:`. */
export const inboxPrefix = (mailbox: string): string => `mesh:inbox:${mailbox}:`;
/** `mesh:inbox:{mailbox}:{id}`. */
export const inboxKey = (mailbox: string, id: string): string => `mesh:inbox:${mailbox}:${id}`;
/** `mesh:pending:` (accepted DATA awaiting download, in creation order). */
export const pendingPrefix = "mesh:pending:";
/** `mesh:pending:{id}`. */
export const pendingKey = (id: string): string => `${pendingPrefix}${id}`;
/** `mesh:localid:{sender}:{localId}:` (local id URI-encoded: it may hold `:`). */
export const localIdPrefix = (sender: string, localId: string): string =>
  `mesh:localid:${sender}:${encodeURIComponent(localId)}:`;
/** `mesh:localid:{sender}:{localId}:{id}`. */
export const localIdKey = (sender: string, localId: string, id: string): string =>
  `${localIdPrefix(sender, localId)}${id}`;
/** `mesh/{id}/` (every blob of a message). */
export const blobPrefix = (id: string): string => `mesh/${id}/`;
/** `mesh/{id}/{chunk}-{suffix}`. */
export const chunkBlobKey = (id: string, chunk: number, suffix: string): string =>
  `mesh/${id}/${chunk}-${suffix}`;

/** Bytes stored over every chunk that has arrived. */
export function storedBytes(record: MessageRecord): number {
  return record.chunks.reduce((sum, c) => sum + (c ? c[1] : 0), 0);
}

/** Whether every chunk has arrived. */
export function allChunksStored(record: MessageRecord): boolean {
  return record.chunks.length === record.totalChunks && record.chunks.every((c) => c !== null);
}
