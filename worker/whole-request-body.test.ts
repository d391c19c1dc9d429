import assert from "node:assert/strict";
import { markWholeRequestBody, wholeRequestBody } from "./whole-request-body.ts";

Deno.test("wholeRequestBody(): the marked bytes until the body is read; nothing for an unmarked request", async () => {
  const bytes = new TextEncoder().encode('{"a":1}');
  const request = markWholeRequestBody(
    new Request("http://x/", { method: "POST", body: bytes }),
    bytes,
  );
  assert.equal(wholeRequestBody(request), bytes);
  // Looking at the stream does not read it.
  assert.ok(request.body !== null);
  assert.equal(wholeRequestBody(request), bytes);
  assert.equal(await request.text(), '{"a":1}');
  assert.equal(wholeRequestBody(request), undefined, "read: not to be sent again");
  assert.equal(
    wholeRequestBody(new Request("http://x/", { method: "POST", body: bytes })),
    undefined,
  );
});
