/**
 * Test support for the pooled client's tests: a pooled client over plain TCP against a loopback
 * provider, closed together with that provider whatever the test did.
 *
 * @module
 */
import { denoDialer } from "../forward-client/deno-dialer.ts";
import {
  createPooledClient,
  type PooledClient,
  type PooledClientOptions,
} from "../forward-client/pooled-client.ts";

/**
 * Runs `run` with a pooled client (`denoDialer()` unless `options` say otherwise), then closes
 * the client and `provider`.
 *
 * @example
 * ```ts
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
 *   new Response("ok"));
 * await withPooledClient({ close: () => server.shutdown() }, async (client) => {
 *   await (await client.fetch(`http://127.0.0.1:${server.addr.port}/`)).text(); // "ok"
 * });
 * ```
 */
export async function withPooledClient(
  provider: { close(): Promise<void> },
  run: (client: PooledClient) => Promise<void>,
  options: Partial<PooledClientOptions> = {},
): Promise<void> {
  const client = createPooledClient({ dial: denoDialer(), ...options });
  try {
    await run(client);
  } finally {
    client.close();
    await provider.close();
  }
}
