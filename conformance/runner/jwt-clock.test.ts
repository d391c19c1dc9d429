import assert from "node:assert/strict";
import { jwtClock } from "./jwt-clock.ts";

const start = new Date("2026-11-23T10:00:00Z");

Deno.test("a run clock within 60 s of real time is used, advancing with real time", () => {
  let now = start.getTime();
  const clock = jwtClock(new Date("2026-11-23T10:00:30Z"), start, () => now);
  assert.equal(clock.note, undefined);
  assert.equal(clock.issuedAt(), Date.parse("2026-11-23T10:00:30Z") / 1000);
  now += 600_000;
  assert.equal(clock.issuedAt(), Date.parse("2026-11-23T10:10:30Z") / 1000);
});

Deno.test("a run clock further away gives real time and a note saying so", () => {
  const now = start.getTime();
  const clock = jwtClock(new Date("2027-01-01T00:00:00Z"), start, () => now);
  assert.equal(clock.issuedAt(), now / 1000);
  assert.match(
    clock.note ?? "",
    /JWT iat uses real time, not the run clock 2027-01-01T00:00:00.000Z/,
  );
});
