/**
 * Storing one chunk of a message: the body streams into a fresh blob, then one compare-and-set
 * commit records it in the message; the commit that records the last chunk also makes the
 * message `accepted` and puts it in the recipient's inbox (or, after a routing failure, makes it
 * `error` and delivers the REPORT). So a message is never visible before its last chunk is
 * stored, and once the commit is done (and 202 answered) nothing can undo it.
 *
 * A blob is written under a new key each time (`mesh/{id}/{n}-{suffix}`): a retried chunk
 * replaces the record's pointer, never bytes a record points at, and a blob whose commit failed is
 * deleted (or, after a crash, purged with its message).
 *
 * @module
 */
import { BlobTooLargeError } from "../store/blob-store.ts";
import type { RecordCheck, RecordMutation } from "../store/records-store.ts";
import { createMessageId } from "./message-id.ts";
import {
  allChunksStored,
  chunkBlobKey,
  type ChunkRef,
  messageKey,
  type MessageRecord,
  storedBytes,
} from "./message-record.ts";
import { updateMessage } from "./message-commit.ts";
import { completeUpload } from "./message-state.ts";
import type { MeshServices } from "./mesh-env.ts";
import { MeshError } from "./mesh-errors.ts";

/** What storing a chunk did. */
export interface StoredChunk {
  /** The message after the commit. */
  readonly record: MessageRecord;
  /** Bytes stored for this chunk (as sent). */
  readonly size: number;
}

/**
 * Streams `body` into the blob of chunk `chunk` of message `id` and records it.
 *
 * @param options.sender the mailbox uploading (re-checked in the commit).
 * @param options.length the declared `Content-Length`, if any.
 * @throws {MeshError} 413 when the chunk or message grows past the limits, 423 when the message
 * stopped uploading meanwhile, 404 when it vanished (admin reset).
 */
export async function storeChunk(
  services: MeshServices,
  id: string,
  chunk: number,
  body: ReadableStream<Uint8Array>,
  options: { readonly sender: string; readonly alreadyStored: number; readonly length?: number },
): Promise<StoredChunk> {
  const { config, blobs, records, clock, randomUUID } = services;
  const suffix = randomUUID().replace(/-/g, "").slice(0, 12);
  const key = chunkBlobKey(id, chunk, suffix);
  const maxBytes = Math.min(config.maxChunkBytes, config.maxMessageBytes - options.alreadyStored);
  let size: number;
  try {
    size = (await blobs.put(key, body, {
      maxBytes,
      ...(options.length !== undefined ? { length: options.length } : {}),
    })).size;
  } catch (error) {
    if (error instanceof BlobTooLargeError) {
      throw MeshError.plain(413, `Message or chunk larger than allowed (${maxBytes} bytes)`, {
        messageId: id,
        cause: error,
      });
    }
    throw error;
  }
  let replaced: ChunkRef | null = null;
  try {
    const record = await updateMessage<MessageRecord>(records, id, (stored) => {
      const current = stored?.value;
      if (!current) throw MeshError.coded(404, "20", { messageId: id });
      if (current.sender !== options.sender) throw MeshError.plain(403, "Not the sender");
      if (current.status !== "uploading") {
        throw MeshError.plain(423, "Message is not uploading", { messageId: id });
      }
      const chunks = [...current.chunks];
      replaced = chunks[chunk - 1] ?? null;
      chunks[chunk - 1] = [suffix, size];
      const updated: MessageRecord = { ...current, chunks };
      if (storedBytes(updated) > config.maxMessageBytes) {
        throw MeshError.plain(413, `Message larger than ${config.maxMessageBytes} bytes`, {
          messageId: id,
        });
      }
      if (!allChunksStored(updated)) {
        return {
          result: updated,
          mutations: [{ type: "set", key: messageKey(id), value: updated }],
        };
      }
      const reportId = createMessageId(clock.now(), randomUUID);
      const transition = completeUpload(updated, clock.now(), reportId);
      const checks: RecordCheck[] = transition.reportId
        ? [{ key: messageKey(transition.reportId), version: null }]
        : [];
      const mutations: RecordMutation[] = [...transition.mutations];
      return { result: transition.record, mutations, checks };
    });
    if (replaced) await deleteQuietly(services, chunkBlobKey(id, chunk, (replaced as ChunkRef)[0]));
    return { record, size };
  } catch (error) {
    // The commit did not happen: the new blob is referenced by nothing.
    await deleteQuietly(services, key);
    throw error;
  }
}

async function deleteQuietly(services: MeshServices, key: string): Promise<void> {
  try {
    await services.blobs.delete(key);
  } catch {
    // Left for housekeeping: every blob of a message is purged with it.
  }
}
