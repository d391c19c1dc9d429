/**
 * The forward to the practice (A2 step 9, done better) and what comes back (R8, R12, R27):
 *
 * - The request carries gateway-owned headers only, built here from an allow-list: the
 *   practice's bearer token, `X-Request-ID`, `X-Correlation-ID`, `Interaction-ID` (the
 *   product's), `Accept`, and for a body `Content-Type`, plus `Prefer` and `If-Match`. A client's
 *   `Interaction-ID`, `Ssp-*`, `X-Forwarded-*`, `apikey`, `Host`, cookies and hop-by-hop headers
 *   never reach the practice; the body is the bytes the binding read, with its own length.
 * - The target is the SDS address + the route's path + the query, never built from the request's
 *   host. No redirects are followed; a deadline covers headers and body (R14).
 * - The answer is read up to the cap (10 MiB): larger → 502 BAD_GATEWAY_BUFFER_OVERFLOW. An
 *   OperationOutcome error passes through unchanged; a success must be FHIR JSON; anything else
 *   (an HTML 500, a redirect, a non-FHIR 200) is a 502 OperationOutcome.
 *
 * @module
 */
import type { UpstreamFetch } from "../../app-deps.ts";
import { readCappedStream } from "../../gateway/read-capped-stream.ts";
import { PlatformError } from "../platform-error.ts";

/** What to send. */
export interface ForwardRequest {
  readonly method: string;
  readonly url: string;
  readonly providerToken: string;
  readonly requestId: string;
  readonly correlationId: string | undefined;
  readonly interactionId: string;
  /** The client's headers (only allow-listed ones are copied). */
  readonly clientHeaders: Headers;
  readonly body: Uint8Array<ArrayBuffer> | undefined;
}

/** Limits of a forward. */
export interface ForwardLimits {
  readonly fetch: UpstreamFetch;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

const copiedHeaders = ["Accept", "Prefer", "If-Match"];
const passedBackHeaders = ["Content-Type", "ETag", "Last-Modified", "Content-Language"];

function isFhirJson(contentType: string | null): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/fhir+json" || type === "application/json+fhir" ||
    type === "application/json";
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const overflow = () =>
    new PlatformError("BAD_GATEWAY_BUFFER_OVERFLOW", {
      diagnostics:
        `Body buffer overflow: the practice's response exceeded the ${maxBytes} byte limit`,
    });
  const declared = response.headers.get("Content-Length");
  if (declared !== null && Number(declared) > maxBytes) {
    await response.body?.cancel();
    throw overflow();
  }
  return await readCappedStream(response.body, maxBytes, overflow);
}

function isOperationOutcome(bytes: Uint8Array): boolean {
  try {
    return JSON.parse(new TextDecoder().decode(bytes))?.resourceType === "OperationOutcome";
  } catch {
    return false;
  }
}

/**
 * Sends the request to the practice and answers what the consumer gets; throws `PlatformError`.
 *
 * @example
 * ```ts
 * // const response = await forwardToPractice(limits, { method: "GET", url, providerToken, ... });
 * ```
 */
export async function forwardToPractice(
  limits: ForwardLimits,
  request: ForwardRequest,
): Promise<Response> {
  const headers = new Headers({
    Authorization: `Bearer ${request.providerToken}`,
    "X-Request-ID": request.requestId,
    "Interaction-ID": request.interactionId,
    Accept: "application/fhir+json",
  });
  for (const name of copiedHeaders) {
    const value = request.clientHeaders.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (request.correlationId) headers.set("X-Correlation-ID", request.correlationId);
  if (request.body && request.body.byteLength > 0) {
    headers.set(
      "Content-Type",
      request.clientHeaders.get("Content-Type") ?? "application/fhir+json",
    );
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  let response: Response;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    response = await limits.fetch(request.url, {
      method: request.method,
      headers,
      ...(request.body && request.body.byteLength > 0 ? { body: request.body } : {}),
      redirect: "manual",
      signal: controller.signal,
    });
    bytes = await readCapped(response, limits.maxResponseBytes);
  } catch (error) {
    if (error instanceof PlatformError) throw error;
    if (controller.signal.aborted) {
      throw new PlatformError("GATEWAY_TIMEOUT", {
        diagnostics: `The practice did not answer within ${limits.timeoutMs} ms`,
        cause: error,
      });
    }
    throw new PlatformError("BAD_GATEWAY", {
      diagnostics: "The practice could not be reached",
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
  const contentType = response.headers.get("Content-Type");
  const ok = response.status >= 200 && response.status < 300;
  const fhir = isFhirJson(contentType);
  if (!fhir || (!ok && !isOperationOutcome(bytes))) {
    throw new PlatformError("BAD_GATEWAY", {
      diagnostics: `The practice answered HTTP ${response.status} with ${
        contentType ?? "no Content-Type"
      }, not FHIR JSON`,
    });
  }
  const answer = new Headers();
  for (const name of passedBackHeaders) {
    const value = response.headers.get(name);
    if (value !== null) answer.set(name, value);
  }
  return new Response(response.status === 204 ? null : bytes, {
    status: response.status,
    headers: answer,
  });
}
