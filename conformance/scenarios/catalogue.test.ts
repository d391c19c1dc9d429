import assert from "node:assert/strict";
import interactionsDoc from "../../specs/interactions.json" with { type: "json" };
import {
  catalogue,
  catalogueInteraction,
  otherInteractionOfRoot,
  requireInteraction,
} from "./catalogue.ts";

Deno.test("every catalogue interaction has a unique short name", () => {
  assert.equal(catalogue.length, interactionsDoc.interactions.length);
  assert.equal(new Set(catalogue.map((i) => i.shortName)).size, catalogue.length);
});

Deno.test("interactions are found by URN or short name, and only those", () => {
  const urn = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1";
  assert.equal(catalogueInteraction("search-patient")?.id, urn);
  assert.equal(catalogueInteraction(urn)?.shortName, "search-patient");
  assert.equal(
    catalogueInteraction("urn:nhs:names:services:GPConnect:fhir:rest:search:patient-1"),
    undefined,
  );
  assert.throws(() => requireInteraction("no-such-interaction"), RangeError);
});

Deno.test("exactly register, book, amend and cancel change data", () => {
  assert.deepEqual(
    catalogue.filter((i) => i.mutating).map((i) => i.shortName),
    ["register-patient", "book-appointment", "amend-appointment", "cancel-appointment"],
  );
});

Deno.test("another interaction of the root differs in verb or path", () => {
  for (const interaction of catalogue) {
    const other = otherInteractionOfRoot(interaction);
    assert.equal(other.root, interaction.root, interaction.shortName);
    assert.ok(
      other.method !== interaction.method || other.path !== interaction.path,
      interaction.shortName,
    );
  }
  assert.notEqual(
    otherInteractionOfRoot(requireInteraction("amend-appointment")).shortName,
    "cancel-appointment",
  );
  assert.notEqual(
    otherInteractionOfRoot(requireInteraction("retrieve-document")).shortName,
    "migrate-document",
  );
});
