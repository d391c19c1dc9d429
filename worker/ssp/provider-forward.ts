/**
 * The SSP's forward to the provider (reference gpconnect-ssp.md §1.5): method, headers (the
 * `Ssp-*` headers included) and body unchanged, hop-by-hop headers removed both ways, an RFC 7239
 * `Forwarded` element added, both bodies streamed, `redirect: "manual"`, the caller's abort and a
 * configurable timeout propagated. Provider statuses, headers and bodies pass through unchanged.
 * Timeout → 504; unreachable or an invalid response → 502
 * `ERROR_COMMUNICATING_TO_ENDPOINT_URL_<url>`.
 *
 * @module
 */
import type { Clock, UpstreamFetch } from "../app-deps.ts";
import { GpcEdgeError } from "../errors.ts";

/** RFC 9110 §7.6.1 hop-by-hop headers, plus `host`, which `fetch` sets from the target. */
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

/**
 * A copy of `headers` without hop-by-hop headers, including those the `Connection` header names.
 *
 * @example
 * ```ts
 * withoutHopByHop(new Headers({ connection: "x-a", "x-a": "1", "ssp-to": "9" })).has("x-a"); // false
 * ```
 */
export function withoutHopByHop(headers: Headers): Headers {
  const copy = new Headers(headers);
  const named = (headers.get("connection") ?? "").split(",").map((token) =>
    token.trim().toLowerCase()
  );
  for (const name of [...HOP_BY_HOP, ...named]) if (name !== "") copy.delete(name);
  return copy;
}

function quoteForwardedNode(node: string): string {
  // IPv6 addresses and anything with ":" must be quoted (RFC 7239 §6).
  return /^[A-Za-z0-9._-]+$/.test(node) ? node : `"${node.replace(/"/g, "")}"`;
}

/** The RFC 7239 `Forwarded` element describing the hop from the consumer to gpc-edge. */
export function forwardedElement(request: Request, clientAddress: string | undefined): string {
  const url = new URL(request.url);
  const parts = [];
  if (clientAddress) parts.push(`for=${quoteForwardedNode(clientAddress)}`);
  parts.push(`host=${quoteForwardedNode(url.host)}`);
  parts.push(`proto=${url.protocol.replace(":", "")}`);
  return parts.join(";");
}

const DECODED_ENCODINGS = new Set(["gzip", "br", "deflate"]);

/**
 * Whether a decoding `fetch` (Deno's) decoded the body: it does so for gzip, br and deflate when
 * the request accepted that encoding, or sent no `Accept-Encoding` (then it asks for gzip and br).
 */
function fetchDecoded(requestHeaders: Headers, responseHeaders: Headers): boolean {
  const encoding = responseHeaders.get("content-encoding")?.trim().toLowerCase();
  if (!encoding || !DECODED_ENCODINGS.has(encoding)) return false;
  const accepted = requestHeaders.get("accept-encoding");
  if (accepted === null) return encoding !== "deflate";
  return accepted.toLowerCase().split(",").some((token) =>
    token.split(";")[0]!.trim() === encoding
  );
}

/** Options for {@linkcode forwardToProvider}. */
export interface ForwardOptions {
  /** Upstream fetch. */
  readonly fetch: UpstreamFetch;
  /** Clock, for the upstream latency. */
  readonly clock: Clock;
  /** Time allowed until the provider's response headers, in milliseconds. */
  readonly timeoutMs: number;
  /** The consumer's address for `Forwarded: for=`, if the runtime knows it. */
  readonly clientAddress: string | undefined;
  /**
   * Whether the runtime's `fetch` hands back a decoded body while keeping `Content-Encoding`
   * (Deno does); then `Content-Encoding` and `Content-Length` are dropped so the consumer is not
   * told the body is compressed when it is not. Workers re-encode on the way out, so there only
   * `Content-Length` is dropped.
   */
  readonly fetchDecodesBody: boolean;
}

/** The provider's response and how long it took to arrive. */
export interface ForwardResult {
  readonly response: Response;
  readonly upstreamLatencyMs: number;
}

/**
 * Forwards `request` to `targetUrl` verbatim and streams the provider's answer back.
 * Throws a `GpcEdgeError` (SSP audience) on timeout (504) or communication failure (502).
 */
export async function forwardToProvider(
  request: Request,
  targetUrl: string,
  options: ForwardOptions,
): Promise<ForwardResult> {
  const headers = withoutHopByHop(request.headers);
  headers.delete("host");
  const forwarded = forwardedElement(request, options.clientAddress);
  const earlier = request.headers.get("forwarded");
  headers.set("forwarded", earlier ? `${earlier}, ${forwarded}` : forwarded);

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout.signal]);
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== null;
  const started = options.clock.now();
  let upstream: Response;
  try {
    upstream = await options.fetch(targetUrl, {
      method: request.method,
      headers,
      redirect: "manual",
      signal,
      ...(hasBody ? { body: request.body, duplex: "half" } : {}),
    } as RequestInit);
  } catch (cause) {
    if (request.signal.aborted) {
      // The consumer went away; like the SSP's 499 this is logged only, nobody reads the answer.
      throw GpcEdgeError.ssp("CLIENT_CLOSED_REQUEST", {}, { cause });
    }
    if (timeout.signal.aborted) {
      throw GpcEdgeError.ssp("ENDPOINT_TIMEOUT", { providerUrl: targetUrl }, {
        diagnostics: `The provider did not answer within ${options.timeoutMs} ms`,
        cause,
      });
    }
    throw GpcEdgeError.ssp("ERROR_COMMUNICATING", { providerUrl: targetUrl }, { cause });
  } finally {
    clearTimeout(timer);
  }
  const upstreamLatencyMs = options.clock.now() - started;

  const responseHeaders = withoutHopByHop(upstream.headers);
  responseHeaders.delete("content-length");
  if (options.fetchDecodesBody && fetchDecoded(request.headers, upstream.headers)) {
    responseHeaders.delete("content-encoding");
  }
  const nullBody = upstream.status === 204 || upstream.status === 304 || request.method === "HEAD";
  const response = new Response(nullBody ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders,
  });
  return { response, upstreamLatencyMs };
}
