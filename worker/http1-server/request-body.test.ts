/**
 * Decision G16 over real sockets: which request bodies the guarded server reads whole before the
 * app is called, and what a client that breaks one off gets. Waits are bounded only to turn a
 * hang into a failure.
 */
import assert from "node:assert/strict";
import { wholeRequestBody } from "../whole-request-body.ts";
import { RawConnection } from "./raw-http-client.ts";
import { WHOLE_REQUEST_BODY_MAX_BYTES } from "./request-body.ts";
import { startTestServer } from "./test-server.ts";

/** What the app saw of one request. */
interface Seen {
  whole: string | undefined;
  text: string;
  wholeAfterRead: boolean;
}

/** A server whose app records, per request, the marked bytes and then reads the body. */
function recordingServer() {
  const seen: Seen[] = [];
  const server = startTestServer(async (request) => {
    const whole = wholeRequestBody(request);
    const text = await request.text();
    seen.push({
      whole: whole && new TextDecoder().decode(whole),
      text,
      wholeAfterRead: wholeRequestBody(request) !== undefined,
    });
    return new Response(`got ${text.length}`);
  });
  return { seen, server };
}

const post = (body: string, extra = "") =>
  `POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

Deno.test("decision G16: a small body sent with its head reaches the app whole, marked, and is not handed out twice", async () => {
  const { seen, server } = recordingServer();
  const connection = await RawConnection.open(server.port);
  try {
    // Two on one connection, pipelined: the framing after a whole read is intact.
    await connection.send(post('{"a":1}') + post("second"));
    assert.equal((await connection.readResponse())?.text, "got 7");
    assert.equal((await connection.readResponse())?.text, "got 6");
  } finally {
    connection.close();
    await server.close();
  }
  assert.deepEqual(seen, [
    { whole: '{"a":1}', text: '{"a":1}', wholeAfterRead: false },
    { whole: "second", text: "second", wholeAfterRead: false },
  ]);
  assert.deepEqual(server.errors, []);
});

Deno.test("decision G16: a small body that follows its head later is waited for, then handed over whole", async () => {
  const { seen, server } = recordingServer();
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(seen.length, 0, "the app waits for the body");
    await connection.send("56789");
    assert.equal((await connection.readResponse())?.text, "got 10");
  } finally {
    connection.close();
    await server.close();
  }
  assert.deepEqual(seen, [{ whole: "0123456789", text: "0123456789", wholeAfterRead: false }]);
});

Deno.test("decision G16: a body over the limit, or one whose client waits for 100 Continue, is streamed to the app as before", async () => {
  const { seen, server } = recordingServer();
  const connection = await RawConnection.open(server.port);
  const large = "x".repeat(WHOLE_REQUEST_BODY_MAX_BYTES + 1);
  try {
    await connection.send(post(large));
    assert.equal((await connection.readResponse())?.text, `got ${large.length}`);
    await connection.send(
      "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
    );
    assert.equal((await connection.readResponse())?.status, 100);
    await connection.send("hello");
    assert.equal((await connection.readResponse())?.text, "got 5");
  } finally {
    connection.close();
    await server.close();
  }
  assert.deepEqual(seen.map((s) => [s.whole, s.text.length]), [
    [undefined, large.length],
    [undefined, 5],
  ]);
});

Deno.test("decision G16: a small body the client breaks off is the client's 400, and the app is never called", async () => {
  const { seen, server } = recordingServer();
  const connection = await RawConnection.open(server.port);
  try {
    await connection.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    await connection.closeWrite();
    const answer = await connection.readResponse();
    assert.equal(answer?.status, 400);
    assert.match(answer?.text ?? "", /Content-Length/);
    assert.equal(answer?.headers.get("connection"), "close");
  } finally {
    connection.close();
    await server.close();
  }
  assert.deepEqual(seen, []);
});
