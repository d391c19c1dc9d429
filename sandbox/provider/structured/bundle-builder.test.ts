import assert from "node:assert/strict";
import { practiceData } from "../practice/practice-data.ts";
import { bundleBuilder } from "./bundle-builder.ts";
import type { Resource } from "./resources/resource-common.ts";

const condition: Resource = {
  resourceType: "Condition",
  id: "prob-1",
  extension: [
    { url: "significance", valueCode: "major" },
    { url: "related", valueReference: { reference: "Observation/obs-1" } },
    { url: "related", valueReference: { reference: "Observation/absent" } },
  ],
  context: { reference: "Encounter/absent" },
  asserter: { reference: "Practitioner/3" },
};

Deno.test("adds each resource once, keeps order, completes practice references", () => {
  const builder = bundleBuilder(practiceData, "1");
  const observation: Resource = {
    resourceType: "Observation",
    id: "obs-1",
    performer: [{ reference: "Practitioner/4" }],
    context: { reference: "Encounter/absent" },
  };
  builder.add(condition, observation);
  builder.add({ ...observation, status: "duplicate" });
  assert.ok(builder.has("Observation/obs-1"));
  const patient: Resource = {
    resourceType: "Patient",
    id: "2",
    managingOrganization: { reference: "Organization/1" },
  };
  const organization: Resource = { resourceType: "Organization", id: "1" };
  const resources = builder.resources([patient, organization]);
  assert.deepEqual(resources.map((r) => `${r.resourceType}/${r.id}`), [
    "Patient/2",
    "Organization/1",
    "Practitioner/3",
    "Practitioner/4",
    "PractitionerRole/3-role",
    "PractitionerRole/4-role",
    "Condition/prob-1",
    "Observation/obs-1",
  ]);
  const role = resources.find((r) => r.id === "3-role")!;
  assert.deepEqual(role.organization, { reference: "Organization/1" });
  const kept = resources.find((r) => r.id === "prob-1")!;
  assert.deepEqual(
    (kept.extension as Array<{ url: string }>).map((e) => e.url),
    ["significance", "related"],
    "a link to an absent resource is dropped",
  );
  assert.equal(kept.context, undefined);
  assert.equal(resources.find((r) => r.id === "obs-1")!.status, undefined, "first one wins");
  assert.equal(resources.find((r) => r.id === "obs-1")!.context, undefined);
});

Deno.test("references inside contained resources are completed too", () => {
  const builder = bundleBuilder(practiceData, "1");
  builder.add({
    resourceType: "List",
    id: "list-ended-allergies",
    contained: [{
      resourceType: "AllergyIntolerance",
      id: "a",
      recorder: { reference: "Practitioner/1" },
    }],
    entry: [{ item: { reference: "#a" } }],
    subject: { reference: "Location/2" },
  });
  const types = builder.resources([]).map((r) => `${r.resourceType}/${r.id}`);
  assert.deepEqual(types, [
    "Practitioner/1",
    "PractitionerRole/1-role",
    "Location/2",
    "List/list-ended-allergies",
  ]);
});
