import assert from "node:assert/strict";
import {
  dateToEpochDay,
  epochDayToDate,
  epochDayWeekday,
  formatUkDateTime,
  ukEpochDay,
  ukLocalInstant,
  ukOffsetMinutes,
} from "./uk-time.ts";

Deno.test("uk-time: BST starts and ends at 01:00 UTC on the last Sundays of March and October", () => {
  assert.equal(ukOffsetMinutes(new Date("2025-03-30T00:59:59Z")), 0);
  assert.equal(ukOffsetMinutes(new Date("2025-03-30T01:00:00Z")), 60);
  assert.equal(ukOffsetMinutes(new Date("2025-10-26T00:59:59Z")), 60);
  assert.equal(ukOffsetMinutes(new Date("2025-10-26T01:00:00Z")), 0);
  assert.equal(ukOffsetMinutes(new Date("2024-03-31T01:00:00Z")), 60);
});

Deno.test("uk-time: formats UK local time with +00:00 or +01:00", () => {
  assert.equal(formatUkDateTime(new Date("2025-01-15T09:30:00Z")), "2025-01-15T09:30:00+00:00");
  assert.equal(formatUkDateTime(new Date("2025-07-01T08:00:00Z")), "2025-07-01T09:00:00+01:00");
  assert.equal(formatUkDateTime(new Date("2025-06-30T23:30:00Z")), "2025-07-01T00:30:00+01:00");
});

Deno.test("uk-time: local dates, weekdays and wall-clock instants", () => {
  assert.equal(ukEpochDay(new Date("2025-06-30T23:30:00Z")), dateToEpochDay("2025-07-01"));
  assert.equal(epochDayToDate(dateToEpochDay("2025-02-28")!), "2025-02-28");
  assert.equal(epochDayWeekday(dateToEpochDay("2025-01-15")!), 3);
  assert.equal(dateToEpochDay("2025-02-29"), undefined);
  assert.equal(dateToEpochDay("2025-1-5"), undefined);
  assert.equal(
    ukLocalInstant(dateToEpochDay("2025-07-01")!, 9 * 60).toISOString(),
    "2025-07-01T08:00:00.000Z",
  );
  assert.equal(
    ukLocalInstant(dateToEpochDay("2025-01-15")!, 9 * 60).toISOString(),
    "2025-01-15T09:00:00.000Z",
  );
});
