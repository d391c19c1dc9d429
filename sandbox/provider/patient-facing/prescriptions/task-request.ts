/**
 * What a reorder (`POST /Task`) and a cancel (`PATCH /Task/{id}`) may carry (Simplifier "GP
 * Connect (Patient Facing) Prescriptions": Order a repeat prescription, Requesting to a one-off
 * pharmacy nomination, Cancelling a prescription reorder request). Only the fields a patient
 * chooses are taken from the body (OWASP API3): the plan reordered (`focus`), the patient
 * (`for`), a one-off pharmacy (`input` "preferred-performer") and a note; the practice sets
 * everything else.
 *
 * @module
 */
import { isValidNhsNumber } from "../../../../gpconnect/nhs-number.ts";
import { accessDenied, invalidResource, PfError } from "../pf-error.ts";

/** The parts of a reorder the practice takes from the body. */
export interface ReorderRequest {
  readonly focusId: string;
  readonly preferredPharmacy?: string;
  readonly note?: string;
}

const nhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";
const odsSystem = "https://fhir.nhs.uk/Id/ods-organization-code";
const maxNoteLength = 1000;

/** 422 REFERENCE_NOT_FOUND: a reference that does not resolve to what it must. */
export const referenceNotFound = (diagnostics: string): PfError =>
  new PfError(422, "REFERENCE_NOT_FOUND", "invalid", "Reference not found", diagnostics);

/** The NHS number a Task's `for` names (`Patient/{nhs}` or an NHS number identifier). */
function patientOf(value: unknown): string | undefined {
  // deno-lint-ignore no-explicit-any
  const reference = value as any;
  if (typeof reference?.reference === "string") {
    const match = /^Patient\/(\d{10})$/.exec(reference.reference);
    return match?.[1];
  }
  if (reference?.identifier?.system === nhsNumberSystem) {
    return typeof reference.identifier.value === "string" ? reference.identifier.value : undefined;
  }
  return undefined;
}

/**
 * Checks a reorder body for the token's patient and takes what the practice keeps from it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const request = reorderRequest({
 *   resourceType: "Task", status: "requested", intent: "order",
 *   focus: { reference: "MedicationRequest/2-med-1-plan" }, for: { reference: "Patient/9690937286" },
 * }, "9690937286");
 * assert.equal(request.focusId, "2-med-1-plan");
 * ```
 */
export function reorderRequest(body: unknown, patientNhsNumber: string): ReorderRequest {
  // deno-lint-ignore no-explicit-any
  const task = body as any;
  if (task?.resourceType !== "Task") throw invalidResource("The body must be a Task");
  if (task.status !== undefined && task.status !== "requested") {
    throw invalidResource("A new Task's status must be requested");
  }
  if (task.intent !== undefined && task.intent !== "order") {
    throw invalidResource("A new Task's intent must be order");
  }
  if (task.for === undefined) throw invalidResource("Task.for (the patient) is required");
  const patient = patientOf(task.for);
  if (patient === undefined || !isValidNhsNumber(patient)) {
    throw referenceNotFound("Task.for must reference the patient by NHS number");
  }
  if (patient !== patientNhsNumber) throw accessDenied("Task.for is not the patient");
  const focus = task.focus?.reference;
  if (typeof focus !== "string") {
    throw invalidResource("Task.focus (a MedicationRequest) is required");
  }
  const focusMatch = /^MedicationRequest\/([A-Za-z0-9\-.]{1,64})$/.exec(focus);
  if (!focusMatch) throw referenceNotFound("Task.focus must reference a MedicationRequest");
  let preferredPharmacy: string | undefined;
  for (const input of Array.isArray(task.input) ? task.input : []) {
    const code = input?.type?.coding?.[0]?.code;
    if (code !== "preferred-performer") {
      throw invalidResource("Task.input may only be a preferred-performer");
    }
    const identifier = input?.valueIdentifier;
    if (
      identifier?.system !== odsSystem || typeof identifier.value !== "string" ||
      !/^[A-Z0-9]{3,6}$/.test(identifier.value)
    ) {
      throw invalidResource("preferred-performer must be a pharmacy's ODS code identifier");
    }
    preferredPharmacy = identifier.value;
  }
  const notes = Array.isArray(task.note) ? task.note : [];
  const note = notes.map((entry: { text?: unknown }) => entry?.text).filter((text: unknown) =>
    typeof text === "string"
  ).join("\n");
  if (note.length > maxNoteLength) {
    throw new PfError(422, "INVALID_VALUE", "too-long", "Invalid value", "Task.note is too long");
  }
  return {
    focusId: focusMatch[1]!,
    ...(preferredPharmacy ? { preferredPharmacy } : {}),
    ...(note ? { note } : {}),
  };
}

/**
 * Checks a cancel's JSON Patch: exactly `[{ "op": "replace", "path": "/status", "value":
 * "cancelled" }]` — a patch touching anything else is refused (422 INVALID_RESOURCE).
 */
export function checkCancelPatch(body: unknown): void {
  const operations = Array.isArray(body) ? body : [];
  const only = operations[0];
  if (
    operations.length !== 1 || only?.op !== "replace" || only?.path !== "/status" ||
    only?.value !== "cancelled" || Object.keys(only).length !== 3
  ) {
    throw invalidResource(
      'The JSON Patch may only be [{"op":"replace","path":"/status","value":"cancelled"}]',
    );
  }
}
