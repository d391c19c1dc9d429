/**
 * A well-shaped booking request checked against the practice (GPC-1.6 book an appointment):
 *
 * - start in the past → 422 INVALID_RESOURCE ("book future appointments" only);
 * - a participant or slot that does not resolve → 422 REFERENCE_NOT_FOUND (GPC error page: a
 *   reference to a slot that does not exist); a slot id not of this provider's form → 422
 *   INVALID_RESOURCE (PT-1.6 "invalid slot reference": `Slot/hello`);
 * - slots not offered over GP Connect, restricted to other organisations, not adjacent (same
 *   schedule, delivery channel and slot type, each starting when the previous ends), or whose
 *   times differ from the appointment's → 422 INVALID_RESOURCE;
 * - Location / Practitioner participants other than the schedule's, or provider-populated values
 *   (service category and type, practitioner role, delivery channel) that differ from the
 *   slot's → 422 INVALID_RESOURCE.
 *
 * Whether the slots are still free is decided later, under the store's lock (409).
 * The plan carries the Appointment to store: the request with the provider-populated elements
 * filled in, times as UK local time, and the schedule's practitioner added as a participant when
 * the consumer sent none.
 *
 * @module
 */
import { ProviderError } from "../provider-error.ts";
import type { PracticeData } from "../practice/practice-data.ts";
import { isJsonObject } from "../../../gpconnect/json-object.ts";
import type { Json } from "./appointment-body.ts";
import { type AppointmentShape, invalidResource } from "./appointment-shape.ts";
import { restrictionAllows } from "./slot-availability.ts";
import { type CalendarSlot, isSlotIdWellFormed, type SlotCalendar } from "./slot-calendar.ts";
import {
  appointmentUrls,
  deliveryChannelExtension,
  practitionerRoleExtension,
} from "./slot-resources.ts";
import { formatUkDateTime } from "./uk-time.ts";

/** A booking ready to be stored once its slots are confirmed free. */
export interface BookingPlan {
  readonly patientId: string;
  /** The slots, earliest first. */
  readonly slots: readonly CalendarSlot[];
  /** The Appointment to store, without `id` and `meta`. */
  readonly resource: Json;
  readonly addedParticipants: readonly string[];
}

/** What the plan is checked against. */
export interface BookingContext {
  /** Logical ids of the request's Patient participants that the practice serves. */
  readonly knownPatientIds: ReadonlySet<string>;
  readonly practice: PracticeData;
  readonly calendar: SlotCalendar;
  readonly now: Date;
}

function referenceNotFound(diagnostics: string): never {
  throw new ProviderError("REFERENCE_NOT_FOUND", diagnostics);
}

function resolveSlots(shape: AppointmentShape, calendar: SlotCalendar): CalendarSlot[] {
  if (new Set(shape.slotIds).size !== shape.slotIds.length) invalidResource("A slot is repeated");
  const slots = shape.slotIds.map((id) => {
    if (!isSlotIdWellFormed(id)) invalidResource(`Slot/${id} is not a slot id of this provider`);
    return calendar.slotById(id) ?? referenceNotFound(`Slot/${id} does not exist`);
  }).sort((a, b) => a.start.getTime() - b.start.getTime());
  const first = slots[0]!;
  for (const [i, slot] of slots.entries()) {
    const previous = slots[i - 1];
    if (
      previous && (slot.start.getTime() !== previous.end.getTime() ||
        slot.schedule.id !== first.schedule.id ||
        slot.variant.deliveryChannel !== first.variant.deliveryChannel ||
        slot.serviceType !== first.serviceType)
    ) {
      invalidResource(
        "Slots booked together must be adjacent, of one schedule, delivery channel and type",
      );
    }
  }
  if (
    shape.start.getTime() !== first.start.getTime() ||
    shape.end.getTime() !== slots.at(-1)!.end.getTime()
  ) {
    invalidResource("start and end must be the start of the first slot and the end of the last");
  }
  return slots;
}

function roleCode(extension: Json): unknown {
  const concept = extension.valueCodeableConcept;
  const coding = isJsonObject(concept) && Array.isArray(concept.coding)
    ? concept.coding[0]
    : undefined;
  return isJsonObject(coding) ? coding.code : undefined;
}

function checkSentValue(sent: unknown, expected: unknown, what: string): void {
  if (sent !== undefined && JSON.stringify(sent) !== JSON.stringify(expected)) {
    invalidResource(`${what} does not match the slot booked`);
  }
}

