import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { systemClock } from "../app-deps.ts";
import { GpcEdgeError } from "../errors.ts";
import { perRequestTimers } from "../gateway/deadline-scheduler.ts";
import { parseTrustedProxies } from "../gateway/forwarding-headers.ts";
import { forwardingIdentity, forwardToProvider } from "./provider-forward.ts";

const options = {
  clock: systemClock,
  timeoutMs: 5_000,
  scheduler: perRequestTimers,
  clientAddress: "192.0.2.7",
  identity: forwardingIdentity("https://edge.example.nhs.uk", []),
  fetchDecodesBody: true,
};

/** Forwards `headers` from `clientAddress` and returns what the provider saw. */
async function seenByProvider(
  headers: Record<string, string>,
  extra: Partial<typeof options> = {},
): Promise<Headers> {
  let seen: Headers | undefined;
  const { response } = await forwardToProvider(
    new Request("http://caller-chosen-host:1234/https://p/x", { headers }),
    "https://p/x",
    {
      ...options,
      ...extra,
      fetch: (_input, init) => {
        seen = new Headers(init?.headers);
        return Promise.resolve(new Response("ok"));
      },
    },
  );
  await response.body?.cancel();
  return seen!;
}

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

Deno.test("forwardToProvider() drops a consumer's Forwarded, X-Forwarded-* and X-Real-IP and adds its own hop from configuration, not Host", async () => {
  const seen = await seenByProvider({
    "Forwarded": "for=198.51.100.1;host=evil.example",
    "X-Forwarded-For": "198.51.100.1",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "https",
    "X-Real-IP": "198.51.100.1",
    "X-Custom": "kept verbatim",
    "Host": "evil.example",
  });
  assert.equal(seen.get("forwarded"), "for=192.0.2.7;host=edge.example.nhs.uk;proto=https");
  for (const name of ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip"]) {
    assert.equal(seen.get(name), null, name);
  }
  assert.equal(seen.get("x-custom"), "kept verbatim");
  assert.equal(seen.get("host"), null, "fetch sets the provider's Host from the target");
});

Deno.test("forwardToProvider() keeps a trusted proxy's forwarding headers and appends its hop (IPv6 quoted)", async () => {
  const seen = await seenByProvider(
    { "Forwarded": "for=198.51.100.1", "X-Forwarded-For": "198.51.100.1", "X-Real-IP": "x" },
    {
      clientAddress: "::ffff:10.1.2.3",
      identity: forwardingIdentity("http://127.0.0.1:8080", parseTrustedProxies("10.0.0.0/8")),
    },
  );
  assert.equal(
    seen.get("forwarded"),
    'for=198.51.100.1, for="[::ffff:10.1.2.3]";host="127.0.0.1:8080";proto=http',
  );
  assert.equal(seen.get("x-forwarded-for"), "198.51.100.1");
  assert.equal(seen.get("x-real-ip"), "x");
  const untrusted = await seenByProvider(
    { "X-Forwarded-For": "198.51.100.1" },
    {
      clientAddress: "11.0.0.1",
      identity: forwardingIdentity("http://127.0.0.1:8080", parseTrustedProxies("10.0.0.0/8")),
    },
  );
  assert.equal(untrusted.get("x-forwarded-for"), null);
  assert.equal(untrusted.get("forwarded"), 'for=11.0.0.1;host="127.0.0.1:8080";proto=http');
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
