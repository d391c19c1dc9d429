/**
 * Test helpers for Appointment Management: a provider sandbox at a fixed clock, well-formed
 * requests for each interaction (headers from {@linkcode providerRequestHeaders}), and a booking
 * built from a free-slots bundle the way NHS England's test pack builds it
 * (`DefaultAppointmentBuilder`: first slot, its schedule's location, a contained booking
 * Organization with ODS code, type, name and telecom). Builders only; tests do the judging.
 *
 * @module
 */
import { practiceData } from "../practice/practice-data.ts";
import type { ProviderStore } from "../provider-store.ts";
import { inMemoryProviderStore } from "../provider-store.ts";
import { providerRequestHeaders } from "../provider-request.ts";
import { createProviderSandbox } from "../provider-sandbox.ts";
import { appointmentShape } from "./appointment-shape.ts";
import {
  type AppointmentRecord,
  type AppointmentStore,
  appointmentStore,
} from "./appointment-store.ts";
import { bookAppointment } from "./appointment-writes.ts";
import { bookingPlan } from "./booking-plan.ts";
import { type CalendarSlot, slotCalendar } from "./slot-calendar.ts";
import { formatUkDateTime } from "./uk-time.ts";

/** Loosely typed JSON for assertions. */
// deno-lint-ignore no-explicit-any
export type AnyJson = Record<string, any>;

/** The foundations root of the sandbox practice. */
export const root = "/B82617/STU3/1/gpconnect/fhir";

/** Wednesday 15 January 2025, 10:00 UK time. */
export const wednesday = new Date("2025-01-15T10:00:00Z");

/** The interaction URNs of Appointment Management. */
export const interactions = {
  slots: "urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1",
  book: "urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1",
  read: "urn:nhs:names:services:gpconnect:fhir:rest:read:appointment-1",
  patientAppointments: "urn:nhs:names:services:gpconnect:fhir:rest:search:patient_appointments-1",
  amend: "urn:nhs:names:services:gpconnect:fhir:rest:update:appointment-1",
  cancel: "urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1",
} as const;

const stu3 = "https://fhir.nhs.uk/STU3";

/** Profile, extension and system URLs the requests use (written out, not imported). */
export const urls = {
  appointmentProfile: `${stu3}/StructureDefinition/GPConnect-Appointment-1`,
  bookingOrganisation: `${stu3}/StructureDefinition/Extension-GPConnect-BookingOrganisation-1`,
  cancellationReason:
    `${stu3}/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1`,
  deliveryChannel: `${stu3}/StructureDefinition/Extension-GPConnect-DeliveryChannel-2`,
  practitionerRole: `${stu3}/StructureDefinition/Extension-GPConnect-PractitionerRole-1`,
  organisationType: `${stu3}/CodeSystem/GPConnect-OrganisationType-1`,
  ods: "https://fhir.nhs.uk/Id/ods-organization-code",
} as const;

/** A sandbox at a fixed clock with request helpers. */
export interface Kit {
  readonly now: Date;
  readonly store: ProviderStore;
  /** A request to `root + path` for an interaction; `body` is JSON-encoded unless a string. */
  readonly call: (
    interaction: keyof typeof interactions,
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string | null> },
  ) => Promise<Response>;
}

/** A provider sandbox whose clock reads `now`. */
export function kit(now: Date = wednesday, store: ProviderStore = inMemoryProviderStore()): Kit {
  const app = createProviderSandbox({ now: () => now, store });
  return {
    now,
    store,
    call(interaction, method, path, options = {}) {
      const headers = providerRequestHeaders(interactions[interaction], {
        issuedAt: Math.floor(now.getTime() / 1000),
        overrides: {
          ...(options.body === undefined ? {} : { "Content-Type": "application/fhir+json" }),
          ...options.headers,
        },
      });
      const body = options.body === undefined
        ? undefined
        : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
      return Promise.resolve(
        app.request(`${root}${path}`, { method, headers, ...(body === undefined ? {} : { body }) }),
      );
    },
  };
}

