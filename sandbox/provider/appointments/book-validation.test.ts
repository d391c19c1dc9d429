import assert from "node:assert/strict";
import {
  type AnyJson,
  book,
  bookingForCalendarSlots as request,
  calendar,
  errorCode,
  kit,
  upcomingSlot as slotWhere,
  urls,
  wednesday,
} from "./appointments-test-kit.ts";
import { formatUkDateTime } from "./uk-time.ts";

const plain = slotWhere((s) => s.index === 0);

type Mutation = [string, (a: AnyJson) => unknown, number, string];

Deno.test("book: each validation rule", async () => {
  const k = kit();
  const other = slotWhere((s) => s.schedule.id !== plain.schedule.id && s.index === 0);
  const cases: Mutation[] = [
    ["another resource type", (a) => ({ ...a, resourceType: "Bundle" }), 422, "INVALID_RESOURCE"],
    ["an element FHIR lacks", (a) => ({ ...a, invalidField: "x" }), 400, "BAD_REQUEST"],
    ["an id", (a) => ({ ...a, id: "ZZ" }), 400, "BAD_REQUEST"],
    ["no profile", (a) => ({ ...a, meta: undefined }), 422, "INVALID_RESOURCE"],
    ["no status", (a) => ({ ...a, status: undefined }), 422, "INVALID_RESOURCE"],
    ["status pending", (a) => ({ ...a, status: "pending" }), 422, "INVALID_RESOURCE"],
    ["no start", (a) => ({ ...a, start: undefined }), 422, "INVALID_RESOURCE"],
    ["no end", (a) => ({ ...a, end: undefined }), 422, "INVALID_RESOURCE"],
    ["end before start", (a) => ({ ...a, end: a.start }), 422, "INVALID_RESOURCE"],
    ["no slot", (a) => ({ ...a, slot: undefined }), 422, "INVALID_RESOURCE"],
    ["no description", (a) => ({ ...a, description: undefined }), 422, "INVALID_RESOURCE"],
    ["long description", (a) => ({ ...a, description: "x".repeat(101) }), 422, "INVALID_RESOURCE"],
    ["long comment", (a) => ({ ...a, comment: "x".repeat(501) }), 422, "INVALID_RESOURCE"],
    ["no created", (a) => ({ ...a, created: undefined }), 422, "INVALID_RESOURCE"],
    ["a reason", (a) => ({ ...a, reason: { text: "x" } }), 422, "INVALID_RESOURCE"],
    ["a specialty", (a) => ({ ...a, specialty: { text: "x" } }), 422, "INVALID_RESOURCE"],
    [
      "identifier without value",
      (a) => ({ ...a, identifier: [{ system: "urn:x" }] }),
      422,
      "INVALID_RESOURCE",
    ],
    ["no patient", (a) => ({ ...a, participant: a.participant.slice(1) }), 422, "INVALID_RESOURCE"],
    [
      "no location",
      (a) => ({ ...a, participant: a.participant.slice(0, 1) }),
      422,
      "INVALID_RESOURCE",
    ],
    ["no participants", (a) => ({ ...a, participant: [] }), 422, "INVALID_RESOURCE"],
    [
      "participant without status",
      (a) => ({
        ...a,
        participant: a.participant.map((p: AnyJson) => ({ actor: p.actor })),
      }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "absolute reference",
      (a) => ({
        ...a,
        participant: [
          { actor: { reference: "https://x.nhs.uk/Patient/1" }, status: "accepted" },
          a.participant[1],
        ],
      }),
      422,
      "INVALID_RESOURCE",
    ],
    ["no booking organisation", (a) => ({ ...a, extension: [] }), 422, "INVALID_RESOURCE"],
    [
      "booking organisation without name",
      (a) => ({
        ...a,
        contained: [{ ...a.contained[0], name: undefined }],
      }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "booking organisation without telecom",
      (a) => ({
        ...a,
        contained: [{ ...a.contained[0], telecom: undefined }],
      }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "booking organisation without ODS code",
      (a) => ({
        ...a,
        contained: [{ ...a.contained[0], identifier: [] }],
      }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "an unknown extension",
      (a) => ({
        ...a,
        extension: [...a.extension, { url: "https://example.org/x", valueString: "x" }],
      }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "a cancellation reason",
      (a) => ({
        ...a,
        extension: [...a.extension, { url: urls.cancellationReason, valueString: "x" }],
      }),
      422,
      "INVALID_RESOURCE",
    ],
    ["Slot/hello", (a) => ({ ...a, slot: [{ reference: "Slot/hello" }] }), 422, "INVALID_RESOURCE"],
    [
      "Slot/45555g55555",
      (a) => ({ ...a, slot: [{ reference: "Slot/45555g55555" }] }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "an unknown slot",
      (a) => ({ ...a, slot: [{ reference: "Slot/99999999" }] }),
      422,
      "REFERENCE_NOT_FOUND",
    ],
    [
      "an unknown patient",
      (a) => ({
        ...a,
        participant: [
          { actor: { reference: "Patient/999" }, status: "accepted" },
          a.participant[1],
        ],
      }),
      422,
      "REFERENCE_NOT_FOUND",
    ],
    [
      "a sensitive patient",
      (a) => ({
        ...a,
        participant: [{ actor: { reference: "Patient/9" }, status: "accepted" }, a.participant[1]],
      }),
      422,
      "REFERENCE_NOT_FOUND",
    ],
    [
      "an unknown location",
      (a) => ({
        ...a,
        participant: [a.participant[0], {
          actor: { reference: "Location/99" },
          status: "accepted",
        }],
      }),
      422,
      "REFERENCE_NOT_FOUND",
    ],
    [
      "another location",
      (a) => ({
        ...a,
        participant: [a.participant[0], { actor: { reference: "Location/3" }, status: "accepted" }],
      }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "another practitioner",
      (a) => ({
        ...a,
        participant: [...a.participant, {
          actor: { reference: "Practitioner/4" },
          status: "accepted",
        }],
      }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "times not the slot's",
      (a) => ({ ...a, end: formatUkDateTime(new Date(plain.end.getTime() + 60_000)) }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "a delivery channel not the slot's",
      (a) => ({
        ...a,
        extension: [...a.extension, { url: urls.deliveryChannel, valueCode: "Video" }],
      }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "a service type not the slot's",
      (a) => ({ ...a, serviceType: [{ text: "Other" }] }),
      422,
      "INVALID_RESOURCE",
    ],
    ["slots not adjacent", () => request([plain, other]), 422, "INVALID_RESOURCE"],
    [
      "a slot not bookable over GP Connect",
      () => request([slotWhere((s) => !s.variant.gpcBookable)]),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "a slot reserved for urgent care",
      () =>
        request([slotWhere((s) => s.variant.restriction?.organisationTypes !== undefined)], {
          organisationType: "gp-practice",
        }),
      422,
      "INVALID_RESOURCE",
    ],
    [
      "a slot in the past",
      () => {
        const past = calendar.slotsWithin(new Date("2025-01-13T00:00:00Z"), wednesday)
          .find((s) => s.index === 0)!;
        return request([past]);
      },
      422,
      "INVALID_RESOURCE",
    ],
  ];
  for (const [name, mutate, status, code] of cases) {
    const res = await k.call("book", "POST", "/Appointment", { body: mutate(request([plain])) });
    assert.equal(res.status, status, name);
    assert.equal(await errorCode(res), code, name);
  }
  const notJson = await k.call("book", "POST", "/Appointment", { body: "{not json" });
  assert.equal(notJson.status, 400);
  assert.equal(await errorCode(notJson), "BAD_REQUEST");
  assert.equal((await book(k, request([plain]))).id, "1", "after all that, the slot is still free");
});
