import assert from "node:assert/strict";
import { fhirJsonToXml } from "../../../gpconnect/xml.ts";
import { inMemoryProviderStore } from "../provider-store.ts";
import {
  type AnyJson,
  book,
  bookingForSlots,
  errorCode,
  freeSlots,
  type Kit,
  kit,
  resourcesOf,
  urls,
  wednesday,
} from "./appointments-test-kit.ts";
import { slotCalendar } from "./slot-calendar.ts";
import { formatUkDateTime } from "./uk-time.ts";

const slot = slotCalendar(() => wednesday).slotById("20104100")!; // Thursday 16 January, 09:00
const thursdayNoon = new Date("2025-01-16T12:00:00Z");

async function booked(k: Kit = kit()): Promise<{ k: Kit; created: AnyJson }> {
  const request = bookingForSlots(
    [{ id: slot.id, start: formatUkDateTime(slot.start), end: formatUkDateTime(slot.end) }],
    "Location/1",
  );
  return { k, created: await book(k, { ...request, comment: "First comment" }) };
}

const put = (
  k: Kit,
  kind: "amend" | "cancel",
  body: unknown,
  headers: Record<string, string> = {},
) => k.call(kind, "PUT", `/Appointment/${(body as AnyJson).id ?? "1"}`, { body, headers });

const cancelled = (a: AnyJson, reason = "double booked") => ({
  ...a,
  status: "cancelled",
  extension: [...a.extension, { url: urls.cancellationReason, valueString: reason }],
});

Deno.test("read: the appointment with its ETag; unknown → 404 NO_RECORD_FOUND", async () => {
  const { k, created } = await booked();
  const res = await k.call("read", "GET", "/Appointment/1");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("ETag"), 'W/"1"');
  assert.deepEqual(await res.json(), created);
  for (const id of ["2", "Invalid4321", "8888888888"]) {
    const missing = await k.call("read", "GET", `/Appointment/${id}`);
    assert.equal(missing.status, 404);
    assert.equal(await errorCode(missing), "NO_RECORD_FOUND");
  }
});

