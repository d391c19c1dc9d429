/**
 * The pooled HTTP/1.1 forward client (issue 15): a `fetch`-shaped function over kept-alive
 * connections of its own, for the SSP's forward on Deno. It keeps every property the forward has
 * with the runtime's `fetch`:
 * - both bodies streamed with backpressure (the request body written chunk by chunk as it is
 *   read; a chunked or larger response body read off the socket only as the consumer pulls);
 * - redirects never followed (`redirect: "manual"` is the only behaviour);
 * - content codings untouched: no `Accept-Encoding` added, a gzip body passes as gzip;
 * - hop-by-hop and framing fields of the caller dropped, `Host` from the target;
 * - an abort (the consumer gone, a deadline on the timer wheel) closes the connection and fails
 *   the call, or the body stream if the head had come;
 * - a connection is reused only after an exchange framed beyond doubt, never after an error.
 *
 * A reused connection the provider had closed meanwhile is retried once on a new one when the
 * method is idempotent and the request carried no streamed body (nothing of it has been
 * consumed). Small answers (a `Content-Length` body of up to {@linkcode WHOLE_BODY_MAX_BYTES}) are
 * read whole and come back as bytes on a {@linkcode PooledResponse}: a provider that breaks one
 * off or stalls fails the call itself, as a missing head does, not a body already being passed on.
 *
 * @module
 */
import type { UpstreamFetch } from "../app-deps.ts";
import { type DeadlineScheduler, perRequestTimers } from "../gateway/deadline-scheduler.ts";
import { ConnectionPool, type Dialer, type UpstreamOrigin } from "./connection-pool.ts";
import {
  type AbortSource,
  acceptExchangeCancel,
  EXCHANGE_CANCEL,
  type ExchangeCancel,
} from "./exchange-cancel.ts";
import { PooledResponse } from "./pooled-response.ts";
import {
  encodeChunk,
  encodeLatin1,
  encodeRequestHead,
  LAST_CHUNK,
  type RequestFraming,
} from "./request-encoder.ts";
import { FramedBodyReader, responseBodyStream } from "./response-body.ts";
import { StaleConnection, type UpstreamConnection } from "./upstream-connection.ts";
import { asUpstreamError, UpstreamProtocolError } from "./upstream-error.ts";

/** Options of {@linkcode createPooledClient}. */
export interface PooledClientOptions {
  /** Opens sockets (deno-dialer.ts: TCP, or TLS with the configured CA and client certificate). */
  readonly dial: Dialer;
  /** Where idle timeouts wait (default one timer per connection). */
  readonly scheduler?: DeadlineScheduler;
  /** Idle connections kept per origin (default 64). */
  readonly maxIdlePerOrigin?: number;
  /** Idle timeout, in milliseconds (default 4,000). */
  readonly idleTimeoutMs?: number;
}

/** A pooled client. */
export interface PooledClient {
  /** The `fetch`-shaped entry (`input` a URL string, `URL` or `Request`). */
  readonly fetch: UpstreamFetch;
  /** Connections opened so far. */
  readonly opened: number;
  /** Idle connections now. */
  readonly idle: number;
  /** Closes the idle connections (those in use close when their exchange ends). */
  close(): void;
}

type Body = Uint8Array | ReadableStream<Uint8Array> | null;

/**
 * A `Content-Length` body up to this size is read whole before the answer is returned, and comes
 * back as bytes (`wholeBody`); a larger or chunked one streams (decision G14). It fits the
 * connection's buffer beside a head.
 */
export const WHOLE_BODY_MAX_BYTES = 64 * 1024;

/** Methods a client may repeat without changing the outcome (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

/** Origins by key, so a request to a known provider allocates none (bounded: providers are few). */
type OriginCache = Map<string, UpstreamOrigin>;

function originOf(url: URL, originCache: OriginCache): UpstreamOrigin {
  const tls = url.protocol === "https:";
  if (!tls && url.protocol !== "http:") {
    throw new TypeError(`Only http and https URLs can be fetched, not ${url.protocol}`);
  }
  const port = url.port === "" ? (tls ? 443 : 80) : Number(url.port);
  const key = `${url.protocol}//${url.hostname}:${port}`;
  let origin = originCache.get(key);
  if (origin === undefined) {
    const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    origin = { key, tls, hostname, port };
    if (originCache.size < 1024) originCache.set(key, origin);
  }
  return origin;
}

