/**
 * The Deno limit in the benchmark (issue 15 item 4): a forwarder with no SSP checks at all, on
 * `Deno.serve`, through either `fetch` (`--client fetch`: the answer's body handed back as its
 * stream, `new Response(body)`), the pooled HTTP/1.1 client (`--client pooled`: a small answer
 * handed back as bytes) or undici's `Pool` under Deno's npm support (`--client undici`, answered
 * the same way as `pooled`: bench/undici-client.ts). Hop-by-hop fields are dropped both ways, as
 * any proxy must; nothing else is done. P0 beside these shows what the SSP's checks cost over the
 * fastest forward Deno allows.
 *
 * Usage: `deno run --allow-net bench/bare-forwarder.ts --client fetch|pooled|undici --target URL
 * [--server deno|guarded]` (`guarded`: gpc-edge's own HTTP/1.1 server instead of `Deno.serve`);
 * prints `{"url": …}` when listening. The request's path and query go to `--target`'s origin.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { BytesResponse } from "../worker/http1-server/bytes-response.ts";
import { serveHttp1 } from "../worker/http1-server/serve-http1.ts";
import { endToEndEntries } from "../worker/gateway/connection-header.ts";
import { denoDialer } from "../worker/forward-client/deno-dialer.ts";
import { createPooledClient } from "../worker/forward-client/pooled-client.ts";
import { PooledResponse } from "../worker/forward-client/pooled-response.ts";
import { endToEndFields } from "../worker/forward-client/response-fields.ts";
import { createUndiciUpstream } from "./undici-client.ts";
import type { UpstreamFetch } from "../worker/app-deps.ts";

/** `host` is the client's to set from the target. */
const dropHost = (name: string) => name === "host";

/**
 * A bare forwarder's handler to `target`'s origin through `upstream`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const handle = bareForwarder("http://provider.example", () => Promise.resolve(new Response("ok")));
 * assert.equal(await (await handle(new Request("http://edge/x"))).text(), "ok");
 * ```
 */
export function bareForwarder(
  target: string,
  upstream: UpstreamFetch,
): (request: Request) => Promise<Response> {
  const origin = new URL(target).origin;
  return async (request) => {
    const url = request.url;
    const path = url.slice(url.indexOf("/", url.indexOf("//") + 2));
    const answer = await upstream(`${origin}${path}`, {
      method: request.method,
      headers: endToEndEntries(request.headers, dropHost),
      redirect: "manual",
      signal: request.signal,
    });
    if (answer instanceof PooledResponse) {
      const headers = endToEndFields(answer.fields, (name) => name === "content-length");
      const init = { status: answer.status, statusText: answer.statusText, headers };
      // Bytes in hand: handed over as bytes (the guarded server writes them without a stream).
      if (answer.wholeBody) return new BytesResponse(answer.wholeBody, init);
      return new Response(answer.body, init);
    }
    return new Response(answer.body, {
      status: answer.status,
      statusText: answer.statusText,
      headers: endToEndEntries(answer.headers, (name) => name === "content-length"),
    });
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      client: { type: "string" },
      target: { type: "string" },
      server: { type: "string", default: "deno" },
    },
  });
  if (!values.target) throw new TypeError("Missing --target");
  let upstream: UpstreamFetch;
  if (values.client === "pooled") upstream = createPooledClient({ dial: denoDialer() }).fetch;
  else if (values.client === "fetch") upstream = (input, init) => fetch(input, init);
  else if (values.client === "undici") upstream = createUndiciUpstream(64).fetch;
  else throw new TypeError(`--client must be "fetch", "pooled" or "undici"`);
  if (values.server !== "deno" && values.server !== "guarded") {
    throw new TypeError(`--server must be "deno" or "guarded"`);
  }
  // `guarded`: gpc-edge's own HTTP/1.1 server (worker/http1-server/), the one its Deno entry uses.
  const server = values.server === "guarded"
    ? serveHttp1({ hostname: "127.0.0.1", port: 0 }, bareForwarder(values.target, upstream))
    : Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      bareForwarder(values.target, upstream),
    );
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.addr.port}` }));
}
