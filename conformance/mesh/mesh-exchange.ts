/**
 * A MESH exchange as the judge sees it and as evidence records it: the answer's bytes
 * (decompressed), its JSON when it is JSON; the request with its `Authorization` redacted to the
 * scheme (`NHSMESH <redacted>`: a token is single-use, but the report never carries one) and
 * bodies as text when they are text, else described by size.
 *
 * @module
 */
import type { Exchange } from "../model.ts";
import { evidenceBodyLimit, redactedHeaders } from "../runner/exchange.ts";
import type { TransportResponse } from "../target/transport.ts";
import type { MeshObserved } from "./mesh-judge.ts";
import type { BuiltMeshRequest } from "./mesh-request.ts";

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The answer as judged: bytes decompressed when they are still gzip (fetch decompresses what
 * arrives with `Content-Encoding: gzip`, and keeps the header), JSON parsed when it parses.
 *
 * @example
 * ```ts ignore
 * const observed = await observeMesh(await target.send(url, request));
 * ```
 */
export async function observeMesh(response: TransportResponse): Promise<MeshObserved> {
  let bytes: Uint8Array = response.bytes ?? new TextEncoder().encode(response.body);
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzip(bytes);
    } catch {
      // Not gzip after all: judged as it came.
    }
  }
  let json: unknown;
  try {
    json = bytes.length === 0 ? undefined : JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, bytes, json };
}

/** Body text for evidence: the text when it is printable UTF-8, else its size. */
export function evidenceBody(bytes: Uint8Array, gzipped = false): string {
  if (gzipped) return `<${bytes.length} bytes, gzip>`;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  // deno-lint-ignore no-control-regex
  if (text.includes("\uFFFD") || /[\u0000-\u0008\u000E-\u001F]/.test(text)) {
    return `<${bytes.length} bytes, binary>`;
  }
  return text.length <= evidenceBodyLimit
    ? text
    : `${text.slice(0, evidenceBodyLimit)}\n…[truncated: ${text.length} characters in all]`;
}

/**
 * The evidence of one exchange (`outcome` is the answer, or why none came).
 *
 * @example
 * ```ts ignore
 * exchanges.push(meshExchange(built, observed, "send", startedAt, 12));
 * ```
 */
export function meshExchange(
  built: BuiltMeshRequest,
  outcome: MeshObserved | string,
  step: string,
  startedAt: Date,
  latencyMs: number,
): Exchange {
  const gzipped = built.headers.get("content-encoding")?.toLowerCase() === "gzip";
  return {
    step,
    request: {
      method: built.method,
      url: built.url,
      headers: redactedHeaders(built.headers),
      ...(built.body === undefined ? {} : { body: evidenceBody(built.body, gzipped) }),
    },
    ...(typeof outcome === "string" ? { error: outcome } : {
      response: {
        status: outcome.status,
        headers: Object.fromEntries(outcome.headers),
        ...(outcome.bytes.length === 0 ? {} : { body: evidenceBody(outcome.bytes) }),
      },
    }),
    startedAt: startedAt.toISOString(),
    latencyMs: Math.round(latencyMs),
  };
}
