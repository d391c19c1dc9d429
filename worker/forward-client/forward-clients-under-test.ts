/**
 * Test support: the SSP forward's two clients on Deno (`GPC_EDGE_FORWARD_CLIENT`), so the tests
 * of the forward over real sockets run once with each: the runtime's `fetch` and the pooled
 * HTTP/1.1 client.
 *
 * @module
 */
import type { UpstreamFetch } from "../app-deps.ts";
import type { ForwardClientKind } from "../config.ts";
import { denoDialer } from "./deno-dialer.ts";
import { createPooledClient } from "./pooled-client.ts";

/** Both clients, in the order tests run them. */
export const FORWARD_CLIENTS: readonly ForwardClientKind[] = ["fetch", "pooled"];

/** A client for one test, with what `createApp` needs to forward through it. */
export interface ForwardClientUnderTest {
  /** The client's `fetch`. */
  readonly fetch: UpstreamFetch;
  /** `createApp`'s runtime options for the SSP to forward through it. */
  readonly runtime: { readonly forwardFetch?: UpstreamFetch; readonly fetchDecodesBody?: boolean };
  /** Closes its kept-alive connections. */
  close(): void;
}

/**
 * The client of `kind`, fresh.
 *
 * @example
 * ```ts
 * const client = forwardClientUnderTest("pooled");
 * client.close();
 * ```
 */
export function forwardClientUnderTest(kind: ForwardClientKind): ForwardClientUnderTest {
  if (kind === "fetch") {
    return { fetch: (input, init) => fetch(input, init), runtime: {}, close() {} };
  }
  const client = createPooledClient({ dial: denoDialer() });
  return {
    fetch: client.fetch,
    runtime: { forwardFetch: client.fetch, fetchDecodesBody: false },
    close: () => client.close(),
  };
}
