/**
 * The answer to a request the HTTP server refused before the app saw it (a malformed head, an
 * over-long request line, too many header bytes, a smuggling attempt): in the SSP's shape, like
 * every other refusal of the gateway in front of the sub-apps (issue 9 item 5: "414 and 431 in
 * the SSP's shape where the runtime lets the app see them"). Deno's guarded server
 * (worker/http1-server/, `serveHttp1`'s `rejectionResponse`) calls it. The body carries the SSP's
 * display only, never the rejection's message (which may quote what the client sent).
 *
 * @module
 */
import { GpcEdgeError } from "../errors.ts";
import { sspErrorResponse } from "../ssp/ssp-error-response.ts";

/** What a server-level refusal says: a status (400, 414, 417, 431) and a stable code. */
export interface ProtocolRejection {
  readonly status: number;
  readonly code: string;
}

/** Refusals of the `Host` field: the same answer as the app's own Host check (host-header.ts). */
const hostCodes: ReadonlySet<string> = new Set(["bad-host", "missing-host", "duplicate-host"]);

/**
 * The SSP-shaped response to a refused request (XML, the SSP's default: the request's `Accept`
 * was never read).
 *
 * @example
 * ```ts
 * const response = protocolRejectionResponse({ status: 431, code: "headers-too-large" }, crypto.randomUUID());
 * response.status; // 431
 * ```
 */
export function protocolRejectionResponse(rejection: ProtocolRejection, id: string): Response {
  const response = sspErrorResponse(protocolRejectionError(rejection), {
    accept: undefined,
    fhirVersion: undefined,
    id,
  });
  response.headers.set("Connection", "close");
  return response;
}

/**
 * The SSP error a server-level refusal is answered (and logged) as.
 *
 * @example
 * ```ts
 * protocolRejectionError({ status: 400, code: "bad-host" }).display; // "MISSING_OR_INVALID_HEADER_Host"
 * ```
 */
export function protocolRejectionError(rejection: ProtocolRejection): GpcEdgeError {
  const diagnostics = `The request was refused before routing: ${rejection.code}`;
  return hostCodes.has(rejection.code)
    ? GpcEdgeError.ssp("MISSING_OR_INVALID_HEADER", { headerName: "Host" }, { diagnostics })
    : rejection.status === 414
    ? GpcEdgeError.ssp("URI_TOO_LONG", {}, { diagnostics })
    : rejection.status === 431
    ? GpcEdgeError.ssp("HEADERS_TOO_LARGE", {}, { diagnostics })
    : GpcEdgeError.ssp("MESSAGE_NOT_WELL_FORMED", {}, { diagnostics, status: rejection.status });
}
