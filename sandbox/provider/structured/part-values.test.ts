import assert from "node:assert/strict";
import { ProviderError } from "../provider-error.ts";
import type { OperationParameter } from "./parameters-body.ts";
import {
  booleanPart,
  codePart,
  datePart,
  periodPart,
  positiveIntPart,
  utcDay,
} from "./part-values.ts";

const part = (type: string | undefined, value?: unknown): OperationParameter => ({
  name: "p",
  value: type === undefined ? undefined : { type, value },
  parts: [],
});

function fails(run: () => unknown, pattern?: RegExp): void {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ProviderError);
    assert.equal(error.code, "INVALID_PARAMETER");
    if (pattern) assert.match(error.diagnostics ?? "", pattern);
    return;
  }
  assert.fail("expected INVALID_PARAMETER");
}

Deno.test("utcDay is the UTC calendar day of the clock", () => {
  assert.equal(utcDay(new Date("2025-03-10T23:59:59Z")), "2025-03-10");
});

Deno.test("typed parts: boolean, code, positiveInt; no value or wrong type fails", () => {
  assert.equal(booleanPart(part("Boolean", false), "x.p"), false);
  fails(() => booleanPart(part(undefined), "x.p"), /x\.p is a part parameter without a value/);
  fails(() => booleanPart(part("String", "true"), "x.p"), /valueBoolean/);
  fails(() => booleanPart(part("Boolean", "true"), "x.p"));
  assert.equal(codePart(part("Code", "active"), "x", ["active", "inactive"]), "active");
  fails(() => codePart(part("Code", "resolved"), "x", ["active", "inactive"]));
  assert.equal(positiveIntPart(part("PositiveInt", 3), "x"), 3);
  fails(() => positiveIntPart(part("PositiveInt", 0), "x"));
  fails(() => positiveIntPart(part("PositiveInt", 1.5), "x"));
  fails(() => positiveIntPart(part("Integer", 3), "x"));
});

Deno.test("dates are whole, real days on the right side of today", () => {
  const today = "2025-03-10";
  assert.equal(datePart(part("Date", today), "x", today, "not-after-today"), today);
  assert.equal(datePart(part("Date", today), "x", today, "not-before-today"), today);
  fails(() => datePart(part("Date", "2025-03-11"), "x", today, "not-after-today"), /after/);
  fails(() => datePart(part("Date", "2025-03-09"), "x", today, "not-before-today"), /before/);
  for (
    const bad of [
      "2025",
      "2025-03",
      "2025-03-10T00:00:00",
      "2025-03-10Z",
      "2025-13-01",
      "2023-02-29",
      20250310,
    ]
  ) {
    fails(() => datePart(part("Date", bad), "x", today, "not-after-today"));
  }
  assert.equal(datePart(part("Date", "2024-02-29"), "x", today, "not-after-today"), "2024-02-29");
});

Deno.test("periods: either end optional, both not after today, start not after end", () => {
  const today = "2025-03-10";
  assert.deepEqual(periodPart(part("Period", {}), "x", today), {});
  assert.deepEqual(periodPart(part("Period", { start: "2025-01-01" }), "x", today), {
    start: "2025-01-01",
  });
  assert.deepEqual(periodPart(part("Period", { start: today, end: today }), "x", today), {
    start: today,
    end: today,
  });
  fails(() => periodPart(part("Period", { end: "2025-03-11" }), "x", today), /x\.end/);
  fails(() => periodPart(part("Period", { start: "2025-02-01", end: "2025-01-01" }), "x", today));
  fails(() => periodPart(part("Period", { start: "2025-02" }), "x", today));
  fails(() => periodPart(part("Period", "2025-01-01"), "x", today));
  fails(() => periodPart(part("Period", { begin: "2025-01-01" }), "x", today));
  fails(() => periodPart(part("Date", "2025-01-01"), "x", today));
});