/**
 * The booking for a well-shaped request; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "../practice/practice-data.ts";
 * import { appointmentShape } from "./appointment-shape.ts";
 * import {
 *   bookingForCalendarSlots,
 *   calendar,
 *   upcomingSlot,
 *   wednesday,
 * } from "./appointments-test-kit.ts";
 * const appointment = bookingForCalendarSlots([upcomingSlot(() => true)], { patientId: "1" });
 * const plan = bookingPlan(appointment, appointmentShape(appointment), {
 *   knownPatientIds: new Set(["1"]),
 *   practice: practiceData,
 *   calendar,
 *   now: wednesday,
 * });
 * assert.equal(plan.patientId, "1");
 * ```
 */
export function bookingPlan(
  appointment: Json,
  shape: AppointmentShape,
  context: BookingContext,
): BookingPlan {
  if (shape.start <= context.now) invalidResource("Appointments can only be booked in the future");
  let patientId = "";
  for (const ref of shape.participants) {
    const found = ref.type === "Patient"
      ? context.knownPatientIds.has(ref.id) || undefined
      : ref.type === "Location"
      ? context.practice.locations.find((location) => location.id === ref.id)
      : ref.type === "Practitioner"
      ? context.practice.practitioners.find((practitioner) => practitioner.id === ref.id)
      : undefined;
    if (!found) referenceNotFound(`${ref.type}/${ref.id} is not known to this provider`);
    if (ref.type === "Patient") patientId = ref.id;
  }

  const slots = resolveSlots(shape, context.calendar);
  const first = slots[0]!;
  const { template } = first.schedule;
  for (const slot of slots) {
    if (!slot.variant.gpcBookable) {
      invalidResource(`Slot/${slot.id} is not bookable over GP Connect`);
    }
    if (!restrictionAllows(slot.variant.restriction, shape.consumer)) {
      invalidResource(`Slot/${slot.id} is reserved for other organisations`);
    }
  }
  for (const ref of shape.participants) {
    if (ref.type === "Location" && ref.id !== template.locationId) {
      invalidResource(`The slot's location is Location/${template.locationId}`);
    }
    if (ref.type === "Practitioner" && ref.id !== template.practitionerId) {
      invalidResource(`The slot's practitioner is Practitioner/${template.practitionerId}`);
    }
  }

  const serviceCategory = { text: template.serviceCategory };
  const serviceType = [{ text: first.serviceType }];
  const roleExtension = practitionerRoleExtension(first.schedule);
  const channelExtension = deliveryChannelExtension(first);
  checkSentValue(appointment.serviceCategory, serviceCategory, "serviceCategory");
  checkSentValue(appointment.serviceType, serviceType, "serviceType");
  const sentRole = shape.extensions.get(appointmentUrls.practitionerRole);
  if (sentRole && roleCode(sentRole) !== template.practitionerRole.code) {
    invalidResource("The practitionerRole extension does not match the slot booked");
  }
  const sentChannel = shape.extensions.get(appointmentUrls.deliveryChannel);
  if (sentChannel && sentChannel.valueCode !== first.variant.deliveryChannel) {
    invalidResource("The deliveryChannel extension does not match the slot booked");
  }

  const participants = [...(appointment.participant as Json[])];
  const addedParticipants: string[] = [];
  if (!shape.participants.some((ref) => ref.type === "Practitioner")) {
    const reference = `Practitioner/${template.practitionerId}`;
    participants.push({ actor: { reference }, status: "accepted" });
    addedParticipants.push(reference);
  }
  const resource: Json = {
    resourceType: "Appointment",
    contained: appointment.contained,
    extension: [
      shape.extensions.get(appointmentUrls.bookingOrganisation),
      roleExtension,
      channelExtension,
    ],
    ...(appointment.identifier === undefined ? {} : { identifier: appointment.identifier }),
    status: "booked",
    serviceCategory,
    serviceType,
    ...(appointment.priority === undefined ? {} : { priority: appointment.priority }),
    description: appointment.description,
    start: formatUkDateTime(first.start),
    end: formatUkDateTime(slots.at(-1)!.end),
    ...(appointment.minutesDuration === undefined
      ? {}
      : { minutesDuration: appointment.minutesDuration }),
    slot: slots.map((slot) => ({ reference: `Slot/${slot.id}` })),
    created: formatUkDateTime(shape.created),
    ...(appointment.comment === undefined ? {} : { comment: appointment.comment }),
    participant: participants,
  };
  return { patientId, slots, resource, addedParticipants };
}
