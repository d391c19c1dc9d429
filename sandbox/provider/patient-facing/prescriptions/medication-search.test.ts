/** The MedicationRequest search parameters: each prefix, date against date-time, lists, refusals. */
import assert from "node:assert/strict";
import { PfError } from "../pf-error.ts";
import { searchMedicationRequests } from "./medication-search.ts";

const requests = [
  {
    resourceType: "MedicationRequest",
    id: "a",
    intent: "plan",
    status: "active",
    authoredOn: "2026-01-10T10:00:00Z",
    identifier: [{ system: "s", value: "1" }],
  },
  {
    resourceType: "MedicationRequest",
    id: "b",
    intent: "order",
    status: "completed",
    authoredOn: "2026-01-10T15:00:00Z",
    identifier: [{ system: "s", value: "2" }],
  },
  {
    resourceType: "MedicationRequest",
    id: "c",
    intent: "plan",
    status: "stopped",
    authoredOn: "2026-02-01T09:00:00Z",
    identifier: [{ system: "t", value: "3" }],
  },
];
const ids = (query: string) =>
  searchMedicationRequests(requests, new URLSearchParams(query)).map((r) => r.id);

Deno.test("medication search: authoredon prefixes on days and instants, identifier, intent and status lists", () => {
  assert.deepEqual(ids(""), ["a", "b", "c"]);
  assert.deepEqual(ids("authoredon=2026-01-10"), ["a", "b"]);
  assert.deepEqual(ids("authoredon=eq2026-01-10"), ["a", "b"]);
  assert.deepEqual(ids("authoredon=gt2026-01-10"), ["c"]);
  assert.deepEqual(ids("authoredon=lt2026-01-10"), []);
  assert.deepEqual(ids("authoredon=ge2026-01-10&authoredon=le2026-01-31"), ["a", "b"]);
  assert.deepEqual(ids("authoredon=ge2026-01-10T12:00:00Z"), ["b", "c"]);
  assert.deepEqual(ids("identifier=s|2"), ["b"]);
  assert.deepEqual(ids("identifier=3"), ["c"]);
  assert.deepEqual(ids("identifier=t|1"), []);
  assert.deepEqual(ids("intent=plan"), ["a", "c"]);
  assert.deepEqual(ids("status=active,stopped"), ["a", "c"]);
  assert.deepEqual(ids("intent=plan&status=completed"), []);
  assert.deepEqual(ids("_count=1"), ["a", "b", "c"], "other parameters are ignored");
  for (
    const query of [
      "authoredon=2026-1-10",
      "authoredon=ab2026-01-10",
      "authoredon=ge2026-02-30x",
      "intent=wish",
      "status=done",
      "identifier=s|",
    ]
  ) {
    assert.throws(
      () => ids(query),
      (error: unknown) => error instanceof PfError && error.code === "INVALID_PARAMETER",
      query,
    );
  }
});
