/**
 * A client that goes away aborts `request.signal`, so the app can stop its provider call: mid-
 * response, before the response, and mid-request-body. The server keeps serving others.
 */
import assert from "node:assert/strict";
import { RawConnection } from "./raw-http-client.ts";
import { startTestServer } from "./test-server.ts";

const GENEROUS_MS = 30_000;

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: not within ${GENEROUS_MS} ms`)),
      GENEROUS_MS,
    );
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

function signalled(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener("abort", () => resolve(signal.reason), { once: true });
  });
}

Deno.test("serveHttp1 aborts request.signal when the client leaves mid-response", async () => {
  let abortReason!: Promise<unknown>;
  let cancelled!: () => void;
  const bodyCancelled = new Promise<void>((resolve) => (cancelled = resolve));
  const server = startTestServer((request) => {
    abortReason = signalled(request.signal);
    let sent = false;
    return new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent) {
            // Like a provider body that has more to come: wait until the consumer is gone.
            await abortReason;
            return;
          }
          sent = true;
          controller.enqueue(new TextEncoder().encode("first part"));
        },
        cancel: () => cancelled(),
      }, { highWaterMark: 0 }),
    );
  });
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
    const firstBytes = new Uint8Array(1024);
    assert.ok((await connection.conn.read(firstBytes)) !== null);
    connection.close();
    const reason = await within(abortReason, "the request signal aborted");
    assert.ok(reason instanceof DOMException && reason.name === "AbortError");
    await within(bodyCancelled, "the response body cancelled");
    const after = await fetch(`${server.origin}/after`);
    assert.equal(after.status, 200);
    await after.body?.cancel();
  } finally {
    connection.close();
    await server.close();
  }
});

Deno.test("serveHttp1 aborts request.signal when the client leaves before the response", async () => {
  let abortReason!: Promise<unknown>;
  const server = startTestServer(async (request) => {
    abortReason = signalled(request.signal);
    await abortReason;
    return new Response("nobody reads this");
  });
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send("GET /slow-provider HTTP/1.1\r\nHost: x\r\n\r\n");
    for (let wait = 0; wait < 1000 && abortReason === undefined; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    connection.close();
    await within(abortReason, "the request signal aborted");
  } finally {
    connection.close();
    await server.close();
  }
  assert.deepEqual(server.errors, []);
});

Deno.test("serveHttp1 aborts request.signal and fails the body read when the client leaves mid-body", async () => {
  let abortReason!: Promise<unknown>;
  let bodyError: unknown;
  let handled!: () => void;
  const handlerDone = new Promise<void>((resolve) => (handled = resolve));
  const server = startTestServer(async (request) => {
    abortReason = signalled(request.signal);
    try {
      await request.arrayBuffer();
    } catch (error) {
      bodyError = error;
    }
    handled();
    return new Response("unread");
  });
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send(
      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\npartial",
    );
    for (let wait = 0; wait < 1000 && abortReason === undefined; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    connection.close();
    await within(abortReason, "the request signal aborted");
    await within(handlerDone, "the handler finished");
  } finally {
    connection.close();
    await server.close();
  }
  assert.ok(bodyError !== undefined);
});
