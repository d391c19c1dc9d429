import assert from "node:assert/strict";
import { exchange, RawConnection } from "./raw-http-client.ts";
import { serveHttp1 } from "./serve-http1.ts";
import { startTestServer } from "./test-server.ts";

/** A handler that records what it saw and answers with a summary. */
function recorder() {
  const seen: Array<{ method: string; url: string; host: string | null; body: string | null }> = [];
  const handler = async (request: Request) => {
    const body = request.body === null ? null : await request.text();
    seen.push({
      method: request.method,
      url: request.url,
      host: request.headers.get("host"),
      body,
    });
    return new Response(
      `${request.method} ${new URL(request.url).pathname} ${body?.length ?? "-"}`,
    );
  };
  return { seen, handler };
}

Deno.test("serveHttp1 serves a GET/POST keep-alive sequence on one connection", async () => {
  const { seen, handler } = recorder();
  const server = startTestServer(handler);
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.equal((await connection.readResponse())?.text, "GET /a -");
    await connection.send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    assert.equal((await connection.readResponse())?.text, "POST /b 5");
    await connection.send(
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
    );
    assert.equal((await connection.readResponse())?.text, "POST /c 5");
    await connection.send("GET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const last = await connection.readResponse();
    assert.equal(last?.headers.get("connection"), "close");
    assert.ok(await connection.isClosed());
  } finally {
    connection.close();
    await server.close();
  }
  assert.deepEqual(seen.map((request) => request.body), [null, "hello", "abcde", null]);
  assert.deepEqual(server.errors, []);
});

Deno.test("serveHttp1 answers fetch() as a client: GET, POST streamed both ways, keep-alive", async () => {
  const server = startTestServer((request) =>
    request.method === "POST"
      ? new Response(request.body)
      : Response.json({ path: new URL(request.url).pathname })
  );
  try {
    for (let round = 0; round < 3; round++) {
      const got = await fetch(`${server.origin}/json?round=${round}`);
      assert.equal(got.headers.get("content-length"), String('{"path":"/json"}'.length));
      assert.deepEqual(await got.json(), { path: "/json" });
    }
    const upload = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 10; index++) {
          controller.enqueue(new TextEncoder().encode(`part${index};`));
        }
        controller.close();
      },
    });
    const echoed = await fetch(`${server.origin}/echo`, { method: "POST", body: upload });
    assert.equal(echoed.headers.get("transfer-encoding"), "chunked");
    assert.equal(
      await echoed.text(),
      Array.from({ length: 10 }, (_, index) => `part${index};`).join(""),
    );
  } finally {
    await server.close();
  }
});

