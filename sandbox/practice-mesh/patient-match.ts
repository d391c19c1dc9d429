/**
 * The business acknowledgement: is the patient known at this practice (ITK3 response codes
 * 30001–30003; shared/reference/mesh.md §5.7)? Matched on the NHS number against the practice's
 * register — the fixture patients whose provider record is here and the temporary registrations
 * made through `$gpc.registerpatient` (`practicePatients`):
 *
 * - a served (active) record → **30001** patient known here, and the message is filed;
 * - a record that is no longer current here (inactive: left the practice; deceased) → **30003**
 *   patient no longer at this clinical setting;
 * - anything else → **30002** patient not known here.
 *
 * @module
 */
import type { HeldPatient, PracticePatients } from "../provider/provider-patients.ts";

/** The BusAck decision. */
export type PatientMatch =
  | { readonly code: "30001"; readonly held: HeldPatient }
  | { readonly code: "30002" | "30003"; readonly diagnostics: string };

/** Provider record statuses that mean the patient was here and left. */
const leftStatuses: ReadonlySet<string> = new Set(["inactive", "deceased"]);

/**
 * Matches an NHS number against the practice's patients.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "../pds/fixture-patients.ts";
 * import { patientRegister, practicePatients } from "../provider/provider-patients.ts";
 * import { inMemoryProviderStore } from "../provider/provider-store.ts";
 * const patients = practicePatients({
 *   register: patientRegister(fixturePatients, "B82617"),
 *   store: inMemoryProviderStore(),
 *   odsCode: "B82617",
 * });
 * assert.equal((await matchPatient("9690937286", patients)).code, "30001"); // held here
 * ```
 */
export async function matchPatient(
  nhsNumber: string,
  patients: PracticePatients,
): Promise<PatientMatch> {
  const served = await patients.byNhsNumber(nhsNumber);
  if (served) return { code: "30001", held: served };
  const record = await patients.anyRecord(nhsNumber);
  if (record && leftStatuses.has(record.record.status)) {
    return {
      code: "30003",
      diagnostics: "The patient is no longer registered at this practice",
    };
  }
  return { code: "30002", diagnostics: "The patient is not known at this practice" };
}
