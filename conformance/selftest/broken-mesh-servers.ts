/**
 * Deliberately broken MESH servers, for the harness's self-test: a proxy in front of a correct
 * MESH (gpc-edge's) that breaks exactly one rule of the MESH API on the wire, so a harness that
 * passes them has a blind spot.
 *
 * @module
 */
import {
  buildNhsmeshAuthorization,
  nhsmeshHmacMatches,
  parseNhsmeshAuthorization,
} from "../../gpconnect/mesh/nhsmesh-token.ts";
import type { BrokenKind } from "./broken-kind.ts";

/** A kind of breakage, with the requirement a harness must report failing. */
export type BrokenMeshKind = BrokenKind;

/** The breakages. */
export const brokenMeshKinds: readonly BrokenMeshKind[] = [
  {
    name: "accepts-replayed-token",
    description: "accepts a replayed NHSMESH token",
    requirement: "MESH-AUTH-REPLAY",
    selection: ["--requirement", "MESH-AUTH-REPLAY"],
  },
  {
    name: "no-206-for-chunks",
    description: "answers 200 instead of 206 for a chunk that is not the last",
    requirement: "MESH-CHUNK-DOWNLOAD",
    selection: ["--id", "mesh.chunks.*"],
  },
  {
    name: "text-errors",
    description: "answers authentication failures with a text body instead of MESH's JSON error",
    requirement: "MESH-ERROR-JSON",
    selection: ["--id", "mesh.auth.*"],
  },
];

/** The local world's secrets, to re-sign tokens. */
export interface MeshSecrets {
  readonly password: string;
  readonly sharedKey: string;
}

/**
 * A fetch handler proxying to `meshUrl` (a server root), broken in the named way.
 *
 * @example
 * ```ts ignore
 * Deno.serve({ hostname: "127.0.0.1", port: 0 }, brokenMeshProxy("no-206-for-chunks", world.edgeUrl, secrets));
 * ```
 */
export function brokenMeshProxy(
  name: string,
  meshUrl: string,
  secrets: MeshSecrets,
): (request: Request) => Promise<Response> {
  if (!brokenMeshKinds.some((kind) => kind.name === name)) {
    throw new RangeError(`Unknown broken MESH server ${JSON.stringify(name)}`);
  }
  const forward = async (request: Request, headers = new Headers(request.headers)) => {
    const url = new URL(request.url);
    const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    headers.delete("host");
    const response = await fetch(`${meshUrl}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: "manual",
    });
    // The body arrives decompressed: forward it without the encoding that no longer applies.
    const out = new Headers(response.headers);
    out.delete("content-encoding");
    out.delete("content-length");
    return { response, headers: out, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  return async (request) => {
    switch (name) {
      case "accepts-replayed-token": {
        // A token that verifies is swapped for a fresh one: a replay is never noticed.
        const headers = new Headers(request.headers);
        const parsed = parseNhsmeshAuthorization(headers.get("authorization"));
        if (
          parsed.ok && await nhsmeshHmacMatches(parsed.token, secrets.password, secrets.sharedKey)
        ) {
          headers.set(
            "authorization",
            await buildNhsmeshAuthorization({
              mailboxId: parsed.token.mailboxId,
              password: secrets.password,
              sharedKey: secrets.sharedKey,
              timestamp: parsed.token.timestamp,
            }),
          );
        }
        const { response, headers: out, bytes } = await forward(request, headers);
        return new Response(bytes, { status: response.status, headers: out });
      }
      case "no-206-for-chunks": {
        const { response, headers, bytes } = await forward(request);
        return new Response(bytes, {
          status: response.status === 206 ? 200 : response.status,
          headers,
        });
      }
      default: {
        const { response, headers, bytes } = await forward(request);
        if (response.status !== 403) {
          return new Response(bytes, { status: response.status, headers });
        }
        headers.set("content-type", "text/plain");
        return new Response("Forbidden", { status: 403, headers });
      }
    }
  };
}
