/**
 * Invalid NHS numbers for every interaction that takes one (patient searches, the structured
 * operations, register, the HTML care record): too short, too long, not digits, spaced, and a
 * wrong modulus 11 check digit → 400 INVALID_NHS_NUMBER (GPC-1.6 error page: "fails format or
 * check digit tests"; reference gpconnect-ssp.md §4.3, §5; PT-0.7 "Invalid NHS number supplied").
 *
 * For DSTU2 the JWT `requested_record` names the same (invalid) number, so the NHS number is the
 * only defect.
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import type { Mutation, Scenario } from "../../model.ts";
import type { BaseRequest } from "../base-requests.ts";
import { providerError } from "./expectations.ts";
import { generatedScenario } from "./generated-scenario.ts";

/** The invalid NHS numbers, by rule slug. */
export const invalidNhsNumbers: ReadonlyArray<readonly [string, string, string, string]> = [
  ["nhs-number-too-short", "969093728", "the NHS number has 9 digits", "NHS-NUMBER-FORMAT"],
  ["nhs-number-too-long", "96909372860", "the NHS number has 11 digits", "NHS-NUMBER-FORMAT"],
  ["nhs-number-not-digits", "96909A7286", "the NHS number contains a letter", "NHS-NUMBER-FORMAT"],
  [
    "nhs-number-spaced",
    "969 093 7286",
    "the NHS number is written with spaces",
    "NHS-NUMBER-FORMAT",
  ],
  [
    "nhs-number-check-digit",
    "9690937287",
    "the NHS number fails the check digit",
    "NHS-NUMBER-CHECK-DIGIT",
  ],
];

/**
 * The invalid-NHS-number scenarios of one interaction (none when it takes no NHS number).
 *
 * @example
 * ```ts
 * import { baseRequest } from "../base-requests.ts";
 * import { requireInteraction } from "../catalogue.ts";
 *
 * nhsNumberScenarios(baseRequest(requireInteraction("search-patient"))).length; // 5
 * ```
 */
export function nhsNumberScenarios(base: BaseRequest): Scenario[] {
  const build = base.withNhsNumber;
  if (!build) return [];
  const { interaction } = base;
  return invalidNhsNumbers.map(([rule, nhsNumber, title, requirement]) => {
    const mutations: Mutation[] = interaction.fhirVersion === "DSTU2"
      ? [{
        kind: "set-claim",
        claim: "requested_record",
        value: {
          resourceType: "Patient",
          identifier: [{ system: identifierSystems.nhsNumberDstu2, value: nhsNumber }],
        },
      }]
      : [];
    return generatedScenario(base, {
      rule,
      title,
      category: "nhs-number",
      negative: true,
      requirements: [requirement],
      request: build(nhsNumber),
      mutations,
      expect: providerError(interaction, 400, "INVALID_NHS_NUMBER"),
    });
  });
}