Deno.test("serveHttp1 answers pipelined requests in order, one at a time", async () => {
  let running = 0;
  let mostAtOnce = 0;
  const server = startTestServer(async (request) => {
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    return new Response(new URL(request.url).pathname + (request.body ? await request.text() : ""));
  });
  try {
    const responses = await exchange(
      server.port,
      "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbodyGET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert.deepEqual(responses.map((response) => response.text), ["/1", "/2body", "/3"]);
    assert.equal(mostAtOnce, 1);
  } finally {
    await server.close();
  }
});

Deno.test("serveHttp1 builds the URL from the listen address and request line, never from Host", async () => {
  const { seen, handler } = recorder();
  const server = startTestServer(handler);
  try {
    // Issue 9 finding 1: under Deno.serve this Host made the app route to the provider.
    const forged = await exchange(
      server.port,
      "GET /_health HTTP/1.1\r\nHost: x/http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata?\r\n\r\n",
    );
    assert.deepEqual(forged.map((response) => response.status), [400]);
    assert.deepEqual(seen, []);

    const other = await exchange(
      server.port,
      "GET /_health HTTP/1.1\r\nHost: evil.example:8083\r\nConnection: close\r\n\r\n",
    );
    assert.equal(other[0]?.text, "GET /_health -");
    assert.deepEqual(seen, [{
      method: "GET",
      url: `${server.origin}/_health`,
      host: "evil.example:8083",
      body: null,
    }]);
  } finally {
    await server.close();
  }
});

Deno.test("serveHttp1 passes the target byte for byte: SSP paths, dot segments, pipes", async () => {
  const { seen, handler } = recorder();
  const server = startTestServer(handler);
  const targets = [
    "/http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/Patient/$gpc.getstructuredrecord",
    "/https://provider.nhs.uk:443/B82617/STU3/1/gpconnect/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9690937278",
    "/http://127.0.0.1:8083/B82617/../A20047/STU3/1/gpconnect/fhir/metadata",
    "/a/%2e%2e/b\\c?q='x'&r=\"y\"",
  ];
  try {
    for (const target of targets) {
      await exchange(server.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    }
  } finally {
    await server.close();
  }
  assert.deepEqual(
    seen.map((request) => request.url),
    targets.map((target) => server.origin + target),
  );
});

Deno.test("serveHttp1 keeps method tokens as sent for the app to refuse", async () => {
  const { seen, handler } = recorder();
  const server = startTestServer(handler);
  try {
    for (const method of ["get", "Post", "TRACE", "connect", "PATCH", "BREW"]) {
      const [response] = await exchange(
        server.port,
        `${method} /m HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi`,
      );
      assert.equal(response?.status, 200, method);
    }
  } finally {
    await server.close();
  }
  assert.deepEqual(seen.map((request) => [request.method, request.body]), [
    ["get", null],
    ["Post", "hi"],
    ["TRACE", "hi"],
    ["connect", "hi"],
    ["PATCH", "hi"],
    ["BREW", "hi"],
  ]);
});

Deno.test("serveHttp1 drops a GET body (framed, then discarded) and serves the next request", async () => {
  const { seen, handler } = recorder();
  const server = startTestServer(handler);
  try {
    const responses = await exchange(
      server.port,
      "GET /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 35\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert.deepEqual(responses.map((response) => response.text), ["GET /1 -", "GET /2 -"]);
    assert.deepEqual(seen.map((request) => new URL(request.url).pathname), ["/1", "/2"]);
  } finally {
    await server.close();
  }
});

Deno.test("serveHttp1 sends no body for HEAD, 204 and 304", async () => {
  const server = startTestServer((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/204") return new Response(null, { status: 204 });
    if (path === "/304") return new Response(null, { status: 304 });
    return new Response("hello", { headers: { "content-length": "5" } });
  });
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send("HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n");
    const head = await connection.readResponse({ noBody: true });
    assert.equal(head?.headers.get("content-length"), "5");
    await connection.send(
      "GET /204 HTTP/1.1\r\nHost: x\r\n\r\nGET /304 HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    const noContent = await connection.readResponse();
    assert.equal(noContent?.status, 204);
    assert.equal(noContent?.headers.has("content-length"), false);
    assert.equal((await connection.readResponse())?.status, 304);
    // Had any of them carried a body, this response's status line would be garbled.
    await connection.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.equal((await connection.readResponse())?.text, "hello");
  } finally {
    connection.close();
    await server.close();
  }
});

Deno.test("serveHttp1 keeps HTTP/1.0 alive only when asked, and never chunks for it", async () => {
  const server = startTestServer((request) =>
    new URL(request.url).pathname === "/stream"
      ? new Response(
        new ReadableStream({
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, 1));
            controller.enqueue(new TextEncoder().encode("streamed"));
            controller.close();
          },
        }),
      )
      : new Response("sized")
  );
  try {
    const plain = await exchange(server.port, "GET / HTTP/1.0\r\n\r\nGET /never HTTP/1.0\r\n\r\n");
    assert.deepEqual(plain.map((response) => [response.text, response.headers.get("connection")]), [
      ["sized", "close"],
    ]);

    const connection = await RawConnection.open(server.port);
    try {
      await connection.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      const first = await connection.readResponse();
      assert.equal(first?.headers.get("connection"), "keep-alive");
      await connection.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      const streamed = await connection.readResponse();
      assert.equal(streamed?.headers.has("transfer-encoding"), false);
      assert.equal(streamed?.headers.get("connection"), "close");
      assert.equal(streamed?.text, "streamed");
    } finally {
      connection.close();
    }
  } finally {
    await server.close();
  }
});

Deno.test("serveHttp1 honours Connection: close from the app", async () => {
  const server = startTestServer(() => new Response("bye", { headers: { connection: "close" } }));
  try {
    const responses = await exchange(
      server.port,
      "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert.deepEqual(
      responses.map((response) => [response.text, response.headers.get("connection")]),
      [["bye", "close"]],
    );
  } finally {
    await server.close();
  }
});

