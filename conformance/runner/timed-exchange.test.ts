import assert from "node:assert/strict";
import { timedExchange } from "./timed-exchange.ts";

const request = { method: "GET", url: "https://example.test/x", headers: {} };
const show = {
  body: (answer: { body: string }) => answer.body.toUpperCase(),
  error: (error: unknown) => `failed: ${(error as Error).message}`,
};

Deno.test("records the response as shown, and hands back the response itself", async () => {
  const { exchange, response } = await timedExchange(
    { step: "s", request },
    () =>
      Promise.resolve({
        status: 201,
        headers: new Headers({ "content-type": "text/plain" }),
        body: "ok",
      }),
    show,
  );
  assert.equal(exchange.step, "s");
  assert.deepEqual(exchange.response, {
    status: 201,
    headers: { "content-type": "text/plain" },
    body: "OK",
  });
  assert.equal(response?.body, "ok");
  assert.ok(exchange.latencyMs >= 0);
});

Deno.test("an empty shown body is left out; a transport error is recorded", async () => {
  const empty = await timedExchange(
    { request },
    () => Promise.resolve({ status: 204, headers: new Headers(), body: "" }),
    show,
  );
  assert.equal("body" in empty.exchange.response!, false);
  assert.equal("step" in empty.exchange, false);
  const failed = await timedExchange(
    { request },
    () => Promise.reject(new Error("refused")),
    show,
  );
  assert.equal(failed.response, undefined);
  assert.equal(failed.exchange.error, "failed: refused");
  assert.equal(failed.exchange.response, undefined);
});
