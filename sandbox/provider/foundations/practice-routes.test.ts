import assert from "node:assert/strict";
import {
  errorCode,
  foundationsInteractions as I,
  foundationsRoot,
  providerTestClient,
} from "./provider-test-client.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const { call } = providerTestClient();
const SDS = "https://fhir.nhs.uk/Id/sds-user-id";
const ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
const profile = (name: string) => [`https://fhir.nhs.uk/STU3/StructureDefinition/${name}`];

const searchPractitioner = (query: string) => call(`/Practitioner?${query}`, I.searchPractitioner);
const searchOrganization = (query: string) => call(`/Organization?${query}`, I.searchOrganization);
const identifier = (system: string, value: string) =>
  `identifier=${encodeURIComponent(`${system}|${value}`)}`;

async function versioned(res: Response): Promise<Json> {
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  const body: Json = await res.json();
  assert.equal(body.meta.versionId, "1");
  assert.equal(res.headers.get("ETag"), `W/"${body.meta.versionId}"`);
  return body;
}

Deno.test("read practitioner: CareConnect-GPC-Practitioner-1 with ETag", async () => {
  const body = await versioned(await call("/Practitioner/2", I.readPractitioner));
  assert.equal(body.resourceType, "Practitioner");
  assert.equal(body.id, "2");
  assert.deepEqual(body.meta.profile, profile("CareConnect-GPC-Practitioner-1"));
  assert.deepEqual(body.identifier, [
    { system: SDS, value: "G11111116" },
    { system: "https://fhir.nhs.uk/Id/sds-role-profile-id", value: "PT1234" },
  ]);
  assert.equal(body.name.length, 1);
  assert.equal(body.name[0].family, "Slater");
  assert.equal(body.gender, "male");
  for (const absent of ["telecom", "address", "birthDate", "photo", "qualification"]) {
    assert.equal(body[absent], undefined, absent);
  }
});

Deno.test("read practitioner: unknown → 404 PRACTITIONER_NOT_FOUND", async () => {
  for (const id of ["99", "G13579135", "a-b.c"]) {
    const res = await call(`/Practitioner/${id}`, I.readPractitioner);
    assert.equal(await errorCode(res), "404 PRACTITIONER_NOT_FOUND", id);
  }
});

Deno.test("find practitioner: by SDS user id, role profile ids as the test pack counts them", async () => {
  for (
    const [sdsUserId, roles] of [["G13579135", 0], ["G11111116", 1], ["G22345655", 2]] as const
  ) {
    const res = await searchPractitioner(identifier(SDS, sdsUserId));
    assert.equal(res.status, 200);
    const body: Json = await res.json();
    assert.equal(body.type, "searchset");
    assert.equal((body.entry ?? []).length, 1);
    const practitioner = body.entry[0].resource;
    assert.equal(
      body.entry[0].fullUrl,
      `http://localhost${foundationsRoot}/Practitioner/${practitioner.id}`,
    );
    assert.equal(practitioner.identifier[0].value, sdsUserId);
    assert.equal(practitioner.identifier.length - 1, roles, sdsUserId);
  }
});

Deno.test("find practitioner: unknown → empty searchset; XML on request", async () => {
  const body: Json = await (await searchPractitioner(identifier(SDS, "G99999999"))).json();
  assert.equal((body.entry ?? []).length, 0);
  assert.equal(body.entry, undefined);
  const xml = await call(`/Practitioner?${identifier(SDS, "G13579135")}`, I.searchPractitioner, {
    overrides: { Accept: "application/fhir+xml" },
  });
  assert.match(
    await xml.text(),
    /<Bundle xmlns="http:\/\/hl7.org\/fhir">.*<Practitioner xmlns="http:\/\/hl7.org\/fhir">/,
  );
});

Deno.test("find practitioner: parameter errors", async () => {
  const cases: Array<[string, string]> = [
    ["", "400 BAD_REQUEST"],
    [`Identifier=${SDS}|G13579135`, "400 BAD_REQUEST"],
    [`${identifier(SDS, "G13579135")}&${identifier(SDS, "G11111116")}`, "400 BAD_REQUEST"],
    [`${identifier(SDS, "G13579135")}&${identifier(SDS, "G13579135")}`, "400 BAD_REQUEST"],
    [identifier(SDS, ""), "422 INVALID_PARAMETER"],
    ["identifier=%7CG13579135", "422 INVALID_PARAMETER"],
    ["identifier=G13579135", "422 INVALID_PARAMETER"],
    [identifier("http://fhir.nhs.net/sds-user-id", "G13579135"), "400 INVALID_IDENTIFIER_SYSTEM"],
    [identifier(ODS, "G13579135"), "400 INVALID_IDENTIFIER_SYSTEM"],
  ];
  for (const [query, expected] of cases) {
    assert.equal(await errorCode(await searchPractitioner(query)), expected, query);
  }
});

