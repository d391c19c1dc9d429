import assert from "node:assert/strict";
import { DEFAULT_HTTP1_LIMITS, resolveHttp1Limits } from "./limits.ts";
import { Http1ProtocolError } from "./protocol-error.ts";
import { HeadScanner, parseRequestHead, type RequestHead } from "./request-head.ts";

const encoder = new TextEncoder();

/** Scans and parses a whole head given as text (fields joined with CRLF, head closed for you). */
function parse(text: string, limits = DEFAULT_HTTP1_LIMITS): RequestHead {
  const bytes = encoder.encode(text);
  const length = new HeadScanner(limits).scan(bytes);
  assert.ok(length > 0, "the head is complete");
  return parseRequestHead(bytes.subarray(0, length));
}

function head(requestLine: string, ...fields: string[]): string {
  return [requestLine, ...fields, "", ""].join("\r\n");
}

function rejection(run: () => unknown): { status: number; code: string } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof Http1ProtocolError, `expected a protocol error, got ${error}`);
    return { status: error.status, code: error.code };
  }
  assert.fail("expected a rejection");
}

Deno.test("parseRequestHead() keeps the method, target and fields exactly as sent", () => {
  const parsed = parse(head(
    "get /http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9690937278 HTTP/1.1",
    "Host: 127.0.0.1:8080",
    "Ssp-TraceID:\t 1b0e1a52 ",
    "X-Tabbed: a\tb",
    "X-Empty:",
  ));
  assert.equal(parsed.method, "get");
  assert.equal(
    parsed.target,
    "/http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9690937278",
  );
  assert.deepEqual(parsed.fields, [
    ["Host", "127.0.0.1:8080"],
    ["Ssp-TraceID", "1b0e1a52"],
    ["X-Tabbed", "a\tb"],
    ["X-Empty", ""],
  ]);
  assert.equal(parsed.contentLength, -1);
  assert.equal(parsed.chunked, false);
  assert.equal(parsed.keepAlive, true);
});

Deno.test("parseRequestHead() skips empty lines before the request line", () => {
  assert.equal(parse(`\r\n\r\n${head("GET /a HTTP/1.1", "Host: x")}`).target, "/a");
});

Deno.test("parseRequestHead() keeps a field value's obs-text bytes one char per byte", () => {
  const bytes = new Uint8Array([
    ...encoder.encode("GET / HTTP/1.1\r\nHost: x\r\nX-Name: Ren"),
    0xe9,
    0x80,
    ...encoder.encode("\r\n\r\n"),
  ]);
  const parsed = parseRequestHead(
    bytes.subarray(0, new HeadScanner(DEFAULT_HTTP1_LIMITS).scan(bytes)),
  );
  assert.equal(parsed.fields[1]![1], "Ren\u00e9\u0080");
});

Deno.test("parseRequestHead() reads body framing and persistence", () => {
  assert.equal(parse(head("POST / HTTP/1.1", "Host: x", "Content-Length: 42")).contentLength, 42);
  assert.equal(
    parse(head("POST / HTTP/1.1", "Host: x", "Content-Length: 7", "content-length: 7"))
      .contentLength,
    7,
  );
  assert.equal(parse(head("POST / HTTP/1.1", "Host: x", "Content-Length: 7, 7")).contentLength, 7);
  assert.equal(
    parse(head("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: Chunked")).chunked,
    true,
  );
  assert.equal(
    parse(head("GET / HTTP/1.1", "Host: x", "Connection: Keep-Alive, CLOSE")).keepAlive,
    false,
  );
  assert.equal(parse(head("GET / HTTP/1.0")).keepAlive, false);
  assert.equal(parse(head("GET / HTTP/1.0", "Connection: keep-alive")).keepAlive, true);
  assert.equal(
    parse(head("POST / HTTP/1.1", "Host: x", "Expect: 100-Continue")).expectContinue,
    true,
  );
  assert.equal(parse(head("POST / HTTP/1.0", "Expect: something-else")).expectContinue, false);
});

