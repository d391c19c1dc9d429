/**
 * The SSP's forward to the provider (reference gpconnect-ssp.md §1.5): method, headers (the
 * `Ssp-*` headers included) and body unchanged, hop-by-hop headers removed both ways, both bodies
 * streamed, `redirect: "manual"`. Provider statuses, headers and bodies pass through unchanged.
 *
 * The gateway's part (issue 9):
 * - **Forwarding headers** (B4, R8): `Forwarded`, `X-Forwarded-*` and `X-Real-IP` from the
 *   consumer are dropped unless it is a trusted proxy; gpc-edge adds its own RFC 7239 element
 *   (`for=` the peer, `host=` and `proto=` of its configured public URL, never the caller's
 *   `Host`), appended to a trusted proxy's `Forwarded`.
 * - **Deadlines**: the provider's response headers within `timeoutMs` (S7, 30 s), and the whole
 *   exchange within the request's deadline, body included: the body is watched
 *   (gateway/watched-body.ts) and cut when the deadline passes.
 * - **Body cap**: a request body cut by the cap (gateway/request-body-cap.ts) is the cap's 413,
 *   and a body the consumer broke off a 400 `MESSAGE_NOT_WELL_FORMED`, not a communication
 *   failure of the provider's.
 *
 * Timeout → 504 `TIMEOUT_COMMUNICATING_TO_ENDPOINT_URL_<url>`; unreachable or an invalid
 * response → 502 `ERROR_COMMUNICATING_TO_ENDPOINT_URL_<url>`; the consumer gone → 499 (logged).
 *
 * @module
 */
import type { Clock, UpstreamFetch } from "../app-deps.ts";
import { GpcEdgeError } from "../errors.ts";
import { wholeRequestBody } from "../whole-request-body.ts";
import { endToEndEntries } from "../gateway/connection-header.ts";
import { receivedFields } from "../../gpconnect/header-pairs.ts";
import type { DeadlineScheduler } from "../gateway/deadline-scheduler.ts";
import {
  forwardedElement,
  isForwardingHeader,
  isTrustedProxy,
  type TrustedProxies,
} from "../gateway/forwarding-headers.ts";
import { bodyBroken, bodyCapError } from "../gateway/request-body-cap.ts";
import { type Deadline, DeadlineExceeded } from "../gateway/request-deadline.ts";
import { type BodyEnd, watchResponseBody } from "../gateway/watched-body.ts";
import { PooledResponse } from "../forward-client/pooled-response.ts";
import { BytesResponse } from "../http1-server/bytes-response.ts";
import { endToEndFields } from "../forward-client/response-fields.ts";
import {
  EXCHANGE_CANCEL,
  ExchangeCancel,
  takesExchangeCancel,
} from "../forward-client/exchange-cancel.ts";

const DECODED_ENCODINGS = new Set(["gzip", "br", "deflate"]);

/** `host` is set by `fetch` from the target; `forwarded` is re-added with this hop appended. */
const dropFromRequest = (name: string) => name === "host" || name === "forwarded";
/** A consumer that is not a trusted proxy also loses what it claims about earlier hops. */
const dropFromUntrustedRequest = (name: string) => name === "host" || isForwardingHeader(name);
/** The body is re-streamed, so its length is the runtime's to set. */
const dropFromResponse = (name: string) => name === "content-length";
/** … and a body the runtime's `fetch` decoded is no longer encoded. */
const dropFromDecodedResponse = (name: string) =>
  name === "content-length" || name === "content-encoding";

/**
 * Whether a decoding `fetch` (Deno's, workerd's) decoded the body: Deno's does so for gzip, br
 * and deflate when the request accepted that encoding, or sent no `Accept-Encoding` (then it asks
 * for gzip and br); workerd gives a Worker `Accept-Encoding: br, gzip` whatever the client sent.
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

/** How gpc-edge describes itself to providers. */
export interface ForwardingIdentity {
  /** Its public `host[:port]`. */
  readonly host: string;
  /** Its public scheme, `http` or `https`. */
  readonly proto: string;
  /** Peers whose forwarding headers are kept. */
  readonly trustedProxies: TrustedProxies;
}

/**
 * The identity of gpc-edge's public URL.
 *
 * @example
 * ```ts
 * forwardingIdentity("https://edge.example.nhs.uk", []).host; // "edge.example.nhs.uk"
 * ```
 */
export function forwardingIdentity(
  publicUrl: string,
  trustedProxies: TrustedProxies,
): ForwardingIdentity {
  const url = new URL(publicUrl);
  return { host: url.host, proto: url.protocol.slice(0, -1), trustedProxies };
}

