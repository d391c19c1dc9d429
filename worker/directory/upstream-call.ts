/**
 * One JSON call to a directory upstream (PDS or SDS): a deadline that covers the headers *and*
 * the body, the body read once, and the failure turned into a plain reason the clients wrap in
 * their own `GpcEdgeError` ("PDS unavailable: …", "SDS unavailable: …").
 *
 * The deadline is an `AbortController` with a cleared `setTimeout` rather than the injected
 * clock: a timeout guards against a real socket hanging, which a fake clock never advances, and
 * clearing the timer keeps no stray timers alive after the call.
 *
 * @module
 */
import type { UpstreamFetch } from "../app-deps.ts";

/** What an upstream answered: status, headers, and the body parsed as JSON when it was JSON. */
export interface UpstreamAnswer {
  /** HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers: Headers;
  /** The body parsed as JSON, or `undefined` when it was empty or not JSON. */
  readonly json: unknown;
}

/** The upstream could not be reached or did not answer in time; `message` says which. */
export class UpstreamUnreachable extends Error {
  /** Whether it was too slow (a 504 for the caller) rather than unreachable (a 502). */
  readonly timedOut: boolean;
  constructor(message: string, options?: { cause?: unknown; timedOut?: boolean }) {
    super(message, options);
    this.name = "UpstreamUnreachable";
    this.timedOut = options?.timedOut ?? false;
  }
}

/**
 * Sends `request` through `fetch` and reads the whole body within `timeoutMs`. Throws
 * {@linkcode UpstreamUnreachable} on a network failure or timeout; any HTTP status is an answer.
 */
export async function callUpstream(
  fetch: UpstreamFetch,
  request: Request,
  timeoutMs: number,
): Promise<UpstreamAnswer> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  try {
    const response = await fetch(new Request(request, { signal: controller.signal }));
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: parseJson(text) };
  } catch (error) {
    if (timedOut) {
      throw new UpstreamUnreachable(`no answer within ${timeoutMs} ms`, {
        cause: error,
        timedOut: true,
      });
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new UpstreamUnreachable(`network error: ${detail}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The first issue of a FHIR OperationOutcome body: its Spine code and diagnostics, if any. */
export function operationOutcomeIssue(
  json: unknown,
): { code: string | undefined; diagnostics: string | undefined } {
  const outcome = json as {
    resourceType?: unknown;
    issue?: Array<{ details?: { coding?: Array<{ code?: unknown }> }; diagnostics?: unknown }>;
  } | null;
  if (outcome?.resourceType !== "OperationOutcome" || !Array.isArray(outcome.issue)) {
    return { code: undefined, diagnostics: undefined };
  }
  const issue = outcome.issue[0];
  const code = issue?.details?.coding?.[0]?.code;
  const diagnostics = issue?.diagnostics;
  return {
    code: typeof code === "string" ? code : undefined,
    diagnostics: typeof diagnostics === "string" ? diagnostics : undefined,
  };
}

/** A short description of an unexpected answer for diagnostics, e.g. `HTTP 500 UNKNOWN_ERROR`. */
export function describeAnswer(answer: UpstreamAnswer): string {
  const { code, diagnostics } = operationOutcomeIssue(answer.json);
  return [`HTTP ${answer.status}`, code, diagnostics && `(${diagnostics})`]
    .filter((part) => part).join(" ");
}
