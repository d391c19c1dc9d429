import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  base64,
  base64Chunks,
  base64Length,
  repeatingContent,
  textContent,
} from "./document-content.ts";

function whole(content: { size: number; bytes: (o: number, l: number) => Uint8Array }) {
  return content.bytes(0, content.size);
}

Deno.test("textContent: the UTF-8 bytes of the text", () => {
  const content = textContent("Dear Dr Jones – café");
  assert.equal(content.size, Buffer.byteLength("Dear Dr Jones – café"));
  assert.equal(new TextDecoder().decode(whole(content)), "Dear Dr Jones – café");
  assert.equal(new TextDecoder().decode(content.bytes(5, 2)), "Dr");
});

Deno.test("repeatingContent: header then the block repeated, cut at the exact size", () => {
  const content = repeatingContent("HEAD\n", "abc", 12);
  assert.equal(content.size, 12);
  assert.equal(new TextDecoder().decode(whole(content)), "HEAD\nabcabca");
  assert.equal(new TextDecoder().decode(content.bytes(3, 5)), "D\nabc");
  assert.equal(new TextDecoder().decode(content.bytes(9, 3)), "bca");
  assert.throws(() => repeatingContent("x", "", 3), RangeError);
});

Deno.test("base64Chunks: chunks concatenate to the base64 of the whole document", () => {
  const content = repeatingContent("SCANNED\n", "line of text\n", 1000);
  const expected = Buffer.from(whole(content)).toString("base64");
  for (const chunkBytes of [3, 30, 999, 1002, 3 * 64 * 1024]) {
    assert.equal([...base64Chunks(content, chunkBytes)].join(""), expected, String(chunkBytes));
  }
  assert.equal(expected.length, base64Length(content.size));
  assert.throws(() => [...base64Chunks(content, 4)], RangeError);
  assert.equal([...base64Chunks(textContent("hi"))].join(""), "aGk=");
});

Deno.test("base64: large arrays encode without exhausting the stack", () => {
  const bytes = new Uint8Array(200_000).fill(65);
  assert.equal(base64(bytes), Buffer.from(bytes).toString("base64"));
});
