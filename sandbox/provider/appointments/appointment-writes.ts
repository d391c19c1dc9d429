/**
 * The three writes of Appointment Management, each one read-check-write under the store's lock:
 *
 * - book: every slot must still be free — not busy in the practice and not held by another
 *   booking — else 409 DUPLICATE_REJECTED (GPC-1.6 book an appointment); then the appointment
 *   (version 1), which holds its slots, is written;
 * - amend / cancel: the appointment must exist (404 NO_RECORD_FOUND), `If-Match` must name its
 *   version (409, see {@linkcode versionConflict}), it must not be cancelled or started
 *   (422 INVALID_RESOURCE), and the change must be allowed ({@linkcode amendment},
 *   {@linkcode cancellation}); the version goes up by one and a cancellation frees the slots.
 *
 * @module
 */
import { ProviderError } from "../provider-error.ts";
import type { Json } from "./appointment-body.ts";
import { amendment, cancellation } from "./appointment-changes.ts";
import { ifMatchAccepts, versionConflict } from "./appointment-response.ts";
import { invalidResource } from "./appointment-shape.ts";
import type { AppointmentRecord, AppointmentStore } from "./appointment-store.ts";
import type { BookingPlan } from "./booking-plan.ts";
import { formatUkDateTime } from "./uk-time.ts";

/**
 * Books a plan; throws {@linkcode ProviderError} (409) when a slot is no longer free.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "../practice/practice-data.ts";
 * import { inMemoryProviderStore } from "../provider-store.ts";
 * import { appointmentShape } from "./appointment-shape.ts";
 * import { appointmentStore } from "./appointment-store.ts";
 * import {
 *   bookingForCalendarSlots,
 *   calendar,
 *   upcomingSlot,
 *   wednesday,
 * } from "./appointments-test-kit.ts";
 * import { bookingPlan } from "./booking-plan.ts";
 * const appointment = bookingForCalendarSlots([upcomingSlot(() => true)]);
 * const plan = bookingPlan(appointment, appointmentShape(appointment), {
 *   knownPatientIds: new Set(["1"]),
 *   practice: practiceData,
 *   calendar,
 *   now: wednesday,
 * });
 * const appointments = appointmentStore(inMemoryProviderStore(), "B82617");
 * const record = await bookAppointment(plan, appointments, wednesday);
 * assert.deepEqual([record.id, record.versionId, record.status], ["1", 1, "booked"]);
 * ```
 */
export function bookAppointment(
  plan: BookingPlan,
  appointments: AppointmentStore,
  now: Date,
): Promise<AppointmentRecord> {
  return appointments.serially(async () => {
    const booked = await appointments.bookedSlotIds();
    const taken = plan.slots.filter((slot) => slot.variant.busy || booked.has(slot.id));
    if (taken.length > 0) {
      throw new ProviderError(
        "DUPLICATE_REJECTED",
        `No longer free: ${taken.map((slot) => `Slot/${slot.id}`).join(", ")}`,
      );
    }
    const record: AppointmentRecord = {
      id: await appointments.nextId(),
      versionId: 1,
      lastUpdated: formatUkDateTime(now),
      patientId: plan.patientId,
      slotIds: plan.slots.map((slot) => slot.id),
      start: plan.slots[0]!.start.toISOString(),
      status: "booked",
      resource: plan.resource,
      addedParticipants: plan.addedParticipants,
    };
    await appointments.put(record);
    return record;
  });
}

/** An amend or cancel request. */
export interface AppointmentUpdate {
  readonly kind: "amend" | "cancel";
  readonly id: string;
  readonly request: Json;
  readonly ifMatch: string | undefined;
  readonly now: Date;
}

/**
 * Applies an amend or cancel and returns the new record; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bookedAppointment, wednesday } from "./appointments-test-kit.ts";
 * import { appointmentUrls } from "./slot-resources.ts";
 * const { record, appointments } = await bookedAppointment();
 * const reason = { url: appointmentUrls.cancellationReason, valueString: "Patient unwell" };
 * const request = {
 *   ...record.resource,
 *   id: record.id,
 *   status: "cancelled",
 *   extension: [...(record.resource.extension as unknown[]), reason],
 * };
 * const cancelled = await updateAppointment(
 *   { kind: "cancel", id: record.id, request, ifMatch: 'W/"1"', now: wednesday },
 *   appointments,
 * );
 * assert.deepEqual([cancelled.status, cancelled.versionId], ["cancelled", 2]);
 * ```
 */
export function updateAppointment(
  update: AppointmentUpdate,
  appointments: AppointmentStore,
): Promise<AppointmentRecord> {
  return appointments.serially(async () => {
    const record = await appointments.get(update.id);
    if (!record) throw new ProviderError("NO_RECORD_FOUND", `No appointment ${update.id}`);
    if (!ifMatchAccepts(update.ifMatch, record)) {
      throw versionConflict(
        `If-Match ${update.ifMatch} is not the current version W/"${record.versionId}"`,
      );
    }
    if (record.status === "cancelled") invalidResource("The appointment is cancelled");
    if (new Date(record.start) <= update.now) {
      invalidResource("The appointment has started; only future appointments can change");
    }
    const base = { versionId: record.versionId + 1, lastUpdated: formatUkDateTime(update.now) };
    let next: AppointmentRecord;
    if (update.kind === "amend") {
      const { description, comment } = amendment(update.request, record);
      const resource: Json = { ...record.resource, description, comment };
      if (comment === undefined) delete resource.comment;
      next = { ...record, ...base, resource };
    } else {
      const reason = cancellation(update.request, record);
      const extension = [...(record.resource.extension as Json[])];
      extension.splice(1, 0, reason);
      next = {
        ...record,
        ...base,
        status: "cancelled",
        resource: { ...record.resource, status: "cancelled", extension },
      };
    }
    await appointments.put(next);
    return next;
  });
}