function headerEntries(init: HeadersInit | undefined): Iterable<readonly [string, string]> {
  if (init === undefined) return [];
  if (Array.isArray(init)) return init as Array<[string, string]>;
  if (init instanceof Headers) return init;
  return Object.entries(init as Record<string, string>);
}

async function bodyOf(body: BodyInit | null | undefined): Promise<Body> {
  if (body === null || body === undefined) return null;
  if (body instanceof ReadableStream) return body as ReadableStream<Uint8Array>;
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

function contentLengthOf(fields: Iterable<readonly [string, string]>): number | undefined {
  for (const [name, value] of fields) {
    if (
      name.length === 14 && name.toLowerCase() === "content-length" && /^[0-9]{1,15}$/.test(value)
    ) {
      return Number(value);
    }
  }
  return undefined;
}

/** Writes a streamed body: as declared by `length`, or chunked. Closes nothing. */
async function writeStreamedBody(
  connection: UpstreamConnection,
  body: ReadableStream<Uint8Array>,
  length: number | undefined,
): Promise<void> {
  const reader = body.getReader();
  let written = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (value.length === 0) continue;
      written += value.length;
      if (length !== undefined && written > length) {
        throw new UpstreamProtocolError(
          "request-body-mismatch",
          "The request body is longer than its Content-Length",
        );
      }
      await connection.write(length === undefined ? encodeChunk(value) : value);
    }
    if (length === undefined) await connection.write(LAST_CHUNK);
    else if (written !== length) {
      throw new UpstreamProtocolError(
        "request-body-mismatch",
        "The request body is shorter than its Content-Length",
      );
    }
  } catch (error) {
    reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
}

/**
 * Creates a pooled client.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denoDialer } from "./deno-dialer.ts";
 * const provider = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
 *   new Response("ok")
 * );
 * const client = createPooledClient({ dial: denoDialer() });
 * try {
 *   const response = await client.fetch(`http://127.0.0.1:${provider.addr.port}/`);
 *   assert.equal(await response.text(), "ok");
 * } finally {
 *   client.close();
 *   await provider.shutdown();
 * }
 * ```
 */
