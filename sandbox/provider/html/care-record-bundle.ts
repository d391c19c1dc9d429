/**
 * The answer of `$gpc.getcarerecord` (GPC-0.7 retrieve a care record section; PT-0.7.4
 * `AccessRecord.feature`): a DSTU2 searchset Bundle (`gpconnect-searchset-bundle-1`) whose first
 * entry is the `gpconnect-carerecord-composition-1` Composition, then the Patient, the usual GP
 * Practitioner, the practice Organization and the generating Device. The Composition: date (the
 * clock), type SNOMED CT 425173008 "record extract (record artifact)", class 700232004 "general
 * medical service (qualifier value)", title "Patient Care Record", status `final`, subject,
 * author (the Device), custodian (the practice) and one section with its title, its coded
 * section and the generated XHTML.
 *
 * @module
 */
import type { PracticeOrganization, PracticePractitioner } from "../practice/practice-data.ts";
import type { HeldPatient } from "../provider-patients.ts";
import {
  dstu2Device,
  dstu2Organization,
  dstu2Patient,
  dstu2Practitioner,
  dstu2Profiles,
} from "./dstu2-resources.ts";
import { type RecordSection, recordSectionSystem } from "./record-sections.ts";

const snomed = "http://snomed.info/sct";
const recordExtract = "record extract (record artifact)";
const generalMedicalService = "general medical service (qualifier value)";

/** Everything the Bundle is built from. */
export interface CareRecordBundleInput {
  /** `Bundle.id` and `Composition.id` source. */
  readonly newId: () => string;
  readonly now: Date;
  /** Absolute DSTU2 root URL, for `fullUrl`s. */
  readonly rootUrl: string;
  readonly held: HeldPatient;
  readonly section: RecordSection;
  /** The section's XHTML `div`. */
  readonly div: string;
  readonly organization: PracticeOrganization;
  readonly practitioner: PracticePractitioner;
}

/**
 * The searchset Bundle of a care record section.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "../../pds/fixture-patients.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * import { patientRegister } from "../provider-patients.ts";
 * import { recordSections } from "./record-sections.ts";
 * const bundle = careRecordBundle({
 *   newId: () => crypto.randomUUID(),
 *   now: new Date(),
 *   rootUrl: "http://127.0.0.1:8083/B82617/DSTU2/0/gpconnect",
 *   held: patientRegister(fixturePatients, "B82617").byLogicalId("2")!,
 *   section: recordSections.SUM,
 *   div: '<div xmlns="http://www.w3.org/1999/xhtml"><h1>Summary</h1></div>',
 *   organization: practiceData.organizations[0]!,
 *   practitioner: practiceData.practitioners[0]!,
 * });
 * assert.equal(bundle.type, "searchset");
 * ```
 */
export function careRecordBundle(input: CareRecordBundleInput): Record<string, unknown> {
  const { held, section, organization, practitioner } = input;
  const patient = dstu2Patient(held, {
    organizationId: organization.id,
    practitionerId: practitioner.id,
  });
  const composition = {
    resourceType: "Composition",
    id: input.newId(),
    meta: { profile: [dstu2Profiles.Composition] },
    date: input.now.toISOString(),
    type: {
      coding: [{ system: snomed, code: "425173008", display: recordExtract }],
      text: recordExtract,
    },
    class: {
      coding: [{ system: snomed, code: "700232004", display: generalMedicalService }],
      text: generalMedicalService,
    },
    title: "Patient Care Record",
    status: "final",
    subject: { reference: `Patient/${held.record.logicalId}` },
    author: [{ reference: "Device/1" }],
    custodian: { reference: `Organization/${organization.id}` },
    section: [{
      title: section.title,
      code: {
        coding: [{ system: recordSectionSystem, code: section.code, display: section.title }],
        text: section.title,
      },
      text: { status: "generated", div: input.div },
    }],
  };
  const resources: Record<string, unknown>[] = [
    composition,
    patient,
    dstu2Practitioner(practitioner, organization.id),
    dstu2Organization(organization),
    dstu2Device(),
  ];
  return {
    resourceType: "Bundle",
    id: input.newId(),
    meta: { profile: [dstu2Profiles.Bundle] },
    type: "searchset",
    entry: resources.map((resource) => ({
      fullUrl: `${input.rootUrl}/${String(resource.resourceType)}/${String(resource.id)}`,
      resource,
    })),
  };
}
