import assert from "node:assert/strict";
import {
  compositionDiv,
  dstu2ErrorCode,
  dstu2Root,
  htmlTestClient,
  nhsNumberSystem,
  richRecordNhsNumber,
  testNow,
} from "./html-test-client.ts";
import { type RecordSectionCode, recordSections, recordSectionSystem } from "./record-sections.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const { careRecord, metadata } = htmlTestClient();

Deno.test("html metadata: the DSTU2 Conformance in JSON and XML", async () => {
  const res = await metadata();
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "application/json+fhir;charset=utf-8");
  const body: Json = await res.json();
  assert.equal(body.resourceType, "Conformance");
  assert.equal(body.fhirVersion, "1.0.2");
  assert.deepEqual(body.format, ["application/json+fhir", "application/xml+fhir"]);
  assert.equal(body.rest[0].operation[0].name, "gpc.getcarerecord");
  const xml = await metadata({ Accept: "application/xml+fhir" });
  assert.equal(xml.headers.get("Content-Type"), "application/xml+fhir;charset=utf-8");
  assert.match(
    await xml.text(),
    /<Conformance xmlns="http:\/\/hl7.org\/fhir">.*<fhirVersion value="1.0.2"\/>/,
  );
});

Deno.test("getcarerecord: every section → searchset with the Composition first", async () => {
  for (const code of Object.keys(recordSections) as RecordSectionCode[]) {
    const res = await careRecord({ section: code });
    assert.equal(res.status, 200, code);
    assert.equal(res.headers.get("Content-Type"), "application/json+fhir;charset=utf-8");
    assert.equal(res.headers.get("Cache-Control"), "no-store");
    const bundle: Json = await res.json();
    assert.equal(bundle.type, "searchset");
    assert.deepEqual(bundle.meta.profile, [
      "http://fhir.nhs.net/StructureDefinition/gpconnect-searchset-bundle-1",
    ]);
    const types = bundle.entry.map((e: Json) => e.resource.resourceType);
    assert.deepEqual(types, ["Composition", "Patient", "Practitioner", "Organization", "Device"]);
    const byRef = new Map(
      bundle.entry.map((e: Json) => [`${e.resource.resourceType}/${e.resource.id}`, e.resource]),
    );
    const composition = bundle.entry[0].resource;
    assert.equal(composition.title, "Patient Care Record");
    assert.equal(composition.status, "final");
    assert.equal(composition.date, testNow.toISOString());
    assert.equal(composition.type.coding[0].code, "425173008");
    assert.equal(composition.class.coding[0].code, "700232004");
    assert.ok(byRef.has(composition.subject.reference));
    assert.ok(byRef.has(composition.author[0].reference));
    assert.ok(byRef.has(composition.custodian.reference));
    const section = composition.section[0];
    const title = recordSections[code].title;
    assert.equal(section.title, title);
    assert.deepEqual(section.code.coding[0], { system: recordSectionSystem, code, display: title });
    assert.equal(section.code.text, title);
    assert.equal(section.text.status, "generated");
    assert.ok(
      section.text.div.startsWith(`<div xmlns="http://www.w3.org/1999/xhtml"><h1>${title}</h1>`),
      code,
    );
    assert.doesNotMatch(section.text.div, /<(head|body|script|style|iframe|form|a)[\s>]/);
    const patient = byRef.get("Patient/2") as Json;
    assert.deepEqual(patient.identifier, [{ system: nhsNumberSystem, value: richRecordNhsNumber }]);
    assert.deepEqual(patient.name[0].family, ["SKELLY"]);
    assert.ok(byRef.has(patient.careProvider[0].reference));
    assert.ok(byRef.has(patient.managingOrganization.reference));
    for (const entry of bundle.entry) {
      assert.ok(
        entry.resource.meta.profile[0].startsWith(
          "http://fhir.nhs.net/StructureDefinition/gpconnect-",
        ),
      );
      assert.equal(
        entry.fullUrl,
        `http://localhost${dstu2Root}/${entry.resource.resourceType}/${entry.resource.id}`,
      );
    }
    assert.equal((byRef.get("Device/1") as Json).type.coding[0].code, "462240000");
  }
});

