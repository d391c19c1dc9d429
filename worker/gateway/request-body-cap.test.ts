import assert from "node:assert/strict";
import { Hono } from "hono";
import { bodyCapError, cappedStream, requestBodyCap } from "./request-body-cap.ts";

class TooLarge extends Error {}

function chunked(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent === chunks) return controller.close();
      sent++;
      controller.enqueue(new Uint8Array(size));
    },
  }, { highWaterMark: 0 });
}

Deno.test("cappedStream(): passes a body up to the cap, errors on the byte past it", async () => {
  assert.equal(
    (await new Response(cappedStream(chunked(4, 10), 40, () => new TooLarge())).arrayBuffer())
      .byteLength,
    40,
  );
  await assert.rejects(
    new Response(cappedStream(chunked(5, 10), 40, () => new TooLarge())).arrayBuffer(),
    TooLarge,
  );
});

Deno.test("requestBodyCap(): a declared Content-Length over the cap is refused before the handler", async () => {
  let reached = 0;
  const app = new Hono();
  app.onError((error, c) => c.text(error.constructor.name, 413));
  app.use(requestBodyCap({ maxBytes: 100, refuse: () => new TooLarge() }));
  app.post("/", async (c) => {
    reached++;
    return c.text(String((await c.req.raw.arrayBuffer()).byteLength));
  });
  const refused = await app.request("/", {
    method: "POST",
    body: new Uint8Array(101),
    headers: { "Content-Length": "101" },
  });
  assert.equal(refused.status, 413);
  assert.equal(reached, 0);
  const ok = await app.request("/", { method: "POST", body: new Uint8Array(100) });
  assert.equal(await ok.text(), "100");
});

Deno.test("requestBodyCap(): a body without a length is counted while it streams, and the cap error is findable", async () => {
  let failure: unknown;
  let capError: Error | undefined;
  const app = new Hono();
  app.use(requestBodyCap({ maxBytes: 1000, refuse: () => new TooLarge() }));
  app.post("/", async (c) => {
    try {
      await c.req.raw.arrayBuffer();
    } catch (error) {
      failure = error;
      capError = bodyCapError(c.req.raw);
    }
    return c.text("read");
  });
  await app.request("/", { method: "POST", body: chunked(11, 100), duplex: "half" } as RequestInit);
  assert.ok(failure !== undefined, "reading past the cap failed");
  assert.ok(capError instanceof TooLarge);
  assert.equal(bodyCapError(new Request("http://x/")), undefined);
});
