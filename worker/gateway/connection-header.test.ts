import assert from "node:assert/strict";
import { Hono } from "hono";
import { connectionHeaderCheck, connectionOptions, endToEndEntries } from "./connection-header.ts";

Deno.test("connectionOptions() lists the lower-case names, empty elements skipped", () => {
  assert.deepEqual(
    connectionOptions(new Headers({ Connection: "keep-alive, Ssp-To ,, X-A" })),
    new Set(["keep-alive", "ssp-to", "x-a"]),
  );
  assert.equal(connectionOptions(new Headers()), undefined);
});

Deno.test("connectionHeaderCheck() refuses a Connection naming a protected header, passes others", async () => {
  const reached: string[] = [];
  const app = new Hono();
  app.onError((error, c) => c.text(error.message, 400));
  app.use(connectionHeaderCheck({
    isProtected: (name) => name.startsWith("ssp-") || name === "authorization",
    refuse: (name) => new Error(`refused ${name}`),
  }));
  app.get("/", (c) => {
    reached.push(c.req.header("connection") ?? "");
    return c.text("ok");
  });
  for (
    const value of [
      "keep-alive, Ssp-To, Ssp-From, Authorization",
      "close, AUTHORIZATION",
      "ssp-traceid",
    ]
  ) {
    const response = await app.request("/", { headers: { Connection: value } });
    assert.equal(response.status, 400, value);
    assert.match(await response.text(), /^refused (ssp-to|authorization|ssp-traceid)$/);
  }
  assert.deepEqual(reached, []);
  const ok = await app.request("/", { headers: { Connection: "keep-alive, X-Custom" } });
  assert.equal(ok.status, 200);
  assert.deepEqual(reached, ["keep-alive, X-Custom"]);
});

Deno.test("endToEndEntries() drops RFC 9110 hop-by-hop headers, those Connection names, and what drop says", () => {
  const headers = new Headers({
    "Connection": "x-hop",
    "Keep-Alive": "timeout=5",
    "TE": "trailers",
    "Trailer": "x",
    "Transfer-Encoding": "chunked",
    "Upgrade": "h2c",
    "Proxy-Authorization": "Basic x",
    "Proxy-Connection": "keep-alive",
    "X-Hop": "1",
    "X-Dropped": "1",
    "X-Kept": "verbatim, as sent",
  });
  assert.deepEqual(endToEndEntries(headers, (name) => name === "x-dropped"), [
    ["x-kept", "verbatim, as sent"],
  ]);
});
