/**
 * undici's `Pool` as a forwarder's upstream (issue 15 item 1: the forward clients measured side by
 * side): one keep-alive pool per origin under Deno's npm support, the answer's body read whole and
 * handed back as a {@linkcode PooledResponse}, so the bare forwarder answers it exactly as it
 * answers gpc-edge's own pooled client and the two differ by the client only. For the benchmark's
 * small answers; not a general `fetch`.
 *
 * @module
 */
import { Pool } from "undici";
import type { UpstreamFetch } from "../worker/app-deps.ts";
import { PooledResponse } from "../worker/forward-client/pooled-response.ts";

/**
 * An upstream `fetch` over one undici `Pool` per origin.
 *
 * @example
 * ```ts
 * const { fetch, close } = createUndiciUpstream(64);
 * void fetch;
 * await close();
 * ```
 */
export function createUndiciUpstream(
  connections: number,
): { fetch: UpstreamFetch; close(): Promise<void> } {
  const pools = new Map<string, Pool>();
  return {
    async fetch(input, init = {}) {
      const url = new URL(String(input));
      let pool = pools.get(url.origin);
      if (pool === undefined) {
        pool = new Pool(url.origin, { connections, pipelining: 1 });
        pools.set(url.origin, pool);
      }
      const headers: string[] = [];
      for (const [name, value] of init.headers as Array<[string, string]> ?? []) {
        headers.push(name, value);
      }
      const answer = await pool.request({
        path: `${url.pathname}${url.search}`,
        method: (init.method ?? "GET") as "GET",
        headers,
        ...(init.signal ? { signal: init.signal } : {}),
      });
      const fields: Array<[string, string]> = [];
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [value]) fields.push([name, one]);
      }
      const body = new Uint8Array(await answer.body.arrayBuffer());
      return new PooledResponse({
        status: answer.statusCode,
        statusText: "",
        fields,
        framing: { kind: "length", length: body.length },
        keepAlive: true,
      }, body);
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}
