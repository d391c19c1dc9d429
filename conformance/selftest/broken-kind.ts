/**
 * What every deliberately broken counterpart of the self-tests (GP Connect provider, patient-facing
 * practice, MESH server, practice as a MESH receiver) says about itself: which one rule it breaks
 * and where the harness must report it.
 *
 * @module
 */

/** A kind of breakage, with the requirement a harness must report failing. */
export interface BrokenKind {
  /** Short name. */
  readonly name: string;
  /** What the counterpart gets wrong. */
  readonly description: string;
  /** A requirement the harness must name among the failures. */
  readonly requirement: string;
  /** Harness selection that exercises the rule (keeps the self-test fast). */
  readonly selection: readonly string[];
}
