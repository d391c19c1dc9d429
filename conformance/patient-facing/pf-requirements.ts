/**
 * The requirement ids a patient-facing scenario names: its own, its assertions', and those of the
 * built-in checks its expectations turn on (`pf-judge.ts`). The loader checks them against
 * specs/requirements.json; selection and coverage read a case's requirements through this.
 *
 * @module
 */
import { pfRuleRequirements } from "./pf-judge.ts";
import type { PfScenario } from "./pf-scenario.ts";

/**
 * The requirement ids `scenario` names, each once.
 *
 * @example
 * ```ts
 * import { readPfScenario } from "./pf-scenario-schema.ts";
 * pfNamedRequirements(readPfScenario({
 *   id: "pf.ar.x", title: "x", requirements: ["PF-AR-STRUCTURED"],
 *   steps: [{ name: "s", request: { api: "access-record", path: "/x", as: "none" },
 *     expect: { status: 200, bundleIdIsRequestId: true } }],
 * })); // ["PF-AR-STRUCTURED", "PF-AR-BUNDLE-ID", "PF-NO-STORE"]
 * ```
 */
export function pfNamedRequirements(scenario: PfScenario): string[] {
  const named = [...scenario.requirements];
  for (const step of [...scenario.steps, ...(scenario.teardown ?? [])]) {
    const { expect } = step;
    if (expect.requirement) named.push(expect.requirement);
    for (const assertion of expect.fhirpath ?? []) {
      if (assertion.requirement) named.push(assertion.requirement);
    }
    if (expect.bundleIdIsRequestId) named.push(pfRuleRequirements.bundleId);
    if (expect.mirrorsRequestId) named.push(pfRuleRequirements.requestIdMirrored);
    if (expect.validate || expect.profile !== undefined) named.push(pfRuleRequirements.profile);
    if (expect.r4Structure) named.push(pfRuleRequirements.r4Structure);
    const statuses: readonly number[] = Array.isArray(expect.status)
      ? expect.status
      : [expect.status as number];
    const error = statuses.every((status) => status >= 400);
    if (expect.operationOutcome ?? (error && expect.oauth === undefined)) {
      named.push(pfRuleRequirements.errorShape);
    }
    named.push(pfRuleRequirements.noStore);
  }
  return [...new Set(named)];
}

/** Whether any step of `scenario` validates against a profile (the validator is then loaded). */
export function pfValidates(scenario: PfScenario): boolean {
  return [...scenario.steps, ...(scenario.teardown ?? [])].some(({ expect }) =>
    expect.profile !== undefined || expect.validate === true
  );
}
