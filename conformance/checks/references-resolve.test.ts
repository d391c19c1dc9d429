import assert from "node:assert/strict";
import { bundleOf, requestTo } from "./check-fixtures.ts";
import { referencesResolveCheck } from "./references-resolve.ts";
import { interactionIds } from "./response-check.ts";

const structured = requestTo(interactionIds.structured, "/Patient/$gpc.getstructuredrecord", {
  method: "POST",
});

Deno.test("structured record: every relative reference is an entry; a dangling one fails", () => {
  const list = {
    resourceType: "List",
    id: "l",
    subject: { reference: "Patient/2" },
    entry: [{ item: { reference: "AllergyIntolerance/a" } }, {
      item: { reference: "AllergyIntolerance/gone" },
    }],
  };
  const body = bundleOf("collection", [
    { resourceType: "Patient", id: "2" },
    list,
    { resourceType: "AllergyIntolerance", id: "a", patient: { reference: "Patient/2" } },
  ]);
  const verdict = referencesResolveCheck.check({ request: structured, body });
  assert.deepEqual(verdict?.problems, [
    "Bundle.entry[1].resource.entry[1].item.reference AllergyIntolerance/gone is not in the Bundle",
  ]);
  assert.match(verdict?.description ?? "", /4 checked/);
});

Deno.test("local references name a contained resource; outside a collection others are counted, not failed", () => {
  const appointment = {
    resourceType: "Appointment",
    id: "a",
    contained: [{ resourceType: "Organization", id: "1" }],
    extension: [{ url: "x", valueReference: { reference: "#1" } }],
    participant: [{ actor: { reference: "Patient/2" } }, { actor: { reference: "#9" } }],
  };
  const read = requestTo(
    "urn:nhs:names:services:gpconnect:fhir:rest:read:appointment-1",
    "/Appointment/a",
  );
  const verdict = referencesResolveCheck.check({ request: read, body: appointment });
  assert.deepEqual(verdict?.problems, [
    "Appointment.participant[1].actor.reference #9 names no contained resource",
  ]);
  assert.match(verdict?.description ?? "", /2 checked; 1 outside the response not fetched/);
  assert.equal(
    referencesResolveCheck.check({ request: read, body: { resourceType: "Patient", id: "2" } }),
    undefined,
  );
});