Deno.test("amend: description and comment change, the version goes up", async () => {
  const { k, created } = await booked();
  const res = await put(k, "amend", { ...created, description: "New", comment: "customComment" }, {
    "If-Match": 'W/"1"',
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("ETag"), 'W/"2"');
  const amended: AnyJson = await res.json();
  assert.equal(amended.meta.versionId, "2");
  assert.equal(amended.description, "New");
  assert.equal(amended.comment, "customComment");
  assert.deepEqual({ ...amended, meta: 0, description: 0, comment: 0 }, {
    ...created,
    meta: 0,
    description: 0,
    comment: 0,
  });
  const read: AnyJson = await (await k.call("read", "GET", "/Appointment/1")).json();
  assert.equal(read.comment, "customComment");
  const { comment: _, ...withoutComment } = amended;
  const removed: AnyJson = await (await put(k, "amend", withoutComment)).json();
  assert.equal(removed.comment, undefined, "no If-Match: accepted; comment removed");
  assert.equal(removed.meta.versionId, "3");
});

Deno.test("amend: provider-populated elements may be left out; XML and Prefer minimal", async () => {
  const { k, created } = await booked();
  const lean = {
    ...created,
    serviceCategory: undefined,
    serviceType: undefined,
    extension: created.extension.slice(0, 1),
    participant: created.participant.filter((p: AnyJson) =>
      !p.actor.reference.startsWith("Practitioner/")
    ),
    comment: "lean",
  };
  assert.equal((await put(k, "amend", lean)).status, 200);
  const current: AnyJson = await (await k.call("read", "GET", "/Appointment/1")).json();
  const xml = await put(k, "amend", fhirJsonToXml({ ...current, comment: "xml" }), {
    "Content-Type": "application/fhir+xml",
  });
  assert.equal(xml.status, 200, await xml.clone().text());
  const minimal = await put(k, "amend", { ...current, comment: "minimal" }, {
    Prefer: "return=minimal",
  });
  assert.equal(minimal.status, 200);
  assert.equal(minimal.headers.get("Content-Type"), null);
  assert.equal(await minimal.text(), "");
  assert.equal(minimal.headers.get("ETag"), 'W/"4"');
});

Deno.test("amend: each error rule", async () => {
  const { k, created } = await booked();
  const cases: Array<[string, AnyJson, Record<string, string>, number, string]> = [
    [
      "stale If-Match",
      { ...created, comment: "x" },
      { "If-Match": 'W/"9"' },
      409,
      "FHIR_CONSTRAINT_VIOLATION",
    ],
    [
      "invalid If-Match",
      { ...created, comment: "x" },
      { "If-Match": "invalidEtag" },
      409,
      "FHIR_CONSTRAINT_VIOLATION",
    ],
    [
      "start changed",
      { ...created, start: "2025-01-16T09:15:00+00:00" },
      {},
      422,
      "INVALID_RESOURCE",
    ],
    [
      "participant added",
      {
        ...created,
        participant: [...created.participant, {
          actor: { reference: "Patient/2" },
          status: "accepted",
        }],
      },
      {},
      422,
      "INVALID_RESOURCE",
    ],
    ["status cancelled", cancelled(created), {}, 422, "INVALID_RESOURCE"],
    ["reason added", { ...created, reason: { text: "x" } }, {}, 422, "INVALID_RESOURCE"],
    ["priority added", { ...created, priority: 1 }, {}, 422, "INVALID_RESOURCE"],
    [
      "booking organisation changed",
      {
        ...created,
        contained: [{ ...created.contained[0], name: "Other" }],
      },
      {},
      422,
      "INVALID_RESOURCE",
    ],
    ["description removed", { ...created, description: undefined }, {}, 422, "INVALID_RESOURCE"],
    [
      "description too long",
      { ...created, description: "x".repeat(101) },
      {},
      422,
      "INVALID_RESOURCE",
    ],
    ["no profile", { ...created, meta: {} }, {}, 422, "INVALID_RESOURCE"],
    ["a Bundle", { resourceType: "Bundle", id: "1" }, {}, 422, "INVALID_RESOURCE"],
  ];
  for (const [name, body, headers, status, code] of cases) {
    const res = await put(k, "amend", body, headers);
    assert.equal(res.status, status, name);
    assert.equal(await errorCode(res), code, name);
  }
  const mismatch = await k.call("amend", "PUT", "/Appointment/1", {
    body: { ...created, id: "2" },
  });
  assert.equal(mismatch.status, 400);
  assert.equal(await errorCode(mismatch), "BAD_REQUEST");
  const noId = await k.call("amend", "PUT", "/Appointment/1", {
    body: { ...created, id: undefined },
  });
  assert.equal(noId.status, 400);
  const unknown = await k.call("amend", "PUT", "/Appointment/7", { body: { ...created, id: "7" } });
  assert.equal(unknown.status, 404);
  assert.equal(await errorCode(unknown), "NO_RECORD_FOUND");
  const read: AnyJson = await (await k.call("read", "GET", "/Appointment/1")).json();
  assert.equal(read.meta.versionId, "1", "nothing was written");
});

Deno.test("cancel: status and reason change, the version goes up, the slot is free again", async () => {
  const { k, created } = await booked();
  const res = await put(k, "cancel", cancelled(created), { "If-Match": 'W/"1"' });
  assert.equal(res.status, 200);
  const result: AnyJson = await res.json();
  assert.equal(result.status, "cancelled");
  assert.equal(result.meta.versionId, "2");
  assert.equal(res.headers.get("ETag"), 'W/"2"');
  const reason = result.extension.find((e: AnyJson) => e.url === urls.cancellationReason);
  assert.equal(reason.valueString, "double booked");
  assert.deepEqual(
    result.extension.filter((e: AnyJson) => e.url !== urls.cancellationReason),
    created.extension,
  );
  assert.deepEqual({ ...result, meta: 0, status: 0, extension: 0 }, {
    ...created,
    meta: 0,
    status: 0,
    extension: 0,
  });
  const slots = resourcesOf(await freeSlots(k, "", 1), "Slot");
  assert.ok(slots.some((s) => s.id === slot.id), "the slot is free again");
  const again = await put(k, "cancel", cancelled(result), {});
  assert.equal(again.status, 422, "already cancelled");
  assert.equal(await errorCode(again), "INVALID_RESOURCE");
  const amend = await put(k, "amend", { ...result, comment: "x" });
  assert.equal(amend.status, 422, "a cancelled appointment cannot be amended");
  assert.equal(await errorCode(amend), "INVALID_RESOURCE");
});

Deno.test("cancel: each error rule", async () => {
  const { k, created } = await booked();
  const withReason = cancelled(created);
  const cases: Array<[string, AnyJson, Record<string, string>, number, string]> = [
    ["stale If-Match", withReason, { "If-Match": 'W/"2"' }, 409, "FHIR_CONSTRAINT_VIOLATION"],
    ["comment changed", { ...withReason, comment: "RANDOM COMMENT" }, {}, 422, "INVALID_RESOURCE"],
    ["description changed", { ...withReason, description: "RANDOM" }, {}, 422, "INVALID_RESOURCE"],
    [
      "participants added",
      {
        ...withReason,
        participant: [...created.participant, {
          actor: { reference: "Location/2" },
          status: "accepted",
        }],
      },
      {},
      422,
      "INVALID_RESOURCE",
    ],
    [
      "absolute booking organisation reference",
      {
        ...withReason,
        extension: withReason.extension.map((e: AnyJson) =>
          e.url === urls.bookingOrganisation
            ? { ...e, valueReference: { reference: "https://x.nhs.uk/Organization/1" } }
            : e
        ),
      },
      {},
      422,
      "INVALID_RESOURCE",
    ],
    [
      "reason under another URL",
      {
        ...created,
        status: "cancelled",
        extension: [...created.extension, {
          url: "http://fhir.nhs.uk/x-reason-1",
          valueString: "Too busy",
        }],
      },
      {},
      422,
      "INVALID_RESOURCE",
    ],
    ["status still booked", { ...withReason, status: "booked" }, {}, 422, "INVALID_RESOURCE"],
    ["no reason", { ...created, status: "cancelled" }, {}, 422, "INVALID_PARAMETER"],
    ["empty reason", cancelled(created, ""), {}, 422, "INVALID_PARAMETER"],
  ];
  for (const [name, body, headers, status, code] of cases) {
    const res = await put(k, "cancel", body, headers);
    assert.equal(res.status, status, name);
    assert.equal(await errorCode(res), code, name);
  }
  assert.equal((await put(k, "cancel", withReason)).status, 200, "the appointment was untouched");
});

Deno.test("read, amend and cancel refuse an appointment that has started", async () => {
  const store = inMemoryProviderStore();
  const { created } = await booked(kit(wednesday, store));
  const later = kit(thursdayNoon, store);
  const read = await later.call("read", "GET", "/Appointment/1");
  assert.equal(read.status, 404);
  assert.equal(await errorCode(read), "NO_RECORD_FOUND");
  for (
    const [kind, body] of [["amend", { ...created, comment: "x" }], [
      "cancel",
      cancelled(created),
    ]] as const
  ) {
    const res = await put(later, kind, body);
    assert.equal(res.status, 422, kind);
    assert.equal(await errorCode(res), "INVALID_RESOURCE", kind);
  }
});
