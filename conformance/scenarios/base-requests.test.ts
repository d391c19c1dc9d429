import assert from "node:assert/strict";
import { baseRequest, baseRequests, unknownId } from "./base-requests.ts";
import { catalogue, requireInteraction } from "./catalogue.ts";

Deno.test("every interaction has a base request on its own interaction", () => {
  const bases = baseRequests();
  assert.equal(bases.length, catalogue.length);
  for (const base of bases) {
    assert.equal(base.request.interaction, base.interaction.id);
    assert.ok(base.request.path.startsWith("/"), base.interaction.shortName);
  }
});

Deno.test("bases that change data never succeed: they name nothing bookable or registrable", () => {
  for (const base of baseRequests().filter((b) => b.interaction.mutating)) {
    assert.equal(base.succeeds, false, base.interaction.shortName);
  }
  const book = baseRequest(requireInteraction("book-appointment"));
  assert.equal(book.successStatus, 201);
  assert.match(JSON.stringify(book.request.body), new RegExp(`Slot/${unknownId}`));
});

Deno.test("the interactions taking an NHS number can be asked with another", () => {
  const takers = baseRequests().filter((b) => b.withNhsNumber).map((b) => b.interaction.shortName);
  assert.deepEqual(takers, [
    "search-patient",
    "register-patient",
    "get-structured-record",
    "migrate-structured-record",
    "documents-search-patient",
    "get-care-record",
  ]);
  const search = baseRequest(requireInteraction("search-patient")).withNhsNumber!("123");
  assert.equal(search.path, "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|123");
  assert.equal(search.patientRole, undefined);
  const html = baseRequest(requireInteraction("get-care-record")).withNhsNumber!("123");
  assert.match(JSON.stringify(html.body), /"value":"123"/);
});

Deno.test("migrate asks as the patient's registered practice", () => {
  const migrate = baseRequest(requireInteraction("migrate-structured-record"));
  assert.deepEqual(migrate.mutations.map((m) => m.kind), ["set-claim"]);
  assert.match(JSON.stringify(migrate.mutations), /\{odsCode\}/);
});