/** `yyyy-mm-dd` of `now` plus `days` (UTC date; the test clocks sit mid-day). */
export function dayOffset(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A Search for free slots query string from `start`/`end` dates plus extra parameters. */
export function slotQuery(start: string, end: string, extra = ""): string {
  return `/Slot?start=ge${start}&end=le${end}&status=free&_include=Slot:schedule${extra}`;
}

/** The free-slots bundle for the next `days` days from tomorrow (with every include). */
export async function freeSlots(k: Kit, extra = "", days = 7): Promise<AnyJson> {
  const res = await k.call(
    "slots",
    "GET",
    slotQuery(dayOffset(k.now, 1), dayOffset(k.now, days), extra),
  );
  if (res.status !== 200) throw new Error(`slot search ${res.status}: ${await res.text()}`);
  return await res.json();
}

/** The resources of a bundle of one type. */
export function resourcesOf(bundle: AnyJson, type: string): AnyJson[] {
  return (bundle.entry ?? []).map((e: AnyJson) => e.resource).filter((r: AnyJson) =>
    r.resourceType === type
  );
}

/** Options for the booking builders. */
export interface BookingOptions {
  readonly patientId?: string;
  /** The booking organisation's type; `null` leaves `type` out. Default `urgent-care`. */
  readonly organisationType?: string | null;
}

/** A Book appointment request for slots given by id and UK local times, at a location. */
export function bookingForSlots(
  slots: ReadonlyArray<{ id: string; start: string; end: string }>,
  locationReference: string,
  options: BookingOptions = {},
): AnyJson {
  const organisationType = options.organisationType === undefined
    ? "urgent-care"
    : options.organisationType;
  return {
    resourceType: "Appointment",
    meta: { profile: [urls.appointmentProfile] },
    contained: [{
      resourceType: "Organization",
      id: "1",
      identifier: [{ system: urls.ods, value: "A20047" }],
      ...(organisationType === null ? {} : {
        type: [{ coding: [{ system: urls.organisationType, code: organisationType }] }],
      }),
      name: "Test Suite Validator",
      telecom: [{ system: "phone", value: "01823938938", use: "temp" }],
    }],
    extension: [{ url: urls.bookingOrganisation, valueReference: { reference: "#1" } }],
    status: "booked",
    description: "Default Description",
    start: slots[0]!.start,
    end: slots.at(-1)!.end,
    slot: slots.map((slot) => ({ reference: `Slot/${slot.id}` })),
    created: "2025-01-15T09:59:00+00:00",
    participant: [
      { actor: { reference: `Patient/${options.patientId ?? "1"}` }, status: "accepted" },
      { actor: { reference: locationReference }, status: "accepted" },
    ],
  };
}

/** A Book appointment request for slots of a free-slots bundle (default: its first slot). */
export function bookingFor(
  bundle: AnyJson,
  options: BookingOptions & { slots?: AnyJson[] } = {},
): AnyJson {
  const slots: AnyJson[] = options.slots ?? [resourcesOf(bundle, "Slot")[0]!];
  const schedule = resourcesOf(bundle, "Schedule").find((s) =>
    `Schedule/${s.id}` === slots[0]!.schedule.reference
  )!;
  const location = schedule.actor.find((a: AnyJson) => a.reference.startsWith("Location/"));
  return bookingForSlots(
    slots.map((slot) => ({ id: slot.id, start: slot.start, end: slot.end })),
    location.reference,
    options,
  );
}

/** The calendar at {@linkcode wednesday}. */
export const calendar = slotCalendar(() => wednesday);

/** The first slot from Thursday 16 to Friday 24 January 2025 that passes `test`. */
export function upcomingSlot(test: (slot: CalendarSlot) => boolean): CalendarSlot {
  const upcoming = calendar.slotsWithin(
    new Date("2025-01-16T00:00:00Z"),
    new Date("2025-01-25T00:00:00Z"),
  );
  const slot = upcoming.find(test);
  if (!slot) throw new Error("no such upcoming slot");
  return slot;
}

/** A Book appointment request for calendar slots, at their schedule's location. */
export function bookingForCalendarSlots(
  slots: readonly CalendarSlot[],
  options: BookingOptions = {},
): AnyJson {
  return bookingForSlots(
    slots.map((s) => ({
      id: s.id,
      start: formatUkDateTime(s.start),
      end: formatUkDateTime(s.end),
    })),
    `Location/${slots[0]!.schedule.template.locationId}`,
    options,
  );
}

/**
 * Patient 1's appointment in the first upcoming slot, booked at {@linkcode wednesday} through the
 * provider's own steps (shape, plan, store) without HTTP, and the store holding it.
 */
export async function bookedAppointment(): Promise<{
  readonly record: AppointmentRecord;
  readonly appointments: AppointmentStore;
}> {
  const appointment = bookingForCalendarSlots([upcomingSlot(() => true)]);
  const plan = bookingPlan(appointment, appointmentShape(appointment), {
    knownPatientIds: new Set(["1"]),
    practice: practiceData,
    calendar,
    now: wednesday,
  });
  const appointments = appointmentStore(inMemoryProviderStore(), "B82617");
  return { record: await bookAppointment(plan, appointments, wednesday), appointments };
}

/** Books an appointment and returns the created resource (throws unless 201). */
export async function book(k: Kit, appointment: AnyJson): Promise<AnyJson> {
  const res = await k.call("book", "POST", "/Appointment", { body: appointment });
  if (res.status !== 201) throw new Error(`book ${res.status}: ${await res.text()}`);
  return await res.json();
}

/** The Spine error code of an OperationOutcome response. */
export async function errorCode(res: Response): Promise<string> {
  const body: AnyJson = await res.json();
  return body.issue?.[0]?.details?.coding?.[0]?.code;
}
