import assert from "node:assert/strict";
import { verificationProblem } from "./nhs-number-verification.ts";

const pds = { birthDate: "1972-01-28", family: "NETTLESHIP", given: ["Florence"] };

Deno.test("verificationProblem: an exact date of birth verifies on its own", () => {
  assert.equal(verificationProblem({ birthDate: "1972-01-28", given: [] }, pds), undefined);
});

Deno.test("verificationProblem: two date parts + family prefix + given initial verify", () => {
  for (const birthDate of ["1972-01-29", "1972-02-28", "1973-01-28"]) {
    assert.equal(
      verificationProblem({ birthDate, family: " nettle ", given: ["fiona"] }, pds),
      undefined,
      birthDate,
    );
  }
});

Deno.test("verificationProblem: anything less does not", () => {
  const cases = [
    { birthDate: "1972-02-29", family: "NETTLESHIP", given: ["Florence"] }, // one date part
    { birthDate: "1972-01-29", family: "NET", given: ["Ann"] }, // initial differs
    { birthDate: "1972-01-29", family: "NEW", given: ["Florence"] }, // family differs
    { birthDate: "1972-01-29", family: "", given: [""] }, // nothing to compare
    { birthDate: "1972-01-29", given: [] },
  ];
  for (const request of cases) {
    assert.match(verificationProblem(request, pds) ?? "", /do not match/, JSON.stringify(request));
  }
  assert.match(
    verificationProblem({ birthDate: "1972-01-28", given: [] }, { given: [] }) ?? "",
    /no date of birth/,
  );
});