Deno.test("serveHttp1 answers a handler exception with a plain 500 without details", async () => {
  const server = startTestServer(() => {
    throw new Error("secret detail at /srv/app.ts:12");
  });
  try {
    const [response] = await exchange(
      server.port,
      "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert.equal(response?.status, 500);
    assert.equal(response?.text, "Internal Server Error\n");
    assert.equal(response?.headers.get("content-type"), "text/plain; charset=utf-8");
  } finally {
    await server.close();
  }
  assert.equal(server.errors.length, 1);
});

Deno.test("serveHttp1 answers 500 for a response header carrying CR/LF or a non-Response", async () => {
  const server = startTestServer((request) => {
    if (new URL(request.url).pathname === "/not-a-response") return "text" as unknown as Response;
    const response = new Response("ok");
    Object.defineProperty(response, "headers", { value: [["x-a", "1\r\nx-injected: 1"]] });
    return response;
  });
  try {
    for (const path of ["/header", "/not-a-response"]) {
      const [response] = await exchange(
        server.port,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      assert.equal(response?.status, 500, path);
      assert.equal(response?.headers.has("x-injected"), false);
    }
  } finally {
    await server.close();
  }
  assert.equal(server.errors.length, 2);
});

Deno.test("serveHttp1 sends 100 Continue when the app reads the body, and not when it does not", async () => {
  const server = startTestServer(async (request) =>
    new URL(request.url).pathname === "/read"
      ? new Response(await request.text())
      : new Response("no thanks", { status: 413 })
  );
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send(
      "POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
    );
    assert.equal((await connection.readResponse())?.status, 100);
    await connection.send("hello");
    assert.equal((await connection.readResponse())?.text, "hello");

    await connection.send(
      "POST /skip HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
    );
    const refused = await connection.readResponse();
    assert.equal(refused?.status, 413);
    // The client may never send the body, so the connection cannot be reused.
    assert.equal(refused?.headers.get("connection"), "close");
    assert.ok(await connection.isClosed());
  } finally {
    connection.close();
    await server.close();
  }
});

Deno.test("serveHttp1 drains a small unread body and closes after a large one", async () => {
  const server = startTestServer(() => new Response("ignored the body"), {
    maxDrainBytes: 64 * 1024,
  });
  try {
    const small = await exchange(
      server.port,
      `POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\n\r\n${
        "a".repeat(60000)
      }GET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    assert.deepEqual(small.map((response) => response.status), [200, 200]);

    const connection = await RawConnection.open(server.port);
    try {
      await connection.send("POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
      const sending = connection.send("a".repeat(1_000_000)).catch(() => {});
      const response = await connection.readResponse();
      assert.equal(response?.status, 200);
      assert.equal(response?.headers.get("connection"), "close");
      assert.ok(await connection.isClosed());
      await sending;
    } finally {
      connection.close();
    }
  } finally {
    await server.close();
  }
});

Deno.test("serveHttp1 shuts down gracefully on its signal: idle connections close, requests in flight finish", async () => {
  const controller = new AbortController();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const handlerStarted = new Promise<void>((resolve) => (started = resolve));
  const server = serveHttp1(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onError() {} },
    async () => {
      started();
      await released;
      return new Response("finished");
    },
  );
  const idle = await RawConnection.open(server.addr.port);
  const busy = await RawConnection.open(server.addr.port);
  try {
    await busy.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await handlerStarted;
    controller.abort();
    assert.ok(await idle.isClosed());
    release();
    const response = await busy.readResponse();
    assert.equal(response?.text, "finished");
    assert.equal(response?.headers.get("connection"), "close");
    await server.finished;
    await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port: server.addr.port }));
  } finally {
    idle.close();
    busy.close();
  }
});

Deno.test("serveHttp1 resolves completed after the response is written", async () => {
  const order: string[] = [];
  const server = startTestServer((_request, info) => {
    info.completed.then(() => order.push("completed"));
    order.push("handler");
    return new Response("ok");
  });
  try {
    await exchange(server.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  } finally {
    await server.close();
  }
  assert.deepEqual(order, ["handler", "completed"]);
});
