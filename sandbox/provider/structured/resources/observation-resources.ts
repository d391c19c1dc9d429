/**
 * Uncategorised data as `CareConnect-GPC-Observation-1` (GPC-1.6 uncategorised data and blood
 * pressure pages; elements in FHIR order, `component` last): status `final`, the effective date, the recorder as performer, a
 * `valueQuantity` in UCUM when the item has a number and unit. A blood pressure (`75367002`)
 * recorded as `systolic/diastolic` carries two components instead of a value.
 *
 * @module
 */
import { snomed } from "../../clinical/clinical-codes.ts";
import type { UncategorisedItem } from "../../clinical/clinical-record-types.ts";
import {
  codeableConcept,
  encounterContext,
  identifier,
  meta,
  practitionerReference,
  type Resource,
  type ResourceContext,
} from "./resource-common.ts";

const ucum = "http://unitsofmeasure.org";

/** A UCUM quantity for a numeric text value, or nothing when the value is not a number. */
export function ucumQuantity(value: string, unit: string | undefined): Record<string, unknown> {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number)) return {};
  return {
    valueQuantity: {
      value: number,
      ...(unit ? { unit, system: ucum, code: unit } : {}),
    },
  };
}

function bloodPressure(value: string, unit: string | undefined): Record<string, unknown> {
  const [systolic, diastolic] = value.split("/");
  const component = (code: ReturnType<typeof snomed>, reading: string | undefined) => ({
    code: codeableConcept(code),
    ...ucumQuantity(reading ?? "", unit),
  });
  return {
    component: [
      component(snomed("72313002", "Systolic arterial pressure"), systolic),
      component(snomed("1091811000000102", "Diastolic arterial pressure"), diastolic),
    ],
  };
}

/** The Observation for an uncategorised item. */
export function uncategorisedObservation(
  context: ResourceContext,
  item: UncategorisedItem,
): Resource {
  const isBloodPressure = item.code.code === "75367002" && item.value?.includes("/");
  return {
    resourceType: "Observation",
    id: item.id,
    meta: meta("Observation"),
    identifier: identifier(context, item.id),
    status: "final",
    code: codeableConcept(item.code),
    subject: { reference: context.patientReference },
    ...encounterContext(item.consultationId),
    effectiveDateTime: item.date,
    issued: item.recordedAt,
    performer: [practitionerReference(item.recorderId)],
    ...(item.value === undefined || isBloodPressure ? {} : ucumQuantity(item.value, item.unit)),
    ...(item.note ? { comment: item.note } : {}),
    ...(isBloodPressure ? bloodPressure(item.value!, item.unit) : {}),
  };
}
