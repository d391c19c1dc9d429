import assert from "node:assert/strict";
import { ChunkedDecoder } from "./chunked-decoder.ts";
import { type ByteSource, ConnectionReader } from "./connection-reader.ts";
import { DEFAULT_HTTP1_LIMITS } from "./limits.ts";
import { Http1ProtocolError } from "./protocol-error.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A source that hands out `bytes` in pieces of at most `piece` bytes, then end of stream. */
function piecewise(bytes: Uint8Array, piece: number): ByteSource {
  let offset = 0;
  return {
    read(into) {
      if (offset >= bytes.length) return Promise.resolve(null);
      const count = Math.min(piece, into.length, bytes.length - offset);
      into.set(bytes.subarray(offset, offset + count));
      offset += count;
      return Promise.resolve(count);
    },
  };
}

/** Decodes a whole chunked body; returns the text and what is left after it. */
async function decode(wire: string, piece = 1 << 20): Promise<{ body: string; rest: string }> {
  const reader = new ConnectionReader(piecewise(encoder.encode(wire), piece), 64 * 1024);
  const decoderState = new ChunkedDecoder(reader, DEFAULT_HTTP1_LIMITS);
  let body = "";
  for (let guard = 0; guard < 100_000; guard++) {
    const chunk = await decoderState.read(7);
    if (chunk === null) break;
    body += decoder.decode(chunk);
  }
  assert.ok(decoderState.done);
  let rest = decoder.decode(reader.view());
  while (await reader.fill()) rest = decoder.decode(reader.view());
  return { body, rest };
}

async function refusal(wire: string): Promise<{ status: number; code: string }> {
  try {
    await decode(wire);
  } catch (error) {
    assert.ok(error instanceof Http1ProtocolError, `expected a protocol error, got ${error}`);
    return { status: error.status, code: error.code };
  }
  assert.fail("expected a refusal");
}

const VALID =
  '5\r\nhello\r\n1;name=value ; flag;q="a \\"b\\""\r\n \r\nA\r\n0123456789\r\n0\r\nX-Checksum: 1\r\n\r\nGET /next';

Deno.test("ChunkedDecoder decodes chunks, ignores extensions and drops trailers", async () => {
  assert.deepEqual(await decode(VALID), { body: "hello 0123456789", rest: "GET /next" });
});

Deno.test("ChunkedDecoder decodes the same whatever the bytes' arrival pieces", async () => {
  for (const piece of [1, 2, 3, 5, 8, 13]) {
    assert.deepEqual(
      await decode(VALID, piece),
      { body: "hello 0123456789", rest: "GET /next" },
      `piece ${piece}`,
    );
  }
});

Deno.test("ChunkedDecoder accepts upper-case hex and leading zeros", async () => {
  assert.deepEqual(await decode("000A\r\n0123456789\r\n00\r\n\r\n"), {
    body: "0123456789",
    rest: "",
  });
});

const REFUSED: ReadonlyArray<[string, string, string]> = [
  ["a 0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["a sign", "+5\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["a negative size", "-5\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["whitespace before the size", " 5\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["whitespace after the size without an extension", "5 \r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["a non-hex size", "g\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["an empty size line", "\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["17 hex digits", "00000000000000005\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["a size past 2^53", "FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["data longer than its size", "3\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["data without its CRLF", "5\r\nhello0\r\n\r\n", "bad-chunk"],
  ["a bare LF after the size", "5\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["a bare LF after the data", "5\r\nhello\n0\r\n\r\n", "bad-chunk"],
  ["a bare CR in an extension", "5;a=b\rc\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["an extension that is not a token", "5;(a)\r\nhello\r\n0\r\n\r\n", "bad-chunk"],
  ["an unclosed quoted extension", '5;a="b\r\nhello\r\n0\r\n\r\n', "bad-chunk"],
  ["an endless size line", `5;${"a".repeat(5000)}\r\nhello\r\n0\r\n\r\n`, "bad-chunk"],
  ["a folded trailer", "0\r\nX-A: 1\r\n folded\r\n\r\n", "obsolete-line-folding"],
  ["a trailer that is not a field", "0\r\nnot a field\r\n\r\n", "bad-header-line"],
  ["a body cut inside a chunk", "5\r\nhel", "body-truncated"],
  ["a body cut before the last chunk", "5\r\nhello\r\n", "body-truncated"],
  ["a body cut inside the trailers", "0\r\nX-A: 1\r\n", "body-truncated"],
];

for (const [name, wire, code] of REFUSED) {
  Deno.test(`ChunkedDecoder refuses ${name}`, async () => {
    assert.deepEqual(await refusal(wire), { status: 400, code });
  });
}

Deno.test("ChunkedDecoder answers 431 for trailers past the header limits", async () => {
  const many = `0\r\n${"X-A: 1\r\n".repeat(DEFAULT_HTTP1_LIMITS.maxHeaderCount + 1)}\r\n`;
  assert.deepEqual(await refusal(many), { status: 431, code: "headers-too-large" });
});
