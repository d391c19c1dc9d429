/**
 * The `$gpc.getstructuredrecord` request as a typed query (GPC-1.6 retrieve a patient's
 * structured record; OperationDefinition `GPConnect-GetStructuredRecord-Operation-1`). One
 * top-level parameter per clinical area, each with optional parts; a parameter without parts is
 * valid and means "everything of this area".
 *
 * | Rule | Answer |
 * |---|---|
 * | a clinical-area parameter repeated (only `includeProblems` repeats), a part repeated, a clinical-area parameter carrying a value | 422 INVALID_RESOURCE |
 * | `consultationSearchPeriod` together with `includeNumberOfMostRecent` | 422 INVALID_RESOURCE |
 * | `includeAllergies` without `includeResolvedAllergies`; a part without a value or of the wrong type; bad date, period, code or count | 422 INVALID_PARAMETER |
 * | a part parameter not permitted with `includeConsultations` or `includeProblems` ("Not permitted parameter combinations") | 422 INVALID_PARAMETER |
 * | an unknown parameter, or an unknown part of a known parameter | 200; reported in the Bundle's OperationOutcome (API version compatibility: forwards compatibility) |
 *
 * @module
 */
import { ProviderError } from "../provider-error.ts";
import { nhsNumberParameterName, patientNhsNumber } from "./nhs-number-parameter.ts";
import type { OperationParameter } from "./parameters-body.ts";
import {
  booleanPart,
  codePart,
  datePart,
  type DatePeriod,
  periodPart,
  positiveIntPart,
  utcDay,
} from "./part-values.ts";

/** One `includeProblems` repetition: a status and significance pair, either optional. */
export interface ProblemFilter {
  readonly status?: "active" | "inactive";
  readonly significance?: "major" | "minor";
}

/** What the consumer asked for; an absent area was not requested. */
export interface StructuredQuery {
  readonly nhsNumber: string;
  readonly allergies?: { readonly includeResolved: boolean };
  readonly medication?: { readonly includeIssues: boolean; readonly searchFrom?: string };
  readonly consultations?: { readonly period?: DatePeriod; readonly mostRecent?: number };
  readonly problems?: readonly ProblemFilter[];
  readonly immunisations?: { readonly includeNotGiven: boolean; readonly includeStatus: boolean };
  readonly uncategorised?: { readonly period?: DatePeriod };
  readonly investigations?: { readonly period?: DatePeriod };
  readonly referrals?: { readonly period?: DatePeriod };
  readonly diary?: { readonly searchDate?: string };
  /** Unknown parameters and parts as `name` or `name.part`, in request order. */
  readonly unsupported: readonly string[];
}

type Parts = ReadonlyMap<string, unknown>;
type PartReader = (part: OperationParameter, label: string, today: string) => unknown;

/** Known parts of each clinical-area parameter and how to read them. */
const parameterParts: Readonly<Record<string, Readonly<Record<string, PartReader>>>> = {
  includeAllergies: { includeResolvedAllergies: booleanPart },
  includeMedication: {
    includePrescriptionIssues: booleanPart,
    medicationSearchFromDate: (p, l, t) => datePart(p, l, t, "not-after-today"),
  },
  includeConsultations: {
    consultationSearchPeriod: periodPart,
    includeNumberOfMostRecent: positiveIntPart,
  },
  includeProblems: {
    filterStatus: (p, l) => codePart(p, l, ["active", "inactive"] as const),
    filterSignificance: (p, l) => codePart(p, l, ["major", "minor"] as const),
  },
  includeImmunisations: { includeNotGiven: booleanPart, includeStatus: booleanPart },
  includeUncategorisedData: { uncategorisedDataSearchPeriod: periodPart },
  includeInvestigations: { investigationSearchPeriod: periodPart },
  includeReferrals: { referralSearchPeriod: periodPart },
  includeDiaryEntries: {
    diaryEntriesSearchDate: (p, l, t) => datePart(p, l, t, "not-before-today"),
  },
};

/** Parts that MUST NOT be sent with `includeConsultations` / `includeProblems`. */
const notWithConsultations = [
  "includeMedication.medicationSearchFromDate",
  "includeUncategorisedData.uncategorisedDataSearchPeriod",
  "includeProblems.filterSignificance",
  "includeProblems.filterStatus",
  "includeReferrals.referralSearchPeriod",
  "includeDiaryEntries.diaryEntriesSearchDate",
  "includeImmunisations.includeNotGiven",
  "includeImmunisations.includeStatus",
];
const notWithProblems = [
  "includeMedication.medicationSearchFromDate",
  "includeUncategorisedData.uncategorisedDataSearchPeriod",
  "includeReferrals.referralSearchPeriod",
  "includeDiaryEntries.diaryEntriesSearchDate",
  "includeImmunisations.includeNotGiven",
  "includeImmunisations.includeStatus",
];

