import assert from "node:assert/strict";
import { fixturePatients } from "./fixture-patients.ts";
import { PdsError } from "./pds-outcome.ts";
import { parsePdsSearch, searchPdsPatients } from "./pds-search.ts";

function parse(query: string) {
  return parsePdsSearch(new URLSearchParams(query));
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof PdsError) return error.code;
    throw error;
  }
  return undefined;
}

Deno.test("parsePdsSearch: defaults and date comparators", () => {
  const query = parse("family=SKELLY&birthdate=ge1942-01-01&birthdate=le1942-12-31&given=Horace");
  assert.equal(query.family, "SKELLY");
  assert.deepEqual(query.given, ["Horace"]);
  assert.deepEqual(query.birthdate, [
    { comparator: "ge", date: "1942-01-01" },
    { comparator: "le", date: "1942-12-31" },
  ]);
  assert.equal(query.maxResults, 1);
  assert.equal(parse("family=X&birthdate=2000-01-01").birthdate[0]?.comparator, "eq");
});

Deno.test("parsePdsSearch: validation order of the hosted sandbox", () => {
  assert.equal(codeOf(() => parse("")), "UNSUPPORTED_SERVICE");
  assert.equal(codeOf(() => parse("foo=1")), "ADDITIONAL_PROPERTIES");
  assert.equal(codeOf(() => parse("family=X&birthdate=gt2000-01-01")), "INVALID_VALUE");
  assert.equal(codeOf(() => parse("family=X&birthdate=2000-01-01&death-date=x")), "INVALID_VALUE");
  assert.equal(codeOf(() => parse("family=X")), "MISSING_VALUE");
  assert.equal(codeOf(() => parse("birthdate=2000-01-01")), "INVALID_SEARCH_DATA");
  for (const max of ["0", "51", "x", "1.5"]) {
    assert.equal(
      codeOf(() => parse(`family=X&birthdate=2000-01-01&_max-results=${max}`)),
      "INVALID_VALUE",
    );
  }
});

Deno.test("searchPdsPatients: wildcards, given, gender, ranges", () => {
  const find = (query: string) =>
    searchPdsPatients(fixturePatients, parse(query)).map((patient) => patient.nhsNumber);
  assert.deepEqual(find("family=SKE*&birthdate=ge1942-01-01&birthdate=le1942-12-31"), [
    "9690937286",
  ]);
  assert.deepEqual(find("family=skelly&given=horace&gender=male&birthdate=1942-02-03"), [
    "9690937286",
  ]);
  assert.deepEqual(find("family=skelly&gender=female&birthdate=1942-02-03"), []);
  assert.deepEqual(find("family=SKELLY&birthdate=1942-02-03&address-postalcode=dn163pl"), [
    "9690937286",
  ]);
  assert.deepEqual(find("family=SKELLY&birthdate=1942-02-03&phone=07700900123"), ["9690937286"]);
  assert.deepEqual(find("family=BIRKETT&birthdate=1969-11-23&death-date=le1993-12-31"), [
    "9690938681",
  ]);
});

Deno.test("searchPdsPatients: never returns superseded or invalidated numbers", () => {
  const found = searchPdsPatients(fixturePatients, parse("family=TARRANT&birthdate=1969-11-27"));
  assert.deepEqual(found.map((patient) => patient.nhsNumber), ["9690938614"]);
  const invalidated = searchPdsPatients(
    fixturePatients,
    parse("family=HEBBLETHWAITE&birthdate=1959-10-21"),
  );
  assert.deepEqual(invalidated, []);
});
