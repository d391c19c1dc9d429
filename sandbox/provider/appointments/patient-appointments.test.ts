import assert from "node:assert/strict";
import { inMemoryProviderStore } from "../provider-store.ts";
import {
  type AnyJson,
  book,
  bookingForSlots,
  errorCode,
  type Kit,
  kit,
  urls,
  wednesday,
} from "./appointments-test-kit.ts";
import { slotCalendar } from "./slot-calendar.ts";
import { formatUkDateTime } from "./uk-time.ts";

const calendar = slotCalendar(() => wednesday);
const request = (slotId: string, patientId: string) => {
  const slot = calendar.slotById(slotId)!;
  return bookingForSlots(
    [{ id: slot.id, start: formatUkDateTime(slot.start), end: formatUkDateTime(slot.end) }],
    `Location/${slot.schedule.template.locationId}`,
    { patientId },
  );
};
const search = (k: Kit, patientId: string, query: string) =>
  k.call("patientAppointments", "GET", `/Patient/${patientId}/Appointment${query}`);

async function bookings(k: Kit): Promise<AnyJson[]> {
  const later = await book(k, request("20105100", "1")); // Friday 17th
  const earlier = await book(k, request("20104100", "1")); // Thursday 16th
  await book(k, request("20104300", "2"));
  const cancel = await k.call("cancel", "PUT", `/Appointment/${later.id}`, {
    body: {
      ...later,
      status: "cancelled",
      extension: [...later.extension, { url: urls.cancellationReason, valueString: "moved" }],
    },
  });
  assert.equal(cancel.status, 200);
  return [earlier, await cancel.json()];
}

Deno.test("patient appointments: the patient's appointments in the range, cancelled ones too", async () => {
  const k = kit();
  const [earlier, cancelled] = await bookings(k);
  const res = await search(k, "1", "?start=ge2025-01-15&start=le2025-01-31");
  assert.equal(res.status, 200);
  const bundle: AnyJson = await res.json();
  assert.equal(bundle.type, "searchset");
  assert.deepEqual(bundle.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1",
  ]);
  assert.equal((bundle.entry ?? []).length, 2);
  assert.deepEqual(bundle.entry.map((e: AnyJson) => e.resource), [earlier, cancelled]);
  assert.equal(bundle.entry[1].resource.status, "cancelled");
  assert.match(bundle.entry[0].fullUrl, /\/B82617\/STU3\/1\/gpconnect\/fhir\/Appointment\/2$/);
  const one: AnyJson = await (await search(k, "1", "?start=le2025-01-16&start=ge2025-01-16"))
    .json();
  assert.equal((one.entry ?? []).length, 1, "parameter order does not matter; whole days count");
  const none: AnyJson = await (await search(k, "1", "?start=ge2025-01-20&start=le2025-01-31"))
    .json();
  assert.equal((none.entry ?? []).length, 0);
  assert.equal(none.entry, undefined);
  const nobody: AnyJson = await (await search(k, "20", "?start=ge2025-01-15&start=le2025-01-31"))
    .json();
  assert.equal((nobody.entry ?? []).length, 0, "the no-appointments patient");
});

Deno.test("patient appointments: today's appointments count even once they have started", async () => {
  const store = inMemoryProviderStore();
  await book(kit(wednesday, store), request("20104100", "1"));
  const later = kit(new Date("2025-01-16T12:00:00Z"), store);
  const bundle: AnyJson = await (await search(later, "1", "?start=ge2025-01-16&start=le2025-01-16"))
    .json();
  assert.equal((bundle.entry ?? []).length, 1);
});

Deno.test("patient appointments: unknown or unserved patient → 404 PATIENT_NOT_FOUND", async () => {
  const k = kit();
  for (const id of ["999", "9", "dd"]) {
    const res = await search(k, id, "?start=ge2025-01-15&start=le2025-01-31");
    assert.equal(res.status, 404, id);
    assert.equal(await errorCode(res), "PATIENT_NOT_FOUND");
  }
});

Deno.test("patient appointments: each date-range rule → 422 INVALID_PARAMETER", async () => {
  const k = kit();
  const queries = [
    "",
    "?start=ge2025-01-15",
    "?start=le2025-01-31",
    "?start=ge2025-01-15&start=ge2025-01-31",
    "?start=ge2025-01-15&start=le2025-01-31&start=le2025-02-01",
    "?start=ge2025-01-15&start=",
    "?start=ge2025-01-15T10:00:00%2B00:00&start=le2025-01-31",
    "?start=ge2025-01-15&start=le2025-01",
    "?start=ge2025-13-01&start=le2025-13-31",
    "?start=gt2025-01-15&start=le2025-01-31",
    "?start=2025-01-15&start=le2025-01-31",
    "?start=ge2025-01-14&start=le2025-01-31",
    "?start=ge2025-01-20&start=le2025-01-19",
  ];
  for (const query of queries) {
    const res = await search(k, "1", query);
    assert.equal(res.status, 422, query);
    const body: AnyJson = await res.json();
    assert.equal(body.issue[0].details.coding[0].code, "INVALID_PARAMETER", query);
    assert.ok(body.issue[0].diagnostics, query);
  }
  const past: AnyJson = await (await search(k, "1", "?start=ge2025-01-14&start=le2025-01-31"))
    .json();
  assert.match(past.issue[0].diagnostics, /past/);
});
