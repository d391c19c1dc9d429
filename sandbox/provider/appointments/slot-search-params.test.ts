import assert from "node:assert/strict";
import { ProviderError } from "../provider-error.ts";
import { slotQuery } from "./slot-search-params.ts";

const base = {
  start: "ge2025-01-16",
  end: "le2025-01-20",
  status: "free",
  _include: "Slot:schedule",
};

function query(overrides: Record<string, string | string[] | null> = {}, extra = "") {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...base, ...overrides })) {
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  return slotQuery(new URLSearchParams(`${params}${extra}`));
}

function rejects(
  code: string,
  status: number,
  overrides: Record<string, string | string[] | null>,
) {
  assert.throws(() => query(overrides), (error: unknown) => {
    assert.ok(error instanceof ProviderError, String(error));
    assert.equal(error.code, code, JSON.stringify(overrides));
    assert.equal(error.status, status);
    assert.ok(error.diagnostics);
    return true;
  });
}

Deno.test("slot-search-params: a date range covers whole UK days", () => {
  const q = query();
  assert.equal(q.from.toISOString(), "2025-01-16T00:00:00.000Z");
  assert.equal(q.to.toISOString(), "2025-01-21T00:00:00.000Z");
  assert.equal(q.includeLocations, false);
  const summer = query({ start: "ge2025-07-01", end: "le2025-07-01" });
  assert.equal(summer.from.toISOString(), "2025-06-30T23:00:00.000Z");
  assert.equal(summer.to.toISOString(), "2025-07-01T23:00:00.000Z");
});

Deno.test("slot-search-params: date-times with offsets, mixed forms, 0 and 14 days", () => {
  const q = query({ start: "ge2025-01-16T09:30:00+00:00", end: "le2025-01-16T12:00:00+00:00" });
  assert.equal(q.from.toISOString(), "2025-01-16T09:30:00.000Z");
  assert.equal(q.to.toISOString(), "2025-01-16T12:00:00.000Z");
  query({ start: "ge2025-01-16", end: "le2025-01-18T10:00:00+00:00" });
  query({ start: "ge2025-01-16", end: "le2025-01-16" });
  query({ start: "ge2025-01-16", end: "le2025-01-30" });
  // An unencoded + arrives as a space.
  assert.equal(
    slotQuery(
      new URLSearchParams(
        "start=ge2025-07-01T09:00:00+01:00&end=le2025-07-02&status=free&_include=Slot:schedule",
      ),
    ).from.toISOString(),
    "2025-07-01T08:00:00.000Z",
  );
});

Deno.test("slot-search-params: missing start, end or status → 400 BAD_REQUEST", () => {
  for (const name of ["start", "end", "status"]) rejects("BAD_REQUEST", 400, { [name]: null });
  rejects("BAD_REQUEST", 400, { start: null, end: null });
});

Deno.test("slot-search-params: blank, repeated or malformed values → 422 INVALID_PARAMETER", () => {
  const cases: Array<Record<string, string | string[]>> = [
    { start: "" },
    { end: "" },
    { status: "" },
    { start: "  " },
    { start: "invalidStartDate" },
    { end: "invalidEnddate" },
    { status: "busy" },
    { start: ["ge2025-01-16", "ge2025-01-17"] },
    { start: "ge2025" },
    { end: "le2025-01" },
    { start: "ge2025-01-16T09:00:00" },
    { start: "ge2025-01-16T09:00:00Z" },
    { start: "ge2025-13-14" },
    { start: "ge2025-01-16T25:00:00+00:00" },
    { start: "2025-01-16" },
  ];
  for (const overrides of cases) rejects("INVALID_PARAMETER", 422, overrides);
});

Deno.test("slot-search-params: wrong or unknown prefixes → 422", () => {
  const pairs = [
    ["lt", "gt"],
    ["gt", "gt"],
    ["lt", "lt"],
    ["le", "ge"],
    ["eq", "eq"],
    ["gt", "lt"],
    [
      "ne",
      "ne",
    ],
    ["ge", "ne"],
    ["ne", "le"],
  ];
  for (const [s, e] of pairs) {
    rejects("INVALID_PARAMETER", 422, { start: `${s}2025-01-16`, end: `${e}2025-01-18` });
  }
});

Deno.test("slot-search-params: range over 14 days or end before start → 422", () => {
  rejects("INVALID_PARAMETER", 422, { end: "le2025-01-31" });
  rejects("INVALID_PARAMETER", 422, { end: "le2025-02-16" });
  rejects("INVALID_PARAMETER", 422, { end: "le2025-01-15" });
  rejects("INVALID_PARAMETER", 422, {
    start: "ge2025-01-16T10:00:00+00:00",
    end: "le2025-01-30T10:00:01+00:00",
  });
  // 14 days across the start of BST is still 14 days.
  query({ start: "ge2025-03-20T09:00:00+00:00", end: "le2025-04-03T09:00:00+01:00" });
});

Deno.test("slot-search-params: _include rules", () => {
  rejects("INVALID_PARAMETER", 422, { _include: null });
  rejects("INVALID_PARAMETER", 422, { _include: "Schedule:actor:Practitioner" });
  rejects("INVALID_PARAMETER", 422, { _include: ["Slot:schedule", "Slot:unknown"] });
  const q = query({
    _include: "Slot:schedule",
    "_include:recurse": [
      "Schedule:actor:Practitioner",
      "Schedule:actor:Location",
      "Schedule:actor:HealthcareService",
      "Location:managingOrganization",
    ],
  });
  assert.equal(q.includePractitioners, true);
  assert.equal(q.includeLocations, true);
  assert.equal(
    query({ _include: ["Slot:schedule", "Schedule:actor:Location"] }).includeLocations,
    true,
  );
});

Deno.test("slot-search-params: searchFilter keeps ODS codes and organisation types only", () => {
  const q = query({
    searchFilter: [
      "https://fhir.nhs.uk/Id/ods-organization-code|B82617",
      "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|urgent-care",
      "FilterCategory-7|OtherConsumerCategory",
      "https://fhir.nhs.uk/Id/otherIdentifier|otherID",
      "no-bar",
      "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1|",
    ],
  });
  assert.deepEqual(q.odsCodes, ["B82617"]);
  assert.deepEqual(q.organisationTypes, ["urgent-care"]);
});
