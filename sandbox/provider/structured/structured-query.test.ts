import assert from "node:assert/strict";
import { ProviderError } from "../provider-error.ts";
import { readParametersBody } from "./parameters-body.ts";
import {
  nhsNumberParameter,
  parameter,
  type ParameterJson,
  parametersResource,
} from "./structured-requests.ts";
import { structuredQuery } from "./structured-query.ts";

const now = new Date("2025-03-10T15:00:00Z");
const nhs = nhsNumberParameter("9690937286");

function query(...parameters: ParameterJson[]) {
  return structuredQuery(readParametersBody(JSON.stringify(parametersResource(parameters))), now);
}

function rejects(code: string, ...parameters: ParameterJson[]): ProviderError {
  try {
    query(...parameters);
  } catch (error) {
    assert.ok(error instanceof ProviderError);
    assert.equal(error.code, code, error.diagnostics);
    return error;
  }
  assert.fail(`expected ${code}`);
}

const period = (start?: string, end?: string) => ({
  valuePeriod: { ...(start ? { start } : {}), ...(end ? { end } : {}) },
});

Deno.test("the NHS number alone is a valid query of no clinical area", () => {
  assert.deepEqual(query(nhs), { nhsNumber: "9690937286", unsupported: [] });
});

Deno.test("every parameter and part is read with its defaults", () => {
  const q = query(
    nhs,
    parameter("includeAllergies", { includeResolvedAllergies: { valueBoolean: false } }),
    parameter("includeMedication"),
    parameter("includeImmunisations"),
    parameter("includeUncategorisedData"),
    parameter("includeInvestigations"),
    parameter("includeReferrals"),
    parameter("includeDiaryEntries"),
  );
  assert.deepEqual(q.allergies, { includeResolved: false });
  assert.deepEqual(q.medication, { includeIssues: true });
  assert.deepEqual(q.immunisations, { includeNotGiven: false, includeStatus: true });
  assert.deepEqual(q.uncategorised, {});
  assert.deepEqual(q.investigations, {});
  assert.deepEqual(q.referrals, {});
  assert.deepEqual(q.diary, {});
  const parts = query(
    nhs,
    parameter("includeMedication", {
      includePrescriptionIssues: { valueBoolean: false },
      medicationSearchFromDate: { valueDate: "2025-03-10" },
    }),
    parameter("includeImmunisations", {
      includeNotGiven: { valueBoolean: true },
      includeStatus: { valueBoolean: false },
    }),
    parameter("includeUncategorisedData", {
      uncategorisedDataSearchPeriod: period("2024-01-01", "2025-03-10"),
    }),
    parameter("includeInvestigations", { investigationSearchPeriod: period("2024-01-01") }),
    parameter("includeReferrals", { referralSearchPeriod: period(undefined, "2025-01-01") }),
    parameter("includeDiaryEntries", { diaryEntriesSearchDate: { valueDate: "2025-03-10" } }),
  );
  assert.deepEqual(parts.medication, { includeIssues: false, searchFrom: "2025-03-10" });
  assert.deepEqual(parts.immunisations, { includeNotGiven: true, includeStatus: false });
  assert.deepEqual(parts.uncategorised, { period: { start: "2024-01-01", end: "2025-03-10" } });
  assert.deepEqual(parts.investigations, { period: { start: "2024-01-01" } });
  assert.deepEqual(parts.referrals, { period: { end: "2025-01-01" } });
  assert.deepEqual(parts.diary, { searchDate: "2025-03-10" });
});

