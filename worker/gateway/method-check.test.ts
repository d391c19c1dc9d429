import assert from "node:assert/strict";
import { Hono } from "hono";
import { KNOWN_METHODS, methodCheck } from "./method-check.ts";

/** Sends a raw request line (a `Request` would normalise `get` to `GET`) and returns the status. */
async function rawStatus(port: number, method: string): Promise<number> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await connection.write(
      new TextEncoder().encode(
        `${method} / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      ),
    );
    let raw = "";
    const buffer = new Uint8Array(4096);
    for (let reads = 0; reads < 100; reads++) {
      const n = await connection.read(buffer);
      if (n === null) break;
      raw += new TextDecoder().decode(buffer.subarray(0, n));
    }
    return Number(raw.slice(9, 12));
  } finally {
    connection.close();
  }
}

Deno.test("methodCheck() refuses lower-case and unknown verbs exactly as sent (real socket)", async () => {
  const reached: string[] = [];
  const app = new Hono();
  app.onError((_error, c) => c.text("refused", 405));
  app.use(methodCheck({ methods: KNOWN_METHODS, refuse: (m) => new Error(m) }));
  app.all("/", (c) => {
    reached.push(c.req.method);
    return c.text("ok");
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  try {
    for (const method of ["get", "Get", "post", "FOO", "BREW", "M-SEARCH"]) {
      assert.equal(await rawStatus(server.addr.port, method), 405, method);
    }
    assert.equal(await rawStatus(server.addr.port, "GET"), 200);
    assert.equal(await rawStatus(server.addr.port, "PATCH"), 200);
    assert.deepEqual(reached, ["GET", "PATCH"]);
  } finally {
    await server.shutdown();
  }
});
