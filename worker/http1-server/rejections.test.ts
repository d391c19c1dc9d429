/**
 * Every refusal over a real socket: the status, a closed connection, and a handler that never
 * ran, including for the request smuggled behind the refused one.
 */
import assert from "node:assert/strict";
import { exchange } from "./raw-http-client.ts";
import { startTestServer } from "./test-server.ts";

const SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

function request(requestLine: string, fields: string[], body = ""): string {
  return `${[requestLine, ...fields].join("\r\n")}\r\n\r\n${body}`;
}

const CASES: ReadonlyArray<[string, string, number]> = [
  ["a missing Host", request("GET / HTTP/1.1", []), 400],
  ["two Host fields", request("GET / HTTP/1.1", ["Host: a", "Host: b"]), 400],
  ["Host x:99999", request("GET / HTTP/1.1", ["Host: x:99999"]), 400],
  ["Host a b", request("GET / HTTP/1.1", ["Host: a b"]), 400],
  ["Host [::1", request("GET / HTTP/1.1", ["Host: [::1"]), 400],
  [
    "Host x/http://…?",
    request("GET /_health HTTP/1.1", [
      "Host: x/http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata?",
    ]),
    400,
  ],
  [
    "Transfer-Encoding and Content-Length (CL.TE)",
    request(
      "POST / HTTP/1.1",
      ["Host: x", "Content-Length: 6", "Transfer-Encoding: chunked"],
      `0\r\n\r\n${SMUGGLED}`,
    ),
    400,
  ],
  [
    "Content-Length and Transfer-Encoding (TE.CL)",
    request(
      "POST / HTTP/1.1",
      ["Host: x", "Transfer-Encoding: chunked", "Content-Length: 4"],
      `5c\r\n${SMUGGLED}\r\n0\r\n\r\n`,
    ),
    400,
  ],
  [
    "differing Content-Length",
    request("POST / HTTP/1.1", ["Host: x", "Content-Length: 0", "Content-Length: 36"], SMUGGLED),
    400,
  ],
  [
    "Transfer-Encoding gzip, chunked",
    request(
      "POST / HTTP/1.1",
      ["Host: x", "Transfer-Encoding: gzip, chunked"],
      `0\r\n\r\n${SMUGGLED}`,
    ),
    400,
  ],
  [
    "Transfer-Encoding: xchunked",
    request("POST / HTTP/1.1", ["Host: x", "Transfer-Encoding: xchunked"], `0\r\n\r\n${SMUGGLED}`),
    400,
  ],
  [
    "Transfer-Encoding with a space before the colon",
    request("POST / HTTP/1.1", ["Host: x", "Transfer-Encoding : chunked"], `0\r\n\r\n${SMUGGLED}`),
    400,
  ],
  [
    "Transfer-Encoding folded",
    request(
      "POST / HTTP/1.1",
      ["Host: x", "Transfer-Encoding:", " chunked"],
      `0\r\n\r\n${SMUGGLED}`,
    ),
    400,
  ],
  ["obsolete line folding", request("GET / HTTP/1.1", ["Host: x", "X-A: 1", " 2"]), 400],
  ["a bare LF line ending", "GET / HTTP/1.1\nHost: x\n\n", 400],
  ["a bare CR in a value", request("GET / HTTP/1.1", ["Host: x", "X-A: 1\rX-B: 2"]), 400],
  ["a NUL in a value", request("GET / HTTP/1.1", ["Host: x", "X-A: a\0b"]), 400],
  ["a NUL in a name", request("GET / HTTP/1.1", ["Host: x", "X\0A: 1"]), 400],
  ["a name that is not a token", request("GET / HTTP/1.1", ["Host: x", "X[A]: 1"]), 400],
  ["HTTP/2.0", request("GET / HTTP/2.0", ["Host: x"]), 400],
  ["HTTP/0.9", "GET /\r\n\r\n", 400],
  [
    "absolute-form",
    request("GET http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata HTTP/1.1", [
      "Host: x",
    ]),
    400,
  ],
  ["authority-form", request("CONNECT 127.0.0.1:8083 HTTP/1.1", ["Host: 127.0.0.1:8083"]), 400],
  ["asterisk-form", request("OPTIONS * HTTP/1.1", ["Host: x"]), 400],
  [
    "a request line over 16 KiB",
    request(`GET /${"a".repeat(17 * 1024)} HTTP/1.1`, ["Host: x"]),
    414,
  ],
  [
    "header fields over 32 KiB",
    request("GET / HTTP/1.1", ["Host: x", `X-Big: ${"a".repeat(40 * 1024)}`]),
    431,
  ],
  [
    "101 header fields",
    request("GET / HTTP/1.1", [
      "Host: x",
      ...Array.from({ length: 100 }, (_, index) => `X-${index}: 1`),
    ]),
    431,
  ],
  [
    "an unmet expectation",
    request("POST / HTTP/1.1", ["Host: x", "Expect: 200-ok", "Content-Length: 0"]),
    417,
  ],
  [
    "a chunk size with 0x",
    request("POST / HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"], `0x0\r\n\r\n${SMUGGLED}`),
    400,
  ],
  [
    "a chunk size with a sign",
    request("POST / HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"], `-0\r\n\r\n${SMUGGLED}`),
    400,
  ],
  [
    "chunk data without CRLF",
    request(
      "POST / HTTP/1.1",
      ["Host: x", "Transfer-Encoding: chunked"],
      `3\r\nabc0\r\n\r\n${SMUGGLED}`,
    ),
    400,
  ],
  [
    "a chunk line ending in a bare LF",
    request("POST / HTTP/1.1", ["Host: x", "Transfer-Encoding: chunked"], `0\n\r\n${SMUGGLED}`),
    400,
  ],
];

for (const [name, wire, status] of CASES) {
  Deno.test(`serveHttp1 refuses ${name} with ${status} and closes`, async () => {
    const seen: string[] = [];
    // The handler reads the body, as an app would: chunked framing is checked as it is read.
    const server = startTestServer(async (request) => {
      seen.push(new URL(request.url).pathname);
      await request.arrayBuffer();
      return new Response("ok");
    });
    try {
      const responses = await exchange(server.port, wire + SMUGGLED);
      assert.deepEqual(responses.map((response) => response.status), [status]);
      assert.equal(responses[0]?.headers.get("connection"), "close");
      assert.ok(!seen.includes("/smuggled"), "the request behind it never reaches the app");
      // Only a malformed chunked body is found after the head, so only then has the app run.
      if (!name.startsWith("chunk") && !name.startsWith("a chunk")) assert.deepEqual(seen, []);
    } finally {
      await server.close();
    }
    assert.deepEqual(server.errors, []);
  });
}

Deno.test("serveHttp1 answers refusals through rejectionResponse when given", async () => {
  const { serveHttp1 } = await import("./serve-http1.ts");
  const server = serveHttp1({
    hostname: "127.0.0.1",
    port: 0,
    onError() {},
    rejectionResponse: (rejection) =>
      Response.json({ resourceType: "OperationOutcome", code: rejection.code }, {
        status: rejection.status,
      }),
  }, () => new Response("ok"));
  try {
    const [response] = await exchange(server.addr.port, "GET / HTTP/1.1\r\nHost: a b\r\n\r\n");
    assert.equal(response?.status, 400);
    assert.deepEqual(JSON.parse(response!.text), {
      resourceType: "OperationOutcome",
      code: "bad-host",
    });
  } finally {
    await server.shutdown();
  }
});
