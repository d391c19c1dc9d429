import assert from "node:assert/strict";
import type { RunReport } from "../model.ts";
import { oneLine, redactDeep, redactHeaders, redactText, sanitizeReport } from "./redact.ts";
import {
  SAMPLE_JWT,
  SAMPLE_SECRETS,
  SAMPLE_TOTALS,
  sampleReport,
} from "./testing/sample-report.ts";

Deno.test("redactText: JWT-looking strings and token parameters go, look-alikes stay", () => {
  assert.equal(redactText(`token ${SAMPLE_JWT} end`), "token [REDACTED-JWT] end");
  assert.equal(
    redactText("https://x/y?a=1&access_token=abc.def&b=2"),
    "https://x/y?a=1&access_token=[REDACTED]&b=2",
  );
  assert.equal(redactText("heyJude.mp3 and eyJshort."), "heyJude.mp3 and eyJshort.");
  const base64Json = "eyJyZXNvdXJjZVR5cGUiOiJCaW5hcnkifQ==";
  assert.equal(redactText(base64Json), base64Json);
});

Deno.test("redactHeaders: secret headers by name (any case), scheme kept", () => {
  assert.deepEqual(
    redactHeaders({
      AUTHORIZATION: "Bearer abc",
      apikey: "k",
      Cookie: "a=b",
      "X-Api-Key": "k2",
      "Set-Cookie": "s=1",
      "Proxy-Authorization": "Basic Zm9vOmJhcg==",
      Accept: `x ${SAMPLE_JWT}`,
    }),
    {
      AUTHORIZATION: "Bearer [REDACTED]",
      apikey: "[REDACTED]",
      Cookie: "[REDACTED]",
      "X-Api-Key": "[REDACTED]",
      "Set-Cookie": "[REDACTED]",
      "Proxy-Authorization": "Basic [REDACTED]",
      Accept: "x [REDACTED-JWT]",
    },
  );
  assert.deepEqual(redactHeaders({ Authorization: "opaque" }), { Authorization: "[REDACTED]" });
});

Deno.test("redactDeep: nested strings and header maps", () => {
  assert.deepEqual(
    redactDeep({ a: [SAMPLE_JWT, 1, null, { headers: { Cookie: "x=y" } }], b: true }),
    { a: ["[REDACTED-JWT]", 1, null, { headers: { Cookie: "[REDACTED]" } }], b: true },
  );
});

Deno.test("sanitizeReport: no planted secret survives anywhere, echoes of header secrets included", () => {
  const text = JSON.stringify(sanitizeReport(sampleReport()));
  for (const secret of SAMPLE_SECRETS) assert.ok(!text.includes(secret), `leaked ${secret}`);
  assert.ok(text.includes("Bearer [REDACTED]"));
  assert.ok(text.includes("echo [REDACTED] and [REDACTED-JWT]"));
});

Deno.test("sanitizeReport: recounts totals and byProduct from results; cached and idempotent", () => {
  const wrong: RunReport = {
    ...sampleReport(),
    totals: {
      tests: 99,
      passed: 99,
      failed: 0,
      errored: 0,
      skipped: 0,
      notRun: 0,
      inconclusive: 0,
    },
    byProduct: {
      html: { tests: 5, passed: 5, failed: 0, errored: 0, skipped: 0, notRun: 0, inconclusive: 0 },
    },
  };
  const safe = sanitizeReport(wrong);
  assert.deepEqual(safe.totals, SAMPLE_TOTALS);
  assert.deepEqual(Object.keys(safe.byProduct), [
    "foundations",
    "appointments",
    "structured",
    "documents",
    "html",
  ]);
  assert.equal(safe.byProduct.html?.tests, 0);
  assert.equal(sanitizeReport(safe), safe);
  assert.deepEqual(sanitizeReport(structuredClone(safe)), safe);
  assert.equal(wrong.totals.tests, 99, "the input is not mutated");
});

Deno.test("oneLine: control characters (incl. ESC) removed, secrets redacted, capped", () => {
  assert.equal(oneLine(`a\x1b[31mb\nc ${SAMPLE_JWT}`), "a [31mb c [REDACTED-JWT]");
  assert.equal(oneLine("x".repeat(20), 10), `${"x".repeat(9)}…`);
});
