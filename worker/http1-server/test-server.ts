/**
 * Test support: {@linkcode serveHttp1} on 127.0.0.1 with a free port, collecting the errors it
 * reports instead of printing them, and shut down by `close()`.
 *
 * @module
 */
import { type Http1Handler, type Http1Limits, serveHttp1 } from "./serve-http1.ts";

/** A server under test. */
export interface TestServer {
  readonly port: number;
  /** `http://127.0.0.1:{port}` */
  readonly origin: string;
  /** Everything the server passed to `onError`. */
  readonly errors: unknown[];
  close(): Promise<void>;
}

/**
 * Starts a server for one test.
 *
 * @example
 * ```ts
 * const server = startTestServer(() => new Response("ok"));
 * await (await fetch(`${server.origin}/`)).text();
 * await server.close();
 * ```
 */
export function startTestServer(
  handler: Http1Handler,
  limits: Partial<Http1Limits> = {},
): TestServer {
  const errors: unknown[] = [];
  const server = serveHttp1({
    hostname: "127.0.0.1",
    port: 0,
    limits,
    onError: (error) => errors.push(error),
  }, handler);
  return {
    port: server.addr.port,
    origin: `http://127.0.0.1:${server.addr.port}`,
    errors,
    close: () => server.shutdown(),
  };
}
