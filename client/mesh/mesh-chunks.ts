/**
 * Chunking as NHS's MESH clients do it (shared/reference/mesh.md §3.2, §4.4, §9): the
 * *uncompressed* payload is cut into pieces of `chunkSize` bytes and, with compression, each piece
 * is gzipped on its own, so the receiver can decompress chunk by chunk. An empty payload is one
 * empty chunk (the server then answers 417 code 02, as MESH does).
 *
 * Chunk sizes of NHS's clients: the Python `mesh-client` 75 MiB by default, the npm
 * `nhs-mesh-client` 10 MiB, the AWS client 20 MiB; MESH advises chunks (but the last) over 5 MB
 * and at most 100 MB per request.
 *
 * @module
 */

/** Default chunk size: NHS's Python client's (`max_chunk_size`). */
export const pythonClientChunkSize = 75 * 1024 * 1024;
/** NHS's npm client's chunk size (`CHUNK_SIZE`). */
export const npmClientChunkSize = 10 * 1024 * 1024;

/** A payload a client sends: bytes, text (UTF-8) or a Blob (e.g. a file, never read whole). */
export type MeshPayload = Uint8Array<ArrayBuffer> | string | Blob;

/** A payload as a Blob, so chunks are slices read only when sent. */
export function payloadBlob(payload: MeshPayload): Blob {
  return payload instanceof Blob ? payload : new Blob([payload]);
}

/**
 * The `[start, end)` byte ranges of each chunk of a payload of `size` bytes.
 *
 * @example
 * ```ts
 * chunkRanges(25, 10); // [[0, 10], [10, 20], [20, 25]]
 * ```
 */
export function chunkRanges(size: number, chunkSize: number): Array<[number, number]> {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${chunkSize}`);
  }
  if (size === 0) return [[0, 0]];
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < size; start += chunkSize) {
    ranges.push([start, Math.min(size, start + chunkSize)]);
  }
  return ranges;
}

/**
 * One chunk's request body: the slice as it is, or gzipped on its own. Gzip is done in memory
 * (one chunk at a time) so a retried chunk can be sent again and carries a `Content-Length`.
 */
export async function chunkBody(
  blob: Blob,
  range: [number, number],
  gzip: boolean,
): Promise<Blob> {
  const slice = blob.slice(range[0], range[1]);
  if (!gzip) return slice;
  const compressed = slice.stream().pipeThrough(new CompressionStream("gzip"));
  return await new Response(compressed).blob();
}
