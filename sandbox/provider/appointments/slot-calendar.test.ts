import assert from "node:assert/strict";
import { sessionTemplates } from "./session-templates.ts";
import { slotCalendar } from "./slot-calendar.ts";
import { dateToEpochDay, formatUkDateTime, ukEpochDay } from "./uk-time.ts";

const wednesday = new Date("2025-01-15T10:00:00Z");
const day = (date: string) => dateToEpochDay(date)!;

Deno.test("slot-calendar: weekday sessions from 7 days before to 28 days after today", () => {
  const calendar = slotCalendar(() => wednesday);
  const slots = calendar.slotsWithin(
    new Date("2024-12-01T00:00:00Z"),
    new Date("2025-03-01T00:00:00Z"),
  );
  const days = new Set(slots.map((slot) => ukEpochDay(slot.start)));
  assert.equal(Math.min(...days), day("2025-01-08"));
  assert.equal(Math.max(...days), day("2025-02-12"));
  for (const d of days) assert.ok(![0, 6].includes(new Date(d * 86_400_000).getUTCDay()));
  const perDay = sessionTemplates.reduce((sum, template) => sum + template.slotCount, 0);
  assert.equal(slots.length, days.size * perDay);
  assert.ok(slots.some((slot) => slot.end <= wednesday), "there are past slots");
});

Deno.test("slot-calendar: deterministic ids and attributes keyed by calendar date", () => {
  const a = slotCalendar(() => wednesday);
  const b = slotCalendar(() => new Date("2025-01-20T08:00:00Z"));
  const slot = a.slotById("20104100")!;
  assert.equal(slot.schedule.id, "201041");
  assert.equal(formatUkDateTime(slot.start), "2025-01-16T09:00:00+00:00");
  assert.equal(formatUkDateTime(slot.end), "2025-01-16T09:15:00+00:00");
  assert.deepEqual(b.slotById("20104100"), slot, "same id, same slot, whatever the clock");
  assert.equal(a.slotById("20104100")!.variant.deliveryChannel, "In-person");
  assert.equal(a.slotById("20104199"), undefined, "index beyond the session");
  assert.equal(a.slotById("20104500"), undefined, "no session 5");
  assert.equal(a.slotById("20107100"), undefined, "Sunday 2025-01-19 has no sessions");
  assert.equal(a.slotById("hello"), undefined);
  assert.equal(a.scheduleById("201041")?.template.practitionerId, "1");
});

Deno.test("slot-calendar: the window moves with the clock", () => {
  const later = new Date("2025-03-10T10:00:00Z");
  const early = slotCalendar(() => wednesday);
  const late = slotCalendar(() => later);
  assert.ok(early.slotById("20104100"));
  assert.equal(late.slotById("20104100"), undefined, "2025-01-16 is out of the later window");
  assert.ok(late.slotById("20158100"), "2025-03-11 is in it");
  assert.equal(early.slotById("20158100"), undefined);
});

Deno.test("slot-calendar: BST days keep UK local session times", () => {
  const summer = slotCalendar(() => new Date("2025-07-01T10:00:00Z"));
  const slot = summer.slotById(`${day("2025-07-02")}100`)!;
  assert.equal(formatUkDateTime(slot.start), "2025-07-02T09:00:00+01:00");
});

Deno.test("slot-calendar: the first two slots of every session are plain and adjacent", () => {
  const calendar = slotCalendar(() => wednesday);
  for (const template of sessionTemplates) {
    const [a, b] = [0, 1].map((i) => calendar.slotById(`20104${template.key}0${i}`)!);
    assert.equal(a!.end.getTime(), b!.start.getTime());
    for (const slot of [a!, b!]) {
      assert.deepEqual(slot.variant, {
        deliveryChannel: "In-person",
        busy: false,
        gpcBookable: true,
      });
      assert.equal(slot.serviceType, template.slotTypes[0]);
    }
  }
});

Deno.test("slot-calendar: a day has a mix of channels, busy, unbookable and restricted slots", () => {
  const calendar = slotCalendar(() => wednesday);
  const slots = calendar.slotsWithin(
    new Date("2025-01-16T00:00:00Z"),
    new Date("2025-01-17T00:00:00Z"),
  );
  const variants = slots.map((slot) => slot.variant);
  assert.ok(variants.some((v) => v.busy));
  assert.ok(variants.some((v) => !v.gpcBookable));
  assert.ok(variants.some((v) => v.restriction?.organisationTypes?.includes("urgent-care")));
  assert.ok(variants.some((v) => v.restriction?.odsCodes?.includes("A20047")));
  for (const channel of ["In-person", "Telephone", "Video"]) {
    assert.ok(variants.some((v) => v.deliveryChannel === channel), channel);
  }
  assert.ok(new Set(slots.map((slot) => slot.serviceType)).size > 4);
  assert.ok(slots.some((slot) => slot.schedule.template.slotMinutes === 10));
  assert.ok(slots.some((slot) => slot.schedule.template.slotMinutes === 15));
});

Deno.test("slot-calendar: one calendar follows a moving clock as a fresh one would", () => {
  let clock = wednesday;
  const moving = slotCalendar(() => clock);
  const all = (calendar: ReturnType<typeof slotCalendar>) =>
    calendar.slotsWithin(new Date("2024-12-01T00:00:00Z"), new Date("2025-05-01T00:00:00Z"));
  assert.deepEqual(all(moving), all(slotCalendar(() => wednesday)));
  clock = new Date("2025-03-10T10:00:00Z");
  const later = all(moving);
  assert.deepEqual(later, all(slotCalendar(() => clock)));
  assert.ok(!later.some((slot) => slot.id === "20104100"), "2025-01-16 has left the window");
  clock = wednesday;
  assert.deepEqual(all(moving), all(slotCalendar(() => wednesday)), "and the clock can go back");
});
