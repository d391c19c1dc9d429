import assert from "node:assert/strict";
import { protocolRejectionResponse } from "./protocol-rejection.ts";

Deno.test("protocolRejectionResponse(): 414, 431 and 400 in the SSP's shape, no-store, nothing the client sent echoed", async () => {
  for (
    const [status, code, display] of [
      [414, "request-line-too-long", "REQUEST_URI_TOO_LONG"],
      [431, "headers-too-large", "REQUEST_HEADER_FIELDS_TOO_LARGE"],
      [431, "too-many-headers", "REQUEST_HEADER_FIELDS_TOO_LARGE"],
      [400, "content-length-with-transfer-encoding", "MESSAGE_NOT_WELL_FORMED"],
      [417, "expectation-failed", "MESSAGE_NOT_WELL_FORMED"],
    ] as const
  ) {
    const response = protocolRejectionResponse(
      { status, code },
      "6b1f7a2c-0000-4000-8000-000000000000",
    );
    assert.equal(response.status, status);
    assert.equal(response.headers.get("Cache-Control"), "no-store");
    assert.equal(response.headers.get("Connection"), "close");
    assert.match(response.headers.get("Content-Type")!, /^application\/fhir\+xml/);
    const body = await response.text();
    assert.match(body, new RegExp(`<display value="${display}"/>`), code);
    assert.match(body, /<id value="6b1f7a2c-0000-4000-8000-000000000000"\/>/);
  }
});
