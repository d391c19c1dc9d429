/**
 * What Amend and Cancel may change (GPC-1.6 `appointments_use_case_amend_an_appointment`,
 * `…_cancel_an_appointment`; PT-1.6 `AppointmentCancel.feature`): the request is the stored
 * Appointment with only these changes —
 *
 * - amend: `description` and/or `comment` (within {@linkcode textLimits});
 * - cancel: `status` → `cancelled` plus the cancellation-reason extension.
 *
 * Any other difference → 422 INVALID_RESOURCE naming the elements. A cancellation without a
 * reason (extension absent, or present without text) → 422 INVALID_PARAMETER (PT "missing
 * cancellation extension reason").
 *
 * Elements the provider populated — `serviceCategory`, `serviceType`, the practitioner-role and
 * delivery-channel extensions, a practitioner participant it added — may be left out of the
 * request (PT "backwards compatibility with consumers that do not send serviceCategory and
 * serviceType") but not changed. `id`, `meta` and narrative `text` are not compared; dates are
 * compared as instants; participants and extensions in any order.
 *
 * @module
 */
import { ProviderError } from "../provider-error.ts";
import { isJsonObject } from "../../../gpconnect/json-object.ts";
import type { Json } from "./appointment-body.ts";
import { checkTexts, invalidResource, parseInstant } from "./appointment-shape.ts";
import type { AppointmentRecord } from "./appointment-store.ts";
import { appointmentUrls } from "./slot-resources.ts";

const ignored = new Set(["resourceType", "id", "meta", "text"]);
const providerElements = ["serviceCategory", "serviceType"];
const providerExtensions = new Set<string>([
  appointmentUrls.practitionerRole,
  appointmentUrls.deliveryChannel,
]);
const dateElements = new Set(["start", "end", "created"]);
const unordered = new Set(["participant", "extension"]);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function comparable(key: string, value: unknown): string {
  if (dateElements.has(key)) {
    const instant = parseInstant(value);
    return instant ? instant.toISOString() : canonical(value);
  }
  if (unordered.has(key) && Array.isArray(value)) return canonical(value.map(canonical).sort());
  return canonical(value);
}

/** The elements of `request` that differ from the stored appointment, `allowed` aside. */
function changedElements(request: Json, record: AppointmentRecord, allowed: ReadonlySet<string>) {
  const stored: Json = { ...record.resource };
  for (const key of providerElements) if (request[key] === undefined) delete stored[key];
  const sentUrls = new Set(
    (Array.isArray(request.extension) ? request.extension : [])
      .map((extension) => isJsonObject(extension) ? extension.url : undefined),
  );
  stored.extension = (stored.extension as Json[]).filter((extension) =>
    !providerExtensions.has(String(extension.url)) || sentUrls.has(extension.url)
  );
  const sentReferences = new Set(
    (Array.isArray(request.participant) ? request.participant : [])
      .map((participant) =>
        isJsonObject(participant) && isJsonObject(participant.actor)
          ? participant.actor.reference
          : undefined
      ),
  );
  stored.participant = (stored.participant as Json[]).filter((participant) => {
    const reference = (participant.actor as Json).reference;
    return !record.addedParticipants.includes(String(reference)) || sentReferences.has(reference);
  });
  const keys = new Set([...Object.keys(stored), ...Object.keys(request)]);
  return [...keys].filter((key) =>
    !ignored.has(key) && !allowed.has(key) &&
    comparable(key, request[key]) !== comparable(key, stored[key])
  );
}

function rejectChanges(changed: readonly string[], what: string): void {
  if (changed.length > 0) {
    invalidResource(`${what}; these elements differ from the appointment: ${changed.join(", ")}`);
  }
}

/**
 * The amended description and comment; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bookedAppointment } from "./appointments-test-kit.ts";
 * const { record } = await bookedAppointment();
 * const request = { ...record.resource, id: record.id, description: "Follow-up call" };
 * assert.deepEqual(amendment(request, record), {
 *   description: "Follow-up call",
 *   comment: undefined,
 * });
 * ```
 */
export function amendment(
  request: Json,
  record: AppointmentRecord,
): { description: string; comment: string | undefined } {
  rejectChanges(
    changedElements(request, record, new Set(["description", "comment"])),
    "Only description and comment may be amended",
  );
  checkTexts(request);
  return {
    description: request.description as string,
    comment: request.comment as string | undefined,
  };
}

/**
 * The cancellation reason extension of a cancel request; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bookedAppointment } from "./appointments-test-kit.ts";
 * import { appointmentUrls } from "./slot-resources.ts";
 * const { record } = await bookedAppointment();
 * const reason = { url: appointmentUrls.cancellationReason, valueString: "Patient unwell" };
 * const request = {
 *   ...record.resource,
 *   id: record.id,
 *   status: "cancelled",
 *   extension: [...(record.resource.extension as unknown[]), reason],
 * };
 * assert.deepEqual(cancellation(request, record), reason);
 * ```
 */
export function cancellation(request: Json, record: AppointmentRecord): Json {
  const extensions = Array.isArray(request.extension) ? request.extension : [];
  const reasons = extensions.filter((extension) =>
    isJsonObject(extension) && extension.url === appointmentUrls.cancellationReason
  ) as Json[];
  const others = extensions.filter((extension) => !reasons.includes(extension as Json));
  rejectChanges(
    changedElements({ ...request, extension: others }, record, new Set(["status"])),
    "Only status and the cancellation reason may change when cancelling",
  );
  if (request.status !== "cancelled") invalidResource("status must be cancelled");
  const reason = reasons[0]?.valueString;
  if (reasons.length !== 1 || typeof reason !== "string" || reason.trim() === "") {
    throw new ProviderError(
      "INVALID_PARAMETER",
      "A cancellation needs one cancellation-reason extension with the reason as valueString",
    );
  }
  return { url: appointmentUrls.cancellationReason, valueString: reason };
}
