import assert from "node:assert/strict";
import { patientByRole } from "../../pds/fixture-patients.ts";
import { providerRequestHeaders } from "../provider-request.ts";
import {
  errorCode,
  foundationsInteractions,
  providerTestClient,
  registerPatientBody,
  testNow,
} from "../foundations/provider-test-client.ts";

const ROOT = "/B82617/STU3/1/gpconnect/documents/fhir";
const urn = (suffix: string) => `urn:nhs:names:services:gpconnect:documents:fhir:${suffix}`;
const INCLUDES = "_include=DocumentReference:subject:Patient" +
  "&_include=DocumentReference:custodian:Organization" +
  "&_include=DocumentReference:author:Organization" +
  "&_include=DocumentReference:author:Practitioner" +
  "&_revinclude:recurse=PractitionerRole:practitioner";

Deno.test("documents: a temporary registration is found but has no documents search (404)", async () => {
  const client = providerTestClient();
  const patient = patientByRole("registered-other-practice");
  const registered = await client.call(
    "/Patient/$gpc.registerpatient",
    foundationsInteractions.register,
    {
      body: registerPatientBody({
        nhsNumber: patient.nhsNumber,
        family: patient.name!.family,
        given: patient.name!.given[0]!,
        birthDate: patient.birthDate!,
      }),
    },
  );
  assert.equal(registered.status, 200);
  const id = (await registered.json()).entry[0].resource.id as string;
  const issuedAt = Math.floor(testNow.getTime() / 1000);

  const found = await client.provider.request(
    `${ROOT}/Patient?identifier=${
      encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${patient.nhsNumber}`)
    }`,
    { headers: providerRequestHeaders(urn("rest:search:patient-1"), { issuedAt }) },
  );
  assert.equal(found.status, 200);
  assert.equal((await found.json()).entry[0].resource.id, id);

  const search = await client.provider.request(
    `${ROOT}/Patient/${id}/DocumentReference?${INCLUDES}`,
    {
      headers: providerRequestHeaders(urn("rest:search:documentreference-1"), { issuedAt }),
    },
  );
  assert.equal(await errorCode(search), "404 PATIENT_NOT_FOUND");
});
