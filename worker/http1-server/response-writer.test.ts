import assert from "node:assert/strict";
import { type ResponseContext, UnsendableResponseError, writeResponse } from "./response-writer.ts";
import { SocketWriter } from "./socket-writer.ts";

const decoder = new TextDecoder();
const DATE = "Sat, 05 Dec 2026 08:00:00 GMT";

/** A writer whose socket records each write as text (or fails every write when `fail`). */
function recordingWriter(options: { fail?: boolean; maxPerWrite?: number } = {}) {
  const writes: string[] = [];
  const writer = new SocketWriter({
    write(bytes) {
      if (options.fail) return Promise.reject(new Deno.errors.BrokenPipe("gone"));
      const count = Math.min(bytes.length, options.maxPerWrite ?? Infinity);
      writes.push(decoder.decode(bytes.subarray(0, count)));
      return Promise.resolve(count);
    },
  }, () => {});
  return { writer, writes };
}

function context(overrides: Partial<ResponseContext> = {}): ResponseContext {
  return {
    method: "GET",
    http10: false,
    keepAlive: true,
    date: DATE,
    headWritten() {},
    ...overrides,
  };
}

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      // A macrotask per chunk, as a network body would be: never "ready" to the writer's probe.
      await new Promise((resolve) => setTimeout(resolve, 1));
      const part = parts.shift();
      if (part === undefined) controller.close();
      else controller.enqueue(encoder.encode(part));
    },
  }, { highWaterMark: 0 });
}

Deno.test("writeResponse() writes a string body with its length in the same write as the head", async () => {
  const { writer, writes } = recordingWriter();
  const outcome = await writeResponse(
    writer,
    new Response("hello", { headers: { "x-a": "1" } }),
    context(),
  );
  assert.deepEqual(outcome, { keepAlive: true, complete: true });
  assert.equal(writes.length, 1);
  assert.equal(
    writes[0],
    `HTTP/1.1 200 OK\r\ncontent-type: text/plain;charset=UTF-8\r\nx-a: 1\r\ndate: ${DATE}\r\ncontent-length: 5\r\n\r\nhello`,
  );
});

Deno.test("writeResponse() sends Response.json() and byte bodies with Content-Length", async () => {
  for (const response of [Response.json({ a: 1 }), new Response(new Uint8Array([104, 105]))]) {
    const { writer, writes } = recordingWriter();
    await writeResponse(writer, response, context());
    assert.equal(writes.length, 1);
    assert.match(writes[0]!, /\r\ncontent-length: \d+\r\n/);
    assert.doesNotMatch(writes[0]!, /transfer-encoding/);
  }
});

Deno.test("writeResponse() sends a large bytes body with its length, not copied into the head's write", async () => {
  const { writer, writes } = recordingWriter();
  const body = new Uint8Array(1024 * 1024).fill(0x61);
  assert.deepEqual(await writeResponse(writer, new Response(body), context()), {
    keepAlive: true,
    complete: true,
  });
  assert.match(writes[0]!, /content-length: 1048576\r\n\r\n$/);
  assert.equal(writes.slice(1).join("").length, body.length);
});

Deno.test("writeResponse() streams a body of unknown length chunked", async () => {
  const { writer, writes } = recordingWriter();
  const outcome = await writeResponse(writer, new Response(streamOf("ab", "", "cde")), context());
  assert.deepEqual(outcome, { keepAlive: true, complete: true });
  assert.match(writes[0]!, /^HTTP\/1\.1 200 OK\r\n.*transfer-encoding: chunked\r\n\r\n$/s);
  assert.deepEqual(writes.slice(1), ["2\r\nab\r\n", "3\r\ncde\r\n", "0\r\n\r\n"]);
});

Deno.test("writeResponse() honours a Content-Length the app set on a stream", async () => {
  const { writer, writes } = recordingWriter();
  const response = new Response(streamOf("ab", "cde"), { headers: { "content-length": "5" } });
  assert.deepEqual(await writeResponse(writer, response, context()), {
    keepAlive: true,
    complete: true,
  });
  assert.match(writes[0]!, /content-length: 5\r\n/);
  assert.deepEqual(writes.slice(1), ["ab", "cde"]);
});

Deno.test("writeResponse() closes when a stream breaks its Content-Length either way", async () => {
  for (const [declared, parts] of [["4", ["ab", "cde"]], ["9", ["ab", "cde"]]] as const) {
    const { writer, writes } = recordingWriter();
    const response = new Response(streamOf(...parts), { headers: { "content-length": declared } });
    assert.deepEqual(await writeResponse(writer, response, context()), {
      keepAlive: false,
      complete: false,
    });
    assert.ok(writes.join("").length < `content-length: ${declared}`.length + 200);
  }
});