Deno.test("parseRequestHead() accepts every Host form RFC 9110 allows", () => {
  for (
    const host of [
      "x",
      "127.0.0.1:8080",
      "[::1]",
      "[::1]:8080",
      "[fe80::1:2]:1",
      "a.b-c_d~e:0",
      "a%20b",
      "x:65535",
    ]
  ) {
    assert.equal(parse(head("GET / HTTP/1.1", `Host: ${host}`)).fields[0]![1], host, host);
  }
});

const REJECTED: ReadonlyArray<[string, string, number, string]> = [
  [
    "obsolete line folding",
    head("GET / HTTP/1.1", "Host: x", "X-A: 1", " folded"),
    400,
    "obsolete-line-folding",
  ],
  ["a first field line folded", head("GET / HTTP/1.1", "\tHost: x"), 400, "obsolete-line-folding"],
  [
    "a bare CR in a value",
    head("GET / HTTP/1.1", "Host: x", "X-A: 1\rX-B: 2"),
    400,
    "bad-header-line",
  ],
  ["a NUL in a value", head("GET / HTTP/1.1", "Host: x", "X-A: 1\0"), 400, "bad-header-line"],
  ["a NUL in a name", head("GET / HTTP/1.1", "Host: x", "X\0A: 1"), 400, "bad-header-line"],
  ["a DEL in a value", head("GET / HTTP/1.1", "Host: x", "X-A: \x7f"), 400, "bad-header-line"],
  [
    "an ESC after an HTAB in a value",
    head("GET / HTTP/1.1", "Host: x", "X-A: a\tb\x1bc"),
    400,
    "bad-header-line",
  ],
  ["whitespace before the colon", head("GET / HTTP/1.1", "Host : x"), 400, "bad-header-line"],
  [
    "a name that is not a token",
    head("GET / HTTP/1.1", "Host: x", "X(A): 1"),
    400,
    "bad-header-line",
  ],
  ["a line without a colon", head("GET / HTTP/1.1", "Host: x", "X-A"), 400, "bad-header-line"],
  ["an empty name", head("GET / HTTP/1.1", "Host: x", ": 1"), 400, "bad-header-line"],
  [
    "Transfer-Encoding with Content-Length",
    head("POST / HTTP/1.1", "Host: x", "Content-Length: 3", "Transfer-Encoding: chunked"),
    400,
    "content-length-with-transfer-encoding",
  ],
  [
    "differing Content-Length fields",
    head("POST / HTTP/1.1", "Host: x", "Content-Length: 3", "Content-Length: 4"),
    400,
    "bad-content-length",
  ],
  [
    "a differing Content-Length list",
    head("POST / HTTP/1.1", "Host: x", "Content-Length: 3, 4"),
    400,
    "bad-content-length",
  ],
  [
    "a signed Content-Length",
    head("POST / HTTP/1.1", "Host: x", "Content-Length: +3"),
    400,
    "bad-content-length",
  ],
  [
    "a negative Content-Length",
    head("POST / HTTP/1.1", "Host: x", "Content-Length: -1"),
    400,
    "bad-content-length",
  ],
  [
    "a hex Content-Length",
    head("POST / HTTP/1.1", "Host: x", "Content-Length: 0x3"),
    400,
    "bad-content-length",
  ],
  [
    "a spaced Content-Length",
    head("POST / HTTP/1.1", "Host: x", "Content-Length: 1 2"),
    400,
    "bad-content-length",
  ],
  [
    "an empty Content-Length",
    head("POST / HTTP/1.1", "Host: x", "Content-Length:"),
    400,
    "bad-content-length",
  ],
  [
    "an empty Content-Length list element",
    head("POST / HTTP/1.1", "Host: x", "Content-Length:, 35"),
    400,
    "bad-content-length",
  ],
  [
    "a Content-Length past 2^53",
    head("POST / HTTP/1.1", "Host: x", "Content-Length: 1234567890123456"),
    400,
    "bad-content-length",
  ],
  [
    "Transfer-Encoding gzip, chunked",
    head("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: gzip, chunked"),
    400,
    "bad-transfer-encoding",
  ],
  [
    "chunked twice",
    head("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"),
    400,
    "bad-transfer-encoding",
  ],
  [
    "chunked not final",
    head("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked, identity"),
    400,
    "bad-transfer-encoding",
  ],
  [
    "Transfer-Encoding identity",
    head("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: identity"),
    400,
    "bad-transfer-encoding",
  ],
  [
    "chunked with a parameter",
    head("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked;q=1"),
    400,
    "bad-transfer-encoding",
  ],
  [
    "xchunked",
    head("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: xchunked"),
    400,
    "bad-transfer-encoding",
  ],
  [
    "an empty Transfer-Encoding list element",
    head("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked,"),
    400,
    "bad-transfer-encoding",
  ],
  [
    "an empty Transfer-Encoding",
    head("POST / HTTP/1.1", "Host: x", "Transfer-Encoding:"),
    400,
    "bad-transfer-encoding",
  ],
  [
    "Transfer-Encoding in HTTP/1.0",
    head("POST / HTTP/1.0", "Transfer-Encoding: chunked"),
    400,
    "bad-transfer-encoding",
  ],
  ["HTTP/2.0", head("GET / HTTP/2.0", "Host: x"), 400, "unsupported-version"],
  ["HTTP/1.2", head("GET / HTTP/1.2", "Host: x"), 400, "unsupported-version"],
  ["a version with a suffix", head("GET / HTTP/1.1x", "Host: x"), 400, "unsupported-version"],
  ["HTTP/0.9", head("GET / HTTP/0.9"), 400, "unsupported-version"],
  ["a lower-case version", head("GET / http/1.1", "Host: x"), 400, "unsupported-version"],
  [
    "a version ending in a bare CR",
    head("GET / HTTP/1.1\r", "Host: x"),
    400,
    "unsupported-version",
  ],
  ["no version", head("GET /", "Host: x"), 400, "bad-request-line"],
  ["two spaces", head("GET  / HTTP/1.1", "Host: x"), 400, "bad-request-line"],
  ["a space in the target", head("GET /a b HTTP/1.1", "Host: x"), 400, "bad-request-line"],
  ["a method that is not a token", head("GE(T / HTTP/1.1", "Host: x"), 400, "bad-request-line"],
  [
    "absolute-form",
    head("GET http://127.0.0.1:8083/x HTTP/1.1", "Host: x"),
    400,
    "bad-request-target",
  ],
  ["authority-form", head("CONNECT 127.0.0.1:8083 HTTP/1.1", "Host: x"), 400, "bad-request-target"],
  ["asterisk-form", head("OPTIONS * HTTP/1.1", "Host: x"), 400, "bad-request-target"],
  ["a fragment", head("GET /a#b HTTP/1.1", "Host: x"), 400, "bad-request-target"],
  [
    "a control character in the target",
    head("GET /a\x01 HTTP/1.1", "Host: x"),
    400,
    "bad-request-target",
  ],
  ["a missing Host on HTTP/1.1", head("GET / HTTP/1.1"), 400, "missing-host"],
  ["two Host fields", head("GET / HTTP/1.1", "Host: x", "Host: x"), 400, "duplicate-host"],
  [
    "Host with a path",
    head(
      "GET /_health HTTP/1.1",
      "Host: x/http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir/metadata?",
    ),
    400,
    "bad-host",
  ],
  ["Host out of port range", head("GET / HTTP/1.1", "Host: x:99999"), 400, "bad-host"],
  ["Host with a space", head("GET / HTTP/1.1", "Host: a b"), 400, "bad-host"],
  ["Host with an unclosed bracket", head("GET / HTTP/1.1", "Host: [::1"), 400, "bad-host"],
  ["Host with a bad IPv6", head("GET / HTTP/1.1", "Host: [zz::1]"), 400, "bad-host"],
  ["Host with an empty port", head("GET / HTTP/1.1", "Host: x:"), 400, "bad-host"],
  ["Host with two ports", head("GET / HTTP/1.1", "Host: x:80:80"), 400, "bad-host"],
  ["an empty Host", head("GET / HTTP/1.1", "Host:"), 400, "bad-host"],
  ["Host with userinfo", head("GET / HTTP/1.1", "Host: a@b"), 400, "bad-host"],
  [
    "an unmet expectation",
    head("POST / HTTP/1.1", "Host: x", "Expect: 200-ok"),
    417,
    "expectation-failed",
  ],
];

