/**
 * {@linkcode BlobStore} over a Cloudflare R2 bucket binding, typed structurally so the core never
 * imports Workers types.
 *
 * R2 stores a stream only when its length is known up front. So a put with a declared `length`
 * streams straight through Workers' `FixedLengthStream` (which also fails the put if the body
 * runs short or long); any other body is read in parts of {@linkcode R2_PART_BYTES}: a body
 * within one part is stored with one `put`, a longer one as a multipart upload of equal parts
 * (as R2 requires), completed only once the whole body has arrived within `maxBytes`. At most one
 * part is held in memory. A failed put leaves nothing visible: a single `put` is atomic, and a
 * multipart upload is aborted.
 *
 * @module
 */
import { assertBlobKey, assertBlobPrefix, checkedChunks } from "./blob-rules.ts";
import type { BlobBody, BlobInfo, BlobPutOptions, BlobStore } from "./blob-store.ts";

/** Bytes per multipart part (R2 wants at least 5 MiB for every part but the last). */
export const R2_PART_BYTES = 8 * 1024 * 1024;

/** The part of an R2 multipart upload used here. */
export interface R2MultipartUploadLike {
  /** Uploads part `partNumber` (from 1). */
  uploadPart(partNumber: number, value: Uint8Array): Promise<{ partNumber: number; etag: string }>;
  /** Joins the uploaded parts into the object. */
  complete(parts: Array<{ partNumber: number; etag: string }>): Promise<unknown>;
  /** Drops the upload and its parts. */
  abort(): Promise<void>;
}

/** The part of Workers' `R2Bucket` used here. */
export interface R2BucketLike {
  /** Stores an object (a stream only of known length: a `FixedLengthStream`'s readable). */
  put(key: string, value: ReadableStream<Uint8Array> | Uint8Array): Promise<unknown>;
  /** The object's body and size, or `null`. */
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null>;
  /** Removes one or more objects. */
  delete(keys: string | string[]): Promise<void>;
  /** One page of the objects starting with `prefix`. */
  list(options: { prefix: string; cursor?: string; limit?: number }): Promise<{
    objects: Array<{ key: string }>;
    truncated: boolean;
    cursor?: string;
  }>;
  /** Starts a multipart upload of `key`. */
  createMultipartUpload(key: string): Promise<R2MultipartUploadLike>;
}

type FixedLengthStreamClass = new (length: number) => TransformStream<Uint8Array, Uint8Array>;

/** Most list pages `deletePrefix` walks (of up to 1,000 keys each). */
const MAX_LIST_PAGES = 10_000;

/**
 * Wraps an R2 bucket binding.
 *
 * @example
 * ```ts
 * import { createR2BlobStore, type R2BucketLike } from "./r2-blob-store.ts";
 * // In the Worker's fetch handler:
 * export const blobsFor = (env: { GPC_EDGE_BLOBS: R2BucketLike }) =>
 *   createR2BlobStore(env.GPC_EDGE_BLOBS);
 * ```
 */
export function createR2BlobStore(bucket: R2BucketLike): BlobStore {
  const FixedLengthStream = (globalThis as { FixedLengthStream?: FixedLengthStreamClass })
    .FixedLengthStream;
  return {
    async put(
      key: string,
      body: ReadableStream<Uint8Array> | Uint8Array,
      options: BlobPutOptions = {},
    ): Promise<BlobInfo> {
      assertBlobKey(key);
      const { length } = options;
      if (length !== undefined && FixedLengthStream && !(body instanceof Uint8Array)) {
        // checkedChunks rejects a length over maxBytes before reading; FixedLengthStream holds
        // the body to exactly `length`, so maxBytes holds as well.
        const source = failureKeeping(checkedChunks(body, options));
        try {
          await bucket.put(key, source.stream.pipeThrough(new FixedLengthStream(length)));
        } catch (error) {
          // R2 reports a failed body as its own error; the body's own error says why.
          throw source.failure() ?? error;
        }
        return { size: length };
      }
      return await putInParts(bucket, key, checkedChunks(body, options));
    },
    async get(key: string): Promise<BlobBody | undefined> {
      assertBlobKey(key);
      const object = await bucket.get(key);
      return object === null ? undefined : { body: object.body, size: object.size };
    },
    async delete(key: string): Promise<void> {
      assertBlobKey(key);
      await bucket.delete(key);
    },
    async deletePrefix(prefix: string): Promise<void> {
      assertBlobPrefix(prefix);
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const listed = await bucket.list(cursor === undefined ? { prefix } : { prefix, cursor });
        const keys = listed.objects.map((object) => object.key);
        if (keys.length > 0) await bucket.delete(keys);
        if (!listed.truncated || listed.cursor === undefined) return;
        cursor = listed.cursor;
      }
    },
  };
}

/** Stores `chunks` with one put if they fit in a part, else as a multipart upload. */
async function putInParts(
  bucket: R2BucketLike,
  key: string,
  chunks: AsyncIterable<Uint8Array>,
): Promise<BlobInfo> {
  let part = new Uint8Array(R2_PART_BYTES);
  let filled = 0;
  let size = 0;
  let upload: R2MultipartUploadLike | undefined;
  const parts: Array<{ partNumber: number; etag: string }> = [];
  const flush = async () => {
    upload ??= await bucket.createMultipartUpload(key);
    parts.push(await upload.uploadPart(parts.length + 1, part.subarray(0, filled)));
    part = new Uint8Array(R2_PART_BYTES);
    filled = 0;
  };
  try {
    for await (const chunk of chunks) {
      size += chunk.length;
      for (let offset = 0; offset < chunk.length;) {
        if (filled === R2_PART_BYTES) await flush();
        const take = Math.min(chunk.length - offset, R2_PART_BYTES - filled);
        part.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
      }
    }
    if (upload === undefined) {
      await bucket.put(key, part.subarray(0, filled));
    } else {
      if (filled > 0) await flush();
      await upload.complete(parts);
    }
    return { size };
  } catch (error) {
    await upload?.abort().catch(() => {});
    throw error;
  }
}

/**
 * `chunks` as a stream (a throw errors it; cancelling it ends the generator and its source), and
 * the error it failed with, if any.
 */
function failureKeeping(chunks: AsyncGenerator<Uint8Array, void, undefined>) {
  let failure: unknown;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        failure = error;
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return();
    },
  });
  return { stream, failure: (): unknown => failure };
}
