/**
 * Deterministic message bodies for MESH cases: `{ bytes: N, seed: s }` is the same N bytes every
 * time for the same case and seed, so a step that uploads them and a later step that downloads
 * them can name the same bytes (byte-identical reassembly of chunks, mesh.md §3.2). A seeded
 * xorshift stream, not cryptography.
 *
 * @module
 */
import type { MeshBody } from "./mesh-scenario.ts";

/** A 32-bit FNV-1a hash, the PRNG's seed. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) || 1;
}

/**
 * The bytes of a `bytes` body for a case.
 *
 * @example
 * ```ts
 * meshBodyBytes({ kind: "bytes", size: 4, seed: "a" }, "mesh.x").length; // 4
 * ```
 */
export function meshBodyBytes(
  body: Extract<MeshBody, { kind: "bytes" }>,
  caseId: string,
): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(body.size);
  let x = fnv1a(`${caseId}\u0000${body.seed}`);
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
