import assert from "node:assert/strict";
import type { ProfileValidator } from "../model.ts";
import { loadProfileValidator } from "./profile-validator.ts";
import { gpConnectValidator, profileTest } from "./test-profiles.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const ex = "https://example.org";
const el = (id: string, body: string) =>
  `<element id="${id}"><path value="${id}"/>${body}</element>`;
const card = (min: number, max: string, baseMax = max) =>
  `<min value="${min}"/><max value="${max}"/><base><path value="x"/><min value="0"/><max value="${baseMax}"/></base>`;
const type = (code: string) => `<type><code value="${code}"/></type>`;

/** A hand-made profile on Basic exercising pattern, slicing and binding rules. */
const basicProfile = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<StructureDefinition xmlns="http://hl7.org/fhir">
  <url value="${ex}/StructureDefinition/Test-Basic"/>
  <name value="TestBasic"/>
  <type value="Basic"/>
  <snapshot>
    ${el("Basic", card(0, "*"))}
    ${el("Basic.id", card(0, "1") + type("id"))}
    ${el("Basic.meta", card(0, "1") + type("Meta"))}
    ${
  el(
    "Basic.language",
    card(0, "1") + type("code") +
      `<binding><strength value="extensible"/><valueSetReference><reference value="${ex}/ValueSet/languages"/></valueSetReference></binding>`,
  )
}
    ${
  el(
    "Basic.extension",
    card(0, "*") + type("Extension") +
      `<slicing><discriminator><type value="type"/><path value="$this"/></discriminator><rules value="closed"/></slicing>`,
  )
}
    <element id="Basic.extension:odd"><path value="Basic.extension"/><sliceName value="odd"/>${
  card(1, "1", "*")
}${type("Extension")}</element>
    ${
  el(
    "Basic.identifier",
    card(0, "*") + type("Identifier") +
      `<slicing><discriminator><type value="pattern"/><path value="system"/></discriminator><rules value="closed"/></slicing>`,
  )
}
    <element id="Basic.identifier:local"><path value="Basic.identifier"/><sliceName value="local"/>${
  card(1, "1", "*")
}${type("Identifier")}</element>
    ${
  el(
    "Basic.identifier:local.system",
    card(1, "1") + type("uri") + `<patternUri value="${ex}/local"/>`,
  )
}
    ${el("Basic.identifier:local.value", card(1, "1") + type("string"))}
    ${
  el(
    "Basic.code",
    card(1, "1") + type("CodeableConcept") +
      `<patternCodeableConcept><coding><system value="${ex}/cs"/></coding></patternCodeableConcept>` +
      `<binding><strength value="required"/><valueSetReference><reference value="${ex}/ValueSet/codes"/></valueSetReference></binding>`,
  )
}
    ${el("Basic.created", card(0, "1") + type("date"))}
  </snapshot>
</StructureDefinition>`;

const codeSystem =
  `<CodeSystem xmlns="http://hl7.org/fhir"><url value="${ex}/cs"/><content value="complete"/>
  <concept><code value="a"/></concept><concept><code value="b"/><concept><code value="b1"/></concept></concept>
