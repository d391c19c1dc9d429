/**
 * Request line and header hygiene of every platform request (A5, R7, R9, R31): no control
 * characters in any header value (raw or percent-encoded in the ids gpc-edge mirrors), an
 * `X-Request-ID` that is a UUID, an `X-Correlation-ID` that is printable and short. Both ids are
 * mirrored on every response, errors included, and every response is `Cache-Control: no-store`.
 *
 * @module
 */
import { isUuid } from "../../../gpconnect/uuid.ts";
import { headerPairs } from "../../../gpconnect/header-pairs.ts";
import { PlatformError } from "../platform-error.ts";

// Tab is allowed in header values (RFC 9110 field-vchar / OWS); every other control is not.
// deno-lint-ignore no-control-regex
const controlCharacter = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const encodedControl = /%(?:[01][0-9a-f]|7f)/i;
const correlationIdPattern = /^[\x20-\x7e]{1,200}$/;

/** The request's ids once checked. */
export interface RequestIds {
  readonly requestId: string;
  readonly correlationId: string | undefined;
}

/**
 * Checks the headers; throws `PlatformError` 400 BAD_REQUEST naming the header.
 *
 * @example
 * ```ts
 * checkRequestHeaders(new Headers({ "X-Request-ID": crypto.randomUUID() })).correlationId; // undefined
 * ```
 */
export function checkRequestHeaders(headers: Headers): RequestIds {
  for (const [name, value] of headerPairs(headers)) {
    if (controlCharacter.test(value)) {
      throw new PlatformError("BAD_REQUEST", {
        diagnostics: `Header ${name} contains a control character`,
      });
    }
  }
  const requestId = headers.get("X-Request-ID");
  if (requestId === null || requestId.trim() === "") {
    throw new PlatformError("BAD_REQUEST", {
      diagnostics: "Invalid request with error - X-Request-ID header must be supplied",
    });
  }
  if (!isUuid(requestId)) {
    throw new PlatformError("BAD_REQUEST", {
      diagnostics: "Invalid value in header 'X-Request-ID': it must be a UUID",
    });
  }
  const correlationId = headers.get("X-Correlation-ID") ?? undefined;
  if (
    correlationId !== undefined &&
    (!correlationIdPattern.test(correlationId) || encodedControl.test(correlationId))
  ) {
    throw new PlatformError("BAD_REQUEST", {
      diagnostics: "Invalid value in header 'X-Correlation-ID'",
    });
  }
  return { requestId, correlationId };
}

/** Mirrors the ids (when they were valid) and sets `Cache-Control: no-store` on a response. */
export function finishResponse(response: Response, ids: Partial<RequestIds>): Response {
  const headers = response.headers;
  headers.set("Cache-Control", "no-store");
  if (ids.requestId) headers.set("X-Request-ID", ids.requestId);
  if (ids.correlationId) headers.set("X-Correlation-ID", ids.correlationId);
  return response;
}
