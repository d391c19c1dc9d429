import assert from "node:assert/strict";
import { encodeChunk, encodeLatin1, encodeRequestHead } from "./request-encoder.ts";

const head = (fields: Array<[string, string]>, framing: number | "chunked" | "none" = "none") =>
  encodeRequestHead("GET", "/metadata", "provider.example", fields, framing);

Deno.test("encodeRequestHead: request line, Host from the target, the caller's fields in order, framing last", () => {
  assert.equal(
    head([["Accept", "application/fhir+json"], ["Ssp-To", "918999198738"]], 12),
    "GET /metadata HTTP/1.1\r\nhost: provider.example\r\nAccept: application/fhir+json\r\n" +
      "Ssp-To: 918999198738\r\ncontent-length: 12\r\n\r\n",
  );
  assert.match(head([], "chunked"), /\r\ntransfer-encoding: chunked\r\n\r\n$/);
});

Deno.test("encodeRequestHead: the client's own fields and hop-by-hop ones are dropped", () => {
  const text = head([
    ["Host", "elsewhere.example"],
    ["Content-Length", "99"],
    ["Transfer-Encoding", "chunked"],
    ["Connection", "keep-alive"],
    ["Keep-Alive", "timeout=5"],
    ["X-Kept", "1"],
  ]);
  assert.equal(text, "GET /metadata HTTP/1.1\r\nhost: provider.example\r\nX-Kept: 1\r\n\r\n");
});

Deno.test("encodeRequestHead: a value with any control character but HTAB is refused, wherever it is", () => {
  const refused = ["\x00", "\x01", "\x08", "\n", "\x0b", "\r", "\x1b", "\x1f", "\x7f"];
  for (const control of refused) {
    for (const value of [`${control}a`, `a${control}b`, `a${control}`, `\ta${control}`]) {
      assert.throws(() => head([["X-A", value]]), TypeError, JSON.stringify(value));
    }
  }
  // HTAB and every visible char, Latin-1 ones included, are a value's to carry.
  assert.match(head([["X-A", "a\tb c~é\xff"]]), /\r\nX-A: a\tb c~é\xff\r\n/);
  assert.throws(() => head([["X-A", "1\r\nX-Injected: 2"]]), TypeError);
});

Deno.test("encodeRequestHead: a name that is not a token, or a method that is not, is refused", () => {
  for (const name of ["", "X A", "X:A", "X\tA", "Ä"]) {
    assert.throws(() => head([[name, "1"]]), TypeError, JSON.stringify(name));
  }
  assert.throws(() => encodeRequestHead("G T", "/", "p", [], "none"), TypeError);
});

Deno.test("encodeLatin1: ASCII as is, Latin-1 one byte a char, anything above U+00FF refused", () => {
  assert.deepEqual([...encodeLatin1("Ab")], [0x41, 0x62]);
  assert.deepEqual([...encodeLatin1("é\xff\x80")], [0xe9, 0xff, 0x80]);
  for (const text of ["\u0100", "a€", "😀", "\ud800"]) {
    assert.throws(() => encodeLatin1(text), TypeError, JSON.stringify(text));
  }
  // A head with a value above Latin-1 gets no bytes.
  assert.throws(() => encodeLatin1(head([["X-A", "€"]])), TypeError);
});

Deno.test("encodeChunk: size line in hex, data, CRLF", () => {
  const chunk = encodeChunk(new Uint8Array(26).fill(0x61));
  assert.equal(new TextDecoder().decode(chunk), `1a\r\n${"a".repeat(26)}\r\n`);
});
