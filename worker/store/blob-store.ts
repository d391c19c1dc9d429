/**
 * The `blobs` store: large bodies written and read as streams, never held whole in memory
 * (ARCHITECTURE.md §3.3), e.g. MESH message chunks up to 100 MB. Adapters: memory (tests), files
 * under the data directory on Deno, R2 on Workers.
 *
 * A blob is visible only once `put` has resolved: a failed or aborted `put` leaves no blob (and
 * leaves an earlier blob at the same key as it was). Keys are `/`-separated paths of
 * `[A-Za-z0-9._-]` segments, documented where they are made.
 *
 * @module
 */

/** What {@linkcode BlobStore.put} stored. */
export interface BlobInfo {
  /** Bytes stored. */
  readonly size: number;
}

/** Options for {@linkcode BlobStore.put}. */
export interface BlobPutOptions {
  /** Reject (storing nothing) once more than this many bytes arrive. */
  readonly maxBytes?: number;
  /** The body's length when known in advance (R2 needs it for a one-shot stream upload). */
  readonly length?: number;
}

/** A blob being read. */
export interface BlobBody {
  /** The bytes, streamed. */
  readonly body: ReadableStream<Uint8Array>;
  /** Total bytes. */
  readonly size: number;
}

/** Thrown by {@linkcode BlobStore.put} when a body goes past `maxBytes`. */
export class BlobTooLargeError extends Error {
  /** The limit that was exceeded. */
  readonly maxBytes: number;
  /** An error naming the limit `maxBytes`. */
  constructor(maxBytes: number) {
    super(`Body larger than ${maxBytes} bytes`);
    this.name = "BlobTooLargeError";
    this.maxBytes = maxBytes;
  }
}

/**
 * Streamed blob storage.
 *
 * @example
 * ```ts
 * import { createMemoryBlobStore } from "./memory-blob-store.ts";
 * const blobs = createMemoryBlobStore();
 * await blobs.put("mesh/m1/1", new Blob(["hello"]).stream());
 * const read = await blobs.get("mesh/m1/1");
 * ```
 */
export interface BlobStore {
  /** Stores `body` at `key` (replacing any blob there once complete). */
  put(
    key: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
    options?: BlobPutOptions,
  ): Promise<BlobInfo>;
  /** The blob at `key`, or `undefined`. */
  get(key: string): Promise<BlobBody | undefined>;
  /** Removes the blob at `key`; absent keys are fine. */
  delete(key: string): Promise<void>;
  /** Removes every blob whose key starts with `prefix`. */
  deletePrefix(prefix: string): Promise<void>;
}
