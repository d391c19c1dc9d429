import assert from "node:assert/strict";
import { fhirXmlToJson, unusedConformanceParts } from "./fhir-xml.ts";

Deno.test("FHIR XML → JSON: repeating elements, typed primitives, attributes", () => {
  const json = fhirXmlToJson(`<?xml version="1.0" encoding="utf-8"?>
<!-- comment -->
<Patient xmlns="http://hl7.org/fhir">
  <id value="p1"/>
  <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>A <div>nested</div> &amp; b</p></div></text>
  <extension url="https://example.org/ext"><valueBoolean value="true"/></extension>
  <identifier><system value="https://fhir.nhs.uk/Id/nhs-number"/><value value="9690937286"/></identifier>
  <active value="false"/>
  <name id="n1"><family value="O&apos;Brien &quot;Jr&quot;"/><given value="A"/><given value="B"/></name>
  <birthDate value="1942-02-03"><extension url="http://hl7.org/fhir/StructureDefinition/patient-birthTime"><valueDateTime value="1942-02-03T10:20:00Z"/></extension></birthDate>
  <multipleBirthInteger value="2"/>
  <contained><Organization><id value="o1"/></Organization></contained>
</Patient>`);
  assert.deepEqual(json, {
    resourceType: "Patient",
    id: "p1",
    text: {
      status: "generated",
      div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>A <div>nested</div> &amp; b</p></div>',
    },
    extension: [{ url: "https://example.org/ext", valueBoolean: true }],
    identifier: [{ system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690937286" }],
    active: false,
    name: [{ id: "n1", family: `O'Brien "Jr"`, given: ["A", "B"] }],
    birthDate: "1942-02-03",
    _birthDate: {
      extension: [{
        url: "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
        valueDateTime: "1942-02-03T10:20:00Z",
      }],
    },
    multipleBirthInteger: 2,
    contained: [{ resourceType: "Organization", id: "o1" }],
  });
});

Deno.test("FHIR XML → JSON: conformance resources, with the unused parts skipped", () => {
  const sd = fhirXmlToJson(
    `<StructureDefinition xmlns="http://hl7.org/fhir"><url value="u"/>
      <differential><element id="X"><path value="X"/></element></differential>
      <snapshot><element id="X.a"><path value="X.a"/><short value="gone"/><min value="1"/><max value="*"/>
        <type><code value="string"/></type><constraint><key value="k"/><xpath value="f:a"/><expression value="a.exists()"/></constraint>
        <fixedUri value="urn:x"/></element></snapshot></StructureDefinition>`,
    { skip: unusedConformanceParts },
  );
  assert.deepEqual(sd, {
    resourceType: "StructureDefinition",
    url: "u",
    snapshot: {
      element: [{
        id: "X.a",
        path: "X.a",
        min: 1,
        max: "*",
        type: [{ code: "string" }],
        constraint: [{ key: "k", expression: "a.exists()" }], // kept for invariants, XPath dropped
        fixedUri: "urn:x",
      }],
    },
  });
  const cs = fhirXmlToJson(
    `<CodeSystem xmlns="http://hl7.org/fhir"><url value="c"/><concept><code value="a"/><concept><code value="a1"/></concept></concept></CodeSystem>`,
  );
  assert.deepEqual(cs.concept, [{ code: "a", concept: [{ code: "a1" }] }]);
});

Deno.test("FHIR XML → JSON: malformed XML is a clear error", () => {
  assert.throws(() => fhirXmlToJson("<Patient><id value='1'></Patient>"), /Unexpected <\/Patient>/);
  assert.throws(() => fhirXmlToJson("<Patient><id value='1'/>"), /Unclosed <Patient>/);
  assert.throws(() => fhirXmlToJson("no xml here"), /No root element/);
});
