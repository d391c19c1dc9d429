/**
 * Bodies of many megabytes both ways: intact, and under backpressure (a side that stops
 * reading stops the other side; memory stays bounded by socket buffers, whatever the size).
 */
import assert from "node:assert/strict";
import { RawConnection } from "./raw-http-client.ts";
import { startTestServer } from "./test-server.ts";

const MiB = 1024 * 1024;
/** Far more than loopback socket buffers hold, so an unbounded server would show. */
const HUGE = 256 * MiB;
/** What kernel buffers and the server's own buffers may hold between two paused parties. */
const IN_FLIGHT_BOUND = 64 * MiB;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `value()` stops changing (bounded), and returns it. */
async function whenSteady(value: () => number): Promise<number> {
  let last = -1;
  let steadyFor = 0;
  for (let round = 0; round < 400 && steadyFor < 4; round++) {
    await delay(25);
    const now = value();
    steadyFor = now === last ? steadyFor + 1 : 0;
    last = now;
  }
  return last;
}

function pattern(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

async function sha256(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

Deno.test("serveHttp1 streams several MB both ways intact, chunked and with Content-Length", async () => {
  const server = startTestServer((request) => new Response(request.body));
  const payload = pattern(8 * MiB + 123, 7);
  try {
    const sized = await fetch(`${server.origin}/echo`, { method: "POST", body: payload });
    assert.equal(await sha256(await sized.arrayBuffer()), await sha256(payload));

    let offset = 0;
    const upload = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= payload.length) return controller.close();
        const size = 1 + ((offset * 31) % 100_000);
        controller.enqueue(payload.slice(offset, offset + size));
        offset += size;
      },
    });
    const chunked = await fetch(`${server.origin}/echo`, { method: "POST", body: upload });
    assert.equal(chunked.headers.get("transfer-encoding"), "chunked");
    assert.equal(await sha256(await chunked.arrayBuffer()), await sha256(payload));
  } finally {
    await server.close();
  }
});

Deno.test("serveHttp1 pulls a request body only as fast as the app reads it", async () => {
  let consumed = 0;
  let resume!: () => void;
  const resumed = new Promise<void>((resolve) => (resume = resolve));
  const server = startTestServer(async (request) => {
    const reader = request.body!.getReader();
    const first = await reader.read();
    consumed += first.value?.length ?? 0;
    await resumed;
    await reader.cancel();
    return new Response("stopped");
  });
  const connection = await RawConnection.open(server.port);
  let written = 0;
  let stop = false;
  const sending = (async () => {
    await connection.send(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: ${HUGE}\r\n\r\n`);
    const piece = new Uint8Array(64 * 1024);
    while (!stop && written < HUGE) {
      await connection.send(piece);
      written += piece.length;
    }
  })().catch(() => {});
  try {
    const steady = await whenSteady(() => written);
    assert.ok(consumed > 0, "the app read its first chunk");
    assert.ok(
      steady < IN_FLIGHT_BOUND,
      `the client could write only ${steady} bytes ahead of the app`,
    );
  } finally {
    stop = true;
    resume();
    connection.close();
    await sending;
    await server.close();
  }
});

Deno.test("serveHttp1 pulls a response body only as fast as the client reads it, and cancels it when the client leaves", async () => {
  let produced = 0;
  let cancelled!: () => void;
  const wasCancelled = new Promise<void>((resolve) => (cancelled = resolve));
  const server = startTestServer(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (produced >= HUGE) return controller.close();
          controller.enqueue(new Uint8Array(64 * 1024));
          produced += 64 * 1024;
        },
        cancel: () => cancelled(),
      }, { highWaterMark: 0 }),
    )
  );
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send("GET /download HTTP/1.1\r\nHost: x\r\n\r\n");
    // Read nothing: the response must stall in the socket buffers, not in the server's memory.
    const steady = await whenSteady(() => produced);
    assert.ok(produced > 0);
    assert.ok(
      steady < IN_FLIGHT_BOUND,
      `the server produced only ${steady} bytes ahead of the client`,
    );
    connection.close();
    await wasCancelled;
  } finally {
    connection.close();
    await server.close();
  }
});