export function createPooledClient(options: PooledClientOptions): PooledClient {
  const origins: OriginCache = new Map();
  const pool = new ConnectionPool({
    dial: options.dial,
    scheduler: options.scheduler ?? perRequestTimers,
    ...(options.maxIdlePerOrigin === undefined
      ? {}
      : { maxIdlePerOrigin: options.maxIdlePerOrigin }),
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
  });

  async function connect(origin: UpstreamOrigin, signal: AbortSource | undefined) {
    const idle = pool.takeIdle(origin);
    if (idle) return idle;
    if (!signal) return await pool.open(origin);
    // A dial cannot be cancelled; an abort stops the wait, and a late connection is closed.
    const opening = pool.open(origin);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([opening, aborted]);
    } catch (error) {
      opening.then((connection) => connection.close(), () => {});
      throw error;
    } finally {
      signal.removeEventListener("abort", onAbort!);
    }
  }

  async function exchange(
    connection: UpstreamConnection,
    method: string,
    head: Uint8Array,
    body: Body,
    declaredLength: number | undefined,
    signal: AbortSource | undefined,
  ): Promise<Response> {
    let abortReason: unknown = undefined;
    const onAbort = () => {
      abortReason = signal!.reason ?? new DOMException("The request was aborted", "AbortError");
      connection.close();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const detach = () => signal?.removeEventListener("abort", onAbort);

    // The request goes out while the answer is awaited: a provider may answer (a 413, say)
    // before it has read the whole body.
    let written = false;
    let writeFailure: unknown = undefined;
    let writing: Promise<void>;
    if (body instanceof ReadableStream) {
      writing = connection.write(head).then(() =>
        writeStreamedBody(connection, body, declaredLength)
      );
    } else if (body !== null && body.length > 0) {
      const whole = new Uint8Array(head.length + body.length);
      whole.set(head);
      whole.set(body, head.length);
      writing = connection.write(whole);
    } else {
      writing = connection.write(head);
    }
    writing.then(() => written = true, (error) => {
      writeFailure = error;
      // A request body that broke off leaves the provider waiting for the rest: end it.
      if (error instanceof UpstreamProtocolError || body instanceof ReadableStream) {
        connection.close();
      }
    });

    let responseHead;
    try {
      responseHead = await connection.readHead(method);
    } catch (error) {
      detach();
      connection.close();
      if (abortReason !== undefined) throw abortReason;
      if (error instanceof StaleConnection) throw error;
      throw writeFailure instanceof UpstreamProtocolError ? writeFailure : error;
    }
    const finish = (complete: boolean) => {
      detach();
      connection.exchanges++;
      // Reused only when the answer was framed beyond doubt, the request went out whole, and
      // nothing follows the answer.
      if (!complete || !responseHead.keepAlive || connection.reader.buffered > 0) {
        connection.close();
      } else if (written) {
        pool.release(connection);
      } else {
        // The answer ended as the request's last bytes went out (a provider that echoes):
        // reusable once the write is known to be whole.
        writing.then(() => pool.release(connection), () => connection.close());
      }
    };
    const framing = responseHead.framing;
    if (framing.kind === "none" || responseHead.status === 205) {
      // 205 has no content (RFC 9110 §15.3.6) and a Response cannot carry one: its connection is
      // kept only when nothing was framed after its head.
      finish(framing.kind === "none" || (framing.kind === "length" && framing.length === 0));
      return new PooledResponse(responseHead, null);
    }
    const reader = connection.reader;
    if (framing.kind === "length" && framing.length <= WHOLE_BODY_MAX_BYTES) {
      // A small body is read whole before the answer is returned (decision G14): a Deno
      // `ReadableStream` and what it holds outlive young-generation collections, and providers
      // often send the head and a small body in two writes.
      try {
        while (reader.buffered < framing.length) {
          if (!(await reader.fill())) {
            throw new UpstreamProtocolError(
              "body-truncated",
              "The provider closed the connection before its Content-Length was reached",
              reader.error === undefined ? undefined : { cause: reader.error },
            );
          }
        }
      } catch (error) {
        detach();
        connection.close();
        if (abortReason !== undefined) throw abortReason;
        throw asUpstreamError(error);
      }
      // `take` copies out of the connection buffer (a fresh ArrayBuffer).
      const bytes = reader.take(framing.length) as Uint8Array<ArrayBuffer>;
      finish(true);
      return new PooledResponse(responseHead, bytes);
    }
    const stream = responseBodyStream(
      new FramedBodyReader(reader, framing),
      (ending) => finish(ending === "complete"),
      () => abortReason,
    );
    return new PooledResponse(responseHead, stream);
  }

  const pooledFetch: UpstreamFetch = async (input, init = {}) => {
    let url: URL;
    let method = init.method ?? "GET";
    let fields = headerEntries(init.headers);
    let bodyInit = init.body;
    // The SSP forward's ExchangeCancel stands in for a signal (no controller per request).
    let signal: AbortSource | undefined = init.signal ??
      (init as { [EXCHANGE_CANCEL]?: ExchangeCancel })[EXCHANGE_CANCEL];
    if (input instanceof Request) {
      url = new URL(input.url);
      if (init.method === undefined) method = input.method;
      if (init.headers === undefined) fields = input.headers;
      if (init.body === undefined) bodyInit = input.body;
      signal ??= input.signal;
    } else {
      url = input instanceof URL ? input : new URL(input);
    }
    if (signal?.aborted) throw signal.reason;
    const origin = originOf(url, origins);
    const body = await bodyOf(bodyInit);
    const declared = body instanceof ReadableStream ? contentLengthOf(fields) : undefined;
    const framing: RequestFraming = body instanceof ReadableStream
      ? declared ?? "chunked"
      : body !== null
      ? body.length
      : method === "POST" || method === "PUT" || method === "PATCH"
      ? 0
      : "none";
    const head = encodeLatin1(
      encodeRequestHead(method, `${url.pathname}${url.search}`, url.host, fields, framing),
    );
    for (let attempt = 0;; attempt++) {
      const connection = await connect(origin, signal);
      const reused = connection.exchanges > 0;
      try {
        return await exchange(connection, method, head, body, declared, signal);
      } catch (error) {
        // Nothing of a streamed body can be sent twice; bytes or no body can, but only for an
        // idempotent method: the provider may have acted before it closed (RFC 9112 §9.3.1).
        const retry = reused && attempt === 0 && error instanceof StaleConnection &&
          !(body instanceof ReadableStream) && IDEMPOTENT_METHODS.has(method);
        if (!retry) throw error;
      }
    }
  };

  return {
    fetch: acceptExchangeCancel(pooledFetch),
    get opened() {
      return pool.opened;
    },
    get idle() {
      return pool.idleCount;
    },
    close: () => pool.close(),
  };
}
