/**
 * Immunisations as `CareConnect-GPC-Immunization-1` (GPC-1.6 immunisation page): the
 * vaccination procedure code in the `vaccinationProcedure` extension, the recording date in
 * `dateRecorded`, the vaccine product as text, `notGiven` with the reason in `explanation`, the
 * practitioner as administering provider (`AP`).
 *
 * @module
 */
import type { ImmunisationItem } from "../../clinical/clinical-record-types.ts";
import {
  codeableConcept,
  identifier,
  meta,
  noteOf,
  practitionerReference,
  type Resource,
  type ResourceContext,
} from "./resource-common.ts";

const hl7Uk = "https://fhir.hl7.org.uk/STU3/StructureDefinition";

/** The Immunization for an immunisation item. */
export function immunization(context: ResourceContext, item: ImmunisationItem): Resource {
  return {
    resourceType: "Immunization",
    id: item.id,
    meta: meta("Immunization"),
    extension: [
      { url: `${hl7Uk}/Extension-CareConnect-DateRecorded-1`, valueDateTime: item.recordedAt },
      {
        url: `${hl7Uk}/Extension-CareConnect-VaccinationProcedure-1`,
        valueCodeableConcept: codeableConcept(item.code),
      },
    ],
    identifier: identifier(context, item.id),
    status: item.status,
    notGiven: item.notGiven,
    vaccineCode: {
      coding: [{ system: "http://hl7.org/fhir/v3/NullFlavor", code: "UNK", display: "unknown" }],
      text: item.vaccine,
    },
    patient: { reference: context.patientReference },
    ...(item.consultationId
      ? { encounter: { reference: `Encounter/${item.consultationId}` } }
      : {}),
    date: item.date,
    primarySource: true,
    practitioner: [{
      role: {
        coding: [{
          system: "http://hl7.org/fhir/v2/0443",
          code: "AP",
          display: "Administering Provider",
        }],
      },
      actor: practitionerReference(item.recorderId),
    }],
    ...noteOf(item.dose ? [item.note, `Dose: ${item.dose}`].filter(Boolean).join(". ") : item.note),
    ...(item.notGiven
      ? { explanation: { reasonNotGiven: [{ text: item.reasonNotGiven ?? "Not given" }] } }
      : {}),
  };
}
