/**
 * The response Bundle of both structured operations (GPC-1.6 retrieve / migrate a patient's
 * structured record, "Payload response body"): a `collection` Bundle with `meta.profile`
 * `GPConnect-StructuredRecord-Bundle-1` and `id` = the request's `Ssp-TraceID`, holding
 *
 * - the Patient (managed by the practice Organization, the usual GP as `generalPractitioner`),
 *   the practice Organization, and every Practitioner (with PractitionerRole), Location and
 *   Organization the other resources reference;
 * - the primary and secondary lists of the requested clinical areas and their resources;
 * - for unknown parameters or parts, one OperationOutcome with a `not-supported` warning each
 *   ("API version compatibility", forwards compatibility).
 *
 * @module
 */
import { errorSystems, gpConnectErrorCodes } from "../../../gpconnect/specs.ts";
import type { ClinicalRecord } from "../clinical/clinical-record-types.ts";
import { practiceReferences } from "../foundations/foundations-routes.ts";
import { gpConnectPatient } from "../foundations/patient-resource.ts";
import type { PracticeData } from "../practice/practice-data.ts";
import { gpConnectOrganization } from "../practice/practice-resources.ts";
import type { HeldPatient } from "../provider-patients.ts";
import { addPrimarySections, type RecordRequest } from "./area-sections.ts";
import { bundleBuilder } from "./bundle-builder.ts";
import { addLinkedSections } from "./linked-sections.ts";
import { utcDay } from "./part-values.ts";
import { meta, type Resource, structuredProfiles } from "./resources/resource-common.ts";
import { sectionWriter } from "./section-writer.ts";

/** The practitioner every patient of the reference practice has as usual GP (Dr Parsons). */
export const usualGpId = "3";

/** What a structured Bundle is built from. */
export interface StructuredBundleInput {
  /** `Bundle.id`: the request's `Ssp-TraceID`. */
  readonly id: string;
  readonly held: HeldPatient;
  readonly record: ClinicalRecord;
  /** The clinical areas to return; `undefined` returns demographics only. */
  readonly request: RecordRequest | undefined;
  readonly practice: PracticeData;
  readonly odsCode: string;
  readonly now: Date;
  /** Whether confidential items may be returned (migration with sensitive information). */
  readonly includeConfidential: boolean;
  /** Unknown parameters and parts (`name` or `name.part`) to warn about. */
  readonly unsupported?: readonly string[];
  /** Id generator (the OperationOutcome's id). */
  readonly newId: () => string;
}

/**
 * The forwards-compatibility OperationOutcome: one `not-supported` warning per unknown
 * parameter or part.
 */
export function unsupportedParametersOutcome(
  id: string,
  unsupported: readonly string[],
): Resource {
  const notImplemented = gpConnectErrorCodes.NOT_IMPLEMENTED;
  return {
    resourceType: "OperationOutcome",
    id,
    meta: { profile: [structuredProfiles.OperationOutcome] },
    issue: unsupported.map((name) => ({
      severity: "warning",
      code: notImplemented.issueCode,
      details: {
        coding: [{
          system: errorSystems.stu3,
          code: "NOT_IMPLEMENTED",
          display: notImplemented.display,
        }],
        text: `${name} is an unrecognised parameter`,
      },
      diagnostics: name,
    })),
  };
}

/**
 * The structured record Bundle.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "../../pds/fixture-patients.ts";
 * import { clinicalRecordFor } from "../clinical/clinical-records.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * import { patientRegister } from "../provider-patients.ts";
 * const now = new Date();
 * const bundle = structuredBundle({
 *   id: crypto.randomUUID(),
 *   held: patientRegister(fixturePatients, "B82617").byLogicalId("2")!,
 *   record: clinicalRecordFor("9690937286", now)!,
 *   request: { problems: [{}] },
 *   practice: practiceData,
 *   odsCode: "B82617",
 *   now,
 *   includeConfidential: false,
 *   newId: () => crypto.randomUUID(),
 * });
 * assert.equal(bundle.type, "collection");
 * ```
 */
export function structuredBundle(input: StructuredBundleInput): Record<string, unknown> {
  // The same practice Organization and preferred branch Location as every other root's Patient.
  const references = practiceReferences(input.practice, input.odsCode);
  const organization =
    input.practice.organizations.find((o) => o.id === references.organizationId) ??
      input.practice.organizations[0]!;
  const { managingOrganization, ...demographics } = gpConnectPatient(
    input.held,
    utcDay(input.now),
    references,
  );
  // FHIR element order (XML): generalPractitioner comes before managingOrganization.
  const patient = {
    ...demographics,
    generalPractitioner: [{ reference: `Practitioner/${usualGpId}` }],
    managingOrganization,
  } as unknown as Resource;
  const builder = bundleBuilder(input.practice, organization.id);
  if (input.request) {
    const writer = sectionWriter({
      record: input.record,
      context: {
        nhsNumber: input.record.nhsNumber,
        patientReference: `Patient/${patient.id}`,
        organizationReference: `Organization/${organization.id}`,
      },
      date: input.now.toISOString(),
      includeConfidential: input.includeConfidential,
      builder,
    });
    addPrimarySections(writer, input.request);
    addLinkedSections(writer, {
      problems: input.request.problems !== undefined,
      consultations: input.request.consultations !== undefined,
    });
  }
  if (input.unsupported?.length) {
    builder.add(unsupportedParametersOutcome(input.newId(), input.unsupported));
  }
  const resources = builder.resources([
    patient,
    gpConnectOrganization(organization) as Resource,
  ]);
  return {
    resourceType: "Bundle",
    id: input.id,
    meta: meta("Bundle"),
    type: "collection",
    entry: resources.map((resource) => ({ resource })),
  };
}