for (const [name, text, status, code] of REJECTED) {
  Deno.test(`parseRequestHead() refuses ${name} with ${status}`, () => {
    assert.deepEqual(rejection(() => parse(text)), { status, code });
  });
}

Deno.test("HeadScanner refuses a bare LF line ending", () => {
  const scanner = new HeadScanner(DEFAULT_HTTP1_LIMITS);
  assert.deepEqual(
    rejection(() => scanner.scan(encoder.encode("GET / HTTP/1.1\nHost: x\n\n"))),
    { status: 400, code: "bad-line-ending" },
  );
  scanner.reset();
  assert.deepEqual(
    rejection(() => scanner.scan(encoder.encode("GET / HTTP/1.1\r\nHost: x\n\r\n"))),
    { status: 400, code: "bad-line-ending" },
  );
});

Deno.test("HeadScanner finds the same end however the head is split", () => {
  const bytes = encoder.encode(head("POST /a HTTP/1.1", "Host: x", "Content-Length: 3") + "abc");
  for (let split = 1; split < bytes.length; split++) {
    const scanner = new HeadScanner(DEFAULT_HTTP1_LIMITS);
    const firstPart = scanner.scan(bytes.subarray(0, split));
    const end = firstPart >= 0 ? firstPart : scanner.scan(bytes);
    assert.equal(end, bytes.length - 3, `split at ${split}`);
  }
});