Deno.test("read organisation: CareConnect-GPC-Organization-1 with ETag", async () => {
  const body = await versioned(await call("/Organization/1", I.readOrganization));
  assert.deepEqual(body.meta.profile, profile("CareConnect-GPC-Organization-1"));
  assert.deepEqual(body.identifier, [{ system: ODS, value: "B82617" }]);
  assert.equal(body.name, "COXWOLD SURGERY");
  assert.equal(body.type[0].coding[0].code, "gp-practice");
  assert.deepEqual(body.telecom, [{ system: "phone", value: "01347 868 555", use: "work" }]);
  assert.equal(body.address[0].city, "Leeds");
  assert.equal(body.address[0].postalCode, "LS1 4HY");
  assert.equal(body.contact, undefined);
  assert.equal(body.endpoint, undefined);
});

Deno.test("read organisation: unknown → 404 ORGANISATION_NOT_FOUND", async () => {
  for (const id of ["99", "B82617"]) {
    const res = await call(`/Organization/${id}`, I.readOrganization);
    assert.equal(await errorCode(res), "404 ORGANISATION_NOT_FOUND", id);
  }
});

Deno.test("find organisation: by ODS code, unknown → empty searchset", async () => {
  for (const [ods, id] of [["B82617", "1"], ["R1A14", "2"], ["X12345", "3"]]) {
    const body: Json = await (await searchOrganization(identifier(ODS, ods!))).json();
    assert.equal((body.entry ?? []).length, 1, ods);
    assert.equal(body.entry[0].resource.id, id);
    assert.equal(body.entry[0].resource.meta.versionId, "1");
  }
  const none: Json = await (await searchOrganization(identifier(ODS, "A99999"))).json();
  assert.equal((none.entry ?? []).length, 0);
});

Deno.test("find organisation: parameter errors", async () => {
  const cases: Array<[string, string]> = [
    ["", "400 BAD_REQUEST"],
    [`${identifier(ODS, "B82617")}&${identifier(ODS, "R1A14")}`, "400 BAD_REQUEST"],
    [identifier(ODS, ""), "422 INVALID_PARAMETER"],
    ["identifier=B82617", "422 INVALID_PARAMETER"],
    [
      identifier("http://fhir.nhs.net/Id/ods-organization-code", "B82617"),
      "400 INVALID_IDENTIFIER_SYSTEM",
    ],
    [identifier("https://fhir.nhs.uk/Id/ods-site-code", "Z26556"), "400 INVALID_IDENTIFIER_SYSTEM"],
  ];
  for (const [query, expected] of cases) {
    assert.equal(await errorCode(await searchOrganization(query)), expected, query);
  }
});

Deno.test("read location: CareConnect-GPC-Location-1 with ETag; unknown → 404 NO_RECORD_FOUND", async () => {
  const body = await versioned(await call("/Location/1", I.readLocation));
  assert.deepEqual(body.meta.profile, profile("CareConnect-GPC-Location-1"));
  assert.deepEqual(body.identifier, [
    { system: "https://fhir.nhs.uk/Id/ods-site-code", value: "Z26556" },
  ]);
  assert.equal(body.name, "Coxwold Surgery, Main Building");
  assert.equal(body.status, "active");
  assert.ok(!Array.isArray(body.address), "STU3 Location.address is 0..1");
  assert.equal(body.address.postalCode, "YO61 4AD");
  assert.deepEqual(body.managingOrganization, { reference: "Organization/1" });
  const branch = await versioned(await call("/Location/2", I.readLocation));
  assert.equal(branch.telecom, undefined);
  for (const id of ["99", "mfpBm", "11dd4.45-23"]) {
    assert.equal(
      await errorCode(await call(`/Location/${id}`, I.readLocation)),
      "404 NO_RECORD_FOUND",
    );
  }
  const xml = await call("/Location/3", I.readLocation, {
    overrides: { Accept: "application/fhir+xml" },
  });
  assert.equal(xml.headers.get("ETag"), 'W/"1"');
  assert.match(
    await xml.text(),
    /^<\?xml[^>]*><Location xmlns="http:\/\/hl7.org\/fhir"><id value="3"\/>/,
  );
});

Deno.test("practice resources: a read with another resource's interaction id → 400", async () => {
  const res = await call("/Location/1", I.readPractitioner);
  assert.equal(await errorCode(res), "400 BAD_REQUEST");
});
