/**
 * The forward to the practice (A2 step 9, done better) and what comes back (R8, R12, R27):
 *
 * - The request carries gateway-owned headers only, built here from an allow-list: the
 *   practice's bearer token, `X-Request-ID`, `X-Correlation-ID`, `Interaction-ID` (the
 *   product's), `Accept`, and for a body `Content-Type`, plus `Prefer` and `If-Match`. A client's
 *   `Interaction-ID`, `Ssp-*`, `X-Forwarded-*`, `apikey`, `Host`, cookies and hop-by-hop headers
 *   never reach the practice; the body is the bytes the binding read, with its own length.
 * - The target is the SDS address + the route's path + the query, never built from the request's
 *   host. No redirects are followed; a deadline covers headers and body (R14), cut short by the
 *   request's (R15). A read is retried after a connect failure, 502/503/504 or a 429 with
 *   `Retry-After`, within the request's deadline (R16, R17, R21: upstream-retry.ts); a write is
 *   sent once. Each attempt holds one of the endpoint's slots (R19: concurrency-limit.ts).
 * - The answer is read up to the cap (10 MiB): larger → 502 BAD_GATEWAY_BUFFER_OVERFLOW. An
 *   OperationOutcome error passes through unchanged; a success must be FHIR JSON; a 429 or 503
 *   with `Retry-After` keeps it (throttled, whatever its body); anything else (an HTML 500, a
 *   redirect, a non-FHIR 200) is a 502 OperationOutcome.
 *
 * @module
 */
import type { UpstreamFetch } from "../../app-deps.ts";
import { readCappedStream } from "../../gateway/read-capped-stream.ts";
import { PlatformError } from "../platform-error.ts";
import type { ConcurrencyLimiter, ReleaseSlot } from "./concurrency-limit.ts";
import type { RequestBudget } from "./request-budget.ts";
import {
  type AttemptOutcome,
  decideRetry,
  retryAfterMs,
  type RetryPolicy,
} from "./upstream-retry.ts";

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
  /** One attempt's deadline, ms (R14), shortened to what the request has left (R15). */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** The request's overall deadline (R15, R17). */
  readonly budget: RequestBudget;
  /** How reads are retried (R16, R21). */
  readonly retry: RetryPolicy;
  /** Whether the route may be retried (`safe` in specs/platform-products.json). */
  readonly safe: boolean;
  /** Calls in flight per practice endpoint (R19). */
  readonly slots: ConcurrencyLimiter;
  /** The practice endpoint, the key of its slots. */
  readonly endpoint: string;
  /** Wall-clock ms, to read a `Retry-After` given as a date. */
  readonly now: () => number;
}

const copiedHeaders = ["Accept", "Prefer", "If-Match"];
const passedBackHeaders = ["Content-Type", "ETag", "Last-Modified", "Content-Language"];

/** One attempt: the practice's answer (read under the cap), or why there is none. */
type Attempt =
  | {
    readonly kind: "answer";
    readonly response: Response;
    readonly bytes: Uint8Array<ArrayBuffer>;
  }
  | { readonly kind: "failed"; readonly error: PlatformError; readonly outcome: AttemptOutcome };

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

/** Refusals made before the practice was asked (its slots full, the deadline passed waiting). */
const localRefusals = new WeakSet<PlatformError>();

/**
 * Whether `error`, thrown by {@linkcode forwardToPractice}, says something about the practice:
 * false for gpc-edge's own refusals (no slot, the request's deadline passed while queued), which
 * must not count against the practice's circuit breaker.
 *
 * @example
 * ```ts
 * import { PlatformError } from "../platform-error.ts";
 * isPracticeFailure(new PlatformError("BAD_GATEWAY")); // true
 * ```
 */
export function isPracticeFailure(error: unknown): boolean {
  return !(error instanceof PlatformError && localRefusals.has(error));
}

function localRefusal(error: PlatformError): PlatformError {
  localRefusals.add(error);
  return error;
}

