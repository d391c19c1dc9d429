import assert from "node:assert/strict";
import { join } from "node:path";
import { denoKvProviderStore } from "../provider-store.ts";
import {
  type AnyJson,
  book,
  bookingFor,
  dayOffset,
  freeSlots,
  kit,
  resourcesOf,
  urls,
  wednesday,
} from "./appointments-test-kit.ts";

Deno.test("appointments: slots → book → read → amend → cancel → patient appointments", async () => {
  const k = kit();
  const bundle = await freeSlots(k, `&searchFilter=${urls.ods}|B82617`);
  const slot = resourcesOf(bundle, "Slot")[0]!;
  const created = await book(k, bookingFor(bundle, { patientId: "2" }));
  assert.equal(created.slot[0].reference, `Slot/${slot.id}`);

  const read = await k.call("read", "GET", `/Appointment/${created.id}`);
  assert.equal(read.headers.get("ETag"), 'W/"1"');
  const current: AnyJson = await read.json();

  const amend = await k.call("amend", "PUT", `/Appointment/${created.id}`, {
    body: { ...current, comment: "Please use the side entrance" },
    headers: { "If-Match": read.headers.get("ETag")! },
  });
  assert.equal(amend.status, 200);
  const amended: AnyJson = await amend.json();
  assert.equal(amended.meta.versionId, "2");

  const cancel = await k.call("cancel", "PUT", `/Appointment/${created.id}`, {
    body: {
      ...amended,
      status: "cancelled",
      extension: [...amended.extension, { url: urls.cancellationReason, valueString: "Unwell" }],
    },
    headers: { "If-Match": amend.headers.get("ETag")! },
  });
  assert.equal(cancel.status, 200);
  const cancelled: AnyJson = await cancel.json();
  assert.equal(cancelled.meta.versionId, "3");
  assert.equal(cancelled.comment, "Please use the side entrance");

  const listed: AnyJson = await (await k.call(
    "patientAppointments",
    "GET",
    `/Patient/2/Appointment?start=ge${dayOffset(k.now, 0)}&start=le${dayOffset(k.now, 14)}`,
  )).json();
  assert.deepEqual(listed.entry.map((e: AnyJson) => e.resource), [cancelled]);
  const again = resourcesOf(await freeSlots(k, `&searchFilter=${urls.ods}|B82617`), "Slot");
  assert.equal(again[0]?.id, slot.id, "the cancelled slot is offered again");
});

Deno.test("appointments: slots and bookings move with the clock", async () => {
  const summer = new Date("2025-07-01T09:00:00Z"); // Tuesday, BST
  const first = async (now: Date) => resourcesOf(await freeSlots(kit(now), "", 1), "Slot")[0]!;
  const january = await first(wednesday);
  const july = await first(summer);
  assert.equal(january.start, "2025-01-16T08:30:00+00:00");
  assert.equal(july.start, "2025-07-02T08:30:00+01:00");
  assert.notEqual(january.id, july.id);
  const created = await book(kit(summer), bookingFor(await freeSlots(kit(summer), "", 1)));
  assert.equal(created.start, "2025-07-02T08:30:00+01:00");
  assert.equal(created.meta.lastUpdated, "2025-07-01T10:00:00+01:00");
});

Deno.test("appointments: bookings persist in a Deno KV file across a restart", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "provider.sqlite");
  try {
    const firstKv = await Deno.openKv(path);
    let created: AnyJson;
    let slotId: string;
    try {
      const k = kit(wednesday, denoKvProviderStore(firstKv));
      const bundle = await freeSlots(k);
      slotId = resourcesOf(bundle, "Slot")[0]!.id;
      created = await book(k, bookingFor(bundle));
    } finally {
      firstKv.close();
    }
    const secondKv = await Deno.openKv(path);
    try {
      const k = kit(wednesday, denoKvProviderStore(secondKv));
      const read = await k.call("read", "GET", `/Appointment/${created.id}`);
      assert.equal(read.status, 200);
      assert.deepEqual(await read.json(), created);
      const slots = resourcesOf(await freeSlots(k), "Slot");
      assert.ok(!slots.some((slot) => slot.id === slotId), "the slot is still booked");
      const next = await book(k, bookingFor({ entry: (await freeSlots(k)).entry }));
      assert.equal(next.id, "2", "ids continue after the restart");
    } finally {
      secondKv.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