/** Options for {@linkcode forwardToProvider}. */
export interface ForwardOptions {
  /** Upstream fetch. */
  readonly fetch: UpstreamFetch;
  /** Clock, for the upstream latency. */
  readonly clock: Clock;
  /** Time allowed until the provider's response headers, in milliseconds. */
  readonly timeoutMs: number;
  /** Where that timeout waits. */
  readonly scheduler: DeadlineScheduler;
  /** The whole exchange's deadline, body included (none: only `timeoutMs` applies). */
  readonly deadline?: Deadline | undefined;
  /** The consumer's address for `Forwarded: for=`, if the runtime knows it. */
  readonly clientAddress: string | undefined;
  /** gpc-edge's public identity and trusted proxies. */
  readonly identity: ForwardingIdentity;
  /**
   * Whether the runtime's `fetch` hands back a decoded body while keeping `Content-Encoding`
   * (Deno's and workerd's both do); then `Content-Encoding` and `Content-Length` are dropped so
   * the consumer is not told the body is compressed when it is not. On Workers a response that
   * kept the header would be compressed again on the way out, whatever the client accepted.
   */
  readonly fetchDecodesBody: boolean;
  /**
   * `targetUrl` already parsed (the SSP's target check parsed it): handed to the upstream fetch
   * as is, so the pooled client does not parse it again.
   */
  readonly parsedTarget?: URL;
}

/** The provider's response, how long it took to arrive, and when its body ends. */
export interface ForwardResult {
  readonly response: Response;
  readonly upstreamLatencyMs: number;
  /** Resolves when the streamed body ends (undefined when no body is streamed). */
  readonly bodyEnd: Promise<BodyEnd> | undefined;
  /**
   * How the body ended when it was handed over whole, without a stream (the pooled client's
   * small answers): known at once, so nobody waits on a promise for it.
   */
  readonly bodyDone?: BodyEnd;
}

/**
 * Forwards `request` to `targetUrl` and streams the provider's answer back. Throws a
 * `GpcEdgeError` (SSP audience): 504 on a timeout, 502 on a communication failure, 499 when the
 * consumer went away, the cap's 413 when the request body was too large.
 */
