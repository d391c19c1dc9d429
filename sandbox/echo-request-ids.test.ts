import assert from "node:assert/strict";
import { Hono } from "hono";
import { echoRequestIds } from "./echo-request-ids.ts";

Deno.test("the request and correlation ids sent come back; none is invented", async () => {
  const app = new Hono().use("*", echoRequestIds).get("/", (c) => c.text("ok"));
  const both = await app.request("/", {
    headers: { "X-Request-ID": "r-1", "X-Correlation-ID": "c-1" },
  });
  assert.equal(both.headers.get("X-Request-ID"), "r-1");
  assert.equal(both.headers.get("X-Correlation-ID"), "c-1");
  const none = await app.request("/");
  assert.equal(none.headers.get("X-Request-ID"), null);
  assert.equal(none.headers.get("X-Correlation-ID"), null);
  assert.equal(await none.text(), "ok");
});