Deno.test("consultations take a period or a count, not both (INVALID_RESOURCE)", () => {
  assert.deepEqual(
    query(
      nhs,
      parameter("includeConsultations", { includeNumberOfMostRecent: { valuePositiveInt: 3 } }),
    )
      .consultations,
    { mostRecent: 3 },
  );
  assert.deepEqual(
    query(
      nhs,
      parameter("includeConsultations", { consultationSearchPeriod: period("2024-01-01") }),
    )
      .consultations,
    { period: { start: "2024-01-01" } },
  );
  rejects(
    "INVALID_RESOURCE",
    nhs,
    parameter("includeConsultations", {
      consultationSearchPeriod: period("2024-01-01"),
      includeNumberOfMostRecent: { valuePositiveInt: 3 },
    }),
  );
  rejects(
    "INVALID_PARAMETER",
    nhs,
    parameter("includeConsultations", { includeNumberOfMostRecent: { valuePositiveInt: 0 } }),
  );
});

Deno.test("includeProblems repeats; each repetition is a status and significance pair", () => {
  const q = query(
    nhs,
    parameter("includeProblems", {
      filterStatus: { valueCode: "active" },
      filterSignificance: { valueCode: "minor" },
    }),
    parameter("includeProblems", { filterStatus: { valueCode: "inactive" } }),
  );
  assert.deepEqual(q.problems, [{ status: "active", significance: "minor" }, {
    status: "inactive",
  }]);
  rejects(
    "INVALID_PARAMETER",
    nhs,
    parameter("includeProblems", { filterStatus: { valueCode: "resolved" } }),
  );
  rejects(
    "INVALID_PARAMETER",
    nhs,
    parameter("includeProblems", { filterSignificance: { valueCode: "low" } }),
  );
});

Deno.test("unknown parameters and parts are collected, not rejected (forwards compatibility)", () => {
  const q = query(
    nhs,
    parameter("includeMadeUp"),
    parameter("includeMedication", { madeUpPart: { valueBoolean: true } }),
    parameter("includeReferrals", { referralsSearchPeriod: period("2024-01-01") }),
  );
  assert.deepEqual(q.unsupported, [
    "includeMadeUp",
    "includeMedication.madeUpPart",
    "includeReferrals.referralsSearchPeriod",
  ]);
  assert.deepEqual(q.medication, { includeIssues: true });
});

Deno.test("structural problems are INVALID_RESOURCE", () => {
  rejects(
    "INVALID_RESOURCE",
    nhs,
    parameter("includeImmunisations"),
    parameter("includeImmunisations"),
  );
  rejects("INVALID_RESOURCE", nhs, nhs);
  rejects("INVALID_RESOURCE", nhs, { name: "includeProblems", valueBoolean: true });
  rejects(
    "INVALID_RESOURCE",
    nhs,
    {
      name: "includeMedication",
      part: [
        { name: "includePrescriptionIssues", valueBoolean: true },
        { name: "includePrescriptionIssues", valueBoolean: false },
      ],
    },
  );
});

Deno.test("parameter failures are INVALID_PARAMETER with the parameter in the diagnostics", () => {
  const missing = rejects("INVALID_PARAMETER", parameter("includeProblems"));
  assert.match(missing.diagnostics ?? "", /patientNHSNumber/);
  const noResolved = rejects("INVALID_PARAMETER", nhs, parameter("includeAllergies"));
  assert.match(noResolved.diagnostics ?? "", /includeResolvedAllergies/);
  rejects("INVALID_PARAMETER", nhs, {
    name: "includeAllergies",
    part: [{ name: "includeResolvedAllergies" }],
  });
  rejects(
    "INVALID_PARAMETER",
    nhs,
    parameter("includeAllergies", { includeResolvedAllergies: { valueString: "true" } }),
  );
  for (
    const bad of [
      "2014",
      "2014-02",
      "2015-10-23T11:08:32",
      "2015-10-23T11:08:32+00:00",
      "2025-02-30",
    ]
  ) {
    const error = rejects(
      "INVALID_PARAMETER",
      nhs,
      parameter("includeMedication", { medicationSearchFromDate: { valueDate: bad } }),
    );
    assert.match(error.diagnostics ?? "", /includeMedication\.medicationSearchFromDate/);
    rejects(
      "INVALID_PARAMETER",
      nhs,
      parameter("includeReferrals", { referralSearchPeriod: period(bad, "2025-01-01") }),
    );
  }
});

