/**
 * The real {@linkcode HarnessDeps}: scenarios and requirements from `specs/`, selection and
 * coverage, the GP Connect profile validator and FHIRPath.
 *
 * @module
 */
import { loadRequirements, loadTestCases } from "../scenarios/test-cases.ts";
import { selectTestCases } from "../scenarios/selection.ts";
import { coverage } from "../scenarios/coverage.ts";
import { loadProfileValidator } from "../validation/profile-validator.ts";
import { evaluateFhirPath, fhirPathHolds } from "../validation/fhirpath-assert.ts";
import type { HarnessDeps } from "./harness-deps.ts";

/** The harness's real parts. */
export const defaultDeps: HarnessDeps = {
  loadTestCases: () => loadTestCases(),
  selectTestCases: (cases, selection) => selectTestCases([...cases], selection),
  loadRequirements: () => loadRequirements(),
  coverage: (requirements, cases) => coverage([...requirements], [...cases]),
  loadProfileValidator,
  fhirPathHolds,
  evaluateFhirPath,
};
