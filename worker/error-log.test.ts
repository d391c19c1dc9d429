import assert from "node:assert/strict";
import { errorLogRecord, logException } from "./error-log.ts";
import { GpcEdgeError } from "./errors.ts";

const context = {
  audience: "ssp" as const,
  requestId: "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
  method: "GET",
  path: "/https://provider/x",
};

Deno.test("errorLogRecord() of a GpcEdgeError logs its code and diagnostics as expected", () => {
  const error = GpcEdgeError.ssp("ENDPOINT_TIMEOUT", { providerUrl: "https://p/x" }, {
    diagnostics: "The provider did not answer within 5 ms",
  });
  assert.deepEqual(errorLogRecord(error, 504, context, Date.UTC(2026, 0, 2)), {
    type: "error",
    time: "2026-01-02T00:00:00.000Z",
    ...context,
    status: 504,
    code: "ENDPOINT_TIMEOUT",
    expected: true,
    message: "The provider did not answer within 5 ms",
  });
  const bare = errorLogRecord(GpcEdgeError.gpconnect("PATIENT_NOT_FOUND"), 404, context, 0);
  assert.equal(
    bare.message,
    "Patient record not found",
    "the display when there are no diagnostics",
  );
});

Deno.test("errorLogRecord() of anything else logs its class and message, never its stack", () => {
  const thrown = new TypeError("x is undefined");
  const record = errorLogRecord(thrown, 500, context, 0);
  assert.equal(record.code, "INTERNAL_SERVER_ERROR");
  assert.equal(record.expected, false);
  assert.equal(record.message, "TypeError: x is undefined");
  assert.ok(!JSON.stringify(record).includes(" at "), "no stack frames");
  assert.equal(errorLogRecord("text", 500, context, 0).message, "text");
});

Deno.test("logException() writes exactly one record on the injected clock", () => {
  const records: Array<Readonly<Record<string, unknown>>> = [];
  logException(
    { log: (record) => records.push(record) },
    { now: () => 0, sleep: () => Promise.resolve() },
    new Error("boom"),
    500,
    context,
  );
  assert.equal(records.length, 1);
  assert.equal(records[0]!.time, "1970-01-01T00:00:00.000Z");
});
