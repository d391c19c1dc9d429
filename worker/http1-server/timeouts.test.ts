/**
 * Deadlines over real sockets, with short configured timeouts. Nothing here asserts how long
 * anything took: each wait is bounded only so that a broken server fails the test instead of
 * hanging it.
 */
import assert from "node:assert/strict";
import { RawConnection } from "./raw-http-client.ts";
import { startTestServer } from "./test-server.ts";

const SHORT = 300;
/** A bound no healthy run comes near; only there to turn a hang into a failure. */
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

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("serveHttp1 closes a connection that sends nothing (header timeout from accept)", async () => {
  const server = startTestServer(() => new Response("ok"), { headerTimeoutMs: SHORT });
  const connection = await RawConnection.open(server.port);
  try {
    assert.ok(await within(connection.isClosed(), "the silent connection closed"));
  } finally {
    connection.close();
    await server.close();
  }
});

Deno.test("serveHttp1 closes a kept-alive connection after the idle timeout", async () => {
  const server = startTestServer(() => new Response("ok"), { idleTimeoutMs: SHORT });
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const response = await connection.readResponse();
    assert.equal(response?.status, 200);
    assert.equal(response?.headers.has("connection"), false, "kept alive");
    assert.ok(await within(connection.isClosed(), "the idle connection closed"));
  } finally {
    connection.close();
    await server.close();
  }
});

Deno.test("serveHttp1 closes 300 slowloris connections within the header timeout while answering others", async () => {
  const server = startTestServer(() => new Response("ok"), { headerTimeoutMs: SHORT });
  const connections = await Promise.all(
    Array.from({ length: 300 }, () => RawConnection.open(server.port)),
  );
  let stopped = false;
  const trickles = connections.map(async (connection, index) => {
    try {
      await connection.send(`GET /slow/${index} HTTP/1.1\r\nHost: x\r\n`);
      // One more header line every 50 ms: the head never ends, each line restarts nothing.
      for (let line = 0; line < 2000 && !stopped; line++) {
        await delay(50);
        await connection.send(`X-Trickle-${line}: a\r\n`);
      }
    } catch {
      // The server closed it: the point.
    }
  });
  try {
    const closed = connections.map((connection) => connection.isClosed());
    for (let round = 0; round < 10; round++) {
      const answered = await within(fetch(`${server.origin}/normal/${round}`), "a normal request");
      assert.equal(answered.status, 200);
      assert.equal(await answered.text(), "ok");
    }
    const results = await within(Promise.all(closed), "all slowloris connections closed");
    assert.equal(results.filter(Boolean).length, 300);
  } finally {
    stopped = true;
    for (const connection of connections) connection.close();
    await Promise.all(trickles);
    await server.close();
  }
});

Deno.test("serveHttp1 ends a stalled streamed request body: the app's read fails and its signal aborts", async () => {
  let bodyFailure: unknown;
  let aborted!: () => void;
  const signalAborted = new Promise<void>((resolve) => (aborted = resolve));
  const server = startTestServer(async (request) => {
    request.signal.addEventListener("abort", () => aborted());
    try {
      await request.text();
    } catch (error) {
      bodyFailure = error;
    }
    return new Response("late");
  }, { bodyTimeoutMs: SHORT });
  const connection = await RawConnection.open(server.port);
  try {
    // Over the size read whole before the app is called (decision G16): the app streams it.
    await connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\nabc");
    await within(signalAborted, "the request signal aborted");
    assert.ok(await within(connection.isClosed(), "the stalled connection closed"));
  } finally {
    connection.close();
    await server.close();
  }
  assert.ok(bodyFailure !== undefined, "the app's body read failed");
});

Deno.test("decision G16: a stalled small request body is ended by the body deadline before the app is called", async () => {
  let called = false;
  const server = startTestServer(() => {
    called = true;
    return new Response("never");
  }, { bodyTimeoutMs: SHORT });
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    assert.ok(await within(connection.isClosed(), "the stalled connection closed"));
  } finally {
    connection.close();
    await server.close();
  }
  assert.equal(called, false, "the app was not called with a body that never came");
});

Deno.test("serveHttp1 ends a response the client stops reading (write timeout) and cancels its body", async () => {
  let cancelled!: () => void;
  const bodyCancelled = new Promise<void>((resolve) => (cancelled = resolve));
  let aborted!: () => void;
  const signalAborted = new Promise<void>((resolve) => (aborted = resolve));
  const server = startTestServer((request) => {
    request.signal.addEventListener("abort", () => aborted());
    return new Response(
      new ReadableStream<Uint8Array>({
        pull: (controller) => controller.enqueue(new Uint8Array(64 * 1024)),
        cancel: () => cancelled(),
      }, { highWaterMark: 0 }),
    );
  }, { writeTimeoutMs: SHORT });
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send("GET /never-read HTTP/1.1\r\nHost: x\r\n\r\n");
    await within(Promise.all([bodyCancelled, signalAborted]), "the stalled response ended");
  } finally {
    connection.close();
    await server.close();
  }
});
