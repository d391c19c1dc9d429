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

/** RFC 9110 §7.6.1 hop-by-hop headers. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * The entries of `headers` (lower-case names, in `Headers` iteration order) without hop-by-hop
 * headers, those the `Connection` header names, and any name in `drop`. A plain list rather than
 * a `Headers` copy: `fetch` and `Response` validate a header list once when they take it, and a
 * copy would be validated twice on the hot path (bench/hot-path.bench.ts).
 */
function endToEndEntries(
  headers: Headers,
  drop: ReadonlySet<string> = new Set(),
): Array<[string, string]> {
  const connection = headers.get("connection");
  const named = connection === null
    ? undefined
    : new Set(connection.split(",").map((token) => token.trim().toLowerCase()));
  const entries: Array<[string, string]> = [];
  for (const [name, value] of headers) {
    if (!HOP_BY_HOP.has(name) && !drop.has(name) && !named?.has(name)) entries.push([name, value]);
  }
  return entries;
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

/** `host` is set by `fetch` from the target; `forwarded` is re-added with this hop appended. */
const REQUEST_DROPPED: ReadonlySet<string> = new Set(["host"]);
/** The body is re-streamed, so its length is the runtime's to set. */
const RESPONSE_DROPPED: ReadonlySet<string> = new Set(["content-length"]);
/** … and a body the runtime's `fetch` decoded is no longer encoded. */
const RESPONSE_DROPPED_DECODED: ReadonlySet<string> = new Set([
  "content-length",
  "content-encoding",
]);

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
  const headers = endToEndEntries(request.headers, REQUEST_DROPPED);
  const forwarded = forwardedElement(request, options.clientAddress);
  const earlier = headers.find(([name]) => name === "forwarded");
  if (earlier) earlier[1] = `${earlier[1]}, ${forwarded}`;
  else headers.push(["forwarded", forwarded]);

  // One controller for both reasons to stop: the consumer going away (for the whole exchange,
  // body included) and the timeout (until the response headers). Not `AbortSignal.any`: its
  // dependent signals are tracked through WeakRefs, which only a full GC clears, and they kept
  // about 1 KB a request alive between full GCs (README "Benchmarks").
  const abort = new AbortController();
  const consumer = request.signal;
  const consumerGone = () => abort.abort(consumer.reason);
  if (consumer.aborted) consumerGone();
  else consumer.addEventListener("abort", consumerGone, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, options.timeoutMs);
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== null;
  const started = options.clock.now();
  let upstream: Response;
  try {
    upstream = await options.fetch(targetUrl, {
      method: request.method,
      headers,
      redirect: "manual",
      signal: abort.signal,
      ...(hasBody ? { body: request.body, duplex: "half" } : {}),
    } as RequestInit);
  } catch (cause) {
    if (consumer.aborted) {
      // The consumer went away; like the SSP's 499 this is logged only, nobody reads the answer.
      throw GpcEdgeError.ssp("CLIENT_CLOSED_REQUEST", {}, { cause });
    }
    if (timedOut) {
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

  const responseHeaders = endToEndEntries(
    upstream.headers,
    options.fetchDecodesBody && fetchDecoded(request.headers, upstream.headers)
      ? RESPONSE_DROPPED_DECODED
      : RESPONSE_DROPPED,
  );
  const nullBody = upstream.status === 204 || upstream.status === 304 || request.method === "HEAD";
  const response = new Response(nullBody ? null : upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders,
  });
  return { response, upstreamLatencyMs };
}
