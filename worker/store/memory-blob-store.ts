/**
 * In-memory {@linkcode BlobStore} for tests. It holds every blob whole (the Deno and Workers
 * adapters never do), and copies bytes in and out so nothing aliases the store.
 *
 * @module
 */
import { assertBlobKey, assertBlobPrefix, checkedChunks } from "./blob-rules.ts";
import type { BlobBody, BlobInfo, BlobPutOptions, BlobStore } from "./blob-store.ts";

interface StoredBlob {
  readonly chunks: readonly Uint8Array[];
  readonly size: number;
}

/**
 * Creates an empty memory blob store. A blob becomes visible only when its whole body has
 * arrived within the limits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMemoryBlobStore } from "./memory-blob-store.ts";
 * const blobs = createMemoryBlobStore();
 * const { size } = await blobs.put("mesh/m1/1", new TextEncoder().encode("hello"), { maxBytes: 10 });
 * const read = await blobs.get("mesh/m1/1");
 * assert.equal(size, 5);
 * assert.equal(await new Response(read!.body).text(), "hello");
 * ```
 */
export function createMemoryBlobStore(): BlobStore {
  const blobs = new Map<string, StoredBlob>();
  return {
    async put(
      key: string,
      body: ReadableStream<Uint8Array> | Uint8Array,
      options: BlobPutOptions = {},
    ): Promise<BlobInfo> {
      assertBlobKey(key);
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of checkedChunks(body, options)) {
        chunks.push(chunk);
        size += chunk.length;
      }
      blobs.set(key, { chunks, size });
      return { size };
    },
    get: (key: string) =>
      settle((): BlobBody | undefined => {
        assertBlobKey(key);
        const blob = blobs.get(key);
        if (!blob) return undefined;
        let next = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            const chunk = blob.chunks[next++];
            if (chunk) controller.enqueue(chunk.slice());
            else controller.close();
          },
        });
        return { body, size: blob.size };
      }),
    delete: (key: string) =>
      settle(() => {
        assertBlobKey(key);
        blobs.delete(key);
      }),
    deletePrefix: (prefix: string) =>
      settle(() => {
        assertBlobPrefix(prefix);
        for (const key of [...blobs.keys()]) if (key.startsWith(prefix)) blobs.delete(key);
      }),
  };
}

/** Runs `fn` now, as a promise: a throw becomes a rejection, as with a real backend. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}
