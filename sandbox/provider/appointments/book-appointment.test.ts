import assert from "node:assert/strict";
import { fhirJsonToXml } from "../../../gpconnect/xml.ts";
import {
  type AnyJson,
  book,
  bookingFor,
  bookingForCalendarSlots,
  calendar,
  errorCode,
  freeSlots,
  kit,
  resourcesOf,
  upcomingSlot,
  urls,
} from "./appointments-test-kit.ts";
import { formatUkDateTime } from "./uk-time.ts";
const slotWhere = upcomingSlot;
const request = bookingForCalendarSlots;
const plain = slotWhere((s) => s.index === 0);

Deno.test("book: 201 with Location, ETag and the stored appointment; the slot is no longer free", async () => {
  const k = kit();
  const bundle = await freeSlots(k, `&searchFilter=${urls.organisationType}|urgent-care`);
  const appointment = bookingFor(bundle, { patientId: "2" });
  const res = await k.call("book", "POST", "/Appointment", { body: appointment });
  assert.equal(res.status, 201);
  assert.equal(
    res.headers.get("Location"),
    "http://localhost/B82617/STU3/1/gpconnect/fhir/Appointment/1/_history/1",
  );
  assert.equal(res.headers.get("ETag"), 'W/"1"');
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  const created: AnyJson = await res.json();
  assert.equal(created.id, "1");
  assert.equal(created.meta.versionId, "1");
  assert.deepEqual(created.meta.profile, [urls.appointmentProfile]);
  assert.equal(created.status, "booked");
  assert.equal(created.start, appointment.start);
  assert.equal(created.end, appointment.end);
  assert.equal(created.created, "2025-01-15T09:59:00+00:00");
  assert.equal(created.description, "Default Description");
  assert.deepEqual(created.contained, appointment.contained);
  const slot = resourcesOf(bundle, "Slot")[0]!;
  assert.deepEqual(created.serviceType, slot.serviceType);
  assert.ok(created.serviceCategory.text);
  const extensionUrls = created.extension.map((e: AnyJson) => e.url);
  assert.deepEqual(extensionUrls, [
    urls.bookingOrganisation,
    urls.practitionerRole,
    urls.deliveryChannel,
  ]);
  assert.equal(created.extension[2].valueCode, slot.extension[0].valueCode);
  assert.ok(
    created.participant.some((p: AnyJson) => p.actor.reference.startsWith("Practitioner/")),
  );
  assert.equal(created.reason, undefined);
  assert.equal(created.specialty, undefined);
  const after = resourcesOf(
    await freeSlots(k, `&searchFilter=${urls.organisationType}|urgent-care`),
    "Slot",
  );
  assert.ok(!after.some((s) => s.id === slot.id));
});

Deno.test("book: two adjacent slots of one schedule in one appointment", async () => {
  const k = kit();
  const second = calendar.slotById(plain.id.replace(/00$/, "01"))!;
  const created = await book(k, request([plain, second]));
  assert.deepEqual(created.slot, [{ reference: `Slot/${plain.id}` }, {
    reference: `Slot/${second.id}`,
  }]);
  assert.equal(created.end, formatUkDateTime(second.end));
  const res = await k.call("book", "POST", "/Appointment", {
    body: request([second], { patientId: "3" }),
  });
  assert.equal(res.status, 409);
});

Deno.test("book: Prefer return=minimal gives an empty 201; XML bodies are read", async () => {
  const k = kit();
  const minimal = await k.call("book", "POST", "/Appointment", {
    body: request([plain]),
    headers: { Prefer: "return=minimal" },
  });
  assert.equal(minimal.status, 201);
  assert.equal(await minimal.text(), "");
  assert.match(minimal.headers.get("Location") ?? "", /\/Appointment\/1\/_history\/1$/);
  const xml = await k.call("book", "POST", "/Appointment", {
    body: fhirJsonToXml(request([slotWhere((s) => s.index === 1 && s.id !== plain.id)])),
    headers: { "Content-Type": "application/fhir+xml", Accept: "application/fhir+xml" },
  });
  assert.equal(xml.status, 201, await xml.clone().text());
  assert.match(await xml.text(), /<Appointment xmlns="http:\/\/hl7.org\/fhir"><id value="2"\/>/);
});

Deno.test("book: the same slot twice → 201 then 409 DUPLICATE_REJECTED; busy slots → 409", async () => {
  const k = kit();
  await book(k, request([plain]));
  const again = await k.call("book", "POST", "/Appointment", {
    body: request([plain], { patientId: "2" }),
  });
  assert.equal(again.status, 409);
  assert.equal(await errorCode(again), "DUPLICATE_REJECTED");
  const busy = await k.call("book", "POST", "/Appointment", {
    body: request([slotWhere((s) => s.variant.busy)]),
  });
  assert.equal(busy.status, 409);
  assert.equal(await errorCode(busy), "DUPLICATE_REJECTED");
});

Deno.test("book: concurrent bookings of one slot → exactly one 201 and one 409", async () => {
  const k = kit();
  const responses = await Promise.all(
    ["1", "2", "3", "5"].map((patientId) =>
      k.call("book", "POST", "/Appointment", { body: request([plain], { patientId }) })
    ),
  );
  const statuses = responses.map((res) => res.status).sort();
  assert.deepEqual(statuses, [201, 409, 409, 409]);
});

Deno.test("book: restricted slots are open to the organisations named", async () => {
  const k = kit();
  const urgent = slotWhere((s) =>
    s.variant.restriction?.organisationTypes !== undefined && !s.variant.busy
  );
  const ods = slotWhere((s) => s.variant.restriction?.odsCodes !== undefined && !s.variant.busy);
  assert.equal((await book(k, request([urgent]))).status, "booked");
  assert.equal((await book(k, request([ods], { organisationType: null }))).status, "booked");
});
