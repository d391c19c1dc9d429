import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { systemClock } from "../app-deps.ts";
import { GpcEdgeError } from "../errors.ts";
import { perRequestTimers } from "../gateway/deadline-scheduler.ts";
import { parseTrustedProxies } from "../gateway/forwarding-headers.ts";
import {
  FORWARD_CLIENTS,
  forwardClientUnderTest,
} from "../forward-client/forward-clients-under-test.ts";
import { startScriptedProvider } from "../forward-client/scripted-provider.ts";
import { BytesResponse } from "../http1-server/bytes-response.ts";
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

for (const kind of FORWARD_CLIENTS) {
  Deno.test(`forwardToProvider() over real sockets drops hop-by-hop headers and those Connection names, both ways [${kind}]`, async () => {
    const provider = startScriptedProvider(() => ({
      bytes: "HTTP/1.1 200 OK\r\nConnection: x-drop\r\nX-Drop: 1\r\nKeep-Alive: timeout=5\r\n" +
        "X-Keep: 2\r\nContent-Length: 2\r\n\r\nok",
    }));
    const client = forwardClientUnderTest(kind);
    try {
      const { response } = await forwardToProvider(
        new Request("http://edge.local/x", {
          headers: { Connection: "x-secret", "X-Secret": "1", "X-Kept": "3", TE: "trailers" },
        }),
        `${provider.origin}/x`,
        { ...options, fetch: client.fetch, fetchDecodesBody: kind === "fetch" },
      );
      assert.equal(await response.text(), "ok");
      assert.equal(response.headers.get("x-drop"), null);
      assert.equal(response.headers.get("keep-alive"), null);
      assert.equal(response.headers.get("x-keep"), "2");
      const head = provider.requests[0]!.head.toLowerCase();
      assert.doesNotMatch(head, /x-secret|\r\nte:/);
      assert.match(head, /\r\nx-kept: 3/);
    } finally {
      client.close();
      await provider.close();
    }
  });
}

Deno.test("forwardToProvider() over real sockets with the pooled client: a gzip body passes as gzip, bytes intact", async () => {
  const text = JSON.stringify({ resourceType: "Bundle", entry: Array(200).fill({ a: "value" }) });
  const gzipped = new Uint8Array(gzipSync(new TextEncoder().encode(text)));
  const provider = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response(gzipped, {
        headers: { "Content-Encoding": "gzip", "Content-Type": "application/fhir+json" },
      }),
  );
  const client = forwardClientUnderTest("pooled");
  try {
    const { response } = await forwardToProvider(
      new Request("http://edge.local/x", { headers: { "Accept-Encoding": "gzip" } }),
      `http://127.0.0.1:${provider.addr.port}/x`,
      { ...options, fetch: client.fetch, fetchDecodesBody: false },
    );
    assert.equal(response.headers.get("content-encoding"), "gzip", "nothing decoded it");
    assert.ok(response instanceof BytesResponse, "a small whole body is handed on as bytes");
    assert.deepEqual(response.wholeBody, gzipped);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), gzipped);
  } finally {
    client.close();
    await provider.shutdown();
  }
});

for (const kind of FORWARD_CLIENTS) {
  Deno.test(`forwardToProvider() over real sockets: the consumer going away closes the provider's connection (499) [${kind}]`, async () => {
    let providerSawClose!: () => void;
    const closed = new Promise<void>((resolve) => providerSawClose = resolve);
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const serving = (async () => {
      const connection = await listener.accept();
      const buffer = new Uint8Array(4096);
      // Reads the request, answers nothing, and waits (bounded) for the close.
      for (let reads = 0; reads < 100; reads++) {
        if ((await connection.read(buffer).catch(() => null)) === null) break;
      }
      connection.close();
      providerSawClose();
    })();
    const client = forwardClientUnderTest(kind);
    const consumer = new AbortController();
    try {
      const forwarding = forwardToProvider(
        new Request("http://edge.local/x", { signal: consumer.signal }),
        `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/x`,
        { ...options, fetch: client.fetch },
      );
      setTimeout(() => consumer.abort(), 50);
      await assert.rejects(forwarding, (error: unknown) => {
        assert.ok(error instanceof GpcEdgeError);
        assert.equal(error.status, 499);
        return true;
      });
      await closed;
    } finally {
      client.close();
      listener.close();
      await serving;
    }
  });
}
