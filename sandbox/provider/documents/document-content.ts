/**
 * The bytes of the sandbox's documents, generated on demand and deterministically: a document is
 * a size and a function from (offset, length) to bytes, so a 6 MB document never sits in memory
 * whole. Small documents are their text; large ones are a header followed by a repeating block of
 * filler text cut to the exact size. Encoded as base64 in chunks whose lengths are multiples of 3,
 * so the chunks concatenate to the base64 of the whole document.
 *
 * @module
 */

/** A document's bytes, readable piecewise. */
export interface DocumentContent {
  /** Size in bytes (`DocumentReference.content.attachment.size`). */
  readonly size: number;
  /** `length` bytes from `offset` (both within `size`). */
  readonly bytes: (offset: number, length: number) => Uint8Array;
}

const encoder = new TextEncoder();

/**
 * A document that is exactly this UTF-8 text.
 *
 * @example
 * ```ts
 * textContent("Dear Dr Jones").size; // 13
 * ```
 */
export function textContent(text: string): DocumentContent {
  const all = encoder.encode(text);
  return { size: all.length, bytes: (offset, length) => all.subarray(offset, offset + length) };
}

/**
 * A document of exactly `size` bytes: `header` then `block` repeated (ASCII text both), cut off
 * at `size`. Nothing but the header and one block is held in memory.
 *
 * @example
 * ```ts
 * repeatingContent("SCANNED RECORD\n", "Page text. ", 6 * 1024 * 1024).size; // 6291456
 * ```
 */
export function repeatingContent(header: string, block: string, size: number): DocumentContent {
  const head = encoder.encode(header);
  const body = encoder.encode(block);
  if (body.length === 0) throw new RangeError("The repeating block must not be empty");
  return {
    size,
    bytes: (offset, length) => {
      const out = new Uint8Array(length);
      let written = 0;
      if (offset < head.length) {
        const part = head.subarray(offset, Math.min(head.length, offset + length));
        out.set(part);
        written = part.length;
      }
      while (written < length) {
        const at = (offset + written - head.length) % body.length;
        const part = body.subarray(at, Math.min(body.length, at + length - written));
        out.set(part, written);
        written += part.length;
      }
      return out;
    },
  };
}

/** Bytes per base64 chunk: a multiple of 3 so chunk encodings concatenate cleanly. */
export const base64ChunkBytes = 3 * 64 * 1024;

/** Base64 of a byte array (standard alphabet, padded). */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  const step = 0x2000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

/** Length of the base64 encoding of `size` bytes. */
export function base64Length(size: number): number {
  return 4 * Math.ceil(size / 3);
}

/**
 * The base64 encoding of a document, chunk by chunk.
 *
 * @example
 * ```ts
 * [...base64Chunks(textContent("hi"))].join(""); // "aGk="
 * ```
 */
export function* base64Chunks(
  content: DocumentContent,
  chunkBytes: number = base64ChunkBytes,
): Generator<string> {
  if (chunkBytes % 3 !== 0) throw new RangeError("chunkBytes must be a multiple of 3");
  for (let offset = 0; offset < content.size; offset += chunkBytes) {
    yield base64(content.bytes(offset, Math.min(chunkBytes, content.size - offset)));
  }
}
