import assert from "node:assert/strict";
import { createTimerWheel } from "./deadline-scheduler.ts";
import { DeadlineExceeded, startDeadline } from "./request-deadline.ts";
import { ResponseBodyCut, watchResponseBody } from "./watched-body.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("watchResponseBody(): a whole body passes through and ends complete with its byte count", async () => {
  const { body, ended } = watchResponseBody(new Response("hello, world").body!);
  assert.equal(await new Response(body).text(), "hello, world");
  assert.deepEqual(await ended, { outcome: "complete", bytes: 12 });
});

Deno.test("watchResponseBody(): a source that breaks mid-body ends upstream-error and errors the body", async () => {
  let sent = false;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(bytes("part"));
      } else controller.error(new TypeError("connection reset"));
    },
  });
  const { body, ended } = watchResponseBody(source);
  await assert.rejects(new Response(body).text(), (error: unknown) => {
    assert.ok(error instanceof ResponseBodyCut);
    assert.equal(error.outcome, "upstream-error");
    assert.equal(error.stack, "ResponseBodyCut: response body cut: the upstream broke it off");
    return true;
  });
  assert.deepEqual(await ended, { outcome: "upstream-error", bytes: 4 });
});

Deno.test("watchResponseBody(): a stalled source is cut by the deadline, and the source is cancelled", async () => {
  let now = 0;
  const wheel = createTimerWheel({ tickMs: 5, now: () => now });
  const deadline = startDeadline(wheel, 50);
  let cancelled: unknown;
  let sent = false;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(bytes("headers arrived, then nothing"));
      }
      return new Promise(() => {}); // stalls forever
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  const { body, ended } = watchResponseBody(source, deadline);
  const reader = body.getReader();
  assert.equal((await reader.read()).value?.byteLength, 29);
  const next = reader.read();
  now = 50;
  await assert.rejects(next, (error: unknown) => {
    assert.ok(error instanceof ResponseBodyCut);
    assert.equal(error.outcome, "deadline");
    return true;
  });
  assert.deepEqual(await ended, { outcome: "deadline", bytes: 29 });
  assert.ok(cancelled instanceof DeadlineExceeded);
});

Deno.test("watchResponseBody(): a consumer that goes away ends consumer-closed and cancels the source", async () => {
  let cancelled = false;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(bytes("x"));
    },
    cancel() {
      cancelled = true;
    },
  });
  const { body, ended } = watchResponseBody(source);
  const reader = body.getReader();
  await reader.read();
  await reader.cancel("gone");
  assert.deepEqual(await ended, { outcome: "consumer-closed", bytes: 1 });
  assert.ok(cancelled);
});

Deno.test("watchResponseBody(): one chunk at a time, never read ahead of the consumer", async () => {
  let pulls = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  }, { highWaterMark: 0 });
  const { body } = watchResponseBody(source);
  const reader = body.getReader();
  for (let i = 0; i < 3; i++) await reader.read();
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(pulls <= 4, `pulled ${pulls} chunks for 3 reads`);
  await reader.cancel();
});

Deno.test("watchResponseBody(): a read already made from the reader is passed on first and counted", async () => {
  const reader = new Response("hello world").body!.getReader();
  const first = await reader.read();
  const { body, ended } = watchResponseBody(reader, undefined, first);
  assert.equal(await new Response(body).text(), "hello world");
  assert.deepEqual(await ended, { outcome: "complete", bytes: 11 });

  const empty = new Response(new Uint8Array(0)).body!.getReader();
  const done = watchResponseBody(empty, undefined, await empty.read());
  assert.equal(await new Response(done.body).text(), "");
  assert.deepEqual(await done.ended, { outcome: "complete", bytes: 0 });
});
