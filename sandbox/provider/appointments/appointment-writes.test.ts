import assert from "node:assert/strict";
import type { ProviderStore } from "../provider-store.ts";
import { inMemoryProviderStore } from "../provider-store.ts";
import {
  type AnyJson,
  book,
  bookingForCalendarSlots,
  calendar,
  errorCode,
  freeSlots,
  kit,
  resourcesOf,
  urls,
  wednesday,
} from "./appointments-test-kit.ts";

const slot = calendar.slotById("20104100")!; // Thursday 16 January, 09:00

/** A memory store whose writes of appointments fail while `failing` is set. */
function flakyStore(): ProviderStore & { failing: boolean } {
  const store = inMemoryProviderStore();
  const flaky = {
    ...store,
    failing: false,
    set(key: string, value: unknown) {
      if (flaky.failing && key.includes(":appointment:")) {
        return Promise.reject(new Error("store unavailable"));
      }
      return store.set(key, value);
    },
  };
  return flaky;
}

async function offered(store: ProviderStore): Promise<boolean> {
  const slots = resourcesOf(await freeSlots(kit(wednesday, store), "", 1), "Slot");
  return slots.some((s) => s.id === slot.id);
}

Deno.test("book: a failed appointment write leaves the slot free", async () => {
  const store = flakyStore();
  const k = kit(wednesday, store);
  store.failing = true;
  const failed = await k.call("book", "POST", "/Appointment", {
    body: bookingForCalendarSlots([slot]),
  });
  assert.equal(failed.status, 500);
  assert.equal(await errorCode(failed), "INTERNAL_SERVER_ERROR");
  assert.ok(await offered(store), "no slot is held without an appointment");
  store.failing = false;
  assert.equal((await book(k, bookingForCalendarSlots([slot]))).status, "booked");
  assert.ok(!(await offered(store)));
});

Deno.test("cancel: a failed appointment write leaves the appointment booked and its slot held", async () => {
  const store = flakyStore();
  const k = kit(wednesday, store);
  const created = await book(k, bookingForCalendarSlots([slot]));
  store.failing = true;
  const failed = await k.call("cancel", "PUT", `/Appointment/${created.id}`, {
    body: {
      ...created,
      status: "cancelled",
      extension: [...created.extension, { url: urls.cancellationReason, valueString: "Unwell" }],
    },
  });
  assert.equal(failed.status, 500);
  await failed.body?.cancel();
  store.failing = false;
  const read: AnyJson = await (await k.call("read", "GET", `/Appointment/${created.id}`)).json();
  assert.equal(read.status, "booked");
  assert.equal(read.meta.versionId, "1");
  assert.ok(!(await offered(store)), "the booked slot is not offered again");
});
