import assert from "node:assert/strict";
import {
  base64urlDecode,
  base64urlDecodeBinary,
  base64urlDefect,
  base64urlEncode,
  binaryStringBytes,
} from "./base64url.ts";

Deno.test("base64urlEncode: unpadded, URL alphabet, UTF-8 for strings", () => {
  assert.equal(base64urlEncode(new Uint8Array([0xfb, 0xff, 0xbf])), "-_-_");
  assert.equal(base64urlEncode(new Uint8Array([0xfb, 0xff])), "-_8");
  assert.equal(base64urlEncode(""), "");
  assert.equal(base64urlEncode("é"), "w6k");
});

Deno.test("base64urlDecode: round-trips every length of every byte", () => {
  const bytes = new Uint8Array(256).map((_, i) => i);
  for (let length = 0; length <= bytes.length; length++) {
    const slice = bytes.slice(0, length);
    assert.deepEqual(base64urlDecode(base64urlEncode(slice)), slice);
  }
});

Deno.test("base64urlDefect: names what is wrong; valid text has none", () => {
  assert.equal(base64urlDefect(""), undefined);
  assert.equal(base64urlDefect("-_8"), undefined);
  assert.equal(base64urlDefect("YQ=="), "padded");
  assert.equal(base64urlDefect("a+b/"), "standard-alphabet");
  assert.equal(base64urlDefect("ab c"), "not-base64url");
  assert.equal(base64urlDefect("ab*c"), "not-base64url");
  assert.equal(base64urlDefect("abcde"), "impossible-length");
});

Deno.test("base64urlDecode: rejects padding, the standard alphabet, whitespace, bad lengths", () => {
  for (
    const [text, defect] of [
      ["YQ==", "padded"],
      ["+/8", "standard-alphabet"],
      ["YW Jj", "not-base64url"],
      ["a", "impossible-length"],
    ]
  ) {
    assert.throws(() => base64urlDecode(text!), (error) => {
      assert.ok(error instanceof SyntaxError);
      assert.match(error.message, new RegExp(defect!));
      return true;
    });
  }
});

Deno.test("base64urlDecodeBinary: one character per byte, as strict as base64urlDecode", () => {
  const bytes = new Uint8Array(256).map((_, i) => i);
  for (let length = 0; length <= bytes.length; length++) {
    const text = base64urlEncode(bytes.subarray(0, length));
    assert.equal(base64urlDecodeBinary(text), String.fromCharCode(...bytes.subarray(0, length)));
  }
  // Whitespace anywhere, in every count that leaves a decodable length, and every other defect.
  for (
    const text of [
      "YW Jj",
      " YWJj",
      "YWJj ",
      "YW\tJj",
      "Y W J j",
      "YWJjZA\n",
      "YWJjZA \n",
      "YWJjZA\r\n\f",
      "YQ==",
      "YQ",
      "+/8",
      "-_8",
      "a",
      "ab*c",
      "é",
    ]
  ) {
    let decoded: string | undefined;
    let refused: unknown;
    try {
      decoded = base64urlDecodeBinary(text);
    } catch (error) {
      refused = error;
    }
    if (base64urlDefect(text) === undefined) {
      assert.equal(decoded, atob(text.replaceAll("-", "+").replaceAll("_", "/")), text);
    } else {
      assert.ok(refused instanceof SyntaxError, JSON.stringify(text));
      assert.match(refused.message, new RegExp(base64urlDefect(text)!));
    }
  }
});

Deno.test("binaryStringBytes: each character's code is its byte", () => {
  const binary = String.fromCharCode(...new Uint8Array(256).map((_, i) => i));
  assert.deepEqual(binaryStringBytes(binary), new Uint8Array(256).map((_, i) => i));
  assert.deepEqual(binaryStringBytes(""), new Uint8Array(0));
});
