/**
 * The Search for free slots result (GPC-1.6 `appointments_use_case_search_for_free_slots`): a
 * `searchset` Bundle of the free slots lying fully within the period that the consumer
 * organisation may book, each Schedule they reference, the Practitioner and Location actors when
 * their `_include`s ask, and — always, whenever there are slots (a documented known issue that
 * providers must reproduce) — the Organization managing those locations. No slots → an empty
 * searchset. Practitioner, Location and Organization are populated as their foundations reads
 * are (`practice/practice-resources.ts`), as the spec requires. Slots come first, then the
 * included resources; `Bundle.total` and `entry.search` are not set (`GPConnect-Searchset-Bundle-1`
 * forbids them, max 0).
 *
 * @module
 */
import type { PracticeData } from "../practice/practice-data.ts";
import {
  gpConnectLocation,
  gpConnectOrganization,
  gpConnectPractitioner,
} from "../practice/practice-resources.ts";
import { restrictionAllows, slotIsFree } from "./slot-availability.ts";
import type { CalendarSlot } from "./slot-calendar.ts";
import type { SlotQuery } from "./slot-search-params.ts";
import { appointmentUrls, scheduleResource, slotResource } from "./slot-resources.ts";
import { formatUkDateTime } from "./uk-time.ts";

/** What {@linkcode freeSlotsBundle} needs besides the query. */
export interface FreeSlotsContext {
  /** The calendar's slots within the query period. */
  readonly slots: readonly CalendarSlot[];
  readonly bookedSlotIds: ReadonlySet<string>;
  readonly practice: PracticeData;
  /** Absolute URL of the service root, for `fullUrl`s. */
  readonly rootUrl: string;
  readonly bundleId: string;
  readonly now: Date;
}

type Entry = { fullUrl: string; resource: Record<string, unknown> };

/**
 * The searchset for a checked query.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "../practice/practice-data.ts";
 * import { calendar, wednesday } from "./appointments-test-kit.ts";
 * import { slotQuery } from "./slot-search-params.ts";
 * const query = slotQuery(
 *   new URLSearchParams("start=ge2025-01-16&end=le2025-01-17&status=free&_include=Slot:schedule"),
 * );
 * const bundle = freeSlotsBundle(query, {
 *   slots: calendar.slotsWithin(query.from, query.to),
 *   bookedSlotIds: new Set(),
 *   practice: practiceData,
 *   rootUrl: "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/fhir",
 *   bundleId: crypto.randomUUID(),
 *   now: wednesday,
 * });
 * assert.equal(bundle.type, "searchset");
 * ```
 */
export function freeSlotsBundle(
  query: SlotQuery,
  context: FreeSlotsContext,
): Record<string, unknown> {
  const consumer = { organisationTypes: query.organisationTypes, odsCodes: query.odsCodes };
  const slots = context.slots.filter((slot) =>
    slotIsFree(slot, context.bookedSlotIds) && restrictionAllows(slot.variant.restriction, consumer)
  );
  const entry = (resource: Record<string, unknown>): Entry => ({
    fullUrl: `${context.rootUrl}/${String(resource.resourceType)}/${String(resource.id)}`,
    resource,
  });

  const entries: Entry[] = slots.map((slot) => entry(slotResource(slot, "free")));
  const schedules = new Map(slots.map((slot) => [slot.schedule.id, slot.schedule]));
  for (const schedule of schedules.values()) {
    entries.push(entry(scheduleResource(schedule)));
  }

  const practitionerIds = new Set([...schedules.values()].map((s) => s.template.practitionerId));
  const locationIds = new Set([...schedules.values()].map((s) => s.template.locationId));
  const locations = context.practice.locations.filter((location) => locationIds.has(location.id));
  if (query.includePractitioners) {
    for (const practitioner of context.practice.practitioners) {
      if (practitionerIds.has(practitioner.id)) {
        entries.push(entry(gpConnectPractitioner(practitioner)));
      }
    }
  }
  if (query.includeLocations) {
    for (const location of locations) entries.push(entry(gpConnectLocation(location)));
  }
  const organizationIds = new Set(locations.map((location) => location.managingOrganizationId));
  for (const organization of context.practice.organizations) {
    if (organizationIds.has(organization.id)) {
      entries.push(entry(gpConnectOrganization(organization)));
    }
  }

  return {
    resourceType: "Bundle",
    id: context.bundleId,
    meta: {
      lastUpdated: formatUkDateTime(context.now),
      profile: [appointmentUrls.searchsetProfile],
    },
    type: "searchset",
    ...(entries.length > 0 ? { entry: entries } : {}),
  };
}
