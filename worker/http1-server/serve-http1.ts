/**
 * `serveHttp1`: a guarded HTTP/1.1 server on `Deno.listen`, for gpc-edge's Deno entry. It has
 * what `Deno.serve` lacks for a gateway (issue 9): a header-read deadline and an idle deadline
 * (slowloris), size limits answered 414/431, strict framing (request smuggling), and a request
 * URL built from the listen address and the request line, never from `Host`. It is also the
 * faster server on Deno (issue 15). Deno-only: imported by worker/deno.ts alone.
 *
 * @example
 * ```ts
 * import { serveHttp1 } from "./serve-http1.ts";
 *
 * const controller = new AbortController();
 * const server = serveHttp1(
 *   { hostname: "127.0.0.1", port: 0, signal: controller.signal, limits: { headerTimeoutMs: 5000 } },
 *   (request, info) => new Response(`${request.method} ${new URL(request.url).pathname} from ${info.remoteAddr.hostname}`),
 * );
 * const response = await fetch(`http://127.0.0.1:${server.addr.port}/_health`);
 * await response.text();
 * controller.abort();
 * await server.finished;
 * ```
 *
 * @module
 */
import { Http1Connection } from "./connection.ts";
import type { Http1Handler } from "./handler-info.ts";
import { deadlineTickMs, type Http1Limits, resolveHttp1Limits } from "./limits.ts";
import type { Http1ProtocolError } from "./protocol-error.ts";

export type { Http1Handler, Http1HandlerInfo } from "./handler-info.ts";
export { DEFAULT_HTTP1_LIMITS, type Http1Limits } from "./limits.ts";
export { Http1ProtocolError, type Http1RejectionCode } from "./protocol-error.ts";

/** Options of {@linkcode serveHttp1}. */
export interface ServeHttp1Options {
  /** Address to bind, e.g. `127.0.0.1`. */
  readonly hostname: string;
  /** Port to bind; 0 picks a free one (read it from `addr`). */
  readonly port: number;
  /** Aborting it shuts the server down gracefully, as `shutdown()`. */
  readonly signal?: AbortSignal;
  /** Called once listening. (Unlike `Deno.serve`, nothing is printed without it.) */
  readonly onListen?: (addr: Deno.NetAddr) => void;
  /** Overrides of {@linkcode DEFAULT_HTTP1_LIMITS}. */
  readonly limits?: Partial<Http1Limits>;
  /**
   * Told about handler exceptions (answered 500) and responses that could not be sent; default
   * one line on stderr with the error's name and message (never its stack).
   */
  readonly onError?: (error: unknown) => void;
  /**
   * Shapes the answer to a request refused before the app saw it (400, 414, 417, 431); the
   * connection closes after it. Default plain text with the reason.
   */
  readonly rejectionResponse?: (rejection: Http1ProtocolError) => Response | Promise<Response>;
}

/** A running server. */
export interface Http1Server {
  /** The bound address. */
  readonly addr: Deno.NetAddr;
  /** Resolves once the server has shut down and every connection has closed. */
  readonly finished: Promise<void>;
  /**
   * Stops accepting, closes idle connections, lets requests in flight finish (answered with
   * `Connection: close`); resolves as `finished`.
   */
  shutdown(): Promise<void>;
}

function defaultOnError(error: unknown): void {
  const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`serveHttp1: ${described}`);
}

function isListenerClosed(error: unknown): boolean {
  return error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted;
}

/**
 * Serves `handler` over HTTP/1.1 on `options.hostname:options.port`. Throws (synchronously) if
 * the address cannot be bound or a limit is not a positive integer.
 */
export function serveHttp1(options: ServeHttp1Options, handler: Http1Handler): Http1Server {
  const limits = resolveHttp1Limits(options.limits);
  const onError = options.onError ?? defaultOnError;
  const listener = Deno.listen({
    hostname: options.hostname,
    port: options.port,
    transport: "tcp",
  });
  const addr = listener.addr;
  const origin = `http://${
    addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname
  }:${addr.port}`;
  const connections = new Set<Http1Connection>();
  const served = new Set<Promise<void>>();
  let shuttingDown = false;
  let dateSecond = -1;
  let dateText = "";
  const context = {
    limits,
    origin,
    handler,
    onError,
    rejectionResponse: options.rejectionResponse,
    date(): string {
      const now = Date.now();
      const second = Math.floor(now / 1000);
      if (second !== dateSecond) {
        dateSecond = second;
        dateText = new Date(now).toUTCString();
      }
      return dateText;
    },
    shuttingDown: () => shuttingDown,
  };

  // One timer for every deadline of every connection.
  const ticker = setInterval(() => {
    const now = Date.now();
    for (const connection of connections) connection.checkDeadline(now);
  }, deadlineTickMs(limits));

  const acceptLoop = async (): Promise<void> => {
    for (;;) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (shuttingDown || isListenerClosed(error)) return;
        // Out of file descriptors and the like: report, breathe, go on accepting.
        onError(error);
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (shuttingDown) {
        conn.close();
        continue;
      }
      try {
        conn.setNoDelay(true);
      } catch {
        // The client already reset; serve() will find out.
      }
      const connection = new Http1Connection(conn, context);
      connections.add(connection);
      const serving = connection.serve().finally(() => {
        connections.delete(connection);
        served.delete(serving);
      });
      served.add(serving);
    }
  };

  const shutdown = (): Promise<void> => {
    if (!shuttingDown) {
      shuttingDown = true;
      try {
        listener.close();
      } catch {
        // Already closed.
      }
      for (const connection of connections) connection.closeIfIdle();
    }
    return finished;
  };
  const onAbort = () => void shutdown();

  const finished = (async () => {
    await acceptLoop();
    while (served.size > 0) await Promise.all(served);
    clearInterval(ticker);
    options.signal?.removeEventListener("abort", onAbort);
  })();

  if (options.signal?.aborted) shutdown();
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  options.onListen?.(addr);
  return { addr, finished, shutdown };
}
