import assert from "node:assert/strict";
import { bundleOf, requestTo } from "./check-fixtures.ts";
import { includesOf, searchIncludesCheck } from "./search-includes.ts";
import { interactionIds } from "./response-check.ts";

const slots = (query: string) =>
  requestTo(interactionIds.searchSlots, `/Slot?start=ge2025-01-16&end=le2025-01-17&${query}`);
const slot = { resourceType: "Slot", id: "1", schedule: { reference: "Schedule/s" } };
const schedule = {
  resourceType: "Schedule",
  id: "s",
  actor: [{ reference: "Practitioner/p" }, { reference: "Location/l" }],
};

Deno.test("includes are read from _include, _include:recurse and _revinclude:recurse", () => {
  const query = new URLSearchParams(
    "_include=Slot:schedule&_include:recurse=Schedule:actor:Practitioner&_revinclude:recurse=PractitionerRole:practitioner",
  );
  assert.deepEqual(includesOf(query), [
    { reverse: false, source: "Slot", element: "schedule" },
    { reverse: false, source: "Schedule", element: "actor", target: "Practitioner" },
    { reverse: true, source: "PractitionerRole", element: "practitioner" },
  ]);
});

Deno.test("requested includes present, nothing else: a missing schedule or an extra actor fails", () => {
  const good = bundleOf("searchset", [slot, schedule]);
  assert.deepEqual(
    searchIncludesCheck.check({ request: slots("_include=Slot:schedule"), body: good })?.problems,
    [],
  );
  const missing = bundleOf("searchset", [slot]);
  assert.match(
    searchIncludesCheck.check({ request: slots("_include=Slot:schedule"), body: missing })
      ?.problems[0] ?? "",
    /_include=Slot:schedule: Schedule\/s .* is not in the Bundle/,
  );
  const extra = bundleOf("searchset", [slot, schedule, { resourceType: "Practitioner", id: "p" }]);
  assert.deepEqual(
    searchIncludesCheck.check({ request: slots("_include=Slot:schedule"), body: extra })?.problems,
    ["Bundle.entry[2].resource (Practitioner/p) was not asked for by the search"],
  );
  const asked = slots("_include=Slot:schedule&_include:recurse=Schedule:actor:Practitioner");
  assert.deepEqual(searchIncludesCheck.check({ request: asked, body: extra })?.problems, []);
  // The documented known issue: the managing Organization comes with slots unasked.
  const withOrganization = bundleOf("searchset", [slot, schedule, {
    resourceType: "Organization",
    id: "o",
  }]);
  assert.deepEqual(
    searchIncludesCheck.check({ request: slots("_include=Slot:schedule"), body: withOrganization })
      ?.problems,
    [],
  );
});

Deno.test("a search without includes holds only its type; a revinclude is justified by its reference", () => {
  const search = requestTo("x", "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|1");
  const body = bundleOf("searchset", [{ resourceType: "Patient", id: "1" }, {
    resourceType: "Organization",
    id: "o",
  }]);
  assert.equal(searchIncludesCheck.check({ request: search, body })?.problems.length, 1);
  const documents = requestTo(
    interactionIds.searchDocuments,
    "/Patient/1/DocumentReference?_include=DocumentReference:author:Practitioner&_revinclude:recurse=PractitionerRole:practitioner",
  );
  const docs = bundleOf("searchset", [
    { resourceType: "DocumentReference", id: "d", author: [{ reference: "Practitioner/p" }] },
    { resourceType: "Practitioner", id: "p" },
    { resourceType: "PractitionerRole", id: "r", practitioner: { reference: "Practitioner/p" } },
    { resourceType: "PractitionerRole", id: "x", practitioner: { reference: "Practitioner/q" } },
  ]);
  assert.deepEqual(searchIncludesCheck.check({ request: documents, body: docs })?.problems, [
    "Bundle.entry[3].resource (PractitionerRole/x) was not asked for by the search",
  ]);
  assert.equal(
    searchIncludesCheck.check({ request: { ...search, method: "POST" }, body }),
    undefined,
  );
});

Deno.test("a document search may return its patient and the practice without documents", () => {
  const request = requestTo(
    interactionIds.searchDocuments,
    "/Patient/3/DocumentReference?_include=DocumentReference:subject:Patient",
  );
  const body = bundleOf("searchset", [
    { resourceType: "Patient", id: "3", managingOrganization: { reference: "Organization/1" } },
    { resourceType: "Organization", id: "1" },
  ]);
  assert.deepEqual(searchIncludesCheck.check({ request, body })?.problems, []);
  const other = bundleOf("searchset", [{ resourceType: "Patient", id: "4" }]);
  assert.equal(searchIncludesCheck.check({ request, body: other })?.problems.length, 1);
});
