import assert from "node:assert/strict";
import type { Scenario } from "../model.ts";
import { catalogue, requireInteraction } from "./catalogue.ts";
import { generateInteractionScenarios, generateNegatives } from "./negative-generator.ts";

const all = generateNegatives();
const of = (shortName: string): Scenario[] =>
  all.filter((scenario) => scenario.id.startsWith(`${shortName}.`));
const rules = (shortName: string) => new Set(of(shortName).map((s) => s.id.split(".").at(-1)));

Deno.test("generated ids are unique and deterministic", () => {
  assert.equal(new Set(all.map((s) => s.id)).size, all.length);
  assert.deepEqual(generateNegatives().map((s) => s.id), all.map((s) => s.id));
  for (const scenario of all) assert.match(scenario.id, /^[a-z0-9-]+\.(neg|gen)\.[a-z0-9-]+$/);
});

Deno.test("every interaction gets the systematic negatives", () => {
  for (const interaction of catalogue) {
    const got = rules(interaction.shortName);
    for (
      const rule of [
        "missing-ssp-traceid",
        "missing-ssp-from",
        "missing-ssp-to",
        "missing-ssp-interactionid",
        "missing-authorization",
        "traceid-not-uuid",
        "from-not-numeric",
        "to-not-numeric",
        "to-other-asid",
        "interaction-unknown",
        "interaction-other",
        "interaction-miscased",
        "jwt-iss-missing",
        "jwt-requesting-practitioner-wrong-type",
        "jwt-exp-iat-299",
        "jwt-exp-iat-301",
        "jwt-expired",
        "jwt-alg-hs256",
        "jwt-signature-present",
        "jwt-not-base64url",
        "jwt-payload-not-json",
        "jwt-scope-other-class",
        "jwt-reason-invalid",
        "jwt-sub-not-practitioner",
        "jwt-device-wrong-resource-type",
        "accept-unsupported",
        "format-unsupported",
      ]
    ) {
      assert.ok(got.has(rule), `${interaction.shortName} lacks ${rule}`);
    }
  }
});

Deno.test("each generated scenario is tagged, traced and on its own interaction", () => {
  for (const scenario of all) {
    const [shortName, kind] = scenario.id.split(".");
    const interaction = requireInteraction(shortName!);
    assert.equal(scenario.request.interaction, interaction.id, scenario.id);
    assert.equal(scenario.product, interaction.product, scenario.id);
    assert.ok(scenario.requirements.length > 0, scenario.id);
    assert.ok(scenario.tags.includes(kind === "neg" ? "negative" : "positive"), scenario.id);
    const categories = ["ssp-headers", "jwt", "nhs-number", "media-type", "format"];
    assert.equal(scenario.tags.filter((t) => categories.includes(t)).length, 1, scenario.id);
  }
});

Deno.test("interactions that change data get negatives only", () => {
  for (const interaction of catalogue.filter((i) => i.mutating)) {
    // Only the twin, the base request every negative mutates, which fails by a business rule.
    assert.deepEqual(
      of(interaction.shortName).filter((s) => s.id.includes(".gen.")).map((s) => s.id),
      [`${interaction.shortName}.gen.twin`],
    );
  }
  assert.ok(rules("read-metadata").has("jwt-iat-future-200"));
  assert.ok(!rules("book-appointment").has("jwt-iat-future-200"));
});

Deno.test("NHS number negatives exist exactly where an interaction takes an NHS number", () => {
  const takers = catalogue.filter((i) => rules(i.shortName).has("nhs-number-check-digit"));
  assert.deepEqual(takers.map((i) => i.shortName), [
    "search-patient",
    "register-patient",
    "get-structured-record",
    "migrate-structured-record",
    "documents-search-patient",
    "get-care-record",
  ]);
});

Deno.test("the per-interaction generation is the slice of the whole", () => {
  const interaction = requireInteraction("get-care-record");
  assert.deepEqual(
    generateInteractionScenarios(interaction).map((s) => s.id),
    of("get-care-record").map((s) => s.id),
  );
});

Deno.test("every negative has its interaction's positive twin, and STU3 ones check the code's display", async () => {
  const { twinOf } = await import("./negative-twins.ts");
  const ids = new Set(all.map((s) => s.id));
  for (const scenario of all.filter((s) => s.tags.includes("negative"))) {
    const twin = twinOf({ kind: "scenario", scenario, readOnly: true });
    assert.ok(twin !== undefined && ids.has(twin), `${scenario.id}: twin ${twin}`);
  }
  const missingTo = all.find((s) => s.id === "read-metadata.neg.missing-ssp-to");
  assert.ok(
    missingTo?.expect.fhirpath?.some((a) =>
      a.expression.includes("code = 'BAD_REQUEST'") && a.expression.includes("'bad request'")
    ),
  );
});
