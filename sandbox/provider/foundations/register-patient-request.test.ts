import assert from "node:assert/strict";
import { parseRegisterPatientRequest } from "./register-patient-request.ts";
import {
  errorCode,
  foundationsInteractions as I,
  providerTestClient,
  registerPatientBody,
} from "./provider-test-client.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const florence = {
  nhsNumber: "9990000204",
  family: "NETTLESHIP",
  given: "Florence",
  birthDate: "1972-01-28",
};
const NHS = "https://fhir.nhs.uk/Id/nhs-number";

function register(body: string, overrides: Record<string, string | null> = {}) {
  return providerTestClient().call("/Patient/$gpc.registerpatient", I.register, {
    body,
    overrides,
  });
}

function withParameters(parameter: unknown): string {
  return JSON.stringify({ resourceType: "Parameters", parameter });
}

const patientResource = JSON.parse(registerPatientBody(florence)).parameter[0].resource;

Deno.test("register request: the body must be a Parameters with one registerPatient Patient → 422", async () => {
  const bodies = [
    "not json",
    "",
    "[]",
    JSON.stringify(patientResource),
    JSON.stringify({ resourceType: "Bundle" }),
    JSON.stringify({ resourceType: "Parameters" }),
    withParameters([]),
    withParameters("registerPatient"),
    withParameters([{ name: "registerPatient" }]),
    withParameters([{ name: "registerPatient", resource: { resourceType: "Organization" } }]),
    withParameters([{ name: "registerpatient", resource: patientResource }]),
    withParameters([{ name: "", resource: patientResource }]),
    withParameters([
      { name: "registerPatient", resource: patientResource },
      { name: "registerPatient", resource: patientResource },
    ]),
    withParameters([
      { name: "registerPatient", resource: patientResource },
      { name: "appointment", resource: { resourceType: "Appointment" } },
    ]),
  ];
  for (const body of bodies) {
    assert.equal(await errorCode(await register(body)), "422 INVALID_RESOURCE", body);
  }
});

Deno.test("register request: an invalid Patient → 422 INVALID_RESOURCE", async () => {
  const officialName = (name: Json) => [{ use: "official", ...name }];
  const cases: Array<Record<string, unknown>> = [
    { identifier: undefined },
    { identifier: [] },
    { identifier: [{ system: NHS }] },
    { identifier: [{ system: NHS, value: "9990000204" }, { system: NHS, value: "9990000204" }] },
    { name: undefined },
    { name: [{ use: "usual", family: "NETTLESHIP", given: ["Florence"] }] },
    {
      name: [
        ...officialName({ family: "A", given: ["B"] }),
        ...officialName({ family: "C", given: ["D"] }),
      ],
    },
    { name: officialName({ given: ["Florence"] }) },
    { name: officialName({ family: "NETTLESHIP" }) },
    { name: officialName({ family: ["NETTLESHIP"], given: ["Florence"] }) },
    { birthDate: undefined },
    { birthDate: "28/01/1972" },
    { birthDate: "1972-01" },
    { birthDate: "1972-13-01" },
    { gender: "F" },
    { telecom: [{ value: "0113" }] },
    { deceasedBoolean: false },
    { maritalStatus: { text: "M" } },
    { photo: [] },
    {
      extension: [{
        url:
          "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1",
        extension: [{ url: "registrationType", valueCodeableConcept: { text: "T" } }],
      }],
    },
  ];
  for (const change of cases) {
    const res = await register(registerPatientBody(florence, change));
    assert.equal(await errorCode(res), "422 INVALID_RESOURCE", JSON.stringify(change));
  }
});

Deno.test("register request: identifier system and NHS number errors → 400", async () => {
  const identifier = (system: string, value = "9990000204") => ({
    identifier: [{ system, value }],
  });
  assert.equal(
    await errorCode(
      await register(
        registerPatientBody(florence, identifier("http://fhir.nhs.net/Id/nhs-number")),
      ),
    ),
    "400 INVALID_IDENTIFIER_SYSTEM",
  );
  assert.equal(
    await errorCode(
      await register(registerPatientBody(florence, identifier("https://fhir.nhs.uk/Id/local"))),
    ),
    "400 INVALID_IDENTIFIER_SYSTEM",
  );
  for (const bad of ["34555##4", "hello", "999999999", "9000000008", "90000000090", "9990000205"]) {
    const res = await register(registerPatientBody({ ...florence, nhsNumber: bad }));
    assert.equal(await errorCode(res), "400 INVALID_NHS_NUMBER", bad);
  }
});

Deno.test("register request: a body in XML → 415, in another media type → 415", async () => {
  for (const contentType of ["application/fhir+xml", "text/plain"]) {
    const res = await register(registerPatientBody(florence), {
      "Content-Type": contentType,
      Accept: "application/fhir+json",
    });
    assert.equal(await errorCode(res), "415 BAD_REQUEST", contentType);
  }
});

Deno.test("parseRegisterPatientRequest: keeps the official name, home address and telecom", () => {
  const request = parseRegisterPatientRequest(registerPatientBody(florence, {
    name: [
      { use: "usual", family: "N", given: ["F"] },
      { use: "official", family: "NETTLESHIP", given: ["Florence", "May"] },
    ],
    identifier: [{ system: "https://example.org/local", value: "L1" }, {
      system: NHS,
      value: "9990000204",
    }],
    address: [
      { use: "temp", line: ["Hotel"], postalCode: "LS2 2AA" },
      { use: "home", line: ["9 Temporary Street"], postalCode: "LS1 1AA" },
    ],
    telecom: [
      { system: "phone", value: "1", use: "old" },
      { system: "email", value: "f@example.org" },
    ],
  }));
  assert.deepEqual(request, {
    nhsNumber: "9990000204",
    name: { family: "NETTLESHIP", given: ["Florence", "May"] },
    birthDate: "1972-01-28",
    gender: "female",
    address: { line: ["9 Temporary Street"], postalCode: "LS1 1AA" },
    telecom: [{ system: "email", value: "f@example.org", use: "home" }],
  });
});
