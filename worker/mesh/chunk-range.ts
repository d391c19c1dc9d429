/**
 * `Mex-Chunk-Range: n:N` (mesh.md §3.2, §9): chunk n of N, 0 < n ≤ N. NHS's clients send `1:1`
 * on every single-part send and `n:N` on every chunk.
 *
 * @module
 */

/** A parsed chunk range. */
export interface ChunkRange {
  /** This chunk's number (from 1). */
  readonly chunk: number;
  /** The message's chunk count. */
  readonly total: number;
}

const pattern = /^\s*(\d{1,9})\s*:\s*(\d{1,9})\s*$/;

/**
 * Parses a `Mex-Chunk-Range` value; `undefined` unless it is `n:N` with 0 < n ≤ N.
 *
 * @example
 * ```ts
 * parseChunkRange("2:3"); // { chunk: 2, total: 3 }
 * parseChunkRange("4:3"); // undefined
 * ```
 */
export function parseChunkRange(value: string): ChunkRange | undefined {
  const match = pattern.exec(value);
  if (!match) return undefined;
  const chunk = Number(match[1]);
  const total = Number(match[2]);
  return chunk > 0 && chunk <= total ? { chunk, total } : undefined;
}
