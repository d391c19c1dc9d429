import assert from "node:assert/strict";
import errorCodesDoc from "../specs/error-codes.json" with { type: "json" };
import { GpcEdgeError } from "./errors.ts";
import type { GpConnectErrorCode, SspErrorKind } from "../gpconnect/specs.ts";

const gpconnectCodes = Object.keys(errorCodesDoc.gpconnect) as GpConnectErrorCode[];
const sspKinds = Object.keys(errorCodesDoc.ssp) as SspErrorKind[];

Deno.test("GpcEdgeError.gpconnect() takes status, issue type and display from the table", () => {
  assert.ok(gpconnectCodes.length > 0);
  for (const code of gpconnectCodes) {
    const row = errorCodesDoc.gpconnect[code];
    const error = GpcEdgeError.gpconnect(code);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "GpcEdgeError");
    assert.equal(error.code, code);
    assert.equal(error.status, row.status, code);
    assert.equal(error.issueCode, row.issueCode, code);
    assert.equal(error.display, row.display, code);
    assert.equal(error.message, row.display, "message falls back to the display");
    assert.equal(error.audience, "gpconnect");
    assert.equal(error.severity, "error");
    assert.equal(error.diagnostics, undefined);
    assert.deepEqual(error.headers, {});
    assert.equal(error.cacheable, false);
  }
});

Deno.test("GpcEdgeError.gpconnect() keeps the Spine code with a space (ACCESS DENIED)", () => {
  const error = GpcEdgeError.gpconnect("ACCESS DENIED");
  assert.equal(error.code, "ACCESS DENIED");
  assert.equal(error.status, 403);
});

Deno.test("GpcEdgeError.gpconnect() applies status, issue type, headers and cacheable overrides", () => {
  const cause = new Error("PDS said 429");
  const error = GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
    status: 429,
    issueCode: "throttled",
    headers: { "Retry-After": "30" },
    cacheable: true,
    diagnostics: "PDS is throttling",
    cause,
  });
  assert.equal(error.status, 429);
  assert.equal(error.issueCode, "throttled");
  assert.deepEqual(error.headers, { "Retry-After": "30" });
  assert.equal(error.cacheable, true);
  assert.equal(error.diagnostics, "PDS is throttling");
  assert.equal(error.message, "PDS is throttling");
  assert.equal(error.cause, cause, "the wrapped failure is kept");
  assert.equal(error.code, "INTERNAL_SERVER_ERROR", "the code is never overridden");
  assert.equal(error.display, "Internal server error", "the display is never overridden");
});

Deno.test("GpcEdgeError.ssp() fills every placeholder of every SSP kind's pattern", () => {
  assert.ok(sspKinds.length > 0);
  for (const kind of sspKinds) {
    const row = errorCodesDoc.ssp[kind];
    const names = [...row.pattern.matchAll(/<([A-Za-z]+)>/g)].map((match) => match[1]!);
    const values = Object.fromEntries(names.map((name) => [name, `value-of-${name}`]));
    const error = GpcEdgeError.ssp(kind, values);
    assert.ok(!/<[^>]*>/.test(error.display), `${kind}: ${error.display}`);
    let expected = row.pattern;
    for (const name of names) expected = expected.replace(`<${name}>`, `value-of-${name}`);
    assert.equal(error.display, expected, kind);
    for (const name of names) assert.ok(error.display.includes(`value-of-${name}`), kind);
    assert.equal(error.code, kind);
    assert.equal(error.status, row.status, kind);
    assert.equal(error.issueCode, row.issueCode, kind);
    assert.equal(error.severity, row.severity, kind);
    assert.equal(error.audience, "ssp");
  }
});

Deno.test("GpcEdgeError.ssp() gives the documented displays", () => {
  assert.equal(
    GpcEdgeError.ssp("ENDPOINT_VARIES", {
      sdsEndpoint: "https://p/B82617/STU3/1/gpconnect",
      cpaId: "S1",
      targetUrl: "https://p:443/B82617/STU3/1/gpconnect/metadata",
    }).display,
    "ENDPOINT_https://p/B82617/STU3/1/gpconnect_CPAID_S1_VARIES_FROM_TARGETURL_" +
      "https://p:443/B82617/STU3/1/gpconnect/metadata",
  );
  assert.equal(
    GpcEdgeError.ssp("FOT_CHECK_FAILED", { from: "200000000359", to: "918999198738" }).display,
    "FOT_CHECK_FAILED_MESSAGESENDER_200000000359_MESSAGERECEIVER_918999198738",
  );
  const unknown = GpcEdgeError.ssp("UNKNOWN_INTERACTION", { fromAsid: "200000000359" });
  assert.equal(unknown.status, 415, "the live SSP's quirk: 415 with an ASID display");
  assert.equal(unknown.display, "ASID_CHECK_FAILED_MESSAGESENDER_200000000359");
  const method = GpcEdgeError.ssp("METHOD_NOT_ALLOWED");
  assert.equal(method.display, "405: Method Not Allowed");
  assert.equal(method.severity, "fatal");
});

Deno.test("GpcEdgeError.ssp() leaves no placeholder when a value is missing", () => {
  for (const kind of sspKinds) {
    assert.ok(!/<[A-Za-z]+>/.test(GpcEdgeError.ssp(kind).display), kind);
  }
  assert.equal(
    GpcEdgeError.ssp("ASID_CHECK_FAILED", { unrelated: "x" }).display,
    "ASID_CHECK_FAILED_MESSAGESENDER_",
  );
});

Deno.test("GpcEdgeError.ssp() applies options: diagnostics, status, headers and cause", () => {
  const cause = new TypeError("connection refused");
  const error = GpcEdgeError.ssp("ERROR_COMMUNICATING", { providerUrl: "https://p/x" }, {
    diagnostics: "connect failed",
    status: 599,
    headers: { "Retry-After": "1" },
    cause,
  });
  assert.equal(error.display, "ERROR_COMMUNICATING_TO_ENDPOINT_URL_https://p/x");
  assert.equal(error.message, "connect failed");
  assert.equal(error.status, 599);
  assert.deepEqual(error.headers, { "Retry-After": "1" });
  assert.equal(error.cause, cause);
});
