import assert from "node:assert/strict";
import { encodeGet, Http1Connection } from "./http1-client.ts";

Deno.test("Http1Connection reads Content-Length and chunked answers on one keep-alive connection", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    if (new URL(request.url).pathname === "/chunked") {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const part of ["a".repeat(20_000), "b".repeat(7)]) {
            controller.enqueue(new TextEncoder().encode(part));
          }
          controller.close();
        },
      });
      return new Response(body, { status: 201 });
    }
    return new Response("x".repeat(1024));
  });
  const host = `127.0.0.1:${server.addr.port}`;
  const connection = await Http1Connection.open("127.0.0.1", server.addr.port);
  try {
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await connection.request(encodeGet(host, "/fixed", [["Accept", "*/*"]])), {
        status: 200,
        bodyBytes: 1024,
      });
      assert.deepEqual(await connection.request(encodeGet(host, "/chunked", [])), {
        status: 201,
        bodyBytes: 20_007,
      });
    }
    assert.equal(connection.closed, false);
  } finally {
    connection.close();
    await server.shutdown();
  }
});