Deno.test("writeResponse() sends no body for HEAD, 204 and 304, and the right lengths", async () => {
  const cases: Array<[Response, string, RegExp, RegExp | undefined]> = [
    [
      new Response("hello", { headers: { "content-length": "5" } }),
      "HEAD",
      /content-length: 5\r\n/,
      undefined,
    ],
    [
      new Response(null, { status: 204 }),
      "GET",
      /^HTTP\/1\.1 204 No Content\r\n/,
      /content-length/,
    ],
    [
      new Response(null, { status: 304, headers: { etag: '"1"' } }),
      "GET",
      /etag: "1"\r\n/,
      /content-length/,
    ],
  ];
  for (const [response, method, present, absent] of cases) {
    const { writer, writes } = recordingWriter();
    await writeResponse(writer, response, context({ method }));
    assert.equal(writes.length, 1);
    assert.match(writes[0]!, present);
    if (absent) assert.doesNotMatch(writes[0]!, absent);
    assert.ok(writes[0]!.endsWith("\r\n\r\n"), "nothing after the head");
  }
});

Deno.test("writeResponse() answers HTTP/1.0 unframed and closes, or keeps alive with a length", async () => {
  const streamed = recordingWriter();
  const outcome = await writeResponse(
    streamed.writer,
    new Response(streamOf("ab")),
    context({ http10: true }),
  );
  assert.deepEqual(outcome, { keepAlive: false, complete: true });
  assert.match(streamed.writes[0]!, /connection: close\r\n/);
  assert.doesNotMatch(streamed.writes[0]!, /transfer-encoding|content-length/);
  assert.deepEqual(streamed.writes.slice(1), ["ab"]);

  const sized = recordingWriter();
  assert.deepEqual(
    await writeResponse(sized.writer, new Response("ab"), context({ http10: true })),
    {
      keepAlive: true,
      complete: true,
    },
  );
  assert.match(sized.writes[0]!, /connection: keep-alive\r\n/);
});

Deno.test("writeResponse() owns framing: the app's Transfer-Encoding and Connection are not copied", async () => {
  const { writer, writes } = recordingWriter();
  const response = new Response("ok", {
    headers: { "transfer-encoding": "gzip", connection: "close", "keep-alive": "timeout=5" },
  });
  assert.deepEqual(await writeResponse(writer, response, context()), {
    keepAlive: false,
    complete: true,
  });
  assert.doesNotMatch(writes[0]!, /gzip|timeout=5/);
  assert.match(writes[0]!, /connection: close\r\n/);
});

Deno.test("writeResponse() writes latin-1 header values one byte per char", async () => {
  const bytes: Uint8Array[] = [];
  const writer = new SocketWriter({
    write: (chunk) => (bytes.push(chunk.slice()), Promise.resolve(chunk.length)),
  }, () => {});
  await writeResponse(
    writer,
    new Response(null, { headers: { "x-name": "Ren\u00e9" } }),
    context(),
  );
  const text = Array.from(bytes[0]!, (byte) => String.fromCharCode(byte)).join("");
  assert.match(text, /x-name: Ren\u00e9\r\n/);
});

Deno.test("writeResponse() refuses a header with CR or LF before writing anything", async () => {
  for (
    const [name, value] of [["x-a", "1\r\nx-injected: 1"], ["x-a\r\nx-b", "1"], ["x-a", "1\nb"]]
  ) {
    const { writer, writes } = recordingWriter();
    const response = new Response("ok");
    Object.defineProperty(response, "headers", { value: [[name, value]] });
    await assert.rejects(writeResponse(writer, response, context()), UnsendableResponseError);
    assert.deepEqual(writes, []);
  }
});

Deno.test("writeResponse() cancels the body when the client is gone", async () => {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull: (controller) =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          if (!cancelled) controller.enqueue(new Uint8Array(1));
          resolve();
        }, 1)
      ),
    cancel: () => void (cancelled = true),
  });
  const { writer } = recordingWriter({ fail: true });
  assert.deepEqual(await writeResponse(writer, new Response(body), context()), {
    keepAlive: false,
    complete: false,
  });
  assert.ok(cancelled);
});

Deno.test("SocketWriter completes partial socket writes", async () => {
  const { writer, writes } = recordingWriter({ maxPerWrite: 3 });
  await writer.write(new TextEncoder().encode("abcdefgh"));
  assert.deepEqual(writes, ["abc", "def", "gh"]);
});