Deno.test("getcarerecord: the rich record's views", async () => {
  const med = compositionDiv(await (await careRecord({ section: "MED" })).json());
  for (const id of ["med-tab-acu-med", "med-tab-curr-rep", "med-tab-all-sum", "med-tab-all-iss"]) {
    assert.ok(med.includes(`<table id="${id}">`), id);
  }
  // The fixture has no discontinued repeat, so that subsection says so instead of a table.
  assert.ok(med.includes("<h2>Discontinued Repeat Medication</h2>"));
  assert.ok(!med.includes('<table id="med-tab-dis-rep">'));
  assert.ok(
    med.includes("<p>No 'Discontinued Repeat Medication' data is recorded for this patient.</p>"),
  );
  const sum = compositionDiv(await (await careRecord({ section: "SUM" })).json());
  assert.deepEqual([...sum.matchAll(/<table id="([^"]+)"/g)].map((m) => m[1]), [
    "enc-tab",
    "prb-tab-act",
    "prb-tab-majinact",
    "all-tab-curr",
    "med-tab-acu-med",
    "med-tab-curr-rep",
  ]);
  const enc = compositionDiv(await (await careRecord({ section: "ENC" })).json());
  assert.ok([...enc.matchAll(/<tr><td class="date-column">/g)].length >= 4);
  assert.match(enc, /<div class="date-banner"><p>All relevant items<\/p><\/div>/);
});

Deno.test("getcarerecord: time periods only for the sections that take one", async () => {
  const period = { start: "2014-02-03", end: "2016-01-24" };
  for (const code of ["ADM", "CLI", "ENC", "INV", "MED", "OBS", "PRB", "REF"]) {
    const res = await careRecord({ section: code, period });
    assert.equal(res.status, 200, code);
    assert.match(
      compositionDiv(await res.json()),
      /<p>For the period '03-Feb-2014' to '24-Jan-2016'<\/p>/,
      code,
    );
  }
  for (const code of ["ALL", "IMM", "SUM", "PAT"]) {
    assert.equal(
      await dstu2ErrorCode(await careRecord({ section: code, period })),
      "400 BAD_REQUEST",
      code,
    );
  }
  const from = compositionDiv(
    await (await careRecord({ section: "ENC", period: { start: "1982-10-05" } })).json(),
  );
  assert.match(from, /<p>Data items from '05-Oct-1982'<\/p>/);
  const until = compositionDiv(
    await (await careRecord({ section: "CLI", period: { end: "2016-02" } })).json(),
  );
  assert.match(until, /<p>Data items until '29-Feb-2016'<\/p>/);
  const empty = compositionDiv(
    await (await careRecord({ section: "REF", period: { start: "2014-03-21", end: "2015-03-14" } }))
      .json(),
  );
  assert.match(empty, /<p>No 'Referrals' data is recorded for this patient\.<\/p>/);
  const instants = await careRecord({
    section: "ADM",
    period: { start: "2015-10-23T11:08:32+00:00", end: "2016-12-08T23:59:59+00:00" },
  });
  assert.equal(instants.status, 200);
  for (
    const bad of [
      { start: "abcd", end: "2016" },
      { start: "2014", end: "abcd" },
      { start: "2016", end: "2014" },
      {},
      { start: "2015-10-23T11:08:32" },
    ]
  ) {
    assert.equal(
      await dstu2ErrorCode(await careRecord({ section: "ENC", period: bad })),
      "422 INVALID_PARAMETER",
      JSON.stringify(bad),
    );
  }
});

Deno.test("getcarerecord: XML response embeds the XHTML div", async () => {
  const res = await careRecord({ section: "ENC", overrides: { Accept: "application/xml+fhir" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "application/xml+fhir;charset=utf-8");
  const text = await res.text();
  assert.match(
    text,
    /^<\?xml version="1.0" encoding="UTF-8"\?><Bundle xmlns="http:\/\/hl7.org\/fhir">/,
  );
  assert.match(
    text,
    /<text><status value="generated"\/><div xmlns="http:\/\/www.w3.org\/1999\/xhtml"><h1>Encounters<\/h1>/,
  );
});

Deno.test("getcarerecord: a record in transit carries the GP transfer banner", async () => {
  const div = compositionDiv(
    await (await careRecord({ nhsNumber: "9690938096", section: "SUM" })).json(),
  );
  assert.match(
    div,
    /<h1>Summary<\/h1><div class="gptransfer-banner"><p>Patient record transfer from previous GP Practice not yet complete; any information recorded before '\d\d-[A-Z][a-z]{2}-\d{4}' has been excluded<\/p><\/div>/,
  );
});
