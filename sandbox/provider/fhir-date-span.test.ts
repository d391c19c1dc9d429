import assert from "node:assert/strict";
import { fhirDateSpan, instantOf } from "./fhir-date-span.ts";

Deno.test("fhirDateSpan: a year, a month and a day span whole UTC periods", () => {
  const year = fhirDateSpan("2016")!;
  assert.equal(year.precision, "year");
  assert.equal(year.start, Date.parse("2016-01-01T00:00:00Z"));
  assert.equal(year.end, Date.parse("2017-01-01T00:00:00Z") - 1);
  assert.deepEqual([year.firstDay, year.lastDay], ["2016-01-01", "2016-12-31"]);

  const leapMonth = fhirDateSpan("2016-02")!;
  assert.deepEqual([leapMonth.firstDay, leapMonth.lastDay], ["2016-02-01", "2016-02-29"]);

  const day = fhirDateSpan("2014-05-03")!;
  assert.equal(day.precision, "day");
  assert.equal(day.end - day.start, 24 * 60 * 60 * 1000 - 1);
  assert.deepEqual([day.firstDay, day.lastDay], ["2014-05-03", "2014-05-03"]);
});

Deno.test("fhirDateSpan: a date-time with seconds and a zone is an instant", () => {
  const instant = fhirDateSpan("2015-10-23T11:08:32+01:00")!;
  assert.equal(instant.precision, "instant");
  assert.equal(instant.start, Date.parse("2015-10-23T10:08:32Z"));
  assert.equal(instant.end, instant.start);
  assert.equal(instant.firstDay, "2015-10-23");
  assert.equal(
    fhirDateSpan("2015-10-23T11:08:32.123Z")?.start,
    Date.parse("2015-10-23T11:08:32.123Z"),
  );
});

Deno.test("fhirDateSpan: anything else is not a FHIR date", () => {
  for (
    const text of [
      "",
      "abcd",
      "16",
      "2016-13",
      "2016-00",
      "2019-02-29",
      "2016-02-30",
      "2015-10-23T11:08:32",
      "2015-10-23T11:08Z",
      "2015-10-23T24:00:00Z",
      "2015-10-23T11:08:32+15:00",
      "2015-10-23 11:08:32Z",
      " 2016",
    ]
  ) {
    assert.equal(fhirDateSpan(text), undefined, text);
  }
});

Deno.test("instantOf: dates are midnight UTC, date-times as written", () => {
  assert.equal(instantOf("2025-01-15"), Date.parse("2025-01-15T00:00:00Z"));
  assert.equal(instantOf("2025-01-15T09:30:00Z"), Date.parse("2025-01-15T09:30:00Z"));
});

Deno.test("fhirDateSpan() reads years 0000–0099 as themselves, not as 1900–1999", () => {
  assert.equal(fhirDateSpan("0042")?.firstDay, "0042-01-01");
  assert.equal(fhirDateSpan("0000-02")?.lastDay, "0000-02-29");
  assert.equal(fhirDateSpan("0099-12-31")?.firstDay, "0099-12-31");
  assert.equal(fhirDateSpan("0001-02-29"), undefined, "year 1 is not a leap year");
});
