/**
 * The seams between the runner and the harness's other parts (scenario loading and selection,
 * requirements, profile validation, FHIRPath). `default-deps.ts` wires the real
 * ones; tests pass small stubs.
 *
 * @module
 */
import type { ProfileValidator, Requirement, TestCase } from "../model.ts";
import type { SelectionInput } from "../config/harness-config.ts";

/** What the runner needs from the rest of the harness. */
export interface HarnessDeps {
  /** Every test case of the suite, in its stable order. */
  loadTestCases(): Promise<TestCase[]>;
  /** The cases a selection picks, in the same order. */
  selectTestCases(cases: readonly TestCase[], selection: SelectionInput): TestCase[];
  /** Every requirement (`specs/requirements.json`). */
  loadRequirements(): Promise<Requirement[]>;
  /** The profile validator for a profiles directory. */
  loadProfileValidator(profilesDir: string): Promise<ProfileValidator>;
  /** Whether a FHIRPath expression holds on a resource. */
  fhirPathHolds(resource: unknown, expression: string): boolean;
  /** The collection a FHIRPath expression evaluates to (`{step.<name>:<FHIRPath>}`). */
  evaluateFhirPath(resource: unknown, expression: string): unknown[];
}
