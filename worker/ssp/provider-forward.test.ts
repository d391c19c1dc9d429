import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { systemClock } from "../app-deps.ts";
import { GpcEdgeError } from "../errors.ts";
import { forwardedElement, forwardToProvider } from "./provider-forward.ts";

const options = {
  clock: systemClock,
  timeoutMs: 5_000,
  clientAddress: "192.0.2.7",
  fetchDecodesBody: true,
};

Deno.test("forwardToProvider() drops RFC 9110 hop-by-hop headers and those Connection names, both ways", async () => {
  const hopByHop = {
    "Connection": "keep-alive, X-Hop",
    "Keep-Alive": "timeout=5",
    "Upgrade": "h2c",
    "Proxy-Authenticate": "Basic",
    "X-Hop": "1",
  };
  let sent: Headers | undefined;
  const { response } = await forwardToProvider(
    new Request("http://edge.local/https://p/x", {
      headers: {
        ...hopByHop,
        "TE": "trailers",
        "Proxy-Authorization": "Basic x",
        "Ssp-TraceID": "kept",
        "Authorization": "Bearer kept",
      },
    }),
    "https://p/x",
    {
      ...options,
      fetch: (_input, init) => {
        sent = new Headers(init?.headers);
        return Promise.resolve(
          new Response("ok", { headers: { ...hopByHop, "X-Provider": "kept" } }),
        );
      },
    },
  );
  assert.deepEqual([...sent!.keys()].sort(), ["authorization", "forwarded", "ssp-traceid"]);
  assert.deepEqual([...response.headers.keys()].sort(), ["content-type", "x-provider"]);
  await response.body?.cancel();
});

Deno.test("forwardedElement() quotes IPv6 nodes and appends to an earlier Forwarded header", async () => {
  assert.equal(
    forwardedElement(new Request("https://edge.example/x"), "2001:db8::1"),
    'for="2001:db8::1";host=edge.example;proto=https',
  );
  let seen: Headers | undefined;
  await forwardToProvider(
    new Request("http://edge.local/https://p/x", { headers: { Forwarded: "for=198.51.100.1" } }),
    "https://p/x",
    {
      ...options,
      fetch: (_input, init) => {
        seen = new Headers(init?.headers);
        return Promise.resolve(new Response("ok"));
      },
    },
  );
  assert.equal(
    seen!.get("forwarded"),
    "for=198.51.100.1, for=192.0.2.7;host=edge.local;proto=http",
  );
  assert.equal(seen!.get("host"), null);
});

Deno.test("forwardToProvider() does not follow redirects: the provider's 302 passes back", async () => {
  let redirect: RequestRedirect | undefined;
  const { response } = await forwardToProvider(new Request("http://edge.local/x"), "https://p/x", {
    ...options,
    fetch: (_input, init) => {
      redirect = init?.redirect;
      return Promise.resolve(
        new Response(null, { status: 302, headers: { Location: "https://elsewhere/" } }),
      );
    },
  });
  assert.equal(redirect, "manual");
  assert.equal(response.status, 302);
  assert.equal(response.headers.get("location"), "https://elsewhere/");
});

Deno.test("forwardToProvider() aborts the provider call when the consumer goes away (499)", async () => {
  const consumer = new AbortController();
  let providerAborted = false;
  const forwarding = forwardToProvider(
    new Request("http://edge.local/x", { signal: consumer.signal }),
    "https://p/x",
    {
      ...options,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => {
            providerAborted = true;
            reject(new DOMException("aborted", "AbortError"));
          });
        }),
    },
  );
  consumer.abort();
  await assert.rejects(forwarding, (error: unknown) => {
    assert.ok(error instanceof GpcEdgeError);
    assert.equal(error.status, 499);
    return true;
  });
  assert.ok(providerAborted);
});

Deno.test("forwardToProvider() over real sockets: a gzip body arrives intact, its length recomputed", async () => {
  const text = JSON.stringify({ resourceType: "Bundle", entry: Array(200).fill({ a: "value" }) });
  const provider = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response(new Uint8Array(gzipSync(new TextEncoder().encode(text))), {
        headers: { "Content-Encoding": "gzip", "Content-Type": "application/fhir+json" },
      }),
  );
  try {
    const { response } = await forwardToProvider(
      new Request("http://edge.local/x", { headers: { "Accept-Encoding": "gzip" } }),
      `http://127.0.0.1:${provider.addr.port}/x`,
      { ...options, fetch: (input, init) => fetch(input, init) },
    );
    assert.equal(
      response.headers.get("content-encoding"),
      null,
      "Deno decoded it, so the header goes",
    );
    assert.equal(response.headers.get("content-length"), null);
    assert.equal(await response.text(), text);
  } finally {
    await provider.shutdown();
  }
});

Deno.test("forwardToProvider() streams a large provider body without buffering it first", async () => {
  const chunks = 64;
  const chunk = new Uint8Array(64 * 1024).fill(120);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(chunk);
    },
  });
  const { response } = await forwardToProvider(new Request("http://edge.local/x"), "https://p/x", {
    ...options,
    fetch: () => Promise.resolve(new Response(body)),
  });
  assert.ok(pulled < chunks, "the forward returned before the provider body was read through");
  let received = 0;
  for await (const part of response.body!) received += part.byteLength;
  assert.equal(received, chunks * chunk.byteLength);
});
