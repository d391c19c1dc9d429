import assert from "node:assert/strict";
import { bundleOf, profiled, requestTo } from "./check-fixtures.ts";
import { metaProfileCheck } from "./meta-profile.ts";
import { interactionIds } from "./response-check.ts";

const structured = requestTo(interactionIds.structured, "/Patient/$gpc.getstructuredrecord", {
  method: "POST",
});

Deno.test("every entry claims its mandated profile: no meta, no claim or the wrong one fail", () => {
  const good = profiled(
    "GPConnect-StructuredRecord-Bundle-1",
    bundleOf("collection", [
      profiled("CareConnect-GPC-Patient-1", { resourceType: "Patient", id: "1" }),
      profiled("CareConnect-GPC-ProblemHeader-Condition-1", { resourceType: "Condition", id: "c" }),
      { resourceType: "Binary", id: "b" },
    ]),
  );
  const verdict = metaProfileCheck.check({ request: structured, body: good });
  assert.deepEqual(verdict?.problems, []);
  assert.match(verdict?.description ?? "", /3 judged/);
  const bad = bundleOf("collection", [
    { resourceType: "Patient", id: "1" },
    { resourceType: "List", id: "l", meta: { versionId: "1" } },
    profiled("CareConnect-GPC-Patient-1", { resourceType: "Organization", id: "o" }),
  ]);
  assert.deepEqual(metaProfileCheck.check({ request: structured, body: bad })?.problems, [
    "Bundle: Bundle has no meta (meta.profile GPConnect-StructuredRecord-Bundle-1 required)",
    "Bundle.entry[0].resource: Patient has no meta (meta.profile CareConnect-GPC-Patient-1 required)",
    "Bundle.entry[1].resource: List claims no profile (CareConnect-GPC-List-1 required)",
    "Bundle.entry[2].resource: Organization claims https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1, not CareConnect-GPC-Organization-1",
  ]);
});

Deno.test("document searches claim the searchset profile; other searchsets and DSTU2 are not judged", () => {
  const documents = requestTo(interactionIds.searchDocuments, "/Patient/1/DocumentReference");
  const unclaimed = bundleOf("searchset", []);
  assert.equal(metaProfileCheck.check({ request: documents, body: unclaimed })?.problems.length, 1);
  const slots = requestTo(interactionIds.searchSlots, "/Slot");
  assert.equal(metaProfileCheck.check({ request: slots, body: unclaimed }), undefined);
  const dstu2 = { ...structured, fhirVersion: "DSTU2" as const };
  assert.equal(
    metaProfileCheck.check({ request: dstu2, body: { resourceType: "Patient" } }),
    undefined,
  );
});
