/**
 * What a Book appointment request must look like before its references are looked at (GPC-1.6
 * `appointments_use_case_book_an_appointment`, profile `GPConnect-Appointment-1`, PT-1.6
 * `AppointmentBook.feature`). Every failure is 422 INVALID_RESOURCE with a diagnostic naming the
 * element:
 *
 * - `meta.profile` names GPConnect-Appointment-1; `status` is `booked`;
 * - `start`, `end` (instants with offset, end after start) and `created` (date and time);
 * - `description` (≤ 100 characters) and optional `comment` (≤ 500), the limits consumers must
 *   impose and this provider stores without truncating;
 * - no `reason`, `specialty` (spec: MUST NOT) nor the elements the profile sets to 0..0;
 * - identifiers with `system` and `value`; no `modifierExtension`;
 * - one or more `slot` references `Slot/{id}`;
 * - participants each with a relative `actor.reference` and a `status`, exactly one Patient and
 *   at least one Location;
 * - the `bookingOrganisation` extension referencing a contained Organization with an ODS code
 *   identifier, `name` and `telecom`; only the GP Connect extensions of the profile.
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { ProviderError } from "../provider-error.ts";
import { isJsonObject } from "../../../gpconnect/json-object.ts";
import type { Json } from "./appointment-body.ts";
import { organisationTypeSystem } from "../practice/practice-resources.ts";
import { appointmentUrls } from "./slot-resources.ts";

/** A participant actor reference, split. */
export interface ParticipantRef {
  readonly type: string;
  readonly id: string;
}

/** The parts of a well-shaped booking request the booking needs. */
export interface AppointmentShape {
  readonly start: Date;
  readonly end: Date;
  readonly created: Date;
  readonly slotIds: readonly string[];
  readonly participants: readonly ParticipantRef[];
  /** The booking organisation's ODS codes and organisation types. */
  readonly consumer: { readonly odsCodes: string[]; readonly organisationTypes: string[] };
  /** Extensions by URL. */
  readonly extensions: ReadonlyMap<string, Json>;
}

/** Limits consumers must impose (GPC-1.6 book an appointment) and this provider stores. */
export const textLimits = { description: 100, comment: 500 } as const;

const forbidden = [
  "reason",
  "specialty",
  "appointmentType",
  "indication",
  "supportingInformation",
  "incomingReferral",
  "requestedPeriod",
  "modifierExtension",
] as const;
const participantStatuses = new Set(["accepted", "declined", "tentative", "needs-action"]);
const knownExtensions = new Set<string>([
  appointmentUrls.bookingOrganisation,
  appointmentUrls.practitionerRole,
  appointmentUrls.deliveryChannel,
]);

