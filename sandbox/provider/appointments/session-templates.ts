/**
 * The practice's weekday rota as plain data: one session (a GP Connect `Schedule`) per template
 * per weekday, each a practitioner at a location with fixed-length slots, and the eight slot
 * variants the slots cycle through. {@linkcode slotCalendar} turns it into schedules and slots
 * for the days around "now".
 *
 * Variants cover what consumers must cope with (GPC-1.6 search for free slots, slot availability
 * management): free and busy slots, slots not bookable over GP Connect, slots restricted to an
 * organisation type or ODS code, and the In-person / Telephone / Video delivery channels. The
 * first two slots of every session are always plain (free, bookable, unrestricted, In-person, the
 * session's first slot type), so every session offers two adjacent slots that can be booked
 * together.
 *
 * @module
 */

/** A GP Connect delivery channel (`GPConnect-DeliveryChannel-1`). */
export type DeliveryChannel = "In-person" | "Telephone" | "Video";

/** Who may book a slot besides everyone: organisation types and/or ODS codes. */
export interface SlotRestriction {
  readonly organisationTypes?: readonly string[];
  readonly odsCodes?: readonly string[];
}

/** How a slot differs from a plain free slot. */
export interface SlotVariant {
  readonly deliveryChannel: DeliveryChannel;
  /** Booked in the practice's own system (not over GP Connect). */
  readonly busy: boolean;
  /** Offered over GP Connect at all. */
  readonly gpcBookable: boolean;
  readonly restriction?: SlotRestriction;
}

/** A practitioner role (`GPConnect-PractitionerRole-1`, SDS job role names). */
export interface PractitionerRoleCode {
  readonly code: string;
  readonly display: string;
}

/** One weekday session of the rota. */
export interface SessionTemplate {
  /** 1–9; part of schedule and slot ids. */
  readonly key: number;
  readonly practitionerId: string;
  readonly locationId: string;
  /** `Schedule.serviceCategory.text`: the practice's schedule (session) type. */
  readonly serviceCategory: string;
  readonly practitionerRole: PractitionerRoleCode;
  /** Local start, minutes after midnight. */
  readonly startMinutes: number;
  readonly slotMinutes: 10 | 15;
  readonly slotCount: number;
  /** `Slot.serviceType.text` values; a slot takes one by its variant. */
  readonly slotTypes: readonly string[];
}

/** The rota: four sessions per weekday at locations 1 and 2. */
export const sessionTemplates: readonly SessionTemplate[] = [
  {
    key: 1,
    practitionerId: "1",
    locationId: "1",
    serviceCategory: "General GP Appointments",
    practitionerRole: { code: "R0260", display: "General Medical Practitioner" },
    startMinutes: 9 * 60,
    slotMinutes: 15,
    slotCount: 12,
    slotTypes: ["General GP Appointment", "Urgent Appointment", "NHS Health Check"],
  },
  {
    key: 2,
    practitionerId: "2",
    locationId: "2",
    serviceCategory: "Nurse Clinic",
    practitionerRole: { code: "R0600", display: "Specialist Nurse Practitioner" },
    startMinutes: 8 * 60 + 30,
    slotMinutes: 10,
    slotCount: 18,
    slotTypes: ["Nurse Appointment", "Blood Test", "Vaccination"],
  },
  {
    key: 3,
    practitionerId: "3",
    locationId: "1",
    serviceCategory: "General GP Appointments",
    practitionerRole: { code: "R0270", display: "Salaried General Practitioner" },
    startMinutes: 14 * 60,
    slotMinutes: 15,
    slotCount: 12,
    slotTypes: ["General GP Appointment", "Medication Review", "Telephone Consultation"],
  },
  {
    key: 4,
    practitionerId: "4",
    locationId: "2",
    serviceCategory: "Extended Access",
    practitionerRole: { code: "R6300", display: "Sessional GP" },
    startMinutes: 13 * 60 + 30,
    slotMinutes: 10,
    slotCount: 15,
    slotTypes: ["Extended Hours Appointment", "Urgent Appointment"],
  },
];

/** The eight variants slots cycle through (index 0 and 1 are plain). */
export const slotVariants: readonly SlotVariant[] = [
  { deliveryChannel: "In-person", busy: false, gpcBookable: true },
  { deliveryChannel: "In-person", busy: false, gpcBookable: true },
  { deliveryChannel: "Telephone", busy: false, gpcBookable: true },
  { deliveryChannel: "In-person", busy: true, gpcBookable: true },
  {
    deliveryChannel: "In-person",
    busy: false,
    gpcBookable: true,
    restriction: { organisationTypes: ["urgent-care"] },
  },
  { deliveryChannel: "Video", busy: false, gpcBookable: true },
  { deliveryChannel: "In-person", busy: false, gpcBookable: false },
  {
    deliveryChannel: "Telephone",
    busy: false,
    gpcBookable: true,
    restriction: { odsCodes: ["A20047"] },
  },
];

/** Days of slots kept before today (for "start in the past" tests) and after it. */
export const calendarWindow = { daysBefore: 7, daysAfter: 28 } as const;
