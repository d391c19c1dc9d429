/**
 * Whether a calendar slot is free over GP Connect and who may see and book it (GPC-1.6 search for
 * free slots: slots "which match the search filter parameters of booking organisation (ODS code)
 * and/or organisation type, or are not restricted for booking by ODS code and/or organisation
 * type"). A restricted slot is open to a consumer whose organisation type or ODS code is one the
 * restriction names.
 *
 * @module
 */
import type { CalendarSlot } from "./slot-calendar.ts";
import type { SlotRestriction } from "./session-templates.ts";

/** The consumer organisation a search or booking is for. */
export interface ConsumerOrganisation {
  readonly organisationTypes: readonly string[];
  readonly odsCodes: readonly string[];
}

/**
 * Whether a restriction lets the consumer organisation book.
 *
 * @example
 * ```ts
 * restrictionAllows({ organisationTypes: ["urgent-care"] }, { organisationTypes: ["urgent-care"], odsCodes: [] }); // true
 * restrictionAllows({ odsCodes: ["A20047"] }, { organisationTypes: [], odsCodes: ["B82617"] }); // false
 * ```
 */
export function restrictionAllows(
  restriction: SlotRestriction | undefined,
  consumer: ConsumerOrganisation,
): boolean {
  if (restriction === undefined) return true;
  return (restriction.organisationTypes ?? []).some((type) =>
    consumer.organisationTypes.includes(type)
  ) || (restriction.odsCodes ?? []).some((code) => consumer.odsCodes.includes(code));
}

/** Whether a slot is free: offered over GP Connect, not busy in the practice, not booked. */
export function slotIsFree(slot: CalendarSlot, bookedSlotIds: ReadonlySet<string>): boolean {
  return slot.variant.gpcBookable && !slot.variant.busy && !bookedSlotIds.has(slot.id);
}
