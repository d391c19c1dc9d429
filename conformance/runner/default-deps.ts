/**
 * The real {@linkcode HarnessDeps}: scenarios and requirements from `specs/`, selection, the GP
 * Connect profile validator and FHIRPath.
 *
 * @module
 */
import { loadRequirements, loadTestCases } from "../scenarios/test-cases.ts";
import { selectTestCases } from "../scenarios/selection.ts";
import { loadProfileValidator } from "../validation/profile-validator.ts";
import { evaluateFhirPath, fhirPathHolds } from "../validation/fhirpath-assert.ts";
import type { HarnessDeps } from "./harness-deps.ts";

/** The harness's real parts. */
export const defaultDeps: HarnessDeps = {
  loadTestCases: () => loadTestCases(),
  selectTestCases: (cases, selection) => selectTestCases([...cases], selection),
  loadRequirements: () => loadRequirements(),
  loadProfileValidator,
  fhirPathHolds,
  evaluateFhirPath,
};
