/**
 * Does the message's Patient match the patient MESH routed it for? GPCM-SD-038: the Patient's NHS
 * number, name and date of birth MUST match `mex-To`'s `GPPROVIDER_{nhs}_{dob}_{surname}`.
 *
 * MESH replaces a routed `mex-To` with the practice's mailbox before delivery (mesh.md §5.3 step
 * 4, and gpc-edge's MESH does), so the practice rarely sees the address itself. It checks what it
 * can, first failure wins (each is a negative InfAck 20009, payload validation failure):
 *
 * 1. a `mex-To` that is still a GPPROVIDER address: NHS number, date of birth (YYYYMMDD, or the
 *    legacy DDMMYYYY) and surname (ignoring case) equal the Patient's;
 * 2. an NHS number in `Mex-Subject` (the §5.4 templates carry "NHS Number: …") equals the
 *    Patient's — this catches a payload about another patient of the same practice;
 * 3. PDS (what MESH matched the address against): the NHS number is on PDS, the birth date equals
 *    PDS's and the family name is PDS's (ignoring case).
 *
 * The problems name the field, never its value (they travel in the acknowledgement and the log).
 * PDS being unreachable is not the message's fault: the trace rejects and the message waits for
 * the next poll.
 *
 * @module
 */
import { parseGpProviderAddress } from "../../gpconnect/mesh/gpprovider-address.ts";
import type { MessagePatient } from "./itk-message-check.ts";

/** What PDS says about an NHS number (the provider's `tracePdsPatient` fits). */
export type PdsDemographics =
  | {
    readonly kind: "found";
    readonly record: { readonly family?: string; readonly birthDate?: string };
  }
  | { readonly kind: "not-found" }
  | { readonly kind: "invalidated" };

/** What the check reads besides the Patient. */
export interface DemographicsContext {
  /** `mex-To` as delivered. */
  readonly mexTo: string | undefined;
  /** `Mex-Subject` as delivered. */
  readonly subject: string | undefined;
  /** PDS's record of an NHS number; rejects when PDS cannot answer. */
  readonly trace: (nhsNumber: string) => Promise<PdsDemographics>;
}

/**
 * The first way the Patient differs from the routed patient, or `undefined` when it matches.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const patient = {
 *   nhsNumber: "9690937286",
 *   family: "SKELLY",
 *   given: ["Horace"],
 *   birthDate: "1942-02-03",
 * };
 * // PDS's record of the patient (the provider's `tracePdsPatient` in the world).
 * const trace = () =>
 *   Promise.resolve({
 *     kind: "found" as const,
 *     record: { family: "SKELLY", birthDate: "1942-02-03" },
 *   });
 * const matches = await patientDemographicsProblem(patient, {
 *   mexTo: "GPPROVIDER_9690937286_19420203_SKELLY",
 *   subject: "NHS Number: 9690937286",
 *   trace,
 * });
 * assert.equal(matches, undefined);
 * const differs = await patientDemographicsProblem(patient, {
 *   mexTo: "GPPROVIDER_9690937286_19420203_SMITH",
 *   subject: undefined,
 *   trace,
 * });
 * assert.match(differs ?? "", /surname|family/i);
 * ```
 */
export async function patientDemographicsProblem(
  patient: MessagePatient,
  context: DemographicsContext,
): Promise<string | undefined> {
  const address = context.mexTo ? parseGpProviderAddress(context.mexTo) : undefined;
  if (address) {
    if (address.nhsNumber !== patient.nhsNumber) {
      return "The Patient's NHS number differs from the mex-To address";
    }
    if (address.dateOfBirth !== patient.birthDate) {
      return "The Patient's birth date differs from the mex-To address";
    }
    if (comparable(address.surname) !== comparable(patient.family)) {
      return "The Patient's family name differs from the mex-To address";
    }
  }
  const subjectNhs = subjectNhsNumber(context.subject);
  if (subjectNhs !== undefined && subjectNhs !== patient.nhsNumber) {
    return "The Patient's NHS number differs from the one in Mex-Subject";
  }
  const pds = await context.trace(patient.nhsNumber);
  if (pds.kind !== "found") return "The Patient's NHS number is not on PDS";
  if (pds.record.birthDate !== patient.birthDate) {
    return "The Patient's birth date differs from PDS's";
  }
  if (comparable(pds.record.family ?? "") !== comparable(patient.family)) {
    return "The Patient's family name differs from PDS's";
  }
  return undefined;
}

/**
 * The NHS number a GP Connect subject names ("NHS Number: 969 093 7286", "NHS Number 9690937286").
 *
 * @example
 * ```ts
 * subjectNhsNumber("Report for Horace SKELLY, NHS Number: 9690937286, seen at …"); // "9690937286"
 * ```
 */
export function subjectNhsNumber(subject: string | undefined): string | undefined {
  const match = /NHS Number:?\s*([0-9][0-9 ]{8,14}[0-9])/i.exec(subject ?? "");
  const digits = match?.[1]?.replace(/ /g, "");
  return digits && digits.length === 10 ? digits : undefined;
}

function comparable(name: string): string {
  return name.normalize("NFC").replace(/\s+/g, " ").trim().toLocaleUpperCase("en-GB");
}
