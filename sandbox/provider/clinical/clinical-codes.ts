/**
 * Code systems of the clinical fixtures and a shorthand for SNOMED CT concepts.
 *
 * @module
 */
import type { ClinicalCode } from "./clinical-record-types.ts";

/** SNOMED CT (dm+d medication codes are SNOMED CT concepts too). */
export const snomedSystem = "http://snomed.info/sct";

/**
 * A SNOMED CT concept.
 *
 * @example
 * ```ts
 * snomed("91936005", "Allergy to penicillin");
 * ```
 */
export function snomed(code: string, display: string): ClinicalCode {
  return { system: snomedSystem, code, display };
}
