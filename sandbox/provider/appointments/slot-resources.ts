/**
 * Calendar schedules and slots as GP Connect STU3 resources (GPConnect-Schedule-1,
 * GPConnect-Slot-1; GPC-1.6 search for free slots): the Schedule carries the practitioner role
 * extension, the schedule type in `serviceCategory.text`, its location and practitioner actors
 * and the session as `planningHorizon`; the Slot carries the delivery channel extension, the slot
 * type in `serviceType.text`, its schedule, status and times. Neither populates `specialty`.
 * Times are UK local time with offset.
 *
 * @module
 */
import type { CalendarSchedule, CalendarSlot } from "./slot-calendar.ts";
import { formatUkDateTime } from "./uk-time.ts";

const stu3 = "https://fhir.nhs.uk/STU3";

/** Extension and code-system URLs of Appointment Management. */
export const appointmentUrls = {
  appointmentProfile: `${stu3}/StructureDefinition/GPConnect-Appointment-1`,
  slotProfile: `${stu3}/StructureDefinition/GPConnect-Slot-1`,
  scheduleProfile: `${stu3}/StructureDefinition/GPConnect-Schedule-1`,
  searchsetProfile: `${stu3}/StructureDefinition/GPConnect-Searchset-Bundle-1`,
  deliveryChannel: `${stu3}/StructureDefinition/Extension-GPConnect-DeliveryChannel-2`,
  practitionerRole: `${stu3}/StructureDefinition/Extension-GPConnect-PractitionerRole-1`,
  bookingOrganisation: `${stu3}/StructureDefinition/Extension-GPConnect-BookingOrganisation-1`,
  cancellationReason:
    `${stu3}/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1`,
  sdsJobRoleName: `${stu3}/CodeSystem/CareConnect-SDSJobRoleName-1`,
} as const;

/** The practitioner role extension of a schedule. */
export function practitionerRoleExtension(schedule: CalendarSchedule): Record<string, unknown> {
  const role = schedule.template.practitionerRole;
  return {
    url: appointmentUrls.practitionerRole,
    valueCodeableConcept: {
      coding: [{ system: appointmentUrls.sdsJobRoleName, code: role.code, display: role.display }],
    },
  };
}

/** The delivery channel extension of a slot. */
export function deliveryChannelExtension(slot: CalendarSlot): Record<string, unknown> {
  return { url: appointmentUrls.deliveryChannel, valueCode: slot.variant.deliveryChannel };
}

/** A schedule as `GPConnect-Schedule-1`. */
export function scheduleResource(schedule: CalendarSchedule): Record<string, unknown> {
  return {
    resourceType: "Schedule",
    id: schedule.id,
    meta: { versionId: "1", profile: [appointmentUrls.scheduleProfile] },
    extension: [practitionerRoleExtension(schedule)],
    serviceCategory: { text: schedule.template.serviceCategory },
    actor: [
      { reference: `Location/${schedule.template.locationId}` },
      { reference: `Practitioner/${schedule.template.practitionerId}` },
    ],
    planningHorizon: {
      start: formatUkDateTime(schedule.start),
      end: formatUkDateTime(schedule.end),
    },
  };
}

/** A slot as `GPConnect-Slot-1` with the given status. */
export function slotResource(slot: CalendarSlot, status: "free" | "busy"): Record<string, unknown> {
  return {
    resourceType: "Slot",
    id: slot.id,
    meta: { versionId: "1", profile: [appointmentUrls.slotProfile] },
    extension: [deliveryChannelExtension(slot)],
    serviceType: [{ text: slot.serviceType }],
    schedule: { reference: `Schedule/${slot.schedule.id}` },
    status,
    start: formatUkDateTime(slot.start),
    end: formatUkDateTime(slot.end),
  };
}