export async function forwardToProvider(
  request: Request,
  targetUrl: string,
  options: ForwardOptions,
): Promise<ForwardResult> {
  const trusted = isTrustedProxy(options.identity.trustedProxies, options.clientAddress);
  const headers = endToEndEntries(
    receivedFields(request.headers),
    trusted ? dropFromRequest : dropFromUntrustedRequest,
  );
  const hop = forwardedElement({
    clientAddress: options.clientAddress,
    host: options.identity.host,
    proto: options.identity.proto,
  });
  const earlier = trusted ? request.headers.get("forwarded") : null;
  headers.push(["forwarded", earlier ? `${earlier}, ${hop}` : hop]);

  // One controller for every reason to stop: the consumer going away, the header timeout and the
  // request's deadline. Not `AbortSignal.any`: its dependent signals are tracked through
  // WeakRefs, which only a full GC clears, and they kept about 1 KB a request alive between full
  // GCs (README "Benchmarks").
  // The pooled client takes an ExchangeCancel instead: no controller and signal per request.
  const exchangeCancel = takesExchangeCancel(options.fetch) ? new ExchangeCancel() : undefined;
  const abort = exchangeCancel ? undefined : new AbortController();
  const stop = (reason: unknown) =>
    exchangeCancel ? exchangeCancel.cancel(reason) : abort!.abort(reason);
  const consumer = request.signal;
  const consumerGone = () => stop(consumer.reason);
  if (consumer.aborted) consumerGone();
  else consumer.addEventListener("abort", consumerGone, { once: true });
  const deadline = options.deadline;
  const deadlinePassed = () => stop(deadline!.signal.reason);
  if (deadline?.signal.aborted) deadlinePassed();
  else deadline?.signal.addEventListener("abort", deadlinePassed, { once: true });
  let headersTimedOut = false;
  /** What the consumer is answered when the exchange fails before the answer starts. */
  const failure = (cause: unknown): Error => {
    consumer.removeEventListener("abort", consumerGone);
    deadline?.signal.removeEventListener("abort", deadlinePassed);
    const capped = bodyCapError(request);
    if (capped) return capped;
    if (consumer.aborted) {
      // The consumer went away; like the SSP's 499 this is logged only, nobody reads the answer.
      return GpcEdgeError.ssp("CLIENT_CLOSED_REQUEST", {}, { cause });
    }
    if (bodyBroken(request)) {
      // The consumer's body broke off; the provider is not to blame.
      return GpcEdgeError.ssp("MESSAGE_NOT_WELL_FORMED", {}, {
        diagnostics: "The request body ended before its framing said it would",
        cause,
      });
    }
    if (headersTimedOut || deadline?.expired) {
      return GpcEdgeError.ssp("ENDPOINT_TIMEOUT", { providerUrl: targetUrl }, {
        diagnostics: headersTimedOut
          ? `The provider did not answer within ${options.timeoutMs} ms`
          : `The request did not complete within its deadline of ${deadline!.ms} ms`,
        cause,
      });
    }
    return GpcEdgeError.ssp("ERROR_COMMUNICATING", { providerUrl: targetUrl }, { cause });
  };
  const cancelHeaderTimeout = options.scheduler.schedule(options.timeoutMs, () => {
    headersTimedOut = true;
    stop(new DeadlineExceeded(options.timeoutMs));
  });
  const mayHaveBody = request.method !== "GET" && request.method !== "HEAD";
  // A body the server read whole (decision G16) goes as its bytes: no stream per request.
  const whole = mayHaveBody ? wholeRequestBody(request) : undefined;
  const streamed = whole === undefined && mayHaveBody && request.body !== null;
  const started = options.clock.now();
  let upstream: Response;
  try {
    upstream = await options.fetch(options.parsedTarget ?? targetUrl, {
      method: request.method,
      headers,
      redirect: "manual",
      ...(exchangeCancel ? { [EXCHANGE_CANCEL]: exchangeCancel } : { signal: abort!.signal }),
      ...(whole !== undefined ? { body: whole } : {}),
      ...(streamed ? { body: request.body, duplex: "half" } : {}),
    } as RequestInit);
  } catch (cause) {
    throw failure(cause);
  } finally {
    cancelHeaderTimeout();
  }
  const upstreamLatencyMs = options.clock.now() - started;

  // The pooled client's answer carries its field lines and, when small, its whole body: no
  // `Headers` to iterate and no stream to pipe (issue 15).
  const pooled = upstream instanceof PooledResponse ? upstream : undefined;
  const dropped = options.fetchDecodesBody && fetchDecoded(request.headers, upstream.headers)
    ? dropFromDecodedResponse
    : dropFromResponse;
  const responseHeaders = pooled
    ? endToEndFields(pooled.fields, dropped)
    : endToEndEntries(upstream.headers, dropped);
  const nullBody = upstream.status === 204 || upstream.status === 304 || request.method === "HEAD";
  let body: ReadableStream<Uint8Array> | null = null;
  let bodyEnd: Promise<BodyEnd> | undefined;
  if (!nullBody && pooled?.wholeBody !== undefined) {
    // Already here whole: nothing left for the deadline to cut or the provider to break.
    consumer.removeEventListener("abort", consumerGone);
    deadline?.signal.removeEventListener("abort", deadlinePassed);
    const bytes = pooled.wholeBody;
    return {
      // The HTTP/1.1 writer sends a BytesResponse's bytes without making a stream of them.
      // Its fields are the provider's lines as the pooled client's parser checked them.
      response: new BytesResponse(
        bytes,
        { status: upstream.status, statusText: upstream.statusText },
        responseHeaders,
      ),
      upstreamLatencyMs,
      bodyEnd: undefined,
      bodyDone: { outcome: "complete", bytes: bytes.length },
    };
  }
  if (nullBody || upstream.body === null) {
    await upstream.body?.cancel().catch(() => {});
    consumer.removeEventListener("abort", consumerGone);
    deadline?.signal.removeEventListener("abort", deadlinePassed);
  } else {
    // The first chunk is read before the answer starts: a provider whose body fails before its
    // first byte gets the consumer the SSP's 502 (or 504), not a server's generic 500. A writer
    // waits for the first chunk before the head anyway.
    const source = upstream.body.getReader();
    let first: ReadableStreamReadResult<Uint8Array>;
    try {
      first = await source.read();
    } catch (cause) {
      throw failure(cause);
    }
    const watched = watchResponseBody(source, deadline, first);
    body = watched.body;
    bodyEnd = watched.ended;
    bodyEnd.then(() => {
      consumer.removeEventListener("abort", consumerGone);
      deadline?.signal.removeEventListener("abort", deadlinePassed);
    });
  }
  const response = new Response(body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders,
  });
  return { response, upstreamLatencyMs, bodyEnd };
}