/**
 * Sends the request to the practice, retrying a read as upstream-retry.ts decides, and answers
 * what the consumer gets; throws `PlatformError`.
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
  // Every attempt sends the same headers (the same X-Request-ID, R16) and the same body bytes.
  for (let retries = 0;; retries++) {
    const attempt = await attemptOnce(limits, request, headers);
    const outcome: AttemptOutcome = attempt.kind === "answer"
      ? {
        kind: "answer",
        status: attempt.response.status,
        retryAfterMs: retryAfterMs(attempt.response.headers.get("Retry-After"), limits.now()),
      }
      : attempt.outcome;
    const decision = decideRetry({
      safe: limits.safe,
      retries,
      outcome,
      remainingMs: limits.budget.remainingMs(),
      attemptTimeoutMs: limits.timeoutMs,
    }, limits.retry);
    if (decision.action === "retry") {
      await limits.retry.sleep(decision.waitMs, limits.budget.signal);
      limits.budget.check();
      continue;
    }
    if (attempt.kind === "failed") throw attempt.error;
    return answerOf(attempt.response, attempt.bytes, limits.now());
  }
}

async function attemptOnce(
  limits: ForwardLimits,
  request: ForwardRequest,
  headers: Headers,
): Promise<Attempt> {
  let release: ReleaseSlot | undefined;
  try {
    release = await limits.slots.acquire(limits.endpoint, limits.budget.signal);
  } catch {
    throw localRefusal(limits.budget.expiredError());
  }
  if (release === undefined) {
    throw localRefusal(
      new PlatformError("SERVICE_UNAVAILABLE", {
        diagnostics: "Too many requests to the practice are in flight; try again shortly",
        headers: { "Retry-After": "1" },
      }),
    );
  }
  const call = limits.budget.call(limits.timeoutMs);
  try {
    const response = await limits.fetch(request.url, {
      method: request.method,
      headers,
      ...(request.body && request.body.byteLength > 0 ? { body: request.body } : {}),
      redirect: "manual",
      signal: call.signal,
    });
    return { kind: "answer", response, bytes: await readCapped(response, limits.maxResponseBytes) };
  } catch (error) {
    if (error instanceof PlatformError) throw error;
    if (call.timedOut) {
      return {
        kind: "failed",
        error: call.timeoutError("The practice"),
        outcome: { kind: "timeout" },
      };
    }
    return {
      kind: "failed",
      error: new PlatformError("BAD_GATEWAY", {
        diagnostics: "The practice could not be reached",
        cause: error,
      }),
      outcome: { kind: "unreachable" },
    };
  } finally {
    call.cancel();
    release();
  }
}

/** The consumer's response to the practice's answer (R12, R21, R27). */
function answerOf(response: Response, bytes: Uint8Array<ArrayBuffer>, nowMs: number): Response {
  const contentType = response.headers.get("Content-Type");
  const ok = response.status >= 200 && response.status < 300;
  const fhir = isFhirJson(contentType);
  const waitMs = retryAfterMs(response.headers.get("Retry-After"), nowMs);
  const retryAfter = waitMs === undefined
    ? undefined
    : String(Math.max(1, Math.ceil(waitMs / 1000)));
  const throttled = response.status === 429 || response.status === 503;
  if (!fhir || (!ok && !isOperationOutcome(bytes))) {
    // A practice that says when to come back is answered as such, whatever its body (R21).
    if (throttled && retryAfter !== undefined) {
      throw new PlatformError(response.status === 429 ? "THROTTLED" : "SERVICE_UNAVAILABLE", {
        ...(response.status === 429 ? { display: "The practice is throttling requests" } : {}),
        diagnostics: `The practice answered HTTP ${response.status}; retry after ${retryAfter} s`,
        headers: { "Retry-After": retryAfter },
      });
    }
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
  if (throttled && retryAfter !== undefined) answer.set("Retry-After", retryAfter);
  return new Response(response.status === 204 ? null : bytes, {
    status: response.status,
    headers: answer,
  });
}
