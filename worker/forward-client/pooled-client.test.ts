/**
 * The pooled client's exchange over real loopback sockets: connections kept alive and reused,
 * both bodies streamed with backpressure, redirects passed back, gzip untouched, `Host` from the
 * target and the caller's framing and hop-by-hop fields dropped, an abort closing the connection
 * (before the head: the call fails; after: the body fails), a provider that closed an idle
 * connection answered on a new one.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { createPooledClient, WHOLE_BODY_MAX_BYTES } from "./pooled-client.ts";
import { PooledResponse } from "./pooled-response.ts";
import { startScriptedProvider } from "./scripted-provider.ts";
import { withPooledClient } from "../testing/with-pooled-client.ts";

function serve(handler: Deno.ServeHandler) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return { origin: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

Deno.test("pooled client: sequential requests reuse one kept-alive connection; a small answer comes as bytes", async () => {
  const provider = serve(() => new Response("small", { headers: { "X-Provider": "yes" } }));
  await withPooledClient(provider, async (client) => {
    for (let i = 0; i < 5; i++) {
      const response = await client.fetch(`${provider.origin}/r${i}`);
      assert.ok(response instanceof PooledResponse);
      assert.equal(new TextDecoder().decode(response.wholeBody), "small");
      assert.equal(response.headers.get("x-provider"), "yes");
      assert.equal(await response.text(), "small");
    }
    assert.equal(client.opened, 1);
    assert.equal(client.idle, 1);
  });
});

Deno.test("pooled client: Host comes from the target; the caller's framing and hop-by-hop fields are not sent", async () => {
  let seen: Headers | undefined;
  const provider = serve((request) => {
    seen = request.headers;
    return new Response(null, { status: 204 });
  });
  await withPooledClient(provider, async (client) => {
    const response = await client.fetch(`${provider.origin}/x?q=1`, {
      headers: [
        ["host", "evil.example"],
        ["connection", "close"],
        ["transfer-encoding", "chunked"],
        ["keep-alive", "timeout=1"],
        ["accept", "application/fhir+json"],
      ],
    });
    assert.equal(response.status, 204);
    assert.equal(seen?.get("host"), new URL(provider.origin).host);
    assert.equal(seen?.get("accept"), "application/fhir+json");
    assert.equal(seen?.get("keep-alive"), null);
    assert.equal(seen?.get("transfer-encoding"), null);
    assert.equal(seen?.get("accept-encoding"), null, "no Accept-Encoding is added");
  });
});

Deno.test("pooled client: a value with CR or LF is refused before anything is sent", async () => {
  const client = createPooledClient({ dial: () => Promise.reject(new Error("never dialled")) });
  await assert.rejects(
    client.fetch("http://127.0.0.1:9/", { headers: [["x-a", "1\r\nx-b: 2"]] }),
    TypeError,
  );
  client.close();
});

Deno.test("pooled client: a 302 passes back unfollowed, Location intact", async () => {
  const provider = serve(() =>
    new Response(null, { status: 302, headers: { Location: "https://elsewhere.example/" } })
  );
  await withPooledClient(provider, async (client) => {
    const response = await client.fetch(`${provider.origin}/moved`, { redirect: "manual" });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get("location"), "https://elsewhere.example/");
  });
});

Deno.test("pooled client: a gzip body passes as gzip, Content-Encoding and bytes untouched", async () => {
  const json = JSON.stringify({ resourceType: "Bundle", entry: "x".repeat(5000) });
  const gzipped = new Uint8Array(gzipSync(new TextEncoder().encode(json)));
  const provider = serve(() =>
    new Response(gzipped, {
      headers: { "Content-Encoding": "gzip", "Content-Type": "application/fhir+json" },
    })
  );
  await withPooledClient(provider, async (client) => {
    const response = await client.fetch(`${provider.origin}/`, {
      headers: [["accept-encoding", "gzip"]],
    });
    assert.equal(response.headers.get("content-encoding"), "gzip");
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), new Uint8Array(gzipped));
  });
});

Deno.test("pooled client: both bodies stream — the provider echoes an upload piece by piece while it is still being sent", async () => {
  const provider = serve((request) => new Response(request.body));
  await withPooledClient(provider, async (client) => {
    let sendNext!: (piece: string | null) => void;
    const upload = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const piece = await new Promise<string | null>((resolve) => sendNext = resolve);
        if (piece === null) controller.close();
        else controller.enqueue(new TextEncoder().encode(piece));
      },
    }, { highWaterMark: 0 });
    const fetching = client.fetch(`${provider.origin}/echo`, {
      method: "POST",
      body: upload,
      duplex: "half",
    } as RequestInit);
    // Wait (bounded) for the client to ask for the first piece.
    for (let i = 0; i < 200 && sendNext === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    sendNext("first;");
    const response = await fetching;
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.equal(new TextDecoder().decode(first.value), "first;");
    sendNext("second;");
    assert.equal(new TextDecoder().decode((await reader.read()).value), "second;");
    sendNext(null);
    assert.equal((await reader.read()).done, true);
  });
});

Deno.test("pooled client: a chunked upload read whole before the answer keeps the connection for the next", async () => {
  const provider = serve(async (request) => new Response(`got ${(await request.text()).length}`));
  await withPooledClient(provider, async (client) => {
    for (let i = 0; i < 3; i++) {
      const response = await client.fetch(`${provider.origin}/upload`, {
        method: "POST",
        body: new Response("x".repeat(100_000)).body,
        duplex: "half",
      } as RequestInit);
      assert.equal(await response.text(), "got 100000");
      // Released once the upload's last write is known to be whole (a moment after the answer).
      for (let wait = 0; wait < 100 && client.idle === 0; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    assert.equal(client.opened, 1);
  });
});

Deno.test("pooled client: a large answer is not read ahead of the consumer", async () => {
  const piece = new Uint8Array(64 * 1024);
  let produced = 0;
  const provider = serve(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (produced >= 400) return controller.close();
          produced++;
          controller.enqueue(piece);
        },
      }, { highWaterMark: 0 }),
    )
  );
  await withPooledClient(provider, async (client) => {
    const response = await client.fetch(`${provider.origin}/big`);
    const reader = response.body!.getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // 25 MiB were on offer; socket buffers hold a few MiB at most.
    assert.ok(produced < 200, `the provider produced ${produced} pieces for one read`);
    await reader.cancel();
    assert.equal(client.idle, 0, "a cancelled body's connection is closed");
  });
});

Deno.test("pooled client: an abort before the head fails the call and closes the connection", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => release = resolve);
  const provider = serve(async () => {
    await held;
    return new Response("late");
  });
  await withPooledClient(provider, async (client) => {
    try {
      const controller = new AbortController();
      const fetching = client.fetch(`${provider.origin}/slow`, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error("consumer gone")), 50);
      await assert.rejects(fetching, /consumer gone/);
      assert.equal(client.idle, 0);
    } finally {
      release();
    }
  });
});

Deno.test("pooled client: an abort after the head fails the body and closes the connection", async () => {
  let stall!: () => void;
  const stalled = new Promise<void>((resolve) => stall = resolve);
  const provider = serve(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          controller.enqueue(new TextEncoder().encode("part;"));
          await stalled;
          controller.close();
        },
      }),
    )
  );
  await withPooledClient(provider, async (client) => {
    try {
      const controller = new AbortController();
      const response = await client.fetch(`${provider.origin}/stall`, {
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      assert.equal(new TextDecoder().decode((await reader.read()).value), "part;");
      controller.abort(new Error("deadline"));
      await assert.rejects(reader.read(), /deadline/);
      assert.equal(client.idle, 0);
    } finally {
      stall();
    }
  });
});

Deno.test("pooled client: a provider that closed an idle connection is asked again on a new one (no body)", async () => {
  const provider = startScriptedProvider(() => ({
    bytes: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    // Closes right after answering, without saying so (no Connection: close).
    closeAfterMs: 0,
  }));
  // The idle watch would notice the close; a long idle timeout and no wait make the race real:
  // the second request may find the connection still in the pool.
  await withPooledClient(provider, async (client) => {
    for (let i = 0; i < 3; i++) {
      const response = await client.fetch(`${provider.origin}/again`);
      assert.equal(await response.text(), "ok");
    }
    assert.equal(provider.connections, 3);
  }, { idleTimeoutMs: 60_000 });
});

Deno.test("pooled client: a kept connection that ends before any answer is retried for a GET, never for a POST, even with its body in bytes (RFC 9112 §9.3.1)", async () => {
  for (const method of ["GET", "POST"]) {
    let seen = 0;
    // Every second request the provider reads and then drops, answering nothing.
    const provider = startScriptedProvider(() =>
      ++seen % 2 === 1
        ? { bytes: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" }
        : { bytes: "", closeAfterMs: 0 }
    );
    await withPooledClient(provider, async (client) => {
      const init = method === "POST" ? { method, body: new TextEncoder().encode("{}") } : {};
      assert.equal(await (await client.fetch(`${provider.origin}/first`, init)).text(), "ok");
      const second = client.fetch(`${provider.origin}/second`, init);
      if (method === "GET") {
        assert.equal(await (await second).text(), "ok");
        assert.deepEqual(provider.requests.map((r) => r.connection), [1, 1, 2]);
      } else {
        await assert.rejects(second);
        assert.deepEqual(provider.requests.map((r) => r.connection), [1, 1], "sent once");
      }
    });
  }
});

Deno.test("pooled client: a streamed upload shorter than its Content-Length fails, and is never retried", async () => {
  const provider = serve(async (request) => new Response(await request.text()));
  await withPooledClient(provider, async (client) => {
    await assert.rejects(
      client.fetch(`${provider.origin}/short`, {
        method: "POST",
        headers: [["content-length", "10"]],
        body: new Response("abc").body,
        duplex: "half",
      } as RequestInit),
    );
    assert.equal(client.idle, 0);
  });
});

Deno.test("pooled client: HEAD and 304 answers have no body, and keep the connection", async () => {
  const provider = serve((request) =>
    request.method === "HEAD"
      ? new Response(null, { headers: { "Content-Length": "100" } })
      : new Response(null, { status: 304 })
  );
  await withPooledClient(provider, async (client) => {
    const head = await client.fetch(`${provider.origin}/`, { method: "HEAD" });
    assert.equal(head.body, null);
    const notModified = await client.fetch(`${provider.origin}/`);
    assert.equal(notModified.status, 304);
    assert.equal(client.opened, 1);
  });
});

Deno.test("pooled client: a 205 comes back as a 205 with no body (a Response cannot carry one)", async () => {
  const provider = serve(() => new Response(null, { status: 205 }));
  await withPooledClient(provider, async (client) => {
    for (let i = 0; i < 2; i++) {
      const reset = await client.fetch(`${provider.origin}/`);
      assert.equal(reset.status, 205);
      assert.equal(reset.body, null);
    }
  });
});

Deno.test("pooled client: an idle connection is closed after the idle timeout, by one sweep", async () => {
  const provider = serve(() => new Response("ok"));
  await withPooledClient(provider, async (client) => {
    await (await client.fetch(`${provider.origin}/`)).text();
    await (await client.fetch(`${provider.origin}/`)).text();
    assert.equal(client.idle, 1);
    for (let wait = 0; wait < 100 && client.idle > 0; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(client.idle, 0);
    await (await client.fetch(`${provider.origin}/`)).text();
    assert.equal(client.opened, 2);
  }, { idleTimeoutMs: 100 });
});

Deno.test("pooled client: a small Content-Length body sent after its head comes back whole, as bytes", async () => {
  const provider = startScriptedProvider(() => ({
    bytes: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
    later: { afterMs: 30, bytes: "hello" },
  }));
  await withPooledClient(provider, async (client) => {
    const response = await client.fetch(`${provider.origin}/split`);
    assert.ok(response instanceof PooledResponse);
    assert.equal(new TextDecoder().decode(response.wholeBody), "hello");
    assert.equal(await response.text(), "hello");
  });
});

Deno.test("pooled client: a Content-Length body over WHOLE_BODY_MAX_BYTES streams", async () => {
  const size = WHOLE_BODY_MAX_BYTES + 1;
  const provider = serve(() => new Response(new Uint8Array(size).fill(0x61)));
  await withPooledClient(provider, async (client) => {
    const response = await client.fetch(`${provider.origin}/large`);
    assert.ok(response instanceof PooledResponse);
    assert.equal(response.wholeBody, undefined);
    assert.equal((await response.arrayBuffer()).byteLength, size);
  });
});

Deno.test("pooled client: a small body cut short or stalled after its head fails the call itself", async () => {
  const cut = startScriptedProvider(() => ({
    bytes: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
    closeAfterMs: 20,
  }));
  await withPooledClient(cut, async (client) => {
    await assert.rejects(
      client.fetch(`${cut.origin}/cut`),
      (error: Error & { code?: string }) => error.code === "body-truncated",
    );
    assert.equal(client.idle, 0);
  });
  const stalled = startScriptedProvider(() => ({
    bytes: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
  }));
  await withPooledClient(stalled, async (client) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("deadline")), 50);
    await assert.rejects(
      client.fetch(`${stalled.origin}/stall`, { signal: controller.signal }),
      /deadline/,
    );
    assert.equal(client.idle, 0);
  });
});
