import assert from "node:assert/strict";
import { BytesResponse } from "./bytes-response.ts";
import { writeResponse } from "./response-writer.ts";
import { SocketWriter } from "./socket-writer.ts";

const DATE = "Sat, 05 Dec 2026 08:00:00 GMT";

/** A BytesResponse that fails the test if anything reads its `body` stream. */
class StreamlessResponse extends BytesResponse {
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    throw new Error("the body stream was read");
  }
}

async function written(response: Response, method = "GET") {
  const writes: string[] = [];
  const writer = new SocketWriter({
    write(bytes) {
      writes.push(new TextDecoder().decode(bytes));
      return Promise.resolve(bytes.length);
    },
  }, () => {});
  const outcome = await writeResponse(writer, response, {
    method,
    http10: false,
    keepAlive: true,
    date: DATE,
    headWritten() {},
  });
  return { outcome, writes };
}

Deno.test("BytesResponse: the writer sends its bytes in the head's write, framed by their length, without a stream", async () => {
  const response = new StreamlessResponse(new TextEncoder().encode('{"a":1}'), {
    status: 201,
    headers: { "content-type": "application/fhir+json", "content-length": "999" },
  });
  const { outcome, writes } = await written(response);
  assert.deepEqual(outcome, { keepAlive: true, complete: true });
  assert.deepEqual(writes, [
    `HTTP/1.1 201 Created\r\ncontent-type: application/fhir+json\r\ndate: ${DATE}\r\ncontent-length: 7\r\n\r\n{"a":1}`,
  ]);
});

Deno.test("BytesResponse: HEAD still carries no body; an ordinary consumer reads the same bytes", async () => {
  const bytes = new TextEncoder().encode("hello");
  const head = await written(new BytesResponse(bytes, { status: 200 }), "HEAD");
  assert.deepEqual(head.writes, [`HTTP/1.1 200 OK\r\ndate: ${DATE}\r\n\r\n`]);
  assert.equal(await new BytesResponse(bytes, { status: 200 }).text(), "hello");
});

Deno.test("BytesResponse: one whose body was already read goes the ordinary way (and is refused as unreadable)", async () => {
  const response = new BytesResponse(new TextEncoder().encode("x"), { status: 200 });
  await response.text();
  await assert.rejects(() => written(response), { name: "UnsendableResponseError" });
});

Deno.test("BytesResponse: checked fields read as the same fields appended", async () => {
  const fields: Array<[string, string]> = [
    ["content-type", "application/fhir+json"],
    ["x-a", "1"],
    [
      "x-a",
      "2",
    ],
  ];
  const checked = new BytesResponse(new TextEncoder().encode("{}"), { status: 200 }, fields);
  const appended = new BytesResponse(new TextEncoder().encode("{}"), {
    status: 200,
    headers: fields,
  });
  assert.deepEqual([...checked.headers], [...appended.headers]);
  assert.equal(checked.headers.get("x-a"), "1, 2");
  checked.headers.set("x-b", "3");
  assert.equal(checked.headers.get("x-b"), "3");
  assert.equal(await checked.text(), "{}");
});