Deno.test("HeadScanner answers 414 and 431 while the head is still arriving", () => {
  const limits = resolveHttp1Limits({
    maxRequestLineBytes: 100,
    maxHeaderBytes: 200,
    maxHeaderCount: 5,
  });
  const longLine = encoder.encode(`GET /${"a".repeat(200)}`);
  assert.deepEqual(rejection(() => new HeadScanner(limits).scan(longLine)), {
    status: 414,
    code: "request-line-too-long",
  });
  const bigHeader = encoder.encode(`GET / HTTP/1.1\r\nHost: x\r\nX-A: ${"a".repeat(300)}`);
  assert.deepEqual(rejection(() => new HeadScanner(limits).scan(bigHeader)), {
    status: 431,
    code: "headers-too-large",
  });
  const manyFields = encoder.encode(`GET / HTTP/1.1\r\n${"X-A: 1\r\n".repeat(6)}`);
  assert.deepEqual(rejection(() => new HeadScanner(limits).scan(manyFields)), {
    status: 431,
    code: "too-many-headers",
  });
  const atLimits = encoder.encode(
    `GET /${"a".repeat(86)} HTTP/1.1\r\n${"X-A: 1\r\n".repeat(5)}\r\n`,
  );
  assert.equal(new HeadScanner(limits).scan(atLimits), atLimits.length);
});

Deno.test("HeadScanner bounds the empty lines before a request", () => {
  const limits = resolveHttp1Limits({ maxRequestLineBytes: 100 });
  assert.deepEqual(
    rejection(() => new HeadScanner(limits).scan(encoder.encode("\r\n".repeat(200)))),
    {
      status: 414,
      code: "request-line-too-long",
    },
  );
});
