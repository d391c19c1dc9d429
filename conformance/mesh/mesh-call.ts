/**
 * One MESH request as the harness's own code makes it (messaging cases, clean-up): signed with a
 * fresh NHSMESH token for one of the harness's mailboxes, NHS's client headers, sent through the
 * target's transport and recorded as evidence.
 *
 * @module
 */
import { buildNhsmeshAuthorization } from "../../gpconnect/mesh/nhsmesh-token.ts";
import type { Exchange } from "../model.ts";
import type { TransportRequest, TransportResponse } from "../target/transport.ts";
import type { MeshEndpoint, MeshMailboxCredentials } from "./mesh-endpoint.ts";
import { meshExchange, observeMesh } from "./mesh-exchange.ts";
import type { MeshObserved } from "./mesh-judge.ts";
import { type BuiltMeshRequest, defaultMeshHeaders } from "./mesh-request.ts";

/** Sends a request through the target. */
export type MeshSend = (url: string, request: TransportRequest) => Promise<TransportResponse>;

/** A request of the harness's own, before signing. */
export interface MeshCall {
  readonly method: string;
  /** Path under `/messageexchange`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array<ArrayBuffer>;
}

/**
 * `call` signed for `mailbox`.
 *
 * @example
 * ```ts ignore
 * const built = await signedMeshRequest(endpoint, endpoint.sender, { method: "GET", path: "/A11111OT1/inbox" });
 * ```
 */
export async function signedMeshRequest(
  endpoint: MeshEndpoint,
  mailbox: MeshMailboxCredentials,
  call: MeshCall,
): Promise<BuiltMeshRequest> {
  const headers = new Headers({ ...defaultMeshHeaders, ...call.headers });
  const authorization = await buildNhsmeshAuthorization({
    mailboxId: mailbox.id,
    password: mailbox.password,
    sharedKey: endpoint.sharedKey,
  });
  headers.set("Authorization", authorization);
  const body = typeof call.body === "string" ? new TextEncoder().encode(call.body) : call.body;
  return {
    url: `${endpoint.url}/messageexchange${call.path}`,
    method: call.method,
    headers,
    ...(body === undefined ? {} : { body }),
    authorization,
  };
}

/**
 * Sends `built` and records it; `observed` is absent when no answer came.
 *
 * @example
 * ```ts ignore
 * const { exchange, observed } = await sendMesh(target.send, built, "send");
 * ```
 */
export async function sendMesh(
  send: MeshSend,
  built: BuiltMeshRequest,
  step: string,
): Promise<{ exchange: Exchange; observed?: MeshObserved }> {
  const startedAt = new Date();
  const started = performance.now();
  try {
    const response = await send(built.url, {
      method: built.method,
      headers: built.headers,
      ...(built.body === undefined ? {} : { body: built.body }),
    });
    const observed = await observeMesh(response);
    return {
      exchange: meshExchange(built, observed, step, startedAt, performance.now() - started),
      observed,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { exchange: meshExchange(built, message, step, startedAt, performance.now() - started) };
  }
}