/** Throws 422 INVALID_RESOURCE with the diagnostic. */
export function invalidResource(diagnostics: string): never {
  throw new ProviderError("INVALID_RESOURCE", diagnostics);
}

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A FHIR instant (date, time and offset), or `undefined`. */
export function parseInstant(value: unknown): Date | undefined {
  if (typeof value !== "string" || !instantPattern.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Checks `meta.profile` names GPConnect-Appointment-1. */
export function checkProfile(appointment: Json): void {
  const profiles = isJsonObject(appointment.meta) ? appointment.meta.profile : undefined;
  if (!Array.isArray(profiles) || !profiles.includes(appointmentUrls.appointmentProfile)) {
    invalidResource(`meta.profile must include ${appointmentUrls.appointmentProfile}`);
  }
}

/** Checks `description` and `comment` against {@linkcode textLimits}. */
export function checkTexts(appointment: Json): void {
  const { description, comment } = appointment;
  if (typeof description !== "string" || description.trim() === "") {
    invalidResource("description is required");
  }
  if (description.length > textLimits.description) {
    invalidResource(`description is longer than ${textLimits.description} characters`);
  }
  if (
    comment !== undefined && (typeof comment !== "string" || comment.length > textLimits.comment)
  ) {
    invalidResource(`comment must be text of at most ${textLimits.comment} characters`);
  }
}

/** Splits a relative reference `Type/id`; absolute and malformed references are invalid. */
export function relativeReference(value: unknown, what: string): ParticipantRef {
  const match = typeof value === "string"
    ? /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(value)
    : null;
  if (!match) invalidResource(`${what} must be a relative reference Type/id, got ${String(value)}`);
  return { type: match[1]!, id: match[2]! };
}

function participantsOf(appointment: Json): ParticipantRef[] {
  const list = appointment.participant;
  if (!Array.isArray(list) || list.length === 0) invalidResource("participant is required");
  const refs = list.map((participant, i) => {
    if (!isJsonObject(participant) || !isJsonObject(participant.actor)) {
      invalidResource(`participant[${i}].actor is required`);
    }
    if (!participantStatuses.has(String(participant.status))) {
      invalidResource(`participant[${i}].status must be accepted|declined|tentative|needs-action`);
    }
    return relativeReference(participant.actor.reference, `participant[${i}].actor.reference`);
  });
  if (refs.filter((ref) => ref.type === "Patient").length !== 1) {
    invalidResource("Exactly one Patient participant is required");
  }
  if (!refs.some((ref) => ref.type === "Location")) {
    invalidResource("A Location participant (where the appointment takes place) is required");
  }
  return refs;
}

function slotIdsOf(appointment: Json): string[] {
  const slots = appointment.slot;
  if (!Array.isArray(slots) || slots.length === 0) invalidResource("slot is required");
  return slots.map((slot, i) => {
    const ref = relativeReference(isJsonObject(slot) ? slot.reference : undefined, `slot[${i}]`);
    if (ref.type !== "Slot") invalidResource(`slot[${i}] must reference a Slot`);
    return ref.id;
  });
}

function extensionsOf(appointment: Json, allowed: ReadonlySet<string>): Map<string, Json> {
  const extensions = new Map<string, Json>();
  const list = appointment.extension ?? [];
  if (!Array.isArray(list)) invalidResource("extension must be a list");
  for (const extension of list) {
    const url = isJsonObject(extension) ? extension.url : undefined;
    if (typeof url !== "string" || !allowed.has(url)) {
      invalidResource(`Extension ${String(url)} is not allowed on GPConnect-Appointment-1`);
    }
    if (extensions.has(url)) invalidResource(`Extension ${url} may appear only once`);
    extensions.set(url, extension as Json);
  }
  return extensions;
}

function bookingOrganisation(appointment: Json, extension: Json | undefined) {
  if (!extension) invalidResource("The bookingOrganisation extension is required");
  const reference = isJsonObject(extension.valueReference)
    ? extension.valueReference.reference
    : "";
  const contained = Array.isArray(appointment.contained) ? appointment.contained : [];
  const organization = typeof reference === "string" && reference.startsWith("#")
    ? contained.find((resource) => isJsonObject(resource) && `#${resource.id}` === reference)
    : undefined;
  if (!isJsonObject(organization) || organization.resourceType !== "Organization") {
    invalidResource("bookingOrganisation must reference a contained Organization (#id)");
  }
  if (contained.length !== 1) invalidResource("Only the booking Organization may be contained");
  const identifiers = Array.isArray(organization.identifier) ? organization.identifier : [];
  const odsCodes = identifiers.filter((id) =>
    isJsonObject(id) && id.system === identifierSystems.odsOrganizationCode &&
    typeof id.value === "string" && id.value.trim() !== ""
  ).map((id) => String((id as Json).value));
  if (odsCodes.length === 0) invalidResource("The booking Organization needs its ODS code");
  if (typeof organization.name !== "string" || organization.name.trim() === "") {
    invalidResource("The booking Organization needs a name");
  }
  if (!Array.isArray(organization.telecom) || organization.telecom.length === 0) {
    invalidResource("The booking Organization needs telecom details");
  }
  const organisationTypes = (Array.isArray(organization.type) ? organization.type : [])
    .flatMap((type) => isJsonObject(type) && Array.isArray(type.coding) ? type.coding : [])
    .filter((coding) => isJsonObject(coding) && coding.system === organisationTypeSystem)
    .map((coding) => String((coding as Json).code));
  return { odsCodes, organisationTypes };
}

/**
 * Checks the shape of a booking request; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bookingForCalendarSlots, upcomingSlot } from "./appointments-test-kit.ts";
 * // A Book appointment request for the first upcoming slot, as the test pack builds one.
 * const shape = appointmentShape(bookingForCalendarSlots([upcomingSlot(() => true)]));
 * assert.deepEqual(shape.participants.map((participant) => participant.type), [
 *   "Patient",
 *   "Location",
 * ]);
 * ```
 */
export function appointmentShape(appointment: Json): AppointmentShape {
  checkProfile(appointment);
  if (appointment.status !== "booked") invalidResource("status must be booked");
  for (const element of forbidden) {
    if (appointment[element] !== undefined) invalidResource(`${element} must not be sent`);
  }
  const start = parseInstant(appointment.start);
  const end = parseInstant(appointment.end);
  if (!start || !end) invalidResource("start and end must be instants with a time-zone offset");
  if (end <= start) invalidResource("end must be after start");
  const created = parseInstant(appointment.created);
  if (!created) invalidResource("created must be a date and time with a time-zone offset");
  checkTexts(appointment);
  for (const element of ["priority", "minutesDuration"] as const) {
    const value = appointment[element];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) {
      invalidResource(`${element} must be a whole number`);
    }
  }
  const identifiers = appointment.identifier ?? [];
  if (
    !Array.isArray(identifiers) ||
    identifiers.some((id) => !isJsonObject(id) || typeof id.system !== "string" || !id.value)
  ) invalidResource("Every identifier needs a system and a value");
  const extensions = extensionsOf(appointment, knownExtensions);
  return {
    start,
    end,
    created,
    slotIds: slotIdsOf(appointment),
    participants: participantsOf(appointment),
    consumer: bookingOrganisation(appointment, extensions.get(appointmentUrls.bookingOrganisation)),
    extensions,
  };
}
