/**
 * A stored repeat-prescription request as an R4 `Task` (UK Core Task; Simplifier "GP Connect
 * (Patient Facing) Prescriptions": code `103742009` Renewal of prescription, `focus` the plan
 * with a display, `for` the patient, `requester` the patient or the proxy, `input`
 * preferred-performer).
 *
 * @module
 */
import type { TaskRecord } from "./prescription-tasks.ts";
import { type R4Resource, ukCoreProfile } from "./medication-r4.ts";

/**
 * The Task resource of a record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const task = taskResource({
 *   id: "t1", versionId: 1, patientNhsNumber: "9690937286", focusId: "2-med-1-plan",
 *   focusDisplay: "Amlodipine 5mg tablets", status: "requested",
 *   authoredOn: "2026-01-01T10:00:00.000Z", lastModified: "2026-01-01T10:00:00.000Z",
 *   requestId: crypto.randomUUID(),
 * });
 * assert.equal(task.resourceType, "Task");
 * ```
 */
export function taskResource(task: TaskRecord): R4Resource {
  const nhs = (value: string) => ({ system: "https://fhir.nhs.uk/Id/nhs-number", value });
  return {
    resourceType: "Task",
    id: task.id,
    meta: {
      versionId: String(task.versionId),
      lastUpdated: task.lastModified,
      profile: [ukCoreProfile("Task")],
    },
    identifier: [{ system: "https://tools.ietf.org/html/rfc4122", value: task.requestId }],
    status: task.status,
    intent: "order",
    code: {
      coding: [{
        system: "http://snomed.info/sct",
        code: "103742009",
        display: "Renewal of prescription",
      }],
    },
    focus: {
      reference: `MedicationRequest/${task.focusId}`,
      display: `Repeat prescription for ${task.focusDisplay}`,
    },
    for: { reference: `Patient/${task.patientNhsNumber}`, identifier: nhs(task.patientNhsNumber) },
    authoredOn: task.authoredOn,
    lastModified: task.lastModified,
    requester: task.actorNhsNumber
      ? { type: "RelatedPerson", identifier: nhs(task.actorNhsNumber) }
      : { reference: `Patient/${task.patientNhsNumber}` },
    ...(task.preferredPharmacy
      ? {
        input: [{
          type: {
            coding: [{
              system: "https://fhir.hl7.org.uk/GPConnect-PrescriptionOrderingParameters",
              code: "preferred-performer",
              display: "Preferred performer",
            }],
          },
          valueIdentifier: {
            system: "https://fhir.nhs.uk/Id/ods-organization-code",
            value: task.preferredPharmacy,
          },
        }],
      }
      : {}),
    ...(task.note ? { note: [{ text: task.note }] } : {}),
  };
}
