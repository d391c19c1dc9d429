/**
 * MESH API version negotiation (mesh.md §1.1, §9): `Accept: application/vnd.mesh.vN+json` with
 * N ≥ 2 selects v2 bodies; `application/json`, `…v1+json` or no `Accept` selects v1; any other
 * `vnd.mesh` media type (e.g. `…v2+xml`) is a 400.
 *
 * @module
 */
import { MeshError } from "./mesh-errors.ts";

/** The body shapes a request gets. */
export type MeshApiVersion = 1 | 2;

/** `application/vnd.mesh.v2+json`: inbox, tracking and error bodies in v2. */
export const meshV2MediaType = "application/vnd.mesh.v2+json";

const vndMesh = /^application\/vnd\.mesh\.v(\d+)\+json$/;

/**
 * The API version an `Accept` header asks for.
 *
 * @throws {MeshError} 400 when a `vnd.mesh` media type is malformed.
 * @example
 * ```ts
 * meshApiVersion("application/vnd.mesh.v2+json"); // 2
 * meshApiVersion(undefined); // 1
 * ```
 */
export function meshApiVersion(accept: string | undefined | null): MeshApiVersion {
  if (!accept) return 1;
  let version: MeshApiVersion = 1;
  for (const range of accept.split(",")) {
    const mediaType = range.split(";")[0]?.trim().toLowerCase() ?? "";
    if (!mediaType.startsWith("application/vnd.mesh")) continue;
    const match = vndMesh.exec(mediaType);
    const n = match ? Number(match[1]) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1) {
      throw MeshError.plain(400, `Unsupported Accept media type: ${mediaType.slice(0, 100)}`);
    }
    if (n >= 2) version = 2;
  }
  return version;
}

/**
 * The version to render an error with: like {@linkcode meshApiVersion}, but never throws (an
 * error about the `Accept` header itself is rendered as v1).
 */
export function meshErrorVersion(accept: string | undefined | null): MeshApiVersion {
  try {
    return meshApiVersion(accept);
  } catch {
    return 1;
  }
}
