import assert from "node:assert/strict";
import { clinicalDates } from "./clinical-dates.ts";

Deno.test("dates are whole days from the UTC day of now, at a fixed time", () => {
  const d = clinicalDates(new Date("2025-03-10T23:59:59Z"));
  assert.equal(d.ago(9), "2025-03-01T09:30:00Z");
  assert.equal(d.ago(0, "14:05"), "2025-03-10T14:05:00Z");
  assert.equal(d.ahead(30), "2025-04-09T09:30:00Z");
  assert.equal(d.dayAgo(366), "2024-03-09");
  assert.equal(d.dayAhead(1), "2025-03-11");
  assert.deepEqual(clinicalDates(new Date("2025-03-10T00:00:00Z")).ago(400), d.ago(400));
});
