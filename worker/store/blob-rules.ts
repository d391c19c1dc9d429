/**
 * The rules every `BlobStore` adapter applies the same way: which keys and prefixes are valid,
 * and reading a body while enforcing `maxBytes` and a declared `length`.
 *
 * @module
 */
import { type BlobPutOptions, BlobTooLargeError } from "./blob-store.ts";

/** Most UTF-8 bytes in a blob key (R2's limit). */
export const MAX_BLOB_KEY_BYTES = 1024;

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Throws a `TypeError` unless `key` is `/`-separated segments of `[A-Za-z0-9._-]`, none empty,
 * `.` or `..`, at most {@linkcode MAX_BLOB_KEY_BYTES}: a key can never name a path outside the
 * store, on a file system or anywhere else.
 */
export function assertBlobKey(key: string): void {
  if (
    typeof key !== "string" || key.length > MAX_BLOB_KEY_BYTES || !validSegments(key.split("/"))
  ) {
    throw new TypeError(`Invalid blob key ${JSON.stringify(String(key).slice(0, 80))}`);
  }
}

/**
 * Throws a `TypeError` unless `prefix` is empty or the start of a valid key: whole segments,
 * each followed by `/`, then possibly the start of one more segment.
 */
export function assertBlobPrefix(prefix: string): void {
  if (typeof prefix !== "string" || prefix.length > MAX_BLOB_KEY_BYTES) {
    throw new TypeError("Invalid blob prefix");
  }
  const segments = prefix.split("/");
  const partial = segments.pop()!;
  if (!validSegments(segments) || (partial !== "" && !/^[A-Za-z0-9._-]+$/.test(partial))) {
    throw new TypeError(`Invalid blob prefix ${JSON.stringify(prefix.slice(0, 80))}`);
  }
}

function validSegments(segments: readonly string[]): boolean {
  return segments.every((segment) => SEGMENT.test(segment) && segment !== "." && segment !== "..");
}

/**
 * The chunks of `body`, each a fresh `Uint8Array`, checked as they arrive: more than
 * `options.maxBytes` throws {@linkcode BlobTooLargeError}, a total other than `options.length`
 * throws a `RangeError`, a chunk that is not a `Uint8Array` throws a `TypeError`. Leaving the
 * loop early (or a throw) cancels the source stream.
 */
export async function* checkedChunks(
  body: ReadableStream<Uint8Array> | Uint8Array,
  options: BlobPutOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const { maxBytes, length } = options;
  if (length !== undefined && !(Number.isSafeInteger(length) && length >= 0)) {
    throw new TypeError("length must be a non-negative integer");
  }
  if (maxBytes !== undefined && length !== undefined && length > maxBytes) {
    if (!(body instanceof Uint8Array)) await body.cancel();
    throw new BlobTooLargeError(maxBytes);
  }
  let total = 0;
  const chunks = body instanceof Uint8Array ? [body] : body;
  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError("A blob body yields Uint8Array chunks");
    total += chunk.length;
    if (maxBytes !== undefined && total > maxBytes) throw new BlobTooLargeError(maxBytes);
    if (length !== undefined && total > length) throw lengthMismatch(length);
    if (chunk.length > 0) yield chunk.slice();
  }
  if (length !== undefined && total !== length) throw lengthMismatch(length);
}

function lengthMismatch(length: number): RangeError {
  return new RangeError(`The body's length is not the declared ${length} bytes`);
}
