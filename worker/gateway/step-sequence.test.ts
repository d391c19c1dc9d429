import assert from "node:assert/strict";
import { Hono } from "hono";
import { stepSequence } from "./step-sequence.ts";

Deno.test("stepSequence: steps run in order, then the route; an async step is waited for", async () => {
  const seen: string[] = [];
  const app = new Hono().use(
    stepSequence(
      (_, next) => (seen.push("a"), next()),
      async (_, next) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push("b");
        return next();
      },
      (_, next) => (seen.push("c"), next()),
    ),
  ).get("/", (c) => (seen.push("route"), c.text("ok")));
  const response = await app.request("/");
  assert.equal(await response.text(), "ok");
  assert.deepEqual(seen, ["a", "b", "c", "route"]);
});

Deno.test("stepSequence: a step that answers stops the rest; an error is the app's error answer", async () => {
  const seen: string[] = [];
  const app = new Hono().use(
    stepSequence(
      (_, next) => (seen.push("first"), next()),
      async (c, next) => c.req.header("x-answer") ? c.text("answered", 409) : await next(),
      (c, next) => {
        if (c.req.header("x-throw")) throw new RangeError("refused");
        return next();
      },
      (_, next) => (seen.push("last"), next()),
    ),
  ).get("/", (c) => c.text("ok"));
  app.onError((error, c) => c.text(`${error.name}: ${error.message}`, 400));

  const answered = await app.request("/", { headers: { "x-answer": "1" } });
  assert.equal(answered.status, 409);
  assert.deepEqual(seen, ["first"]);

  const refused = await app.request("/", { headers: { "x-throw": "1" } });
  assert.equal(refused.status, 400);
  assert.equal(await refused.text(), "RangeError: refused");
  assert.deepEqual(seen, ["first", "first"]);

  assert.equal((await app.request("/")).status, 200);
  assert.deepEqual(seen, ["first", "first", "first", "last"]);
});

Deno.test("stepSequence: a step around the sequence sees the error answer, as around any step", async () => {
  let seenStatus = 0;
  const app = new Hono()
    .use(async (c, next) => {
      await next();
      seenStatus = c.res.status;
    })
    .use(stepSequence((_, next) => next(), () => {
      throw new Error("no");
    }))
    .get("/", (c) => c.text("ok"));
  app.onError((_, c) => c.text("refused", 403));
  assert.equal((await app.request("/")).status, 403);
  assert.equal(seenStatus, 403);
});