/** The known parts of one parameter instance, read; unknown parts go to `unsupported`. */
function readParts(
  parameter: OperationParameter,
  today: string,
  unsupported: string[],
): Map<string, unknown> {
  const readers = parameterParts[parameter.name]!;
  if (parameter.value !== undefined) {
    throw new ProviderError(
      "INVALID_RESOURCE",
      `${parameter.name} takes part parameters, not a value${parameter.value.type}`,
    );
  }
  const values = new Map<string, unknown>();
  for (const part of parameter.parts) {
    const label = `${parameter.name}.${part.name}`;
    const reader = Object.hasOwn(readers, part.name) ? readers[part.name] : undefined;
    if (!reader) {
      unsupported.push(label);
      continue;
    }
    if (values.has(part.name)) {
      throw new ProviderError("INVALID_RESOURCE", `${label} must not appear more than once`);
    }
    values.set(part.name, reader(part, label, today));
  }
  return values;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Reads and checks the parameters of a `$gpc.getstructuredrecord` request; throws
 * {@linkcode ProviderError}. `now` is the provider clock (for "not after the current date").
 *
 * @example
 * ```ts
 * import { readParametersBody } from "./parameters-body.ts";
 *
 * const body = JSON.stringify({
 *   resourceType: "Parameters",
 *   parameter: [
 *     {
 *       name: "patientNHSNumber",
 *       valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690937278" },
 *     },
 *     { name: "includeAllergies", part: [{ name: "includeResolvedAllergies", valueBoolean: true }] },
 *   ],
 * });
 * const query = structuredQuery(readParametersBody(body), new Date());
 * query.allergies?.includeResolved; // true
 * ```
 */
export function structuredQuery(
  parameters: readonly OperationParameter[],
  now: Date,
): StructuredQuery {
  const nhsNumber = patientNhsNumber(parameters);
  const today = utcDay(now);
  const unsupported: string[] = [];
  const areas = new Map<string, Array<Map<string, unknown>>>();
  for (const parameter of parameters) {
    if (parameter.name === nhsNumberParameterName) continue;
    if (!Object.hasOwn(parameterParts, parameter.name)) {
      unsupported.push(parameter.name);
      continue;
    }
    const seen = areas.get(parameter.name) ?? [];
    if (seen.length > 0 && parameter.name !== "includeProblems") {
      throw new ProviderError(
        "INVALID_RESOURCE",
        `${parameter.name} must not appear more than once`,
      );
    }
    seen.push(readParts(parameter, today, unsupported));
    areas.set(parameter.name, seen);
  }
  const area = (name: string): Parts | undefined => areas.get(name)?.[0];
  checkCombinations(areas);

  const allergies = area("includeAllergies");
  if (allergies && !allergies.has("includeResolvedAllergies")) {
    throw new ProviderError(
      "INVALID_PARAMETER",
      "includeAllergies.includeResolvedAllergies is required with includeAllergies",
    );
  }
  const consultations = area("includeConsultations");
  if (
    consultations?.has("consultationSearchPeriod") &&
    consultations.has("includeNumberOfMostRecent")
  ) {
    throw new ProviderError(
      "INVALID_RESOURCE",
      "includeConsultations.consultationSearchPeriod and includeConsultations.includeNumberOfMostRecent must not both be sent",
    );
  }
  const medication = area("includeMedication");
  const immunisations = area("includeImmunisations");
  const uncategorised = area("includeUncategorisedData");
  const investigations = area("includeInvestigations");
  const referrals = area("includeReferrals");
  const diary = area("includeDiaryEntries");
  const problems = areas.get("includeProblems");
  return {
    nhsNumber,
    ...(allergies
      ? { allergies: { includeResolved: allergies.get("includeResolvedAllergies") as boolean } }
      : {}),
    ...(medication
      ? {
        medication: {
          includeIssues: (medication.get("includePrescriptionIssues") as boolean | undefined) ??
            true,
          ...optional("searchFrom", medication.get("medicationSearchFromDate") as string),
        },
      }
      : {}),
    ...(consultations
      ? {
        consultations: {
          ...optional("period", consultations.get("consultationSearchPeriod") as DatePeriod),
          ...optional("mostRecent", consultations.get("includeNumberOfMostRecent") as number),
        },
      }
      : {}),
    ...(problems
      ? {
        problems: problems.map((parts) => ({
          ...optional("status", parts.get("filterStatus") as ProblemFilter["status"]),
          ...optional(
            "significance",
            parts.get("filterSignificance") as ProblemFilter["significance"],
          ),
        })),
      }
      : {}),
    ...(immunisations
      ? {
        immunisations: {
          includeNotGiven: (immunisations.get("includeNotGiven") as boolean | undefined) ?? false,
          includeStatus: (immunisations.get("includeStatus") as boolean | undefined) ?? true,
        },
      }
      : {}),
    ...periodArea("uncategorised", uncategorised, "uncategorisedDataSearchPeriod"),
    ...periodArea("investigations", investigations, "investigationSearchPeriod"),
    ...periodArea("referrals", referrals, "referralSearchPeriod"),
    ...(diary
      ? { diary: { ...optional("searchDate", diary.get("diaryEntriesSearchDate") as string) } }
      : {}),
    unsupported,
  };
}

function periodArea<K extends "uncategorised" | "investigations" | "referrals">(
  key: K,
  parts: Parts | undefined,
  partName: string,
): { [P in K]?: { readonly period?: DatePeriod } } {
  if (!parts) return {};
  return { [key]: { ...optional("period", parts.get(partName) as DatePeriod) } } as {
    [P in K]?: { readonly period?: DatePeriod };
  };
}

/** "Not permitted parameter combinations": 422 INVALID_PARAMETER. */
function checkCombinations(areas: ReadonlyMap<string, Array<Map<string, unknown>>>): void {
  const sent = new Set<string>();
  for (const [name, instances] of areas) {
    for (const parts of instances) for (const part of parts.keys()) sent.add(`${name}.${part}`);
  }
  const rules: Array<[string, string[]]> = [
    ["includeConsultations", notWithConsultations],
    ["includeProblems", notWithProblems],
  ];
  for (const [area, forbidden] of rules) {
    if (!areas.has(area)) continue;
    const clash = forbidden.find((label) => sent.has(label));
    if (clash) {
      throw new ProviderError(
        "INVALID_PARAMETER",
        `${clash} is not permitted in a request that includes ${area}`,
      );
    }
  }
}
