import assert from "node:assert/strict";
import { bundleOf, requestTo } from "./check-fixtures.ts";
import { interactionIds } from "./response-check.ts";
import { boundsOf, keepsBound, searchWindowCheck } from "./search-window.ts";

const slot = (id: string, start: string, end: string, status = "free") => ({
  resourceType: "Slot",
  id,
  status,
  start,
  end,
});
const slotSearch = requestTo(
  interactionIds.searchSlots,
  "/Slot?start=ge2025-01-16&end=le2025-01-17&status=free&_include=Slot:schedule",
);

Deno.test("bounds: ge/le/gt/lt of a date or dateTime; whole dates compare by the date written", () => {
  assert.deepEqual(boundsOf(["ge2025-01-16", "2025-01-17", "le2025-01-17T10:00:00Z"]), [
    { prefix: "ge", value: "2025-01-16" },
    { prefix: "le", value: "2025-01-17T10:00:00Z" },
  ]);
  // 23:30 on the 17th written in BST is still the 17th, though it is the 17th 22:30 UTC.
  assert.equal(
    keepsBound("2025-06-17T23:30:00+01:00", { prefix: "le", value: "2025-06-17" }),
    true,
  );
  assert.equal(
    keepsBound("2025-01-18T00:00:00+00:00", { prefix: "le", value: "2025-01-17" }),
    false,
  );
  assert.equal(
    keepsBound("2025-01-16T09:00:00Z", { prefix: "gt", value: "2025-01-16T09:00:00Z" }),
    false,
  );
  assert.equal(keepsBound("not a date", { prefix: "ge", value: "2025-01-16" }), undefined);
});

Deno.test("free slots: inside the window and free pass; outside or booked fail naming the slot", () => {
  const inside = bundleOf("searchset", [
    slot("1", "2025-01-16T09:00:00+00:00", "2025-01-16T09:10:00+00:00"),
    slot("2", "2025-01-17T16:50:00+00:00", "2025-01-17T17:00:00+00:00"),
    { resourceType: "Schedule", id: "s" },
  ]);
  assert.deepEqual(searchWindowCheck.check({ request: slotSearch, body: inside })?.problems, []);
  const outside = bundleOf("searchset", [
    slot("1", "2025-01-15T09:00:00+00:00", "2025-01-15T09:10:00+00:00"),
    slot("2", "2025-01-17T09:00:00+00:00", "2025-01-17T09:10:00+00:00", "busy"),
    slot("3", "2025-01-17T23:55:00+00:00", "2025-01-18T00:05:00+00:00"),
  ]);
  const verdict = searchWindowCheck.check({ request: slotSearch, body: outside });
  assert.deepEqual(verdict?.problems, [
    "Slot/1 start 2025-01-15T09:00:00+00:00 is outside ge2025-01-16",
    'Slot/2 status "busy" is not free',
    "Slot/3 end 2025-01-18T00:05:00+00:00 is outside le2025-01-17",
  ]);
  assert.match(verdict?.description ?? "", /start ge2025-01-16, end le2025-01-17, status free/);
});

Deno.test("appointments by start and documents by created; other requests are not judged", () => {
  const appointments = requestTo(
    interactionIds.patientAppointments,
    "/Patient/2/Appointment?start=ge2025-01-16&start=le2025-01-20",
  );
  const body = bundleOf("searchset", [
    { resourceType: "Appointment", id: "a", start: "2025-01-21T09:00:00+00:00" },
  ]);
  assert.equal(searchWindowCheck.check({ request: appointments, body })?.problems.length, 1);
  const documents = requestTo(
    interactionIds.searchDocuments,
    "/Patient/2/DocumentReference?created=ge2020-01-01&created=le2020-12-31",
  );
  const docs = bundleOf("searchset", [
    { resourceType: "DocumentReference", id: "d1", created: "2020-05-01" },
    { resourceType: "DocumentReference", id: "d2", created: "2021-01-01T10:00:00+00:00" },
  ]);
  assert.deepEqual(searchWindowCheck.check({ request: documents, body: docs })?.problems, [
    "DocumentReference/d2 created 2021-01-01T10:00:00+00:00 is outside le2020-12-31",
  ]);
  const noWindow = requestTo(interactionIds.searchDocuments, "/Patient/2/DocumentReference");
  assert.equal(searchWindowCheck.check({ request: noWindow, body: docs }), undefined);
  const read = requestTo("urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1", "/Patient/2");
  assert.equal(searchWindowCheck.check({ request: read, body: docs }), undefined);
});
