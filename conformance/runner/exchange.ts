/**
 * Sends one built request and records it as evidence (model.ts `Exchange`): the `Authorization`
 * header redacted (`Bearer <redacted>`), the JWT's decoded claims instead of the token, the
 * response with its body (truncated past 1 MB with a note), the latency, or the transport error.
 *
 * @module
 */
import { readCompactJws } from "../../gpconnect/jwt/jws-compact.ts";
import type { Exchange } from "../model.ts";
import type { Target } from "../target/target.ts";
import type { TransportResponse } from "../target/transport.ts";
import { parseFhirBody } from "./fhir-body.ts";
import type { BuiltRequest } from "./request-builder.ts";
import { timedExchange } from "./timed-exchange.ts";

/** A response as the judge sees it. */
export interface ObservedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as FHIR JSON, when it is FHIR JSON or XML. */
  readonly body: unknown;
}

/** The result of sending. */
export interface SentExchange {
  readonly exchange: Exchange;
  /** Absent on a transport failure (then `exchange.error` says why). */
  readonly response?: ObservedResponse;
}

/** Body text kept in evidence. */
export const evidenceBodyLimit = 1024 * 1024;

/**
 * Sends `request` to `target`.
 *
 * @example
 * ```ts
 * import { buildRequest } from "./request-builder.ts";
 * import { fhirResponse, stubTarget, testBuildContext } from "./test-support.ts";
 *
 * const target = stubTarget(() => fhirResponse(200, { resourceType: "CapabilityStatement" }));
 * const built = buildRequest(
 *   { interaction: "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1", path: "/metadata" },
 *   [],
 *   testBuildContext(target),
 * );
 *
 * const { exchange, response } = await sendRequest(target, built, "metadata");
 * response?.status; // 200
 * ```
 */
export async function sendRequest(
  target: Pick<Target, "send">,
  request: BuiltRequest,
  step?: string,
): Promise<SentExchange> {
  const recorded = {
    method: request.method,
    url: request.url,
    headers: redactedHeaders(request.headers),
    ...(request.body === undefined ? {} : { body: evidenceText(request.body) }),
    ...jwtEvidence(request),
  };
  const { exchange, response } = await timedExchange(
    { ...(step === undefined ? {} : { step }), request: recorded },
    () =>
      target.send(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      }),
    { body: (answer) => evidenceText(answer.body), error: transportError },
  );
  return response === undefined ? { exchange } : { exchange, response: observedResponse(response) };
}

/** A response as the judge sees it: its body parsed when it is FHIR JSON or XML. */
export function observedResponse(response: TransportResponse): ObservedResponse {
  return {
    status: response.status,
    headers: response.headers,
    text: response.body,
    body: parseFhirBody(response.body, response.headers.get("content-type")),
  };
}

/** Headers as a record with `Authorization` redacted to its scheme. */
export function redactedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (name === "authorization") {
      const scheme = /^\S+(?=\s)/.exec(value.trim())?.[0];
      out[name] = scheme ? `${scheme} <redacted>` : "<redacted>";
    } else out[name] = value;
  }
  return out;
}

function jwtEvidence(request: BuiltRequest): { jwt?: unknown } {
  if (request.jwt !== undefined) return { jwt: structuredClone(request.jwt) };
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  const claims = token === undefined ? undefined : readCompactJws(token).payload;
  return claims === undefined ? {} : { jwt: claims };
}

/** A body as evidence keeps it: whole up to {@linkcode evidenceBodyLimit}, else cut and said so. */
export function evidenceText(text: string): string {
  if (text.length <= evidenceBodyLimit) return text;
  return `${text.slice(0, evidenceBodyLimit)}\n…[truncated: ${text.length} characters in all]`;
}

/** What a failed call says in evidence: its message, and its cause's (refused, TLS) when new. */
export function transportError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}