</CodeSystem>`;
const codes = `<ValueSet xmlns="http://hl7.org/fhir"><url value="${ex}/ValueSet/codes"/>
  <compose><include><system value="${ex}/cs"/></include>
  <exclude><system value="${ex}/cs"/><concept><code value="a"/></concept></exclude></compose></ValueSet>`;
/** The loader reads FHIR JSON conformance resources too. */
const languages = {
  resourceType: "ValueSet",
  url: `${ex}/ValueSet/languages`,
  compose: { include: [{ system: "urn:ietf:bcp:47", concept: [{ code: "en-GB" }] }] },
};

/** A validator over a hand-made profile directory, removed once loaded (the load reads it all). */
async function testValidator(): Promise<ProfileValidator> {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-profiles-" });
  try {
    await Deno.mkdir(`${dir}/StructureDefinitions`);
    await Deno.writeTextFile(`${dir}/StructureDefinitions/Test-Basic.xml`, basicProfile);
    await Deno.writeTextFile(`${dir}/cs.xml`, codeSystem);
    await Deno.writeTextFile(`${dir}/codes.xml`, codes);
    await Deno.writeTextFile(`${dir}/languages.json`, JSON.stringify(languages));
    return await loadProfileValidator(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const validator = await testValidator();

function basic(): Json {
  return {
    resourceType: "Basic",
    meta: { profile: [`${ex}/StructureDefinition/Test-Basic`] },
    language: "en-GB",
    extension: [{ url: `${ex}/ext`, valueString: "x" }],
    identifier: [{ system: `${ex}/local`, value: "1" }],
    code: { coding: [{ system: `${ex}/cs`, code: "b1" }], text: "B one" },
    created: "2024-02-29",
  };
}

const messages = (resource: Json) =>
  validator.validate(resource).map((m) => `${m.severity} ${m.rule} ${m.path}`);

Deno.test("a hand-made profile directory: XML and JSON resources load", () => {
  assert.deepEqual(validator.profiles, [`${ex}/StructureDefinition/Test-Basic`]);
  assert.deepEqual(messages(basic()), [
    "information slicing Basic.extension",
    "information profile Basic.extension[0]", // https://example.org/ext is not in the directory
  ]);
});

Deno.test("pattern: a subset match (extra codings and text are fine, a missing system is not)", () => {
  const other = basic();
  other.code.coding = [{ system: "https://elsewhere.org/cs", code: "b1" }];
  assert.ok(messages(other).includes("error pattern Basic.code"));
});

Deno.test("pattern discriminator: slices matched by patternUri; closed slicing", () => {
  const extra = basic();
  extra.identifier.push({ system: `${ex}/other`, value: "2" });
  assert.ok(messages(extra).includes("error slicing Basic.identifier[1]"));
  const none = basic();
  none.identifier = [{ system: `${ex}/other`, value: "2" }];
  assert.ok(messages(none).includes("error slicing Basic.identifier"));
});

Deno.test("unsupported discriminators are information, never errors (even for a required slice)", () => {
  const resource = basic();
  delete resource.extension;
  assert.deepEqual(messages(resource), ["information slicing Basic.extension"]);
});

Deno.test("required binding: whole CodeSystem with nested concepts, minus excludes", () => {
  const resource = basic();
  resource.code.coding[0].code = "a"; // excluded
  assert.ok(messages(resource).includes("error binding Basic.code"));
  resource.code.coding[0].code = "zz";
  assert.ok(messages(resource).includes("error binding Basic.code"));
  resource.code.coding = [{ system: `${ex}/cs`, code: "zz" }, { system: `${ex}/cs`, code: "b" }];
  assert.ok(
    !messages(resource).includes("error binding Basic.code"),
    "one member coding is enough",
  );
});

Deno.test("extensible binding: a code outside the ValueSet is a warning", () => {
  const resource = basic();
  resource.language = "fr";
  assert.ok(messages(resource).includes("warning binding Basic.language"));
});

profileTest("contentReference: Bundle.entry.link is checked as Bundle.link", async () => {
  const gpc = await gpConnectValidator();
  const bundle = {
    resourceType: "Bundle",
    meta: {
      profile: ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1"],
    },
    type: "searchset",
    entry: [{ link: [{ relation: "self" }], fullUrl: "urn:uuid:1" }],
  };
  const errors = gpc.validate(bundle).filter((m) => m.severity === "error");
  assert.deepEqual(errors.map((m) => `${m.rule} ${m.path}`).sort(), [
    "cardinality Bundle.entry[0].link[0].url",
    "invariant Bundle.entry[0]", // bdl-5: an entry without a resource, request or response
  ]);
  assert.match(errors.find((m) => m.rule === "invariant")?.message ?? "", /^bdl-5: /);
});