Deno.test("date rules: not after today, start before end, diary not before today", () => {
  rejects(
    "INVALID_PARAMETER",
    nhs,
    parameter("includeMedication", { medicationSearchFromDate: { valueDate: "2025-03-11" } }),
  );
  for (const name of ["includeUncategorisedData", "includeInvestigations", "includeReferrals"]) {
    const part = {
      includeUncategorisedData: "uncategorisedDataSearchPeriod",
      includeInvestigations: "investigationSearchPeriod",
      includeReferrals: "referralSearchPeriod",
    }[name]!;
    rejects("INVALID_PARAMETER", nhs, parameter(name, { [part]: period("2025-03-11") }));
    rejects(
      "INVALID_PARAMETER",
      nhs,
      parameter(name, { [part]: period("2024-01-01", "2025-03-11") }),
    );
    rejects(
      "INVALID_PARAMETER",
      nhs,
      parameter(name, { [part]: period("2025-01-02", "2025-01-01") }),
    );
    query(nhs, parameter(name, { [part]: period("2025-03-10", "2025-03-10") }));
  }
  rejects(
    "INVALID_PARAMETER",
    nhs,
    parameter("includeConsultations", { consultationSearchPeriod: period("2025-03-11") }),
  );
  rejects(
    "INVALID_PARAMETER",
    nhs,
    parameter("includeDiaryEntries", { diaryEntriesSearchDate: { valueDate: "2025-03-09" } }),
  );
  assert.equal(
    query(
      nhs,
      parameter("includeDiaryEntries", { diaryEntriesSearchDate: { valueDate: "2026-01-01" } }),
    )
      .diary?.searchDate,
    "2026-01-01",
  );
});

Deno.test("not permitted combinations with consultations or problems are INVALID_PARAMETER", () => {
  const consultations = parameter("includeConsultations");
  const problems = parameter("includeProblems");
  const forbidden: Array<[ParameterJson, ParameterJson]> = [
    [
      consultations,
      parameter("includeMedication", { medicationSearchFromDate: { valueDate: "2024-01-01" } }),
    ],
    [consultations, parameter("includeProblems", { filterStatus: { valueCode: "active" } })],
    [consultations, parameter("includeImmunisations", { includeNotGiven: { valueBoolean: true } })],
    [
      problems,
      parameter("includeDiaryEntries", { diaryEntriesSearchDate: { valueDate: "2025-03-10" } }),
    ],
    [problems, parameter("includeReferrals", { referralSearchPeriod: period("2024-01-01") })],
    [
      problems,
      parameter("includeUncategorisedData", {
        uncategorisedDataSearchPeriod: period("2024-01-01"),
      }),
    ],
  ];
  for (const [area, other] of forbidden) {
    const error = rejects("INVALID_PARAMETER", nhs, area, other);
    assert.match(error.diagnostics ?? "", /not permitted/);
  }
  // Allowed: problems with filters and investigations with a period alongside consultations.
  query(nhs, problems, parameter("includeProblems", { filterStatus: { valueCode: "active" } }));
  query(
    nhs,
    consultations,
    parameter("includeInvestigations", { investigationSearchPeriod: period("2024-01-01") }),
  );
  query(nhs, consultations, parameter("includeMedication"), parameter("includeProblems"));
});

Deno.test("patientNHSNumber: system, value and type", () => {
  rejects(
    "INVALID_IDENTIFIER_SYSTEM",
    nhsNumberParameter("9690937286", "https://fhir.nhs.uk/Id/ods-organization-code"),
  );
  rejects("INVALID_IDENTIFIER_SYSTEM", {
    name: "patientNHSNumber",
    valueIdentifier: { value: "9690937286" },
  });
  rejects("INVALID_NHS_NUMBER", nhsNumberParameter("9690937287"));
  rejects("INVALID_NHS_NUMBER", nhsNumberParameter(""));
  rejects("INVALID_PARAMETER", { name: "patientNHSNumber", valueString: "9690937286" });
});
